#include "accounts/session_store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int session_create(struct db *db, int64_t user_id, char token[AUTH_TOKEN_LEN + 1],
                   char csrf[AUTH_TOKEN_LEN + 1])
{
    unsigned char hash[AUTH_HASH_LEN];
    auth_token_new(token);
    auth_token_new(csrf);
    auth_token_hash(hash, token);
    int64_t now = (int64_t)time(NULL);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO sessions(token_hash, user_id, csrf, created_at, "
                                   "last_seen) VALUES (:hash, :user, :csrf, :now, :now)");
    db_bind_blob(st, ":hash", hash, sizeof hash);
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":csrf", csrf);
    db_bind_int(st, ":now", now);
    if (db_run(st) != 0)
        return -1;
    /* Sweep this user's dead sessions so the table does not grow without end. */
    st = db_stmt(db, "DELETE FROM sessions WHERE user_id = :user AND "
                     "(last_seen < :idle OR created_at < :oldest)");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":idle", now - SESSION_IDLE_SECONDS);
    db_bind_int(st, ":oldest", now - SESSION_MAX_SECONDS);
    db_run(st);
    return 0;
}

struct user *session_lookup(struct db *db, struct db *rw, struct arena *a, const char *token,
                            const char **csrf)
{
    unsigned char hash[AUTH_HASH_LEN];
    auth_token_hash(hash, token);
    int64_t now = (int64_t)time(NULL);
    sqlite3_stmt *st = db_stmt(db, "SELECT s.csrf, s.created_at, s.last_seen, u.id, u.login, "
                                   "u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id "
                                   "WHERE s.token_hash = :hash AND u.disabled = 0");
    db_bind_blob(st, ":hash", hash, sizeof hash);
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    int64_t created = db_col_int(st, 1), seen = db_col_int(st, 2);
    if (seen < now - SESSION_IDLE_SECONDS || created < now - SESSION_MAX_SECONDS) {
        sqlite3_reset(st);
        session_delete(rw, token);
        return NULL;
    }
    *csrf = arena_strdup(a, db_col_text(st, 0));
    struct user *u = user_store_from_row(a, st, 3);
    sqlite3_reset(st);
    if (now - seen > 300) { /* one write per five minutes per session, not per request */
        st = db_stmt(rw, "UPDATE sessions SET last_seen = :now WHERE token_hash = :hash");
        db_bind_int(st, ":now", now);
        db_bind_blob(st, ":hash", hash, sizeof hash);
        db_run(st);
    }
    return u;
}

int session_delete(struct db *db, const char *token)
{
    unsigned char hash[AUTH_HASH_LEN];
    auth_token_hash(hash, token);
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM sessions WHERE token_hash = :hash");
    db_bind_blob(st, ":hash", hash, sizeof hash);
    return db_run(st);
}

int token_create(struct db *db, int64_t user_id, const char *label, int read_only,
                 char token[AUTH_TOKEN_LEN + 1])
{
    unsigned char hash[AUTH_HASH_LEN];
    auth_token_new(token);
    auth_token_hash(hash, token);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO api_tokens(token_hash, user_id, label, scope, "
                                   "created_at) VALUES (:hash, :user, :label, :scope, :now)");
    db_bind_text(st, ":scope", read_only ? "read" : "write");
    db_bind_blob(st, ":hash", hash, sizeof hash);
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":label", label ? label : "");
    db_bind_int(st, ":now", (int64_t)time(NULL));
    return db_run(st);
}

struct user *session_token_user(struct db *db, struct db *rw, struct arena *a, const char *token,
                                const char *find, const char *touch, const char **extra)
{
    unsigned char hash[AUTH_HASH_LEN];
    auth_token_hash(hash, token);
    sqlite3_stmt *st = db_stmt(db, find);
    db_bind_blob(st, ":hash", hash, sizeof hash);
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    int64_t used = db_col_int(st, 0), now = (int64_t)time(NULL);
    struct user *u = user_store_from_row(a, st, 1);
    if (extra)
        *extra = arena_strdup(a, db_col_text(st, 5));
    sqlite3_reset(st);
    if (now - used > 3600) { /* one write an hour per token, not one per request */
        st = db_stmt(rw, touch);
        db_bind_int(st, ":now", now);
        db_bind_blob(st, ":hash", hash, sizeof hash);
        db_run(st);
    }
    return u;
}

struct user *token_lookup(struct db *db, struct db *rw, struct arena *a, const char *token,
                          int *read_only)
{
    const char *scope = NULL;
    struct user *u = session_token_user(
        db, rw, a, token,
        "SELECT t.last_used, u.id, u.login, u.name, u.role, t.scope "
        "FROM api_tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.token_hash = :hash AND u.disabled = 0",
        "UPDATE api_tokens SET last_used = :now WHERE token_hash = :hash", &scope);
    *read_only = u && strcmp(scope, "read") == 0;
    return u;
}

