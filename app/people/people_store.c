#include "people/people_store.h"
#include "accounts/session_store.h"
#include "markup/markdown.h"
#include "people/org_store.h"
#include "wiki/page_store.h"
#include "search/people_search_store.h"
#include "core/buf.h"
#include "core/utf8.h"
#include <jansson.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- fields and their columns ---- */

int people_field_index(const char *name)
{
    const struct profile_field *f = name ? people_field(name) : NULL;
    return f ? (int)(f - people_fields) : -1;
}

/* Returns the index of a field ken's code names; a missing one is a bug. */
static int fi(const char *name)
{
    int i = people_field_index(name);
    if (i < 0 || i >= PEOPLE_FIELDS_MAX)
        die("people_store: no profile field %s", name);
    return i;
}

static const char *const SQL_PERSON =
    "SELECT u.id, u.login, u.name, u.role, coalesce(p.manager_id, 0), coalesce(m.disabled, 0), "
    "coalesce(p.left_at, 0), p.updated_at, coalesce(d.name, ''), coalesce(t.name, ''), "
    "coalesce(m.name, ''), p.bio_html, "
    /* 12: the fields, in the order of COLUMNS below */
    "p.title, coalesce(d.slug, ''), coalesce(t.slug, ''), coalesce(m.login, ''), p.location, "
    "p.timezone, p.start_date, p.email, p.chat, p.phone, p.languages, p.bio, p.ask_me_about, "
    "p.projects, p.open_to_roles, p.want_skills, p.mentoring, p.photo_type, p.photo_at "
    "FROM users u JOIN profiles p ON p.user_id = u.id "
    "LEFT JOIN departments d ON d.id = p.department_id LEFT JOIN teams t ON t.id = p.team_id "
    "LEFT JOIN users m ON m.id = p.manager_id WHERE u.login = :login";

/* The fields as SQL_PERSON selects them, from column 12 on. */
static const char *const COLUMNS[] = {
    "title", "department", "team", "manager", "location", "timezone", "start_date", "email",
    "chat", "phone", "languages", "bio", "ask_me_about", "projects", "open_to_roles",
    "want_skills", "mentoring", "photo", NULL,
};

static int column_of(const char *field)
{
    for (int c = 0; COLUMNS[c]; c++)
        if (strcmp(COLUMNS[c], field) == 0)
            return 12 + c;
    die("people_store: profile field %s has no column", field);
}

struct person *people_store_get(struct db *db, struct arena *a, const char *login)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PERSON);
    db_bind_text(st, ":login", login);
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    struct person *p = arena_alloc(a, sizeof *p);
    p->id = db_col_int(st, 0);
    p->login = arena_strdup(a, db_col_text(st, 1));
    p->name = arena_strdup(a, db_col_text(st, 2));
    p->role = user_role_parse(db_col_text(st, 3));
    p->manager_id = db_col_int(st, 4);
    p->manager_left = (int)db_col_int(st, 5);
    p->left_at = db_col_int(st, 6);
    p->updated_at = db_col_int(st, 7);
    p->department_name = arena_strdup(a, db_col_text(st, 8));
    p->team_name = arena_strdup(a, db_col_text(st, 9));
    p->manager_name = arena_strdup(a, db_col_text(st, 10));
    p->bio_html = arena_strdup(a, db_col_text(st, 11));
    for (int i = 0; people_fields[i].name; i++)
        p->values[i] = arena_strdup(a, db_col_text(st, column_of(people_fields[i].name)));
    p->photo_at = db_col_int(st, 12 + (int)(sizeof COLUMNS / sizeof *COLUMNS) - 1);
    sqlite3_reset(st);
    if (people_visibility_load(db, p->id, p->levels) != 0)
        return NULL;
    return p;
}

int people_store_visible_fields(struct db *db, const struct user *viewer, int64_t subject_id,
                                int visible[PEOPLE_FIELDS_MAX])
{
    enum visibility levels[PEOPLE_FIELDS_MAX];
    memset(visible, 0, sizeof(int) * PEOPLE_FIELDS_MAX);
    if (people_visibility_load(db, subject_id, levels) != 0)
        return -1;
    for (int i = 0; people_fields[i].name; i++)
        visible[i] = people_may_see(viewer, subject_id, levels[i]);
    return 0;
}

struct person *people_store_view(struct db *db, struct arena *a, const struct user *viewer,
                                 const char *login)
{
    struct person *p = people_store_get(db, a, login);
    int visible[PEOPLE_FIELDS_MAX];
    if (!p || people_store_visible_fields(db, viewer, p->id, visible) != 0)
        return NULL;
    for (int i = 0; people_fields[i].name; i++) {
        if (visible[i])
            continue;
        p->values[i] = NULL;
        p->levels[i] = VIS_PRIVATE;
    }
    if (!p->values[fi("bio")])
        p->bio_html = NULL;
    if (!p->values[fi("department")])
        p->department_name = NULL;
    if (!p->values[fi("team")])
        p->team_name = NULL;
    if (!p->values[fi("manager")]) {
        p->manager_name = NULL;
        p->manager_id = 0;
    }
    return p;
}

/* ---- checking values ---- */

enum kind { LINE, TEXT, LIST, DATE, EMAIL, TIMEZONE, PHONE, MENTORING, DEPARTMENT, TEAM, MANAGER };

