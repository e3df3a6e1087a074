/* layout: the frame around every HTML page (header, user menu, breadcrumbs) and its helpers. */
#ifndef KEN_LAYOUT_H
#define KEN_LAYOUT_H
#include "http/request.h"
#include "http/tmpl.h"

/* Returns a fresh scope with what every page may use: the user, the CSRF token, site name. */
struct tvars *layout_vars(struct req *r);
/* Renders template `tmpl` with v inside the layout and sends it. Returns the status. */
int layout_page(struct req *r, int status, const char *title, const char *tmpl, struct tvars *v);
/* Sends an HTML error page saying msg. */
int layout_error(struct req *r, int status, const char *msg);
/* Adds breadcrumbs for page path (each ancestor linked) to v. */
void layout_crumbs(struct tvars *v, struct arena *a, const char *path);
/* Adds list `list` to v with path, title, space, editor and updated of each page. */
struct page_item;
void layout_page_items(struct tvars *v, struct arena *a, const char *list,
                       const struct page_item *it);
/* Returns "2026-11-26 14:05 UTC" for t, in a. */
const char *layout_date(struct arena *a, int64_t t);
/* Returns "2026-11-26T14:05:09Z" (ISO 8601, UTC) for t, in a: for <time datetime> and JSON. */
const char *layout_iso_time(struct arena *a, int64_t t);
/* Returns "2026-11-26" (the day of t, UTC), in a. */
const char *layout_iso_day(struct arena *a, int64_t t);
/* Returns s encoded for a URL's query string ("dev environment" -> "dev%20environment"), in a; for
 * links such as /pages?tag=..., where a tag may hold spaces. */
const char *layout_url_query(struct arena *a, const char *s);

#endif
