#include "wiki/freshness_store.h"

#include <string.h>
#include <time.h>

#define CHECKED "max(coalesce(p.verified_at, 0), p.created_at)"
#define REVIEW "coalesce(p.review_days, s.review_days, 180)"
#define VIEWS "(SELECT coalesce(sum(views), 0) FROM page_views WHERE page_id = p.id AND day >= :day0)"
#define OWNERLESS                                                                                  \
    "NOT EXISTS (SELECT 1 FROM page_owners o JOIN users u ON u.id = o.user_id "                    \
    "WHERE o.page_id = p.id AND u.disabled = 0)"
#define OWNER_NAMES                                                                                \
    "coalesce((SELECT group_concat(u.name, ', ') FROM page_owners o JOIN users u ON u.id = "       \
    "o.user_id WHERE o.page_id = p.id), '')"

struct freshness *freshness_get(struct db *db, struct arena *a, int64_t page_id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " REVIEW ", coalesce(p.review_days, 0), coalesce(p.verified_at, 0), "
            "coalesce(v.name, ''), " CHECKED ", " VIEWS " FROM pages p LEFT JOIN space_review s ON "
            "s.space = p.space LEFT JOIN users v ON v.id = p.verified_by WHERE p.id = :id");
    db_bind_int(st, ":id", page_id);
    db_bind_int(st, ":day0", now / 86400 - 30);
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    struct freshness *f = arena_alloc(a, sizeof *f);
    f->review_days = (int)db_col_int(st, 0);
    f->page_review_days = (int)db_col_int(st, 1);
    f->verified_at = db_col_int(st, 2);
    f->verified_by = arena_strdup(a, db_col_text(st, 3));
    f->checked_at = db_col_int(st, 4);
    f->views_30d = db_col_int(st, 5);
    f->due_at = f->checked_at + (int64_t)f->review_days * 86400;
    f->stale = now > f->due_at;
    sqlite3_reset(st);

    st = db_stmt(db, "SELECT u.login, u.name, u.disabled FROM page_owners o JOIN users u ON u.id = "
                     "o.user_id WHERE o.page_id = :id ORDER BY u.name");
    db_bind_int(st, ":id", page_id);
    struct owner **tail = &f->owners;
    while (db_step(st) == SQLITE_ROW) {
        struct owner *o = arena_alloc(a, sizeof *o);
        o->login = arena_strdup(a, db_col_text(st, 0));
        o->name = arena_strdup(a, db_col_text(st, 1));
        o->disabled = (int)db_col_int(st, 2);
        *tail = o;
        tail = &o->next;
    }
    sqlite3_reset(st);
    return f;
}

int freshness_is_owner(struct db *db, int64_t page_id, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM page_owners WHERE page_id = :p AND user_id = :u");
    db_bind_int(st, ":p", page_id);
    db_bind_int(st, ":u", user_id);
    int yes = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

int freshness_verify(struct db *db, int64_t page_id, int64_t user_id)
{
    int64_t now = (int64_t)time(NULL);
    if (db_begin(db) != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(db, "UPDATE pages SET verified_at = :now, verified_by = :u "
                                   "WHERE id = :p AND deleted_at IS NULL");
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":p", page_id);
    if (db_run(st) != 0 || db_changes(db) != 1)
        goto failed;
    st = db_stmt(db, "INSERT INTO page_verifications(page_id, user_id, at) VALUES (:p, :u, :now)");
    db_bind_int(st, ":p", page_id);
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":now", now);
    if (db_run(st) != 0 || db_commit(db) != 0)
        goto failed;
    return 0;
failed:
    db_rollback(db);
    return -1;
}

