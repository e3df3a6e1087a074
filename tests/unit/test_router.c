/* The route table: what each URL reaches, what it needs, and that every row can be reached. */
#include "check.h"
#include "http/router.h"
#include "people/people_http.h"
#include "people/skill_http.h"
#include "wiki/page_http.h"
#include "wiki/history_http.h"

/* Returns the row method+path reaches (NULL: none), its wildcards' matches in args. */
static const struct route *hit(struct arena *a, const char *method, const char *path,
                               const char **args)
{
    const char *allow = NULL;
    return router_match(a, method, path, args, &allow);
}

/* A path the pattern matches: each '*' an "x<N>" segment, each '**' two segments. */
static const char *sample(struct arena *a, const char *pattern)
{
    struct buf b;
    buf_init(&b, 0);
    int n = 0;
    for (const char *p = pattern; *p; p++) {
        if (p[0] == '*' && p[1] == '*') {
            buf_printf(&b, "d%d/e%d", n, n);
            n++;
            p++;
        } else if (*p == '*') {
            buf_printf(&b, "x%d", n++);
        } else {
            buf_putc(&b, *p);
        }
    }
    return arena_adopt(a, buf_take(&b));
}

static void test_matching(struct arena *a)
{
    const char *args[ROUTE_ARGS_MAX];
    const struct route *rt = hit(a, "GET", "/people/ana", args);
    CHECK(rt && rt->handler == people_get);
    CHECK_STR(args[0], "ana");
    CHECK(args[1] == NULL);
    rt = hit(a, "GET", "/people/ana/edit", args);
    CHECK(rt && rt->handler == people_edit_form);
    CHECK_STR(args[0], "ana");
    rt = hit(a, "HEAD", "/people/ana/history", args); /* GET rows answer HEAD */
    CHECK(rt && rt->handler == people_history_page);
    CHECK(hit(a, "GET", "/people/ana/edit/more", args) == NULL); /* '*' is one segment */
    rt = hit(a, "GET", "/people/", args); /* an empty segment: the handler sends it to /people */
    CHECK(rt && rt->handler == people_get);
    CHECK_STR(args[0], "");
    CHECK(hit(a, "GET", "/peoplex", args) == NULL);

    /* '**' at the end takes the rest, slashes and all. */
    rt = hit(a, "GET", "/wiki/engineering/onboarding/vpn", args);
    CHECK(rt && rt->handler == page_view);
    CHECK_STR(args[0], "engineering/onboarding/vpn");
    /* '**' inside a pattern: the shortest PATH that leaves the rest to match. */
    rt = hit(a, "GET", "/api/pages/eng/vpn/revisions/3", args);
    CHECK(rt && rt->handler == history_api_get);
    CHECK_STR(args[0], "eng/vpn");
    CHECK_STR(args[1], "3");
    rt = hit(a, "GET", "/api/pages/eng/vpn/revisions", args);
    CHECK(rt && rt->handler == history_api_list);
    CHECK_STR(args[0], "eng/vpn");
    rt = hit(a, "GET", "/api/pages/eng/vpn", args);
    CHECK(rt && rt->handler == page_api_get);
    CHECK_STR(args[0], "eng/vpn");
    rt = hit(a, "POST", "/api/pages/eng/vpn/move", args);
    CHECK(rt && rt->handler == page_api_move);
    CHECK_STR(args[0], "eng/vpn");
    /* A skill's name in the API may hold a slash. */
    rt = hit(a, "DELETE", "/api/people/ana/endorsements/ci/cd", args);
    CHECK(rt && rt->handler == skill_api_unendorse);
    CHECK_STR(args[0], "ana");
    CHECK_STR(args[1], "ci/cd");

    /* A literal row before a wildcard one wins. */
    rt = hit(a, "GET", "/api/skills/suggest", args);
    CHECK(rt && rt->handler == skill_api_suggest);
    rt = hit(a, "GET", "/api/skills/kubernetes", args);
    CHECK(rt && rt->handler == skill_api_get);

    /* No row: the methods the path takes, for 405's Allow; none for a 404. */
    const char *allow = NULL;
    CHECK(router_match(a, "GET", "/people/ana/left", args, &allow) == NULL);
    CHECK_STR(allow, "POST");
    CHECK(router_match(a, "POST", "/api/pages/eng/vpn", args, &allow) == NULL);
    CHECK_STR(allow, "GET, HEAD, PUT, DELETE");
    CHECK(router_match(a, "GET", "/no/such/thing", args, &allow) == NULL);
    CHECK_STR(allow, "");
}

