#include "import/import_people_parse.h"
#include "core/buf.h"
#include "core/utf8.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>

static const char *const COLUMN_NAMES[IMPORT_COLUMNS] = {
    "login", "name", "email", "title", "department", "team",
    "manager", "location", "timezone", "start_date", "role",
};

const char *import_people_column_name(enum import_column c)
{
    return c < IMPORT_COLUMNS ? COLUMN_NAMES[c] : "";
}

/* Returns the column a header names ("Start Date" and "start-date" are start_date), or -1. */
static int column_of(struct arena *a, const char *header)
{
    char *h = arena_strdup(a, header);
    char *s = h;
    if (strncmp(s, "\xef\xbb\xbf", 3) == 0) /* a byte order mark before the first header */
        s += 3;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\r", s[n - 1]))
        s[--n] = 0;
    for (char *c = s; *c; c++)
        *c = *c == ' ' || *c == '-' ? '_' : (char)tolower((unsigned char)*c);
    for (int c = 0; c < IMPORT_COLUMNS; c++)
        if (strcmp(s, COLUMN_NAMES[c]) == 0)
            return c;
    return -1;
}

/* ---- CSV ---- */

/* Returns the separator the header line uses most: ',', ';' or a tab. */
static char separator(const char *p, const char *end)
{
    int commas = 0, semis = 0, tabs = 0, quoted = 0;
    for (; p < end && (quoted || *p != '\n'); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted)
            commas += *p == ',', semis += *p == ';', tabs += *p == '\t';
    }
    return semis > commas && semis >= tabs ? ';' : tabs > commas ? '\t' : ',';
}

struct record {
    int line, n, cap;
    char **cells;
};

/* Reads one record from *p (moving it on, counting *line). Returns 1 for a record, 0 at the end
 * of the text, -1 for a quoted cell that never ends (with *why). */
static int next_record(struct arena *a, const char **p, const char *end, char sep, int *line,
                       struct record *rec, const char **why)
{
    if (*p >= end)
        return 0;
    rec->line = *line;
    rec->n = 0;
    struct buf cell;
    buf_init(&cell, 0);
    const char *s = *p;
    for (;;) {
        if (s < end && *s == '"') {
            for (s++;; s++) {
                if (s >= end) {
                    buf_free(&cell);
                    *why = arena_printf(a, "a quoted cell that starts on line %d never ends",
                                        rec->line);
                    return -1;
                }
                if (*s == '"' && s + 1 < end && s[1] == '"') {
                    buf_putc(&cell, '"');
                    s++;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    *line += *s == '\n';
                    buf_putc(&cell, *s);
                }
            }
        }
        while (s < end && *s != sep && *s != '\n')
            buf_putc(&cell, *s++);
        if (cell.len && cell.data[cell.len - 1] == '\r' && (s >= end || *s == '\n'))
            cell.data[--cell.len] = 0;
        if (rec->n == rec->cap) {
            char **bigger = arena_alloc(a, sizeof *bigger * (size_t)(rec->cap = rec->cap * 2 + 16));
            if (rec->n)
                memcpy(bigger, rec->cells, sizeof *bigger * (size_t)rec->n);
            rec->cells = bigger;
        }
        rec->cells[rec->n++] = arena_strdup(a, buf_str(&cell));
        buf_reset(&cell);
        if (s < end && *s == sep) {
            s++;
            continue;
        }
        if (s < end) { /* the end of the line */
            s++;
            (*line)++;
        }
        break;
    }
    buf_free(&cell);
    *p = s;
    return 1;
}