int freshness_set_owner(struct db *db, int64_t page_id, const char *login, int add)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM users WHERE login = :login");
    db_bind_text(st, ":login", login);
    int64_t uid = db_one_int(st, 0);
    if (!uid)
        return 404;
    if (add) {
        st = db_stmt(db, "INSERT OR IGNORE INTO page_owners(page_id, user_id) VALUES (:p, :u)");
    } else {
        st = db_stmt(db, "SELECT count(*) FROM page_owners WHERE page_id = :p AND user_id <> :u");
        db_bind_int(st, ":p", page_id);
        db_bind_int(st, ":u", uid);
        int others = (int)db_one_int(st, 0);
        if (!others)
            return 409;
        st = db_stmt(db, "DELETE FROM page_owners WHERE page_id = :p AND user_id = :u");
    }
    db_bind_int(st, ":p", page_id);
    db_bind_int(st, ":u", uid);
    return db_run(st) == 0 ? 0 : -1;
}

int freshness_set_page_review(struct db *db, int64_t page_id, int days)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE pages SET review_days = :d WHERE id = :p");
    if (days > 0)
        db_bind_int(st, ":d", days);
    else
        db_bind_null(st, ":d");
    db_bind_int(st, ":p", page_id);
    return db_run(st);
}

int freshness_set_space_review(struct db *db, const char *space, int days)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO space_review(space, review_days) VALUES (:s, :d) "
                                   "ON CONFLICT(space) DO UPDATE SET review_days = excluded.review_days");
    db_bind_text(st, ":s", space);
    db_bind_int(st, ":d", days);
    return db_run(st);
}

int freshness_space_review(struct db *db, const char *space)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT review_days FROM space_review WHERE space = :s");
    db_bind_text(st, ":s", space);
    int days = (int)db_one_int(st, REVIEW_DAYS_DEFAULT);
    return days;
}

static struct stale_item *stale_rows(struct arena *a, sqlite3_stmt *st)
{
    struct stale_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct stale_item *s = arena_alloc(a, sizeof *s);
        s->path = arena_strdup(a, db_col_text(st, 0));
        s->title = arena_strdup(a, db_col_text(st, 1));
        s->owners = arena_strdup(a, db_col_text(st, 2));
        s->checked_at = db_col_int(st, 3);
        s->due_at = db_col_int(st, 4);
        s->views_30d = db_col_int(st, 5);
        s->ownerless = (int)db_col_int(st, 6);
        *tail = s;
        tail = &s->next;
    }
    sqlite3_reset(st);
    return head;
}

#define STALE_COLUMNS                                                                              \
    "p.path, p.title, " OWNER_NAMES ", " CHECKED ", " CHECKED " + 86400 * " REVIEW ", " VIEWS      \
    ", " OWNERLESS " "

struct stale_item *freshness_stale_for_owner(struct db *db, struct arena *a, int64_t user_id,
                                             int64_t now, int limit)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " STALE_COLUMNS "FROM pages p LEFT JOIN space_review s ON s.space = p.space "
            "WHERE p.deleted_at IS NULL AND p.id IN (SELECT page_id FROM page_owners WHERE "
            "user_id = :u) AND " CHECKED " + 86400 * " REVIEW " < :now "
            "ORDER BY " CHECKED " + 86400 * " REVIEW " LIMIT :limit");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":day0", now / 86400 - 30);
    db_bind_int(st, ":limit", limit);
    return stale_rows(a, st);
}

struct stale_item *freshness_report(struct db *db, struct arena *a, const char *space, int64_t now,
                                    int limit)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " STALE_COLUMNS "FROM pages p LEFT JOIN space_review s ON s.space = p.space "
            "WHERE p.deleted_at IS NULL AND p.space <> 'templates' AND (:space = '' OR p.space = "
            ":space) AND (" CHECKED
            " + 86400 * " REVIEW " < :now OR " OWNERLESS ") "
            "ORDER BY 6 DESC, 5 LIMIT :limit");
    db_bind_text(st, ":space", space ? space : "");
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":day0", now / 86400 - 30);
    db_bind_int(st, ":limit", limit);
    return stale_rows(a, st);
}

int freshness_store_demo_checks(struct db *db, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE pages "
                                   "SET verified_by = created_by, "
                                   "verified_at = :now - (id % 7) * 9 * 86400 "
                                   "WHERE id % 3 <> 0");
    db_bind_int(st, ":now", now);
    return db_run(st);
}
