/* markdown: the one way Markdown becomes HTML: cmark-gfm (tables, task lists, strikethrough,
 * autolinks) plus [[wiki links]], then the allowlist sanitiser with heading anchors. */
#ifndef KEN_MARKDOWN_H
#define KEN_MARKDOWN_H
#include "core/arena.h"
#include <stddef.h>

/* Resolves a wiki link target ("Page Title" or "space/path") seen on page `from` to a page path
 * (in a) and sets *exists. Returns NULL when the target cannot name a page. */
typedef const char *(*markdown_resolve_fn)(void *ctx, struct arena *a, const char *from,
                                           const char *target, int *exists);

struct markdown_link {
    const char *path;  /* a valid page path, in the arena */
    const char *title; /* the [[Title]] written, when no page had that title yet; else NULL */
    struct markdown_link *next;
};

/* The bounds of one render: cmark-gfm's memory (MARKDOWN_MEM_MAX bytes at once), this thread's
 * CPU for it (MARKDOWN_CPU_MS), and the HTML it may make (MARKDOWN_HTML_MAX bytes, at most
 * MARKDOWN_ELEMENTS_MAX start tags: what the sanitiser's tree holds stays under 64 MB too). */
enum {
    MARKDOWN_MEM_MAX = 64 << 20,
    MARKDOWN_CPU_MS = 1000,
    MARKDOWN_HTML_MAX = 4 << 20,
    MARKDOWN_ELEMENTS_MAX = 60000,
};

/* Registers cmark-gfm's extensions; call once before threads start. */
void markdown_init(void);
/* Returns NULL when `len` bytes of Markdown are fine to render, else why they are refused
 * (md_scan's table estimates: a linear pass, no parsing). Static text. */
const char *markdown_check(const char *md, size_t len);
/* Returns sanitised HTML for `len` bytes of Markdown, in a. `resolve` may be NULL (wiki links are
 * then resolved as paths only). When links is not NULL, the distinct wiki link targets are added
 * to *links (in a). Never returns NULL: a text beyond the bounds (markdown_check, or the render
 * passing MARKDOWN_MEM_MAX, MARKDOWN_CPU_MS or MARKDOWN_HTML_MAX) becomes the text as written,
 * escaped in a <pre> under a line that says why. */
char *markdown_render(struct arena *a, const char *md, size_t len, const char *from,
                      markdown_resolve_fn resolve, void *ctx, struct markdown_link **links);
/* As markdown_render, and each @login (mention.h's rules) of someone in `people` (lowercase
 * logins; the caller checked that they exist) becomes a link to their profile,
 * <a class="mention" href="/people/LOGIN">@Login as written</a>, before the sanitiser runs (so it
 * sees those links like any other). Text inside code, links and raw HTML is left alone. */
/* With why not NULL, a text beyond the bounds is refused instead: returns NULL and sets *why
 * ("the text cannot be formatted: ...", in a) for the writer. */
struct mention;
char *markdown_render_people(struct arena *a, const char *md, size_t len, const char *from,
                             markdown_resolve_fn resolve, void *ctx,
                             struct markdown_link **links, const struct mention *people,
                             const char **why);

/* Returns the most bytes cmark-gfm held at once during this thread's last render (0 when it was
 * refused before parsing), as its budget counted them: for tests and the fuzz target. */
size_t markdown_last_peak(void);

/* Returns a table of contents (a nested <ul> of links to the h2/h3 anchors) for sanitised HTML
 * with at least three such headings, else "". In a. */
char *markdown_toc(struct arena *a, const char *html);

#endif