static struct import_row *parse_csv(struct arena *a, const char *text, size_t len,
                                    const char **why)
{
    const char *p = text, *end = text + len;
    char sep = separator(p, end);
    int line = 1, cols[256];
    struct record rec = {0};
    int got;
    while ((got = next_record(a, &p, end, sep, &line, &rec, why)) == 1 && rec.n == 1 &&
           !*rec.cells[0])
        ; /* blank lines before the header */
    if (got <= 0)
        return NULL;
    int header_n = rec.n < 256 ? rec.n : 256, has_login = 0;
    for (int i = 0; i < header_n; i++) {
        cols[i] = column_of(a, rec.cells[i]);
        for (int j = 0; j < i && cols[i] >= 0; j++)
            if (cols[j] == cols[i])
                cols[i] = -1; /* a repeated column: the first one counts */
        has_login |= cols[i] == IMPORT_LOGIN;
    }
    if (!has_login) {
        *why = "the header row (the first line) has no login column; ken reads login, name, "
               "email, title, department, team, manager, location, timezone, start_date and role";
        return NULL;
    }
    struct import_row *head = NULL, **tail = &head;
    while ((got = next_record(a, &p, end, sep, &line, &rec, why)) != 0) {
        struct import_row *row = arena_alloc(a, sizeof *row);
        row->line = rec.line;
        if (got < 0) {
            row->error = *why;
            *why = NULL;
            *tail = row;
            break;
        }
        if (rec.n == 1 && !*rec.cells[0])
            continue; /* a blank line */
        for (int i = 0; i < header_n; i++) {
            if (cols[i] < 0)
                continue;
            const char *v = i < rec.n ? rec.cells[i] : "";
            if (!utf8_valid(v, strlen(v)))
                row->error = arena_printf(a, "the %s is not valid UTF-8 text (save the export "
                                             "as UTF-8)", COLUMN_NAMES[cols[i]]);
            row->values[cols[i]] = v;
        }
        *tail = row;
        tail = &row->next;
    }
    return head;
}

/* ---- JSON ---- */

/* Fills lines[i] with the line on which element i of the top-level array starts (up to max). */
static void element_lines(const char *p, const char *end, int *lines, size_t max)
{
    size_t k = 0;
    int line = 1, depth = 0, in_string = 0, escaped = 0, expecting = 0;
    for (; p < end && k < max; p++) {
        char c = *p;
        line += c == '\n';
        if (in_string) {
            if (escaped)
                escaped = 0;
            else if (c == '\\')
                escaped = 1;
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (depth == 1 && expecting && !strchr(" \t\r\n,]", c)) {
            lines[k++] = line;
            expecting = 0;
        }
        if (c == '"')
            in_string = 1;
        else if (c == '[' || c == '{')
            expecting = ++depth == 1;
        else if (c == ']' || c == '}')
            depth--;
        else if (c == ',' && depth == 1)
            expecting = 1;
    }
}

static struct import_row *parse_json(struct arena *a, const char *text, size_t len,
                                     const char **why)
{
    json_error_t err;
    json_t *all = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (!all || !json_is_array(all)) {
        *why = all ? "a JSON export is an array of objects, one per person"
                   : arena_printf(a, "not valid JSON: line %d: %s", err.line, err.text);
        json_decref(all);
        return NULL;
    }
    size_t n = json_array_size(all);
    int *lines = arena_alloc(a, sizeof *lines * (n + 1));
    element_lines(text, text + len, lines, n);
    struct import_row *head = NULL, **tail = &head;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(all, i);
        struct import_row *row = arena_alloc(a, sizeof *row);
        row->line = lines[i];
        *tail = row;
        tail = &row->next;
        if (!json_is_object(o)) {
            row->error = "this item is not an object like {\"login\": \"ana\", ...}";
            continue;
        }
        const char *key;
        json_t *value;
        json_object_foreach(o, key, value)
        {
            int c = column_of(a, key);
            if (c < 0)
                continue;
            if (json_is_string(value))
                row->values[c] = arena_strdup(a, json_string_value(value));
            else if (json_is_null(value))
                row->values[c] = "";
            else
                row->error = arena_printf(a, "%s is not text", key);
        }
    }
    json_decref(all);
    return head;
}

struct import_row *import_people_parse(struct arena *a, const char *text, size_t len,
                                       const char **why)
{
    *why = NULL;
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    const char *json = p; /* with the white space before '[', so that lines count from 1 */
    while (p < end && *p && strchr(" \t\r\n", *p))
        p++;
    if (p < end && *p == '[')
        return parse_json(a, json, (size_t)(end - json), why);
    if (memchr(text, 0, len)) {
        *why = "the file holds NUL bytes: it is not a CSV or JSON export";
        return NULL;
    }
    return parse_csv(a, text, len, why);
}