struct rule {
    const char *field;
    enum kind kind;
    size_t max;
};

static const struct rule rules[] = {
    {"title", LINE, 200},         {"department", DEPARTMENT, 100}, {"team", TEAM, 100},
    {"manager", MANAGER, 64},     {"location", LINE, 100},         {"timezone", TIMEZONE, 64},
    {"start_date", DATE, 10},     {"email", EMAIL, 254},           {"chat", LINE, 100},
    {"phone", PHONE, 40},         {"languages", LIST, 300},        {"bio", TEXT, 20000},
    {"ask_me_about", LIST, 500},  {"projects", TEXT, 2000},        {"open_to_roles", LINE, 500},
    {"want_skills", LIST, 500},   {"mentoring", MENTORING, 10},    {NULL, LINE, 0},
};

static const struct rule *rule_of(const char *field)
{
    for (const struct rule *r = rules; r->field; r++)
        if (strcmp(r->field, field) == 0)
            return r;
    return NULL;
}

/* Returns s with surrounding white space removed, in a. */
static char *trim(struct arena *a, const char *s, size_t n)
{
    while (n && strchr(" \t\r\n", *s))
        s++, n--;
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    return arena_strndup(a, s, n);
}

/* Returns "a, b, c" from a comma-separated list typed by someone (blank items dropped). */
static char *list_normalise(struct arena *a, const char *in)
{
    struct buf b;
    buf_init(&b, 0);
    for (const char *p = in; *p;) {
        size_t n = strcspn(p, ",\n");
        char *item = trim(a, p, n);
        if (*item)
            buf_printf(&b, "%s%s", b.len ? ", " : "", item);
        p += n + (p[n] ? 1 : 0);
    }
    return arena_adopt(a, buf_take(&b));
}

static int valid_date(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strlen(s) == 10 ? strptime(s, "%Y-%m-%d", &tm) : NULL;
    if (!end || *end)
        return 0;
    char back[16];
    timegm(&tm); /* normalises: 2021-02-30 becomes 2021-03-02, which then differs */
    strftime(back, sizeof back, "%Y-%m-%d", &tm);
    return strcmp(back, s) == 0 && tm.tm_year >= 0 && tm.tm_year < 300;
}

static const char *check_kind(struct db *db, struct arena *a, enum kind kind, const char *label,
                              const char *v);

/* Checks the value for one field and makes it canonical. Returns NULL (with *out set, in a), or
 * why the value is not acceptable. */
static const char *check_value(struct db *db, struct arena *a, const struct rule *r,
                               const char *label, const char *in, const char **out)
{
    size_t n = strlen(in);
    if (!utf8_valid(in, n))
        return arena_printf(a, "%s is not valid text (control characters?)", label);
    char *v = r->kind == TEXT ? arena_strdup(a, in) : trim(a, in, n);
    if (r->kind == TEXT) { /* forms send CRLF */
        char *w = v;
        for (const char *p = v; *p; p++)
            if (*p != '\r')
                *w++ = *p;
        *w = 0;
    } else if (strpbrk(v, "\r\n") && r->kind != LIST) {
        return arena_printf(a, "%s is a single line", label);
    }
    if (r->kind == LIST)
        v = list_normalise(a, v);
    *out = v;
    if (!*v)
        return NULL;
    const char *why = check_kind(db, a, r->kind, label, v);
    if (!why && strlen(v) > r->max)
        why = arena_printf(a, "%s is at most %zu characters long", label, r->max);
    return why;
}

