#include "accounts/scim_group_http.h"
#include "accounts/audit_http.h"
#include "accounts/group_http.h"
#include "accounts/scim.h"
#include "accounts/scim_http.h"
#include "http/layout.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { SCIM_GROUP_COUNT_MAX = 200, SCIM_MEMBERS_MAX = 100000 };

/* ---- answers ---- */

/* Returns 1 when the request asks to leave members out (excludedAttributes=members, or an
 * attributes= list without them): providers do so to keep big groups' answers small. */
static int members_excluded(struct req *r)
{
    const char *ex = req_param(r, "excludedAttributes"), *only = req_param(r, "attributes");
    if (ex && strcasestr(ex, "members"))
        return 1;
    return only && *only && !strcasestr(only, "members");
}

static json_t *group_resource(struct req *r, const struct group *g, int members)
{
    const char *base = scim_http_base(r);
    json_t *o = json_pack("{s:[s], s:s, s:s}", "schemas", SCIM_CORE_GROUP, "id",
                          arena_printf(r->a, "%lld", (long long)g->id), "displayName", g->name);
    if (g->external_id)
        json_object_set_new(o, "externalId", json_string(g->external_id));
    if (members) {
        json_t *list = json_array();
        for (struct group_member *m = group_store_members(r->db, r->a, g->id); m; m = m->next)
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:s, s:s}", "value",
                                arena_printf(r->a, "%lld", (long long)m->user_id), "display",
                                m->name, "type", "User", "$ref",
                                arena_printf(r->a, "%s/scim/v2/Users/%lld", base,
                                             (long long)m->user_id)));
        json_object_set_new(o, "members", list);
    }
    json_object_set_new(o, "meta",
                        json_pack("{s:s, s:s, s:s, s:s, s:s}", "resourceType", "Group", "created",
                                  layout_iso_time(r->a, g->created_at), "lastModified",
                                  layout_iso_time(r->a, g->updated_at), "location",
                                  arena_printf(r->a, "%s/scim/v2/Groups/%lld", base,
                                               (long long)g->id),
                                  "version", arena_printf(r->a, "W/\"%lld\"",
                                                          (long long)g->updated_at)));
    return o;
}

static int send_group(struct req *r, int status, int64_t id)
{
    struct group *g = group_store_get(r->db, r->a, id);
    if (!g)
        return scim_http_error(r, 404, NULL, "there is no such group");
    json_t *o = group_resource(r, g, !members_excluded(r));
    if (status == 201)
        resp_header(r, "Location", json_string_value(json_object_get(json_object_get(o, "meta"),
                                                                     "location")));
    return scim_http_send(r, status, o);
}

static struct group *group_of(struct req *r)
{
    const char *s = r->rest;
    size_t n = strlen(s);
    if (!n || n > 18 || strspn(s, "0123456789") != n)
        return NULL;
    return group_store_get(r->db, r->a, atoll(s));
}

static int no_such(struct req *r)
{
    return scim_http_error(r, 404, NULL, arena_printf(r->a, "no group has the id %s", r->rest));
}

/* ---- reading members ---- */

struct members {
    int64_t *ids;
    size_t n;
};

/* Reads a members value (an array of {"value": "ID"}, or one such object, as Okta and Entra
 * send) into m, each an account that exists. Returns NULL, or why not (400 invalidValue). */
static const char *read_members(struct req *r, json_t *v, struct members *m)
{
    m->n = 0;
    m->ids = NULL;
    if (!v || json_is_null(v))
        return NULL;
    json_t *one = json_is_object(v) ? json_pack("[O]", v) : json_incref(v);
    const char *why = NULL;
    if (!json_is_array(one) || json_array_size(one) > SCIM_MEMBERS_MAX)
        why = "members is a list of {\"value\": \"USER ID\"}";
    size_t i;
    json_t *e;
    if (!why)
        m->ids = arena_alloc(r->a, (json_array_size(one) + 1) * sizeof *m->ids);
    json_array_foreach(one, i, e)
    {
        if (why)
            break;
        json_t *val = json_is_object(e) ? scim_get(e, "value") : NULL;
        const char *s = json_string_value(val);
        char buf[24];
        if (json_is_integer(val)) {
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(val));
            s = buf;
        }
        size_t n = s ? strlen(s) : 0;
        int64_t id = n && n <= 18 && strspn(s, "0123456789") == n ? atoll(s) : 0;
        if (!s)
            why = "each member is {\"value\": \"USER ID\"}";
        else if (!id || !group_store_login(r->db, r->a, id))
            why = arena_printf(r->a, "no User has the id %s", s);
        else
            m->ids[m->n++] = id;
    }
    json_decref(one);
    return why;
}

static int contains(const struct members *m, int64_t id)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->ids[i] == id)
            return 1;
    return 0;
}

