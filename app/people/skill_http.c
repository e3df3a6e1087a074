#include "people/skill_http.h"
#include "markup/url.h"
#include "markup/html.h"
#include "http/layout.h"
#include "wiki/page_store.h"
#include "people/people_perm.h"
#include "people/skill_store.h"

#include <stdlib.h>
#include <string.h>

static const char *const LEVEL_LABELS[] = {"", "Learning", "Practised", "Expert"};

static const char *years_label(struct arena *a, int years)
{
    if (years < 0)
        return "";
    if (years == 0)
        return "less than a year";
    return arena_printf(a, "%d year%s", years, years == 1 ? "" : "s");
}

static const char *endorsements_label(struct arena *a, int n)
{
    if (n == 0)
        return "no endorsements yet";
    return arena_printf(a, "%d endorsement%s", n, n == 1 ? "" : "s");
}

/* Returns the skill `text` names: a slug first, then a name or alias (normalised). */
static struct skill *find_skill(struct req *r, const char *text)
{
    struct skill *s = text && *text ? skill_store_get(r->db, r->a, text) : NULL;
    return s ? s : skill_store_resolve(r->db, r->a, text);
}

/* Returns the enabled user `login`, or NULL after answering 400/404. */
static struct user *find_person(struct req *r, const char *login, int *status)
{
    const char *why = user_login_check(login);
    if (why) {
        *status = resp_error(r, 404, arena_printf(r->a, "there is no one with that login: %s",
                                                  why));
        return NULL;
    }
    struct user *u = user_store_by_login(r->db, r->a, login);
    if (!u)
        *status = resp_error(r, 404, arena_printf(r->a, "there is no one with the login %s",
                                                  login));
    return u;
}

/* Returns 1 when the viewer may change `subject`'s skills; else 0 after answering 403. */
static int may_edit(struct req *r, const struct user *subject, int *status)
{
    if (people_may_edit(r->user, subject->id))
        return 1;
    *status = resp_error(r, 403, arena_printf(r->a, "only %s, HR and admins may change %s's skills",
                                              subject->name, subject->name));
    return 0;
}

/* Returns years from a form or query value: -1 when empty, -2 when not 0..60. */
static int parse_years(const char *s)
{
    if (!s || !*s)
        return -1;
    char *end;
    long n = strtol(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || n < 0 || n > SKILL_YEARS_MAX)
        return -2;
    return (int)n;
}


/* ---- the profile partial and page tags ---- */

void skill_profile_vars(struct req *r, struct tvars *v, int64_t user_id, const char *login,
                        const char *name)
{
    int self = r->user && r->user->id == user_id;
    tv_text(v, "skills_login", login);
    tv_text(v, "skills_person", name);
    tv_bool(v, "skills_may_edit", people_may_edit(r->user, user_id));
    tv_bool(v, "skills_may_endorse", r->user && !self);
    tv_bool(v, "skills_self", self);
    tv_list(v, "skills_levels");
    struct person_skill *list = skill_store_person_skills(r->db, r->a, user_id,
                                                          r->user ? r->user->id : 0);
    tv_bool(v, "skills_any", list != NULL);
    struct tvars *level = NULL;
    int current = 0;
    for (struct person_skill *p = list; p; p = p->next) {
        if (p->level != current || !level) {
            current = p->level;
            level = tv_item(v, "skills_levels");
            tv_text(level, "label", LEVEL_LABELS[current]);
            tv_text(level, "level", skill_level_name(current));
            tv_list(level, "skills");
        }
        struct tvars *s = tv_item(level, "skills");
        tv_text(s, "name", p->name);
        tv_text(s, "slug", p->slug);
        tv_text(s, "years", years_label(r->a, p->years));
        tv_int(s, "count", p->endorsements);
        tv_text(s, "count_label", endorsements_label(r->a, p->endorsements));
        tv_bool(s, "endorsed", p->endorsed_by_viewer);
        tv_bool(s, "has_endorsers", p->endorsers != NULL);
        tv_list(s, "endorsers");
        for (struct skill_endorser *e = p->endorsers; e; e = e->next) {
            struct tvars *ei = tv_item(s, "endorsers");
            tv_text(ei, "login", e->login);
            tv_text(ei, "name", e->name);
            tv_bool(ei, "last", e->next == NULL);
        }
    }
    /* After a form was sent: what happened, said once (see skill_people_skills_post). */
    const char *added = req_param(r, "skill_added"), *removed = req_param(r, "skill_removed");
    struct skill *s = added ? skill_store_get(r->db, r->a, added)
                      : removed ? skill_store_get(r->db, r->a, removed)
                                : NULL;
    const char *notice = "";
    if (s && added && req_param(r, "skill_new"))
        notice = arena_printf(r->a, "Added %s. It is new to ken, so an admin will review it; "
                                    "until then it is listed as typed.", s->name);
    else if (s && added)
        notice = arena_printf(r->a, "Saved %s.", s->name);
    else if (s)
        notice = arena_printf(r->a, "Removed %s.", s->name);
    tv_text(v, "skills_notice", notice);
}

