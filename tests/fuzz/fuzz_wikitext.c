/* libFuzzer: MediaWiki wikitext (a page of an import) through the converter to Markdown, then
 * through the one Markdown renderer and sanitiser. Fails on a crash, a leak, a sanitizer report,
 * Markdown, tags or a page path that are not UTF-8 when the wikitext is, tags or a page path
 * that ken would refuse, or dangerous markup in the rendered page. */
#include "markup/markdown.h"
#include "oracle.h"
#include "wiki/wikipath.h"
#include "markup/wikitext.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

/* Aborts unless the tags are what a page takes: the one rule, page_tags_normalise, accepts them
 * (comma-separated, each 1-40 of a-z 0-9 '-' '.' and inner spaces, at most 20). */
static void check_tags(struct arena *a, const char *tags)
{
    const char *why = NULL;
    if (!page_tags_normalise(a, tags, &why))
        abort();
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
    char *text = malloc(size + 1); /* the importer hands over NUL-terminated text */
    memcpy(text, data, size);
    text[size] = 0;
    int utf8 = oracle_utf8(text, strlen(text));
    /* A wiki with localised namespaces half the time, MediaWiki's defaults the other half. */
    static const char *const ns[] = {"Diskussion", "Hilfe", "Projekt", NULL};
    struct wikitext_opts o = {.space = "wiki"};
    if (size && (data[0] & 1)) {
        o.namespaces = ns;
        o.category_ns = "Kategorie";
        o.file_ns = "Datei";
    }
    struct arena *a = arena_new();
    char *tags = NULL;
    char *md = wikitext_to_markdown(a, text, &o, &tags);
    if (!md || !tags)
        abort();
    check_tags(a, tags);
    if (utf8) {
        oracle_utf8_or_abort(md);
        oracle_utf8_or_abort(tags);
    }
    oracle_safe_html(markdown_render(a, md, strlen(md), "wiki/page", NULL, NULL, NULL));
    if (size <= 300) { /* the same bytes as a page title */
        char *path = wikitext_title_path(a, &o, text);
        if (path && wikipath_check(path))
            abort();
    }
    arena_free(a);
    free(text);
    return 0;
}
