/* community_store: communities (guilds, networks across the org chart), their owners, members
 * and requests to join (the SQL for them). A community's slug is also the wiki space that holds
 * its pages. Names and titles are the only person fields here: they are fixed fields every
 * signed-in reader may see (people_perm.c). Results live in the arena `a`; writes open their own
 * transaction (a savepoint inside an open one). */
#ifndef KEN_COMMUNITY_STORE_H
#define KEN_COMMUNITY_STORE_H
#include "core/arena.h"
#include "core/db.h"

enum { COMMUNITY_NAME_MAX = 100, COMMUNITY_DESCRIPTION_MAX = 4000 };

/* Where someone stands in a community, weakest first. */
enum community_role {
    COMMUNITY_NONE = 0,    /* not in it */
    COMMUNITY_PENDING = 1, /* asked to join a closed community; an owner decides */
    COMMUNITY_MEMBER = 2,
    COMMUNITY_OWNER = 3,   /* a member who approves requests and manages members */
};
/* Returns "owner", "member", "pending" (static), or NULL for COMMUNITY_NONE. */
const char *community_role_name(enum community_role role);

struct community {
    int64_t id;
    const char *slug, *name, *description;
    int open;                  /* 1: anyone joins; 0: owners approve requests */
    int64_t created_at;
    int members;               /* members and owners who have not left the company */
    int pending;               /* requests waiting for an owner */
    enum community_role role;  /* the role of the person the list was made for (see below) */
    struct community *next;
};

struct community_member {
    int64_t user_id;
    const char *login, *name, *title;
    enum community_role role;
    int64_t joined_at;         /* or when they asked, for pending requests */
    struct community_member *next;
};

/* Returns every community by name, with `user_id`'s role in each (0: nobody's). */
struct community *community_store_list(struct db *db, struct arena *a, int64_t user_id);
/* Returns the community with `slug` and `user_id`'s role in it, or NULL. */
struct community *community_store_get(struct db *db, struct arena *a, const char *slug,
                                      int64_t user_id);
/* Returns the communities `user_id` is a member or owner of (not requests), by name. */
struct community *community_store_of_person(struct db *db, struct arena *a, int64_t user_id);
/* Returns the people in community `id` who have not left the company: owners first, then
 * members, then pending requests, each by name. */
struct community_member *community_store_members(struct db *db, struct arena *a, int64_t id);
/* Returns `user_id`'s role in community `id`. */
enum community_role community_store_role(struct db *db, int64_t id, int64_t user_id);

/* Creates community `name` (slug made from it) with `owner_id` (0: none, for imports) as its
 * owner. Returns 0 with *slug set (in a), or an HTTP status with *why: 400 a bad name or
 * description, 409 the name or slug is taken, 503. */
int community_store_create(struct db *db, struct arena *a, const char *name,
                           const char *description, int open, int64_t owner_id,
                           const char **slug, const char **why);
/* Changes the description and whether community `id` is open. 0, or 400/503 with *why. Opening
 * a community does not admit its pending requests: owners still decide those. */
int community_store_update(struct db *db, struct arena *a, int64_t id, const char *description,
                           int open, const char **why);
/* Sets `user_id`'s role in community `id` (COMMUNITY_NONE removes them). Refuses (409 with *why)
 * to leave the community without an owner. Returns 0, or 409/503 with *why. */
int community_store_set_role(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                             enum community_role role, const char **why);

#endif
