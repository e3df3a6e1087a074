/* search_store: the SQL of full-text search over pages: ranked results with facet counts,
 * title suggestions, and what spelling suggestions need from the index's vocabulary. */
#ifndef KEN_SEARCH_STORE_H
#define KEN_SEARCH_STORE_H
#include "core/db.h"
#include "search/search_query.h"

struct search_hit {
    int64_t id;
    const char *type;    /* "page"; people come later */
    const char *path, *title, *space, *editor;
    const char *snippet; /* text with SNIPPET_OPEN/SNIPPET_CLOSE around matched words */
    const char *title_marked; /* the title, matched words marked the same way */
    int64_t updated_at;
    struct search_hit *next;
};

enum search_facet_kind {
    SEARCH_FACET_SPACE,
    SEARCH_FACET_TAG,
    SEARCH_FACET_AUTHOR,
    SEARCH_FACET_UPDATED,
    SEARCH_FACETS
};
enum { SEARCH_FACET_MAX = 10 }; /* values listed per facet, most pages first */

/* One value of a facet: the filter value (a space, tag, login, or week|month|year|older), how
 * to show it (a person's name; else the value) and how many of the matching pages have it. */
struct search_facet {
    const char *value, *label;
    int count;
    struct search_facet *next;
};

struct search_result {
    int total;                 /* pages matching in all */
    int partial;               /* ranked (q->ranked): no page holds every telling word; the
                                * pages hold some of them */
    struct search_hit *hits;   /* the ones asked for, best first */
    struct search_facet *facets[SEARCH_FACETS]; /* NULL when none (or not asked for) */
};

/* Fills *out with up to `limit` pages matching q from `offset`, best first (with q->ranked: by
 * search_rank over the pages holding any of the terms, the rarest first up to a budget of
 * candidates, so that the cost stays bounded on a big wiki), and when `facets`
 * is set the facet counts over all matching pages; everything in a. A query with filters only
 * lists the pages they select, newest first. Returns 0, or -1 on a database error (*out then
 * holds what was found before it). */
int search_store_pages(struct db *db, struct arena *a, const struct search_query *q, int limit,
                       int offset, int facets, struct search_result *out);

/* Same as search_store_pages, from a cache shared by all threads when the same search was
 * made in the last minute and the index has not changed since (results may then be a minute
 * behind on what does not change the index: verifications and page views, which only move
 * the boost, and people's names). */
int search_store_pages_cached(struct db *db, struct arena *a, const struct search_query *q,
                              int limit, int offset, int facets, struct search_result *out);

/* Returns a number that changes whenever a committed change touches the search index (a hash
 * of its structure record), or 0 when it cannot be read: for caches of what the index finds. */
uint64_t search_store_index_version(struct db *db);

/* Title suggestions for the search box: up to `limit` pages whose title starts with `text`
 * (case-insensitive, ASCII), then pages with every word of text in their title, then with
 * every word of `words` (text's telling words; NULL: none), the last word as a prefix unless a
 * space follows it. Returns the list (only path and title set), in a. */
struct search_hit *search_store_titles(struct db *db, struct arena *a, const char *text,
                                       const char *words, int limit);

/* The index's vocabulary (stemmed terms) for spelling suggestions. */
struct search_term {
    const char *term;
    int docs; /* pages that have it */
    struct search_term *next;
};

/* Returns `word` as the index stores it (lowercase, without diacritics, Porter-stemmed), in
 * a; NULL when it makes no term. */
const char *search_store_stem(struct db *db, struct arena *a, const char *word);
/* Returns how many pages have the stemmed term (0 when none), or -1 on error. */
int search_store_term_docs(struct db *db, const char *term);
/* Returns how many pages have the stemmed term in the page index alone (0 when none), or -1
 * on error: the document frequency query_read weighs words by. */
int search_store_term_pages(struct db *db, const char *term);
/* Returns the number of pages in the page index (what FTS5's bm25 counts), or -1 on error. */
int64_t search_store_page_count(struct db *db);
/* Returns every term t with lo <= t < hi (byte order) and its page count, in a. */
struct search_term *search_store_terms(struct db *db, struct arena *a, const char *lo,
                                       const char *hi);
/* Returns the terms (as the index stems them, 3 to 30 bytes) of the title, headings and text of
 * pages ids[0..n), each with `docs` the number of those pages that hold it, in a. */
struct search_term *search_store_page_terms(struct db *db, struct arena *a, const int64_t *ids,
                                            int n);
/* Returns how pages write `term`: the words that index as it, from the titles, headings and
 * text of a few pages, each between SNIPPET_OPEN and SNIPPET_CLOSE; "" when none. In a. */
const char *search_store_term_forms(struct db *db, struct arena *a, const char *term);

#endif
