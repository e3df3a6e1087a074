/* graph_http: the people graph as pages, JSON and SVG pictures (see graph.h for what it is made
 * of; it shows nothing a signed-in reader could not see on profiles and page histories). */
#ifndef KEN_GRAPH_HTTP_H
#define KEN_GRAPH_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

/* GET /people/...: /people/LOGIN/ties and /people/LOGIN/graph.svg here; anything else goes on to
 * people_get. */
int graph_people_get(struct req *r);
/* GET /api/people/...: /api/people/LOGIN/ties and /topics here; anything else to people_api_get. */
int graph_api_people_get(struct req *r);
/* GET /departments/...: /departments/map and /departments/SLUG/graph.svg here; anything else to
 * org_department_page. */
int graph_departments_get(struct req *r);
int graph_api_departments_map(struct req *r);
int graph_connections_page(struct req *r);
int graph_api_connections(struct req *r);
int graph_page(struct req *r);
int graph_topics_get(struct req *r);

/* For the profile page: adds "graph_topics" (what the evidence says person `user_id` knows:
 * name, href, why) and "graph_ties" (their strongest ties: tie_login, tie_name, tie_why) with
 * has_graph_topics and has_graph_ties to v. web/profile.html shows them when they are there. */
void graph_profile_vars(struct req *r, struct tvars *v, int64_t user_id);

#endif
