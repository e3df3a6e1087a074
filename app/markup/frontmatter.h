/* frontmatter: the "---\nkey: value\n---\n" block at the top of a Markdown file. */
#ifndef KEN_FRONTMATTER_H
#define KEN_FRONTMATTER_H
#include "core/arena.h"

/* Returns the value of `key` in the front matter of `text` ("" when absent), in a. Lines split at
 * their first colon, so "title: ADR 7: Postgres" works. */
char *frontmatter_get(struct arena *a, const char *text, const char *key);
/* Returns where the body starts: after the closing "---" line, or `text` when there is no block. */
const char *frontmatter_body(const char *text);

#endif
