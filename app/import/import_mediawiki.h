/* import_mediawiki: a MediaWiki XML export (Special:Export with full history, or a dump) becomes
 * pages with every revision, saved in order by their real authors at their real times. Read
 * with libxml2's xmlTextReader in constant memory; resumable (revisions already there are
 * skipped); a broken page or file never loses the pages before it. */
#ifndef KEN_IMPORT_MEDIAWIKI_H
#define KEN_IMPORT_MEDIAWIKI_H
#include "core/db.h"
#include "import/import_batch.h" /* struct import_stats */

#include <stdio.h>

/* Imports every page of the export `file` into space `space` (NULL: the wiki's name from the
 * export, else the file's name). A contributor becomes the account whose login is the user name
 * slugged ("Ana Lima" -> ana-lima), created as a viewer without a password when missing. Counts
 * revisions: created (the first of a new page), updated (added to a page), skipped (already
 * there, or the same as the page's current text), failed. Prints progress, failures and a summary
 * to `log` (is_tty: a one-line meter). Returns 0, or -1 when it could not start at all (no such
 * file, no usable space name), with the reason printed. */
int import_mediawiki(struct db *db, const char *file, const char *space, FILE *log, int is_tty,
                     struct import_stats *stats);

#endif
