#include "people/community_store.h"
#include "search/people_search_store.h"
#include "core/utf8.h"
#include <jansson.h>
#include "wiki/wikipath.h"

#include <string.h>
#include <time.h>

const char *community_role_name(enum community_role role)
{
    switch (role) {
    case COMMUNITY_OWNER:
        return "owner";
    case COMMUNITY_MEMBER:
        return "member";
    case COMMUNITY_PENDING:
        return "pending";
    default:
        return NULL;
    }
}

static enum community_role role_parse(const char *s)
{
    return strcmp(s, "owner") == 0     ? COMMUNITY_OWNER
           : strcmp(s, "member") == 0  ? COMMUNITY_MEMBER
           : strcmp(s, "pending") == 0 ? COMMUNITY_PENDING
                                       : COMMUNITY_NONE;
}

/* The columns every community query selects, for community_rows. People who left the company
 * count neither as members nor as requests. */
#define COMMUNITY_COLUMNS                                                                          \
    "c.id, c.slug, c.name, c.description, c.open, c.created_at, "                                  \
    "(SELECT count(*) FROM community_members m JOIN profiles p ON p.user_id = m.user_id "          \
    " WHERE m.community_id = c.id AND m.role IN ('owner', 'member') AND p.left_at IS NULL), "      \
    "(SELECT count(*) FROM community_members m JOIN profiles p ON p.user_id = m.user_id "          \
    " WHERE m.community_id = c.id AND m.role = 'pending' AND p.left_at IS NULL), "                 \
    "coalesce((SELECT m.role FROM community_members m WHERE m.community_id = c.id "                \
    " AND m.user_id = :user), '') "

static struct community *community_rows(struct arena *a, sqlite3_stmt *st)
{
    struct community *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct community *c = arena_alloc(a, sizeof *c);
        c->id = db_col_int(st, 0);
        c->slug = arena_strdup(a, db_col_text(st, 1));
        c->name = arena_strdup(a, db_col_text(st, 2));
        c->description = arena_strdup(a, db_col_text(st, 3));
        c->open = (int)db_col_int(st, 4);
        c->created_at = db_col_int(st, 5);
        c->members = (int)db_col_int(st, 6);
        c->pending = (int)db_col_int(st, 7);
        c->role = role_parse(db_col_text(st, 8));
        *tail = c;
        tail = &c->next;
    }
    sqlite3_reset(st);
    return head;
}

struct community *community_store_list(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " COMMUNITY_COLUMNS "FROM communities c "
                                   "ORDER BY c.name COLLATE NOCASE");
    db_bind_int(st, ":user", user_id);
    return community_rows(a, st);
}

struct community *community_store_get(struct db *db, struct arena *a, const char *slug,
                                      int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " COMMUNITY_COLUMNS "FROM communities c "
                                   "WHERE c.slug = :slug");
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":slug", slug);
    return community_rows(a, st);
}

struct community *community_store_of_person(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " COMMUNITY_COLUMNS "FROM communities c "
                                   "JOIN community_members me ON me.community_id = c.id "
                                   "AND me.user_id = :user AND me.role IN ('owner', 'member') "
                                   "ORDER BY c.name COLLATE NOCASE");
    db_bind_int(st, ":user", user_id);
    return community_rows(a, st);
}

struct community_member *community_store_members(struct db *db, struct arena *a, int64_t id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.id, u.login, u.name, p.title, m.role, m.joined_at "
            "FROM community_members m JOIN users u ON u.id = m.user_id "
            "JOIN profiles p ON p.user_id = m.user_id "
            "WHERE m.community_id = :id AND p.left_at IS NULL "
            "ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, "
            "u.name COLLATE NOCASE, u.login");
    db_bind_int(st, ":id", id);
    struct community_member *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct community_member *m = arena_alloc(a, sizeof *m);
        m->user_id = db_col_int(st, 0);
        m->login = arena_strdup(a, db_col_text(st, 1));
        m->name = arena_strdup(a, db_col_text(st, 2));
        m->title = arena_strdup(a, db_col_text(st, 3));
        m->role = role_parse(db_col_text(st, 4));
        m->joined_at = db_col_int(st, 5);
        *tail = m;
        tail = &m->next;
    }
    sqlite3_reset(st);
    return head;
}

enum community_role community_store_role(struct db *db, int64_t id, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT role FROM community_members "
                                   "WHERE community_id = :id AND user_id = :user");
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":user", user_id);
    enum community_role role =
        db_step(st) == SQLITE_ROW ? role_parse(db_col_text(st, 0)) : COMMUNITY_NONE;
    sqlite3_reset(st);
    return role;
}

/* Returns NULL when the text is one line (multi 0) or any text (multi 1) of at most max bytes
 * and valid UTF-8, else why not (in a). */
static const char *check_text(struct arena *a, const char *what, const char *s, size_t min,
                              size_t max, int multi)
{
    size_t n = s ? strlen(s) : 0;
    if (n < min || n > max)
        return arena_printf(a, "a %s is %zu to %zu characters long", what, min, max);
    if (n && !utf8_valid(s, n))
        return arena_printf(a, "the %s is not valid text", what);
    if (!multi && strpbrk(s, "\r\n\t"))
        return arena_printf(a, "a %s is one line of text", what);
    return NULL;
}

