/* libFuzzer: any bytes through the Markdown renderer and the sanitiser. Besides crashes and
 * sanitizer reports, it fails when dangerous markup survives. */
#include "markdown.h"
#include "sanitize.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

/* The sanitiser escapes every '<' in text and always writes attribute values in double quotes with
 * '"' escaped, so its output can be read with a tiny tokenizer: check each tag's name, each
 * attribute's name, and the scheme at the start of URL values. */
static void check_attr(const char *name, size_t nlen, const char *value, size_t vlen)
{
    if ((nlen > 2 && strncasecmp(name, "on", 2) == 0) || (nlen == 5 && !strncasecmp(name, "style", 5)))
        abort();
    int url = (nlen == 4 && !strncasecmp(name, "href", 4)) || (nlen == 3 && !strncasecmp(name, "src", 3)) ||
              (nlen == 6 && !strncasecmp(name, "action", 6));
    while (vlen && (*value == ' ' || *value == '\t' || *value == '\n'))
        value++, vlen--;
    if (url && ((vlen >= 11 && !strncasecmp(value, "javascript:", 11)) ||
                (vlen >= 9 && !strncasecmp(value, "vbscript:", 9)) ||
                (vlen >= 5 && !strncasecmp(value, "data:", 5))))
        abort();
}

static void check(const char *html)
{
    static const char *const banned[] = {"script", "iframe", "style", "object", "embed", "svg",
                                         "math", "form", "base", "meta", "link"};
    for (const char *p = strchr(html, '<'); p; p = strchr(p, '<')) {
        p++;
        if (*p == '/')
            p++;
        size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        for (size_t b = 0; b < sizeof banned / sizeof *banned; b++)
            if (n == strlen(banned[b]) && strncasecmp(p, banned[b], n) == 0)
                abort();
        p += n;
        for (;;) { /* attributes until '>' */
            p += strspn(p, " \t\n/");
            if (*p == '>' || !*p)
                break;
            const char *name = p;
            size_t nlen = strcspn(p, " \t\n=>");
            p += nlen;
            const char *value = "";
            size_t vlen = 0;
            if (*p == '=') {
                if (p[1] != '"')
                    abort(); /* the sanitiser always quotes */
                value = p + 2;
                const char *close = strchr(value, '"');
                if (!close)
                    abort();
                vlen = (size_t)(close - value);
                p = close + 1;
            }
            check_attr(name, nlen, value, vlen);
        }
        if (!*p)
            abort(); /* an unclosed tag */
    }
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
    struct arena *a = arena_new();
    const char *html = markdown_render(a, (const char *)data, size, "fuzz/page", NULL, NULL, NULL);
    check(html);
    markdown_toc(a, html);
    char *raw = sanitize_html((const char *)data, size, SANITIZE_HEADING_IDS);
    check(raw);
    free(raw);
    arena_free(a);
    return 0;
}
