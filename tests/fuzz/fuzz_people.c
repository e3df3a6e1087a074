/* libFuzzer: an HR export (CSV, TSV or JSON) through the people importer's parser, which touches
 * no database. Fails on a crash, a leak, a sanitizer report, a file refused without a reason,
 * a row whose line is outside the file, out of order or empty, or a row accepted with a cell that is
 * not UTF-8. */
#include "import/import_people_parse.h"
#include "oracle.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *text = malloc(size + 1); /* the importer reads a file into len bytes and a NUL */
    memcpy(text, data, size);
    text[size] = 0;
    int lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += text[i] == '\n';
    struct arena *a = arena_new();
    const char *why = (const char *)1;
    struct import_row *rows = import_people_parse(a, text, size, &why);
    if (why == (const char *)1 || (rows && why))
        abort(); /* *why is always set: NULL, or the reason with no rows */
    const char *p = text + (size >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0);
    while (p < text + size && *p && strchr(" \t\r\n", *p))
        p++;
    int json = p < text + size && *p == '[', last = 0;
    for (const struct import_row *r = rows; r; r = r->next) {
        if (r->line < 1 || r->line > lines || (!json && r->line <= last))
            abort();
        /* The line named is where the row starts: never an empty line (in CSV one with at
         * most a CR, in JSON one of white space). */
        const char *at = text, *end = text + size;
        for (int l = 1; l < r->line; l++)
            at = (const char *)memchr(at, '\n', (size_t)(end - at)) + 1;
        const char *eol = memchr(at, '\n', (size_t)(end - at));
        size_t len = eol ? (size_t)(eol - at) : (size_t)(end - at), blank = 0;
        while (blank < len && (json ? strchr(" \t\r", at[blank]) && at[blank] : at[blank] == '\r' && !blank))
            blank++;
        if (blank == len)
            abort();
        last = r->line;
        if (r->error)
            continue;
        for (int c = 0; c < IMPORT_COLUMNS; c++)
            oracle_utf8_or_abort(r->values[c]);
    }
    arena_free(a);
    free(text);
    return 0;
}
