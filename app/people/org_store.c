#include "people/org_store.h"
#include "core/utf8.h"
#include <jansson.h>
#include "wiki/wikipath.h"

#include <string.h>

enum { NAME_MAX_LEN = 100, DESCRIPTION_MAX = 4000, CHAIN_MAX = 200 };

#define MEMBERS_OF(col)                                                                            \
    "(SELECT count(*) FROM profiles p WHERE p." col " = x.id AND p.left_at IS NULL)"

static struct org_unit *unit_list(struct arena *a, sqlite3_stmt *st)
{
    struct org_unit *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct org_unit *u = arena_alloc(a, sizeof *u);
        u->id = db_col_int(st, 0);
        u->slug = arena_strdup(a, db_col_text(st, 1));
        u->name = arena_strdup(a, db_col_text(st, 2));
        u->description = arena_strdup(a, db_col_text(st, 3));
        u->dept_slug = arena_strdup(a, db_col_text(st, 4));
        u->dept_name = arena_strdup(a, db_col_text(st, 5));
        u->members = (int)db_col_int(st, 6);
        *tail = u;
        tail = &u->next;
    }
    sqlite3_reset(st);
    return head;
}

struct org_unit *org_store_departments(struct db *db, struct arena *a)
{
    return unit_list(a, db_stmt(db, "SELECT x.id, x.slug, x.name, x.description, '', '', " MEMBERS_OF(
                                        "department_id") " FROM departments x ORDER BY x.name"));
}

struct org_unit *org_store_teams(struct db *db, struct arena *a, int64_t dept_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT x.id, x.slug, x.name, x.description, d.slug, d.name, " MEMBERS_OF(
                                       "team_id") " FROM teams x JOIN departments d ON d.id = "
                                                  "x.department_id WHERE :dept = 0 OR "
                                                  "x.department_id = :dept ORDER BY d.name, x.name");
    db_bind_int(st, ":dept", dept_id);
    return unit_list(a, st);
}

struct org_unit *org_store_department(struct db *db, struct arena *a, const char *slug)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT x.id, x.slug, x.name, x.description, '', '', " MEMBERS_OF(
                                       "department_id") " FROM departments x WHERE x.slug = :slug");
    db_bind_text(st, ":slug", slug);
    return unit_list(a, st);
}

struct org_unit *org_store_team(struct db *db, struct arena *a, const char *slug)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT x.id, x.slug, x.name, x.description, d.slug, d.name, " MEMBERS_OF(
                                       "team_id") " FROM teams x JOIN departments d ON d.id = "
                                                  "x.department_id WHERE x.slug = :slug");
    db_bind_text(st, ":slug", slug);
    return unit_list(a, st);
}

/* Returns NULL when name and description are acceptable, else why not. */
static const char *check_unit(const char *name, const char *description)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > NAME_MAX_LEN)
        return "a name is 1 to 100 characters long";
    if (!utf8_valid(name, n) || strchr(name, '\n') || strchr(name, '\r') || strchr(name, '\t'))
        return "a name is one line of text";
    if (description && strlen(description) > DESCRIPTION_MAX)
        return "a description is at most 4000 characters long";
    if (description && !utf8_valid(description, strlen(description)))
        return "the description is not valid text";
    return NULL;
}

static int slug_taken(struct db *db, const char *sql, const char *slug)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    db_bind_text(st, ":slug", slug);
    int taken = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return taken;
}

int64_t org_store_add_department(struct db *db, struct arena *a, const char *name,
                                 const char *description, const char **why, int *status)
{
    *status = 400;
    if ((*why = check_unit(name, description)))
        return -1;
    const char *slug = wikipath_slug(a, name);
    if (!*slug) {
        *why = "a department's name needs some letters or digits (they make its address)";
        return -1;
    }
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM departments WHERE slug = :slug OR name = :name");
    db_bind_text(st, ":slug", slug);
    db_bind_text(st, ":name", name);
    int taken = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (taken) {
        *status = 409;
        *why = arena_printf(a, "there is already a department called %s (or at /departments/%s)",
                            name, slug);
        return -1;
    }
    st = db_stmt(db, "INSERT INTO departments(slug, name, description) VALUES (:slug, :name, :d)");
    db_bind_text(st, ":slug", slug);
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":d", description ? description : "");
    if (db_run(st) != 0) {
        *status = 503;
        *why = "the database refused the new department; try again";
        return -1;
    }
    return db_last_id(db);
}

