/* import_people: bulk import and sync of people from an HR system's export (CSV with a header
 * row, or a JSON array of objects), matched by login, else by email. Creates and updates
 * accounts and profiles, creates missing departments and teams, sets managers once everyone
 * exists (refusing loops row by row), never deletes, and can mark people missing from the file
 * as having left (never admins). A bad row is reported with its line and never stops the rest;
 * a dry run reports what would change and changes nothing. */
#ifndef KEN_IMPORT_PEOPLE_H
#define KEN_IMPORT_PEOPLE_H
#include "arena.h"
#include "db.h"

#include <stdio.h>

/* The columns ken reads; any other column is ignored. */
enum import_column {
    IMPORT_LOGIN, IMPORT_NAME, IMPORT_EMAIL, IMPORT_TITLE, IMPORT_DEPARTMENT, IMPORT_TEAM,
    IMPORT_MANAGER, IMPORT_LOCATION, IMPORT_TIMEZONE, IMPORT_START_DATE, IMPORT_ROLE,
    IMPORT_COLUMNS
};
/* Returns the column's name ("login", ...), static. */
const char *import_people_column_name(enum import_column c);

/* One person from the file. values[c] is NULL when the file has no such column, and the cell
 * as written (not trimmed) otherwise. `error` is set when the row could not be read at all. */
struct import_row {
    int line; /* where the row starts in the file, from 1 */
    const char *values[IMPORT_COLUMNS];
    const char *error;
    struct import_row *next;
};

/* Reads an export: a JSON array when the text starts with '[' (after white space and a BOM),
 * else CSV with a header row (comma, semicolon or tab separated, "quoted" cells, CRLF or LF).
 * Returns the rows in a, or NULL with *why (in a) when the file cannot be read at all (no login
 * column, not an array, ...). An empty file gives no rows and no error (*why NULL). */
struct import_row *import_people_parse(struct arena *a, const char *text, size_t len,
                                       const char **why);

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
