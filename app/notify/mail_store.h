/* mail_store: e-mail notifications' SQL: the SMTP settings (rows mail_* and public_url of the
 * settings table), the outgoing queue (schema/0015_mail.sql) and each person's opt-outs.
 *
 * A notice is queued in the transaction of the write it tells about (an inbox row, an
 * endorsement), so it is never lost and never sent for a write that was rolled back. Changes to
 * watched pages are gathered by ken serve's mail thread (mail_store_page_digests) from the
 * revisions table, with a cursor moved in the same transaction as the messages it queues. */
#ifndef KEN_MAIL_STORE_H
#define KEN_MAIL_STORE_H
#include "core/arena.h"
#include "core/db.h"

/* The site's e-mail settings; strings are "" when unset. */
struct mail_settings {
    int enabled;            /* admins turned e-mail on */
    int starttls;           /* smtp:// must upgrade to TLS (STARTTLS) or not send */
    const char *smtp_url;   /* smtp://host:port or smtps://host:port */
    const char *from;       /* the From address */
    const char *username, *password; /* SMTP AUTH; the password never leaves ken */
    const char *public_url; /* the address people reach ken at, no trailing slash */
};

/* Reads the settings into *s, strings in a. Returns 0 or -1. */
int mail_store_settings(struct db *db, struct arena *a, struct mail_settings *s);
/* Saves *s in one transaction; a NULL password keeps the stored one. When e-mail goes from off
 * to on, page changes made while it was off are not mailed. Returns 0 or -1. */
int mail_store_save_settings(struct db *db, const struct mail_settings *s);

/* Hooks, called inside the writer's transaction: when e-mail is on, the recipient can sign in,
 * has a valid address and wants this kind, they queue one message. Return 0 (queued or not
 * wanted) or -1 on a database error (the caller rolls back). */
int mail_store_inbox(struct db *db, int64_t user_id, const char *kind, int64_t question_id,
                     int64_t answer_id, int64_t actor_id, const char *text, int64_t now);
int mail_store_page_mention(struct db *db, int64_t user_id, int64_t page_id, int rev,
                            int64_t actor_id, const char *text, int64_t now);
int mail_store_endorsed(struct db *db, int64_t user_id, int64_t endorser_id, int64_t skill_id,
                        int64_t now);
/* Queues, for each person who watches them, one digest of the pages changed by someone else
 * since the last digest (revisions dated within a day of now: imported history is not news).
 * Returns how many people had changes to hear about (0 when e-mail is off), or -1. */
int mail_store_page_digests(struct db *db, int64_t now);
/* Queues a message made elsewhere (user_id 0: nobody's). Returns the row id, or -1. */
int64_t mail_store_enqueue(struct db *db, int64_t user_id, const char *kind, const char *rcpt,
                           const char *subject, const char *message, int64_t now);

/* A queued, sent or failed message. */
struct mail_item {
    int64_t id;
    const char *kind, *rcpt, *subject, *message, *state, *last_error;
    /* mail_store_problems only (else 0 and ""): the recipient's account and login; 0 and ""
     * for a message to no account. */
    int64_t user_id;
    const char *login;
    int attempts;
    int64_t created_at, done_at;
    struct mail_item *next;
};
/* Returns the oldest queued message due at now_ms, in a; NULL when none. */
struct mail_item *mail_store_due(struct db *db, struct arena *a, int64_t now_ms);
/* Returns when the next queued message is due (ms), or -1 when none is queued. */
int64_t mail_store_next_due_ms(struct db *db);
/* Records the outcome of one attempt. Return 0 or -1. */
int mail_store_mark_sent(struct db *db, int64_t id, int64_t now);
int mail_store_mark_retry(struct db *db, int64_t id, const char *error, int64_t next_at_ms);
int mail_store_mark_failed(struct db *db, int64_t id, const char *error, int64_t now);
/* Deletes sent messages done before `before`. Returns 0 or -1. */
int mail_store_prune(struct db *db, int64_t before);

struct mail_counts {
    long long queued, sent, failed;
};
/* Fills *c with how many messages are in each state. Returns 0 or -1. */
int mail_store_counts(struct db *db, struct mail_counts *c);
/* Returns the newest messages that had an error (queued for a retry, or failed), at most
 * limit, newest first, in a. */
struct mail_item *mail_store_problems(struct db *db, struct arena *a, int limit);

/* Returns user_id's profile address when it is one ken can send to, else "" (in a). */
const char *mail_store_address(struct db *db, struct arena *a, int64_t user_id);
/* Returns 1 when user_id has not turned off e-mail about kind, else 0. */
int mail_store_wants(struct db *db, int64_t user_id, const char *kind);
/* Sets which kinds user_id gets e-mail about: on[i] for mail_format_kinds[i]. One transaction.
 * Returns 0 or -1. */
int mail_store_set_prefs(struct db *db, int64_t user_id, const int *on);

#endif
