#include "search/search_spell.h"
#include "markup/html.h"

#include <stdint.h>
#include <string.h>

enum { WORD_MAX = 64 }; /* longer words get no suggestions */

/* Decodes UTF-8 s into at most `max` code points; returns how many, or max + 1 when there are
 * more. A byte that starts no valid sequence counts as one code point. */
static int decode(const char *s, uint32_t *out, int max)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;
    while (*p) {
        if (n == max)
            return max + 1;
        uint32_t c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        if (more) {
            c &= 0x3Fu >> more;
            for (int i = 0; i < more && (*p & 0xC0) == 0x80; i++)
                c = c << 6 | (*p++ & 0x3Fu);
        }
        out[n++] = c;
    }
    return n;
}

int search_spell_distance(const char *a, const char *b, int max)
{
    uint32_t x[WORD_MAX], y[WORD_MAX];
    int m = decode(a, x, WORD_MAX), n = decode(b, y, WORD_MAX);
    if (m > WORD_MAX || n > WORD_MAX || m - n > max || n - m > max)
        return max + 1;
    int rows[3][WORD_MAX + 1], *two = rows[0], *one = rows[1], *cur = rows[2];
    for (int j = 0; j <= n; j++)
        one[j] = j;
    for (int i = 1; i <= m; i++) {
        cur[0] = i;
        int lowest = i;
        for (int j = 1; j <= n; j++) {
            int cost = x[i - 1] != y[j - 1];
            int d = one[j - 1] + cost;
            if (one[j] + 1 < d)
                d = one[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            int swap = i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1];
            if (swap && two[j - 2] + 1 < d)
                d = two[j - 2] + 1;
            cur[j] = d;
            if (d < lowest)
                lowest = d;
        }
        if (lowest > max)
            return max + 1;
        int *t = two;
        two = one;
        one = cur;
        cur = t;
    }
    return one[n] > max ? max + 1 : one[n];
}

int search_spell_inflection(const char *a, const char *b)
{
    static const char *const endings[] = {"",    "s",    "es",    "ed",  "d",    "ing",
                                          "er",  "ers",  "ly",    "y",   "ies",  "ied",
                                          "ion", "ions", "ment",  "ments"};
    size_t p = 0;
    while (a[p] && a[p] == b[p])
        p++;
    const char *ea = a + p, *eb = b + p;
    int ka = -1, kb = -1;
    for (int i = 0; i < (int)(sizeof endings / sizeof *endings); i++) {
        if (strcmp(ea, endings[i]) == 0)
            ka = i;
        if (strcmp(eb, endings[i]) == 0)
            kb = i;
    }
    if (ka < 0 || kb < 0 || ka == kb)
        return 0;
    /* -s and -es are not interchangeable: "kubernets" for "kubernetes", "boxs" for "boxes" */
    return !((ka == 1 && kb == 2) || (ka == 2 && kb == 1));
}

/* Returns the distance from `word` (lowercase, as typed) to the nearest regular form of the
 * stem `term` (the stem plus an ending), at most max + 1: stems lose their endings, so
 * "deploymnet" is far from the stem "deploi" but one swap from "deploi" + "ment" (the stem of
 * "deployment" ends in i where the word has y, which is one more edit at most). */
static int form_distance(const char *word, int word_len, const char *term, int term_len, int max)
{
    static const char *const endings[] = {"s",   "es",   "ed",   "ing", "er",   "ers",  "ment",
                                          "ments", "ation", "ations", "ion", "ions", "ly",  "e",
                                          "y",   "al",   "ness", "ity", "able", "ive"};
    char form[4 * WORD_MAX + 8];
    size_t n = strlen(term);
    int best = max + 1;
    if (n + 8 > sizeof form)
        return best;
    memcpy(form, term, n);
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        int len = term_len + (int)strlen(endings[i]);
        if (len - word_len > max || word_len - len > max)
            continue;
        strcpy(form + n, endings[i]);
        int d = search_spell_distance(word, form, max);
        if (d < best)
            best = d;
    }
    return best;
}

const struct search_term *search_spell_pick(const struct search_term *terms, const char *stem,
                                            const char *word, int docs)
{
    uint32_t cp[WORD_MAX];
    int len = decode(stem, cp, WORD_MAX), word_len = word ? decode(word, cp, WORD_MAX) : 0;
    if (len > WORD_MAX || word_len > WORD_MAX)
        return NULL;
    /* A word the pages have (docs > 0) is a real word: only a near twin that is far more
     * common replaces it. Short stems have many neighbours (in a large vocabulary most six-letter
     * strings are two edits from some word): one edit at most. */
    int max = len <= 6 || docs ? 1 : 2, need = docs ? 10 * docs : 1, best_d = max + 1;
    const struct search_term *best = NULL;
    for (const struct search_term *t = terms; t; t = t->next) {
        if (t->docs < need)
            continue;
        int d = search_spell_distance(stem, t->term, max);
        if (word && d > 1 && !docs) {
            int term_len = decode(t->term, cp, WORD_MAX), f;
            if (term_len >= 4 && term_len <= WORD_MAX &&
                (f = form_distance(word, word_len, t->term, term_len, max)) < d)
                d = f;
        }
        if (d < 1 || d > max || d > best_d || (d == best_d && t->docs <= best->docs))
            continue;
        best = t;
        best_d = d;
    }
    return best;
}

