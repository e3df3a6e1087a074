#include "markup/diff.h"
#include "markup/html.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A run of bytes being compared: a line (without its '\n') or a word. */
struct tok {
    const char *p;
    size_t len;
};

/* Work caps in Myers steps (diagonals tried plus matching elements followed). Lines: enough for
 * any real pair of revisions, and well under a second; words: one changed line's worth. */
enum { LINE_WORK_MAX = 1 << 24, WORD_WORK_MAX = 1 << 18 };

/* Returns zeroed memory (malloc'd, caller frees); aborts on OOM. */
static void *zalloc(size_t n)
{
    void *p = xmalloc(n);
    memset(p, 0, n ? n : 1);
    return p;
}

/* Returns the lines of s (no '\n' in them) as a malloc'd array of *n; the caller frees. */
static struct tok *split_lines(const char *s, int *n)
{
    size_t len = strlen(s), count = 0;
    for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s))); p++)
        count++;
    if (len && s[len - 1] != '\n') count++;
    if (count > INT_MAX / 4) die("diff: a text of %zu lines is too long", count);
    struct tok *t = xmalloc(count * sizeof *t);
    const char *p = s, *end = s + len;
    for (size_t k = 0; k < count; k++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        t[k].p = p;
        t[k].len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        p = nl ? nl + 1 : end;
    }
    *n = (int)count;
    return t;
}

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Returns the words of s[0..len): runs of letters, digits and non-ASCII (UTF-8) bytes, and every
 * other byte on its own; a malloc'd array of *n that the caller frees. */
static struct tok *split_words(const char *s, size_t len, int *n)
{
    struct tok *t = xmalloc(len * sizeof *t);
    int k = 0;
    for (size_t i = 0; i < len;) {
        size_t j = i + 1;
        if (word_byte((unsigned char)s[i]))
            while (j < len && word_byte((unsigned char)s[j]))
                j++;
        t[k].p = s + i;
        t[k++].len = j - i;
        i = j;
    }
    *n = k;
    return t;
}

static uint64_t tok_hash(const struct tok *t)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < t->len; i++)
        h = (h ^ (unsigned char)t->p[i]) * 1099511628211u;
    return h;
}

/* Gives equal tokens of ta and tb the same id, numbered densely from 0, in ida and idb.
 * Returns the number of distinct ids. */
static int intern(const struct tok *ta, int na, const struct tok *tb, int nb, int *ida, int *idb)
{
    size_t total = (size_t)na + (size_t)nb, size = 16;
    while (size < 2 * total)
        size *= 2;
    int *slot = xmalloc(size * sizeof *slot);
    memset(slot, 0xff, size * sizeof *slot); /* -1: empty */
    const struct tok **rep = xmalloc(total * sizeof *rep);
    uint64_t *rep_hash = xmalloc(total * sizeof *rep_hash);
    int nids = 0;
    for (int side = 0; side < 2; side++) {
        const struct tok *t = side ? tb : ta;
        int *ids = side ? idb : ida;
        for (int i = 0, n = side ? nb : na; i < n; i++) {
            uint64_t h = tok_hash(&t[i]);
            size_t pos = (size_t)h & (size - 1);
            int id;
            while ((id = slot[pos]) >= 0) {
                if (rep_hash[id] == h && rep[id]->len == t[i].len &&
                    memcmp(rep[id]->p, t[i].p, t[i].len) == 0)
                    break;
                pos = (pos + 1) & (size - 1);
            }
            if (id < 0) {
                id = slot[pos] = nids++;
                rep[id] = &t[i];
                rep_hash[id] = h;
            }
            ids[i] = id;
        }
    }
    free(slot);
    free(rep);
    free(rep_hash);
    return nids;
}

/* The state of one linear-space Myers diff (Myers 1986, section 4b) over id sequences a and b. */
struct myers {
    const int *a, *b;
    char *ca, *cb; /* set to 1 for elements outside the common subsequence */
    int *vf, *vb;  /* furthest i per diagonal k = i - j, forward and backward; index from -(nb+1) */
    long work;     /* steps left before giving up */
};

