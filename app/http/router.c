#include "http/router.h"
#include "accounts/admin_http.h"
#include "accounts/audit_http.h"
#include "accounts/group_http.h"
#include "accounts/scim_group_http.h"
#include "wiki/attach_http.h"
#include "accounts/auth_http.h"
#include "wiki/changes_http.h"
#include "people/community_http.h"
#include "expertise/expertise_http.h"
#include "wiki/freshness_http.h"
#include "people/graph_http.h"
#include "wiki/history_http.h"
#include "people/hr_http.h"
#include "markup/html.h"
#include "notify/inbox_http.h"
#include "http/layout.h"
#include "notify/mail_http.h"
#include "notify/mail_send.h"
#include "core/metrics.h"
#include "core/migrate.h"
#include "people/org_http.h"
#include "wiki/page_http.h"
#include "wiki/page_store.h"
#include "people/people_http.h"
#include "questions/question_http.h"
#include "people/recognition_http.h"
#include "accounts/scim_http.h"
#include "search/search_http.h"
#include "search/search_log.h"
#include "search/synonym_http.h"
#include "accounts/session_store.h"
#include "core/settings.h"
#include "people/skill_http.h"
#include "http/static_http.h"
#include "wiki/structure_http.h"
#include "accounts/token_http.h"
#include "wiki/views.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int health(struct req *r);
static int metrics(struct req *r);