void skill_tag_list(struct req *r, struct tvars *v, const char *list, const char *tags)
{
    enum { TAGS_MAX = 64 };
    const char *each[TAGS_MAX] = {0};
    int n = 0;
    for (const char *p = tags ? tags : ""; *p && n < TAGS_MAX;) {
        size_t len = strcspn(p, PAGE_TAGS_SEP);
        if (len)
            each[n++] = arena_strndup(r->a, p, len);
        p += len + (p[len] != 0);
    }
    const char **slugs = skill_store_tag_slugs(r->db, r->a, each, n);
    tv_list(v, list);
    for (int i = 0; i < n; i++) {
        struct tvars *t = tv_item(v, list);
        tv_text(t, "tag", each[i]);
        tv_text(t, "tag_q", layout_url_query(r->a, each[i]));
        if (slugs[i])
            tv_text(t, "tag_skill", slugs[i]);
    }
}

/* ---- HTML pages ---- */

/* Adds the skill-name and category lists the admin forms offer as suggestions. */
static void add_choices(struct tvars *v, const struct skill *all)
{
    tv_list(v, "all_names");
    tv_list(v, "all_categories");
    const char *last = NULL;
    for (const struct skill *s = all; s; s = s->next) {
        tv_text(tv_item(v, "all_names"), "name", s->name);
        if (*s->category && (!last || strcmp(last, s->category) != 0))
            tv_text(tv_item(v, "all_categories"), "name", s->category);
        last = s->category;
    }
}

static const char *aliases_text(struct arena *a, const struct skill_name *n)
{
    struct buf b;
    buf_init(&b, 0);
    for (; n; n = n->next)
        buf_printf(&b, "%s%s", b.len ? ", " : "", n->text);
    return arena_adopt(a, buf_take(&b));
}

/* WEBPAGE: GET /skills -> 200 every skill by category with the number of people who have it;
 * admins also get the skills to review and a form to add one */
int skill_index(struct req *r)
{
    struct tvars *v = layout_vars(r);
    struct skill *all = skill_store_list(r->db, r->a);
    tv_list(v, "categories");
    tv_list(v, "review");
    struct tvars *cat = NULL;
    const char *current = NULL;
    int skills = 0, categories = 0, review = 0;
    for (struct skill *s = all; s; s = s->next) {
        if (!cat || strcmp(current, s->category) != 0) {
            current = s->category;
            cat = tv_item(v, "categories");
            tv_text(cat, "category", *s->category ? s->category : "Uncategorised");
            tv_text(cat, "anchor", arena_printf(r->a, "cat-%s", skill_slug(r->a, *s->category
                                                                                ? s->category
                                                                                : "none")));
            tv_list(cat, "skills");
            categories++;
        }
        struct tvars *i = tv_item(cat, "skills");
        tv_text(i, "name", s->name);
        tv_text(i, "slug", s->slug);
        tv_text(i, "aliases", aliases_text(r->a, s->aliases));
        tv_int(i, "people", s->people);
        tv_bool(i, "reviewed", s->reviewed);
        skills++;
        if (!s->reviewed) {
            struct tvars *w = tv_item(v, "review");
            tv_text(w, "name", s->name);
            tv_text(w, "slug", s->slug);
            tv_int(w, "people", s->people);
            review++;
        }
    }
    tv_int(v, "skill_count", skills);
    tv_int(v, "category_count", categories);
    tv_int(v, "review_count", review);
    tv_bool(v, "has_review", review > 0);
    add_choices(v, all);
    return layout_page(r, 200, "Skills", "skills", v);
}

