/* import_stackexchange: `ken import stackexchange DIR`: a Stack Exchange data dump (or a Stack
 * Overflow for Teams export) into ken's questions and answers. Users.xml gives the people,
 * Posts.xml the questions and answers (their text, tags, score and accepted answer), Comments.xml
 * (when present) the comments and PostLinks.xml the duplicate and related links; Tags.xml is
 * counted. Everything keeps its author and original date. The files are streamed with libxml2's
 * xmlTextReader, one row at a time, so memory stays bounded whatever the size of the dump.
 * Re-runnable: what an earlier run imported is skipped (import_stackexchange_store). */
#ifndef KEN_IMPORT_STACKEXCHANGE_H
#define KEN_IMPORT_STACKEXCHANGE_H
#include "core/db.h"
#include "import/import_batch.h"

#include <stdio.h>

/* Returns the milliseconds since 1970 of an ISO time as the dumps write it
 * ("2016-09-29T14:21:57.723", also without the fraction or seconds, a bare date, or with a
 * trailing Z), or -1 when it is not one. */
int64_t import_se_parse_time(const char *s);

/* Imports the dump in folder `dir`. before_ms >= 0: only what is dated strictly before it (a
 * later run with a later time adds the rest); -1: everything. Progress and problems go to log,
 * with a closing summary. Returns 0 when the dump could be read (failed items are counted in
 * *stats), -1 when it cannot be read at all (no such folder, no Posts.xml). */
int import_stackexchange(struct db *db, const char *dir, int64_t before_ms, FILE *log, int is_tty,
                         struct import_stats *stats);

#endif