static const struct route routes[] = {
    {"GET", "/healthz", health, NO_AUTH},
    {"GET", "/metrics", metrics, NEED_ADMIN},
    {"GET", "/", page_home, NEED_READ},
    {"GET", "/login", auth_login_form, NEED_NOTHING},
    {"POST", "/login", auth_login, NO_CSRF}, /* signing in has no session, so no token, yet */
    {"POST", "/logout", auth_logout, NEED_LOGIN},
    {"GET", "/static/**", static_get, NO_AUTH},
    {"GET", "/favicon.ico", static_favicon, NO_AUTH},
    {"GET", "/wiki/**", page_view, NEED_READ},
    {"GET", "/pages", page_index, NEED_READ},
    {"GET", "/new", page_new_form, NEED_EDITOR},
    {"GET", "/edit/**", page_edit_form, NEED_EDITOR},
    {"POST", "/edit/**", page_edit_save, NEED_EDITOR},
    {"GET", "/history/**", history_page, NEED_READ},
    {"GET", "/diff/**", history_diff, NEED_READ},
    {"POST", "/revert/**", history_revert, NEED_EDITOR},
    {"GET", "/links/**", structure_backlinks, NEED_READ},
    {"GET", "/wanted", structure_wanted, NEED_READ},
    {"GET", "/orphans", structure_orphans, NEED_READ},
    {"GET", "/spaces/**", structure_space, NEED_READ},
    {"GET", "/move/**", structure_move_form, NEED_EDITOR},
    {"POST", "/move/**", structure_move, NEED_EDITOR},
    {"POST", "/delete/**", structure_delete, NEED_EDITOR},
    {"GET", "/trash", structure_trash, NEED_ADMIN},
    {"POST", "/restore", structure_restore, NEED_ADMIN},
    {"POST", "/verify/**", freshness_verify_post, NEED_EDITOR},
    {"POST", "/owners/**", freshness_owners_post, NEED_EDITOR},
    {"POST", "/review/**", freshness_review_post, NEED_EDITOR},
    {"POST", "/space-review", freshness_space_review_post, NEED_ADMIN},
    {"GET", "/health", freshness_report_page, NEED_READ},
    {"GET", "/files/**/*", attach_file_get, NEED_READ}, /* PATH, then NAME */
    {"GET", "/attachments/**", attach_list_page, NEED_READ},
    {"POST", "/upload/**", attach_upload, NEED_EDITOR},
    {"POST", "/api/upload/**", attach_api_upload, NEED_EDITOR},
    /* Files dropped into the editor of a page not yet saved: its first save attaches them. */
    {"POST", "/api/drafts/*", attach_api_draft_upload, NEED_EDITOR},
    {"GET", "/drafts/*/*", attach_draft_get, NEED_EDITOR}, /* KEY, NAME */
    {"POST", "/api/preview", page_api_preview, NEED_EDITOR},
    {"GET", "/api/trash", structure_api_trash, NEED_ADMIN},
    {"POST", "/api/trash/**", structure_api_restore, NEED_ADMIN},
    {"GET", "/experts", expertise_page, NEED_LOGIN},
    {"GET", "/api/experts", expertise_api, NEED_LOGIN},
    {"GET", "/risk", risk_page, NEED_HR},
    {"GET", "/api/risk", risk_api, NEED_HR},
    {"GET", "/search", search_page, NEED_READ},
    {"GET", "/api/search", search_api, NEED_READ},
    {"GET", "/api/suggest", search_suggest_api, NEED_READ},
    {"GET", "/search/click", search_click, NEED_READ},
    {"GET", "/search/report", search_report, NEED_HR},
    {"POST", "/search/report", search_report_post, NEED_ADMIN},
    {"GET", "/opensearch.xml", search_opensearch, NO_AUTH},
    {"GET", "/admin/synonyms", synonym_page, NEED_ADMIN},
    {"POST", "/admin/synonyms", synonym_add, NEED_ADMIN},
    {"POST", "/admin/synonyms/delete", synonym_delete, NEED_ADMIN},
    {"GET", "/api/synonyms", synonym_api_list, NEED_READ},
    {"POST", "/api/synonyms", synonym_api_add, NEED_ADMIN},
    {"DELETE", "/api/synonyms/*", synonym_api_delete, NEED_ADMIN},
    {"GET", "/api/pages", page_api_list, NEED_READ},
    /* A page's parts come before the page: the shortest PATH that leaves the part wins. */
    {"GET", "/api/pages/**/revisions", history_api_list, NEED_READ},
    {"GET", "/api/pages/**/revisions/*", history_api_get, NEED_READ},
    {"GET", "/api/pages/**/diff", history_api_diff, NEED_READ},
    {"GET", "/api/pages/**/backlinks", page_api_backlinks, NEED_READ},
    {"GET", "/api/pages/**/attachments", attach_api_list, NEED_READ},
    {"GET", "/api/pages/**/attachments/**", attach_api_file, NEED_READ},
    {"POST", "/api/pages/**/move", page_api_move, NEED_EDITOR},
    {"POST", "/api/pages/**/revert", page_api_revert, NEED_EDITOR},
    {"POST", "/api/pages/**/verify", freshness_api_verify, NEED_EDITOR},
    {"GET", "/api/pages/**", page_api_get, NEED_READ},
    {"PUT", "/api/pages/**", page_api_put, NEED_EDITOR},
    {"DELETE", "/api/pages/**", page_api_delete, NEED_EDITOR},
    {"GET", "/changes", changes_page, NEED_READ},
    /* NEED_NOTHING: the handler also takes a feed token (?token=); no other route does. */
    {"GET", "/changes.atom", changes_atom, NEED_NOTHING},
    {"GET", "/feeds", changes_feeds, NEED_LOGIN},
    {"POST", "/feeds", changes_feeds_reset, NEED_LOGIN},
    {"POST", "/watch", changes_watch, NEED_LOGIN},
    {"GET", "/api/watches", changes_api_watches, NEED_LOGIN},
    {"PUT", "/api/watches", changes_api_watch_put, NEED_LOGIN},
    {"DELETE", "/api/watches", changes_api_watch_delete, NEED_LOGIN},
    /* People and the organisation: signed-in readers only, even with public reading on. */
    {"GET", "/people", people_index, NEED_LOGIN},
    {"GET", "/people/*", people_get, NEED_LOGIN},
    {"GET", "/people/*/edit", people_edit_form, NEED_LOGIN},
    {"POST", "/people/*/edit", people_edit_post, NEED_LOGIN},
    {"GET", "/people/*/photo", people_photo_get, NEED_LOGIN},
    {"POST", "/people/*/photo", people_photo_post, NEED_LOGIN},
    {"GET", "/people/*/history", people_history_page, NEED_LOGIN},
    {"GET", "/people/*/org.svg", people_org_svg, NEED_LOGIN},
    {"GET", "/people/*/ties", graph_ties_page, NEED_LOGIN},
    {"GET", "/people/*/graph.svg", graph_person_svg, NEED_LOGIN},
    {"POST", "/people/*/left", people_left_post, NEED_HR},
    {"POST", "/people/*/skills", skill_people_skills_post, NEED_LOGIN},
    {"POST", "/people/*/endorse", skill_people_endorse_post, NEED_LOGIN},
    {"GET", "/org", org_chart_page, NEED_LOGIN},
    {"GET", "/departments", org_departments_page, NEED_LOGIN},
    {"POST", "/departments", org_departments_post, NEED_ADMIN},
    {"GET", "/departments/map", graph_map_page, NEED_LOGIN}, /* before /departments/SLUG */
    {"GET", "/departments/*", org_department_page, NEED_LOGIN},
    {"GET", "/departments/*/graph.svg", graph_department_svg, NEED_LOGIN},
    {"POST", "/departments/*", org_department_post, NEED_ADMIN},
    {"GET", "/teams/*", org_team_page, NEED_LOGIN},
    {"POST", "/teams/*", org_team_post, NEED_ADMIN},
    {"GET", "/api/people", people_api_list, NEED_LOGIN},
    {"GET", "/api/people/*", people_api_get, NEED_LOGIN},
    {"PUT", "/api/people/*", people_api_put, NEED_LOGIN},
    {"GET", "/api/people/*/ties", graph_api_ties, NEED_LOGIN},
    {"GET", "/api/people/*/topics", graph_api_topics, NEED_LOGIN},
    {"GET", "/api/departments", org_api_departments, NEED_LOGIN},
    {"GET", "/api/teams", org_api_teams, NEED_LOGIN},
    /* The people graph: built from what every signed-in reader may see (graph.h). */
    {"GET", "/connections", graph_connections_page, NEED_LOGIN},
    {"GET", "/api/connections", graph_api_connections, NEED_LOGIN},
    {"GET", "/graph", graph_page, NEED_LOGIN},
    {"GET", "/topics/*", graph_topic_get, NEED_LOGIN},
    {"GET", "/topics/*/graph.svg", graph_topic_svg, NEED_LOGIN},
    {"GET", "/api/departments/map", graph_api_departments_map, NEED_LOGIN},
    /* Communities list people: signed-in readers only, like profiles. */
    {"GET", "/communities", community_index, NEED_LOGIN},
    {"POST", "/communities", community_create, NEED_EDITOR},
    {"GET", "/communities/*", community_get, NEED_LOGIN},
    {"POST", "/communities/*/join", community_join_post, NEED_LOGIN},
    {"POST", "/communities/*/leave", community_leave_post, NEED_LOGIN},
    {"POST", "/communities/*/members", community_members_post, NEED_LOGIN},
    {"POST", "/communities/*/edit", community_edit_post, NEED_LOGIN},
    {"GET", "/api/communities", community_api_list, NEED_LOGIN},
    {"POST", "/api/communities", community_api_create, NEED_EDITOR},
    {"GET", "/api/communities/*", community_api_get, NEED_LOGIN},
    {"POST", "/api/communities/*/join", community_api_join, NEED_LOGIN},
    {"POST", "/api/communities/*/leave", community_api_leave, NEED_LOGIN},
    {"POST", "/api/communities/*/members", community_api_members, NEED_LOGIN},
    {"GET", "/hr", hr_page, NEED_HR},
    {"GET", "/hr/export.csv", hr_export_csv, NEED_HR},
    {"GET", "/tokens", token_page, NEED_LOGIN},
    {"POST", "/tokens", token_make, NEED_LOGIN},
    {"POST", "/tokens/revoke", token_delete, NEED_LOGIN},
    {"GET", "/admin", admin_home, NEED_ADMIN},
    {"POST", "/admin/settings", admin_settings, NEED_ADMIN},
    {"POST", "/admin/users", admin_user_create, NEED_ADMIN},
    {"POST", "/admin/users/role", admin_user_role, NEED_ADMIN},
    {"POST", "/admin/users/password", admin_user_password, NEED_ADMIN},
    {"POST", "/admin/users/left", admin_user_left, NEED_ADMIN},
    {"POST", "/admin/users/tokens", admin_user_revoke, NEED_ADMIN},
    /* The audit log: admins only, in HTML, CSV and JSON (accounts/audit_http.h). */
    {"GET", "/admin/audit", audit_http_page, NEED_ADMIN},
    {"POST", "/admin/audit", audit_http_retention_post, NEED_ADMIN},
    {"GET", "/admin/audit.csv", audit_http_csv, NEED_ADMIN},
    {"GET", "/api/audit", audit_http_api, NEED_ADMIN},
    {"PUT", "/api/audit/retention", audit_http_api_retention, NEED_ADMIN},
    {"POST", "/admin/mail", mail_http_admin_post, NEED_ADMIN},
    {"POST", "/admin/mail/test", mail_http_admin_test, NEED_ADMIN},
    /* Groups of people: admins make them, or an identity provider through SCIM (below). */
    {"GET", "/admin/groups", group_http_index, NEED_ADMIN},
    {"POST", "/admin/groups", group_http_create, NEED_ADMIN},
    {"POST", "/admin/groups/rename", group_http_rename, NEED_ADMIN},
    {"POST", "/admin/groups/add", group_http_add_post, NEED_ADMIN},
    {"POST", "/admin/groups/remove", group_http_remove_post, NEED_ADMIN},
    {"POST", "/admin/groups/delete", group_http_delete, NEED_ADMIN},
    {"GET", "/admin/groups/*", group_http_page, NEED_ADMIN},
    {"GET", "/api/groups", group_http_api_list, NEED_ADMIN},
    {"POST", "/api/groups", group_http_api_create, NEED_ADMIN},
    {"GET", "/api/groups/*", group_http_api_get, NEED_ADMIN},
    {"PATCH", "/api/groups/*", group_http_api_patch, NEED_ADMIN},
    {"DELETE", "/api/groups/*", group_http_api_delete, NEED_ADMIN},
    /* Skills list people, so like profiles they need a signed-in reader. */
    {"GET", "/skills", skill_index, NEED_LOGIN},
    {"POST", "/skills", skill_create, NEED_ADMIN},
    {"GET", "/skills/*", skill_page, NEED_LOGIN},
    {"POST", "/skills/*", skill_admin_post, NEED_ADMIN},
    {"GET", "/api/skills", skill_api_list, NEED_LOGIN},
    {"GET", "/api/skills/suggest", skill_api_suggest, NEED_LOGIN}, /* before the names */
    {"GET", "/api/skills/**", skill_api_get, NEED_LOGIN},       /* a name may hold a '/' */
    {"POST", "/api/skills/merge", skill_api_merge, NEED_ADMIN},
    {"POST", "/api/people/*/skills", skill_api_declare, NEED_LOGIN},
    {"DELETE", "/api/people/*/skills/**", skill_api_undeclare, NEED_LOGIN},
    {"POST", "/api/people/*/endorsements/**", skill_api_endorse, NEED_LOGIN},
    {"DELETE", "/api/people/*/endorsements/**", skill_api_unendorse, NEED_LOGIN},
    /* Questions and answers name people (who asked, whom ken asked), so they need a signed-in
     * reader. Everyone signed in asks (asking is not editing), and the asker comments on, edits
     * and accepts answers to their own question; answering, voting and making an answer a page
     * need the editor role, which the handlers check (question_http.c). */
    {"GET", "/questions", question_list_page, NEED_LOGIN},
    {"GET", "/questions/*", question_page, NEED_LOGIN},
    {"GET", "/questions/*/history", question_history_page, NEED_LOGIN},
    {"GET", "/questions/*/edit", question_edit_form, NEED_LOGIN},
    {"POST", "/questions/*/edit", question_edit_post, NEED_LOGIN},
    {"POST", "/questions/*/answers", question_answers_post, NEED_LOGIN},
    {"POST", "/questions/*/comments", question_comments_post, NEED_LOGIN},
    {"POST", "/questions/*/promote", question_promote_post, NEED_LOGIN},
    {"GET", "/answers/*", question_answer_page, NEED_LOGIN},
    {"GET", "/answers/*/history", question_answer_history_page, NEED_LOGIN},
    {"GET", "/answers/*/edit", question_answer_edit_form, NEED_LOGIN},
    {"POST", "/answers/*/edit", question_answer_edit_post, NEED_LOGIN},
    {"POST", "/answers/*/vote", question_answer_vote_post, NEED_LOGIN},
    {"POST", "/answers/*/accept", question_answer_accept_post, NEED_LOGIN},
    {"POST", "/answers/*/comments", question_answer_comments_post, NEED_LOGIN},
    {"GET", "/ask", question_ask_form, NEED_LOGIN},
    {"POST", "/ask", question_ask_post, NEED_LOGIN},
    /* Recognition: a month's thanks for everyone signed in; engagement for HR and admins. */
    {"GET", "/thanks", recognition_thanks_page, NEED_LOGIN},
    {"GET", "/api/thanks", recognition_thanks_api, NEED_LOGIN},
    {"GET", "/admin/engagement", recognition_engagement_page, NEED_HR},
    {"GET", "/api/engagement", recognition_engagement_api, NEED_HR},
    {"GET", "/inbox", inbox_page, NEED_LOGIN},
    {"POST", "/inbox", inbox_post, NEED_LOGIN},
    {"POST", "/inbox/email", mail_http_prefs_post, NEED_LOGIN},
    {"GET", "/api/questions", question_api_list, NEED_LOGIN},
    {"POST", "/api/questions", question_api_ask, NEED_LOGIN},
    {"GET", "/api/questions/*", question_api_get, NEED_LOGIN},
    {"PUT", "/api/questions/*", question_api_put, NEED_LOGIN},
    {"GET", "/api/questions/*/revisions", question_api_revisions, NEED_LOGIN},
    {"POST", "/api/questions/*/answers", question_api_answers_post, NEED_LOGIN},
    {"POST", "/api/questions/*/comments", question_api_comments_post, NEED_LOGIN},
    {"POST", "/api/questions/*/promote", question_api_promote_post, NEED_LOGIN},
    {"PUT", "/api/answers/*", question_api_answer_put, NEED_EDITOR},
    {"POST", "/api/answers/*/vote", question_api_vote_post, NEED_LOGIN},
    {"DELETE", "/api/answers/*/vote", question_api_answer_delete, NEED_EDITOR},
    {"POST", "/api/answers/*/accept", question_api_accept_post, NEED_LOGIN},
    {"GET", "/api/inbox", inbox_api, NEED_LOGIN},
    {"POST", "/api/inbox", inbox_api_post, NEED_LOGIN},
    {"GET", "/api/inbox/email", mail_http_prefs_api, NEED_LOGIN},
    {"PUT", "/api/inbox/email", mail_http_prefs_api_put, NEED_LOGIN},
    /* SCIM provisioning for identity providers (Okta, Entra ID) with an admin's API token;
     * answers and refusals in SCIM's own JSON (scim_http.h). */
    {"GET", "/scim/v2/Users", scim_users_list, NEED_ADMIN},
    {"POST", "/scim/v2/Users", scim_users_create, NEED_ADMIN},
    {"GET", "/scim/v2/Users/*", scim_user_get, NEED_ADMIN},
    {"PUT", "/scim/v2/Users/*", scim_user_put, NEED_ADMIN},
    {"PATCH", "/scim/v2/Users/*", scim_user_patch, NEED_ADMIN},
    {"DELETE", "/scim/v2/Users/*", scim_user_delete, NEED_ADMIN},
    {"GET", "/scim/v2/Groups", scim_groups_list, NEED_ADMIN},
    {"POST", "/scim/v2/Groups", scim_groups_create, NEED_ADMIN},
    {"GET", "/scim/v2/Groups/*", scim_group_get, NEED_ADMIN},
    {"PUT", "/scim/v2/Groups/*", scim_group_put, NEED_ADMIN},
    {"PATCH", "/scim/v2/Groups/*", scim_group_patch, NEED_ADMIN},
    {"DELETE", "/scim/v2/Groups/*", scim_group_delete, NEED_ADMIN},
    {"GET", "/scim/v2/ServiceProviderConfig", scim_service_provider_config, NEED_ADMIN},
    {"GET", "/scim/v2/Schemas", scim_schemas, NEED_ADMIN},
    {"GET", "/scim/v2/Schemas/**", scim_schemas, NEED_ADMIN},
    {"GET", "/scim/v2/ResourceTypes", scim_resource_types, NEED_ADMIN},
    {"GET", "/scim/v2/ResourceTypes/**", scim_resource_types, NEED_ADMIN},
};