/* ---- changes, each inside the request's audit transaction ---- */

static int add_all(struct req *r, struct group *g, const struct members *m, const char **why)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < m->n; i++)
        rc = group_http_add(r, g, m->ids[i], GROUP_VIA_SCIM, why);
    return rc;
}

static int remove_all(struct req *r, struct group *g, const struct members *m, const char **why)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < m->n; i++)
        rc = group_http_remove(r, g, m->ids[i], GROUP_VIA_SCIM, why);
    return rc;
}

/* Makes g's members exactly m (NULL: nobody). */
static int replace_members(struct req *r, struct group *g, const struct members *m,
                           const char **why)
{
    static const struct members none = {NULL, 0};
    m = m ? m : &none;
    int rc = 0;
    for (struct group_member *x = group_store_members(r->rw, r->a, g->id); !rc && x; x = x->next)
        if (!contains(m, x->user_id))
            rc = group_http_remove(r, g, x->user_id, GROUP_VIA_SCIM, why);
    return rc ? rc : add_all(r, g, m, why);
}

/* Sets the external id (NULL or "": none). */
static int set_external_id(struct req *r, struct group *g, json_t *v, const char **why)
{
    const char *ext = json_string_value(v);
    if (v && !json_is_null(v) && !ext) {
        *why = "externalId is a string";
        return 400;
    }
    if (ext && !*ext)
        ext = NULL;
    return group_store_set_external_id(r->rw, g->id, ext, why);
}

static int set_name(struct req *r, struct group *g, json_t *v, const char **why)
{
    if (!json_is_string(v)) {
        *why = "displayName is a string";
        return 400;
    }
    return group_http_set_name(r, g, json_string_value(v), GROUP_VIA_SCIM, why);
}

/* Opens the transaction a request's changes and their audit entries share. */
static int begin(struct req *r, const char **why)
{
    return audit_http_begin(r, why);
}

/* Ends it: commits when rc is 0 (after marking g changed), else rolls back; then answers with
 * the group (status ok) or the refusal (scim_type, why). */
static int end(struct req *r, int rc, struct group *g, int ok, const char *scim_type,
               const char *why)
{
    if (!rc && g && group_store_touch(r->rw, g->id) != 0) {
        rc = 503;
        why = "the group could not be changed; try again";
    }
    rc = audit_http_finish(r, rc, &why);
    if (rc)
        return scim_http_error(r, rc, rc == 409 ? "uniqueness" : rc == 400 ? scim_type : NULL, why);
    return send_group(r, ok, g->id);
}

/* ---- Groups ---- */

/* What a list asks for: NULL and 0 members match any group. */
struct group_query {
    const char *name, *ext;
    int64_t id, member; /* -1: nobody matches */
};

/* Returns the decimal id in s, or -1 when s is not one. */
static int64_t id_value(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n && n <= 18 && strspn(s, "0123456789") == n && atoll(s) > 0 ? atoll(s) : -1;
}

/* Reads one comparison of a filter into q. Returns NULL, or why not (400 invalidFilter). */
static const char *read_comparison(struct req *r, const char *text, struct group_query *q)
{
    struct scim_filter f;
    const char *why;
    if (scim_filter_parse(r->a, text, &f, &why) != 0)
        return why;
    if (strcmp(f.op, "eq") != 0 || !f.value)
        return "ken filters groups with eq, like displayName eq \"Sales\"";
    if (strcasecmp(f.attr, "displayName") == 0)
        q->name = f.value;
    else if (strcasecmp(f.attr, "externalId") == 0)
        q->ext = f.value;
    else if (strcasecmp(f.attr, "id") == 0)
        q->id = id_value(f.value);
    else if (strcasecmp(f.attr, "members") == 0 || strcasecmp(f.attr, "members.value") == 0)
        q->member = id_value(f.value);
    else
        return arena_printf(r->a, "ken filters groups by displayName, externalId, id or members, "
                                  "not %s", f.attr);
    return NULL;
}

/* Reads filter= (one comparison, or two joined by "and", as Entra ID asks `id eq "7" and
 * members eq "12"`) into q. Returns NULL, or why not. */
static const char *read_filter(struct req *r, const char *text, struct group_query *q)
{
    memset(q, 0, sizeof *q);
    if (!text || !*text)
        return NULL;
    int quoted = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '"' && (p == text || p[-1] != '\\'))
            quoted = !quoted;
        if (!quoted && strncasecmp(p, " and ", 5) == 0) {
            const char *why = read_comparison(r, arena_strndup(r->a, text, (size_t)(p - text)), q);
            return why ? why : read_comparison(r, p + 5, q);
        }
    }
    return read_comparison(r, text, q);
}

static int is_member(struct req *r, const struct group *g, int64_t user_id)
{
    for (struct group_member *m = group_store_members(r->db, r->a, g->id); m; m = m->next)
        if (m->user_id == user_id)
            return 1;
    return 0;
}

