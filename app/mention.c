#include "mention.h"
#include "buf.h"

#include <string.h>

enum { LOGIN_MAX = 64 };

static int login_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

/* A character that, right before an @, makes it part of a word or address, not a mention. */
static int glued(unsigned char c)
{
    return login_char(c) || c >= 0x80 || c == '+' || c == '@' || c == '/' || c == '\\' ||
           c == '=' || c == '&';
}

static void add(struct arena *a, struct mention **head, int *n, const char *s, size_t len)
{
    char login[LOGIN_MAX + 1];
    for (size_t i = 0; i < len; i++)
        login[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    login[len] = 0;
    struct mention **tail = head;
    for (; *tail; tail = &(*tail)->next)
        if (strcmp((*tail)->login, login) == 0)
            return;
    if (*n >= MENTION_MAX)
        return;
    struct mention *m = arena_alloc(a, sizeof *m);
    m->login = arena_strdup(a, login);
    *tail = m;
    (*n)++;
}

/* Finds mentions in one paragraph's text (lines joined), skipping code spans. */
static void scan(struct arena *a, const char *s, size_t len, struct mention **head, int *n)
{
    size_t i = 0;
    while (i < len) {
        if (s[i] == '`') { /* a code span: a run of n backticks up to the next run of n */
            size_t run = 0;
            while (i + run < len && s[i + run] == '`')
                run++;
            size_t j = i + run, close = 0;
            while (j < len && !close) {
                if (s[j] != '`') {
                    j++;
                    continue;
                }
                size_t r2 = 0;
                while (j + r2 < len && s[j + r2] == '`')
                    r2++;
                if (r2 == run)
                    close = j + r2;
                j += r2;
            }
            i = close ? close : i + run; /* no closing run: the backticks are just text */
            continue;
        }
        if (s[i] != '@' || (i > 0 && glued((unsigned char)s[i - 1]))) {
            i++;
            continue;
        }
        size_t start = ++i, end = start;
        while (end < len && login_char((unsigned char)s[end]))
            end++;
        i = end;
        if (end < len && s[end] == '@') /* @ana@example.com */
            continue;
        while (end > start && (s[end - 1] == '.' || s[end - 1] == '-'))
            end--;
        if (end == start || end - start > LOGIN_MAX || s[start] == '.' || s[start] == '-')
            continue;
        add(a, head, n, s + start, end - start);
    }
}

/* Returns the number of columns of leading white space of a line (a tab counts 4). */
static int indent_of(const char *line, size_t len, size_t *skip)
{
    int cols = 0;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        cols += line[i++] == '\t' ? 4 - cols % 4 : 1;
    *skip = i;
    return cols;
}

/* Returns the length of the fence (``` or ~~~, 3 or more) that starts s, else 0. */
static size_t fence_len(const char *s, size_t len, char *ch)
{
    if (len < 3 || (s[0] != '`' && s[0] != '~'))
        return 0;
    size_t n = 0;
    while (n < len && s[n] == s[0])
        n++;
    if (n < 3)
        return 0;
    if (s[0] == '`' && memchr(s + n, '`', len - n)) /* a backtick fence's info has none */
        return 0;
    *ch = s[0];
    return n;
}

struct mention *mention_parse(struct arena *a, const char *md)
{
    struct mention *head = NULL;
    int n = 0;
    if (!md)
        return NULL;
    struct buf para;
    buf_init(&para, 0);
    char fence_ch = 0;
    size_t fence = 0;     /* inside a fenced block opened by this many fence characters */
    int after_text = 0;   /* the line before was paragraph text (so indenting continues it) */
    for (const char *p = md; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p), skip;
        const char *next = nl ? nl + 1 : p + len;
        if (len && p[len - 1] == '\r')
            len--;
        int cols = indent_of(p, len, &skip);
        const char *body = p + skip;
        size_t blen = len - skip;
        char ch = 0;
        size_t f = cols < 4 ? fence_len(body, blen, &ch) : 0;
        if (fence) { /* inside a fenced block: only its closing fence matters */
            size_t k = f;
            while (k < blen && body[k] == ' ')
                k++;
            if (f >= fence && ch == fence_ch && k == blen)
                fence = 0;
        } else if (f) {
            fence = f;
            fence_ch = ch;
        } else if (blen == 0 || (cols >= 4 && !after_text)) {
            /* a blank line, or a line of an indented code block */
        } else {
            buf_append(&para, p, len);
            buf_putc(&para, '\n');
            after_text = 1;
            p = next;
            continue;
        }
        after_text = 0;
        scan(a, buf_str(&para), para.len, &head, &n);
        buf_reset(&para);
        p = next;
    }
    scan(a, buf_str(&para), para.len, &head, &n);
    buf_free(&para);
    return head;
}
