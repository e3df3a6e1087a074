/* svg_graph: a laid-out graph_picture as SVG, written with libxml2's xmlTextWriter, which escapes
 * every label and attribute: names, titles and topics are people's text and never reach the
 * output any other way. Readable without script: labels, line thickness by weight, a legend, a
 * <title> on every node and line. */
#ifndef KEN_SVG_GRAPH_H
#define KEN_SVG_GRAPH_H
#include "people/graph.h"

/* Returns the SVG of p, in a. standalone 1: a file of its own (with the XML declaration, for
 * image/svg+xml); 0: an <svg> element to put inside an HTML page (ken made all of it). Nodes with
 * an href are links. Aborts when out of memory. */
const char *svg_graph_write(struct arena *a, const struct graph_picture *p, int standalone);

/* Returns s cut to at most max characters (UTF-8) with "…" when cut, without the characters XML
 * 1.0 cannot hold (C0 controls but tab and newlines, U+FFFE, U+FFFF), in a. */
const char *svg_graph_text(struct arena *a, const char *s, int max);

#endif
