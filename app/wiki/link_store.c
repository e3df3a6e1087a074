#include "wiki/link_store.h"
#include "markup/markdown.h"
#include "search/search_index.h"
#include "wiki/wikipath.h"

#include <string.h>
#include <time.h>

#define ITEM_COLUMNS "p.path, p.title, p.space, coalesce(u.name, ''), p.updated_at "

struct page_item *link_store_backlinks(struct db *db, struct arena *a, const char *path)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " ITEM_COLUMNS "FROM pages p LEFT JOIN users u ON u.id = p.updated_by "
            "WHERE p.deleted_at IS NULL AND p.id IN (SELECT l.from_page FROM links l WHERE "
            "l.to_path = :path OR l.to_path IN (SELECT r.path FROM redirects r JOIN pages t ON "
            "t.id = r.page_id WHERE t.path = :path AND t.deleted_at IS NULL)) ORDER BY p.title");
    db_bind_text(st, ":path", path);
    return page_store_items(a, st);
}

struct wanted_item *link_store_wanted(struct db *db, struct arena *a, int limit)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT l.to_path, count(*) FROM links l JOIN pages f ON f.id = l.from_page "
            "WHERE f.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.path = "
            "l.to_path AND p.deleted_at IS NULL) AND NOT EXISTS (SELECT 1 FROM redirects r WHERE "
            "r.path = l.to_path) GROUP BY l.to_path ORDER BY count(*) DESC, l.to_path LIMIT :limit");
    db_bind_int(st, ":limit", limit);
    struct wanted_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct wanted_item *w = arena_alloc(a, sizeof *w);
        w->path = arena_strdup(a, db_col_text(st, 0));
        w->count = (int)db_col_int(st, 1);
        *tail = w;
        tail = &w->next;
    }
    sqlite3_reset(st);
    return head;
}

struct page_item *link_store_orphans(struct db *db, struct arena *a, int limit)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " ITEM_COLUMNS "FROM pages p LEFT JOIN users u ON u.id = p.updated_by "
            "WHERE p.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM links l JOIN pages f ON "
            "f.id = l.from_page AND f.deleted_at IS NULL AND f.id <> p.id WHERE l.to_path = p.path "
            "OR l.to_path IN (SELECT r.path FROM redirects r WHERE r.page_id = p.id)) "
            "ORDER BY p.path LIMIT :limit");
    db_bind_int(st, ":limit", limit);
    return page_store_items(a, st);
}

struct page_item *link_store_below(struct db *db, struct arena *a, const char *prefix,
                                   int children_only)
{
    /* Paths hold only [a-z0-9-/], so a range scan on the index finds "prefix/..." exactly. */
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " ITEM_COLUMNS "FROM pages p LEFT JOIN users u ON u.id = p.updated_by "
            "WHERE p.deleted_at IS NULL AND p.path > :lo AND p.path < :hi "
            "AND (:children = 0 OR instr(substr(p.path, length(:lo) + 1), '/') = 0) "
            "ORDER BY p.path LIMIT 2000");
    db_bind_text(st, ":lo", arena_printf(a, "%s/", prefix));
    db_bind_text(st, ":hi", arena_printf(a, "%s0", prefix)); /* '0' sorts right after '/' */
    db_bind_int(st, ":children", children_only);
    return page_store_items(a, st);
}

const char *link_store_redirect(struct db *db, struct arena *a, const char *path)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT p.path FROM redirects r JOIN pages p ON p.id = "
                                   "r.page_id WHERE r.path = :path AND p.deleted_at IS NULL");
    db_bind_text(st, ":path", path);
    const char *to = db_one_text(st, a);
    return to;
}

static int64_t live_page_id(struct db *db, const char *path)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM pages WHERE path = :path AND deleted_at IS NULL");
    db_bind_text(st, ":path", path);
    int64_t id = db_one_int(st, 0);
    return id;
}

static int fail(struct db *db, int status, const char **why, const char *msg)
{
    db_rollback(db);
    *why = msg;
    return status;
}

