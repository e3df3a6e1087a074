#include "expertise/expertise.h"
#include "core/buf.h"
#include "expertise/expertise_store.h"
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

/* An answer's weight as evidence, relative to a plain answer (1): accepted by the asker, and
 * voted up (log2: the tenth vote adds less than the first). */
static const double W_ACCEPTED = 1.0, W_VOTES = 0.3;
/* How the answer evidence adds up (tuned on the train questions of a real Stack Exchange site,
 * see tests/bench/expertise train): the best answer's weighted relevance, the log of the sum of
 * them all, the log of answers on questions tagged with the topic's words, and the log of
 * accepted answers plus answers in the last RECENT_DAYS (endorsement and recency). */
static const double W_BEST = 0.5, W_VOLUME = 0.5, W_TAGGED = 0.25, W_STANDING = 2.0;
enum { QUESTIONS_CONSIDERED = 500, RECENT_DAYS = 30 };

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
    /* True counts for the why: every matching question, not the window. */
    int64_t matching = expertise_store_count_questions(db, fts);
    for (struct expertise_count_row *c = expertise_store_answer_counts(db, a, fts); c;
         c = c->next) {
        struct expert *e = find(all, n, a, c->user_id);
        if (!e)
            continue;
        e->answered = c->questions;
        e->accepted = c->accepted;
    }
    if (!matching)
        return;
    /* Recency against ken's own clock for answers: an imported archive is not all "old". */
    int64_t since = expertise_store_newest_answer(db) - RECENT_DAYS * 86400;
    for (int i = 0; i < *n; i++) {
        struct expert *e = all[i];
        e->matching_questions = matching;
        if (e->answer_sum <= 0 && e->tagged <= 0)
            continue;
        struct expertise_activity act = {0};
        expertise_store_activity(db, e->user_id, since, &act);
        e->answers_total = act.answers;
        e->accepted_total = act.accepted;
        e->answers_recent = act.recent;
        e->answering = W_BEST * e->best_answer + W_VOLUME * log1p(e->answer_sum) +
                       W_TAGGED * log1p(e->tagged) +
                       W_STANDING * log1p(act.accepted + act.recent);
    }
}

/* An FTS5 expression matching questions whose tags hold any word of `any` (an any-word
 * expression), in a. */
static const char *in_tags(struct arena *a, const char *any)
{
    return any ? arena_printf(a, "tags : (%s)", any) : NULL;
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
    struct search_query sq;
    search_query_parse(a, topic, &sq);
    struct expert **all = arena_alloc(a, PEOPLE_MAX * sizeof *all);
    int n = 0;
    const char *fts = sq.fts;
    int64_t matches = fts ? expertise_store_count_pages(db, fts) : 0;
    if (fts && matches < FEW_PAGES) {
        const char *any = any_word(a, topic, &sq);
        int64_t more = any ? expertise_store_count_pages(db, any) : 0;
        if (more > matches) {
            fts = any;
            matches = more;
        }
    }
    if (fts && score_writing(db, a, fts, matches, now, all, &n) != 0)
        return NULL;
    /* Questions are read as any of the topic's telling words: a question typed as a colleague
     * would rarely has all its words in one thread, and bm25 ranks the threads by how many of
     * the rare ones they hold. */
    const char *any_q = any_word(a, topic, &sq);
    if (any_q)
        score_answers(db, a, any_q, in_tags(a, any_q), all, &n);
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
