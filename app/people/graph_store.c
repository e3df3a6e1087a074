#include "people/graph_store.h"
#include "markup/url.h"
#include "core/buf.h"

#include <stdlib.h>
#include <string.h>

/* Returns ids[0..n-1] as a JSON array ("[3,7,12]") for json_each, in a. */
static const char *ids_json(struct arena *a, const int64_t *ids, int n)
{
    struct buf b;
    buf_init(&b, 0);
    buf_putc(&b, '[');
    for (int i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&b, ']');
    return arena_adopt(a, buf_take(&b));
}

/* The edges of a set of people, one row per pair and kind, merged per pair. The weights:
 *   co-writing   the smaller of the two shares of each page's text, summed over the pages
 *   endorsement  0.25 for each skill one endorsed the other for, at most 1.0 each way (a
 *                colleague who endorses nine skills is not nine colleagues)
 *   manager      1.0 between a person and their manager
 *   community    0.3 for each community (of at most GRAPH_COMMUNITY_MAX members) both are in
 * Every part starts from the set through an index: page_contributions_user then the page's
 * primary key; endorsements' primary key and endorsements_endorser; profiles' key and
 * profiles_manager; community_members_user then its key. Only ids, departments and whether
 * someone left are read: nothing a signed-in reader may not see. */
static const char *const SQL_EDGES =
    "WITH f(id) AS (SELECT value FROM json_each(:ids)), "
    "e(a, b, k, w) AS ("
    "  SELECT c1.user_id, c2.user_id, 0, min(c1.chars, c2.chars) * 1.0 / max((SELECT sum(t.chars) "
    "    FROM page_contributions t WHERE t.page_id = c1.page_id), 1) "
    "  FROM f JOIN page_contributions c1 ON c1.user_id = f.id "
    "  JOIN pages p ON p.id = c1.page_id AND p.deleted_at IS NULL "
    "  JOIN page_contributions c2 ON c2.page_id = c1.page_id AND c2.user_id <> c1.user_id "
    "  UNION ALL "
    "  SELECT en.endorser_id, en.user_id, 1, min(0.25 * count(*), 1.0) FROM f "
    "    JOIN endorsements en ON en.endorser_id = f.id GROUP BY en.endorser_id, en.user_id "
    "  UNION ALL "
    "  SELECT en.user_id, en.endorser_id, 1, min(0.25 * count(*), 1.0) FROM f "
    "    JOIN endorsements en ON en.user_id = f.id GROUP BY en.user_id, en.endorser_id "
    "  UNION ALL "
    "  SELECT pr.user_id, pr.manager_id, 2, 1.0 FROM f JOIN profiles pr ON pr.user_id = f.id "
    "    WHERE pr.manager_id IS NOT NULL AND pr.manager_id <> pr.user_id "
    "  UNION ALL "
    "  SELECT pr.manager_id, pr.user_id, 2, 1.0 FROM f JOIN profiles pr ON pr.manager_id = f.id "
    "    WHERE pr.user_id <> pr.manager_id "
    "  UNION ALL "
    "  SELECT m1.user_id, m2.user_id, 3, 0.3 FROM f "
    "  JOIN community_members m1 ON m1.user_id = f.id AND m1.role <> 'pending' "
    "  JOIN community_members m2 ON m2.community_id = m1.community_id AND m2.user_id <> m1.user_id "
    "    AND m2.role <> 'pending' "
    "  WHERE (SELECT count(*) FROM community_members x WHERE x.community_id = m1.community_id "
    "    AND x.role <> 'pending') <= 100) "
    "SELECT e.a, e.b, sum(e.w), sum(CASE e.k WHEN 0 THEN e.w ELSE 0 END), "
    "  sum(CASE e.k WHEN 1 THEN e.w ELSE 0 END), sum(CASE e.k WHEN 2 THEN e.w ELSE 0 END), "
    "  sum(CASE e.k WHEN 3 THEN e.w ELSE 0 END), "
    "  u.disabled OR pr.left_at IS NOT NULL, coalesce(pr.department_id, 0) "
    "FROM e JOIN users u ON u.id = e.b LEFT JOIN profiles pr ON pr.user_id = e.b "
    "WHERE :among = 0 OR e.b IN (SELECT id FROM f) "
    "GROUP BY e.a, e.b ORDER BY e.a, 3 DESC, e.b";

