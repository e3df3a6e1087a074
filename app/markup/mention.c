#include "markup/mention.h"
#include "core/buf.h"

#include <string.h>

enum { LOGIN_MAX = 64 };

static int login_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

/* A character that, right before an @, makes it part of a word or address, not a mention. */
static int glued(unsigned char c)
{
    return login_char(c) || c >= 0x80 || c == '+' || c == '@' || c == '/' || c == '\\' ||
           c == '=' || c == '&';
}

/* The logins found so far: a list in the order they first appear, and a hash set over it so a
 * repeat is found in constant time (a page may name thousands of people). */
struct found {
    struct mention *head, **tail;
    int n, max;            /* max <= 0: no limit */
    const char **slots;    /* open addressing; cap is a power of two, at least twice n */
    size_t cap;
};

static size_t hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Returns the slot of login in f's set: where it is, or the empty one where it would go. */
static const char **slot_of(const struct found *f, const char *login)
{
    size_t i = hash(login) & (f->cap - 1);
    while (f->slots[i] && strcmp(f->slots[i], login) != 0)
        i = (i + 1) & (f->cap - 1);
    return &f->slots[i];
}

static void found_init(struct arena *a, struct found *f, int max)
{
    memset(f, 0, sizeof *f);
    f->tail = &f->head;
    f->max = max;
    f->cap = 64;
    f->slots = arena_alloc(a, f->cap * sizeof *f->slots);
}

static int found_has(const struct found *f, const char *login)
{
    return *slot_of(f, login) != NULL;
}

static void add(struct arena *a, struct found *f, const char *s, size_t len)
{
    char login[LOGIN_MAX + 1];
    for (size_t i = 0; i < len; i++)
        login[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    login[len] = 0;
    if (found_has(f, login) || (f->max > 0 && f->n >= f->max))
        return;
    if ((size_t)(f->n + 1) * 2 > f->cap) { /* grow: a new table in the arena, filled again */
        f->cap *= 2;
        f->slots = arena_alloc(a, f->cap * sizeof *f->slots);
        for (struct mention *m = f->head; m; m = m->next)
            *slot_of(f, m->login) = m->login;
    }
    struct mention *m = arena_alloc(a, sizeof *m);
    m->login = arena_strdup(a, login);
    *slot_of(f, m->login) = m->login;
    *f->tail = m;
    f->tail = &m->next;
    f->n++;
}

/* s[i] is an '@' not glued to what is before it: returns 1 with [*start, *end) the login that
 * follows when it is a mention; *next gets where to look on. */
static int mention_at(const char *s, size_t len, size_t i, size_t *start, size_t *end,
                      size_t *next)
{
    size_t b = i + 1, e = b;
    while (e < len && login_char((unsigned char)s[e]))
        e++;
    *next = e;
    if (e < len && s[e] == '@') /* @ana@example.com */
        return 0;
    while (e > b && (s[e - 1] == '.' || s[e - 1] == '-'))
        e--;
    if (e == b || e - b > LOGIN_MAX || s[b] == '.' || s[b] == '-')
        return 0;
    *start = b;
    *end = e;
    return 1;
}

int mention_next(const char *s, size_t len, size_t *start, size_t *end)
{
    size_t i = 0, next;
    while (i < len) {
        if (s[i] != '@' || (i > 0 && glued((unsigned char)s[i - 1]))) {
            i++;
            continue;
        }
        if (mention_at(s, len, i, start, end, &next))
            return 1;
        i = next;
    }
    return 0;
}

/* Finds mentions in one paragraph's text (lines joined), skipping code spans. */
static void scan(struct arena *a, const char *s, size_t len, struct found *f)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] == '`') { /* a code span: a run of n backticks up to the next run of n */
            size_t run = 0;
            while (i + run < len && s[i + run] == '`')
                run++;
            size_t j = i + run, close = 0;
            while (j < len && !close) {
                if (s[j] != '`') {
                    j++;
                    continue;
                }
                size_t r2 = 0;
                while (j + r2 < len && s[j + r2] == '`')
                    r2++;
                if (r2 == run)
                    close = j + r2;
                j += r2;
            }
            i = close ? close : i + run; /* no closing run: the backticks are just text */
            continue;
        }
        if (s[i] != '@' || (i > 0 && glued((unsigned char)s[i - 1]))) {
            i++;
            continue;
        }
        size_t start, end;
        if (mention_at(s, len, i, &start, &end, &i))
            add(a, f, s + start, end - start);
    }
}

