#include "cli/maint_store.h"
#include "core/arena.h"
#include "core/buf.h"
#include "wiki/contrib_store.h"
#include "wiki/page_store.h"
#include "search/people_search_store.h"
#include "people/people_store.h"
#include "questions/question_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int maint_backup(struct db *db, const char *dest, FILE *progress, char **err)
{
    int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        struct buf b;
        buf_init(&b, 0);
        buf_printf(&b, "cannot create %s: %s%s", dest, strerror(errno),
                   errno == EEXIST ? " (ken backup never overwrites a file)" : "");
        *err = buf_take(&b);
        return -1;
    }
    close(fd);
    sqlite3 *out = NULL;
    int rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE, NULL);
    /* One read snapshot for the whole copy: without it every save made between two steps
     * restarted the backup, and at about 10 saves a second it never finished. Writers go on
     * meanwhile (WAL); the copy is the database as it was when the snapshot began. */
    char *msg = NULL;
    int snapshot = rc == SQLITE_OK && db_exec(db, "BEGIN", &msg) == 0 &&
                   db_exec(db, "SELECT count(*) FROM sqlite_schema", &msg) == 0;
    free(msg);
    sqlite3_backup *bk = snapshot ? sqlite3_backup_init(out, "main", db_handle(db), "main") : NULL;
    if (bk) {
        /* 256 pages a step, with a pause: the disk is shared with the serving ken. */
        int shown = -1;
        while ((rc = sqlite3_backup_step(bk, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
               rc == SQLITE_LOCKED) {
            int total = sqlite3_backup_pagecount(bk), left = sqlite3_backup_remaining(bk);
            int pct = total ? (int)(100LL * (total - left) / total) : 100;
            if (progress && pct / 10 != shown / 10) {
                fprintf(progress, "backup: %d%% (%d of %d pages)\n", pct, total - left, total);
                shown = pct;
            }
            sqlite3_sleep(rc == SQLITE_OK ? 1 : 20);
        }
        if (progress && rc == SQLITE_DONE)
            fprintf(progress, "backup: 100%% (%d of %d pages)\n", sqlite3_backup_pagecount(bk),
                    sqlite3_backup_pagecount(bk));
        sqlite3_backup_finish(bk);
    }
    if (snapshot)
        db_exec(db, "COMMIT", NULL);
    if (rc != SQLITE_DONE) {
        struct buf b;
        buf_init(&b, 0);
        buf_printf(&b, "backup to %s failed: %s", dest, out ? sqlite3_errmsg(out) : "cannot open");
        *err = buf_take(&b);
        sqlite3_close(out);
        unlink(dest);
        return -1;
    }
    /* A backup is a plain database file: no WAL beside it to lose. */
    sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    sqlite3_close(out);
    return 0;
}

int maint_check(struct db *db, FILE *out)
{
    int problems = 0;
    sqlite3_stmt *st = db_stmt(db, "PRAGMA integrity_check");
    while (db_step(st) == SQLITE_ROW) {
        const char *line = db_col_text(st, 0);
        if (strcmp(line, "ok") != 0) {
            fprintf(out, "integrity: %s\n", line);
            problems++;
        }
    }
    sqlite3_reset(st);
    st = db_stmt(db, "PRAGMA foreign_key_check");
    while (db_step(st) == SQLITE_ROW) {
        fprintf(out, "foreign key: row %lld of %s points to a missing row in %s\n",
                (long long)db_col_int(st, 1), db_col_text(st, 0), db_col_text(st, 2));
        problems++;
    }
    sqlite3_reset(st);
    /* The search index must agree with its content table. */
    char *err = NULL;
    if (db_exec(db, "INSERT INTO page_search(page_search, rank) VALUES ('integrity-check', 1)",
                &err) != 0) {
        fprintf(out, "search index: %s (run ken reindex)\n", err);
        free(err);
        problems++;
    }
    static const char *const people[] = {
        "INSERT INTO people_search(people_search) VALUES ('integrity-check')",
        "INSERT INTO people_search_hr(people_search_hr) VALUES ('integrity-check')"};
    for (size_t i = 0; i < sizeof people / sizeof *people; i++) {
        if (db_exec(db, people[i], &err) == 0)
            continue;
        fprintf(out, "people search index: %s (run ken reindex)\n", err);
        free(err);
        problems++;
    }
    return problems;
}

int maint_reindex(struct db *db)
{
    struct arena *a = arena_new();
    int rc = page_store_reindex(db, a);
    arena_free(a);
    if (rc == 0)
        rc = db_exec(db, "INSERT INTO page_search(page_search) VALUES ('rebuild')", NULL);
    if (rc == 0)
        rc = contrib_rebuild(db);
    if (rc == 0) {
        struct arena *pa = arena_new();
        rc = people_store_reindex(db, pa) == 0 ? 0 : -1;
        if (rc == 0)
            rc = question_store_reindex(db, pa) == 0 ? 0 : -1;
        if (rc == 0)
            rc = people_search_store_rebuild(db);
        arena_free(pa);
    }
    return rc;
}
