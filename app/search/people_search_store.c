#include "search/people_search_store.h"
#include "core/buf.h"
#include "markup/html.h"
#include "people/people_perm.h"
#include "people/visibility_store.h"
#include "markup/textify.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the indexes: columns and weights */

enum {
    COL_NAME,
    COL_TITLE,
    COL_DEPT,
    COL_TEAM,
    COL_SKILLS_TOP,
    COL_SKILLS,
    COL_COMMUNITIES,
    COL_ASK,
    COL_LOCATION,
    COL_BIO,
    NCOLS
};

/* A skill counts among the top skills when declared expert or endorsed by this many. */
enum { TOP_ENDORSEMENTS = 2, IDS_MAX = 100000 };

#define PUB "people_search"
#define HR "people_search_hr"

/* A name or a skill weighs most (top skills above the others), then what the person says to
 * ask them about and the job title, then the organisation, place and communities; the bio
 * least, being long and about many things. In column order. */
#define BM25(T) "bm25(" T ", 10.0, 4.0, 3.0, 3.0, 9.0, 7.0, 2.0, 5.0, 2.0, 1.0)"

#define SQL_FORGET(T) "DELETE FROM " T " WHERE rowid = :id"
#define SQL_PUT(T)                                                                                 \
    "INSERT INTO " T "(rowid, name, title, department, team, skills_top, skills, communities, "    \
    "ask, location, bio) VALUES (:id, :name, :title, :department, :team, :skills_top, :skills, "   \
    ":communities, :ask, :location, :bio)"

static const char *const BIND_NAMES[NCOLS] = {
    ":name", ":title", ":department", ":team", ":skills_top", ":skills", ":communities", ":ask",
    ":location", ":bio"};

/* What one index holds for a person. */
struct person_text {
    const char *col[NCOLS];
};

/* ---- writing */

/* Sets *top and *rest to the person's skills ("Kubernetes (k8s, kube); Go"), split by
 * TOP_ENDORSEMENTS; in a. Returns 0 or -1. */
static int load_skills(struct db *db, struct arena *a, int64_t id, const char **top,
                       const char **rest)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT s.name, ps.level, (SELECT count(*) FROM endorsements e WHERE e.user_id = "
            "ps.user_id AND e.skill_id = ps.skill_id), coalesce((SELECT group_concat(alias, ', ') "
            "FROM (SELECT alias FROM skill_aliases WHERE skill_id = s.id ORDER BY alias)), '') "
            "FROM person_skills ps JOIN skills s ON s.id = ps.skill_id WHERE ps.user_id = :id "
            "ORDER BY ps.level DESC, s.name");
    db_bind_int(st, ":id", id);
    struct buf b[2];
    buf_init(&b[0], 0);
    buf_init(&b[1], 0);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int strong = db_col_int(st, 1) >= 3 || db_col_int(st, 2) >= TOP_ENDORSEMENTS;
        struct buf *to = &b[strong ? 0 : 1];
        const char *aliases = db_col_text(st, 3);
        buf_printf(to, "%s%s", to->len ? "; " : "", db_col_text(st, 0));
        if (*aliases)
            buf_printf(to, " (%s)", aliases);
    }
    sqlite3_reset(st);
    *top = arena_adopt(a, buf_take(&b[0]));
    *rest = arena_adopt(a, buf_take(&b[1]));
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Returns the names of the communities person `id` is a member or owner of, "; "-separated. */
static const char *load_communities(struct db *db, struct arena *a, int64_t id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT coalesce(group_concat(name, '; '), '') FROM (SELECT c.name FROM "
            "community_members m JOIN communities c ON c.id = m.community_id WHERE m.user_id = "
            ":id AND m.role IN ('owner', 'member') ORDER BY c.name)");
    db_bind_int(st, ":id", id);
    const char *s = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
    sqlite3_reset(st);
    return s;
}