/* Checks a non-empty value against the form its kind of field takes. NULL, or why not. */
static const char *check_kind(struct db *db, struct arena *a, enum kind kind, const char *label,
                              const char *v)
{
    switch (kind) {
    case DATE:
        return valid_date(v) ? NULL
                             : arena_printf(a, "%s is a date like 2021-03-15 (or nothing)", label);
    case EMAIL: {
        const char *at = strchr(v, '@');
        if (!at || at == v || !at[1] || strchr(at + 1, '@') || strpbrk(v, " \t<>\"'(),;:\\[]"))
            return arena_printf(a, "%s is an address like name@example.com", label);
        return NULL;
    }
    case TIMEZONE:
        if (strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/:") != strlen(v))
            return arena_printf(a, "%s is a zone name like Europe/Lisbon or UTC+1", label);
        return NULL;
    case PHONE:
        if (strspn(v, "0123456789 +-().x/") != strlen(v))
            return arena_printf(a, "%s uses digits, spaces and + - ( ) . / x", label);
        return NULL;
    case MENTORING:
        if (strcmp(v, "offering") && strcmp(v, "seeking") && strcmp(v, "both"))
            return arena_printf(a, "%s is offering, seeking, both or nothing", label);
        return NULL;
    case DEPARTMENT:
        return org_store_department(db, a, v)
                   ? NULL
                   : arena_printf(a, "there is no department %s (see /departments)", v);
    case TEAM:
        return org_store_team(db, a, v) ? NULL
                                        : arena_printf(a, "there is no team %s (see /departments)", v);
    default:
        return NULL;
    }
}

/* Checks that the manager of `p` (in values) exists, has not left and makes no loop. */
static const char *check_manager(struct db *db, struct arena *a, const struct person *p,
                                 const char *login)
{
    if (strcmp(login, p->login) == 0)
        return "a person cannot be their own manager";
    sqlite3_stmt *st = db_stmt(db, "SELECT u.id, p.left_at IS NOT NULL FROM users u JOIN profiles "
                                   "p ON p.user_id = u.id WHERE u.login = :login");
    db_bind_text(st, ":login", login);
    int64_t id = 0;
    int left = 0;
    if (db_step(st) == SQLITE_ROW) {
        id = db_col_int(st, 0);
        left = (int)db_col_int(st, 1);
    }
    sqlite3_reset(st);
    if (!id)
        return arena_printf(a, "nobody has the login %s, so they cannot be the manager", login);
    if (left && id != p->manager_id)
        return arena_printf(a, "%s has left the company, so they cannot be a new manager", login);
    int cycle = org_store_manager_cycle(db, p->id, id);
    if (cycle < 0)
        return "the manager could not be checked; try again";
    if (cycle)
        return arena_printf(a, "%s cannot be managed by %s: %s already reports to %s (directly or "
                               "through others), and a person cannot be their own manager",
                            p->login, login, login, p->login);
    return NULL;
}

/* ---- saving ---- */

void people_edit_init(struct people_edit *e)
{
    memset(e, 0, sizeof *e);
    for (int i = 0; i < PEOPLE_FIELDS_MAX; i++)
        e->levels[i] = -1;
}

static enum visibility stricter(enum visibility x, enum visibility y)
{
    return x > y ? x : y;
}

/* Adds {"key": [old, new, level]} to the revision being built. */
static void change(json_t *changes, const char *key, const char *old, const char *new,
                   enum visibility level)
{
    json_object_set_new(changes, key, json_pack("[s, s, s]", old, new, visibility_name(level)));
}

static int add_revision(struct db *db, int64_t user_id, const struct user *editor, json_t *changes)
{
    char *text = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        die("out of memory encoding a profile revision");
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO profile_revisions(user_id, editor_id, created_at, "
                                   "changes) VALUES (:u, :e, :now, :changes)");
    db_bind_int(st, ":u", user_id);
    if (editor)
        db_bind_int(st, ":e", editor->id);
    else
        db_bind_null(st, ":e");
    db_bind_int(st, ":now", (int64_t)time(NULL));
    db_bind_text(st, ":changes", text);
    free(text);
    return db_run(st);
}

/* Checks who may make edit e of p. Returns 0 or 403 with *why. */
static int check_permission(struct arena *a, const struct user *editor, const struct person *p,
                            const struct people_edit *e, const char **why)
{
    if (!editor)
        return 0;
    if (!people_may_edit(editor, p->id)) {
        *why = "you may edit only your own profile (HR and admins edit anyone's)";
        return 403;
    }
    for (int i = 0; people_fields[i].name; i++) {
        if (e->values[i] && !people_may_edit_field(editor, p->id, p->levels[i])) {
            *why = arena_printf(a, "%s keeps %s private: only they may change it", p->login,
                                people_fields[i].name);
            return 403;
        }
        if (e->levels[i] >= 0 && editor->id != p->id) {
            *why = arena_printf(a, "only %s chooses who sees their profile fields", p->login);
            return 403;
        }
    }
    return 0;
}

/* Checks e against p, fills after[] with every field's new value and records what changes.
 * Returns 0 or 400 with *why. */
static int check_edit(struct db *db, struct arena *a, const struct person *p,
                      const struct people_edit *e, const char **after, const char **name,
                      json_t *changes, const char **why)
{
    *name = p->name;
    if (e->name) {
        char *n = trim(a, e->name, strlen(e->name));
        if (!*n || strlen(n) > 200 || strpbrk(n, "\r\n\t") || !utf8_valid(n, strlen(n))) {
            *why = "a name is one line of 1 to 200 characters";
            return 400;
        }
        *name = n;
        if (strcmp(n, p->name) != 0)
            change(changes, "name", p->name, n, VIS_EVERYONE);
    }
    int team_i = fi("team"), dept_i = fi("department");
    for (int i = 0; people_fields[i].name; i++) {
        const struct profile_field *f = &people_fields[i];
        after[i] = p->values[i];
        if (e->levels[i] >= 0 && f->fixed) {
            *why = arena_printf(a, "%s is always visible to everyone", f->name);
            return 400;
        }
        if (!e->values[i])
            continue;
        const struct rule *r = rule_of(f->name);
        if (!r) {
            *why = arena_printf(a, "%s cannot be set here (photos are uploaded to "
                                   "/people/LOGIN/photo)", f->name);
            return 400;
        }
        if ((*why = check_value(db, a, r, f->label, e->values[i], &after[i])))
            return 400;
    }
    /* A team belongs to one department: a new team brings its department along; a new
     * department alone leaves the old team behind; both new must agree. */
    int new_dept = strcmp(after[dept_i], p->values[dept_i]) != 0;
    int new_team = strcmp(after[team_i], p->values[team_i]) != 0;
    if (*after[team_i]) {
        struct org_unit *t = org_store_team(db, a, after[team_i]);
        if (!t) {
            *why = "the team is gone; choose another";
            return 400;
        }
        if (strcmp(t->dept_slug, after[dept_i]) == 0) {
            /* they agree */
        } else if (new_team && new_dept && *after[dept_i]) {
            *why = arena_printf(a, "the team %s belongs to the department %s, not %s", t->name,
                                t->dept_name, after[dept_i]);
            return 400;
        } else if (new_dept && !new_team) {
            after[team_i] = "";
        } else {
            after[dept_i] = t->dept_slug;
        }
    }
    int mgr = fi("manager");
    if (*after[mgr] && strcmp(after[mgr], p->values[mgr]) != 0 &&
        (*why = check_manager(db, a, p, after[mgr])))
        return 400;
    for (int i = 0; people_fields[i].name; i++) {
        enum visibility now = e->levels[i] >= 0 ? (enum visibility)e->levels[i] : p->levels[i];
        if (strcmp(after[i], p->values[i]) != 0)
            change(changes, people_fields[i].name, p->values[i], after[i],
                   stricter(p->levels[i], now));
        if (now != p->levels[i])
            change(changes, arena_printf(a, "visibility:%s", people_fields[i].name),
                   visibility_name(p->levels[i]), visibility_name(now), VIS_PRIVATE);
    }
    return 0;
}

/* A bio rendered before the write transaction: its text and HTML (both NULL when none). */
struct bio_render {
    const char *md, *html;
};

static int write_profile(struct db *db, struct arena *a, const struct person *p,
                         const char **after, const char *name, const struct people_edit *e,
                         const struct bio_render *pre)
{
    sqlite3_stmt *st = db_stmt(
        db, "UPDATE profiles SET title = :title, "
            "department_id = (SELECT id FROM departments WHERE slug = :department), "
            "team_id = (SELECT id FROM teams WHERE slug = :team), "
            "manager_id = (SELECT id FROM users WHERE login = :manager), location = :location, "
            "timezone = :timezone, start_date = :start_date, email = :email, chat = :chat, "
            "phone = :phone, languages = :languages, bio = :bio, bio_html = :bio_html, "
            "ask_me_about = :ask_me_about, projects = :projects, open_to_roles = :open_to_roles, "
            "want_skills = :want_skills, mentoring = :mentoring, updated_at = :now "
            "WHERE user_id = :id");
    for (const struct rule *r = rules; r->field; r++)
        db_bind_text(st, arena_printf(a, ":%s", r->field), after[fi(r->field)]);
    const char *bio = after[fi("bio")];
    db_bind_text(st, ":bio_html", strcmp(bio, p->values[fi("bio")]) == 0 ? p->bio_html
                                  : pre->md && strcmp(bio, pre->md) == 0
                                      ? pre->html
                                      : markdown_render(a, bio, strlen(bio), NULL,
                                                        page_store_resolve, db, NULL));
    db_bind_int(st, ":now", (int64_t)time(NULL));
    db_bind_int(st, ":id", p->id);
    if (db_run(st) != 0)
        return -1;
    if (strcmp(name, p->name) != 0) {
        st = db_stmt(db, "UPDATE users SET name = :name WHERE id = :id");
        db_bind_text(st, ":name", name);
        db_bind_int(st, ":id", p->id);
        if (db_run(st) != 0)
            return -1;
    }
    for (int i = 0; people_fields[i].name; i++) {
        if (e->levels[i] < 0 || (enum visibility)e->levels[i] == p->levels[i])
            continue;
        st = db_stmt(db, "INSERT INTO profile_visibility(user_id, field, level) VALUES (:u, :f, "
                         ":l) ON CONFLICT (user_id, field) DO UPDATE SET level = excluded.level");
        db_bind_int(st, ":u", p->id);
        db_bind_text(st, ":f", people_fields[i].name);
        db_bind_text(st, ":l", visibility_name((enum visibility)e->levels[i]));
        if (db_run(st) != 0)
            return -1;
    }
    return 0;
}

int people_store_save(struct db *db, struct arena *a, const struct user *editor, const char *login,
                      const struct people_edit *e, const char **why)
{
    for (int i = 0; people_fields[i].name; i++)
        if (e->levels[i] > VIS_PRIVATE) {
            *why = "a visibility is everyone, hr or private";
            return 400;
        }
    /* The bio is rendered before the write transaction (a long one keeps others waiting), and
     * refused with the reason when it is beyond the render bounds. */
    struct bio_render pre = {NULL, NULL};
    const char *bio_in = e->values[fi("bio")];
    if (bio_in && !check_value(db, a, rule_of("bio"), "About me", bio_in, &pre.md) &&
        !(pre.html = markdown_render_people(a, pre.md, strlen(pre.md), NULL, page_store_resolve,
                                            db, NULL, NULL, why)))
        return 400;
    if (db_begin(db) != 0) {
        *why = "the database is busy; try again";
        return 503;
    }
    int rc = 0;
    const char *after[PEOPLE_FIELDS_MAX] = {0}, *name = NULL;
    json_t *changes = json_object();
    struct person *p = people_store_get(db, a, login);
    if (!p) {
        *why = arena_printf(a, "nobody has the login %s", login);
        rc = 404;
    } else if (!(rc = check_permission(a, editor, p, e, why)) &&
               !(rc = check_edit(db, a, p, e, after, &name, changes, why)) &&
               json_object_size(changes) > 0 &&
               (write_profile(db, a, p, after, name, e, &pre) != 0 ||
                add_revision(db, p->id, editor, changes) != 0 ||
                people_search_store_reindex_person(db, p->id) != 0)) {
        *why = "the profile could not be saved; try again";
        rc = 503;
    }
    json_decref(changes);
    if (rc) {
        db_rollback(db);
        return rc;
    }
    if (db_commit(db) != 0) {
        db_rollback(db);
        *why = "the profile could not be saved; try again";
        return 503;
    }
    return 0;
}

int people_store_set_photo(struct db *db, struct arena *a, const struct user *editor,
                           const char *login, const void *data, size_t len, const char *type,
                           const char **why)
{
    if (db_begin(db) != 0) {
        *why = "the database is busy; try again";
        return 503;
    }
    int photo = fi("photo"), rc = 0;
    struct person *p = people_store_get(db, a, login);
    if (!p) {
        *why = arena_printf(a, "nobody has the login %s", login);
        rc = 404;
    } else if (editor && !people_may_edit(editor, p->id)) {
        *why = "you may change only your own photo (HR and admins change anyone's)";
        rc = 403;
    } else if (editor && !people_may_edit_field(editor, p->id, p->levels[photo])) {
        *why = arena_printf(a, "%s keeps their photo private: only they may change it", p->login);
        rc = 403;
    } else {
        sqlite3_stmt *st = db_stmt(db, "UPDATE profiles SET photo = :photo, photo_type = :type, "
                                       "photo_at = :now, updated_at = :now WHERE user_id = :id");
        if (data)
            db_bind_blob(st, ":photo", data, len);
        else
            db_bind_null(st, ":photo");
        db_bind_text(st, ":type", data ? type : "");
        db_bind_int(st, ":now", (int64_t)time(NULL));
        db_bind_int(st, ":id", p->id);
        json_t *changes = json_object();
        change(changes, "photo", p->values[photo], data ? type : "", p->levels[photo]);
        if (db_run(st) != 0 || add_revision(db, p->id, editor, changes) != 0) {
            *why = "the photo could not be saved; try again";
            rc = 503;
        }
        json_decref(changes);
    }
    if (rc || db_commit(db) != 0) {
        db_rollback(db);
        if (!rc)
            *why = "the photo could not be saved; try again";
        return rc ? rc : 503;
    }
    return 0;
}

const void *people_store_photo(struct db *db, struct arena *a, const struct user *viewer,
                               const char *login, size_t *len, const char **type,
                               int64_t *photo_at)
{
    struct person *p = people_store_view(db, a, viewer, login);
    const char *t = p ? p->values[fi("photo")] : NULL;
    if (!t || !*t)
        return NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT photo FROM profiles WHERE user_id = :id AND photo IS NOT NULL");
    db_bind_int(st, ":id", p->id);
    void *data = NULL;
    if (db_step(st) == SQLITE_ROW) {
        *len = (size_t)sqlite3_column_bytes(st, 0);
        data = arena_alloc(a, *len + 1);
        memcpy(data, sqlite3_column_blob(st, 0), *len);
    }
    sqlite3_reset(st);
    *type = t;
    *photo_at = p->photo_at;
    return data;
}

static const char *day_of(struct arena *a, int64_t t)
{
    if (!t)
        return "";
    time_t tt = (time_t)t;
    struct tm tm;
    char s[16];
    gmtime_r(&tt, &tm);
    strftime(s, sizeof s, "%Y-%m-%d", &tm);
    return arena_strdup(a, s);
}

/* Returns 1 when user id is an admin who can sign in and no other such admin exists. */
static int only_admin(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT (SELECT role = 'admin' AND disabled = 0 FROM users "
                                   "WHERE id = :id) AND NOT EXISTS (SELECT 1 FROM users "
                                   "WHERE role = 'admin' AND disabled = 0 AND id <> :id)");
    db_bind_int(st, ":id", id);
    int only = db_step(st) == SQLITE_ROW && db_col_int(st, 0) == 1;
    sqlite3_reset(st);
    return only;
}

int people_store_set_left(struct db *db, struct arena *a, const struct user *editor,
                          const char *login, int left, const char **why)
{
    if (db_begin(db) != 0) {
        *why = "the database is busy; try again";
        return 503;
    }
    int rc = 0;
    int64_t now = (int64_t)time(NULL);
    struct person *p = people_store_get(db, a, login);
    if (!p) {
        *why = arena_printf(a, "nobody has the login %s", login);
        rc = 404;
    } else if (!!p->left_at == !!left) {
        *why = left ? arena_printf(a, "%s is already marked as having left", login)
                    : arena_printf(a, "%s has not left", login);
        rc = 409;
    } else if (left && only_admin(db, p->id)) {
        *why = arena_printf(a, "%s is the only admin: nobody could administer ken or reach SCIM "
                               "any more; make someone else an admin first", login);
        rc = 409;
    } else {
        sqlite3_stmt *st = db_stmt(db, "UPDATE profiles SET left_at = :at, updated_at = :now "
                                       "WHERE user_id = :id");
        if (left)
            db_bind_int(st, ":at", now);
        else
            db_bind_null(st, ":at");
        db_bind_int(st, ":now", now);
        db_bind_int(st, ":id", p->id);
        int bad = db_run(st) != 0;
        st = db_stmt(db, "UPDATE users SET disabled = :d WHERE id = :id");
        db_bind_int(st, ":d", left ? 1 : 0);
        db_bind_int(st, ":id", p->id);
        bad = bad || db_run(st) != 0;
        /* Leaving ends every session and token for good: coming back must not revive them. */
        bad = bad || (left && session_revoke_user(db, p->id) != 0);
        json_t *changes = json_object();
        change(changes, "left", day_of(a, p->left_at), left ? day_of(a, now) : "", VIS_EVERYONE);
        bad = bad || add_revision(db, p->id, editor, changes) != 0;
        json_decref(changes);
        if (bad) {
            *why = "the change could not be saved; try again";
            rc = 503;
        }
    }
    if (rc || db_commit(db) != 0) {
        db_rollback(db);
        if (!rc)
            *why = "the change could not be saved; try again";
        return rc ? rc : 503;
    }
    return 0;
}

int people_store_reindex(struct db *db, struct arena *a)
{
    if (db_begin(db) != 0)
        return -1;
    struct bio {
        int64_t id;
        const char *md;
        struct bio *next;
    } *all = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT user_id, bio FROM profiles WHERE bio <> ''");
    while (db_step(st) == SQLITE_ROW) {
        struct bio *b = arena_alloc(a, sizeof *b);
        b->id = db_col_int(st, 0);
        b->md = arena_strdup(a, db_col_text(st, 1));
        b->next = all;
        all = b;
    }
    sqlite3_reset(st);
    for (struct bio *b = all; b; b = b->next) {
        st = db_stmt(db, "UPDATE profiles SET bio_html = :html WHERE user_id = :id");
        db_bind_text(st, ":html", markdown_render(a, b->md, strlen(b->md), NULL,
                                                  page_store_resolve, db, NULL));
        db_bind_int(st, ":id", b->id);
        if (db_run(st) != 0) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db);
}

/* ---- history ---- */

/* The label and the current level of a history key; -1 as the level for a key ken does not know
 * (never shown). */
static const char *key_info(struct arena *a, const char *key, const enum visibility *levels,
                            int *level)
{
    *level = VIS_EVERYONE;
    if (strcmp(key, "name") == 0)
        return "Name";
    if (strcmp(key, "left") == 0)
        return "Left the company";
    if (strncmp(key, "visibility:", 11) == 0) {
        const struct profile_field *f = people_field(key + 11);
        *level = VIS_PRIVATE;
        return f ? arena_printf(a, "Who sees %s", f->label) : (*level = -1, key);
    }
    int i = people_field_index(key);
    if (i < 0) {
        *level = -1;
        return key;
    }
    *level = levels[i];
    return people_fields[i].label;
}

static struct profile_change *visible_changes(struct arena *a, const char *text,
                                              const struct user *viewer, int64_t subject_id,
                                              const enum visibility *levels)
{
    json_t *j = json_loads(text, 0, NULL);
    struct profile_change *head = NULL, **tail = &head;
    const char *key;
    json_t *val;
    json_object_foreach(j, key, val)
    {
        int now;
        const char *label = key_info(a, key, levels, &now);
        enum visibility then = visibility_parse(json_string_value(json_array_get(val, 2)));
        if (now < 0 || (int)then < 0 || !json_is_array(val) ||
            !people_may_see(viewer, subject_id, (enum visibility)now) ||
            !people_may_see(viewer, subject_id, then))
            continue;
        struct profile_change *c = arena_alloc(a, sizeof *c);
        c->field = arena_strdup(a, key);
        c->label = label;
        c->old = arena_strdup(a, json_string_value(json_array_get(val, 0)));
        c->new = arena_strdup(a, json_string_value(json_array_get(val, 1)));
        if (!c->old)
            c->old = "";
        if (!c->new)
            c->new = "";
        *tail = c;
        tail = &c->next;
    }
    json_decref(j);
    return head;
}

struct profile_revision *people_store_history(struct db *db, struct arena *a,
                                              const struct user *viewer, int64_t subject_id)
{
    enum visibility levels[PEOPLE_FIELDS_MAX];
    if (people_visibility_load(db, subject_id, levels) != 0)
        return NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT r.created_at, coalesce(e.login, ''), coalesce(e.name, "
                                   "''), r.changes FROM profile_revisions r LEFT JOIN users e ON "
                                   "e.id = r.editor_id WHERE r.user_id = :u "
                                   "ORDER BY r.created_at DESC, r.id DESC");
    db_bind_int(st, ":u", subject_id);
    struct profile_revision *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct profile_change *c =
            visible_changes(a, db_col_text(st, 3), viewer, subject_id, levels);
        if (!c)
            continue; /* nothing this reader may see: not even that something changed */
        struct profile_revision *rv = arena_alloc(a, sizeof *rv);
        rv->created_at = db_col_int(st, 0);
        rv->editor_login = arena_strdup(a, db_col_text(st, 1));
        rv->editor_name = arena_strdup(a, db_col_text(st, 2));
        rv->changes = c;
        *tail = rv;
        tail = &rv->next;
    }
    sqlite3_reset(st);
    return head;
}

