/* scim: the parts of SCIM 2.0 (RFC 7643, 7644) that need neither SQL nor HTTP: filters
 * (`userName eq "alice"`), attribute paths (`emails[type eq "work"].value`,
 * `urn:...:enterprise:2.0:User:manager`), PATCH operations applied to a resource's JSON, the
 * lenient booleans identity providers send ("False"), and a ken login made from a userName.
 * Attribute names are matched without regard to case everywhere, as RFC 7643 2.1 asks. */
#ifndef KEN_SCIM_H
#define KEN_SCIM_H
#include "core/arena.h"

#include <jansson.h>

#define SCIM_CORE_USER "urn:ietf:params:scim:schemas:core:2.0:User"
#define SCIM_CORE_GROUP "urn:ietf:params:scim:schemas:core:2.0:Group"
#define SCIM_ENTERPRISE_USER "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
#define SCIM_LIST "urn:ietf:params:scim:api:messages:2.0:ListResponse"
#define SCIM_PATCH_OP "urn:ietf:params:scim:api:messages:2.0:PatchOp"
#define SCIM_ERROR "urn:ietf:params:scim:api:messages:2.0:Error"

/* One comparison, `attr op value`. */
struct scim_filter {
    const char *attr;  /* as written, without the core schema's URN ("userName", "type") */
    const char *op;    /* lowercase: eq ne co sw ew gt ge lt le pr */
    const char *value; /* a string's text, or "true" "false" "null" or a number as written;
                        * NULL for pr */
    int quoted;        /* 1: value was a JSON string */
};

/* Parses one comparison (`userName eq "a@b.c"`, `active eq true`, `title pr`). and/or/not and
 * grouping are not understood. Returns 0 with *f filled (strings in a), or -1 with *why (static
 * or in a) saying what ken understands. */
int scim_filter_parse(struct arena *a, const char *text, struct scim_filter *f, const char **why);

/* An attribute path: [SCHEMA-URN:]attr[\[filter\]][.sub]. */
struct scim_path {
    const char *schema;        /* NULL: the core User schema; else an extension's URN */
    const char *attr;          /* NULL: the extension object itself (path is just its URN) */
    struct scim_filter filter; /* filter.attr NULL: no [filter] */
    const char *sub;           /* NULL: none */
};

/* Parses a PATCH path. Returns 0 with *p filled (in a), or -1 with *why. */
int scim_path_parse(struct arena *a, const char *text, struct scim_path *p, const char **why);

/* Returns the member of object `o` whose name is `key` in any case (borrowed), or NULL. */
json_t *scim_get(json_t *o, const char *key);

/* Returns 1 or 0 for JSON true/false or the strings "true"/"false" in any case (Entra ID sends
 * "False"), -1 for anything else. */
int scim_bool(json_t *v);

/* Applies a PatchOp body ({"Operations": [{op, path, value}...]}) to resource `res` (a User as
 * JSON, changed in place). op is add, replace or remove in any case; without a path, the value
 * is an object whose members are each a path (or an extension's URN) and its value. Returns 0,
 * or 400 with *why and *scim_type ("invalidSyntax", "invalidPath", "invalidFilter", "noTarget",
 * "invalidValue"), static or in a; `res` may then be half changed. */
int scim_patch_apply(struct arena *a, json_t *res, json_t *body, const char **why,
                     const char **scim_type);

/* Applies one operation (op "add", "replace" or "remove") at `path` (NULL: the no-path form). The
 * same returns as scim_patch_apply; a POST or PUT body is read as replace without a path. */
int scim_patch_one(struct arena *a, json_t *res, const char *op, const char *path, json_t *value,
                   const char **why, const char **scim_type);

/* Returns a login for a new account from a SCIM userName, in a: lowercase, the part before '@'
 * of an address, characters ken logins do not take as '-', at most 56 characters; "user" when
 * nothing is left. The caller makes it unique. */
const char *scim_login_base(struct arena *a, const char *user_name);

/* Returns the Group schema (RFC 7643 4.2) as /scim/v2/Schemas shows it, with its location under
 * base ("https://host"). Owned by the caller. */
json_t *scim_group_schema(struct arena *a, const char *base);

#endif
