/* search_query: what a person typed into the search box, read into an FTS5 expression and
 * filters. Forgiving by design: any input yields a valid expression or none, never an error. */
#ifndef KEN_SEARCH_QUERY_H
#define KEN_SEARCH_QUERY_H
#include "arena.h"

#include <stddef.h>
#include <stdint.h>

enum { SEARCH_QUERY_MAX = 500 }; /* longer input is cut (at a character boundary) */

/* A word as typed: bytes [at, at + len) of the query text. */
struct search_word {
    size_t at, len;
};

struct search_query {
    const char *fts;     /* FTS5 MATCH expression; NULL when there is nothing to look for */
    const char *space;   /* space:NAME, or NULL */
    const char *tag;     /* tag:NAME */
    const char *author;  /* author:LOGIN */
    const char *type;    /* type:page|person */
    const char *updated; /* updated:week|month|year|older */
    /* The words that must match, in the order typed: plain words and the words of phrases, not
     * prefixes (kube*) nor excluded words. What spelling suggestions look at. */
    struct search_word *words;
    int nwords;
};

/* Reads `q`: words (all must match), "exact phrases", -excluded, a OR b, prefix*, and the
 * filters space: tag: author: type: updated:. Unbalanced quotes, lone operators and unknown
 * filters (updated:soon) are read as words. Everything in the result is allocated in a. */
void search_query_parse(struct arena *a, const char *q, struct search_query *out);

/* Returns 1 when the query has a filter (space, tag, author or updated). */
int search_query_filtered(const struct search_query *q);

/* Returns the text q with every `key:` filter taken out and, when value is not NULL,
 * "key:value" added at the end: what a facet link asks for. Other words are kept as typed
 * (runs of spaces become one). In a. */
const char *search_query_set(struct arena *a, const char *q, const char *key, const char *value);

/* Returns q with words[i] replaced by with[i] (NULL: kept), for i < n; words must come from
 * parsing q, in order. In a. */
const char *search_query_rewrite(struct arena *a, const char *q, const struct search_word *words,
                                 const char *const *with, int n);

/* The range of updated_at that updated:NAME selects at time `now`: [*since, *before), where 0
 * means open. Returns 0, or -1 for an unknown name. week, month and year are the last 7, 30 and
 * 365 days (each includes the shorter ones); older is before the last 365 days. */
int search_query_updated_range(const char *name, int64_t now, int64_t *since, int64_t *before);

#endif
