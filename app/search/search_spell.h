/* search_spell: "Did you mean ...?" for the search box, from the index's own vocabulary. The
 * index holds Porter stems ("kubernet"), so words are compared stem to stem and shown as pages
 * write them ("kubernetes"). */
#ifndef KEN_SEARCH_SPELL_H
#define KEN_SEARCH_SPELL_H
#include "search/search_store.h"

enum { SEARCH_SPELL_RARE = 3 }; /* a word in fewer pages than this may be misspelt */

/* Returns the Damerau-Levenshtein distance between a and b (optimal string alignment:
 * insertions, deletions, substitutions and swaps of neighbours), counted in code points;
 * max + 1 when it is more than max. Allocates nothing. */
int search_spell_distance(const char *a, const char *b, int max);

/* Returns 1 when two different words are regular forms of one word (server and servers, test
 * and testing, policy and policies) rather than one a misspelling of the other ("kubernets" for
 * "kubernetes" is not a regular form). Both lowercase. */
int search_spell_inflection(const char *a, const char *b);

/* Returns the term of `terms` to suggest for the stem `stem` of `word` (lowercase, as typed;
 * may be NULL), found in `docs` pages: the nearest (fewest edits, as a one-letter slip is
 * likelier than two; a term counts as near when the stem is, or when a regular form of it,
 * the term plus an ending such as -ment, is near the word) and among those the one in most
 * pages. At most 1 edit for stems of up to 6 letters and for a stem the pages have (then it
 * needs 10 * docs pages), else 2. NULL when none. */
const struct search_term *search_spell_pick(const struct search_term *terms, const char *stem,
                                            const char *word, int docs);

/* Returns the word among the marked words of `text` (between SNIPPET_OPEN and SNIPPET_CLOSE)
 * nearest to `typed`, in typed's case style (lowercase when typed has no capitals); NULL when
 * text marks none. In a. */
const char *search_spell_written(struct arena *a, const char *text, const char *typed);

/* Returns the word to read instead of `word` (as typed, a single word of 3 or more letters):
 * when the indexes have it in fewer than SEARCH_SPELL_RARE pages, the nearest frequent word,
 * as pages write it; NULL when the word is known or nothing is near. In a. */
const char *search_spell_word(struct db *db, struct arena *a, const char *word);

/* Returns q with its words that the index has in fewer than SEARCH_SPELL_RARE pages replaced
 * by the nearest frequent words of the index; NULL when there is nothing to suggest. For a
 * query that finds few pages. In a. */
const char *search_spell_vocabulary(struct db *db, struct arena *a, const char *q,
                                    const struct search_query *sq);

/* Returns q with each word that the found pages never show as typed, but show often (twice or
 * more in hits' titles and snippets) written within distance 2 with the same stem, replaced by
 * that writing: "kubernets" finds the Kubernetes pages through its stem, and is still
 * suggested as "kubernetes". NULL when there is nothing to suggest. In a. */
const char *search_spell_results(struct db *db, struct arena *a, const char *q,
                                 const struct search_query *sq, const struct search_hit *hits);

#endif
