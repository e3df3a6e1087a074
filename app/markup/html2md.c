#include "markup/html2md.h"
#include "core/buf.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How it works: a walk over the parsed tree. Inline content collects in `line` (a paragraph);
 * a block boundary writes the paragraph to `out` behind the prefixes of the open containers
 * ("> " for quotes, the list marker or its indentation for list items). Table cells are
 * converted by a writer of their own in "cell" mode, where blocks become <br>. */

enum { CTN_MAX = 48, DEPTH_MAX = 200, COLS_MAX = 64 };

struct ctn {
    char kind;       /* 'q' quote, 'i' list item */
    char marker[16]; /* "- ", "3. " */
    int used;        /* the marker has been written */
};

struct list {
    int ordered, next, items;
};

/* Class names, sorted for bsearch (strings in the arena). */
struct class_set {
    const char **names;
    size_t n;
};

struct h2m {
    struct arena *a;
    const struct html2md_hooks *hooks;
    struct buf out, line;
    /* Emphasis markers: opened but not written yet (written before the next character, dropped
     * when nothing comes), and written in the current paragraph but not closed yet. */
    const char *pending[8], *open[8];
    int npending, nopen;
    int space; /* a space is due before the next character */
    struct ctn ctn[CTN_MAX];
    int nctn;
    struct list lists[CTN_MAX];
    int nlists;
    int need_blank, cell, head, link, depth;
    const char *title, *raw_title; /* a first <h1> saying this again is not repeated */
    int h1_seen;
    struct class_set bold_classes, italic_classes; /* Google Docs styles by class */
};

static void walk(struct h2m *h, xmlNodePtr n);
static void children(struct h2m *h, xmlNodePtr n);
static xmlNodePtr find(xmlNodePtr n, const char *name);
static xmlNodePtr find_next(xmlNodePtr after, const char *name);

/* ---- small helpers */

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (unsigned char)c >= 0x80;
}

static const char *name_of(xmlNodePtr n)
{
    return n && n->type == XML_ELEMENT_NODE && n->name ? (const char *)n->name : "";
}

static int is(xmlNodePtr n, const char *name)
{
    return strcasecmp(name_of(n), name) == 0;
}