/* WEBPAGE: POST /skills (name, category, csrf; admins) -> 303 to the new skill's page; 400 bad
 * name or category; 409 the name is taken by a skill or an alias */
int skill_create(struct req *r)
{
    const char *why = NULL;
    int status;
    int64_t id = skill_store_add(r->db, r->a, req_param(r, "name"), req_param(r, "category"), 1,
                                 &status, &why);
    if (id < 0)
        return resp_error(r, status, why);
    struct skill *s = skill_store_resolve(r->db, r->a, req_param(r, "name"));
    return resp_redirect(r, url_skill(r->a, s ? s->slug : ""));
}

/* Adds to v the people who have skill s, by level and then department. */
static void add_holders(struct req *r, struct tvars *v, const struct skill *s)
{
    struct skill_holder *all = skill_store_holders(r->db, r->a, s->id);
    int any_department = 0, people = 0, level_no = 0, level_count = 0;
    for (struct skill_holder *h = all; h; h = h->next)
        any_department |= *h->department != 0;
    tv_list(v, "levels");
    struct tvars *level = NULL, *group = NULL;
    const char *dept_now = "";
    for (struct skill_holder *h = all; h; h = h->next) {
        if (!level || h->level != level_no) {
            if (level)
                tv_int(level, "count", level_count);
            level_no = h->level;
            level_count = 0;
            level = tv_item(v, "levels");
            tv_text(level, "label", LEVEL_LABELS[level_no]);
            tv_text(level, "level", skill_level_name(level_no));
            tv_list(level, "groups");
            group = NULL;
        }
        const char *dept = *h->department ? h->department : any_department ? "No department" : "";
        if (!group || strcmp(dept, dept_now) != 0) {
            group = tv_item(level, "groups");
            tv_text(group, "department", dept);
            tv_list(group, "people");
            dept_now = dept;
        }
        struct tvars *p = tv_item(group, "people");
        tv_text(p, "login", h->login);
        tv_text(p, "name", h->name);
        tv_text(p, "years", years_label(r->a, h->years));
        tv_int(p, "endorsements", h->endorsements);
        tv_text(p, "endorsements_label", endorsements_label(r->a, h->endorsements));
        level_count++;
        people++;
    }
    if (level)
        tv_int(level, "count", level_count);
    tv_int(v, "people_count", people);
    tv_text(v, "people_label", people == 0   ? "nobody yet"
                               : people == 1 ? "1 person"
                                             : arena_printf(r->a, "%d people", people));
}

/* WEBPAGE: GET /skills/SLUG -> 200 the skill: its name, aliases and category, who has it by level
 * (and department), and the pages tagged with it; 303 to the skill's page when SLUG is another
 * name or an alias (/skills/k8s); 404 no such skill */
int skill_page(struct req *r)
{
    if (!*r->rest)
        return resp_redirect(r, "/skills");
    struct skill *s = skill_store_get(r->db, r->a, r->rest);
    if (!s) {
        struct skill *canon = skill_store_resolve(r->db, r->a, r->rest);
        if (canon)
            return resp_redirect(r, url_skill(r->a, canon->slug));
        return resp_error(r, 404, arena_printf(r->a, "there is no skill called “%s”; /skills "
                                                     "lists them all", r->rest));
    }
    struct tvars *v = layout_vars(r);
    struct tvars *c = tv_item(v, "crumbs");
    tv_text(c, "href", "/skills");
    tv_text(c, "label", "Skills");
    tv_text(v, "skill_name", s->name);
    tv_text(v, "skill_slug", s->slug);
    tv_text(v, "skill_category", s->category);
    tv_bool(v, "skill_reviewed", s->reviewed);
    tv_list(v, "aliases");
    for (struct skill_name *n = s->aliases; n; n = n->next)
        tv_text(tv_item(v, "aliases"), "alias", n->text);
    tv_bool(v, "has_aliases", s->aliases != NULL);
    add_holders(r, v, s);
    struct page_item *pages = skill_store_pages(r->db, r->a, s->id);
    layout_page_items(v, r->a, "pages", pages);
    tv_bool(v, "has_pages", pages != NULL);
    if (r->user && r->user->role == ROLE_ADMIN)
        add_choices(v, skill_store_list(r->db, r->a));
    return layout_page(r, 200, s->name, "skill", v);
}

