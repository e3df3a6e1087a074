#include "people/hr_store.h"
#include "people/people_store.h"
#include "people/skill_store.h"

#include <string.h>
#include <strings.h>

int hr_query_any(const struct hr_query *q)
{
    return (q->skill && *q->skill) || (q->want && *q->want) || (q->dept && *q->dept) ||
           q->open_only || (q->mentoring && *q->mentoring);
}

/* Returns the skill `text` names: a slug first, then a name or alias. */
static struct skill *find_skill(struct db *db, struct arena *a, const char *text)
{
    if (!text || !*text)
        return NULL;
    struct skill *s = skill_store_get(db, a, text);
    return s ? s : skill_store_resolve(db, a, text);
}

/* Returns 1 when the comma-separated list `csv` names skill `want` (as typed, or the skill it
 * resolves to, `ws`, by its name or any alias). */
static int list_names(struct db *db, struct arena *a, const char *csv, const char *want,
                      const struct skill *ws)
{
    for (const char *p = csv; *p;) {
        size_t n = strcspn(p, ",");
        const char *s = p, *e = p + n;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        char *item = arena_strndup(a, s, (size_t)(e - s));
        if (*item) {
            if (strcasecmp(item, want) == 0 || (ws && strcasecmp(item, ws->name) == 0))
                return 1;
            struct skill *is = ws ? skill_store_resolve(db, a, item) : NULL;
            if (is && is->id == ws->id)
                return 1;
        }
        p += n + (p[n] ? 1 : 0);
    }
    return 0;
}

/* Returns the category `text` names (any case) as stored, in a, or NULL when no skill has it. */
static const char *find_category(struct db *db, struct arena *a, const char *text)
{
    if (!text || !*text)
        return NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT category FROM skills "
                                   "WHERE category = :category COLLATE NOCASE "
                                   "AND category <> '' "
                                   "LIMIT 1");
    db_bind_text(st, ":category", text);
    const char *c = db_one_text(st, a);
    return c;
}

/* Fills the career fields and e-mail of h from the stored values, keeping only what `viewer` may
 * see. Returns 0, or -1 when visibility could not be read (then h shows none of them). */
static int career_fields(struct db *db, struct arena *a, const struct user *viewer,
                         struct hr_person *h, const char *open, const char *want,
                         const char *mentoring, const char *email, int visible[PEOPLE_FIELDS_MAX])
{
    int rc = people_store_visible_fields(db, viewer, h->id, visible);
    h->email = visible[people_field_index("email")] && email && *email ? arena_strdup(a, email)
                                                                       : NULL;
    h->open_to_roles = visible[people_field_index("open_to_roles")] ? arena_strdup(a, open) : NULL;
    h->want_skills = visible[people_field_index("want_skills")] ? arena_strdup(a, want) : NULL;
    h->mentoring = visible[people_field_index("mentoring")] ? arena_strdup(a, mentoring) : NULL;
    return rc;
}

/* k: each person's skills that match (the one skill, or those of the category) at the level. */
static const char *const SQL_SEARCH =
    "SELECT u.id, u.login, u.name, p.title, coalesce(d.slug, ''), coalesce(d.name, ''), "
    "coalesce(t.name, ''), coalesce(k.level, 0), p.open_to_roles, p.want_skills, p.mentoring, "
    "coalesce(k.names, ''), p.email "
    "FROM users u JOIN profiles p ON p.user_id = u.id "
    "LEFT JOIN departments d ON d.id = p.department_id LEFT JOIN teams t ON t.id = p.team_id "
    "LEFT JOIN (SELECT ps.user_id, max(ps.level) AS level, group_concat(s.name, ', ') AS names "
    " FROM (SELECT ps.user_id, ps.level, ps.skill_id FROM person_skills ps "
    "  JOIN skills s ON s.id = ps.skill_id "
    "  WHERE ps.level >= :level AND (ps.skill_id = :skill OR (:category <> '' "
    "  AND s.category = :category)) "
    "  ORDER BY ps.level DESC, s.name COLLATE NOCASE) ps "
    " JOIN skills s ON s.id = ps.skill_id "
    " GROUP BY ps.user_id) k ON k.user_id = u.id "
    "WHERE p.left_at IS NULL AND ((:skill = 0 AND :category = '') OR k.user_id IS NOT NULL) "
    "AND (:dept = '' OR (coalesce(d.slug, '') = :dept) <> :dept_not) "
    "AND (:want = 0 OR p.want_skills <> '') "
    "AND (:open = 0 OR p.open_to_roles <> '') "
    "AND (:mentoring = '' OR p.mentoring = :mentoring OR p.mentoring = 'both') "
    "ORDER BY coalesce(k.level, 0) DESC, u.name COLLATE NOCASE, u.login";