/* Returns attribute `name` of n in a ("" when absent). */
static char *prop(struct arena *a, xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    char *s = arena_strdup(a, v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

/* Returns 1 when n's class attribute has the word `cls`. */
static int has_class(struct arena *a, xmlNodePtr n, const char *cls)
{
    const char *c = prop(a, n, "class");
    size_t k = strlen(cls);
    for (const char *p = c; (p = strstr(p, cls)); p += k)
        if ((p == c || is_ws(p[-1])) && (p[k] == 0 || is_ws(p[k]))) return 1;
    return 0;
}

/* The text inside n, whitespace collapsed, in a. */
static char *text_of(struct arena *a, xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = t ? (const char *)t : "";
    char *out = arena_alloc(a, strlen(s) + 1), *w = out;
    int sp = 0;
    for (; *s; s++) {
        if (is_ws(*s)) {
            sp = w > out;
        } else {
            if (sp) *w++ = ' ';
            sp = 0;
            *w++ = *s;
        }
    }
    *w = 0;
    xmlFree(t);
    return out;
}

static void truncate_to(struct buf *b, size_t len)
{
    if (b->data && len < b->len) {
        b->len = len;
        b->data[len] = 0;
    }
}

static int ends_with(const struct buf *b, const char *s)
{
    size_t k = strlen(s);
    return b->len >= k && memcmp(b->data + b->len - k, s, k) == 0;
}

/* ---- writing blocks */

/* Writes the container prefixes of a line; a list item's marker on its first line. */
static void prefix(struct h2m *h, int blank_line)
{
    size_t start = h->out.len;
    for (int i = 0; i < h->nctn; i++) {
        struct ctn *c = &h->ctn[i];
        if (c->kind == 'q') {
            buf_puts(&h->out, "> ");
        } else if (!c->used && !blank_line) {
            buf_puts(&h->out, c->marker);
            c->used = 1;
        } else {
            for (size_t k = strlen(c->marker); k; k--)
                buf_putc(&h->out, ' ');
        }
    }
    if (blank_line)
        while (h->out.len > start && h->out.data[h->out.len - 1] == ' ')
            truncate_to(&h->out, h->out.len - 1);
}

static void emit_blank(struct h2m *h)
{
    if (h->need_blank && h->out.len) {
        prefix(h, 1);
        buf_putc(&h->out, '\n');
    }
    h->need_blank = 0;
}

/* Escapes what would make a line a block of its own ("# x", "- x", "1. x", "> x", "=", "+"). */
static void put_line_start(struct buf *o, const char *s, size_t n)
{
    if (n && strchr("#>-+=", s[0])) {
        buf_putc(o, '\\');
    } else if (n && s[0] >= '0' && s[0] <= '9') {
        size_t k = 0;
        while (k < n && k < 10 && s[k] >= '0' && s[k] <= '9')
            k++;
        if (k < n && (s[k] == '.' || s[k] == ')') && (k + 1 == n || s[k + 1] == ' ')) {
            buf_append(o, s, k);
            buf_putc(o, '\\');
            s += k;
            n -= k;
        }
    }
    buf_append(o, s, n);
}

/* Writes the paragraph collected so far (a heading of `level` when level > 0). */
static void flush_level(struct h2m *h, int level)
{
    struct buf *l = &h->line;
    h->space = 0;
    for (;;) { /* trailing spaces and hard breaks mean nothing at the end */
        if (ends_with(l, " "))
            truncate_to(l, l->len - 1);
        else if (ends_with(l, "\\\n"))
            truncate_to(l, l->len - 2);
        else
            break;
    }
    /* Emphasis still open is closed here and opened again in the next paragraph. */
    for (int i = h->nopen - 1; i >= 0; i--)
        buf_puts(l, h->open[i]);
    if (h->nopen) {
        int keep = h->npending < 8 - h->nopen ? h->npending : 8 - h->nopen;
        memmove(h->pending + h->nopen, h->pending, (size_t)keep * sizeof *h->pending);
        memcpy(h->pending, h->open, (size_t)h->nopen * sizeof *h->open);
        h->npending = h->nopen + keep;
        h->nopen = 0;
    }
    if (!l->len) return;
    emit_blank(h);
    const char *s = l->data;
    for (int first = 1; *s; first = 0) {
        size_t n = strcspn(s, "\n");
        prefix(h, 0);
        if (first && level) {
            for (int k = 0; k < level; k++)
                buf_putc(&h->out, '#');
            buf_putc(&h->out, ' ');
            buf_append(&h->out, s, n);
        } else {
            put_line_start(&h->out, s, n);
        }
        buf_putc(&h->out, '\n');
        s += n + (s[n] ? 1 : 0);
    }
    buf_reset(l);
    h->need_blank = 1;
}

static void flush(struct h2m *h)
{
    flush_level(h, 0);
}

/* A block boundary: in a cell it is a <br>, elsewhere the paragraph ends. */
static void boundary(struct h2m *h)
{
    if (h->cell || h->link || h->head) {
        if (h->line.len && !ends_with(&h->line, "<br>") && !ends_with(&h->line, " "))
            buf_puts(&h->line, h->cell && !h->link && !h->head ? "<br>" : " ");
        h->space = 0;
        return;
    }
    flush(h);
}

/* ---- writing inline text */

/* Writes what must come before a visible character: a due space, then pending markers. */
static void before_char(struct h2m *h)
{
    struct buf *l = &h->line;
    if (h->space && l->len && !ends_with(l, " ") && !ends_with(l, "\n")) buf_putc(l, ' ');
    h->space = 0;
    for (int i = 0; i < h->npending; i++) {
        buf_puts(l, h->pending[i]);
        if (h->nopen < 8) h->open[h->nopen++] = h->pending[i];
    }
    h->npending = 0;
}

static void put_char(struct h2m *h, char c, char prev, char next)
{
    struct buf *l = &h->line;
    switch (c) {
    case '\\':
    case '`':
    case '*':
    case '[':
    case ']':
    case '~':
        buf_putc(l, '\\');
        buf_putc(l, c);
        break;
    case '_':
        if (!(is_alnum(prev) && is_alnum(next))) buf_putc(l, '\\');
        buf_putc(l, c);
        break;
    case '<':
        buf_puts(l, "&lt;");
        break;
    case '|':
        if (h->cell) buf_putc(l, '\\');
        buf_putc(l, c);
        break;
    case '#':
        if (h->head && (next == 0 || next == ' ')) buf_putc(l, '\\');
        buf_putc(l, c);
        break;
    default:
        buf_putc(l, c);
    }
}

static void text(struct h2m *h, const char *s)
{
    char prev = h->line.len ? h->line.data[h->line.len - 1] : ' ';
    for (const char *p = s; *p; p++) {
        if (is_ws(*p)) {
            h->space = 1;
            prev = ' ';
            continue;
        }
        before_char(h);
        if (*p == '&') { /* "&copy;" in the text must not become an entity */
            size_t k = 1;
            while (k < 32 && (is_alnum(p[k]) || p[k] == '#'))
                k++;
            buf_puts(&h->line, k > 1 && p[k] == ';' ? "&amp;" : "&");
        } else {
            put_char(h, *p, prev, p[1]);
        }
        prev = *p;
    }
}

/* Text that must not be escaped (markers, checkboxes, HTML kept as such). */
static void raw(struct h2m *h, const char *s)
{
    before_char(h);
    buf_puts(&h->line, s);
}

static void emph_open(struct h2m *h, const char *m)
{
    if (h->npending < 8) h->pending[h->npending++] = m;
}

static void emph_close(struct h2m *h, const char *m)
{
    if (h->npending && strcmp(h->pending[h->npending - 1], m) == 0) {
        h->npending--; /* nothing inside: nothing written */
        return;
    }
    int at = h->nopen - 1;
    while (at >= 0 && strcmp(h->open[at], m) != 0)
        at--;
    if (at < 0) return;
    struct buf *l = &h->line;
    while (l->len && l->data[l->len - 1] == ' ') { /* "**x **" would not be emphasis */
        truncate_to(l, l->len - 1);
        h->space = 1;
    }
    for (int i = h->nopen - 1; i > at; i--) /* badly nested: close the inner ones too */
        buf_puts(l, h->open[i]);
    buf_puts(l, m);
    h->nopen = at;
}

static size_t longest_backticks(const char *t)
{
    size_t best = 0, run = 0;
    for (; *t; t++) {
        run = *t == '`' ? run + 1 : 0;
        if (run > best) best = run;
    }
    return best;
}

static void code_span(struct h2m *h, const char *t)
{
    while (is_ws(*t))
        t++;
    size_t n = strlen(t);
    while (n && is_ws(t[n - 1]))
        n--;
    if (!n) return;
    before_char(h);
    size_t ticks = longest_backticks(t) + 1;
    int pad = t[0] == '`' || t[n - 1] == '`';
    for (size_t i = 0; i < ticks; i++)
        buf_putc(&h->line, '`');
    if (pad) buf_putc(&h->line, ' ');
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '|' && h->cell) buf_putc(&h->line, '\\');
        buf_putc(&h->line, is_ws(t[i]) ? ' ' : t[i]);
    }
    if (pad) buf_putc(&h->line, ' ');
    for (size_t i = 0; i < ticks; i++)
        buf_putc(&h->line, '`');
}

