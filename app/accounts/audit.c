#include "accounts/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Feeds one field as "LENGTH:BYTES" so that no two different entries encode the same (a field
 * holding the separator cannot shift bytes into the next one). */
static void feed(crypto_generichash_state *h, const char *s)
{
    char len[24];
    s = s ? s : "";
    size_t n = strlen(s);
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_generichash_update(h, (const unsigned char *)len, (size_t)k);
    crypto_generichash_update(h, (const unsigned char *)s, n);
}

static void feed_int(crypto_generichash_state *h, int64_t v)
{
    char s[24];
    snprintf(s, sizeof s, "%lld", (long long)v);
    feed(h, s);
}

void audit_entry_hash(const unsigned char prev[AUDIT_HASH_LEN], const struct audit_entry *e,
                      unsigned char out[AUDIT_HASH_LEN])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_LEN);
    feed(&h, "ken-audit-1");
    crypto_generichash_update(&h, prev, AUDIT_HASH_LEN);
    feed_int(&h, e->id);
    feed_int(&h, e->at);
    feed_int(&h, e->actor_id);
    feed(&h, e->actor);
    feed(&h, e->addr);
    feed(&h, e->action);
    feed(&h, e->target);
    feed(&h, e->detail);
    crypto_generichash_final(&h, out, AUDIT_HASH_LEN);
}

/* Prunes by the retention in s, inside the caller's transaction. 0 or -1. */
static int prune_in(struct db *db, const struct audit_state *s, int64_t now, int64_t *removed)
{
    *removed = 0;
    if (s->retention_days <= 0)
        return 0;
    int64_t through = audit_store_prunable(db, now - (int64_t)s->retention_days * 86400);
    if (through < 0)
        return -1;
    if (through <= s->pruned_through)
        return 0;
    return audit_store_prune(db, through, removed);
}

/* Appends inside an open transaction. 0 or -1. */
static int append_in(struct db *db, const struct audit_who *who, const char *action,
                     const char *target, const char *detail, int64_t now)
{
    struct audit_state s;
    int64_t removed, last_id = 0;
    unsigned char prev[AUDIT_HASH_LEN];
    if (audit_store_state(db, &s) != 0 || prune_in(db, &s, now, &removed) != 0 ||
        audit_store_state(db, &s) != 0)
        return -1;
    int have = audit_store_last(db, &last_id, prev);
    if (have < 0)
        return -1;
    if (!have)
        memcpy(prev, s.anchor, AUDIT_HASH_LEN);
    struct audit_entry e;
    memset(&e, 0, sizeof e);
    /* After the newest entry, the head and the pruned ones: were the newest entries deleted
     * behind ken's back, the gap stays for verify to find instead of being written over. */
    e.id = last_id;
    if (s.head > e.id)
        e.id = s.head;
    if (s.pruned_through > e.id)
        e.id = s.pruned_through;
    e.id++;
    e.at = now;
    e.actor_id = who ? who->user_id : 0;
    e.actor = who && who->login ? who->login : "";
    e.addr = who && who->addr ? who->addr : "";
    e.action = action;
    e.target = target ? target : "";
    e.detail = detail ? detail : "";
    audit_entry_hash(prev, &e, e.hash);
    return audit_store_insert(db, &e);
}

int audit_append(struct db *db, const struct audit_who *who, const char *action,
                 const char *target, const char *detail)
{
    if (db_begin(db) != 0)
        goto failed;
    if (append_in(db, who, action, target, detail, (int64_t)time(NULL)) != 0) {
        db_rollback(db);
        goto failed;
    }
    if (db_commit(db) == 0)
        return 0;
failed:
    fprintf(stderr, "ken: could not write the audit log entry %s %s: %s\n", action,
            target ? target : "", db_errmsg(db));
    return -1;
}

int audit_commit(struct db *db, int rc, const struct audit_who *who, const char *action,
                 const char *target, const char *detail)
{
    if (rc == 0 && (audit_append(db, who, action, target, detail) != 0 || db_commit(db) != 0))
        rc = -1;
    if (rc)
        db_rollback(db);
    return rc;
}