/* Finds a middle snake of a[off1..lim1) and b[off2..lim2), both non-empty and differing in
 * their first and last elements: a point (*si, *sj) on a shortest edit path that splits it into
 * two problems of about half the edit distance. Returns 0, or -1 when the work ran out. */
static int myers_split(struct myers *m, int off1, int lim1, int off2, int lim2, int *si, int *sj)
{
    const int *a = m->a, *b = m->b;
    int *vf = m->vf, *vb = m->vb;
    int kmin = off1 - lim2, kmax = lim1 - off2;
    int fmid = off1 - off2, bmid = lim1 - lim2, odd = (fmid - bmid) & 1;
    int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    vf[fmid] = off1;
    vb[bmid] = lim1;
    for (;;) {
        /* One more edit forward on every diagonal in reach; sentinels outside the range. */
        if (fmin > kmin)
            vf[--fmin - 1] = -1;
        else
            fmin++;
        if (fmax < kmax)
            vf[++fmax + 1] = -1;
        else
            fmax--;
        for (int k = fmax; k >= fmin; k -= 2) {
            int i = vf[k - 1] >= vf[k + 1] ? vf[k - 1] + 1 : vf[k + 1], i0 = i, j = i - k;
            while (i < lim1 && j < lim2 && a[i] == b[j])
                i++, j++;
            m->work -= 1 + (i - i0);
            vf[k] = i;
            if (odd && k >= bmin && k <= bmax && vb[k] <= i) {
                *si = i;
                *sj = j;
                return 0;
            }
        }
        /* And one more backward. */
        if (bmin > kmin)
            vb[--bmin - 1] = INT_MAX;
        else
            bmin++;
        if (bmax < kmax)
            vb[++bmax + 1] = INT_MAX;
        else
            bmax--;
        for (int k = bmax; k >= bmin; k -= 2) {
            int i = vb[k - 1] < vb[k + 1] ? vb[k - 1] : vb[k + 1] - 1, i0 = i, j = i - k;
            while (i > off1 && j > off2 && a[i - 1] == b[j - 1])
                i--, j--;
            m->work -= 1 + (i0 - i);
            vb[k] = i;
            if (!odd && k >= fmin && k <= fmax && i <= vf[k]) {
                *si = i;
                *sj = j;
                return 0;
            }
        }
        if (m->work < 0) return -1;
    }
}

/* Marks the differences between a[off1..lim1) and b[off2..lim2). Returns 0, or -1 when the work
 * ran out (the marks are then incomplete). The depth is about log2 of the edit distance. */
static int myers_mark(struct myers *m, int off1, int lim1, int off2, int lim2)
{
    while (off1 < lim1 && off2 < lim2 && m->a[off1] == m->b[off2])
        off1++, off2++;
    while (off1 < lim1 && off2 < lim2 && m->a[lim1 - 1] == m->b[lim2 - 1])
        lim1--, lim2--;
    if (off1 == lim1 || off2 == lim2) {
        memset(m->ca + off1, 1, (size_t)(lim1 - off1));
        memset(m->cb + off2, 1, (size_t)(lim2 - off2));
        return 0;
    }
    int si, sj;
    if (myers_split(m, off1, lim1, off2, lim2, &si, &sj) < 0) return -1;
    if ((si == off1 && sj == off2) || (si == lim1 && sj == lim2))
        die("diff: middle snake at a corner"); /* cannot happen; would loop forever */
    if (myers_mark(m, off1, si, off2, sj) < 0) return -1;
    return myers_mark(m, si, lim1, sj, lim2);
}

/* Marks in ca/cb (zeroed, na and nb long) the ids of a and b outside a longest common
 * subsequence. Returns 0, or -1 when more than `work` steps were needed: then everything between
 * the common prefix and suffix is marked. */
