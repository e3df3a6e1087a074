#include "search/search_query.h"
#include "core/buf.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Word characters: ASCII letters and digits, and every byte of a multi-byte UTF-8 character. */
static int word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

const char *search_query_column_words(struct arena *a, const char *column, const char *text,
                                      int max_words)
{
    struct buf b;
    buf_init(&b, 0);
    size_t len = strlen(text), i = 0;
    int words = 0;
    while (i < len && (max_words <= 0 || words < max_words)) {
        while (i < len && !word_char((unsigned char)text[i]))
            i++;
        size_t start = i;
        while (i < len && word_char((unsigned char)text[i]))
            i++;
        if (i == start)
            continue;
        if (words++)
            buf_puts(&b, " AND ");
        else
            buf_printf(&b, "{%s} : (", column);
        buf_printf(&b, "\"%.*s\"", (int)(i - start), text + start);
    }
    if (!words) {
        buf_free(&b);
        return NULL;
    }
    buf_puts(&b, word_char((unsigned char)text[len - 1]) ? "*)" : ")");
    return arena_adopt(a, buf_take(&b));
}

static int space_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *const FILTER_KEYS[] = {"space", "tag", "author", "type", "updated", "dept",
                                           "skill"};
enum { NFILTERS = sizeof FILTER_KEYS / sizeof *FILTER_KEYS };

/* Returns "page" or "person" for what type: names (page, pages, person, people; any case), else
 * NULL (then type:... is read as words, as updated:soon is). */
static const char *type_name(const char *v, size_t n)
{
    static const char *const names[][2] = {
        {"page", "page"}, {"pages", "page"}, {"person", "person"}, {"people", "person"}};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (strlen(names[k][0]) == n && strncasecmp(v, names[k][0], n) == 0)
            return names[k][1];
    return NULL;
}

#define token search_token

/* Reads the token at q[*i] (skipping spaces first) into t. Returns 0 at the end. */
static int next_token(const char *q, size_t len, size_t *i, struct token *t)
{
    memset(t, 0, sizeof *t);
    t->filter = -1;
    while (*i < len && space_char(q[*i]))
        (*i)++;
    if (*i >= len)
        return 0;
    t->at = *i;
    if (q[*i] == '-' && *i + 1 < len && (word_char((unsigned char)q[*i + 1]) || q[*i + 1] == '"')) {
        t->negate = 1;
        (*i)++;
    }
    const char *close = q[*i] == '"' ? memchr(q + *i + 1, '"', len - *i - 1) : NULL;
    if (close) { /* "exact phrase" */
        t->phrase = 1;
        t->in = *i + 1;
        t->inlen = (size_t)(close - q) - t->in;
        *i = (size_t)(close - q) + 1;
        t->len = *i - t->at;
        return 1;
    }
    size_t start = *i;
    while (*i < len && !space_char(q[*i])) {
        /* key:"a value with spaces", for tags such as "dev environment" */
        const char *end = q[*i] == ':' && *i + 1 < len && q[*i + 1] == '"'
                              ? memchr(q + *i + 2, '"', len - *i - 2)
                              : NULL;
        if (end) {
            *i = (size_t)(end - q) + 1;
            break;
        }
        (*i)++;
    }
    t->len = *i - t->at;
    t->in = start;
    t->inlen = *i - start;
    const char *tok = q + start, *colon = memchr(tok, ':', t->inlen);
    if (!t->negate && colon && colon > tok && (size_t)(colon - tok) < t->inlen - 1) {
        size_t klen = (size_t)(colon - tok);
        for (int k = 0; k < NFILTERS; k++) {
            if (strlen(FILTER_KEYS[k]) != klen || strncmp(tok, FILTER_KEYS[k], klen) != 0)
                continue;
            t->value = start + klen + 1;
            t->vlen = t->inlen - klen - 1;
            if (q[t->value] == '"' && t->vlen >= 2 && q[t->value + t->vlen - 1] == '"') {
                t->value++;
                t->vlen -= 2;
            }
            if (k == 4) { /* updated: only with a name it knows; else plain words */
                char name[8] = "";
                int64_t s, b;
                if (t->vlen >= sizeof name)
                    break;
                for (size_t c = 0; c < t->vlen; c++)
                    name[c] = (char)(q[t->value + c] | 0x20);
                name[t->vlen] = 0;
                if (search_query_updated_range(name, 0, &s, &b) != 0)
                    break;
            }
            if (k == 3 && !type_name(q + t->value, t->vlen))
                break;
            t->filter = k;
            return 1;
        }
    }
    if (!t->negate && t->inlen == 2 && strncmp(tok, "OR", 2) == 0) {
        t->is_or = 1;
        return 1;
    }
    t->prefix = t->inlen > 1 && tok[t->inlen - 1] == '*' &&
                word_char((unsigned char)tok[t->inlen - 2]);
    if (t->prefix)
        t->inlen--;
    return 1;
}

