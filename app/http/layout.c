#include "http/layout.h"
#include "markup/html.h"
#include "notify/inbox_store.h"
#include "wiki/page_store.h"

#include <string.h>
#include <time.h>

/* Marks the header's section the request is in (aria-current="page"): at_pages, at_people, ... */
static void section_vars(struct tvars *v, const char *path)
{
    static const struct {
        const char *var, *prefixes[4];
    } sections[] = {
        {"at_ask", {"/ask"}},
        {"at_pages", {"/pages", "/wiki/", "/spaces/"}},
        {"at_questions", {"/questions", "/answers/"}},
        {"at_people", {"/people"}},
        {"at_experts", {"/experts"}},
        {"at_skills", {"/skills"}},
        {"at_communities", {"/communities"}},
        {"at_org", {"/org", "/departments", "/teams/"}},
        {"at_hr", {"/hr"}},
        {"at_admin", {"/admin"}},
    };
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
        int at = 0;
        for (int k = 0; k < 4 && sections[i].prefixes[k] && !at; k++)
            at = path && strncmp(path, sections[i].prefixes[k], strlen(sections[i].prefixes[k])) == 0;
        tv_bool(v, sections[i].var, at);
    }
}

struct tvars *layout_vars(struct req *r)
{
    struct tvars *v = tv_new(r->a, NULL);
    tv_text(v, "site_name", "ken");
    tv_text(v, "q", req_param(r, "q"));
    tv_list(v, "crumbs");
    if (r->user) {
        struct tvars *u = tv_item(v, "user");
        tv_text(u, "login", r->user->login);
        tv_text(u, "name", r->user->name);
        tv_text(u, "role", user_role_name(r->user->role));
        tv_bool(v, "can_edit", r->user->role >= ROLE_EDITOR);
        tv_bool(v, "is_admin", r->user->role == ROLE_ADMIN);
        tv_bool(v, "is_hr", user_is_hr(r->user));
        /* The request's own connection: for a reading request, the snapshot it already holds,
         * so a page view costs no second transaction. The page that marks items read may still
         * count them in its own header; the next page does not. */
        int n = inbox_store_unread(r->db, r->user->id);
        tv_int(v, "inbox_unread", n > 0 ? n : 0);
        tv_bool(v, "inbox_has_unread", n > 0);
        section_vars(v, r->path);
    }
    tv_text(v, "csrf", r->csrf ? r->csrf : "");
    return v;
}

int layout_page(struct req *r, int status, const char *title, const char *tmpl, struct tvars *v)
{
    struct buf content, page;
    buf_init(&content, 0);
    buf_init(&page, 0);
    buf_reserve(&content, 16384);
    buf_reserve(&page, 24576);
    tv_text(v, "title", title);
    int rc = tmpl_render(&content, tmpl, v);
    if (rc == 0) {
        tv_html(v, "content", buf_str(&content));
        rc = tmpl_render(&page, "layout", v);
    }
    if (rc != 0) {
        buf_free(&content);
        buf_free(&page);
        r->error_page = NULL; /* a broken template must not recurse into another template */
        return resp_error(r, 500, "ken could not draw this page (a template error; see the log)");
    }
    int sent = resp_send(r, status, "text/html; charset=utf-8", page.data, page.len);
    buf_free(&content);
    buf_free(&page);
    return sent;
}

int layout_error(struct req *r, int status, const char *msg)
{
    struct tvars *v = layout_vars(r);
    tv_text(v, "message", msg);
    tv_int(v, "status", status);
    tv_bool(v, "need_login", status == 401 && !r->user);
    tv_text(v, "next", r->path);
    return layout_page(r, status, mg_get_response_code_text(r->conn, status), "error", v);
}

void layout_crumbs(struct tvars *v, struct arena *a, const char *path)
{
    const char *p = path;
    while (p && *p) {
        const char *slash = strchr(p, '/');
        size_t end = slash ? (size_t)(slash - path) : strlen(path);
        struct tvars *c = tv_item(v, "crumbs");
        tv_text(c, "href", arena_printf(a, "/wiki/%.*s", (int)end, path));
        tv_text(c, "label", arena_strndup(a, p, slash ? (size_t)(slash - p) : strlen(p)));
        p = slash ? slash + 1 : NULL;
    }
}

/* Returns t formatted by strftime's `fmt` (UTC; at most 31 bytes), in a. */
static const char *utc_format(struct arena *a, int64_t t, const char *fmt)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char s[32];
    strftime(s, sizeof s, fmt, &tm);
    return arena_strdup(a, s);
}

const char *layout_date(struct arena *a, int64_t t)
{
    return utc_format(a, t, "%Y-%m-%d %H:%M UTC");
}

const char *layout_iso_time(struct arena *a, int64_t t)
{
    return utc_format(a, t, "%Y-%m-%dT%H:%M:%SZ");
}

const char *layout_url_query(struct arena *a, const char *s)
{
    struct buf b;
    buf_init(&b, 0);
    html_url_query(&b, s ? s : "");
    return arena_adopt(a, buf_take(&b));
}

const char *layout_iso_day(struct arena *a, int64_t t)
{
    return utc_format(a, t, "%Y-%m-%d");
}

void layout_page_items(struct tvars *v, struct arena *a, const char *list,
                       const struct page_item *it)
{
    tv_list(v, list);
    for (; it; it = it->next) {
        struct tvars *i = tv_item(v, list);
        tv_text(i, "path", it->path);
        tv_text(i, "title", it->title);
        tv_text(i, "space", it->space);
        tv_text(i, "editor", it->editor_name);
        tv_text(i, "updated", layout_date(a, it->updated_at));
    }
}
