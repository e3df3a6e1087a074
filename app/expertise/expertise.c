#include "expertise/expertise.h"
#include "core/buf.h"
#include "search/search_query.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { PAGES_CONSIDERED = 200, PEOPLE_MAX = 2000, EVIDENCE_MAX = 5, SAMPLE_MAX = 4000,
       FEW_PAGES = 3 /* fewer pages with every word: read the topic as any of its words */ };

/* Weights of the evidence, relative to writing the one page that matches best (1.0). */
static const double W_DECLARED[] = {0, 0.25, 0.5, 0.8}; /* learning, practised, expert */
static const double W_ENDORSEMENT = 0.12;   /* per log2 step of endorsement weight */
static const double W_EXPERT_ENDORSER = 2;  /* an endorsement from someone who has the skill */
static const double W_OWNER = 0.15;         /* owning a matching page, times its relevance */
static const double W_VERIFIED = 0.1;       /* having verified it */
static const double HALF_LIFE_DAYS = 540;   /* writing counts half after a year and a half */
static const double DECAY_FLOOR = 0.3;      /* and never less than this: old runbooks still count */

static struct expert *find(struct expert **all, int *n, struct arena *a, int64_t id)
{
    for (int i = 0; i < *n; i++)
        if (all[i]->user_id == id)
            return all[i];
    if (*n >= PEOPLE_MAX)
        return NULL;
    struct expert *e = arena_alloc(a, sizeof *e);
    e->user_id = id;
    all[(*n)++] = e;
    return e;
}

static double decay(int64_t now, int64_t at)
{
    double days = (double)(now - at) / 86400.0;
    double d = pow(0.5, days > 0 ? days / HALF_LIFE_DAYS : 0);
    return d < DECAY_FLOOR ? DECAY_FLOOR : d;
}

static void add_evidence(struct arena *a, struct expert *e, const char *path, const char *title,
                         double share, int64_t last_at)
{
    struct expert_page *p = arena_alloc(a, sizeof *p);
    p->path = arena_strdup(a, path);
    p->title = arena_strdup(a, title);
    p->share = share;
    p->last_at = last_at;
    p->next = e->evidence;
    e->evidence = p;
}

/* How many pages match: cheap, FTS5 counts from its doclists without reading the pages. */
static int64_t count_matching(struct db *db, const char *fts)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM page_search WHERE page_search MATCH :q");
    db_bind_text(st, ":q", fts);
    int64_t n = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

/* What they wrote: each matching page's relevance, shared out by who wrote its text.
 * Ranking every match by bm25 costs about a microsecond a page, so for a topic that matches
 * more than SAMPLE_MAX pages (a common word in a big wiki) the pages are first thinned to a fixed
 * pseudo-random sample of about SAMPLE_MAX by a hash of their id: a person's share of the
 * best-matching pages is estimated from the sample as well as from all of them, the same
 * query always sees the same sample, and the cost stays bounded however big the wiki grows. */