static void test_needs(struct arena *a)
{
    const char *args[ROUTE_ARGS_MAX];
    /* Marking someone as having left is HR's: the row says so, and it changes things. */
    const struct route *rt = hit(a, "POST", "/people/ana/left", args);
    CHECK(rt && rt->handler == people_left_post);
    unsigned needs = rt ? router_needs(rt) : 0;
    CHECK(needs & NEED_HR);
    CHECK(needs & NEED_CSRF);
    CHECK(needs & NEED_WRITE);
    /* Reading needs neither CSRF nor the writable connection. */
    rt = hit(a, "GET", "/people/ana", args);
    needs = rt ? router_needs(rt) : NEED_WRITE;
    CHECK(!(needs & (NEED_CSRF | NEED_WRITE)));
    CHECK(needs & NEED_LOGIN);
    /* Signing in writes without a CSRF token: the one opt-out. */
    rt = hit(a, "POST", "/login", args);
    needs = rt ? router_needs(rt) : 0;
    CHECK(needs & NEED_WRITE);
    CHECK(!(needs & NEED_CSRF));

    size_t n;
    const struct route *routes = router_routes(&n);
    int opt_outs = 0;
    for (size_t i = 0; i < n; i++) {
        const struct route *r = &routes[i];
        int reads = strcmp(r->method, "GET") == 0;
        unsigned nd = router_needs(r);
        /* Rows never state what the method implies, and every change is CSRF-checked on a
         * writable connection unless the row opts out. */
        CHECK(!(r->needs & (NEED_CSRF | NEED_WRITE)));
        CHECK(reads == !(nd & NEED_WRITE));
        if (!reads && !(nd & NEED_CSRF)) {
            opt_outs++;
            CHECK_STR(r->pattern, "/login");
        }
        /* A change is never anonymous, but for signing in. */
        if (!reads && !(r->needs & NO_CSRF))
            CHECK(r->needs & (NEED_LOGIN | NEED_EDITOR | NEED_HR | NEED_ADMIN));
    }
    CHECK(opt_outs == 1);
}

/* Every row is reachable: a path made from its own pattern reaches it, not an earlier row. */
static void test_reachable(struct arena *a)
{
    size_t n;
    const struct route *routes = router_routes(&n);
    CHECK(n > 150);
    for (size_t i = 0; i < n; i++) {
        const char *args[ROUTE_ARGS_MAX];
        const char *path = sample(a, routes[i].pattern);
        const struct route *rt = hit(a, routes[i].method, path, args);
        CHECK(rt == &routes[i]);
        if (rt != &routes[i])
            fprintf(stderr, "row %zu (%s %s) is shadowed by %s %s\n", i, routes[i].method,
                    routes[i].pattern, rt ? rt->method : "-", rt ? rt->pattern : "(nothing)");
        for (size_t j = 0; j < i; j++)
            if (strcmp(routes[i].method, routes[j].method) == 0 &&
                strcmp(routes[i].pattern, routes[j].pattern) == 0)
                CHECK(!"the same row twice");
    }
}

int main(void)
{
    struct arena *a = arena_new();
    test_matching(a);
    test_needs(a);
    test_reachable(a);
    arena_free(a);
    DONE();
}
