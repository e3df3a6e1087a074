/* request: one HTTP request as handlers see it (validated inputs, the user, the arena) and the
 * one place responses and their security headers are written. */
#ifndef KEN_REQUEST_H
#define KEN_REQUEST_H
#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/db.h"
#include "http/form.h"
#include "accounts/user_store.h"
#include "core/utf8.h"

#include <civetweb.h>
#include <jansson.h>

struct req {
    struct mg_connection *conn;
    const struct mg_request_info *ri;
    const struct config *cfg;
    struct arena *a;
    struct db *db;       /* the connection for this route: query_only unless it writes */
    struct db *rw;       /* the writable connection (sessions, writes) */
    const char *method;
    const char *path;    /* decoded request path */
    const char *rest;    /* what the route's first wildcard matched (decoded): args[0] */
    const char *args[3]; /* what each wildcard of the route matched, in order; NULL past them */
    const char *addr;    /* client address (from the trusted proxy's X-Forwarded-For if any) */
    int https;
    int is_api;          /* /api/...: errors as JSON */
    /* How this route shows an error (the router picks: the HTML page frame, SCIM's JSON); NULL:
     * JSON under /api, plain text elsewhere. Returns the status sent. */
    int (*error_page)(struct req *r, int status, const char *msg);
    struct user *user;   /* NULL: anonymous */
    const char *csrf;    /* the session's CSRF secret; NULL for API tokens and anonymous */
    int via_token;
    int read_only_token; /* the API token may read but not change anything */
    struct param *params; /* query string and urlencoded form, validated UTF-8 */
    const char *body;    /* raw body (NUL-terminated), for JSON */
    size_t body_len;
    struct buf headers;  /* extra response header lines */
    int status;
    size_t sent;
};

/* Returns the value of query/form parameter `name`, or NULL. */
const char *req_param(const struct req *r, const char *name);
/* Reads parameter `name` as a whole number from lo to hi: decimal digits only (a leading '-'
 * when lo < 0); absent or empty gives dflt. Returns 0 with *out set, or -1 with *why (in r's
 * arena) saying "NAME must be a whole number from LO to HI" for the caller's 400. */
int req_int(struct req *r, const char *name, long dflt, long lo, long hi, long *out,
            const char **why);
/* Appends "name=value&" (the value URL-encoded) to b for each of the n parameters `names` that
 * the request has a non-empty value for: a link that keeps the filters of the page. */
void req_params_keep(const struct req *r, struct buf *b, const char *const *names, size_t n);
/* Returns the request header value or NULL. */
const char *req_header(const struct req *r, const char *name);
/* Returns the value of cookie `name` in a, or NULL. */
const char *req_cookie(struct req *r, const char *name);
/* Parses the query string, and the body for POST/PUT/PATCH. Returns 0, or an HTTP status (400,
 * 413) after which the caller answers with the message in *why. */
int req_parse(struct req *r, const char **why);
/* Parses the body as a JSON object; NULL with *why set on bad input. Owned by caller (json_decref);
 * adopts into the arena is not possible, so callers decref. */
json_t *req_json(struct req *r, const char **why);

/* Adds a response header line (name and value must not contain CR/LF; they are ken's own). */
void resp_header(struct req *r, const char *name, const char *value);
/* Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS; max_age < 0 deletes it. */
void resp_cookie(struct req *r, const char *name, const char *value, long max_age);
/* Sends a complete response with ken's security headers. Returns the status (handler result).
 * A 5xx after a write of this request failed on a full disk (db_disk_full) is sent, logged and
 * returned as 507 Insufficient Storage. */
int resp_send(struct req *r, int status, const char *content_type, const char *body, size_t len);
/* Sends an error through r->error_page (an HTML page, SCIM's error JSON), else JSON
 * {"error": msg} under /api, else plain text. A 5xx after a write failed on a full disk
 * gets a message saying so (and resp_send makes it a 507). */
int resp_error(struct req *r, int status, const char *msg);
/* 303 See Other to `location` (a path ken made; not user-controlled hosts). */
int resp_redirect(struct req *r, const char *location);
/* Sends `j` as JSON and releases it. */
int resp_json(struct req *r, int status, json_t *j);

#endif