static int score_writing(struct db *db, struct arena *a, const char *fts, int64_t matches,
                         int64_t now, struct expert **all, int *n)
{
    int64_t keep = matches > SAMPLE_MAX ? SAMPLE_MAX * 4096 / matches : 4096;
    sqlite3_stmt *st = db_stmt(
        db, "WITH hits AS (SELECT rowid AS page_id, -bm25(page_search, 10.0, 5.0, 1.0, 4.0, 2.0, "
            "2.0) AS score FROM page_search WHERE page_search MATCH :q AND "
            "((rowid * 2654435761) & 4095) < :keep ORDER BY score DESC LIMIT :limit), "
            "totals AS (SELECT page_id, sum(chars) AS total FROM page_contributions WHERE page_id "
            "IN (SELECT page_id FROM hits) GROUP BY page_id) "
            "SELECT c.user_id, h.score, c.chars * 1.0 / max(t.total, 1), c.last_at, p.path, p.title, "
            "(SELECT count(*) FROM hits), (SELECT max(score) FROM hits), "
            "EXISTS (SELECT 1 FROM page_owners o WHERE o.page_id = p.id AND o.user_id = c.user_id), "
            "coalesce(p.verified_by = c.user_id, 0) "
            "FROM hits h JOIN pages p ON p.id = h.page_id AND p.deleted_at IS NULL "
            "JOIN page_contributions c ON c.page_id = h.page_id JOIN totals t ON t.page_id = "
            "h.page_id ORDER BY h.score DESC");
    db_bind_text(st, ":q", fts);
    db_bind_int(st, ":keep", keep);
    db_bind_int(st, ":limit", PAGES_CONSIDERED);
    int matching = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct expert *e = find(all, n, a, db_col_int(st, 0));
        if (!e)
            continue;
        double rel = sqlite3_column_double(st, 1) / fmax(sqlite3_column_double(st, 7), 1e-9);
        double share = sqlite3_column_double(st, 2);
        int64_t last = db_col_int(st, 3);
        matching = (int)db_col_int(st, 6);
        e->writing += rel * share * decay(now, last);
        e->owned += rel * (W_OWNER * (double)db_col_int(st, 8) + W_VERIFIED * (double)db_col_int(st, 9));
        e->pages++;
        if (last > e->last_activity)
            e->last_activity = last;
        if (e->pages <= EVIDENCE_MAX)
            add_evidence(a, e, db_col_text(st, 4), db_col_text(st, 5), share, last);
    }
    sqlite3_reset(st);
    for (int i = 0; i < *n; i++)
        all[i]->matching_pages = matching;
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Words that say nothing about a topic, left out when a question is read as "any of its words". */
static int is_stopword(const char *w, size_t n)
{
    static const char *const words[] = {
        "a", "about", "after", "all", "an", "and", "any", "are", "as", "at", "be", "by", "can",
        "do", "does", "for", "from", "get", "has", "have", "how", "i", "if", "in", "into", "is",
        "it", "its", "me", "my", "new", "no", "not", "of", "on", "or", "our", "out", "so", "that",
        "the", "their", "there", "this", "to", "up", "us", "was", "we", "what", "when", "where",
        "which", "who", "why", "will", "with", "you", "your"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == n && strncasecmp(words[i], w, n) == 0)
            return 1;
    return 0;
}

/* A topic asked as a question ("who can help me restore last night's dump") rarely has all
 * its words on one page. Returns an FTS5 expression matching pages with any of its words but
 * the stopwords, so bm25 ranks pages by how many of the telling words they hold and how rare
 * those are; NULL when no word is left. In a. */
static const char *any_word(struct arena *a, const char *topic, const struct search_query *sq)
{
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < sq->nwords; i++) {
        const char *w = topic + sq->words[i].at;
        size_t len = sq->words[i].len;
        if (len < 2 || is_stopword(w, len))
            continue;
        buf_puts(&b, b.len ? " OR \"" : "\"");
        for (size_t j = 0; j < len; j++) {
            if (w[j] == '"')
                buf_putc(&b, '"');
            buf_putc(&b, w[j]);
        }
        buf_putc(&b, '"');
    }
    if (!b.len) {
        buf_free(&b);
        return NULL;
    }
    return arena_adopt(a, buf_take(&b));
}

/* Answers to questions about the topic (question_search, questions and answers): each matching
 * question's relevance goes to the people who answered it, much more for the accepted answer. */
