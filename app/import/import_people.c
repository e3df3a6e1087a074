#include "import/import_people.h"
#include "core/buf.h"
#include "people/hr_store.h"
#include "people/org_store.h"
#include "people/people_store.h"
#include "accounts/user_store.h"
#include "wiki/wikipath.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

enum { FILE_MAX = 64 << 20 };

/* ---- a small string map (logins) ---- */

struct map {
    const char **keys, **values;
    int *lines;
    size_t cap;
};

static void map_init(struct arena *a, struct map *m, size_t n)
{
    for (m->cap = 64; m->cap < n * 2 + 2; m->cap *= 2)
        ;
    m->keys = arena_alloc(a, sizeof *m->keys * m->cap);
    m->values = arena_alloc(a, sizeof *m->values * m->cap);
    m->lines = arena_alloc(a, sizeof *m->lines * m->cap);
}

static size_t map_slot(const struct map *m, const char *key)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    size_t i = h & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* Returns the value for key, or NULL; *line (when not NULL) gets the line it came from. */
static const char *map_get(const struct map *m, const char *key, int *line)
{
    size_t i = map_slot(m, key);
    if (line)
        *line = m->keys[i] ? m->lines[i] : 0;
    return m->keys[i] ? m->values[i] : NULL;
}

/* Adds key (kept when present already). The map never holds more keys than map_init allowed. */
static void map_put(struct map *m, const char *key, const char *value, int line)
{
    size_t i = map_slot(m, key);
    if (m->keys[i])
        return;
    m->keys[i] = key;
    m->values[i] = value;
    m->lines[i] = line;
}

/* ---- importing ---- */

enum row_status { ROW_FAILED, ROW_CREATED, ROW_UPDATED, ROW_SKIPPED };

struct row_state {
    struct import_row *row;
    const char *v[IMPORT_COLUMNS]; /* trimmed; NULL for a column the file does not have */
    const char *login;             /* the account the row is about */
    enum row_status status;
};

struct run {
    struct db *db;
    struct arena *a;
    const struct import_people_options *o;
    FILE *out, *log;
    int tty, new_accounts;
    struct import_people_stats *stats;
    struct timespec start;
    struct map accounts; /* a login in the file -> the account it is */
    struct map seen;     /* accounts the file names, for --mark-missing-as-left */
};

static double elapsed(const struct run *r)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - r->start.tv_sec) + (double)(now.tv_nsec - r->start.tv_nsec) / 1e9;
}

static void progress(struct run *r, long done, int last)
{
    if (!last && done % (r->tty ? 100 : 1000) != 0)
        return;
    double t = elapsed(r);
    fprintf(r->log, r->tty ? "\r%ld rows, %.0f/s   " : "%ld rows, %.0f/s\n", done,
            t > 0 ? (double)done / t : 0.0);
    if (last && r->tty)
        fputc('\n', r->log);
    fflush(r->log);
}

static char *trim(struct arena *a, const char *s)
{
    while (*s && strchr(" \t\r\n", *s))
        s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    return arena_strndup(a, s, n);
}

