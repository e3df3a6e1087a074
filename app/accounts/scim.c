#include "accounts/scim.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- filters ---- */

static const char FILTER_HINT[] = "ken understands one comparison like userName eq \"alice\" "
                                  "(attributes in any case; eq, ne, co, sw, ew, gt, ge, lt, le "
                                  "or pr; a string in double quotes, true, false, null or a "
                                  "number); and, or, not and parentheses are not supported";

static int attr_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '$' || c == '.' || c == ':';
}

/* Returns s without the core User schema's URN in front ("urn:...:core:2.0:User:userName"). */
static const char *strip_core(const char *s)
{
    size_t n = strlen(SCIM_CORE_USER);
    if (strncasecmp(s, SCIM_CORE_USER, n) == 0 && s[n] == ':') return s + n + 1;
    return s;
}

/* Reads a JSON string literal starting at *p (a '"'). Returns its text in a and moves *p past
 * it, or NULL when it is not a complete, valid literal. */
static const char *read_string(struct arena *a, const char **p)
{
    const char *q = *p + 1;
    while (*q && *q != '"')
        q += q[0] == '\\' && q[1] ? 2 : 1;
    if (*q != '"') return NULL;
    json_error_t err;
    json_t *j = json_loadb(*p, (size_t)(q - *p + 1), JSON_DECODE_ANY, &err);
    const char *s = json_is_string(j) ? arena_strdup(a, json_string_value(j)) : NULL;
    json_decref(j);
    *p = q + 1;
    return s;
}

/* Reads true, false, null or a number at *p into f. Returns 0, or -1. */
static int read_literal(struct arena *a, const char **p, struct scim_filter *f)
{
    const char *s = *p, *q = s;
    while (isalnum((unsigned char)*q) || *q == '.' || *q == '-' || *q == '+')
        q++;
    char *word = arena_strndup(a, s, (size_t)(q - s));
    *p = q;
    if (!strcasecmp(word, "true") || !strcasecmp(word, "false") || !strcasecmp(word, "null")) {
        for (char *c = word; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        f->value = word;
        return 0;
    }
    char *end;
    strtod(word, &end);
    if (!*word || *end) return -1;
    f->value = word;
    return 0;
}

static const char *const OPS[] = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", NULL};

/* Reads the operator at *p into f->op. Returns 0, or -1 when it is not one of OPS. */
static int read_op(struct arena *a, const char **p, struct scim_filter *f)
{
    const char *s = *p;
    while (isalpha((unsigned char)**p))
        (*p)++;
    if (*p - s != 2) return -1;
    char op[3] = {(char)tolower((unsigned char)s[0]), (char)tolower((unsigned char)s[1]), 0};
    for (int i = 0; OPS[i]; i++)
        if (strcmp(op, OPS[i]) == 0) {
            f->op = arena_strdup(a, op);
            return 0;
        }
    return -1;
}

int scim_filter_parse(struct arena *a, const char *text, struct scim_filter *f, const char **why)
{
    memset(f, 0, sizeof *f);
    *why = FILTER_HINT;
    const char *p = text, *s;
    while (*p == ' ')
        p++;
    for (s = p; attr_char(*p); p++)
        ;
    if (p == s || *p != ' ') return -1;
    f->attr = strip_core(arena_strndup(a, s, (size_t)(p - s)));
    while (*p == ' ')
        p++;
    if (read_op(a, &p, f) != 0) return -1;
    if (strcmp(f->op, "pr") != 0) {
        if (*p != ' ') return -1;
        while (*p == ' ')
            p++;
        if (*p == '"') {
            f->quoted = 1;
            if (!(f->value = read_string(a, &p))) return -1;
        } else if (read_literal(a, &p, f) != 0) {
            return -1;
        }
    }
    while (*p == ' ')
        p++;
    if (*p) return -1;
    *why = NULL;
    return 0;
}

/* ---- paths ---- */

static int name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '$';
}

