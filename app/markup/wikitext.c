#include "markup/wikitext.h"
#include "markup/md_scan.h"
#include "core/buf.h"
#include "wiki/wikipath.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How it works: one pass finds the matching {{...}} and [[...]] pairs (so that unclosed markup
 * costs nothing and never loops); then the text is read as "logical lines" (a line, extended
 * while a template, tag or comment opened on it continues on later lines), each turned into a
 * Markdown block, with inline markup converted by inl(). */

enum { DEPTH_MAX = 24, TAGS_MAX = 20, TAG_LEN_MAX = 40, PREFIX_MAX = 16, NONE = -1 };

/* Inline contexts: what the output may contain there. */
enum {
    F_BLOCK = 1, /* a paragraph: may break into fenced code blocks */
    F_CELL = 2,  /* a table cell: one line, '|' escaped */
    F_HEAD = 4,  /* a heading: one line, '#' escaped */
    F_LINK = 8,  /* a link's label: no links inside */
};

struct pair {
    size_t open, end; /* s[open, end) is "{{...}}" or "[[...]]" */
};

struct pairs {
    struct pair *v;
    size_t n, cap;
};

/* The first place at or after `from` where a closing tag was looked for and found (or not). */
struct seek {
    int valid;
    size_t from, at; /* at == SIZE_MAX: none after from */
};

enum seek_kind {
    K_NOWIKI,
    K_PRE,
    K_CODE,
    K_TT,
    K_SAMP,
    K_SYNTAX,
    K_SOURCE,
    K_REF,
    K_REFS,
    K_MATH,
    K_GALLERY,
    K_COMMENT,
    K_BRACKET,
    K_COUNT
};

struct ref {
    char *name, *text;
    struct ref *next;
};

struct wt {
    struct arena *a;
    const struct wikitext_opts *o;
    const char *s;
    size_t n;
    struct pairs braces, links;
    struct seek seek[K_COUNT];
    struct buf tags, loose_cats;
    int ntags, depth;
    struct ref *refs;
    /* block state */
    int prev;                /* B_* of the last block written */
    char prefix[PREFIX_MAX]; /* the list prefix ("*#") of the last list line */
    size_t plen;
};

enum { B_NONE, B_PARA, B_LIST, B_OTHER };

static void inl(struct wt *w, struct buf *o, size_t i, size_t lim, int flags);

/* ---- small helpers */

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int starts_ci(const char *s, size_t i, size_t n, const char *word)
{
    size_t k = strlen(word);
    return i + k <= n && strncasecmp(s + i, word, k) == 0;
}

static size_t skip_spaces(const char *s, size_t i, size_t lim)
{
    while (i < lim && is_space(s[i]))
        i++;
    return i;
}

static size_t line_end(const char *s, size_t i, size_t lim)
{
    const char *nl = memchr(s + i, '\n', lim - i);
    return nl ? (size_t)(nl - s) : lim;
}

/* Ensures the output ends with an empty line (or is empty), so the next block stands alone. */
static void blank(struct buf *o)
{
    if (!o->len) return;
    if (o->data[o->len - 1] != '\n') buf_putc(o, '\n');
    if (o->len >= 2 && o->data[o->len - 2] != '\n') buf_putc(o, '\n');
}

static void newline(struct buf *o)
{
    if (o->len && o->data[o->len - 1] != '\n') buf_putc(o, '\n');
}

static void truncate_to(struct buf *o, size_t len)
{
    if (o->data && len < o->len) {
        o->len = len;
        o->data[len] = 0;
    }
}

/* ---- matching pairs */

static void pairs_add(struct pairs *p, size_t open, size_t end)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n].open = open;
    p->v[p->n].end = end;
    p->n++;
}

static int pair_cmp(const void *x, const void *y)
{
    const struct pair *a = x, *b = y;
    return a->open < b->open ? -1 : a->open > b->open;
}

/* Returns the end of the pair opening at `open`, or 0 when none does. */
static size_t pair_end(const struct pairs *p, size_t open)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->v[mid].open == open) return p->v[mid].end;
        if (p->v[mid].open < open)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

struct opener {
    size_t pos, count;
};

/* Pairs runs of '{' with runs of '}' the way MediaWiki's preprocessor does: three against three
 * ({{{param}}}) when both sides have them, else two (templates). */
static void match_braces(struct wt *w)
{
    struct opener *st = NULL;
    size_t sp = 0, cap = 0;
    for (size_t i = 0; i < w->n;) {
        char c = w->s[i];
        if (c != '{' && c != '}') {
            i++;
            continue;
        }
        size_t k = 1;
        while (i + k < w->n && w->s[i + k] == c)
            k++;
        if (c == '{' && k >= 2) {
            if (sp == cap) st = xrealloc(st, (cap = cap ? cap * 2 : 32) * sizeof *st);
            st[sp].pos = i;
            st[sp++].count = k;
        } else if (c == '}') {
            size_t m = k, used = 0;
            while (m >= 2 && sp > 0) {
                size_t t = st[sp - 1].count >= 3 && m >= 3 ? 3 : 2;
                pairs_add(&w->braces, st[sp - 1].pos + st[sp - 1].count - t, i + used + t);
                used += t;
                m -= t;
                st[sp - 1].count -= t;
                if (st[sp - 1].count < 2) sp--;
            }
        }
        i += k;
    }
    free(st);
    if (w->braces.n) qsort(w->braces.v, w->braces.n, sizeof *w->braces.v, pair_cmp);
}

/* Pairs "[[" with "]]" on the same line, nesting (image captions hold links). */
static void match_links(struct wt *w)
{
    size_t *st = NULL, sp = 0, cap = 0;
    for (size_t i = 0; i < w->n;) {
        char c = w->s[i];
        if (c == '\n') {
            sp = 0;
            i++;
            continue;
        }
        if (c != '[' && c != ']') {
            i++;
            continue;
        }
        size_t k = 1;
        while (i + k < w->n && w->s[i + k] == c)
            k++;
        if (c == '[' && k >= 2) {
            if (sp == cap) st = xrealloc(st, (cap = cap ? cap * 2 : 32) * sizeof *st);
            st[sp++] = i + k - 2;
        } else if (c == ']') {
            for (size_t m = k, used = 0; m >= 2 && sp > 0; m -= 2, used += 2)
                pairs_add(&w->links, st[--sp], i + used + 2);
        }
        i += k;
    }
    free(st);
    if (w->links.n) qsort(w->links.v, w->links.n, sizeof *w->links.v, pair_cmp);
}

/* Returns the end of a {{...}} or [[...]] starting at i, or 0. */
static size_t any_pair(struct wt *w, size_t i)
{
    if (i + 1 >= w->n) return 0;
    if (w->s[i] == '{' && w->s[i + 1] == '{') return pair_end(&w->braces, i);
    if (w->s[i] == '[' && w->s[i + 1] == '[') return pair_end(&w->links, i);
    return 0;
}

/* ---- finding closing tags without rescanning: each kind remembers its last answer */

static size_t seek_ci(const char *s, size_t from, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = from; i + k <= n; i++) {
        const char *p = memchr(s + i, needle[0], n - i);
        if (!p) return SIZE_MAX;
        i = (size_t)(p - s);
        if (i + k <= n && strncasecmp(s + i, needle, k) == 0 &&
            (needle[0] != '<' || i + k == n || !is_alnum(s[i + k])))
            return i;
    }
    return SIZE_MAX;
}

static size_t seek_close(struct wt *w, enum seek_kind kind, const char *needle, size_t from)
{
    struct seek *c = &w->seek[kind];
    if (c->valid && from >= c->from && (c->at == SIZE_MAX || c->at >= from)) return c->at;
    c->valid = 1;
    c->from = from;
    c->at = seek_ci(w->s, from, w->n, needle);
    return c->at;
}

/* ---- tags */

enum tag_kind {
    T_NOWIKI,
    T_PRE,
    T_CODE,
    T_SYNTAX,
    T_REF,
    T_REFS,
    T_MATH,
    T_GALLERY,
    T_BR,
    T_HR,
    T_KEEP,
    T_DROP,
    T_CELL,
    T_ROW,
    T_LI
};

struct tag_def {
    const char *name;
    enum tag_kind kind;
    const char *as; /* T_KEEP: the HTML tag written */
    int seek;       /* the seek kind of its closing tag, or NONE */
};