static char *lower(char *s)
{
    for (char *c = s; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return s;
}

/* Returns 1 when the row has a non-empty value in column c. */
static int has(const struct row_state *s, enum import_column c)
{
    return s->v[c] && *s->v[c];
}

static const char *shown(const char *v)
{
    return v && *v ? v : "(none)";
}

static void refuse(struct run *r, struct row_state *s, const char *why)
{
    s->status = ROW_FAILED;
    fprintf(r->out, "%sline %d: %s%s%s\n", r->tty ? "\r" : "", s->row->line,
            s->login ? s->login : "", s->login ? ": " : "", why);
}

/* Returns the slug of the department `text` names (by slug or name, any case), creating it
 * when there is none (*created 1); NULL with *why. */
static const char *department_slug(struct run *r, const char *text, int *created,
                                   const char **why)
{
    struct org_unit *d = org_store_department(r->db, r->a, text);
    if (!d)
        d = org_store_department(r->db, r->a, wikipath_slug(r->a, text));
    if (!d && (d = org_store_ensure_department(r->db, r->a, text, why)))
        *created = 1;
    return d ? d->slug : NULL;
}

/* The same for team `text` of department `dept_slug`. */
static const char *team_slug(struct run *r, const char *dept_slug, const char *text, int *created,
                             const char **why)
{
    struct org_unit *d = org_store_department(r->db, r->a, dept_slug);
    if (!d) {
        *why = "the team's department is missing";
        return NULL;
    }
    const char *slug = wikipath_slug(r->a, text);
    for (struct org_unit *t = org_store_teams(r->db, r->a, d->id); t; t = t->next)
        if (strcasecmp(t->name, text) == 0 || strcmp(t->slug, text) == 0 ||
            strcmp(t->slug, slug) == 0)
            return t->slug;
    struct org_unit *t = org_store_ensure_team(r->db, r->a, d->id, text, why);
    if (t)
        *created = 1;
    return t ? t->slug : NULL;
}

/* Fills e from the row's organisation and contact columns. Returns NULL or why not. */
static const char *edit_from_row(struct run *r, struct row_state *s, const struct person *before,
                                 struct people_edit *e, int *new_dept, int *new_team)
{
    static const struct {
        enum import_column col;
        const char *field;
    } plain[] = {{IMPORT_TITLE, "title"},       {IMPORT_LOCATION, "location"},
                 {IMPORT_TIMEZONE, "timezone"}, {IMPORT_START_DATE, "start_date"},
                 {IMPORT_EMAIL, "email"}};
    const char *why = NULL;
    if (has(s, IMPORT_NAME))
        e->name = s->v[IMPORT_NAME];
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (has(s, plain[i].col))
            e->values[people_field_index(plain[i].field)] = s->v[plain[i].col];
    const char *dept = before ? before->values[people_field_index("department")] : "";
    if (has(s, IMPORT_DEPARTMENT)) {
        if (!(dept = department_slug(r, s->v[IMPORT_DEPARTMENT], new_dept, &why)))
            return arena_printf(r->a, "department %s: %s", s->v[IMPORT_DEPARTMENT], why);
        e->values[people_field_index("department")] = dept;
    }
    if (has(s, IMPORT_TEAM)) {
        if (!*dept)
            return arena_printf(r->a, "team %s: a team needs a department, and %s has none",
                                s->v[IMPORT_TEAM], s->login);
        const char *team = team_slug(r, dept, s->v[IMPORT_TEAM], new_team, &why);
        if (!team)
            return arena_printf(r->a, "team %s: %s", s->v[IMPORT_TEAM], why);
        e->values[people_field_index("team")] = team;
    }
    return NULL;
}

/* Prints what changed between before and after, one line each; returns how many. */
static int print_changes(struct run *r, const struct row_state *s, const struct person *before,
                         const struct person *after, int new_dept, int new_team)
{
    static const char *const fields[] = {"title", "department", "team", "location", "timezone",
                                         "start_date", "email"};
    const char *verb = r->o->dry_run ? "would update" : "updated";
    int n = 0;
    if (strcmp(before->name, after->name) != 0) {
        fprintf(r->out, "line %d: %s: %s name: %s -> %s\n", s->row->line, s->login, verb,
                before->name, after->name);
        n++;
    }
    for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
        int i = people_field_index(fields[k]);
        if (strcmp(before->values[i], after->values[i]) == 0)
            continue;
        const char *old = before->values[i], *new = after->values[i], *note = "";
        if (strcmp(fields[k], "department") == 0) {
            old = before->department_name;
            new = after->department_name;
            note = new_dept ? " (a new department)" : "";
        } else if (strcmp(fields[k], "team") == 0) {
            old = before->team_name;
            new = after->team_name;
            note = new_team ? " (a new team)" : "";
        }
        fprintf(r->out, "line %d: %s: %s %s: %s -> %s%s\n", s->row->line, s->login, verb,
                fields[k], shown(old), shown(new), note);
        n++;
    }
    return n;
}

