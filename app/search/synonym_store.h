/* synonym_store: the words a search reads as meaning the same: a skill's name, slug and aliases
 * (the skills taxonomy), and the synonym sets admins keep at /admin/synonyms
 * (schema/0028_synonyms.sql). */
#ifndef KEN_SYNONYM_STORE_H
#define KEN_SYNONYM_STORE_H
#include "core/arena.h"
#include "core/db.h"

enum {
    SYNONYM_MAX = 6,        /* alternatives returned for one word */
    SYNONYM_SET_MAX = 10,   /* words or phrases in one set */
    SYNONYM_WORD_MAX = 60,  /* bytes in one of them */
};

/* Returns the other words or phrases that mean `word` (any case), at most SYNONYM_MAX: the
 * admins' sets first, then the skills', as a NULL-terminated array in a (never NULL; empty
 * when none). None contains '"'. */
const char **synonym_store_for(struct db *db, struct arena *a, const char *word);

/* A synonym set as kept. */
struct synonym_set {
    int64_t id;
    const char *words;      /* comma-separated, as entered */
    const char *created_by; /* a login, or "" */
    int64_t created_at;
    struct synonym_set *next;
};

/* Returns every set, newest first, in a. */
struct synonym_set *synonym_store_list(struct db *db, struct arena *a);

/* Adds a set from `text`, words or phrases separated by commas ("folder, directory"): 2 to
 * SYNONYM_SET_MAX different ones, each 1 to SYNONYM_WORD_MAX bytes of UTF-8 without quotes or
 * control characters (spaces around them are trimmed, case is kept). Returns the new id, or 0
 * with *why set (bad input, said for a person), or -1 on a database error. */
int64_t synonym_store_add(struct db *db, struct arena *a, const char *text, int64_t by,
                          int64_t at, const char **why);

/* Deletes set `id`. Returns 1 when deleted, 0 when there is none, -1 on error. */
int synonym_store_delete(struct db *db, int64_t id);

#endif
