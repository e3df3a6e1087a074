#include "search/search_store.h"
#include "core/buf.h"
#include "markup/html.h"
#include "search/search_rank.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FILTERS                                                                                    \
    "AND p.deleted_at IS NULL "                                                                    \
    "AND (:space = '' OR p.space = :space) "                                                       \
    "AND (:tag = '' OR EXISTS (SELECT 1 FROM page_tags t WHERE t.page_id = p.id AND t.tag = :tag)) " \
    "AND (:author = '' OR EXISTS (SELECT 1 FROM page_contributions c JOIN users a ON a.id = "       \
    "c.user_id WHERE c.page_id = p.id AND a.login = :author)) "                                    \
    "AND (:since = 0 OR p.updated_at >= :since) AND (:before = 0 OR p.updated_at < :before) "    \
    "AND (:dept = '' OR EXISTS (SELECT 1 FROM revisions r JOIN profiles pr ON pr.user_id = "      \
    "r.author_id JOIN departments d ON d.id = pr.department_id WHERE r.page_id = p.id AND "        \
    "(d.slug = :dept OR d.name = :dept COLLATE NOCASE))) "                                        \
    "AND (:skill = '' OR EXISTS (SELECT 1 FROM page_tags t JOIN skills s ON s.id IN (SELECT id "  \
    "FROM skills WHERE name = :skill OR slug = :skill UNION SELECT skill_id FROM skill_aliases "   \
    "WHERE alias = :skill) WHERE t.page_id = p.id AND (t.tag = s.slug OR t.tag = s.name COLLATE " \
    "NOCASE OR EXISTS (SELECT 1 FROM skill_aliases a WHERE a.skill_id = s.id AND a.alias = "      \
    "t.tag)))) "

/* Title and headings weigh most, then tags; body words least. bm25 is negative: lower is better. */
#define BM25 "bm25(page_search, 10.0, 5.0, 1.0, 4.0, 2.0, 2.0)"

/* 1 when page top.id is tagged with a skill the query names (:names, search_query_names) by
 * its name, slug or an alias: what the tag says the page is about, the query asks for. */
#define TAGGED                                                                                     \
    "(:names <> '[]' AND EXISTS (SELECT 1 FROM page_tags t JOIN skills s ON t.tag = s.slug OR "   \
    "t.tag = s.name COLLATE NOCASE OR t.tag IN (SELECT alias FROM skill_aliases a WHERE "          \
    "a.skill_id = s.id) WHERE t.page_id = top.id AND s.id IN (SELECT s.id FROM skills s JOIN "     \
    "json_each(:names) w ON s.name = w.value OR s.slug = lower(w.value) UNION SELECT a.skill_id " \
    "FROM skill_aliases a JOIN json_each(:names) w ON a.alias = w.value)))"

/* One pass over the matching pages, kept in m, answers everything but the snippets: the `pool`
 * best by text (kind 0, with what the boost needs: verified_at and views in the last 30 days,
 * looked up for those rows only), the facet counts (kinds 1-4, when :facets) and the total
 * (kind 5). Columns: kind, id or count, score, verified_at, views, value, label. CROSS JOIN
 * keeps m on the outside: tags and authors are looked up per matching page by their index,
 * never scanned whole. Authors come from page_contributions (one row per page and person who
 * wrote a revision, kept on every save), a fifth the rows of revisions on a wiki with history. */
#define PASS_TAIL                                                                                  \
    "SELECT 0, id, s, verified_at, CASE WHEN :boost THEN (SELECT coalesce(sum(v.views), 0) FROM "  \
    "page_views v WHERE v.page_id = top.id AND v.day >= :day) ELSE 0 END, " TAGGED ", NULL "       \
    "FROM (SELECT id, s, verified_at FROM m ORDER BY s, id LIMIT :pool) top "                      \
    "UNION ALL SELECT * FROM (SELECT 1, count(*), 0, 0, 0, space, NULL FROM m WHERE :facets "      \
    "GROUP BY space ORDER BY 2 DESC, 6 LIMIT :flimit) "                                            \
    "UNION ALL SELECT * FROM (SELECT 2, count(*), 0, 0, 0, t.tag, NULL FROM m CROSS JOIN "        \
    "page_tags t ON t.page_id = m.id WHERE :facets GROUP BY t.tag ORDER BY 2 DESC, 6 "             \
    "LIMIT :flimit) "                                                                              \
    "UNION ALL SELECT 3, n, 0, 0, 0, u.login, u.name FROM (SELECT c.user_id AS who, "              \
    "count(*) AS n FROM m CROSS JOIN page_contributions c ON c.page_id = m.id "                    \
    "WHERE :facets "                                                                               \
    "GROUP BY c.user_id ORDER BY 2 DESC LIMIT :flimit) JOIN users u ON u.id = who "                \
    "UNION ALL SELECT 4, count(*), 0, 0, 0, (updated_at >= :week) + (updated_at >= :month) + "     \
    "(updated_at >= :year), NULL FROM m WHERE :facets GROUP BY 6 "                                 \
    "UNION ALL SELECT 5, count(*), coalesce(sum(s <= -1000000.0), 0), 0, 0, NULL, NULL FROM m"

static const char *const SQL_PASS_MATCH =
    "WITH m AS MATERIALIZED (SELECT p.id, " BM25 " AS s, p.space, p.updated_at, "
    "coalesce(p.verified_at, 0) AS verified_at FROM page_search JOIN pages p ON "
    "p.id = page_search.rowid WHERE page_search MATCH :q " FILTERS ") " PASS_TAIL;

