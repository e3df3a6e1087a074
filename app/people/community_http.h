/* community_http: communities (guilds and networks across the org chart): the directory, each
 * community's page with its members and its space of pages, joining, leaving, requests owners
 * approve, and the same as JSON (handlers only; the SQL is in community_store). */
#ifndef KEN_COMMUNITY_HTTP_H
#define KEN_COMMUNITY_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

int community_index(struct req *r);
int community_create(struct req *r);
int community_get(struct req *r);
/* SLUG is r->rest (the route table, http/router.c, gives the URLs). */
int community_join_post(struct req *r);    /* POST /communities/SLUG/join */
int community_leave_post(struct req *r);   /* POST /communities/SLUG/leave */
int community_members_post(struct req *r); /* POST /communities/SLUG/members */
int community_edit_post(struct req *r);    /* POST /communities/SLUG/edit */
int community_api_list(struct req *r);
int community_api_create(struct req *r);
int community_api_get(struct req *r);
int community_api_join(struct req *r);     /* POST /api/communities/SLUG/join */
int community_api_leave(struct req *r);    /* POST /api/communities/SLUG/leave */
int community_api_members(struct req *r);  /* POST /api/communities/SLUG/members */

/* Adds to v what web/community_profile.html shows on person `user_id`'s profile: the list
 * "communities" (slug, name, owner) and has_communities. */
void community_profile_vars(struct req *r, struct tvars *v, int64_t user_id);

#endif