enum { NROUTES = sizeof routes / sizeof *routes };
_Static_assert((int)NROUTES <= (int)METRICS_ROUTES_MAX, "metrics count routes by number");

/* WEBPAGE: GET /healthz -> 200 "ok" when the database answers, else 503 (no sign-in needed) */
static int health(struct req *r)
{
    int ok = migrate_applied(r->db) >= 0;
    resp_header(r, "Cache-Control", "no-store");
    return ok ? resp_send(r, 200, "text/plain; charset=utf-8", "ok\n", 3)
              : resp_send(r, 503, "text/plain; charset=utf-8", "database unavailable\n", 21);
}

/* WEBPAGE: GET /metrics -> 200 Prometheus text (admins: scrape with an admin API token) */
static int metrics(struct req *r)
{
    const char *names[NROUTES];
    for (int i = 0; i < NROUTES; i++)
        names[i] = arena_printf(r->a, "%s %s", routes[i].method, routes[i].pattern);
    struct buf b;
    buf_init(&b, 0);
    struct metrics_gauges g = {db_size_bytes(r->db), page_store_count_live(r->db),
                               user_store_count_enabled(r->db)};
    metrics_write(&b, &g, names, NROUTES);
    mail_send_metrics(&b, r->db);
    int rc = resp_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
    buf_free(&b);
    return rc;
}