static int ids_mark(const int *a, int na, const int *b, int nb, int nids, long work, char *ca,
                    char *cb)
{
    int pre = 0, suf = 0;
    while (pre < na && pre < nb && a[pre] == b[pre])
        pre++;
    while (suf < na - pre && suf < nb - pre && a[na - 1 - suf] == b[nb - 1 - suf])
        suf++;
    int enda = na - suf, endb = nb - suf;
    /* An element that never occurs on the other side is always a change; leaving those out first
     * makes texts that share little cheap to compare. */
    char *in_a = zalloc((size_t)nids), *in_b = zalloc((size_t)nids);
    for (int i = pre; i < enda; i++)
        in_a[a[i]] = 1;
    for (int j = pre; j < endb; j++)
        in_b[b[j]] = 1;
    int *ra = xmalloc((size_t)(enda - pre) * sizeof *ra),
        *mapa = xmalloc((size_t)(enda - pre) * sizeof *mapa);
    int *rb = xmalloc((size_t)(endb - pre) * sizeof *rb),
        *mapb = xmalloc((size_t)(endb - pre) * sizeof *mapb);
    int nra = 0, nrb = 0;
    for (int i = pre; i < enda; i++) {
        if (!in_b[a[i]])
            ca[i] = 1;
        else
            ra[nra] = a[i], mapa[nra++] = i;
    }
    for (int j = pre; j < endb; j++) {
        if (!in_a[b[j]])
            cb[j] = 1;
        else
            rb[nrb] = b[j], mapb[nrb++] = j;
    }
    int *v = xmalloc(2 * ((size_t)nra + (size_t)nrb + 3) * sizeof *v);
    struct myers m = {
        ra,  rb, zalloc((size_t)nra), zalloc((size_t)nrb), v + nrb + 1, v + nra + nrb + 3 + nrb + 1,
        work};
    int rc = myers_mark(&m, 0, nra, 0, nrb);
    if (rc == 0) {
        for (int k = 0; k < nra; k++)
            ca[mapa[k]] = m.ca[k];
        for (int k = 0; k < nrb; k++)
            cb[mapb[k]] = m.cb[k];
    } else {
        memset(ca + pre, 1, (size_t)(enda - pre));
        memset(cb + pre, 1, (size_t)(endb - pre));
    }
    free(in_a);
    free(in_b);
    free(ra);
    free(rb);
    free(mapa);
    free(mapb);
    free(v);
    free(m.ca);
    free(m.cb);
    return rc;
}

/* Returns ca and cb (malloc'd, na and nb long, the caller frees) marking the tokens of ta and tb
 * outside a longest common subsequence; *rc is ids_mark's result. */
static void toks_mark(const struct tok *ta, int na, const struct tok *tb, int nb, long work,
                      char **ca, char **cb, int *rc)
{
    int *ida = xmalloc((size_t)na * sizeof *ida), *idb = xmalloc((size_t)nb * sizeof *idb);
    int nids = intern(ta, na, tb, nb, ida, idb);
    *ca = zalloc((size_t)na);
    *cb = zalloc((size_t)nb);
    *rc = ids_mark(ida, na, idb, nb, nids, work, *ca, *cb);
    free(ida);
    free(idb);
}

struct diff_line *diff_lines(struct arena *ar, const char *a, const char *b, size_t *n)
{
    int na, nb, rc;
    struct tok *ta = split_lines(a ? a : "", &na), *tb = split_lines(b ? b : "", &nb);
    char *ca, *cb;
    toks_mark(ta, na, tb, nb, LINE_WORK_MAX, &ca, &cb, &rc);
    size_t total = (size_t)na;
    for (int j = 0; j < nb; j++)
        total += (size_t)cb[j];
    struct diff_line *d = arena_alloc(ar, (total ? total : 1) * sizeof *d);
    size_t k = 0;
    int i = 0, j = 0;
    while (i < na || j < nb) {
        if (i < na && j < nb && !ca[i] && !cb[j]) {
            d[k++] = (struct diff_line){DIFF_SAME, ta[i].p, ta[i].len, i + 1, j + 1};
            i++, j++;
            continue;
        }
        size_t k0 = k;
        for (; i < na && ca[i] && k < total; i++)
            d[k++] = (struct diff_line){DIFF_DEL, ta[i].p, ta[i].len, i + 1, 0};
        for (; j < nb && cb[j] && k < total; j++)
            d[k++] = (struct diff_line){DIFF_ADD, tb[j].p, tb[j].len, 0, j + 1};
        if (k == k0) die("diff: inconsistent edit script");
    }
    free(ta);
    free(tb);
    free(ca);
    free(cb);
    *n = k;
    return d;
}