/* A URL as a link destination: what would end it is percent-encoded. */
static void put_url(struct buf *b, const char *u)
{
    for (; *u; u++) {
        unsigned char c = (unsigned char)*u;
        if (c == '(' || c == ')' || c == '<' || c == '>' || c == ' ' || c == '\\' || c < 0x20 ||
            (c == '|'))
            buf_printf(b, "%%%02X", c);
        else
            buf_putc(b, (char)c);
    }
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Google Docs sends every link through https://www.google.com/url?q=TARGET&sa=...: the target. */
static const char *unwrap_google(struct arena *a, const char *url)
{
    static const char *const prefixes[] = {
        "https://www.google.com/url?q=", "http://www.google.com/url?q=", NULL};
    for (const char *const *p = prefixes; *p; p++) {
        size_t k = strlen(*p);
        if (strncmp(url, *p, k) != 0) continue;
        const char *q = url + k;
        size_t n = strcspn(q, "&");
        char *out = arena_alloc(a, n + 1), *w = out;
        for (size_t i = 0; i < n; i++) {
            if (q[i] == '%' && i + 2 < n && hexval(q[i + 1]) >= 0 && hexval(q[i + 2]) >= 0) {
                *w++ = (char)(hexval(q[i + 1]) * 16 + hexval(q[i + 2]));
                i += 2;
            } else {
                *w++ = q[i];
            }
        }
        *w = 0;
        return strncmp(out, "http", 4) == 0 && !memchr(out, 0, (size_t)(w - out)) ? out : url;
    }
    return url;
}

static const char *address(struct h2m *h, const char *url, int image)
{
    url = unwrap_google(h->a, url);
    const char *r =
        h->hooks && h->hooks->address ? h->hooks->address(h->hooks->ctx, h->a, url, image) : NULL;
    return r ? r : url;
}

/* ---- elements */

/* Text of a <pre>, with <br> as line breaks. */
static void pre_text(struct buf *b, xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            buf_puts(b, c->content ? (const char *)c->content : "");
        else if (is(c, "br"))
            buf_putc(b, '\n');
        else if (c->type == XML_ELEMENT_NODE)
            pre_text(b, c);
    }
}

