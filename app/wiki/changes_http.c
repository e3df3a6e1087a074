#include "wiki/changes_http.h"
#include "markup/url.h"
#include "wiki/changes_store.h"
#include "markup/feed.h"
#include "markup/html.h"
#include "http/layout.h"
#include "wiki/page_store.h"
#include "core/settings.h"
#include "wiki/watch_store.h"
#include "wiki/wikipath.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    CHANGES_PER_PAGE = 50,
    CHANGES_MAX_DAYS = 3650,
    CHANGES_MAX_PAGE = 1000,
    HOME_WATCHED_MAX = 30,
    BACK_MAX = 2000,
};

/* The filters of a list of changes, validated; "" or 0 when not given. */
struct filters {
    const char *space, *tag, *author;
    int days, page, watched;
};

static const char *param(struct req *r, const char *name)
{
    const char *s = req_param(r, name);
    return s ? s : "";
}

/* Reads space, tag, author, days, page and watched. Returns 0, or 400 with *why. */
static int read_filters(struct req *r, struct filters *f, const char **why)
{
    memset(f, 0, sizeof *f);
    f->space = param(r, "space");
    f->tag = param(r, "tag");
    f->author = param(r, "author");
    if (*f->space && (wikipath_check(f->space) || strchr(f->space, '/'))) {
        *why = "space must be the name of a space: lowercase letters, digits and '-'";
        return 400;
    }
    if (*f->tag) {
        const char *ignored;
        f->tag = page_tags_normalise(r->a, f->tag, &ignored);
        if (!f->tag || !*f->tag || strchr(f->tag, ' ')) {
            *why = "tag must be one tag: letters a-z, digits, '-' and '.'";
            return 400;
        }
    }
    if (*f->author && user_login_check(f->author)) {
        *why = "author must be a login: lowercase letters, digits, '.', '_' and '-'";
        return 400;
    }
    long days, page;
    if (req_int(r, "days", 0, 1, CHANGES_MAX_DAYS, &days, why) ||
        req_int(r, "page", 1, 1, CHANGES_MAX_PAGE, &page, why))
        return 400;
    f->days = (int)days;
    f->page = (int)page;
    const char *watched = param(r, "watched");
    f->watched = strcmp(watched, "1") == 0;
    return 0;
}

static void query_add(struct buf *b, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    buf_printf(b, "%s%s=", b->len ? "&" : "?", name);
    html_url_query(b, value);
}

/* Returns the query string ("?space=ops&tag=vpn", "" for none) that asks for f, with page when
 * page > 1 and token when not NULL, in a. */
static const char *filter_query(struct arena *a, const struct filters *f, int page,
                                const char *token)
{
    struct buf b;
    buf_init(&b, 0);
    query_add(&b, "space", f->space);
    query_add(&b, "tag", f->tag);
    query_add(&b, "author", f->author);
    if (f->days)
        buf_printf(&b, "%sdays=%d", b.len ? "&" : "?", f->days);
    if (f->watched)
        query_add(&b, "watched", "1");
    if (page > 1)
        buf_printf(&b, "%spage=%d", b.len ? "&" : "?", page);
    query_add(&b, "token", token);
    return arena_adopt(a, buf_take(&b));
}

static void store_filter(struct req *r, const struct filters *f, struct change_filter *cf)
{
    memset(cf, 0, sizeof *cf);
    cf->space = f->space;
    cf->tag = f->tag;
    cf->author = f->author;
    cf->watcher = f->watched && r->user ? r->user->id : 0;
    cf->since = f->days ? (int64_t)time(NULL) - (int64_t)f->days * 86400 : 0;
    cf->limit = CHANGES_PER_PAGE;
    cf->offset = (f->page - 1) * CHANGES_PER_PAGE;
}

/* Returns "Recent changes in space ops tagged vpn by ana" and the like, in a. */
static const char *describe(struct arena *a, const struct filters *f)
{
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "Recent changes");
    if (f->watched)
        buf_puts(&b, " to what you watch");
    if (*f->space)
        buf_printf(&b, " in space %s", f->space);
    if (*f->tag)
        buf_printf(&b, " tagged %s", f->tag);
    if (*f->author)
        buf_printf(&b, " by %s", f->author);
    if (f->days)
        buf_printf(&b, " in the last %d day%s", f->days, f->days == 1 ? "" : "s");
    return arena_adopt(a, buf_take(&b));
}

/* Returns "scheme://host[:port]" this request came to, in a, and the bare host name in *host
 * for tag: URIs. A Host header with anything but name characters is not believed. */
