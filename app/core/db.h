/* db: SQLite connections, cached prepared statements, parameters bound by name. */
#ifndef KEN_DB_H
#define KEN_DB_H
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

struct db;

enum { DB_READONLY = 1, DB_CREATE = 2 };

/* Opens `path` with WAL, foreign keys, a busy timeout; DB_READONLY also sets query_only.
 * Returns the connection, or NULL with a malloc'd message in *err (caller frees). */
struct db *db_open(const char *path, int flags, char **err);
/* Closes the connection and its cached statements. NULL is fine. */
void db_close(struct db *db);
sqlite3 *db_handle(struct db *db);

/* Returns the cached statement for `sql` (a string literal: cached by address), reset and with
 * no bindings. Owned by the connection. A statement that does not prepare is a bug: aborts. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);
/* Bind by name (":name"); an unknown name is a bug and aborts. Text is copied by SQLite. */
void db_bind_text(sqlite3_stmt *st, const char *name, const char *text); /* NULL binds NULL */
void db_bind_textn(sqlite3_stmt *st, const char *name, const char *text, size_t len);
void db_bind_int(sqlite3_stmt *st, const char *name, int64_t v);
void db_bind_blob(sqlite3_stmt *st, const char *name, const void *data, size_t len);
void db_bind_null(sqlite3_stmt *st, const char *name);
/* Column text, "" for NULL; valid until the next step or reset. */
const char *db_col_text(sqlite3_stmt *st, int col);
int64_t db_col_int(sqlite3_stmt *st, int col);

/* Steps once: SQLITE_ROW, SQLITE_DONE, or an error code (logged). */
int db_step(sqlite3_stmt *st);
/* Runs a statement that returns no rows: 0 or -1. Resets it either way. */
int db_run(sqlite3_stmt *st);
/* Single values (Fossil's db_int/db_text): step the bound statement once and return column 0
 * of its first row, then reset it. db_one_int returns dflt when there is no row or on error;
 * db_one_text returns a copy in a, or NULL when there is no row (NULL text reads as ""). */
int64_t db_one_int(sqlite3_stmt *st, int64_t dflt);
struct arena;
char *db_one_text(sqlite3_stmt *st, struct arena *a);

/* Transactions: 0 or -1. db_begin takes the write lock at once (BEGIN IMMEDIATE). They nest:
 * inside an open transaction, begin/commit/rollback work on a savepoint, so a caller can batch
 * many saves that each make their own transaction into one. */
int db_begin(struct db *db);
int db_begin_read(struct db *db);
int db_commit(struct db *db);
void db_rollback(struct db *db);
/* Batches: one transaction for many writers that each begin and commit their own. Inside,
 * their begin/commit do nothing (no savepoints, which would make FTS5 flush its index on every
 * one) and a rollback spoils the whole batch: db_batch_end then rolls everything back and
 * returns -1, and the caller does the batch's work again one transaction at a time. */
int db_batch_begin(struct db *db);
int db_batch_end(struct db *db);
/* Moves the write-ahead log into the database file and empties it (at a clean stop), so the
 * file alone is the whole database. 0, or -1 with *err malloc'd. */
int db_checkpoint(struct db *db, char **err);
/* Returns the size of the database file in bytes, or -1. */
int64_t db_size_bytes(struct db *db);
/* Runs SQL text with no parameters (migrations, pragmas). 0, or -1 with *err malloc'd. */
int db_exec(struct db *db, const char *sql, char **err);
/* Returns 1 when a statement, transaction or db_exec on db failed because the disk is full
 * (SQLITE_FULL or ENOSPC) since the last db_disk_full_clear on this thread. The router clears
 * it when a request starts, and resp_error answers 507 for a failure while it is set. */
int db_disk_full(struct db *db);
void db_disk_full_clear(struct db *db);
/* The last error's message (owned by SQLite) and code. */
const char *db_errmsg(struct db *db);
int db_errcode(struct db *db);
int64_t db_last_id(struct db *db);
int db_changes(struct db *db);

#endif
