#include "expertise/expertise_http.h"
#include "accounts/user_store.h"
#include "expertise/expertise.h"
#include "http/layout.h"
#include "expertise/risk_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int flag(struct req *r, const char *name)
{
    const char *v = req_param(r, name);
    return v && strcmp(v, "1") == 0;
}

/* WEBPAGE: GET /experts?q=TOPIC&outside=1&left=1 -> 200 people who know about TOPIC, each with
 * why (pages written and their share, endorsements, declared level) and a way to reach them */
int expertise_page(struct req *r)
{
    const char *q = req_param(r, "q");
    struct expert_options o = {.limit = 20, .include_left = flag(r, "left"),
                               .prefer_outside_dept = flag(r, "outside"), .prefer_near = flag(r, "near")};
    struct tvars *v = layout_vars(r);
    tv_text(v, "topic", q ? q : "");
    tv_bool(v, "asked", q && *q);
    tv_bool(v, "outside", o.prefer_outside_dept);
    tv_bool(v, "near", o.prefer_near);
    tv_bool(v, "left", o.include_left);
    tv_list(v, "experts");
    for (struct expert *e = expertise_query(r->db, r->a, r->user, q, &o); e; e = e->next) {
        struct tvars *i = tv_item(v, "experts");
        tv_text(i, "login", e->login);
        tv_text(i, "name", e->name);
        tv_text(i, "job", e->title);
        tv_text(i, "department", e->department);
        tv_bool(i, "gone", e->left);
        tv_text(i, "why", expertise_why(r->a, e));
        tv_text(i, "score", arena_printf(r->a, "%.2f", e->score));
        tv_list(i, "pages");
        for (struct expert_page *p = e->evidence; p; p = p->next) {
            struct tvars *pi = tv_item(i, "pages");
            tv_text(pi, "path", p->path);
            tv_text(pi, "ptitle", p->title);
            tv_text(pi, "share", arena_printf(r->a, "%.0f%%", p->share * 100));
        }
    }
    return layout_page(r, 200, q && *q ? arena_printf(r->a, "Who knows about %s", q) : "Find an expert",
                       "experts", v);
}

/* API: GET /api/experts?q=&limit=&outside=1&left=1 -> 200 {topic, experts: [{login, name, title,
 * department, left, score, why, evidence: {pages: [{path, title, share, last_edit}],
 * declared_level, skill, endorsements, last_activity}}]} */
int expertise_api(struct req *r)
{
    const char *q = req_param(r, "q"), *limit = req_param(r, "limit");
    if (!q || !*q)
        return resp_error(r, 400, "say what you need to know: /api/experts?q=postgres+replication");
    int n = limit ? atoi(limit) : 20;
    if (n < 1 || n > 100)
        return resp_error(r, 400, "limit must be between 1 and 100");
    struct expert_options o = {.limit = n, .include_left = flag(r, "left"),
                               .prefer_outside_dept = flag(r, "outside"), .prefer_near = flag(r, "near")};
    static const char *const levels[] = {NULL, "learning", "practised", "expert"};
    json_t *arr = json_array();
    for (struct expert *e = expertise_query(r->db, r->a, r->user, q, &o); e; e = e->next) {
        json_t *pages = json_array();
        for (struct expert_page *p = e->evidence; p; p = p->next)
            json_array_append_new(pages, json_pack("{s:s, s:s, s:f, s:I}", "path", p->path,
                                                   "title", p->title, "share", p->share,
                                                   "last_edit", (json_int_t)p->last_at));
        json_t *ev = json_pack("{s:o, s:s?, s:s?, s:i, s:I}", "pages", pages, "declared_level",
                               levels[e->level], "skill", e->skill, "endorsements",
                               e->endorsements, "last_activity", (json_int_t)e->last_activity);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b, s:f, s:s, s:o}", "login",
                                             e->login, "name", e->name, "title", e->title,
                                             "department", e->department, "left", e->left,
                                             "score", e->score, "why", expertise_why(r->a, e),
                                             "evidence", ev));
    }
    return resp_json(r, 200, json_pack("{s:s, s:o}", "topic", q, "experts", arr));
}

static struct risk_topic *risk_for(struct req *r, const char **person_name, int *status)
{
    const char *login = req_param(r, "person");
    int64_t uid = 0;
    *status = 0;
    *person_name = NULL;
    if (login && *login) {
        struct user *u = user_store_by_login(r->db, r->a, login);
        if (u) {
            uid = u->id;
            *person_name = u->name;
        }
        if (!uid) {
            *status = 404;
            return NULL;
        }
    }
    return risk_store_topics(r->db, r->a, uid, 300);
}

/* WEBPAGE: GET /risk?person=LOGIN -> 200 topics carried by two people or fewer, worst first;
 * with person, what would be left to one or nobody if they left (HR and admins) */
int risk_page(struct req *r)
{
    const char *name;
    int status;
    struct risk_topic *t = risk_for(r, &name, &status);
    if (status)
        return resp_error(r, status, "nobody has that login");
    struct tvars *v = layout_vars(r);
    tv_text(v, "person", name ? name : "");
    tv_text(v, "person_login", req_param(r, "person"));
    tv_list(v, "topics");
    for (; t; t = t->next) {
        struct tvars *i = tv_item(v, "topics");
        tv_bool(i, "is_tag", t->kind[0] == 't');
        tv_text(i, "name", t->name);
        tv_text(i, "slug", t->slug);
        tv_text(i, "slug_q", layout_url_query(r->a, t->slug));
        tv_int(i, "holders", t->holders);
        tv_bool(i, "nobody", t->holders == 0);
        tv_text(i, "who", t->who);
        tv_text(i, "gone", t->gone);
        tv_int(i, "pages", t->pages);
    }
    return layout_page(r, 200, "Knowledge at risk", "risk", v);
}

/* API: GET /api/risk?person=LOGIN -> 200 {person, topics: [{kind, name, slug, holders, who,
 * gone, pages}]} (HR and admins) */
int risk_api(struct req *r)
{
    const char *name;
    int status;
    struct risk_topic *t = risk_for(r, &name, &status);
    if (status)
        return resp_error(r, status, "nobody has that login");
    json_t *arr = json_array();
    for (; t; t = t->next)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i}", "kind",
                                             t->kind, "name", t->name, "slug", t->slug, "holders",
                                             t->holders, "who", t->who, "gone", t->gone, "pages",
                                             t->pages));
    return resp_json(r, 200, json_pack("{s:s?, s:o}", "person", name, "topics", arr));
}