/* WEBPAGE: POST /skills/SLUG (csrf; admins) with action=rename (name), category (category),
 * alias_add (alias), alias_remove (alias), review (on=1|0) or merge (into: a skill name, alias or
 * slug), and back=/skills to return to the list -> 303 to the skill's page (after a merge, the
 * surviving skill's); 400 bad input; 404 no such skill; 409 a name another skill has */
int skill_admin_post(struct req *r)
{
    struct skill *s = skill_store_get(r->db, r->a, r->rest);
    if (!s)
        return resp_error(r, 404, arena_printf(r->a, "there is no skill at /skills/%s", r->rest));
    const char *action = req_param(r, "action"), *why = NULL, *slug = s->slug;
    action = action ? action : "";
    int rc;
    if (strcmp(action, "rename") == 0) {
        rc = skill_store_rename(r->db, r->a, s->id, req_param(r, "name"), &why);
        struct skill *n = rc ? NULL : skill_store_resolve(r->db, r->a, req_param(r, "name"));
        slug = n ? n->slug : slug;
    } else if (strcmp(action, "category") == 0) {
        rc = skill_store_set_category(r->db, r->a, s->id, req_param(r, "category"), &why);
    } else if (strcmp(action, "alias_add") == 0) {
        rc = skill_store_alias_add(r->db, r->a, s->id, req_param(r, "alias"), &why);
    } else if (strcmp(action, "alias_remove") == 0) {
        rc = skill_store_alias_remove(r->db, r->a, s->id, req_param(r, "alias"), &why);
    } else if (strcmp(action, "review") == 0) {
        const char *on = req_param(r, "on");
        if (!on || (strcmp(on, "1") != 0 && strcmp(on, "0") != 0))
            return resp_error(r, 400, "on must be 1 (reviewed) or 0 (to review)");
        rc = skill_store_set_reviewed(r->db, s->id, on[0] == '1', &why);
    } else if (strcmp(action, "merge") == 0) {
        const char *name = req_param(r, "into");
        struct skill *into = find_skill(r, name);
        if (!into)
            return resp_error(r, 404, arena_printf(r->a, "there is no skill called “%s” to merge "
                                                         "%s into", name ? name : "", s->name));
        rc = skill_store_merge(r->db, r->a, s->id, into->id, &why);
        slug = into->slug;
    } else {
        return resp_error(r, 400, "action must be rename, category, alias_add, alias_remove, "
                                  "review or merge");
    }
    if (rc)
        return resp_error(r, rc, why);
    const char *back = req_param(r, "back");
    if (back && strcmp(back, "/skills") == 0)
        return resp_redirect(r, "/skills");
    return resp_redirect(r, url_skill(r->a, slug));
}

/* The add/update and remove form of a profile's skills. */
static int skills_form(struct req *r, const struct user *u)
{
    int status;
    if (!may_edit(r, u, &status))
        return status;
    const char *action = req_param(r, "action"), *why = NULL;
    struct skill *s = NULL;
    if (action && strcmp(action, "remove") == 0) {
        int rc = skill_store_person_remove(r->db, r->a, u->id, req_param(r, "skill"), &s, &why);
        if (rc != 200)
            return resp_error(r, rc, why);
        return resp_redirect(r, arena_printf(r->a, "/people/%s?skill_removed=%s#skills", u->login,
                                             s->slug));
    }
    if (action && strcmp(action, "add") != 0)
        return resp_error(r, 400, "action must be add or remove");
    int level = skill_level_parse(req_param(r, "level"));
    int years = parse_years(req_param(r, "years"));
    if (years == -2)
        return resp_error(r, 400, "years must be a whole number from 0 to 60, or left empty");
    int created;
    int rc = skill_store_person_set(r->db, r->a, u->id, req_param(r, "skill"), level, years, &s,
                                    &created, &why);
    if (rc != 200 && rc != 201)
        return resp_error(r, rc, why);
    return resp_redirect(r, arena_printf(r->a, "/people/%s?skill_added=%s%s#skills", u->login,
                                         s->slug, created ? "&skill_new=1" : ""));
}

