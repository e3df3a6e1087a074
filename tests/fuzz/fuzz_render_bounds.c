/* libFuzzer: the render bounds of issue 15. The input describes a text by repetition, so that
 * small inputs reach the sizes where cmark-gfm 0.29.0.gfm.6 turns polynomial:
 *   byte 0-1: a count (little-endian) c; the text is HEAD + UNIT x (1 + 4c) + TAIL, at most 1 MiB
 *   (a page's limit), from the rest split at the first two 0x01 bytes (no 0x01: all UNIT).
 * Every render must either succeed or be refused with a reason, and in both cases stay within
 * the bounds: at most 2 s of this thread's CPU (1 s for cmark plus the sanitiser, with room for
 * the sanitizers' slowdown), MARKDOWN_MEM_MAX bytes held by cmark, and HTML of at most twice
 * MARKDOWN_HTML_MAX (the sanitiser adds heading anchors). Output must be safe HTML too. */
#include "markup/markdown.h"
#include "markup/render_budget.h"
#include "oracle.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TEXT_MAX = 1 << 20 };

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
    if (size < 3)
        return 0;
    size_t count = 1 + 4 * (size_t)(data[0] | data[1] << 8);
    const char *rest = (const char *)data + 2, *end = (const char *)data + size;
    const char *head = rest, *unit = rest, *tail = end;
    size_t nhead = 0, nunit = (size_t)(end - rest), ntail = 0;
    const char *s1 = memchr(rest, 1, (size_t)(end - rest));
    if (s1) {
        const char *s2 = memchr(s1 + 1, 1, (size_t)(end - s1 - 1));
        nhead = (size_t)(s1 - rest);
        unit = s1 + 1;
        nunit = (size_t)((s2 ? s2 : end) - unit);
        tail = s2 ? s2 + 1 : end;
        ntail = (size_t)(end - tail);
    }
    char *text = malloc(TEXT_MAX);
    size_t len = 0;
#define ADD(p, n)                                                                                  \
    do {                                                                                           \
        size_t k_ = (n) < TEXT_MAX - len ? (n) : TEXT_MAX - len;                                   \
        memcpy(text + len, (p), k_);                                                               \
        len += k_;                                                                                 \
    } while (0)
    ADD(head, nhead);
    for (size_t i = 0; i < count && nunit && len < TEXT_MAX; i++)
        ADD(unit, nunit);
    ADD(tail, ntail);
    struct arena *a = arena_new();
    const char *why = NULL;
    long t0 = render_budget_cpu_ns();
    const char *html = markdown_render_people(a, text, len, "fuzz/page", NULL, NULL, NULL, NULL,
                                              &why);
    long cpu = render_budget_cpu_ns() - t0;
    size_t peak = markdown_last_peak();
    if (cpu > 2000000000L || peak > MARKDOWN_MEM_MAX || (html == NULL) == (why == NULL) ||
        (html && strlen(html) > 2 * (size_t)MARKDOWN_HTML_MAX)) {
        fprintf(stderr, "render out of bounds: %zu bytes of text, %.2f s CPU, %zu bytes held, %s\n",
                len, cpu / 1e9, peak, why ? why : "rendered");
        abort();
    }
    if (html)
        oracle_safe_html(html);
    arena_free(a);
    free(text);
    return 0;
}
