/* search_index: what the page search index holds, written in the same transaction as the page.
 * page_text keeps each page's words (the external content of the FTS5 table page_search); the
 * index is told about every change directly, without triggers, so writes stay single-statement
 * and batch imports keep FTS5's in-memory buffer. */
#ifndef KEN_SEARCH_INDEX_H
#define KEN_SEARCH_INDEX_H
#include "core/arena.h"
#include "core/db.h"

/* Indexes page `page_id` with its title, rendered HTML (reduced to words here), tags and space,
 * replacing what was indexed before. Authors come from the page's revisions. 0 or -1. */
int search_index_put(struct db *db, struct arena *a, int64_t page_id, const char *title,
                     const char *html, const char *tags, const char *space);
/* Takes the page out of the index (it went to the trash). 0 or -1. */
int search_index_remove(struct db *db, int64_t page_id);
/* The page moved to another space. 0 or -1. */
int search_index_move(struct db *db, int64_t page_id, const char *space);

#endif
