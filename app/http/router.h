/* router: the one route table, and the checks every request passes before its handler runs:
 * who the user is, whether they may, the CSRF token, and which database connection it gets. */
#ifndef KEN_ROUTER_H
#define KEN_ROUTER_H
#include "http/request.h"

enum need {
    NEED_NOTHING = 0,
    NEED_READ = 1 << 0,   /* a signed-in user, or anyone when public reading is on */
    NEED_LOGIN = 1 << 1,  /* a signed-in user */
    NEED_EDITOR = 1 << 2, /* role editor or above */
    NEED_ADMIN = 1 << 3,
    NEED_CSRF = 1 << 4,   /* a session must send its CSRF token (API tokens need none) */
    NEED_WRITE = 1 << 5,  /* gets the writable connection; others get a query_only one */
    NO_AUTH = 1 << 6,     /* static files: no need to look up who is asking */
    NEED_HR = 1 << 7,     /* role hr or admin */
};

typedef int (*handler_fn)(struct req *r);

struct route {
    const char *method;  /* GET also answers HEAD */
    const char *pattern; /* exact, or a prefix ending in '*' whose match becomes r->rest */
    handler_fn handler;
    unsigned needs;
};

/* Per-thread database connections, made by the server. */
struct thread_dbs {
    struct db *rw, *ro;
};

/* Handles one request from CivetWeb. Returns the HTTP status sent. */
int router_dispatch(struct mg_connection *conn, const struct config *cfg, struct thread_dbs *dbs);

#endif
