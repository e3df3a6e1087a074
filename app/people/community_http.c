#include "people/community_http.h"
#include "markup/url.h"
#include "people/community_store.h"
#include "http/layout.h"
#include "wiki/page_store.h"

#include <string.h>
#include <time.h>

enum { COMMUNITY_PAGES_SHOWN = 10 };

/* Owners manage their community; admins manage every one. */
static int may_manage(const struct req *r, const struct community *c)
{
    return c->role == COMMUNITY_OWNER || user_is_admin(r->user);
}

/* Returns the community named by r->rest for the signed-in reader, or NULL after answering 404. */
static struct community *find(struct req *r, int *sent)
{
    const char *slug = r->rest;
    struct community *c = *slug ? community_store_get(r->db, r->a, slug, r->user->id) : NULL;
    if (!c)
        *sent = resp_error(r, 404, arena_printf(r->a, "there is no community at /communities/%s "
                                                      "(see /communities)", slug));
    return c;
}

static const char *role_label(enum community_role role)
{
    return role == COMMUNITY_OWNER     ? "Owner"
           : role == COMMUNITY_MEMBER  ? "Member"
           : role == COMMUNITY_PENDING ? "Asked to join"
                                       : "";
}

/* ---- what joining, leaving and managing do (pages and API alike) ---- */

/* The reader joins c: at once when it is open, as a request for its owners when it is closed;
 * someone already in it or waiting stays as they are. Returns 0 with *role, or a status. */
static int do_join(struct req *r, const struct community *c, enum community_role *role,
                   const char **why)
{
    *role = c->role;
    if (c->role >= COMMUNITY_PENDING)
        return 0;
    *role = c->open ? COMMUNITY_MEMBER : COMMUNITY_PENDING;
    return community_store_set_role(r->db, r->a, c->id, r->user->id, *role, why);
}

/* The reader leaves c (or withdraws their request); the last owner may not. */
static int do_leave(struct req *r, const struct community *c, const char **why)
{
    return community_store_set_role(r->db, r->a, c->id, r->user->id, COMMUNITY_NONE, why);
}

/* An owner's (or an admin's) change to person `login`'s place in c. `action`: approve or reject
 * a request; add as a member; make owner; make member (an owner steps down); remove. Returns 0
 * with *role (their role now), or a status with *why. */
static int do_member(struct req *r, const struct community *c, const char *login,
                     const char *action, enum community_role *role, const char **why)
{
    if (!may_manage(r, c)) {
        *why = "only the community's owners (and admins) manage its members";
        return 403;
    }
    if (!login || !*login || !action) {
        *why = "say who (login) and what to do (action: approve, reject, add, owner, member or "
               "remove)";
        return 400;
    }
    struct user *u = user_login_check(login) ? NULL : user_store_by_login(r->db, r->a, login);
    if (!u) {
        *why = arena_printf(r->a, "nobody who can sign in has the login %s", login);
        return 404;
    }
    enum community_role was = community_store_role(r->db, c->id, u->id);
    if ((strcmp(action, "approve") == 0 || strcmp(action, "reject") == 0) &&
        was != COMMUNITY_PENDING) {
        *why = arena_printf(r->a, "%s has not asked to join %s", u->name, c->name);
        return 409;
    }
    if (strcmp(action, "approve") == 0 || strcmp(action, "member") == 0)
        *role = COMMUNITY_MEMBER;
    else if (strcmp(action, "add") == 0)
        *role = was >= COMMUNITY_MEMBER ? was : COMMUNITY_MEMBER;
    else if (strcmp(action, "owner") == 0)
        *role = COMMUNITY_OWNER;
    else if (strcmp(action, "reject") == 0 || strcmp(action, "remove") == 0)
        *role = COMMUNITY_NONE;
    else {
        *why = "action is approve, reject, add, owner, member or remove";
        return 400;
    }
    return community_store_set_role(r->db, r->a, c->id, u->id, *role, why);
}

/* ---- pages ---- */

