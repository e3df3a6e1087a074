#include "expertise/expertise.h"
#include "core/buf.h"
#include "expertise/expertise_store.h"
#include "search/query_read.h"

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
    double best;
    int rc;
    struct expertise_page_row *rows =
        expertise_store_pages(db, a, fts, keep, PAGES_CONSIDERED, &best, &rc);
    int considered = 0;
    for (struct expertise_page_row *r = rows; r; r = r->next) {
        struct expert *e = find(all, n, a, r->user_id);
        if (!e)
            continue;
        double rel = r->score / fmax(best, 1e-9);
        e->writing += rel * r->share * decay(now, r->last_at);
        e->owned += rel * (W_OWNER * r->owner + W_VERIFIED * r->verified);
        e->pages++;
        if (r->last_at > e->last_activity)
            e->last_activity = r->last_at;
        if (e->pages <= EVIDENCE_MAX)
            add_evidence(a, e, r->path, r->title, r->share, r->last_at);
    }
    const char *prev = NULL; /* rows come page by page: count the pages */
    for (struct expertise_page_row *r = rows; r; r = r->next) {
        if (!prev || strcmp(prev, r->path) != 0)
            considered++;
        prev = r->path;
    }
    for (int i = 0; i < *n; i++) {
        all[i]->matching_pages = matches;
        all[i]->pages_considered = considered;
    }
    return rc;
}

/* An answer's weight as evidence, relative to a plain answer (1): accepted by the asker, and
 * voted up (log2: the tenth vote adds less than the first). */
static const double W_ACCEPTED = 1.0, W_VOTES = 0.3;
/* How the answer evidence adds up (tuned on the 169 train questions of a real Stack Exchange
 * site with tests/bench/expertise train, rolling and frozen; the test questions were not used):
 * the best answer's weighted relevance, the log of the sum of them all (volume counts, but less
 * and less), the log of answers on questions tagged with the topic's words; then, for people
 * with such evidence, the log of their answers in the last RECENT_DAYS (who is active now) and,
 * half as much, of their answers in all (who answers at all). Accepted answers and votes weigh
 * in through answer_weight. */
static const double W_BEST = 0.25, W_VOLUME = 1.0, W_TAGGED = 0.25, W_RECENT = 1.0,
                    W_ACTIVE = 0.5;
enum { QUESTIONS_CONSIDERED = 500, RECENT_DAYS = 3 };

static double answer_weight(int accepted, int votes)
{
    return 1.0 + W_ACCEPTED * accepted + W_VOTES * log2(1.0 + (votes > 0 ? votes : 0));
}

/* Answers to questions about the topic: each answer credits its own author (the asker gets
 * nothing), by the question's relevance and the answer's weight. `tags_fts` matches the
 * questions whose tags hold the topic's words (NULL: none). */
static void score_answers(struct db *db, struct arena *a, const char *fts, const char *tags_fts,
                          struct expert **all, int *n)
{
    double best;
    for (struct expertise_answer_row *r =
             expertise_store_answers(db, a, fts, QUESTIONS_CONSIDERED, &best);
         r; r = r->next) {
        struct expert *e = find(all, n, a, r->user_id);
        if (!e)
            continue;
        double ev = r->score / fmax(best, 1e-9) * answer_weight(r->accepted, r->votes);
        e->answer_sum += ev;
        if (ev > e->best_answer)
            e->best_answer = ev;
    }
    if (tags_fts)
        for (struct expertise_answer_row *r =
                 expertise_store_answers(db, a, tags_fts, QUESTIONS_CONSIDERED, &best);
             r; r = r->next) {
            struct expert *e = find(all, n, a, r->user_id);
            if (e)
                e->tagged += answer_weight(r->accepted, r->votes);
        }
    /* True counts for the why (every matching question, not the window), and each answerer's
     * standing. Recency against ken's own clock for answers: an imported archive is not all
     * "old". */
    int64_t since = expertise_store_newest_answer(db) - RECENT_DAYS * 86400, matching = 0;
    for (struct expertise_answerer *r = expertise_store_answerers(db, a, fts, since, &matching);
         r; r = r->next) {
        struct expert *e = find(all, n, a, r->user_id);
        if (!e)
            continue;
        e->answered = r->answered;
        e->accepted = r->accepted_here;
        e->answers_total = r->answers;
        e->accepted_total = r->accepted;
        e->answers_recent = r->recent;
        if (e->answer_sum <= 0 && e->tagged <= 0)
            continue; /* matched only beyond the window: standing never counts alone */
        e->answering = W_BEST * e->best_answer + W_VOLUME * log1p(e->answer_sum) +
                       W_TAGGED * log1p(e->tagged) +
                       W_RECENT * log1p(r->recent) + W_ACTIVE * log1p(r->answers);
    }
    for (int i = 0; i < *n; i++)
        all[i]->matching_questions = matching;
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
        for (struct expertise_skill_row *r = expertise_store_skills(db, a, cands[c]); r;
             r = r->next) {
            struct expert *e = find(all, n, a, r->user_id);
            if (!e || r->level < 1 || r->level > 3 || r->level <= e->level)
                continue;
            e->level = r->level;
            e->skill = r->skill;
            e->declared = W_DECLARED[r->level];
            e->endorsements = r->endorsements;
            e->endorsed = W_ENDORSEMENT * log2(1.0 + r->endorsements +
                                               (W_EXPERT_ENDORSER - 1.0) * r->skilled_endorsers);
        }
    }
    return 0;
}

