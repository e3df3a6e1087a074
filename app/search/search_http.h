/* search_http: the search page and its JSON twin, suggestions while typing, the OpenSearch
 * description, result clicks, and the report of searches that find nothing. */
#ifndef KEN_SEARCH_HTTP_H
#define KEN_SEARCH_HTTP_H
#include "http/request.h"

int search_page(struct req *r);
int search_api(struct req *r);
int search_suggest_api(struct req *r);
int search_opensearch(struct req *r);
int search_click(struct req *r);
int search_report(struct req *r);
int search_report_post(struct req *r);

#endif
