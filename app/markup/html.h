/* html: the one escaping path from user text to HTML. */
#ifndef KEN_HTML_H
#define KEN_HTML_H
#include "core/buf.h"

/* Appends `s` (n bytes) to b with & < > " ' escaped; safe in text and in quoted attributes. */
void html_escape(struct buf *b, const char *s, size_t n);
/* Same for a NUL-terminated string; NULL appends nothing. */
void html_text(struct buf *b, const char *s);
/* Appends `s` unchanged. Only for HTML that ken made or the sanitiser produced. */
void html_raw(struct buf *b, const char *s);
/* Appends a search snippet: text escaped as by html_text, with the match markers SNIPPET_OPEN
 * and SNIPPET_CLOSE (bytes 0x01 and 0x02, which never occur in stored text) turned into <mark>. */
#define SNIPPET_OPEN "\x01"
#define SNIPPET_CLOSE "\x02"
void html_snippet(struct buf *b, const char *s);
/* Appends `s` percent-encoded for a query-string value (everything but [A-Za-z0-9-._~/]). */
void html_url_query(struct buf *b, const char *s);
/* Appends `s` percent-encoded for a URL path: keeps [A-Za-z0-9-._~/], escapes the rest. */
void html_url_path(struct buf *b, const char *s);

#endif
