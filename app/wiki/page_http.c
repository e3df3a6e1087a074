#include "wiki/page_http.h"
#include "wiki/wiki_http.h"
#include "markup/url.h"
#include "accounts/audit_http.h"
#include "wiki/attach_http.h"
#include "wiki/attach_store.h"
#include "accounts/auth.h"
#include "wiki/changes_http.h"
#include "wiki/freshness_http.h"
#include "wiki/history_http.h"
#include "notify/inbox_store.h"
#include "http/layout.h"
#include "wiki/link_store.h"
#include "markup/diff.h"
#include "markup/markdown.h"
#include "wiki/page_store.h"
#include "people/skill_http.h"
#include "wiki/views.h"
#include "wiki/watch_store.h"
#include "wiki/wikipath.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* WEBPAGE: GET / -> 200 recent changes and the list of spaces */
int page_home(struct req *r)
{
    struct tvars *v = layout_vars(r);
    layout_page_items(v, r->a, "recent", page_store_list(r->db, r->a, NULL, NULL, 1, 15, NULL));
    tv_list(v, "spaces");
    for (struct space_item *s = page_store_spaces(r->db, r->a); s; s = s->next) {
        struct tvars *i = tv_item(v, "spaces");
        tv_text(i, "name", s->name);
        tv_int(i, "pages", s->pages);
    }
    freshness_home_vars(r, v);
    changes_home(r, v);
    return layout_page(r, 200, "Home", "home", v);
}

/* WEBPAGE: GET /pages?space=S&tag=T -> 200 every page, by path, narrowed by space or tag */
int page_index(struct req *r)
{
    const char *space = req_param(r, "space"), *tag = req_param(r, "tag");
    struct tvars *v = layout_vars(r);
    int n = 0;
    layout_page_items(v, r->a, "pages", page_store_list(r->db, r->a, space, tag, 0, 5000, &n));
    tv_int(v, "count", n);
    tv_text(v, "space", space);
    tv_text(v, "tag", tag);
    const char *title = space && *space ? arena_printf(r->a, "Space %s", space)
                        : tag && *tag   ? arena_printf(r->a, "Tag %s", tag)
                                        : "All pages";
    tv_text(v, "heading", title);
    return layout_page(r, 200, title, "pages", v);
}

/* WEBPAGE: GET /wiki/PATH?rev=N -> 200 the page (or an old revision), 404 with an offer to create
 * it, 400 for a path that breaks the path rules */
int page_view(struct req *r)
{
    if (!*r->rest)
        return resp_redirect(r, "/pages");
    const char *why = wikipath_check(r->rest);
    if (why)
        return resp_error(r, 400, why);
    const char *rev = req_param(r, "rev");
    struct page *p = rev ? page_store_get_rev(r->db, r->a, r->rest, atoi(rev))
                         : page_store_get(r->db, r->a, r->rest);
    struct tvars *v = layout_vars(r);
    layout_crumbs(v, r->a, r->rest);
    tv_text(v, "path", r->rest);
    if (!p) {
        if (rev && page_store_get(r->db, r->a, r->rest))
            return resp_error(r, 404, "this page has no such revision");
        const char *moved = link_store_redirect(r->db, r->a, r->rest);
        if (moved) {
            resp_header(r, "Location", arena_printf(r->a, "/wiki/%s%s%s", moved,
                                                    rev ? "?rev=" : "", rev ? rev : ""));
            return resp_send(r, 301, "text/plain; charset=utf-8", "", 0);
        }
        struct page_item *below = link_store_below(r->db, r->a, r->rest, 0);
        layout_page_items(v, r->a, "below", below);
        tv_bool(v, "has_below", below != NULL);
        struct buf t;
        buf_init(&t, 0);
        const char *last = strrchr(r->rest, '/');
        buf_puts(&t, last ? last + 1 : r->rest);
        for (char *c = t.data; c && *c; c++)
            if (*c == '-')
                *c = ' ';
        tv_text(v, "suggested_title", arena_adopt(r->a, buf_take(&t)));
        return layout_page(r, 404, "No such page", "page_missing", v);
    }
    tv_text(v, "page_title", p->title);
    tv_html(v, "html", p->html);
    tv_int(v, "rev", p->rev);
    tv_text(v, "author", p->author_name);
    tv_text(v, "author_login", p->author_login);
    tv_text(v, "updated", layout_date(r->a, p->updated_at));
    tv_text(v, "summary", p->summary);
    tv_bool(v, "old_rev", rev != NULL && p->rev != p->rev_count);
    tv_int(v, "rev_count", p->rev_count);
    tv_text(v, "merged_from", req_param(r, "merged"));
    tv_bool(v, "watching", r->user && watch_store_watches_page(r->db, r->user->id, p->id));
    freshness_page_vars(r, v, p);
    if (!rev)
        views_count(p->id);
    /* Reading the page is reading what the inbox said about mentions in it. */
    if (r->user && !rev && r->rw && !r->read_only_token &&
        inbox_store_has_unread_page(r->db, r->user->id, p->id))
        inbox_store_mark_page(r->rw, r->user->id, p->id, (int64_t)time(NULL));
    tv_html(v, "toc", p->toc);
    skill_tag_list(r, v, "tags", p->tags);
    attach_page_vars(r, v, p->id, p->path);
    struct page_item *children = link_store_below(r->db, r->a, p->path, 1);
    layout_page_items(v, r->a, "children", children);
    tv_bool(v, "has_children", children != NULL);
    return layout_page(r, 200, p->title, "page", v);
}

