/* HTML allowlist sanitiser. libxml2's HTML parser builds a tree; we walk it and write our own
 * serialisation of only the allowlisted elements and attributes, always double-quoted and escaped.
 * The output holds no raw-text element, comment or foreign (svg/math) content, so a browser parses
 * it back into exactly the tree we checked, whatever libxml2 and the browser disagree about in the
 * input. */
#include "markup/sanitize.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLUG_MAX 64

/* IGNORE_ENC: a <meta charset> in the input must not switch decoding half-way through.
 * HUGE: without it libxml2 stops parsing at nesting depth 256 and silently drops the rest. */
#define PARSE_OPTS                                                                                 \
    (HTML_PARSE_RECOVER | HTML_PARSE_NODEFDTD | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |        \
     HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED | HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE)

static void oom(void)
{
    fputs("ken: out of memory in sanitize_html\n", stderr);
    abort();
}

/* ---- output buffer ---- */

struct sbuf {
    char *p;
    size_t len, cap;
};

static void sbuf_add(struct sbuf *b, const char *s, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 256;
        while (n > cap - b->len) {
            if (cap > SIZE_MAX / 2) oom();
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (p == NULL) oom();
        b->p = p;
        b->cap = cap;
    }
    if (n > 0) memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void sbuf_puts(struct sbuf *b, const char *s)
{
    sbuf_add(b, s, strlen(s));
}
static void sbuf_putc(struct sbuf *b, char c)
{
    sbuf_add(b, &c, 1);
}

/* Escapes & < > always, and " too when in_attr. */
static void put_escaped(struct sbuf *b, const char *s, size_t n, int in_attr)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = in_attr ? "&quot;" : NULL;
            break;
        default:
            break;
        }
        if (rep != NULL) {
            sbuf_add(b, s + run, i - run);
            sbuf_puts(b, rep);
            run = i + 1;
        }
    }
    sbuf_add(b, s + run, n - run);
}

static void put_attr(struct sbuf *b, const char *name, const char *value)
{
    sbuf_putc(b, ' ');
    sbuf_puts(b, name);
    sbuf_puts(b, "=\"");
    put_escaped(b, value, strlen(value), 1);
    sbuf_putc(b, '"');
}

/* ---- input ---- */

/* Returns the length of the UTF-8 sequence at s (n bytes available) if it encodes an XML Char, else
 * 0. */
static size_t xml_char_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0], cp, min;
    size_t len;
    if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return len;
}

static const char WRAP[] = "<div>";

/* Returns a malloc'd copy of the input behind a wrapper <div>, with every byte that is not part of
 * a valid UTF-8 XML Char replaced by U+FFFD. libxml2 otherwise stops at NUL and, on bad UTF-8, may
 * reinterpret the rest of the input as Latin-1. Inputs too big for libxml2's int size are
 * truncated. */