/* The language of a code block: class "language-x", Confluence's "brush: x", data-language. */
static const char *code_lang(struct arena *a, xmlNodePtr pre)
{
    xmlNodePtr code = NULL;
    for (xmlNodePtr c = pre->children; c && !code; c = c->next)
        if (is(c, "code")) code = c;
    const char *cands[] = {prop(a, pre, "class"), code ? prop(a, code, "class") : "",
                           prop(a, pre, "data-syntaxhighlighter-params"),
                           prop(a, pre, "data-language"),
                           code ? prop(a, code, "data-language") : ""};
    for (size_t i = 0; i < sizeof cands / sizeof *cands; i++) {
        const char *s = cands[i], *p;
        if ((p = strstr(s, "language-")))
            p += 9;
        else if ((p = strstr(s, "brush:")))
            for (p += 6; *p == ' '; p++)
                ;
        else if (i >= 3 && *s)
            p = s;
        else
            continue;
        size_t n = 0;
        while (p[n] && (is_alnum(p[n]) || strchr("+#-_", p[n])) && n < 30)
            n++;
        if (n) {
            char *lang = arena_strndup(a, p, n);
            for (char *c = lang; *c; c++)
                if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
            return lang;
        }
    }
    return "";
}

static void pre(struct h2m *h, xmlNodePtr n)
{
    struct buf t;
    buf_init(&t, 0);
    pre_text(&t, n);
    if (h->cell || h->link || h->head) {
        code_span(h, buf_str(&t));
        buf_free(&t);
        return;
    }
    flush(h);
    const char *s = buf_str(&t);
    while (*s == '\n')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == '\n' || s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    size_t ticks = longest_backticks(s) + 1;
    if (ticks < 3) ticks = 3;
    emit_blank(h);
    prefix(h, 0);
    for (size_t i = 0; i < ticks; i++)
        buf_putc(&h->out, '`');
    buf_printf(&h->out, "%s\n", code_lang(h->a, n));
    for (size_t i = 0; i < len;) {
        size_t k = strcspn(s + i, "\n");
        if (k > len - i) k = len - i;
        prefix(h, k == 0);
        buf_append(&h->out, s + i, k);
        buf_putc(&h->out, '\n');
        i += k + 1;
    }
    prefix(h, 0);
    for (size_t i = 0; i < ticks; i++)
        buf_putc(&h->out, '`');
    buf_putc(&h->out, '\n');
    h->need_blank = 1;
    buf_free(&t);
}

static void image(struct h2m *h, xmlNodePtr n)
{
    const char *src = prop(h->a, n, "src"), *alt = prop(h->a, n, "alt");
    if (!*alt) alt = prop(h->a, n, "title");
    if (!*src) return;
    if (strncasecmp(src, "data:", 5) == 0) { /* an embedded image cannot be a file: say so */
        raw(h, "(image");
        if (*alt) {
            raw(h, ": ");
            text(h, alt);
        }
        raw(h, ")");
        return;
    }
    raw(h, "![");
    text(h, alt);
    h->space = 0;
    raw(h, "](");
    put_url(&h->line, address(h, src, 1));
    buf_putc(&h->line, ')');
}

static void link(struct h2m *h, xmlNodePtr n)
{
    const char *href = prop(h->a, n, "href");
    if (h->link || !*href || strncasecmp(href, "javascript:", 11) == 0) {
        children(h, n);
        return;
    }
    before_char(h);
    size_t at = h->line.len;
    buf_putc(&h->line, '[');
    h->link = 1;
    children(h, n);
    h->link = 0;
    h->npending = 0;
    while (h->line.len > at + 1 && h->line.data[h->line.len - 1] == ' ')
        truncate_to(&h->line, h->line.len - 1);
    const char *target = address(h, href, 0);
    if (h->line.len == at + 1) { /* no text: an anchor, or a bare address */
        truncate_to(&h->line, at);
        if (strstr(target, "://")) {
            buf_putc(&h->line, '<');
            put_url(&h->line, target);
            buf_putc(&h->line, '>');
        }
        return;
    }
    buf_puts(&h->line, "](");
    put_url(&h->line, target);
    buf_putc(&h->line, ')');
}

/* A cell's content converted on its own, as one line. */
static char *cell_text(struct h2m *h, xmlNodePtr cell)
{
    struct h2m c = {.a = h->a,
                    .hooks = h->hooks,
                    .cell = 1,
                    .depth = h->depth,
                    .title = "",
                    .raw_title = "",
                    .h1_seen = 1};
    buf_init(&c.out, 0);
    buf_init(&c.line, 0);
    children(&c, cell);
    for (int i = c.nopen - 1; i >= 0; i--)
        buf_puts(&c.line, c.open[i]);
    while (ends_with(&c.line, "<br>") || ends_with(&c.line, " "))
        truncate_to(&c.line, c.line.len - (ends_with(&c.line, " ") ? 1 : 4));
    char *s = arena_strdup(h->a, buf_str(&c.line));
    buf_free(&c.out);
    buf_free(&c.line);
    return s;
}