/* Fills what each index holds for person id. Returns 1, 0 when there is no such person, -1. */
static int load_person(struct db *db, struct arena *a, int64_t id, struct person_text *pub,
                       struct person_text *hr)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.name, p.title, coalesce(d.name, ''), coalesce(t.name, ''), p.ask_me_about, "
            "p.location, p.bio_html FROM users u JOIN profiles p ON p.user_id = u.id "
            "LEFT JOIN departments d ON d.id = p.department_id "
            "LEFT JOIN teams t ON t.id = p.team_id WHERE u.id = :id");
    db_bind_int(st, ":id", id);
    int rc = db_step(st);
    const char *choosable[3] = {0}, *bio_html = "";
    if (rc == SQLITE_ROW) {
        for (int c = 0; c < 4; c++)
            pub->col[c] = arena_strdup(a, db_col_text(st, c));
        choosable[0] = arena_strdup(a, db_col_text(st, 4));
        choosable[1] = arena_strdup(a, db_col_text(st, 5));
        bio_html = arena_strdup(a, db_col_text(st, 6));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : -1;
    char *bio = "", *headings;
    if (*bio_html)
        textify_html(a, bio_html, &bio, &headings);
    choosable[2] = bio;
    pub->col[COL_COMMUNITIES] = load_communities(db, a, id);
    enum visibility levels[PEOPLE_FIELDS_MAX];
    if (load_skills(db, a, id, &pub->col[COL_SKILLS_TOP], &pub->col[COL_SKILLS]) != 0 ||
        people_visibility_load(db, id, levels) != 0)
        return -1;
    *hr = *pub;
    /* The fields a person chooses who sees: in the shared index only when shown to everyone,
     * in HR's when shown to HR too; never when private. */
    static const char *const fields[3] = {"ask_me_about", "location", "bio"};
    static const int cols[3] = {COL_ASK, COL_LOCATION, COL_BIO};
    for (int i = 0; i < 3; i++) {
        const struct profile_field *f = people_field(fields[i]);
        enum visibility v = f ? levels[f - people_fields] : VIS_PRIVATE;
        pub->col[cols[i]] = v == VIS_EVERYONE ? choosable[i] : "";
        hr->col[cols[i]] = v == VIS_EVERYONE || v == VIS_HR ? choosable[i] : "";
    }
    return 1;
}

static int forget(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, SQL_FORGET(PUB));
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0)
        return -1;
    st = db_stmt(db, SQL_FORGET(HR));
    db_bind_int(st, ":id", id);
    return db_run(st);
}

static int put(sqlite3_stmt *st, int64_t id, const struct person_text *t)
{
    db_bind_int(st, ":id", id);
    for (int c = 0; c < NCOLS; c++)
        db_bind_text(st, BIND_NAMES[c], t->col[c] ? t->col[c] : "");
    return db_run(st);
}

int people_search_store_reindex_person(struct db *db, int64_t user_id)
{
    struct arena *a = arena_new();
    struct person_text pub = {{0}}, hr = {{0}};
    int found = load_person(db, a, user_id, &pub, &hr);
    int rc = found < 0 || forget(db, user_id) != 0 ? -1 : 0;
    if (rc == 0 && found)
        rc = put(db_stmt(db, SQL_PUT(PUB)), user_id, &pub) != 0 ||
                     put(db_stmt(db, SQL_PUT(HR)), user_id, &hr) != 0
                 ? -1
                 : 0;
    arena_free(a);
    return rc;
}

/* Reindexes everyone st selects (one column: a user id). Returns 0 or -1. */
static int reindex_all_of(struct db *db, sqlite3_stmt *st)
{
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW && n < IDS_MAX) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            ids = xrealloc(ids, cap * sizeof *ids);
        }
        ids[n++] = db_col_int(st, 0);
    }
    sqlite3_reset(st);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = people_search_store_reindex_person(db, ids[i]);
    free(ids);
    return rc;
}

int people_search_store_reindex_skill(struct db *db, int64_t skill_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT user_id FROM person_skills WHERE skill_id = :s");
    db_bind_int(st, ":s", skill_id);
    return reindex_all_of(db, st);
}

int people_search_store_rebuild(struct db *db)
{
    if (db_begin(db) != 0)
        return -1;
    int rc = db_exec(db, "DELETE FROM " PUB "; DELETE FROM " HR, NULL);
    if (rc == 0)
        rc = reindex_all_of(db, db_stmt(db, "SELECT id FROM users ORDER BY id"));
    if (rc != 0 || db_commit(db) != 0) {
        db_rollback(db);
        return -1;
    }
    return 0;
}

