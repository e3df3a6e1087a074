#include "accounts/group_http.h"
#include "accounts/audit_http.h"
#include "http/layout.h"

#include <stdlib.h>
#include <string.h>

static const char NO_GROUP[] = "there is no such group";

int group_http_add(struct req *r, const struct group *g, int64_t user_id, const char *via,
                   const char **why)
{
    int rc = group_store_add(r->rw, g->id, user_id);
    const char *login = group_store_login(r->rw, r->a, user_id);
    if (rc == 0)
        rc = audit_http_log(r, AUDIT_GROUP_ADD, g->name, arena_printf(r->a, "%s, %s", login, via));
    if (rc >= 0)
        return 0;
    *why = "the group could not be changed; try again";
    return 503;
}

int group_http_remove(struct req *r, const struct group *g, int64_t user_id, const char *via,
                      const char **why)
{
    const char *login = group_store_login(r->rw, r->a, user_id);
    int rc = group_store_remove(r->rw, g->id, user_id);
    if (rc == 0)
        rc = audit_http_log(r, AUDIT_GROUP_REMOVE, g->name,
                            arena_printf(r->a, "%s, %s", login ? login : "?", via));
    if (rc >= 0)
        return 0;
    *why = "the group could not be changed; try again";
    return 503;
}

int group_http_make(struct req *r, const char *name, const char *external_id, const char *via,
                    struct group **g, const char **why)
{
    if ((*why = group_name_check(name)))
        return 400;
    int64_t id = group_store_create(r->rw, name, external_id,
                                    strcmp(via, GROUP_VIA_SCIM) == 0 ? "scim" : "admin", why);
    if (id == 0)
        return 409;
    if (id < 0 || audit_http_log(r, AUDIT_GROUP_CREATE, name, via) != 0 ||
        !(*g = group_store_get(r->rw, r->a, id))) {
        *why = "the group could not be made; try again";
        return 503;
    }
    return 0;
}

int group_http_set_name(struct req *r, struct group *g, const char *name, const char *via,
                        const char **why)
{
    if ((*why = group_name_check(name)))
        return 400;
    if (strcmp(g->name, name) == 0)
        return 0;
    int rc = group_store_rename(r->rw, g->id, name, why);
    if (!rc && audit_http_log(r, AUDIT_GROUP_RENAME, g->name,
                              arena_printf(r->a, "to %s, %s", name, via))) {
        *why = "the group could not be renamed; try again";
        rc = 503;
    }
    if (!rc)
        g->name = arena_strdup(r->a, name);
    return rc;
}

int group_http_drop(struct req *r, const struct group *g, const char *via, const char **why)
{
    int rc = group_store_delete(r->rw, g->id);
    *why = rc == 404 ? NO_GROUP : "the group could not be deleted; try again";
    if (!rc && audit_http_log(r, AUDIT_GROUP_DELETE, g->name,
                              arena_printf(r->a, "had %d members, %s", g->members, via)) != 0)
        rc = 503;
    return rc;
}

/* Returns the group whose id is the decimal `s`, in r's arena, or NULL. */
static struct group *group_of(struct req *r, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (!n || n > 18 || strspn(s, "0123456789") != n)
        return NULL;
    return group_store_get(r->db, r->a, atoll(s));
}

/* ---- the admin's pages ---- */

int group_http_index(struct req *r)
{
    int total;
    struct tvars *v = layout_vars(r);
    tv_list(v, "groups");
    for (struct group *g = group_store_list(r->db, r->a, NULL, 0, 0, &total); g; g = g->next) {
        struct tvars *i = tv_item(v, "groups");
        tv_int(i, "id", g->id);
        tv_text(i, "gname", g->name);
        tv_int(i, "members", g->members);
        tv_bool(i, "from_scim", strcmp(g->source, "scim") == 0);
    }
    tv_int(v, "total", total);
    return layout_page(r, 200, "Groups", "groups", v);
}