int graph_store_edges(struct db *db, struct arena *a, const int64_t *ids, int n, int among,
                      struct graph_edge **edges, int *count)
{
    *edges = NULL;
    *count = 0;
    if (n <= 0) return 0;
    sqlite3_stmt *st = db_stmt(db, SQL_EDGES);
    db_bind_text(st, ":ids", ids_json(a, ids, n));
    db_bind_int(st, ":among", among ? 1 : 0);
    int cap = 64, len = 0, rc;
    struct graph_edge *out = arena_alloc(a, sizeof *out * (size_t)cap);
    while ((rc = db_step(st)) == SQLITE_ROW) {
        if (len == cap) {
            struct graph_edge *bigger = arena_alloc(a, sizeof *out * (size_t)cap * 2);
            memcpy(bigger, out, sizeof *out * (size_t)len);
            out = bigger;
            cap *= 2;
        }
        struct graph_edge *e = &out[len++];
        e->from = db_col_int(st, 0);
        e->to = db_col_int(st, 1);
        e->weight = sqlite3_column_double(st, 2);
        for (int k = 0; k < GRAPH_KINDS; k++)
            e->w[k] = sqlite3_column_double(st, 3 + k);
        e->to_left = (int)db_col_int(st, 7);
        e->to_dept = db_col_int(st, 8);
    }
    sqlite3_reset(st);
    *edges = out;
    *count = len;
    return rc == SQLITE_DONE ? 0 : -1;
}

int graph_store_expand(void *ctx, struct arena *a, const int64_t *ids, int n,
                       struct graph_edge **edges, int *count)
{
    return graph_store_edges(ctx, a, ids, n, 0, edges, count);
}

/* ---- people ---- */

/* Names, logins, job titles and departments: fixed fields every signed-in reader sees. */
#define PERSON_COLUMNS                                                                             \
    "u.id, u.login, u.name, coalesce(pr.title, ''), coalesce(pr.department_id, 0), "               \
    "coalesce(d.slug, ''), coalesce(d.name, ''), u.disabled OR pr.left_at IS NOT NULL "
#define PERSON_JOINS                                                                               \
    "LEFT JOIN profiles pr ON pr.user_id = u.id LEFT JOIN departments d ON d.id = "                \
    "pr.department_id "

static struct graph_person *person_row(struct arena *a, sqlite3_stmt *st)
{
    struct graph_person *p = arena_alloc(a, sizeof *p);
    p->id = db_col_int(st, 0);
    p->login = arena_strdup(a, db_col_text(st, 1));
    p->name = arena_strdup(a, db_col_text(st, 2));
    p->job = arena_strdup(a, db_col_text(st, 3));
    p->dept_id = db_col_int(st, 4);
    p->dept_slug = arena_strdup(a, db_col_text(st, 5));
    p->dept_name = arena_strdup(a, db_col_text(st, 6));
    p->left = (int)db_col_int(st, 7);
    return p;
}

struct graph_person *graph_store_person(struct db *db, struct arena *a, const char *login)
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT " PERSON_COLUMNS "FROM users u " PERSON_JOINS "WHERE u.login = :l");
    db_bind_text(st, ":l", login);
    struct graph_person *p = db_step(st) == SQLITE_ROW ? person_row(a, st) : NULL;
    sqlite3_reset(st);
    return p;
}

static int by_person_id(const void *x, const void *y)
{
    int64_t a = (*(struct graph_person *const *)x)->id, b = (*(struct graph_person *const *)y)->id;
    return a < b ? -1 : a > b;
}

int graph_store_people(struct db *db, struct arena *a, const int64_t *ids, int n,
                       struct graph_person **out)
{
    if (n <= 0) return 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT " PERSON_COLUMNS "FROM json_each(:ids) j "
                                   "JOIN users u ON u.id = j.value " PERSON_JOINS);
    db_bind_text(st, ":ids", ids_json(a, ids, n));
    struct graph_person **found = arena_alloc(a, sizeof *found * (size_t)n);
    int len = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW && len < n)
        found[len++] = person_row(a, st);
    sqlite3_reset(st);
    qsort(found, (size_t)len, sizeof *found, by_person_id);
    for (int i = 0; i < n; i++) {
        struct graph_person key = {.id = ids[i]}, *kp = &key;
        struct graph_person **hit = bsearch(&kp, found, (size_t)len, sizeof *found, by_person_id);
        out[i] = hit ? *hit : NULL;
    }
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

