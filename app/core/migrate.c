#include "core/migrate.h"
#include "core/buf.h"
#include "core/embed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Returns N for "schema/NNNN_name.sql", or 0 when the name is not a migration. */
static int migration_number(const char *name)
{
    if (strncmp(name, "schema/", 7) != 0)
        return 0;
    const char *p = name + 7;
    int n = 0, digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        n = n * 10 + (*p - '0');
    size_t len = strlen(name);
    if (digits != 4 || *p != '_' || len < 4 || strcmp(name + len - 4, ".sql") != 0)
        return 0;
    return n;
}

static const struct embed_file *find_migration(int number)
{
    for (const struct embed_file *f = embed_files; f->name; f++)
        if (migration_number(f->name) == number)
            return f;
    return NULL;
}

int migrate_latest(void)
{
    int latest = 0;
    for (const struct embed_file *f = embed_files; f->name; f++) {
        int n = migration_number(f->name);
        if (n > latest)
            latest = n;
    }
    return latest;
}

int migrate_current(struct db *db)
{
    return (int)db_one_int(db_stmt(db, "PRAGMA user_version"), -1);
}

int64_t migrate_applied(struct db *db)
{
    return db_one_int(db_stmt(db, "SELECT count(*) FROM ken_migrations"), -1);
}

static char *fail(struct db *db, const char *what, const char *detail)
{
    struct buf b;
    buf_init(&b, 0);
    buf_printf(&b, "%s: %s", what, detail);
    db_rollback(db);
    return buf_take(&b);
}

int migrate_apply(struct db *db, char **err)
{
    char *msg = NULL;
    if (db_begin(db) != 0) {
        *err = fail(db, "cannot lock the database", db_errmsg(db));
        return -1;
    }
    int current = migrate_current(db), latest = migrate_latest();
    if (current < 0) {
        *err = fail(db, "cannot read the schema version", db_errmsg(db));
        return -1;
    }
    if (current > latest) {
        char detail[160];
        snprintf(detail, sizeof detail, "its schema is version %d, this ken knows up to %d; "
                 "upgrade ken", current, latest);
        *err = fail(db, "the database comes from a newer ken", detail);
        return -1;
    }
    if (db_exec(db, "CREATE TABLE IF NOT EXISTS ken_migrations (version INTEGER PRIMARY KEY, "
                    "name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT", &msg) != 0)
        goto failed;
    /* Every migration not yet recorded, in number order; numbers may have gaps. */
    for (int n = 1; n <= latest; n++) {
        const struct embed_file *f = find_migration(n);
        if (!f)
            continue;
        sqlite3_stmt *seen = db_stmt(db, "SELECT 1 FROM ken_migrations WHERE version = :v");
        db_bind_int(seen, ":v", n);
        int applied = db_step(seen) == SQLITE_ROW;
        sqlite3_reset(seen);
        if (applied)
            continue;
        if (db_exec(db, f->data, &msg) != 0) {
            char *m = msg;
            msg = NULL;
            *err = fail(db, f->name, m);
            free(m);
            return -1;
        }
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO ken_migrations(version, name, applied_at) "
                                       "VALUES (:v, :name, :at)");
        db_bind_int(st, ":v", n);
        db_bind_text(st, ":name", f->name + 7);
        db_bind_int(st, ":at", (int64_t)time(NULL));
        if (db_run(st) != 0)
            goto failed_db;
        /* PRAGMA takes no bound parameters; n is our own integer, never user text. */
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", n);
        if (db_exec(db, pragma, &msg) != 0)
            goto failed;
    }
    if (db_commit(db) != 0)
        goto failed_db;
    return 0;
failed_db:
    msg = xstrdup(db_errmsg(db));
failed:
    *err = fail(db, "migration failed", msg);
    free(msg);
    return -1;
}