/* Names, departments and whether they left. */
static void describe(struct db *db, struct arena *a, struct expert *e)
{
    struct expertise_person p;
    expertise_store_person(db, a, e->user_id, &p);
    if (!p.login)
        return;
    e->login = p.login;
    e->name = p.name;
    e->title = p.title;
    e->department = p.department;
    e->left = p.left;
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
    /* One reading of the topic, shared with search: stopwords and question framing carry no
     * weight, synonyms and skill aliases are ORed in. */
    struct query_reading qr;
    query_read(db, a, topic, &qr); /* on a database error it is read without weights */
    struct expert **all = arena_alloc(a, PEOPLE_MAX * sizeof *all);
    int n = 0;
    const char *fts = qr.fts_all;
    int64_t matches = fts ? expertise_store_count_pages(db, fts) : 0;
    /* A topic asked as a question rarely has all its telling words on one page: then any of
     * them, and bm25 ranks pages by how many of them, and how rare, they hold. */
    if (qr.fts_any && matches < FEW_PAGES) {
        int64_t more = expertise_store_count_pages(db, qr.fts_any);
        if (more > matches) {
            fts = qr.fts_any;
            matches = more;
        }
    }
    if (fts && score_writing(db, a, fts, matches, now, all, &n) != 0)
        return NULL;
    /* Questions always by any telling word: a question typed as a colleague would rarely has
     * all its words in one thread. */
    if (qr.fts_any)
        score_answers(db, a, qr.fts_any, query_read_any_in(a, &qr, "{tags}"), all, &n);
    score_skills(db, a, topic, all, &n);
    int64_t my_dept = viewer ? expertise_store_department(db, viewer->id) : 0;
    const char *my_tz = viewer && o->prefer_near ? expertise_store_public_timezone(db, a, viewer->id) : "";
    int kept = 0;
    for (int i = 0; i < n; i++) {
        struct expert *e = all[i];
        describe(db, a, e);
        if (!e->login || (e->left && !o->include_left))
            continue;
        e->score = e->writing + e->answering + e->declared + e->endorsed + e->owned;
        if (e->score <= 0)
            continue; /* counted (answered beyond the window), but no evidence that ranks */
        if (o->prefer_outside_dept && my_dept && expertise_store_department(db, e->user_id) != my_dept)
            e->score *= 1.25;
        if (*my_tz && strcmp(expertise_store_public_timezone(db, a, e->user_id), my_tz) == 0)
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

/* "1,234" */
static const char *count_text(struct arena *a, int64_t n)
{
    return n >= 1000 ? arena_printf(a, "%lld,%03lld", (long long)(n / 1000), (long long)(n % 1000))
                     : arena_printf(a, "%lld", (long long)n);
}

const char *expertise_why(struct arena *a, const struct expert *e)
{
    static const char *const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    static const char *const levels[] = {"", "learning", "practised", "expert"};
    struct buf b;
    buf_init(&b, 0);
    if (e->answered) {
        buf_printf(&b, "answered %d of the %s questions about this", e->answered,
                   count_text(a, e->matching_questions));
        if (e->accepted)
            buf_printf(&b, " (%d accepted)", e->accepted);
    }
    if (e->answers_total)
        buf_printf(&b, "%s%d answer%s in all, %d accepted, %d in the last %d days",
                   b.len ? "; " : "", e->answers_total, e->answers_total == 1 ? "" : "s",
                   e->accepted_total, e->answers_recent, RECENT_DAYS);
    if (e->pages) {
        time_t t = (time_t)e->last_activity;
        struct tm tm;
        gmtime_r(&t, &tm);
        if (e->pages_considered < e->matching_pages)
            buf_printf(&b, "%swrote part of %d of the %d best-matching of the %s pages about "
                           "this",
                       b.len ? "; " : "", e->pages, e->pages_considered,
                       count_text(a, e->matching_pages));
        else
            buf_printf(&b, "%swrote part of %d of the %s pages about this", b.len ? "; " : "",
                       e->pages, count_text(a, e->matching_pages));
        buf_printf(&b, ", most recently in %s %d", months[tm.tm_mon], tm.tm_year + 1900);
    }
    if (e->endorsements)
        buf_printf(&b, "%sendorsed by %d", b.len ? "; " : "", e->endorsements);
    if (e->level)
        buf_printf(&b, "%sdeclared %s in %s", b.len ? "; " : "", levels[e->level], e->skill);
    if (!b.len)
        buf_puts(&b, e->tagged > 0 ? "answered questions tagged with this"
                                   : "owns or verified pages about this");
    return arena_adopt(a, buf_take(&b));
}