int64_t *graph_store_department_people(struct db *db, struct arena *a, int64_t dept_id, int *n)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT u.id FROM profiles pr JOIN users u ON u.id = pr.user_id "
                                   "WHERE pr.department_id = :d AND u.disabled = 0 AND "
                                   "pr.left_at IS NULL ORDER BY u.id");
    db_bind_int(st, ":d", dept_id);
    int cap = 64, len = 0;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)cap);
    while (db_step(st) == SQLITE_ROW) {
        if (len == cap) {
            int64_t *bigger = arena_alloc(a, sizeof *ids * (size_t)cap * 2);
            memcpy(bigger, ids, sizeof *ids * (size_t)len);
            ids = bigger;
            cap *= 2;
        }
        ids[len++] = db_col_int(st, 0);
    }
    sqlite3_reset(st);
    *n = len;
    return ids;
}

/* ---- reasons ---- */

static int index_of(struct graph_person *const *ys, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (ys[i] && ys[i]->id == id) return i;
    return -1;
}

static struct graph_reason *reason(struct arena *a, struct graph_reason **tails[], int i,
                                   enum graph_kind kind, const char *text, const char *href)
{
    struct graph_reason *r = arena_alloc(a, sizeof *r);
    r->kind = kind;
    r->text = text;
    r->href = href;
    *tails[i] = r;
    tails[i] = &r->next;
    return r;
}

/* Pages both wrote parts of, the most shared first: "co-wrote TITLE and N more pages". */
static int cowrote_reasons(struct db *db, struct arena *a, int64_t x, const char *ys_json,
                           struct graph_person *const *ys, int n, struct graph_reason **tails[])
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT c2.user_id, p.path, p.title, count(*) OVER (PARTITION BY c2.user_id) "
            "FROM page_contributions c1 JOIN pages p ON p.id = c1.page_id AND p.deleted_at IS NULL "
            "JOIN page_contributions c2 ON c2.page_id = c1.page_id "
            "AND c2.user_id IN (SELECT value FROM json_each(:ys)) AND c2.user_id <> c1.user_id "
            "WHERE c1.user_id = :x "
            "ORDER BY c2.user_id, min(c1.chars, c2.chars) * 1.0 / max((SELECT sum(t.chars) FROM "
            "page_contributions t WHERE t.page_id = p.id), 1) DESC, p.title");
    db_bind_text(st, ":ys", ys_json);
    db_bind_int(st, ":x", x);
    int64_t last = 0;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int64_t y = db_col_int(st, 0);
        int i = index_of(ys, n, y);
        if (y == last || i < 0) continue;
        last = y;
        int more = (int)db_col_int(st, 3) - 1;
        const char *title = db_col_text(st, 2);
        reason(a, tails, i, GRAPH_COWROTE,
               more ? arena_printf(a, "co-wrote %s and %d more page%s", title, more,
                                   more == 1 ? "" : "s")
                    : arena_printf(a, "co-wrote %s", title),
               url_page(a, db_col_text(st, 1)));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Endorsements either way, one line per direction: "Ana endorsed Bo for Python, Go". */
