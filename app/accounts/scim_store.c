#include "accounts/scim_store.h"
#include "people/org_store.h"
#include "people/people_store.h"
#include "accounts/scim.h"
#include "wiki/wikipath.h"

#include <string.h>
#include <time.h>

void scim_change_init(struct scim_change *c)
{
    memset(c, 0, sizeof *c);
    c->active = -1;
}

/* ---- reading ---- */

static const char *field(const struct person *p, const char *name)
{
    const char *v = p->values[people_field_index(name)];
    return v ? v : "";
}

struct scim_user *scim_store_get(struct db *db, struct arena *a, const struct user *viewer,
                                 int64_t id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.id, u.login, u.name, u.created_at, u.disabled, coalesce(s.user_name, "
            "u.login), s.external_id, coalesce(s.given_name, ''), coalesce(s.family_name, ''), "
            "coalesce(s.updated_at, u.created_at) FROM users u LEFT JOIN scim_users s ON "
            "s.user_id = u.id WHERE u.id = :id AND s.deleted_at IS NULL");
    db_bind_int(st, ":id", id);
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    struct scim_user *u = arena_alloc(a, sizeof *u);
    u->id = db_col_int(st, 0);
    u->login = arena_strdup(a, db_col_text(st, 1));
    u->name = arena_strdup(a, db_col_text(st, 2));
    u->created_at = db_col_int(st, 3);
    u->active = db_col_int(st, 4) == 0;
    u->user_name = arena_strdup(a, db_col_text(st, 5));
    if (sqlite3_column_type(st, 6) != SQLITE_NULL)
        u->external_id = arena_strdup(a, db_col_text(st, 6));
    u->given_name = arena_strdup(a, db_col_text(st, 7));
    u->family_name = arena_strdup(a, db_col_text(st, 8));
    u->updated_at = db_col_int(st, 9);
    sqlite3_reset(st);
    struct person *p = people_store_view(db, a, viewer, u->login);
    if (!p) return NULL;
    u->active = u->active && !p->left_at;
    u->title = field(p, "title");
    u->department = p->department_name ? p->department_name : "";
    u->email = p->values[people_field_index("email")];
    if (u->email && !*u->email) u->email = NULL;
    u->manager_id = p->manager_id;
    u->manager_name = p->manager_name ? p->manager_name : "";
    return u;
}

/* The people /scim/v2/Users lists: everyone but those deleted through SCIM. */
#define SCIM_MATCHES                                                                               \
    "FROM users u LEFT JOIN scim_users s ON s.user_id = u.id WHERE s.deleted_at IS NULL "          \
    "AND (:user_name IS NULL OR coalesce(s.user_name, u.login) = :user_name COLLATE NOCASE) "      \
    "AND (:external_id IS NULL OR s.external_id = :external_id) "                                  \
    "AND (:id = 0 OR u.id = :id) AND (:display IS NULL OR u.name = :display) "

static void bind_query(sqlite3_stmt *st, const struct scim_query *q)
{
    db_bind_text(st, ":user_name", q->user_name);
    db_bind_text(st, ":external_id", q->external_id);
    db_bind_int(st, ":id", q->id);
    db_bind_text(st, ":display", q->display_name);
}

int64_t *scim_store_find(struct db *db, struct arena *a, const struct scim_query *q, int *n,
                         int *total)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) " SCIM_MATCHES);
    bind_query(st, q);
    *total = (int)db_one_int(st, 0);
    *n = 0;
    if (q->count <= 0 || q->offset >= *total) return NULL;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)q->count);
    st = db_stmt(db, "SELECT u.id " SCIM_MATCHES "ORDER BY u.id LIMIT :count OFFSET :offset");
    bind_query(st, q);
    db_bind_int(st, ":count", q->count);
    db_bind_int(st, ":offset", q->offset);
    while (*n < q->count && db_step(st) == SQLITE_ROW)
        ids[(*n)++] = db_col_int(st, 0);
    sqlite3_reset(st);
    return ids;
}

/* ---- writing ---- */

/* Sets *why and *scim_type and returns status: the shape of every refusal here. */
static int refuse(const char **why, const char **scim_type, int status, const char *w,
                  const char *t)
{
    *why = w;
    *scim_type = t;
    return status;
}

