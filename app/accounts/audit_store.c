#include "accounts/audit_store.h"

#include <string.h>

int audit_store_state(struct db *db, struct audit_state *s)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT retention_days, pruned_through, anchor, pruned_count, "
                                   "head "
                                   "FROM audit_state "
                                   "WHERE id = 1");
    memset(s, 0, sizeof *s);
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return -1;
    }
    s->retention_days = (int)db_col_int(st, 0);
    s->pruned_through = db_col_int(st, 1);
    if (sqlite3_column_bytes(st, 2) == AUDIT_HASH_LEN)
        memcpy(s->anchor, sqlite3_column_blob(st, 2), AUDIT_HASH_LEN);
    s->pruned_count = db_col_int(st, 3);
    s->head = db_col_int(st, 4);
    sqlite3_reset(st);
    return 0;
}

int audit_store_last(struct db *db, int64_t *id, unsigned char hash[AUDIT_HASH_LEN])
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, hash "
                                   "FROM audit_log "
                                   "ORDER BY id DESC "
                                   "LIMIT 1");
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        *id = db_col_int(st, 0);
        memset(hash, 0, AUDIT_HASH_LEN);
        if (sqlite3_column_bytes(st, 1) == AUDIT_HASH_LEN)
            memcpy(hash, sqlite3_column_blob(st, 1), AUDIT_HASH_LEN);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int audit_store_insert(struct db *db, const struct audit_entry *e)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO audit_log(id, at, actor_id, actor, addr, action, "
                                   "target, detail, hash) "
                                   "VALUES (:id, :at, :actor_id, :actor, :addr, :action, :target, "
                                   ":detail, :hash)");
    db_bind_int(st, ":id", e->id);
    db_bind_int(st, ":at", e->at);
    if (e->actor_id)
        db_bind_int(st, ":actor_id", e->actor_id);
    else
        db_bind_null(st, ":actor_id");
    db_bind_text(st, ":actor", e->actor);
    db_bind_text(st, ":addr", e->addr);
    db_bind_text(st, ":action", e->action);
    db_bind_text(st, ":target", e->target);
    db_bind_text(st, ":detail", e->detail);
    db_bind_blob(st, ":hash", e->hash, AUDIT_HASH_LEN);
    if (db_run(st) != 0)
        return -1;
    st = db_stmt(db, "UPDATE audit_state "
                     "SET head = :id "
                     "WHERE id = 1");
    db_bind_int(st, ":id", e->id);
    return db_run(st);
}

int audit_store_set_retention(struct db *db, int days)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE audit_state "
                                   "SET retention_days = :days "
                                   "WHERE id = 1");
    db_bind_int(st, ":days", days);
    return db_run(st);
}

