/* import_stackexchange_store: the SQL of `ken import stackexchange`: which outside ids (a Stack
 * Exchange export's users, questions, answers, comments) became which rows, so that a second run
 * adds only what is new. Calls no other module. */
#ifndef KEN_IMPORT_STACKEXCHANGE_STORE_H
#define KEN_IMPORT_STACKEXCHANGE_STORE_H
#include "core/arena.h"
#include "core/db.h"

/* Looks up outside id `ext` of `kind` ("user", "question", "answer", "comment") from `source`.
 * Returns 1 with *local (and, for a question, *accepted: the outside id of its accepted answer,
 * "" when none, in a; accepted may be NULL), 0 when it was not imported or its row is gone since,
 * -1 on a database error. */
int import_se_store_find(struct db *db, struct arena *a, const char *source, const char *kind,
                         const char *ext, int64_t *local, const char **accepted);
/* Records that `ext` became row `local` (accepted: see import_se_store_find; may be NULL).
 * Returns 0 or -1. */
int import_se_store_put(struct db *db, const char *source, const char *kind, const char *ext,
                        int64_t local, const char *accepted);

/* ---- Votes.xml: the score and acceptance of each post as of --before (the posts carry them as of
 * the dump's date). Kept in a temporary table of this connection while the import runs. */

/* Creates (or empties) the table. Returns 0 or -1. */
int import_se_store_votes_begin(struct db *db);
/* Adds a vote on outside post `post`: delta to its score (+1 up, -1 down, 0 neither), and
 * accepted_at > 0 for the asker's acceptance (the earliest one is kept). Returns 0 or -1. */
int import_se_store_vote(struct db *db, const char *post, int delta, int64_t accepted_at);
/* Reads the votes of `post`: its score (0 when it has none) and *accepted_at (0 when not
 * accepted). */
void import_se_store_post_votes(struct db *db, const char *post, int *score, int64_t *accepted_at);

/* An imported answer as it stands: the votes it was imported with, and whether its question has
 * it as the accepted answer. Returns 0, or -1 when there is no such answer. */
int import_se_store_answer_state(struct db *db, int64_t answer_id, int *imported_votes,
                                 int *accepted);
/* Brings answer `answer_id` to `votes` imported votes (local votes stay on top) and, when
 * accepted_at > 0, makes it its question's accepted answer from then. Returns 0 or -1. */
int import_se_store_answer_update(struct db *db, int64_t answer_id, int votes,
                                  int64_t accepted_at);

#endif
