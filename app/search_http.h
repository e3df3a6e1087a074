/* search_http: the search page and its JSON twin. */
#ifndef KEN_SEARCH_HTTP_H
#define KEN_SEARCH_HTTP_H
#include "request.h"

int search_page(struct req *r);
int search_api(struct req *r);

#endif