/* Returns the number of columns of leading white space of a line (a tab counts 4). */
static int indent_of(const char *line, size_t len, size_t *skip)
{
    int cols = 0;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        cols += line[i++] == '\t' ? 4 - cols % 4 : 1;
    *skip = i;
    return cols;
}

/* Returns the length of the fence (``` or ~~~, 3 or more) that starts s, else 0. */
static size_t fence_len(const char *s, size_t len, char *ch)
{
    if (len < 3 || (s[0] != '`' && s[0] != '~'))
        return 0;
    size_t n = 0;
    while (n < len && s[n] == s[0])
        n++;
    if (n < 3)
        return 0;
    if (s[0] == '`' && memchr(s + n, '`', len - n)) /* a backtick fence's info has none */
        return 0;
    *ch = s[0];
    return n;
}

struct mention *mention_parse(struct arena *a, const char *md)
{
    return mention_parse_max(a, md, MENTION_MAX);
}

static void parse_into(struct arena *a, const char *md, struct found *out);

struct mention *mention_added(struct arena *a, const char *before, const char *after)
{
    struct found old, now;
    found_init(a, &old, 0);
    found_init(a, &now, 0);
    if (before)
        parse_into(a, before, &old);
    if (after)
        parse_into(a, after, &now);
    struct mention *head = NULL, **tail = &head;
    for (struct mention *m = now.head; m; m = m->next) {
        if (found_has(&old, m->login))
            continue;
        struct mention *c = arena_alloc(a, sizeof *c);
        c->login = m->login;
        *tail = c;
        tail = &c->next;
    }
    return head;
}

struct mention *mention_parse_max(struct arena *a, const char *md, int max)
{
    if (!md)
        return NULL;
    struct found f;
    found_init(a, &f, max);
    parse_into(a, md, &f);
    return f.head;
}

/* Adds the mentions in Markdown md to out. */
static void parse_into(struct arena *a, const char *md, struct found *out)
{
    struct buf para;
    buf_init(&para, 0);
    char fence_ch = 0;
    size_t fence = 0;     /* inside a fenced block opened by this many fence characters */
    int after_text = 0;   /* the line before was paragraph text (so indenting continues it) */
    for (const char *p = md; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p), skip;
        const char *next = nl ? nl + 1 : p + len;
        if (len && p[len - 1] == '\r')
            len--;
        int cols = indent_of(p, len, &skip);
        const char *body = p + skip;
        size_t blen = len - skip;
        char ch = 0;
        size_t f = cols < 4 ? fence_len(body, blen, &ch) : 0;
        if (fence) { /* inside a fenced block: only its closing fence matters */
            size_t k = f;
            while (k < blen && body[k] == ' ')
                k++;
            if (f >= fence && ch == fence_ch && k == blen)
                fence = 0;
        } else if (f) {
            fence = f;
            fence_ch = ch;
        } else if (blen == 0 || (cols >= 4 && !after_text)) {
            /* a blank line, or a line of an indented code block */
        } else {
            buf_append(&para, p, len);
            buf_putc(&para, '\n');
            after_text = 1;
            p = next;
            continue;
        }
        after_text = 0;
        scan(a, buf_str(&para), para.len, out);
        buf_reset(&para);
        p = next;
    }
    scan(a, buf_str(&para), para.len, out);
    buf_free(&para);
}
