/* session_store: browser sessions, API tokens and failed-login records (their SQL). */
#ifndef KEN_SESSION_STORE_H
#define KEN_SESSION_STORE_H
#include "accounts/auth.h"
#include "accounts/user_store.h"

enum {
    SESSION_IDLE_SECONDS = 12 * 3600,          /* signed out after 12 hours without a request */
    SESSION_MAX_SECONDS = 14 * 24 * 3600,      /* and 14 days after signing in, whatever happens */
    THROTTLE_WINDOW_SECONDS = 15 * 60,
    THROTTLE_MAX_PER_LOGIN = 10,               /* failures per account per window */
    THROTTLE_MAX_PER_ADDR = 30,                /* failures per client address per window */
};

/* Creates a session for user_id. Writes the cookie value to token and its CSRF secret to csrf.
 * Returns 0 or -1. */
int session_create(struct db *db, int64_t user_id, char token[AUTH_TOKEN_LEN + 1],
                   char csrf[AUTH_TOKEN_LEN + 1]);
/* Returns the user of a live session, in a, with its CSRF secret in *csrf (in a); NULL when the
 * token is unknown or expired. Reads with db; the rare writes (deleting an expired session,
 * refreshing last_seen every few minutes) go through rw, which may be the same connection. */
struct user *session_lookup(struct db *db, struct db *rw, struct arena *a, const char *token,
                            const char **csrf);
int session_delete(struct db *db, const char *token);

/* Creates an API token for user_id, written to token; read_only tokens may not change anything.
 * Returns 0 or -1. */
int token_create(struct db *db, int64_t user_id, const char *label, int read_only,
                 char token[AUTH_TOKEN_LEN + 1]);
/* Returns the owner of an API token, in a, or NULL; *read_only tells the token's scope. */
/* The one lookup of a secret by its hash (API and feed tokens): hashes `token`, runs `find` (a
 * literal binding :hash, with columns last_used, the user's id, login, name and role, and for
 * `extra` one more text column) on db and, at most once an hour, `touch` (binding :now and
 * :hash) on rw. Returns the enabled user it belongs to in a, or NULL. */
struct user *session_token_user(struct db *db, struct db *rw, struct arena *a, const char *token,
                                const char *find, const char *touch, const char **extra);
struct user *token_lookup(struct db *db, struct db *rw, struct arena *a, const char *token,
                          int *read_only);
/* One of a user's tokens, for the page that lists them (never the token itself). */
struct token_item {
    int64_t id;
    const char *label;
    int read_only;
    int64_t created_at, last_used;
    struct token_item *next;
};
struct token_item *token_list(struct db *db, struct arena *a, int64_t user_id);
/* Ends every way user_id is signed in: browser sessions, API tokens and the feed token.
 * Returns 0 or -1 (call inside a transaction to make it all or nothing). */
int session_revoke_user(struct db *db, int64_t user_id);
/* Ends user_id's browser sessions (a new password: what the old one opened), keeping API tokens.
 * Returns 0 or -1. */
int session_end_user(struct db *db, int64_t user_id);
/* Deletes token `id` of user_id. Returns 0, or -1 when there is no such token of theirs. */
int token_revoke(struct db *db, int64_t user_id, int64_t id);

/* Takes one sign-in attempt of `login` from `addr` before its password is checked: in one write
 * transaction, checks the limits (THROTTLE_MAX_PER_LOGIN and _PER_ADDR failures in the window)
 * and records the attempt as a failure, so that concurrent guesses cannot all pass the check
 * before any is counted. Returns 0 when the password may be checked, the seconds to wait when
 * the limits are reached, or -1 when the attempt could not be recorded (the database busy or
 * its disk full): the password is then not checked either. */
int throttle_take(struct db *db, const char *login, const char *addr);
/* After the password was right: forgets the login's failures and the attempt just taken. */
void throttle_succeeded(struct db *db, const char *login, const char *addr);

#endif
