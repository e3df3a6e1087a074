/* views: page views, counted in memory and written in batches (no write per view). */
#ifndef KEN_VIEWS_H
#define KEN_VIEWS_H
#include "core/db.h"

/* Counts one view of page `page_id`. Thread-safe; takes a mutex for a few instructions. */
void views_count(int64_t page_id);
/* Writes the pending counts in one transaction. Returns 0, or -1 (counts are kept for later). */
int views_flush(struct db *rw);
/* Flushes when the last flush is more than ten seconds old or many counts wait; at most one
 * thread flushes at a time and the others go on at once. */
void views_maybe_flush(struct db *rw);

#endif
