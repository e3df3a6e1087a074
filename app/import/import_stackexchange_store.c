#include "import/import_stackexchange_store.h"

int import_se_store_find(struct db *db, struct arena *a, const char *source, const char *kind,
                         const char *ext, int64_t *local, const char **accepted)
{
    /* A row deleted in ken since is imported again rather than pointed at. */
    sqlite3_stmt *st = db_stmt(
        db, "SELECT x.local_id, coalesce(x.accepted, '') "
            "FROM external_ids x "
            "WHERE x.source = :source AND x.kind = :kind AND x.external_id = :ext "
            "AND CASE x.kind "
            "WHEN 'user' THEN EXISTS (SELECT 1 FROM users WHERE id = x.local_id) "
            "WHEN 'question' THEN EXISTS (SELECT 1 FROM questions WHERE id = x.local_id) "
            "WHEN 'answer' THEN EXISTS (SELECT 1 FROM answers WHERE id = x.local_id) "
            "ELSE EXISTS (SELECT 1 FROM question_comments WHERE id = x.local_id) END");
    db_bind_text(st, ":source", source);
    db_bind_text(st, ":kind", kind);
    db_bind_text(st, ":ext", ext);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        *local = db_col_int(st, 0);
        if (accepted)
            *accepted = arena_strdup(a, db_col_text(st, 1));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int import_se_store_put(struct db *db, const char *source, const char *kind, const char *ext,
                        int64_t local, const char *accepted)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO external_ids(source, kind, external_id, "
                                   "local_id, accepted) "
                                   "VALUES (:source, :kind, :ext, :local, :accepted)");
    db_bind_text(st, ":source", source);
    db_bind_text(st, ":kind", kind);
    db_bind_text(st, ":ext", ext);
    db_bind_int(st, ":local", local);
    if (accepted && *accepted)
        db_bind_text(st, ":accepted", accepted);
    else
        db_bind_null(st, ":accepted");
    return db_run(st);
}
