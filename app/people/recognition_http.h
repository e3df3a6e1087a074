/* recognition_http: a person's contributions on their profile, the monthly thanks (/thanks) and
 * the engagement figures for HR and admins (/admin/engagement), as HTML and JSON (handlers only;
 * the SQL is in recognition_store). */
#ifndef KEN_RECOGNITION_HTTP_H
#define KEN_RECOGNITION_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

/* Adds the contributions of person user_id (login) to a profile's vars, for
 * web/profile_contrib.html. */
void recognition_profile_vars(struct req *r, struct tvars *v, int64_t user_id, const char *login);

int recognition_thanks_page(struct req *r);
int recognition_thanks_api(struct req *r);
int recognition_engagement_page(struct req *r);
int recognition_engagement_api(struct req *r);

#endif
