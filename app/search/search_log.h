/* search_log: what people search for, how much they find and which results they open, for the
 * report of searches that find nothing or that nobody follows. Who searched is kept only while
 * an admin has the setting log_searchers on; by default the log is anonymous. */
#ifndef KEN_SEARCH_LOG_H
#define KEN_SEARCH_LOG_H
#include "core/arena.h"
#include "core/db.h"
#include "search/search_log_store.h" /* the setting and the report */

enum {
    SEARCH_LOG_QUERY_MAX = 200, /* bytes of a query kept */
    SEARCH_LOG_KEEP_DAYS = 90,  /* older entries are dropped as new ones come */
};

/* Returns q as the log keeps it: trimmed, runs of white space one space, ASCII lowercased, cut
 * to SEARCH_LOG_QUERY_MAX at a character boundary; NULL when nothing is left. In a. */
const char *search_log_normalise(struct arena *a, const char *q);

/* Records a search for `query` (normalised) that found `results` pages, by user_id (0: not
 * kept): queued in memory (copied; thread-safe, never waits for the database) and written by
 * search_log_flush. Returns 0, or -1 when the queue is full and the search is dropped (counted
 * and reported on stderr at the next flush). */
int search_log_query(const char *query, int results, int64_t user_id);
/* Records that the result `path` of `query` was opened; queued like search_log_query. Returns 0
 * or -1 (dropped). */
int search_log_click(const char *query, const char *path, int64_t user_id);
/* Writes every queued search and click in one transaction on rw, after any flush under way in
 * another thread. Returns 0, or -1 (the entries are kept for the next flush while they fit). */
int search_log_flush(struct db *rw);
/* Flushes when 256 entries wait or the last flush is 5 s old; when another thread is
 * flushing, returns at once. Called at the end of every request (router.c). */
void search_log_maybe_flush(struct db *rw);



#endif
