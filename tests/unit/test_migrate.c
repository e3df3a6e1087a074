/* Migrations: applied once, recorded, in one transaction; a newer database is refused. */
#include "check.h"
#include "core/db.h"
#include "core/migrate.h"

#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    char dir[] = "/tmp/ken-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/k.db", dir);
    char *err = NULL;

    CHECK(db_open(path, 0, &err) == NULL); /* no such database and no DB_CREATE */
    CHECK_CONTAINS(err, "ken init");
    free(err);
    err = NULL;

    struct db *db = db_open(path, DB_CREATE, &err);
    CHECK(db != NULL);
    CHECK(migrate_current(db) == 0);
    CHECK(migrate_apply(db, &err) == 0);
    CHECK(migrate_current(db) == migrate_latest());
    CHECK(migrate_latest() >= 1);

    sqlite3_stmt *st = db_stmt(db, "SELECT max(version) FROM ken_migrations");
    CHECK(db_step(st) == SQLITE_ROW && db_col_int(st, 0) == migrate_latest());
    sqlite3_reset(st);
    /* Tables are STRICT: a wrong type is refused, not stored. */
    CHECK(db_exec(db, "INSERT INTO settings(name, value) VALUES ('x', 1)", &err) == 0 ||
          (free(err), err = NULL, 1));
    st = db_stmt(db, "SELECT typeof(value) FROM settings WHERE name = 'x'");
    CHECK(db_step(st) == SQLITE_ROW && strcmp(db_col_text(st, 0), "text") == 0);
    sqlite3_reset(st);
    CHECK(db_exec(db, "INSERT INTO users(login, name, role, created_at) VALUES ('a','b','c', 'soon')",
                  &err) != 0);
    free(err);
    err = NULL;

    /* A second run applies nothing and succeeds. */
    CHECK(migrate_apply(db, &err) == 0);
    st = db_stmt(db, "PRAGMA journal_mode");
    CHECK(db_step(st) == SQLITE_ROW && strcmp(db_col_text(st, 0), "wal") == 0);
    sqlite3_reset(st);
    st = db_stmt(db, "PRAGMA foreign_keys");
    CHECK(db_step(st) == SQLITE_ROW && db_col_int(st, 0) == 1);
    sqlite3_reset(st);

    /* A database from a newer ken is refused, and left as it was. */
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", migrate_latest() + 1);
    CHECK(db_exec(db, pragma, NULL) == 0);
    CHECK(migrate_apply(db, &err) == -1);
    CHECK_CONTAINS(err, "newer ken");
    free(err);
    CHECK(migrate_current(db) == migrate_latest() + 1);
    db_close(db);

    /* query_only connections cannot write. */
    struct db *ro = db_open(path, DB_READONLY, &err);
    CHECK(ro != NULL);
    CHECK(db_exec(ro, "DELETE FROM settings", &err) != 0);
    free(err);
    db_close(ro);

    unlink(path);
    snprintf(pragma, sizeof pragma, "%s/k.db-wal", dir);
    unlink(pragma);
    snprintf(pragma, sizeof pragma, "%s/k.db-shm", dir);
    unlink(pragma);
    rmdir(dir);
    DONE();
}