struct hr_person *hr_store_search(struct db *db, struct arena *a, const struct user *viewer,
                                  const struct hr_query *q, int *unknown_skill)
{
    *unknown_skill = 0;
    if (!hr_query_any(q))
        return NULL;
    struct skill *s = find_skill(db, a, q->skill), *ws = NULL;
    const char *category = s ? NULL : find_category(db, a, q->skill);
    if (q->skill && *q->skill && !s && !category) {
        *unknown_skill = 1;
        return NULL;
    }
    int want = q->want && *q->want;
    if (want)
        ws = find_skill(db, a, q->want);
    sqlite3_stmt *st = db_stmt(db, SQL_SEARCH);
    db_bind_int(st, ":skill", s ? s->id : 0);
    db_bind_text(st, ":category", category ? category : "");
    db_bind_int(st, ":level", q->min_level > 0 ? q->min_level : 1);
    db_bind_text(st, ":dept", q->dept ? q->dept : "");
    db_bind_int(st, ":dept_not", q->dept_not ? 1 : 0);
    db_bind_int(st, ":want", want);
    db_bind_int(st, ":open", q->open_only ? 1 : 0);
    db_bind_text(st, ":mentoring", q->mentoring ? q->mentoring : "");
    struct raw {
        struct hr_person *h;
        const char *open, *want, *mentoring, *email;
        struct raw *next;
    } *rows = NULL, **rtail = &rows;
    while (db_step(st) == SQLITE_ROW) {
        struct raw *r = arena_alloc(a, sizeof *r);
        struct hr_person *h = r->h = arena_alloc(a, sizeof *h);
        h->id = db_col_int(st, 0);
        h->login = arena_strdup(a, db_col_text(st, 1));
        h->name = arena_strdup(a, db_col_text(st, 2));
        h->title = arena_strdup(a, db_col_text(st, 3));
        h->dept_slug = arena_strdup(a, db_col_text(st, 4));
        h->dept_name = arena_strdup(a, db_col_text(st, 5));
        h->team_name = arena_strdup(a, db_col_text(st, 6));
        h->level = (int)db_col_int(st, 7);
        h->skill_name = s ? s->name : category ? arena_strdup(a, db_col_text(st, 11)) : NULL;
        h->skill_slug = s ? s->slug : NULL;
        h->category = s ? s->category : category ? category : "";
        r->open = arena_strdup(a, db_col_text(st, 8));
        r->want = arena_strdup(a, db_col_text(st, 9));
        r->mentoring = arena_strdup(a, db_col_text(st, 10));
        r->email = arena_strdup(a, db_col_text(st, 12));
        *rtail = r;
        rtail = &r->next;
    }
    sqlite3_reset(st);
    /* The SQL read fields the person may hide; a field the viewer may not see never matches. */
    struct hr_person *head = NULL, **tail = &head;
    for (struct raw *r = rows; r; r = r->next) {
        int visible[PEOPLE_FIELDS_MAX];
        if (career_fields(db, a, viewer, r->h, r->open, r->want, r->mentoring, r->email,
                          visible) != 0)
            continue;
        if ((want && (!r->h->want_skills || !list_names(db, a, r->h->want_skills, q->want, ws))) ||
            (q->open_only && !r->h->open_to_roles) ||
            (q->mentoring && *q->mentoring && !r->h->mentoring))
            continue;
        *tail = r->h;
        tail = &r->h->next;
    }
    return head;
}

