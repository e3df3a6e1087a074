#include "markup/textify.h"
#include "core/buf.h"

#include <string.h>

/* Stored HTML always comes out of the sanitiser: well-formed tags with quoted, escaped attribute
 * values, and text whose only entities are &amp; &lt; &gt; (and &quot; &#39; from ken's own
 * markup). So one pass over the bytes finds the words, with no parser and no allocation per node. */

static int tag_is(const char *name, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(name, *list, n) == 0)
            return 1;
    return 0;
}

static const char *const blocks[] = {"p", "li", "tr", "pre", "blockquote", "div", "h1", "h2",
                                     "h3", "h4", "h5", "h6", "dt", "dd", "br", "td", "th",
                                     "table", "ul", "ol", "hr", "details", "summary", NULL};

static void put_text(struct buf *b, const char *s, size_t n)
{
    static const struct {
        const char *entity;
        char c;
    } entities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&')
            continue;
        for (size_t e = 0; e < sizeof entities / sizeof *entities; e++) {
            size_t len = strlen(entities[e].entity);
            if (i + len <= n && memcmp(s + i, entities[e].entity, len) == 0) {
                buf_append(b, s + start, i - start);
                buf_putc(b, entities[e].c);
                start = i + len;
                i += len - 1;
                break;
            }
        }
    }
    buf_append(b, s + start, n - start);
}

void textify_html(struct arena *a, const char *html, char **body, char **headings)
{
    struct buf b, h;
    buf_init(&b, 0);
    buf_init(&h, 0);
    int in_heading = 0, skip_anchor = 0;
    const char *p = html;
    while (*p) {
        if (*p != '<') {
            size_t n = strcspn(p, "<");
            if (!skip_anchor) {
                put_text(&b, p, n);
                if (in_heading)
                    put_text(&h, p, n);
            }
            p += n;
            continue;
        }
        const char *end = strchr(p, '>');
        if (!end)
            break;
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t nlen = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
        int heading = nlen == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';
        if (!closing && nlen == 1 && name[0] == 'a' && memmem(p, (size_t)(end - p), "class=\"anchor\"", 14))
            skip_anchor = 1; /* the "#" of heading anchors is decoration */
        else if (closing && nlen == 1 && name[0] == 'a')
            skip_anchor = 0;
        if (heading)
            in_heading += closing ? -1 : 1;
        if (tag_is(name, nlen, blocks) && (closing || (nlen == 2 && name[0] == 'b')))
            buf_putc(&b, '\n');
        if (heading && closing)
            buf_putc(&h, '\n');
        p = end + 1;
    }
    *body = arena_adopt(a, buf_take(&b));
    *headings = arena_adopt(a, buf_take(&h));
}