/* Returns the login of person `id` (not deleted through SCIM), in a, or NULL. */
static const char *login_of(struct db *db, struct arena *a, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT u.login FROM users u LEFT JOIN scim_users s ON "
                                   "s.user_id = u.id WHERE u.id = :id AND s.deleted_at IS NULL");
    db_bind_int(st, ":id", id);
    const char *login = db_one_text(st, a);
    return login;
}

/* Returns 1 when someone other than `id` goes by `user_name` (in any case): as the userName a
 * provider gave them, deleted or not, or as their login when no provider gave them one. */
static int user_name_taken(struct db *db, const char *user_name, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM users u LEFT JOIN scim_users s ON s.user_id = "
                                   "u.id WHERE u.id <> :id AND coalesce(s.user_name, u.login) = "
                                   ":n COLLATE NOCASE LIMIT 1");
    db_bind_text(st, ":n", user_name);
    db_bind_int(st, ":id", id);
    int taken = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return taken;
}

/* Returns the slug of the department called (or at) `name`, any case, making it when there is
 * none; "" for "". NULL with *why when it cannot be made. */
static const char *department_slug(struct db *db, struct arena *a, const char *name,
                                   const char **why)
{
    if (!*name) return "";
    sqlite3_stmt *st = db_stmt(db, "SELECT slug FROM departments WHERE name = :name COLLATE "
                                   "NOCASE OR slug = :slug ORDER BY name = :name DESC LIMIT 1");
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":slug", wikipath_slug(a, name));
    const char *slug = db_one_text(st, a);
    if (slug) return slug;
    struct org_unit *d = org_store_ensure_department(db, a, name, why);
    return d ? d->slug : NULL;
}

/* Writes the provider's names for person `id`, marking them changed through SCIM now. */
static int save_names(struct db *db, struct arena *a, int64_t id, const struct scim_change *c,
                      const char **why, const char **scim_type)
{
    if (c->user_name && user_name_taken(db, c->user_name, id))
        return refuse(why, scim_type, 409,
                      arena_printf(a, "the userName %s belongs to someone else", c->user_name),
                      "uniqueness");
    sqlite3_stmt *st = db_stmt(
        db, "INSERT INTO scim_users(user_id, user_name, external_id, given_name, family_name, "
            "updated_at) VALUES (:id, :n, :ext, coalesce(:g, ''), coalesce(:f, ''), :now) ON "
            "CONFLICT(user_id) DO UPDATE SET "
            "user_name = coalesce(:n, user_name), external_id = CASE WHEN :set_ext THEN :ext "
            "ELSE external_id END, given_name = coalesce(:g, given_name), family_name = "
            "coalesce(:f, family_name), updated_at = :now, deleted_at = NULL");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":n", c->user_name);
    db_bind_text(st, ":ext", c->external_id);
    db_bind_int(st, ":set_ext", c->set_external_id);
    db_bind_text(st, ":g", c->given_name);
    db_bind_text(st, ":f", c->family_name);
    db_bind_int(st, ":now", (int64_t)time(NULL));
    if (db_run(st) == 0) return 0;
    if (db_errcode(db) == SQLITE_CONSTRAINT_UNIQUE)
        return refuse(why, scim_type, 409,
                      arena_printf(a, "the externalId %s belongs to someone else",
                                   c->external_id ? c->external_id : ""),
                      "uniqueness");
    return refuse(why, scim_type, 503, "the change could not be saved; try again", NULL);
}

/* Writes the profile fields of c (name, title, email, department, manager) as an import. */
static int save_profile(struct db *db, struct arena *a, const char *login,
                        const struct scim_change *c, const char **why, const char **scim_type)
{
    if (!c->name && !c->title && !c->email && !c->department && !c->set_manager) return 0;
    struct people_edit e;
    people_edit_init(&e);
    e.name = c->name;
    e.values[people_field_index("title")] = c->title;
    e.values[people_field_index("email")] = c->email;
    if (c->department &&
        !(e.values[people_field_index("department")] = department_slug(db, a, c->department, why)))
        return refuse(why, scim_type, 400, *why, "invalidValue");
    if (c->set_manager) {
        const char *m = c->manager_id ? login_of(db, a, c->manager_id) : "";
        if (!m)
            return refuse(why, scim_type, 400,
                          arena_printf(a,
                                       "the manager's id %lld names nobody (a manager is "
                                       "named by their SCIM id)",
                                       (long long)c->manager_id),
                          "invalidValue");
        e.values[people_field_index("manager")] = m;
    }
    int rc = people_store_save(db, a, NULL, login, &e, why);
    *scim_type = rc == 400 ? "invalidValue" : NULL;
    return rc;
}