/* ---- the directory ---- */

#define PEOPLE_FILTERS                                                                             \
    "AND (:dept = '' OR d.slug = :dept) "                                                          \
    "AND (:team = '' OR t.slug = :team) "                                                          \
    "AND (:location = '' OR p.location = :location COLLATE NOCASE) "                               \
    "AND (:language = '' OR instr(', ' || lower(p.languages) || ',', "                             \
    "', ' || lower(:language) || ',') > 0) "                                                       \
    "AND (:like = '' OR u.name LIKE :like ESCAPE '\\' OR p.title LIKE :like ESCAPE '\\') "         \
    "AND (:left = 1 OR p.left_at IS NULL) "                                                        \
    "AND (:community = '' OR EXISTS (SELECT 1 FROM community_members cm JOIN communities c ON "    \
    "c.id = cm.community_id WHERE cm.user_id = u.id AND c.slug = :community AND cm.role IN "        \
    "('owner', 'member'))) "                                                                        \
    "AND (:skill = '' OR EXISTS (SELECT 1 FROM person_skills ps JOIN skills s ON s.id = "           \
    "ps.skill_id WHERE ps.user_id = u.id AND ps.level >= :level AND (s.slug = lower(:skill) OR "    \
    "s.name = :skill COLLATE NOCASE OR s.id IN (SELECT skill_id FROM skill_aliases WHERE alias = " \
    ":skill COLLATE NOCASE)))) "

