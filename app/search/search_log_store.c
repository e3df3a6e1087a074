#include "search/search_log_store.h"

#include <string.h>

int search_log_searchers(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE name = 'log_searchers'");
    int on = db_step(st) == SQLITE_ROW && strcmp(db_col_text(st, 0), "1") == 0;
    sqlite3_reset(st);
    return on;
}

int search_log_set_searchers(struct db *rw, int on)
{
    sqlite3_stmt *st = db_stmt(rw, "INSERT INTO settings(name, value) VALUES ('log_searchers', "
                                   ":v) ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    db_bind_text(st, ":v", on ? "1" : "0");
    return db_run(st);
}

static void bind_user(sqlite3_stmt *st, int64_t user_id)
{
    if (user_id > 0)
        db_bind_int(st, ":user", user_id);
    else
        db_bind_null(st, ":user");
}

int search_log_store_write(struct db *rw, const char *query, const char *path, int results,
                          int64_t at, int64_t user_id)
{
    sqlite3_stmt *st;
    if (path) {
        st = db_stmt(rw, "INSERT INTO search_clicks(query, path, at, user_id) "
                         "VALUES (:query, :path, :at, :user)");
        db_bind_text(st, ":path", path);
    } else {
        st = db_stmt(rw, "INSERT INTO search_log(query, results, at, user_id) "
                         "VALUES (:query, :results, :at, :user)");
        db_bind_int(st, ":results", results);
    }
    db_bind_text(st, ":query", query);
    db_bind_int(st, ":at", at);
    bind_user(st, user_id);
    return db_run(st);
}

int search_log_store_prune(struct db *rw, int64_t old)
{
    sqlite3_stmt *st = db_stmt(rw, "DELETE FROM search_log WHERE at < :old");
    db_bind_int(st, ":old", old);
    if (db_run(st) != 0)
        return -1;
    st = db_stmt(rw, "DELETE FROM search_clicks WHERE at < :old");
    db_bind_int(st, ":old", old);
    return db_run(st);
}

/* `results` is a bare column next to max(at): SQLite takes it from the latest search. */
static const char *const SQL_REPORT =
    "SELECT query, searches, results, clicks, who FROM ("
    "SELECT l.query, count(*) AS searches, max(l.at), l.results AS results, "
    "(SELECT count(*) FROM search_clicks c WHERE c.query = l.query AND c.at >= :since) AS clicks, "
    "coalesce(group_concat(DISTINCT u.login), '') AS who "
    "FROM search_log l LEFT JOIN users u ON u.id = l.user_id WHERE l.at >= :since "
    "GROUP BY l.query) "
    "WHERE CASE WHEN :no_results THEN results = 0 ELSE results > 0 AND clicks = 0 END "
    "ORDER BY searches DESC, query LIMIT :limit";

struct search_log_row *search_log_report(struct db *db, struct arena *a, int no_results,
                                         int64_t since, int limit)
{
    sqlite3_stmt *st = db_stmt(db, SQL_REPORT);
    db_bind_int(st, ":since", since);
    db_bind_int(st, ":no_results", no_results);
    db_bind_int(st, ":limit", limit);
    struct search_log_row *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct search_log_row *r = arena_alloc(a, sizeof *r);
        r->query = arena_strdup(a, db_col_text(st, 0));
        r->searches = (int)db_col_int(st, 1);
        r->results = (int)db_col_int(st, 2);
        r->clicks = (int)db_col_int(st, 3);
        r->who = arena_strdup(a, db_col_text(st, 4));
        *tail = r;
        tail = &r->next;
    }
    sqlite3_reset(st);
    return head;
}
