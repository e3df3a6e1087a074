/* audit_store: the SQL of the audit log (schema/0025_audit_log.sql). It only adds entries and
 * reads them; the one way out for an entry is audit_store_prune, from the oldest end. The hash
 * chain is computed by accounts/audit.c, which is the only caller of the writing functions. */
#ifndef KEN_AUDIT_STORE_H
#define KEN_AUDIT_STORE_H
#include "core/arena.h"
#include "core/db.h"

enum { AUDIT_HASH_LEN = 32 };

/* One entry, as stored. Strings are "" when empty, never NULL. */
struct audit_entry {
    int64_t id, at;
    int64_t actor_id; /* 0: nobody signed in, or the command line */
    const char *actor, *addr, *action, *target, *detail;
    unsigned char hash[AUDIT_HASH_LEN];
    struct audit_entry *next;
};

/* The log's state (the audit_state row). */
struct audit_state {
    int retention_days; /* 0: keep for ever */
    int64_t pruned_through, pruned_count, head;
    unsigned char anchor[AUDIT_HASH_LEN];
};

/* Reads the state into *s. Returns 0 or -1. */
int audit_store_state(struct db *db, struct audit_state *s);
/* Reads the id and hash of the newest entry. Returns 1 when there is one, 0 when the log is
 * empty, -1 on a database error. */
int audit_store_last(struct db *db, int64_t *id, unsigned char hash[AUDIT_HASH_LEN]);
/* Adds e (its id and hash already computed) and moves the state's head to it. 0 or -1. */
int audit_store_insert(struct db *db, const struct audit_entry *e);
/* Sets how many days entries are kept (0: for ever). 0 or -1. */
int audit_store_set_retention(struct db *db, int days);
/* Returns the id of the newest entry such that it and every entry before it happened before
 * `cutoff` (unix seconds): what retention may prune. 0 when none; -1 on error. */
int64_t audit_store_prunable(struct db *db, int64_t cutoff);
/* Removes every entry up to and including `through` (which must exist), keeping its hash as the
 * chain's anchor. Sets *removed. 0 or -1. Call inside a transaction. */
int audit_store_prune(struct db *db, int64_t through, int64_t *removed);

/* Calls fn for each entry from the oldest, until fn returns non-zero (which is returned).
 * Returns 0 after the last, -1 on a database error. The entry is valid during the call only. */
int audit_store_each(struct db *db, int (*fn)(void *ctx, const struct audit_entry *e), void *ctx);

/* Which entries to list. NULL or 0 members match anything. */
struct audit_filter {
    const char *actor;  /* login, exact */
    const char *action; /* exact ("page.delete"), or a family ending in '.' ("page.") */
    int64_t from, to;   /* at >= from, at < to (unix seconds) */
    int limit, offset;  /* limit 0: all */
};
/* Returns the entries matching f, newest first, in a; *total gets how many match in all (when
 * total is not NULL). NULL when none or on error. */
struct audit_entry *audit_store_list(struct db *db, struct arena *a, const struct audit_filter *f,
                                     int *total);
/* Returns the actions that occur in the log, sorted, as a NULL-terminated array in a. */
const char **audit_store_actions(struct db *db, struct arena *a);
/* Returns 1 when the triggers that keep the log append-only are all in place, 0 when one was
 * dropped, -1 on error. */
int audit_store_guarded(struct db *db);

#endif