/* Takes the schema URN off the front of *s into p->schema. Returns 0, or -1 when the path is
 * only the core schema's URN. */
static int take_schema(struct arena *a, const char **s, struct scim_path *p)
{
    size_t core = strlen(SCIM_CORE_USER), ent = strlen(SCIM_ENTERPRISE_USER);
    if (strncasecmp(*s, "urn:", 4) != 0) return 0;
    if (strncasecmp(*s, SCIM_CORE_USER, core) == 0 && (!(*s)[core] || (*s)[core] == ':')) {
        if (!(*s)[core]) return -1;
        *s += core + 1;
    } else if (strncasecmp(*s, SCIM_ENTERPRISE_USER, ent) == 0 &&
               (!(*s)[ent] || (*s)[ent] == ':')) {
        p->schema = SCIM_ENTERPRISE_USER;
        *s += (*s)[ent] ? ent + 1 : ent;
    } else { /* another extension: its attribute follows the last ':' before any '[' */
        const char *end = *s + strcspn(*s, "["), *colon = NULL;
        for (const char *q = *s; q < end; q++)
            if (*q == ':') colon = q;
        p->schema = arena_strndup(a, *s, (size_t)(colon - *s));
        *s = colon + 1;
    }
    return 0;
}

/* Returns the ']' that closes the filter starting after '[' at s, skipping quoted strings. */
static const char *filter_end(const char *s)
{
    for (; *s && *s != ']'; s++)
        if (*s == '"')
            for (s++; *s && *s != '"'; s++)
                if (*s == '\\' && s[1]) s++;
    return *s == ']' ? s : NULL;
}

int scim_path_parse(struct arena *a, const char *text, struct scim_path *p, const char **why)
{
    memset(p, 0, sizeof *p);
    const char *s = text;
    while (*s == ' ')
        s++;
    *why = arena_printf(a,
                        "the path %s is not one ken understands: it is an attribute (name, "
                        "name.givenName, emails[type eq \"work\"].value, or an extension's "
                        "URN and attribute)",
                        text);
    if (take_schema(a, &s, p) != 0) return -1;
    if (p->schema && !*s) return 0; /* the extension object itself */
    const char *q = s;
    while (name_char(*q))
        q++;
    if (q == s) return -1;
    p->attr = arena_strndup(a, s, (size_t)(q - s));
    if (*q == '[') {
        const char *close = filter_end(q + 1);
        const char *fwhy;
        if (!close || scim_filter_parse(a, arena_strndup(a, q + 1, (size_t)(close - q - 1)),
                                        &p->filter, &fwhy) != 0)
            return -1;
        q = close + 1;
    }
    if (*q == '.') {
        s = ++q;
        while (name_char(*q))
            q++;
        if (q == s) return -1;
        p->sub = arena_strndup(a, s, (size_t)(q - s));
    }
    while (*q == ' ')
        q++;
    if (*q) return -1;
    *why = NULL;
    return 0;
}

/* ---- JSON helpers ---- */

/* Returns the name under which `o` holds `key` in any case (owned by o), or NULL. */
static const char *key_of(json_t *o, const char *key)
{
    const char *k;
    json_t *v;
    if (!json_is_object(o)) return NULL;
    json_object_foreach(o, k, v)
    {
        if (strcasecmp(k, key) == 0) return k;
    }
    return NULL;
}

json_t *scim_get(json_t *o, const char *key)
{
    const char *k = key_of(o, key);
    return k ? json_object_get(o, k) : NULL;
}

/* Sets o[key] (under the name o already uses for it, if any) to v, which it takes. */
static void put(struct arena *a, json_t *o, const char *key, json_t *v)
{
    const char *k = key_of(o, key);
    json_object_set_new(o, k ? arena_strdup(a, k) : key, v);
}

static void del(struct arena *a, json_t *o, const char *key)
{
    const char *k = key_of(o, key);
    if (k) json_object_del(o, arena_strdup(a, k));
}