/* People per department and per team, and per department and team and skill the people who hold
 * it (any level). */
#define SHARES                                                                                     \
    "WITH members AS (SELECT department_id AS dept, count(*) AS n FROM profiles "                  \
    " WHERE left_at IS NULL AND department_id IS NOT NULL GROUP BY department_id), "               \
    "held AS (SELECT p.department_id AS dept, ps.skill_id AS skill, count(*) AS k "                \
    " FROM person_skills ps JOIN profiles p ON p.user_id = ps.user_id "                            \
    " WHERE p.left_at IS NULL AND p.department_id IS NOT NULL "                                    \
    " GROUP BY p.department_id, ps.skill_id), "                                                    \
    "team_members AS (SELECT team_id AS team, count(*) AS n FROM profiles "                        \
    " WHERE left_at IS NULL AND team_id IS NOT NULL GROUP BY team_id), "                           \
    "team_held AS (SELECT p.team_id AS team, ps.skill_id AS skill, count(*) AS k "                 \
    " FROM person_skills ps JOIN profiles p ON p.user_id = ps.user_id "                            \
    " WHERE p.left_at IS NULL AND p.team_id IS NOT NULL GROUP BY p.team_id, ps.skill_id) "

/* A skill is usual in a department that HR_USUAL_PERCENT of its people hold. A team is a
 * department in small: a skill at least two of a team's people hold, and HR_USUAL_PERCENT of
 * them, is usual there too, so a platform team's Kubernetes is no one's hidden talent. Where else
 * the skill is usual (held by two or more, so that one person is no group) says who might need
 * the talent. */
static const char *const SQL_TALENT =
    SHARES
    "SELECT s.name, s.slug, s.category, u.id, u.login, u.name, p.title, d.slug, d.name, "
    "coalesce(t.name, ''), ps.level, h.k, m.n, p.open_to_roles, p.want_skills, p.mentoring, "
    /* 16: where the skill is usual: departments, and teams of other departments */
    "coalesce((SELECT group_concat(place, ', ') FROM ("
    " SELECT d2.name AS place FROM held h2 JOIN members m2 ON m2.dept = h2.dept "
    "  JOIN departments d2 ON d2.id = h2.dept "
    "  WHERE h2.skill = ps.skill_id AND h2.k >= 2 AND h2.k * 100 >= m2.n * :percent "
    " UNION SELECT t2.name || ' (' || d3.name || ')' FROM team_held th2 "
    "  JOIN team_members tm2 ON tm2.team = th2.team JOIN teams t2 ON t2.id = th2.team "
    "  JOIN departments d3 ON d3.id = t2.department_id "
    "  WHERE th2.skill = ps.skill_id AND th2.k >= 2 AND th2.k * 100 >= tm2.n * :percent "
    "  AND t2.department_id NOT IN (SELECT h3.dept FROM held h3 JOIN members m3 ON m3.dept = "
    "  h3.dept WHERE h3.skill = ps.skill_id AND h3.k >= 2 AND h3.k * 100 >= m3.n * :percent) "
    " ORDER BY 1)), ''), "
    "p.email "
    "FROM person_skills ps JOIN profiles p ON p.user_id = ps.user_id "
    "JOIN users u ON u.id = ps.user_id JOIN skills s ON s.id = ps.skill_id "
    "JOIN departments d ON d.id = p.department_id LEFT JOIN teams t ON t.id = p.team_id "
    "JOIN members m ON m.dept = p.department_id "
    "JOIN held h ON h.dept = p.department_id AND h.skill = ps.skill_id "
    "WHERE p.left_at IS NULL AND ps.level >= 2 AND h.k * 100 < m.n * :percent "
    "AND NOT EXISTS (SELECT 1 FROM team_held th JOIN team_members tm ON tm.team = th.team "
    " WHERE th.team = p.team_id AND th.skill = ps.skill_id AND th.k >= 2 "
    " AND th.k * 100 >= tm.n * :percent) "
    "ORDER BY s.name COLLATE NOCASE, s.id, ps.level DESC, u.name COLLATE NOCASE, u.login";

