#include "search/query_read.h"
#include "core/buf.h"
#include "search/search_spell.h"
#include "search/search_store.h"
#include "search/synonym_store.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Words that say nothing about what is wanted: English stopwords and the framing of a question
 * or a request ("how do I", "can someone tell me", "hi ... please", "thanks"). Kept short on
 * purpose: every other word is weighed by how rare it is, so a common word that is not here
 * (show, file, get) still weighs little. */
static const char *const FRAMING[] = {
    "a",       "about",  "above",   "after",   "again",  "all",     "also",    "am",
    "an",      "and",    "any",     "anybody", "anyone", "are",     "as",      "at",
    "be",      "been",   "being",   "but",     "by",     "can",     "could",   "did",
    "do",      "does",   "doing",   "done",    "each",   "either",  "else",    "every",
    "for",     "from",   "had",     "has",     "have",   "having",  "hello",   "help",
    "her",     "here",   "hey",     "hi",      "him",    "his",     "how",     "i",
    "if",      "im",     "in",      "into",    "is",     "it",      "its",     "just",
    "kindly",  "knew",   "know",   "knows",   "let",     "like",    "may",    "me",      "might",   "mine",
    "most",    "much",   "must",    "my",      "myself", "need",    "needs",   "of",
    "on",      "onto",   "or",      "our",     "ours",   "please",  "pls",     "plz",
    "possible", "should",  "so",      "some",   "somebody", "someone", "something",
    "such",    "tell",   "than",    "thank",   "thanks", "that",    "the",     "their",
    "them",    "then",   "there",   "these",   "they",   "this",    "those",   "thx",
    "to",      "too",    "us",      "very",    "wanna",  "want",    "wants",   "was",
    "way",     "we",     "were",    "what",    "whats",  "when",    "where",   "whether",
    "which",   "while",  "who",     "whom",    "whose",  "why",     "will",    "with",
    "would",   "you",    "your",    "yours",
};