static void index_vars(struct req *r, struct tvars *v)
{
    tv_list(v, "communities");
    for (struct community *c = community_store_list(r->db, r->a, r->user->id); c; c = c->next) {
        struct tvars *i = tv_item(v, "communities");
        tv_text(i, "slug", c->slug);
        tv_text(i, "name", c->name);
        tv_text(i, "description", c->description);
        tv_int(i, "members", c->members);
        tv_bool(i, "open", c->open);
        tv_text(i, "role_label", role_label(c->role));
    }
    tv_bool(v, "may_create", r->user->role >= ROLE_EDITOR);
}

/* WEBPAGE: GET /communities -> 200 every community with its member count, whether it is open,
 * the reader's place in it, and (editors) the form to start one */
int community_index(struct req *r)
{
    struct tvars *v = layout_vars(r);
    index_vars(r, v);
    tv_text(v, "error", "");
    tv_text(v, "name_value", "");
    tv_text(v, "description_value", "");
    tv_bool(v, "open_checked", 1);
    return layout_page(r, 200, "Communities", "communities", v);
}

/* WEBPAGE: POST /communities (csrf, name, description, open=1; editors) -> 303 to the new
 * community, whose owner its maker is; 400 the form again with what is wrong; 409 the name is
 * taken */
int community_create(struct req *r)
{
    const char *name = req_param(r, "name"), *description = req_param(r, "description");
    const char *open = req_param(r, "open"), *slug = NULL, *why = NULL;
    int rc = community_store_create(r->db, r->a, name, description, open && strcmp(open, "1") == 0,
                                    r->user->id, &slug, &why);
    if (rc == 0)
        return resp_redirect(r, url_community(r->a, slug));
    if (rc != 400 && rc != 409)
        return resp_error(r, rc, why);
    struct tvars *v = layout_vars(r);
    index_vars(r, v);
    tv_text(v, "error", why);
    tv_text(v, "name_value", name);
    tv_text(v, "description_value", description);
    tv_bool(v, "open_checked", open && strcmp(open, "1") == 0);
    return layout_page(r, rc, "Communities", "communities", v);
}

static void member_items(struct req *r, struct tvars *v, const struct community *c)
{
    int manage = may_manage(r, c), pending = 0;
    tv_list(v, "owners");
    tv_list(v, "members");
    tv_list(v, "pending");
    for (struct community_member *m = community_store_members(r->db, r->a, c->id); m;
         m = m->next) {
        if (m->role == COMMUNITY_PENDING && !manage)
            continue; /* who asked to join is the owners' business */
        const char *list = m->role == COMMUNITY_OWNER    ? "owners"
                           : m->role == COMMUNITY_MEMBER ? "members"
                                                         : "pending";
        pending += m->role == COMMUNITY_PENDING;
        struct tvars *i = tv_item(v, list);
        tv_text(i, "plogin", m->login);
        tv_text(i, "pname", m->name);
        tv_text(i, "ptitle", m->title);
        tv_text(i, "since", layout_iso_day(r->a, m->joined_at));
        tv_bool(i, "is_me", m->user_id == r->user->id);
    }
    tv_bool(v, "has_pending", pending > 0);
    tv_int(v, "pending_count", pending);
}

/* WEBPAGE: GET /communities/SLUG -> 200 the community: description, owners, members, its pages
 * (the wiki space SLUG) with "New page in this community", join or leave; for its owners and
 * admins also the requests to approve and the forms to manage members and the description; 404 */
static int community_page(struct req *r, struct community *c)
{
    struct tvars *v = layout_vars(r);
    tv_text(v, "slug", c->slug);
    tv_text(v, "name", c->name);
    tv_text(v, "description", c->description);
    tv_bool(v, "open", c->open);
    tv_int(v, "member_count", c->members);
    tv_bool(v, "is_owner", c->role == COMMUNITY_OWNER);
    tv_bool(v, "is_member", c->role >= COMMUNITY_MEMBER);
    tv_bool(v, "is_pending", c->role == COMMUNITY_PENDING);
    tv_bool(v, "may_join", c->role == COMMUNITY_NONE);
    tv_bool(v, "may_manage", may_manage(r, c));
    member_items(r, v, c);
    int count = 0;
    struct page_item *pages =
        page_store_list(r->db, r->a, c->slug, NULL, 1, COMMUNITY_PAGES_SHOWN, &count);
    layout_page_items(v, r->a, "pages", pages);
    tv_bool(v, "has_pages", pages != NULL);
    tv_text(v, "new_page", arena_printf(r->a, "/new?path=%s/", c->slug));
    return layout_page(r, 200, c->name, "community", v);
}