/* The Endorse / Withdraw button of a profile's skill. */
static int endorse_form(struct req *r, const struct user *u)
{
    const char *on = req_param(r, "on"), *why = NULL;
    if (!on || (strcmp(on, "1") != 0 && strcmp(on, "0") != 0))
        return resp_error(r, 400, "on must be 1 (endorse) or 0 (withdraw the endorsement)");
    struct skill *s;
    int count;
    int rc = skill_store_endorse(r->db, r->a, u->id, req_param(r, "skill"), r->user->id,
                                 on[0] == '1', &s, &count, &why);
    if (rc != 200)
        return resp_error(r, rc, why);
    return resp_redirect(r, arena_printf(r->a, "/people/%s#skills", u->login));
}

/* WEBPAGE: POST /people/LOGIN/skills (csrf; action=add with skill, level=learning|practised|expert,
 * years (optional, 0-60); or action=remove with skill) -> 303 to the profile; 400 bad level,
 * years or name; 403 not the person, HR or an admin; 404 no such person or skill.
 * WEBPAGE: POST /people/LOGIN/endorse (csrf; skill, on=1|0) -> 303 to the profile; 400 yourself,
 * or a skill the person has not declared; 404 no such person or skill. LOGIN is r->rest. */
static int for_person(struct req *r, int (*fn)(struct req *r, const struct user *u))
{
    int status;
    struct user *u = find_person(r, r->rest, &status);
    return u ? fn(r, u) : status;
}

int skill_people_skills_post(struct req *r) { return for_person(r, skills_form); }
int skill_people_endorse_post(struct req *r) { return for_person(r, endorse_form); }

/* ---- JSON API ---- */

static json_t *aliases_json(const struct skill_name *n)
{
    json_t *arr = json_array();
    for (; n; n = n->next)
        json_array_append_new(arr, json_string(n->text));
    return arr;
}

static json_t *skill_json(struct arena *a, const struct skill *s)
{
    return json_pack("{s:s, s:s, s:s, s:b, s:o, s:s}", "name", s->name, "slug", s->slug,
                     "category", s->category, "reviewed", s->reviewed, "aliases",
                     aliases_json(s->aliases), "url", url_skill(a, s->slug));
}

static json_t *years_json(int years)
{
    return years < 0 ? json_null() : json_integer(years);
}

/* API: GET /api/skills -> 200 {skills: [{name, slug, category, reviewed, aliases, url, people}],
 * categories: [{name, skills}]} by category ("" last), then name */
int skill_api_list(struct req *r)
{
    json_t *skills = json_array(), *cats = json_array(), *cat = NULL;
    for (struct skill *s = skill_store_list(r->db, r->a); s; s = s->next) {
        json_t *j = skill_json(r->a, s);
        json_object_set_new(j, "people", json_integer(s->people));
        json_array_append_new(skills, j);
        if (!cat || strcmp(json_string_value(json_object_get(cat, "name")), s->category) != 0) {
            cat = json_pack("{s:s, s:i}", "name", s->category, "skills", 0);
            json_array_append_new(cats, cat);
        }
        json_object_set_new(cat, "skills",
                            json_integer(json_integer_value(json_object_get(cat, "skills")) + 1));
    }
    return resp_json(r, 200, json_pack("{s:o, s:o}", "skills", skills, "categories", cats));
}

/* API: GET /api/skills/suggest?q=PREFIX -> 200 {query, skills: [{name, slug, category, reviewed,
 * alias}]}: at most 10 skills whose name or an alias starts with PREFIX (case-insensitive),
 * reviewed first; alias is the alias that matched, or null; 400 without q */
