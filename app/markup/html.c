#include "markup/html.h"

#include <string.h>

void html_escape(struct buf *b, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(b, s + start, i - start);
        buf_puts(b, rep);
        start = i + 1;
    }
    buf_append(b, s + start, n - start);
}

void html_text(struct buf *b, const char *s)
{
    if (s)
        html_escape(b, s, strlen(s));
}

void html_snippet(struct buf *b, const char *s)
{
    while (s && *s) {
        size_t n = strcspn(s, SNIPPET_OPEN SNIPPET_CLOSE);
        html_escape(b, s, n);
        s += n;
        if (*s)
            buf_puts(b, *s++ == SNIPPET_OPEN[0] ? "<mark>" : "</mark>");
    }
}

void html_raw(struct buf *b, const char *s)
{
    if (s)
        buf_puts(b, s);
}

static void url_encode(struct buf *b, const char *s, const char *keep)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr(keep, c)) {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 3);
        }
    }
}

void html_url_path(struct buf *b, const char *s)
{
    url_encode(b, s, "-._~/");
}

void html_url_query(struct buf *b, const char *s)
{
    url_encode(b, s, "-._~/");
}