static const struct tag_def TAGS[] = {
    {"nowiki", T_NOWIKI, NULL, K_NOWIKI},
    {"pre", T_PRE, NULL, K_PRE},
    {"code", T_CODE, NULL, K_CODE},
    {"tt", T_CODE, NULL, K_TT},
    {"samp", T_CODE, NULL, K_SAMP},
    {"syntaxhighlight", T_SYNTAX, NULL, K_SYNTAX},
    {"source", T_SYNTAX, NULL, K_SOURCE},
    {"ref", T_REF, NULL, K_REF},
    {"references", T_REFS, NULL, K_REFS},
    {"math", T_MATH, NULL, K_MATH},
    {"gallery", T_GALLERY, NULL, K_GALLERY},
    {"br", T_BR, NULL, NONE},
    {"hr", T_HR, NULL, NONE},
    {"b", T_KEEP, "b", NONE},
    {"strong", T_KEEP, "strong", NONE},
    {"i", T_KEEP, "i", NONE},
    {"em", T_KEEP, "em", NONE},
    {"s", T_KEEP, "s", NONE},
    {"strike", T_KEEP, "s", NONE},
    {"del", T_KEEP, "del", NONE},
    {"u", T_KEEP, "u", NONE},
    {"ins", T_KEEP, "ins", NONE},
    {"sup", T_KEEP, "sup", NONE},
    {"sub", T_KEEP, "sub", NONE},
    {"small", T_KEEP, "small", NONE},
    {"kbd", T_KEEP, "kbd", NONE},
    {"var", T_KEEP, "var", NONE},
    {"mark", T_KEEP, "mark", NONE},
    {"abbr", T_KEEP, "abbr", NONE},
    {"cite", T_KEEP, "cite", NONE},
    {"q", T_KEEP, "q", NONE},
    {"dfn", T_KEEP, "dfn", NONE},
    {"big", T_DROP, NULL, NONE},
    {"span", T_DROP, NULL, NONE},
    {"div", T_DROP, NULL, NONE},
    {"font", T_DROP, NULL, NONE},
    {"center", T_DROP, NULL, NONE},
    {"p", T_DROP, NULL, NONE},
    {"blockquote", T_DROP, NULL, NONE},
    {"poem", T_DROP, NULL, NONE},
    {"includeonly", T_DROP, NULL, NONE},
    {"noinclude", T_DROP, NULL, NONE},
    {"onlyinclude", T_DROP, NULL, NONE},
    {"section", T_DROP, NULL, NONE},
    {"translate", T_DROP, NULL, NONE},
    {"h1", T_DROP, NULL, NONE},
    {"h2", T_DROP, NULL, NONE},
    {"h3", T_DROP, NULL, NONE},
    {"h4", T_DROP, NULL, NONE},
    {"h5", T_DROP, NULL, NONE},
    {"h6", T_DROP, NULL, NONE},
    {"table", T_DROP, NULL, NONE},
    {"tbody", T_DROP, NULL, NONE},
    {"thead", T_DROP, NULL, NONE},
    {"caption", T_DROP, NULL, NONE},
    {"ul", T_DROP, NULL, NONE},
    {"ol", T_DROP, NULL, NONE},
    {"dl", T_DROP, NULL, NONE},
    {"dt", T_DROP, NULL, NONE},
    {"dd", T_DROP, NULL, NONE},
    {"td", T_CELL, NULL, NONE},
    {"th", T_CELL, NULL, NONE},
    {"tr", T_ROW, NULL, NONE},
    {"li", T_LI, NULL, NONE},
};

struct tag {
    const struct tag_def *def;
    int closing, selfclose;
    size_t attr_b, attr_e; /* the attributes' text */
    size_t end;            /* just after '>' */
};

/* Reads the tag at s[i] ('<'). Returns 1 for a known tag, 0 otherwise. */
static int parse_tag(struct wt *w, size_t i, size_t lim, struct tag *t)
{
    const char *s = w->s;
    size_t j = i + 1;
    memset(t, 0, sizeof *t);
    if (j < lim && s[j] == '/') {
        t->closing = 1;
        j++;
    }
    size_t nb = j;
    while (j < lim && j - nb < 20 &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
            (j > nb && s[j] >= '0' && s[j] <= '9')))
        j++;
    size_t nlen = j - nb;
    if (!nlen || j >= lim || !(s[j] == '>' || s[j] == '/' || is_space(s[j]) || s[j] == '\n'))
        return 0;
    for (size_t k = 0; k < sizeof TAGS / sizeof *TAGS; k++)
        if (strlen(TAGS[k].name) == nlen && strncasecmp(TAGS[k].name, s + nb, nlen) == 0)
            t->def = &TAGS[k];
    if (!t->def) return 0;
    t->attr_b = j;
    size_t cap = j + 2000 < lim ? j + 2000 : lim;
    while (j < cap && s[j] != '>' && s[j] != '<')
        j++;
    if (j >= cap || s[j] != '>') return 0;
    t->selfclose = j > t->attr_b && s[j - 1] == '/';
    t->attr_e = t->selfclose ? j - 1 : j;
    t->end = j + 1;
    return 1;
}

/* Returns the value of attribute `name` in s[b, e) (quoted or not), in a, or NULL. */
static char *attr(struct wt *w, size_t b, size_t e, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = b; i + k < e; i++) {
        if (strncasecmp(w->s + i, name, k) != 0 || (i > b && is_alnum(w->s[i - 1]))) continue;
        size_t j = skip_spaces(w->s, i + k, e);
        if (j >= e || w->s[j] != '=') continue;
        j = skip_spaces(w->s, j + 1, e);
        char q = j < e && (w->s[j] == '"' || w->s[j] == '\'') ? w->s[j++] : 0;
        size_t v = j;
        while (j < e && (q ? w->s[j] != q : !is_space(w->s[j]) && w->s[j] != '\n'))
            j++;
        return arena_strndup(w->a, w->s + v, j - v);
    }
    return NULL;
}

static int has_attr(struct wt *w, size_t b, size_t e, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = b; i + k <= e; i++)
        if (strncasecmp(w->s + i, name, k) == 0 && (i == b || !is_alnum(w->s[i - 1])) &&
            (i + k == e || !is_alnum(w->s[i + k])))
            return 1;
    return 0;
}

/* For a tag that holds text up to its closing tag: sets *cb (content start), *ce (content end)
 * and returns where the whole element ends; 0 when it is not closed. */
static size_t element_end(struct wt *w, const struct tag *t, size_t *cb, size_t *ce)
{
    char needle[24];
    snprintf(needle, sizeof needle, "</%s", t->def->name);
    size_t at = seek_close(w, (enum seek_kind)t->def->seek, needle, t->end);
    if (at == SIZE_MAX) return 0;
    *cb = t->end;
    *ce = at;
    const char *gt = memchr(w->s + at, '>', w->n - at);
    return gt ? (size_t)(gt - w->s) + 1 : w->n;
}

/* Returns the end of a construct at i that may run over several lines (a template, a comment, an
 * element such as <pre> or <ref>), or 0. */
static size_t multiline_end(struct wt *w, size_t i)
{
    const char *s = w->s;
    if (s[i] == '{') return any_pair(w, i);
    if (s[i] != '<') return 0;
    if (starts_ci(s, i, w->n, "<!--")) {
        size_t at = seek_close(w, K_COMMENT, "-->", i + 4);
        return at == SIZE_MAX ? 0 : at + 3;
    }
    struct tag t;
    size_t cb, ce;
    if (!parse_tag(w, i, w->n, &t) || t.closing || t.selfclose || t.def->seek == NONE) return 0;
    return element_end(w, &t, &cb, &ce);
}

/* Returns the end of the logical line starting at i (the '\n' ending it, or n). */
static size_t logical_end(struct wt *w, size_t i, size_t lim)
{
    while (i < lim && w->s[i] != '\n') {
        size_t e = (w->s[i] == '{' || w->s[i] == '<') ? multiline_end(w, i) : 0;
        i = e > i && e <= lim ? e : i + 1;
    }
    return i;
}

/* ---- output pieces */

