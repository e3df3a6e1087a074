/* inbox_http: each person's inbox (/inbox, /api/inbox), their availability and muted topics, and
 * the unread count in every page's header. */
#ifndef KEN_INBOX_HTTP_H
#define KEN_INBOX_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

/* Sets inbox_unread (a number) and inbox_has_unread in v for the signed-in user: one indexed
 * count, read through the writable connection so that what this request marked read shows. */
void inbox_layout_vars(struct req *r, struct tvars *v);

int inbox_page(struct req *r);
int inbox_post(struct req *r);
int inbox_api(struct req *r);
int inbox_api_post(struct req *r);

#endif
