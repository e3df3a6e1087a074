#include "markup/markdown.h"
#include "core/buf.h"
#include "markup/html.h"
#include "markup/md_scan.h"
#include "markup/mention.h"
#include "markup/render_budget.h"
#include "markup/sanitize.h"
#include "wiki/wikipath.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>

static const char *const extensions[] = {"table", "strikethrough", "autolink", "tasklist"};

void markdown_init(void)
{
    cmark_gfm_core_extensions_ensure_registered();
    render_budget_init();
}

struct wiki_ctx {
    struct arena *a;
    struct render_budget *budget; /* every node we make is charged to it */
    const char *from;
    markdown_resolve_fn resolve;
    void *ctx;
    struct markdown_link **links;
    const char **people;  /* logins whose @mentions become profile links, sorted */
    size_t npeople;
};

static void note_link(struct wiki_ctx *w, const char *path, const char *title)
{
    if (!w->links)
        return;
    for (struct markdown_link *l = *w->links; l; l = l->next)
        if (strcmp(l->path, path) == 0)
            return;
    struct markdown_link *l = arena_alloc(w->a, sizeof *l);
    l->path = path;
    l->title = title;
    l->next = *w->links;
    *w->links = l;
}

static char *trimmed(struct arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return arena_strndup(a, s, n);
}

/* Returns the markup for one [[target|label]], or NULL to keep the text as written. */
static char *wiki_link_html(struct wiki_ctx *w, const char *inner, size_t n)
{
    const char *bar = memchr(inner, '|', n);
    char *target = trimmed(w->a, inner, bar ? (size_t)(bar - inner) : n);
    char *label = bar ? trimmed(w->a, bar + 1, n - (size_t)(bar - inner) - 1) : target;
    if (!*target || !*label)
        return NULL;
    int exists = 0;
    const char *path = NULL;
    if (w->resolve)
        path = w->resolve(w->ctx, w->a, w->from, target, &exists);
    else if (!wikipath_check(target))
        path = target;
    if (!path)
        return NULL;
    note_link(w, path, !exists && wikipath_check(target) ? target : NULL);
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, exists ? "<a class=\"wikilink\" href=\"/wiki/" : "<a class=\"wikilink new\" "
                                                                  "title=\"This page does not exist "
                                                                  "yet\" href=\"/wiki/");
    html_url_path(&b, path);
    buf_puts(&b, "\">");
    html_text(&b, label);
    buf_puts(&b, "</a>");
    return arena_adopt(w->a, buf_take(&b));
}

/* Replaces the [[...]] inside one text node by links, splitting the node. */
/* Returns the first "cc" at or after p (before end), or NULL. memchr, not strstr: under the
 * sanitizers strstr reads the whole rest of the string on every call. */
static const char *doubled(const char *p, const char *end, char c)
{
    while (p < end && (p = memchr(p, c, (size_t)(end - p))) && p + 1 < end) {
        if (p[1] == c)
            return p;
        p++;
    }
    return NULL;
}

static void expand_text_node(struct wiki_ctx *w, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    if (!lit || !strstr(lit, "[["))
        return;
    char *text = arena_strdup(w->a, lit);
    const char *end = text + strlen(text);
    const char *p = text, *copied = text, *close = NULL, *bracket = NULL;
    int changed = 0;
    while ((p = doubled(p, end, '['))) {
        /* Every "[[" up to the same "]]" shares it and the last '[' before it: finding them
         * once keeps "[[[[...]]]]" linear rather than quadratic (found by fuzz_wikitext). */
        if (!close || close < p + 2) {
            if (!(close = doubled(p + 2, end, ']')))
                break;
            bracket = memrchr(p + 2, '[', (size_t)(close - (p + 2)));
        }
        const char *inner = p + 2;
        size_t n = (size_t)(close - inner);
        char *html = n && n < 300 && !(bracket && bracket >= inner) ? wiki_link_html(w, inner, n)
                                                                     : NULL;
        if (!html) {
            p += 2;
            continue;
        }
        if (p > copied) {
            cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, &w->budget->mem);
            cmark_node_set_literal(t, arena_strndup(w->a, copied, (size_t)(p - copied)));
            cmark_node_insert_before(node, t);
        }
        cmark_node *h = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, &w->budget->mem);
        cmark_node_set_literal(h, html);
        cmark_node_insert_before(node, h);
        p = copied = close + 2;
        changed = 1;
    }
    if (changed)
        cmark_node_set_literal(node, copied);
}