/* Ranked partial matching: the same pass with search_rank's score (:spec, see search_rank.h);
 * kind 5 also counts the pages in its top tier (holding every group). */
#define RANK "ken_rank(page_search, :spec)"
static const char *const SQL_PASS_RANKED =
    "WITH m AS MATERIALIZED (SELECT p.id, " RANK " AS s, p.space, p.updated_at, "
    "coalesce(p.verified_at, 0) AS verified_at FROM page_search JOIN pages p ON "
    "p.id = page_search.rowid WHERE page_search MATCH :q " FILTERS "LIMIT :cap) " PASS_TAIL;

static const char *const SQL_PASS_FILTER =
    "WITH m AS MATERIALIZED (SELECT p.id, -p.updated_at AS s, p.space, p.updated_at, "
    "coalesce(p.verified_at, 0) AS verified_at FROM pages p WHERE 1 " FILTERS ") " PASS_TAIL;

/* Results past the pool, in text order alone (rare: only deep pages need them). */
static const char *const SQL_DEEP_MATCH =
    "SELECT p.id FROM page_search JOIN pages p ON p.id = page_search.rowid "
    "WHERE page_search MATCH :q " FILTERS "ORDER BY " BM25 ", p.id LIMIT :limit OFFSET :offset";

static const char *const SQL_DEEP_RANKED =
    "SELECT p.id FROM page_search JOIN pages p ON p.id = page_search.rowid "
    "WHERE page_search MATCH :q " FILTERS "ORDER BY " RANK ", p.id LIMIT :limit OFFSET :offset";

static const char *const SQL_DEEP_FILTER =
    "SELECT p.id FROM pages p WHERE 1 " FILTERS
    "ORDER BY -p.updated_at, p.id LIMIT :limit OFFSET :offset";

/* The shown hits, with snippets. Snippets need the match: either one more pass over the
 * matches that keeps the pages in :ids (the unary + stops FTS5 from taking the rowids as its
 * index, which would mean a fresh look-up of every term per page), cheap while the matches are
 * few; or, when they are many, one look-up per page. */
#define HIT_COLUMNS                                                                                \
    "SELECT p.id, p.path, p.title, p.space, coalesce(u.name, ''), p.updated_at, "                 \
    "snippet(page_search, -1, char(1), char(2), '…', 24), "                                        \
    "highlight(page_search, 0, char(1), char(2)) "                                                 \
    "FROM page_search JOIN pages p ON p.id = page_search.rowid "                                   \
    "LEFT JOIN users u ON u.id = p.updated_by WHERE page_search MATCH :q "

static const char *const SQL_HITS_SCAN =
    HIT_COLUMNS "AND +page_search.rowid IN (SELECT value FROM json_each(:ids))";

static const char *const SQL_HIT_SEEK = HIT_COLUMNS "AND page_search.rowid = :id";

static const char *const SQL_HITS_FILTER =
    "SELECT p.id, p.path, p.title, p.space, coalesce(u.name, ''), p.updated_at, '', p.title "
    "FROM pages p LEFT JOIN users u ON u.id = p.updated_by "
    "WHERE p.id IN (SELECT value FROM json_each(:ids))";

/* CAP: candidates a ranked search reads at most (in the index's order), however many match: the
 * cost of a search stays bounded on a big wiki, and the count says how many were read. */
enum { POOL = 100, SECONDS_PER_DAY = 86400, SCAN_MAX = 5000, CAP = 1500 };

static void bind_filters(sqlite3_stmt *st, const struct search_query *q, int64_t now)
{
    int64_t since = 0, before = 0;
    search_query_updated_range(q->updated, now, &since, &before);
    db_bind_text(st, ":space", q->space ? q->space : "");
    db_bind_text(st, ":tag", q->tag ? q->tag : "");
    db_bind_text(st, ":author", q->author ? q->author : "");
    db_bind_text(st, ":dept", q->dept ? q->dept : "");
    db_bind_text(st, ":skill", q->skill ? q->skill : "");
    db_bind_int(st, ":since", since);
    db_bind_int(st, ":before", before);
}

/* The ranking: bm25 with field weights, times a mild boost of at most 1.3 for pages that are
 * read (page views in the last 30 days, log-scaled: 10 views +0.05, 100 +0.10, 1000 or more
 * +0.15) and pages whose owners verified them lately (+0.15 within 90 days, fading to nothing
 * at a year), and +0.15 for a page tagged with a skill the query names (a11y: the pages tagged
 * accessibility, over pages Porter's stemming only makes look alike, such as "access"). bm25
 * is negative, so a bigger factor ranks higher. The boost only reorders pages whose text
 * scores are within 45% of each other, and it is applied to the POOL best by text alone, so it
 * costs POOL index lookups per query, not one per matching page. */
static double boost(int64_t views, int64_t verified_at, int tagged, int64_t now)
{
    double b = 1.0 + fmin(0.15, 0.05 * log10(1.0 + (double)views)) + (tagged ? 0.15 : 0);
    if (verified_at > 0) {
        double days = (double)(now - verified_at) / SECONDS_PER_DAY;
        b += days <= 90 ? 0.15 : days < 365 ? 0.15 * (365 - days) / 275 : 0;
    }
    return b;
}

struct ranked {
    int64_t id;
    double score;
};