/* Writes c as literal text: Markdown's punctuation is escaped. prev/next are its neighbours. */
static void put_lit(struct buf *o, char c, char prev, char next, int flags)
{
    switch (c) {
    case '\\':
    case '`':
    case '*':
    case '[':
    case ']':
    case '~':
        buf_putc(o, '\\');
        buf_putc(o, c);
        break;
    case '_':
        if (!(is_alnum(prev) && is_alnum(next))) buf_putc(o, '\\');
        buf_putc(o, c);
        break;
    case '<':
        if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '/' ||
            next == '!' || next == '?')
            buf_puts(o, "&lt;");
        else
            buf_putc(o, c);
        break;
    case '|':
        if (flags & F_CELL) buf_putc(o, '\\');
        buf_putc(o, c);
        break;
    case '#':
        if (flags & F_HEAD) buf_putc(o, '\\');
        buf_putc(o, c);
        break;
    case '\n':
        buf_putc(o, ' ');
        break;
    default:
        buf_putc(o, c);
    }
}

static void put_lit_str(struct buf *o, const char *s, size_t n, int flags)
{
    for (size_t i = 0; i < n; i++)
        put_lit(o, s[i], i ? s[i - 1] : ' ', i + 1 < n ? s[i + 1] : ' ', flags);
}

static size_t longest_backticks(const char *t, size_t n)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run = t[i] == '`' ? run + 1 : 0;
        if (run > best) best = run;
    }
    return best;
}

/* Writes a fenced code block holding t[0, n), on lines of its own. */
static void fence(struct buf *o, const char *lang, const char *t, size_t n)
{
    while (n && t[0] == '\n')
        t++, n--;
    while (n && (t[n - 1] == '\n' || t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    size_t ticks = longest_backticks(t, n) + 1;
    if (ticks < 3) ticks = 3;
    newline(o);
    for (size_t i = 0; i < ticks; i++)
        buf_putc(o, '`');
    buf_puts(o, lang ? lang : "");
    buf_putc(o, '\n');
    buf_append(o, t, n);
    if (n) buf_putc(o, '\n');
    for (size_t i = 0; i < ticks; i++)
        buf_putc(o, '`');
    buf_putc(o, '\n');
}

/* Writes t[0, n) as code: an inline code span, or a fenced block when it has several lines
 * and the context allows blocks. */
static void code(struct buf *o, const char *t, size_t n, int flags, const char *lang)
{
    if (!n) return;
    if ((flags & F_BLOCK) && memchr(t, '\n', n)) {
        fence(o, lang, t, n);
        return;
    }
    size_t ticks = longest_backticks(t, n) + 1;
    int pad = t[0] == '`' || t[n - 1] == '`' || t[0] == ' ' || t[n - 1] == ' ';
    for (size_t i = 0; i < ticks; i++)
        buf_putc(o, '`');
    if (pad) buf_putc(o, ' ');
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '|' && (flags & F_CELL)) buf_putc(o, '\\');
        buf_putc(o, t[i] == '\n' || t[i] == '\r' ? ' ' : t[i]);
    }
    if (pad) buf_putc(o, ' ');
    for (size_t i = 0; i < ticks; i++)
        buf_putc(o, '`');
}

/* Writes a URL as a link destination: characters that would end it are percent-encoded. */
static void put_url(struct buf *o, const char *u, size_t n)
{
    if (n >= 2 && u[0] == '/' && u[1] == '/') buf_puts(o, "https:");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        if (c == '(' || c == ')' || c == '<' || c == '>' || c == ' ' || c == '|' || c == '\\' ||
            c == '`' || c < 0x20)
            buf_printf(o, "%%%02X", c);
        else
            buf_putc(o, (char)c);
    }
}

/* A heading anchor as ken's sanitiser makes it: lowercase letters and digits, other runs '-'. */
static char *anchor_slug(struct arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 8);
    size_t len = 0;
    int dash = 0;
    for (size_t i = 0; i < n && len < 100; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && len) out[len++] = '-';
            out[len++] = c;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    if (!len) strcpy(out, "section");
    return out;
}

/* ---- emphasis: '' and ''' toggle, closed at the end of the line like MediaWiki does */

struct emph {
    char kind[2]; /* 'b' or 'i', innermost last */
    size_t at[2]; /* output length just after the opening marker */
    int n;
};

static const char *marker(char kind)
{
    return kind == 'b' ? "**" : "*";
}

static void em_push(struct buf *o, struct emph *e, char kind)
{
    buf_puts(o, marker(kind));
    e->kind[e->n] = kind;
    e->at[e->n++] = o->len;
}

/* Closes the innermost emphasis. Spaces just inside the markers are moved outside (Markdown
 * ignores "** x**"); an emphasis around nothing is removed. */
static void em_pop(struct buf *o, struct emph *e)
{
    char kind = e->kind[--e->n];
    size_t at = e->at[e->n], ml = strlen(marker(kind));
    size_t lead = 0;
    while (at + lead < o->len && o->data[at + lead] == ' ')
        lead++;
    if (at + lead == o->len) { /* nothing but spaces inside: drop the marker */
        memmove(o->data + at - ml, o->data + at, lead);
        truncate_to(o, o->len - ml);
        return;
    }
    if (lead) {
        memmove(o->data + at - ml, o->data + at, lead);
        memcpy(o->data + at - ml + lead, marker(kind), ml);
    }
    size_t trail = 0;
    while (o->len > at + trail && o->data[o->len - 1 - trail] == ' ')
        trail++;
    truncate_to(o, o->len - trail);
    buf_puts(o, marker(kind));
    for (size_t i = 0; i < trail; i++)
        buf_putc(o, ' ');
}

static int em_has(const struct emph *e, char kind)
{
    for (int i = 0; i < e->n; i++)
        if (e->kind[i] == kind) return 1;
    return 0;
}

static void em_toggle(struct buf *o, struct emph *e, char kind)
{
    if (!em_has(e, kind)) {
        em_push(o, e, kind);
    } else if (e->kind[e->n - 1] == kind) {
        em_pop(o, e);
    } else { /* close the inner one too, then open it again */
        char inner = e->kind[e->n - 1];
        em_pop(o, e);
        em_pop(o, e);
        em_push(o, e, inner);
    }
}

static void apostrophes(struct buf *o, struct emph *e, size_t run)
{
    if (run == 4 || run > 5) {
        for (size_t i = 0; i < (run == 4 ? 1 : run - 5); i++)
            buf_putc(o, '\'');
        run = run == 4 ? 3 : 5;
    }
    if (run == 2) {
        em_toggle(o, e, 'i');
    } else if (run == 3) {
        em_toggle(o, e, 'b');
    } else if (em_has(e, 'b') && em_has(e, 'i')) {
        em_pop(o, e);
        em_pop(o, e);
    } else if (em_has(e, 'b') || em_has(e, 'i')) {
        char open = em_has(e, 'b') ? 'b' : 'i';
        em_toggle(o, e, open);
        em_push(o, e, open == 'b' ? 'i' : 'b');
    } else {
        em_push(o, e, 'b');
        em_push(o, e, 'i');
    }
}

/* ---- titles, namespaces, paths */

static const char *const DEFAULT_NS[] = {
    "Talk",        "User",      "User talk",      "Project",  "Project talk",
    "File talk",   "MediaWiki", "MediaWiki talk", "Template", "Template talk",
    "Help",        "Help talk", "Category talk",  "Special",  "Module",
    "Module talk", "Draft",     "Portal",         NULL};

/* Compares a namespace name with s[0, n): case-insensitive, '_' equal to ' '. */
static int ns_eq(const char *name, const char *s, size_t n)
{
    if (!name || strlen(name) != n) return 0;
    for (size_t i = 0; i < n; i++) {
        char x = name[i] == '_' ? ' ' : name[i], y = s[i] == '_' ? ' ' : s[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y) return 0;
    }
    return 1;
}

enum ns_kind { NS_NONE, NS_OTHER, NS_CATEGORY, NS_FILE, NS_MEDIA };

static enum ns_kind ns_kind(const struct wikitext_opts *o, const char *s, size_t n)
{
    while (n && is_space(s[n - 1]))
        n--;
    while (n && is_space(*s))
        s++, n--;
    if (!n) return NS_NONE;
    if (ns_eq("Category", s, n) || ns_eq(o->category_ns, s, n)) return NS_CATEGORY;
    if (ns_eq("File", s, n) || ns_eq("Image", s, n) || ns_eq(o->file_ns, s, n)) return NS_FILE;
    if (ns_eq("Media", s, n)) return NS_MEDIA;
    for (const char *const *p = o->namespaces ? o->namespaces : DEFAULT_NS; *p; p++)
        if (ns_eq(*p, s, n)) return NS_OTHER;
    return NS_NONE;
}