/* The editor's upload and preview addresses: an existing page's files go to it; a new page's
 * to the draft its form carries (a fresh key when it has none yet). */
static void editor_vars(struct req *r, struct tvars *v, const char *path, int is_new)
{
    const char *draft = is_new ? req_param(r, "draft") : NULL;
    if (is_new && attach_draft_key_check(draft)) {
        char key[AUTH_TOKEN_LEN + 1];
        auth_token_new(key);
        draft = arena_strdup(r->a, key);
    }
    tv_text(v, "draft", draft);
    tv_text(v, "upload_url", is_new ? arena_printf(r->a, "/api/drafts/%s", draft)
                                    : arena_printf(r->a, "/api/upload/%s", path));
}

static int edit_page(struct req *r, int status, struct tvars *v, const char *path, int is_new)
{
    tv_text(v, "path", path);
    tv_bool(v, "is_new", is_new);
    editor_vars(r, v, path, is_new);
    return layout_page(r, status, is_new ? "New page" : arena_printf(r->a, "Editing %s", path),
                       "edit", v);
}

/* Returns 1 when `space` has pages. */
static int space_exists(struct req *r, const char *space)
{
    for (struct space_item *s = page_store_spaces(r->db, r->a); s; s = s->next)
        if (space && strcmp(s->name, space) == 0)
            return 1;
    return 0;
}

/* Returns the space of the page the person came from (the Referer: a page, its history or
 * editor, a space, or a listing of one), in a, or NULL. */
static const char *came_from_space(struct req *r)
{
    const char *ref = req_header(r, "Referer");
    if (!ref)
        return NULL;
    const char *p = strstr(ref, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    if (!p)
        return NULL;
    static const char *const prefixes[] = {"/wiki/", "/spaces/", "/edit/", "/history/",
                                           "/attachments/", "/pages?space=", "/new?space="};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(p, prefixes[i], n) != 0)
            continue;
        const char *seg = p + n;
        size_t len = strcspn(seg, "/?#&");
        return len && len <= 64 ? arena_strndup(r->a, seg, len) : NULL;
    }
    return NULL;
}

/* The "where" of a new page: the spaces to choose from with `space` chosen ("+new": a new one
 * called new_space), and the address in the space. */
static void where_vars(struct req *r, struct tvars *v, const char *space, const char *new_space,
                       const char *page)
{
    int chosen = 0, is_new = space && strcmp(space, "+new") == 0;
    tv_list(v, "spaces");
    for (struct space_item *s = page_store_spaces(r->db, r->a); s; s = s->next) {
        struct tvars *i = tv_item(v, "spaces");
        int sel = space && strcmp(space, s->name) == 0;
        chosen |= sel;
        tv_text(i, "sname", s->name);
        tv_int(i, "spages", s->pages);
        tv_bool(i, "ssel", sel);
    }
    tv_bool(v, "space_new", is_new);
    tv_bool(v, "space_none", !chosen && !is_new);
    tv_text(v, "new_space", new_space);
    tv_text(v, "page_addr", page);
    tv_text(v, "space_chosen", chosen ? space : "");
}