static int by_score(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static void add_facet(struct arena *a, struct search_result *out, int kind, const char *value,
                      const char *label, int count)
{
    struct search_facet *f = arena_alloc(a, sizeof *f), **tail = &out->facets[kind];
    f->value = arena_strdup(a, value);
    f->label = arena_strdup(a, label && *label ? label : value);
    f->count = count;
    /* most pages first, then by name: the order SQL gave, except for people (sorted here) */
    while (*tail && ((*tail)->count > count ||
                     ((*tail)->count == count && strcmp((*tail)->label, f->label) <= 0)))
        tail = &(*tail)->next;
    f->next = *tail;
    *tail = f;
}

/* Turns the four age buckets of kind 4 (0 older, 1 this year, 2 this month, 3 this week) into
 * the facet values, each counting the shorter ranges too, as updated: selects them. */
static void add_updated(struct arena *a, struct search_result *out, const int bucket[4])
{
    static const char *const names[] = {"week", "month", "year", "older"};
    static const char *const labels[] = {"This week", "This month", "This year", "Older"};
    int counts[4] = {bucket[3], bucket[3] + bucket[2], bucket[3] + bucket[2] + bucket[1],
                     bucket[0]};
    struct search_facet **tail = &out->facets[SEARCH_FACET_UPDATED];
    for (int i = 0; i < 4; i++) {
        if (!counts[i])
            continue;
        struct search_facet *f = arena_alloc(a, sizeof *f);
        f->value = names[i];
        f->label = labels[i];
        f->count = counts[i];
        *tail = f;
        tail = &f->next;
    }
}

/* Reads the hit rows of st into slots[i] for the page ids[i] (pages gone are left NULL). */
static void read_hits(sqlite3_stmt *st, struct arena *a, const int64_t *ids, int n,
                      struct search_hit **slots)
{
    while (db_step(st) == SQLITE_ROW) {
        int64_t id = db_col_int(st, 0);
        int i = 0;
        while (i < n && ids[i] != id)
            i++;
        if (i == n || slots[i])
            continue;
        struct search_hit *h = arena_alloc(a, sizeof *h);
        h->id = id;
        h->type = "page";
        h->path = arena_strdup(a, db_col_text(st, 1));
        h->title = arena_strdup(a, db_col_text(st, 2));
        h->space = arena_strdup(a, db_col_text(st, 3));
        h->editor = arena_strdup(a, db_col_text(st, 4));
        h->updated_at = db_col_int(st, 5);
        h->snippet = arena_strdup(a, db_col_text(st, 6));
        h->title_marked = arena_strdup(a, db_col_text(st, 7));
        slots[i] = h;
    }
    sqlite3_reset(st);
}

/* Returns the hits for pages ids[0..n), in that order, in a. */
static struct search_hit *load_hits(struct db *db, struct arena *a, const struct search_query *q,
                                    const int64_t *ids, int n, int total)
{
    struct search_hit **slots = arena_alloc(a, (size_t)(n > 0 ? n : 1) * sizeof *slots);
    if (q->fts && (total > SCAN_MAX || total >= CAP)) { /* CAP: more match than were read */
        for (int i = 0; i < n; i++) {
            sqlite3_stmt *st = db_stmt(db, SQL_HIT_SEEK);
            db_bind_text(st, ":q", q->fts);
            db_bind_int(st, ":id", ids[i]);
            read_hits(st, a, ids, n, slots);
        }
    } else if (n) {
        struct buf list;
        buf_init(&list, 0);
        for (int i = 0; i < n; i++)
            buf_printf(&list, "%s%lld", i ? "," : "[", (long long)ids[i]);
        buf_putc(&list, ']');
        sqlite3_stmt *st = db_stmt(db, q->fts ? SQL_HITS_SCAN : SQL_HITS_FILTER);
        if (q->fts)
            db_bind_text(st, ":q", q->fts);
        db_bind_text(st, ":ids", buf_str(&list));
        read_hits(st, a, ids, n, slots);
        buf_free(&list);
    }
    struct search_hit *head = NULL, **tail = &head;
    for (int i = 0; i < n; i++)
        if (slots[i]) {
            *tail = slots[i];
            tail = &slots[i]->next;
        }
    return head;
}

/* Appends to ids the pages at text-order positions [offset, offset + limit). */
static int deep(struct db *db, const struct search_query *q, const char *spec, int64_t now,
                int limit, int offset, int64_t *ids, int *n)
{
    sqlite3_stmt *st =
        db_stmt(db, spec ? SQL_DEEP_RANKED : q->fts ? SQL_DEEP_MATCH : SQL_DEEP_FILTER);
    if (q->fts)
        db_bind_text(st, ":q", q->fts);
    if (spec)
        db_bind_text(st, ":spec", spec);
    bind_filters(st, q, now);
    db_bind_int(st, ":limit", limit);
    db_bind_int(st, ":offset", offset);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW)
        ids[(*n)++] = db_col_int(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- ranked partial matching */

/* Connections that have ken_rank, guarded by rank_lock; a connection leaves the list when it
 * closes (the marker function's destructor). */
enum { RANK_CONNECTIONS = 1024 };
static sqlite3 *rank_ready[RANK_CONNECTIONS];
static pthread_mutex_t rank_lock = PTHREAD_MUTEX_INITIALIZER;

static void rank_forget(void *h)
{
    pthread_mutex_lock(&rank_lock);
    for (int i = 0; i < RANK_CONNECTIONS; i++)
        if (rank_ready[i] == h)
            rank_ready[i] = NULL;
    pthread_mutex_unlock(&rank_lock);
}

static void rank_marker(sqlite3_context *ctx, int n, sqlite3_value **v)
{
    (void)n, (void)v;
    sqlite3_result_null(ctx);
}

static fts5_api *fts5(struct db *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT fts5(:api)");
    sqlite3_bind_pointer(st, sqlite3_bind_parameter_index(st, ":api"), (void *)&api,
                         "fts5_api_ptr", NULL);
    db_step(st);
    sqlite3_reset(st);
    return api;
}

/* Registers ken_rank on db's connection unless it has it. Returns 0 or -1. */
static int rank_register(struct db *db)
{
    sqlite3 *h = db_handle(db);
    int free_slot = -1;
    pthread_mutex_lock(&rank_lock);
    for (int i = 0; i < RANK_CONNECTIONS; i++) {
        if (rank_ready[i] == h) {
            pthread_mutex_unlock(&rank_lock);
            return 0;
        }
        if (!rank_ready[i] && free_slot < 0)
            free_slot = i;
    }
    pthread_mutex_unlock(&rank_lock);
    fts5_api *api = fts5(db);
    if (!api || api->xCreateFunction(api, "ken_rank", NULL, search_rank_fn, NULL) != SQLITE_OK)
        return -1;
    if (free_slot < 0) /* a full list: registered again next time, which is harmless */
        return 0;
    if (sqlite3_create_function_v2(h, "ken_rank_ready", 0, SQLITE_UTF8, h, rank_marker, NULL,
                                   NULL, rank_forget) != SQLITE_OK)
        return 0;
    pthread_mutex_lock(&rank_lock);
    rank_ready[free_slot] = h;
    pthread_mutex_unlock(&rank_lock);
    return 0;
}

/* Phrases in an FTS5 expression made by query_read (each between quotes, none holding one). */
static int phrases(const char *fts)
{
    int n = 0;
    for (; fts && *fts; fts++)
        n += *fts == '"';
    return n / 2;
}

/* Pages the rarest groups may bring in before the rest only score them; past MANY candidates,
 * the pages with a word in their title, headings or tags are ranked first, and the rest only
 * when those are not enough for the page of results asked for. */
enum { CANDIDATES = 300, MANY = 600 };

/* How ranked_match narrows the candidates. */
enum narrowing {
    NARROW_RARE, /* pages with any of the rarest groups, up to CANDIDATES pages */
    NARROW_ALL,  /* every group is common: pages with all of them */
    NARROW_ONE,  /* every group is common and no page has all: pages with the rarest */
};

/* Appends the groups in `in` (all when NULL) joined by op to m, and for each of their phrases
 * `group:weight` to s (group -1 when unscored). */
static void put_groups(struct buf *m, struct buf *s, const struct search_terms *t, const int *in,
                       const char *op, int scored)
{
    int k = 0;
    buf_putc(m, '(');
    for (int i = 0; i < t->n; i++) {
        if (in && !in[i])
            continue;
        buf_printf(m, "%s%s", k++ ? op : "", t->groups[i].fts);
        const char *w = t->groups[i].weights;
        for (int p = phrases(t->groups[i].fts); p > 0; p--) {
            char *end = NULL;
            double v = w ? strtod(w, &end) : 0;
            if (!w || end == w)
                v = t->groups[i].weight;
            else
                w = end;
            if (scored)
                buf_printf(s, " %d:%.4f", i, v);
            else
                buf_puts(s, " -1:0");
        }
    }
    buf_putc(m, ')');
}

/* Builds the MATCH expression and ken_rank's spec for t. NARROW_RARE: pages holding any group,
 * the rarest first while their pages add up to CANDIDATES (at least one); the commoner groups
 * then only score the pages the rarer ones found, so a common word never makes every page a
 * candidate. Returns what it did: when even the rarest group is in more than CANDIDATES pages,
 * `how` NARROW_ALL takes the pages with every group, NARROW_ONE those with the rarest. */
static enum narrowing ranked_match(struct arena *a, const struct search_terms *t,
                                   enum narrowing how, int titles, const char **match,
                                   const char **spec, int64_t *estimate)
{
    int *order = arena_alloc(a, (size_t)t->n * sizeof *order);
    int *in = arena_alloc(a, (size_t)t->n * sizeof *in);
    for (int i = 0; i < t->n; i++)
        order[i] = i;
    for (int i = 1; i < t->n; i++) /* by pages holding them, fewest first (few groups) */
        for (int k = i; k > 0 && t->groups[order[k]].docs < t->groups[order[k - 1]].docs; k--) {
            int x = order[k];
            order[k] = order[k - 1];
            order[k - 1] = x;
        }
    int64_t sum = 0;
    int narrow = 0;
    for (int i = 0; i < t->n; i++) {
        int docs = t->groups[order[i]].docs > 0 ? t->groups[order[i]].docs : 0;
        if (narrow && sum + docs > CANDIDATES)
            break;
        in[order[i]] = 1;
        sum += docs;
        narrow++;
    }
    if (sum <= CANDIDATES || t->n == 1)
        how = NARROW_RARE;
    *estimate = sum; /* pages the match may hold at most (ALL: the rarest group's) */
    if (how != NARROW_RARE)
        *estimate = t->groups[order[0]].docs;
    struct buf m, s;
    buf_init(&m, 0);
    buf_init(&s, 0);
    buf_printf(&s, "%d", t->core > 0 && t->core < t->n ? t->core : t->n);
    if (titles)
        buf_puts(&m, "{title headings tags} : (");
    if (how == NARROW_ALL) {
        put_groups(&m, &s, t, NULL, " AND ", 1);
    } else {
        if (narrow < t->n) {
            put_groups(&m, &s, t, in, " OR ", 0);
            buf_puts(&m, " AND ");
        }
        put_groups(&m, &s, t, NULL, " OR ", 1);
    }
    if (titles)
        buf_putc(&m, ')');
    if (t->exclude) {
        buf_printf(&m, " NOT (%s)", t->exclude);
        for (int p = phrases(t->exclude); p > 0; p--)
            buf_puts(&s, " -1:0");
    }
    *match = arena_adopt(a, buf_take(&m));
    *spec = arena_adopt(a, buf_take(&s));
    return how;
}

static int find_pages(struct db *db, struct arena *a, const struct search_query *q,
                      const char *spec, int limit, int offset, int facets,
                      struct search_result *out);

int search_store_pages(struct db *db, struct arena *a, const struct search_query *asked, int limit,
                       int offset, int facets, struct search_result *out)
{
    if (asked->ranked && asked->ranked->n > 0 && asked->ranked->n <= 32) {
        if (rank_register(db) != 0)
            return -1;
        struct search_query *q = arena_alloc(a, sizeof *q);
        *q = *asked;
        const char *spec;
        int64_t estimate;
        enum narrowing how = NARROW_ALL;
        for (int titles = 1; titles >= 0; titles--) {
            how = ranked_match(a, asked->ranked, how, titles, &q->fts, &spec, &estimate);
            if (titles && estimate <= MANY)
                continue; /* few enough to rank them all */
            int rc = find_pages(db, a, q, spec, limit, offset, facets, out);
            if (rc != 0)
                return rc;
            if (out->total >= offset + limit || (out->total > 0 && !titles))
                return 0;
            if (!titles && how == NARROW_ALL) { /* no page has every group */
                how = NARROW_ONE;
                titles = 2;
            }
        }
        return 0;
    }
    return find_pages(db, a, asked, NULL, limit, offset, facets, out);
}

/* search_store_pages for q->fts as it is, ranked by ken_rank with spec when not NULL. */
static int find_pages(struct db *db, struct arena *a, const struct search_query *q,
                      const char *spec, int limit, int offset, int facets,
                      struct search_result *out)
{
    memset(out, 0, sizeof *out);
    if ((!q->fts && !search_query_filtered(q)) || (q->type && strcmp(q->type, "page") != 0))
        return 0;
    int64_t now = (int64_t)time(NULL);
    sqlite3_stmt *st =
        db_stmt(db, spec ? SQL_PASS_RANKED : q->fts ? SQL_PASS_MATCH : SQL_PASS_FILTER);
    if (q->fts)
        db_bind_text(st, ":q", q->fts);
    if (spec)
        db_bind_text(st, ":spec", spec);
    bind_filters(st, q, now);
    db_bind_int(st, ":boost", q->fts != NULL);
    char *names = q->fts ? search_query_names(q->text) : NULL;
    db_bind_text(st, ":names", names ? names : "[]");
    free(names);
    db_bind_int(st, ":day", now / SECONDS_PER_DAY - 30);
    db_bind_int(st, ":pool", POOL);
    if (spec)
        db_bind_int(st, ":cap", CAP);
    db_bind_int(st, ":facets", facets);
    db_bind_int(st, ":flimit", SEARCH_FACET_MAX);
    db_bind_int(st, ":week", now - 7 * SECONDS_PER_DAY);
    db_bind_int(st, ":month", now - 30 * SECONDS_PER_DAY);
    db_bind_int(st, ":year", now - 365 * SECONDS_PER_DAY);
    struct ranked pool[POOL];
    int npool = 0, bucket[4] = {0}, rc, whole = 0;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int kind = (int)db_col_int(st, 0);
        int64_t n = db_col_int(st, 1);
        if (kind == 0 && npool < POOL) {
            double s = sqlite3_column_double(st, 2), tier = 0;
            if (spec && s <= -(double)SEARCH_RANK_TIER) { /* the boost moves pages in a tier */
                tier = -(double)SEARCH_RANK_TIER;
                s -= tier;
            }
            double b =
                q->fts ? boost(db_col_int(st, 4), db_col_int(st, 3), db_col_int(st, 5), now) : 1.0;
            pool[npool++] = (struct ranked){n, tier + s * b};
        } else if (kind >= 1 && kind <= 3) {
            add_facet(a, out, kind - 1, db_col_text(st, 5), db_col_text(st, 6), (int)n);
        } else if (kind == 4) {
            int64_t i = db_col_int(st, 5);
            if (i >= 0 && i < 4)
                bucket[i] = (int)n;
        } else if (kind == 5) {
            out->total = (int)n;
            whole = (int)db_col_int(st, 2);
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    out->partial = spec && out->total > 0 && whole == 0;
    if (facets)
        add_updated(a, out, bucket);
    qsort(pool, (size_t)npool, sizeof *pool, by_score);

    int64_t *ids = arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof *ids);
    int n = 0;
    for (int i = offset; i < npool && i < offset + limit; i++)
        ids[n++] = pool[i].id;
    if (offset + limit > npool && out->total > npool) {
        int from = offset > npool ? offset : npool;
        if (deep(db, q, spec, now, offset + limit - from, from, ids, &n) != 0)
            return -1;
    }
    out->hits = load_hits(db, a, q, ids, n, out->total);
    return 0;
}

/* ---- a cache of results: the same query asked again (the next page, a facet and back, the
 * popular questions of the day) is answered from memory until the index changes. */

enum { CACHE_SLOTS = 256, CACHE_SECONDS = 60 };

struct cached {
    char *key;           /* the query, filters and page asked for; NULL: a free slot */
    uint64_t index;      /* a hash of the index's structure record when it was made */
    time_t made;
    uint64_t used;       /* for evicting the least recently used */
    struct arena *mem;   /* holds res */
    struct search_result res;
};

/* Shared by every worker thread, guarded by cache_lock. */
static struct cached cache[CACHE_SLOTS];
static uint64_t cache_clock;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* Returns a hash of the FTS5 structure record of page_search (the list of its segments, which
 * any committed change to the index rewrites), or 0 when it cannot be read. */
static uint64_t index_version(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT block FROM page_search_data WHERE id = 10");
    uint64_t h = 0;
    if (db_step(st) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(st, 0);
        int n = sqlite3_column_bytes(st, 0);
        h = 14695981039346656037u; /* FNV-1a */
        for (int i = 0; i < n; i++)
            h = (h ^ p[i]) * 1099511628211u;
    }
    sqlite3_reset(st);
    return h;
}

uint64_t search_store_index_version(struct db *db)
{
    return index_version(db);
}

static struct search_hit *copy_hits(struct arena *a, const struct search_hit *h)
{
    struct search_hit *head = NULL, **tail = &head;
    for (; h; h = h->next) {
        struct search_hit *c = arena_alloc(a, sizeof *c);
        *c = *h;
        c->path = arena_strdup(a, h->path);
        c->title = arena_strdup(a, h->title);
        c->space = arena_strdup(a, h->space);
        c->editor = arena_strdup(a, h->editor);
        c->snippet = arena_strdup(a, h->snippet);
        c->title_marked = arena_strdup(a, h->title_marked);
        c->next = NULL;
        *tail = c;
        tail = &c->next;
    }
    return head;
}

static void copy_result(struct arena *a, const struct search_result *from, struct search_result *to)
{
    to->total = from->total;
    to->partial = from->partial;
    to->hits = copy_hits(a, from->hits);
    for (int k = 0; k < SEARCH_FACETS; k++) {
        struct search_facet **tail = &to->facets[k];
        *tail = NULL;
        for (const struct search_facet *f = from->facets[k]; f; f = f->next) {
            struct search_facet *c = arena_alloc(a, sizeof *c);
            c->value = arena_strdup(a, f->value);
            c->label = arena_strdup(a, f->label);
            c->count = f->count;
            *tail = c;
            tail = &c->next;
        }
    }
}

int search_store_pages_cached(struct db *db, struct arena *a, const struct search_query *q,
                              int limit, int offset, int facets, struct search_result *out)
{
    /* the text too: the skills it names move the boost (C++ and C make the same fts) */
    char *key = arena_printf(a,
                             "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f"
                             "%d\x1f%d\x1f%d",
                             q->text ? q->text : "", q->fts ? q->fts : "", q->space ? q->space : "",
                             q->tag ? q->tag : "", q->author ? q->author : "",
                             q->type ? q->type : "", q->updated ? q->updated : "",
                             q->dept ? q->dept : "", q->skill ? q->skill : "", limit, offset,
                             facets);
    if (q->ranked) { /* the reading too: synonyms and corrections are not in the text */
        struct buf k;
        buf_init(&k, 0);
        buf_puts(&k, key);
        for (int i = 0; i < q->ranked->n; i++)
            buf_printf(&k, "\x1f%s:%.3f", q->ranked->groups[i].fts, q->ranked->groups[i].weight);
        buf_printf(&k, "\x1f-%s", q->ranked->exclude ? q->ranked->exclude : "");
        key = arena_adopt(a, buf_take(&k));
    }
    uint64_t version = index_version(db);
    time_t now = time(NULL);
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < CACHE_SLOTS; i++) {
        struct cached *c = &cache[i];
        if (c->key && c->index == version && now - c->made < CACHE_SECONDS &&
            strcmp(c->key, key) == 0) {
            c->used = ++cache_clock;
            copy_result(a, &c->res, out);
            pthread_mutex_unlock(&cache_lock);
            return 0;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    int rc = search_store_pages(db, a, q, limit, offset, facets, out);
    if (rc != 0 || !version)
        return rc;
    struct arena *mem = arena_new();
    struct search_result kept;
    copy_result(mem, out, &kept);
    char *kept_key = arena_strdup(mem, key);
    pthread_mutex_lock(&cache_lock);
    struct cached *slot = &cache[0];
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (!cache[i].key) {
            slot = &cache[i];
            break;
        }
        if (cache[i].used < slot->used)
            slot = &cache[i];
    }
    struct arena *old = slot->mem;
    *slot = (struct cached){kept_key, version, now, ++cache_clock, mem, kept};
    pthread_mutex_unlock(&cache_lock);
    if (old)
        arena_free(old);
    return 0;
}

/* ---- suggestions while typing */

static const char *const SQL_TITLE_PREFIX =
    "SELECT path, title FROM pages WHERE deleted_at IS NULL AND title >= :lo COLLATE NOCASE "
    "AND title < :lo || char(1114111) COLLATE NOCASE ORDER BY title COLLATE NOCASE, id "
    "LIMIT :limit";

static const char *const SQL_TITLE_WORDS =
    "SELECT p.path, p.title FROM page_search JOIN pages p ON p.id = page_search.rowid "
    "WHERE page_search MATCH :q AND p.deleted_at IS NULL ORDER BY rank LIMIT :limit";

static int has_path(const struct search_hit *h, const char *path)
{
    for (; h; h = h->next)
        if (strcmp(h->path, path) == 0)
            return 1;
    return 0;
}

static void add_titles(sqlite3_stmt *st, struct arena *a, struct search_hit **head, int *n,
                       int limit)
{
    struct search_hit **tail = head;
    while (*tail)
        tail = &(*tail)->next;
    while (*n < limit && db_step(st) == SQLITE_ROW) {
        if (has_path(*head, db_col_text(st, 0)))
            continue;
        struct search_hit *h = arena_alloc(a, sizeof *h);
        h->type = "page";
        h->path = arena_strdup(a, db_col_text(st, 0));
        h->title = arena_strdup(a, db_col_text(st, 1));
        *tail = h;
        tail = &h->next;
        (*n)++;
    }
    sqlite3_reset(st);
}

struct search_hit *search_store_titles(struct db *db, struct arena *a, const char *text,
                                       const char *words, int limit)
{
    struct search_hit *head = NULL;
    int n = 0;
    sqlite3_stmt *st = db_stmt(db, SQL_TITLE_PREFIX);
    db_bind_text(st, ":lo", text);
    db_bind_int(st, ":limit", limit);
    add_titles(st, a, &head, &n, limit);
    for (int pass = 0; pass < 2; pass++) { /* every word, then the telling ones */
        const char *w = pass ? words : text;
        if (pass && (!words || strcmp(words, text) == 0))
            break;
        const char *fts = n < limit ? search_query_column_words(a, "title", w, 0) : NULL;
        if (!fts)
            continue;
        st = db_stmt(db, SQL_TITLE_WORDS);
        db_bind_text(st, ":q", fts);
        db_bind_int(st, ":limit", limit);
        add_titles(st, a, &head, &n, limit);
    }
    return head;
}

/* ---- the vocabulary, for spelling */

/* Calls `cb` for each token of text as page_search's tokenizer makes them (see
 * schema/0002_page_search.sql), asked through the FTS5 API so that words are stemmed exactly
 * as the index stems them. Returns 0, or -1 when the tokenizer is not there. */
static int tokenize(struct db *db, const char *text, size_t len, int flags, void *ctx,
                    int (*cb)(void *, int, const char *, int, int, int))
{
    fts5_api *api = fts5(db);
    void *ud;
    fts5_tokenizer tok;
    Fts5Tokenizer *t;
    const char *args[] = {"unicode61", "remove_diacritics", "2"};
    if (!api || api->xFindTokenizer(api, "porter", &ud, &tok) != SQLITE_OK ||
        tok.xCreate(ud, args, 3, &t) != SQLITE_OK)
        return -1;
    tok.xTokenize(t, ctx, flags, text, (int)len, cb);
    tok.xDelete(t);
    return 0;
}

static int tokenize(struct db *db, const char *text, size_t len, int flags, void *ctx,
                    int (*cb)(void *, int, const char *, int, int, int));

/* ---- the words of a few pages, for the bridge */

struct page_terms {
    struct arena *a;
    struct search_term **slots; /* a hash of the terms seen, TERM_SLOTS of them */
    struct search_term *list;
    int64_t page;               /* the page being read: each counts a term once */
    int n;
};
enum { TERM_SLOTS = 4096, TERMS_MAX = 3000 };

/* The last page a term was counted for, kept in the node beside it. */
struct counted_term {
    struct search_term t;
    int64_t page;
};

static int count_term(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)start, (void)end;
    struct page_terms *pt = ctx;
    if ((flags & FTS5_TOKEN_COLOCATED) || n < 3 || n > 30)
        return SQLITE_OK;
    unsigned h = 2166136261u;
    for (int i = 0; i < n; i++)
        h = (h ^ (unsigned char)token[i]) * 16777619u;
    struct search_term **slot = &pt->slots[h % TERM_SLOTS];
    for (; *slot; slot = &(*slot)->next)
        if ((int)strlen((*slot)->term) == n && memcmp((*slot)->term, token, (size_t)n) == 0)
            break;
    if (!*slot) {
        if (pt->n >= TERMS_MAX)
            return SQLITE_OK;
        struct counted_term *c = arena_alloc(pt->a, sizeof *c);
        c->t.term = arena_strndup(pt->a, token, (size_t)n);
        c->page = 0;
        *slot = &c->t;
        pt->n++;
    }
    struct counted_term *c = (struct counted_term *)*slot;
    if (c->page != pt->page) {
        c->page = pt->page;
        c->t.docs++;
    }
    return SQLITE_OK;
}

struct search_term *search_store_page_terms(struct db *db, struct arena *a, const int64_t *ids,
                                            int n)
{
    struct page_terms pt = {a, arena_alloc(a, TERM_SLOTS * sizeof *pt.slots), NULL, 0, 0};
    for (int i = 0; i < n; i++) {
        sqlite3_stmt *st = db_stmt(db, "SELECT title || char(10) || headings || char(10) || "
                                       "body FROM page_text WHERE page_id = :id");
        db_bind_int(st, ":id", ids[i]);
        if (db_step(st) == SQLITE_ROW) {
            const char *text = db_col_text(st, 0);
            pt.page = ids[i];
            tokenize(db, text, strlen(text), FTS5_TOKENIZE_DOCUMENT, &pt, count_term);
        }
        sqlite3_reset(st);
    }
    /* the slots' chains hold every term once: gather them (next is reused for the list) */
    struct search_term *head = NULL;
    for (int k = 0; k < TERM_SLOTS; k++) {
        struct search_term *t = pt.slots[k];
        while (t) {
            struct search_term *next = t->next;
            t->next = head;
            head = t;
            t = next;
        }
    }
    return head;
}

struct first_token {
    struct arena *a;
    const char *token;
};

static int take_first(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)flags, (void)start, (void)end;
    struct first_token *f = ctx;
    f->token = arena_strndup(f->a, token, (size_t)n);
    return SQLITE_DONE;
}

