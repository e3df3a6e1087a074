/* Line diffs of revisions, their HTML, and three-way merge of concurrent edits. */
#include "check.h"
#include "markup/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static size_t count_op(const struct diff_line *d, size_t n, enum diff_op op)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += d[i].op == op;
    return c;
}

static int line_is(const struct diff_line *l, enum diff_op op, const char *text, int old_no,
                   int new_no)
{
    return l->op == op && l->len == strlen(text) && memcmp(l->text, text, l->len) == 0 &&
           l->old_no == old_no && l->new_no == new_no;
}

/* Returns "line 1\nline 2\n...": n lines, malloc'd, `tag` in every line. */
static char *numbered(int n, const char *tag)
{
    struct buf b;
    buf_init(&b, 0);
    for (int i = 1; i <= n; i++)
        buf_printf(&b, "%s line %d of the page\n", tag, i);
    return buf_take(&b);
}

static double seconds_since(struct timespec t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static uint32_t rng = 12345;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Returns a random text of `n` one-letter lines (up to -n when n < 0) from `letters` letters. */
static char *random_text(int n, int letters)
{
    if (n < 0) n = (int)(next_rand() % (uint32_t)(1 - n));
    char *s = malloc((size_t)n * 2 + 1);
    for (int i = 0; i < n; i++) {
        s[2 * i] = (char)('a' + next_rand() % (uint32_t)letters);
        s[2 * i + 1] = '\n';
    }
    s[2 * n] = 0;
    return s;
}

/* Length of a longest common subsequence of the lines of two texts of one-letter lines. */
static int lcs_length(const char *a, const char *b)
{
    int na = (int)strlen(a) / 2, nb = (int)strlen(b) / 2;
    int *t = calloc((size_t)(na + 1) * (size_t)(nb + 1), sizeof *t);
    for (int i = na - 1; i >= 0; i--)
        for (int j = nb - 1; j >= 0; j--) {
            int *c = &t[i * (nb + 1) + j];
            if (a[2 * i] == b[2 * j])
                *c = 1 + t[(i + 1) * (nb + 1) + j + 1];
            else
                *c = t[(i + 1) * (nb + 1) + j] > t[i * (nb + 1) + j + 1] ? t[(i + 1) * (nb + 1) + j]
                                                                         : t[i * (nb + 1) + j + 1];
        }
    int r = t[0];
    free(t);
    return r;
}

/* Rebuilds the old (side 0) or new (side 1) text from a script of one-letter lines. */
static char *rebuild(const struct diff_line *d, size_t n, int side)
{
    struct buf b;
    buf_init(&b, 0);
    int no = 0, ok = 1;
    for (size_t i = 0; i < n; i++) {
        if (d[i].op == (side ? DIFF_DEL : DIFF_ADD)) continue;
        ok &= (side ? d[i].new_no : d[i].old_no) == ++no;
        buf_append(&b, d[i].text, d[i].len);
        buf_putc(&b, '\n');
    }
    if (!ok) buf_puts(&b, "(bad line numbers)");
    return buf_take(&b);
}

static void test_lines(struct arena *a)
{
    size_t n;
    struct diff_line *d = diff_lines(a, "one\ntwo\nthree\n", "one\ntwo\nthree\n", &n);
    CHECK(n == 3 && count_op(d, n, DIFF_SAME) == 3);
    CHECK(line_is(&d[2], DIFF_SAME, "three", 3, 3));
    int added, removed;
    diff_stats(d, n, &added, &removed);
    CHECK(added == 0 && removed == 0);

    /* One changed line in 5,000: exactly that line, numbered where it is. */
    char *old = numbered(5000, "same");
    char *new = strdup(old);
    char *at = strstr(new, "same line 2500 ");
    memcpy(at, "SAME", 4);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    d = diff_lines(a, old, new, &n);
    printf("5000 lines, one changed: %.4f s\n", seconds_since(t0));
    diff_stats(d, n, &added, &removed);
    CHECK(added == 1 && removed == 1 && n == 5001);
    CHECK(line_is(&d[2499], DIFF_DEL, "same line 2500 of the page", 2500, 0));
    CHECK(line_is(&d[2500], DIFF_ADD, "SAME line 2500 of the page", 0, 2500));
    CHECK(line_is(&d[2501], DIFF_SAME, "same line 2501 of the page", 2501, 2501));
    free(new);

    d = diff_lines(a, "b\nc\n", "a\nb\nc\n", &n);
    CHECK(n == 3 && line_is(&d[0], DIFF_ADD, "a", 0, 1) && line_is(&d[1], DIFF_SAME, "b", 1, 2));
    d = diff_lines(a, "a\nb\n", "a\nb\nc\n", &n);
    CHECK(n == 3 && line_is(&d[2], DIFF_ADD, "c", 0, 3));
    d = diff_lines(a, "a\nb\n", "", &n);
    CHECK(n == 2 && line_is(&d[0], DIFF_DEL, "a", 1, 0) && line_is(&d[1], DIFF_DEL, "b", 2, 0));
    d = diff_lines(a, "", "x\ny", &n);
    CHECK(n == 2 && line_is(&d[0], DIFF_ADD, "x", 0, 1) && line_is(&d[1], DIFF_ADD, "y", 0, 2));
    d = diff_lines(a, NULL, "", &n);
    CHECK(n == 0);

    /* A last line without '\n' is a line; gaining the newline is not a change. */
    d = diff_lines(a, "a\nb", "a\nb\nc", &n);
    CHECK(n == 3 && line_is(&d[1], DIFF_SAME, "b", 2, 2) && line_is(&d[2], DIFF_ADD, "c", 0, 3));
    d = diff_lines(a, "x", "x\n", &n);
    CHECK(n == 1 && line_is(&d[0], DIFF_SAME, "x", 1, 1));
    d = diff_lines(a, "a\n\n\nb\n", "a\n\nb\n", &n);
    CHECK(n == 4 && count_op(d, n, DIFF_DEL) == 1 && count_op(d, n, DIFF_ADD) == 0);

    /* CRLF lines are lines whose last byte is '\r'. */
    d = diff_lines(a, "a\r\nb\r\n", "a\r\nc\r\n", &n);
    CHECK(n == 3 && line_is(&d[0], DIFF_SAME, "a\r", 1, 1) &&
          line_is(&d[1], DIFF_DEL, "b\r", 2, 0) && line_is(&d[2], DIFF_ADD, "c\r", 0, 2));
    d = diff_lines(a, "a\r\n", "a\n", &n);
    CHECK(n == 2 && count_op(d, n, DIFF_SAME) == 0);

    /* Completely different texts: quick, everything out and everything in. */
    char *other = numbered(5000, "other");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    d = diff_lines(a, old, other, &n);
    printf("5000 lines vs 5000 different lines: %.4f s\n", seconds_since(t0));
    diff_stats(d, n, &added, &removed);
    CHECK(added == 5000 && removed == 5000 && n == 10000);
    free(other);
    free(old);

    /* Texts that share many lines in a scrambled order (the costly case for Myers) still finish;
     * past the work cap the script is cruder but still turns one text into the other. */
    rng = 99;
    for (int lines = 5000; lines <= 20000; lines *= 4) {
        char *x = random_text(lines, 3), *y = random_text(lines, 3);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        d = diff_lines(a, x, y, &n);
        printf("%d scrambled lines vs %d: %.4f s, %zu lines of script\n", lines, lines,
               seconds_since(t0), n);
        char *rx = rebuild(d, n, 0), *ry = rebuild(d, n, 1);
        CHECK(strcmp(rx, x) == 0 && strcmp(ry, y) == 0);
        free(rx), free(ry), free(x), free(y);
    }
}

/* The script always rebuilds both texts and is as short as possible. */
static void test_minimal(struct arena *a)
{
    int bad = 0;
    rng = 2024;
    for (int round = 0; round < 3000 && bad < 5; round++) {
        char *x = random_text(round % 3 ? -12 : -40, 2 + round % 4);
        char *y = random_text(round % 3 ? -12 : -40, 2 + round % 4);
        size_t n;
        struct diff_line *d = diff_lines(a, x, y, &n);
        char *rx = rebuild(d, n, 0), *ry = rebuild(d, n, 1);
        int lcs = lcs_length(x, y);
        if (strcmp(rx, x) || strcmp(ry, y) || (int)count_op(d, n, DIFF_SAME) != lcs) {
            bad++;
            fprintf(stderr, "bad diff of \"%s\" and \"%s\"\n", x, y);
        }
        free(rx), free(ry), free(x), free(y);
    }
    CHECK(bad == 0);
}

static char *html_of(struct arena *a, const char *x, const char *y, int mode, int context)
{
    size_t n;
    struct diff_line *d = diff_lines(a, x, y, &n);
    struct buf b;
    buf_init(&b, 0);
    diff_html(&b, d, n, mode, context);
    return arena_adopt(a, buf_take(&b));
}

static void test_html(struct arena *a)
{
    const char *evil_old = "safe\n<script>alert(1)</script> & co\n";
    const char *evil_new = "safe\n<script>alert(2)</script> & co\n<img src=x onerror=alert(3)>\n";
    for (int mode = 0; mode < 2; mode++) {
        char *h = html_of(a, evil_old, evil_new, mode, 3);
        CHECK(strstr(h, "<script") == NULL && strstr(h, "<img") == NULL);
        CHECK_CONTAINS(h, "&lt;script&gt;");
        CHECK_CONTAINS(h, "&amp; co");
        CHECK(strstr(h, "& co") == NULL);
        CHECK_CONTAINS(h, mode ? "<table class=\"diff diff-sbs\">"
                               : "<table class=\"diff diff-inline\">");
    }

    /* A changed line shows which words changed. */
    const char *fox_old = "title\nthe quick brown fox\nend\n",
               *fox_new = "title\nthe quick red fox\nend\n";
    char *h = html_of(a, fox_old, fox_new, DIFF_INLINE, 3);
    CHECK_CONTAINS(h, "<tr class=\"del\"><td class=\"ln\">2</td><td class=\"ln\"></td>"
                      "<td class=\"text\">the quick <del>brown</del> fox</td></tr>");
    CHECK_CONTAINS(h, "<tr class=\"add\"><td class=\"ln\"></td><td class=\"ln\">2</td>"
                      "<td class=\"text\">the quick <ins>red</ins> fox</td></tr>");
    CHECK_CONTAINS(h, "<tr class=\"same\"><td class=\"ln\">3</td><td class=\"ln\">3</td>");
    h = html_of(a, fox_old, fox_new, DIFF_SIDE_BY_SIDE, 3);
    CHECK_CONTAINS(h,
                   "<tr class=\"change\"><td class=\"ln\">2</td><td class=\"text del\">the quick "
                   "<del>brown</del> fox</td><td class=\"ln\">2</td><td class=\"text add\">the "
                   "quick <ins>red</ins> fox</td></tr>");
    CHECK(strstr(h, "<ins>red</ins> fox</td><td") == NULL); /* no <ins> on the old side */

    /* Words are letters, digits and UTF-8; punctuation and markup around them stay unmarked. */
    h = html_of(a, "Café **au lait** costs 2€.\n", "Café **au chocolat** costs 3€!\n", DIFF_INLINE,
                3);
    CHECK_CONTAINS(h, "Café **au <del>lait</del>** costs <del>2€.</del>");
    CHECK_CONTAINS(h, "Café **au <ins>chocolat</ins>** costs <ins>3€!</ins>");
    /* Lines with nothing in common are not chopped into words. */
    h = html_of(a, "alpha beta\n", "gamma delta\n", DIFF_INLINE, 3);
    CHECK(strstr(h, "<del>") == NULL && strstr(h, "<ins>") == NULL);
    CHECK_CONTAINS(h, "<td class=\"text\">gamma delta</td>");
    /* A deletion with no addition after it, side by side. */
    h = html_of(a, "a\nb\nc\n", "a\nc\n", DIFF_SIDE_BY_SIDE, 3);
    CHECK_CONTAINS(h, "<tr class=\"del\"><td class=\"ln\">2</td><td class=\"text del\">b</td>"
                      "<td class=\"ln\"></td><td class=\"empty\"></td></tr>");
    /* CRLF texts show no stray '\r'. */
    h = html_of(a, "a\r\nb\r\n", "a\r\nc\r\n", DIFF_INLINE, 3);
    CHECK(strchr(h, '\r') == NULL);

    /* Long unchanged runs fold, keeping `context` lines around each change. */
    char *old = numbered(100, "same"), *new = strdup(old);
    memcpy(strstr(new, "same line 50 "), "SAME", 4);
    h = html_of(a, old, new, DIFF_INLINE, 3);
    CHECK_CONTAINS(
        h, "<tr class=\"skip\"><td colspan=\"3\">\xe2\x8b\xaf 46 unchanged lines</td></tr>");
    CHECK_CONTAINS(h, "\xe2\x8b\xaf 47 unchanged lines");
    CHECK_CONTAINS(h, ">47</td><td class=\"ln\">47</td>");
    CHECK(strstr(h, ">46</td><td class=\"ln\">46</td>") == NULL);
    CHECK_CONTAINS(h, ">53</td><td class=\"ln\">53</td>");
    CHECK(strstr(h, ">54</td><td class=\"ln\">54</td>") == NULL);
    h = html_of(a, old, new, DIFF_SIDE_BY_SIDE, 3);
    CHECK_CONTAINS(h, "<td colspan=\"4\">\xe2\x8b\xaf 46 unchanged lines");
    h = html_of(a, old, new, DIFF_INLINE, -1);
    CHECK(strstr(h, "unchanged") == NULL);
    h = html_of(a, old, old, DIFF_INLINE, 3);
    CHECK_CONTAINS(h, "\xe2\x8b\xaf 100 unchanged lines");
    /* A run of exactly 2*context lines between two changes stays. */
    h = html_of(a, "x\n1\n2\n3\n4\n5\n6\ny\n", "X\n1\n2\n3\n4\n5\n6\nY\n", DIFF_INLINE, 3);
    CHECK(strstr(h, "unchanged") == NULL);
    free(old);
    free(new);
}

static int merges_to(const char *base, const char *mine, const char *theirs, const char *want)
{
    char *out = (char *)"unset";
    int rc = diff_merge3(base, mine, theirs, &out);
    int ok = rc == 0 && out && strcmp(out, want) == 0;
    if (!ok)
        fprintf(stderr, "merge gave %d, \"%s\"; wanted \"%s\"\n", rc, out ? out : "(null)", want);
    free(out);
    return ok;
}

static int conflicts(const char *base, const char *mine, const char *theirs)
{
    char *out = (char *)"unset";
    int rc = diff_merge3(base, mine, theirs, &out);
    int ok = rc > 0 && out == NULL;
    if (!ok)
        fprintf(stderr, "merge gave %d, \"%s\"; wanted a conflict\n", rc, out ? out : "(null)");
    if (out) free(out);
    return ok ? rc : 0;
}

static void test_merge(void)
{
    /* Edits far apart both survive. */
    char *base = numbered(50, "base"), *mine = strdup(base), *theirs = strdup(base);
    memcpy(strstr(mine, "base line 2 "), "MINE", 4);
    memcpy(strstr(theirs, "base line 40 "), "THEM", 4);
    char *out = NULL;
    CHECK(diff_merge3(base, mine, theirs, &out) == 0);
    CHECK_CONTAINS(out, "MINE line 2 of the page\nbase line 3 ");
    CHECK_CONTAINS(out, "THEM line 40 of the page\nbase line 41 ");
    CHECK(out && strlen(out) == strlen(base));
    free(out);
    /* Both changing one line differently conflicts. */
    memcpy(strstr(theirs, "base line 2 "), "THEM", 4);
    CHECK(conflicts(base, mine, theirs) == 1);
    free(base), free(mine), free(theirs);

    const char *b = "a\nb\nc\nd\ne\nf\ng\n";
    CHECK(merges_to(b, "a\nB\nc\nd\ne\nf\ng\n", "a\nB\nc\nd\ne\nf\ng\n", "a\nB\nc\nd\ne\nf\ng\n"));
    CHECK(merges_to(b, "a\nb\nc\nd\ne\nF\ng\n", "a\nb\nc\nd\ne\nF\ng\n", "a\nb\nc\nd\ne\nF\ng\n"));
    CHECK(merges_to(b, "a\nb\nnew\nc\nd\ne\nf\ng\n", "a\nb\nc\nd\ne\ng\n",
                    "a\nb\nnew\nc\nd\ne\ng\n"));
    CHECK(merges_to(b, "a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nd\ne\nf\ng\nh\n",
                    "a\nb\nc\nd\ne\nf\ng\nh\n"));
    CHECK(merges_to(b, "top\na\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nd\ne\nf\ng\nend\n",
                    "top\na\nb\nc\nd\ne\nf\ng\nend\n"));
    CHECK(merges_to(b, b, b, b));
    CHECK(merges_to("", "", "", ""));
    CHECK(merges_to("", "new page\n", "", "new page\n"));
    CHECK(conflicts(b, "a\nb\nc\nd\ne\nf\ng\nmine\n", "a\nb\nc\nd\ne\nf\ng\ntheirs\n") == 1);
    CHECK(conflicts(b, "a\nB\nC\nd\ne\nf\ng\n", "a\nb\nX\nd\ne\nf\ng\n") == 1);
    /* Neighbouring lines and an insertion beside an edited line conflict too. */
    CHECK(conflicts(b, "a\nB\nc\nd\ne\nf\ng\n", "a\nb\nC\nd\ne\nf\ng\n") == 1);
    CHECK(conflicts(b, "a\nb\nnew\nc\nd\ne\nf\ng\n", "a\nb\nC\nd\ne\nf\ng\n") == 1);
    CHECK(conflicts(b, "A\nb\nc\nd\ne\nf\nG\n", "a2\nb\nc\nd\ne\nf\ng2\n") == 2);
    CHECK(conflicts("", "mine\n", "theirs\n") == 1);

    /* The final newline follows whoever changed it. */
    CHECK(merges_to("a\nb\nc", "A\nb\nc", "a\nb\nc\n", "A\nb\nc\n"));
    CHECK(merges_to("a\nb\nc\n", "A\nb\nc\n", "a\nb\nc", "A\nb\nc"));
    CHECK(merges_to("a\nb\nc\nd", "a\nb\nc\nd\ne", "A\nb\nc\nd", "A\nb\nc\nd\ne"));
    CHECK(merges_to("a\nb\nc\nd\n", "a\nb\nc\nd\ne\n", "A\nb\nc\nd\n", "A\nb\nc\nd\ne\n"));
    /* CRLF texts merge as lines ending in '\r'. */
    CHECK(merges_to("a\r\nb\r\nc\r\nd\r\n", "A\r\nb\r\nc\r\nd\r\n", "a\r\nb\r\nc\r\nD\r\n",
                    "A\r\nb\r\nc\r\nD\r\n"));
}

/* The chunks a person resolves a conflict from: agreed text keeps both sides' other changes. */
static void test_merge_chunks(struct arena *a)
{
    const char *base = "title\nintro\nstep one\nstep two\nmiddle\nend\n";
    const char *mine = "title\nIntro, mine\nstep one\nstep 2 (mine)\nmiddle\nend\n";
    const char *theirs = "title\nintro\nstep one\nstep 2 (theirs)\nmiddle\nEND\n";
    size_t n = 0;
    int conflicts = -1;
    struct merge_chunk *c = diff_merge3_chunks(a, base, mine, theirs, &n, &conflicts);
    CHECK(conflicts == 1);
    CHECK(n == 3);
    CHECK(n == 3 && !c[0].conflict && strcmp(c[0].mine, "title\nIntro, mine\nstep one\n") == 0);
    CHECK(n == 3 && c[1].conflict && strcmp(c[1].mine, "step 2 (mine)\n") == 0 &&
          strcmp(c[1].theirs, "step 2 (theirs)\n") == 0 && strcmp(c[1].base, "step two\n") == 0);
    CHECK(n == 3 && !c[2].conflict && strcmp(c[2].mine, "middle\nEND\n") == 0);
    /* No conflict: one agreed chunk, the text diff_merge3 makes. */
    c = diff_merge3_chunks(a, base, mine, base, &n, &conflicts);
    CHECK(conflicts == 0 && n == 1 && strcmp(c[0].mine, mine) == 0);
    /* A conflict at the very start and one at the end, nothing agreed around them. */
    c = diff_merge3_chunks(a, "a\n", "b\n", "c\n", &n, &conflicts);
    CHECK(conflicts == 1 && n == 1 && c[0].conflict && strcmp(c[0].base, "a\n") == 0);
    c = diff_merge3_chunks(a, "", "", "", &n, &conflicts);
    CHECK(conflicts == 0 && n == 0);
    /* A deletion against an edit: one side of the conflict is empty. */
    c = diff_merge3_chunks(a, "a\nb\nc\n", "a\nc\n", "a\nB\nc\n", &n, &conflicts);
    CHECK(conflicts == 1 && n == 3 && strcmp(c[1].mine, "") == 0 && strcmp(c[1].theirs, "B\n") == 0);
}

/* Issue 15: a 0.6 MB change of short lines became a 54 MB diff page: the rows stop after
 * DIFF_HTML_MAX bytes with a row that says so, in both modes. */
static void test_html_bounded(struct arena *a)
{
    enum { LINES = 300000 };
    char *x = arena_alloc(a, 2 * LINES + 1), *y = arena_alloc(a, 2 * LINES + 1);
    for (int i = 0; i < LINES; i++)
        memcpy(x + 2 * i, "a\n", 2), memcpy(y + 2 * i, "b\n", 2);
    x[2 * LINES] = y[2 * LINES] = 0;
    for (int mode = 0; mode < 2; mode++) {
        const char *h = html_of(a, x, y, mode, 3);
        CHECK(strlen(h) < DIFF_HTML_MAX + 4096);
        CHECK(strstr(h, "The difference is too large to show in full (300000 lines added, "
                        "300000 removed in all)") != NULL);
        CHECK_CONTAINS(h, "</table>");
    }
    /* An ordinary change is shown whole. */
    CHECK(!strstr(html_of(a, "a\nb\n", "a\nc\n", DIFF_INLINE, 3), "too large"));
}

int main(void)
{
    struct arena *a = arena_new();
    test_merge_chunks(a);
    test_html_bounded(a);
    test_lines(a);
    test_minimal(a);
    test_html(a);
    test_merge();
    arena_free(a);
    DONE();
}