/* Appends the slug of s[0, n) as a path segment; text with no usable letters gets a hash. */
static void put_segment(struct arena *a, struct buf *b, const char *s, size_t n, int *count)
{
    char *slug = wikipath_slug(a, arena_strndup(a, s, n));
    if (!*slug) {
        int any = 0;
        for (size_t i = 0; i < n; i++)
            any |= !is_space(s[i]) && s[i] != '_';
        if (!any) return;
        uint32_t h = 2166136261u; /* FNV-1a */
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)s[i]) * 16777619u;
        slug = arena_printf(a, "p-%08x", h);
    }
    buf_printf(b, "/%s", slug);
    (*count)++;
}

char *wikitext_title_path(struct arena *a, const struct wikitext_opts *o, const char *title)
{
    const char *t = title;
    while (*t == ' ' || *t == '_' || *t == ':')
        t++;
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, o->space);
    int count = 1;
    const char *colon = strchr(t, ':');
    if (colon && ns_kind(o, t, (size_t)(colon - t)) != NS_NONE) {
        put_segment(a, &b, t, (size_t)(colon - t), &count);
        t = colon + 1;
    }
    /* Subpages: "A/B" is a/b. Past the depth limit, the rest joins the last segment. */
    while (*t) {
        size_t seg = strcspn(t, "/");
        if (count == WIKIPATH_DEPTH_MAX - 1 && t[seg]) seg = strlen(t);
        put_segment(a, &b, t, seg, &count);
        t += seg + (t[seg] ? 1 : 0);
    }
    char *path = arena_adopt(a, buf_take(&b));
    return count > 1 && !wikipath_check(path) ? path : NULL;
}

/* ---- links */

static void add_category(struct wt *w, const char *name, size_t n)
{
    while (n && is_space(*name))
        name++, n--;
    while (n && is_space(name[n - 1]))
        n--;
    if (!n) return;
    char *slug = wikipath_slug(w->a, arena_strndup(w->a, name, n));
    if (strlen(slug) > TAG_LEN_MAX) {
        slug[TAG_LEN_MAX] = 0;
        while (*slug && slug[strlen(slug) - 1] == '-')
            slug[strlen(slug) - 1] = 0;
    }
    if (*slug) {
        char *spaced = arena_printf(w->a, ",%s,", slug);
        char *have = arena_printf(w->a, ",%s,", buf_str(&w->tags));
        if (strstr(have, spaced)) return;
        if (w->ntags < TAGS_MAX) {
            buf_printf(&w->tags, "%s%s", w->ntags ? "," : "", slug); /* page_store's PAGE_TAGS_SEP */
            w->ntags++;
            return;
        }
    }
    if (w->loose_cats.len) buf_puts(&w->loose_cats, ", ");
    buf_append(&w->loose_cats, name, n);
}

/* Returns s[b, e) as plain text (markup and tags removed, [[a|b]] as b) in a. */
static char *plain(struct wt *w, size_t b, size_t e)
{
    struct buf p;
    buf_init(&p, 0);
    int deep = ++w->depth > DEPTH_MAX; /* absurd nesting of links: the inner ones as text */
    for (size_t i = b; i < e;) {
        char c = w->s[i];
        size_t end;
        if (c == '\'' && i + 1 < e && w->s[i + 1] == '\'') {
            while (i < e && w->s[i] == '\'')
                i++;
        } else if (!deep && c == '[' && (end = pair_end(&w->links, i)) && end <= e) {
            size_t bar = i + 2;
            while (bar < end - 2 && w->s[bar] != '|')
                bar++;
            char *inner = bar < end - 2 ? plain(w, bar + 1, end - 2) : plain(w, i + 2, end - 2);
            buf_puts(&p, inner[0] == ':' ? inner + 1 : inner);
            i = end;
        } else if (c == '<') {
            struct tag t;
            if (parse_tag(w, i, e, &t)) {
                i = t.end;
            } else {
                buf_putc(&p, c);
                i++;
            }
        } else {
            buf_putc(&p, c == '\n' || c == '\t' ? ' ' : c == '[' ? '(' : c == ']' ? ')' : c);
            i++;
        }
    }
    w->depth--;
    char *out = arena_adopt(w->a, buf_take(&p));
    size_t n = strlen(out);
    while (n && out[n - 1] == ' ')
        out[--n] = 0;
    while (*out == ' ')
        out++;
    return out;
}

/* Splits s[b, e) at '|' outside nested pairs; returns the positions of the bars (at most max). */
static int split_bars(struct wt *w, size_t b, size_t e, size_t *bars, int max)
{
    int n = 0;
    for (size_t i = b; i < e && n < max;) {
        size_t end = any_pair(w, i);
        if (end && end <= e) {
            i = end;
        } else {
            if (w->s[i] == '|') bars[n++] = i;
            i++;
        }
    }
    return n;
}

static int image_option(const char *p, size_t n)
{
    static const char *const words[] = {
        "thumb", "thumbnail", "frame",  "framed",   "frameless", "border",      "left",
        "right", "center",    "centre", "none",     "upright",   "baseline",    "middle",
        "sub",   "super",     "top",    "text-top", "bottom",    "text-bottom", NULL};
    while (n && is_space(*p))
        p++, n--;
    while (n && is_space(p[n - 1]))
        n--;
    for (const char *const *wd = words; *wd; wd++)
        if (strlen(*wd) == n && strncasecmp(*wd, p, n) == 0) return 1;
    if (n > 2 && strncmp(p + n - 2, "px", 2) == 0) {
        size_t i = 0;
        while (i < n - 2 && ((p[i] >= '0' && p[i] <= '9') || p[i] == 'x'))
            i++;
        if (i == n - 2) return 1;
    }
    const char *eq = memchr(p, '=', n);
    if (eq) {
        size_t k = (size_t)(eq - p);
        static const char *const keys[] = {"link",    "alt",   "page",      "class", "lang",
                                           "upright", "thumb", "thumbnail", NULL};
        for (const char *const *key = keys; *key; key++)
            if (strlen(*key) == k && strncasecmp(*key, p, k) == 0) return 1;
    }
    return 0;
}

/* [[File:name.png|thumb|Caption]] -> ![Caption](name.png): a page attachment's name. */
static void image(struct wt *w, struct buf *o, size_t nb, size_t b, size_t e)
{
    size_t bars[64];
    int nbars = split_bars(w, b, e, bars, 64);
    size_t name_end = nbars ? bars[0] : e;
    char *name = plain(w, nb, name_end);
    char *caption = NULL, *alt = NULL;
    for (int k = 0; k < nbars; k++) {
        size_t pb = bars[k] + 1, pe = k + 1 < nbars ? bars[k + 1] : e;
        size_t s0 = skip_spaces(w->s, pb, pe);
        if (starts_ci(w->s, s0, pe, "alt="))
            alt = plain(w, s0 + 4, pe);
        else if (!image_option(w->s + pb, pe - pb))
            caption = plain(w, pb, pe);
    }
    for (char *c = name; *c; c++)
        if (*c == ' ') *c = '_';
    char *file = attach_name_from_filename(w->a, name);
    const char *text = caption && *caption ? caption : alt && *alt ? alt : name;
    if (!file) {
        buf_puts(o, "(image: ");
        put_lit_str(o, name, strlen(name), 0);
        buf_putc(o, ')');
        return;
    }
    buf_puts(o, "![");
    put_lit_str(o, text, strlen(text), 0);
    buf_printf(o, "](%s)", file);
}