static char *lower(struct arena *a, const char *s, size_t n)
{
    char *l = arena_strndup(a, s, n);
    for (char *c = l; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return l;
}

static int has_capital(const char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            return 1;
    return 0;
}

/* A word marked in result text, and how often. */
struct mark {
    const char *low, *written, *stem;
    int count;
};
enum { MARKS_MAX = 64 };

/* Adds the marked words of text to marks (n so far); returns the new n. */
static int collect_marks(struct arena *a, const char *text, struct mark *marks, int n)
{
    const char *p = text;
    while (p && (p = strstr(p, SNIPPET_OPEN)) != NULL) {
        const char *start = p + 1, *end = strstr(start, SNIPPET_CLOSE);
        if (!end)
            break;
        p = end + 1;
        if (end == start || end - start > 4 * WORD_MAX)
            continue;
        char *low = lower(a, start, (size_t)(end - start));
        int i = 0;
        while (i < n && strcmp(marks[i].low, low) != 0)
            i++;
        if (i == n) {
            if (n == MARKS_MAX)
                continue;
            const char *written = arena_strndup(a, start, (size_t)(end - start));
            marks[n++] = (struct mark){low, written, NULL, 0};
        }
        marks[i].count++;
    }
    return n;
}

const char *search_spell_written(struct arena *a, const char *text, const char *typed)
{
    struct mark marks[MARKS_MAX];
    int n = collect_marks(a, text, marks, 0), best = -1, best_d = 0;
    const char *low = lower(a, typed, strlen(typed));
    for (int i = 0; i < n; i++) {
        int d = search_spell_distance(low, marks[i].low, WORD_MAX);
        if (best < 0 || d < best_d || (d == best_d && marks[i].count > marks[best].count)) {
            best = i;
            best_d = d;
        }
    }
    if (best < 0)
        return NULL;
    return has_capital(typed) ? marks[best].written : marks[best].low;
}

/* Returns the word i of sq in a, or NULL when it is too short or long, or has digits, to be
 * worth correcting. */
static char *word_at(struct arena *a, const char *q, const struct search_query *sq, int i,
                     int min)
{
    const struct search_word *w = &sq->words[i];
    char *s = arena_strndup(a, q + w->at, w->len);
    uint32_t cp[WORD_MAX];
    int n = decode(s, cp, WORD_MAX);
    if (n < min || n > WORD_MAX)
        return NULL;
    for (char *c = s; *c; c++)
        if (*c >= '0' && *c <= '9')
            return NULL;
    return s;
}

const char *search_spell_word(struct db *db, struct arena *a, const char *w)
{
    const char *stem = search_store_stem(db, a, w);
    int docs = stem ? search_store_term_docs(db, stem) : -1;
    if (docs < 0 || docs >= SEARCH_SPELL_RARE)
        return NULL;
    /* Candidates share the first letter: a typo there is rare, and it keeps the look-up to
     * one slice of the vocabulary (terms are sorted). */
    size_t first = 1;
    while (stem[first] && ((unsigned char)stem[first] & 0xC0) == 0x80)
        first++;
    char *lo = arena_strndup(a, stem, first), *hi = arena_strndup(a, stem, first);
    if ((unsigned char)hi[first - 1] == 0xFF)
        return NULL;
    hi[first - 1]++;
    const struct search_term *t =
        search_spell_pick(search_store_terms(db, a, lo, hi), stem, lower(a, w, strlen(w)), docs);
    if (!t)
        return NULL;
    const char *shown = search_spell_written(a, search_store_term_forms(db, a, t->term), w);
    if (!shown)
        shown = t->term;
    if (strcmp(lower(a, shown, strlen(shown)), lower(a, w, strlen(w))) == 0)
        return NULL;
    return shown;
}

const char *search_spell_vocabulary(struct db *db, struct arena *a, const char *q,
                                    const struct search_query *sq)
{
    const char **with = arena_alloc(a, ((size_t)sq->nwords + 1) * sizeof *with);
    int changed = 0;
    for (int i = 0; i < sq->nwords; i++) {
        char *w = word_at(a, q, sq, i, 3);
        if (w && (with[i] = search_spell_word(db, a, w)) != NULL)
            changed = 1;
    }
    return changed ? search_query_rewrite(a, q, sq->words, with, sq->nwords) : NULL;
}

const char *search_spell_results(struct db *db, struct arena *a, const char *q,
                                 const struct search_query *sq, const struct search_hit *hits)
{
    struct mark marks[MARKS_MAX];
    int n = 0;
    for (const struct search_hit *h = hits; h; h = h->next) {
        n = collect_marks(a, h->title_marked, marks, n);
        n = collect_marks(a, h->snippet, marks, n);
    }
    const char **with = arena_alloc(a, ((size_t)sq->nwords + 1) * sizeof *with);
    int changed = 0;
    for (int i = 0; i < sq->nwords && n; i++) {
        char *w = word_at(a, q, sq, i, 4);
        if (!w)
            continue;
        const char *low = lower(a, w, strlen(w)), *stem = NULL;
        int best = -1, best_d = 0, seen = 0;
        for (int k = 0; k < n; k++)
            seen |= strcmp(marks[k].low, low) == 0;
        for (int k = 0; k < n && !seen; k++) {
            if (marks[k].count < 2 || (best >= 0 && marks[k].count < marks[best].count))
                continue;
            int d = search_spell_distance(low, marks[k].low, 2);
            if (d < 1 || d > 2 || search_spell_inflection(low, marks[k].low))
                continue;
            if (!stem && !(stem = search_store_stem(db, a, w)))
                break;
            if (!marks[k].stem)
                marks[k].stem = search_store_stem(db, a, marks[k].low);
            if (!marks[k].stem || strcmp(marks[k].stem, stem) != 0)
                continue;
            if (best < 0 || marks[k].count > marks[best].count || d < best_d) {
                best = k;
                best_d = d;
            }
        }
        if (best >= 0) {
            with[i] = has_capital(w) ? marks[best].written : marks[best].low;
            changed = 1;
        }
    }
    return changed ? search_query_rewrite(a, q, sq->words, with, sq->nwords) : NULL;
}
