/* The audit log's engine: the hash of an entry matches an independent computation (Python's
 * hashlib, from README's description), a chain verifies, and an edited, deleted, swapped or
 * truncated one does not, naming the entry; an action and its entry commit or roll back
 * together; the triggers refuse UPDATE and DELETE; retention prunes from the oldest end only and
 * the chain still verifies from its anchor. */
#include "check.h"
#include "accounts/audit.h"
#include "accounts/auth.h"
#include "core/migrate.h"

#include <sodium.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static char dir[] = "/tmp/ken-test-XXXXXX";
static int ndb;

/* A fresh, migrated database. */
static struct db *fresh(void)
{
    char path[96], *err = NULL;
    snprintf(path, sizeof path, "%s/k%d.db", dir, ndb++);
    struct db *db = db_open(path, DB_CREATE, &err);
    CHECK(db && migrate_apply(db, &err) == 0);
    free(err);
    return db;
}

static int sql(struct db *db, const char *text)
{
    char *err = NULL;
    int rc = db_exec(db, text, &err);
    free(err);
    return rc;
}

static const struct audit_who mara = {7, "mara", "203.0.113.7"};

/* Appends n entries "page.delete p/1".."p/n". */
static void fill(struct db *db, int n)
{
    for (int i = 1; i <= n; i++) {
        char target[32];
        snprintf(target, sizeof target, "p/%d", i);
        CHECK(audit_append(db, &mara, AUDIT_PAGE_DELETE, target, "to the trash") == 0);
    }
}

static int64_t verify(struct db *db, struct audit_report *r)
{
    int rc = audit_verify(db, r);
    return rc == 0 ? 0 : rc > 0 ? r->bad : -1;
}

/* Adds an entry with the time `at`, chained properly: what a log written long ago holds. */
static void old_entry(struct db *db, int64_t at)
{
    struct audit_entry e = {.at = at, .actor = "old", .addr = "", .action = "signin",
                            .target = "old", .detail = ""};
    unsigned char prev[AUDIT_HASH_LEN] = {0};
    int64_t last = 0;
    if (audit_store_last(db, &last, prev) == 0)
        memset(prev, 0, sizeof prev);
    e.id = last + 1;
    audit_entry_hash(prev, &e, e.hash);
    CHECK(audit_store_insert(db, &e) == 0);
}