int scim_groups_list(struct req *r)
{
    struct group_query q;
    const char *why = read_filter(r, req_param(r, "filter"), &q);
    if (why)
        return scim_http_error(r, 400, "invalidFilter", why);
    const char *ss = req_param(r, "startIndex"), *cs = req_param(r, "count");
    char *end1 = NULL, *end2 = NULL;
    long start = ss ? strtol(ss, &end1, 10) : 1, count = cs ? strtol(cs, &end2, 10) : 100;
    if ((ss && (!*ss || *end1)) || (cs && (!*cs || *end2)))
        return scim_http_error(r, 400, "invalidValue", "startIndex and count are whole numbers");
    /* RFC 7644 3.4.2.4: below 1 means 1; a negative count means 0. */
    start = start < 1 ? 1 : start > 1000000000 ? 1000000000 : start;
    count = count < 0 ? 0 : count > SCIM_GROUP_COUNT_MAX ? SCIM_GROUP_COUNT_MAX : count;
    int total = 0, all, members = !members_excluded(r);
    json_t *list = json_array();
    for (struct group *g = group_store_list(r->db, r->a, q.name, 0, 0, &all); g; g = g->next) {
        if ((q.ext && (!g->external_id || strcmp(g->external_id, q.ext) != 0)) ||
            (q.id && g->id != q.id) || (q.member && !is_member(r, g, q.member)))
            continue;
        if (++total >= start && (long)json_array_size(list) < count)
            json_array_append_new(list, group_resource(r, g, members));
    }
    return scim_http_send(r, 200,
                          json_pack("{s:[s], s:i, s:i, s:i, s:o}", "schemas", SCIM_LIST,
                                    "totalResults", total, "startIndex", (int)start,
                                    "itemsPerPage", (int)json_array_size(list), "Resources",
                                    list));
}

int scim_group_get(struct req *r)
{
    struct group *g = group_of(r);
    return g ? send_group(r, 200, g->id) : no_such(r);
}

/* Reads a POST or PUT body: displayName (required), externalId, members. Returns 0, or 400
 * after which *why says what. The body is the caller's. */
static int read_body(struct req *r, json_t *body, const char **name, json_t **ext,
                     struct members *m, const char **why)
{
    json_t *dn = scim_get(body, "displayName");
    *name = json_string_value(dn);
    *ext = scim_get(body, "externalId");
    if (!*name) {
        *why = "displayName is required";
        return 400;
    }
    return (*why = read_members(r, scim_get(body, "members"), m)) ? 400 : 0;
}

int scim_groups_create(struct req *r)
{
    const char *why, *name;
    json_t *body = req_json(r, &why), *ext;
    if (!body)
        return scim_http_error(r, 400, "invalidSyntax", why);
    struct members m;
    struct group *g = NULL;
    int rc = read_body(r, body, &name, &ext, &m, &why);
    if (!rc && ext && !json_is_string(ext) && !json_is_null(ext)) {
        rc = 400;
        why = "externalId is a string";
    }
    const char *ext_s = json_string_value(ext);
    if (!rc)
        rc = begin(r, &why);
    if (!rc)
        rc = group_http_make(r, name, ext_s && *ext_s ? ext_s : NULL, GROUP_VIA_SCIM, &g, &why);
    if (!rc)
        rc = add_all(r, g, &m, &why);
    json_decref(body);
    return end(r, rc, g, 201, "invalidValue", why);
}

int scim_group_put(struct req *r)
{
    struct group *g = group_of(r);
    if (!g)
        return no_such(r);
    const char *why, *name;
    json_t *body = req_json(r, &why), *ext;
    if (!body)
        return scim_http_error(r, 400, "invalidSyntax", why);
    struct members m;
    int rc = read_body(r, body, &name, &ext, &m, &why);
    if (!rc)
        rc = begin(r, &why);
    if (!rc)
        rc = group_http_set_name(r, g, name, GROUP_VIA_SCIM, &why);
    if (!rc)
        rc = set_external_id(r, g, ext, &why);
    if (!rc)
        rc = replace_members(r, g, &m, &why);
    json_decref(body);
    return end(r, rc, g, 200, "invalidValue", why);
}

