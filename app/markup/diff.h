/* diff: line differences between two revisions, their HTML rendering, and three-way merge.
 * Pure functions: no I/O, no globals; safe to call from any thread. */
#ifndef KEN_DIFF_H
#define KEN_DIFF_H
#include "core/arena.h"
#include "core/buf.h"
#include <stddef.h>

enum diff_op { DIFF_SAME, DIFF_DEL, DIFF_ADD };

struct diff_line {
    enum diff_op op;
    const char *text;   /* points into the `a` (SAME, DEL) or `b` (ADD) given to diff_lines */
    size_t len;         /* without the '\n' */
    int old_no, new_no; /* 1-based, 0 when absent */
};

/* Returns the edit script from a to b (NULL counts as "") as an array in `ar`, *n entries; the
 * texts are not copied, so a and b must outlive the result. Lines are split on '\n' (a '\r'
 * before it is part of the line); a final line without '\n' counts, and a missing final newline
 * is not a difference ("x" and "x\n" are one SAME line). Within a change, deletions come before
 * additions. Minimal (Myers), but when the work would pass a cap (about 16 million steps, e.g.
 * two long texts that have many scattered lines in common yet are mostly different) the part
 * between the common first and last lines is given as all deleted, then all added. */
struct diff_line *diff_lines(struct arena *ar, const char *a, const char *b, size_t *n);
/* Counts the added and removed lines of a script. */
void diff_stats(const struct diff_line *d, size_t n, int *added, int *removed);

enum { DIFF_INLINE = 0, DIFF_SIDE_BY_SIDE = 1 };
/* Past about this many bytes of rows, diff_html stops (see below). */
enum { DIFF_HTML_MAX = 2 << 20 };
/* Appends <table class="diff diff-inline"> or <table class="diff diff-sbs"> to b; all text goes
 * through html_escape. Rows: tr.same / tr.del / tr.add (side by side also tr.change: a deleted
 * line on the left beside its replacement on the right); cells td.ln (line number, empty when
 * absent), td.text (plus .del/.add in side by side) and td.empty (the missing side). Unchanged
 * runs longer than 2*context lines keep `context` lines at each end and the rest becomes
 * <tr class="skip"><td colspan=..>⋯ N unchanged lines</td></tr> (runs at the start or end of the
 * text keep only the side next to a change); context < 0 shows everything. A deleted line paired
 * with an added one (the i-th of a block of deletions with the i-th of the additions that follow)
 * has its changed words in <del>/<ins>, unless the two lines share less than a third of their
 * text. A trailing '\r' is not shown. Once the rows pass DIFF_HTML_MAX bytes, the rest of the
 * table is one <tr class="skip"> saying the difference is too large to show in full, with the
 * counts of lines added and removed in all. */
void diff_html(struct buf *b, const struct diff_line *d, size_t n, int mode, int context);

/* Three-way merge of concurrent edits: base = the revision both started from, mine = the text
 * being saved, theirs = the revision saved meanwhile (NULL counts as ""). Returns 0 and sets *out
 * to the merged text (malloc'd, the caller frees) when the changes touch different lines;
 * identical changes on both sides are taken once. Changes that overlap, touch neighbouring
 * lines, or insert different text at the same place conflict: returns the number of conflicting
 * hunks (> 0) and sets *out to NULL. The final newline is taken from whichever side changed it,
 * else kept as in base. Lines compare byte for byte: normalise line endings (CRLF) first. */
int diff_merge3(const char *base, const char *mine, const char *theirs, char **out);

/* One piece of a three-way merge, for a person to resolve: agreed text (both sides' changes
 * applied, or none) or a conflict. Each text is whole lines, each ending in '\n' ("" for none). */
struct merge_chunk {
    int conflict;                     /* 0: agreed; mine == theirs == base is the merged text */
    const char *mine, *theirs, *base; /* a conflict: the lines of each side and of the base */
};
/* Returns the merge of base, mine and theirs (as diff_merge3 would merge them) as chunks in ar,
 * in order; *n gets how many, *conflicts how many are conflicts. Agreed chunks never follow one
 * another. Joining the agreed texts with one side of each conflict gives that side's resolution.
 * Returns NULL (*n 0) for three empty texts. */
struct merge_chunk *diff_merge3_chunks(struct arena *ar, const char *base, const char *mine,
                                       const char *theirs, size_t *n, int *conflicts);

#endif