static int endorsed_reasons(struct db *db, struct arena *a, const struct graph_person *x,
                            const char *ys_json, struct graph_person *const *ys, int n,
                            struct graph_reason **tails[])
{
    sqlite3_stmt *st =
        db_stmt(db, "SELECT e.user_id, 0, group_concat(s.name, ', '), min(s.slug), count(*) FROM "
                    "endorsements e "
                    "JOIN skills s ON s.id = e.skill_id WHERE e.endorser_id = :x AND e.user_id IN "
                    "(SELECT value FROM json_each(:ys)) GROUP BY e.user_id "
                    "UNION ALL "
                    "SELECT e.endorser_id, 1, group_concat(s.name, ', '), min(s.slug), count(*) "
                    "FROM endorsements e "
                    "JOIN skills s ON s.id = e.skill_id WHERE e.user_id = :x AND e.endorser_id IN "
                    "(SELECT value FROM json_each(:ys)) GROUP BY e.endorser_id ORDER BY 1, 2");
    db_bind_text(st, ":ys", ys_json);
    db_bind_int(st, ":x", x->id);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int i = index_of(ys, n, db_col_int(st, 0));
        if (i < 0) continue;
        int by_them = (int)db_col_int(st, 1);
        reason(a, tails, i, GRAPH_ENDORSED,
               arena_printf(a, "%s endorsed %s for %s", by_them ? ys[i]->name : x->name,
                            by_them ? x->name : ys[i]->name, db_col_text(st, 2)),
               db_col_int(st, 4) == 1 ? url_skill(a, db_col_text(st, 3)) : NULL);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The reporting line: "Tomasz manages Priya". */
static int manager_reasons(struct db *db, struct arena *a, const struct graph_person *x,
                           const char *ys_json, struct graph_person *const *ys, int n,
                           struct graph_reason **tails[])
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT pr.manager_id, 0 FROM profiles pr WHERE pr.user_id = :x AND pr.manager_id IN "
            "(SELECT value FROM json_each(:ys)) "
            "UNION ALL "
            "SELECT pr.user_id, 1 FROM profiles pr WHERE pr.manager_id = :x AND pr.user_id IN "
            "(SELECT value FROM json_each(:ys))");
    db_bind_text(st, ":ys", ys_json);
    db_bind_int(st, ":x", x->id);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int i = index_of(ys, n, db_col_int(st, 0));
        if (i < 0 || ys[i]->id == x->id) continue;
        int x_manages = (int)db_col_int(st, 1);
        reason(a, tails, i, GRAPH_MANAGER,
               arena_printf(a, "%s manages %s", x_manages ? x->name : ys[i]->name,
                            x_manages ? ys[i]->name : x->name),
               NULL);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Communities both are in: "both in Python guild". */
static int community_reasons(struct db *db, struct arena *a, int64_t x, const char *ys_json,
                             struct graph_person *const *ys, int n, struct graph_reason **tails[])
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT m2.user_id, c.name, c.slug FROM community_members m1 "
            "JOIN communities c ON c.id = m1.community_id "
            "JOIN community_members m2 ON m2.community_id = m1.community_id AND m2.role <> "
            "'pending' AND m2.user_id IN (SELECT value FROM json_each(:ys)) "
            "WHERE m1.user_id = :x AND m1.role <> 'pending' AND m2.user_id <> :x AND (SELECT "
            "count(*) FROM community_members k WHERE k.community_id = c.id AND k.role <> "
            "'pending') <= 100 ORDER BY m2.user_id, c.name");
    db_bind_text(st, ":ys", ys_json);
    db_bind_int(st, ":x", x);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int i = index_of(ys, n, db_col_int(st, 0));
        if (i >= 0)
            reason(a, tails, i, GRAPH_COMMUNITY, arena_printf(a, "both in %s", db_col_text(st, 1)),
                   url_community(a, db_col_text(st, 2)));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int graph_store_reasons(struct db *db, struct arena *a, const struct graph_person *x,
                        struct graph_person *const *ys, int n, struct graph_reason **out)
{
    if (n <= 0) return 0;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)n);
    struct graph_reason ***tails = arena_alloc(a, sizeof *tails * (size_t)n);
    for (int i = 0; i < n; i++) {
        ids[i] = ys[i] ? ys[i]->id : 0;
        out[i] = NULL;
        tails[i] = &out[i];
    }
    const char *json = ids_json(a, ids, n);
    if (manager_reasons(db, a, x, json, ys, n, tails) != 0 ||
        cowrote_reasons(db, a, x->id, json, ys, n, tails) != 0 ||
        endorsed_reasons(db, a, x, json, ys, n, tails) != 0 ||
        community_reasons(db, a, x->id, json, ys, n, tails) != 0)
        return -1;
    return 0;
}

/* ---- topics ---- */

/* The skill a tag names, if any: by slug, by name, or by alias. */
#define TAG_SKILL(col)                                                                             \
    "coalesce((SELECT s.id FROM skills s WHERE s.slug = " col "), (SELECT s.id FROM skills s "     \
    "WHERE s.name = " col " COLLATE NOCASE), (SELECT al.skill_id FROM skill_aliases al WHERE "     \
    "al.alias = " col " COLLATE NOCASE))"
#define LEVEL_WEIGHT(col) "CASE " col " WHEN 3 THEN 1.0 WHEN 2 THEN 0.6 WHEN 1 THEN 0.3 ELSE 0 END"

