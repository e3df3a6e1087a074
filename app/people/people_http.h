/* people_http: profiles and the people directory as HTML and JSON (handlers only; the SQL is in
 * people_store, the visibility rules in people_perm). */
#ifndef KEN_PEOPLE_HTTP_H
#define KEN_PEOPLE_HTTP_H
#include "http/request.h"

int people_index(struct req *r);
/* The profile's pages; LOGIN is r->rest (the route table, http/router.c, gives the URLs). */
int people_get(struct req *r);          /* GET /people/LOGIN */
int people_edit_form(struct req *r);    /* GET /people/LOGIN/edit */
int people_edit_post(struct req *r);    /* POST /people/LOGIN/edit */
int people_photo_get(struct req *r);    /* GET /people/LOGIN/photo */
int people_photo_post(struct req *r);   /* POST /people/LOGIN/photo */
int people_left_post(struct req *r);    /* POST /people/LOGIN/left (HR and admins) */
int people_history_page(struct req *r); /* GET /people/LOGIN/history */
int people_org_svg(struct req *r);      /* GET /people/LOGIN/org.svg */
int people_api_list(struct req *r);
int people_api_get(struct req *r);
int people_api_put(struct req *r);

#endif
