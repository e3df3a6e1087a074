#ifndef KEN_SANITIZE_H
#define KEN_SANITIZE_H

/* The one HTML allowlist sanitiser: every piece of user-supplied HTML (including
 * cmark-gfm output) goes through sanitize_html before it is stored or shown.
 * Thread-safe; needs xmlInitParser() to have been called once by the program. */

#include <stddef.h>

/* Flags for sanitize_html. */
enum { SANITIZE_HEADING_IDS = 1 };

/* Returns safe HTML made from `len` bytes of `html`, as a malloc'd NUL-terminated string the caller
 * frees with free(). Never returns NULL (aborts with a message on out-of-memory). Input need not be
 * valid UTF-8 or well-formed HTML. With SANITIZE_HEADING_IDS, every h1-h6 gets
 * id="slug-of-its-text" (lowercase ascii letters/digits, other runs become '-', trimmed, empty ->
 * "section"; duplicates get -2, -3 ...) plus a child <a class="anchor" href="#slug"
 * aria-hidden="true">#</a> at the end of the heading. */
char *sanitize_html(const char *html, size_t len, unsigned flags);

#endif