int64_t org_store_add_team(struct db *db, struct arena *a, int64_t dept_id, const char *name,
                           const char *description, const char **why, int *status)
{
    *status = 400;
    if ((*why = check_unit(name, description)))
        return -1;
    sqlite3_stmt *st = db_stmt(db, "SELECT slug FROM departments WHERE id = :id");
    db_bind_int(st, ":id", dept_id);
    const char *dept_slug = db_one_text(st, a);
    if (!dept_slug) {
        *why = "a team belongs to an existing department; choose one";
        return -1;
    }
    st = db_stmt(db, "SELECT 1 FROM teams WHERE department_id = :dept AND name = :name");
    db_bind_int(st, ":dept", dept_id);
    db_bind_text(st, ":name", name);
    int taken = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (taken) {
        *status = 409;
        *why = arena_printf(a, "this department already has a team called %s", name);
        return -1;
    }
    const char *slug = wikipath_slug(a, name);
    if (!*slug) {
        *why = "a team's name needs some letters or digits (they make its address)";
        return -1;
    }
    static const char *const SQL_TEAM_SLUG = "SELECT 1 FROM teams WHERE slug = :slug";
    if (slug_taken(db, SQL_TEAM_SLUG, slug))
        slug = arena_printf(a, "%s-%s", dept_slug, slug);
    for (int i = 2; slug_taken(db, SQL_TEAM_SLUG, slug) && i < 100; i++)
        slug = arena_printf(a, "%s-%s-%d", dept_slug, wikipath_slug(a, name), i);
    st = db_stmt(db, "INSERT INTO teams(department_id, slug, name, description) "
                     "VALUES (:dept, :slug, :name, :d)");
    db_bind_int(st, ":dept", dept_id);
    db_bind_text(st, ":slug", slug);
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":d", description ? description : "");
    if (db_run(st) != 0) {
        *status = 503;
        *why = "the database refused the new team; try again";
        return -1;
    }
    return db_last_id(db);
}

struct org_unit *org_store_ensure_department(struct db *db, struct arena *a, const char *name,
                                             const char **why)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT slug FROM departments WHERE name = :name");
    db_bind_text(st, ":name", name);
    const char *slug = db_one_text(st, a);
    int status;
    if (!slug && org_store_add_department(db, a, name, "", why, &status) < 0)
        return NULL;
    return org_store_department(db, a, slug ? slug : wikipath_slug(a, name));
}

struct org_unit *org_store_ensure_team(struct db *db, struct arena *a, int64_t dept_id,
                                       const char *name, const char **why)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM teams WHERE department_id = :dept AND name = :name");
    db_bind_int(st, ":dept", dept_id);
    db_bind_text(st, ":name", name);
    int64_t id = db_one_int(st, 0);
    int status;
    if (!id && (id = org_store_add_team(db, a, dept_id, name, "", why, &status)) < 0)
        return NULL;
    for (struct org_unit *t = org_store_teams(db, a, dept_id); t; t = t->next)
        if (t->id == id)
            return t;
    *why = "the team could not be found after it was made";
    return NULL;
}

static int set_description(sqlite3_stmt *st, int64_t id, const char *text, const char **why)
{
    if ((*why = check_unit("x", text))) {
        sqlite3_reset(st);
        return -1;
    }
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":d", text ? text : "");
    if (db_run(st) != 0) {
        *why = "the description could not be saved; try again";
        return -1;
    }
    return 0;
}

int org_store_set_department_description(struct db *db, int64_t id, const char *text,
                                         const char **why)
{
    return set_description(db_stmt(db, "UPDATE departments SET description = :d WHERE id = :id"),
                           id, text, why);
}

int org_store_set_team_description(struct db *db, int64_t id, const char *text, const char **why)
{
    return set_description(db_stmt(db, "UPDATE teams SET description = :d WHERE id = :id"), id,
                           text, why);
}

/* ---- people in the organisation ---- */

#define PERSON_COLUMNS                                                                             \
    "u.id, coalesce(p.manager_id, 0), u.login, u.name, p.title, coalesce(d.slug, ''), "            \
    "coalesce(t.name, ''), p.left_at IS NOT NULL "
