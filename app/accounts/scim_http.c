#include "accounts/scim_http.h"
#include "accounts/audit.h"
#include "accounts/auth.h"
#include "accounts/scim.h"
#include "accounts/scim_store.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { SCIM_COUNT_DEFAULT = 100, SCIM_COUNT_MAX = 200, SCIM_USER_NAME_MAX = 256 };

/* ---- answers ---- */

/* Sends j (taken) as application/scim+json. */
static int send_scim(struct req *r, int status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(j);
    if (!s) die("out of memory encoding SCIM JSON");
    int rc = resp_send(r, status, "application/scim+json", s, strlen(s));
    free(s);
    return rc;
}

int scim_http_error(struct req *r, int status, const char *scim_type, const char *detail)
{
    json_t *j = json_pack("{s:[s], s:s}", "schemas", SCIM_ERROR, "status",
                          arena_printf(r->a, "%d", status));
    if (scim_type) json_object_set_new(j, "scimType", json_string(scim_type));
    json_t *d = json_string(detail ? detail : "");
    json_object_set_new(j, "detail", d ? d : json_string("(the message was not valid text)"));
    if (status == 401) resp_header(r, "WWW-Authenticate", "Bearer realm=\"ken\"");
    return send_scim(r, status, j);
}

int scim_http_error_page(struct req *r, int status, const char *msg)
{
    return scim_http_error(r, status, NULL, msg);
}

/* Returns "scheme://host[:port]" this request came to, in a. A Host header with anything but
 * host name characters is not believed: then --listen says where ken is. */
static const char *site_base(struct req *r)
{
    const char *h = req_header(r, "Host");
    size_t n = h ? strlen(h) : 0;
    if (!n || n > 255 ||
        strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                  "0123456789.-:[]") != n)
        h = r->cfg->listen && *r->cfg->listen ? r->cfg->listen : "localhost";
    return arena_printf(r->a, "%s://%s", r->https ? "https" : "http", h);
}

int scim_http_send(struct req *r, int status, json_t *j)
{
    return send_scim(r, status, j);
}

const char *scim_http_base(struct req *r)
{
    return site_base(r);
}

/* Returns "2026-11-26T14:05:00Z" for t, in a. */
static const char *iso_time(struct arena *a, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[32];
    gmtime_r(&tt, &tm);
    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return arena_strdup(a, s);
}

/* ---- users as JSON ---- */

/* {formatted, givenName, familyName}: the provider's given and family names when it sent them,
 * else the display name split at its first space. */
static json_t *name_json(struct arena *a, const struct scim_user *u)
{
    const char *given = u->given_name, *family = u->family_name;
    if (!*given && !*family) {
        const char *space = strchr(u->name, ' ');
        given = space ? arena_strndup(a, u->name, (size_t)(space - u->name)) : u->name;
        family = space ? space + 1 : "";
    }
    json_t *o = json_pack("{s:s}", "formatted", u->name);
    if (*given) json_object_set_new(o, "givenName", json_string(given));
    if (*family) json_object_set_new(o, "familyName", json_string(family));
    return o;
}

static json_t *enterprise_json(struct req *r, const struct scim_user *u)
{
    json_t *o = json_object();
    if (*u->department) json_object_set_new(o, "department", json_string(u->department));
    if (u->manager_id) {
        const char *id = arena_printf(r->a, "%lld", (long long)u->manager_id);
        json_object_set_new(o, "manager",
                            json_pack("{s:s, s:s, s:s}", "value", id, "$ref",
                                      arena_printf(r->a, "%s/scim/v2/Users/%s", site_base(r), id),
                                      "displayName", u->manager_name));
    }
    return o;
}

/* Returns person u as a SCIM User without meta (what PATCH works on). */
static json_t *user_json(struct req *r, const struct scim_user *u)
{
    json_t *o = json_pack("{s:[s, s], s:s, s:s, s:o, s:s, s:b, s:s}", "schemas", SCIM_CORE_USER,
                          SCIM_ENTERPRISE_USER, "id", arena_printf(r->a, "%lld", (long long)u->id),
                          "userName", u->user_name, "name", name_json(r->a, u), "displayName",
                          u->name, "active", u->active, "profileUrl",
                          arena_printf(r->a, "%s/people/%s", site_base(r), u->login));
    if (u->external_id) json_object_set_new(o, "externalId", json_string(u->external_id));
    if (*u->title) json_object_set_new(o, "title", json_string(u->title));
    if (u->email)
        json_object_set_new(
            o, "emails",
            json_pack("[{s:s, s:s, s:b}]", "value", u->email, "type", "work", "primary", 1));
    json_t *ext = enterprise_json(r, u);
    if (json_object_size(ext))
        json_object_set_new(o, SCIM_ENTERPRISE_USER, ext);
    else
        json_decref(ext);
    return o;
}