const struct route *router_routes(size_t *n)
{
    *n = NROUTES;
    return routes;
}

unsigned router_needs(const struct route *rt)
{
    unsigned needs = rt->needs;
    if (strcmp(rt->method, "GET") != 0)
        needs |= NEED_WRITE | (needs & NO_CSRF ? 0 : NEED_CSRF);
    return needs;
}

/* Matches pattern segments `pat` against path segments `path` (both just after a '/'),
 * recording each wildcard's match as (start, length) from *n on. Returns 1 on a match. */
static int match_segments(const char *pat, const char *path, const char **at, size_t *len, int *n)
{
    int k = *n;
    if (pat[0] == '*' && pat[1] == '*') {
        if (k >= ROUTE_ARGS_MAX)
            return 0;
        at[k] = path;
        if (!pat[2]) { /* the rest, whatever it is */
            len[k] = strlen(path);
            *n = k + 1;
            return 1;
        }
        /* One segment or more, then the rest of the pattern: the shortest that fits. */
        for (const char *slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
            len[k] = (size_t)(slash - path);
            *n = k + 1;
            if (match_segments(pat + 3, slash + 1, at, len, n))
                return 1;
        }
        *n = k;
        return 0;
    }
    size_t plen = strcspn(pat, "/"), slen = strcspn(path, "/");
    if (plen == 1 && pat[0] == '*') {
        if (k >= ROUTE_ARGS_MAX)
            return 0;
        at[k] = path;
        len[k] = slen;
        *n = k + 1;
    } else if (plen != slen || strncmp(pat, path, plen) != 0) {
        return 0;
    }
    if (!pat[plen] || !path[slen]) {
        if (!pat[plen] && !path[slen])
            return 1;
        *n = k;
        return 0;
    }
    if (match_segments(pat + plen + 1, path + slen + 1, at, len, n))
        return 1;
    *n = k;
    return 0;
}