/* Returns 1 when person h (with skill `skill` of category `category`) passes the narrowing of
 * q, whose skill resolved to s (or to the category `cat`) and wanted skill to ws. */
static int talent_matches(struct db *db, struct arena *a, const struct hr_query *q,
                          const struct skill *s, const char *cat, const struct skill *ws,
                          const struct hr_talent *t, const struct hr_person *h)
{
    if (s && strcmp(s->slug, t->skill_slug) != 0)
        return 0;
    if (cat && strcasecmp(cat, t->category) != 0)
        return 0;
    if (h->level < q->min_level)
        return 0;
    if (q->dept && *q->dept && (strcmp(q->dept, h->dept_slug) == 0) == !!q->dept_not)
        return 0;
    if ((q->open_only && !h->open_to_roles) || (q->mentoring && *q->mentoring &&
        (!h->mentoring || (strcmp(h->mentoring, q->mentoring) != 0 &&
                           strcmp(h->mentoring, "both") != 0))))
        return 0;
    if (q->want && *q->want && (!h->want_skills || !list_names(db, a, h->want_skills, q->want, ws)))
        return 0;
    return 1;
}

/* Keeps the people of each skill of `list` that q lets through, and the skills left with any. */
static struct hr_talent *talent_narrow(struct db *db, struct arena *a, struct hr_talent *list,
                                       const struct hr_query *q, int *unknown_skill)
{
    struct skill *s = find_skill(db, a, q->skill);
    const char *cat = s ? NULL : find_category(db, a, q->skill);
    if (q->skill && *q->skill && !s && !cat) {
        *unknown_skill = 1;
        return NULL;
    }
    struct skill *ws = q->want && *q->want ? find_skill(db, a, q->want) : NULL;
    struct hr_talent *head = NULL, **tail = &head;
    for (struct hr_talent *t = list; t; t = t->next) {
        struct hr_person *kept = NULL, **ptail = &kept;
        for (struct hr_person *h = t->people; h; h = h->next)
            if (talent_matches(db, a, q, s, cat, ws, t, h)) {
                *ptail = h;
                ptail = &h->next;
            }
        *ptail = NULL;
        t->people = kept;
        if (kept) {
            *tail = t;
            tail = &t->next;
        }
    }
    *tail = NULL;
    return head;
}

struct hr_talent *hr_store_hidden_talent(struct db *db, struct arena *a,
                                         const struct user *viewer, const struct hr_query *q,
                                         int *unknown_skill)
{
    *unknown_skill = 0;
    sqlite3_stmt *st = db_stmt(db, SQL_TALENT);
    db_bind_int(st, ":percent", HR_USUAL_PERCENT);
    struct hr_talent *head = NULL, **tail = &head, *cur = NULL;
    struct hr_person **ptail = NULL;
    struct raw {
        struct hr_person *h;
        const char *open, *want, *mentoring, *email;
        struct raw *next;
    } *rows = NULL;
    while (db_step(st) == SQLITE_ROW) {
        const char *slug = db_col_text(st, 1);
        if (!cur || strcmp(cur->skill_slug, slug) != 0) {
            cur = arena_alloc(a, sizeof *cur);
            cur->skill_name = arena_strdup(a, db_col_text(st, 0));
            cur->skill_slug = arena_strdup(a, slug);
            cur->category = arena_strdup(a, db_col_text(st, 2));
            cur->usual_in = arena_strdup(a, db_col_text(st, 16));
            *tail = cur;
            tail = &cur->next;
            ptail = &cur->people;
        }
        struct hr_person *h = arena_alloc(a, sizeof *h);
        h->skill_name = cur->skill_name;
        h->skill_slug = cur->skill_slug;
        h->category = cur->category;
        h->id = db_col_int(st, 3);
        h->login = arena_strdup(a, db_col_text(st, 4));
        h->name = arena_strdup(a, db_col_text(st, 5));
        h->title = arena_strdup(a, db_col_text(st, 6));
        h->dept_slug = arena_strdup(a, db_col_text(st, 7));
        h->dept_name = arena_strdup(a, db_col_text(st, 8));
        h->team_name = arena_strdup(a, db_col_text(st, 9));
        h->level = (int)db_col_int(st, 10);
        h->dept_holders = (int)db_col_int(st, 11);
        h->dept_size = (int)db_col_int(st, 12);
        struct raw *r = arena_alloc(a, sizeof *r);
        r->h = h;
        r->open = arena_strdup(a, db_col_text(st, 13));
        r->want = arena_strdup(a, db_col_text(st, 14));
        r->mentoring = arena_strdup(a, db_col_text(st, 15));
        r->email = arena_strdup(a, db_col_text(st, 17));
        r->next = rows;
        rows = r;
        *ptail = h;
        ptail = &h->next;
    }
    sqlite3_reset(st);
    for (struct raw *r = rows; r; r = r->next) {
        int visible[PEOPLE_FIELDS_MAX];
        career_fields(db, a, viewer, r->h, r->open, r->want, r->mentoring, r->email, visible);
    }
    return q ? talent_narrow(db, a, head, q, unknown_skill) : head;
}