const char *search_store_stem(struct db *db, struct arena *a, const char *word)
{
    struct first_token f = {a, NULL};
    tokenize(db, word, strlen(word), FTS5_TOKENIZE_QUERY, &f, take_first);
    return f.token;
}

int search_store_term_docs(struct db *db, const char *term)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT (SELECT coalesce(sum(doc), 0) FROM page_search_vocab "
                                   "WHERE term = :t) + (SELECT coalesce(sum(doc), 0) FROM "
                                   "people_search_vocab WHERE term = :t)");
    db_bind_text(st, ":t", term);
    int rc = db_step(st), docs = rc == SQLITE_ROW ? (int)db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? docs : -1;
}

int search_store_term_pages(struct db *db, const char *term)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT doc FROM page_search_vocab WHERE term = :t");
    db_bind_text(st, ":t", term);
    int rc = db_step(st), docs = rc == SQLITE_ROW ? (int)db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? docs : -1;
}

int64_t search_store_page_count(struct db *db)
{
    /* FTS5's averages record (id 1) starts with the row count as an SQLite varint. */
    sqlite3_stmt *st = db_stmt(db, "SELECT block FROM page_search_data WHERE id = 1");
    int64_t n = -1;
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(st, 0);
        int len = sqlite3_column_bytes(st, 0);
        uint64_t v = 0;
        for (int i = 0; i < len && i < 9; i++) {
            if (i == 8) {
                v = (v << 8) | p[i];
                break;
            }
            v = (v << 7) | (p[i] & 0x7f);
            if (!(p[i] & 0x80))
                break;
        }
        n = (int64_t)v;
    } else if (rc == SQLITE_DONE) {
        n = 0;
    }
    sqlite3_reset(st);
    return n;
}

