/* search_query: what a person typed into the search box, read into an FTS5 expression and
 * filters. Forgiving by design: any input yields a valid expression or none, never an error. */
#ifndef KEN_SEARCH_QUERY_H
#define KEN_SEARCH_QUERY_H
#include "arena.h"

enum { SEARCH_QUERY_MAX = 500 }; /* longer input is cut (at a character boundary) */

struct search_query {
    const char *fts;    /* FTS5 MATCH expression; NULL when there is nothing to look for */
    const char *space;  /* space:NAME, or NULL */
    const char *tag;    /* tag:NAME */
    const char *author; /* author:LOGIN */
    const char *type;   /* type:page|person */
};

/* Reads `q`: words (all must match), "exact phrases", -excluded, a OR b, prefix*, and the
 * filters space: tag: author: type:. Unbalanced quotes and lone operators are read as words.
 * Everything in the result is allocated in a. */
void search_query_parse(struct arena *a, const char *q, struct search_query *out);

#endif
