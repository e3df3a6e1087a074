/* admin_http: the admin's page: site settings and the accounts (create, role, password, left,
 * tokens). Every action is a POST with a CSRF token from an admin (the router checks both) and
 * leaves a line in the server's log. */
#ifndef KEN_ADMIN_HTTP_H
#define KEN_ADMIN_HTTP_H
#include "http/request.h"

/* WEBPAGE: GET /admin?done=KIND&login=L -> 200 settings and accounts, saying what KIND (role,
 * left, back, tokens) was just done to L (admins only) */
int admin_home(struct req *r);
/* WEBPAGE: POST /admin/settings (public_read=1|0, csrf) -> 303 to /admin */
int admin_settings(struct req *r);
/* WEBPAGE: POST /admin/users (login, name, role, optional password, csrf) -> 200 /admin with
 * the password shown once (generated when none is typed); 400 bad login, name, role or
 * password; 409 the login is taken */
int admin_user_create(struct req *r);
/* WEBPAGE: POST /admin/users/role (login, role, csrf) -> 303 to /admin; 400 bad role or one's
 * own account; 404 no such account */
int admin_user_role(struct req *r);
/* WEBPAGE: POST /admin/users/password (login, optional password, csrf) -> 200 /admin with the
 * new password shown once; the account's other sessions and tokens end; 400; 404 */
int admin_user_password(struct req *r);
/* WEBPAGE: POST /admin/users/left (login, left=1|0, csrf) -> 303 to /admin: marked as having
 * left (signed out everywhere, cannot sign in) or back; 400 oneself; 404; 409 already so */
int admin_user_left(struct req *r);
/* WEBPAGE: POST /admin/users/tokens (login, csrf) -> 303 to /admin: every session, API token
 * and feed token of the account revoked; 400 oneself; 404 */
int admin_user_revoke(struct req *r);

#endif