/* ![diagram](diagram.png) on page a/b shows that page's attachment /files/a/b/diagram.png. Only
 * a bare attachment name is rewritten: anything with '/', ':', '?' or '#' is an address already. */
static void attachment_image(struct wiki_ctx *w, cmark_node *node)
{
    const char *url = cmark_node_get_url(node);
    if (!w->from || wikipath_check(w->from) || !url || attach_name_check(url))
        return;
    cmark_node_set_url(node, arena_printf(w->a, "/files/%s/%s", w->from, url));
}

static int by_login(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Returns 1 when the login s[0..n) (any case) is one of w->people. */
static int is_person(const struct wiki_ctx *w, const char *s, size_t n)
{
    char login[80];
    if (!w->npeople || n >= sizeof login)
        return 0;
    for (size_t k = 0; k < n; k++)
        login[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] - 'A' + 'a' : s[k]);
    login[n] = 0;
    const char *key = login;
    return bsearch(&key, w->people, w->npeople, sizeof *w->people, by_login) != NULL;
}

/* Replaces each @login of someone in w->people inside one text node by a link to their
 * profile, splitting the node like expand_text_node. */
static void expand_mentions(struct wiki_ctx *w, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    if (!lit || !strchr(lit, '@'))
        return;
    char *text = arena_strdup(w->a, lit);
    size_t len = strlen(text), pos = 0, copied = 0, start, end;
    while (pos < len && mention_next(text + pos, len - pos, &start, &end)) {
        start += pos, end += pos;
        pos = end;
        if (!is_person(w, text + start, end - start))
            continue;
        if (start - 1 > copied) {
            cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, &w->budget->mem);
            cmark_node_set_literal(t, arena_strndup(w->a, text + copied, start - 1 - copied));
            cmark_node_insert_before(node, t);
        }
        struct buf b;
        buf_init(&b, 0);
        buf_puts(&b, "<a class=\"mention\" href=\"/people/");
        for (size_t i = start; i < end; i++)
            buf_putc(&b, text[i] >= 'A' && text[i] <= 'Z' ? (char)(text[i] - 'A' + 'a') : text[i]);
        buf_puts(&b, "\">@");
        html_text(&b, arena_strndup(w->a, text + start, end - start));
        buf_puts(&b, "</a>");
        cmark_node *h = cmark_node_new_with_mem(CMARK_NODE_HTML_INLINE, &w->budget->mem);
        cmark_node_set_literal(h, arena_adopt(w->a, buf_take(&b)));
        cmark_node_insert_before(node, h);
        copied = end;
    }
    if (copied)
        cmark_node_set_literal(node, text + copied);
}

/* Returns +1 when raw inline HTML opens a link (<a ...> without its </a>), -1 when it closes
 * one, else 0. */
static int raw_link(cmark_node *node)
{
    const char *h = cmark_node_get_literal(node);
    if (!h || h[0] != '<')
        return 0;
    if (h[1] == '/' && (h[2] == 'a' || h[2] == 'A') && (h[3] == '>' || h[3] == ' '))
        return -1;
    if ((h[1] == 'a' || h[1] == 'A') && (h[2] == '>' || h[2] == ' ' || h[2] == '\n') &&
        !strstr(h, "</"))
        return 1;
    return 0;
}

/* Calls fn on every text node of doc that is not inside a link. The wiki link pass (wiki 1) also
 * rewrites images; the others also skip text inside links written as raw HTML. */