#define PERSON_FROM                                                                                \
    "FROM users u JOIN profiles p ON p.user_id = u.id LEFT JOIN departments d ON d.id = "          \
    "p.department_id LEFT JOIN teams t ON t.id = p.team_id "

static struct org_person *person_from_row(struct arena *a, sqlite3_stmt *st)
{
    struct org_person *o = arena_alloc(a, sizeof *o);
    o->id = db_col_int(st, 0);
    o->manager_id = db_col_int(st, 1);
    o->login = arena_strdup(a, db_col_text(st, 2));
    o->name = arena_strdup(a, db_col_text(st, 3));
    o->title = arena_strdup(a, db_col_text(st, 4));
    o->dept_slug = arena_strdup(a, db_col_text(st, 5));
    o->team_name = arena_strdup(a, db_col_text(st, 6));
    o->left = (int)db_col_int(st, 7);
    return o;
}

static struct org_person *person_list(struct arena *a, sqlite3_stmt *st)
{
    struct org_person *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        *tail = person_from_row(a, st);
        tail = &(*tail)->next;
    }
    sqlite3_reset(st);
    return head;
}

static struct org_person *person_by_id(struct db *db, struct arena *a, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " PERSON_COLUMNS PERSON_FROM "WHERE u.id = :id");
    db_bind_int(st, ":id", id);
    struct org_person *o = db_step(st) == SQLITE_ROW ? person_from_row(a, st) : NULL;
    sqlite3_reset(st);
    return o;
}

struct org_person *org_store_chain(struct db *db, struct arena *a, int64_t user_id)
{
    struct org_person *me = person_by_id(db, a, user_id), *top = NULL;
    int64_t seen[CHAIN_MAX];
    int n = 0;
    seen[n++] = user_id;
    for (int64_t next = me ? me->manager_id : 0; next && n < CHAIN_MAX;) {
        for (int i = 0; i < n; i++)
            if (seen[i] == next)
                return top;
        struct org_person *boss = person_by_id(db, a, next);
        if (!boss)
            break;
        seen[n++] = next;
        boss->next = top; /* each manager goes in front: the top ends first */
        top = boss;
        next = boss->manager_id;
    }
    return top;
}

struct org_person *org_store_reports(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " PERSON_COLUMNS PERSON_FROM
                                   "WHERE p.manager_id = :id AND p.left_at IS NULL "
                                   "AND u.id <> :id ORDER BY u.name");
    db_bind_int(st, ":id", user_id);
    return person_list(a, st);
}

struct org_person *org_store_peers(struct db *db, struct arena *a, int64_t user_id,
                                   int64_t manager_id)
{
    if (!manager_id)
        return NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT " PERSON_COLUMNS PERSON_FROM
                                   "WHERE p.manager_id = :m AND u.id <> :id AND "
                                   "p.left_at IS NULL ORDER BY u.name");
    db_bind_int(st, ":m", manager_id);
    db_bind_int(st, ":id", user_id);
    return person_list(a, st);
}

struct org_person *org_store_people(struct db *db, struct arena *a, int64_t dept_id,
                                    int64_t team_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " PERSON_COLUMNS PERSON_FROM
                                   "WHERE p.left_at IS NULL AND (:dept = 0 OR p.department_id = "
                                   ":dept) AND (:team = 0 OR p.team_id = :team) ORDER BY u.name");
    db_bind_int(st, ":dept", dept_id);
    db_bind_int(st, ":team", team_id);
    return person_list(a, st);
}

int org_store_manager_cycle(struct db *db, int64_t user_id, int64_t manager_id)
{
    /* Walk up from the proposed manager; meeting the person means the chain would loop. The
     * walk is capped so that a loop already in the data (from an import) cannot hang it. */
    int64_t at = manager_id;
    for (int steps = 0; at && steps < 10000; steps++) {
        if (at == user_id)
            return 1;
        sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(manager_id, 0) FROM profiles WHERE user_id = :id");
        db_bind_int(st, ":id", at);
        int rc = db_step(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            sqlite3_reset(st);
            return -1;
        }
        at = rc == SQLITE_ROW ? db_col_int(st, 0) : 0;
        sqlite3_reset(st);
        if (at == manager_id) /* a loop above that does not include the person */
            return 0;
    }
    return 0;
}