int skill_api_suggest(struct req *r)
{
    const char *q = req_param(r, "q");
    if (!q)
        return resp_error(r, 400, "send what was typed as ?q=");
    json_t *arr = json_array();
    for (struct skill *s = skill_store_suggest(r->db, r->a, q, SKILL_SUGGEST_MAX); s; s = s->next)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:o}", "name", s->name, "slug",
                                             s->slug, "category", s->category, "reviewed",
                                             s->reviewed, "alias",
                                             s->matched_alias ? json_string(s->matched_alias)
                                                              : json_null()));
    return resp_json(r, 200, json_pack("{s:s, s:o}", "query", q, "skills", arr));
}

/* API: GET /api/skills/SKILL -> 200 {name, slug, category, reviewed, aliases, url, people:
 * {expert, practised, learning: [{login, name, department, years, endorsements}]}, pages: [{path,
 * title}]}; SKILL is a slug, name or alias (k8s); 404 no such skill. See also suggest_api. */
int skill_api_get(struct req *r)
{
    struct skill *s = find_skill(r, r->rest);
    if (!s)
        return resp_error(r, 404, arena_printf(r->a, "there is no skill called “%s”", r->rest));
    if (!s->aliases)
        s = skill_store_get(r->db, r->a, s->slug);
    json_t *out = skill_json(r->a, s), *people = json_object();
    for (int l = SKILL_EXPERT; l >= SKILL_LEARNING; l--)
        json_object_set_new(people, skill_level_name(l), json_array());
    for (struct skill_holder *h = skill_store_holders(r->db, r->a, s->id); h; h = h->next)
        json_array_append_new(json_object_get(people, skill_level_name(h->level)),
                              json_pack("{s:s, s:s, s:s, s:o, s:i}", "login", h->login, "name",
                                        h->name, "department", h->department, "years",
                                        years_json(h->years), "endorsements", h->endorsements));
    json_t *pages = json_array();
    for (struct page_item *p = skill_store_pages(r->db, r->a, s->id); p; p = p->next)
        json_array_append_new(pages, json_pack("{s:s, s:s}", "path", p->path, "title", p->title));
    json_object_set_new(out, "people", people);
    json_object_set_new(out, "pages", pages);
    return resp_json(r, 200, out);
}

/* API: POST /api/skills/merge {from, into} (admins) -> 200 {merged: FROM's name, skill: INTO as
 * GET /api/skills lists it}: from's people, endorsements and aliases move to into and its name
 * becomes an alias; 400 bad input or the same skill twice; 404 no such skill */
int skill_api_merge(struct req *r)
{
    const char *why = NULL;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    json_t *jf = json_object_get(in, "from"), *ji = json_object_get(in, "into");
    const char *from = json_is_string(jf) ? arena_strdup(r->a, json_string_value(jf)) : NULL;
    const char *into = json_is_string(ji) ? arena_strdup(r->a, json_string_value(ji)) : NULL;
    json_decref(in);
    if (!from || !into)
        return resp_error(r, 400, "send {\"from\": \"skill to merge\", \"into\": \"skill that "
                                  "stays\"}");
    struct skill *f = find_skill(r, from), *t = find_skill(r, into);
    if (!f || !t)
        return resp_error(r, 404, arena_printf(r->a, "there is no skill called “%s”",
                                               f ? into : from));
    int rc = skill_store_merge(r->db, r->a, f->id, t->id, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, 200, json_pack("{s:s, s:o}", "merged", f->name, "skill",
                                       skill_json(r->a, skill_store_get(r->db, r->a, t->slug))));
}

/* Returns the person's declaration of skill_id as JSON, or null. */
static json_t *declaration_json(struct req *r, const struct user *u, const struct skill *s)
{
    for (struct person_skill *p = skill_store_person_skills(r->db, r->a, u->id, 0); p; p = p->next)
        if (p->skill_id == s->id)
            return json_pack("{s:s, s:s, s:o, s:i}", "login", u->login, "level",
                             skill_level_name(p->level), "years", years_json(p->years),
                             "endorsements", p->endorsements);
    return json_null();
}