/* Returns a weak entity tag that changes whenever the resource o (without meta) does. */
static const char *version_of(struct arena *a, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (!s) die("out of memory encoding SCIM JSON");
    unsigned char hash[16];
    char hex[33];
    crypto_generichash(hash, sizeof hash, (const unsigned char *)s, strlen(s), NULL, 0);
    free(s);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    return arena_printf(a, "W/\"%s\"", hex);
}

/* Returns user u with meta, as answers carry it; *version gets its entity tag. */
static json_t *user_resource(struct req *r, const struct scim_user *u, const char **version)
{
    json_t *o = user_json(r, u);
    *version = version_of(r->a, o);
    json_object_set_new(
        o, "meta",
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "resourceType", "User", "created",
                  iso_time(r->a, u->created_at), "lastModified", iso_time(r->a, u->updated_at),
                  "location",
                  arena_printf(r->a, "%s/scim/v2/Users/%lld", site_base(r), (long long)u->id),
                  "version", *version));
    return o;
}

/* Sends person `id` as a User with its ETag (and Location on 201). */
static int send_user(struct req *r, int status, int64_t id)
{
    struct scim_user *u = scim_store_get(r->db, r->a, r->user, id);
    if (!u) return scim_http_error(r, 404, NULL, "the person could not be read back");
    const char *version;
    json_t *o = user_resource(r, u, &version);
    resp_header(r, "ETag", version);
    if (status == 201)
        resp_header(r, "Location",
                    arena_printf(r->a, "%s/scim/v2/Users/%lld", site_base(r), (long long)id));
    return send_scim(r, status, o);
}

/* ---- users from JSON ---- */

/* One attribute as a request has it: absent (set 0), cleared (set 1, s NULL: null, "" or an
 * empty list) or a value. */
struct attr {
    int set;
    const char *s;
};

struct scim_in {
    struct attr user_name, external_id, display_name, formatted, given, family, email, title,
        department, manager, password;
    int active; /* -1 absent */
};

/* Reads string attribute v (NULL: absent) into *out. NULL, or why not (in a). */
static const char *read_str(struct arena *a, json_t *v, const char *what, struct attr *out)
{
    if (!v) return NULL;
    out->set = 1;
    if (json_is_string(v) && *json_string_value(v))
        out->s = arena_strdup(a, json_string_value(v));
    else if (json_is_integer(v)) /* a manager or externalId some providers send as a number */
        out->s = arena_printf(a, "%lld", (long long)json_integer_value(v));
    else if (!json_is_null(v) && !json_is_string(v))
        return arena_printf(a, "%s is a string", what);
    return NULL;
}

/* Picks the address ken keeps from a list of emails: the primary one, else the work one, else
 * the first. NULL, or why the list is not one. */
static const char *read_emails(struct arena *a, json_t *v, struct attr *out)
{
    if (!v) return NULL;
    out->set = 1;
    if (json_is_null(v)) return NULL;
    if (!json_is_array(v))
        return "emails is a list like [{\"value\": \"ana@example.com\", \"type\": \"work\", "
               "\"primary\": true}]";
    size_t i;
    json_t *e;
    const char *first = NULL, *work = NULL;
    json_array_foreach(v, i, e)
    {
        const char *value = json_string_value(scim_get(e, "value"));
        if (!value || !*value) continue;
        if (scim_bool(scim_get(e, "primary")) == 1) {
            out->s = arena_strdup(a, value);
            return NULL;
        }
        const char *type = json_string_value(scim_get(e, "type"));
        if (!work && type && strcasecmp(type, "work") == 0) work = value;
        if (!first) first = value;
    }
    out->s = arena_strdup(a, work ? work : first);
    return NULL;
}

