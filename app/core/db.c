#include "core/db.h"
#include "core/arena.h"
#include "core/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

enum { STMT_CACHE = 128 };

struct cached {
    const char *sql;
    sqlite3_stmt *st;
};

struct db {
    sqlite3 *h;
    struct cached cache[STMT_CACHE];
    int n;
    int depth; /* open db_begin levels: the outermost is a transaction, inner ones savepoints */
    int batch; /* in db_batch_begin: inner levels are no-ops; a rollback spoils the batch */
    int spoiled;
};

/* A slow-statement log for whoever runs ken: with KEN_SLOW_SQL_MS=N in the environment, every
 * statement that takes N ms or more is written to stderr with its time. */
static int slow_sql(unsigned kind, void *ctx, void *stmt, void *ns)
{
    (void)ctx;
    double ms = (double)*(sqlite3_int64 *)ns / 1e6;
    static double threshold = -1;
    if (threshold < 0) {
        const char *env = getenv("KEN_SLOW_SQL_MS");
        threshold = env ? atof(env) : 0;
    }
    if (kind == SQLITE_TRACE_PROFILE && ms >= threshold) {
        char *sql = sqlite3_expanded_sql(stmt);
        fprintf(stderr, "ken: slow sql %.1f ms: %.300s\n", ms, sql ? sql : sqlite3_sql(stmt));
        sqlite3_free(sql);
    }
    return 0;
}

/* Writes into buf why path cannot be written, as the file system tells ("; the directory /x
 * does not exist"), or "" when nothing there explains it. Returns buf. */
static const char *write_hint(const char *path, char *buf, size_t size)
{
    char dir[512];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    if (!*dir)
        strcpy(dir, "/");
    struct stat st;
    struct statvfs vfs;
    int have_vfs = statvfs(dir, &vfs) == 0;
    if (stat(dir, &st) != 0)
        snprintf(buf, size, "; the directory %s does not exist (create it first)", dir);
    else if (!S_ISDIR(st.st_mode))
        snprintf(buf, size, "; %s is not a directory", dir);
    else if ((have_vfs && (vfs.f_flag & ST_RDONLY)) || access(dir, W_OK) != 0)
        snprintf(buf, size, "; the directory %s is %s, and ken writes the database and its -wal "
                            "and -shm files there", dir,
                 have_vfs && (vfs.f_flag & ST_RDONLY) ? "on a read-only file system"
                                                      : "not writable for this user");
    else if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
        snprintf(buf, size, "; the file is not writable for this user");
    else if (have_vfs && vfs.f_bavail == 0)
        snprintf(buf, size, "; the disk holding %s is full", dir);
    else
        buf[0] = 0;
    return buf;
}

/* Returns "cannot open database PATH: WHY" with the file system's explanation, else `otherwise`
 * (malloc'd). */
static char *open_error(const char *path, const char *why, const char *otherwise)
{
    char hint[700], msg[1500];
    write_hint(path, hint, sizeof hint);
    snprintf(msg, sizeof msg, "cannot open database %s: %s%s", path, why, *hint ? hint : otherwise);
    return xstrdup(msg);
}

struct db *db_open(const char *path, int flags, char **err)
{
    sqlite3 *h = NULL;
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (flags & DB_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &h, oflags, NULL);
    if (rc != SQLITE_OK) {
        *err = open_error(path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc),
                          rc == SQLITE_CANTOPEN && !(flags & DB_CREATE)
                              ? " (create it with: ken init --db PATH)" : "");
        sqlite3_close(h);
        return NULL;
    }
    if (sqlite3_db_readonly(h, "main") == 1) { /* SQLite fell back to reading only */
        *err = open_error(path, "it can only be read", "");
        sqlite3_close(h);
        return NULL;
    }
    struct db *db = xmalloc(sizeof *db);
    memset(db, 0, sizeof *db);
    db->h = h;
    sqlite3_busy_timeout(h, 5000);
    sqlite3_extended_result_codes(h, 1);
    if (getenv("KEN_SLOW_SQL_MS"))
        sqlite3_trace_v2(h, SQLITE_TRACE_PROFILE, slow_sql, NULL);
    /* Reads come from the operating system's page cache through a map of the whole file (up to
     * SQLite's 2 GB limit) rather than a read() per page; 2 MB of decoded pages per connection
     * (two per thread: with the map, more only grows the heap). */
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                          "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
                          "PRAGMA mmap_size=2147418112; PRAGMA cache_size=-2048;";
    char *why = NULL;
    if (db_exec(db, pragmas, &why) != 0) {
        *err = open_error(path, why, "");
        free(why);
        db_close(db);
        return NULL;
    }
    if ((flags & DB_READONLY) && db_exec(db, "PRAGMA query_only=1", err) != 0) {
        db_close(db);
        return NULL;
    }
    return db;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (int i = 0; i < db->n; i++)
        sqlite3_finalize(db->cache[i].st);
    sqlite3_close(db->h);
    free(db);
}

