#include "search_store.h"

#define FILTERS                                                                                    \
    "AND (:space = '' OR p.space = :space) "                                                       \
    "AND (:tag = '' OR EXISTS (SELECT 1 FROM page_tags t WHERE t.page_id = p.id AND t.tag = :tag)) " \
    "AND (:author = '' OR EXISTS (SELECT 1 FROM revisions r JOIN users a ON a.id = r.author_id "    \
    "WHERE r.page_id = p.id AND a.login = :author)) "

static const char *const SQL_MATCH =
    "SELECT p.path, p.title, p.space, coalesce(u.name, ''), p.updated_at, "
    "snippet(page_search, -1, char(1), char(2), '…', 24) "
    "FROM page_search JOIN pages p ON p.id = page_search.rowid "
    "LEFT JOIN users u ON u.id = p.updated_by "
    "WHERE page_search MATCH :q " FILTERS
    /* Title and headings weigh most, then tags; body words least. */
    "ORDER BY bm25(page_search, 10.0, 5.0, 1.0, 4.0, 2.0, 2.0) LIMIT :limit OFFSET :offset";

static const char *const SQL_MATCH_COUNT =
    "SELECT count(*) FROM page_search JOIN pages p ON p.id = page_search.rowid "
    "WHERE page_search MATCH :q " FILTERS;

static const char *const SQL_FILTER =
    "SELECT p.path, p.title, p.space, coalesce(u.name, ''), p.updated_at, '' "
    "FROM pages p LEFT JOIN users u ON u.id = p.updated_by WHERE 1 " FILTERS
    "ORDER BY p.updated_at DESC LIMIT :limit OFFSET :offset";

static const char *const SQL_FILTER_COUNT = "SELECT count(*) FROM pages p WHERE 1 " FILTERS;

static void bind_filters(sqlite3_stmt *st, const struct search_query *q)
{
    db_bind_text(st, ":space", q->space ? q->space : "");
    db_bind_text(st, ":tag", q->tag ? q->tag : "");
    db_bind_text(st, ":author", q->author ? q->author : "");
}

struct search_hit *search_store_pages(struct db *db, struct arena *a, const struct search_query *q,
                                      int limit, int offset, int *total)
{
    *total = 0;
    int filtered = q->space || q->tag || q->author;
    if (!q->fts && !filtered)
        return NULL;
    sqlite3_stmt *st = db_stmt(db, q->fts ? SQL_MATCH_COUNT : SQL_FILTER_COUNT);
    if (q->fts)
        db_bind_text(st, ":q", q->fts);
    bind_filters(st, q);
    if (db_step(st) == SQLITE_ROW)
        *total = (int)db_col_int(st, 0);
    sqlite3_reset(st);

    st = db_stmt(db, q->fts ? SQL_MATCH : SQL_FILTER);
    if (q->fts)
        db_bind_text(st, ":q", q->fts);
    bind_filters(st, q);
    db_bind_int(st, ":limit", limit);
    db_bind_int(st, ":offset", offset);
    struct search_hit *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct search_hit *h = arena_alloc(a, sizeof *h);
        h->path = arena_strdup(a, db_col_text(st, 0));
        h->title = arena_strdup(a, db_col_text(st, 1));
        h->space = arena_strdup(a, db_col_text(st, 2));
        h->editor = arena_strdup(a, db_col_text(st, 3));
        h->updated_at = db_col_int(st, 4);
        h->snippet = arena_strdup(a, db_col_text(st, 5));
        *tail = h;
        tail = &h->next;
    }
    sqlite3_reset(st);
    return head;
}