/* Reads the enterprise extension (department, manager) of res into in. */
static const char *read_enterprise(struct arena *a, json_t *res, struct scim_in *in)
{
    json_t *ext = scim_get(res, SCIM_ENTERPRISE_USER);
    if (!ext) return NULL;
    if (json_is_null(ext)) {
        in->department.set = in->manager.set = 1;
        return NULL;
    }
    if (!json_is_object(ext))
        return "the enterprise extension is an object like {\"department\": \"Sales\", "
               "\"manager\": {\"value\": \"42\"}}";
    const char *why = read_str(a, scim_get(ext, "department"), "department", &in->department);
    json_t *m = scim_get(ext, "manager");
    if (!why && json_is_object(m)) {
        in->manager.set = 1;
        why = read_str(a, scim_get(m, "value"), "manager.value", &in->manager);
    } else if (!why) {
        why = read_str(a, m, "manager", &in->manager);
    }
    return why;
}

/* Reads the attributes ken keeps from resource res. NULL, or why not (invalidValue). */
static const char *read_in(struct arena *a, json_t *res, struct scim_in *in)
{
    memset(in, 0, sizeof *in);
    in->active = -1;
    const char *why = NULL;
    json_t *name = scim_get(res, "name"), *active = scim_get(res, "active");
    struct {
        const char *key;
        struct attr *out;
    } strings[] = {{"userName", &in->user_name},
                   {"externalId", &in->external_id},
                   {"displayName", &in->display_name},
                   {"title", &in->title},
                   {"password", &in->password}};
    for (size_t i = 0; !why && i < sizeof strings / sizeof *strings; i++)
        why = read_str(a, scim_get(res, strings[i].key), strings[i].key, strings[i].out);
    if (!why && json_is_null(name))
        in->formatted.set = in->given.set = in->family.set = 1;
    else if (!why && name && !json_is_object(name))
        why = "name is an object like {\"givenName\": \"Ana\", \"familyName\": \"Lima\"}";
    else if (!why && name &&
             !(why = read_str(a, scim_get(name, "formatted"), "name.formatted", &in->formatted)) &&
             !(why = read_str(a, scim_get(name, "givenName"), "name.givenName", &in->given)))
        why = read_str(a, scim_get(name, "familyName"), "name.familyName", &in->family);
    if (!why) why = read_emails(a, scim_get(res, "emails"), &in->email);
    if (!why && active && (in->active = scim_bool(active)) < 0) why = "active is true or false";
    return why ? why : read_enterprise(a, res, in);
}

static int same(struct attr x, struct attr y)
{
    return (!x.s && !y.s) || (x.s && y.s && strcmp(x.s, y.s) == 0);
}

/* What changed from before to after; an attribute after lacks stays, or (absent_clears, for
 * PATCH, whose after is the whole resource) is cleared. */
static struct attr pick(struct attr before, struct attr after, int absent_clears)
{
    struct attr none = {0, NULL}, cleared = {1, NULL};
    if (!after.set) return absent_clears && before.s ? cleared : none;
    return same(before, after) ? none : after;
}

/* Returns a changed attribute's new value for scim_change: NULL unchanged, "" cleared. */
static const char *value_of(struct attr d)
{
    return d.set ? (d.s ? d.s : "") : NULL;
}

/* The display name after a change: displayName, else name.formatted, else given and family. */
static const char *new_name(struct arena *a, const struct scim_in *b, const struct scim_in *af,
                            int absent_clears)
{
    struct attr dn = pick(b->display_name, af->display_name, absent_clears);
    struct attr fm = pick(b->formatted, af->formatted, absent_clears);
    struct attr gv = pick(b->given, af->given, absent_clears);
    struct attr fa = pick(b->family, af->family, absent_clears);
    if (dn.s) return dn.s;
    if (fm.s) return fm.s;
    if (!gv.set && !fa.set) return NULL;
    const char *g = gv.set ? gv.s : b->given.s, *f = fa.set ? fa.s : b->family.s;
    if (!g && !f) return NULL;
    return arena_printf(a, "%s%s%s", g ? g : "", g && f ? " " : "", f ? f : "");
}

/* Checks a userName: one line of at most SCIM_USER_NAME_MAX bytes. NULL, or why not. */
static const char *check_user_name(const char *s)
{
    if (!s) return "userName is required";
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || p - s >= SCIM_USER_NAME_MAX)
            return "userName is one line of at most 256 characters, without control characters";
    return NULL;
}

/* Hashes a password a provider sent (ken's rules apply). Returns 0, or 400 with *why. */
static int hash_password(struct req *r, const char *password, struct scim_change *c,
                         const char **why)
{
    if ((*why = auth_password_check(password))) return 400;
    char *hash = arena_alloc(r->a, 128);
    if (auth_password_hash(hash, password) != 0) die("out of memory hashing a password");
    c->password_hash = hash;
    return 0;
}

