#include "wiki/freshness_http.h"
#include "wiki/wiki_http.h"
#include "markup/url.h"
#include "wiki/freshness_store.h"
#include "http/layout.h"
#include "wiki/page_store.h"
#include "wiki/wikipath.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "3 days", "5 months", "2 years" */
static const char *age(struct arena *a, int64_t seconds)
{
    int64_t days = seconds / 86400;
    if (days < 1)
        return "today";
    if (days < 60)
        return arena_printf(a, "%lld day%s ago", (long long)days, days == 1 ? "" : "s");
    if (days < 730)
        return arena_printf(a, "%lld months ago", (long long)(days / 30));
    return arena_printf(a, "%lld years ago", (long long)(days / 365));
}

static int may_manage(struct req *r, int64_t page_id)
{
    return r->user && (r->user->role == ROLE_ADMIN || freshness_is_owner(r->db, page_id, r->user->id));
}

void freshness_page_vars(struct req *r, struct tvars *v, const struct page *p)
{
    int64_t now = (int64_t)time(NULL);
    struct freshness *f = freshness_get(r->db, r->a, p->id, now);
    if (!f)
        return;
    tv_bool(v, "stale", f->stale);
    tv_bool(v, "verified", f->verified_at != 0);
    tv_text(v, "verified_ago", age(r->a, now - f->verified_at));
    tv_text(v, "verified_by", f->verified_by);
    tv_text(v, "written_ago", age(r->a, now - p->created_at));
    tv_int(v, "review_days", f->review_days);
    tv_int(v, "page_review_days", f->page_review_days);
    tv_text(v, "due", layout_date(r->a, f->due_at));
    tv_text(v, "views_30d", arena_printf(r->a, "%lld view%s", (long long)f->views_30d,
                                         f->views_30d == 1 ? "" : "s"));
    tv_bool(v, "may_manage", may_manage(r, p->id));
    tv_list(v, "owners");
    int live = 0;
    for (struct owner *o = f->owners; o; o = o->next) {
        struct tvars *i = tv_item(v, "owners");
        tv_text(i, "login", o->login);
        tv_text(i, "name", o->name);
        tv_bool(i, "gone", o->disabled);
        live += !o->disabled;
    }
    tv_bool(v, "ownerless", live == 0);
}

void freshness_home_vars(struct req *r, struct tvars *v)
{
    tv_list(v, "my_stale");
    if (!r->user)
        return;
    int64_t now = (int64_t)time(NULL);
    struct stale_item *mine = freshness_stale_for_owner(r->db, r->a, r->user->id, now, 20);
    tv_bool(v, "has_stale", mine != NULL);
    for (struct stale_item *s = mine; s; s = s->next) {
        struct tvars *i = tv_item(v, "my_stale");
        tv_text(i, "path", s->path);
        tv_text(i, "title", s->title);
        tv_text(i, "checked", age(r->a, now - s->checked_at));
    }
}

/* Loads the live page at r->rest for a change by its owners or an admin; or answers itself. */
static struct page *managed_page(struct req *r, int *sent)
{
    struct page *p = wiki_http_load_page(r, r->rest, WIKI_HTTP_MISSING, sent);
    if (p && !may_manage(r, p->id))
        *sent = resp_error(r, 403, "only the page's owners and admins may do this");
    return *sent ? NULL : p;
}

/* WEBPAGE: POST /verify/PATH (csrf) -> 303 to the page, verified now by the user (owners, admins) */
int freshness_verify_post(struct req *r)
{
    int sent;
    struct page *p = managed_page(r, &sent);
    if (!p)
        return sent;
    if (freshness_verify(r->db, p->id, r->user->id) != 0)
        return resp_error(r, 503, "the verification could not be saved; try again");
    return resp_redirect(r, url_page(r->a, p->path));
}

/* WEBPAGE: POST /owners/PATH (login, action=add|remove, csrf) -> 303 to the page; 404 no such
 * person; 409 removing the last owner */
