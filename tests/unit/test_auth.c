/* Passwords, sessions, API tokens and failed-login throttling against a real database. */
#include "check.h"
#include "testdb.h"
#include "core/migrate.h"
#include "accounts/session_store.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    CHECK(auth_init() == 0);
    char hash[128];
    CHECK(auth_password_hash(hash, "correct horse battery") == 0);
    CHECK(strncmp(hash, "$argon2id$", 10) == 0);
    CHECK(auth_password_verify(hash, "correct horse battery") == 1);
    CHECK(auth_password_verify(hash, "correct horse batterY") == 0);
    CHECK(auth_password_verify(NULL, "anything") == 0);
    CHECK(auth_password_check("short") != NULL);
    CHECK(auth_password_check("long enough now") == NULL);

    char t1[AUTH_TOKEN_LEN + 1], t2[AUTH_TOKEN_LEN + 1];
    auth_token_new(t1);
    auth_token_new(t2);
    CHECK(strlen(t1) == AUTH_TOKEN_LEN && strcmp(t1, t2) != 0);
    CHECK(auth_equal(t1, t1) && !auth_equal(t1, t2) && !auth_equal("abc", "abcd"));

    struct testdb tdb;
    struct db *db = testdb_open(&tdb);
    struct arena *a = arena_new();
    const char *why = NULL;
    int64_t id = user_store_add(db, a, "ana", "Ana Lima", ROLE_EDITOR, hash, &why);
    CHECK(id > 0);
    CHECK(user_store_add(db, a, "ana", "Other", ROLE_VIEWER, NULL, &why) < 0);
    CHECK_CONTAINS(why, "taken");
    CHECK(user_store_add(db, a, "Bad Login", "x", ROLE_VIEWER, NULL, &why) < 0);

    /* Sessions: the cookie value finds the user; only its hash is stored. */
    char token[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1];
    CHECK(session_create(db, id, token, csrf) == 0);
    const char *got_csrf = NULL;
    struct user *u = session_lookup(db, db, a, token, &got_csrf);
    CHECK(u && u->id == id && u->role == ROLE_EDITOR);
    CHECK_STR(got_csrf, csrf);
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM sessions WHERE instr(token_hash, :t) > 0");
    db_bind_text(st, ":t", token);
    CHECK(db_step(st) == SQLITE_ROW && db_col_int(st, 0) == 0);
    sqlite3_reset(st);
    CHECK(session_lookup(db, db, a, t1, &got_csrf) == NULL);

    /* Idle and absolute expiry. */
    st = db_stmt(db, "UPDATE sessions SET last_seen = :t");
    db_bind_int(st, ":t", (int64_t)time(NULL) - SESSION_IDLE_SECONDS - 1);
    CHECK(db_run(st) == 0);
    CHECK(session_lookup(db, db, a, token, &got_csrf) == NULL);
    CHECK(session_create(db, id, token, csrf) == 0);
    st = db_stmt(db, "UPDATE sessions SET created_at = :t");
    db_bind_int(st, ":t", (int64_t)time(NULL) - SESSION_MAX_SECONDS - 1);
    CHECK(db_run(st) == 0);
    CHECK(session_lookup(db, db, a, token, &got_csrf) == NULL);
    CHECK(session_create(db, id, token, csrf) == 0);
    CHECK(session_delete(db, token) == 0);
    CHECK(session_lookup(db, db, a, token, &got_csrf) == NULL);

    /* API tokens. */
    int read_only = -1;
    CHECK(token_create(db, id, "ci", 0, token) == 0);
    u = token_lookup(db, db, a, token, &read_only);
    CHECK(u && strcmp(u->login, "ana") == 0 && read_only == 0);
    CHECK(token_lookup(db, db, a, "not-a-token", &read_only) == NULL);
    CHECK(token_create(db, id, "feed reader", 1, token) == 0);
    CHECK(token_lookup(db, db, a, token, &read_only) && read_only == 1);
    struct token_item *list = token_list(db, a, id);
    CHECK(list && list->next && !list->next->next);
    CHECK(token_revoke(db, id, list->id) == 0);
    CHECK(token_revoke(db, id, list->id) == -1);
    CHECK(token_lookup(db, db, a, token, &read_only) == NULL || list->id != 2);

    /* Throttling: each attempt is counted before its password is checked (issue 15: counted
     * after, 60 concurrent guesses got 41 checks). 10 attempts for one login lock it, for that
     * login only. */
    for (int i = 0; i < THROTTLE_MAX_PER_LOGIN; i++)
        CHECK(throttle_take(db, "ana", "10.0.0.1") == 0);
    CHECK(throttle_take(db, "ana", "10.0.0.2") > 0);
    CHECK(throttle_take(db, "bob", "10.0.0.2") == 0);
    throttle_succeeded(db, "ana", "10.0.0.1"); /* the right password forgets the failures */
    CHECK(throttle_take(db, "ana", "10.0.0.2") == 0);
    /* ... and 30 attempts from one address lock that address for every login. */
    for (int i = 0; i < THROTTLE_MAX_PER_ADDR; i++) {
        char who[16];
        snprintf(who, sizeof who, "guess%d", i);
        CHECK(throttle_take(db, who, "10.0.0.9") == 0);
    }
    CHECK(throttle_take(db, "zed", "10.0.0.9") > 0);
    CHECK(throttle_take(db, "zed", "10.0.0.8") == 0);

    arena_free(a);
    db_close(db);
    testdb_remove(&tdb);
    DONE();
}
