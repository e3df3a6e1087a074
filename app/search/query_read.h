/* query_read: one reading of what a person typed into a search box, shared by everything that
 * searches (/search, /api/search, /api/suggest, the experts beside the results and /api/experts,
 * "similar questions" on /ask, the people results).
 *
 * A query is read as a question: the filters and operators of search_query (space: tag: ...,
 * "exact phrases", -excluded, a OR b, prefix*) keep their meaning; stopwords and question
 * framing ("how do I", "what is", "can someone tell me", "please", "hi") carry no weight; the
 * other words, the telling ones, are weighted by how rare they are in the page index (IDF), and
 * each is widened by its synonyms (a skill's name and aliases, the synonyms admins keep at
 * /admin/synonyms) into an OR group.
 *
 * The result gives both the list of weighted terms and ready FTS5 expressions over the index:
 * fts_all (every telling term), fts_any (any telling term) and, for building others, each
 * term's own expression. A consumer that ranks people or questions by "any of the telling
 * words" uses fts_any (bm25 then weighs rarer words higher by itself) or the terms' weights.
 *
 * May call: search_query (parsing), search_store (stems and document counts), synonym_store. */
#ifndef KEN_QUERY_READ_H
#define KEN_QUERY_READ_H
#include "core/arena.h"
#include "core/db.h"
#include "search/search_query.h"

enum query_term_kind {
    QUERY_WORD,   /* a plain word */
    QUERY_PHRASE, /* "an exact phrase" (always telling) */
    QUERY_PREFIX, /* kube* (always telling) */
};

/* One positive term of the query, in the order typed. Terms joined by OR share `group`. */
struct query_term {
    const char *text;   /* as typed: the word, the phrase's words, the prefix without '*' */
    const char *stem;   /* a word as the index holds it (lowercase, stemmed); NULL otherwise */
    const char *fts;    /* this term as FTS5: "word" or "two words" or "pre"*, with its synonyms
                         * and the typo's correction (when it is one) ORed in: ("k8s" OR
                         * "kubernetes") */
    const char *corrected; /* the word the index has instead of an unknown typed one, or NULL */
    const char *weights;   /* the weight of each phrase of fts, in order, space-separated:
                            * the word's, the correction's, each synonym's (a little less) */
    enum query_term_kind kind;
    int group;          /* terms with the same group are alternatives (a OR b) */
    int framing;        /* a stopword or question framing: weight 0, not in the expressions */
    int docs;           /* pages that hold it (-1: not known, e.g. a prefix or phrase) */
    double weight;      /* IDF, log(1 + (N - docs + 0.5) / (docs + 0.5)); 0 when framing. A
                         * phrase weighs the sum of its words; a prefix or unknown word 1.0 */
};

struct query_reading {
    struct search_query sq; /* the parse: filters (sq.space, sq.tag, ...), sq.words for
                             * spelling, and sq.fts, the strict expression (every word as typed,
                             * stopwords too, without synonyms) */
    struct query_term *terms; /* every positive term, typed order; in the arena */
    int nterms;
    int telling;            /* groups that carry weight (the "telling words") */
    int pages;              /* pages in the index (N of the IDF) */
    const char *fts_all;    /* every telling group required, NOT the excluded ones; NULL when
                             * the query has no words */
    const char *fts_any;    /* any telling group, NOT the excluded ones; NULL when no words */
    const char *fts_not;    /* the excluded terms as one OR expression, or NULL */
    const char *corrected;  /* the query text with unknown words corrected, or NULL when none */
    struct search_terms ranked; /* the telling groups for ranked partial matching (sq.ranked
                                 * points here when there are any: search_store_pages then
                                 * ranks pages holding any of them, all of them first) */
};

/* Reads `text` for a search of the page index in db (term weights from it; db may be NULL, then
 * every telling word weighs 1.0 and no synonyms or corrections are looked up). When every word
 * is framing ("what is it"), the words are telling after all, so a query never reads as empty.
 * Everything is allocated in a. Returns 0, or -1 on a database error (out is then read without
 * weights, as with db NULL). */
int query_read(struct db *db, struct arena *a, const char *text, struct query_reading *out);

/* query_read, with `correct` 0: unknown words are read as typed, never corrected (what a
 * person asks for with "search instead for ..."). */
int query_read_as(struct db *db, struct arena *a, const char *text, int correct,
                  struct query_reading *out);

/* Returns 1 when the word w[0..n) (any case) is a stopword or question framing. */
int query_read_framing(const char *w, size_t n);

/* Returns the FTS5 expression that ORs the telling groups of r restricted to the index column
 * set `columns` ("{title headings}"; NULL: all), with r's exclusions; NULL when none. In a. */
const char *query_read_any_in(struct arena *a, const struct query_reading *r, const char *columns);

/* Returns an FTS5 expression requiring at least the telling groups whose bit is set in `mask`
 * (bit i: the i-th telling group, typed order), with r's exclusions; NULL when mask selects
 * none. In a. */
const char *query_read_some(struct arena *a, const struct query_reading *r, unsigned mask);

/* The bridge, for words the reader used and the pages did not: adds to r's ranked terms up to 3
 * words that at least two of the pages ids[0..n) (the best first results) hold, the rarest in
 * the index first, as low-weighted extras that add to a page's score but not to its coverage
 * (pseudo-relevance feedback). Returns how many were added (0: r unchanged). In a. */
int query_read_bridge(struct db *db, struct arena *a, struct query_reading *r,
                      const int64_t *ids, int n);

#endif
