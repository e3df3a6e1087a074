/* history_http: a page's revisions, the differences between them, and going back to one. */
#ifndef KEN_HISTORY_HTTP_H
#define KEN_HISTORY_HTTP_H
#include "http/request.h"

int history_page(struct req *r);
int history_diff(struct req *r);
int history_revert(struct req *r);
/* The API's /api/pages/PATH/revisions[/N], called by the pages API with PATH split off. */
int history_api_list(struct req *r); /* GET /api/pages/PATH/revisions; PATH is r->rest */
int history_api_get(struct req *r);  /* GET /api/pages/PATH/revisions/N; N is r->args[1] */
int history_api_diff(struct req *r); /* GET /api/pages/PATH/diff */

#endif