const struct route *router_match(struct arena *a, const char *method, const char *path,
                                 const char **args, const char **allow)
{
    struct buf methods;
    buf_init(&methods, 256);
    for (int i = 0; i < ROUTE_ARGS_MAX; i++)
        args[i] = NULL;
    for (size_t i = 0; i < NROUTES; i++) {
        const struct route *rt = &routes[i];
        const char *at[ROUTE_ARGS_MAX];
        size_t len[ROUTE_ARGS_MAX];
        int n = 0;
        if (path[0] != '/' || !match_segments(rt->pattern + 1, path + 1, at, len, &n))
            continue;
        if (strcmp(method, rt->method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
            for (int k = 0; k < n; k++)
                args[k] = arena_strndup(a, at[k], len[k]);
            buf_free(&methods);
            return rt;
        }
        if (!strstr(buf_str(&methods), rt->method))
            buf_printf(&methods, "%s%s%s", methods.len ? ", " : "", rt->method,
                       strcmp(rt->method, "GET") == 0 ? ", HEAD" : "");
    }
    *allow = arena_adopt(a, buf_take(&methods));
    return NULL;
}

/* The client's address and scheme, believing X-Forwarded-* only from the trusted proxy. */
static void find_client(struct req *r)
{
    r->addr = r->ri->remote_addr;
    r->https = r->ri->is_ssl;
    const char *proxy = r->cfg->trusted_proxy;
    if (!proxy || strcmp(proxy, r->ri->remote_addr) != 0)
        return;
    const char *xff = req_header(r, "X-Forwarded-For");
    if (xff && *xff) {
        const char *last = strrchr(xff, ',');
        last = last ? last + 1 : xff;
        while (*last == ' ')
            last++;
        if (*last && strlen(last) < 64)
            r->addr = arena_strdup(r->a, last);
    }
    const char *proto = req_header(r, "X-Forwarded-Proto");
    if (proto && strcasecmp(proto, "https") == 0)
        r->https = 1;
}

/* Single sign-on: the trusted proxy names the user; create them on first sight. */
static struct user *proxy_user(struct req *r, struct db *rw)
{
    const char *proxy = r->cfg->trusted_proxy, *header = r->cfg->trusted_header;
    if (!proxy || !header || strcmp(proxy, r->ri->remote_addr) != 0)
        return NULL;
    const char *login = req_header(r, header);
    if (!login || user_login_check(login))
        return NULL;
    struct user *u = user_store_by_login(rw, r->a, login);
    if (!u) {
        const char *why;
        if (user_store_add(rw, r->a, login, login, ROLE_EDITOR, NULL, &why) < 0)
            return NULL;
        fprintf(stderr, "ken: created user %s on first sign-in through the proxy\n", login);
        u = user_store_by_login(rw, r->a, login);
        if (u)
            audit_http_log_as(r, u, AUDIT_ACCOUNT_CREATE, login, "editor, at the first sign-in "
                              "through the proxy");
    }
    return u;
}

static void authenticate(struct req *r, struct db *rw)
{
    const char *authz = req_header(r, "Authorization");
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        r->user = token_lookup(r->db, rw, r->a, authz + 7, &r->read_only_token);
        r->via_token = r->user != NULL;
        return;
    }
    const char *cookie = req_cookie(r, "ken_session");
    if (cookie)
        r->user = session_lookup(r->db, rw, r->a, cookie, &r->csrf);
    struct user *proxied = proxy_user(r, rw);
    if (!proxied || (r->user && r->user->id == proxied->id))
        return;
    /* Signed in by the proxy on every request, with no session of ours: the CSRF token is
     * derived from a server key and the user, so forms work without storing anything. */
    r->user = proxied;
    r->csrf = settings_user_csrf(r->a, proxied->id);
}

