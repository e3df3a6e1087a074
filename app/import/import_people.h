/* import_people: bulk import and sync of people from an HR system's export (CSV with a header
 * row, or a JSON array of objects), matched by login, else by email. Creates and updates
 * accounts and profiles, creates missing departments and teams, sets managers once everyone
 * exists (refusing loops row by row), never deletes, and can mark people missing from the file
 * as having left (never admins). A bad row is reported with its line and never stops the rest;
 * a dry run reports what would change and changes nothing. */
#ifndef KEN_IMPORT_PEOPLE_H
#define KEN_IMPORT_PEOPLE_H
#include "core/db.h"
#include "import/import_people_parse.h"

#include <stdio.h>

struct import_people_options {
    int dry_run;              /* report what would change; change nothing */
    int mark_missing_as_left; /* people not in the file (except admins) have left */
};

struct import_people_stats {
    long created, updated, skipped, failed, marked_left;
};

/* Imports `path` into db. Prints one line per change and per refused row ("line 7: ...") and a
 * summary to `out`, progress to `log` (a one-line meter when is_tty). Returns 0, or -1 when it
 * could not start at all (no such file, not an export) with the reason on `log`. */
int import_people(struct db *db, const char *path, const struct import_people_options *o,
                  FILE *out, FILE *log, int is_tty, struct import_people_stats *stats);

#endif