void diff_stats(const struct diff_line *d, size_t n, int *added, int *removed)
{
    *added = *removed = 0;
    for (size_t i = 0; i < n; i++) {
        *added += d[i].op == DIFF_ADD;
        *removed += d[i].op == DIFF_DEL;
    }
}

/* The length of a line as shown: without the '\r' of a CRLF line. */
static size_t shown_len(const struct diff_line *l)
{
    return l->len && l->text[l->len - 1] == '\r' ? l->len - 1 : l->len;
}

/* Appends one side of a changed line (side 0: old, 1: new), its words missing from the other side
 * wrapped in <del> (old) or <ins> (new); plain when the lines have little in common. */
static void html_words(struct buf *b, const struct diff_line *old, const struct diff_line *new,
                       int side)
{
    size_t lo = shown_len(old), ln = shown_len(new);
    int na, nb, rc;
    struct tok *ta = split_words(old->text, lo, &na), *tb = split_words(new->text, ln, &nb);
    char *ca, *cb;
    toks_mark(ta, na, tb, nb, WORD_WORK_MAX, &ca, &cb, &rc);
    size_t common = 0;
    for (int i = 0; i < na; i++)
        common += ca[i] ? 0 : ta[i].len;
    const struct tok *t = side ? tb : ta;
    const char *c = side ? cb : ca, *tag = side ? "ins>" : "del>";
    int nt = side ? nb : na, open = 0;
    if (rc < 0 || common * 3 < (lo > ln ? lo : ln)) {
        html_escape(b, side ? new->text : old->text, side ? ln : lo);
    } else {
        for (int i = 0; i < nt; i++) {
            if (c[i] != open) {
                buf_puts(b, open ? "</" : "<");
                buf_puts(b, tag);
                open = c[i];
            }
            html_escape(b, t[i].p, t[i].len);
        }
        if (open) {
            buf_puts(b, "</");
            buf_puts(b, tag);
        }
    }
    free(ta);
    free(tb);
    free(ca);
    free(cb);
}

static void cell_ln(struct buf *b, int no)
{
    if (no)
        buf_printf(b, "<td class=\"ln\">%d</td>", no);
    else
        buf_puts(b, "<td class=\"ln\"></td>");
}

/* Appends a text cell for l; `pair` is the line on the other side of a change, or NULL. */
static void cell_text(struct buf *b, const char *cls, const struct diff_line *l,
                      const struct diff_line *pair)
{
    buf_printf(b, "<td class=\"%s\">", cls);
    if (!pair)
        html_escape(b, l->text, shown_len(l));
    else if (l->op == DIFF_ADD)
        html_words(b, pair, l, 1);
    else
        html_words(b, l, pair, 0);
    buf_puts(b, "</td>");
}

static const char *const op_class[] = {"same", "del", "add"};

static void row_inline(struct buf *b, const struct diff_line *l, const struct diff_line *pair)
{
    buf_printf(b, "<tr class=\"%s\">", op_class[l->op]);
    cell_ln(b, l->old_no);
    cell_ln(b, l->new_no);
    cell_text(b, "text", l, pair);
    buf_puts(b, "</tr>\n");
}

/* One side-by-side row: `left` (deleted or same) and/or `right` (added), NULL when absent;
 * paired words are marked when both are there. */
static void row_sbs(struct buf *b, const struct diff_line *left, const struct diff_line *right)
{
    if (left && left->op == DIFF_SAME) {
        buf_puts(b, "<tr class=\"same\">");
        cell_ln(b, left->old_no);
        cell_text(b, "text", left, NULL);
        cell_ln(b, left->new_no);
        cell_text(b, "text", left, NULL);
        buf_puts(b, "</tr>\n");
        return;
    }
    buf_printf(b, "<tr class=\"%s\">", left && right ? "change" : left ? "del" : "add");
    if (left) {
        cell_ln(b, left->old_no);
        cell_text(b, "text del", left, right);
    } else {
        buf_puts(b, "<td class=\"ln\"></td><td class=\"empty\"></td>");
    }
    if (right) {
        cell_ln(b, right->new_no);
        cell_text(b, "text add", right, left);
    } else {
        buf_puts(b, "<td class=\"ln\"></td><td class=\"empty\"></td>");
    }
    buf_puts(b, "</tr>\n");
}