static const char *const SQL_LIST =
    "SELECT u.id, u.login, u.name, p.title, coalesce(d.slug, ''), coalesce(d.name, ''), "
    "coalesce(t.slug, ''), coalesce(t.name, ''), p.location, p.start_date, p.photo_type <> '', "
    "p.left_at IS NOT NULL, p.photo_at, "
    /* relevance for a skill: level, then endorsements of it */
    "coalesce((SELECT max(ps.level * 1000 + (SELECT count(*) FROM endorsements e WHERE "
    "e.user_id = u.id AND e.skill_id = ps.skill_id)) FROM person_skills ps JOIN skills s ON "
    "s.id = ps.skill_id WHERE ps.user_id = u.id AND :skill <> '' AND (s.slug = lower(:skill) OR "
    "s.name = :skill COLLATE NOCASE OR s.id IN (SELECT skill_id FROM skill_aliases WHERE alias = "
    ":skill COLLATE NOCASE))), 0) "
    "FROM users u JOIN profiles p ON p.user_id = u.id "
    "LEFT JOIN departments d ON d.id = p.department_id LEFT JOIN teams t ON t.id = p.team_id "
    "WHERE 1 " PEOPLE_FILTERS "ORDER BY u.name COLLATE NOCASE, u.login";

/* "%word%word%" for LIKE, with % _ and \ in the words escaped; "" for no words. */
static const char *like_pattern(struct arena *a, const char *text)
{
    struct buf b;
    buf_init(&b, 0);
    int words = 0;
    for (const char *p = text ? text : ""; *p;) {
        p += strspn(p, " \t\r\n");
        size_t n = strcspn(p, " \t\r\n");
        if (!n)
            break;
        buf_putc(&b, '%');
        for (size_t i = 0; i < n; i++) {
            if (strchr("%_\\", p[i]))
                buf_putc(&b, '\\');
            buf_putc(&b, p[i]);
        }
        words++;
        p += n;
    }
    if (words)
        buf_putc(&b, '%');
    return arena_adopt(a, buf_take(&b));
}

