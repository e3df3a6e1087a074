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

#endif