/* The templates to start from, `chosen` (a path, may be NULL) marked. */
static void template_vars(struct req *r, struct tvars *v, const char *chosen)
{
    tv_text(v, "template", chosen);
    tv_list(v, "templates");
    struct page_item *templates = page_store_list(r->db, r->a, "templates", NULL, 0, 50, NULL);
    tv_bool(v, "has_templates", templates != NULL);
    for (struct page_item *t = templates; t; t = t->next) {
        struct tvars *i = tv_item(v, "templates");
        tv_text(i, "tpath", t->path);
        tv_text(i, "tname", t->title);
        tv_bool(i, "chosen", chosen && strcmp(chosen, t->path) == 0);
    }
}

/* Returns the template page at tpath (a page under templates/), in a, or NULL. */
static struct page *template_page(struct req *r, const char *tpath)
{
    return tpath && strncmp(tpath, "templates/", 10) == 0 && !wikipath_check(tpath)
               ? page_store_get(r->db, r->a, tpath)
               : NULL;
}

/* WEBPAGE: GET /new?space=S&path=P&title=T&template=TP -> 200 an empty editor (to /edit/P when
 * P exists): in space S, or P's space, or the space of the page the person came from (Referer),
 * else asking for one; with template TP's text and tags */
int page_new_form(struct req *r)
{
    const char *path = req_param(r, "path"), *space = req_param(r, "space"), *page = NULL;
    const char *new_space = NULL;
    if (path && !wikipath_check(path) && page_store_get(r->db, r->a, path))
        return resp_redirect(r, arena_printf(r->a, "/edit/%s", path));
    if (path && *path) { /* "ops/backups" or "python-guild/": a space and an address in it */
        const char *slash = strchr(path, '/');
        space = slash ? arena_strndup(r->a, path, (size_t)(slash - path)) : path;
        page = slash ? slash + 1 : "";
    }
    if (!space || !*space)
        space = came_from_space(r);
    if (space && *space && strcmp(space, "+new") != 0 && !space_exists(r, space)) {
        new_space = wikipath_check(space) ? NULL : space; /* a link to a space not yet written */
        space = new_space ? "+new" : NULL;
    }
    struct tvars *v = layout_vars(r);
    struct page *tpl = template_page(r, req_param(r, "template"));
    tv_text(v, "page_title", req_param(r, "title"));
    tv_text(v, "markdown", tpl ? tpl->markdown : "");
    tv_text(v, "tags", tpl ? page_tags_text(r->a, tpl->tags) : "");
    tv_text(v, "summary", "");
    tv_int(v, "base_rev", 0);
    template_vars(r, v, tpl ? tpl->path : NULL);
    where_vars(r, v, space, new_space, page);
    return edit_page(r, 200, v, "", 1);
}

/* Returns the path a new page gets from its form: `path` as typed when there is one (the API's
 * and old forms' way), else the space chosen (or the new one typed) and the address typed in it
 * (or the title made into one). NULL with *why when the space is not chosen or unknown. In a. */
static const char *new_page_path(struct req *r, const char *title, const char **why)
{
    const char *path = req_param(r, "path");
    if (path && *path)
        return path;
    const char *space = req_param(r, "space"), *page = req_param(r, "page");
    if (space && strcmp(space, "+new") == 0) {
        const char *typed = req_param(r, "new_space");
        space = typed ? wikipath_slug(r->a, typed) : "";
        if (!*space) {
            *why = "type the name of the new space (it is the first part of the page's address, "
                   "seen by everyone), or choose an existing space";
            return NULL;
        }
    } else if (!space || !*space) {
        *why = "choose the space this page belongs in";
        return NULL;
    } else if (!space_exists(r, space)) {
        *why = arena_printf(r->a, "there is no space called %s; choose one, or “A new space…” to "
                                  "start one", space);
        return NULL;
    }
    if (page) {
        while (*page == '/' || *page == ' ')
            page++;
    }
    const char *rest = page && *page ? page : title ? wikipath_slug(r->a, title) : "";
    if (!*rest) {
        *why = "give the page a title (its address is made from it) or an address";
        return NULL;
    }
    return arena_printf(r->a, "%s/%s", space, rest);
}

