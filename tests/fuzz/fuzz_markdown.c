/* libFuzzer: any bytes through the Markdown renderer and the sanitiser. Besides crashes and
 * sanitizer reports, it fails when dangerous markup survives. */
#include "markup/markdown.h"
#include "markup/sanitize.h"
#include "oracle.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

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
    struct arena *a = arena_new();
    const char *html = markdown_render(a, (const char *)data, size, "fuzz/page", NULL, NULL, NULL);
    oracle_safe_html(html);
    markdown_toc(a, html);
    char *raw = sanitize_html((const char *)data, size, SANITIZE_HEADING_IDS);
    oracle_safe_html(raw);
    free(raw);
    arena_free(a);
    return 0;
}
