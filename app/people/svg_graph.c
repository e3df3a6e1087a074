#include "people/svg_graph.h"
#include "core/buf.h"

#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { LABEL_MAX = 24, TITLE_MAX = 200, LEGEND_Y = 22 };

static const char *const kind_colour[GRAPH_KINDS] = {"#2f5d8a", "#2e8b57", "#7a4fa0", "#c26a1b"};
static const char *const kind_label[GRAPH_KINDS] = {"co-wrote pages", "endorsed", "manager",
                                                    "same community"};

const char *svg_graph_text(struct arena *a, const char *s, int max)
{
    struct buf b;
    buf_init(&b, 0);
    int chars = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        const unsigned char *next = p + 1;
        while ((*next & 0xC0) == 0x80)
            next++;
        if (chars++ == max) {
            buf_puts(&b, "…");
            break;
        }
        int control = *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r';
        int nonchar =
            next - p == 3 && p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF);
        if (!control && !nonchar) buf_append(&b, p, (size_t)(next - p));
        p = next;
    }
    return arena_adopt(a, buf_take(&b));
}

static void attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
{
    char value[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

/* An element holding only text (escaped by the writer). */
static void text_element(xmlTextWriterPtr w, struct arena *a, const char *name, const char *text,
                         int max)
{
    xmlTextWriterStartElement(w, BAD_CAST name);
    xmlTextWriterWriteString(w, BAD_CAST svg_graph_text(a, text, max));
    xmlTextWriterEndElement(w);
}

static double radius(const struct graph_node *n, double strongest)
{
    switch (n->kind) {
    case GRAPH_NODE_CENTER:
        return 15;
    case GRAPH_NODE_MORE:
        return 13;
    case GRAPH_NODE_DEPT:
        return 16;
    default:
        return 5 + 8 * sqrt(n->strength / (strongest > 0 ? strongest : 1));
    }
}

static void links(xmlTextWriterPtr w, struct arena *a, const struct graph_picture *p)
{
    double heaviest = 1e-9;
    for (int i = 0; i < p->m; i++)
        heaviest = fmax(heaviest, p->links[i].weight);
    xmlTextWriterStartElement(w, BAD_CAST "g");
    attr(w, "class", "links");
    attr(w, "stroke-linecap", "round");
    for (int i = 0; i < p->m; i++) {
        const struct graph_link *l = &p->links[i];
        const struct graph_node *x = &p->nodes[l->a], *y = &p->nodes[l->b];
        enum graph_kind k = graph_link_kind(l->w);
        xmlTextWriterStartElement(w, BAD_CAST "line");
        attr(w, "x1", "%.1f", x->x);
        attr(w, "y1", "%.1f", x->y);
        attr(w, "x2", "%.1f", y->x);
        attr(w, "y2", "%.1f", y->y);
        attr(w, "stroke", "%s", kind_colour[k]);
        attr(w, "stroke-width", "%.1f", 1.2 + 6.0 * l->weight / heaviest);
        /* Communities tie many people loosely: drawn fainter, so they do not hide the rest. */
        attr(w, "stroke-opacity", k == GRAPH_COMMUNITY ? "0.45" : "0.7");
        if (k == GRAPH_COMMUNITY) attr(w, "stroke-dasharray", "6 4");
        struct buf why;
        buf_init(&why, 0);
        for (int j = 0; j < GRAPH_KINDS; j++)
            if (l->w[j] > 0) buf_printf(&why, "%s%s", why.len ? ", " : "", kind_label[j]);
        text_element(w, a, "title",
                     arena_printf(a, "%s and %s: %s (strength %.2f)", x->label, y->label,
                                  buf_str(&why), l->weight),
                     TITLE_MAX);
        buf_free(&why);
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
}

static void node(xmlTextWriterPtr w, struct arena *a, const struct graph_node *n, double strongest)
{
    static const char *const fill[] = {"#ffffff", "#2f5d8a", "#f3e7c9", "#e3e7ec"};
    static const char *const stroke[] = {"#2f5d8a", "#1d3f61", "#a27b1c", "#9aa5b1"};
    static const char *const cls[] = {"person", "center", "department", "more"};
    if (n->href) {
        xmlTextWriterStartElement(w, BAD_CAST "a");
        xmlTextWriterWriteAttribute(w, BAD_CAST "href", BAD_CAST n->href);
    }
    xmlTextWriterStartElement(w, BAD_CAST "g");
    attr(w, "class", "node %s", cls[n->kind]);
    double r = radius(n, strongest);
    xmlTextWriterStartElement(w, BAD_CAST "circle");
    attr(w, "cx", "%.1f", n->x);
    attr(w, "cy", "%.1f", n->y);
    attr(w, "r", "%.1f", r);
    attr(w, "fill", "%s", fill[n->kind]);
    attr(w, "stroke", "%s", stroke[n->kind]);
    attr(w, "stroke-width", "2");
    xmlTextWriterEndElement(w);
    xmlTextWriterStartElement(w, BAD_CAST "text");
    attr(w, "x", "%.1f", n->x);
    attr(w, "y", "%.1f", n->y + r + 13);
    attr(w, "fill", "#1d232b");
    attr(w, "stroke", "#ffffff");
    attr(w, "stroke-width", "3");
    attr(w, "paint-order", "stroke"); /* a white outline under the text keeps it legible */
    if (n->kind == GRAPH_NODE_CENTER) attr(w, "font-weight", "bold");
    xmlTextWriterWriteString(w, BAD_CAST svg_graph_text(a, n->label, LABEL_MAX));
    xmlTextWriterEndElement(w);
    text_element(w, a, "title",
                 n->detail && *n->detail ? arena_printf(a, "%s: %s", n->label, n->detail)
                                         : n->label,
                 TITLE_MAX);
    xmlTextWriterEndElement(w);
    if (n->href) xmlTextWriterEndElement(w);
}

static void legend(xmlTextWriterPtr w, const struct graph_picture *p)
{
    xmlTextWriterStartElement(w, BAD_CAST "g");
    attr(w, "class", "legend");
    attr(w, "transform", "translate(12 %d)", p->height - LEGEND_Y);
    attr(w, "text-anchor", "start");
    attr(w, "font-size", "12");
    int x = 0;
    for (int k = 0; k < GRAPH_KINDS; k++) {
        xmlTextWriterStartElement(w, BAD_CAST "line");
        attr(w, "x1", "%d", x);
        attr(w, "y1", "0");
        attr(w, "x2", "%d", x + 24);
        attr(w, "y2", "0");
        attr(w, "stroke", "%s", kind_colour[k]);
        attr(w, "stroke-width", "4");
        if (k == GRAPH_COMMUNITY) attr(w, "stroke-dasharray", "6 4");
        xmlTextWriterEndElement(w);
        xmlTextWriterStartElement(w, BAD_CAST "text");
        attr(w, "x", "%d", x + 30);
        attr(w, "y", "4");
        xmlTextWriterWriteString(w, BAD_CAST kind_label[k]);
        xmlTextWriterEndElement(w);
        x += 30 + 8 * (int)strlen(kind_label[k]) + 18;
    }
    xmlTextWriterStartElement(w, BAD_CAST "text");
    attr(w, "x", "%d", x);
    attr(w, "y", "4");
    attr(w, "fill", "#5d6772");
    xmlTextWriterWriteString(w, BAD_CAST "thicker line: stronger tie");
    xmlTextWriterEndElement(w);
    xmlTextWriterEndElement(w);
}

const char *svg_graph_write(struct arena *a, const struct graph_picture *p, int standalone)
{
    xmlBufferPtr out = xmlBufferCreate();
    xmlTextWriterPtr w = out ? xmlNewTextWriterMemory(out, 0) : NULL;
    if (!w) die("out of memory drawing a graph");
    if (standalone) xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(w, BAD_CAST "svg");
    xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.w3.org/2000/svg");
    attr(w, "class", "graph-svg");
    attr(w, "width", "%d", p->width);
    attr(w, "height", "%d", p->height);
    attr(w, "viewBox", "0 0 %d %d", p->width, p->height);
    if (standalone) /* inline, its circles are links a reader can reach: not one image */
        attr(w, "role", "img");
    attr(w, "font-family", "system-ui, sans-serif");
    attr(w, "font-size", "12");
    attr(w, "text-anchor", "middle");
    text_element(w, a, "title", p->title, TITLE_MAX);
    text_element(w, a, "desc", p->description, 4 * TITLE_MAX);
    xmlTextWriterStartElement(w, BAD_CAST "rect");
    attr(w, "width", "%d", p->width);
    attr(w, "height", "%d", p->height);
    attr(w, "fill", "#ffffff");
    xmlTextWriterEndElement(w);
    links(w, a, p);
    double strongest = 0;
    for (int i = 0; i < p->n; i++)
        if (p->nodes[i].kind == GRAPH_NODE_PERSON)
            strongest = fmax(strongest, p->nodes[i].strength);
    xmlTextWriterStartElement(w, BAD_CAST "g");
    attr(w, "class", "nodes");
    for (int i = 0; i < p->n; i++)
        node(w, a, &p->nodes[i], strongest);
    xmlTextWriterEndElement(w);
    if (!p->n) {
        xmlTextWriterStartElement(w, BAD_CAST "text");
        attr(w, "x", "%d", p->width / 2);
        attr(w, "y", "%d", p->height / 2);
        xmlTextWriterWriteString(w, BAD_CAST "Nobody to draw yet.");
        xmlTextWriterEndElement(w);
    }
    legend(w, p);
    xmlTextWriterEndElement(w); /* svg */
    if (standalone) xmlTextWriterEndDocument(w);
    xmlTextWriterFlush(w);
    xmlFreeTextWriter(w);
    const char *svg =
        arena_strndup(a, (const char *)xmlBufferContent(out), (size_t)xmlBufferLength(out));
    xmlBufferFree(out);
    return svg;
}
