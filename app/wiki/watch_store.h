/* watch_store: the pages and spaces each person watches, and when they last looked at the home
 * page (the SQL for following changes; the changes themselves are in changes_store). */
#ifndef KEN_WATCH_STORE_H
#define KEN_WATCH_STORE_H
#include "core/arena.h"
#include "core/db.h"

enum watch_kind { WATCH_PAGE = 1, WATCH_SPACE = 2 };

enum {
    WATCH_VISIT_GAP_SECONDS = 30 * 60,    /* home page views closer than this are one visit */
    WATCH_FIRST_SINCE_SECONDS = 7 * 86400 /* a first visit shows the last week */
};

/* Returns the kind named "page" or "space", or 0. */
enum watch_kind watch_kind_parse(const char *s);

/* Starts (on=1) or stops (on=0) user_id watching `target`: a live page's path, or a space name.
 * Watching twice or unwatching what is not watched is fine. Returns 0; 400 with *why for a
 * target that breaks the path rules; 404 with *why for a page or space that does not exist
 * (when starting); 500 with *why when the database fails. *why is static. */
int watch_store_set(struct db *db, int64_t user_id, enum watch_kind kind, const char *target,
                    int on, const char **why);

/* Returns 1 when user_id watches the page page_id itself, else 0. */
int watch_store_watches_page(struct db *db, int64_t user_id, int64_t page_id);
/* Returns 1 when user_id watches the space `space`, else 0. */
int watch_store_watches_space(struct db *db, int64_t user_id, const char *space);

/* One thing someone watches. */
struct watch_item {
    enum watch_kind kind;
    const char *target; /* the page's path, or the space */
    const char *title;  /* the page's title, or the space */
    int64_t created_at;
    struct watch_item *next;
};
/* Returns what user_id watches (live pages only), spaces first then pages by path, in a. */
struct watch_item *watch_store_list(struct db *db, struct arena *a, int64_t user_id);

/* Records that user_id is looking at the home page now, through the writable connection rw (a
 * single statement, outside any transaction). Returns the time the previous visit ended, which
 * stays the same for views less than WATCH_VISIT_GAP_SECONDS apart, so reloading the page does
 * not make the news vanish; a week ago on a first visit; -1 when the database refused the write. */
int64_t watch_store_home_visit(struct db *rw, int64_t user_id, int64_t now);

#endif