int community_get(struct req *r)
{
    int sent = 0;
    struct community *c = find(r, &sent);
    return c ? community_page(r, c) : sent;
}

/* WEBPAGE: POST /communities/SLUG/join (csrf) -> 303 back: a member of an open community, or a
 * request to join a closed one that its owners approve; 404
 * WEBPAGE: POST /communities/SLUG/leave (csrf) -> 303 back: left, or the request withdrawn; 409
 * the last owner
 * WEBPAGE: POST /communities/SLUG/members (csrf, login, action=approve|reject|add|owner|member|
 * remove; owners and admins) -> 303 back; 400; 403 not an owner; 404 no such person; 409 not a
 * request, or the last owner
 * WEBPAGE: POST /communities/SLUG/edit (csrf, description, open=1; owners and admins) -> 303
 * back; 400; 403 */
enum change { JOIN, LEAVE, MEMBERS, EDIT };

static int form_post(struct req *r, enum change what)
{
    const char *why = NULL;
    int sent = 0, rc;
    struct community *c = find(r, &sent);
    if (!c)
        return sent;
    enum community_role role;
    if (what == JOIN) {
        rc = do_join(r, c, &role, &why);
    } else if (what == LEAVE) {
        rc = do_leave(r, c, &why);
    } else if (what == MEMBERS) {
        rc = do_member(r, c, req_param(r, "login"), req_param(r, "action"), &role, &why);
    } else {
        const char *open = req_param(r, "open");
        if (!may_manage(r, c)) {
            rc = 403;
            why = "only the community's owners (and admins) change it";
        } else {
            rc = community_store_update(r->db, r->a, c->id, req_param(r, "description"),
                                        open && strcmp(open, "1") == 0, &why);
        }
    }
    if (rc)
        return resp_error(r, rc, why);
    return resp_redirect(r, url_community(r->a, c->slug));
}

int community_join_post(struct req *r) { return form_post(r, JOIN); }
int community_leave_post(struct req *r) { return form_post(r, LEAVE); }
int community_members_post(struct req *r) { return form_post(r, MEMBERS); }
int community_edit_post(struct req *r) { return form_post(r, EDIT); }

/* ---- JSON ---- */

static json_t *community_json(struct req *r, const struct community *c)
{
    const char *role = community_role_name(c->role);
    json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:i, s:s, s:s, s:s, s:o}", "slug", c->slug, "name",
                          c->name, "description", c->description, "open", c->open,
                          "member_count", c->members, "url",
                          url_community(r->a, c->slug), "space_url",
                          arena_printf(r->a, "/spaces/%s", c->slug), "new_page_url",
                          arena_printf(r->a, "/new?path=%s/", c->slug), "your_role",
                          role ? json_string(role) : json_null());
    if (may_manage(r, c))
        json_object_set_new(o, "pending_count", json_integer(c->pending));
    return o;
}

/* API: GET /api/communities -> 200 {communities: [{slug, name, description, open, member_count,
 * url, space_url, new_page_url, your_role: owner|member|pending|null}]}, by name */
int community_api_list(struct req *r)
{
    json_t *list = json_array();
    for (struct community *c = community_store_list(r->db, r->a, r->user->id); c; c = c->next)
        json_array_append_new(list, community_json(r, c));
    return resp_json(r, 200, json_pack("{s:o}", "communities", list));
}

/* API: GET /api/communities/SLUG -> 200 the community as listed, with members: [{login, name,
 * title, role, joined_at, url}] (owners first; pending requests only for its owners and admins);
 * 404 */