struct trow {
    xmlNodePtr tr;
    int head; /* in <thead> */
};

static void collect_rows(xmlNodePtr n, struct trow *rows, int *nrows, int max, int head)
{
    for (xmlNodePtr c = n->children; c && *nrows < max; c = c->next) {
        if (is(c, "tr")) {
            rows[*nrows].tr = c;
            rows[(*nrows)++].head = head;
        } else if (is(c, "thead") || is(c, "tbody") || is(c, "tfoot")) {
            collect_rows(c, rows, nrows, max, is(c, "thead"));
        }
    }
}

static int span_of(struct arena *a, xmlNodePtr n, const char *attr)
{
    int v = atoi(prop(a, n, attr));
    return v < 1 ? 1 : v > COLS_MAX ? COLS_MAX : v;
}

/* A table as a GFM table: cells spanning columns or rows are followed by empty cells, so that
 * every cell keeps its column; what a cell holds (lists, paragraphs) becomes one line. */
static void table(struct h2m *h, xmlNodePtr n)
{
    if (h->cell || h->link || h->head) { /* a table inside a cell: its rows as lines */
        for (xmlNodePtr c = n->children; c; c = c->next)
            walk(h, c);
        return;
    }
    flush(h);
    enum { ROWS_MAX = 5000 };
    struct trow *rows = xmalloc(ROWS_MAX * sizeof *rows);
    int nrows = 0;
    collect_rows(n, rows, &nrows, ROWS_MAX, 0);
    xmlNodePtr caption = NULL;
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (is(c, "caption")) caption = c;
    if (caption) {
        emph_open(h, "**");
        children(h, caption);
        emph_close(h, "**");
        flush(h);
    }
    char ***grid = xmalloc((size_t)(nrows ? nrows : 1) * sizeof *grid);
    int carry[COLS_MAX] = {0}, ncols = 0, header = nrows > 0 && rows[0].head;
    for (int r = 0; r < nrows; r++) {
        grid[r] = arena_alloc(h->a, COLS_MAX * sizeof **grid);
        int col = 0, all_th = 1, cells = 0;
        for (xmlNodePtr c = rows[r].tr->children; c; c = c->next) {
            if (!is(c, "td") && !is(c, "th")) continue;
            while (col < COLS_MAX && carry[col] > 0)
                carry[col++]--;
            if (col >= COLS_MAX) break;
            all_th &= is(c, "th");
            cells++;
            char *t = cell_text(h, c);
            grid[r][col] = t;
            int cs = span_of(h->a, c, "colspan"), rs = span_of(h->a, c, "rowspan");
            for (int k = 0; k < cs && col < COLS_MAX; k++)
                carry[col++] = rs - 1;
        }
        while (col < COLS_MAX && carry[col] > 0)
            carry[col++]--;
        if (col > ncols) ncols = col;
        if (r == 0 && cells && all_th) header = 1;
    }
    if (ncols) {
        emit_blank(h);
        for (int r = header ? 0 : -1; r < nrows; r++) {
            prefix(h, 0);
            buf_putc(&h->out, '|');
            for (int k = 0; k < ncols; k++) {
                const char *t = r >= 0 && grid[r][k] ? grid[r][k] : "";
                buf_printf(&h->out, *t ? " %s |" : " |", t);
            }
            buf_putc(&h->out, '\n');
            if (r == (header ? 0 : -1)) {
                prefix(h, 0);
                buf_putc(&h->out, '|');
                for (int k = 0; k < ncols; k++)
                    buf_puts(&h->out, " --- |");
                buf_putc(&h->out, '\n');
            }
        }
        h->need_blank = 1;
    }
    free(grid);
    free(rows);
}

static void list(struct h2m *h, xmlNodePtr n, int ordered)
{
    if (h->cell || h->link || h->head || h->nlists >= CTN_MAX || h->nctn >= CTN_MAX) {
        children(h, n);
        return;
    }
    flush(h);
    if (h->nctn && h->ctn[h->nctn - 1].kind == 'i')
        h->need_blank = 0; /* a list inside an item follows its text directly */
    else
        emit_blank(h);
    int start = atoi(prop(h->a, n, "start"));
    h->lists[h->nlists++] = (struct list){ordered, start > 0 ? start : 1, 0};
    children(h, n);
    flush(h);
    h->nlists--;
    h->need_blank = 1;
}