/* Fills c with what changes between before and after (resources as JSON). Returns 0, or 400
 * with *why. */
static int change_from(struct req *r, json_t *before, json_t *after, int absent_clears,
                       struct scim_change *c, const char **why)
{
    struct scim_in b, af;
    scim_change_init(c);
    if ((*why = read_in(r->a, before, &b)) || (*why = read_in(r->a, after, &af))) return 400;
    struct attr d = pick(b.user_name, af.user_name, absent_clears);
    if (d.set && (*why = check_user_name(d.s))) return 400;
    c->user_name = d.s;
    d = pick(b.external_id, af.external_id, absent_clears);
    c->set_external_id = d.set;
    c->external_id = d.s;
    c->name = new_name(r->a, &b, &af, absent_clears);
    c->given_name = value_of(pick(b.given, af.given, absent_clears));
    c->family_name = value_of(pick(b.family, af.family, absent_clears));
    c->email = value_of(pick(b.email, af.email, absent_clears));
    c->title = value_of(pick(b.title, af.title, absent_clears));
    c->department = value_of(pick(b.department, af.department, absent_clears));
    d = pick(b.manager, af.manager, absent_clears);
    c->set_manager = d.set;
    if (d.s && (strspn(d.s, "0123456789") != strlen(d.s) || strlen(d.s) > 18 ||
                !(c->manager_id = atoll(d.s)))) {
        *why = arena_printf(r->a,
                            "the manager %s is not a person's id here (the id ken gave them, "
                            "a number)",
                            d.s);
        return 400;
    }
    if (af.active >= 0 && af.active != b.active) c->active = af.active;
    return af.password.s ? hash_password(r, af.password.s, c, why) : 0;
}

/* ---- the audit log ---- */

/* Returns what c changes, for the audit log: the attributes by name (no values but active's;
 * a password is never written down), in a. */
static const char *change_summary(struct arena *a, const struct scim_change *c)
{
    const char *parts[] = {c->user_name ? "userName" : NULL,
                           c->set_external_id ? "externalId" : NULL,
                           c->name ? "displayName" : NULL,
                           c->given_name ? "name.givenName" : NULL,
                           c->family_name ? "name.familyName" : NULL,
                           c->email ? "emails" : NULL,
                           c->title ? "title" : NULL,
                           c->department ? "department" : NULL,
                           c->set_manager ? "manager" : NULL,
                           c->password_hash ? "password" : NULL,
                           c->active == 0 ? "active=false" : c->active == 1 ? "active=true" : NULL};
    const char *out = "SCIM:";
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        if (parts[i]) out = arena_printf(a, "%s %s", out, parts[i]);
    return strcmp(out, "SCIM:") == 0 ? "SCIM: nothing changed" : out;
}

/* Opens the transaction an account change and its audit entry share. 0, or 503 with *why. */
static int audit_begin(struct req *r, const char **why)
{
    if (db_begin(r->db) == 0) return 0;
    *why = "the database is busy; try again in a moment";
    return 503;
}

/* Records `action` on the account `login` with `detail` when rc is 0 and commits, or rolls
 * back (audit_commit). Returns rc, or 503 with *why when the entry could not be written. */
static int audit_end(struct req *r, int rc, const char *action, const char *login,
                     const char *detail, const char **why)
{
    struct audit_who w = {r->user->id, r->user->login, r->addr};
    if (audit_commit(r->db, rc, &w, action, login, detail) >= 0) return rc;
    *why = "the change could not be recorded in the audit log, so it was not made; try again";
    return 503;
}

/* ---- requests ---- */

/* Returns the request's body as a resource ken reads, every member put through the same path
 * rules as PATCH (so "name.givenName" or an extension's "URN:attribute" member work too); NULL
 * after sending the refusal (400 invalidSyntax, or what the paths say). Caller decrefs. */
static json_t *body_resource(struct req *r, int *rc)
{
    const char *why, *scim_type;
    json_t *body = req_json(r, &why);
    if (!body) {
        *rc = scim_http_error(r, 400, "invalidSyntax", why);
        return NULL;
    }
    json_t *res = json_object();
    int bad = scim_patch_one(r->a, res, "replace", NULL, body, &why, &scim_type);
    json_decref(body);
    if (bad) {
        json_decref(res);
        *rc = scim_http_error(r, bad, scim_type, why);
        return NULL;
    }
    return res;
}