int query_read_framing(const char *w, size_t n)
{
    size_t lo = 0, hi = sizeof FRAMING / sizeof *FRAMING;
    char low[16];
    if (n == 0 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] - 'A' + 'a' : w[i]);
    low[n] = 0;
    while (lo < hi) { /* FRAMING is sorted */
        size_t mid = (lo + hi) / 2;
        int c = strcmp(low, FRAMING[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* Appends the words of q[at, at + n) as one FTS5 phrase ("w1 w2") to b; returns how many words,
 * and the last word's place in *last_at, *last_len. */
static int phrase(struct buf *b, const char *q, size_t at, size_t n, size_t *last_at,
                  size_t *last_len)
{
    int count = 0;
    size_t i = at, end = at + n;
    while (i < end) {
        while (i < end && !search_query_word_char((unsigned char)q[i]))
            i++;
        size_t start = i;
        while (i < end && search_query_word_char((unsigned char)q[i]))
            i++;
        if (i == start)
            continue;
        buf_puts(b, count ? " " : "\"");
        buf_append(b, q + start, i - start); /* word characters never include '"' */
        *last_at = start;
        *last_len = i - start;
        count++;
    }
    if (count)
        buf_putc(b, '"');
    return count;
}

/* Appends s (words; other characters become spaces) as a quoted FTS5 phrase. */
static void quoted(struct buf *b, const char *s)
{
    size_t a, l;
    phrase(b, s, 0, strlen(s), &a, &l);
}

static double idf(int docs, int pages)
{
    if (docs < 0)
        return 1.0;
    double n = pages > docs ? pages : docs;
    return log(1.0 + (n - docs + 0.5) / (docs + 0.5));
}

/* Weighs a word term by the index; looks for synonyms and a correction. Returns 0 or -1. */
/* ---- how many pages hold a term, remembered for a while: FTS5 counts a term's pages by
 * reading its whole doclist (40 ms for "a" at 100,000 pages), and weights need not be exact.
 * Shared by every thread, guarded by docs_lock. */
enum { DOCS_SLOTS = 4096, DOCS_SECONDS = 600, DOCS_TERM_MAX = 48 };

struct docs_slot {
    char term[DOCS_TERM_MAX];
    int docs;
    time_t at;
};
static struct docs_slot docs_cache[DOCS_SLOTS];
static pthread_mutex_t docs_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned docs_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h % DOCS_SLOTS;
}

/* Returns how many pages hold the stemmed term (from the cache when known lately), or -1. */
static int term_pages(struct db *db, const char *stem)
{
    size_t n = strlen(stem);
    unsigned h = docs_hash(stem);
    time_t now = time(NULL);
    if (n < DOCS_TERM_MAX) {
        pthread_mutex_lock(&docs_lock);
        struct docs_slot *c = &docs_cache[h];
        int hit = c->at && now - c->at < DOCS_SECONDS && strcmp(c->term, stem) == 0;
        int docs = c->docs;
        pthread_mutex_unlock(&docs_lock);
        if (hit)
            return docs;
    }
    int docs = search_store_term_pages(db, stem);
    if (docs >= 0 && n < DOCS_TERM_MAX) {
        pthread_mutex_lock(&docs_lock);
        struct docs_slot *c = &docs_cache[h];
        memcpy(c->term, stem, n + 1);
        c->docs = docs;
        c->at = now;
        pthread_mutex_unlock(&docs_lock);
    }
    return docs;
}

/* Returns the IDF of word (or phrase: its first word) and adds its pages to *docs. */
static double word_weight(struct db *db, struct arena *a, const char *word, int pages, int *docs)
{
    const char *stem = search_store_stem(db, a, word);
    int n = stem ? term_pages(db, stem) : -1;
    if (n > 0)
        *docs += n;
    return idf(n, pages);
}

/* A synonym counts a little less than the word typed. */
static const double SYNONYM = 0.8;

static int weigh_word(struct db *db, struct arena *a, struct query_term *t, int pages,
                      int correct)
{
    t->stem = search_store_stem(db, a, t->text);
    if (t->framing) /* not looked up: framing words are the commonest, the dearest to count */
        return 0;
    t->docs = t->stem ? term_pages(db, t->stem) : 0;
    if (t->docs < 0)
        return -1;
    t->weight = idf(t->docs, pages);
    t->weights = arena_printf(a, "%.4f", t->weight);
    struct buf b, w;
    buf_init(&b, 0);
    buf_init(&w, 0);
    quoted(&b, t->text);
    buf_printf(&w, "%.4f", t->weight);
    int alternatives = 0;
    size_t len = strlen(t->text), digits = strcspn(t->text, "0123456789");
    if (correct && t->docs < SEARCH_SPELL_RARE && len >= 4 && digits == len) {
        t->corrected = search_spell_word(db, a, t->text);
        if (t->corrected) {
            buf_puts(&b, " OR ");
            quoted(&b, t->corrected);
            alternatives++;
            t->weight = word_weight(db, a, t->corrected, pages, &t->docs);
            buf_reset(&w); /* the typed word weighs what its correction does */
            buf_printf(&w, "%.4f %.4f", t->weight, t->weight);
            t->framing = query_read_framing(t->corrected, strlen(t->corrected));
        }
    }
    const char *const *syn = synonym_store_for(db, a, t->corrected ? t->corrected : t->text);
    for (; *syn; syn++) {
        buf_puts(&b, " OR ");
        quoted(&b, *syn);
        alternatives++;
        buf_printf(&w, " %.4f", SYNONYM * word_weight(db, a, *syn, pages, &t->docs));
    }
    if (alternatives)
        t->fts = arena_printf(a, "(%s)", buf_str(&b));
    t->weights = arena_adopt(a, buf_take(&w));
    buf_free(&b);
    return 0;
}

/* Appends group g's expression (its terms ORed) to b. */
static void put_group(struct buf *b, const struct query_reading *r, int g)
{
    int n = 0;
    for (int i = 0; i < r->nterms; i++)
        n += r->terms[i].group == g;
    if (n > 1)
        buf_putc(b, '(');
    int k = 0;
    for (int i = 0; i < r->nterms; i++)
        if (r->terms[i].group == g)
            buf_printf(b, "%s%s", k++ ? " OR " : "", r->terms[i].fts);
    if (n > 1)
        buf_putc(b, ')');
}

/* Returns 1 when group g carries weight. */
static int group_telling(const struct query_reading *r, int g)
{
    for (int i = 0; i < r->nterms; i++)
        if (r->terms[i].group == g && !r->terms[i].framing)
            return 1;
    return 0;
}

/* Returns the telling groups joined by op (" AND ", " OR "), those in mask only (bit per
 * telling group), each prefixed by `columns` when set, with the exclusions; NULL when none. */
static const char *join(struct arena *a, const struct query_reading *r, const char *op,
                        unsigned mask, const char *columns)
{
    struct buf b;
    buf_init(&b, 0);
    int last = r->nterms ? r->terms[r->nterms - 1].group : -1, bit = 0, n = 0;
    for (int g = 0; g <= last; g++) {
        if (!group_telling(r, g))
            continue;
        int on = bit < 32 ? (mask >> bit) & 1u : 1;
        bit++;
        if (!on)
            continue;
        buf_puts(&b, n++ ? op : "");
        if (columns)
            buf_printf(&b, "%s : ", columns);
        put_group(&b, r, g);
    }
    if (!n) {
        buf_free(&b);
        return NULL;
    }
    const char *out = r->fts_not ? arena_printf(a, "(%s) NOT (%s)", buf_str(&b), r->fts_not)
                                 : arena_printf(a, "(%s)", buf_str(&b));
    buf_free(&b);
    return out;
}

const char *query_read_any_in(struct arena *a, const struct query_reading *r, const char *columns)
{
    return join(a, r, " OR ", ~0u, columns);
}

const char *query_read_some(struct arena *a, const struct query_reading *r, unsigned mask)
{
    return join(a, r, " AND ", mask, NULL);
}

int query_read(struct db *db, struct arena *a, const char *text, struct query_reading *out)
{
    return query_read_as(db, a, text, 1, out);
}

int query_read_as(struct db *db, struct arena *a, const char *text, int correct,
                  struct query_reading *out)
{
    memset(out, 0, sizeof *out);
    search_query_parse(a, text, &out->sq);
    const char *q = out->sq.text;
    struct search_token *tok;
    int ntok = search_query_tokens(a, q, &tok), rc = 0;
    out->terms = arena_alloc(a, (size_t)(ntok + 1) * sizeof *out->terms);
    int64_t pages = db ? search_store_page_count(db) : 0;
    if (pages < 0)
        rc = -1, db = NULL;
    out->pages = (int)pages;
    struct buf neg;
    buf_init(&neg, 0);
    int group = -1, pending_or = 0;
    for (int i = 0; i < ntok; i++) {
        const struct search_token *t = &tok[i];
        if (t->filter >= 0)
            continue;
        if (t->is_or) {
            pending_or = group >= 0;
            continue;
        }
        struct buf b;
        buf_init(&b, 0);
        size_t last_at = 0, last_len = 0;
        int words = phrase(&b, q, t->in, t->inlen, &last_at, &last_len);
        if (!words) {
            buf_free(&b);
            continue;
        }
        if (t->prefix)
            buf_putc(&b, '*');
        if (t->negate) {
            buf_printf(&neg, "%s%s", neg.len ? " OR " : "", buf_str(&b));
            buf_free(&b);
            continue;
        }
        struct query_term *term = &out->terms[out->nterms++];
        term->fts = arena_strdup(a, buf_str(&b));
        buf_free(&b);
        term->group = pending_or ? group : ++group;
        pending_or = 0;
        term->docs = -1;
        term->weight = 1.0;
        if (t->prefix || t->phrase || words > 1) {
            term->kind = t->prefix ? QUERY_PREFIX : QUERY_PHRASE;
            term->text = arena_strndup(a, q + t->in, t->inlen);
            continue;
        }
        term->kind = QUERY_WORD;
        term->text = arena_strndup(a, q + last_at, last_len);
        term->framing = query_read_framing(term->text, last_len);
        if (db && weigh_word(db, a, term, out->pages, correct) != 0)
            rc = -1, db = NULL;
    }
    if (neg.len)
        out->fts_not = arena_adopt(a, buf_take(&neg));
    else
        buf_free(&neg);
    /* A phrase weighs its words' sum; a query of framing alone is read word for word. */
    int telling = 0;
    for (int i = 0; i < out->nterms; i++)
        telling += !out->terms[i].framing;
    for (int i = 0; i < out->nterms; i++) {
        struct query_term *t = &out->terms[i];
        if (!telling && t->framing) {
            t->framing = 0;
            if (db && t->kind == QUERY_WORD && weigh_word(db, a, t, out->pages, 0) != 0)
                rc = -1, db = NULL;
        }
        if (t->framing)
            t->weight = 0;
    }
    for (int g = 0; g <= group; g++)
        out->telling += group_telling(out, g);
    /* the groups as ranking takes them: each group's expression, weight and pages */
    struct search_group *groups = arena_alloc(a, (size_t)(group + 2) * sizeof *groups);
    for (int g = 0; g <= group; g++) {
        if (!group_telling(out, g))
            continue;
        struct buf b;
        buf_init(&b, 0);
        put_group(&b, out, g);
        struct search_group *sg = &groups[out->ranked.n++];
        sg->fts = arena_adopt(a, buf_take(&b));
        sg->docs = -1;
        struct buf w;
        buf_init(&w, 0);
        for (int i = 0; i < out->nterms; i++)
            if (out->terms[i].group == g)
                buf_printf(&w, "%s%s", w.len ? " " : "",
                           out->terms[i].weights ? out->terms[i].weights
                                                 : arena_printf(a, "%.4f", out->terms[i].weight));
        sg->weights = arena_adopt(a, buf_take(&w));
        for (int i = 0; i < out->nterms; i++) {
            const struct query_term *t = &out->terms[i];
            if (t->group != g)
                continue;
            if (t->weight > sg->weight)
                sg->weight = t->weight;
            if (t->docs >= 0 && (sg->docs < 0 || t->docs > sg->docs))
                sg->docs = t->docs; /* alternatives add up; the largest is a fair guess */
        }
    }
    out->ranked.groups = groups;
    out->ranked.exclude = out->fts_not;
    out->ranked.core = out->ranked.n;
    if (out->ranked.n) { /* a copy in the arena: sq may be copied and outlive out */
        struct search_terms *kept = arena_alloc(a, sizeof *kept);
        *kept = out->ranked;
        out->sq.ranked = kept;
    }
    out->fts_all = join(a, out, " AND ", ~0u, NULL);
    out->fts_any = join(a, out, " OR ", ~0u, NULL);
    /* the text as corrected, for "did you mean" and the people and experts beside */
    const char **with = arena_alloc(a, ((size_t)out->sq.nwords + 1) * sizeof *with);
    int changed = 0;
    for (int i = 0; i < out->nterms; i++) {
        const struct query_term *t = &out->terms[i];
        if (!t->corrected)
            continue;
        for (int w = 0; w < out->sq.nwords; w++)
            if (out->sq.words[w].len == strlen(t->text) &&
                strncmp(q + out->sq.words[w].at, t->text, out->sq.words[w].len) == 0)
                with[w] = t->corrected, changed = 1;
    }
    if (changed)
        out->corrected = search_query_rewrite(a, q, out->sq.words, with, out->sq.nwords);
    return rc;
}

/* ---- the bridge: words the best first results share, for pages that say it in other words */

enum { BRIDGE_WORDS = 3 };
static const double BRIDGE_WEIGHT = 0.3;

int query_read_bridge(struct db *db, struct arena *a, struct query_reading *r,
                      const int64_t *ids, int n)
{
    if (!r->sq.ranked || r->ranked.n >= 28 || n < 2 || r->pages <= 0)
        return 0;
    struct search_term *terms = search_store_page_terms(db, a, ids, n);
    struct {
        const char *term;
        double score;
    } best[BRIDGE_WORDS] = {{0}};
    for (struct search_term *t = terms; t; t = t->next) {
        if (t->docs < 2 || strspn(t->term, "0123456789") > 0 ||
            query_read_framing(t->term, strlen(t->term)))
            continue;
        int known = 0;
        for (int i = 0; i < r->nterms && !known; i++)
            known = r->terms[i].stem && strcmp(r->terms[i].stem, t->term) == 0;
        if (known)
            continue;
        int docs = term_pages(db, t->term);
        if (docs <= t->docs) /* only in these pages: a name, not a way to say the query */
            continue;
        double score = t->docs * idf(docs, r->pages);
        int k = BRIDGE_WORDS;
        while (k > 0 && (!best[k - 1].term || best[k - 1].score < score))
            k--;
        if (k == BRIDGE_WORDS)
            continue;
        memmove(best + k + 1, best + k, (BRIDGE_WORDS - k - 1) * sizeof *best);
        best[k].term = t->term;
        best[k].score = score;
    }
    int added = 0;
    struct search_terms *t = arena_alloc(a, sizeof *t);
    *t = *r->sq.ranked;
    struct search_group *groups = arena_alloc(a, (size_t)(t->n + BRIDGE_WORDS) * sizeof *groups);
    memcpy(groups, t->groups, (size_t)t->n * sizeof *groups);
    for (int k = 0; k < BRIDGE_WORDS && best[k].term; k++) {
        int docs = term_pages(db, best[k].term);
        struct search_group *g = &groups[t->n + added++];
        g->fts = arena_printf(a, "\"%s\"", best[k].term);
        g->weight = BRIDGE_WEIGHT * idf(docs, r->pages) * best[k].score /
                    (best[0].score > 0 ? best[0].score : 1);
        g->docs = docs;
    }
    t->groups = groups;
    t->n += added;
    r->sq.ranked = t;
    return added;
}
