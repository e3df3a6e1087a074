#include "settings.h"

#include <stdatomic.h>
#include <string.h>

static atomic_int public_read; /* the one process-wide switch; written only by settings_* */

int settings_load(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE name = 'public_read'");
    int rc = db_step(st);
    if (rc == SQLITE_ROW)
        atomic_store(&public_read, strcmp(db_col_text(st, 0), "1") == 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int settings_public_read(void)
{
    return atomic_load(&public_read);
}

int settings_set_public_read(struct db *db, int on)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO settings(name, value) VALUES ('public_read', :v) "
                                   "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    db_bind_text(st, ":v", on ? "1" : "0");
    if (db_run(st) != 0)
        return -1;
    atomic_store(&public_read, on);
    return 0;
}
