/* router: the one route table, and the checks every request passes before its handler runs:
 * who the user is, whether they may, the CSRF token, and which database connection it gets.
 * Every URL ken answers is a row of app/http/router.c; handlers never pick sub-routes. */
#ifndef KEN_ROUTER_H
#define KEN_ROUTER_H
#include "core/buf.h"
#include "http/request.h"

/* What a row asks of the request. The role needs include signing in. CSRF and the writable
 * connection are not written in rows: they follow from the method (router_needs). */
enum need {
    NEED_NOTHING = 0,
    NEED_READ = 1 << 0,   /* a signed-in user, or anyone when public reading is on */
    NEED_LOGIN = 1 << 1,  /* a signed-in user */
    NEED_EDITOR = 1 << 2, /* role editor or above */
    NEED_ADMIN = 1 << 3,
    NEED_HR = 1 << 4,     /* role hr or admin */
    NO_AUTH = 1 << 5,     /* static files and health: no need to look up who is asking */
    NO_CSRF = 1 << 6,     /* a change without a session's CSRF token: only signing in, which
                           * has no session yet (and so no token) to send */
    /* Derived from the method, never written in a row: */
    NEED_CSRF = 1 << 7,   /* a session must send its CSRF token (API tokens need none) */
    NEED_WRITE = 1 << 8,  /* gets the writable connection; others get a query_only one */
};

typedef int (*handler_fn)(struct req *r);

enum { ROUTE_ARGS_MAX = 3 };

struct route {
    const char *method; /* GET also answers HEAD */
    /* Segments between '/': a literal, '*' (any one segment, "" too), or a '**' (one or more
     * segments, shortest first; at the end, whatever is left, "" too). Each wildcard's match
     * becomes r->args[i] (and the first r->rest). At most ROUTE_ARGS_MAX wildcards. */
    const char *pattern;
    handler_fn handler;
    unsigned needs; /* enum need: who may, and NO_AUTH / NO_CSRF */
};

/* Returns the table and its length (*n). */
const struct route *router_routes(size_t *n);
/* Returns everything a row needs: its own needs, plus NEED_CSRF and NEED_WRITE for every method
 * but GET (NEED_CSRF not with NO_CSRF). */
unsigned router_needs(const struct route *rt);
/* Returns the first row whose method (GET for HEAD too) and pattern match, with its wildcards'
 * matches in args[] (in a; NULL past them); or NULL, and then *allow (in a) lists the methods
 * the path does accept ("" when none: a 404). */
const struct route *router_match(struct arena *a, const char *method, const char *path,
                                 const char **args, const char **allow);

/* Per-thread database connections, made by the server. */
struct thread_dbs {
    struct db *rw, *ro;
};

/* Handles one request from CivetWeb. Returns the HTTP status sent. */
int router_dispatch(struct mg_connection *conn, const struct config *cfg, struct thread_dbs *dbs);

#endif