static void bind_filters(struct arena *a, sqlite3_stmt *st, const struct people_query *q)
{
    db_bind_text(st, ":dept", q->dept ? q->dept : "");
    db_bind_text(st, ":team", q->team ? q->team : "");
    db_bind_text(st, ":location", q->location ? q->location : "");
    db_bind_text(st, ":language", q->language ? q->language : "");
    db_bind_text(st, ":like", like_pattern(a, q->text));
    db_bind_int(st, ":left", q->include_left ? 1 : 0);
    db_bind_text(st, ":community", q->community ? q->community : "");
    db_bind_text(st, ":skill", q->skill ? q->skill : "");
    db_bind_int(st, ":level", q->min_level > 0 ? q->min_level : 1);
}

/* The fields a query reads that people may hide; returns how many (into idx). */
static int hidden_filters(const struct people_query *q, int idx[8])
{
    int n = 0;
    if (q->location && *q->location)
        idx[n++] = fi("location");
    if (q->language && *q->language)
        idx[n++] = fi("languages");
    if (q->sort == PEOPLE_SORT_START)
        idx[n++] = fi("start_date");
    return n;
}

struct card_row {
    struct person_card *c;
    int64_t id;
    int64_t rank; /* for PEOPLE_SORT_RELEVANCE, higher first */
};

