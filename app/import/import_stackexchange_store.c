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

int import_se_store_votes_begin(struct db *db)
{
    if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS se_votes ("
                    "post TEXT PRIMARY KEY, "
                    "score INTEGER NOT NULL DEFAULT 0, "
                    "accepted_at INTEGER) WITHOUT ROWID",
                NULL) != 0)
        return -1;
    return db_exec(db, "DELETE FROM temp.se_votes", NULL);
}

int import_se_store_vote(struct db *db, const char *post, int delta, int64_t accepted_at)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO temp.se_votes(post, score, accepted_at) "
                                   "VALUES (:post, :delta, :acc) "
                                   "ON CONFLICT(post) DO UPDATE SET "
                                   "score = score + excluded.score, "
                                   "accepted_at = CASE "
                                   "WHEN excluded.accepted_at IS NULL THEN accepted_at "
                                   "WHEN accepted_at IS NULL THEN excluded.accepted_at "
                                   "ELSE min(accepted_at, excluded.accepted_at) END");
    db_bind_text(st, ":post", post);
    db_bind_int(st, ":delta", delta);
    if (accepted_at > 0)
        db_bind_int(st, ":acc", accepted_at);
    else
        db_bind_null(st, ":acc");
    return db_run(st);
}

void import_se_store_post_votes(struct db *db, const char *post, int *score, int64_t *accepted_at)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT score, coalesce(accepted_at, 0) FROM temp.se_votes "
                                   "WHERE post = :post");
    db_bind_text(st, ":post", post);
    *score = 0;
    *accepted_at = 0;
    if (db_step(st) == SQLITE_ROW) {
        *score = (int)db_col_int(st, 0);
        *accepted_at = db_col_int(st, 1);
    }
    sqlite3_reset(st);
}

int import_se_store_answer_state(struct db *db, int64_t answer_id, int *imported_votes,
                                 int *accepted)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT a.imported_votes, coalesce(q.accepted_answer_id = a.id, 0) "
                                   "FROM answers a "
                                   "JOIN questions q ON q.id = a.question_id "
                                   "WHERE a.id = :a");
    db_bind_int(st, ":a", answer_id);
    int rc = -1;
    if (db_step(st) == SQLITE_ROW) {
        *imported_votes = (int)db_col_int(st, 0);
        *accepted = (int)db_col_int(st, 1);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

int import_se_store_answer_update(struct db *db, int64_t answer_id, int votes,
                                  int64_t accepted_at)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE answers SET imported_votes = :votes, "
                                   "votes = :votes + (SELECT count(*) FROM answer_votes "
                                   "WHERE answer_id = :a) "
                                   "WHERE id = :a");
    db_bind_int(st, ":votes", votes);
    db_bind_int(st, ":a", answer_id);
    if (db_run(st) != 0)
        return -1;
    if (accepted_at <= 0)
        return 0;
    st = db_stmt(db, "UPDATE questions SET state = 'accepted', accepted_answer_id = :a, "
                     "accepted_at = :at "
                     "WHERE id = (SELECT question_id FROM answers WHERE id = :a)");
    db_bind_int(st, ":a", answer_id);
    db_bind_int(st, ":at", accepted_at);
    return db_run(st);
}