/* Ends every way person `id` is signed in: sessions, API tokens and the feed token. */
static int revoke_all(struct db *db, int64_t id)
{
    static const char *const sql[] = {"DELETE FROM sessions WHERE user_id = :id",
                                      "DELETE FROM api_tokens WHERE user_id = :id",
                                      "DELETE FROM feed_tokens WHERE user_id = :id"};
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st = db_stmt(db, sql[i]);
        db_bind_int(st, ":id", id);
        if (db_run(st) != 0) return -1;
    }
    return 0;
}

/* Deactivates (active 0: marked as having left, signed out everywhere) or reactivates person
 * `id` when they are not so already. */
static int save_active(struct db *db, struct arena *a, const struct user *viewer, int64_t id,
                       const char *login, int active, const char **why, const char **scim_type)
{
    struct person *p = people_store_get(db, a, login);
    if (!p) return refuse(why, scim_type, 503, "the person could not be read; try again", NULL);
    if (!p->left_at == !!active) return 0;
    if (!active && viewer && viewer->id == id)
        return refuse(why, scim_type, 400,
                      "this API token belongs to the account being deactivated, which would "
                      "lock the provider out; use another admin's token",
                      "invalidValue");
    int rc = people_store_set_left(db, a, NULL, login, !active, why);
    if (rc == 0 && !active && revoke_all(db, id) != 0)
        rc = refuse(why, scim_type, 503, "the sessions could not be ended; try again", NULL);
    *scim_type = NULL;
    return rc;
}

static int apply(struct db *db, struct arena *a, const struct user *viewer, int64_t id,
                 const char *login, const struct scim_change *c, const char **why,
                 const char **scim_type)
{
    int rc = save_names(db, a, id, c, why, scim_type);
    if (!rc) rc = save_profile(db, a, login, c, why, scim_type);
    if (!rc && c->password_hash && user_store_set_password(db, id, c->password_hash) != 0)
        rc = refuse(why, scim_type, 503, "the password could not be saved; try again", NULL);
    if (!rc && c->active >= 0)
        rc = save_active(db, a, viewer, id, login, c->active, why, scim_type);
    return rc;
}

/* Commits after rc 0, else rolls back. Returns rc, or 503 when the commit fails. */
static int finish(struct db *db, int rc, const char **why, const char **scim_type)
{
    if (rc == 0 && db_commit(db) == 0) return 0;
    db_rollback(db);
    return rc ? rc : refuse(why, scim_type, 503, "the change could not be saved; try again", NULL);
}

int scim_store_update(struct db *db, struct arena *a, const struct user *viewer, int64_t id,
                      const struct scim_change *c, const char **why, const char **scim_type)
{
    if (db_begin(db) != 0)
        return refuse(why, scim_type, 503, "the database is busy; try again", NULL);
    const char *login = login_of(db, a, id);
    int rc = login ? apply(db, a, viewer, id, login, c, why, scim_type)
                   : refuse(why, scim_type, 404,
                            arena_printf(a, "no person has the id %lld", (long long)id), NULL);
    return finish(db, rc, why, scim_type);
}

/* Returns the account a create should take over instead of making one, or 0: the one the
 * userName was deleted from, or the only account no provider knows whose email (visible to
 * viewer) is the userName or c->email. An email the person last typed themselves proves
 * nothing (anyone may type a new hire's address), so it links no account. -1 when the
 * userName is someone's already. */