/* [[target|label]] at s[b - 2, e + 2); trail: letters right after "]]" that join the label. */
static void wikilink(struct wt *w, struct buf *o, size_t b, size_t e, size_t tb, size_t te,
                     int flags)
{
    const char *s = w->s;
    size_t i = skip_spaces(s, b, e);
    int forced = i < e && s[i] == ':';
    if (forced) i++;
    size_t bar = e;
    split_bars(w, i, e, &bar, 1);
    size_t te_ = bar;
    while (te_ > i && is_space(s[te_ - 1]))
        te_--;
    const char *colon = memchr(s + i, ':', te_ - i);
    enum ns_kind kind = colon ? ns_kind(w->o, s + i, (size_t)(colon - (s + i))) : NS_NONE;
    if (kind == NS_CATEGORY && !forced) {
        add_category(w, colon + 1, (size_t)(s + te_ - colon - 1));
        return;
    }
    if (kind == NS_FILE && !forced) {
        image(w, o, (size_t)(colon - s) + 1, bar, e);
        return;
    }
    char *target = plain(w, i, te_);
    for (char *c = target; *c; c++)
        if (*c == '_') *c = ' ';
    char *label;
    if (bar < e) {
        label = plain(w, bar + 1, e);
        if (!*label) { /* the pipe trick: [[Help:Cats (animals)|]] shows "Cats" */
            const char *c = strchr(target, ':');
            label = arena_strdup(w->a, c && kind != NS_NONE ? c + 1 : target);
            char *paren = strstr(label, " (");
            if (paren && paren != label) *paren = 0;
        }
    } else {
        label = target;
    }
    if (te > tb) label = arena_printf(w->a, "%s%.*s", label, (int)(te - tb), s + tb);
    if (kind == NS_MEDIA) {
        char *file = attach_name_from_filename(w->a, colon + 1);
        if (file && !(flags & F_LINK)) {
            buf_putc(o, '[');
            put_lit_str(o, label, strlen(label), flags);
            buf_printf(o, "](%s)", file);
            return;
        }
    }
    if (flags & F_LINK) {
        put_lit_str(o, label, strlen(label), flags);
        return;
    }
    char *hash = strchr(target, '#');
    char *page = hash ? arena_strndup(w->a, target, (size_t)(hash - target)) : target;
    char *path = *page ? wikitext_title_path(w->a, w->o, page) : NULL;
    if (*page && !path) {
        put_lit_str(o, label, strlen(label), flags);
        return;
    }
    if (hash) {
        buf_putc(o, '[');
        put_lit_str(o, label, strlen(label), flags);
        buf_puts(o, "](");
        if (path) buf_printf(o, "/wiki/%s", path);
        buf_printf(o, "#%s)", anchor_slug(w->a, hash + 1, strlen(hash + 1)));
        return;
    }
    buf_printf(o, "[[%s%s", path, flags & F_CELL ? "\\|" : "|");
    for (char *c = label; *c; c++)
        if (*c == '[' || *c == ']') *c = *c == '[' ? '(' : ')';
    put_lit_str(o, label, strlen(label), flags);
    buf_puts(o, "]]");
}

static const char *const SCHEMES[] = {
    "http://", "https://", "ftp://",  "ftps://", "sftp://", "ssh://", "git://",
    "irc://",  "ircs://",  "mailto:", "news:",   "//",      NULL};

static size_t scheme_len(const char *s, size_t i, size_t lim)
{
    for (const char *const *p = SCHEMES; *p; p++)
        if (starts_ci(s, i, lim, *p)) return strlen(*p);
    return 0;
}

/* [http://x label] at s[i]: returns the end, or 0 when it is not an external link. */
static size_t extlink(struct wt *w, struct buf *o, size_t i, size_t lim, int flags)
{
    const char *s = w->s;
    size_t k = scheme_len(s, i + 1, lim);
    if (!k || (flags & F_LINK)) return 0;
    size_t close = seek_close(w, K_BRACKET, "]", i + 1);
    size_t le = line_end(s, i, lim);
    if (close == SIZE_MAX || close >= le) return 0;
    size_t ue = i + 1;
    while (ue < close && !is_space(s[ue]))
        ue++;
    if (ue == i + 1 + k) return 0;
    size_t lb = skip_spaces(s, ue, close);
    if (lb < close) {
        buf_putc(o, '[');
        inl(w, o, lb, close, (flags & ~F_BLOCK) | F_LINK);
        buf_puts(o, "](");
        put_url(o, s + i + 1, ue - i - 1);
        buf_putc(o, ')');
    } else {
        buf_putc(o, '<');
        put_url(o, s + i + 1, ue - i - 1);
        buf_putc(o, '>');
    }
    return close + 1;
}

/* A bare URL in the text at s[i]: written as an autolink. Returns its end, or 0. */
static size_t bare_url(struct wt *w, struct buf *o, size_t i, size_t lim, int flags)
{
    const char *s = w->s;
    size_t k = scheme_len(s, i, lim);
    if (!(starts_ci(s, i, lim, "http") || starts_ci(s, i, lim, "ftp") ||
          starts_ci(s, i, lim, "mailto:")))
        k = 0;
    if (!k || s[i] == '/' || (i > 0 && is_alnum(s[i - 1])) || (flags & F_LINK)) return 0;
    size_t e = i + k;
    while (e < lim && !is_space(s[e]) && !strchr("\n<>[]{}|\"", s[e]))
        e++;
    while (e > i + k && strchr(".,;:!?')", s[e - 1]))
        e--;
    if (e == i + k) return 0;
    buf_putc(o, '<');
    put_url(o, s + i, e - i);
    buf_putc(o, '>');
    return e;
}

/* ---- tags and templates */

static char *decode_entities(struct arena *a, const char *s, size_t n)
{
    static const struct {
        const char *name, *text;
    } ents[] = {{"&lt;", "<"},  {"&gt;", ">"},   {"&amp;", "&"}, {"&quot;", "\""},
                {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}};
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (size_t e = 0; s[i] == '&' && e < sizeof ents / sizeof *ents && !k; e++)
            if (starts_ci(s, i, n, ents[e].name)) {
                buf_puts(&b, ents[e].text);
                k = strlen(ents[e].name);
            }
        if (k) {
            i += k;
        } else {
            buf_putc(&b, s[i++]);
        }
    }
    return arena_adopt(a, buf_take(&b));
}

/* <ref>text</ref> -> " (text)"; <ref name="x" /> repeats the text of the ref named x. The
 * content is s[cb, ce) (unused for a self-closing ref). */
static void ref(struct wt *w, struct buf *o, const struct tag *t, size_t cb, size_t ce, int flags)
{
    char *name = attr(w, t->attr_b, t->attr_e, "name");
    struct buf r;
    buf_init(&r, 0);
    if (t->selfclose) {
        struct ref *f = NULL;
        for (struct ref *k = name ? w->refs : NULL; k && !f; k = k->next)
            if (strcmp(k->name, name) == 0) f = k;
        if (f)
            buf_puts(&r, f->text);
        else if (name)
            buf_printf(&r, "note: %s", name);
    } else {
        inl(w, &r, cb, ce, flags & ~F_BLOCK);
    }
    const char *text = buf_str(&r);
    while (*text == ' ')
        text++;
    size_t len = strlen(text);
    while (len && text[len - 1] == ' ')
        len--;
    if (len) {
        if (o->len && o->data[o->len - 1] != ' ' && o->data[o->len - 1] != '\n') buf_putc(o, ' ');
        buf_putc(o, '(');
        buf_append(o, text, len);
        buf_putc(o, ')');
        if (name && !t->selfclose) {
            struct ref *f = arena_alloc(w->a, sizeof *f);
            f->name = name;
            f->text = arena_strndup(w->a, text, len);
            f->next = w->refs;
            w->refs = f;
        }
    }
    buf_free(&r);
}

static void gallery(struct wt *w, struct buf *o, size_t b, size_t e)
{
    for (size_t i = b; i < e;) {
        size_t le = line_end(w->s, i, e);
        size_t s0 = skip_spaces(w->s, i, le);
        if (s0 < le) {
            const char *colon = memchr(w->s + s0, ':', le - s0);
            size_t nb = colon && ns_kind(w->o, w->s + s0, (size_t)(colon - w->s - s0)) == NS_FILE
                            ? (size_t)(colon - w->s) + 1
                            : s0;
            size_t bar = le;
            split_bars(w, nb, le, &bar, 1);
            if (o->len && o->data[o->len - 1] != '\n' && o->data[o->len - 1] != ' ')
                buf_putc(o, ' ');
            image(w, o, nb, bar, le);
        }
        i = le + 1;
    }
}