int people_search_store_fill(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT EXISTS (SELECT 1 FROM users) AND NOT EXISTS "
                                   "(SELECT 1 FROM " PUB ")");
    int empty = db_step(st) == SQLITE_ROW && db_col_int(st, 0);
    sqlite3_reset(st);
    return empty ? people_search_store_rebuild(db) : 0;
}

/* ---- searching */

#define FROM_INDEX(T)                                                                              \
    "FROM " T " JOIN users u ON u.id = " T ".rowid JOIN profiles p ON p.user_id = u.id "           \
    "LEFT JOIN departments d ON d.id = p.department_id "
#define FROM_PEOPLE                                                                                \
    "FROM users u JOIN profiles p ON p.user_id = u.id "                                            \
    "LEFT JOIN departments d ON d.id = p.department_id "

/* The skills skill:NAME names: by name, slug or alias, any case. */
#define SKILL_IDS                                                                                  \
    "(SELECT id FROM skills WHERE name = :skill OR slug = :skill "                                 \
    "UNION SELECT skill_id FROM skill_aliases WHERE alias = :skill)"

/* :all (HR and admins) also finds people who left; dept: and skill: narrow. */
#define FILTERS                                                                                    \
    "AND (:all OR (u.disabled = 0 AND p.left_at IS NULL)) "                                        \
    "AND (:dept = '' OR d.slug = :dept OR d.name = :dept COLLATE NOCASE) "                         \
    "AND (:skill = '' OR EXISTS (SELECT 1 FROM person_skills ps WHERE ps.user_id = u.id AND "      \
    "ps.skill_id IN " SKILL_IDS ")) "

/* The best by text (bm25; negative, lower is better), with whether they left. */
#define SQL_IDS_MATCH(T)                                                                           \
    "SELECT u.id, " BM25(T) ", p.left_at IS NOT NULL " FROM_INDEX(T) "WHERE " T " MATCH :q "       \
    FILTERS "ORDER BY p.left_at IS NOT NULL, " BM25(T) ", u.id LIMIT :limit OFFSET :offset"

/* Without words: with skill:, the highest level and the most endorsed first; then by name. */
static const char *const SQL_IDS_FILTER =
    "SELECT u.id, 0, 0 " FROM_PEOPLE "WHERE 1 " FILTERS
    "ORDER BY p.left_at IS NOT NULL, CASE WHEN :skill = '' THEN 0 ELSE -(SELECT max(ps.level * "
    "1000 + (SELECT count(*) FROM endorsements e WHERE e.user_id = u.id AND e.skill_id = "
    "ps.skill_id)) FROM person_skills ps WHERE ps.user_id = u.id AND ps.skill_id IN " SKILL_IDS
    ") END, u.name COLLATE NOCASE, u.id LIMIT :limit OFFSET :offset";

/* How many match, by department ("" for none): the total and the department facet at once. */
#define SQL_COUNT_MATCH(T)                                                                         \
    "SELECT coalesce(d.slug, ''), coalesce(d.name, ''), count(*) " FROM_INDEX(T)                   \
    "WHERE " T " MATCH :q " FILTERS "GROUP BY 1"
static const char *const SQL_COUNT_FILTER =
    "SELECT coalesce(d.slug, ''), coalesce(d.name, ''), count(*) " FROM_PEOPLE "WHERE 1 " FILTERS
    "GROUP BY 1";

/* One person's card from the index the searcher may read: every column marked where the query
 * matched, the bio as a fragment around the match. */
#define SQL_CARD(T, MATCH)                                                                         \
    "SELECT u.login, u.name, coalesce(d.slug, ''), p.left_at IS NOT NULL, "                        \
    "highlight(" T ", 0, char(1), char(2)), highlight(" T ", 1, char(1), char(2)), "               \
    "highlight(" T ", 2, char(1), char(2)), highlight(" T ", 3, char(1), char(2)), "               \
    "highlight(" T ", 4, char(1), char(2)), highlight(" T ", 5, char(1), char(2)), "               \
    "highlight(" T ", 6, char(1), char(2)), highlight(" T ", 7, char(1), char(2)), "               \
    "highlight(" T ", 8, char(1), char(2)), snippet(" T ", 9, char(1), char(2), '…', 20) "         \
    FROM_INDEX(T) "WHERE " MATCH T ".rowid = :id"