static const char *const SQL_USUAL =
    SHARES
    "SELECT d.slug, d.name, m.n, coalesce((SELECT group_concat(name, ', ') FROM "
    " (SELECT s.name FROM held h JOIN skills s ON s.id = h.skill WHERE h.dept = m.dept "
    "  AND h.k * 100 >= m.n * :percent ORDER BY h.k DESC, s.name COLLATE NOCASE)), '') "
    "FROM members m JOIN departments d ON d.id = m.dept ORDER BY d.name COLLATE NOCASE";

struct hr_usual *hr_store_usual_skills(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(db, SQL_USUAL);
    db_bind_int(st, ":percent", HR_USUAL_PERCENT);
    struct hr_usual *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct hr_usual *u = arena_alloc(a, sizeof *u);
        u->dept_slug = arena_strdup(a, db_col_text(st, 0));
        u->dept_name = arena_strdup(a, db_col_text(st, 1));
        u->size = (int)db_col_int(st, 2);
        u->skills = arena_strdup(a, db_col_text(st, 3));
        *tail = u;
        tail = &u->next;
    }
    sqlite3_reset(st);
    return head;
}

/* ---- the import ---- */

const char *hr_store_login_by_email(struct db *db, struct arena *a, const char *email)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT u.login FROM users u JOIN profiles p ON p.user_id = "
                                   "u.id WHERE p.email = :email COLLATE NOCASE LIMIT 2");
    db_bind_text(st, ":email", email);
    const char *login = NULL;
    if (db_step(st) == SQLITE_ROW) {
        login = arena_strdup(a, db_col_text(st, 0));
        if (db_step(st) == SQLITE_ROW)
            login = NULL; /* shared: the login has to say who is meant */
    }
    sqlite3_reset(st);
    return login;
}

int hr_store_set_role(struct db *db, int64_t user_id, enum role role)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE users SET role = :role WHERE id = :id");
    db_bind_text(st, ":role", user_role_name(role));
    db_bind_int(st, ":id", user_id);
    return db_run(st);
}

struct hr_account *hr_store_current(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT u.login, u.name, u.role FROM users u JOIN profiles p "
                                   "ON p.user_id = u.id WHERE p.left_at IS NULL ORDER BY u.login");
    struct hr_account *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct hr_account *h = arena_alloc(a, sizeof *h);
        h->login = arena_strdup(a, db_col_text(st, 0));
        h->name = arena_strdup(a, db_col_text(st, 1));
        h->role = user_role_parse(db_col_text(st, 2));
        *tail = h;
        tail = &h->next;
    }
    sqlite3_reset(st);
    return head;
}