static const char *site_base(struct req *r, const char **host)
{
    const char *h = req_header(r, "Host");
    size_t n = h ? strlen(h) : 0;
    if (!n || n > 255 || strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789.-:[]") != n)
        h = r->cfg->listen && *r->cfg->listen ? r->cfg->listen : "localhost";
    const char *colon = h[0] == '[' ? strchr(h, ']') : strchr(h, ':');
    char *bare = colon ? arena_strndup(r->a, h, (size_t)(colon - h) + (h[0] == '['))
                       : arena_strdup(r->a, h);
    for (char *c = bare; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    *host = bare;
    return arena_printf(r->a, "%s://%s", r->https ? "https" : "http", h);
}

static const char *delta_text(struct arena *a, int64_t delta)
{
    return arena_printf(a, "%+lld", (long long)delta);
}

/* Adds `days`: the changes grouped by UTC day, each day with its `changes`. */
static void add_days(struct tvars *v, struct arena *a, const struct change_item *c)
{
    static const char *const wday[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                       "Thursday", "Friday", "Saturday"};
    static const char *const month[] = {"January", "February", "March", "April",
                                        "May", "June", "July", "August",
                                        "September", "October", "November", "December"};
    tv_list(v, "days");
    struct tvars *day = NULL;
    char last[16] = "";
    for (; c; c = c->next) {
        time_t t = (time_t)c->created_at;
        struct tm tm;
        char date[16], hm[16];
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
        strftime(hm, sizeof hm, "%H:%M", &tm);
        if (!day || strcmp(date, last) != 0) {
            day = tv_item(v, "days");
            tv_text(day, "date", arena_strdup(a, date));
            tv_text(day, "day", arena_printf(a, "%s %d %s %d", wday[tm.tm_wday], tm.tm_mday,
                                             month[tm.tm_mon], tm.tm_year + 1900));
            tv_list(day, "changes");
            memcpy(last, date, sizeof last);
        }
        struct tvars *i = tv_item(day, "changes");
        tv_text(i, "time", arena_strdup(a, hm));
        tv_text(i, "path", c->path);
        tv_text(i, "title", c->title);
        tv_int(i, "number", c->number);
        tv_int(i, "prev", c->number - 1);
        tv_bool(i, "has_diff", c->number > 1);
        tv_bool(i, "is_new", c->number == 1);
        tv_text(i, "author", c->author_name);
        tv_text(i, "author_login", c->author_login);
        tv_text(i, "summary", c->summary);
        tv_text(i, "delta", delta_text(a, c->delta));
        tv_text(i, "delta_class", c->delta > 0 ? "grew" : c->delta < 0 ? "shrank" : "same");
    }
}

/* WEBPAGE: GET /changes?space=S&tag=T&author=LOGIN&days=N&watched=1&page=N -> 200 the newest
 * revisions of live pages, 50 a page, grouped by day, with a filter form and the matching
 * Atom feed; 400 for a filter that cannot match anything (bad space, tag, login or number);
 * 401 for watched=1 without signing in */
int changes_page(struct req *r)
{
    struct filters f;
    const char *why;
    int rc = read_filters(r, &f, &why);
    if (rc)
        return resp_error(r, rc, why);
    if (f.watched && !r->user)
        return resp_error(r, 401, "sign in to see changes to what you watch");
    struct change_filter cf;
    store_filter(r, &f, &cf);
    int more = 0;
    struct change_item *list = changes_store_list(r->db, r->a, &cf, &more);
    const char *heading = describe(r->a, &f);
    struct tvars *v = layout_vars(r);
    tv_text(v, "heading", heading);
    tv_text(v, "f_space", f.space);
    tv_text(v, "f_tag", f.tag);
    tv_text(v, "f_author", f.author);
    tv_text(v, "f_days", f.days ? arena_printf(r->a, "%d", f.days) : "");
    tv_bool(v, "f_watched", f.watched);
    add_days(v, r->a, list);
    tv_text(v, "prev", f.page > 1 ? arena_printf(r->a, "/changes%s",
                                                 filter_query(r->a, &f, f.page - 1, NULL)) : "");
    tv_text(v, "next", more ? arena_printf(r->a, "/changes%s",
                                           filter_query(r->a, &f, f.page + 1, NULL)) : "");
    /* feed_url also makes layout.html announce the feed with <link rel="alternate">. */
    tv_text(v, "feed_url", arena_printf(r->a, "/changes.atom%s", filter_query(r->a, &f, 1, NULL)));
    tv_text(v, "feed_title", heading);
    tv_bool(v, "space_watch", r->user && *f.space);
    tv_bool(v, "watching_space",
            r->user && *f.space && watch_store_watches_space(r->db, r->user->id, f.space));
    tv_text(v, "back", arena_printf(r->a, "/changes%s", filter_query(r->a, &f, f.page, NULL)));
    return layout_page(r, 200, heading, "changes", v);
}

/* Returns the HTML that describes change c in a feed entry: ken's own markup around the user's
 * text, which html_text escapes; the Atom writer then escapes all of it once more. In a. */
static const char *entry_html(struct arena *a, const char *base, const struct change_item *c)
{
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<p>");
    html_text(&b, c->author_name);
    buf_puts(&b, c->number == 1 ? " created " : " changed ");
    buf_puts(&b, "<a href=\"");
    html_text(&b, base);
    buf_puts(&b, "/wiki/");
    html_text(&b, c->path);
    buf_puts(&b, "\">");
    html_text(&b, c->title);
    buf_printf(&b, "</a> (revision %d, %+lld bytes).", c->number, (long long)c->delta);
    if (c->number > 1) {
        buf_puts(&b, " <a href=\"");
        html_text(&b, base);
        buf_puts(&b, "/diff/");
        html_text(&b, c->path);
        buf_printf(&b, "?from=%d&amp;to=%d\">See what changed</a>.", c->number - 1, c->number);
    }
    buf_puts(&b, "</p>");
    if (*c->summary) {
        buf_puts(&b, "<p>Summary: ");
        html_text(&b, c->summary);
        buf_puts(&b, "</p>");
    }
    return arena_adopt(a, buf_take(&b));
}

/* WEBPAGE: GET /changes.atom?space=S&tag=T&author=LOGIN&days=N&watched=1&token=FEEDTOKEN -> 200
 * the 50 newest changes as an Atom 1.0 feed; 401 without a session, API token or valid feed
 * token (unless public reading is on; a token that is given must be valid); 400 bad filters.
 * The route needs nothing: this is the one place a feed token is accepted. */
int changes_atom(struct req *r)
{
    const char *token = req_param(r, "token");
    if (!r->user && token && *token) {
        r->user = changes_token_lookup(r->db, r->rw, r->a, token);
        if (!r->user)
            return resp_error(r, 401, "this feed address carries an unknown or replaced feed "
                                      "token; copy a fresh address from /feeds");
    } else if (!r->user && !settings_public_read()) {
        return resp_error(r, 401, "feeds need your personal feed address (it carries ?token=); "
                                  "sign in and find it at /feeds");
    }
    struct filters f;
    const char *why;
    int rc = read_filters(r, &f, &why);
    if (rc)
        return resp_error(r, rc, why);
    if (f.watched && !r->user)
        return resp_error(r, 401, "changes to what you watch need your personal feed address");
    f.page = 1;
    struct change_filter cf;
    store_filter(r, &f, &cf);
    struct change_item *list = changes_store_list(r->db, r->a, &cf, NULL);
    const char *host, *base = site_base(r, &host), *query = filter_query(r->a, &f, 1, NULL);
    size_t n = 0;
    for (struct change_item *c = list; c; c = c->next)
        n++;
    struct feed_entry *entries = arena_alloc(r->a, (n ? n : 1) * sizeof *entries);
    size_t i = 0;
    for (struct change_item *c = list; c; c = c->next, i++) {
        char day[32];
        feed_time(day, c->created_at);
        day[10] = 0;
        entries[i] = (struct feed_entry){
            .id = arena_printf(r->a, "tag:%s,%s:ken/revision/%lld", host, day,
                               (long long)c->rev_id),
            .title = arena_printf(r->a, "%s (revision %d)", c->title, c->number),
            .link = arena_printf(r->a, "%s/wiki/%s?rev=%d", base, c->path, c->number),
            .author = c->author_name,
            .summary = c->summary,
            .content = entry_html(r->a, base, c),
            .updated = c->created_at,
        };
    }
    struct feed feed = {
        .id = arena_printf(r->a, "tag:%s,2026:ken/changes%s%s%s", host, query,
                           f.watched ? "&for=" : "", f.watched ? r->user->login : ""),
        .title = arena_printf(r->a, "ken: %s", describe(r->a, &f)),
        .self = arena_printf(r->a, "%s/changes.atom%s", base, query),
        .alternate = arena_printf(r->a, "%s/changes%s", base, query),
        .updated = list ? list->created_at : (int64_t)time(NULL),
        .entries = entries,
        .n = n,
    };
    size_t len;
    char *xml = feed_atom(&feed, &len);
    if (!xml)
        return resp_error(r, 500, "ken could not write this feed");
    arena_adopt(r->a, xml);
    return resp_send(r, 200, "application/atom+xml; charset=utf-8", xml, len);
}

static void add_feed(struct tvars *v, struct req *r, const char *base, const char *token,
                     const char *label, const struct filters *f)
{
    struct tvars *i = tv_item(v, "feeds");
    tv_text(i, "label", label);
    tv_text(i, "url", arena_printf(r->a, "%s/changes.atom%s", base,
                                   filter_query(r->a, f, 1, token)));
    tv_text(i, "html", arena_printf(r->a, "/changes%s", filter_query(r->a, f, 1, NULL)));
}

/* The /feeds page; new_token (shown once) when it was just made, else NULL. */
static int feeds_page(struct req *r, const char *new_token)
{
    struct tvars *v = layout_vars(r);
    int64_t created = 0, used = 0;
    int has = changes_token_info(r->db, r->user->id, &created, &used);
    tv_bool(v, "has_token", has);
    tv_text(v, "token_created", has ? layout_date(r->a, created) : "");
    tv_text(v, "token_used", used ? layout_date(r->a, used) : "never");
    tv_bool(v, "new_token", new_token != NULL);
    const char *host, *base = site_base(r, &host);
    tv_list(v, "feeds");
    struct filters f = {.space = "", .tag = "", .author = ""};
    add_feed(v, r, base, new_token, "Every change in the wiki", &f);
    f.watched = 1;
    add_feed(v, r, base, new_token, "Changes to what you watch", &f);
    f.watched = 0;
    f.author = r->user->login;
    add_feed(v, r, base, new_token, "Your own edits", &f);
    f.author = "";
    tv_list(v, "spaces");
    for (struct space_item *s = page_store_spaces(r->db, r->a); s; s = s->next) {
        f.space = s->name;
        add_feed(v, r, base, new_token, arena_printf(r->a, "Space %s", s->name), &f);
        tv_text(tv_item(v, "spaces"), "name", s->name);
    }
    tv_list(v, "watches");
    for (struct watch_item *w = watch_store_list(r->db, r->a, r->user->id); w; w = w->next) {
        struct tvars *i = tv_item(v, "watches");
        tv_bool(i, "is_page", w->kind == WATCH_PAGE);
        tv_text(i, "kind", w->kind == WATCH_PAGE ? "page" : "space");
        tv_text(i, "target", w->target);
        tv_text(i, "label", w->title);
        tv_text(i, "href", w->kind == WATCH_PAGE ? url_page(r->a, w->target)
                                                 : arena_printf(r->a, "/changes?space=%s",
                                                                w->target));
    }
    tv_text(v, "back", "/feeds");
    if (new_token)
        resp_header(r, "Cache-Control", "no-store");
    return layout_page(r, 200, "Feeds and watching", "feeds", v);
}

/* WEBPAGE: GET /feeds -> 200 the signed-in user's feed addresses, their feed token's dates, and
 * what they watch (with unwatch buttons) */
int changes_feeds(struct req *r)
{
    return feeds_page(r, NULL);
}

/* WEBPAGE: POST /feeds (csrf) -> 200 the feeds page with a new feed token in every address,
 * shown this once (only its hash is kept); the old token stops working at once; 500 */
int changes_feeds_reset(struct req *r)
{
    char token[AUTH_TOKEN_LEN + 1];
    if (changes_token_reset(r->db, r->user->id, token) != 0)
        return resp_error(r, 500, "ken could not make a new feed token; try again in a moment");
    return feeds_page(r, arena_strdup(r->a, token));
}

/* Returns 1 when back is a path on this site that is safe in a Location header: it starts with
 * one '/' (not "//" or "/\", which browsers take for another host) and holds only printable
 * ASCII without backslashes. */
static int safe_back(const char *back)
{
    if (!back || back[0] != '/' || back[1] == '/' || strlen(back) > BACK_MAX)
        return 0;
    for (const unsigned char *c = (const unsigned char *)back; *c; c++)
        if (*c <= 0x20 || *c >= 0x7f || *c == '\\')
            return 0;
    return 1;
}

/* WEBPAGE: POST /watch (kind=page|space, target=PATH|SPACE, on=1|0, back=/PATH, csrf) -> 303 to
 * back (or to the page or space's changes); 400 bad kind, target or on; 404 no such page or
 * space */
int changes_watch(struct req *r)
{
    const char *kind_s = param(r, "kind"), *target = param(r, "target"), *on_s = param(r, "on");
    enum watch_kind kind = watch_kind_parse(kind_s);
    if (!kind)
        return resp_error(r, 400, "kind must be page or space");
    if (strcmp(on_s, "1") != 0 && strcmp(on_s, "0") != 0)
        return resp_error(r, 400, "on must be 1 (watch) or 0 (stop watching)");
    const char *why;
    int rc = watch_store_set(r->db, r->user->id, kind, target, on_s[0] == '1', &why);
    if (rc)
        return resp_error(r, rc, why);
    const char *back = req_param(r, "back");
    if (!safe_back(back))
        back = kind == WATCH_PAGE ? url_page(r->a, target)
                                  : arena_printf(r->a, "/changes?space=%s", target);
    return resp_redirect(r, back);
}

/* API: GET /api/watches -> 200 {watches: [{kind, target, title, created_at}]} */
int changes_api_watches(struct req *r)
{
    json_t *arr = json_array();
    for (struct watch_item *w = watch_store_list(r->db, r->a, r->user->id); w; w = w->next) {
        char when[32];
        feed_time(when, w->created_at);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "kind",
                                             w->kind == WATCH_PAGE ? "page" : "space", "target",
                                             w->target, "title", w->title, "created_at", when));
    }
    return resp_json(r, 200, json_pack("{s:o}", "watches", arr));
}

