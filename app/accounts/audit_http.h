/* audit_http: the audit log as a request sees it: recording an action with who asked and from
 * where (the client address the router believed, behind the trusted proxy too), and the admins'
 * pages: /admin/audit with filters, its CSV, the retention, and /api/audit. The log itself is
 * accounts/audit.c. */
#ifndef KEN_AUDIT_HTTP_H
#define KEN_AUDIT_HTTP_H
#include "accounts/audit.h"
#include "http/request.h"

/* Returns who is asking: the signed-in user (or nobody) and the client's address. Its strings
 * live as long as the request. */
struct audit_who audit_http_who(const struct req *r);

/* Records `action` on `target` by the asker now, on the writable connection: in its own
 * transaction for actions with no write of their own to share (sign-ins, HR reads), or inside
 * the one audit_http_begin opened. Returns 0, or -1 when it could not be written (logged). */
int audit_http_log(struct req *r, const char *action, const char *target, const char *detail);

/* The same for an action by `u`, who is not yet r->user (signing in). */
int audit_http_log_as(struct req *r, const struct user *u, const char *action, const char *target,
                      const char *detail);

/* For an action that writes: audit_http_begin opens a transaction on the writable connection;
 * the handler does its write; audit_http_end records the action in the same transaction when
 * rc is 0 and commits, or rolls everything back. So an action and its entry are written
 * together or not at all:
 *   int rc = audit_http_begin(r, &why);
 *   if (!rc) rc = link_store_delete(r->db, ..., &why);
 *   rc = audit_http_end(r, rc, AUDIT_PAGE_DELETE, path, NULL, &why);
 * audit_http_begin returns 0, or 503 with *why. audit_http_end returns rc, or 503 with *why
 * when the entry or the commit failed (nothing is then changed). */
int audit_http_begin(struct req *r, const char **why);
/* Ends what audit_http_begin opened for an action that records several entries (each with
 * audit_http_log, which writes inside the open transaction): commits when rc is 0, else rolls
 * back. Returns rc, or 503 with *why when the commit failed. */
int audit_http_finish(struct req *r, int rc, const char **why);
int audit_http_end(struct req *r, int rc, const char *action, const char *target,
                   const char *detail, const char **why);

/* WEBPAGE: GET /admin/audit?who=LOGIN&action=ACTION|FAMILY.&from=YYYY-MM-DD&to=YYYY-MM-DD&page=N
 * -> 200 the entries, newest first, 100 a page, with a CSV link for the same filters and the
 * retention form (admins only); 400 bad dates */
int audit_http_page(struct req *r);
/* WEBPAGE: GET /admin/audit.csv?(the filters of /admin/audit) -> 200 text/csv attachment: id,
 * time (UTC, ISO 8601), who, from, action, target, detail, hash; the export is itself logged */
int audit_http_csv(struct req *r);
/* WEBPAGE: POST /admin/audit (retention_days=0..36500, csrf) -> 303 to /admin/audit; entries
 * older than that are pruned at once and from then on (0 keeps them for ever); 400 */
int audit_http_retention_post(struct req *r);
/* API: GET /api/audit?who=&action=&from=&to=&limit=1..500&offset= -> 200 {total, limit,
 * offset, retention_days, pruned, entries: [{id, at, who, from, action, target, detail,
 * hash}]} newest first (admins, with an admin's API token); 400 */
int audit_http_api(struct req *r);
/* API: PUT /api/audit/retention {"days": N} -> 200 {retention_days, pruned} (admins); 400 */
int audit_http_api_retention(struct req *r);

#endif
