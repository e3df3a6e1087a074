/* migrate: applies the embedded schema/NNNN_name.sql files in order, each recorded. */
#ifndef KEN_MIGRATE_H
#define KEN_MIGRATE_H
#include "core/db.h"

/* Returns the highest migration number this ken carries. */
int migrate_latest(void);
/* Returns how many migrations the database records, or -1 when it cannot be read (the health
 * check: the database answers). */
int64_t migrate_applied(struct db *db);
/* Returns the database's schema version (0 for a new database), or -1 on error. */
int migrate_current(struct db *db);
/* Applies every migration not yet recorded in ken_migrations, by number (gaps are fine), in one
 * transaction. Returns 0, or -1 with a malloc'd message
 * in *err, e.g. when the database comes from a newer ken. Applies nothing on error. */
int migrate_apply(struct db *db, char **err);

#endif
