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

/* Registers cmark-gfm's extensions; call once before threads start. */
void markdown_init(void);
/* Returns sanitised HTML for `len` bytes of Markdown, in a. `resolve` may be NULL (wiki links are
 * then resolved as paths only). When links is not NULL, the distinct wiki link targets are added
 * to *links (in a). Never returns NULL. */
char *markdown_render(struct arena *a, const char *md, size_t len, const char *from,
                      markdown_resolve_fn resolve, void *ctx, struct markdown_link **links);
/* As markdown_render, and each @login (mention.h's rules) of someone in `people` (lowercase
 * logins; the caller checked that they exist) becomes a link to their profile,
 * <a class="mention" href="/people/LOGIN">@Login as written</a>, before the sanitiser runs (so it
 * sees those links like any other). Text inside code, links and raw HTML is left alone. */
struct mention;
char *markdown_render_people(struct arena *a, const char *md, size_t len, const char *from,
                             markdown_resolve_fn resolve, void *ctx,
                             struct markdown_link **links, const struct mention *people);

/* Returns a table of contents (a nested <ul> of links to the h2/h3 anchors) for sanitised HTML
 * with at least three such headings, else "". In a. */
char *markdown_toc(struct arena *a, const char *html);

#endif
