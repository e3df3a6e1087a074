/* textify: the words of rendered HTML, for the search index. */
#ifndef KEN_TEXTIFY_H
#define KEN_TEXTIFY_H
#include "core/arena.h"

/* Extracts the text of `html` (ken's sanitised HTML) in a: *body gets all text with blocks
 * separated by newlines, *headings the text of h1-h6 one per line. Never fails. */
void textify_html(struct arena *a, const char *html, char **body, char **headings);

#endif
