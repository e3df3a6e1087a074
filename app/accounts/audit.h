/* audit: the audit log's engine. Appends entries to a hash chain (each entry's hash is the
 * BLAKE2b-256 of the previous entry's hash and this entry's fields, in a canonical encoding),
 * verifies the chain, and prunes it from the oldest end by the retention admins set, keeping the
 * hash of the last pruned entry as the anchor the kept entries chain from. Calls audit_store
 * only; the HTTP side (who and from where) is accounts/audit_http.c. */
#ifndef KEN_AUDIT_H
#define KEN_AUDIT_H
#include "accounts/audit_store.h"

/* The actions the log records. Names are "family.verb"; /admin/audit filters by either. */
#define AUDIT_SIGNIN "signin"                   /* target: the login */
#define AUDIT_SIGNIN_FAIL "signin.fail"         /* target: the login tried; detail: why */
#define AUDIT_ACCOUNT_CREATE "account.create"   /* target: the login; detail: role, how */
#define AUDIT_ACCOUNT_UPDATE "account.update"   /* detail: which attributes */
#define AUDIT_ACCOUNT_ROLE "account.role"       /* detail: "editor -> admin" */
#define AUDIT_ACCOUNT_PASSWORD "account.password"
#define AUDIT_ACCOUNT_LEFT "account.left"       /* marked as having left (or SCIM deactivated) */
#define AUDIT_ACCOUNT_BACK "account.back"
#define AUDIT_ACCOUNT_DELETE "account.delete"   /* SCIM DELETE: left, and gone from SCIM */
#define AUDIT_ACCOUNT_REVOKE "account.revoke"   /* sessions and tokens revoked */
#define AUDIT_TOKEN_CREATE "token.create"
#define AUDIT_TOKEN_REVOKE "token.revoke"
#define AUDIT_GROUP_CREATE "group.create"
#define AUDIT_GROUP_RENAME "group.rename"
#define AUDIT_GROUP_DELETE "group.delete"
#define AUDIT_GROUP_ADD "group.add"       /* target: the group; detail: the login added */
#define AUDIT_GROUP_REMOVE "group.remove" /* detail: the login removed */
#define AUDIT_HR_SEARCH "hr.search"       /* detail: the search */
#define AUDIT_HR_EXPORT "hr.export"       /* detail: the search, and how many rows */
#define AUDIT_HR_VIEW "hr.view"           /* target: whose profile; detail: the HR-only fields */
#define AUDIT_PAGE_DELETE "page.delete"
#define AUDIT_PAGE_RESTORE "page.restore"
#define AUDIT_PAGE_MOVE "page.move" /* target: the old path; detail: "to NEW" */
#define AUDIT_RETENTION "audit.retention"
#define AUDIT_EXPORT "audit.export"

/* Who acted and from where. user_id 0 and login "" (or NULL): nobody signed in; addr "" (or
 * NULL): the command line. */
struct audit_who {
    int64_t user_id;
    const char *login, *addr;
};

/* Appends one entry at the chain's end, with the time now. Runs in its own transaction, or,
 * when the caller has one open on db, inside it (a savepoint): the entry is then written, or
 * not, with the action it records. When entries are kept for a limited time, entries older
 * than that are pruned first. Returns 0, or -1 (database error; logged to stderr). NULL target
 * and detail are "". */
int audit_append(struct db *db, const struct audit_who *who, const char *action,
                 const char *target, const char *detail);

/* Ends a transaction the caller opened on db (db_begin) for an action: when rc is 0, appends
 * the action's entry and commits, so both are written or neither; otherwise rolls back.
 * Returns rc when it is not 0, 0 when committed, -1 when the entry or the commit failed (then
 * everything was rolled back). */
int audit_commit(struct db *db, int rc, const struct audit_who *who, const char *action,
                 const char *target, const char *detail);

/* Writes the hash of entry e chained after prev to out (e->hash is not read). */
void audit_entry_hash(const unsigned char prev[AUDIT_HASH_LEN], const struct audit_entry *e,
                      unsigned char out[AUDIT_HASH_LEN]);

/* What audit_verify found. */
struct audit_report {
    int64_t entries;        /* kept entries checked */
    int64_t pruned;         /* entries pruned by retention so far */
    int64_t first, last;    /* the first and last kept entry's ids (0: none) */
    int64_t bad;            /* the first entry that does not hold (0: none; for a missing tail,
                               the first missing id) */
    int unguarded;          /* 1: a trigger keeping the log append-only was dropped */
    char why[200];          /* what is wrong with `bad` (or the guard), for people */
    char head_hex[2 * AUDIT_HASH_LEN + 1]; /* the hash at the chain's end, to keep elsewhere */
};
/* Checks the whole chain from its anchor: every id follows the one before, every hash matches
 * the entry and the one before, the last entry is the one the state says was written last, and
 * the guard triggers are in place. Returns 0 when intact, 1 when not (r->bad and r->why say
 * where and what), -1 on a database error. */
int audit_verify(struct db *db, struct audit_report *r);

/* Removes entries older than the retention (none when it is 0) from the oldest end, in one
 * transaction. Sets *removed. Returns 0 or -1. */
int audit_prune(struct db *db, int64_t now, int64_t *removed);
/* Sets the retention in days (0: keep for ever; at most AUDIT_RETENTION_MAX), records who did
 * it, and prunes at once. Returns 0, or -1. */
enum { AUDIT_RETENTION_MAX = 36500 };
int audit_set_retention(struct db *db, const struct audit_who *who, int days);

#endif
