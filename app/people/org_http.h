/* org_http: departments, teams, the org chart (HTML lists and SVG) and their JSON (handlers only;
 * the SQL is in org_store). */
#ifndef KEN_ORG_HTTP_H
#define KEN_ORG_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

struct person;
/* Adds the org chart around person p to v: lists "chain" (top first), "reports" and "peers",
 * each item with login, name, job_title and left. */
void org_profile_vars(struct req *r, struct tvars *v, const struct person *p);
/* WEBPAGE: GET /people/LOGIN/org.svg (through people_org_svg, which checks LOGIN). */
int org_person_svg(struct req *r, const char *login);

int org_chart_page(struct req *r);
int org_departments_page(struct req *r);
int org_departments_post(struct req *r);
int org_department_page(struct req *r);
int org_department_post(struct req *r);
int org_team_page(struct req *r);
int org_team_post(struct req *r);
int org_api_departments(struct req *r);
int org_api_teams(struct req *r);

#endif
