/* md_scan: a linear look at Markdown for the constructs that make Debian 12's cmark-gfm
 * (0.29.0.gfm.6) polynomial, so that they are refused with a reason a writer understands before
 * any parsing starts. Tables are the known ones: every row is padded to the header's width (an
 * 8 KB text became 16 MB of cells), a line that looks like a delimiter row makes cmark re-read the
 * whole paragraph above it, and a row's parse is quadratic in its pipes. The estimates err on the
 * side of counting too much. Pure; allocates nothing. */
#ifndef KEN_MD_SCAN_H
#define KEN_MD_SCAN_H
#include <stddef.h>

enum {
    MD_SCAN_CELLS_MAX = 50000,       /* table cells (rows x header columns) in one text */
    MD_SCAN_REREAD_MAX = 4 << 20,    /* bytes of paragraphs re-read for delimiter-like lines */
    MD_SCAN_PIPES_MAX = 64 << 20,    /* sum over table lines of (pipes in the line) squared */
};

struct md_scan {
    size_t cells, reread, pipes; /* the estimates, against the _MAX above */
};

/* Scans len bytes of md and fills *s. Returns NULL when every estimate is within its maximum,
 * else a sentence saying what to change (static). */
const char *md_scan(const char *md, size_t len, struct md_scan *s);

#endif
