/* visibility_store: which level each person chose for each profile field (the SQL for
 * profile_visibility's reads; people_perm.c holds the rules and the defaults). */
#ifndef KEN_VISIBILITY_STORE_H
#define KEN_VISIBILITY_STORE_H
#include "core/db.h"
#include "people/people_perm.h"

/* Loads the levels person `subject_id` chose, falling back to the defaults; levels[i] belongs to
 * people_fields[i]. Returns 0 or -1. */
int people_visibility_load(struct db *db, int64_t subject_id, enum visibility *levels);

#endif
