#include "wiki/contrib_store.h"
#include "markup/diff.h"

#include <string.h>

/* Characters in the lines `new_md` adds to `old_md`, counting each line's newline. */
static int64_t added_chars(struct arena *a, const char *old_md, const char *new_md)
{
    if (!old_md || !*old_md)
        return (int64_t)strlen(new_md);
    size_t n;
    struct diff_line *d = diff_lines(a, old_md, new_md, &n);
    int64_t chars = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i].op == DIFF_ADD)
            chars += (int64_t)d[i].len + 1;
    return chars;
}

int contrib_record(struct db *db, struct arena *a, int64_t page_id, int64_t author_id,
                   const char *old_md, const char *new_md, int64_t at)
{
    if (author_id <= 0)
        return 0;
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO page_contributions(page_id, user_id, chars, revisions, first_at, last_at) "
            "VALUES (:page, :user, :chars, 1, :at, :at) ON CONFLICT(page_id, user_id) DO UPDATE SET "
            "chars = chars + excluded.chars, revisions = revisions + 1, "
            "first_at = min(first_at, excluded.first_at), last_at = max(last_at, excluded.last_at)");
    db_bind_int(st, ":page", page_id);
    db_bind_int(st, ":user", author_id);
    db_bind_int(st, ":chars", added_chars(a, old_md, new_md));
    db_bind_int(st, ":at", at);
    return db_run(st);
}

int contrib_rebuild(struct db *db)
{
    if (db_begin(db) != 0)
        return -1;
    if (db_exec(db, "DELETE FROM page_contributions", NULL) != 0)
        goto failed;
    /* Revisions in page order, so each is compared with the one before it. */
    sqlite3_stmt *st = db_stmt(db, "SELECT page_id, coalesce(author_id, 0), markdown, created_at "
                                   "FROM revisions ORDER BY page_id, number");
    struct arena *a = arena_new();
    int64_t page = 0;
    char *prev = NULL;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int64_t p = db_col_int(st, 0), author = db_col_int(st, 1), at = db_col_int(st, 3);
        char *md = arena_strdup(a, db_col_text(st, 2));
        if (p != page) {
            prev = NULL;
            page = p;
        }
        /* Another statement runs while this one is open: contrib_record uses its own. */
        if (contrib_record(db, a, p, author, prev, md, at) != 0) {
            rc = SQLITE_ERROR;
            break;
        }
        prev = md;
    }
    sqlite3_reset(st);
    arena_free(a);
    if (rc != SQLITE_DONE)
        goto failed;
    return db_commit(db);
failed:
    db_rollback(db);
    return -1;
}