static int api_set(struct req *r, const char *kind_s, const char *target, int on)
{
    enum watch_kind kind = watch_kind_parse(kind_s);
    if (!kind)
        return resp_error(r, 400, "kind must be \"page\" or \"space\"");
    const char *why;
    int rc = watch_store_set(r->db, r->user->id, kind, target, on, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, 200, json_pack("{s:s, s:s, s:b}", "kind", kind_s, "target", target,
                                       "watching", on));
}

/* API: PUT /api/watches {kind: "page"|"space", target} -> 200 {kind, target, watching: true};
 * 400 bad input; 404 no such page or space */
int changes_api_watch_put(struct req *r)
{
    const char *why;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    json_t *kind = json_object_get(in, "kind"), *target = json_object_get(in, "target");
    if (!json_is_string(kind) || !json_is_string(target)) {
        json_decref(in);
        return resp_error(r, 400, "send {\"kind\": \"page\" or \"space\", \"target\": \"a page's "
                                  "path or a space\"}");
    }
    const char *k = arena_strdup(r->a, json_string_value(kind));
    const char *t = arena_strdup(r->a, json_string_value(target));
    json_decref(in);
    return api_set(r, k, t, 1);
}

/* API: DELETE /api/watches?kind=page|space&target=T -> 200 {kind, target, watching: false}
 * (also when it was not watched); 400 bad input */
