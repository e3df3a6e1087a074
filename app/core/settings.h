/* settings: site-wide switches an admin changes at run time (stored in the settings table). */
#ifndef KEN_SETTINGS_H
#define KEN_SETTINGS_H
#include "core/arena.h"
#include "core/db.h"

/* Loads the settings into memory; call at start. Returns 0 or -1. */
int settings_load(struct db *db);
/* Returns 1 when anonymous visitors may read pages. */
int settings_public_read(void);
/* Stores public_read and makes it take effect at once. Returns 0 or -1. */
int settings_set_public_read(struct db *db, int on);

/* Returns the CSRF token of user `id` when the proxy signs them in (keyed BLAKE2b of the id
 * under the database's csrf_key), in a. */
const char *settings_user_csrf(struct arena *a, int64_t id);

#endif