sqlite3 *db_handle(struct db *db)
{
    return db->h;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
    for (int i = 0; i < db->n; i++) {
        if (db->cache[i].sql == sql) {
            sqlite3_stmt *st = db->cache[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        die("SQL does not prepare: %s\n  in: %s", sqlite3_errmsg(db->h), sql);
    if (db->n == STMT_CACHE) { /* full: drop the oldest */
        sqlite3_finalize(db->cache[0].st);
        memmove(db->cache, db->cache + 1, sizeof db->cache[0] * (STMT_CACHE - 1));
        db->n--;
    }
    db->cache[db->n].sql = sql;
    db->cache[db->n].st = st;
    db->n++;
    return st;
}

static int param(sqlite3_stmt *st, const char *name)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i == 0)
        die("SQL has no parameter %s\n  in: %s", name, sqlite3_sql(st));
    return i;
}

void db_bind_text(sqlite3_stmt *st, const char *name, const char *text)
{
    if (text)
        sqlite3_bind_text(st, param(st, name), text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, param(st, name));
}

void db_bind_textn(sqlite3_stmt *st, const char *name, const char *text, size_t len)
{
    sqlite3_bind_text64(st, param(st, name), text, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

void db_bind_int(sqlite3_stmt *st, const char *name, int64_t v)
{
    sqlite3_bind_int64(st, param(st, name), v);
}

void db_bind_blob(sqlite3_stmt *st, const char *name, const void *data, size_t len)
{
    sqlite3_bind_blob64(st, param(st, name), data, len, SQLITE_TRANSIENT);
}

void db_bind_null(sqlite3_stmt *st, const char *name)
{
    sqlite3_bind_null(st, param(st, name));
}

const char *db_col_text(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    return s ? (const char *)s : "";
}

int64_t db_col_int(sqlite3_stmt *st, int col)
{
    return sqlite3_column_int64(st, col);
}

/* The connection on which this thread last saw the disk fill up. db_step has only the
 * statement, not the struct db, so the mark is kept per thread: a connection is used by one
 * thread (a worker's own, or a command's), and a worker serves one request at a time. */
static _Thread_local sqlite3 *full_on;

/* Marks h when rc says the disk is full: SQLITE_FULL, or an I/O error the system called ENOSPC. */
static void note_full(sqlite3 *h, int rc)
{
    if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && sqlite3_system_errno(h) == ENOSPC))
        full_on = h;
}

int db_disk_full(struct db *db)
{
    return db && full_on == db->h;
}

void db_disk_full_clear(struct db *db)
{
    if (db_disk_full(db))
        full_on = NULL;
}

int db_step(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        note_full(sqlite3_db_handle(st), rc);
        fprintf(stderr, "ken: database error %d: %s\n", rc,
                sqlite3_errmsg(sqlite3_db_handle(st)));
    }
    return rc;
}

int db_run(sqlite3_stmt *st)
{
    int rc = db_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int64_t db_one_int(sqlite3_stmt *st, int64_t dflt)
{
    int64_t v = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : dflt;
    sqlite3_reset(st);
    return v;
}

char *db_one_text(sqlite3_stmt *st, struct arena *a)
{
    char *v = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : NULL;
    sqlite3_reset(st);
    return v;
}

int db_checkpoint(struct db *db, char **err)
{
    return db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", err);
}

int64_t db_size_bytes(struct db *db)
{
    return db_one_int(db_stmt(db, "SELECT page_count * page_size FROM pragma_page_count, "
                                  "pragma_page_size"),
                      -1);
}

int db_exec(struct db *db, const char *sql, char **err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        note_full(db->h, rc);
        if (err)
            *err = xstrdup(msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Runs one cached transaction-control statement (no prepare per request). 0 or -1. */
static int control(struct db *db, const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        note_full(db->h, rc);
    return rc == SQLITE_DONE ? 0 : -1;
}

static const char *const SQL_SAVEPOINT = "SAVEPOINT nested";
static const char *const SQL_RELEASE = "RELEASE nested";
static const char *const SQL_COMMIT = "COMMIT";

static int begin(struct db *db, const char *sql)
{
    if (db->batch) {
        db->depth++;
        return 0;
    }
    int rc = control(db, db->depth ? SQL_SAVEPOINT : sql);
    if (rc == 0)
        db->depth++;
    return rc;
}

static const char *const SQL_BEGIN_IMMEDIATE = "BEGIN IMMEDIATE";
static const char *const SQL_BEGIN = "BEGIN";

int db_begin(struct db *db)
{
    return begin(db, SQL_BEGIN_IMMEDIATE);
}

int db_begin_read(struct db *db)
{
    return begin(db, SQL_BEGIN);
}

int db_commit(struct db *db)
{
    if (db->depth == 0)
        return -1;
    db->depth--;
    if (db->batch)
        return db->spoiled ? -1 : 0;
    return control(db, db->depth ? SQL_RELEASE : SQL_COMMIT);
}

void db_rollback(struct db *db)
{
    if (db->batch) {
        if (db->depth > 0) {
            db->depth--;
            db->spoiled = 1;
        }
        return;
    }
    if (db->depth > 1) {
        db->depth--;
        db_exec(db, "ROLLBACK TO nested; RELEASE nested", NULL);
        return;
    }
    db->depth = 0;
    if (!sqlite3_get_autocommit(db->h))
        db_exec(db, "ROLLBACK", NULL);
}

const char *db_errmsg(struct db *db)
{
    return sqlite3_errmsg(db->h);
}

int db_errcode(struct db *db)
{
    return sqlite3_errcode(db->h);
}

int64_t db_last_id(struct db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

int db_changes(struct db *db)
{
    return sqlite3_changes(db->h);
}

int db_batch_begin(struct db *db)
{
    if (db->depth || db_exec(db, "BEGIN IMMEDIATE", NULL) != 0)
        return -1;
    db->batch = 1;
    db->spoiled = 0;
    return 0;
}

int db_batch_end(struct db *db)
{
    int ok = db->batch && !db->spoiled;
    db->batch = 0;
    db->spoiled = 0;
    db->depth = 0;
    if (ok && db_exec(db, "COMMIT", NULL) == 0)
        return 0;
    if (!sqlite3_get_autocommit(db->h))
        db_exec(db, "ROLLBACK", NULL);
    return -1;
}
