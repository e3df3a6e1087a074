/* import_people_parse: an HR system's export (CSV or TSV with a header row, or a JSON array of
 * objects) read into rows, touching no database; import_people applies the rows. */
#ifndef KEN_IMPORT_PEOPLE_PARSE_H
#define KEN_IMPORT_PEOPLE_PARSE_H
#include "core/arena.h"

#include <stddef.h>

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

#endif