/* POST /api/people/LOGIN/skills {skill, level, years}. */
static int declare_api(struct req *r, const struct user *u)
{
    int status;
    if (!may_edit(r, u, &status))
        return status;
    const char *why = NULL;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    json_t *js = json_object_get(in, "skill"), *jl = json_object_get(in, "level");
    json_t *jy = json_object_get(in, "years");
    const char *name = json_is_string(js) ? arena_strdup(r->a, json_string_value(js)) : NULL;
    int level = json_is_string(jl)    ? skill_level_parse(json_string_value(jl))
                : json_is_integer(jl) ? (int)json_integer_value(jl)
                                      : 0;
    int years = -1, bad_years = 0;
    if (json_is_integer(jy) && json_integer_value(jy) >= 0 &&
        json_integer_value(jy) <= SKILL_YEARS_MAX)
        years = (int)json_integer_value(jy);
    else if (jy && !json_is_null(jy))
        bad_years = 1;
    json_decref(in);
    if (!name)
        return resp_error(r, 400, "send {\"skill\": \"name\", \"level\": \"learning|practised|"
                                  "expert\", \"years\": N}");
    if (bad_years)
        return resp_error(r, 400, "years must be a whole number from 0 to 60, or null");
    struct skill *s;
    int created;
    int rc = skill_store_person_set(r->db, r->a, u->id, name, level, years, &s, &created, &why);
    if (rc != 200 && rc != 201)
        return resp_error(r, rc, why);
    s = skill_store_get(r->db, r->a, s->slug);
    json_t *out = declaration_json(r, u, s);
    json_object_set_new(out, "skill", skill_json(r->a, s));
    json_object_set_new(out, "created_skill", json_boolean(created));
    return resp_json(r, rc, out);
}

/* POST and DELETE /api/people/LOGIN/endorsements/SKILL. */
static int endorse_api(struct req *r, const struct user *u, const char *skill, int on)
{
    const char *why = NULL;
    struct skill *s;
    int count;
    int rc = skill_store_endorse(r->db, r->a, u->id, skill, r->user->id, on, &s, &count, &why);
    if (rc != 200)
        return resp_error(r, rc, why);
    return resp_json(r, 200, json_pack("{s:s, s:s, s:s, s:b, s:i}", "login", u->login, "skill",
                                       s->name, "slug", s->slug, "endorsed", on, "endorsements",
                                       count));
}

/* API: POST /api/people/LOGIN/skills {skill, level, years} -> 201 added, 200 updated: {login,
 * level, years, endorsements, skill, created_skill}; level is learning|practised|expert (or 1-3),
 * years 0-60 or null (left as it was); an unknown skill is created unreviewed; 400 bad input; 403
 * not the person, HR or an admin; 404 no such person.
 * API: POST /api/people/LOGIN/endorsements/SKILL -> 200 {login, skill, slug, endorsed: true,
 * endorsements}: counted once however often sent; 400 yourself, or a skill they did not declare;
 * 404 no such person or skill. LOGIN is r->rest, SKILL r->args[1]. */
static int endorse_on(struct req *r, const struct user *u) { return endorse_api(r, u, r->args[1], 1); }
static int endorse_off(struct req *r, const struct user *u) { return endorse_api(r, u, r->args[1], 0); }

/* API: DELETE /api/people/LOGIN/skills/SKILL -> 200 {login, removed, slug} (with its
 * endorsements); 403 not the person, HR or an admin; 404 no such person, skill or declaration.
 * API: DELETE /api/people/LOGIN/endorsements/SKILL -> 200 {login, skill, slug, endorsed: false,
 * endorsements}; 404 no such person or skill */
static int undeclare(struct req *r, const struct user *u)
{
    const char *why = NULL, *name = r->args[1];
    int status;
    if (!may_edit(r, u, &status))
        return status;
    struct skill *s = find_skill(r, name);
    if (!s)
        return resp_error(r, 404, arena_printf(r->a, "there is no skill called “%s”", name));
    int rc = skill_store_person_remove(r->db, r->a, u->id, s->name, &s, &why);
    if (rc != 200)
        return resp_error(r, rc, why);
    return resp_json(r, 200, json_pack("{s:s, s:s, s:s}", "login", u->login, "removed", s->name,
                                       "slug", s->slug));
}

int skill_api_declare(struct req *r) { return for_person(r, declare_api); }
int skill_api_endorse(struct req *r) { return for_person(r, endorse_on); }
int skill_api_unendorse(struct req *r) { return for_person(r, endorse_off); }
int skill_api_undeclare(struct req *r) { return for_person(r, undeclare); }