/* Applies one PATCH operation. Returns 0, or a status with *why and *scim_type. */
static int patch_one(struct req *r, struct group *g, const char *op, const char *path,
                     json_t *value, const char **why, const char **scim_type)
{
    int add = strcasecmp(op, "add") == 0, replace = strcasecmp(op, "replace") == 0;
    int remove = strcasecmp(op, "remove") == 0;
    *scim_type = "invalidValue";
    if (!add && !replace && !remove) {
        *scim_type = "invalidSyntax";
        *why = arena_printf(r->a, "op is add, replace or remove, not %s", op);
        return 400;
    }
    struct members m;
    if (!path || !*path) { /* the no-path form: value is an object of attributes */
        if (remove || !json_is_object(value)) {
            *scim_type = remove ? "noTarget" : "invalidSyntax";
            *why = remove ? "remove needs a path" : "without a path, value is an object";
            return 400;
        }
        const char *key;
        json_t *v;
        int rc = 0;
        json_object_foreach(value, key, v)
        {
            if (rc)
                break;
            if (strcasecmp(key, "displayName") == 0)
                rc = set_name(r, g, v, why);
            else if (strcasecmp(key, "externalId") == 0)
                rc = set_external_id(r, g, v, why);
            else if (strcasecmp(key, "members") == 0)
                rc = (*why = read_members(r, v, &m)) ? 400
                     : add                        ? add_all(r, g, &m, why)
                                                  : replace_members(r, g, &m, why);
            else if (strcasecmp(key, "id") != 0 && strcasecmp(key, "schemas") != 0 &&
                     strcasecmp(key, "meta") != 0) { /* Okta sends the id back; it stays */
                *scim_type = "invalidPath";
                *why = arena_printf(r->a, "a Group has displayName, externalId and members, "
                                          "not %s", key);
                rc = 400;
            }
        }
        return rc;
    }
    struct scim_path p;
    if (scim_path_parse(r->a, path, &p, why) != 0) {
        *scim_type = "invalidPath";
        return 400;
    }
    int members = p.attr && strcasecmp(p.attr, "members") == 0 && !p.schema && !p.sub;
    if (members && p.filter.attr) { /* members[value eq "ID"]: only remove takes one */
        if (!remove || strcasecmp(p.filter.attr, "value") != 0 || strcmp(p.filter.op, "eq") != 0) {
            *scim_type = "invalidPath";
            *why = "a members filter is members[value eq \"ID\"], with op remove";
            return 400;
        }
        json_t *one = json_pack("{s:s}", "value", p.filter.value ? p.filter.value : "");
        const char *bad = read_members(r, one, &m);
        json_decref(one);
        if (bad) /* removing someone who is no member (or no User) is already done */
            return 0;
        return remove_all(r, g, &m, why);
    }
    if (members) {
        if (remove && (!value || json_is_null(value)))
            return replace_members(r, g, NULL, why); /* RFC 7644 3.5.2.2: all of them */
        if ((*why = read_members(r, value, &m)))
            return 400;
        return add ? add_all(r, g, &m, why)
               : replace ? replace_members(r, g, &m, why)
                         : remove_all(r, g, &m, why);
    }
    if (p.attr && !p.schema && !p.filter.attr && !p.sub &&
        strcasecmp(p.attr, "displayName") == 0) {
        if (remove) {
            *why = "a group keeps its displayName";
            return 400;
        }
        return set_name(r, g, value, why);
    }
    if (p.attr && !p.schema && !p.filter.attr && !p.sub && strcasecmp(p.attr, "externalId") == 0)
        return set_external_id(r, g, remove ? NULL : value, why);
    *scim_type = "invalidPath";
    *why = arena_printf(r->a, "a Group has displayName, externalId and members, not %s", path);
    return 400;
}

int scim_group_patch(struct req *r)
{
    struct group *g = group_of(r);
    if (!g)
        return no_such(r);
    const char *why, *scim_type = "invalidSyntax";
    json_t *body = req_json(r, &why);
    if (!body)
        return scim_http_error(r, 400, "invalidSyntax", why);
    json_t *ops = scim_get(body, "Operations"), *op;
    int rc = json_is_array(ops) && json_array_size(ops) ? 0 : 400;
    if (rc)
        why = "a PATCH has Operations: [{op, path, value}]";
    if (!rc)
        rc = begin(r, &why);
    size_t i;
    json_array_foreach(ops, i, op)
    {
        if (rc)
            break;
        const char *name = json_string_value(scim_get(op, "op"));
        json_t *path = scim_get(op, "path");
        if (!name || (path && !json_is_string(path))) {
            rc = 400;
            why = "each operation has an op and may have a path (a string)";
            break;
        }
        rc = patch_one(r, g, name, json_string_value(path), scim_get(op, "value"), &why,
                       &scim_type);
    }
    json_decref(body);
    return end(r, rc, g, 200, scim_type, why);
}

int scim_group_delete(struct req *r)
{
    struct group *g = group_of(r);
    if (!g)
        return no_such(r);
    const char *why;
    int rc = begin(r, &why);
    if (!rc)
        rc = group_http_drop(r, g, GROUP_VIA_SCIM, &why);
    rc = audit_http_finish(r, rc, &why);
    if (rc)
        return scim_http_error(r, rc, NULL, why);
    return resp_send(r, 204, "application/scim+json", "", 0);
}
