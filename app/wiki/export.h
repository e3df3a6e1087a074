/* export: the wiki out of ken, from one consistent snapshot of the database. As Markdown files
 * with front matter (which `ken import markdown` reads back), or as a static, browsable HTML copy
 * with relative links (no search, no history). */
#ifndef KEN_EXPORT_H
#define KEN_EXPORT_H
#include "core/db.h"

#include <stdio.h>

struct export_stats {
    long pages, files, failed; /* failed: files that could not be written */
};

/* Writes every live page as dir/<path>.md: front matter (title, tags, owners, author, updated)
 * and the page's Markdown; its attachments (newest versions) as dir/<path>/<name>. `dir` must be
 * missing or empty. Prints problems and a summary to `log`. Returns 0, or -1 when it could not
 * start or read the database (the reason printed). */
int export_markdown(struct db *db, const char *dir, FILE *log, struct export_stats *stats);

/* Writes a static copy: dir/index.html (spaces and their pages), dir/<path>.html per page (its
 * stored HTML in a small layout, links to pages and files made relative; links to what the copy
 * does not hold lose their address), attachments as dir/<path>/<name> and dir/ken.css. `dir`
 * must be missing or empty. Returns as export_markdown. */
int export_html(struct db *db, const char *dir, FILE *log, struct export_stats *stats);

#endif