/* Handles the tag at s[i]. Returns where to go on, or 0 when it is to be read as text. */
static size_t tag_at(struct wt *w, struct buf *o, size_t i, size_t lim, int flags)
{
    const char *s = w->s;
    if (starts_ci(s, i, lim, "<!--")) {
        size_t at = seek_close(w, K_COMMENT, "-->", i + 4);
        if (at == SIZE_MAX || at + 3 > lim) return 0;
        /* Comments are kept (invisible once rendered); on one line where blocks are not allowed */
        for (size_t k = i; k < at + 3; k++)
            buf_putc(o, !(flags & F_BLOCK) && s[k] == '\n' ? ' ' : s[k]);
        return at + 3;
    }
    struct tag t;
    if (!parse_tag(w, i, lim, &t)) return 0;
    size_t cb, ce, end = 0, next = t.end;
    enum tag_kind kind = t.def->kind;
    if (t.def->seek != NONE && !t.closing && !t.selfclose) {
        end = element_end(w, &t, &cb, &ce);
        if (!end || end > lim) {
            if (kind != T_REFS) return 0; /* unclosed: shown as text, like MediaWiki does */
            end = 0;
        }
    }
    switch (kind) {
    case T_NOWIKI:
        if (end) {
            put_lit_str(o, s + cb, ce - cb, flags);
            next = end;
        }
        break;
    case T_PRE:
        if (end) {
            char *text = decode_entities(w->a, s + cb, ce - cb);
            if (flags & F_BLOCK)
                fence(o, "", text, strlen(text));
            else
                code(o, text, strlen(text), flags, "");
            next = end;
        }
        break;
    case T_CODE:
        if (end) {
            code(o, s + cb, ce - cb, flags, "");
            next = end;
        }
        break;
    case T_SYNTAX:
        if (end) {
            char *lang = attr(w, t.attr_b, t.attr_e, "lang");
            for (char *c = lang; c && *c; c++)
                if (!is_alnum(*c) && !strchr("+#-_.", *c)) *c = 0;
            int inline_ = has_attr(w, t.attr_b, t.attr_e, "inline");
            if ((flags & F_BLOCK) && !inline_)
                fence(o, lang, s + cb, ce - cb);
            else
                code(o, s + cb, ce - cb, flags & ~F_BLOCK, lang);
            next = end;
        }
        break;
    case T_MATH:
        if (end) {
            char *m = arena_printf(w->a, "$%.*s$", (int)(ce - cb), s + cb);
            code(o, m, strlen(m), flags & ~F_BLOCK, "");
            next = end;
        }
        break;
    case T_GALLERY:
        if (end) {
            gallery(w, o, cb, ce);
            next = end;
        }
        break;
    case T_REF:
        if (!t.closing) {
            ref(w, o, &t, end ? cb : 0, end ? ce : 0, flags);
            next = end ? end : t.end;
        }
        break;
    case T_REFS: /* the references are already in the text, in parentheses */
        if (end) {
            inl(w, o, cb, ce, flags);
            next = end;
        }
        break;
    case T_BR:
        buf_puts(o, (flags & F_HEAD) ? " " : "<br>");
        break;
    case T_HR:
        if (flags & F_BLOCK) {
            blank(o);
            buf_puts(o, "* * *\n\n");
        } else {
            buf_puts(o, " — ");
        }
        break;
    case T_KEEP:
        if (!t.selfclose) buf_printf(o, "<%s%s>", t.closing ? "/" : "", t.def->as);
        break;
    case T_CELL:
        if (!t.closing) buf_putc(o, ' ');
        break;
    case T_ROW:
        if (t.closing) buf_puts(o, (flags & F_HEAD) ? " " : "<br>");
        break;
    case T_LI:
        if (!t.closing) buf_puts(o, (flags & F_HEAD) ? " · " : "<br>• ");
        break;
    case T_DROP:
        break;
    }
    return next;
}

static int magic_word(const char *s, size_t i, size_t lim, size_t *end)
{
    static const char *const words[] = {"__TOC__",
                                        "__NOTOC__",
                                        "__FORCETOC__",
                                        "__NOEDITSECTION__",
                                        "__NEWSECTIONLINK__",
                                        "__NONEWSECTIONLINK__",
                                        "__NOGALLERY__",
                                        "__HIDDENCAT__",
                                        "__INDEX__",
                                        "__NOINDEX__",
                                        "__STATICREDIRECT__",
                                        "__DISAMBIG__",
                                        "__NOTITLECONVERT__",
                                        "__NOCONTENTCONVERT__",
                                        NULL};
    for (const char *const *wd = words; *wd; wd++)
        if (starts_ci(s, i, lim, *wd)) {
            *end = i + strlen(*wd);
            return 1;
        }
    return 0;
}

/* ---- inline text */

static void inl(struct wt *w, struct buf *o, size_t i, size_t lim, int flags)
{
    const char *s = w->s;
    if (++w->depth > DEPTH_MAX) { /* absurd nesting: the rest as plain text */
        put_lit_str(o, s + i, lim - i, flags);
        w->depth--;
        return;
    }
    struct emph em = {.n = 0};
    while (i < lim) {
        char c = s[i];
        size_t next = 0;
        if (c == '\'' && i + 1 < lim && s[i + 1] == '\'') {
            size_t run = 0;
            while (i + run < lim && s[i + run] == '\'')
                run++;
            apostrophes(o, &em, run);
            i += run;
            continue;
        }
        if (c == '[') {
            size_t end = pair_end(&w->links, i);
            if (end && end <= lim) {
                size_t te = end;
                while (te < lim && ((s[te] >= 'a' && s[te] <= 'z')))
                    te++;
                wikilink(w, o, i + 2, end - 2, end, te, flags);
                i = te;
                continue;
            }
            next = extlink(w, o, i, lim, flags);
        } else if (c == '{') {
            size_t end = pair_end(&w->braces, i);
            if (end && end <= lim) { /* a template: kept as written, as code */
                code(o, s + i, end - i, flags, "wikitext");
                i = end;
                continue;
            }
        } else if (c == '<') {
            next = tag_at(w, o, i, lim, flags);
        } else if (c == '_' && i + 1 < lim && s[i + 1] == '_') {
            if (magic_word(s, i, lim, &next) == 0) next = 0;
        } else if (c == 'h' || c == 'H' || c == 'f' || c == 'F' || c == 'm' || c == 'M') {
            next = bare_url(w, o, i, lim, flags);
        }
        if (next > i) {
            i = next;
            continue;
        }
        put_lit(o, c, i ? s[i - 1] : ' ', i + 1 < lim ? s[i + 1] : ' ', flags);
        i++;
    }
    while (em.n)
        em_pop(o, &em);
    w->depth--;
}

/* ---- blocks */

/* Escapes what would make the text starting at o[at] a block of its own ("# x", "- x", "1. x",
 * "> x", "=" or "+" lines) and drops leading spaces (four would be a code block). */
static void line_start_escape(struct buf *o, size_t at)
{
    size_t sp = 0;
    while (at + sp < o->len && (o->data[at + sp] == ' ' || o->data[at + sp] == '\t'))
        sp++;
    if (sp) {
        memmove(o->data + at, o->data + at + sp, o->len - at - sp);
        truncate_to(o, o->len - sp);
    }
    if (at >= o->len) return;
    char c = o->data[at];
    size_t ins = SIZE_MAX;
    if (c == '#' || c == '>' || c == '-' || c == '+' || c == '=')
        ins = at;
    else if (c >= '0' && c <= '9') {
        size_t k = at;
        while (k < o->len && k - at < 10 && o->data[k] >= '0' && o->data[k] <= '9')
            k++;
        if (k < o->len && (o->data[k] == '.' || o->data[k] == ')') &&
            (k + 1 == o->len || o->data[k + 1] == ' ' || o->data[k + 1] == '\n'))
            ins = k;
    }
    if (ins == SIZE_MAX) return;
    buf_putc(o, ' ');
    memmove(o->data + ins + 1, o->data + ins, o->len - ins - 1);
    o->data[ins] = '\\';
}

static void trim_trailing_spaces(struct buf *o, size_t floor)
{
    while (o->len > floor && (o->data[o->len - 1] == ' ' || o->data[o->len - 1] == '\t'))
        truncate_to(o, o->len - 1);
}

static int only_space(const struct buf *o, size_t from)
{
    for (size_t k = from; k < o->len; k++)
        if (!is_space(o->data[k]) && o->data[k] != '\n') return 0;
    return 1;
}