/* Applies the row's role to an existing account. Returns 1 when it changed, 0, or -1. */
static int apply_role(struct run *r, struct row_state *s, const struct person *p, enum role role)
{
    if (!role || role == p->role)
        return 0;
    if (role == ROLE_ADMIN || p->role == ROLE_ADMIN) {
        fprintf(r->out, "line %d: %s: role stays %s: an import never gives or takes the admin "
                        "role (an admin does that)\n",
                s->row->line, s->login, user_role_name(p->role));
        return 0;
    }
    if (hr_store_set_role(r->db, p->id, role) != 0)
        return -1;
    fprintf(r->out, "line %d: %s: %s role: %s -> %s\n", s->row->line, s->login,
            r->o->dry_run ? "would update" : "updated", user_role_name(p->role),
            user_role_name(role));
    return 1;
}

/* The first pass over one row: the account and everything but the manager, in one savepoint. */
static void import_row(struct run *r, struct row_state *s)
{
    struct import_row *row = s->row;
    for (int c = 0; c < IMPORT_COLUMNS; c++)
        s->v[c] = row->values[c] ? trim(r->a, row->values[c]) : NULL;
    char *login = has(s, IMPORT_LOGIN) ? lower(arena_strdup(r->a, s->v[IMPORT_LOGIN])) : NULL;
    if (login)
        map_put(&r->seen, login, login, row->line);
    if (row->error)
        return refuse(r, s, row->error);
    if (!login)
        return refuse(r, s, "no login: every row needs one (it is how ken and the manager "
                            "column name people)");
    const char *why = user_login_check(login);
    if (why)
        return refuse(r, s, arena_printf(r->a, "the login %s cannot be used: %s", login, why));
    s->login = login;
    enum role role = has(s, IMPORT_ROLE) ? user_role_parse(lower(arena_strdup(r->a,
                                                                              s->v[IMPORT_ROLE])))
                                         : 0;
    if (has(s, IMPORT_ROLE) && !role)
        return refuse(r, s, arena_printf(r->a, "role is viewer, editor, hr or admin, not %s",
                                         s->v[IMPORT_ROLE]));
    /* Which account: the login, else whoever has the email. */
    struct person *before = people_store_get(r->db, r->a, login);
    if (!before && has(s, IMPORT_EMAIL)) {
        const char *other = hr_store_login_by_email(r->db, r->a, s->v[IMPORT_EMAIL]);
        if (other && (before = people_store_get(r->db, r->a, other))) {
            fprintf(r->out, "line %d: %s is %s (the same email)\n", row->line, login, other);
            s->login = other;
        }
    }
    int first_line = 0;
    if (map_get(&r->accounts, login, &first_line) || map_get(&r->accounts, s->login, &first_line))
        return refuse(r, s, arena_printf(r->a, "appears again (first on line %d); this row is "
                                               "skipped", first_line));
    map_put(&r->accounts, login, s->login, row->line);
    map_put(&r->accounts, s->login, s->login, row->line);
    map_put(&r->seen, s->login, s->login, row->line);
    if (before && before->left_at)
        fprintf(r->out, "line %d: %s: note: marked as having left in ken; the import updates the "
                        "profile but does not bring them back (HR does that on the profile)\n",
                row->line, s->login);
    if (db_begin(r->db) != 0)
        return refuse(r, s, "the database is busy");
    if (!before) {
        if (!has(s, IMPORT_NAME)) {
            db_rollback(r->db);
            return refuse(r, s, "a new person needs a name");
        }
        if (role == ROLE_ADMIN) {
            fprintf(r->out, "line %d: %s: made an editor, not an admin: an import never gives "
                            "the admin role\n", row->line, login);
            role = ROLE_EDITOR;
        }
        if (user_store_add(r->db, r->a, login, s->v[IMPORT_NAME], role ? role : ROLE_EDITOR, NULL,
                           &why) < 0) {
            db_rollback(r->db);
            return refuse(r, s, why);
        }
    }
    struct person *base = before ? before : people_store_get(r->db, r->a, login);
    struct people_edit e;
    people_edit_init(&e);
    int new_dept = 0, new_team = 0, roled = 0;
    if (!(why = edit_from_row(r, s, base, &e, &new_dept, &new_team)) &&
        people_store_save(r->db, r->a, NULL, s->login, &e, &why) == 0 && before &&
        (roled = apply_role(r, s, before, role)) < 0)
        why = "the role could not be saved";
    if (why) {
        db_rollback(r->db);
        return refuse(r, s, why);
    }
    if (db_commit(r->db) != 0) {
        db_rollback(r->db);
        return refuse(r, s, "the row could not be saved");
    }
    struct person *after = people_store_get(r->db, r->a, s->login);
    if (!before) {
        s->status = ROW_CREATED;
        r->new_accounts++;
        fprintf(r->out, "line %d: %s %s (%s)%s%s%s%s\n", row->line,
                r->o->dry_run ? "would create" : "created", login,
                after ? after->name : s->v[IMPORT_NAME], new_dept ? "; a new department: " : "",
                new_dept ? after->department_name : "", new_team ? "; a new team: " : "",
                new_team ? after->team_name : "");
        return;
    }
    int changed = after ? print_changes(r, s, before, after, new_dept, new_team) : 0;
    s->status = changed + roled ? ROW_UPDATED : ROW_SKIPPED;
}