int group_http_create(struct req *r)
{
    const char *why;
    struct group *g = NULL;
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = group_http_make(r, req_param(r, "name"), NULL, GROUP_VIA_ADMIN, &g, &why);
    rc = audit_http_finish(r, rc, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_redirect(r, arena_printf(r->a, "/admin/groups/%lld", (long long)g->id));
}

int group_http_page(struct req *r)
{
    struct group *g = group_of(r, r->rest);
    if (!g)
        return resp_error(r, 404, NO_GROUP);
    struct tvars *v = layout_vars(r);
    tv_int(v, "id", g->id);
    tv_text(v, "gname", g->name);
    tv_text(v, "external_id", g->external_id);
    tv_bool(v, "from_scim", strcmp(g->source, "scim") == 0);
    tv_text(v, "created", layout_date(r->a, g->created_at));
    tv_int(v, "count", g->members);
    tv_list(v, "members");
    for (struct group_member *m = group_store_members(r->db, r->a, g->id); m; m = m->next) {
        struct tvars *i = tv_item(v, "members");
        tv_text(i, "login", m->login);
        tv_text(i, "mname", m->name);
        tv_bool(i, "left", m->left);
    }
    return layout_page(r, 200, arena_printf(r->a, "Group %s", g->name), "group", v);
}

/* The group named by the form's id, or NULL after answering 404 (*sent). */
static struct group *form_group(struct req *r, int *sent)
{
    struct group *g = group_of(r, req_param(r, "id"));
    *sent = g ? 0 : resp_error(r, 404, NO_GROUP);
    return g;
}

static int back_to(struct req *r, const struct group *g)
{
    return resp_redirect(r, arena_printf(r->a, "/admin/groups/%lld", (long long)g->id));
}

int group_http_rename(struct req *r)
{
    int sent;
    const char *why;
    struct group *g = form_group(r, &sent);
    if (!g)
        return sent;
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = group_http_set_name(r, g, req_param(r, "name"), GROUP_VIA_ADMIN, &why);
    rc = audit_http_finish(r, rc, &why);
    return rc ? resp_error(r, rc, why) : back_to(r, g);
}

/* Adds (add 1) or removes the form's login to or from the form's group. */
static int change_member(struct req *r, int add)
{
    int sent;
    const char *why, *login = req_param(r, "login");
    struct group *g = form_group(r, &sent);
    if (!g)
        return sent;
    int64_t uid = login && *login ? group_store_user_id(r->db, login) : 0;
    if (!uid)
        return resp_error(r, 400, arena_printf(r->a, "nobody has the login %s",
                                               login && *login ? login : "(none given)"));
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = add ? group_http_add(r, g, uid, GROUP_VIA_ADMIN, &why)
                 : group_http_remove(r, g, uid, GROUP_VIA_ADMIN, &why);
    rc = audit_http_finish(r, rc, &why);
    return rc ? resp_error(r, rc, why) : back_to(r, g);
}

int group_http_add_post(struct req *r)
{
    return change_member(r, 1);
}

int group_http_remove_post(struct req *r)
{
    return change_member(r, 0);
}

int group_http_delete(struct req *r)
{
    int sent;
    const char *why;
    struct group *g = form_group(r, &sent);
    if (!g)
        return sent;
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = group_http_drop(r, g, GROUP_VIA_ADMIN, &why);
    rc = audit_http_finish(r, rc, &why);
    return rc ? resp_error(r, rc, why) : resp_redirect(r, "/admin/groups");
}

/* ---- the API ---- */

static json_t *group_json(struct req *r, const struct group *g, int with_members)
{
    json_t *o = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s}", "id", (json_int_t)g->id, "name",
                          g->name, "external_id", g->external_id, "source", g->source,
                          "created_at", layout_iso_time(r->a, g->created_at), "updated_at",
                          layout_iso_time(r->a, g->updated_at));
    if (!with_members) {
        json_object_set_new(o, "members", json_integer(g->members));
        return o;
    }
    json_t *list = json_array();
    for (struct group_member *m = group_store_members(r->db, r->a, g->id); m; m = m->next)
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "login", m->login, "name",
                                              m->name, "left", m->left));
    json_object_set_new(o, "members", list);
    return o;
}

int group_http_api_list(struct req *r)
{
    int total;
    json_t *list = json_array();
    for (struct group *g = group_store_list(r->db, r->a, req_param(r, "name"), 0, 0, &total); g;
         g = g->next)
        json_array_append_new(list, group_json(r, g, 0));
    return resp_json(r, 200, json_pack("{s:o}", "groups", list));
}

