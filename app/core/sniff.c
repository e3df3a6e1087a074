#include "core/sniff.h"

#include <string.h>
#include <strings.h>

enum { HTML_SCAN = 512 }; /* how far into a text file to look for its first tag */

static int starts(const unsigned char *d, size_t len, const char *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

/* Returns 1 when d is UTF-8 text: valid sequences, no NUL, no control characters but tab, LF,
 * CR, form feed and escape. */
static int is_text(const unsigned char *d, size_t len)
{
    const unsigned char *p = d, *end = d + len;
    while (p < end) {
        unsigned char c = *p;
        if (c < 0x80) {
            if ((c < 0x20 && !strchr("\t\n\r\f\x1b", c)) || c == 0 || c == 0x7F)
                return 0;
            p++;
            continue;
        }
        int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || end - p < n)
            return 0;
        unsigned cp = c & (0x7F >> n);
        for (int i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        p += n;
    }
    return 1;
}

/* Returns 1 when text (after a BOM and white space) opens with a tag that makes browsers treat
 * it as HTML: the WHATWG MIME sniffing list, each followed by a space or '>'. */
static int looks_like_html(const unsigned char *d, size_t len)
{
    static const char *const tags[] = {"<!doctype html", "<html", "<head", "<script", "<iframe",
                                       "<h1", "<div", "<font", "<table", "<a", "<style", "<title",
                                       "<b", "<body", "<br", "<p", "<!--", "<meta", "<link",
                                       "<img", "<form", "<object", "<embed"};
    size_t i = starts(d, len, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (i < len && strchr(" \t\r\n\f", d[i]))
        i++;
    for (size_t t = 0; t < sizeof tags / sizeof *tags; t++) {
        size_t n = strlen(tags[t]);
        if (len - i <= n || strncasecmp((const char *)d + i, tags[t], n) != 0)
            continue;
        unsigned char next = d[i + n];
        if (strcmp(tags[t], "<!--") == 0 || next == ' ' || next == '>' || next == '\t' ||
            next == '\n' || next == '\r' || next == '\f' || next == '/')
            return 1;
    }
    return 0;
}

/* Returns 1 when the text holds an <svg element anywhere (case-insensitive). */
static int has_svg(const unsigned char *d, size_t len)
{
    for (const unsigned char *p = d; (p = memchr(p, '<', len - (size_t)(p - d))); p++)
        if (len - (size_t)(p - d) > 4 && strncasecmp((const char *)p + 1, "svg", 3) == 0 &&
            strchr(" \t\r\n\f>/", p[4]))
            return 1;
    return 0;
}

const char *sniff_type(const void *data, size_t len)
{
    const unsigned char *d = data;
    if (starts(d, len, "\x89PNG\r\n\x1a\n", 8))
        return "image/png";
    if (starts(d, len, "\xFF\xD8\xFF", 3))
        return "image/jpeg";
    if (starts(d, len, "GIF87a", 6) || starts(d, len, "GIF89a", 6))
        return "image/gif";
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return "image/webp";
    if (starts(d, len, "%PDF-", 5))
        return "application/pdf";
    if (starts(d, len, "PK\x03\x04", 4) || starts(d, len, "PK\x05\x06", 4))
        return "application/zip";
    if (starts(d, len, "\x1F\x8B\x08", 3))
        return "application/gzip";
    /* HTML in any encoding is HTML to a browser. It may hold an <svg>: the tag the text opens
     * with decides first. Both are served only as downloads, so a wrong call between the two is
     * harmless. */
    if (looks_like_html(d, len < HTML_SCAN ? len : HTML_SCAN))
        return "text/html";
    if (len == 0 || !is_text(d, len))
        return "application/octet-stream";
    if (has_svg(d, len))
        return "image/svg+xml";
    return "text/plain; charset=utf-8";
}

int sniff_inline(const char *type)
{
    return strcmp(type, "image/png") == 0 || strcmp(type, "image/jpeg") == 0 ||
           strcmp(type, "image/gif") == 0 || strcmp(type, "image/webp") == 0;
}
