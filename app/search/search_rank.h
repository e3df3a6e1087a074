/* search_rank: the ranking function of the page index, an FTS5 auxiliary function
 * ken_rank(page_search, spec) that search_store registers on each connection it searches with.
 *
 * It scores a page for a query read as weighted groups of terms (query_read): each group the
 * page holds adds BM25 of its field-weighted count (title and headings weigh most, then tags,
 * then the text) times the group's weight (its IDF); the sum is multiplied by how much of the
 * query's weight the page covers, and words of different groups close together add a
 * little. A page that holds every group is in a tier above the others.
 *
 * spec is "TOTAL G0:W0 G1:W1 ...": TOTAL the number of the query's groups, then for each phrase
 * of the MATCH expression, in order, its group (-1: the phrase only narrows the match and is
 * not scored; TOTAL or more: a word the bridge added, which scores but is not needed for
 * coverage or the top tier) and weight. Allocates only per call. */
#ifndef KEN_SEARCH_RANK_H
#define KEN_SEARCH_RANK_H
#include <sqlite3.h>

/* Column weights of page_search: title, headings, body, tags, space, authors. */
#define SEARCH_RANK_COLUMNS 10.0, 5.0, 1.0, 4.0, 0.5, 2.0

enum { SEARCH_RANK_TIER = 1000000 }; /* added to the score of a page holding every group */

/* The FTS5 auxiliary function (see fts5.h); returns -score, so lower ranks higher as bm25's. */
void search_rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                    int nargs, sqlite3_value **args);

#endif
