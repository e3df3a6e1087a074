/* mail_http: e-mail notifications on the web: the admin's settings, queue status and test
 * e-mail (part of /admin), and each person's choice of e-mails (part of /inbox, and the API). */
#ifndef KEN_MAIL_HTTP_H
#define KEN_MAIL_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

/* Sets what web/admin_mail.html shows (settings without the password, queue counts, the last
 * errors) in v. */
void mail_http_admin_vars(struct req *r, struct tvars *v);
/* Sets what web/inbox_mail.html shows (whether e-mail is on, the person's address, the kinds
 * with their choices) in v. */
void mail_http_inbox_vars(struct req *r, struct tvars *v);

/* WEBPAGE: POST /admin/mail (enabled=1, smtp_url, starttls=1, from, username, password,
 * clear_password=1, public_url, csrf) -> 303 to /admin#email; 400 a setting that is not valid */
int mail_http_admin_post(struct req *r);
/* WEBPAGE: POST /admin/mail/test (to, csrf) -> 200 sent with the saved settings; 400 bad address
 * or no settings yet; 502 the SMTP server could not be reached or refused (with its words) */
int mail_http_admin_test(struct req *r);
/* WEBPAGE: POST /inbox/email (kind=routed&kind=answer..., csrf) -> 303 to /inbox#email: the
 * kinds sent are on, the others off; 400 an unknown kind */
int mail_http_prefs_post(struct req *r);
/* API: GET /api/inbox/email -> 200 {enabled, address, kinds: {routed: true, ...}} */
int mail_http_prefs_api(struct req *r);
/* API: PUT /api/inbox/email {kinds: {endorsement: false, ...}} -> 200 as GET; 400 */
int mail_http_prefs_api_put(struct req *r);

#endif
