/* changes_http: recent changes as HTML and Atom, feed tokens, watching pages and spaces, and the
 * home page's "changes to what you watch" (handlers only; the SQL is in changes_store and
 * watch_store, the Atom writer in feed). */
#ifndef KEN_CHANGES_HTTP_H
#define KEN_CHANGES_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

int changes_page(struct req *r);
int changes_atom(struct req *r);
int changes_feeds(struct req *r);
int changes_feeds_reset(struct req *r);
int changes_watch(struct req *r);
int changes_api_watches(struct req *r);
int changes_api_watch_put(struct req *r);
int changes_api_watch_delete(struct req *r);

/* Adds the home page's "changes to what you watch since your last visit" to v (following,
 * watching_anything, since, watched_changes) and records this visit through r->rw. Nothing is
 * recorded for anonymous visitors. */
void changes_home(struct req *r, struct tvars *v);

#endif