static const double W_ANSWER = 0.2, W_ACCEPTED_ANSWER = 0.8;
static int score_answers(struct db *db, struct arena *a, const char *fts, struct expert **all,
                         int *n)
{
    sqlite3_stmt *st = db_stmt(
        db, "WITH hits AS (SELECT rowid AS question_id, -bm25(question_search, 10.0, 2.0, 1.0, "
            "4.0) AS score FROM question_search WHERE question_search MATCH :q ORDER BY score DESC "
            "LIMIT :limit) "
            "SELECT an.author_id, h.score / max((SELECT max(score) FROM hits), 1e-9), "
            "q.accepted_answer_id = an.id FROM hits h JOIN questions q ON q.id = "
            "h.question_id JOIN answers an ON an.question_id = q.id");
    db_bind_text(st, ":q", fts);
    db_bind_int(st, ":limit", PAGES_CONSIDERED);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct expert *e = find(all, n, a, db_col_int(st, 0));
        if (!e)
            continue;
        double w = db_col_int(st, 2) ? W_ACCEPTED_ANSWER : W_ANSWER;
        e->writing += w * sqlite3_column_double(st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The skills the topic names: the whole topic, or any of its words, by name or alias. */
static int score_skills(struct db *db, struct arena *a, const char *topic, struct expert **all,
                        int *n)
{
    /* Candidates: the topic and each word in it (k8s, postgres, "machine learning"). */
    char *copy = arena_strdup(a, topic);
    const char *cands[16];
    int nc = 0;
    cands[nc++] = topic;
    for (char *save = NULL, *w = strtok_r(copy, " \t,;", &save); w && nc < 16;
         w = strtok_r(NULL, " \t,;", &save))
        cands[nc++] = w;
    for (int c = 0; c < nc; c++) {
        sqlite3_stmt *st = db_stmt(
            db, "WITH s AS (SELECT id, name FROM skills WHERE name = :w COLLATE NOCASE OR slug = "
                "lower(:w) UNION SELECT k.id, k.name FROM skill_aliases a JOIN skills k ON k.id = "
                "a.skill_id WHERE a.alias = :w COLLATE NOCASE) "
                "SELECT ps.user_id, ps.level, s.name, "
                "(SELECT count(*) FROM endorsements e WHERE e.user_id = ps.user_id AND e.skill_id = s.id), "
                "(SELECT count(*) FROM endorsements e JOIN person_skills eps ON eps.user_id = "
                "e.endorser_id AND eps.skill_id = s.id WHERE e.user_id = ps.user_id AND e.skill_id = s.id) "
                "FROM s JOIN person_skills ps ON ps.skill_id = s.id");
        db_bind_text(st, ":w", cands[c]);
        while (db_step(st) == SQLITE_ROW) {
            struct expert *e = find(all, n, a, db_col_int(st, 0));
            int level = (int)db_col_int(st, 1);
            if (!e || level < 1 || level > 3 || level <= e->level)
                continue;
            int endorsements = (int)db_col_int(st, 3), skilled = (int)db_col_int(st, 4);
            e->level = level;
            e->skill = arena_strdup(a, db_col_text(st, 2));
            e->declared = W_DECLARED[level];
            e->endorsements = endorsements;
            e->endorsed = W_ENDORSEMENT *
                          log2(1.0 + endorsements + (W_EXPERT_ENDORSER - 1.0) * skilled);
        }
        sqlite3_reset(st);
    }
    return 0;
}

/* Names, departments and whether they left; drops accounts that cannot be shown. */
static void describe(struct db *db, struct arena *a, struct expert *e)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.login, u.name, coalesce(p.title, ''), coalesce(d.name, ''), "
            "u.disabled OR p.left_at IS NOT NULL, coalesce(p.department_id, 0) FROM users u "
            "LEFT JOIN profiles p ON p.user_id = u.id LEFT JOIN departments d ON d.id = "
            "p.department_id WHERE u.id = :id");
    db_bind_int(st, ":id", e->user_id);
    if (db_step(st) == SQLITE_ROW) {
        e->login = arena_strdup(a, db_col_text(st, 0));
        e->name = arena_strdup(a, db_col_text(st, 1));
        e->title = arena_strdup(a, db_col_text(st, 2));
        e->department = arena_strdup(a, db_col_text(st, 3));
        e->left = (int)db_col_int(st, 4);
    }
    sqlite3_reset(st);
}

static int64_t department_of(struct db *db, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(department_id, 0) FROM profiles WHERE user_id = :u");
    db_bind_int(st, ":u", user_id);
    int64_t d = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    return d;
}

