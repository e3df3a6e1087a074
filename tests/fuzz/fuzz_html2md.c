/* libFuzzer: an exported HTML page (Confluence, Notion, Google Docs) through html2md, then
 * through the one Markdown renderer and sanitiser. Fails on a crash, a leak, a sanitizer report,
 * a title or Markdown that is not UTF-8 when the page is, or dangerous markup in the rendered
 * page. */
#include "markup/html2md.h"
#include "markup/markdown.h"
#include "oracle.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

/* Like the HTML importer: a relative image address becomes an attachment's name. */
static const char *address(void *ctx, struct arena *a, const char *url, int image)
{
    (void)ctx;
    if (!image || strchr(url, ':'))
        return NULL;
    const char *slash = strrchr(url, '/');
    return arena_printf(a, "img-%zu.png", strlen(slash ? slash + 1 : url));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    xmlInitParser();
    markdown_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *html = malloc(size ? size : 1); /* exactly the bytes, so ASan sees overreads */
    memcpy(html, data, size);
    struct html2md_hooks hooks = {.address = address};
    struct arena *a = arena_new();
    char *title = NULL, *md = NULL;
    if (html2md_convert(a, html, size, size && (data[0] & 1) ? &hooks : NULL, &title, &md) == 0) {
        if (!title || !md)
            abort();
        if (oracle_utf8(html, size)) {
            oracle_utf8_or_abort(title);
            oracle_utf8_or_abort(md);
        }
        oracle_safe_html(markdown_render(a, md, strlen(md), "wiki/page", NULL, NULL, NULL));
    }
    arena_free(a);
    free(html);
    return 0;
}