int freshness_owners_post(struct req *r)
{
    int sent;
    struct page *p = managed_page(r, &sent);
    if (!p)
        return sent;
    const char *login = req_param(r, "login"), *action = req_param(r, "action");
    int add = action && strcmp(action, "add") == 0;
    if (!login || !*login || !action || (!add && strcmp(action, "remove") != 0))
        return resp_error(r, 400, "send login and action=add or action=remove");
    int rc = freshness_set_owner(r->db, p->id, login, add);
    if (rc == 404)
        return resp_error(r, 404, arena_printf(r->a, "nobody has the login %s", login));
    if (rc == 409)
        return resp_error(r, 409, "a page keeps at least one owner; add the new owner first");
    if (rc)
        return resp_error(r, 503, "the owners could not be saved; try again");
    return resp_redirect(r, url_page(r->a, p->path));
}

static int days_param(struct req *r, int *days)
{
    const char *s = req_param(r, "days");
    char *end;
    long d = s ? strtol(s, &end, 10) : -1;
    if (!s || *end || d < 0 || d > 3650)
        return -1;
    *days = (int)d;
    return 0;
}

/* WEBPAGE: POST /review/PATH (days: 1-3650, or 0 to follow the space; csrf) -> 303 to the page */
int freshness_review_post(struct req *r)
{
    int sent, days;
    struct page *p = managed_page(r, &sent);
    if (!p)
        return sent;
    if (days_param(r, &days) != 0)
        return resp_error(r, 400, "days must be a whole number from 0 (the space's interval) to 3650");
    if (freshness_set_page_review(r->db, p->id, days) != 0)
        return resp_error(r, 503, "the review interval could not be saved; try again");
    return resp_redirect(r, url_page(r->a, p->path));
}

/* WEBPAGE: POST /space-review (space, days 1-3650, csrf) -> 303 to the space's report (admins) */
int freshness_space_review_post(struct req *r)
{
    const char *space = req_param(r, "space");
    int days;
    if (!space || wikipath_check(space) || strchr(space, '/'))
        return resp_error(r, 400, "space must be a space name such as engineering");
    if (days_param(r, &days) != 0 || days < 1)
        return resp_error(r, 400, "days must be a whole number from 1 to 3650");
    if (freshness_set_space_review(r->db, space, days) != 0)
        return resp_error(r, 503, "the review interval could not be saved; try again");
    return resp_redirect(r, arena_printf(r->a, "/health?space=%s", space));
}

/* WEBPAGE: GET /health?space=S -> 200 stale and ownerless pages, most viewed first */
int freshness_report_page(struct req *r)
{
    const char *space = req_param(r, "space");
    if (space && *space && (wikipath_check(space) || strchr(space, '/')))
        return resp_error(r, 400, "space must be a space name such as engineering");
    int64_t now = (int64_t)time(NULL);
    struct tvars *v = layout_vars(r);
    tv_text(v, "space", space ? space : "");
    tv_int(v, "space_review_days", space && *space ? freshness_space_review(r->db, space)
                                                   : REVIEW_DAYS_DEFAULT);
    tv_list(v, "rows");
    int n = 0;
    for (struct stale_item *s = freshness_report(r->db, r->a, space, now, 500); s; s = s->next, n++) {
        struct tvars *i = tv_item(v, "rows");
        tv_text(i, "path", s->path);
        tv_text(i, "title", s->title);
        tv_text(i, "owners", *s->owners ? s->owners : "nobody");
        tv_text(i, "checked", age(r->a, now - s->checked_at));
        tv_bool(i, "overdue", s->due_at < now);
        tv_bool(i, "ownerless", s->ownerless);
        tv_int(i, "views", s->views_30d);
    }
    tv_int(v, "count", n);
    return layout_page(r, 200, "Page health", "health", v);
}

int freshness_api_verify(struct req *r)
{
    const char *path = r->rest;
    struct page *p = wikipath_check(path) ? NULL : page_store_get(r->db, r->a, path);
    if (!p)
        return resp_error(r, 404, "there is no page at this path");
    if (!may_manage(r, p->id))
        return resp_error(r, 403, "only the page's owners and admins may verify it");
    if (freshness_verify(r->db, p->id, r->user->id) != 0)
        return resp_error(r, 503, "the verification could not be saved; try again");
    return resp_json(r, 200, json_pack("{s:s, s:s}", "path", p->path, "verified_by",
                                       r->user->login));
}