int link_store_move(struct db *db, struct arena *a, const char *from, const char *to,
                    const char **why)
{
    if ((*why = wikipath_check(to)))
        return 400;
    if (strcmp(from, to) == 0) {
        *why = "the new path is the same as the old one";
        return 400;
    }
    if (db_begin(db) != 0)
        return fail(db, 503, why, "the database is busy; try again in a moment");
    int64_t id = live_page_id(db, from);
    if (!id)
        return fail(db, 404, why, "there is no page at this path");
    if (live_page_id(db, to))
        return fail(db, 409, why, "a page already lives at the new path; move or delete it first");
    sqlite3_stmt *st = db_stmt(db, "UPDATE pages SET path = :to, space = :space WHERE id = :id");
    db_bind_text(st, ":to", to);
    db_bind_text(st, ":space", wikipath_space(a, to));
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0)
        return fail(db, 503, why, "the page could not be moved");
    /* The old path now leads here; the new one is no longer somebody's redirect. */
    st = db_stmt(db, "DELETE FROM redirects WHERE path = :to");
    db_bind_text(st, ":to", to);
    db_run(st);
    st = db_stmt(db, "INSERT INTO redirects(path, page_id, created_at) VALUES (:from, :id, :now) "
                     "ON CONFLICT(path) DO UPDATE SET page_id = excluded.page_id");
    db_bind_text(st, ":from", from);
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":now", (int64_t)time(NULL));
    if (db_run(st) != 0)
        return fail(db, 503, why, "the page could not be moved");
    if (search_index_move(db, id, wikipath_space(a, to)) != 0 || db_commit(db) != 0)
        return fail(db, 503, why, "the page could not be moved");
    return 0;
}

int link_store_delete(struct db *db, struct arena *a, const char *path, int64_t user_id,
                      const char **why)
{
    (void)a;
    if (db_begin(db) != 0)
        return fail(db, 503, why, "the database is busy; try again in a moment");
    int64_t id = live_page_id(db, path);
    if (!id)
        return fail(db, 404, why, "there is no page at this path");
    sqlite3_stmt *st = db_stmt(db, "UPDATE pages SET deleted_at = :now, deleted_by = :user "
                                   "WHERE id = :id");
    db_bind_int(st, ":now", (int64_t)time(NULL));
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0)
        return fail(db, 503, why, "the page could not be deleted");
    if (search_index_remove(db, id) != 0 || db_commit(db) != 0)
        return fail(db, 503, why, "the page could not be deleted");
    return 0;
}

int link_store_restore(struct db *db, struct arena *a, int64_t id, const char **why)
{
    if (db_begin(db) != 0)
        return fail(db, 503, why, "the database is busy; try again in a moment");
    sqlite3_stmt *st = db_stmt(db, "SELECT p.path, p.title, r.html, r.tags FROM pages p JOIN "
                                   "revisions r ON r.id = p.current_rev WHERE p.id = :id AND "
                                   "p.deleted_at IS NOT NULL");
    db_bind_int(st, ":id", id);
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return fail(db, 404, why, "that page is not in the trash");
    }
    const char *path = arena_strdup(a, db_col_text(st, 0)), *title = arena_strdup(a, db_col_text(st, 1));
    const char *html = arena_strdup(a, db_col_text(st, 2)), *tags = arena_strdup(a, db_col_text(st, 3));
    sqlite3_reset(st);
    if (live_page_id(db, path))
        return fail(db, 409, why, "another page now lives at this page's path; move that one "
                                  "first, then restore");
    st = db_stmt(db, "UPDATE pages SET deleted_at = NULL, deleted_by = NULL WHERE id = :id");
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0)
        return fail(db, 503, why, "the page could not be restored");
    if (search_index_put(db, a, id, title, html, tags, wikipath_space(a, path)) != 0 ||
        db_commit(db) != 0)
        return fail(db, 503, why, "the page could not be restored");
    return 0;
}

struct trash_item *link_store_trash(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT p.id, p.path, p.title, coalesce(u.name, ''), "
                                   "p.deleted_at FROM pages p LEFT JOIN users u ON u.id = "
                                   "p.deleted_by WHERE p.deleted_at IS NOT NULL ORDER BY "
                                   "p.deleted_at DESC LIMIT 1000");
    struct trash_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct trash_item *t = arena_alloc(a, sizeof *t);
        t->id = db_col_int(st, 0);
        t->path = arena_strdup(a, db_col_text(st, 1));
        t->title = arena_strdup(a, db_col_text(st, 2));
        t->deleted_by = arena_strdup(a, db_col_text(st, 3));
        t->deleted_at = db_col_int(st, 4);
        *tail = t;
        tail = &t->next;
    }
    sqlite3_reset(st);
    return head;
}