/* Appends the words of q[at, at + n) as one FTS5 phrase "w1 w2"; returns the number of words.
 * When `words` is not NULL, each word's place is recorded there too. */
static int put_phrase(struct buf *b, const char *q, size_t at, size_t n, struct search_query *words)
{
    int count = 0;
    size_t i = at, end = at + n;
    while (i < end) {
        while (i < end && !word_char((unsigned char)q[i]))
            i++;
        size_t start = i;
        while (i < end && word_char((unsigned char)q[i]))
            i++;
        if (i == start)
            continue;
        buf_puts(b, count ? " " : "\"");
        buf_append(b, q + start, i - start); /* word characters never include '"' */
        if (words)
            words->words[words->nwords++] = (struct search_word){start, i - start};
        count++;
    }
    if (count)
        buf_putc(b, '"');
    return count;
}

static size_t query_len(const char *q);

int search_query_word_char(unsigned char c)
{
    return word_char(c);
}

int search_query_tokens(struct arena *a, const char *q, struct search_token **out)
{
    size_t len = query_len(q), i = 0;
    int n = 0, cap = 8;
    struct token *list = arena_alloc(a, (size_t)cap * sizeof *list), t;
    while (next_token(q, len, &i, &t)) {
        if (n == cap) {
            struct token *more = arena_alloc(a, (size_t)cap * 2 * sizeof *more);
            memcpy(more, list, (size_t)n * sizeof *list);
            list = more;
            cap *= 2;
        }
        list[n++] = t;
    }
    *out = list;
    return n;
}