/* Returns the id in /scim/v2/Users/ID, or 0 (after which the caller answers 404). */
static int64_t id_of(struct req *r)
{
    const char *s = r->rest;
    size_t n = strlen(s);
    if (!n || n > 18 || strspn(s, "0123456789") != n) return 0;
    return atoll(s);
}

static int no_such(struct req *r)
{
    return scim_http_error(r, 404, NULL, arena_printf(r->a, "no person has the id %s", r->rest));
}

/* Sends a store refusal. */
static int refused(struct req *r, int status, const char *scim_type, const char *why)
{
    return scim_http_error(r, status, status == 400 && !scim_type ? "invalidValue" : scim_type,
                           why);
}

/* Reads whole number parameter `name` into *v (left alone when absent). 0, or -1. */
static int int_param(struct req *r, const char *name, long *v)
{
    const char *s = req_param(r, name);
    char *end;
    if (!s) return 0;
    long n = strtol(s, &end, 10);
    if (!*s || *end) return -1;
    *v = n;
    return 0;
}

/* Reads startIndex (from 1) and count into q; 0, or after sending a 400. */
static int paging(struct req *r, struct scim_query *q, int *start, int *sent)
{
    long s = 1, c = SCIM_COUNT_DEFAULT;
    if (int_param(r, "startIndex", &s) != 0 || int_param(r, "count", &c) != 0) {
        *sent = scim_http_error(r, 400, "invalidValue", "startIndex and count are whole numbers");
        return -1;
    }
    /* RFC 7644 3.4.2.4: below 1 means 1; a negative count means 0. */
    *start = s < 1 ? 1 : s > 1000000000 ? 1000000000 : (int)s;
    q->offset = *start - 1;
    q->count = c < 0 ? 0 : c > SCIM_COUNT_MAX ? SCIM_COUNT_MAX : (int)c;
    return 0;
}

/* Reads filter= into q; 0, or after sending a 400 invalidFilter. */
static int filtering(struct req *r, struct scim_query *q, int *sent)
{
    const char *text = req_param(r, "filter"), *why;
    struct scim_filter f;
    if (!text || !*text) return 0;
    if (scim_filter_parse(r->a, text, &f, &why) != 0) {
        *sent = scim_http_error(r, 400, "invalidFilter", why);
        return -1;
    }
    if (strcmp(f.op, "eq") != 0 || (!f.quoted && strcasecmp(f.attr, "id") != 0)) {
        *sent = scim_http_error(r, 400, "invalidFilter",
                                "ken filters people with eq and a string, like userName eq "
                                "\"ana@example.com\"");
        return -1;
    }
    if (strcasecmp(f.attr, "userName") == 0)
        q->user_name = f.value;
    else if (strcasecmp(f.attr, "externalId") == 0)
        q->external_id = f.value;
    else if (strcasecmp(f.attr, "displayName") == 0)
        q->display_name = f.value;
    else if (strcasecmp(f.attr, "id") == 0) /* -1, not 0 (no filter), for an id nobody has */
        q->id = strspn(f.value, "0123456789") == strlen(f.value) && *f.value &&
                        strlen(f.value) <= 18 && atoll(f.value) > 0
                    ? atoll(f.value)
                    : -1;
    else {
        *sent = scim_http_error(r, 400, "invalidFilter",
                                arena_printf(r->a,
                                             "ken filters people by userName, externalId, "
                                             "id or displayName, not %s",
                                             f.attr));
        return -1;
    }
    return 0;
}

/* ---- Users ---- */

/* WEBPAGE: GET /scim/v2/Users?filter=userName eq "x"&startIndex=1&count=100 -> 200 a
 * ListResponse of Users (filters: userName, externalId, id, displayName with eq; count at most
 * 200); 400 invalidFilter, invalidValue; 401; 403 not an admin */
int scim_users_list(struct req *r)
{
    struct scim_query q = {0};
    int start, n, total, sent;
    if (filtering(r, &q, &sent) != 0 || paging(r, &q, &start, &sent) != 0) return sent;
    int64_t *ids = scim_store_find(r->db, r->a, &q, &n, &total);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        struct scim_user *u = scim_store_get(r->db, r->a, r->user, ids[i]);
        const char *version;
        if (u) json_array_append_new(list, user_resource(r, u, &version));
    }
    return send_scim(r, 200,
                     json_pack("{s:[s], s:i, s:i, s:i, s:o}", "schemas", SCIM_LIST, "totalResults",
                               total, "startIndex", start, "itemsPerPage",
                               (int)json_array_size(list), "Resources", list));
}

