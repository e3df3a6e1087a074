/* html2md: an HTML page (a Confluence, Notion or Google Docs export) as ken Markdown, through
 * libxml2's HTML parser. Headings, paragraphs, emphasis, nested lists, tables, links, images, code
 * blocks and quotes are converted; scripts, styles and navigation chrome (Confluence breadcrumbs,
 * footer, attachment list, page metadata) are dropped; anything else is kept as its text. */
#ifndef KEN_HTML2MD_H
#define KEN_HTML2MD_H
#include "core/arena.h"
#include <stddef.h>

struct html2md_hooks {
    /* Returns what the address of a link (image 0) or an image (image 1) becomes, in a, or NULL
     * to keep it as written. May be NULL. */
    const char *(*address)(void *ctx, struct arena *a, const char *url, int image);
    void *ctx;
};

/* Converts `len` bytes of HTML. Returns 0 with *title (from <title>, else the first <h1>; ""
 * when neither) and *markdown set, both in a; -1 when the bytes cannot be parsed at all. The
 * bytes are read as UTF-8 unless the page declares another charset. */
int html2md_convert(struct arena *a, const char *html, size_t len,
                    const struct html2md_hooks *hooks, char **title, char **markdown);

#endif