static int by_rank(const void *x, const void *y)
{
    const struct card_row *a = x, *b = y;
    if (a->rank != b->rank)
        return a->rank < b->rank ? 1 : -1;
    return strcasecmp(a->c->name, b->c->name);
}

static int by_start(const void *x, const void *y)
{
    const struct person_card *a = ((const struct card_row *)x)->c, *b = ((const struct card_row *)y)->c;
    const char *sa = a->start_date ? a->start_date : "", *sb = b->start_date ? b->start_date : "";
    int c = strcmp(sb, sa); /* newest first; unknown ('' or hidden) last */
    return c ? c : strcasecmp(a->name, b->name);
}

/* Blanks what `viewer` may not see on card c; returns 0, -1 on a database error. */
static int redact_card(struct db *db, const struct user *viewer, int64_t id, struct person_card *c)
{
    int visible[PEOPLE_FIELDS_MAX];
    if (people_store_visible_fields(db, viewer, id, visible) != 0)
        return -1;
    if (!visible[fi("location")])
        c->location = NULL;
    if (!visible[fi("start_date")])
        c->start_date = NULL;
    if (!visible[fi("photo")])
        c->has_photo = 0;
    return 0;
}

struct person_card *people_store_list(struct db *db, struct arena *a, const struct user *viewer,
                                      const struct people_query *q, int *total)
{
    int hidden[8], nhidden = hidden_filters(q, hidden);
    sqlite3_stmt *st = db_stmt(db, SQL_LIST);
    bind_filters(a, st, q);
    struct card_row *rows = NULL;
    size_t n = 0, cap = 0;
    while (db_step(st) == SQLITE_ROW) {
        if (n == cap) {
            struct card_row *bigger = arena_alloc(a, sizeof *rows * (cap = cap ? cap * 2 : 64));
            if (n)
                memcpy(bigger, rows, sizeof *rows * n);
            rows = bigger;
        }
        struct person_card *c = arena_alloc(a, sizeof *c);
        rows[n].id = db_col_int(st, 0);
        c->login = arena_strdup(a, db_col_text(st, 1));
        c->name = arena_strdup(a, db_col_text(st, 2));
        c->title = arena_strdup(a, db_col_text(st, 3));
        c->dept_slug = arena_strdup(a, db_col_text(st, 4));
        c->dept_name = arena_strdup(a, db_col_text(st, 5));
        c->team_slug = arena_strdup(a, db_col_text(st, 6));
        c->team_name = arena_strdup(a, db_col_text(st, 7));
        c->location = arena_strdup(a, db_col_text(st, 8));
        c->start_date = arena_strdup(a, db_col_text(st, 9));
        c->has_photo = (int)db_col_int(st, 10);
        c->left = (int)db_col_int(st, 11);
        c->photo_at = db_col_int(st, 12);
        rows[n].rank = db_col_int(st, 13) * 2;
        if (q->text && *q->text && strncasecmp(c->name, q->text, strlen(q->text)) == 0)
            rows[n].rank += 1;
        rows[n++].c = c;
    }
    sqlite3_reset(st);
    /* Someone who hides a field never matches a filter on it, nor sorts by it. */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int visible[PEOPLE_FIELDS_MAX], ok = 1;
        if (nhidden && people_store_visible_fields(db, viewer, rows[i].id, visible) != 0)
            ok = 0;
        for (int h = 0; ok && h < nhidden; h++) {
            if (visible[hidden[h]])
                continue;
            if (hidden[h] == fi("start_date"))
                rows[i].c->start_date = NULL;
            else
                ok = 0;
        }
        if (ok)
            rows[kept++] = rows[i];
    }
    if (q->sort == PEOPLE_SORT_START && kept > 1)
        qsort(rows, kept, sizeof *rows, by_start);
    else if (q->sort == PEOPLE_SORT_RELEVANCE && kept > 1)
        qsort(rows, kept, sizeof *rows, by_rank);
    *total = (int)kept;
    struct person_card *head = NULL, **tail = &head;
    size_t first = (size_t)(q->offset > 0 ? q->offset : 0), end = first + (size_t)q->limit;
    for (size_t i = first; i < kept && i < end; i++) {
        if (redact_card(db, viewer, rows[i].id, rows[i].c) != 0)
            continue;
        *tail = rows[i].c;
        tail = &rows[i].c->next;
    }
    return head;
}