/* WEBPAGE: POST /scim/v2/Users {userName, name, displayName, emails, title, active, externalId,
 * password, enterprise extension {department, manager}} -> 201 the User with Location: a new
 * editor account (or the one this userName was deleted from, or the one account with this
 * email no provider knows yet); 400 invalidSyntax, invalidValue (no userName, bad values, a
 * password ken's rules refuse); 409 uniqueness (the userName or externalId is someone's) */
int scim_users_create(struct req *r)
{
    int rc;
    json_t *after = body_resource(r, &rc), *before = after ? json_object() : NULL;
    if (!after) return rc;
    struct scim_change c;
    const char *why, *scim_type = "invalidValue";
    rc = change_from(r, before, after, 0, &c, &why);
    json_decref(before);
    json_decref(after);
    if (!rc && !c.user_name) {
        rc = 400;
        why = "userName is required";
    }
    int64_t id = 0;
    if (c.active < 0) c.active = 1;
    if (!rc) rc = audit_begin(r, &why);
    if (!rc) rc = scim_store_create(r->db, r->a, r->user, &c, &id, &why, &scim_type);
    struct scim_user *made = rc ? NULL : scim_store_get(r->db, r->a, r->user, id);
    rc = audit_end(r, rc, AUDIT_ACCOUNT_CREATE, made ? made->login : "",
                   rc ? NULL : change_summary(r->a, &c), &why);
    return rc ? refused(r, rc, scim_type, why) : send_user(r, 201, id);
}

/* WEBPAGE: GET /scim/v2/Users/ID -> 200 the User (ETag); 404 */
int scim_user_get(struct req *r)
{
    int64_t id = id_of(r);
    if (!id || !scim_store_get(r->db, r->a, r->user, id)) return no_such(r);
    return send_user(r, 200, id);
}

/* Applies what changed from before to after to person id and answers with the User. */
static int save(struct req *r, const struct scim_user *u, json_t *before, json_t *after,
                int absent_clears)
{
    struct scim_change c;
    const char *why, *scim_type = "invalidValue";
    int rc = change_from(r, before, after, absent_clears, &c, &why);
    if (!rc) rc = audit_begin(r, &why);
    if (!rc) rc = scim_store_update(r->db, r->a, r->user, u->id, &c, &why, &scim_type);
    rc = audit_end(r, rc, AUDIT_ACCOUNT_UPDATE, u->login, rc ? NULL : change_summary(r->a, &c),
                   &why);
    return rc ? refused(r, rc, scim_type, why) : send_user(r, 200, u->id);
}

/* WEBPAGE: PUT /scim/v2/Users/ID {the User} -> 200 the User; attributes left out stay as they
 * are (a person's profile holds more than a provider sends); 400 (userName is required); 404;
 * 409 uniqueness */
int scim_user_put(struct req *r)
{
    int64_t id = id_of(r);
    struct scim_user *u = id ? scim_store_get(r->db, r->a, r->user, id) : NULL;
    if (!u) return no_such(r);
    int rc;
    json_t *after = body_resource(r, &rc);
    if (!after) return rc;
    if (!json_string_value(scim_get(after, "userName"))) {
        json_decref(after);
        return scim_http_error(r, 400, "invalidValue", "userName is required");
    }
    json_t *before = user_json(r, u);
    rc = save(r, u, before, after, 0);
    json_decref(before);
    json_decref(after);
    return rc;
}

/* WEBPAGE: PATCH /scim/v2/Users/ID {schemas: [PatchOp], Operations: [{op, path, value}]} -> 200
 * the User; op add, replace or remove (any case), with a path (active, name.givenName,
 * emails[type eq "work"].value, urn:...:enterprise:2.0:User:manager) or without one (value is an
 * object of attributes); active=false (or "False") marks the person as having left and signs
 * them out everywhere, true brings them back; 400 invalidSyntax, invalidPath, invalidValue,
 * noTarget; 404; 409 */