static void list_item(struct h2m *h, xmlNodePtr n)
{
    if (h->cell || h->link || h->head || !h->nlists || h->nctn >= CTN_MAX) {
        boundary(h);
        if (h->cell) raw(h, "• ");
        children(h, n);
        boundary(h);
        return;
    }
    flush(h);
    struct list *l = &h->lists[h->nlists - 1];
    if (l->items++) h->need_blank = 0;
    struct ctn *c = &h->ctn[h->nctn++];
    c->kind = 'i';
    c->used = 0;
    if (l->ordered)
        snprintf(c->marker, sizeof c->marker, "%d. ", l->next++);
    else
        strcpy(c->marker, "- ");
    /* Task lists: Confluence marks done items with class "checked" */
    xmlNodePtr parent = n->parent;
    if (parent && has_class(h->a, parent, "inline-task-list"))
        raw(h, has_class(h->a, n, "checked") ? "[x] " : "[ ] ");
    children(h, n);
    flush(h);
    if (!h->ctn[h->nctn - 1].used) { /* an empty item still shows */
        emit_blank(h);
        prefix(h, 0);
        while (h->out.len && h->out.data[h->out.len - 1] == ' ')
            truncate_to(&h->out, h->out.len - 1);
        buf_putc(&h->out, '\n');
    }
    h->nctn--;
    h->need_blank = 0;
}

static void quote(struct h2m *h, xmlNodePtr n)
{
    if (h->cell || h->link || h->head || h->nctn >= CTN_MAX) {
        boundary(h);
        children(h, n);
        boundary(h);
        return;
    }
    flush(h);
    emit_blank(h);
    h->ctn[h->nctn++] = (struct ctn){.kind = 'q'};
    children(h, n);
    flush(h);
    h->nctn--;
    h->need_blank = 1;
}

static void heading(struct h2m *h, xmlNodePtr n, int level)
{
    if (level == 1 && !h->h1_seen) { /* the page's title, said again: it is the title already */
        h->h1_seen = 1;
        const char *t = text_of(h->a, n);
        if (strcmp(t, h->title) == 0 || strcmp(t, h->raw_title) == 0) return;
    }
    if (h->cell || h->link || h->head) {
        emph_open(h, "**");
        children(h, n);
        emph_close(h, "**");
        return;
    }
    flush(h);
    h->head = 1;
    children(h, n);
    h->head = 0;
    flush_level(h, level);
}

/* Navigation chrome of exports, dropped with everything inside. */
static int chrome(struct h2m *h, xmlNodePtr n)
{
    static const char *const drop[] = {"script", "style",  "noscript", "template", "head", "svg",
                                       "nav",    "button", "select",   "textarea", "form", "meta",
                                       "link",   "object", "embed",    "canvas",   NULL};
    for (const char *const *d = drop; *d; d++)
        if (is(n, *d)) return 1;
    const char *id = prop(h->a, n, "id");
    static const char *const ids[] = {
        "breadcrumbs", "breadcrumb-section", "footer", "navigation", "header", "sidebar", NULL};
    for (const char *const *d = ids; *d; d++)
        if (strcmp(id, *d) == 0) return 1;
    if (has_class(h->a, n, "page-metadata") || has_class(h->a, n, "footer-body")) return 1;
    if (has_class(h->a, n, "pageSection")) { /* Confluence's list of attachments */
        xmlNodePtr title = NULL;
        for (xmlNodePtr c = n->children; c && !title; c = c->next)
            for (xmlNodePtr d = c->children; d && !title; d = d->next)
                if (strcmp(prop(h->a, d, "id"), "attachments") == 0) title = d;
        return title != NULL;
    }
    return 0;
}

