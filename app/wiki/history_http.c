#include "wiki/history_http.h"
#include "wiki/wiki_http.h"
#include "markup/url.h"
#include "markup/diff.h"
#include "http/layout.h"
#include "wiki/page_store.h"
#include "wiki/wikipath.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* WEBPAGE: GET /history/PATH -> 200 every revision (author, time, summary, size change) with
 * links to view each, compare any two, and (for editors) restore one */
int history_page(struct req *r)
{
    int sent;
    struct page *p = wiki_http_load_page(r, r->rest, WIKI_HTTP_MISSING, &sent);
    if (!p)
        return sent;
    struct tvars *v = wiki_http_page_vars(r, p);
    tv_int(v, "current", p->rev);
    tv_list(v, "revisions");
    for (struct revision_item *it = page_store_revisions(r->db, r->a, p->id); it; it = it->next) {
        struct tvars *i = tv_item(v, "revisions");
        tv_int(i, "number", it->number);
        tv_text(i, "author", it->author_name);
        tv_text(i, "when", layout_date(r->a, it->created_at));
        tv_text(i, "summary", it->summary);
        tv_text(i, "delta", arena_printf(r->a, "%+lld", (long long)it->delta));
        tv_bool(i, "grew", it->delta > 0);
        tv_bool(i, "is_current", it->number == p->rev);
        tv_bool(i, "is_prev", it->number == p->rev - 1);
        tv_int(i, "bytes", it->size);
    }
    return layout_page(r, 200, arena_printf(r->a, "History of %s", p->title), "history", v);
}

static int rev_param(struct req *r, const char *name, int dflt)
{
    const char *s = req_param(r, name);
    return s && *s ? atoi(s) : dflt;
}

/* WEBPAGE: GET /diff/PATH?from=N&to=M&mode=inline|side -> 200 the changes from revision N to M
 * (default: the last change), changed words highlighted; 404 for a revision that does not exist */
int history_diff(struct req *r)
{
    int sent;
    struct page *p = wiki_http_load_page(r, r->rest, WIKI_HTTP_MISSING, &sent);
    if (!p)
        return sent;
    int to = rev_param(r, "to", p->rev), from = rev_param(r, "from", to - 1);
    if (from < 1)
        from = 1;
    struct page *a = page_store_get_rev(r->db, r->a, p->path, from);
    struct page *b = page_store_get_rev(r->db, r->a, p->path, to);
    if (!a || !b)
        return resp_error(r, 404, arena_printf(r->a, "this page has revisions 1 to %d", p->rev));
    const char *mode = req_param(r, "mode");
    int side = mode && strcmp(mode, "side") == 0;
    size_t n;
    struct diff_line *d = diff_lines(r->a, a->markdown, b->markdown, &n);
    int added, removed;
    diff_stats(d, n, &added, &removed);
    struct buf html;
    buf_init(&html, 0);
    diff_html(&html, d, n, side ? DIFF_SIDE_BY_SIDE : DIFF_INLINE, 3);
    struct tvars *v = wiki_http_page_vars(r, p);
    tv_int(v, "from", from);
    tv_int(v, "to", to);
    tv_text(v, "from_author", a->author_name);
    tv_text(v, "to_author", b->author_name);
    tv_text(v, "from_when", layout_date(r->a, a->updated_at));
    tv_text(v, "to_when", layout_date(r->a, b->updated_at));
    tv_int(v, "added", added);
    tv_int(v, "removed", removed);
    tv_bool(v, "side", side);
    tv_bool(v, "title_changed", strcmp(a->title, b->title) != 0);
    tv_text(v, "old_title", a->title);
    tv_text(v, "new_title", b->title);
    tv_html(v, "diff", arena_adopt(r->a, buf_take(&html)));
    return layout_page(r, 200, arena_printf(r->a, "Changes to %s", p->title), "diff", v);
}

/* WEBPAGE: POST /revert/PATH (rev=N, base_rev, csrf) -> 303 to the page, now with revision N's
 * text as a new revision; 404 no such revision; 409 someone saved meanwhile */