static const char *filter_value(struct arena *a, const char *s, size_t n)
{
    char *v = arena_strndup(a, s, n);
    for (char *p = v; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return v;
}

/* Returns the length of q to read: all of it, or SEARCH_QUERY_MAX cut at a character start,
 * and before the word the cut falls in when a space comes before it (so no word is halved). */
static size_t query_len(const char *q)
{
    size_t len = q ? strlen(q) : 0;
    if (len > SEARCH_QUERY_MAX) {
        len = SEARCH_QUERY_MAX;
        while (len && ((unsigned char)q[len] & 0xC0) == 0x80)
            len--;
        size_t word = len;
        while (word && !space_char(q[word]) && !space_char(q[word - 1]))
            word--;
        if (word)
            len = word;
    }
    return len;
}

void search_query_parse(struct arena *a, const char *q, struct search_query *out)
{
    memset(out, 0, sizeof *out);
    size_t len = query_len(q);
    out->text = arena_strndup(a, q ? q : "", len);
    out->words = arena_alloc(a, (len / 2 + 1) * sizeof *out->words);
    struct buf pos, neg;
    buf_init(&pos, 0);
    buf_init(&neg, 0);
    int npos = 0, nneg = 0, pending_or = 0;
    size_t i = 0;
    struct token t;
    while (next_token(q, len, &i, &t)) {
        if (t.filter >= 0) {
            const char **slots[NFILTERS] = {&out->space,   &out->tag,  &out->author, &out->type,
                                            &out->updated, &out->dept, &out->skill};
            *slots[t.filter] = t.filter == 3 ? type_name(q + t.value, t.vlen)
                                             : filter_value(a, q + t.value, t.vlen);
            continue;
        }
        if (t.is_or) {
            if (npos)
                pending_or = 1;
            continue;
        }
        struct buf term;
        buf_init(&term, 0);
        int words = put_phrase(&term, q, t.in, t.inlen, t.negate || t.prefix ? NULL : out);
        if (words && t.prefix)
            buf_putc(&term, '*');
        if (!words) {
            buf_free(&term);
            continue;
        }
        if (t.negate) {
            buf_puts(&neg, nneg++ ? " OR " : "");
            buf_append(&neg, term.data, term.len);
        } else {
            /* OR binds tighter than the implied AND, as in web search: "a b OR c" is a (b OR c). */
            if (npos++ && !pending_or)
                buf_puts(&pos, ") AND (");
            else if (pending_or)
                buf_puts(&pos, " OR ");
            buf_append(&pos, term.data, term.len);
            pending_or = 0;
        }
        buf_free(&term);
    }
    if (npos) {
        struct buf fts;
        buf_init(&fts, 0);
        buf_printf(&fts, "(%s)", buf_str(&pos));
        if (nneg)
            buf_printf(&fts, " NOT (%s)", buf_str(&neg));
        out->fts = arena_adopt(a, buf_take(&fts));
    }
    buf_free(&pos);
    buf_free(&neg);
}

int search_query_filtered(const struct search_query *q)
{
    return q->space || q->tag || q->author || q->updated || q->dept || q->skill;
}

int search_query_pages_only(const struct search_query *q)
{
    return q->space || q->tag || q->author || q->updated ||
           (q->type && strcmp(q->type, "page") == 0);
}

const char *search_query_set(struct arena *a, const char *q, const char *key, const char *value)
{
    size_t len = query_len(q), i = 0;
    struct buf b;
    buf_init(&b, 0);
    struct token t;
    while (next_token(q, len, &i, &t)) {
        if (t.filter >= 0 && strcmp(FILTER_KEYS[t.filter], key) == 0)
            continue;
        buf_printf(&b, "%s%.*s", b.len ? " " : "", (int)t.len, q + t.at);
    }
    if (value)
        buf_printf(&b, strchr(value, ' ') ? "%s%s:\"%s\"" : "%s%s:%s", b.len ? " " : "", key, value);
    return arena_adopt(a, buf_take(&b));
}

const char *search_query_rewrite(struct arena *a, const char *q, const struct search_word *words,
                                 const char *const *with, int n)
{
    struct buf b;
    buf_init(&b, 0);
    size_t done = 0, len = query_len(q);
    for (int k = 0; k < n; k++) {
        if (!with[k] || words[k].at < done || words[k].at + words[k].len > len)
            continue;
        buf_append(&b, q + done, words[k].at - done);
        buf_puts(&b, with[k]);
        done = words[k].at + words[k].len;
    }
    buf_append(&b, q + done, len - done);
    return arena_adopt(a, buf_take(&b));
}

int search_query_updated_range(const char *name, int64_t now, int64_t *since, int64_t *before)
{
    static const struct {
        const char *name;
        int days;
    } ranges[] = {{"week", 7}, {"month", 30}, {"year", 365}};
    *since = *before = 0;
    for (size_t k = 0; k < sizeof ranges / sizeof *ranges; k++)
        if (name && strcmp(name, ranges[k].name) == 0) {
            *since = now - (int64_t)ranges[k].days * 86400;
            return 0;
        }
    if (name && strcmp(name, "older") == 0) {
        *before = now - (int64_t)365 * 86400;
        return 0;
    }
    return -1;
}

enum { NAME_MAX_BYTES = 64 };

char *search_query_names(const char *text)
{
    json_t *list = json_array();
    char prev[NAME_MAX_BYTES] = "";
    for (const char *p = text; p && *p;) {
        p += strspn(p, " \t\r\n");
        size_t n = strcspn(p, " \t\r\n");
        const char *tok = p;
        p += n;
        if (!n || *tok == '-' || memchr(tok, ':', n) || (n == 2 && strncmp(tok, "OR", 2) == 0)) {
            prev[0] = 0;
            continue;
        }
        while (n && strchr("\"'(*", *tok))
            tok++, n--;
        while (n && strchr("\"'),;*?!", tok[n - 1]))
            n--;
        if (!n || n >= NAME_MAX_BYTES / 2) {
            prev[0] = 0;
            continue;
        }
        char word[NAME_MAX_BYTES / 2], pair[NAME_MAX_BYTES * 2];
        memcpy(word, tok, n);
        word[n] = 0;
        json_array_append_new(list, json_string(word)); /* NULL (not UTF-8) is not appended */
        if (*prev) {
            snprintf(pair, sizeof pair, "%s %s", prev, word);
            json_array_append_new(list, json_string(pair));
        }
        memcpy(prev, word, n + 1);
    }
    char *s = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    return s;
}
