#include "http/tmpl.h"
#include "core/embed.h"
#include "markup/html.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tn_kind { TN_TEXT, TN_VAR, TN_RAW, TN_SECTION, TN_INVERTED, TN_PARTIAL };

struct tnode {
    enum tn_kind kind;
    const char *text; /* TN_TEXT: points into the embedded file */
    size_t len;
    char name[64];
    uint32_t hash; /* of name: lookups compare hashes before names */
    struct tnode *children; /* sections */
    struct tnode *next;
};

struct tmpl {
    char name[96];
    struct tnode *root;
    struct tmpl *next;
};

static struct tmpl *templates; /* immutable after tmpl_init */

enum tv_kind { TV_TEXT, TV_HTML, TV_BOOL, TV_LIST };

struct tv_entry {
    const char *name;
    uint32_t hash;
    enum tv_kind kind;
    const char *s;
    int on;
    struct tvars **items;
    size_t n, cap;
    struct tv_entry *next;
};

struct tvars {
    struct arena *a;
    struct tvars *parent;
    struct tv_entry *head;
};

/* FNV-1a of a name: a page sets and looks up a few hundred names, so entries are told apart
 * by hash first and compared by name only when the hashes agree. */
static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* ---- parsing ---- */

struct parser {
    const char *file;
    const char *p, *end;
    int line;
};

static int parse_error(struct parser *ps, const char *msg, const char *name)
{
    fprintf(stderr, "ken: template %s:%d: %s%s%s\n", ps->file, ps->line, msg, name ? " " : "",
            name ? name : "");
    return -1;
}

static void free_nodes(struct tnode *n)
{
    while (n) {
        struct tnode *next = n->next;
        free_nodes(n->children);
        free(n);
        n = next;
    }
}

static struct tnode *add_node(struct tnode ***tail, enum tn_kind kind)
{
    struct tnode *n = xmalloc(sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = kind;
    **tail = n;
    *tail = &n->next;
    return n;
}

/* Parses until {{/close}} (or end of file when close is NULL) into *out. */
static int parse_nodes(struct parser *ps, struct tnode **out, const char *close)
{
    struct tnode **tail = out;
    *out = NULL;
    while (ps->p < ps->end) {
        const char *open = strstr(ps->p, "{{");
        if (!open || open >= ps->end)
            open = ps->end;
        if (open > ps->p) {
            struct tnode *t = add_node(&tail, TN_TEXT);
            t->text = ps->p;
            t->len = (size_t)(open - ps->p);
            for (const char *c = ps->p; c < open; c++)
                ps->line += *c == '\n';
        }
        if (open == ps->end) {
            ps->p = open;
            break;
        }
        int triple = open[2] == '{';
        const char *start = open + (triple ? 3 : 2);
        const char *stop = strstr(start, triple ? "}}}" : "}}");
        if (!stop)
            return parse_error(ps, "unclosed tag", NULL);
        ps->p = stop + (triple ? 3 : 2);
        char sigil = triple ? 0 : *start;
        if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '>' || sigil == '!')
            start++;
        while (start < stop && *start == ' ')
            start++;
        const char *e = stop;
        while (e > start && e[-1] == ' ')
            e--;
        if (sigil == '!')
            continue;
        char name[64];
        size_t len = (size_t)(e - start);
        if (len == 0 || len >= sizeof name)
            return parse_error(ps, "bad tag name", NULL);
        memcpy(name, start, len);
        name[len] = 0;
        if (sigil == '/') {
            if (!close || strcmp(close, name) != 0)
                return parse_error(ps, "unexpected close of", name);
            return 0;
        }
        enum tn_kind kind = triple ? TN_RAW
                            : sigil == '#' ? TN_SECTION
                            : sigil == '^' ? TN_INVERTED
                            : sigil == '>' ? TN_PARTIAL
                                           : TN_VAR;
        struct tnode *t = add_node(&tail, kind);
        memcpy(t->name, name, len + 1);
        t->hash = name_hash(t->name);
        if (kind == TN_SECTION || kind == TN_INVERTED)
            if (parse_nodes(ps, &t->children, t->name) != 0)
                return -1;
    }
    if (close)
        return parse_error(ps, "section not closed:", close);
    return 0;
}

static const struct tmpl *find_template(const char *name)
{
    for (const struct tmpl *t = templates; t; t = t->next)
        if (strcmp(t->name, name) == 0)
            return t;
    return NULL;
}

int tmpl_exists(const char *name)
{
    return find_template(name) != NULL;
}

static int check_partials(const struct tmpl *t, const struct tnode *n)
{
    for (; n; n = n->next) {
        if (n->kind == TN_PARTIAL && !find_template(n->name)) {
            fprintf(stderr, "ken: template %s: no partial %s\n", t->name, n->name);
            return -1;
        }
        if (check_partials(t, n->children) != 0)
            return -1;
    }
    return 0;
}

int tmpl_add(const char *name, const char *text)
{
    struct tmpl *t = xmalloc(sizeof *t);
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    struct parser ps = {name, text, text + strlen(text), 1};
    if (parse_nodes(&ps, &t->root, NULL) != 0) {
        free_nodes(t->root);
        free(t);
        return -1;
    }
    t->next = templates;
    templates = t;
    return 0;
}

int tmpl_check(void)
{
    for (const struct tmpl *t = templates; t; t = t->next)
        if (check_partials(t, t->root) != 0)
            return -1;
    return 0;
}