static void each_text(struct wiki_ctx *w, cmark_node *doc,
                      void (*fn)(struct wiki_ctx *, cmark_node *), int wiki)
{
    /* In the arena, not malloc'd: the budget may unwind out of fn below. */
    size_t n = 0, cap = 64;
    cmark_node **texts = arena_alloc(w->a, cap * sizeof *texts);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    int in_link = 0, in_raw = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(node);
        if (type == CMARK_NODE_LINK)
            in_link += ev == CMARK_EVENT_ENTER ? 1 : -1;
        else if (type == CMARK_NODE_TEXT && !in_link && (wiki || !in_raw) &&
                 ev == CMARK_EVENT_ENTER) {
            if (n == cap) {
                cmark_node **more = arena_alloc(w->a, 2 * cap * sizeof *texts);
                memcpy(more, texts, cap * sizeof *texts);
                texts = more;
                cap *= 2;
            }
            texts[n++] = node;
        } else if (wiki && type == CMARK_NODE_IMAGE && ev == CMARK_EVENT_ENTER) {
            attachment_image(w, node);
        } else if (type == CMARK_NODE_HTML_INLINE) {
            in_raw += raw_link(node);
            if (in_raw < 0)
                in_raw = 0;
        } else if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING) {
            in_raw = 0; /* an unclosed <a> ends with its block */
        }
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < n; i++) {
        render_budget_check(w->budget); /* fn may look pages up */
        fn(w, texts[i]);
    }
}

static void expand_wiki_links(struct wiki_ctx *w, cmark_node *doc)
{
    cmark_consolidate_text_nodes(doc);
    each_text(w, doc, expand_text_node, 1);
    /* Again, over the text nodes the wiki links left (the links they made are not text). */
    if (w->npeople)
        each_text(w, doc, expand_mentions, 0);
}

char *markdown_render(struct arena *a, const char *md, size_t len, const char *from,
                      markdown_resolve_fn resolve, void *ctx, struct markdown_link **links)
{
    return markdown_render_people(a, md, len, from, resolve, ctx, links, NULL, NULL);
}

/* What the last render on this thread held at most (for tests and the fuzz target). */
static _Thread_local size_t last_peak;

size_t markdown_last_peak(void)
{
    return last_peak;
}

const char *markdown_check(const char *md, size_t len)
{
    struct md_scan s;
    return md_scan(md, len, &s);
}

/* What a refused text shows instead (when the caller did not ask to refuse it): the text as
 * written, escaped, with the reason. In a. */
static char *as_written(struct arena *a, const char *md, size_t len, const char *why)
{
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<p><em>This text is shown as written: ");
    html_text(&b, why);
    buf_puts(&b, ".</em></p>\n<pre>");
    html_text(&b, arena_strndup(a, md, len));
    buf_puts(&b, "</pre>\n");
    return arena_adopt(a, buf_take(&b));
}