/* Which of the two indexes a query reads, and its statements. */
struct index {
    const char *ids, *count, *card_match, *card_plain;
};
static const struct index INDEXES[2] = {
    {SQL_IDS_MATCH(PUB), SQL_COUNT_MATCH(PUB), SQL_CARD(PUB, PUB " MATCH :q AND "),
     SQL_CARD(PUB, "")},
    {SQL_IDS_MATCH(HR), SQL_COUNT_MATCH(HR), SQL_CARD(HR, HR " MATCH :q AND "), SQL_CARD(HR, "")},
};

/* Returns 1 when viewer reads HR's index (people_perm decides who sees HR-only fields). */
static int reads_hr(const struct user *viewer)
{
    return viewer && people_may_see(viewer, 0, VIS_HR);
}

static void bind_filters(sqlite3_stmt *st, const struct search_query *q, int all)
{
    db_bind_int(st, ":all", all);
    db_bind_text(st, ":dept", q->dept ? q->dept : "");
    db_bind_text(st, ":skill", q->skill ? q->skill : "");
}

/* Returns s without the match markers, in a. */
static const char *unmarked(struct arena *a, const char *s)
{
    char *out = arena_strdup(a, s), *w = out;
    for (const char *r = s; *r; r++)
        if (*r != SNIPPET_OPEN[0] && *r != SNIPPET_CLOSE[0])
            *w++ = *r;
    *w = 0;
    return out;
}

static int marked(const char *s)
{
    return strchr(s, SNIPPET_OPEN[0]) != NULL;
}

/* Picks what the card shows under the name: the first field the query matched among skills,
 * ask me about, communities and the bio; else the skills, as a hint of what the person does. */
static void pick_match(struct arena *a, struct people_hit *h, const char *const col[NCOLS])
{
    const char *skills = *col[COL_SKILLS_TOP] && *col[COL_SKILLS]
                             ? arena_printf(a, "%s; %s", col[COL_SKILLS_TOP], col[COL_SKILLS])
                             : *col[COL_SKILLS_TOP] ? col[COL_SKILLS_TOP] : col[COL_SKILLS];
    const struct {
        const char *label, *text;
    } order[] = {{"Skills", skills},
                 {"Ask me about", col[COL_ASK]},
                 {"Communities", col[COL_COMMUNITIES]},
                 {"About", col[COL_BIO]}};
    h->match_label = "";
    h->match_marked = "";
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        if (marked(order[i].text)) {
            h->match_label = order[i].label;
            h->match_marked = arena_strdup(a, order[i].text);
            return;
        }
    if (*skills) {
        h->match_label = "Skills";
        h->match_marked = arena_strdup(a, skills);
    }
}

/* Returns the card of person id, or NULL when the index has no such row. */
static struct people_hit *load_card(struct db *db, struct arena *a, const struct index *ix,
                                    const char *fts, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, fts ? ix->card_match : ix->card_plain);
    if (fts)
        db_bind_text(st, ":q", fts);
    db_bind_int(st, ":id", id);
    struct people_hit *h = NULL;
    if (db_step(st) == SQLITE_ROW) {
        h = arena_alloc(a, sizeof *h);
        const char *col[NCOLS];
        for (int c = 0; c < NCOLS; c++)
            col[c] = arena_strdup(a, db_col_text(st, 4 + c));
        if (!fts)
            col[COL_BIO] = ""; /* unmarked, whole: nothing to show of it */
        h->login = arena_strdup(a, db_col_text(st, 0));
        h->dept_slug = arena_strdup(a, db_col_text(st, 2));
        h->left = (int)db_col_int(st, 3);
        h->name_marked = col[COL_NAME];
        h->title_marked = col[COL_TITLE];
        h->location_marked = col[COL_LOCATION];
        h->name = unmarked(a, col[COL_NAME]);
        h->title = unmarked(a, col[COL_TITLE]);
        h->department = unmarked(a, col[COL_DEPT]);
        h->team = unmarked(a, col[COL_TEAM]);
        h->location = unmarked(a, col[COL_LOCATION]);
        pick_match(a, h, col);
    }
    sqlite3_reset(st);
    return h;
}