int tmpl_init(void)
{
    for (const struct embed_file *f = embed_files; f->name; f++) {
        size_t n = strlen(f->name);
        if (strncmp(f->name, "web/", 4) != 0 || n < 9 || strcmp(f->name + n - 5, ".html") != 0 ||
            strchr(f->name + 4, '/'))
            continue;
        char name[96];
        snprintf(name, sizeof name, "%.*s", (int)(n - 9), f->name + 4);
        if (tmpl_add(name, f->data) != 0)
            return -1;
    }
    return tmpl_check();
}

void tmpl_shutdown(void)
{
    while (templates) {
        struct tmpl *next = templates->next;
        free_nodes(templates->root);
        free(templates);
        templates = next;
    }
}

/* ---- values ---- */

struct tvars *tv_new(struct arena *a, struct tvars *parent)
{
    struct tvars *v = arena_alloc(a, sizeof *v);
    v->a = a;
    v->parent = parent;
    return v;
}

static struct tv_entry *own_entry(struct tvars *v, const char *name)
{
    uint32_t h = name_hash(name);
    for (struct tv_entry *e = v->head; e; e = e->next)
        if (e->hash == h && strcmp(e->name, name) == 0)
            return e;
    struct tv_entry *e = arena_alloc(v->a, sizeof *e);
    e->name = name;
    e->hash = h;
    e->next = v->head;
    v->head = e;
    return e;
}

void tv_text(struct tvars *v, const char *name, const char *text)
{
    struct tv_entry *e = own_entry(v, name);
    e->kind = TV_TEXT;
    e->s = text ? text : "";
}

void tv_html(struct tvars *v, const char *name, const char *html)
{
    struct tv_entry *e = own_entry(v, name);
    e->kind = TV_HTML;
    e->s = html ? html : "";
}

void tv_bool(struct tvars *v, const char *name, int on)
{
    struct tv_entry *e = own_entry(v, name);
    e->kind = TV_BOOL;
    e->on = on;
}

void tv_int(struct tvars *v, const char *name, long long n)
{
    tv_text(v, name, arena_printf(v->a, "%lld", n));
}

void tv_list(struct tvars *v, const char *name)
{
    struct tv_entry *e = own_entry(v, name);
    e->kind = TV_LIST;
}

struct tvars *tv_item(struct tvars *v, const char *name)
{
    struct tv_entry *e = own_entry(v, name);
    e->kind = TV_LIST;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 8;
        struct tvars **items = arena_alloc(v->a, cap * sizeof *items);
        if (e->n)
            memcpy(items, e->items, e->n * sizeof *items);
        e->items = items;
        e->cap = cap;
    }
    struct tvars *item = tv_new(v->a, v);
    e->items[e->n++] = item;
    return item;
}

static const struct tv_entry *lookup(const struct tvars *v, const char *name, uint32_t h)
{
    for (; v; v = v->parent)
        for (const struct tv_entry *e = v->head; e; e = e->next)
            if (e->hash == h && strcmp(e->name, name) == 0)
                return e;
    return NULL;
}

static int truthy(const struct tv_entry *e)
{
    if (!e)
        return 0;
    switch (e->kind) {
    case TV_BOOL: return e->on;
    case TV_LIST: return e->n > 0;
    default: return e->s[0] != 0;
    }
}

/* ---- rendering ---- */

static int render_nodes(struct buf *b, const char *tname, const struct tnode *n,
                        struct tvars *v, int depth)
{
    if (depth > 20) {
        fprintf(stderr, "ken: template %s: partials nested too deep\n", tname);
        return -1;
    }
    for (; n; n = n->next) {
        const struct tv_entry *e = n->kind == TN_TEXT || n->kind == TN_PARTIAL ? NULL
                                                                               : lookup(v, n->name, n->hash);
        switch (n->kind) {
        case TN_TEXT:
            buf_append(b, n->text, n->len);
            break;
        case TN_VAR:
            if (!e || e->kind == TV_LIST) {
                fprintf(stderr, "ken: template %s: no text value for {{%s}}\n", tname, n->name);
                return -1;
            }
            if (e->kind == TV_BOOL)
                buf_puts(b, e->on ? "1" : "");
            else
                html_text(b, e->s);
            break;
        case TN_RAW:
            if (!e || e->kind != TV_HTML) {
                fprintf(stderr, "ken: template %s: {{{%s}}} needs an html value\n", tname,
                        n->name);
                return -1;
            }
            html_raw(b, e->s);
            break;
        case TN_SECTION:
            if (e && e->kind == TV_LIST) {
                for (size_t i = 0; i < e->n; i++)
                    if (render_nodes(b, tname, n->children, e->items[i], depth) != 0)
                        return -1;
            } else if (truthy(e) && render_nodes(b, tname, n->children, v, depth) != 0) {
                return -1;
            }
            break;
        case TN_INVERTED:
            if (!truthy(e) && render_nodes(b, tname, n->children, v, depth) != 0)
                return -1;
            break;
        case TN_PARTIAL: {
            const struct tmpl *t = find_template(n->name);
            if (!t || render_nodes(b, t->name, t->root, v, depth + 1) != 0)
                return -1;
            break;
        }
        }
    }
    return 0;
}

int tmpl_render(struct buf *b, const char *name, struct tvars *v)
{
    const struct tmpl *t = find_template(name);
    if (!t) {
        fprintf(stderr, "ken: no template %s\n", name);
        return -1;
    }
    return render_nodes(b, name, t->root, v, 0);
}
