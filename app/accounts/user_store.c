#include "accounts/user_store.h"
#include "search/people_search_store.h"

#include <string.h>
#include <time.h>

int64_t user_store_add(struct db *db, struct arena *a, const char *login, const char *name,
                       enum role role, const char *password_hash, const char **err)
{
    (void)a;
    if ((*err = user_login_check(login)))
        return -1;
    if (!name || !*name || strlen(name) > 200) {
        *err = "a name is 1 to 200 characters long";
        return -1;
    }
    if (db_begin(db) != 0) {
        *err = "the database is busy; try again";
        return -1;
    }
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO users(login, name, role, password_hash, created_at)"
                                   " VALUES (:login, :name, :role, :hash, :now)");
    db_bind_text(st, ":login", login);
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":role", user_role_name(role));
    db_bind_text(st, ":hash", password_hash);
    db_bind_int(st, ":now", (int64_t)time(NULL));
    if (db_run(st) != 0) {
        *err = db_errcode(db) == SQLITE_CONSTRAINT_UNIQUE ? "that login is already taken"
                                                          : "the database refused the new user";
        /* Nothing was written: ending the transaction with a commit keeps a batch around
         * this call (an import) intact, which a rollback would spoil. */
        if (db_commit(db) != 0)
            db_rollback(db);
        return -1;
    }
    int64_t id = db_last_id(db); /* the new person is found by name from the start */
    if (people_search_store_reindex_person(db, id) != 0 || db_commit(db) != 0) {
        *err = "the database refused the new user";
        db_rollback(db);
        return -1;
    }
    return id;
}

struct user *user_store_from_row(struct arena *a, sqlite3_stmt *st, int col)
{
    struct user *u = arena_alloc(a, sizeof *u);
    u->id = db_col_int(st, col);
    u->login = arena_strdup(a, db_col_text(st, col + 1));
    u->name = arena_strdup(a, db_col_text(st, col + 2));
    u->role = user_role_parse(db_col_text(st, col + 3));
    return u;
}

struct user *user_store_by_login(struct db *db, struct arena *a, const char *login)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, login, name, role FROM users "
                                   "WHERE login = :login AND disabled = 0");
    db_bind_text(st, ":login", login);
    struct user *u = NULL;
    if (db_step(st) == SQLITE_ROW)
        u = user_store_from_row(a, st, 0);
    sqlite3_reset(st);
    return u;
}

char *user_store_password_hash(struct db *db, struct arena *a, const char *login)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT password_hash FROM users "
                                   "WHERE login = :login AND disabled = 0 AND password_hash IS NOT NULL");
    db_bind_text(st, ":login", login);
    char *hash = db_one_text(st, a);
    return hash;
}

int user_store_set_password(struct db *db, int64_t id, const char *password_hash)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE users SET password_hash = :hash WHERE id = :id");
    db_bind_text(st, ":hash", password_hash);
    db_bind_int(st, ":id", id);
    return db_run(st);
}

int user_store_count(struct db *db)
{
    return (int)db_one_int(db_stmt(db, "SELECT count(*) FROM users"), -1);
}

int64_t user_store_count_enabled(struct db *db)
{
    return db_one_int(db_stmt(db, "SELECT count(*) FROM users WHERE disabled = 0"), -1);
}

struct user_item *user_store_all(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT login, name, role FROM users ORDER BY login");
    struct user_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct user_item *u = arena_alloc(a, sizeof *u);
        u->login = arena_strdup(a, db_col_text(st, 0));
        u->name = arena_strdup(a, db_col_text(st, 1));
        u->role = arena_strdup(a, db_col_text(st, 2));
        *tail = u;
        tail = &u->next;
    }
    sqlite3_reset(st);
    return head;
}

struct account_item *user_store_accounts(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT u.id, u.login, u.name, u.role, coalesce(p.left_at, 0), "
                                   "(SELECT count(*) FROM api_tokens t WHERE t.user_id = u.id), "
                                   "(SELECT count(*) FROM sessions s WHERE s.user_id = u.id) "
                                   "FROM users u "
                                   "LEFT JOIN profiles p ON p.user_id = u.id "
                                   "ORDER BY u.login");
    struct account_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct account_item *u = arena_alloc(a, sizeof *u);
        u->id = db_col_int(st, 0);
        u->login = arena_strdup(a, db_col_text(st, 1));
        u->name = arena_strdup(a, db_col_text(st, 2));
        u->role = arena_strdup(a, db_col_text(st, 3));
        u->left_at = db_col_int(st, 4);
        u->tokens = (int)db_col_int(st, 5);
        u->sessions = (int)db_col_int(st, 6);
        *tail = u;
        tail = &u->next;
    }
    sqlite3_reset(st);
    return head;
}

int64_t user_store_id(struct db *db, const char *login)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM users WHERE login = :login");
    db_bind_text(st, ":login", login);
    int64_t id = db_one_int(st, 0);
    return id;
}

int user_store_set_role(struct db *db, int64_t id, enum role role)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE users SET role = :role WHERE id = :id");
    db_bind_text(st, ":role", user_role_name(role));
    db_bind_int(st, ":id", id);
    return db_run(st);
}