static const char *const SQL_PERSON_TOPICS =
    "WITH mine AS (SELECT c.page_id, c.chars * 1.0 / max((SELECT sum(t.chars) FROM "
    "  page_contributions t WHERE t.page_id = c.page_id), 1) AS share FROM page_contributions c "
    "  JOIN pages p ON p.id = c.page_id AND p.deleted_at IS NULL WHERE c.user_id = :u), "
    "tagged AS (SELECT m.page_id, m.share, t.tag, " TAG_SKILL(
        "t.tag") " AS skill_id "
                 "  FROM mine m JOIN page_tags t ON t.page_id = m.page_id), "
                 "per_page AS (SELECT page_id, max(share) AS share, skill_id, min(tag) AS tag, "
                 "  coalesce('s' || skill_id, 't' || tag) AS k FROM tagged GROUP BY page_id, k), "
                 "written AS (SELECT k, skill_id, min(tag) AS tag, sum(share) AS w, count(*) AS "
                 "pages "
                 "  FROM per_page GROUP BY k), "
                 "declared AS (SELECT skill_id, level FROM person_skills WHERE user_id = :u), "
                 "topics AS (SELECT w.skill_id, w.tag, w.w, w.pages, coalesce(d.level, 0) AS level "
                 "  FROM written w LEFT JOIN declared d ON d.skill_id = w.skill_id "
                 "  UNION ALL SELECT d.skill_id, '', 0, 0, d.level FROM declared d WHERE "
                 "d.skill_id NOT IN "
                 "  (SELECT skill_id FROM written WHERE skill_id IS NOT NULL)) "
                 "SELECT coalesce(s.name, t.tag), coalesce(s.slug, ''), t.tag, t.w, t.pages, "
                 "t.level, "
                 "  t.w + " LEVEL_WEIGHT(
                     "t.level") " AS strength "
                                "FROM topics t LEFT JOIN skills s ON s.id = t.skill_id "
                                "ORDER BY strength DESC, 1 LIMIT :limit";

struct graph_topic *graph_store_person_topics(struct db *db, struct arena *a, int64_t user_id,
                                              int limit)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PERSON_TOPICS);
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":limit", limit);
    struct graph_topic *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct graph_topic *t = arena_alloc(a, sizeof *t);
        t->name = arena_strdup(a, db_col_text(st, 0));
        t->slug = arena_strdup(a, db_col_text(st, 1));
        t->tag = arena_strdup(a, db_col_text(st, 2));
        t->written = sqlite3_column_double(st, 3);
        t->pages = (int)db_col_int(st, 4);
        t->level = (int)db_col_int(st, 5);
        t->strength = sqlite3_column_double(st, 6);
        *tail = t;
        tail = &t->next;
    }
    sqlite3_reset(st);
    return head;
}

/* Who knows a topic: the skill it names (if any) and every tag that stands for it. */
static const char *const SQL_TOPIC_PEOPLE =
    "WITH sk AS (SELECT id, name, slug FROM skills WHERE slug = lower(:t) OR name = :t COLLATE "
    "  NOCASE UNION SELECT s.id, s.name, s.slug FROM skill_aliases al JOIN skills s ON s.id = "
    "  al.skill_id WHERE al.alias = :t COLLATE NOCASE LIMIT 1), "
    "tags(tag) AS (SELECT lower(:t) UNION SELECT slug FROM sk UNION SELECT lower(name) FROM sk "
    "  UNION SELECT lower(al.alias) FROM skill_aliases al JOIN sk ON al.skill_id = sk.id), "
    "tp AS (SELECT DISTINCT t.page_id FROM tags JOIN page_tags t ON t.tag = tags.tag "
    "  JOIN pages p ON p.id = t.page_id AND p.deleted_at IS NULL), "
    "written AS (SELECT c.user_id, sum(c.chars * 1.0 / max((SELECT sum(x.chars) FROM "
    "  page_contributions x WHERE x.page_id = c.page_id), 1)) AS w, count(*) AS pages "
    "  FROM tp JOIN page_contributions c ON c.page_id = tp.page_id GROUP BY c.user_id), "
    "people AS (SELECT user_id, w, pages, 0 AS level FROM written UNION ALL "
    "  SELECT ps.user_id, 0, 0, ps.level FROM person_skills ps JOIN sk ON ps.skill_id = sk.id), "
    "merged AS (SELECT user_id, sum(w) AS w, sum(pages) AS pages, max(level) AS level "
    "  FROM people GROUP BY user_id) "
    "SELECT m.user_id, m.w, m.pages, m.level, m.w + " LEVEL_WEIGHT(
        "m.level") " AS strength, "
                   "  coalesce((SELECT name FROM sk), '') "
                   "FROM merged m JOIN users u ON u.id = m.user_id LEFT JOIN profiles pr ON "
                   "pr.user_id = u.id "
                   "WHERE u.disabled = 0 AND pr.left_at IS NULL "
                   "ORDER BY strength DESC, u.name LIMIT :limit";

