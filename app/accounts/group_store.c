#include "accounts/group_store.h"

#include <string.h>
#include <time.h>

const char *group_name_check(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (!n || strspn(name, " ") == n)
        return "a group needs a name";
    if (n > GROUP_NAME_MAX)
        return "a group's name is at most 200 bytes";
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return "a group's name is one line of text";
    return NULL;
}

static int taken(struct db *db)
{
    return (db_errcode(db) & 0xff) == SQLITE_CONSTRAINT;
}

int64_t group_store_create(struct db *db, const char *name, const char *external_id,
                           const char *source, const char **why)
{
    int64_t now = (int64_t)time(NULL);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO user_groups(name, external_id, source, "
                                   "created_at, updated_at) "
                                   "VALUES (:name, :ext, :source, :now, :now)");
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":ext", external_id);
    db_bind_text(st, ":source", source);
    db_bind_int(st, ":now", now);
    if (db_run(st) == 0)
        return db_last_id(db);
    if (!taken(db))
        return -1;
    *why = "a group with that name or external id exists already";
    return 0;
}

int group_store_rename(struct db *db, int64_t id, const char *name, const char **why)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE user_groups "
                                   "SET name = :name, updated_at = :now "
                                   "WHERE id = :id");
    db_bind_text(st, ":name", name);
    db_bind_int(st, ":now", (int64_t)time(NULL));
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0) {
        *why = taken(db) ? "another group has that name" : "the group could not be renamed";
        return taken(db) ? 409 : 503;
    }
    if (db_changes(db) == 0) {
        *why = "there is no such group";
        return 404;
    }
    return 0;
}

int group_store_set_external_id(struct db *db, int64_t id, const char *external_id,
                                const char **why)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE user_groups "
                                   "SET external_id = :ext, updated_at = :now "
                                   "WHERE id = :id");
    db_bind_text(st, ":ext", external_id);
    db_bind_int(st, ":now", (int64_t)time(NULL));
    db_bind_int(st, ":id", id);
    if (db_run(st) == 0)
        return 0;
    *why = taken(db) ? "another group has that externalId" : "the group could not be changed";
    return taken(db) ? 409 : 503;
}

int group_store_delete(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM user_groups "
                                   "WHERE id = :id");
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0)
        return 503;
    return db_changes(db) ? 0 : 404;
}

#define GROUP_COLUMNS                                                                              \
    "SELECT g.id, g.name, g.external_id, g.source, g.created_at, g.updated_at, "                   \
    "       (SELECT count(*) FROM user_group_members m WHERE m.group_id = g.id) "                  \
    "FROM user_groups g "

static struct group *read_group(struct arena *a, sqlite3_stmt *st)
{
    struct group *g = arena_alloc(a, sizeof *g);
    g->id = db_col_int(st, 0);
    g->name = arena_strdup(a, db_col_text(st, 1));
    g->external_id = sqlite3_column_type(st, 2) == SQLITE_NULL ? NULL
                                                               : arena_strdup(a, db_col_text(st, 2));
    g->source = arena_strdup(a, db_col_text(st, 3));
    g->created_at = db_col_int(st, 4);
    g->updated_at = db_col_int(st, 5);
    g->members = (int)db_col_int(st, 6);
    return g;
}

struct group *group_store_get(struct db *db, struct arena *a, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, GROUP_COLUMNS "WHERE g.id = :id");
    db_bind_int(st, ":id", id);
    struct group *g = db_step(st) == SQLITE_ROW ? read_group(a, st) : NULL;
    sqlite3_reset(st);
    return g;
}

struct group *group_store_list(struct db *db, struct arena *a, const char *name, int offset,
                               int count, int *total)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) "
                                   "FROM user_groups "
                                   "WHERE :name IS NULL OR name = :name");
    db_bind_text(st, ":name", name);
    *total = (int)db_one_int(st, 0);
    st = db_stmt(db, GROUP_COLUMNS "WHERE :name IS NULL OR g.name = :name "
                                   "ORDER BY g.name, g.id "
                                   "LIMIT :count OFFSET :offset");
    db_bind_text(st, ":name", name);
    db_bind_int(st, ":count", count > 0 ? count : -1);
    db_bind_int(st, ":offset", offset);
    struct group *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        *tail = read_group(a, st);
        tail = &(*tail)->next;
    }
    sqlite3_reset(st);
    return head;
}

struct group_member *group_store_members(struct db *db, struct arena *a, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT u.id, u.login, u.name, "
                                   "       u.disabled OR coalesce(p.left_at, 0) > 0 "
                                   "FROM user_group_members m "
                                   "JOIN users u ON u.id = m.user_id "
                                   "LEFT JOIN profiles p ON p.user_id = u.id "
                                   "WHERE m.group_id = :id "
                                   "ORDER BY u.name, u.login");
    db_bind_int(st, ":id", id);
    struct group_member *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct group_member *m = arena_alloc(a, sizeof *m);
        m->user_id = db_col_int(st, 0);
        m->login = arena_strdup(a, db_col_text(st, 1));
        m->name = arena_strdup(a, db_col_text(st, 2));
        m->left = (int)db_col_int(st, 3);
        *tail = m;
        tail = &m->next;
    }
    sqlite3_reset(st);
    return head;
}

int group_store_add(struct db *db, int64_t group_id, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO user_group_members(group_id, user_id, added_at) "
                                   "VALUES (:g, :u, :now) "
                                   "ON CONFLICT DO NOTHING");
    db_bind_int(st, ":g", group_id);
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":now", (int64_t)time(NULL));
    if (db_run(st) != 0)
        return -1;
    return db_changes(db) ? 0 : 1;
}

int group_store_remove(struct db *db, int64_t group_id, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM user_group_members "
                                   "WHERE group_id = :g AND user_id = :u");
    db_bind_int(st, ":g", group_id);
    db_bind_int(st, ":u", user_id);
    if (db_run(st) != 0)
        return -1;
    return db_changes(db) ? 0 : 1;
}

int group_store_touch(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE user_groups "
                                   "SET updated_at = :now "
                                   "WHERE id = :id");
    db_bind_int(st, ":now", (int64_t)time(NULL));
    db_bind_int(st, ":id", id);
    return db_run(st);
}

int64_t group_store_user_id(struct db *db, const char *login)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id "
                                   "FROM users "
                                   "WHERE login = :login COLLATE NOCASE");
    db_bind_text(st, ":login", login);
    int64_t id = db_one_int(st, 0);
    return id;
}

const char *group_store_login(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT login "
                                   "FROM users "
                                   "WHERE id = :id");
    db_bind_int(st, ":id", user_id);
    const char *login = db_one_text(st, a);
    return login;
}