/* Applies template `tpl` to the editor's text: the template's text when nothing was typed yet
 * (or only the previous template's text, `previous`), else the template above what was typed,
 * so that nothing typed is lost. Returns the text in a. */
static const char *with_template(struct req *r, const struct page *tpl, const char *typed,
                                 const char *previous)
{
    const char *t = typed ? typed : "";
    while (*t == ' ' || *t == '\n' || *t == '\t')
        t++;
    struct page *prev = template_page(r, previous);
    if (!*t || (prev && strcmp(page_store_newlines(r->a, prev->markdown), typed) == 0))
        return tpl->markdown;
    return arena_printf(r->a, "%s\n%s", tpl->markdown, typed);
}

/* WEBPAGE: GET /edit/PATH -> 200 the editor with the current text, 404 to create it instead */
int page_edit_form(struct req *r)
{
    const char *why = wikipath_check(r->rest);
    if (why)
        return resp_error(r, 400, why);
    struct page *p = page_store_get(r->db, r->a, r->rest);
    if (!p)
        return resp_redirect(r, arena_printf(r->a, "/new?path=%s", r->rest));
    struct tvars *v = layout_vars(r);
    layout_crumbs(v, r->a, r->rest);
    tv_text(v, "page_title", p->title);
    tv_text(v, "markdown", p->markdown);
    tv_text(v, "tags", page_tags_text(r->a, p->tags));
    tv_text(v, "summary", "");
    tv_int(v, "base_rev", p->rev);
    return edit_page(r, 200, v, p->path, 0);
}

/* Returns the preview of `md` on page `path`, in a: the page's HTML, with images of files
 * dropped into a new page's editor (draft, may be NULL) shown from the draft. */
static const char *preview_html(struct req *r, const char *md, const char *path,
                                const char *draft)
{
    const char *html = page_store_render(r->db, r->a, md ? md : "", path, NULL, NULL);
    if (!draft)
        return html;
    /* The renderer points name.png at /files/PATH/name.png, where the page will keep it; until
     * the first save it is in the draft. Both addresses are made of checked characters only. */
    const char *from = arena_printf(r->a, "src=\"/files/%s/", path);
    const char *to = arena_printf(r->a, "src=\"/drafts/%s/", draft);
    struct buf b;
    buf_init(&b, 0);
    size_t n = strlen(from);
    for (const char *p = html, *hit; *p; p = hit + n) {
        if (!(hit = strstr(p, from))) {
            buf_puts(&b, p);
            break;
        }
        buf_append(&b, p, (size_t)(hit - p));
        buf_puts(&b, to);
    }
    return arena_adopt(r->a, buf_take(&b));
}

/* Fills v with the side-by-side resolution of a conflict: the edit `mine` (started from revision
 * base_rev) against revision theirs_rev, as chunks: agreed text, and each conflict with both
 * versions, the person's pick (pick_K from the request, "mine" at first) and an editable text
 * (text_K, or their own lines). Returns the number of text conflicts, or -1 when a revision is
 * gone. */
