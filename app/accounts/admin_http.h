/* admin_http: the admin's page: site settings and the list of accounts. */
#ifndef KEN_ADMIN_HTTP_H
#define KEN_ADMIN_HTTP_H
#include "http/request.h"

/* WEBPAGE: GET /admin -> 200 settings and accounts (admins only) */
int admin_home(struct req *r);
/* WEBPAGE: POST /admin/settings (public_read=1|0, csrf) -> 303 to /admin */
int admin_settings(struct req *r);

#endif