/* Returns s without surrounding white space, in a. */
static char *trim(struct arena *a, const char *s)
{
    s = s ? s : "";
    while (*s && strchr(" \t\r\n", *s))
        s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    return arena_strndup(a, s, n);
}

/* Returns 1 when a community already has this name (any case) or slug. */
static int taken(struct db *db, const char *name, const char *slug)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM communities WHERE slug = :slug "
                                   "OR name = :name COLLATE NOCASE");
    db_bind_text(st, ":slug", slug);
    db_bind_text(st, ":name", name);
    int hit = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return hit;
}

int community_store_create(struct db *db, struct arena *a, const char *name,
                           const char *description, int open, int64_t owner_id,
                           const char **slug, const char **why)
{
    char *n = trim(a, name), *d = trim(a, description);
    if ((*why = check_text(a, "name", n, 1, COMMUNITY_NAME_MAX, 0)) ||
        (*why = check_text(a, "description", d, 0, COMMUNITY_DESCRIPTION_MAX, 1)))
        return 400;
    char *s = wikipath_slug(a, n);
    /* templates/ holds the page templates every wiki shares: no community may own it. */
    if (!*s || wikipath_check(s) || strcmp(s, "templates") == 0) {
        *why = "the name needs letters or digits that can make an address (and cannot be "
               "'templates')";
        return 400;
    }
    if (db_begin(db) != 0) {
        *why = "the database is busy; try again";
        return 503;
    }
    if (taken(db, n, s)) {
        db_rollback(db);
        *why = arena_printf(a, "there is already a community called %s (or at /communities/%s)",
                            n, s);
        return 409;
    }
    int64_t now = (int64_t)time(NULL);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO communities(slug, name, description, open, "
                                   "created_at) VALUES (:slug, :name, :d, :open, :now)");
    db_bind_text(st, ":slug", s);
    db_bind_text(st, ":name", n);
    db_bind_text(st, ":d", d);
    db_bind_int(st, ":open", open ? 1 : 0);
    db_bind_int(st, ":now", now);
    int bad = db_run(st) != 0;
    if (!bad && owner_id) {
        st = db_stmt(db, "INSERT INTO community_members(community_id, user_id, role, joined_at) "
                         "VALUES (:c, :u, 'owner', :now)");
        db_bind_int(st, ":c", db_last_id(db));
        db_bind_int(st, ":u", owner_id);
        db_bind_int(st, ":now", now);
        bad = db_run(st) != 0 || people_search_store_reindex_person(db, owner_id) != 0;
    }
    if (bad || db_commit(db) != 0) {
        db_rollback(db);
        *why = "the community could not be saved; try again";
        return 503;
    }
    *slug = s;
    return 0;
}

int community_store_update(struct db *db, struct arena *a, int64_t id, const char *description,
                           int open, const char **why)
{
    char *d = trim(a, description);
    if ((*why = check_text(a, "description", d, 0, COMMUNITY_DESCRIPTION_MAX, 1)))
        return 400;
    sqlite3_stmt *st = db_stmt(db, "UPDATE communities SET description = :d, open = :open "
                                   "WHERE id = :id");
    db_bind_text(st, ":d", d);
    db_bind_int(st, ":open", open ? 1 : 0);
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0) {
        *why = "the community could not be saved; try again";
        return 503;
    }
    return 0;
}

/* Returns how many owners community `id` has besides `user_id`. */
static int other_owners(struct db *db, int64_t id, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM community_members WHERE community_id = "
                                   ":id AND role = 'owner' AND user_id <> :user");
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":user", user_id);
    int n = (int)db_one_int(st, 0);
    return n;
}

int community_store_set_role(struct db *db, struct arena *a, int64_t id, int64_t user_id,
                             enum community_role role, const char **why)
{
    (void)a;
    if (db_begin(db) != 0) {
        *why = "the database is busy; try again";
        return 503;
    }
    enum community_role was = community_store_role(db, id, user_id);
    if (was == role) {
        db_rollback(db); /* nothing to change */
        return 0;
    }
    if (was == COMMUNITY_OWNER && !other_owners(db, id, user_id)) {
        db_rollback(db);
        *why = "a community needs an owner: make someone else an owner first";
        return 409;
    }
    sqlite3_stmt *st;
    if (role == COMMUNITY_NONE) {
        st = db_stmt(db, "DELETE FROM community_members WHERE community_id = :id AND "
                         "user_id = :user");
    } else {
        /* joined_at keeps the day they first joined; a request approved joins now. */
        st = db_stmt(db, "INSERT INTO community_members(community_id, user_id, role, joined_at) "
                         "VALUES (:id, :user, :role, :now) ON CONFLICT (community_id, user_id) "
                         "DO UPDATE SET role = excluded.role, joined_at = CASE WHEN role = "
                         "'pending' THEN excluded.joined_at ELSE joined_at END");
        db_bind_text(st, ":role", community_role_name(role));
        db_bind_int(st, ":now", (int64_t)time(NULL));
    }
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":user", user_id);
    if (db_run(st) != 0 || people_search_store_reindex_person(db, user_id) != 0 ||
        db_commit(db) != 0) {
        db_rollback(db);
        *why = "the change could not be saved; try again";
        return 503;
    }
    return 0;
}
