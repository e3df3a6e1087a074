#include "wiki/wiki_http.h"
#include "http/layout.h"
#include "wiki/wikipath.h"

struct page *wiki_http_load_page(struct req *r, const char *path, const char *missing, int *sent)
{
    const char *why = wikipath_check(path);
    struct page *p = why ? NULL : page_store_get(r->db, r->a, path);
    *sent = p ? 0 : resp_error(r, why ? 400 : 404, why ? why : missing);
    return p;
}

struct tvars *wiki_http_page_vars(struct req *r, const struct page *p)
{
    struct tvars *v = layout_vars(r);
    layout_crumbs(v, r->a, p->path);
    tv_text(v, "path", p->path);
    tv_text(v, "page_title", p->title);
    return v;
}