/* Returns 0 when the request may go on, else the status of the refusal already sent. */
static int check_needs(struct req *r, unsigned needs)
{
    if (((needs & NEED_READ) && !r->user && !settings_public_read()) ||
        ((needs & (NEED_LOGIN | NEED_EDITOR | NEED_ADMIN | NEED_HR)) && !r->user)) {
        if (r->is_api || strcmp(r->method, "GET") != 0)
            return resp_error(r, 401, "sign in first, or send an API token as "
                                      "'Authorization: Bearer TOKEN'");
        struct buf loc;
        buf_init(&loc, 0);
        buf_puts(&loc, "/login?next=");
        const char *q = r->ri->query_string;
        html_url_query(&loc, q && *q ? arena_printf(r->a, "%s?%s", r->path, q) : r->path);
        int rc = resp_redirect(r, arena_adopt(r->a, buf_take(&loc)));
        return rc;
    }
    if ((needs & NEED_WRITE) && r->via_token && r->read_only_token)
        return resp_error(r, 403, "this API token may only read; make a read-write token on "
                                  "your tokens page (/tokens) to change things");
    if ((needs & NEED_EDITOR) && r->user->role < ROLE_EDITOR)
        return resp_error(r, 403, "your account may read but not edit; ask an admin for the "
                                  "editor role");
    if ((needs & NEED_ADMIN) && r->user->role != ROLE_ADMIN)
        return resp_error(r, 403, "only admins may do this");
    if ((needs & NEED_HR) && !user_is_hr(r->user))
        return resp_error(r, 403, "only HR and admins may see or do this");
    if ((needs & NEED_CSRF) && !r->via_token) {
        const char *sent = req_param(r, "csrf");
        if (!sent)
            sent = req_header(r, "X-CSRF-Token");
        if (!r->csrf || !sent || !auth_equal(r->csrf, sent))
            return resp_error(r, 403, "this form has expired or did not come from ken (CSRF "
                                      "check failed); reload the page and try again");
    }
    return 0;
}

