/* expertise_http: "who should I ask about X?" as a page and as JSON. */
#ifndef KEN_EXPERTISE_HTTP_H
#define KEN_EXPERTISE_HTTP_H
#include "http/request.h"

int expertise_page(struct req *r);
int expertise_api(struct req *r);
int risk_page(struct req *r);
int risk_api(struct req *r);

#endif