static void paragraph_line(struct wt *w, struct buf *o, size_t b, size_t e)
{
    size_t mark = o->len;
    if (w->prev != B_PARA) blank(o);
    size_t start = o->len;
    inl(w, o, b, e, F_BLOCK);
    if (only_space(o, start)) { /* a line of categories or magic words only */
        truncate_to(o, mark);
        return;
    }
    line_start_escape(o, start);
    trim_trailing_spaces(o, start);
    buf_putc(o, '\n');
    w->prev = B_PARA;
}

static int heading(struct wt *w, struct buf *o, size_t b, size_t e)
{
    const char *s = w->s;
    while (e > b && is_space(s[e - 1]))
        e--;
    size_t l = 0, r = 0;
    while (b + l < e && s[b + l] == '=')
        l++;
    while (e - r > b + l && s[e - 1 - r] == '=')
        r++;
    size_t level = l < r ? l : r;
    if (level == 0) return 0;
    size_t cb = b + level, ce = e - level;
    if (level > 6) level = 6;
    if (skip_spaces(s, cb, ce) >= ce) return 0;
    blank(o);
    for (size_t k = 0; k < level; k++)
        buf_putc(o, '#');
    buf_putc(o, ' ');
    size_t start = o->len;
    inl(w, o, skip_spaces(s, cb, ce), ce, F_HEAD);
    trim_trailing_spaces(o, start);
    buf_putc(o, '\n');
    w->prev = B_OTHER;
    return 1;
}

/* The first ':' of a "; term : definition" line outside links, templates and URLs. */
static size_t definition_colon(struct wt *w, size_t b, size_t e)
{
    for (size_t i = b; i < e;) {
        size_t end = any_pair(w, i);
        if (end && end <= e) {
            i = end;
            continue;
        }
        if (w->s[i] == ':' && !(i + 2 < e && w->s[i + 1] == '/' && w->s[i + 2] == '/')) return i;
        i++;
    }
    return e;
}

static int quote_mode(const char *p, size_t k)
{
    for (size_t i = 0; i <= k; i++)
        if (p[i] != ':' && p[i] != ';') return 0;
    return 1;
}

/* Writes one list line with prefix p (of "*#:;") and content s[b, e). '*' and '#' are list
 * items, ':' and ';' alone are indentation (a quote), ':' under an item continues it. */
static void list_line(struct wt *w, struct buf *o, const char *p0, size_t d, size_t b, size_t e)
{
    char p[PREFIX_MAX];
    memcpy(p, p0, d);
    int after_list = w->prev == B_LIST;
    if (!after_list) {
        blank(o);
        w->plen = 0;
    }
    /* Markdown cannot open several levels at once: skip the levels the previous line lacked. */
    if (d > w->plen + 1) {
        p[w->plen] = p[d - 1];
        d = w->plen + 1;
    }
    struct buf lead;
    buf_init(&lead, 0);
    for (size_t k = 0; k + 1 < d; k++)
        buf_puts(&lead, p[k] == '*' ? "  " : p[k] == '#' ? "   " : quote_mode(p, k) ? "> " : "");
    char leaf = p[d - 1];
    int quote = quote_mode(p, d - 1);
    int prev_quote = after_list && w->plen && w->prefix[w->plen - 1] == ':' &&
                     quote_mode(w->prefix, w->plen - 1);
    size_t cb = skip_spaces(w->s, b, e);
    /* A line that must not join the previous one's paragraph gets an empty line first. */
    if (after_list && ((leaf == ':' && (!quote || prev_quote)) || leaf == ';')) {
        size_t start = o->len;
        buf_puts(o, buf_str(&lead));
        if (leaf == ':' && quote) buf_putc(o, '>');
        trim_trailing_spaces(o, start);
        buf_putc(o, '\n');
    }
    buf_puts(o, buf_str(&lead));
    if (leaf == '*' || leaf == '#') {
        buf_puts(o, leaf == '*' ? "- " : "1. ");
    } else if (leaf == ':' && quote) {
        buf_puts(o, "> ");
    }
    size_t start = o->len;
    if (leaf == ';') { /* a term, with its definition after a ':' */
        size_t def = definition_colon(w, cb, e);
        buf_puts(o, "**");
        inl(w, o, cb, def, 0);
        trim_trailing_spaces(o, start);
        buf_puts(o, "**");
        if (o->len == start + 4) truncate_to(o, start);
        if (def < e && skip_spaces(w->s, def + 1, e) < e) {
            if (o->len > start) {
                buf_putc(o, '\n');
                buf_puts(o, buf_str(&lead));
                buf_puts(o, quote ? "> " : "");
            }
            start = o->len;
            inl(w, o, skip_spaces(w->s, def + 1, e), e, 0);
            line_start_escape(o, start);
        }
    } else {
        inl(w, o, cb, e, 0);
        line_start_escape(o, start);
    }
    trim_trailing_spaces(o, 0);
    buf_putc(o, '\n');
    buf_free(&lead);
    memcpy(w->prefix, p, d);
    w->plen = d;
    w->prev = B_LIST;
}

/* ---- tables */

struct cell {
    size_t b, e;
    int head;
};

struct table {
    struct cell *cells;
    size_t ncells, cap;
    size_t *row_start; /* index of each row's first cell */
    size_t nrows, rcap;
    size_t cap_b, cap_e; /* caption */
    size_t b, e;         /* the whole table, "{|" to "|}" */
    int complex;
};

static void table_row(struct table *t)
{
    if (t->nrows && t->row_start[t->nrows - 1] == t->ncells)
        return; /* the previous row is still empty */
    if (t->nrows == t->rcap)
        t->row_start =
            xrealloc(t->row_start, (t->rcap = t->rcap ? t->rcap * 2 : 16) * sizeof *t->row_start);
    t->row_start[t->nrows++] = t->ncells;
}

static void table_cell(struct wt *w, struct table *t, size_t b, size_t e, int head)
{
    /* "attributes | content": the first single '|' outside links and templates */
    size_t bar = e;
    split_bars(w, b, e, &bar, 1);
    if (bar < e && memchr(w->s + b, '=', bar - b)) {
        char *rs = attr(w, b, bar, "rowspan"), *cs = attr(w, b, bar, "colspan");
        if ((rs && atoi(rs) > 1) || (cs && atoi(cs) > 1)) t->complex = 1;
        b = bar + 1;
    }
    if (!t->nrows) table_row(t);
    if (t->ncells == t->cap)
        t->cells = xrealloc(t->cells, (t->cap = t->cap ? t->cap * 2 : 32) * sizeof *t->cells);
    t->cells[t->ncells++] = (struct cell){b, e, head};
}

/* Splits a row line's cells at "||" (and "!!" in header lines), outside links and templates. */
static void table_cells(struct wt *w, struct table *t, size_t b, size_t e, int head)
{
    size_t start = b;
    for (size_t i = b; i < e;) {
        size_t end = any_pair(w, i);
        if (end && end <= e) {
            i = end;
            continue;
        }
        if (i + 1 < e && ((w->s[i] == '|' && w->s[i + 1] == '|') ||
                          (head && w->s[i] == '!' && w->s[i + 1] == '!'))) {
            table_cell(w, t, start, i, head);
            i += 2;
            start = i;
            continue;
        }
        i++;
    }
    table_cell(w, t, start, e, head);
}

/* A cell's text on one line: its lines joined with <br>. */
static void cell_text(struct wt *w, struct buf *o, const struct cell *c, int bold)
{
    size_t start = o->len;
    if (bold) buf_puts(o, "**");
    size_t inner = o->len;
    for (size_t i = c->b; i < c->e;) {
        size_t le = logical_end(w, i, c->e);
        size_t s0 = skip_spaces(w->s, i, le);
        if (s0 < le) {
            if (o->len > inner) buf_puts(o, "<br>");
            inl(w, o, s0, le, F_CELL);
            trim_trailing_spaces(o, inner);
        }
        i = le + 1;
    }
    if (bold && o->len == inner)
        truncate_to(o, start);
    else if (bold)
        buf_puts(o, "**");
}

static size_t row_end(const struct table *t, size_t r)
{
    return r + 1 < t->nrows ? t->row_start[r + 1] : t->ncells;
}

