#include "wiki/watch_store.h"
#include "wiki/wikipath.h"

#include <string.h>
#include <time.h>

enum watch_kind watch_kind_parse(const char *s)
{
    if (s && strcmp(s, "page") == 0)
        return WATCH_PAGE;
    if (s && strcmp(s, "space") == 0)
        return WATCH_SPACE;
    return 0;
}

/* Returns the id of the live page at path, or 0. */
static int64_t live_page_id(struct db *db, const char *path)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM pages WHERE path = :path AND "
                                   "deleted_at IS NULL");
    db_bind_text(st, ":path", path);
    int64_t id = db_one_int(st, 0);
    return id;
}

static int space_exists(struct db *db, const char *space)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM pages WHERE space = :space AND "
                                   "deleted_at IS NULL LIMIT 1");
    db_bind_text(st, ":space", space);
    int found = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

static int set_page(struct db *db, int64_t user_id, const char *path, int on, const char **why)
{
    int64_t page = live_page_id(db, path);
    if (!page) {
        if (!on)
            return 0;
        *why = "there is no page at this path";
        return 404;
    }
    sqlite3_stmt *st;
    if (on) {
        st = db_stmt(db, "INSERT INTO watches(user_id, page_id, created_at) VALUES (:user, :page, "
                         ":now) ON CONFLICT DO NOTHING");
        db_bind_int(st, ":now", (int64_t)time(NULL));
    } else {
        st = db_stmt(db, "DELETE FROM watches WHERE user_id = :user AND page_id = :page");
    }
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":page", page);
    if (db_run(st) != 0) {
        *why = "ken could not save this; try again in a moment";
        return 500;
    }
    return 0;
}

static int set_space(struct db *db, int64_t user_id, const char *space, int on, const char **why)
{
    if (on && !space_exists(db, space)) {
        *why = "there is no space with this name";
        return 404;
    }
    sqlite3_stmt *st;
    if (on) {
        st = db_stmt(db, "INSERT INTO watches(user_id, space, created_at) VALUES (:user, :space, "
                         ":now) ON CONFLICT DO NOTHING");
        db_bind_int(st, ":now", (int64_t)time(NULL));
    } else {
        st = db_stmt(db, "DELETE FROM watches WHERE user_id = :user AND space = :space");
    }
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":space", space);
    if (db_run(st) != 0) {
        *why = "ken could not save this; try again in a moment";
        return 500;
    }
    return 0;
}

int watch_store_set(struct db *db, int64_t user_id, enum watch_kind kind, const char *target,
                    int on, const char **why)
{
    if (!target || !*target) {
        *why = "say which page or space to watch (target)";
        return 400;
    }
    if ((*why = wikipath_check(target)))
        return 400;
    if (kind == WATCH_PAGE)
        return set_page(db, user_id, target, on, why);
    if (kind == WATCH_SPACE) {
        if (strchr(target, '/')) {
            *why = "a space is a single path segment";
            return 400;
        }
        return set_space(db, user_id, target, on, why);
    }
    *why = "kind must be page or space";
    return 400;
}

int watch_store_watches_page(struct db *db, int64_t user_id, int64_t page_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM watches WHERE user_id = :user AND "
                                   "page_id = :page");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":page", page_id);
    int found = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

int watch_store_watches_space(struct db *db, int64_t user_id, const char *space)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM watches WHERE user_id = :user AND "
                                   "space = :space");
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":space", space);
    int found = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

struct watch_item *watch_store_list(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT 2, w.space, w.space, w.created_at, 0 AS k, w.space AS sort FROM watches w "
            "WHERE w.user_id = :user AND w.space IS NOT NULL "
            "UNION ALL SELECT 1, p.path, p.title, w.created_at, 1, p.path FROM watches w "
            "JOIN pages p ON p.id = w.page_id "
            "WHERE w.user_id = :user AND p.deleted_at IS NULL ORDER BY 5, 6");
    db_bind_int(st, ":user", user_id);
    struct watch_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct watch_item *w = arena_alloc(a, sizeof *w);
        w->kind = (enum watch_kind)db_col_int(st, 0);
        w->target = arena_strdup(a, db_col_text(st, 1));
        w->title = arena_strdup(a, db_col_text(st, 2));
        w->created_at = db_col_int(st, 3);
        *tail = w;
        tail = &w->next;
    }
    sqlite3_reset(st);
    return head;
}

int64_t watch_store_home_visit(struct db *rw, int64_t user_id, int64_t now)
{
    /* In DO UPDATE, last_at and since_at are the stored values: a view after a gap moves "since"
     * to the end of the previous visit; views within a visit only extend it. */
    sqlite3_stmt *st = db_stmt(
        rw, "INSERT INTO home_visits(user_id, last_at, since_at) VALUES (:user, :now, :first) "
            "ON CONFLICT(user_id) DO UPDATE SET since_at = CASE WHEN :now - last_at > :gap "
            "THEN last_at ELSE since_at END, last_at = :now RETURNING since_at");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":first", now - WATCH_FIRST_SINCE_SECONDS);
    db_bind_int(st, ":gap", WATCH_VISIT_GAP_SECONDS);
    int64_t since = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : -1;
    if (sqlite3_reset(st) != SQLITE_OK)
        since = -1;
    return since;
}
