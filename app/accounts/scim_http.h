/* scim_http: SCIM 2.0 provisioning at /scim/v2 (RFC 7643, 7644) for identity providers such as
 * Okta and Microsoft Entra ID: Users (list with a filter, read, create, replace, PATCH, delete)
 * and the discovery endpoints (ServiceProviderConfig, Schemas, ResourceTypes). Handlers only:
 * the language is in scim.c, the SQL in scim_store.c. The routes need an admin (an admin's API
 * token as "Authorization: Bearer TOKEN"); every answer, refusals too, is application/scim+json. */
#ifndef KEN_SCIM_HTTP_H
#define KEN_SCIM_HTTP_H
#include "http/request.h"

int scim_users_list(struct req *r);
int scim_users_create(struct req *r);
int scim_user_get(struct req *r);
int scim_user_put(struct req *r);
int scim_user_patch(struct req *r);
int scim_user_delete(struct req *r);
int scim_service_provider_config(struct req *r);
int scim_schemas(struct req *r);
int scim_resource_types(struct req *r);

/* Sends a SCIM error ({"schemas": [Error], "status": "400", "scimType": ..., "detail": ...});
 * scim_type may be NULL. resp_error sends this for every path under /scim/, so the router's own
 * refusals (401, 403, 404, 405, 413) reach providers in this form too. Returns the status. */
int scim_http_error(struct req *r, int status, const char *scim_type, const char *detail);
/* Sends j (taken) as application/scim+json with status. Returns the status. */
int scim_http_send(struct req *r, int status, json_t *j);
/* Returns "scheme://host[:port]" the request came to (for locations and $ref), in r's arena. */
const char *scim_http_base(struct req *r);
/* scim_http_error without a scimType: the router's r->error_page for /scim/ (identity providers
 * read RFC 7644's error JSON, also for refusals before a handler runs). */
int scim_http_error_page(struct req *r, int status, const char *msg);

#endif
