/* search_query: what a person typed into the search box, read into an FTS5 expression and
 * filters. Forgiving by design: any input yields a valid expression or none, never an error. */
#ifndef KEN_SEARCH_QUERY_H
#define KEN_SEARCH_QUERY_H
#include "core/arena.h"

#include <stddef.h>
#include <stdint.h>

enum { SEARCH_QUERY_MAX = 500 }; /* longer input is cut (between words, or at a character) */

/* A word as typed: bytes [at, at + len) of the query text. */
struct search_word {
    size_t at, len;
};

/* One group of a query's telling terms (alternatives ORed), as ranking needs it; query_read
 * makes them. */
struct search_group {
    const char *fts; /* the group's FTS5 expression: "word", ("a" OR "b"), "a phrase", "pre"* */
    double weight;   /* its IDF */
    int docs;        /* pages holding it (-1: not known) */
    const char *weights; /* each phrase's weight in fts order, space-separated (NULL: all
                          * weigh `weight`) */
};

/* The weighted reading of a query (query_read fills it in); what ranked partial matching needs. */
struct search_terms {
    int n;                              /* groups */
    int core;                           /* the first `core` groups are the query's; the rest
                                         * were added by the bridge (query_read_bridge) and
                                         * only add to a page's score */
    const struct search_group *groups;
    const char *exclude;                /* FTS5 expression of the excluded terms, or NULL */
};

struct search_query {
    const char *text;    /* the query as read (cut at SEARCH_QUERY_MAX) */
    const char *fts;     /* FTS5 MATCH expression; NULL when there is nothing to look for */
    const char *space;   /* space:NAME, or NULL */
    const char *tag;     /* tag:NAME */
    const char *author;  /* author:LOGIN */
    const char *type;    /* type:page|person (type:pages and type:people say the same) */
    const char *updated; /* updated:week|month|year|older */
    const char *dept;    /* dept:SLUG (or a department's one-word name): people in it, and pages
                          * someone in it wrote */
    const char *skill;   /* skill:NAME (a skill's name, alias or slug): people who declared it,
                          * and pages tagged with it */
    /* The words that must match, in the order typed: plain words and the words of phrases, not
     * prefixes (kube*) nor excluded words. What spelling suggestions look at. */
    struct search_word *words;
    int nwords;
    /* When set, pages are found by ranked partial matching on these terms (any of them, pages
     * with all of them first) instead of fts; NULL after search_query_parse. */
    const struct search_terms *ranked;
};

/* One token of a query as typed (what search_query_parse reads, exposed for query_read). */
struct search_token {
    size_t at, len;     /* all of it, a leading '-' and quotes included */
    size_t in, inlen;   /* what is inside: without '-', quotes and a trailing '*' */
    int negate, phrase, prefix, is_or;
    int filter;         /* a filter (space: ... skill:): its index, or -1 */
    size_t value, vlen; /* the filter's value */
};

/* Returns the tokens of q (cut as search_query_parse cuts it) into *out, in a; their number. */
int search_query_tokens(struct arena *a, const char *q, struct search_token **out);

/* Returns 1 for a word character: ASCII letters and digits, and every byte of a multi-byte
 * UTF-8 character. */
int search_query_word_char(unsigned char c);

/* Reads `q`: words (all must match), "exact phrases", -excluded, a OR b, prefix*, and the
 * filters space: tag: author: type: updated: dept: skill:. Unbalanced quotes, lone operators
 * and unknown filters or values (updated:soon, type:robot) are read as words. Everything in the
 * result is allocated in a. */
void search_query_parse(struct arena *a, const char *q, struct search_query *out);

/* Returns 1 when the query has a filter that narrows pages (space, tag, author, updated, dept or
 * skill); type: is not one. */
int search_query_filtered(const struct search_query *q);
/* Returns 1 when the query says it wants pages alone: a filter only pages have (space, tag,
 * author, updated) or type:page. People are then not searched. */
int search_query_pages_only(const struct search_query *q);

/* Returns the text q with every `key:` filter taken out and, when value is not NULL,
 * "key:value" added at the end: what a facet link asks for. Other words are kept as typed
 * (runs of spaces become one). In a. */
const char *search_query_set(struct arena *a, const char *q, const char *key, const char *value);

/* Returns q with words[i] replaced by with[i] (NULL: kept), for i < n; words must come from
 * parsing q, in order. In a. */
const char *search_query_rewrite(struct arena *a, const char *q, const struct search_word *words,
                                 const char *const *with, int n);

/* Returns the words of `text` (a query) that may name a skill, and each two in a row ("machine
 * learning"), as a JSON array of strings, malloc'd (the caller frees): words as typed, without
 * quotes, a trailing '*', excluded words, OR and filters; letters, digits and + # . - kept
 * ("C++", "node.js"). For ranking what a query names above what merely mentions its words. */
char *search_query_names(const char *text);

/* Returns the FTS5 expression "{column} : (\"w1\" AND \"w2\"*)" for the words of `text` (the
 * first max_words of them; 0: all), the last one a prefix unless something other than a word
 * character follows it; NULL when text has no words. Every word counts, filters and operators
 * too: for typing ahead in one column (a title, a name). In a. */
const char *search_query_column_words(struct arena *a, const char *column, const char *text,
                                      int max_words);

/* The range of updated_at that updated:NAME selects at time `now`: [*since, *before), where 0
 * means open. Returns 0, or -1 for an unknown name. week, month and year are the last 7, 30 and
 * 365 days (each includes the shorter ones); older is before the last 365 days. */
int search_query_updated_range(const char *name, int64_t now, int64_t *since, int64_t *before);

#endif