static int resolve_vars(struct req *r, struct tvars *v, const char *path, int base_rev,
                        const char *mine, int theirs_rev)
{
    struct page *base = page_store_get_rev(r->db, r->a, path, base_rev);
    struct page *theirs = page_store_get_rev(r->db, r->a, path, theirs_rev);
    if (!base || !theirs)
        return -1;
    size_t n = 0;
    int conflicts = 0, k = 0;
    struct merge_chunk *c = diff_merge3_chunks(r->a, base->markdown, mine, theirs->markdown, &n,
                                               &conflicts);
    tv_bool(v, "resolving", 1);
    tv_int(v, "conflict_count", conflicts);
    tv_bool(v, "has_conflicts", conflicts > 0);
    tv_int(v, "base_rev", base_rev);
    tv_int(v, "theirs_rev", theirs_rev);
    tv_text(v, "theirs_author", theirs->author_name);
    tv_text(v, "theirs_title", strcmp(theirs->title, base->title) != 0 ? theirs->title : "");
    tv_text(v, "theirs_tags", strcmp(theirs->tags, base->tags) != 0 ? page_tags_text(r->a, theirs->tags) : "");
    tv_list(v, "chunks");
    static const char *const picks[] = {"mine", "theirs", "both", "edit"};
    for (size_t i = 0; i < n; i++) {
        struct tvars *it = tv_item(v, "chunks");
        if (!c[i].conflict) {
            int lines = 0;
            for (const char *p = c[i].mine; *p; p++)
                lines += *p == '\n';
            tv_text(it, "agreed", c[i].mine);
            tv_int(it, "agreed_lines", lines);
            continue;
        }
        k++;
        const char *pick = req_param(r, arena_printf(r->a, "pick_%d", k));
        const char *text = req_param(r, arena_printf(r->a, "text_%d", k));
        tv_bool(it, "conflict", 1);
        tv_int(it, "k", k);
        tv_text(it, "c_mine", c[i].mine);
        tv_text(it, "c_theirs", c[i].theirs);
        tv_text(it, "c_edit", text ? text : c[i].mine);
        int rows = 2;
        for (const char *p = text ? text : c[i].mine; *p && rows < 20; p++)
            rows += *p == '\n';
        tv_int(it, "c_rows", rows);
        for (size_t j = 0; j < sizeof picks / sizeof *picks; j++)
            tv_bool(it, arena_printf(r->a, "pick_%s", picks[j]),
                    pick ? strcmp(pick, picks[j]) == 0 : j == 0);
    }
    return conflicts;
}

/* Puts an edited block back as whole lines: text ending in a newline, "" for nothing. */
static void append_block(struct buf *b, const char *text)
{
    if (!*text)
        return;
    buf_puts(b, text);
    if (text[strlen(text) - 1] != '\n')
        buf_putc(b, '\n');
}

/* Builds the text a person resolved: the agreed chunks of mine (from base_rev) against
 * theirs_rev, with each conflict K as pick_K says (mine, theirs, both, or text_K as edited).
 * Returns it in r's arena, or NULL with *why (400 or 409 in *status). */
static const char *resolved_text(struct req *r, const char *path, int base_rev, const char *mine,
                                 int theirs_rev, int *status, const char **why)
{
    struct page *base = page_store_get_rev(r->db, r->a, path, base_rev);
    struct page *theirs = page_store_get_rev(r->db, r->a, path, theirs_rev);
    if (!base || !theirs) {
        *status = 409;
        *why = "a revision this resolution was made against is gone; edit the page again";
        return NULL;
    }
    size_t n = 0;
    int conflicts = 0, k = 0;
    struct merge_chunk *c = diff_merge3_chunks(r->a, base->markdown, mine ? mine : "",
                                               theirs->markdown, &n, &conflicts);
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        if (!c[i].conflict) {
            buf_puts(&b, c[i].mine);
            continue;
        }
        k++;
        const char *pick = req_param(r, arena_printf(r->a, "pick_%d", k));
        const char *text = req_param(r, arena_printf(r->a, "text_%d", k));
        if (pick && strcmp(pick, "mine") == 0)
            buf_puts(&b, c[i].mine);
        else if (pick && strcmp(pick, "theirs") == 0)
            buf_puts(&b, c[i].theirs);
        else if (pick && strcmp(pick, "both") == 0)
            buf_puts(&b, c[i].mine), buf_puts(&b, c[i].theirs);
        else if (pick && strcmp(pick, "edit") == 0 && text)
            append_block(&b, page_store_newlines(r->a, text));
        else {
            buf_free(&b);
            *status = 400;
            *why = arena_printf(r->a, "choose yours, theirs, both or your edit for conflict %d", k);
            return NULL;
        }
    }
    return arena_adopt(r->a, buf_take(&b));
}

/* WEBPAGE: POST /edit/PATH (title, markdown, tags, summary, base_rev, csrf, preview|save; path
 * when PATH is empty; resolve=1, theirs_rev, pick_K=mine|theirs|both|edit and text_K when
 * resolving a conflict) -> 303 to the page when saved; 200 the editor with a preview; 400 the
 * editor with what is wrong; 409 the editor with both versions side by side, the conflicting
 * blocks marked, for the person to pick or edit each and save again */