/* Returns the account the manager column names: a login or email in the file, else in ken. */
static const char *manager_account(struct run *r, const char *text)
{
    char *m = lower(arena_strdup(r->a, text));
    const char *account = map_get(&r->accounts, m, NULL);
    if (account)
        return account;
    if (!user_login_check(m) && people_store_get(r->db, r->a, m))
        return m;
    return strchr(m, '@') ? hr_store_login_by_email(r->db, r->a, m) : NULL;
}

/* The second pass over one row, once everyone exists: its manager. */
static void import_manager(struct run *r, struct row_state *s)
{
    if (s->status == ROW_FAILED || !has(s, IMPORT_MANAGER))
        return;
    const char *mgr = manager_account(r, s->v[IMPORT_MANAGER]), *why = NULL;
    const char *rest = s->status == ROW_CREATED || s->status == ROW_UPDATED
                           ? (r->o->dry_run ? " (the rest of the row would be saved)"
                                            : " (the rest of the row was saved)")
                           : "";
    if (!mgr)
        return refuse(r, s, arena_printf(r->a, "manager not set: nobody in the file or in ken "
                                               "has the login %s%s", s->v[IMPORT_MANAGER], rest));
    struct person *p = people_store_get(r->db, r->a, s->login);
    const char *old = p ? p->values[people_field_index("manager")] : "";
    if (!p || strcmp(old, mgr) == 0)
        return;
    struct people_edit e;
    people_edit_init(&e);
    e.values[people_field_index("manager")] = mgr;
    if (people_store_save(r->db, r->a, NULL, s->login, &e, &why) != 0)
        return refuse(r, s, arena_printf(r->a, "manager not set: %s%s", why, rest));
    if (s->status == ROW_CREATED)
        fprintf(r->out, "line %d: %s: %s manager: %s\n", s->row->line, s->login,
                r->o->dry_run ? "would set" : "set", mgr);
    else
        fprintf(r->out, "line %d: %s: %s manager: %s -> %s\n", s->row->line, s->login,
                r->o->dry_run ? "would update" : "updated", shown(old), mgr);
    if (s->status == ROW_SKIPPED)
        s->status = ROW_UPDATED;
}

/* Marks everyone the file does not name as having left, except admins. */
static void mark_missing(struct run *r)
{
    for (struct hr_account *h = hr_store_current(r->db, r->a); h; h = h->next) {
        if (map_get(&r->seen, h->login, NULL))
            continue;
        if (h->role == ROLE_ADMIN) {
            fprintf(r->out, "%s: not in the file, but an admin: admins are never marked as having "
                            "left by an import\n", h->login);
            continue;
        }
        const char *why = NULL;
        if (people_store_set_left(r->db, r->a, NULL, h->login, 1, &why) != 0) {
            fprintf(r->out, "%s: could not be marked as having left: %s\n", h->login, why);
            r->stats->failed++;
            continue;
        }
        r->stats->marked_left++;
        fprintf(r->out, "%s: %s (not in the file)\n", h->login,
                r->o->dry_run ? "would be marked as having left" : "marked as having left");
    }
}

