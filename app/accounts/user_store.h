/* user_store: accounts (the SQL for users). */
#ifndef KEN_USER_STORE_H
#define KEN_USER_STORE_H
#include "core/arena.h"
#include "core/db.h"
#include "accounts/user.h"

/* Creates a user; password_hash may be NULL (no password login). Returns the new id, or -1 with
 * a message in *err (static or in a): "login already taken" and the like. */
int64_t user_store_add(struct db *db, struct arena *a, const char *login, const char *name,
                       enum role role, const char *password_hash, const char **err);
/* Reads columns col..col+3 of st (id, login, name, role) as a user, in a. For every query that
 * joins users to find who is asking (sessions, API tokens, feed tokens). */
struct user *user_store_from_row(struct arena *a, sqlite3_stmt *st, int col);
/* Returns the enabled user called `login`, in a, or NULL. */
struct user *user_store_by_login(struct db *db, struct arena *a, const char *login);
/* Returns the stored password hash of enabled `login` in a, or NULL (no user, or no password). */
char *user_store_password_hash(struct db *db, struct arena *a, const char *login);
int user_store_set_password(struct db *db, int64_t id, const char *password_hash);
/* Returns the number of accounts, or -1. */
int user_store_count(struct db *db);
/* Returns the number of accounts that can sign in (not disabled), or -1. */
int64_t user_store_count_enabled(struct db *db);



/* A user in a listing. */
struct user_item {
    const char *login, *name, *role;
    struct user_item *next;
};
/* Returns every user by login, in a. */
struct user_item *user_store_all(struct db *db, struct arena *a);

/* An account as the admin page lists it. */
struct account_item {
    int64_t id;
    const char *login, *name, *role;
    int64_t left_at;      /* 0: still here */
    int tokens, sessions; /* API tokens and live browser sessions */
    struct account_item *next;
};
/* Returns every account by login with its state, in a. */
struct account_item *user_store_accounts(struct db *db, struct arena *a);
/* Returns the id of the account `login` (enabled or not), or 0 when there is none. */
int64_t user_store_id(struct db *db, const char *login);
/* Gives user `id` the role `role`. Returns 0 or -1. */
int user_store_set_role(struct db *db, int64_t id, enum role role);
#endif