struct search_term *search_store_terms(struct db *db, struct arena *a, const char *lo,
                                       const char *hi)
{
    /* Pages' words and the words of people everyone may see (schema 0020), in term order. */
    sqlite3_stmt *st = db_stmt(db, "SELECT term, sum(doc) FROM (SELECT term, doc FROM "
                                   "page_search_vocab WHERE term >= :lo AND term < :hi UNION ALL "
                                   "SELECT term, doc FROM people_search_vocab WHERE term >= :lo "
                                   "AND term < :hi) GROUP BY term ORDER BY term");
    db_bind_text(st, ":lo", lo);
    db_bind_text(st, ":hi", hi);
    struct search_term *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct search_term *t = arena_alloc(a, sizeof *t);
        t->term = arena_strdup(a, db_col_text(st, 0));
        t->docs = (int)db_col_int(st, 1);
        *tail = t;
        tail = &t->next;
    }
    sqlite3_reset(st);
    return head;
}

/* Finds the bytes of token number `want` of a column's text. */
struct nth_token {
    int want, seen, start, end;
};

static int take_nth(void *ctx, int flags, const char *token, int n, int start, int end)
{
    (void)token, (void)n;
    struct nth_token *t = ctx;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (t->seen++ < t->want)
        return SQLITE_OK;
    t->start = start;
    t->end = end;
    return SQLITE_DONE;
}

