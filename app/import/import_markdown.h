/* import_markdown: a folder of .md files (a docs folder, a GitHub wiki, an Obsidian vault)
 * becomes pages. Streaming, resumable (identical pages are skipped), a bad file never stops it. */
#ifndef KEN_IMPORT_MARKDOWN_H
#define KEN_IMPORT_MARKDOWN_H
#include "core/db.h"
#include "import/import_batch.h" /* struct import_stats */

#include <stdio.h>

/* Imports every *.md under dir into space `space` (NULL: the folder's name). Prints progress and
 * failures (with reasons) to `log`; is_tty selects a one-line progress meter. Returns 0, or -1
 * when it could not start at all (no such folder, bad space name) with the reason printed. */
int import_markdown(struct db *db, const char *dir, const char *space, FILE *log, int is_tty,
                    struct import_stats *stats);

#endif