struct walk {
    struct audit_report *r;
    unsigned char prev[AUDIT_HASH_LEN];
    int64_t expect; /* the id the next entry must have */
};

static int check_one(void *ctx, const struct audit_entry *e)
{
    struct walk *w = ctx;
    struct audit_report *r = w->r;
    if (e->id != w->expect) {
        r->bad = w->expect;
        if (w->expect + 1 == e->id)
            snprintf(r->why, sizeof r->why, "entry %lld is missing: it was deleted (entry %lld "
                     "follows entry %lld)", (long long)w->expect, (long long)e->id,
                     (long long)w->expect - 1);
        else
            snprintf(r->why, sizeof r->why, "entries %lld to %lld are missing: they were deleted",
                     (long long)w->expect, (long long)e->id - 1);
        return 1;
    }
    unsigned char h[AUDIT_HASH_LEN];
    audit_entry_hash(w->prev, e, h);
    if (sodium_memcmp(h, e->hash, AUDIT_HASH_LEN) != 0) {
        r->bad = e->id;
        snprintf(r->why, sizeof r->why, "entry %lld does not match its hash: it was edited, or "
                 "moved from elsewhere in the log", (long long)e->id);
        return 1;
    }
    memcpy(w->prev, e->hash, AUDIT_HASH_LEN);
    if (!r->first)
        r->first = e->id;
    r->last = e->id;
    r->entries++;
    w->expect = e->id + 1;
    return 0;
}

int audit_verify(struct db *db, struct audit_report *r)
{
    memset(r, 0, sizeof *r);
    struct audit_state s;
    struct walk w = {.r = r};
    if (db_begin_read(db) != 0)
        return -1;
    int rc = audit_store_state(db, &s);
    int guarded = rc == 0 ? audit_store_guarded(db) : -1;
    if (rc == 0 && guarded >= 0) {
        memcpy(w.prev, s.anchor, AUDIT_HASH_LEN);
        w.expect = s.pruned_through + 1;
        r->pruned = s.pruned_count;
        rc = audit_store_each(db, check_one, &w);
    } else {
        rc = -1;
    }
    db_commit(db);
    if (rc < 0)
        return -1;
    sodium_bin2hex(r->head_hex, sizeof r->head_hex, w.prev, AUDIT_HASH_LEN);
    if (rc == 0 && w.expect <= s.head) {
        r->bad = w.expect;
        snprintf(r->why, sizeof r->why, "entries %lld to %lld, the newest, are missing: they "
                 "were deleted", (long long)w.expect, (long long)s.head);
        rc = 1;
    }
    if (!guarded) {
        r->unguarded = 1;
        if (!rc)
            snprintf(r->why, sizeof r->why, "a trigger that keeps the audit log append-only was "
                     "dropped");
        rc = 1;
    }
    return rc;
}

int audit_prune(struct db *db, int64_t now, int64_t *removed)
{
    struct audit_state s;
    *removed = 0;
    if (db_begin(db) != 0)
        return -1;
    if (audit_store_state(db, &s) != 0 || prune_in(db, &s, now, removed) != 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db);
}

int audit_set_retention(struct db *db, const struct audit_who *who, int days)
{
    if (days < 0 || days > AUDIT_RETENTION_MAX)
        return -1;
    char detail[64] = "keep for ever";
    if (days)
        snprintf(detail, sizeof detail, "keep %d days", days);
    int64_t removed;
    if (db_begin(db) != 0)
        return -1;
    if (append_in(db, who, AUDIT_RETENTION, "", detail, (int64_t)time(NULL)) != 0 ||
        audit_store_set_retention(db, days) != 0) {
        db_rollback(db);
        return -1;
    }
    if (db_commit(db) != 0)
        return -1;
    return audit_prune(db, (int64_t)time(NULL), &removed);
}