int scim_user_patch(struct req *r)
{
    int64_t id = id_of(r);
    struct scim_user *u = id ? scim_store_get(r->db, r->a, r->user, id) : NULL;
    if (!u) return no_such(r);
    const char *why, *scim_type;
    json_t *body = req_json(r, &why);
    if (!body) return scim_http_error(r, 400, "invalidSyntax", why);
    json_t *before = user_json(r, u), *after = json_deep_copy(before);
    int rc = scim_patch_apply(r->a, after, body, &why, &scim_type);
    rc = rc ? scim_http_error(r, rc, scim_type, why) : save(r, u, before, after, 1);
    json_decref(body);
    json_decref(before);
    json_decref(after);
    return rc;
}

/* WEBPAGE: DELETE /scim/v2/Users/ID -> 204: the person is marked as having left, signed out
 * everywhere and no longer known to SCIM (404 from then on); their account, profile and pages
 * stay; 400 the token's own account; 404 */
int scim_user_delete(struct req *r)
{
    int64_t id = id_of(r);
    if (!id) return no_such(r);
    const char *why, *scim_type = NULL;
    struct scim_user *u = scim_store_get(r->db, r->a, r->user, id);
    int rc = audit_begin(r, &why);
    if (!rc) rc = scim_store_delete(r->db, r->a, r->user, id, &why, &scim_type);
    rc = audit_end(r, rc, AUDIT_ACCOUNT_DELETE, u ? u->login : r->rest,
                   "SCIM: deleted (marked as having left)", &why);
    if (rc) return refused(r, rc, scim_type, why);
    return resp_send(r, 204, "application/scim+json", "", 0);
}

/* ---- discovery ---- */

static json_t *meta(struct req *r, const char *type, const char *where)
{
    return json_pack("{s:s, s:s}", "resourceType", type, "location",
                     arena_printf(r->a, "%s/scim/v2/%s", site_base(r), where));
}

/* WEBPAGE: GET /scim/v2/ServiceProviderConfig -> 200 what ken supports: PATCH, filters (200
 * results at most), password changes and entity tags; no bulk, no sorting; bearer tokens */
int scim_service_provider_config(struct req *r)
{
    json_t *auth = json_pack(
        "[{s:s, s:s, s:s, s:b}]", "type", "oauthbearertoken", "name", "API token", "description",
        "An admin's ken API token (ken token add LOGIN) as Authorization: Bearer TOKEN", "primary",
        1);
    return send_scim(
        r, 200,
        json_pack("{s:[s], s:{s:b}, s:{s:b, s:i, s:i}, s:{s:b, s:i}, s:{s:b}, s:{s:b}, s:{s:b}, "
                  "s:o, s:o}",
                  "schemas", "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig", "patch",
                  "supported", 1, "bulk", "supported", 0, "maxOperations", 0, "maxPayloadSize", 0,
                  "filter", "supported", 1, "maxResults", SCIM_COUNT_MAX, "changePassword",
                  "supported", 1, "sort", "supported", 0, "etag", "supported", 1,
                  "authenticationSchemes", auth, "meta",
                  meta(r, "ServiceProviderConfig", "ServiceProviderConfig")));
}

/* One attribute of a schema (RFC 7643 7). */
static json_t *attr(const char *name, const char *type, int multi, int required,
                    const char *mutability, const char *returned, const char *description,
                    json_t *subs)
{
    json_t *o = json_pack("{s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:s, s:s}", "name", name, "type",
                          type, "multiValued", multi, "description", description, "required",
                          required, "caseExact", 0, "mutability", mutability, "returned", returned,
                          "uniqueness", strcmp(name, "userName") == 0 ? "server" : "none");
    if (subs) json_object_set_new(o, "subAttributes", subs);
    if (strcmp(type, "reference") == 0)
        json_object_set_new(o, "referenceTypes", json_pack("[s]", "User"));
    return o;
}

static json_t *s_attr(const char *name, const char *description)
{
    return attr(name, "string", 0, 0, "readWrite", "default", description, NULL);
}