/* Copies every member of src over dst's (sub-attributes not named stay, RFC 7644 3.5.2). */
static void merge(struct arena *a, json_t *dst, json_t *src)
{
    const char *k;
    json_t *v;
    json_object_foreach(src, k, v)
    {
        put(a, dst, k, json_deep_copy(v));
    }
}

int scim_bool(json_t *v)
{
    if (json_is_boolean(v)) return json_is_true(v);
    const char *s = json_string_value(v);
    if (s && strcasecmp(s, "true") == 0) return 1;
    if (s && strcasecmp(s, "false") == 0) return 0;
    return -1;
}

/* ---- PATCH ---- */

enum op { OP_ADD, OP_REPLACE, OP_REMOVE };

static int fail(const char **why, const char **scim_type, const char *w, const char *t)
{
    *why = w;
    *scim_type = t;
    return 400;
}

/* Returns 1 when element e of a list matches filter f (eq or pr). */
static int matches(json_t *e, const struct scim_filter *f)
{
    if (!json_is_object(e)) return 0;
    json_t *v = scim_get(e, f->attr);
    if (strcmp(f->op, "pr") == 0) return v && !json_is_null(v);
    if (!f->quoted && strcmp(f->value, "null") == 0) return !v || json_is_null(v);
    if (json_is_string(v)) return strcasecmp(json_string_value(v), f->value) == 0;
    if (json_is_boolean(v))
        return !strcmp(f->value, json_is_true(v) ? "true" : "false") ||
               (f->quoted && !strcasecmp(f->value, json_is_true(v) ? "true" : "false"));
    if (json_is_number(v)) return !f->quoted && json_number_value(v) == strtod(f->value, NULL);
    return 0;
}

/* Sets target[sub] (or all of target, an object, when sub is NULL) to value. */
static int set_in(struct arena *a, json_t *target, const char *sub, json_t *value, const char **why,
                  const char **scim_type)
{
    json_t *cur = sub ? scim_get(target, sub) : target;
    if (json_is_object(cur) && json_is_object(value))
        merge(a, cur, value);
    else if (sub)
        put(a, target, sub, json_deep_copy(value));
    else
        return fail(why, scim_type, "a value for a member of a list is an object", "invalidValue");
    return 0;
}

/* `attr[filter][.sub]`: works on the members of list attr that match. */
static int apply_filtered(struct arena *a, json_t *box, enum op op, const struct scim_path *p,
                          json_t *value, const char **why, const char **scim_type)
{
    const struct scim_filter *f = &p->filter;
    if (strcmp(f->op, "eq") != 0 && strcmp(f->op, "pr") != 0)
        return fail(why, scim_type, "a filter in a path compares with eq (or pr)", "invalidFilter");
    json_t *list = scim_get(box, p->attr);
    if (!list && op == OP_REMOVE) return 0;
    if (!list) {
        list = json_array();
        put(a, box, p->attr, list);
    }
    if (!json_is_array(list))
        return fail(why, scim_type, arena_printf(a, "%s is not a list", p->attr), "invalidPath");
    int hit = 0;
    for (size_t i = json_array_size(list); i-- > 0;) {
        json_t *e = json_array_get(list, i);
        if (!matches(e, f)) continue;
        hit = 1;
        if (op == OP_REMOVE && p->sub)
            del(a, e, p->sub);
        else if (op == OP_REMOVE)
            json_array_remove(list, i);
        else if (set_in(a, e, p->sub, value, why, scim_type))
            return 400;
    }
    if (hit || op == OP_REMOVE) return 0;
    if (strcmp(f->op, "eq") != 0) /* nothing to make a new member from */
        return fail(why, scim_type, arena_printf(a, "no member of %s matches", p->attr),
                    "noTarget");
    /* Replacing emails[type eq "work"].value when there is no work address adds one, as
     * identity providers expect. */
    json_t *e = json_object();
    json_t *v = f->quoted                                  ? json_string(f->value)
                : strcmp(f->value, "null") == 0            ? NULL
                : f->value[0] == 't' || f->value[0] == 'f' ? json_boolean(f->value[0] == 't')
                                                           : json_real(strtod(f->value, NULL));
    if (v) json_object_set_new(e, f->attr, v);
    json_array_append_new(list, e);
    return set_in(a, e, p->sub, value, why, scim_type);
}

