/* people_http: profiles and the people directory as HTML and JSON (handlers only; the SQL is in
 * people_store, the visibility rules in people_perm). */
#ifndef KEN_PEOPLE_HTTP_H
#define KEN_PEOPLE_HTTP_H
#include "http/request.h"

int people_index(struct req *r);
int people_get(struct req *r);
int people_post(struct req *r);
int people_api_list(struct req *r);
int people_api_get(struct req *r);
int people_api_put(struct req *r);

#endif
