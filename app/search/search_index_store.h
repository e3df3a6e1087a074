/* search_index_store: the SQL of the page search index (schema/0002_page_search.sql): page_text,
 * the words of each page, and the FTS5 table page_search made from it (external content, told
 * of every change directly). search_index decides what the words are. */
#ifndef KEN_SEARCH_INDEX_STORE_H
#define KEN_SEARCH_INDEX_STORE_H
#include "core/arena.h"
#include "core/db.h"

/* What a page is indexed by, one text per column of page_search. */
struct search_index_words {
    const char *title, *headings, *body, *tags, *space, *authors;
};

/* Loads what is indexed for the page now into *w (in a); 1 when there is something, 0 when
 * not, -1 on error. */
int search_index_store_current(struct db *db, struct arena *a, int64_t page_id,
                               struct search_index_words *w);
/* Tells the index to forget the words w it holds for the page (FTS5 external content needs
 * them). 0 or -1. */
int search_index_store_forget(struct db *db, int64_t page_id, const struct search_index_words *w);
/* Stores w as the page's words and indexes them. 0 or -1. */
int search_index_store_put(struct db *db, int64_t page_id, const struct search_index_words *w);
/* Returns the names of everyone who wrote a revision of the page, comma-separated, in a. */
const char *search_index_store_authors(struct db *db, struct arena *a, int64_t page_id);
/* Deletes the page's words (after search_index_store_forget). 0 or -1. */
int search_index_store_drop(struct db *db, int64_t page_id);

#endif