int page_edit_save(struct req *r)
{
    const char *title = req_param(r, "title"), *where_why = NULL;
    const char *path = *r->rest ? r->rest : new_page_path(r, title, &where_why);
    struct page_edit e = {
        .path = path ? path : "",
        .title = title,
        .markdown = page_store_newlines(r->a, req_param(r, "markdown")),
        .tags = req_param(r, "tags"),
        .summary = req_param(r, "summary"),
        .base_rev = req_param(r, "base_rev") ? atoi(req_param(r, "base_rev")) : 0,
        .author_id = r->user->id,
    };
    int is_new = !*r->rest;
    struct tvars *v = layout_vars(r);
    tv_text(v, "page_title", e.title);
    tv_text(v, "markdown", e.markdown);
    tv_text(v, "tags", e.tags);
    tv_text(v, "summary", e.summary);
    tv_int(v, "base_rev", e.base_rev);
    if (is_new) {
        const char *draft = req_param(r, "draft");
        e.draft = attach_draft_key_check(draft) ? NULL : draft;
        const char *tpath = req_param(r, "use_template");
        struct page *tpl = template_page(r, tpath);
        template_vars(r, v, tpl ? tpl->path : req_param(r, "template"));
        where_vars(r, v, req_param(r, "space"), req_param(r, "new_space"), req_param(r, "page"));
        if (tpl) { /* choosing a template keeps the title, the place and what was typed */
            tv_text(v, "markdown", with_template(r, tpl, e.markdown, req_param(r, "template")));
            if (!e.tags || !*e.tags)
                tv_text(v, "tags", page_tags_text(r->a, tpl->tags));
            return edit_page(r, 200, v, "", 1);
        }
        if (!path) {
            tv_text(v, "error", where_why);
            return edit_page(r, 400, v, "", 1);
        }
    }
    const char *resolving = req_param(r, "resolve");
    int theirs_rev = req_param(r, "theirs_rev") ? atoi(req_param(r, "theirs_rev")) : 0;
    if (resolving && !is_new && theirs_rev > 0 && e.base_rev > 0) {
        /* The person chose how each conflict ends; that text is an edit of theirs_rev. */
        int status = 400;
        const char *why = NULL, *text = resolved_text(r, e.path, e.base_rev, e.markdown,
                                                      theirs_rev, &status, &why);
        if (!text) {
            tv_text(v, "error", why);
            if (status == 400 && resolve_vars(r, v, e.path, e.base_rev, e.markdown, theirs_rev) >= 0)
                return edit_page(r, 400, v, e.path, 0);
            return resp_error(r, status, why);
        }
        e.markdown = text;
        e.base_rev = theirs_rev;
        tv_text(v, "markdown", e.markdown);
        tv_int(v, "base_rev", e.base_rev);
    }
    if (req_param(r, "preview")) {
        tv_html(v, "preview", preview_html(r, e.markdown, e.path, e.draft));
        return edit_page(r, 200, v, is_new ? "" : e.path, is_new);
    }
    int rev = 0;
    const char *why = NULL;
    enum page_save_result res = page_store_save(r->db, r->a, &e, &rev, &why);
    if (res == PAGE_CREATED || res == PAGE_UPDATED)
        return resp_redirect(r, url_page(r->a, e.path));
    if (res == PAGE_MERGED)
        return resp_redirect(r, arena_printf(r->a, "/wiki/%s?merged=%d", e.path, e.base_rev));
    if (res == PAGE_CONFLICT && e.base_rev > 0 && rev > e.base_rev &&
        resolve_vars(r, v, e.path, e.base_rev, e.markdown ? e.markdown : "", rev) >= 0)
        return edit_page(r, 409, v, e.path, is_new);
    tv_text(v, "error", why);
    return edit_page(r, (int)res, v, is_new ? "" : e.path, is_new);
}

/* API: POST /api/preview (markdown, path or space+page+title, draft; csrf) -> 200 {html}: the
 * Markdown as the page would show it, for the editor's live preview; nothing is stored */
int page_api_preview(struct req *r)
{
    const char *why = NULL, *path = req_param(r, "edit_path");
    if (!path || !*path)
        path = new_page_path(r, req_param(r, "title"), &why);
    if (!path || wikipath_check(path))
        path = "preview";
    const char *draft = req_param(r, "draft");
    const char *html = preview_html(r, page_store_newlines(r->a, req_param(r, "markdown")), path,
                                    attach_draft_key_check(draft) ? NULL : draft);
    return resp_json(r, 200, json_pack("{s:s}", "html", html));
}

