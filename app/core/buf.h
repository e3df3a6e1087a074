/* buf: a growable byte buffer with a size cap (after curl's dynbuf). */
#ifndef KEN_BUF_H
#define KEN_BUF_H
#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data;   /* NUL-terminated when non-NULL; owned by the buf until buf_take */
    size_t len;
    size_t cap;
    size_t max;   /* appends that would exceed it set `overflow` and are dropped */
    int overflow;
};

#define BUF_DEFAULT_MAX ((size_t)64 << 20)

/* Initialises an empty buffer; max 0 means BUF_DEFAULT_MAX. Allocates nothing. */
void buf_init(struct buf *b, size_t max);
/* Makes room for `n` more bytes without changing the contents. */
void buf_reserve(struct buf *b, size_t n);
/* Append bytes; return 0, or -1 (and set overflow) when the cap would be passed. Aborts on OOM. */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Returns the contents (never NULL; "" when empty) as a malloc'd string the caller frees;
 * the buf is left empty and reusable. */
char *buf_take(struct buf *b);
/* Returns the contents for reading ("" when empty); owned by the buf. */
const char *buf_str(const struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* Aborts the process with a message; for out-of-memory and broken invariants only. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* malloc/realloc/strdup that abort on failure. */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