/* The time zone a person shows everyone ("" when unset or not public). */
static const char *public_timezone(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT p.timezone FROM profiles p WHERE p.user_id = :u AND "
                                   "NOT EXISTS (SELECT 1 FROM profile_visibility v WHERE "
                                   "v.user_id = p.user_id AND v.field = 'timezone' AND v.level "
                                   "<> 'everyone')");
    db_bind_int(st, ":u", user_id);
    const char *tz = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
    sqlite3_reset(st);
    return tz;
}

static int by_score(const void *x, const void *y)
{
    const struct expert *a = *(struct expert *const *)x, *b = *(struct expert *const *)y;
    return a->score < b->score ? 1 : a->score > b->score ? -1 : strcmp(a->name, b->name);
}

static struct expert_page *reverse(struct expert_page *p)
{
    struct expert_page *out = NULL;
    while (p) {
        struct expert_page *next = p->next;
        p->next = out;
        out = p;
        p = next;
    }
    return out;
}

struct expert *expertise_query(struct db *db, struct arena *a, const struct user *viewer,
                               const char *topic, const struct expert_options *o)
{
    if (!topic || !*topic)
        return NULL;
    int64_t now = o->now ? o->now : (int64_t)time(NULL);
    struct search_query sq;
    search_query_parse(a, topic, &sq);
    struct expert **all = arena_alloc(a, PEOPLE_MAX * sizeof *all);
    int n = 0;
    const char *fts = sq.fts;
    int64_t matches = fts ? count_matching(db, fts) : 0;
    if (fts && matches < FEW_PAGES) {
        const char *any = any_word(a, topic, &sq);
        int64_t more = any ? count_matching(db, any) : 0;
        if (more > matches) {
            fts = any;
            matches = more;
        }
    }
    if (fts && score_writing(db, a, fts, matches, now, all, &n) != 0)
        return NULL;
    if (fts)
        score_answers(db, a, fts, all, &n);
    score_skills(db, a, topic, all, &n);
    int64_t my_dept = viewer ? department_of(db, viewer->id) : 0;
    const char *my_tz = viewer && o->prefer_near ? public_timezone(db, a, viewer->id) : "";
    int kept = 0;
    for (int i = 0; i < n; i++) {
        struct expert *e = all[i];
        describe(db, a, e);
        if (!e->login || (e->left && !o->include_left))
            continue;
        e->score = e->writing + e->declared + e->endorsed + e->owned;
        if (o->prefer_outside_dept && my_dept && department_of(db, e->user_id) != my_dept)
            e->score *= 1.25;
        if (*my_tz && strcmp(public_timezone(db, a, e->user_id), my_tz) == 0)
            e->score *= 1.25;
        e->evidence = reverse(e->evidence);
        all[kept++] = e;
    }
    qsort(all, (size_t)kept, sizeof *all, by_score);
    struct expert *head = NULL, **tail = &head;
    for (int i = 0; i < kept && i < (o->limit > 0 ? o->limit : 20); i++) {
        *tail = all[i];
        tail = &all[i]->next;
    }
    *tail = NULL;
    return head;
}

const char *expertise_why(struct arena *a, const struct expert *e)
{
    static const char *const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    static const char *const levels[] = {"", "learning", "practised", "expert"};
    struct buf b;
    buf_init(&b, 0);
    if (e->pages) {
        time_t t = (time_t)e->last_activity;
        struct tm tm;
        gmtime_r(&t, &tm);
        buf_printf(&b, "wrote part of %d of the %d pages about this, most recently in %s %d", e->pages,
                   e->matching_pages, months[tm.tm_mon], tm.tm_year + 1900);
    }
    if (e->endorsements)
        buf_printf(&b, "%sendorsed by %d", b.len ? "; " : "", e->endorsements);
    if (e->level)
        buf_printf(&b, "%sdeclared %s in %s", b.len ? "; " : "", levels[e->level], e->skill);
    if (!b.len)
        buf_puts(&b, e->writing > 0 ? "answered questions about this"
                                    : "owns or verified pages about this");
    return arena_adopt(a, buf_take(&b));
}