static int is_block(xmlNodePtr n)
{
    static const char *const blocks[] = {
        "p",       "div",    "section",    "article", "main",    "header",   "footer", "aside",
        "address", "figure", "figcaption", "details", "summary", "fieldset", "center", "dl",
        "dd",      "body",   "html",       "caption", "tr",      NULL};
    for (const char *const *b = blocks; *b; b++)
        if (is(n, *b)) return 1;
    return 0;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Returns 1 when one of n's classes is in `set`. */
static int class_in(struct arena *a, xmlNodePtr n, const struct class_set *set)
{
    if (!set->n) return 0;
    const char *c = prop(a, n, "class");
    while (*c) {
        size_t k = strcspn(c, " \t\n");
        const char *name = arena_strndup(a, c, k);
        if (k && bsearch(&name, set->names, set->n, sizeof *set->names, by_name)) return 1;
        c += k + (c[k] ? 1 : 0);
    }
    return 0;
}

/* Google Docs writes bold and italics as styles, inline or by class. */
static void styled(struct h2m *h, xmlNodePtr n)
{
    const char *style = prop(h->a, n, "style");
    int bold = strstr(style, "font-weight:700") || strstr(style, "font-weight: 700") ||
               strstr(style, "font-weight:bold") || strstr(style, "font-weight: bold") ||
               class_in(h->a, n, &h->bold_classes);
    int italic = strstr(style, "font-style:italic") || strstr(style, "font-style: italic") ||
                 class_in(h->a, n, &h->italic_classes);
    if (bold) emph_open(h, "**");
    if (italic) emph_open(h, "*");
    children(h, n);
    if (italic) emph_close(h, "*");
    if (bold) emph_close(h, "**");
}

/* Adds `name` to the set being read (style_classes sorts it once all are read). */
static void class_set_add(struct arena *a, struct class_set *set, size_t *cap, const char *name)
{
    if (set->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        const char **grown = arena_alloc(a, *cap * sizeof *grown);
        if (set->n) memcpy(grown, set->names, set->n * sizeof *grown);
        set->names = grown;
    }
    set->names[set->n++] = name;
}

/* Reads ".c1{font-weight:700}" rules of the page's style sheets into bold and italic classes. */
static void style_classes(struct h2m *h, xmlNodePtr root)
{
    struct class_set *bold = &h->bold_classes, *italic = &h->italic_classes;
    size_t bold_cap = 0, italic_cap = 0;
    for (xmlNodePtr st = find(root, "style"); st; st = find_next(st, "style")) {
        xmlChar *css = xmlNodeGetContent(st);
        for (const char *p = css ? (const char *)css : ""; (p = strchr(p, '.'));) {
            const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
            if (!close) break;
            size_t k =
                strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
            char *body = arena_strndup(h->a, open, (size_t)(close - open));
            if (k && p + 1 + k == open) {
                const char *name = arena_strndup(h->a, p + 1, k);
                if (strstr(body, "font-weight:700") || strstr(body, "font-weight:bold"))
                    class_set_add(h->a, bold, &bold_cap, name);
                if (strstr(body, "font-style:italic"))
                    class_set_add(h->a, italic, &italic_cap, name);
            }
            p = close;
        }
        xmlFree(css);
    }
    if (bold->n) qsort(bold->names, bold->n, sizeof *bold->names, by_name);
    if (italic->n) qsort(italic->names, italic->n, sizeof *italic->names, by_name);
}

static void element(struct h2m *h, xmlNodePtr n)
{
    const char *name = name_of(n);
    if (chrome(h, n)) return;
    if (strlen(name) == 2 && (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' &&
        name[1] <= '6') {
        heading(h, n, name[1] - '0');
    } else if (is(n, "br")) {
        if (h->cell)
            raw(h, "<br>");
        else if (h->head || h->link)
            h->space = 1;
        else if (h->line.len)
            buf_puts(&h->line, "\\\n");
        h->space = 0;
    } else if (is(n, "hr")) {
        if (h->cell || h->link || h->head) {
            raw(h, " — ");
        } else {
            flush(h);
            emit_blank(h);
            prefix(h, 0);
            buf_puts(&h->out, "* * *\n");
            h->need_blank = 1;
        }
    } else if (is(n, "strong") || is(n, "b")) {
        emph_open(h, "**");
        children(h, n);
        emph_close(h, "**");
    } else if (is(n, "em") || is(n, "i") || is(n, "cite") || is(n, "dfn")) {
        emph_open(h, "*");
        children(h, n);
        emph_close(h, "*");
    } else if (is(n, "s") || is(n, "del") || is(n, "strike")) {
        emph_open(h, "~~");
        children(h, n);
        emph_close(h, "~~");
    } else if (is(n, "sup") || is(n, "sub") || is(n, "kbd")) {
        raw(h, arena_printf(h->a, "<%s>", name));
        children(h, n);
        raw(h, arena_printf(h->a, "</%s>", name));
    } else if (is(n, "code") || is(n, "tt") || is(n, "samp")) {
        struct buf t;
        buf_init(&t, 0);
        pre_text(&t, n);
        code_span(h, buf_str(&t));
        buf_free(&t);
    } else if (is(n, "pre")) {
        pre(h, n);
    } else if (is(n, "a")) {
        link(h, n);
    } else if (is(n, "img")) {
        image(h, n);
    } else if (is(n, "table")) {
        table(h, n);
    } else if (is(n, "ul") || is(n, "ol")) {
        list(h, n, is(n, "ol"));
    } else if (is(n, "li")) {
        list_item(h, n);
    } else if (is(n, "blockquote") || has_class(h->a, n, "confluence-information-macro")) {
        quote(h, n);
    } else if (is(n, "dt")) {
        boundary(h);
        emph_open(h, "**");
        children(h, n);
        emph_close(h, "**");
        boundary(h);
    } else if (is(n, "input")) {
        if (strcasecmp(prop(h->a, n, "type"), "checkbox") == 0)
            raw(h, xmlHasProp(n, (const xmlChar *)"checked") ? "[x] " : "[ ] ");
    } else if (has_class(h->a, n, "checkbox-on") || has_class(h->a, n, "checkbox-off")) {
        raw(h, has_class(h->a, n, "checkbox-on") ? "[x] " : "[ ] "); /* Notion's to-do items */
    } else if (is(n, "iframe")) {
        const char *src = prop(h->a, n, "src");
        if (*src) {
            raw(h, "[embedded](");
            put_url(&h->line, src);
            buf_putc(&h->line, ')');
        }
    } else if (is(n, "td") || is(n, "th")) { /* a table inside a cell: cells apart */
        children(h, n);
        h->space = 1;
    } else if (is(n, "span") || is(n, "font")) {
        styled(h, n);
    } else if (is_block(n)) {
        boundary(h);
        children(h, n);
        boundary(h);
    } else {
        children(h, n); /* anything else: its content, as text */
    }
}

static void walk(struct h2m *h, xmlNodePtr n)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        text(h, n->content ? (const char *)n->content : "");
    } else if (n->type == XML_ELEMENT_NODE) {
        if (h->depth >= DEPTH_MAX) { /* absurd nesting: the rest as plain text */
            text(h, text_of(h->a, n));
            return;
        }
        h->depth++;
        element(h, n);
        h->depth--;
    }
}