/* Reads `key` of in (absent: none) as an array of logins into ids (n at most *n). Returns NULL,
 * or why not (400), naming an unknown login. */
static const char *logins_of(struct req *r, json_t *in, const char *key, int64_t **ids, size_t *n)
{
    json_t *arr = json_object_get(in, key), *v;
    size_t i;
    *n = 0;
    *ids = NULL;
    if (!arr)
        return NULL;
    if (!json_is_array(arr) || json_array_size(arr) > 10000)
        return arena_printf(r->a, "%s is a list of logins", key);
    *ids = arena_alloc(r->a, (json_array_size(arr) + 1) * sizeof **ids);
    json_array_foreach(arr, i, v)
    {
        const char *login = json_string_value(v);
        int64_t id = login ? group_store_user_id(r->db, login) : 0;
        if (!id)
            return login ? arena_printf(r->a, "nobody has the login %s", login)
                         : arena_printf(r->a, "%s is a list of logins", key);
        (*ids)[(*n)++] = id;
    }
    return NULL;
}

/* Applies {name?, add?, remove?} (and members, for a new group) to g inside the caller's audit
 * transaction. Returns 0 or a status with *why. */
static int apply(struct req *r, struct group *g, json_t *in, const char *add_key, const char **why)
{
    int64_t *add, *remove;
    size_t nadd, nremove;
    const char *key;
    json_t *value, *name = json_object_get(in, "name");
    json_object_foreach(in, key, value)
    {
        if (strcmp(key, "name") != 0 && strcmp(key, add_key) != 0 && strcmp(key, "remove") != 0) {
            *why = arena_printf(r->a, "unknown key %s: a group takes name, %s and remove", key,
                                add_key);
            return 400;
        }
    }
    if (name && !json_is_string(name)) {
        *why = "name is a string";
        return 400;
    }
    if ((*why = logins_of(r, in, add_key, &add, &nadd)) ||
        (*why = logins_of(r, in, "remove", &remove, &nremove)))
        return 400;
    int rc = name ? group_http_set_name(r, g, json_string_value(name), GROUP_VIA_API, why) : 0;
    for (size_t i = 0; !rc && i < nadd; i++)
        rc = group_http_add(r, g, add[i], GROUP_VIA_API, why);
    for (size_t i = 0; !rc && i < nremove; i++)
        rc = group_http_remove(r, g, remove[i], GROUP_VIA_API, why);
    return rc;
}

int group_http_api_create(struct req *r)
{
    const char *why;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    struct group *g = NULL;
    json_t *name = json_object_get(in, "name");
    int rc = json_is_string(name) ? 0 : 400;
    if (rc)
        why = "send {\"name\": \"...\", \"members\": [\"login\", ...]}";
    if (!rc)
        rc = audit_http_begin(r, &why);
    if (!rc)
        rc = group_http_make(r, json_string_value(name), NULL, GROUP_VIA_API, &g, &why);
    json_object_del(in, "name");
    if (!rc)
        rc = apply(r, g, in, "members", &why);
    json_decref(in);
    rc = audit_http_finish(r, rc, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, 201, group_json(r, group_store_get(r->db, r->a, g->id), 1));
}

int group_http_api_get(struct req *r)
{
    struct group *g = group_of(r, r->rest);
    return g ? resp_json(r, 200, group_json(r, g, 1)) : resp_error(r, 404, NO_GROUP);
}

int group_http_api_patch(struct req *r)
{
    struct group *g = group_of(r, r->rest);
    if (!g)
        return resp_error(r, 404, NO_GROUP);
    const char *why;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = apply(r, g, in, "add", &why);
    json_decref(in);
    rc = audit_http_finish(r, rc, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, 200, group_json(r, group_store_get(r->db, r->a, g->id), 1));
}

int group_http_api_delete(struct req *r)
{
    struct group *g = group_of(r, r->rest);
    if (!g)
        return resp_error(r, 404, NO_GROUP);
    const char *why;
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = group_http_drop(r, g, GROUP_VIA_API, &why);
    rc = audit_http_finish(r, rc, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, 200, json_pack("{s:I}", "deleted", (json_int_t)g->id));
}