static void row_same(struct buf *b, const struct diff_line *l, int sbs)
{
    if (sbs)
        row_sbs(b, l, NULL);
    else
        row_inline(b, l, NULL);
}

/* Appends the unchanged lines d[s..e) of a script of n, collapsing all but `context` lines next
 * to each neighbouring change. */
static void html_same_run(struct buf *b, const struct diff_line *d, size_t s, size_t e, size_t n,
                          int sbs, int context, size_t stop)
{
    size_t keep_head = s == 0 ? 0 : (size_t)context, keep_tail = e == n ? 0 : (size_t)context;
    if (context < 0 || keep_head + keep_tail >= e - s) {
        for (size_t i = s; i < e && b->len < stop; i++)
            row_same(b, &d[i], sbs);
        return;
    }
    for (size_t i = s; i < s + keep_head; i++)
        row_same(b, &d[i], sbs);
    size_t hidden = e - s - keep_head - keep_tail;
    buf_printf(
        b, "<tr class=\"skip\"><td colspan=\"%d\">\xe2\x8b\xaf %zu unchanged line%s</td></tr>\n",
        sbs ? 4 : 3, hidden, hidden == 1 ? "" : "s");
    for (size_t i = e - keep_tail; i < e; i++)
        row_same(b, &d[i], sbs);
}

/* Appends a change: deletions del[0..ndel) then additions add[0..nadd); the i-th of each pair. */
static void html_change(struct buf *b, const struct diff_line *del, size_t ndel,
                        const struct diff_line *add, size_t nadd, int sbs, size_t stop)
{
    if (sbs) {
        for (size_t i = 0; (i < ndel || i < nadd) && b->len < stop; i++)
            row_sbs(b, i < ndel ? &del[i] : NULL, i < nadd ? &add[i] : NULL);
        return;
    }
    for (size_t i = 0; i < ndel && b->len < stop; i++)
        row_inline(b, &del[i], i < nadd ? &add[i] : NULL);
    for (size_t i = 0; i < nadd && b->len < stop; i++)
        row_inline(b, &add[i], i < ndel ? &del[i] : NULL);
}

void diff_html(struct buf *b, const struct diff_line *d, size_t n, int mode, int context)
{
    int sbs = mode == DIFF_SIDE_BY_SIDE;
    size_t stop = b->len + DIFF_HTML_MAX;
    buf_puts(b, sbs ? "<table class=\"diff diff-sbs\">\n" : "<table class=\"diff diff-inline\">\n");
    for (size_t i = 0; i < n && b->len < stop;) {
        size_t e = i;
        if (d[i].op == DIFF_SAME) {
            while (e < n && d[e].op == DIFF_SAME)
                e++;
            html_same_run(b, d, i, e, n, sbs, context, stop);
        } else {
            while (e < n && d[e].op == DIFF_DEL)
                e++;
            size_t k = e;
            while (e < n && d[e].op == DIFF_ADD)
                e++;
            html_change(b, d + i, k - i, d + k, e - k, sbs, stop);
        }
        i = e;
    }
    if (b->len >= stop) {
        /* Each line costs a row of markup (a 0.6 MB change made a 54 MB page): stopped. */
        int added, removed;
        diff_stats(d, n, &added, &removed);
        buf_printf(b, "<tr class=\"skip\"><td colspan=\"%d\">\xe2\x8b\xaf The difference is too "
                      "large to show in full (%d lines added, %d removed in all); the rest is not "
                      "shown.</td></tr>\n", sbs ? 4 : 3, added, removed);
    }
    buf_puts(b, "</table>\n");
}

/* One side's change relative to base: base lines [bs, be) become add[0..nadd). */
struct hunk {
    int bs, be;
    const struct diff_line *add;
    int nadd;
};

/* Returns the hunks of script d as a malloc'd array of *nh; the caller frees. */
static struct hunk *hunks_of(const struct diff_line *d, size_t n, int *nh)
{
    struct hunk *h = xmalloc((n ? n : 1) * sizeof *h);
    int k = 0, pos = 0;
    for (size_t i = 0; i < n;) {
        if (d[i].op == DIFF_SAME) {
            pos++, i++;
            continue;
        }
        struct hunk *x = &h[k++];
        x->bs = pos;
        for (; i < n && d[i].op == DIFF_DEL; i++)
            pos++;
        x->be = pos;
        x->add = d + i;
        for (x->nadd = 0; i < n && d[i].op == DIFF_ADD; i++)
            x->nadd++;
    }
    *nh = k;
    return h;
}

