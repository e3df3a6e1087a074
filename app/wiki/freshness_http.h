/* freshness_http: owners, reviews and verification of pages; the stale-pages report. */
#ifndef KEN_FRESHNESS_HTTP_H
#define KEN_FRESHNESS_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

struct page;
/* Adds what the page view shows about freshness (banner, owners, verify button) to v. */
void freshness_page_vars(struct req *r, struct tvars *v, const struct page *p);
/* Adds the signed-in user's stale pages (list "my_stale") to v, for the home page. */
void freshness_home_vars(struct req *r, struct tvars *v);

int freshness_verify_post(struct req *r);
int freshness_owners_post(struct req *r);
int freshness_review_post(struct req *r);
int freshness_space_review_post(struct req *r);
int freshness_report_page(struct req *r);
/* API: POST /api/pages/PATH/verify -> 200 {path, verified_at, verified_by} */
int freshness_api_verify(struct req *r); /* POST /api/pages/PATH/verify; PATH is r->rest */

#endif
