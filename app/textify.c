#include "textify.h"
#include "buf.h"

#include <libxml/HTMLparser.h>
#include <string.h>

static int is_heading(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    return name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2];
}

static int is_block(const xmlNode *n)
{
    static const char *const blocks[] = {"p", "li", "tr", "pre", "blockquote", "div", "h1", "h2",
                                         "h3", "h4", "h5", "h6", "dt", "dd", "br", "td", "th"};
    for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
        if (strcmp((const char *)n->name, blocks[i]) == 0)
            return 1;
    return 0;
}

static void walk(const xmlNode *n, struct buf *body, struct buf *heads, int in_heading)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content) {
            buf_puts(body, (const char *)n->content);
            if (in_heading)
                buf_puts(heads, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE) {
            /* The "#" of heading anchors is decoration, not text. */
            xmlChar *cls = xmlGetProp(n, (const xmlChar *)"class");
            int anchor = cls && strcmp((const char *)cls, "anchor") == 0;
            xmlFree(cls);
            if (anchor)
                continue;
            int heading = in_heading || is_heading(n);
            walk(n->children, body, heads, heading);
            if (is_block(n))
                buf_putc(body, '\n');
            if (is_heading(n))
                buf_putc(heads, '\n');
        }
    }
}

void textify_html(struct arena *a, const char *html, char **body, char **headings)
{
    struct buf b, h;
    buf_init(&b, 0);
    buf_init(&h, 0);
    htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    if (doc) {
        walk(xmlDocGetRootElement(doc), &b, &h, 0);
        xmlFreeDoc(doc);
    }
    *body = arena_adopt(a, buf_take(&b));
    *headings = arena_adopt(a, buf_take(&h));
}