/* A growable list of lines (malloc'd). */
struct lines {
    struct tok *t;
    size_t n, cap;
};

static void lines_push(struct lines *l, const char *p, size_t len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->t = xrealloc(l->t, l->cap * sizeof *l->t);
    }
    l->t[l->n++] = (struct tok){p, len};
}

/* Appends to out the base lines [s, e) with the hunks h[0..nh) (all inside it) applied. */
static void apply_hunks(struct lines *out, const struct tok *base, int s, int e,
                        const struct hunk *h, int nh)
{
    for (int i = 0; i < nh; i++) {
        for (; s < h[i].bs; s++)
            lines_push(out, base[s].p, base[s].len);
        for (int k = 0; k < h[i].nadd; k++)
            lines_push(out, h[i].add[k].text, h[i].add[k].len);
        s = h[i].be;
    }
    for (; s < e; s++)
        lines_push(out, base[s].p, base[s].len);
}

static int same_lines(const struct lines *x, const struct lines *y)
{
    if (x->n != y->n) return 0;
    for (size_t i = 0; i < x->n; i++)
        if (x->t[i].len != y->t[i].len || memcmp(x->t[i].p, y->t[i].p, x->t[i].len) != 0) return 0;
    return 1;
}

static int ends_in_newline(const char *s)
{
    size_t n = strlen(s);
    return n && s[n - 1] == '\n';
}

/* The chunks diff_merge3_chunks collects while merge_hunks runs: `flushed` is how many lines of
 * the merged output are already in a chunk. */
struct chunk_sink {
    struct arena *ar;
    struct merge_chunk *c;
    size_t n, cap, flushed;
};

/* Returns lines t[0..n) as one string, each line ending in '\n', in ar. */
static const char *join_lines(struct arena *ar, const struct tok *t, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += t[i].len + 1;
    char *s = arena_alloc(ar, len + 1), *p = s;
    for (size_t i = 0; i < n; i++) {
        memcpy(p, t[i].p, t[i].len);
        p += t[i].len;
        *p++ = '\n';
    }
    *p = 0;
    return s;
}

static struct merge_chunk *sink_add(struct chunk_sink *k)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 16;
        struct merge_chunk *c = arena_alloc(k->ar, cap * sizeof *c);
        if (k->n)
            memcpy(c, k->c, k->n * sizeof *c);
        k->c = c, k->cap = cap;
    }
    struct merge_chunk *c = &k->c[k->n++];
    memset(c, 0, sizeof *c);
    return c;
}

/* Makes the merged lines not yet in a chunk an agreed chunk. */
static void sink_flush(struct chunk_sink *k, const struct lines *out)
{
    if (!k || out->n == k->flushed)
        return;
    struct merge_chunk *c = sink_add(k);
    c->mine = c->theirs = c->base = join_lines(k->ar, out->t + k->flushed, out->n - k->flushed);
    k->flushed = out->n;
}

/* Merges the hunks h1 (mine) and h2 (theirs) into base's lines, appending to out. Hunks that
 * overlap or touch form one group; a group with hunks from both sides is a conflict unless both
 * make it the same. With a sink, each conflict also becomes a chunk between the agreed ones.
 * Returns the number of conflicts. */