int64_t audit_store_prunable(struct db *db, int64_t cutoff)
{
    /* The first entry at or after the cutoff bounds what may go: pruning never skips over a
     * recent entry to remove an older one after it (a clock set back), so the kept log is a
     * contiguous tail of the chain. */
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce((SELECT min(id) - 1 "
                                   "                 FROM audit_log "
                                   "                 WHERE at >= :cutoff), "
                                   "                (SELECT max(id) FROM audit_log), 0)");
    db_bind_int(st, ":cutoff", cutoff);
    int64_t through = db_one_int(st, -1);
    return through;
}

int audit_store_prune(struct db *db, int64_t through, int64_t *removed)
{
    *removed = 0;
    sqlite3_stmt *st = db_stmt(db, "UPDATE audit_state "
                                   "SET pruned_through = :through, "
                                   "    anchor = (SELECT hash FROM audit_log WHERE id = :through), "
                                   "    pruned_count = pruned_count + "
                                   "        (SELECT count(*) FROM audit_log WHERE id <= :through) "
                                   "WHERE id = 1 "
                                   "  AND EXISTS (SELECT 1 FROM audit_log WHERE id = :through)");
    db_bind_int(st, ":through", through);
    if (db_run(st) != 0 || db_changes(db) != 1)
        return -1;
    st = db_stmt(db, "DELETE FROM audit_log "
                     "WHERE id <= :through");
    db_bind_int(st, ":through", through);
    if (db_run(st) != 0)
        return -1;
    *removed = db_changes(db);
    return 0;
}

static void read_entry(sqlite3_stmt *st, struct audit_entry *e)
{
    e->id = db_col_int(st, 0);
    e->at = db_col_int(st, 1);
    e->actor_id = db_col_int(st, 2);
    e->actor = db_col_text(st, 3);
    e->addr = db_col_text(st, 4);
    e->action = db_col_text(st, 5);
    e->target = db_col_text(st, 6);
    e->detail = db_col_text(st, 7);
    memset(e->hash, 0, AUDIT_HASH_LEN);
    if (sqlite3_column_bytes(st, 8) == AUDIT_HASH_LEN)
        memcpy(e->hash, sqlite3_column_blob(st, 8), AUDIT_HASH_LEN);
}

int audit_store_each(struct db *db, int (*fn)(void *ctx, const struct audit_entry *e), void *ctx)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, at, coalesce(actor_id, 0), actor, addr, action, "
                                   "target, detail, hash "
                                   "FROM audit_log "
                                   "ORDER BY id");
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct audit_entry e;
        memset(&e, 0, sizeof e);
        read_entry(st, &e);
        int stop = fn(ctx, &e);
        if (stop) {
            sqlite3_reset(st);
            return stop;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

#define AUDIT_WHERE                                                                                \
    "WHERE (:actor = '' OR actor = :actor) "                                                       \
    "  AND (:action = '' OR action = :action "                                                     \
    "       OR (substr(:action, -1) = '.' AND substr(action, 1, length(:action)) = :action)) "     \
    "  AND (:from = 0 OR at >= :from) "                                                            \
    "  AND (:to = 0 OR at < :to) "

static void bind_filter(sqlite3_stmt *st, const struct audit_filter *f)
{
    db_bind_text(st, ":actor", f->actor ? f->actor : "");
    db_bind_text(st, ":action", f->action ? f->action : "");
    db_bind_int(st, ":from", f->from);
    db_bind_int(st, ":to", f->to);
}

struct audit_entry *audit_store_list(struct db *db, struct arena *a, const struct audit_filter *f,
                                     int *total)
{
    if (total) {
        sqlite3_stmt *st = db_stmt(db, "SELECT count(*) "
                                       "FROM audit_log " AUDIT_WHERE);
        bind_filter(st, f);
        *total = (int)db_one_int(st, 0);
    }
    sqlite3_stmt *st = db_stmt(db, "SELECT id, at, coalesce(actor_id, 0), actor, addr, action, "
                                   "target, detail, hash "
                                   "FROM audit_log " AUDIT_WHERE
                                   "ORDER BY id DESC "
                                   "LIMIT :limit OFFSET :offset");
    bind_filter(st, f);
    db_bind_int(st, ":limit", f->limit > 0 ? f->limit : -1);
    db_bind_int(st, ":offset", f->offset);
    struct audit_entry *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct audit_entry *e = arena_alloc(a, sizeof *e);
        read_entry(st, e);
        e->actor = arena_strdup(a, e->actor);
        e->addr = arena_strdup(a, e->addr);
        e->action = arena_strdup(a, e->action);
        e->target = arena_strdup(a, e->target);
        e->detail = arena_strdup(a, e->detail);
        *tail = e;
        tail = &e->next;
    }
    sqlite3_reset(st);
    return head;
}

const char **audit_store_actions(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT DISTINCT action "
                                   "FROM audit_log "
                                   "ORDER BY action "
                                   "LIMIT 200");
    const char **out = arena_alloc(a, 201 * sizeof *out);
    int n = 0;
    while (n < 200 && db_step(st) == SQLITE_ROW)
        out[n++] = arena_strdup(a, db_col_text(st, 0));
    sqlite3_reset(st);
    out[n] = NULL;
    return out;
}

int audit_store_guarded(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) "
                                   "FROM sqlite_schema "
                                   "WHERE type = 'trigger' "
                                   "  AND name IN ('audit_log_no_update', 'audit_log_prune_only', "
                                   "               'audit_state_forward', 'audit_state_keep')");
    int rc = db_step(st);
    int n = rc == SQLITE_ROW ? (int)db_col_int(st, 0) : -1;
    sqlite3_reset(st);
    return n < 0 ? -1 : n == 4;
}