/* ---- JSON API ---- */

static json_t *tags_json(const char *tags)
{
    json_t *arr = json_array();
    for (const char *p = tags; p && *p;) {
        size_t n = strcspn(p, PAGE_TAGS_SEP);
        json_array_append_new(arr, json_stringn(p, n));
        p += n + (p[n] != 0);
    }
    return arr;
}

static json_t *page_json(struct arena *a, const struct page *p)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:i, s:s, s:s}", "path", p->path, "title",
                     p->title, "markdown", p->markdown, "html", p->html, "tags", tags_json(p->tags),
                     "space", p->space, "revision", p->rev, "author", p->author_login,
                     "updated_at", layout_iso_time(a, p->updated_at));
}

/* API: GET /api/pages/PATH -> 200 {path,title,markdown,html,tags,space,revision,author,updated_at};
 * 404; 400 bad path */
int page_api_get(struct req *r)
{
    int sent;
    struct page *p = wiki_http_load_page(r, r->rest, WIKI_HTTP_MISSING, &sent);
    return p ? resp_json(r, 200, page_json(r->a, p)) : sent;
}

/* API: GET /api/pages/PATH/backlinks -> 200 {path, backlinks: [{path, title}]} */
int page_api_backlinks(struct req *r)
{
    json_t *arr = json_array();
    for (struct page_item *it = link_store_backlinks(r->db, r->a, r->rest); it; it = it->next)
        json_array_append_new(arr, json_pack("{s:s, s:s}", "path", it->path, "title", it->title));
    return resp_json(r, 200, json_pack("{s:s, s:o}", "path", r->rest, "backlinks", arr));
}

/* API: GET /api/pages?space=&tag=&limit= -> 200 {pages:[{path,title,space,updated_at,editor}]} */
int page_api_list(struct req *r)
{
    const char *limit_s = req_param(r, "limit");
    int limit = limit_s ? atoi(limit_s) : 1000;
    if (limit < 1 || limit > 10000)
        return resp_error(r, 400, "limit must be between 1 and 10000");
    json_t *arr = json_array();
    for (struct page_item *it = page_store_list(r->db, r->a, req_param(r, "space"),
                                                req_param(r, "tag"), 0, limit, NULL);
         it; it = it->next)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "path", it->path,
                                             "title", it->title, "space", it->space, "updated_at",
                                             layout_iso_time(r->a, it->updated_at), "editor",
                                             it->editor_name));
    return resp_json(r, 200, json_pack("{s:o}", "pages", arr));
}

/* Parses "2024-03-01T10:00:00Z" (or with no Z); returns seconds or -1. */
static int64_t parse_iso(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end || (*end && strcmp(end, "Z") != 0))
        return -1;
    return (int64_t)timegm(&tm);
}

/* API: PUT /api/pages/PATH {title, markdown, tags, summary, base_revision[, author, created_at]}
 * -> 201 created, 200 updated (the page as GET returns it); 409 {error, current_revision} when
 * base_revision is not the current one; 400 bad input; 401/403. author and created_at (import)
 * are accepted from admins only. */