/* Writes row r (SIZE_MAX: an empty header row) as a GFM table line of ncols cells. */
static void table_line(struct wt *w, struct buf *o, const struct table *t, size_t r, size_t ncols,
                       int bold_heads)
{
    size_t rb = r == SIZE_MAX ? 0 : t->row_start[r], re = r == SIZE_MAX ? 0 : row_end(t, r);
    buf_putc(o, '|');
    for (size_t k = 0; k < ncols; k++) {
        buf_putc(o, ' ');
        size_t before = o->len;
        if (rb + k < re) cell_text(w, o, &t->cells[rb + k], bold_heads && t->cells[rb + k].head);
        buf_puts(o, o->len == before ? "|" : " |");
    }
    buf_putc(o, '\n');
}

static void table_write(struct wt *w, struct buf *o, const struct table *t)
{
    size_t ncols = 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (row_end(t, r) - t->row_start[r] > ncols) ncols = row_end(t, r) - t->row_start[r];
    if (t->cap_e > t->cap_b && skip_spaces(w->s, t->cap_b, t->cap_e) < t->cap_e) {
        struct cell cap = {t->cap_b, t->cap_e, 0};
        size_t start = o->len;
        cell_text(w, o, &cap, 1);
        line_start_escape(o, start);
        buf_puts(o, "\n\n");
    }
    if (!ncols) return;
    /* Markdown pads every row to the widest: 3,000 cells in one row over 3,000 short rows made
     * 9 million cells of a few bytes of wikitext. Such a table stays as it was written. */
    if (t->nrows * ncols > MD_SCAN_CELLS_MAX) { /* more than ken would render */
        fence(o, "mediawiki", w->s + t->b, t->e - t->b);
        return;
    }
    /* The first row is the header when it has only header cells; else the header is empty. */
    int header = 1;
    for (size_t k = 0; k < row_end(t, 0); k++)
        header &= t->cells[k].head;
    table_line(w, o, t, header ? 0 : SIZE_MAX, ncols, 0);
    buf_putc(o, '|');
    for (size_t k = 0; k < ncols; k++)
        buf_puts(o, " --- |");
    buf_putc(o, '\n');
    for (size_t r = header ? 1 : 0; r < t->nrows; r++)
        if (row_end(t, r) > t->row_start[r]) table_line(w, o, t, r, ncols, 1);
}

/* Reads the table at s[b, e) (from "{|" to "|}"); converts it, or keeps it as a fenced block when
 * Markdown cannot hold it (cells spanning rows or columns, nested tables, lists in cells). */
static void table(struct wt *w, struct buf *o, size_t b, size_t e)
{
    const char *s = w->s;
    struct table t = {.cap_b = 0, .cap_e = 0, .b = b, .e = e};
    size_t i = line_end(s, b, e) + 1;
    int last = 0; /* 1: a cell is open, 2: the caption */
    while (i < e && !t.complex) {
        size_t le = logical_end(w, i, e), s0 = skip_spaces(s, i, le);
        if (starts_ci(s, s0, le, "|}")) {
            break;
        } else if (starts_ci(s, s0, le, "{|")) {
            t.complex = 1;
        } else if (starts_ci(s, s0, le, "|+")) {
            t.cap_b = s0 + 2;
            t.cap_e = le;
            last = 2;
        } else if (starts_ci(s, s0, le, "|-")) {
            table_row(&t);
            last = 0;
        } else if (s0 < le && (s[s0] == '!' || s[s0] == '|')) {
            table_cells(w, &t, s0 + 1, le, s[s0] == '!');
            last = 1;
        } else if (s0 < le) { /* a cell's content going on */
            if (strchr("*#:;=", s[s0]) || last == 0)
                t.complex = 1;
            else if (last == 1)
                t.cells[t.ncells - 1].e = le;
            else
                t.cap_e = le;
        } else if (last == 1) {
            t.cells[t.ncells - 1].e = le;
        }
        i = le + 1;
    }
    blank(o);
    if (t.complex)
        fence(o, "mediawiki", s + b, e - b);
    else
        table_write(w, o, &t);
    free(t.cells);
    free(t.row_start);
    w->prev = B_OTHER;
}

/* ---- the document */

static size_t table_end(struct wt *w, size_t i, size_t *after)
{
    int depth = 0;
    while (i < w->n) {
        size_t le = logical_end(w, i, w->n), s0 = skip_spaces(w->s, i, le);
        if (starts_ci(w->s, s0, le, "{|"))
            depth++;
        else if (starts_ci(w->s, s0, le, "|}") && --depth == 0) {
            *after = s0 + 2;
            return le;
        }
        i = le + 1;
    }
    *after = w->n;
    return w->n;
}

static void body(struct wt *w, struct buf *o)
{
    const char *s = w->s;
    size_t i = skip_spaces(s, 0, w->n);
    if (starts_ci(s, i, w->n, "#redirect")) {
        size_t j = skip_spaces(s, i + 9, w->n);
        if (j < w->n && s[j] == ':') j = skip_spaces(s, j + 1, w->n);
        size_t end = pair_end(&w->links, j);
        if (end) {
            buf_puts(o, "Redirect to ");
            wikilink(w, o, j + 2, end - 2, end, end, 0);
            buf_puts(o, ".\n");
            w->prev = B_OTHER;
            i = end;
        } else {
            i = 0;
        }
    } else {
        i = 0;
    }
    while (i < w->n) {
        size_t le = logical_end(w, i, w->n);
        size_t s0 = skip_spaces(s, i, le);
        char c = i < le ? s[i] : 0;
        if (starts_ci(s, s0, le, "{|")) {
            size_t after, end = table_end(w, i, &after);
            table(w, o, i, end);
            if (skip_spaces(s, after, end) < end) paragraph_line(w, o, after, end);
            le = end;
        } else if (s0 == le) {
            if (w->prev != B_NONE) blank(o);
            w->prev = w->prev == B_NONE ? B_NONE : B_OTHER;
        } else if (c == '=' && heading(w, o, i, le)) {
        } else if (starts_ci(s, i, le, "----")) {
            blank(o);
            buf_puts(o, "* * *\n");
            w->prev = B_OTHER;
            size_t r = i;
            while (r < le && s[r] == '-')
                r++;
            if (skip_spaces(s, r, le) < le) paragraph_line(w, o, r, le);
        } else if (c && strchr("*#:;", c)) {
            size_t d = 0;
            while (i + d < le && d < PREFIX_MAX && strchr("*#:;", s[i + d]))
                d++;
            list_line(w, o, s + i, d, i + d, le);
        } else if (c == ' ') { /* lines starting with a space: preformatted */
            struct buf pre;
            buf_init(&pre, 0);
            while (i < w->n && s[i] == ' ') {
                size_t e = line_end(s, i, w->n);
                if (skip_spaces(s, i, e) == e) break;
                buf_append(&pre, s + i + 1, e - i - 1);
                buf_putc(&pre, '\n');
                le = e;
                i = e + 1;
            }
            blank(o);
            fence(o, "", buf_str(&pre), pre.len);
            buf_free(&pre);
            w->prev = B_OTHER;
        } else {
            paragraph_line(w, o, i, le);
        }
        i = le + 1;
    }
}

char *wikitext_to_markdown(struct arena *a, const char *text, const struct wikitext_opts *o,
                           char **tags)
{
    /* Carriage returns and control characters never reach a page. */
    size_t n = strlen(text);
    char *clean = arena_alloc(a, n + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] >= 0x20 || text[i] == '\n' || text[i] == '\t')
            clean[len++] = text[i];
    clean[len] = 0;
    struct wt w = {.a = a, .o = o, .s = clean, .n = len};
    buf_init(&w.tags, 0);
    buf_init(&w.loose_cats, 0);
    match_braces(&w);
    match_links(&w);
    struct buf out;
    buf_init(&out, 0);
    body(&w, &out);
    if (w.loose_cats.len) {
        blank(&out);
        buf_puts(&out, "Categories: ");
        put_lit_str(&out, buf_str(&w.loose_cats), w.loose_cats.len, 0);
        buf_putc(&out, '\n');
    }
    while (out.len && (out.data[out.len - 1] == '\n' || out.data[out.len - 1] == ' '))
        truncate_to(&out, out.len - 1);
    if (out.len) buf_putc(&out, '\n');
    if (tags) *tags = arena_adopt(a, buf_take(&w.tags));
    buf_free(&w.tags);
    buf_free(&w.loose_cats);
    free(w.braces.v);
    free(w.links.v);
    return arena_adopt(a, buf_take(&out));
}
