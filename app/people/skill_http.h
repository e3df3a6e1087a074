/* skill_http: the skills directory, skill pages, a person's skills and endorsements, as HTML and
 * as JSON (handlers only; the SQL is in skill_store). */
#ifndef KEN_SKILL_HTTP_H
#define KEN_SKILL_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

int skill_index(struct req *r);
int skill_create(struct req *r);
int skill_page(struct req *r);
int skill_admin_post(struct req *r);
int skill_people_skills_post(struct req *r);  /* POST /people/LOGIN/skills */
int skill_people_endorse_post(struct req *r); /* POST /people/LOGIN/endorse */
int skill_api_list(struct req *r);
int skill_api_suggest(struct req *r);         /* GET /api/skills/suggest */
int skill_api_get(struct req *r);
int skill_api_merge(struct req *r);           /* POST /api/skills/merge */
/* LOGIN is r->rest; SKILL r->args[1] */
int skill_api_declare(struct req *r);         /* POST /api/people/LOGIN/skills */
int skill_api_undeclare(struct req *r);       /* DELETE /api/people/LOGIN/skills/SKILL */
int skill_api_endorse(struct req *r);         /* POST /api/people/LOGIN/endorsements/SKILL */
int skill_api_unendorse(struct req *r);       /* DELETE /api/people/LOGIN/endorsements/SKILL */

/* Adds to v what web/profile_skills.html shows for person `user_id` (login, name): their skills
 * by level with endorsements, and the forms the viewer may use (all names start with skills_).
 * Call from the profile handler; allocates in r->a. */
void skill_profile_vars(struct req *r, struct tvars *v, int64_t user_id, const char *login,
                        const char *name);
/* Adds the space-separated `tags` (NULL: none) as the list `list` of v, each item with `tag`
 * and, when the tag names a reviewed skill by slug, name or alias, `tag_skill` (the skill's
 * slug) so the template links it to the skill page. One query for all the tags. */
void skill_tag_list(struct req *r, struct tvars *v, const char *list, const char *tags);

#endif
