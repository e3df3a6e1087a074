/* freshness_store: page owners, review intervals, verifications and view counts (their SQL). */
#ifndef KEN_FRESHNESS_STORE_H
#define KEN_FRESHNESS_STORE_H
#include "core/arena.h"
#include "core/db.h"

enum { REVIEW_DAYS_DEFAULT = 180 };

struct owner {
    const char *login, *name;
    int disabled;
    struct owner *next;
};

struct freshness {
    int review_days;        /* in force: the page's, else its space's, else 180 */
    int page_review_days;   /* the page's own setting, 0 when it follows the space */
    int64_t verified_at;    /* 0: never verified */
    const char *verified_by;
    int64_t checked_at;     /* last verification, or creation when never verified */
    int64_t due_at;
    int stale;
    int64_t views_30d;
    struct owner *owners;
};

/* Returns the freshness of page `page_id` at time now, in a, or NULL when there is no such page. */
struct freshness *freshness_get(struct db *db, struct arena *a, int64_t page_id, int64_t now);
int freshness_is_owner(struct db *db, int64_t page_id, int64_t user_id);
/* Records that user_id checked the page is still true. 0 or -1. */
int freshness_verify(struct db *db, int64_t page_id, int64_t user_id);
/* Adds or removes an owner by login. 0, or 404 when there is no such user, 409 when removing
 * the last owner would leave the page ownerless. */
int freshness_set_owner(struct db *db, int64_t page_id, const char *login, int add);
/* Sets the page's review interval in days (0: follow the space). 0 or -1. */
int freshness_set_page_review(struct db *db, int64_t page_id, int days);
int freshness_set_space_review(struct db *db, const char *space, int days);
/* The review interval of a space (180 when never set). */
int freshness_space_review(struct db *db, const char *space);

/* A page that needs a look. */
struct stale_item {
    const char *path, *title, *owners;
    int64_t checked_at, due_at, views_30d;
    int ownerless; /* no owner, or only owners who can no longer sign in */
    struct stale_item *next;
};
/* Stale pages `user_id` owns, most overdue first. */
struct stale_item *freshness_stale_for_owner(struct db *db, struct arena *a, int64_t user_id,
                                             int64_t now, int limit);
/* The space report: stale or ownerless pages of `space` ("" for all), most viewed first. */
struct stale_item *freshness_report(struct db *db, struct arena *a, const char *space, int64_t now,
                                    int limit);

/* The demo company: two pages in three (by id) checked by their creators at staggered times
 * in the last two months before `now`; the rest never, so they are due. Returns 0 or -1. */
int freshness_store_demo_checks(struct db *db, int64_t now);

#endif