/* `attr[.sub]` without a filter. */
static int apply_plain(struct arena *a, json_t *box, enum op op, const struct scim_path *p,
                       json_t *value, const char **why, const char **scim_type)
{
    json_t *cur = scim_get(box, p->attr);
    if (!p->sub) {
        if (op == OP_REMOVE) {
            del(a, box, p->attr);
        } else if (op == OP_ADD && json_is_array(cur) && json_is_array(value)) {
            json_t *copy = json_deep_copy(value);
            json_array_extend(cur, copy); /* add to a list appends (RFC 7644 3.5.2.1) */
            json_decref(copy);
        } else {
            return set_in(a, box, p->attr, value, why, scim_type);
        }
        return 0;
    }
    if (!cur && op == OP_REMOVE) return 0;
    if (!cur) {
        cur = json_object();
        put(a, box, p->attr, cur);
    }
    if (!json_is_object(cur))
        return fail(why, scim_type,
                    json_is_array(cur)
                        ? arena_printf(a,
                                       "%s is a list: name its member with a filter, like "
                                       "%s[type eq \"work\"].%s",
                                       p->attr, p->attr, p->sub)
                        : arena_printf(a, "%s has no sub-attributes", p->attr),
                    "invalidPath");
    if (op == OP_REMOVE) {
        del(a, cur, p->sub);
        return 0;
    }
    return set_in(a, cur, p->sub, value, why, scim_type);
}

static int apply(struct arena *a, json_t *res, enum op op, const struct scim_path *p, json_t *value,
                 const char **why, const char **scim_type)
{
    json_t *box = res;
    if (p->schema) {
        box = scim_get(res, p->schema);
        if (!json_is_object(box)) {
            if (op == OP_REMOVE) return 0;
            box = json_object();
            put(a, res, p->schema, box);
        }
        if (!p->attr) {
            if (op == OP_REMOVE)
                del(a, res, p->schema);
            else if (json_is_object(value))
                merge(a, box, value);
            else
                return fail(why, scim_type, "the value of an extension is an object",
                            "invalidValue");
            return 0;
        }
    }
    return p->filter.attr ? apply_filtered(a, box, op, p, value, why, scim_type)
                          : apply_plain(a, box, op, p, value, why, scim_type);
}

int scim_patch_one(struct arena *a, json_t *res, const char *opname, const char *path,
                   json_t *value, const char **why, const char **scim_type)
{
    enum op op;
    if (opname && strcasecmp(opname, "add") == 0)
        op = OP_ADD;
    else if (opname && strcasecmp(opname, "replace") == 0)
        op = OP_REPLACE;
    else if (opname && strcasecmp(opname, "remove") == 0)
        op = OP_REMOVE;
    else
        return fail(why, scim_type, "op is add, replace or remove", "invalidSyntax");
    if (op != OP_REMOVE && !value)
        return fail(why, scim_type, arena_printf(a, "%s needs a value", opname), "invalidValue");
    if (path && *path) {
        struct scim_path p;
        if (scim_path_parse(a, path, &p, why) != 0) {
            *scim_type = "invalidPath";
            return 400;
        }
        return apply(a, res, op, &p, value, why, scim_type);
    }
    if (op == OP_REMOVE) return fail(why, scim_type, "remove needs a path", "noTarget");
    if (!json_is_object(value))
        return fail(why, scim_type, "without a path, the value is an object of attributes",
                    "invalidValue");
    const char *k;
    json_t *v;
    json_object_foreach(value, k, v)
    {
        int rc = scim_patch_one(a, res, opname, k, v, why, scim_type);
        if (rc) return rc;
    }
    return 0;
}