static int failures(struct db *db, const char *key, int64_t since, int64_t *oldest)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*), min(at) FROM login_failures "
                                   "WHERE key = :key AND at >= :since");
    db_bind_text(st, ":key", key);
    db_bind_int(st, ":since", since);
    int n = 0;
    if (db_step(st) == SQLITE_ROW) {
        n = (int)db_col_int(st, 0);
        *oldest = db_col_int(st, 1);
    }
    sqlite3_reset(st);
    return n;
}

/* Returns the seconds `login` from `addr` must wait, 0 when it may try (in db's transaction). */
static int throttle_wait(struct db *db, const char *login, const char *addr, int64_t now)
{
    char key[160];
    int64_t since = now - THROTTLE_WINDOW_SECONDS, oldest = now;
    int wait = 0;
    snprintf(key, sizeof key, "login:%s", login);
    if (failures(db, key, since, &oldest) >= THROTTLE_MAX_PER_LOGIN)
        wait = (int)(oldest + THROTTLE_WINDOW_SECONDS - now);
    snprintf(key, sizeof key, "addr:%s", addr);
    if (failures(db, key, since, &oldest) >= THROTTLE_MAX_PER_ADDR) {
        int w = (int)(oldest + THROTTLE_WINDOW_SECONDS - now);
        wait = w > wait ? w : wait;
    }
    return wait > 0 ? wait : 1;
}

static int record(struct db *db, const char *key, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO login_failures(key, at) VALUES (:key, :now)");
    db_bind_text(st, ":key", key);
    db_bind_int(st, ":now", now);
    return db_run(st);
}

int throttle_take(struct db *db, const char *login, const char *addr)
{
    char key[160];
    int64_t now = (int64_t)time(NULL), oldest = now;
    if (db_begin(db) != 0)
        return -1;
    int wait = 0, bad = 0;
    snprintf(key, sizeof key, "login:%s", login);
    int over = failures(db, key, now - THROTTLE_WINDOW_SECONDS, &oldest) >= THROTTLE_MAX_PER_LOGIN;
    snprintf(key, sizeof key, "addr:%s", addr);
    over = over || failures(db, key, now - THROTTLE_WINDOW_SECONDS, &oldest) >=
                       THROTTLE_MAX_PER_ADDR;
    if (over) {
        wait = throttle_wait(db, login, addr, now);
    } else {
        snprintf(key, sizeof key, "login:%s", login);
        bad = record(db, key, now) != 0;
        snprintf(key, sizeof key, "addr:%s", addr);
        bad = bad || record(db, key, now) != 0;
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM login_failures WHERE at < :old");
        db_bind_int(st, ":old", now - THROTTLE_WINDOW_SECONDS);
        bad = bad || db_run(st) != 0;
    }
    if (wait || bad || db_commit(db) != 0) {
        db_rollback(db);
        return wait ? wait : -1;
    }
    return 0;
}

void throttle_succeeded(struct db *db, const char *login, const char *addr)
{
    char key[160];
    snprintf(key, sizeof key, "login:%s", login);
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM login_failures WHERE key = :key");
    db_bind_text(st, ":key", key);
    db_run(st);
    snprintf(key, sizeof key, "addr:%s", addr);
    st = db_stmt(db, "DELETE FROM login_failures WHERE rowid = (SELECT max(rowid) FROM "
                     "login_failures WHERE key = :key)");
    db_bind_text(st, ":key", key);
    db_run(st);
}

struct token_item *token_list(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, label, scope, created_at, coalesce(last_used, 0) "
                                   "FROM api_tokens WHERE user_id = :user ORDER BY created_at DESC, id DESC");
    db_bind_int(st, ":user", user_id);
    struct token_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct token_item *t = arena_alloc(a, sizeof *t);
        t->id = db_col_int(st, 0);
        t->label = arena_strdup(a, db_col_text(st, 1));
        t->read_only = strcmp(db_col_text(st, 2), "read") == 0;
        t->created_at = db_col_int(st, 3);
        t->last_used = db_col_int(st, 4);
        *tail = t;
        tail = &t->next;
    }
    sqlite3_reset(st);
    return head;
}

int token_revoke(struct db *db, int64_t user_id, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM api_tokens WHERE id = :id AND user_id = :user");
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":user", user_id);
    return db_run(st) == 0 && db_changes(db) == 1 ? 0 : -1;
}

int session_end_user(struct db *db, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM sessions WHERE user_id = :id");
    db_bind_int(st, ":id", user_id);
    return db_run(st) != 0 ? -1 : 0;
}

int session_revoke_user(struct db *db, int64_t user_id)
{
    static const char *const sql[] = {"DELETE FROM sessions WHERE user_id = :id",
                                      "DELETE FROM api_tokens WHERE user_id = :id",
                                      "DELETE FROM feed_tokens WHERE user_id = :id"};
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st = db_stmt(db, sql[i]);
        db_bind_int(st, ":id", user_id);
        if (db_run(st) != 0)
            return -1;
    }
    return 0;
}