static char *prepare_input(const char *html, size_t len, size_t *out_len)
{
    size_t max = ((size_t)INT_MAX - sizeof WRAP) / 3;
    if (len > max) len = max;
    char *buf = malloc(sizeof WRAP + len * 3);
    if (buf == NULL) oom();
    memcpy(buf, WRAP, sizeof WRAP - 1);
    size_t o = sizeof WRAP - 1;
    const unsigned char *s = (const unsigned char *)html;
    for (size_t i = 0; i < len;) {
        size_t n = xml_char_len(s + i, len - i);
        if (n == 0) {
            memcpy(buf + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(buf + o, s + i, n);
            o += n;
            i += n;
        }
    }
    buf[o] = '\0';
    *out_len = o;
    return buf;
}

/* ---- allowlist ---- */

enum { E_VOID = 1, E_DROP = 2, E_HEADING = 4, E_INPUT = 8 };
enum {
    A_HREF = 1 << 0,
    A_SRC = 1 << 1,
    A_ALT = 1 << 2,
    A_SIZE = 1 << 3,
    A_CELL = 1 << 4,
    A_START = 1 << 5,
    A_VALUE = 1 << 6,
    A_DATETIME = 1 << 7,
};

struct elem {
    const char *name;
    unsigned char flags, attrs;
};

/* Elements not listed here lose their tag but keep their (sanitised) children. */
static const struct elem ELEMS[] = {
    {"p", 0, 0},
    {"a", 0, A_HREF},
    {"li", 0, A_VALUE},
    {"code", 0, 0},
    {"em", 0, 0},
    {"strong", 0, 0},
    {"td", 0, A_CELL},
    {"tr", 0, 0},
    {"th", 0, A_CELL},
    {"br", E_VOID, 0},
    {"ul", 0, 0},
    {"ol", 0, A_START},
    {"pre", 0, 0},
    {"span", 0, 0},
    {"div", 0, 0},
    {"h1", E_HEADING, 0},
    {"h2", E_HEADING, 0},
    {"h3", E_HEADING, 0},
    {"h4", E_HEADING, 0},
    {"h5", E_HEADING, 0},
    {"h6", E_HEADING, 0},
    {"img", E_VOID, A_SRC | A_ALT | A_SIZE},
    {"hr", E_VOID, 0},
    {"blockquote", 0, 0},
    {"kbd", 0, 0},
    {"samp", 0, 0},
    {"var", 0, 0},
    {"b", 0, 0},
    {"i", 0, 0},
    {"u", 0, 0},
    {"s", 0, 0},
    {"del", 0, 0},
    {"ins", 0, 0},
    {"sub", 0, 0},
    {"sup", 0, 0},
    {"mark", 0, 0},
    {"small", 0, 0},
    {"abbr", 0, 0},
    {"cite", 0, 0},
    {"q", 0, 0},
    {"dfn", 0, 0},
    {"dl", 0, 0},
    {"dt", 0, 0},
    {"dd", 0, 0},
    {"table", 0, 0},
    {"thead", 0, 0},
    {"tbody", 0, 0},
    {"tfoot", 0, 0},
    {"caption", 0, 0},
    {"colgroup", 0, 0},
    {"col", E_VOID, 0},
    {"details", 0, 0},
    {"summary", 0, 0},
    {"figure", 0, 0},
    {"figcaption", 0, 0},
    {"input", E_VOID | E_INPUT, 0},
    {"section", 0, 0},
    {"nav", 0, 0},
    {"time", 0, A_DATETIME},
    /* Dropped with everything inside: raw-text/RCDATA elements (where libxml2 and browsers
     * disagree), active content, forms, document-level elements and foreign content. */
    {"script", E_DROP, 0},
    {"style", E_DROP, 0},
    {"iframe", E_DROP, 0},
    {"frame", E_DROP, 0},
    {"frameset", E_DROP, 0},
    {"object", E_DROP, 0},
    {"embed", E_DROP, 0},
    {"applet", E_DROP, 0},
    {"noscript", E_DROP, 0},
    {"template", E_DROP, 0},
    {"textarea", E_DROP, 0},
    {"select", E_DROP, 0},
    {"option", E_DROP, 0},
    {"button", E_DROP, 0},
    {"form", E_DROP, 0},
    {"svg", E_DROP, 0},
    {"math", E_DROP, 0},
    {"title", E_DROP, 0},
    {"head", E_DROP, 0},
    {"meta", E_DROP, 0},
    {"link", E_DROP, 0},
    {"base", E_DROP, 0},
    {"noembed", E_DROP, 0},
    {"noframes", E_DROP, 0},
    {"xmp", E_DROP, 0},
    {"plaintext", E_DROP, 0},
};

enum { AK_TEXT, AK_CLASS, AK_DIR, AK_DIGITS, AK_ALIGN, AK_URL };

struct attr {
    const char *name;
    unsigned char need; /* A_* bit the element must have; 0 = allowed everywhere */
    unsigned char kind;
};

static const struct attr ATTRS[] = {
    {"class", 0, AK_CLASS},
    {"title", 0, AK_TEXT},
    {"lang", 0, AK_TEXT},
    {"dir", 0, AK_DIR},
    {"href", A_HREF, AK_URL},
    {"src", A_SRC, AK_URL},
    {"alt", A_ALT, AK_TEXT},
    {"width", A_SIZE, AK_DIGITS},
    {"height", A_SIZE, AK_DIGITS},
    {"align", A_CELL, AK_ALIGN},
    {"colspan", A_CELL, AK_DIGITS},
    {"rowspan", A_CELL, AK_DIGITS},
    {"start", A_START, AK_DIGITS},
    {"value", A_VALUE, AK_DIGITS},
    {"datetime", A_DATETIME, AK_TEXT},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Returns the table entry for an element node, or NULL for unknown elements. */
static const struct elem *elem_find(xmlNodePtr n)
{
    if (n->ns != NULL) return NULL;
    for (size_t i = 0; i < COUNT(ELEMS); i++)
        if (strcmp((const char *)n->name, ELEMS[i].name) == 0) return &ELEMS[i];
    return NULL;
}

static const struct attr *attr_find(xmlAttrPtr a, const struct elem *e)
{
    if (a->type != XML_ATTRIBUTE_NODE || a->ns != NULL) return NULL;
    for (size_t i = 0; i < COUNT(ATTRS); i++)
        if (strcmp((const char *)a->name, ATTRS[i].name) == 0)
            return (ATTRS[i].need == 0 || (ATTRS[i].need & e->attrs)) ? &ATTRS[i] : NULL;
    return NULL;
}

static xmlAttrPtr attr_get(xmlNodePtr n, const char *name)
{
    for (xmlAttrPtr a = n->properties; a != NULL; a = a->next)
        if (a->type == XML_ATTRIBUTE_NODE && a->ns == NULL &&
            strcmp((const char *)a->name, name) == 0)
            return a;
    return NULL;
}

/* Returns the attribute's value (never NULL); sets *owned to a copy the caller must xmlFree, if
 * any. */
static const char *attr_value(xmlAttrPtr a, xmlChar **owned)
{
    xmlNodePtr t = a->children;
    *owned = NULL;
    if (t == NULL) return "";
    if (t->type == XML_TEXT_NODE && t->next == NULL && t->content != NULL)
        return (const char *)t->content;
    *owned = xmlNodeListGetString(a->doc, t, 1);
    return *owned != NULL ? (const char *)*owned : "";
}

static int ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Case-insensitive ASCII equality (locale-independent). */
static int ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b)) return 0;
    return *a == *b;
}