int scim_patch_apply(struct arena *a, json_t *res, json_t *body, const char **why,
                     const char **scim_type)
{
    json_t *ops = scim_get(body, "Operations");
    if (!json_is_array(ops) || json_array_size(ops) == 0)
        return fail(why, scim_type,
                    "a PATCH body is {\"schemas\": [\"" SCIM_PATCH_OP "\"], \"Operations\": "
                    "[{\"op\": \"replace\", \"path\": \"active\", \"value\": false}]}",
                    "invalidSyntax");
    size_t i;
    json_t *o;
    json_array_foreach(ops, i, o)
    {
        json_t *path = scim_get(o, "path");
        if (!json_is_object(o) || !json_is_string(scim_get(o, "op")) ||
            (path && !json_is_string(path) && !json_is_null(path)))
            return fail(why, scim_type,
                        arena_printf(a,
                                     "operation %zu is not {\"op\": ..., \"path\": \"...\", "
                                     "\"value\": ...}",
                                     i + 1),
                        "invalidSyntax");
        int rc = scim_patch_one(a, res, json_string_value(scim_get(o, "op")),
                                json_string_value(path), scim_get(o, "value"), why, scim_type);
        if (rc) return rc;
    }
    return 0;
}

/* ---- logins ---- */

const char *scim_login_base(struct arena *a, const char *user_name)
{
    const char *at = strchr(user_name, '@');
    size_t n = at && at > user_name ? (size_t)(at - user_name) : strlen(user_name);
    char *out = arena_alloc(a, n + 1), *w = out;
    for (size_t i = 0; i < n && w - out < 56; i++) {
        char c = (char)tolower((unsigned char)user_name[i]);
        if (!(isalnum((unsigned char)c) && !(c & 0x80)) && !strchr("._-", c)) c = '-';
        if (c == '-' && w > out && w[-1] == '-') continue;
        if ((c == '-' || c == '.') && w == out) continue;
        *w++ = c;
    }
    while (w > out && (w[-1] == '-' || w[-1] == '.'))
        w--;
    *w = 0;
    return *out ? out : "user";
}

json_t *scim_group_schema(struct arena *a, const char *base)
{
    json_t *member = json_pack(
        "[{s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:s, s:s}, {s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:s, "
        "s:s}]",
        "name", "value", "type", "string", "multiValued", 0, "description", "A User's id",
        "required", 0, "caseExact", 0, "mutability", "immutable", "returned", "default",
        "uniqueness", "none", "name", "display", "type", "string", "multiValued", 0,
        "description", "The User's name", "required", 0, "caseExact", 0, "mutability",
        "readOnly", "returned", "default", "uniqueness", "none");
    json_t *attrs = json_pack(
        "[{s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:s, s:s}, {s:s, s:s, s:b, s:s, s:b, s:b, s:s, s:s, "
        "s:s, s:o}]",
        "name", "displayName", "type", "string", "multiValued", 0, "description",
        "The group's name", "required", 1, "caseExact", 0, "mutability", "readWrite", "returned",
        "always", "uniqueness", "server", "name", "members", "type", "complex", "multiValued", 1,
        "description", "The people in the group", "required", 0, "caseExact", 0, "mutability",
        "readWrite", "returned", "default", "uniqueness", "none", "subAttributes", member);
    return json_pack("{s:[s], s:s, s:s, s:s, s:o, s:{s:s, s:s}}", "schemas",
                     "urn:ietf:params:scim:schemas:core:2.0:Schema", "id", SCIM_CORE_GROUP,
                     "name", "Group", "description", "A group of people in ken", "attributes",
                     attrs, "meta", "resourceType", "Schema", "location",
                     arena_printf(a, "%s/scim/v2/Schemas/%s", base, SCIM_CORE_GROUP));
}
