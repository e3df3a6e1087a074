/* views_store: page views per page and day (the SQL behind wiki/views.c's batches). */
#ifndef KEN_VIEWS_STORE_H
#define KEN_VIEWS_STORE_H
#include "core/db.h"

/* Adds n views of page `page_id` on day `day` (days since 1970) to its count; a page deleted
 * since is skipped. Returns 0 or -1. */
int views_store_add(struct db *db, int64_t page_id, int64_t day, int64_t n);

#endif