/* Returns the allowed spelling of v among the NULL-terminated list, or NULL. */
static const char *one_of(const char *v, const char *const *list)
{
    for (; *list != NULL; list++)
        if (ascii_ieq(v, *list)) return *list;
    return NULL;
}

static int digits_ok(const char *v)
{
    size_t n = 0;
    for (; v[n] != '\0'; n++)
        if (v[n] < '0' || v[n] > '9') return 0;
    return n > 0 && n <= 9;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* Returns 1 for a class a text may carry: a code block's language-* and the classes ken's own
 * renderer gives links and heading anchors. Any other (issue 15) could dress text up as ken's
 * interface: its banners, notices and buttons. */
static int content_class(const char *v, size_t n)
{
    static const char *const own[] = {"wikilink", "new", "mention", "anchor", NULL};
    if (n > 9 && strncmp(v, "language-", 9) == 0)
        return 1;
    for (int i = 0; own[i]; i++)
        if (strlen(own[i]) == n && strncmp(v, own[i], n) == 0)
            return 1;
    return 0;
}

/* Writes class="..." keeping only content classes (content_class) made of [a-z0-9-]; nothing if
 * none is left. */
static void put_class(struct sbuf *b, const char *v)
{
    size_t start = b->len;
    int any = 0;
    sbuf_puts(b, " class=\"");
    while (*v != '\0') {
        while (is_space(*v))
            v++;
        const char *end = v;
        int ok = 1;
        for (; *end != '\0' && !is_space(*end); end++)
            if (!((*end >= 'a' && *end <= 'z') || (*end >= '0' && *end <= '9') || *end == '-'))
                ok = 0;
        if (ok && end > v && content_class(v, (size_t)(end - v))) {
            if (any) sbuf_putc(b, ' ');
            sbuf_add(b, v, (size_t)(end - v));
            any = 1;
        }
        v = end;
    }
    if (any)
        sbuf_putc(b, '"');
    else
        b->len = start;
}

/* ---- URLs ---- */

enum { URL_BAD, URL_LOCAL, URL_EXTERNAL };

static int is_ctl(unsigned char c)
{
    return c < 0x20 || c == 0x7F;
}

/* Classifies an (entity-decoded) URL the way a browser reads it: surrounding whitespace and ASCII
 * control characters anywhere are ignored. Allowed: relative URLs, http(s), and for links
 * mailto/tel. URL_EXTERNAL marks http(s) and scheme-relative ones. */
static int url_kind(const char *v, int is_link)
{
    const unsigned char *p = (const unsigned char *)v;
    char scheme[8];
    size_t n = 0, seen = 0;
    while (*p != '\0' && *p <= 0x20)
        p++;
    for (; *p != '\0'; p++) {
        if (is_ctl(*p)) continue;
        if (*p == ':') {
            if (seen >= sizeof scheme) return URL_BAD;
            scheme[n] = '\0';
            if (ascii_ieq(scheme, "http") || ascii_ieq(scheme, "https")) return URL_EXTERNAL;
            if (is_link && (ascii_ieq(scheme, "mailto") || ascii_ieq(scheme, "tel")))
                return URL_LOCAL;
            return URL_BAD;
        }
        if (*p == '/' || *p == '?' || *p == '#') {
            if (seen == 0 && *p == '/') {
                const unsigned char *q = p + 1;
                while (*q != '\0' && is_ctl(*q))
                    q++;
                if (*q == '/' || *q == '\\') return URL_EXTERNAL;
            }
            return URL_LOCAL;
        }
        if (n < sizeof scheme - 1) scheme[n++] = (char)*p;
        seen++;
    }
    return URL_LOCAL;
}

/* Writes name="url" with the characters url_kind ignored removed. */
static void put_url(struct sbuf *b, const char *name, const char *v)
{
    const char *end = v + strlen(v);
    while (*v != '\0' && (unsigned char)*v <= 0x20)
        v++;
    while (end > v && (unsigned char)end[-1] <= 0x20)
        end--;
    sbuf_putc(b, ' ');
    sbuf_puts(b, name);
    sbuf_puts(b, "=\"");
    const char *run = v;
    for (const char *p = v; p < end; p++) {
        if (is_ctl((unsigned char)*p)) {
            put_escaped(b, run, (size_t)(p - run), 1);
            run = p + 1;
        }
    }
    put_escaped(b, run, (size_t)(end - run), 1);
    sbuf_putc(b, '"');
}

/* ---- heading ids ---- */

/* Open-addressing set of the ids handed out so far; `next` is the first suffix worth trying for a
 * base, so n identical headings cost O(n), not O(n^2) probes. */
struct slug_entry {
    char *id;
    unsigned next;
};

struct slug_set {
    struct slug_entry *tab;
    size_t cap, count;
};

static size_t slug_hash(const char *s)
{
    size_t h = 2166136261u;
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Returns the entry for id, or the empty slot where it belongs. */
static struct slug_entry *slug_slot(struct slug_set *set, const char *id)
{
    size_t i = slug_hash(id) & (set->cap - 1);
    while (set->tab[i].id != NULL && strcmp(set->tab[i].id, id) != 0)
        i = (i + 1) & (set->cap - 1);
    return &set->tab[i];
}

/* Adds id (taking ownership) unless present; returns its entry. */
static struct slug_entry *slug_add(struct slug_set *set, char *id)
{
    if (set->count * 2 >= set->cap) {
        struct slug_set big = {calloc(set->cap ? set->cap * 2 : 16, sizeof(struct slug_entry)),
                               set->cap ? set->cap * 2 : 16, set->count};
        if (big.tab == NULL) oom();
        for (size_t i = 0; i < set->cap; i++)
            if (set->tab[i].id != NULL) *slug_slot(&big, set->tab[i].id) = set->tab[i];
        free(set->tab);
        *set = big;
    }
    struct slug_entry *e = slug_slot(set, id);
    if (e->id == NULL) {
        e->id = id;
        e->next = 2;
        set->count++;
    } else {
        free(id);
    }
    return e;
}

static int slug_has(struct slug_set *set, const char *id)
{
    return set->cap > 0 && slug_slot(set, id)->id != NULL;
}

static void slug_free(struct slug_set *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->tab[i].id);
    free(set->tab);
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p == NULL) oom();
    return memcpy(p, s, n);
}

