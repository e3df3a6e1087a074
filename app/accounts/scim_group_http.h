/* scim_group_http: SCIM 2.0 Groups at /scim/v2/Groups (RFC 7643 4.2, RFC 7644) as Okta and
 * Microsoft Entra ID send them: list (filter displayName, externalId or id with eq; paging;
 * excludedAttributes=members), read, create, replace, PATCH (add, replace and remove of
 * members, with or without a `members[value eq "ID"]` path; displayName and externalId; the
 * no-path form) and delete. Member values are the ids of SCIM Users (ken's account ids).
 * Changes go through group_http.h, so each is written with its audit log entries, and a
 * request that fails changes nothing. Admins' API tokens only, like /scim/v2/Users. */
#ifndef KEN_SCIM_GROUP_HTTP_H
#define KEN_SCIM_GROUP_HTTP_H
#include "http/request.h"

/* WEBPAGE: GET /scim/v2/Groups?filter=displayName eq "X"&startIndex=1&count=100
 * &excludedAttributes=members -> 200 a ListResponse of Groups by name; filters: displayName,
 * externalId, id, members with eq, one or two joined by "and"; 400 invalidFilter, invalidValue */
int scim_groups_list(struct req *r);
/* WEBPAGE: POST /scim/v2/Groups {displayName, externalId?, members?: [{value}]} -> 201 the
 * Group with Location; 400 invalidValue (no displayName, a member who is no User); 409
 * uniqueness */
int scim_groups_create(struct req *r);
/* WEBPAGE: GET /scim/v2/Groups/ID?excludedAttributes=members -> 200 the Group; 404 */
int scim_group_get(struct req *r);
/* WEBPAGE: PUT /scim/v2/Groups/ID {displayName, externalId?, members?} -> 200 the Group, its
 * members exactly those sent (none when members is absent); 400; 404; 409 */
int scim_group_put(struct req *r);
/* WEBPAGE: PATCH /scim/v2/Groups/ID {schemas: [PatchOp], Operations: [{op, path, value}]} -> 200
 * the Group; op add, replace or remove in any case; paths members, members[value eq "ID"],
 * displayName, externalId, or none (value an object of those); remove of members without a
 * value empties the group; 400 invalidSyntax, invalidPath, invalidValue, noTarget; 404; 409 */
int scim_group_patch(struct req *r);
/* WEBPAGE: DELETE /scim/v2/Groups/ID -> 204; 404 */
int scim_group_delete(struct req *r);

#endif
