/* auth_http: signing in and out. */
#ifndef KEN_AUTH_HTTP_H
#define KEN_AUTH_HTTP_H
#include "http/request.h"

/* WEBPAGE: GET /login?next=PATH -> 200 the sign-in form (sets the login CSRF cookie) */
int auth_login_form(struct req *r);
/* WEBPAGE: POST /login (login, password, csrf, next) -> 303 to next with a session cookie;
 * 400 bad form, 403 CSRF, 401 wrong login or password (form again), 429 throttled */
int auth_login(struct req *r);
/* WEBPAGE: POST /logout (csrf) -> 303 to /login, session deleted */
int auth_logout(struct req *r);

#endif
