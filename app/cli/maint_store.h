/* maint_store: keeping the database healthy (the storage engine's side of `ken backup`, `ken check`
 * and `ken reindex`): online backup, integrity checks, rebuilding derived data. */
#ifndef KEN_MAINT_STORE_H
#define KEN_MAINT_STORE_H
#include "core/db.h"

#include <stdio.h>

/* Copies the database at db into a new file `dest` with SQLite's online backup, a few pages at
 * a time so a running ken keeps serving, all from one read snapshot (so it finishes however
 * busy the writers are); every 10% a line "backup: N% (P of T pages)" goes to `progress` (may
 * be NULL). Refuses to overwrite an existing file. Returns 0, or -1 with a malloc'd message in
 * *err. */
int maint_backup(struct db *db, const char *dest, FILE *progress, char **err);
/* Runs integrity_check and foreign_key_check and prints what they find to `out`. Returns the
 * number of problems (0: healthy). */
int maint_check(struct db *db, FILE *out);
/* Rebuilds derived data: rendered HTML, links, tables of contents and the search index.
 * Returns 0 or -1. */
int maint_reindex(struct db *db);

#endif
