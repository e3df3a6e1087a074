/* contrib_store: who wrote how much of each page (the evidence "what they wrote" for expertise). */
#ifndef KEN_CONTRIB_STORE_H
#define KEN_CONTRIB_STORE_H
#include "core/arena.h"
#include "core/db.h"

/* Credits author_id with the characters of the lines revision `new_md` added to `old_md` (NULL
 * for a new page) of page_id, at time `at`. A one-word fix adds little; a new runbook a lot.
 * Returns 0 or -1. author_id <= 0 (ken itself) is not credited. */
int contrib_record(struct db *db, struct arena *a, int64_t page_id, int64_t author_id,
                   const char *old_md, const char *new_md, int64_t at);
/* Rebuilds all contributions from the revisions (for ken reindex). Returns 0 or -1. */
int contrib_rebuild(struct db *db);

#endif