static void access_log(struct req *r, double ms)
{
    const char *where = r->cfg->access_log;
    if (!where || strcmp(where, "off") == 0)
        return;
    time_t now = time(NULL);
    struct tm tm;
    char when[32];
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const char *q = r->ri->query_string;
    const char *secret = q ? strstr(q, "token=") : NULL;
    if (secret && (secret == q || secret[-1] == '&')) { /* feed tokens stay out of logs */
        const char *rest = strchr(secret, '&');
        q = arena_printf(r->a, "%.*stoken=REDACTED%s", (int)(secret - q), q, rest ? rest : "");
    }
    /* One fprintf per line: stdio locks the stream, so lines from threads do not interleave. */
    fprintf(stdout, "%s %s %s \"%s %s%s%s\" %d %zu %.1fms\n", when, r->addr,
            r->user ? r->user->login : "-", r->method, r->ri->local_uri_raw ? r->ri->local_uri_raw : "",
            q ? "?" : "", q ? q : "", r->status, r->sent, ms);
}

int router_dispatch(struct mg_connection *conn, const struct config *cfg, struct thread_dbs *dbs)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct req r;
    memset(&r, 0, sizeof r);
    r.conn = conn;
    r.ri = mg_get_request_info(conn);
    r.cfg = cfg;
    r.a = arena_new();
    r.rw = dbs->rw;
    r.db = dbs->ro;
    db_disk_full_clear(dbs->rw);
    db_disk_full_clear(dbs->ro);
    r.method = r.ri->request_method;
    r.path = r.ri->local_uri ? r.ri->local_uri : "/";
    buf_init(&r.headers, 0);
    find_client(&r);
    r.is_api = strncmp(r.path, "/api/", 5) == 0 || strcmp(r.path, "/api") == 0 ||
               strcmp(r.path, "/metrics") == 0 || strncmp(r.path, "/scim/", 6) == 0;
    if (strncmp(r.path, "/scim/", 6) == 0)
        r.error_page = scim_http_error_page;
    else if (!r.is_api)
        r.error_page = layout_error;

    const char *allow = "";
    const struct route *rt = router_match(r.a, r.method, r.path, r.args, &allow);
    r.rest = r.args[0] ? r.args[0] : "";
    const char *why = NULL;
    int rc;
    if (!utf8_valid(r.path, strlen(r.path))) {
        rc = resp_error(&r, 400, "the address is not valid UTF-8");
    } else if (!rt) {
        if (*allow)
            resp_header(&r, "Allow", allow);
        rc = *allow ? resp_error(&r, 405, arena_printf(r.a, "this address accepts only %s", allow))
                    : resp_error(&r, 404, "there is nothing at this address");
    } else if ((rc = req_parse(&r, &why)) != 0) {
        rc = resp_error(&r, rc, why);
    } else {
        /* A reading request sees one snapshot: one read transaction from sign-in check to
         * response. A writing one works on the writable connection and opens its own. */
        unsigned needs = router_needs(rt);
        int reading = !(needs & NEED_WRITE) && !(needs & NO_AUTH);
        if (needs & NEED_WRITE)
            r.db = dbs->rw;
        else if (reading)
            db_begin_read(r.db);
        if (!(needs & NO_AUTH))
            authenticate(&r, dbs->rw);
        if ((rc = check_needs(&r, needs)) == 0)
            rc = rt->handler(&r);
        if (reading)
            db_commit(dbs->ro);
        db_rollback(dbs->rw); /* a handler that failed mid-transaction leaves nothing open */
        views_maybe_flush(dbs->rw);
        search_log_maybe_flush(dbs->rw);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    access_log(&r, ms);
    metrics_observe(rt ? (int)(rt - routes) : -1, r.status, ms / 1e3);
    buf_free(&r.headers);
    arena_free(r.a);
    return rc;
}