struct graph_knower *graph_store_topic_people(struct db *db, struct arena *a, const char *topic,
                                              int limit, const char **name)
{
    sqlite3_stmt *st = db_stmt(db, SQL_TOPIC_PEOPLE);
    db_bind_text(st, ":t", topic);
    db_bind_int(st, ":limit", limit);
    struct graph_knower *head = NULL, **tail = &head;
    *name = topic;
    while (db_step(st) == SQLITE_ROW) {
        struct graph_knower *k = arena_alloc(a, sizeof *k);
        k->person = arena_alloc(a, sizeof *k->person);
        k->person->id = db_col_int(st, 0);
        k->written = sqlite3_column_double(st, 1);
        k->pages = (int)db_col_int(st, 2);
        k->level = (int)db_col_int(st, 3);
        k->strength = sqlite3_column_double(st, 4);
        if (*db_col_text(st, 5)) *name = arena_strdup(a, db_col_text(st, 5));
        *tail = k;
        tail = &k->next;
    }
    sqlite3_reset(st);
    return head;
}

/* ---- the department map ---- */

/* People who have not left, with their department. */
#define ACTIVE                                                                                     \
    "act AS (SELECT u.id, pr.department_id AS d FROM users u JOIN profiles pr ON pr.user_id = "    \
    "u.id WHERE u.disabled = 0 AND pr.left_at IS NULL AND pr.department_id IS NOT NULL) "

/* Per topic (a skill, or a tag that names none) and department: the department's share of all
 * the writing on pages with the topic's tags, on how many pages, and how many of its people
 * declared the skill. */
static const char *const SQL_DEPT_ROWS =
    "WITH " ACTIVE ", "
    "resolved AS (SELECT tag, coalesce((SELECT s.slug FROM skills s WHERE s.id = " TAG_SKILL(
        "tag") "), '') AS skill FROM (SELECT DISTINCT tag FROM page_tags)), "
               "topic_page AS (SELECT DISTINCT t.page_id, CASE r.skill WHEN '' THEN t.tag ELSE "
               "r.skill END "
               "  AS topic, r.skill FROM page_tags t JOIN resolved r ON r.tag = t.tag "
               "  JOIN pages p ON p.id = t.page_id AND p.deleted_at IS NULL), "
               "writing AS (SELECT tp.topic, tp.skill, act.d, sum(c.chars) AS chars, "
               "  count(DISTINCT c.page_id) AS pages FROM topic_page tp "
               "  JOIN page_contributions c ON c.page_id = tp.page_id LEFT JOIN act ON act.id = "
               "c.user_id "
               "  GROUP BY tp.topic, act.d), "
               "totals AS (SELECT topic, sum(chars) AS total FROM writing GROUP BY topic), "
               "declared AS (SELECT s.slug AS topic, s.slug AS skill, act.d, count(*) AS people, "
               "  sum(ps.level = 3) AS experts FROM person_skills ps JOIN act ON act.id = "
               "ps.user_id "
               "  JOIN skills s ON s.id = ps.skill_id GROUP BY s.id, act.d), "
               "rows AS (SELECT w.topic, w.skill, w.d, w.chars * 1.0 / max(t.total, 1) AS share, "
               "w.pages, "
               "  0 AS people, 0 AS experts FROM writing w JOIN totals t ON t.topic = w.topic "
               "  WHERE w.d IS NOT NULL UNION ALL SELECT topic, skill, d, 0, 0, people, experts "
               "FROM declared) "
               "SELECT r.topic, coalesce(s.name, r.topic), r.skill, r.d, dep.slug, dep.name, "
               "sum(r.share), "
               "  sum(r.people), sum(r.experts), sum(r.pages) "
               "FROM rows r JOIN departments dep ON dep.id = r.d LEFT JOIN skills s ON s.slug = "
               "r.skill "
               "GROUP BY r.topic, r.d ORDER BY r.topic, 7 DESC, dep.name";