static void test_hash_vector(void)
{
    struct audit_entry e = {.id = 1, .at = 1700000000, .actor_id = 7, .actor = "mara",
                            .addr = "203.0.113.7", .action = "page.delete", .target = "a/b",
                            .detail = "to the trash"};
    unsigned char zero[AUDIT_HASH_LEN] = {0}, h[AUDIT_HASH_LEN];
    char hex[2 * AUDIT_HASH_LEN + 1];
    audit_entry_hash(zero, &e, h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    CHECK_STR(hex, "85495b0e4ae06e562167754e4f0d3cf340cf3e868fd0354a9ff9977b067f6cdf");
    /* A field boundary moved is another entry: "a/b" + "to" is not "a/bt" + "o". */
    struct audit_entry f = e;
    f.target = "a/bt";
    f.detail = "o the trash";
    unsigned char h2[AUDIT_HASH_LEN];
    audit_entry_hash(zero, &f, h2);
    CHECK(memcmp(h, h2, sizeof h) != 0);
}

static void test_chain(void)
{
    struct db *db = fresh();
    struct audit_report r;
    CHECK(verify(db, &r) == 0 && r.entries == 0);
    fill(db, 5);
    CHECK(verify(db, &r) == 0);
    CHECK(r.entries == 5 && r.first == 1 && r.last == 5 && !r.unguarded);
    struct audit_filter f = {.actor = "mara", .action = "page."};
    int total;
    struct arena *a = arena_new();
    struct audit_entry *list = audit_store_list(db, a, &f, &total);
    CHECK(total == 5 && list && list->id == 5); /* newest first */
    CHECK_STR(list->target, "p/5");
    CHECK_STR(list->addr, "203.0.113.7");
    f.action = "page.move";
    CHECK(audit_store_list(db, a, &f, &total) == NULL && total == 0);
    arena_free(a);
    /* The triggers refuse edits and deletes. */
    CHECK(sql(db, "UPDATE audit_log SET detail = 'x' WHERE id = 2") != 0);
    CHECK(sql(db, "DELETE FROM audit_log WHERE id = 5") != 0);
    CHECK(sql(db, "UPDATE audit_state SET head = 1") != 0);
    CHECK(verify(db, &r) == 0);
    db_close(db);
}

static void test_tampering(void)
{
    struct audit_report r;
    struct db *db = fresh();
    fill(db, 5);
    CHECK(sql(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'x' "
                  "WHERE id = 3") == 0);
    CHECK(verify(db, &r) == 3);
    CHECK_CONTAINS(r.why, "entry 3 does not match");
    CHECK(r.unguarded);
    db_close(db);

    db = fresh();
    fill(db, 5);
    CHECK(sql(db, "DROP TRIGGER audit_log_prune_only; DELETE FROM audit_log WHERE id = 2") == 0);
    CHECK(verify(db, &r) == 2);
    CHECK_CONTAINS(r.why, "entry 2 is missing");
    db_close(db);

    db = fresh(); /* two entries swapped, ids and all */
    fill(db, 5);
    CHECK(sql(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET id = -4 WHERE id = 4; "
                  "UPDATE audit_log SET id = 4 WHERE id = 3; UPDATE audit_log SET id = 3 "
                  "WHERE id = -4") == 0);
    CHECK(verify(db, &r) == 3);
    db_close(db);

    db = fresh(); /* the newest deleted: the head still says 5 */
    fill(db, 5);
    CHECK(sql(db, "DROP TRIGGER audit_log_prune_only; DELETE FROM audit_log WHERE id = 5") == 0);
    CHECK(verify(db, &r) == 5);
    /* and ken writes on after the gap instead of over it: still caught */
    fill(db, 1);
    CHECK(verify(db, &r) == 5);
    db_close(db);
}

static void test_commit_with_action(void)
{
    struct db *db = fresh();
    struct audit_report r;
    CHECK(db_begin(db) == 0);
    CHECK(sql(db, "INSERT INTO settings(name, value) VALUES ('audit_test', 'a')") == 0);
    CHECK(audit_commit(db, 404, &mara, AUDIT_PAGE_MOVE, "x", "y") == 404);
    CHECK(verify(db, &r) == 0 && r.entries == 0);
    CHECK(db_begin(db) == 0);
    CHECK(sql(db, "INSERT INTO settings(name, value) VALUES ('audit_test', 'b')") == 0);
    CHECK(audit_commit(db, 0, &mara, AUDIT_PAGE_MOVE, "x", "to y") == 0);
    CHECK(verify(db, &r) == 0 && r.entries == 1);
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE name = 'audit_test'");
    CHECK(db_step(st) == SQLITE_ROW);
    CHECK_STR(db_col_text(st, 0), "b");
    sqlite3_reset(st);
    db_close(db);
}

static void test_retention(void)
{
    struct db *db = fresh();
    struct audit_report r;
    int64_t now = (int64_t)time(NULL), removed;
    old_entry(db, now - 400 * 86400);
    old_entry(db, now - 300 * 86400);
    old_entry(db, now - 86400);        /* recent */
    old_entry(db, now - 200 * 86400);  /* old, but after a recent one (a clock set back) */
    CHECK(verify(db, &r) == 0 && r.entries == 4);
    CHECK(audit_prune(db, now, &removed) == 0 && removed == 0); /* no retention: keep all */
    CHECK(audit_set_retention(db, &mara, 30) == 0);
    CHECK(verify(db, &r) == 0);
    CHECK(r.pruned == 2 && r.first == 3 && r.entries == 3); /* 3, 4 and the retention entry */
    struct audit_state s;
    CHECK(audit_store_state(db, &s) == 0 && s.retention_days == 30 && s.pruned_through == 2);
    /* Later entries chain on; pruning again removes nothing more. */
    fill(db, 2);
    CHECK(audit_prune(db, now, &removed) == 0 && removed == 0);
    CHECK(verify(db, &r) == 0 && r.entries == 5);
    /* A year on, everything goes; the chain still holds from its anchor, and goes on. */
    CHECK(audit_prune(db, now + 400 * 86400, &removed) == 0 && removed == 5);
    CHECK(verify(db, &r) == 0 && r.entries == 0 && r.pruned == 7);
    fill(db, 1);
    CHECK(verify(db, &r) == 0 && r.entries == 1 && r.first == 8);
    CHECK(audit_set_retention(db, &mara, -1) != 0);
    db_close(db);
}

int main(void)
{
    CHECK(auth_init() == 0);
    CHECK(mkdtemp(dir) != NULL);
    test_hash_vector();
    test_chain();
    test_tampering();
    test_commit_with_action();
    test_retention();
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    DONE();
}
