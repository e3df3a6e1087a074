/* changes_store: recent changes (revisions of live pages, newest first, filtered) and the
 * per-user feed tokens that let feed readers fetch them (the SQL for following changes). */
#ifndef KEN_CHANGES_STORE_H
#define KEN_CHANGES_STORE_H
#include "core/arena.h"
#include "accounts/auth.h"
#include "core/db.h"
#include "accounts/user_store.h"

/* Which changes to list; zero/NULL/"" fields do not narrow. */
struct change_filter {
    const char *space;      /* pages in this space */
    const char *tag;        /* pages tagged so now */
    const char *author;     /* revisions by this login */
    int64_t watcher;        /* pages that this user watches, or that are in a space they watch */
    int64_t since;          /* revisions made at or after this time */
    int limit, offset;      /* limit 0: 50 */
};

/* One revision in a list of changes. */
struct change_item {
    int64_t rev_id, page_id;
    const char *path, *title, *space; /* the page as it is now */
    const char *author_login, *author_name, *summary;
    int number;
    int64_t created_at, size, delta; /* delta: bytes added (+) or removed (-) by this revision */
    struct change_item *next;
};
/* Returns the matching revisions newest first, in a (NULL when none). *more (may be NULL) is set
 * to 1 when there are more after these. */
struct change_item *changes_store_list(struct db *db, struct arena *a,
                                       const struct change_filter *f, int *more);

/* Changes to one page since some time, summed up (for the home page). */
struct change_digest {
    const char *path, *title;
    int first, last;        /* the first and last revision numbers in the span */
    int count;
    const char *authors;    /* their names, comma-separated */
    int64_t last_at;
    struct change_digest *next;
};
/* Returns, for every live page user_id watches (itself or through its space) that others changed
 * at or after `since`, one digest, most recent first, at most `limit`, in a. */
struct change_digest *changes_store_watched(struct db *db, struct arena *a, int64_t user_id,
                                            int64_t since, int limit);

/* Makes a new feed token for user_id, replacing any old one (which stops working at once), and
 * writes it to token. Only its hash is stored. Returns 0 or -1. */
int changes_token_reset(struct db *db, int64_t user_id, char token[AUTH_TOKEN_LEN + 1]);
/* Returns the enabled user whose feed token this is, in a, or NULL. Notes the use through rw
 * (at most hourly). A feed token is good for reading feeds and nothing else. */
struct user *changes_token_lookup(struct db *db, struct db *rw, struct arena *a, const char *token);
/* Returns 1 and sets *created / *used (0: never) when user_id has a feed token, else 0. */
int changes_token_info(struct db *db, int64_t user_id, int64_t *created, int64_t *used);

#endif