int page_api_put(struct req *r)
{
    const char *why = wikipath_check(r->rest);
    if (why)
        return resp_error(r, 400, why);
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    json_t *title = json_object_get(in, "title"), *md = json_object_get(in, "markdown");
    json_t *summary = json_object_get(in, "summary"), *base = json_object_get(in, "base_revision");
    json_t *author = json_object_get(in, "author"), *created = json_object_get(in, "created_at");
    struct page_edit e = {.path = r->rest, .author_id = r->user->id, .base_rev = -1};
    int status = 400;
    if (!json_is_string(title) || !json_is_string(md)) {
        why = "send at least {\"title\": \"…\", \"markdown\": \"…\"} as strings";
        goto done;
    }
    if (summary && !json_is_string(summary)) {
        why = "summary must be a string";
        goto done;
    }
    if (base && !json_is_integer(base)) {
        why = "base_revision must be an integer (0 for a new page)";
        goto done;
    }
    if ((author || created) && r->user->role != ROLE_ADMIN) {
        status = 403;
        why = "only admins may set author or created_at";
        goto done;
    }
    if (author) {
        struct user *u = json_is_string(author)
                             ? user_store_by_login(r->db, r->a, json_string_value(author))
                             : NULL;
        if (!u) {
            why = "author must be the login of an existing user";
            goto done;
        }
        e.author_id = u->id;
    }
    if (created && (!json_is_string(created) || (e.at = parse_iso(json_string_value(created))) < 0)) {
        why = "created_at must look like 2024-03-01T10:00:00Z";
        goto done;
    }
    e.title = arena_strdup(r->a, json_string_value(title));
    e.markdown = arena_strdup(r->a, json_string_value(md));
    e.summary = summary ? arena_strdup(r->a, json_string_value(summary)) : "";
    if (base)
        e.base_rev = (int)json_integer_value(base);
    if (!(e.tags = form_json_tags(r->a, json_object_get(in, "tags")))) {
        why = "tags must be an array of strings";
        goto done;
    }
    json_decref(in);
    in = NULL;
    int rev = 0;
    enum page_save_result res = page_store_save(r->db, r->a, &e, &rev, &why);
    if (res == PAGE_CREATED || res == PAGE_UPDATED || res == PAGE_MERGED) {
        json_t *out = page_json(r->a, page_store_get(r->db, r->a, e.path));
        json_object_set_new(out, "merged", json_boolean(res == PAGE_MERGED));
        return resp_json(r, res == PAGE_CREATED ? 201 : 200, out);
    }
    if (res == PAGE_CONFLICT)
        return resp_json(r, 409, json_pack("{s:s, s:i}", "error", why, "current_revision", rev));
    status = (int)res;
done:
    json_decref(in);
    return resp_error(r, status, why);
}

/* API: POST /api/pages/PATH/move {to} -> 200 {path}; 400, 404, 409 as for the pages */
int page_api_move(struct req *r)
{
    const char *why = NULL;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    json_t *to = json_object_get(in, "to");
    const char *dest = json_is_string(to) ? arena_strdup(r->a, json_string_value(to)) : NULL;
    json_decref(in);
    if (!dest)
        return resp_error(r, 400, "send {\"to\": \"new/path\"}");
    const char *path = r->rest;
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = link_store_move(r->db, r->a, path, dest, &why);
    rc = audit_http_end(r, rc, AUDIT_PAGE_MOVE, path, arena_printf(r->a, "to %s", dest), &why);
    return rc ? resp_error(r, rc, why) : resp_json(r, 200, json_pack("{s:s}", "path", dest));
}

/* API: POST /api/pages/PATH/revert {revision} -> 200 the page; 400, 404, 409 as for the pages */
int page_api_revert(struct req *r)
{
    const char *path = r->rest, *why = NULL;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    json_t *n = json_object_get(in, "revision");
    int number = json_is_integer(n) ? (int)json_integer_value(n) : 0;
    json_decref(in);
    struct page *cur = page_store_get(r->db, r->a, path);
    struct page *old = cur ? page_store_get_rev(r->db, r->a, path, number) : NULL;
    if (!old)
        return resp_error(r, 404, "send {\"revision\": N} naming a revision of an existing page");
    struct page_edit e = {.path = path, .title = old->title, .markdown = old->markdown,
                          .tags = old->tags, .base_rev = -1, .author_id = r->user->id,
                          .summary = arena_printf(r->a, "Restored revision %d", number)};
    int rev;
    enum page_save_result res = page_store_save(r->db, r->a, &e, &rev, &why);
    if (res != PAGE_UPDATED && res != PAGE_MERGED)
        return resp_error(r, (int)res, why);
    return resp_json(r, 200, page_json(r->a, page_store_get(r->db, r->a, path)));
}

/* API: DELETE /api/pages/PATH -> 200 {deleted: PATH} (to the trash); 404 */
int page_api_delete(struct req *r)
{
    const char *why;
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = link_store_delete(r->db, r->a, r->rest, r->user->id, &why);
    rc = audit_http_end(r, rc, AUDIT_PAGE_DELETE, r->rest, "to the trash", &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, 200, json_pack("{s:s}", "deleted", r->rest));
}
