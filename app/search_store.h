/* search_store: the SQL of full-text search over pages. */
#ifndef KEN_SEARCH_STORE_H
#define KEN_SEARCH_STORE_H
#include "db.h"
#include "search_query.h"

struct search_hit {
    const char *path, *title, *space, *editor;
    const char *snippet; /* text with SNIPPET_OPEN/SNIPPET_CLOSE around matched words */
    int64_t updated_at;
    struct search_hit *next;
};

/* Returns up to `limit` pages matching q from `offset`, best first, in a; *total gets how many
 * match in all. A query with filters only lists the pages they select, newest first. */
struct search_hit *search_store_pages(struct db *db, struct arena *a, const struct search_query *q,
                                      int limit, int offset, int *total);

#endif
