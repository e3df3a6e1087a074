/* utf8: the text check every field from outside passes (request parameters, JSON bodies,
 * imported files). No allocation, no dependencies. */
#ifndef KEN_UTF8_H
#define KEN_UTF8_H
#include <stddef.h>

/* Returns 1 when s (n bytes) is valid UTF-8 with no NUL and no C0 controls other than tab, CR, LF. */
int utf8_valid(const char *s, size_t n);
/* Returns the length of the longest prefix of s (NUL-terminated) that is at most max bytes and
 * ends between characters, for cutting text to a limit without splitting a character. */
size_t utf8_prefix(const char *s, size_t max);

#endif
