/* people_search_store: people found by the search box, through two FTS5 indexes (see
 * schema/0017_people_search.sql): people_search holds what every signed-in reader may see of a
 * person (name, title, department, team, skills with their aliases, communities, and location,
 * "ask me about" and bio when shown to everyone); people_search_hr holds what HR and admins may
 * see (the same, plus those three when HR-only). A searcher is matched, ranked and shown
 * snippets from the one index they may read, so a field they may not see can neither match nor
 * appear. Private fields are in neither.
 *
 * The indexes are written in the same transaction as every change to what they hold: call
 * people_search_store_reindex_person (or _skill, for a change to a skill everyone who has it
 * shares) inside the transaction of the write. */
#ifndef KEN_PEOPLE_SEARCH_STORE_H
#define KEN_PEOPLE_SEARCH_STORE_H
#include "core/arena.h"
#include "core/db.h"
#include "search/search_query.h"
#include "search/search_store.h"
#include "accounts/user.h"

/* Indexes person `user_id` afresh in both indexes from the tables (a person who no longer
 * exists is taken out). Call inside the transaction that changed them. Returns 0 or -1. */
int people_search_store_reindex_person(struct db *db, int64_t user_id);
/* Indexes afresh everyone who declared skill `skill_id` (after its name or aliases changed, or
 * another skill was merged into it). Returns 0 or -1. */
int people_search_store_reindex_skill(struct db *db, int64_t skill_id);
/* Empties both indexes and indexes everyone again, in one transaction (ken reindex). 0 or -1. */
int people_search_store_rebuild(struct db *db);
/* Builds the indexes when they are empty while people exist (a database from before they
 * were made); does nothing otherwise. Returns 0 or -1. */
int people_search_store_fill(struct db *db);

/* A person found, as the searcher may see them. Text fields are "" when empty; the *_marked
 * ones hold the matched words between SNIPPET_OPEN and SNIPPET_CLOSE. */
struct people_hit {
    const char *login, *name, *title, *department, *dept_slug, *team, *location;
    const char *name_marked, *title_marked, *location_marked;
    const char *match_label;  /* what match_marked shows: "Skills", "Ask me about",
                               * "Communities", "About", or "" */
    const char *match_marked; /* that field (a fragment of the bio), marked */
    int left;                 /* the person has left (only HR and admins find them) */
    struct people_hit *next;
};

struct people_result {
    int total;                  /* people matching in all */
    struct people_hit *hits;    /* the ones asked for, best first */
    struct search_facet *depts; /* matching people by department (value: slug, label: name),
                                 * most first; NULL unless facets were asked for */
};

/* Fills *out with up to `limit` people from `offset` matching q for `viewer`, best first: by
 * the words (bm25 over the viewer's index; a name or skill weighs most, the bio least), or with
 * only dept:/skill: filters, by skill level and endorsements (with skill:), then name. People
 * who left come only to HR and admins, after the others. Nobody is searched for an anonymous
 * viewer, a query that wants pages alone (search_query_pages_only) or one with neither words
 * nor dept:/skill:. All in a. Returns 0, or -1 on a database error. */
int people_search_store_find(struct db *db, struct arena *a, const struct user *viewer,
                       const struct search_query *q, int limit, int offset, int facets,
                       struct people_result *out);

/* Suggestions for the search box: up to `limit` people whose name has every word of `text`,
 * the last one as a prefix unless a space follows it, for `viewer` (none when anonymous;
 * people who left only for HR and admins). Only login, name, title and department are set. */
struct people_hit *people_search_store_names(struct db *db, struct arena *a,
                                             const struct user *viewer, const char *text,
                                             int limit);

#endif