static int merge_hunks(struct lines *out, const struct tok *base, int nbase, const struct hunk *h1,
                       int n1, const struct hunk *h2, int n2, struct chunk_sink *sink)
{
    struct lines v1 = {0}, v2 = {0};
    int conflicts = 0, pos = 0, i1 = 0, i2 = 0;
    while (i1 < n1 || i2 < n2) {
        int s = i1 < n1 ? h1[i1].bs : INT_MAX, e, j1 = i1, j2 = i2;
        if (i2 < n2 && h2[i2].bs < s) s = h2[i2].bs;
        for (e = s;;) {
            if (j1 < n1 && h1[j1].bs <= e)
                e = h1[j1].be > e ? h1[j1].be : e, j1++;
            else if (j2 < n2 && h2[j2].bs <= e)
                e = h2[j2].be > e ? h2[j2].be : e, j2++;
            else
                break;
        }
        for (; pos < s; pos++)
            lines_push(out, base[pos].p, base[pos].len);
        v1.n = v2.n = 0;
        apply_hunks(&v1, base, s, e, h1 + i1, j1 - i1);
        apply_hunks(&v2, base, s, e, h2 + i2, j2 - i2);
        const struct lines *take = j1 == i1 ? &v2 : &v1;
        if (j1 > i1 && j2 > i2 && !same_lines(&v1, &v2)) {
            conflicts++;
            if (sink) {
                sink_flush(sink, out);
                struct merge_chunk *c = sink_add(sink);
                c->conflict = 1;
                c->mine = join_lines(sink->ar, v1.t, v1.n);
                c->theirs = join_lines(sink->ar, v2.t, v2.n);
                c->base = join_lines(sink->ar, base + s, (size_t)(e - s));
            }
        } else
            for (size_t k = 0; k < take->n; k++)
                lines_push(out, take->t[k].p, take->t[k].len);
        pos = e, i1 = j1, i2 = j2;
    }
    for (; pos < nbase; pos++)
        lines_push(out, base[pos].p, base[pos].len);
    sink_flush(sink, out);
    free(v1.t);
    free(v2.t);
    return conflicts;
}

int diff_merge3(const char *base, const char *mine, const char *theirs, char **out)
{
    base = base ? base : "";
    mine = mine ? mine : "";
    theirs = theirs ? theirs : "";
    struct arena *ar = arena_new();
    size_t nd1, nd2;
    const struct diff_line *d1 = diff_lines(ar, base, mine, &nd1);
    const struct diff_line *d2 = diff_lines(ar, base, theirs, &nd2);
    int nbase, n1, n2;
    struct tok *bl = split_lines(base, &nbase);
    struct hunk *h1 = hunks_of(d1, nd1, &n1), *h2 = hunks_of(d2, nd2, &n2);
    struct lines merged = {0};
    int conflicts = merge_hunks(&merged, bl, nbase, h1, n1, h2, n2, NULL);
    *out = NULL;
    if (!conflicts) {
        /* An empty text has no final newline to speak of: it changes nothing. */
        int nl = ends_in_newline(base), nl_mine = ends_in_newline(mine);
        int nl_theirs = ends_in_newline(theirs);
        if (*mine && nl_mine != nl)
            nl = nl_mine;
        else if (*theirs && nl_theirs != nl)
            nl = nl_theirs;
        struct buf b;
        buf_init(&b, 0);
        for (size_t i = 0; i < merged.n; i++) {
            buf_append(&b, merged.t[i].p, merged.t[i].len);
            if (i + 1 < merged.n || nl) buf_putc(&b, '\n');
        }
        *out = buf_take(&b);
    }
    free(merged.t);
    free(bl);
    free(h1);
    free(h2);
    arena_free(ar);
    return conflicts;
}

struct merge_chunk *diff_merge3_chunks(struct arena *ar, const char *base, const char *mine,
                                       const char *theirs, size_t *n, int *conflicts)
{
    base = base ? base : "";
    mine = mine ? mine : "";
    theirs = theirs ? theirs : "";
    size_t nd1, nd2;
    /* The scripts' texts point into base, mine and theirs; join_lines copies what it keeps. */
    const struct diff_line *d1 = diff_lines(ar, base, mine, &nd1);
    const struct diff_line *d2 = diff_lines(ar, base, theirs, &nd2);
    int nbase, n1, n2;
    struct tok *bl = split_lines(base, &nbase);
    struct hunk *h1 = hunks_of(d1, nd1, &n1), *h2 = hunks_of(d2, nd2, &n2);
    struct lines merged = {0};
    struct chunk_sink sink = {.ar = ar};
    *conflicts = merge_hunks(&merged, bl, nbase, h1, n1, h2, n2, &sink);
    free(merged.t);
    free(bl);
    free(h1);
    free(h2);
    *n = sink.n;
    return sink.c;
}