/* ---- tree walk ---- */

struct ctx {
    struct sbuf out;
    xmlNodePtr wrapper;
    unsigned flags;
    struct slug_set ids;
};

enum { WALK_SKIP = 0, WALK_DESCEND = 1, WALK_STOP = 2 };

/* Calls visit on each node under root in document order; visit says whether to descend, skip the
 * node's subtree or stop. leave (if not NULL) runs after a visited node's subtree. Iterative, so
 * deep input cannot exhaust the stack. */
static void walk(struct ctx *c, xmlNodePtr root, int (*visit)(struct ctx *, xmlNodePtr, void *),
                 void (*leave)(struct ctx *, xmlNodePtr), void *arg)
{
    xmlNodePtr n = root->children;
    while (n != NULL) {
        int how = visit(c, n, arg);
        if (how == WALK_STOP) return;
        if (how == WALK_DESCEND && n->children != NULL) {
            n = n->children;
            continue;
        }
        if (leave != NULL) leave(c, n);
        while (n->next == NULL) {
            n = n->parent;
            if (n == NULL || n == root) return;
            if (leave != NULL) leave(c, n);
        }
        n = n->next;
    }
}

struct slug {
    char s[SLUG_MAX + 1];
    size_t len;
    int dash;
    unsigned budget; /* nodes left to look at: nested headings must not make this quadratic */
};

