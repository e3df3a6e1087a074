#include "wiki/changes_store.h"
#include "accounts/session_store.h"

#include <time.h>

enum { CHANGES_DEFAULT_LIMIT = 50, CHANGES_MAX_LIMIT = 500 };

struct change_item *changes_store_list(struct db *db, struct arena *a,
                                       const struct change_filter *f, int *more)
{
    int limit = f->limit > 0 && f->limit <= CHANGES_MAX_LIMIT ? f->limit : CHANGES_DEFAULT_LIMIT;
    sqlite3_stmt *st = db_stmt(
        db, "SELECT r.id, p.id, p.path, p.title, p.space, coalesce(u.login, ''), "
            "coalesce(u.name, 'unknown'), r.summary, r.number, r.created_at, r.size, "
            "r.size - coalesce((SELECT o.size FROM revisions o WHERE o.page_id = r.page_id "
            "AND o.number = r.number - 1), 0) "
            "FROM revisions r JOIN pages p ON p.id = r.page_id "
            "LEFT JOIN users u ON u.id = r.author_id "
            "WHERE p.deleted_at IS NULL AND r.created_at >= :since "
            "AND (:space = '' OR p.space = :space) "
            "AND (:tag = '' OR EXISTS (SELECT 1 FROM page_tags t WHERE t.page_id = p.id "
            "AND t.tag = :tag)) "
            "AND (:author = '' OR u.login = :author) "
            "AND (:watcher = 0 OR EXISTS (SELECT 1 FROM watches w WHERE w.user_id = :watcher "
            "AND (w.page_id = p.id OR w.space = p.space))) "
            "ORDER BY r.created_at DESC, r.id DESC LIMIT :limit OFFSET :offset");
    db_bind_int(st, ":since", f->since);
    db_bind_text(st, ":space", f->space ? f->space : "");
    db_bind_text(st, ":tag", f->tag ? f->tag : "");
    db_bind_text(st, ":author", f->author ? f->author : "");
    db_bind_int(st, ":watcher", f->watcher);
    db_bind_int(st, ":limit", limit + 1); /* one more tells whether there is a next page */
    db_bind_int(st, ":offset", f->offset > 0 ? f->offset : 0);
    struct change_item *head = NULL, **tail = &head;
    int n = 0;
    if (more)
        *more = 0;
    while (db_step(st) == SQLITE_ROW) {
        if (++n > limit) {
            if (more)
                *more = 1;
            break;
        }
        struct change_item *c = arena_alloc(a, sizeof *c);
        c->rev_id = db_col_int(st, 0);
        c->page_id = db_col_int(st, 1);
        c->path = arena_strdup(a, db_col_text(st, 2));
        c->title = arena_strdup(a, db_col_text(st, 3));
        c->space = arena_strdup(a, db_col_text(st, 4));
        c->author_login = arena_strdup(a, db_col_text(st, 5));
        c->author_name = arena_strdup(a, db_col_text(st, 6));
        c->summary = arena_strdup(a, db_col_text(st, 7));
        c->number = (int)db_col_int(st, 8);
        c->created_at = db_col_int(st, 9);
        c->size = db_col_int(st, 10);
        c->delta = db_col_int(st, 11);
        *tail = c;
        tail = &c->next;
    }
    sqlite3_reset(st);
    return head;
}

struct change_digest *changes_store_watched(struct db *db, struct arena *a, int64_t user_id,
                                            int64_t since, int limit)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT p.path, p.title, min(r.number), max(r.number), count(*), "
            "(SELECT group_concat(name, ', ') FROM (SELECT DISTINCT coalesce(u.name, 'unknown') "
            "AS name FROM revisions x LEFT JOIN users u ON u.id = x.author_id "
            "WHERE x.page_id = p.id AND x.created_at >= :since "
            "AND x.author_id IS NOT :user)), max(r.created_at) "
            "FROM revisions r JOIN pages p ON p.id = r.page_id "
            "WHERE p.deleted_at IS NULL AND r.created_at >= :since AND r.author_id IS NOT :user "
            "AND EXISTS (SELECT 1 FROM watches w WHERE w.user_id = :user "
            "AND (w.page_id = p.id OR w.space = p.space)) "
            "GROUP BY p.id ORDER BY max(r.created_at) DESC, p.id DESC LIMIT :limit");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":since", since);
    db_bind_int(st, ":limit", limit);
    struct change_digest *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct change_digest *d = arena_alloc(a, sizeof *d);
        d->path = arena_strdup(a, db_col_text(st, 0));
        d->title = arena_strdup(a, db_col_text(st, 1));
        d->first = (int)db_col_int(st, 2);
        d->last = (int)db_col_int(st, 3);
        d->count = (int)db_col_int(st, 4);
        d->authors = arena_strdup(a, db_col_text(st, 5));
        d->last_at = db_col_int(st, 6);
        *tail = d;
        tail = &d->next;
    }
    sqlite3_reset(st);
    return head;
}

int changes_token_reset(struct db *db, int64_t user_id, char token[AUTH_TOKEN_LEN + 1])
{
    unsigned char hash[AUTH_HASH_LEN];
    auth_token_new(token);
    auth_token_hash(hash, token);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO feed_tokens(user_id, token_hash, created_at) "
                                   "VALUES (:user, :hash, :now) ON CONFLICT(user_id) DO UPDATE "
                                   "SET token_hash = :hash, created_at = :now, last_used = NULL");
    db_bind_int(st, ":user", user_id);
    db_bind_blob(st, ":hash", hash, sizeof hash);
    db_bind_int(st, ":now", (int64_t)time(NULL));
    return db_run(st);
}

struct user *changes_token_lookup(struct db *db, struct db *rw, struct arena *a, const char *token)
{
    return session_token_user(db, rw, a, token,
                              "SELECT coalesce(t.last_used, 0), u.id, u.login, u.name, u.role "
                              "FROM feed_tokens t JOIN users u ON u.id = t.user_id "
                              "WHERE t.token_hash = :hash AND u.disabled = 0",
                              "UPDATE feed_tokens SET last_used = :now WHERE token_hash = :hash",
                              NULL);
}

int changes_token_info(struct db *db, int64_t user_id, int64_t *created, int64_t *used)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT created_at, coalesce(last_used, 0) FROM feed_tokens "
                                   "WHERE user_id = :user");
    db_bind_int(st, ":user", user_id);
    int found = db_step(st) == SQLITE_ROW;
    if (found) {
        *created = db_col_int(st, 0);
        *used = db_col_int(st, 1);
    }
    sqlite3_reset(st);
    return found;
}