static void children(struct h2m *h, xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        walk(h, c);
}

/* ---- the document */

static xmlNodePtr find(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next) {
        if (is(n, name)) return n;
        xmlNodePtr in = n->type == XML_ELEMENT_NODE ? find(n->children, name) : NULL;
        if (in) return in;
    }
    return NULL;
}

/* The next element called `name` after `after` in document order (outside its subtree). */
static xmlNodePtr find_next(xmlNodePtr after, const char *name)
{
    for (xmlNodePtr n = after; n; n = n->parent) {
        xmlNodePtr f = n->next ? find(n->next, name) : NULL;
        if (f) return f;
    }
    return NULL;
}

static xmlNodePtr find_id(struct arena *a, xmlNodePtr n, const char *id)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (strcmp(prop(a, n, "id"), id) == 0) return n;
        xmlNodePtr in = find_id(a, n->children, id);
        if (in) return in;
    }
    return NULL;
}

/* The page's encoding: what it declares, else UTF-8. */
static const char *encoding_of(const char *html, size_t len)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 7 <= n; i++)
        if (strncasecmp(html + i, "charset", 7) == 0) return NULL;
    return "UTF-8";
}

int html2md_convert(struct arena *a, const char *html, size_t len,
                    const struct html2md_hooks *hooks, char **title, char **markdown)
{
    if (len > (size_t)1 << 30) return -1;
    if (len == 0) {
        *title = arena_strdup(a, "");
        *markdown = arena_strdup(a, "");
        return 0;
    }
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, encoding_of(html, len),
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET);
    if (!doc) return -1;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr t = find(root, "title");
    char *raw_title = t ? text_of(a, t) : arena_strdup(a, "");
    char *ttl = raw_title;
    /* Confluence titles read "Space : Page"; its exports have breadcrumbs */
    char *sep = strstr(ttl, " : ");
    if (sep && (find_id(a, root, "breadcrumbs") || find_id(a, root, "breadcrumb-section")))
        ttl = sep + 3;
    if (!*ttl) {
        xmlNodePtr h1 = find(root, "h1");
        ttl = h1 ? text_of(a, h1) : ttl;
    }
    struct h2m h = {.a = a, .hooks = hooks, .title = ttl, .raw_title = raw_title};
    buf_init(&h.out, 0);
    buf_init(&h.line, 0);
    style_classes(&h, root);
    /* libxml2 knows HTML 4: a page without <body> may see HTML5 elements put in <head> */
    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
        if (!is(c, "head")) {
            walk(&h, c);
            continue;
        }
        for (xmlNodePtr d = c->children; d; d = d->next)
            if (!is(d, "title") && !is(d, "meta") && !is(d, "link") && !is(d, "base")) walk(&h, d);
    }
    flush(&h);
    xmlFreeDoc(doc);
    *title = ttl;
    *markdown = arena_adopt(a, buf_take(&h.out));
    buf_free(&h.line);
    return 0;
}
