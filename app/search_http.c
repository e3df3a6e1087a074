#include "search_http.h"
#include "html.h"
#include "layout.h"
#include "metrics.h"
#include "search_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PAGE_SIZE = 20 };

static int int_param(struct req *r, const char *name, int dflt, int lo, int hi)
{
    const char *s = req_param(r, name);
    int v = s && *s ? atoi(s) : dflt;
    return v < lo ? lo : v > hi ? hi : v;
}

/* WEBPAGE: GET /search?q=QUERY&page=N -> 200 matching pages with highlighted snippets; any query,
 * however odd, gets a page (never an error) */
int search_page(struct req *r)
{
    const char *q = req_param(r, "q");
    int page = int_param(r, "page", 1, 1, 1000), total = 0;
    struct search_query sq;
    search_query_parse(r->a, q, &sq);
    if (q && *q)
        metrics_search();
    struct search_hit *hits =
        search_store_pages(r->db, r->a, &sq, PAGE_SIZE, (page - 1) * PAGE_SIZE, &total);
    struct tvars *v = layout_vars(r);
    tv_bool(v, "asked", q && *q);
    tv_bool(v, "nothing_to_find", q && *q && !sq.fts && !sq.space && !sq.tag && !sq.author);
    tv_int(v, "total", total);
    tv_list(v, "hits");
    for (struct search_hit *h = hits; h; h = h->next) {
        struct tvars *i = tv_item(v, "hits");
        struct buf snip;
        buf_init(&snip, 0);
        html_snippet(&snip, h->snippet);
        tv_text(i, "path", h->path);
        tv_text(i, "title", h->title);
        tv_html(i, "snippet", arena_adopt(r->a, buf_take(&snip)));
        tv_text(i, "editor", h->editor);
        tv_text(i, "updated", layout_date(r->a, h->updated_at));
    }
    struct buf qs;
    buf_init(&qs, 0);
    html_url_query(&qs, q ? q : "");
    const char *qenc = arena_adopt(r->a, buf_take(&qs));
    if (page > 1)
        tv_text(v, "prev", arena_printf(r->a, "/search?q=%s&page=%d", qenc, page - 1));
    if (page * PAGE_SIZE < total)
        tv_text(v, "next", arena_printf(r->a, "/search?q=%s&page=%d", qenc, page + 1));
    tv_int(v, "page", page);
    return layout_page(r, 200, q && *q ? arena_printf(r->a, "Search: %s", q) : "Search", "search",
                       v);
}

/* API: GET /api/search?q=&limit=&offset= -> 200 {query, total, results: [{type, path, title,
 * space, snippet_html, editor, updated_at}]} */
int search_api(struct req *r)
{
    const char *q = req_param(r, "q");
    int limit = int_param(r, "limit", 20, 1, 100), offset = int_param(r, "offset", 0, 0, 100000);
    int total = 0;
    struct search_query sq;
    search_query_parse(r->a, q, &sq);
    if (q && *q)
        metrics_search();
    json_t *results = json_array();
    for (struct search_hit *h = search_store_pages(r->db, r->a, &sq, limit, offset, &total); h;
         h = h->next) {
        struct buf snip;
        buf_init(&snip, 0);
        html_snippet(&snip, h->snippet);
        time_t t = (time_t)h->updated_at;
        struct tm tm;
        char when[32];
        gmtime_r(&t, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_array_append_new(results,
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type", "page", "path",
                                        h->path, "title", h->title, "space", h->space,
                                        "snippet_html", buf_str(&snip), "editor", h->editor,
                                        "updated_at", when));
        buf_free(&snip);
    }
    return resp_json(r, 200, json_pack("{s:s, s:i, s:o}", "query", q ? q : "", "total", total,
                                       "results", results));
}