/* Reads the counts by department into out->total and (when facets) out->depts. 0 or -1. */
static int count(struct db *db, struct arena *a, const struct index *ix,
                 const struct search_query *q, int all, int facets, struct people_result *out)
{
    sqlite3_stmt *st = db_stmt(db, q->fts ? ix->count : SQL_COUNT_FILTER);
    if (q->fts)
        db_bind_text(st, ":q", q->fts);
    bind_filters(st, q, all);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int n = (int)db_col_int(st, 2);
        out->total += n;
        const char *slug = db_col_text(st, 0);
        if (!facets || !*slug)
            continue;
        struct search_facet *f = arena_alloc(a, sizeof *f), **tail = &out->depts;
        f->value = arena_strdup(a, slug);
        f->label = arena_strdup(a, db_col_text(st, 1));
        f->count = n;
        while (*tail && ((*tail)->count > n ||
                         ((*tail)->count == n && strcmp((*tail)->label, f->label) <= 0)))
            tail = &(*tail)->next;
        f->next = *tail;
        *tail = f;
    }
    sqlite3_reset(st);
    /* as many values as the page facets list */
    int i = 0;
    for (struct search_facet **f = &out->depts; *f; f = &(*f)->next)
        if (++i == SEARCH_FACET_MAX) {
            (*f)->next = NULL;
            break;
        }
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- ranking: bm25 over the columns, then, for the POOL best by text, a boost for people
 * who declared a skill the query names: FTS5's bm25 saturates term frequency, so column
 * weights above a few barely separate a skill from a name, and nothing in the text says how
 * well someone knows a skill. The boost does: 1 + 0.12 per level (learning 1 .. expert 3) of
 * the best such skill + 0.03 per endorsement of it (at most 5), so at most 1.51: a declared
 * expert comes before someone practised, who comes before someone who only mentions the word.
 * A skill is named by a word of the query, or two words in a row ("machine learning"), that is
 * its name, an alias or its slug, in any case. */

enum { POOL = 100 };

struct ranked {
    int64_t id;
    double score;
    int left;
};

