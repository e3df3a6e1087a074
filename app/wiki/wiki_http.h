/* wiki_http: what the wiki's handlers (page, history, attachments, freshness) share. */
#ifndef KEN_WIKI_HTTP_H
#define KEN_WIKI_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"
#include "wiki/page_store.h"

/* The one way a handler reads the live page at `path`: NULL after answering 400 (not a page path,
 * saying why) or 404 (`missing`), with that status in *sent; else the page in r's arena. */
#define WIKI_HTTP_MISSING "there is no page at this path"
struct page *wiki_http_load_page(struct req *r, const char *path, const char *missing, int *sent);

/* Returns the page frame's scope (layout_vars) for a page about p: its breadcrumbs, path and
 * page_title. */
struct tvars *wiki_http_page_vars(struct req *r, const struct page *p);

#endif
