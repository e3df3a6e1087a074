/* settings_store: the settings table (name -> value), the SQL behind core/settings.c. */
#ifndef KEN_SETTINGS_STORE_H
#define KEN_SETTINGS_STORE_H
#include "core/arena.h"
#include "core/db.h"

/* Returns setting `name`'s value in a, or NULL when it is not set (or cannot be read). */
char *settings_store_get(struct db *db, struct arena *a, const char *name);
/* Stores setting `name` (replacing its value). Returns 0 or -1. */
int settings_store_set(struct db *db, const char *name, const char *value);

#endif