const char *search_store_term_forms(struct db *db, struct arena *a, const char *term)
{
    /* Where the index has the term (page, column, token number), then that token in the text
     * the index was made from. */
    sqlite3_stmt *st = db_stmt(db, "SELECT doc, col, offset FROM page_search_vocab_instance "
                                   "WHERE term = :t AND col IN ('title', 'headings', 'body') "
                                   "LIMIT 12");
    db_bind_text(st, ":t", term);
    struct place {
        int64_t doc;
        char col[16];
        int offset;
    } places[12];
    int n = 0;
    while (n < 12 && db_step(st) == SQLITE_ROW) {
        places[n].doc = db_col_int(st, 0);
        snprintf(places[n].col, sizeof places[n].col, "%s", db_col_text(st, 1));
        places[n].offset = (int)db_col_int(st, 2);
        n++;
    }
    sqlite3_reset(st);
    int pages = n;
    if (n == 0) { /* a word only people have: a name, a team (the index everyone searches) */
        st = db_stmt(db, "SELECT doc, col, offset FROM people_search_vocab_instance WHERE term = "
                         ":t AND col IN ('name', 'title', 'department', 'team') LIMIT 12");
        db_bind_text(st, ":t", term);
        while (n < 12 && db_step(st) == SQLITE_ROW) {
            places[n].doc = db_col_int(st, 0);
            snprintf(places[n].col, sizeof places[n].col, "%s", db_col_text(st, 1));
            places[n].offset = (int)db_col_int(st, 2);
            n++;
        }
        sqlite3_reset(st);
    }
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < n; i++) {
        st = pages ? db_stmt(db, "SELECT CASE :col WHEN 'title' THEN title WHEN 'headings' THEN "
                                 "headings ELSE body END FROM page_text WHERE page_id = :doc")
                   : db_stmt(db, "SELECT CASE :col WHEN 'name' THEN name WHEN 'title' THEN title "
                                 "WHEN 'department' THEN department ELSE team END FROM "
                                 "people_search WHERE rowid = :doc");
        db_bind_text(st, ":col", places[i].col);
        db_bind_int(st, ":doc", places[i].doc);
        if (db_step(st) == SQLITE_ROW) {
            const char *text = db_col_text(st, 0);
            struct nth_token t = {places[i].offset, 0, -1, -1};
            tokenize(db, text, strlen(text), FTS5_TOKENIZE_DOCUMENT, &t, take_nth);
            if (t.start >= 0 && t.end > t.start)
                buf_printf(&b, SNIPPET_OPEN "%.*s" SNIPPET_CLOSE " ", t.end - t.start,
                           text + t.start);
        }
        sqlite3_reset(st);
    }
    return arena_adopt(a, buf_take(&b));
}