int changes_api_watch_delete(struct req *r)
{
    return api_set(r, param(r, "kind"), param(r, "target"), 0);
}

void changes_home(struct req *r, struct tvars *v)
{
    tv_bool(v, "following", r->user != NULL);
    tv_list(v, "watched_changes");
    if (!r->user)
        return;
    int64_t now = (int64_t)time(NULL);
    int64_t since = watch_store_home_visit(r->rw, r->user->id, now);
    if (since < 0)
        since = now - WATCH_FIRST_SINCE_SECONDS;
    int watching = watch_store_list(r->db, r->a, r->user->id) != NULL;
    tv_bool(v, "watching_anything", watching);
    tv_text(v, "since", layout_date(r->a, since));
    /* Someone who watches nothing has nothing to see, and the look-up would read every
     * revision since their last visit to find that out. */
    for (struct change_digest *d = watching ? changes_store_watched(r->db, r->a, r->user->id, since,
                                                                    HOME_WATCHED_MAX)
                                            : NULL;
         d; d = d->next) {
        struct tvars *i = tv_item(v, "watched_changes");
        tv_text(i, "path", d->path);
        tv_text(i, "title", d->title);
        tv_text(i, "count", d->count == 1 ? "1 change" : arena_printf(r->a, "%d changes",
                                                                       d->count));
        tv_text(i, "authors", d->authors);
        tv_text(i, "updated", layout_date(r->a, d->last_at));
        tv_bool(i, "has_diff", d->first > 1);
        tv_int(i, "from", d->first - 1);
        tv_int(i, "to", d->last);
    }
}