static json_t *user_schema(struct req *r)
{
    json_t *name =
        json_pack("[o, o, o]", s_attr("formatted", "The whole name"),
                  s_attr("givenName", "Given name"), s_attr("familyName", "Family name"));
    json_t *emails = json_pack(
        "[o, o, o]", s_attr("value", "The address (ken keeps one: the primary, else work)"),
        s_attr("type", "work, home or other"),
        attr("primary", "boolean", 0, 0, "readWrite", "default", "The one to use", NULL));
    json_t *attrs = json_pack(
        "[o, o, o, o, o, o, o]",
        attr("userName", "string", 0, 1, "readWrite", "always",
             "What the provider calls the person; a new person's login is made from it", NULL),
        attr("name", "complex", 0, 0, "readWrite", "default", "The person's name", name),
        s_attr("displayName", "The name ken shows"), s_attr("title", "Job title"),
        attr("emails", "complex", 1, 0, "readWrite", "default", "Email addresses", emails),
        attr("active", "boolean", 0, 0, "readWrite", "default",
             "false: has left the company and cannot sign in", NULL),
        attr("password", "string", 0, 0, "writeOnly", "never",
             "A password to sign in with (10 characters at least)", NULL));
    return json_pack("{s:[s], s:s, s:s, s:s, s:o, s:o}", "schemas",
                     "urn:ietf:params:scim:schemas:core:2.0:Schema", "id", SCIM_CORE_USER, "name",
                     "User", "description", "A person in ken", "attributes", attrs, "meta",
                     meta(r, "Schema", "Schemas/" SCIM_CORE_USER));
}

static json_t *enterprise_schema(struct req *r)
{
    json_t *manager = json_pack(
        "[o, o, o]", s_attr("value", "The manager's id"),
        attr("$ref", "reference", 0, 0, "readWrite", "default", "The manager's URI", NULL),
        attr("displayName", "string", 0, 0, "readOnly", "default", "The manager's name", NULL));
    json_t *attrs = json_pack(
        "[o, o]", s_attr("department", "Department, by name; made when new"),
        attr("manager", "complex", 0, 0, "readWrite", "default", "The person's manager", manager));
    return json_pack("{s:[s], s:s, s:s, s:s, s:o, s:o}", "schemas",
                     "urn:ietf:params:scim:schemas:core:2.0:Schema", "id", SCIM_ENTERPRISE_USER,
                     "name", "EnterpriseUser", "description", "Organisation", "attributes", attrs,
                     "meta", meta(r, "Schema", "Schemas/" SCIM_ENTERPRISE_USER));
}

/* Sends the resources as a ListResponse, or, for /NAME/ID, the one whose id is ID (404 when
 * none); takes them. */
static int list_or_one(struct req *r, json_t *all)
{
    if (!*r->rest)
        return send_scim(r, 200,
                         json_pack("{s:[s], s:i, s:i, s:i, s:o}", "schemas", SCIM_LIST,
                                   "totalResults", (int)json_array_size(all), "startIndex", 1,
                                   "itemsPerPage", (int)json_array_size(all), "Resources", all));
    size_t i;
    json_t *o;
    json_array_foreach(all, i, o)
    {
        if (strcasecmp(json_string_value(json_object_get(o, "id")), r->rest) == 0) {
            json_incref(o);
            json_decref(all);
            return send_scim(r, 200, o);
        }
    }
    json_decref(all);
    return scim_http_error(r, 404, NULL, arena_printf(r->a, "there is no %s here", r->rest));
}

/* WEBPAGE: GET /scim/v2/Schemas, /scim/v2/Schemas/URN -> 200 the User and enterprise User
 * schemas as ken keeps them (a ListResponse, or one); 404 */
int scim_schemas(struct req *r)
{
    return list_or_one(r, json_pack("[o, o, o]", user_schema(r), enterprise_schema(r),
                                    scim_group_schema(r->a, site_base(r))));
}

/* WEBPAGE: GET /scim/v2/ResourceTypes, /scim/v2/ResourceTypes/User -> 200 the one resource
 * type, User, with the enterprise extension; 404 */
int scim_resource_types(struct req *r)
{
    return list_or_one(
        r, json_pack("[{s:[s], s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:b}], s:o}, "
                     "{s:[s], s:s, s:s, s:s, s:s, s:s, s:o}]",
                     "schemas", "urn:ietf:params:scim:schemas:core:2.0:ResourceType", "id", "User",
                     "name", "User", "endpoint", "/Users", "description", "People", "schema",
                     SCIM_CORE_USER, "schemaExtensions", "schema", SCIM_ENTERPRISE_USER,
                     "required", 0, "meta", meta(r, "ResourceType", "ResourceTypes/User"),
                     "schemas", "urn:ietf:params:scim:schemas:core:2.0:ResourceType", "id",
                     "Group", "name", "Group", "endpoint", "/Groups", "description",
                     "Groups of people", "schema", SCIM_CORE_GROUP, "meta",
                     meta(r, "ResourceType", "ResourceTypes/Group")));
}