static int slug_visit(struct ctx *c, xmlNodePtr n, void *arg)
{
    struct slug *sl = arg;
    (void)c;
    if (sl->len >= SLUG_MAX || sl->budget-- == 0) return WALK_STOP;
    if (n->type == XML_ELEMENT_NODE) {
        const struct elem *e = elem_find(n);
        return (e == NULL || !(e->flags & E_DROP)) ? WALK_DESCEND : WALK_SKIP;
    }
    if (n->type != XML_TEXT_NODE || n->content == NULL) return WALK_SKIP;
    for (const unsigned char *p = n->content; *p != '\0' && sl->len < SLUG_MAX; p++) {
        int ch = ascii_lower(*p);
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (sl->dash && sl->len > 0 && sl->len < SLUG_MAX - 1) sl->s[sl->len++] = '-';
            sl->dash = 0;
            sl->s[sl->len++] = (char)ch;
        } else {
            sl->dash = 1;
        }
    }
    return WALK_SKIP;
}

/* Returns a fresh unique id for heading h, owned by c->ids. */
static const char *slug_make(struct ctx *c, xmlNodePtr h)
{
    struct slug sl = {.len = 0, .budget = 1000};
    walk(c, h, slug_visit, NULL, &sl);
    sl.s[sl.len] = '\0';
    if (sl.len == 0) strcpy(sl.s, "section");
    if (!slug_has(&c->ids, sl.s)) return slug_add(&c->ids, xstrdup(sl.s))->id;
    char id[SLUG_MAX + 16];
    for (unsigned k = slug_slot(&c->ids, sl.s)->next;; k++) {
        snprintf(id, sizeof id, "%s-%u", sl.s, k);
        if (!slug_has(&c->ids, id)) {
            slug_slot(&c->ids, sl.s)->next = k + 1;
            return slug_add(&c->ids, xstrdup(id))->id;
        }
    }
}

/* Writes the start tag of input, or nothing when it is not a task-list checkbox. */
static void put_input(struct sbuf *b, xmlNodePtr n)
{
    xmlAttrPtr type = attr_get(n, "type");
    xmlChar *owned;
    const char *v = type != NULL ? attr_value(type, &owned) : NULL;
    int ok = v != NULL && ascii_ieq(v, "checkbox");
    if (type != NULL) xmlFree(owned);
    if (!ok) return;
    sbuf_puts(b, "<input type=\"checkbox\"");
    if (attr_get(n, "checked") != NULL) sbuf_puts(b, " checked=\"\"");
    sbuf_puts(b, " disabled=\"\">");
}

static void put_one_attr(struct sbuf *b, const struct attr *d, const char *v, int *link)
{
    static const char *const dirs[] = {"ltr", "rtl", "auto", NULL};
    static const char *const aligns[] = {"left", "right", "center", "justify", NULL};
    const char *w;
    int k;
    switch (d->kind) {
    case AK_TEXT:
        put_attr(b, d->name, v);
        break;
    case AK_CLASS:
        put_class(b, v);
        break;
    case AK_DIR:
        if ((w = one_of(v, dirs)) != NULL) put_attr(b, d->name, w);
        break;
    case AK_ALIGN:
        if ((w = one_of(v, aligns)) != NULL) put_attr(b, d->name, w);
        break;
    case AK_DIGITS:
        if (digits_ok(v)) put_attr(b, d->name, v);
        break;
    case AK_URL:
        k = url_kind(v, d->need == A_HREF);
        if (k != URL_BAD) {
            put_url(b, d->name, v);
            if (d->need == A_HREF) *link = k;
        }
        break;
    default:
        break;
    }
}

