/* group_http: groups of people for admins: /admin/groups (list, create, rename, add and remove
 * people, delete) and the JSON API /api/groups. SCIM's /scim/v2/Groups is scim_group_http.c.
 * Every change is written together with its audit log entries (group.create, group.rename,
 * group.add, group.remove, group.delete). The SQL is in group_store.c. */
#ifndef KEN_GROUP_HTTP_H
#define KEN_GROUP_HTTP_H
#include "accounts/group_store.h"
#include "http/request.h"

/* Where a change came from, for the audit log's detail. */
#define GROUP_VIA_ADMIN "on /admin"
#define GROUP_VIA_API "through the API"
#define GROUP_VIA_SCIM "through SCIM"

/* The changes, for the handlers here and SCIM's (scim_group_http.c), each inside a transaction
 * opened with audit_http_begin and recorded in it, naming `via`. Each returns 0, or a status
 * with *why. */

/* Makes group `name` (source "scim" when via is GROUP_VIA_SCIM, else "admin"); sets *g. 400 bad
 * name, 409 the name or external id is taken, 503. */
int group_http_make(struct req *r, const char *name, const char *external_id, const char *via,
                    struct group **g, const char **why);
/* Renames g (nothing when the name is the same). 400, 409, 503. */
int group_http_set_name(struct req *r, struct group *g, const char *name, const char *via,
                        const char **why);
/* Deletes g. 404, 503. */
int group_http_drop(struct req *r, const struct group *g, const char *via, const char **why);
/* Adds (removes) the account user_id to (from) g; doing what is already so records nothing.
 * 503. */
int group_http_add(struct req *r, const struct group *g, int64_t user_id, const char *via,
                   const char **why);
int group_http_remove(struct req *r, const struct group *g, int64_t user_id, const char *via,
                      const char **why);

/* WEBPAGE: GET /admin/groups -> 200 the groups with their sizes and a form to make one (admins) */
int group_http_index(struct req *r);
/* WEBPAGE: POST /admin/groups (name, csrf) -> 303 to the new group's page; 400 bad name; 409
 * the name is taken */
int group_http_create(struct req *r);
/* WEBPAGE: GET /admin/groups/ID -> 200 the group: its members, forms to add (by login) and remove
 * them, to rename and to delete it; 404 */
int group_http_page(struct req *r);
/* WEBPAGE: POST /admin/groups/rename (id, name, csrf) -> 303 to the group; 400; 404; 409 */
int group_http_rename(struct req *r);
/* WEBPAGE: POST /admin/groups/add (id, login, csrf) -> 303 to the group; 400 no such login;
 * 404 no such group */
int group_http_add_post(struct req *r);
/* WEBPAGE: POST /admin/groups/remove (id, login, csrf) -> 303 to the group; 400; 404 */
int group_http_remove_post(struct req *r);
/* WEBPAGE: POST /admin/groups/delete (id, csrf) -> 303 to /admin/groups; 404 */
int group_http_delete(struct req *r);

/* API: GET /api/groups?name= -> 200 {groups: [{id, name, external_id, source, members}]}
 * (admins; members is the count) */
int group_http_api_list(struct req *r);
/* API: POST /api/groups {name, members?: [login]} -> 201 the group as GET /api/groups/ID; 400
 * bad name or an unknown login (named); 409 the name is taken */
int group_http_api_create(struct req *r);
/* API: GET /api/groups/ID -> 200 {id, name, external_id, source, created_at, updated_at,
 * members: [{login, name, left}]}; 404 */
int group_http_api_get(struct req *r);
/* API: PATCH /api/groups/ID {name?, add?: [login], remove?: [login]} -> 200 the group; 400 (an
 * unknown login is named, nothing changes); 404; 409 */
int group_http_api_patch(struct req *r);
/* API: DELETE /api/groups/ID -> 200 {deleted: ID}; 404 */
int group_http_api_delete(struct req *r);

#endif
