#include "search/search_index_store.h"

/* Loads what is indexed for the page now; 1 when there is something, 0 when not, -1 on error. */
int search_index_store_current(struct db *db, struct arena *a, int64_t page_id,
                               struct search_index_words *w)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT title, headings, body, tags, space, authors FROM "
                                   "page_text WHERE page_id = :id");
    db_bind_int(st, ":id", page_id);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        w->title = arena_strdup(a, db_col_text(st, 0));
        w->headings = arena_strdup(a, db_col_text(st, 1));
        w->body = arena_strdup(a, db_col_text(st, 2));
        w->tags = arena_strdup(a, db_col_text(st, 3));
        w->space = arena_strdup(a, db_col_text(st, 4));
        w->authors = arena_strdup(a, db_col_text(st, 5));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void bind_words(sqlite3_stmt *st, int64_t page_id, const struct search_index_words *w)
{
    db_bind_int(st, ":id", page_id);
    db_bind_text(st, ":title", w->title);
    db_bind_text(st, ":headings", w->headings);
    db_bind_text(st, ":body", w->body);
    db_bind_text(st, ":tags", w->tags);
    db_bind_text(st, ":space", w->space);
    db_bind_text(st, ":authors", w->authors);
}

/* FTS5 external content: to forget a row, the index must be given the words it indexed. */
int search_index_store_forget(struct db *db, int64_t page_id, const struct search_index_words *w)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO page_search(page_search, rowid, title, headings, "
                                   "body, tags, space, authors) VALUES ('delete', :id, :title, "
                                   ":headings, :body, :tags, :space, :authors)");
    bind_words(st, page_id, w);
    return db_run(st);
}

int search_index_store_put(struct db *db, int64_t page_id, const struct search_index_words *w)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO page_text(page_id, title, headings, "
                                   "body, tags, space, authors) VALUES (:id, :title, :headings, "
                                   ":body, :tags, :space, :authors)");
    bind_words(st, page_id, w);
    if (db_run(st) != 0)
        return -1;
    st = db_stmt(db, "INSERT INTO page_search(rowid, title, headings, body, tags, space, authors) "
                     "VALUES (:id, :title, :headings, :body, :tags, :space, :authors)");
    bind_words(st, page_id, w);
    return db_run(st);
}

const char *search_index_store_authors(struct db *db, struct arena *a, int64_t page_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(group_concat(name, ', '), '') FROM (SELECT "
                                   "DISTINCT u.name FROM revisions r JOIN users u ON u.id = "
                                   "r.author_id WHERE r.page_id = :id)");
    db_bind_int(st, ":id", page_id);
    const char *authors = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
    sqlite3_reset(st);
    return authors;
}

int search_index_store_drop(struct db *db, int64_t page_id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM page_text WHERE page_id = :id");
    db_bind_int(st, ":id", page_id);
    return db_run(st);
}
