/* group_store: the SQL of groups of people (schema/0026_groups.sql): made by admins or by an
 * identity provider through SCIM, each a name, an optional external id and its members. */
#ifndef KEN_GROUP_STORE_H
#define KEN_GROUP_STORE_H
#include "core/arena.h"
#include "core/db.h"

enum { GROUP_NAME_MAX = 200 };

struct group {
    int64_t id, created_at, updated_at;
    const char *name;
    const char *external_id; /* NULL: none */
    const char *source;      /* "admin" or "scim" */
    int members;
    struct group *next;
};

struct group_member {
    int64_t user_id;
    const char *login, *name;
    int left; /* 1: has left, or the account is disabled */
    struct group_member *next;
};

/* Returns NULL when `name` may name a group (1 to GROUP_NAME_MAX bytes, not only spaces, no
 * control characters), else why not (static). */
const char *group_name_check(const char *name);

/* Creates a group. Returns its id, or 0 with *why when the name is taken (409) or -1 on a
 * database error. source is "admin" or "scim". */
int64_t group_store_create(struct db *db, const char *name, const char *external_id,
                           const char *source, const char **why);
/* Renames group id. Returns 0, 404, or 409 (the name is another group's) with *why, or 503. */
int group_store_rename(struct db *db, int64_t id, const char *name, const char **why);
/* Sets (NULL: clears) the external id of group id. 0, 409 (another group's) with *why, or 503. */
int group_store_set_external_id(struct db *db, int64_t id, const char *external_id,
                                const char **why);
/* Deletes group id and its memberships. 0, 404, or 503. */
int group_store_delete(struct db *db, int64_t id);

/* Returns group id with its member count, in a; NULL when there is none. */
struct group *group_store_get(struct db *db, struct arena *a, int64_t id);
/* Returns the groups by name (any case), those called `name` only when it is not NULL, at most
 * count from offset (count 0: all); *total gets how many match. In a; NULL when none. */
struct group *group_store_list(struct db *db, struct arena *a, const char *name, int offset,
                               int count, int *total);
/* Returns the members of group id by name, in a; NULL when none. */
struct group_member *group_store_members(struct db *db, struct arena *a, int64_t id);

/* Adds user to group. Returns 0 added, 1 already a member, -1 on error. */
int group_store_add(struct db *db, int64_t group_id, int64_t user_id);
/* Removes user from group. Returns 0 removed, 1 was not a member, -1 on error. */
int group_store_remove(struct db *db, int64_t group_id, int64_t user_id);
/* Marks group id as changed now (SCIM's lastModified). 0 or -1. */
int group_store_touch(struct db *db, int64_t id);
/* Returns the id of the account called `login` (any case; left or not), or 0. */
int64_t group_store_user_id(struct db *db, const char *login);
/* Returns the login of account user_id (any account, left or not) in a, or NULL. */
const char *group_store_login(struct db *db, struct arena *a, int64_t user_id);

#endif