static void put_start_tag(struct ctx *c, xmlNodePtr n, const struct elem *e)
{
    struct sbuf *b = &c->out;
    int link = URL_BAD;
    sbuf_putc(b, '<');
    sbuf_puts(b, e->name);
    if (n->_private != NULL) put_attr(b, "id", n->_private);
    for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
        const struct attr *d = attr_find(a, e);
        if (d == NULL) continue;
        xmlChar *owned;
        put_one_attr(b, d, attr_value(a, &owned), &link);
        xmlFree(owned);
    }
    if (link == URL_EXTERNAL) sbuf_puts(b, " rel=\"nofollow noopener\"");
    sbuf_putc(b, '>');
}

/* Returns 1 when img has a non-empty allowed src; an img without one is dropped whole. */
static int img_ok(xmlNodePtr n)
{
    xmlAttrPtr src = attr_get(n, "src");
    if (src == NULL) return 0;
    xmlChar *owned;
    const char *v = attr_value(src, &owned);
    int empty = 1;
    for (const unsigned char *p = (const unsigned char *)v; *p != '\0' && empty; p++)
        empty = *p <= 0x20 || *p == 0x7F;
    int ok = !empty && url_kind(v, 0) != URL_BAD;
    xmlFree(owned);
    return ok;
}

/* Writes n (text, or the start tag of an allowed element) and says whether to walk its children. */
static int out_visit(struct ctx *c, xmlNodePtr n, void *arg)
{
    (void)arg;
    if (n->type == XML_TEXT_NODE) {
        if (n->content != NULL)
            put_escaped(&c->out, (const char *)n->content, strlen((const char *)n->content), 0);
        return WALK_SKIP;
    }
    if (n->type != XML_ELEMENT_NODE) /* comments, PIs, CDATA, DTDs, entity refs */
        return WALK_SKIP;
    if (n == c->wrapper) return WALK_DESCEND;
    const struct elem *e = elem_find(n);
    if (e == NULL) return WALK_DESCEND;
    if (e->flags & E_DROP) return WALK_SKIP;
    if (e->flags & E_INPUT) {
        put_input(&c->out, n);
        return WALK_SKIP;
    }
    if (strcmp(e->name, "img") == 0 && !img_ok(n)) return WALK_SKIP;
    n->_private = NULL;
    if ((e->flags & E_HEADING) && (c->flags & SANITIZE_HEADING_IDS))
        n->_private = (void *)slug_make(c, n);
    put_start_tag(c, n, e);
    return (e->flags & E_VOID) ? WALK_SKIP : WALK_DESCEND;
}

static void out_leave(struct ctx *c, xmlNodePtr n)
{
    if (n->type != XML_ELEMENT_NODE || n == c->wrapper) return;
    const struct elem *e = elem_find(n);
    if (e == NULL || (e->flags & (E_VOID | E_DROP))) return;
    struct sbuf *b = &c->out;
    if ((e->flags & E_HEADING) && n->_private != NULL) {
        const char *id = n->_private;
        sbuf_puts(b, "<a class=\"anchor\" href=\"#");
        put_escaped(b, id, strlen(id), 1);
        sbuf_puts(b, "\" aria-hidden=\"true\">#</a>");
    }
    sbuf_puts(b, "</");
    sbuf_puts(b, e->name);
    sbuf_putc(b, '>');
}

char *sanitize_html(const char *html, size_t len, unsigned flags)
{
    struct ctx c = {.flags = flags};
    size_t n;
    char *in = prepare_input(html != NULL ? html : "", html != NULL ? len : 0, &n);
    htmlDocPtr doc = htmlReadMemory(in, (int)n, NULL, "UTF-8", PARSE_OPTS);
    free(in);
    if (doc != NULL) {
        /* Our <div> is the first element; input that closes it early just adds top-level siblings.
         */
        for (xmlNodePtr k = doc->children; k != NULL; k = k->next) {
            if (k->type == XML_ELEMENT_NODE) {
                if (strcmp((const char *)k->name, "div") == 0) c.wrapper = k;
                break;
            }
        }
        walk(&c, (xmlNodePtr)doc, out_visit, out_leave, NULL);
        xmlFreeDoc(doc);
    }
    sbuf_add(&c.out, "", 1);
    slug_free(&c.ids);
    return c.out.p;
}
