/* Oracles shared by the fuzz targets: what rendered HTML must never hold, and UTF-8 validity.
 * Each check aborts, so libFuzzer records the input that broke it. */
#ifndef KEN_FUZZ_ORACLE_H
#define KEN_FUZZ_ORACLE_H
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The sanitiser escapes every '<' in text and always writes attribute values in double quotes with
 * '"' escaped, so its output can be read with a tiny tokenizer: check each tag's name, each
 * attribute's name, and the scheme at the start of URL values. */
static inline void oracle_attr(const char *name, size_t nlen, const char *value, size_t vlen)
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

/* Aborts when sanitised HTML holds a dangerous element, an event or style attribute, a script
 * URL, an unquoted attribute value or an unclosed tag. */
static inline void oracle_safe_html(const char *html)
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
            oracle_attr(name, nlen, value, vlen);
        }
        if (!*p)
            abort(); /* an unclosed tag */
    }
}

/* Returns 1 when s (n bytes) is well-formed UTF-8 (shortest forms, no surrogates, at most
 * U+10FFFF); control characters are allowed. */
static inline int oracle_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (!len || end - p < len)
            return 0;
        unsigned cp = len == 1 ? c : c & (0x7Fu >> len);
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        p += len;
    }
    return 1;
}

/* Aborts when s is not NULL and not well-formed UTF-8. */
static inline void oracle_utf8_or_abort(const char *s)
{
    if (s && !oracle_utf8(s, strlen(s)))
        abort();
}

#endif