static int by_rank(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;
    if (a->left != b->left)
        return a->left - b->left;
    if (a->score != b->score)
        return a->score < b->score ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* For each of pool[0..n), the boost of its best skill the query names (see above). */
static const char *const SQL_SKILL_BOOST =
    "SELECT ps.user_id, max(ps.level * 0.12 + 0.03 * min(5, (SELECT count(*) FROM endorsements e "
    "WHERE e.user_id = ps.user_id AND e.skill_id = ps.skill_id))) FROM person_skills ps "
    "WHERE ps.user_id IN (SELECT value FROM json_each(:ids)) AND ps.skill_id IN (SELECT s.id "
    "FROM skills s JOIN json_each(:words) w ON s.name = w.value OR s.slug = lower(w.value) "
    "UNION SELECT a.skill_id FROM skill_aliases a JOIN json_each(:words) w ON a.alias = w.value) "
    "GROUP BY ps.user_id";

/* Multiplies the scores of pool by their skill boosts. Returns 0 or -1. */
static int boost(struct db *db, const char *text, struct ranked *pool, int n)
{
    struct buf ids;
    buf_init(&ids, 0);
    for (int i = 0; i < n; i++)
        buf_printf(&ids, "%s%lld", i ? "," : "[", (long long)pool[i].id);
    buf_putc(&ids, ']');
    char *words = search_query_names(text);
    sqlite3_stmt *st = db_stmt(db, SQL_SKILL_BOOST);
    db_bind_text(st, ":ids", buf_str(&ids));
    db_bind_text(st, ":words", words ? words : "[]");
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int64_t id = db_col_int(st, 0);
        for (int i = 0; i < n; i++)
            if (pool[i].id == id)
                pool[i].score *= 1.0 + sqlite3_column_double(st, 1);
    }
    sqlite3_reset(st);
    buf_free(&ids);
    free(words);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Appends to out the people st selects (id, score, left), at most max in all. 0 or -1. */
static int read_ranked(sqlite3_stmt *st, struct ranked *out, int *n, int max)
{
    int rc = SQLITE_DONE;
    while (*n < max && (rc = db_step(st)) == SQLITE_ROW)
        out[(*n)++] = (struct ranked){db_col_int(st, 0), sqlite3_column_double(st, 1),
                                      (int)db_col_int(st, 2)};
    rc = *n >= max ? SQLITE_DONE : rc;
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Sets ids[0..*n) to the people at ranks [offset, offset + limit): boosted within the POOL
 * best by text, in text order past it; by the filters' order without words. 0 or -1. */
static int rank(struct db *db, struct arena *a, const struct index *ix,
                const struct search_query *q, int all, int limit, int offset, int64_t *ids,
                int *n)
{
    struct ranked *got = arena_alloc(a, (size_t)(POOL + limit) * sizeof *got);
    int ngot = 0, from = q->fts && offset < POOL ? 0 : offset;
    int want = q->fts && offset < POOL ? POOL : limit;
    sqlite3_stmt *st = db_stmt(db, q->fts ? ix->ids : SQL_IDS_FILTER);
    if (q->fts)
        db_bind_text(st, ":q", q->fts);
    bind_filters(st, q, all);
    db_bind_int(st, ":limit", want);
    db_bind_int(st, ":offset", from);
    if (read_ranked(st, got, &ngot, want) != 0)
        return -1;
    if (q->fts && from == 0) {
        if (boost(db, q->text, got, ngot) != 0)
            return -1;
        qsort(got, (size_t)ngot, sizeof *got, by_rank);
    }
    for (int i = offset - from; i >= 0 && i < ngot && *n < limit; i++)
        ids[(*n)++] = got[i].id;
    if (q->fts && from == 0 && *n < limit && ngot == POOL) { /* past the pool */
        int past = offset > POOL ? offset : POOL, m = 0;
        st = db_stmt(db, ix->ids);
        db_bind_text(st, ":q", q->fts);
        bind_filters(st, q, all);
        db_bind_int(st, ":limit", limit - *n);
        db_bind_int(st, ":offset", past);
        if (read_ranked(st, got, &m, limit - *n) != 0)
            return -1;
        for (int i = 0; i < m; i++)
            ids[(*n)++] = got[i].id;
    }
    return 0;
}

int people_search_store_find(struct db *db, struct arena *a, const struct user *viewer,
                       const struct search_query *q, int limit, int offset, int facets,
                       struct people_result *out)
{
    memset(out, 0, sizeof *out);
    if (!viewer || search_query_pages_only(q) || (!q->fts && !q->dept && !q->skill))
        return 0;
    int all = reads_hr(viewer);
    const struct index *ix = &INDEXES[all];
    if (count(db, a, ix, q, all, facets, out) != 0)
        return -1;
    if (!out->total || limit <= 0)
        return 0;
    int64_t *ids = arena_alloc(a, (size_t)limit * sizeof *ids);
    int n = 0;
    if (rank(db, a, ix, q, all, limit, offset, ids, &n) != 0)
        return -1;
    struct people_hit **tail = &out->hits;
    for (int i = 0; i < n; i++) {
        struct people_hit *h = load_card(db, a, ix, q->fts, ids[i]);
        if (h) {
            *tail = h;
            tail = &h->next;
        }
    }
    return 0;
}

/* ---- suggestions */

#define SQL_NAMES(T)                                                                               \
    "SELECT u.login, u.name, p.title, coalesce(d.name, '') " FROM_INDEX(T) "WHERE " T              \
    " MATCH :q AND (:all OR (u.disabled = 0 AND p.left_at IS NULL)) "                              \
    "ORDER BY p.left_at IS NOT NULL, rank, u.name LIMIT :limit"
static const char *const SQL_NAMES_OF[2] = {SQL_NAMES(PUB), SQL_NAMES(HR)};

struct people_hit *people_search_store_names(struct db *db, struct arena *a,
                                             const struct user *viewer, const char *text, int limit)
{
    const char *fts = viewer && text ? search_query_column_words(a, "name", text, 8) : NULL;
    if (!fts)
        return NULL;
    int all = reads_hr(viewer);
    sqlite3_stmt *st = db_stmt(db, SQL_NAMES_OF[all]);
    db_bind_text(st, ":q", fts);
    db_bind_int(st, ":all", all);
    db_bind_int(st, ":limit", limit);
    struct people_hit *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct people_hit *h = arena_alloc(a, sizeof *h);
        h->login = arena_strdup(a, db_col_text(st, 0));
        h->name = arena_strdup(a, db_col_text(st, 1));
        h->title = arena_strdup(a, db_col_text(st, 2));
        h->department = arena_strdup(a, db_col_text(st, 3));
        *tail = h;
        tail = &h->next;
    }
    sqlite3_reset(st);
    return head;
}
