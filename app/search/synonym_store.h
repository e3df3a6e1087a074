/* synonym_store: the words a search reads as meaning the same: a skill's name, slug and aliases
 * (the skills taxonomy), and the synonym sets admins keep at /admin/synonyms. */
#ifndef KEN_SYNONYM_STORE_H
#define KEN_SYNONYM_STORE_H
#include "core/arena.h"
#include "core/db.h"

enum { SYNONYM_MAX = 6 }; /* alternatives returned for one word */

/* Returns the other words or phrases that mean `word` (any case), at most SYNONYM_MAX, as a
 * NULL-terminated array in a (never NULL; empty when none). None contains '"'. */
const char **synonym_store_for(struct db *db, struct arena *a, const char *word);

#endif
