/* graph_http: the people graph as pages, JSON and SVG pictures (see graph.h for what it is made
 * of; it shows nothing a signed-in reader could not see on profiles and page histories). */
#ifndef KEN_GRAPH_HTTP_H
#define KEN_GRAPH_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

/* Handlers; the route table (http/router.c) gives each its URL. LOGIN, SLUG, TOPIC: r->rest. */
int graph_ties_page(struct req *r);        /* GET /people/LOGIN/ties */
int graph_person_svg(struct req *r);       /* GET /people/LOGIN/graph.svg */
int graph_api_ties(struct req *r);         /* GET /api/people/LOGIN/ties */
int graph_api_topics(struct req *r);       /* GET /api/people/LOGIN/topics */
int graph_map_page(struct req *r);         /* GET /departments/map */
int graph_department_svg(struct req *r);   /* GET /departments/SLUG/graph.svg */
int graph_topic_get(struct req *r);        /* GET /topics/TOPIC */
int graph_topic_svg(struct req *r);        /* GET /topics/TOPIC/graph.svg */
int graph_api_departments_map(struct req *r);
int graph_connections_page(struct req *r);
int graph_api_connections(struct req *r);
int graph_page(struct req *r);

/* For the profile page: adds "graph_topics" (what the evidence says person `user_id` knows:
 * name, href, why) and "graph_ties" (their strongest ties: tie_login, tie_name, tie_why) with
 * has_graph_topics and has_graph_ties to v. web/profile.html shows them when they are there. */
void graph_profile_vars(struct req *r, struct tvars *v, int64_t user_id);

#endif