static int64_t existing_account(struct db *db, const struct user *viewer,
                                const struct scim_change *c)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT u.id, s.deleted_at IS NOT NULL FROM users u LEFT JOIN "
                                   "scim_users s ON s.user_id = u.id WHERE coalesce(s.user_name, "
                                   "u.login) = :n COLLATE NOCASE LIMIT 1");
    db_bind_text(st, ":n", c->user_name);
    int64_t id = 0;
    if (db_step(st) == SQLITE_ROW) id = db_col_int(st, 1) ? db_col_int(st, 0) : -1;
    sqlite3_reset(st);
    if (id) return id;
    st = db_stmt(db, "SELECT u.id FROM users u JOIN profiles p ON p.user_id = u.id WHERE "
                     "p.email <> '' AND (p.email = :n COLLATE NOCASE OR p.email = :e COLLATE "
                     "NOCASE) AND NOT EXISTS (SELECT 1 FROM scim_users s WHERE s.user_id = u.id) "
                     "AND coalesce((SELECT r.editor_id = u.id FROM profile_revisions r WHERE "
                     "r.user_id = u.id AND json_type(r.changes, '$.email') IS NOT NULL ORDER BY "
                     "r.id DESC LIMIT 1), 0) = 0 LIMIT 2");
    db_bind_text(st, ":n", c->user_name);
    db_bind_text(st, ":e", c->email);
    int found = 0;
    while (db_step(st) == SQLITE_ROW)
        id = ++found == 1 ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    int visible[PEOPLE_FIELDS_MAX];
    if (id && (people_store_visible_fields(db, viewer, id, visible) != 0 ||
               !visible[people_field_index("email")]))
        id = 0;
    return id;
}

/* Makes a new editor account for c with a free login from its userName. Returns its id or -1. */
static int64_t new_account(struct db *db, struct arena *a, const struct scim_change *c,
                           const char **why)
{
    const char *base = scim_login_base(a, c->user_name), *login = base;
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM users WHERE login = :login");
    for (int n = 2;; n++) {
        db_bind_text(st, ":login", login);
        int taken = db_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
        if (!taken) break;
        if (n > 1000) {
            *why = "no free login could be made from the userName";
            return -1;
        }
        login = arena_printf(a, "%s-%d", base, n);
    }
    return user_store_add(db, a, login, c->name ? c->name : c->user_name, ROLE_EDITOR, NULL, why);
}

int scim_store_create(struct db *db, struct arena *a, const struct user *viewer,
                      const struct scim_change *c, int64_t *id, const char **why,
                      const char **scim_type)
{
    if (db_begin(db) != 0)
        return refuse(why, scim_type, 503, "the database is busy; try again", NULL);
    int rc = 0;
    *id = existing_account(db, viewer, c);
    if (*id < 0)
        rc = refuse(why, scim_type, 409,
                    arena_printf(a, "someone already has the userName %s", c->user_name),
                    "uniqueness");
    else if (*id == 0 && (*id = new_account(db, a, c, why)) < 0)
        rc = refuse(why, scim_type, 400, *why, "invalidValue");
    if (!rc) {
        const char *login = login_of(db, a, *id);
        if (!login) { /* deleted through SCIM: save_names brings the account back */
            sqlite3_stmt *st = db_stmt(db, "SELECT login FROM users WHERE id = :id");
            db_bind_int(st, ":id", *id);
            login = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
            sqlite3_reset(st);
        }
        rc = apply(db, a, viewer, *id, login, c, why, scim_type);
    }
    return finish(db, rc, why, scim_type);
}

int scim_store_delete(struct db *db, struct arena *a, const struct user *viewer, int64_t id,
                      const char **why, const char **scim_type)
{
    if (db_begin(db) != 0)
        return refuse(why, scim_type, 503, "the database is busy; try again", NULL);
    const char *login = login_of(db, a, id);
    int rc = login ? save_active(db, a, viewer, id, login, 0, why, scim_type)
                   : refuse(why, scim_type, 404,
                            arena_printf(a, "no person has the id %lld", (long long)id), NULL);
    if (!rc) {
        sqlite3_stmt *st = db_stmt(
            db, "INSERT INTO scim_users(user_id, updated_at, deleted_at) VALUES (:id, :now, :now) "
                "ON CONFLICT(user_id) DO UPDATE SET updated_at = :now, "
                "deleted_at = :now");
        db_bind_int(st, ":id", id);
        db_bind_int(st, ":now", (int64_t)time(NULL));
        if (db_run(st) != 0)
            rc = refuse(why, scim_type, 503, "the change could not be saved; try again", NULL);
    }
    return finish(db, rc, why, scim_type);
}