struct graph_dept_row *graph_store_dept_rows(struct db *db, struct arena *a, int *n)
{
    sqlite3_stmt *st = db_stmt(db, SQL_DEPT_ROWS);
    int cap = 256, len = 0;
    struct graph_dept_row *rows = arena_alloc(a, sizeof *rows * (size_t)cap);
    const char *key = NULL;
    while (db_step(st) == SQLITE_ROW) {
        if (len == cap) {
            struct graph_dept_row *bigger = arena_alloc(a, sizeof *rows * (size_t)cap * 2);
            memcpy(bigger, rows, sizeof *rows * (size_t)len);
            rows = bigger;
            cap *= 2;
        }
        struct graph_dept_row *r = &rows[len++];
        /* The key (column 0) only groups rows: the same key keeps the same strings. */
        if (!key || strcmp(key, db_col_text(st, 0)) != 0) {
            key = arena_strdup(a, db_col_text(st, 0));
            r->topic = arena_strdup(a, db_col_text(st, 1));
            r->skill_slug = arena_strdup(a, db_col_text(st, 2));
        } else {
            r->topic = rows[len - 2].topic;
            r->skill_slug = rows[len - 2].skill_slug;
        }
        r->dept_id = db_col_int(st, 3);
        r->dept_slug = arena_strdup(a, db_col_text(st, 4));
        r->dept_name = arena_strdup(a, db_col_text(st, 5));
        r->share = sqlite3_column_double(st, 6);
        r->declared = (int)db_col_int(st, 7);
        r->experts = (int)db_col_int(st, 8);
        r->pages = (int)db_col_int(st, 9);
    }
    sqlite3_reset(st);
    *n = len;
    return rows;
}

/* Departments tied by co-writing (per page, the smaller of the two departments' shares of its
 * text, summed) and by endorsements between their people. */
static const char *const SQL_DEPT_LINKS =
    "WITH " ACTIVE ", "
    "pd AS (SELECT c.page_id, act.d, sum(c.chars) AS chars FROM page_contributions c "
    "  JOIN act ON act.id = c.user_id JOIN pages p ON p.id = c.page_id AND p.deleted_at IS NULL "
    "  GROUP BY c.page_id, act.d), "
    "multi AS (SELECT page_id, (SELECT sum(x.chars) FROM page_contributions x WHERE x.page_id = "
    "  pd.page_id) AS total FROM pd GROUP BY page_id HAVING count(*) > 1), "
    "co AS (SELECT x.d AS d1, y.d AS d2, sum(min(x.chars, y.chars) * 1.0 / max(m.total, 1)) AS w, "
    "  count(*) AS pages FROM multi m JOIN pd x ON x.page_id = m.page_id "
    "  JOIN pd y ON y.page_id = m.page_id AND y.d > x.d GROUP BY x.d, y.d), "
    "en AS (SELECT min(a1.d, a2.d) AS d1, max(a1.d, a2.d) AS d2, count(*) AS n FROM endorsements e "
    "  JOIN act a1 ON a1.id = e.user_id JOIN act a2 ON a2.id = e.endorser_id WHERE a1.d <> a2.d "
    "  GROUP BY 1, 2), "
    "ties AS (SELECT d1, d2, w, pages, 0 AS n FROM co UNION ALL SELECT d1, d2, 0, 0, n FROM en) "
    "SELECT x.slug, x.name, y.slug, y.name, sum(t.w), sum(t.pages), sum(t.n), "
    "  sum(t.w) + 0.25 * sum(t.n) AS strength "
    "FROM ties t JOIN departments x ON x.id = t.d1 JOIN departments y ON y.id = t.d2 "
    "GROUP BY t.d1, t.d2 ORDER BY strength DESC, x.name, y.name";

struct graph_dept_link *graph_store_dept_links(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(db, SQL_DEPT_LINKS);
    struct graph_dept_link *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct graph_dept_link *l = arena_alloc(a, sizeof *l);
        l->a_slug = arena_strdup(a, db_col_text(st, 0));
        l->a_name = arena_strdup(a, db_col_text(st, 1));
        l->b_slug = arena_strdup(a, db_col_text(st, 2));
        l->b_name = arena_strdup(a, db_col_text(st, 3));
        l->cowrote = sqlite3_column_double(st, 4);
        l->pages = (int)db_col_int(st, 5);
        l->endorsements = (int)db_col_int(st, 6);
        l->strength = sqlite3_column_double(st, 7);
        *tail = l;
        tail = &l->next;
    }
    sqlite3_reset(st);
    return head;
}
