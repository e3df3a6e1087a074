#include "search_query.h"
#include "buf.h"

#include <string.h>

/* Word characters: ASCII letters and digits, and every byte of a multi-byte UTF-8 character. */
static int word_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Appends the words of s[0..n) as one FTS5 phrase "w1 w2"; returns the number of words. */
static int put_phrase(struct buf *b, const char *s, size_t n)
{
    int words = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && !word_char((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (i < n && word_char((unsigned char)s[i]))
            i++;
        if (i == start)
            continue;
        buf_puts(b, words ? " " : "\"");
        buf_append(b, s + start, i - start); /* word characters never include '"' */
        words++;
    }
    if (words)
        buf_putc(b, '"');
    return words;
}

static const char *filter_value(struct arena *a, const char *s, size_t n)
{
    char *v = arena_strndup(a, s, n);
    for (char *p = v; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return v;
}

void search_query_parse(struct arena *a, const char *q, struct search_query *out)
{
    memset(out, 0, sizeof *out);
    size_t len = q ? strlen(q) : 0;
    if (len > SEARCH_QUERY_MAX) {
        len = SEARCH_QUERY_MAX;
        while (len && ((unsigned char)q[len] & 0xC0) == 0x80)
            len--;
    }
    struct buf pos, neg;
    buf_init(&pos, 0);
    buf_init(&neg, 0);
    int npos = 0, nneg = 0, pending_or = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r'))
            i++;
        if (i >= len)
            break;
        int negate = 0;
        if (q[i] == '-' && i + 1 < len && (word_char((unsigned char)q[i + 1]) || q[i + 1] == '"')) {
            negate = 1;
            i++;
        }
        struct buf term;
        buf_init(&term, 0);
        int words = 0;
        const char *close = q[i] == '"' ? memchr(q + i + 1, '"', len - i - 1) : NULL;
        if (close) { /* "exact phrase" */
            words = put_phrase(&term, q + i + 1, (size_t)(close - q - i - 1));
            i = (size_t)(close - q) + 1;
        } else {
            size_t start = i;
            while (i < len && q[i] != ' ' && q[i] != '\t' && q[i] != '\n' && q[i] != '\r')
                i++;
            const char *tok = q + start;
            size_t n = i - start;
            const char *colon = memchr(tok, ':', n);
            if (!negate && colon && colon > tok && (size_t)(colon - tok) < n - 1) {
                size_t klen = (size_t)(colon - tok);
                const char *val = colon + 1;
                size_t vlen = n - klen - 1;
                const char **slot = klen == 5 && strncmp(tok, "space", 5) == 0    ? &out->space
                                     : klen == 3 && strncmp(tok, "tag", 3) == 0    ? &out->tag
                                     : klen == 6 && strncmp(tok, "author", 6) == 0 ? &out->author
                                     : klen == 4 && strncmp(tok, "type", 4) == 0   ? &out->type
                                                                                   : NULL;
                if (slot) {
                    *slot = filter_value(a, val, vlen);
                    buf_free(&term);
                    continue;
                }
            }
            if (!negate && n == 2 && strncmp(tok, "OR", 2) == 0) {
                if (npos)
                    pending_or = 1;
                buf_free(&term);
                continue;
            }
            int prefix = n > 1 && tok[n - 1] == '*' && word_char((unsigned char)tok[n - 2]);
            words = put_phrase(&term, tok, prefix ? n - 1 : n);
            if (words && prefix)
                buf_putc(&term, '*');
        }
        if (!words) {
            buf_free(&term);
            continue;
        }
        if (negate) {
            buf_puts(&neg, nneg++ ? " OR " : "");
            buf_append(&neg, term.data, term.len);
        } else {
            /* OR binds tighter than the implied AND, as in web search: "a b OR c" is a (b OR c). */
            if (npos++ && !pending_or)
                buf_puts(&pos, ") AND (");
            else if (pending_or)
                buf_puts(&pos, " OR ");
            buf_append(&pos, term.data, term.len);
            pending_or = 0;
        }
        buf_free(&term);
    }
    if (npos) {
        struct buf fts;
        buf_init(&fts, 0);
        buf_printf(&fts, "(%s)", buf_str(&pos));
        if (nneg)
            buf_printf(&fts, " NOT (%s)", buf_str(&neg));
        out->fts = arena_adopt(a, buf_take(&fts));
    }
    buf_free(&pos);
    buf_free(&neg);
}
