/* import_html: a folder of HTML pages (a Confluence space export, a Notion export, Google Docs
 * saved as "web page") becomes pages, converted by html2md. Links between the files become wiki
 * links; images and other files they use become the pages' attachments. Streaming, resumable
 * (identical pages and files are skipped), a bad file never stops it. */
#ifndef KEN_IMPORT_HTML_H
#define KEN_IMPORT_HTML_H
#include "core/db.h"
#include "import/import_batch.h" /* struct import_stats */

#include <stdio.h>

/* Imports every *.html and *.htm under dir (not under "attachments" folders) into space `space`
 * (NULL: the folder's name). Counts pages in stats; attachments are reported on their own line.
 * Prints progress and failures (with reasons) to `log`. Returns 0, or -1 when it could not start
 * at all (no such folder, bad space name) with the reason printed; *attach_failed (may be NULL)
 * gets the number of files that could not be attached. */
int import_html(struct db *db, const char *dir, const char *space, FILE *log, int is_tty,
                struct import_stats *stats, long *attach_failed);

#endif