/* Returns the number of start tags in html (a '<' before a letter), at least. */
static size_t html_elements(const char *html, size_t len)
{
    size_t n = 0;
    for (const char *p = html, *end = html + len; (p = memchr(p, '<', (size_t)(end - p))); p++)
        if (p + 1 < end && ((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z'))
            n++;
    return n;
}

/* cmark-gfm's part of a render under budget b: parse, wiki links and mentions, HTML. Returns
 * the unsanitised HTML, allocated from b->mem (the caller frees it with b->mem.free); unwinds
 * to b->unwind when the budget runs out. */
static char *cmark_part(struct render_budget *b, struct wiki_ctx *w, const char *md, size_t len)
{
    /* Raw HTML is let through cmark (UNSAFE) because the sanitiser below is the single gate that
     * decides what survives; cmark's own filter would only blank it out. */
    int options = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8;
    cmark_parser *parser = cmark_parser_new_with_mem(options, &b->mem);
    for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
        if (!ext)
            die("cmark-gfm extension %s is missing", extensions[i]);
        cmark_parser_attach_syntax_extension(parser, ext);
    }
    render_budget_enter(b);
    cmark_parser_feed(parser, md, len);
    cmark_node *doc = cmark_parser_finish(parser);
    render_budget_leave(b);
    w->budget = b;
    expand_wiki_links(w, doc);
    render_budget_enter(b);
    char *raw = cmark_render_html_with_mem(doc, options,
                                           cmark_parser_get_syntax_extensions(parser), &b->mem);
    render_budget_leave(b);
    cmark_node_free(doc);
    cmark_parser_free(parser);
    return raw;
}

char *markdown_render_people(struct arena *a, const char *md, size_t len, const char *from,
                             markdown_resolve_fn resolve, void *ctx,
                             struct markdown_link **links, const struct mention *people,
                             const char **why)
{
    last_peak = 0;
    const char *refused = markdown_check(md, len);
    if (refused)
        goto refuse;
    struct wiki_ctx w = {a, NULL, from, resolve, ctx, links, NULL, 0};
    for (const struct mention *m = people; m; m = m->next)
        w.npeople++;
    if (w.npeople) {
        w.people = arena_alloc(a, w.npeople * sizeof *w.people);
        size_t i = 0;
        for (const struct mention *m = people; m; m = m->next)
            w.people[i++] = m->login;
        qsort(w.people, w.npeople, sizeof *w.people, by_login);
    }
    struct render_budget b;
    render_budget_begin(&b, MARKDOWN_MEM_MAX, MARKDOWN_CPU_MS);
    if (sigsetjmp(b.unwind, 1)) {
        refused = b.why;
        render_budget_end(&b);
        last_peak = b.peak;
        goto refuse;
    }
    char *raw = cmark_part(&b, &w, md, len);
    size_t raw_len = strlen(raw);
    /* The sanitiser's libxml2 tree costs about 200-500 bytes an element (up to 30 MB here), outside the budget:
     * bound what it is given. */
    if (raw_len > MARKDOWN_HTML_MAX || html_elements(raw, raw_len) > MARKDOWN_ELEMENTS_MAX) {
        render_budget_end(&b);
        last_peak = b.peak;
        refused = raw_len > MARKDOWN_HTML_MAX ? "it would make more than 4 MB of HTML"
                                              : "it would make more than 60,000 HTML elements";
        goto refuse;
    }
    char *safe = sanitize_html(raw, raw_len, SANITIZE_HEADING_IDS);
    b.mem.free(raw);
    render_budget_end(&b);
    last_peak = b.peak;
    return arena_adopt(a, safe);
refuse:
    if (why) {
        *why = arena_printf(a, "the text cannot be formatted: %s", refused);
        return NULL;
    }
    return as_written(a, md, len, refused);
}

struct toc_entry {
    int level;
    char *id, *text;
};

static void collect_headings(xmlNode *n, struct arena *a, struct toc_entry *out, int *count, int max)
{
    for (; n && *count < max; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)n->name;
        if ((strcmp(name, "h2") == 0 || strcmp(name, "h3") == 0)) {
            xmlChar *id = xmlGetProp(n, (const xmlChar *)"id");
            struct buf text;
            buf_init(&text, 0);
            for (xmlNode *c = n->children; c; c = c->next) {
                xmlChar *cls = c->type == XML_ELEMENT_NODE ? xmlGetProp(c, (const xmlChar *)"class")
                                                           : NULL;
                int anchor = cls && strcmp((const char *)cls, "anchor") == 0;
                xmlFree(cls);
                if (anchor)
                    continue;
                xmlChar *t = xmlNodeGetContent(c);
                if (t)
                    buf_puts(&text, (const char *)t);
                xmlFree(t);
            }
            if (id) {
                out[*count].level = name[1] - '0';
                out[*count].id = arena_strdup(a, (const char *)id);
                out[*count].text = arena_adopt(a, buf_take(&text));
                (*count)++;
            } else {
                buf_free(&text);
            }
            xmlFree(id);
        } else {
            collect_headings(n->children, a, out, count, max);
        }
    }
}

char *markdown_toc(struct arena *a, const char *html)
{
    enum { TOC_MAX = 100 };
    struct toc_entry entries[TOC_MAX];
    int n = 0;
    /* Most pages are short: count the headings before paying for a parse. */
    int headings = 0;
    for (const char *h = html; (h = strstr(h, "<h")) && headings < 3; h += 2)
        headings += h[2] == '2' || h[2] == '3';
    if (headings < 3)
        return arena_strdup(a, "");
    htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (doc) {
        collect_headings(xmlDocGetRootElement(doc), a, entries, &n, TOC_MAX);
        xmlFreeDoc(doc);
    }
    if (n < 3)
        return arena_strdup(a, "");
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<ul>");
    int depth = 2;
    for (int i = 0; i < n; i++) {
        if (entries[i].level > depth) {
            buf_puts(&b, "<ul>");
            depth = 3;
        } else if (entries[i].level < depth) {
            buf_puts(&b, "</ul>");
            depth = 2;
        }
        buf_puts(&b, "<li><a href=\"#");
        html_text(&b, entries[i].id);
        buf_puts(&b, "\">");
        html_text(&b, entries[i].text);
        buf_puts(&b, "</a></li>");
    }
    buf_puts(&b, depth == 3 ? "</ul></ul>" : "</ul>");
    return arena_adopt(a, buf_take(&b));
}