static int api_one(struct req *r, const struct community *c, int status)
{
    json_t *o = community_json(r, c), *members = json_array();
    int manage = may_manage(r, c);
    for (struct community_member *m = community_store_members(r->db, r->a, c->id); m;
         m = m->next) {
        if (m->role == COMMUNITY_PENDING && !manage)
            continue;
        json_array_append_new(
            members, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "login", m->login, "name",
                               m->name, "title", m->title, "role", community_role_name(m->role),
                               "joined_at", layout_iso_time(r->a, m->joined_at), "url",
                               url_person(r->a, m->login)));
    }
    json_object_set_new(o, "members", members);
    return resp_json(r, status, o);
}

int community_api_get(struct req *r)
{
    int sent = 0;
    struct community *c = find(r, &sent);
    return c ? api_one(r, c, 200) : sent;
}

/* Returns the string member `key` of JSON object in, or NULL. */
static const char *json_text(struct req *r, json_t *in, const char *key)
{
    const char *s = json_string_value(json_object_get(in, key));
    return s ? arena_strdup(r->a, s) : NULL;
}

/* API: POST /api/communities {name, description?, open?: true} (editors) -> 201 the new
 * community as GET gives it, its maker its owner; 400; 409 the name is taken */
int community_api_create(struct req *r)
{
    const char *why = NULL, *slug = NULL;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    json_t *open = json_object_get(in, "open");
    const char *name = json_text(r, in, "name"), *description = json_text(r, in, "description");
    int is_open = !open || json_is_true(open);
    json_decref(in);
    int rc = community_store_create(r->db, r->a, name, description, is_open, r->user->id, &slug,
                                    &why);
    if (rc)
        return resp_error(r, rc, why);
    return api_one(r, community_store_get(r->db, r->a, slug, r->user->id), 201);
}

/* API: POST /api/communities/SLUG/join -> 200 {slug, role: member|pending}: joined an open
 * community, or asked to join a closed one; 404
 * API: POST /api/communities/SLUG/leave -> 200 {slug, role: null}; 409 the last owner
 * API: POST /api/communities/SLUG/members {login, action: approve|reject|add|owner|member|remove}
 * (owners and admins) -> 200 {slug, login, role}; 400; 403; 404; 409 */
static int api_post(struct req *r, enum change what)
{
    const char *why = NULL, *login = NULL;
    int sent = 0, rc;
    struct community *c = find(r, &sent);
    if (!c)
        return sent;
    enum community_role role = COMMUNITY_NONE;
    if (what == JOIN) {
        rc = do_join(r, c, &role, &why);
    } else if (what == LEAVE) {
        rc = do_leave(r, c, &why);
    } else {
        json_t *in = req_json(r, &why);
        if (!in)
            return resp_error(r, 400, why);
        login = json_text(r, in, "login");
        const char *action = json_text(r, in, "action");
        json_decref(in);
        rc = do_member(r, c, login, action, &role, &why);
    }
    if (rc)
        return resp_error(r, rc, why);
    const char *name = community_role_name(role);
    json_t *o = json_pack("{s:s, s:o}", "slug", c->slug, "role",
                          name ? json_string(name) : json_null());
    if (login)
        json_object_set_new(o, "login", json_string(login));
    return resp_json(r, 200, o);
}

int community_api_join(struct req *r) { return api_post(r, JOIN); }
int community_api_leave(struct req *r) { return api_post(r, LEAVE); }
int community_api_members(struct req *r) { return api_post(r, MEMBERS); }

/* ---- the profile partial ---- */

void community_profile_vars(struct req *r, struct tvars *v, int64_t user_id)
{
    struct community *list = community_store_of_person(r->db, r->a, user_id);
    tv_list(v, "communities");
    tv_bool(v, "has_communities", list != NULL);
    for (struct community *c = list; c; c = c->next) {
        struct tvars *i = tv_item(v, "communities");
        tv_text(i, "cslug", c->slug);
        tv_text(i, "cname", c->name);
        tv_bool(i, "cowner", c->role == COMMUNITY_OWNER);
    }
}