/* Reads the whole file into a (at most FILE_MAX bytes). NULL with *why. */
static char *read_file(struct arena *a, const char *path, size_t *len, const char **why)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0) {
        *why = arena_printf(a, "cannot read %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return NULL;
    }
    if (sb.st_size > FILE_MAX) {
        fclose(f);
        *why = arena_printf(a, "%s is larger than 64 MiB; split it", path);
        return NULL;
    }
    char *text = arena_alloc(a, (size_t)sb.st_size + 1);
    *len = fread(text, 1, (size_t)sb.st_size, f);
    fclose(f);
    text[*len] = 0;
    return text;
}

static void summary(struct run *r)
{
    struct import_people_stats *st = r->stats;
    fprintf(r->out, "%screated %ld, updated %ld, skipped %ld (unchanged), failed %ld",
            r->o->dry_run ? "dry run, nothing was changed; it would have: " : "", st->created,
            st->updated, st->skipped, st->failed);
    if (r->o->mark_missing_as_left)
        fprintf(r->out, ", marked as having left %ld", st->marked_left);
    fprintf(r->out, ", in %.1f s\n", elapsed(r));
    if (r->new_accounts)
        fprintf(r->out, "New accounts have no password: they sign in through single sign-on, or "
                        "an admin sets one.\n");
}

int import_people(struct db *db, const char *path, const struct import_people_options *o,
                  FILE *out, FILE *log, int is_tty, struct import_people_stats *stats)
{
    struct arena *a = arena_new();
    const char *why = NULL;
    size_t len = 0;
    char *text = read_file(a, path, &len, &why);
    struct import_row *rows = text ? import_people_parse(a, text, len, &why) : NULL;
    if (why) {
        fprintf(log, "ken: %s\n", why);
        arena_free(a);
        return -1;
    }
    memset(stats, 0, sizeof *stats);
    size_t n = 0;
    for (struct import_row *row = rows; row; row = row->next)
        n++;
    struct run r = {.db = db, .a = a, .o = o, .out = out, .log = log, .tty = is_tty,
                    .stats = stats};
    clock_gettime(CLOCK_MONOTONIC, &r.start);
    map_init(a, &r.accounts, n * 2);
    map_init(a, &r.seen, n * 2);
    struct row_state *states = arena_alloc(a, sizeof *states * (n + 1));
    /* One transaction for the run (a savepoint per row, so a bad row costs only itself); a dry
     * run rolls it all back at the end. */
    if (db_begin(db) != 0) {
        fprintf(log, "ken: the database is busy; try again\n");
        arena_free(a);
        return -1;
    }
    size_t i = 0;
    for (struct import_row *row = rows; row; row = row->next, i++) {
        states[i].row = row;
        import_row(&r, &states[i]);
        progress(&r, (long)i + 1, 0);
    }
    for (i = 0; i < n; i++)
        import_manager(&r, &states[i]);
    for (i = 0; i < n; i++) {
        enum row_status st = states[i].status;
        stats->created += st == ROW_CREATED;
        stats->updated += st == ROW_UPDATED;
        stats->skipped += st == ROW_SKIPPED;
        stats->failed += st == ROW_FAILED;
    }
    if (o->mark_missing_as_left && stats->created + stats->updated + stats->skipped == 0)
        fprintf(out, "no row of the file was imported, so nobody was marked as having left (an "
                     "empty or unreadable export must not mark everyone)\n");
    else if (o->mark_missing_as_left)
        mark_missing(&r);
    int rc = 0;
    if (o->dry_run) {
        db_rollback(db);
    } else if (db_commit(db) != 0) {
        db_rollback(db);
        fprintf(log, "ken: the import could not be saved (%s); nothing was changed\n",
                db_errmsg(db));
        rc = -1;
    }
    if (n >= 1000 || is_tty)
        progress(&r, (long)n, 1);
    summary(&r);
    arena_free(a);
    return rc;
}
