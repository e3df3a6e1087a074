#include "wiki/structure_http.h"
#include "wiki/wiki_http.h"
#include "markup/url.h"
#include "accounts/audit_http.h"
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

/* Orders paths as a tree walks them: segment by segment, so a folder's pages follow it directly
 * ("a/b/c" before "a/b-c", which plain byte order would put between "a/b" and "a/b/c"). */
static int tree_order(const void *x, const void *y)
{
    const unsigned char *a = (const unsigned char *)(*(struct page_item *const *)x)->path;
    const unsigned char *b = (const unsigned char *)(*(struct page_item *const *)y)->path;
    for (; *a && *a == *b; a++, b++)
        ;
    int ca = *a == '/' ? 1 : *a, cb = *b == '/' ? 1 : *b;
    return ca - cb;
}

/* One open level of the tree being built: a page or folder that may get children. */
struct tree_level {
    const char *seg;      /* the segment (not NUL-terminated) */
    size_t len;
    struct tvars *item;
    int has_children;
};

static struct tvars *tree_add(struct req *r, struct tvars *v, struct tree_level *stack, int level, const char *seg,
                              size_t len)
{
    if (level > 0 && !stack[level - 1].has_children) {
        stack[level - 1].has_children = 1;
        tv_bool(stack[level - 1].item, "children", 1);
    }
    struct tvars *i = tv_item(v, "tree");
    tv_bool(i, "children", 0);
    tv_list(i, "ends");
    tv_bool(i, "folder", 0);
    tv_text(i, "leaf", arena_strndup(r->a, seg, len));
    stack[level] = (struct tree_level){seg, len, i, 0};
    return i;
}

/* Builds the space's tree as nested lists: one item per page and per folder (a path segment
 * with pages below it but no page of its own, e.g. engineering/firmware). Each item says whether
 * a nested list of children follows it (`children`) and, in `ends`, how many lists close after
 * it. Returns the number of pages; items in v's arena. */
static int space_tree(struct req *r, struct tvars *v, const char *space, struct page_item *pages)
{
    int n = 0;
    for (struct page_item *it = pages; it; it = it->next)
        n++;
    struct page_item **sorted = arena_alloc(r->a, (size_t)(n ? n : 1) * sizeof *sorted);
    int k = 0;
    for (struct page_item *it = pages; it; it = it->next)
        sorted[k++] = it;
    qsort(sorted, (size_t)n, sizeof *sorted, tree_order);
    tv_list(v, "tree");
    struct tree_level stack[WIKIPATH_DEPTH_MAX + 1];
    int depth = 0;
    struct tvars *last = NULL;
    size_t skip = strlen(space) + 1;
    for (int p = 0; p < n; p++) {
        const char *segs[WIKIPATH_DEPTH_MAX + 1];
        size_t lens[WIKIPATH_DEPTH_MAX + 1];
        int nseg = 0;
        for (const char *c = sorted[p]->path + skip; *c && nseg <= WIKIPATH_DEPTH_MAX;) {
            size_t len = strcspn(c, "/");
            segs[nseg] = c;
            lens[nseg++] = len;
            c += len + (c[len] == '/');
        }
        int common = 0;
        while (common < depth && common < nseg - 1 && stack[common].len == lens[common] &&
               memcmp(stack[common].seg, segs[common], lens[common]) == 0)
            common++;
        for (; depth > common; depth--)
            if (stack[depth - 1].has_children)
                tv_item(last, "ends");
        for (; depth < nseg - 1; depth++) {
            struct tvars *f = tree_add(r, v, stack, depth, segs[depth], lens[depth]);
            tv_bool(f, "folder", 1);
            tv_text(f, "path", arena_strndup(r->a, sorted[p]->path, (size_t)(segs[depth] +
                                                                      lens[depth] -
                                                                      sorted[p]->path)));
            tv_text(f, "title", "");
        }
        last = tree_add(r, v, stack, depth++, segs[nseg - 1], lens[nseg - 1]);
        tv_text(last, "path", sorted[p]->path);
        tv_text(last, "title", sorted[p]->title);
        tv_text(last, "updated", layout_date(r->a, sorted[p]->updated_at));
    }
    for (; depth > 0; depth--)
        if (stack[depth - 1].has_children)
            tv_item(last, "ends");
    return n;
}

/* WEBPAGE: GET /spaces/NAME -> 200 the space's pages as a tree that follows their paths, with
 * folders that have pages below them but no page of their own; 400 bad name, 404 no such space */
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
    int n = space_tree(r, v, r->rest, pages);
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
    struct tvars *v = wiki_http_page_vars(r, p);
    tv_text(v, "to", req_param(r, "to") ? req_param(r, "to") : p->path);
    tv_text(v, "error", NULL);
    return layout_page(r, 200, arena_printf(r->a, "Move %s", p->title), "move", v);
}

/* WEBPAGE: POST /move/PATH (to, csrf) -> 303 to the page at its new path (the old path redirects);
 * 400 bad path, 404, 409 the new path is taken (the form again, saying so) */
int structure_move(struct req *r)
{
    const char *to = req_param(r, "to"), *why = NULL;
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = link_store_move(r->db, r->a, r->rest, to ? to : "", &why);
    rc = audit_http_end(r, rc, AUDIT_PAGE_MOVE, r->rest, arena_printf(r->a, "to %s", to ? to : ""),
                        &why);
    if (rc == 0)
        return resp_redirect(r, url_page(r->a, to));
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
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = link_store_delete(r->db, r->a, r->rest, r->user->id, &why);
    rc = audit_http_end(r, rc, AUDIT_PAGE_DELETE, r->rest, "to the trash", &why);
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

/* Restores page `id` from the trash and records it in the audit log, by its path, together.
 * Returns 0, or the status with *why. */
static int restore(struct req *r, int64_t id, const char **why)
{
    const char *path = "";
    for (struct trash_item *t = link_store_trash(r->db, r->a); t; t = t->next)
        if (t->id == id)
            path = t->path;
    int rc = audit_http_begin(r, why);
    if (!rc)
        rc = link_store_restore(r->db, r->a, id, why);
    return audit_http_end(r, rc, AUDIT_PAGE_RESTORE, path, arena_printf(r->a, "page %lld from the "
                          "trash", (long long)id), why);
}

/* WEBPAGE: POST /restore (id, csrf) -> 303 back to the trash; 404; 409 its path is taken */
int structure_restore(struct req *r)
{
    const char *id = req_param(r, "id"), *why;
    int rc = restore(r, id ? atoll(id) : 0, &why);
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
    int rc = restore(r, id, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, 200, json_pack("{s:I}", "restored", (json_int_t)id));
}
