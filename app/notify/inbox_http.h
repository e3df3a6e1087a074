/* inbox_http: each person's inbox (/inbox, /api/inbox), their availability and muted topics.
 * (The unread count in every page's header is http/layout.c's.) */
#ifndef KEN_INBOX_HTTP_H
#define KEN_INBOX_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

int inbox_page(struct req *r);
int inbox_post(struct req *r);
int inbox_api(struct req *r);
int inbox_api_post(struct req *r);

#endif
