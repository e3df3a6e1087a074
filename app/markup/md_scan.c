#include "markup/md_scan.h"

#include <string.h>

/* Skips the container markers a line may start with (indentation, '>' of block quotes, list
 * bullets and numbers), so that a table inside a quote or a list item is seen like any other. */
static const char *strip_containers(const char *p, const char *end)
{
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p < end && *p == '>') {
            p++;
            continue;
        }
        if (p + 1 < end && (*p == '-' || *p == '+' || *p == '*') && (p[1] == ' ' || p[1] == '\t')) {
            p += 2;
            continue;
        }
        const char *d = p;
        while (d < end && d - p < 9 && *d >= '0' && *d <= '9')
            d++;
        if (d > p && d + 1 < end && (*d == '.' || *d == ')') && (d[1] == ' ' || d[1] == '\t')) {
            p = d + 2;
            continue;
        }
        return p;
    }
}

/* Counts the pipes not escaped by a backslash in [p, end). */
static size_t pipes(const char *p, const char *end)
{
    size_t n = 0;
    for (; p < end; p++) {
        if (*p == '\\' && p + 1 < end)
            p++;
        else if (*p == '|')
            n++;
    }
    return n;
}

/* Returns the number of cells of a row [p, end) (pipes between cells; outer pipes optional). */
static size_t row_cells(const char *p, const char *end, size_t npipes)
{
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    size_t cells = npipes + 1;
    if (p < end && *p == '|')
        cells--;
    if (end - p > 1 && end[-1] == '|' && end[-2] != '\\')
        cells--;
    return cells ? cells : 1;
}

/* Returns the columns of a line that could be a table's delimiter row (cells of ':'? '-'+ ':'?
 * between optional pipes, with a pipe or colon somewhere so that it is not a setext underline or
 * a thematic break, which cmark-gfm tries first), else 0. */
static size_t delimiter_cols(const char *p, const char *end)
{
    size_t cols = 0;
    int dashes = 0, marker = 0, cell_open = 0;
    for (; p < end; p++) {
        char c = *p;
        if (c == '-') {
            dashes = 1;
            cell_open = 1;
        } else if (c == ':') {
            marker = 1;
            cell_open = 1;
        } else if (c == '|') {
            marker = 1;
            cols += cell_open;
            cell_open = 0;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return 0;
        }
    }
    cols += cell_open;
    return dashes && marker ? (cols ? cols : 1) : 0;
}

/* Returns the length of the code fence (3 or more '`' or '~', indented at most 3 spaces, a '`'
 * fence with no '`' after it) that the line [line, end) opens or closes at p, else 0. Erring
 * here towards "no fence" only costs a refusal; the render's budget holds either way. */
static size_t fence_len(const char *line, const char *p, const char *end)
{
    const char *q = p, *indent = p;
    while (indent > line && indent[-1] == ' ')
        indent--;
    if (p - indent > 3 || (indent > line && indent[-1] == '\t'))
        return 0;
    while (q < end && *q == *p && (*p == '`' || *p == '~'))
        q++;
    if (q - p < 3 || (*p == '`' && memchr(q, '`', (size_t)(end - q))))
        return 0;
    return (size_t)(q - p);
}

const char *md_scan(const char *md, size_t len, struct md_scan *s)
{
    memset(s, 0, sizeof *s);
    const char *end = md + len;
    char fence = 0;        /* '`' or '~' while inside a fenced code block (no tables there) */
    size_t fence_n = 0;
    size_t run = 0;        /* bytes of the non-blank lines since the last blank one */
    size_t prev_cols = 0;  /* cells of the line before, when it was not blank */
    size_t table_cols = 0; /* the widest header of the table we may be in; 0: none */
    for (const char *line = md; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *eol = nl ? nl : end;
        const char *p = strip_containers(line, eol);
        const char *q = eol;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r'))
            q--;
        size_t f = fence_len(line, p, q);
        if (fence) {
            if (f >= fence_n && *p == fence && p + f == q)
                fence = 0;
        } else if (f) {
            fence = *p;
            fence_n = f;
            run = prev_cols = table_cols = 0;
        } else if (p == q) {
            run = prev_cols = table_cols = 0;
        } else {
            size_t np = pipes(p, q), dcols = delimiter_cols(p, q);
            if (dcols && prev_cols) {
                /* cmark reads the paragraph above as a header row again */
                s->reread += run;
                size_t cols = dcols > prev_cols ? dcols : prev_cols;
                if (!table_cols)
                    s->cells += cols; /* the header row */
                if (cols > table_cols)
                    table_cols = cols;
            }
            s->cells += table_cols;
            if (table_cols || np)
                s->pipes += np * np;
            run += (size_t)(eol - line) + 1;
            prev_cols = row_cells(p, q, np);
        }
        line = nl ? nl + 1 : end;
    }
    if (s->cells > MD_SCAN_CELLS_MAX)
        return "its tables are too large: at most 50,000 cells (rows times the columns of the "
               "header) in one text; split the table, or make it narrower";
    if (s->reread > MD_SCAN_REREAD_MAX)
        return "it has too many lines that look like a table's delimiter row (such as |---|---|) "
               "without a matching header; put a blank line before each table";
    if (s->pipes > MD_SCAN_PIPES_MAX)
        return "it has lines with too many pipes (|) for table rows; split the table";
    return NULL;
}
