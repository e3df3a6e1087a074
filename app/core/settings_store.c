#include "core/settings_store.h"

char *settings_store_get(struct db *db, struct arena *a, const char *name)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE name = :name");
    db_bind_text(st, ":name", name);
    return db_one_text(st, a);
}

int settings_store_set(struct db *db, const char *name, const char *value)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO settings(name, value) VALUES (:name, :value) "
                                   "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":value", value);
    return db_run(st);
}