/* Adds one to the count of `value` in the sorted list *list. */
static void count_value(struct arena *a, struct people_value **list, const char *value)
{
    struct people_value **at = list;
    while (*at && strcasecmp((*at)->value, value) < 0)
        at = &(*at)->next;
    if (*at && strcasecmp((*at)->value, value) == 0) {
        (*at)->count++;
        return;
    }
    struct people_value *v = arena_alloc(a, sizeof *v);
    v->value = arena_strdup(a, value);
    v->count = 1;
    v->next = *at;
    *at = v;
}

void people_store_filter_values(struct db *db, struct arena *a, const struct user *viewer,
                                struct people_value **locations, struct people_value **languages)
{
    *locations = *languages = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT user_id, location, languages FROM profiles WHERE "
                                   "left_at IS NULL AND (location <> '' OR languages <> '')");
    struct row {
        int64_t id;
        const char *location, *languages;
        struct row *next;
    } *rows = NULL;
    while (db_step(st) == SQLITE_ROW) {
        struct row *r = arena_alloc(a, sizeof *r);
        r->id = db_col_int(st, 0);
        r->location = arena_strdup(a, db_col_text(st, 1));
        r->languages = arena_strdup(a, db_col_text(st, 2));
        r->next = rows;
        rows = r;
    }
    sqlite3_reset(st);
    int loc = fi("location"), lang = fi("languages");
    for (struct row *r = rows; r; r = r->next) {
        int visible[PEOPLE_FIELDS_MAX];
        if (people_store_visible_fields(db, viewer, r->id, visible) != 0)
            continue;
        if (visible[loc] && *r->location)
            count_value(a, locations, r->location);
        for (const char *p = visible[lang] ? r->languages : ""; *p;) {
            size_t n = strcspn(p, ",");
            char *item = trim(a, p, n);
            if (*item)
                count_value(a, languages, item);
            p += n + (p[n] ? 1 : 0);
        }
    }
}