int history_revert(struct req *r)
{
    int sent;
    struct page *p = wiki_http_load_page(r, r->rest, WIKI_HTTP_MISSING, &sent);
    if (!p)
        return sent;
    int number = rev_param(r, "rev", 0);
    struct page *old = page_store_get_rev(r->db, r->a, p->path, number);
    if (!old)
        return resp_error(r, 404, "this page has no such revision");
    struct page_edit e = {
        .path = p->path,
        .title = old->title,
        .markdown = old->markdown,
        .tags = old->tags,
        .summary = arena_printf(r->a, "Restored revision %d", number),
        .base_rev = rev_param(r, "base_rev", -1),
        .author_id = r->user->id,
    };
    int rev;
    const char *why;
    enum page_save_result res = page_store_save(r->db, r->a, &e, &rev, &why);
    if (res != PAGE_CREATED && res != PAGE_UPDATED && res != PAGE_MERGED)
        return resp_error(r, (int)res, why);
    return resp_redirect(r, url_page(r->a, p->path));
}

/* API: GET /api/pages/PATH/revisions -> 200 {revisions: [{number, author, created_at, summary,
 * title, size, delta}]}, newest first. */
int history_api_list(struct req *r)
{
    const char *path = r->rest;
    int sent;
    struct page *p = wiki_http_load_page(r, path, WIKI_HTTP_MISSING, &sent);
    if (!p)
        return sent;
    json_t *arr = json_array();
    for (struct revision_item *it = page_store_revisions(r->db, r->a, p->id); it; it = it->next)
        json_array_append_new(arr, json_pack("{s:i, s:s, s:s, s:s, s:s, s:I, s:I}", "number",
                                             it->number, "author", it->author_login, "created_at",
                                             layout_iso_time(r->a, it->created_at), "summary",
                                             it->summary, "title", it->title, "size",
                                             (json_int_t)it->size, "delta", (json_int_t)it->delta));
    return resp_json(r, 200, json_pack("{s:s, s:o}", "path", p->path, "revisions", arr));
}

/* API: GET /api/pages/PATH/revisions/N -> 200 {path, number, title, markdown, html, tags,
 * author, created_at, summary}; 404. */
int history_api_get(struct req *r)
{
    const char *path = r->rest;
    int number = atoi(r->args[1]);
    int sent;
    struct page *p = wiki_http_load_page(r, path, WIKI_HTTP_MISSING, &sent);
    if (!p)
        return sent;
    struct page *old = page_store_get_rev(r->db, r->a, p->path, number);
    if (!old)
        return resp_error(r, 404, "this page has no such revision");
    return resp_json(r, 200,
                     json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "path", old->path,
                               "number", old->rev, "title", old->title, "markdown", old->markdown,
                               "html", old->html, "tags", page_tags_text(r->a, old->tags), "author", old->author_login,
                               "created_at", layout_iso_time(r->a, old->updated_at), "summary",
                               old->summary));
}

/* API: GET /api/pages/PATH/diff?from=N&to=M -> 200 {path, from, to, added, removed, lines:
 * [{op: same|del|add, old, new, text}], truncated} (line numbers 0 when absent; truncated: the
 * lines stop after about 2 MB of text); 404 */
int history_api_diff(struct req *r)
{
    const char *path = r->rest;
    int sent;
    struct page *p = wiki_http_load_page(r, path, WIKI_HTTP_MISSING, &sent);
    if (!p)
        return sent;
    int to = rev_param(r, "to", p->rev), from = rev_param(r, "from", to - 1);
    struct page *a = page_store_get_rev(r->db, r->a, p->path, from < 1 ? 1 : from);
    struct page *b = page_store_get_rev(r->db, r->a, p->path, to);
    if (!a || !b)
        return resp_error(r, 404, arena_printf(r->a, "this page has revisions 1 to %d", p->rev));
    size_t n;
    struct diff_line *d = diff_lines(r->a, a->markdown, b->markdown, &n);
    int added, removed;
    diff_stats(d, n, &added, &removed);
    static const char *const ops[] = {"same", "del", "add"};
    /* Bounded like the HTML diff: lines up to about DIFF_HTML_MAX bytes of text, then
     * "truncated": true (a 0.6 MB change of short lines made tens of MB of JSON). */
    json_t *lines = json_array();
    size_t bytes = 0, i;
    for (i = 0; i < n && bytes < DIFF_HTML_MAX; i++) {
        bytes += d[i].len + 40;
        json_array_append_new(lines, json_pack("{s:s, s:i, s:i, s:s%}", "op", ops[d[i].op], "old",
                                               d[i].old_no, "new", d[i].new_no, "text",
                                               d[i].text, d[i].len));
    }
    return resp_json(r, 200, json_pack("{s:s, s:i, s:i, s:i, s:i, s:o, s:b}", "path", p->path,
                                       "from", a->rev, "to", b->rev, "added", added, "removed",
                                       removed, "lines", lines, "truncated", i < n));
}
