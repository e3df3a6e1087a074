#include "wiki/structure_http.h"
#include "http/layout.h"
#include "wiki/link_store.h"
#include "wiki/wikipath.h"

#include <stdlib.h>
#include <string.h>

/* WEBPAGE: GET /links/PATH -> 200 the pages that link to PATH (or to its old paths) */
int structure_backlinks(struct req *r)
{
    const char *why = wikipath_check(r->rest);
    if (why)
        return resp_error(r, 400, why);
    struct page *p = page_store_get(r->db, r->a, r->rest);
    struct tvars *v = layout_vars(r);
    layout_crumbs(v, r->a, r->rest);
    tv_text(v, "path", r->rest);
    tv_text(v, "page_title", p ? p->title : r->rest);
    tv_bool(v, "exists", p != NULL);
    layout_page_items(v, r->a, "pages", link_store_backlinks(r->db, r->a, r->rest));
    return layout_page(r, 200, "What links here", "backlinks", v);
}

/* WEBPAGE: GET /wanted -> 200 paths that pages link to but nobody wrote, most wanted first */
int structure_wanted(struct req *r)
{
    struct tvars *v = layout_vars(r);
    tv_list(v, "wanted");
    for (struct wanted_item *w = link_store_wanted(r->db, r->a, 500); w; w = w->next) {
        struct tvars *i = tv_item(v, "wanted");
        tv_text(i, "path", w->path);
        tv_int(i, "count", w->count);
    }
    return layout_page(r, 200, "Wanted pages", "wanted", v);
}

/* WEBPAGE: GET /orphans -> 200 pages no other page links to */
int structure_orphans(struct req *r)
{
    struct tvars *v = layout_vars(r);
    layout_page_items(v, r->a, "pages", link_store_orphans(r->db, r->a, 2000));
    tv_text(v, "heading", "Orphaned pages");
    tv_text(v, "space", "");
    tv_text(v, "tag", "");
    tv_text(v, "count", "");
    return layout_page(r, 200, "Orphaned pages", "pages", v);
}

/* WEBPAGE: GET /spaces/NAME -> 200 the space's pages as a tree, by path */
int structure_space(struct req *r)
{
    const char *why = wikipath_check(r->rest);
    if (why || strchr(r->rest, '/'))
        return resp_error(r, 400, why ? why : "a space is a single path segment");
    struct page_item *pages = link_store_below(r->db, r->a, r->rest, 0);
    struct page *home = page_store_get(r->db, r->a, r->rest);
    struct tvars *v = layout_vars(r);
    tv_text(v, "space", r->rest);
    tv_bool(v, "has_home", home != NULL);
    tv_text(v, "home_title", home ? home->title : "");
    tv_list(v, "tree");
    int n = 0;
    for (struct page_item *it = pages; it; it = it->next, n++) {
        struct tvars *i = tv_item(v, "tree");
        int depth = 0;
        for (const char *c = it->path + strlen(r->rest) + 1; *c; c++)
            depth += *c == '/';
        tv_text(i, "path", it->path);
        tv_text(i, "title", it->title);
        tv_text(i, "leaf", strrchr(it->path, '/') + 1);
        tv_text(i, "indent", arena_printf(r->a, "depth-%d", depth > 6 ? 6 : depth));
        tv_text(i, "updated", layout_date(r->a, it->updated_at));
    }
    if (!n && !home)
        return resp_error(r, 404, "there is no space with this name");
    tv_int(v, "count", n);
    return layout_page(r, 200, arena_printf(r->a, "Space %s", r->rest), "space", v);
}

/* WEBPAGE: GET /move/PATH -> 200 a form asking for the new path */
int structure_move_form(struct req *r)
{
    const char *why = wikipath_check(r->rest);
    if (why)
        return resp_error(r, 400, why);
    struct page *p = page_store_get(r->db, r->a, r->rest);
    if (!p)
        return resp_error(r, 404, "there is no page at this path");
    struct tvars *v = layout_vars(r);
    layout_crumbs(v, r->a, p->path);
    tv_text(v, "path", p->path);
    tv_text(v, "page_title", p->title);
    tv_text(v, "to", req_param(r, "to") ? req_param(r, "to") : p->path);
    tv_text(v, "error", NULL);
    return layout_page(r, 200, arena_printf(r->a, "Move %s", p->title), "move", v);
}

/* WEBPAGE: POST /move/PATH (to, csrf) -> 303 to the page at its new path (the old path redirects);
 * 400 bad path, 404, 409 the new path is taken (the form again, saying so) */
int structure_move(struct req *r)
{
    const char *to = req_param(r, "to"), *why = NULL;
    int rc = link_store_move(r->db, r->a, r->rest, to ? to : "", &why);
    if (rc == 0)
        return resp_redirect(r, arena_printf(r->a, "/wiki/%s", to));
    if (rc == 404)
        return resp_error(r, 404, why);
    struct tvars *v = layout_vars(r);
    tv_text(v, "path", r->rest);
    tv_text(v, "page_title", r->rest);
    tv_text(v, "to", to);
    tv_text(v, "error", why);
    return layout_page(r, rc, "Move a page", "move", v);
}

/* WEBPAGE: POST /delete/PATH (csrf) -> 303 to the home page; the page goes to the trash */
int structure_delete(struct req *r)
{
    const char *why;
    int rc = link_store_delete(r->db, r->a, r->rest, r->user->id, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_redirect(r, "/?deleted=1");
}

/* WEBPAGE: GET /trash -> 200 deleted pages with a restore button (admins) */
int structure_trash(struct req *r)
{
    struct tvars *v = layout_vars(r);
    tv_list(v, "trash");
    for (struct trash_item *t = link_store_trash(r->db, r->a); t; t = t->next) {
        struct tvars *i = tv_item(v, "trash");
        tv_int(i, "id", t->id);
        tv_text(i, "path", t->path);
        tv_text(i, "title", t->title);
        tv_text(i, "deleted_by", t->deleted_by);
        tv_text(i, "when", layout_date(r->a, t->deleted_at));
    }
    return layout_page(r, 200, "Trash", "trash", v);
}

/* WEBPAGE: POST /restore (id, csrf) -> 303 back to the trash; 404; 409 its path is taken */
int structure_restore(struct req *r)
{
    const char *id = req_param(r, "id"), *why;
    int rc = link_store_restore(r->db, r->a, id ? atoll(id) : 0, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_redirect(r, "/trash");
}

/* API: GET /api/trash -> 200 {trash: [{id, path, title, deleted_by, deleted_at}]} (admins) */
int structure_api_trash(struct req *r)
{
    json_t *arr = json_array();
    for (struct trash_item *t = link_store_trash(r->db, r->a); t; t = t->next)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)t->id,
                                             "path", t->path, "title", t->title, "deleted_by",
                                             t->deleted_by, "deleted_at",
                                             (json_int_t)t->deleted_at));
    return resp_json(r, 200, json_pack("{s:o}", "trash", arr));
}

/* API: POST /api/trash/ID/restore -> 200 {restored: ID}; 404; 409 (admins) */
int structure_api_restore(struct req *r)
{
    char *end;
    long long id = strtoll(r->rest, &end, 10);
    if (id <= 0 || strcmp(end, "/restore") != 0)
        return resp_error(r, 404, "use POST /api/trash/ID/restore with an id from GET /api/trash");
    const char *why;
    int rc = link_store_restore(r->db, r->a, id, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, 200, json_pack("{s:I}", "restored", (json_int_t)id));
}
