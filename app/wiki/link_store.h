/* link_store: how pages hang together: backlinks, wanted and orphaned pages, children, redirects
 * of moved pages, and the trash (the SQL for structure). */
#ifndef KEN_LINK_STORE_H
#define KEN_LINK_STORE_H
#include "wiki/page_store.h"

/* Live pages whose current revision links to `path` or to one of its old paths, by title. */
struct page_item *link_store_backlinks(struct db *db, struct arena *a, const char *path);
/* A missing page and how many pages link to it. */
struct wanted_item {
    const char *path;
    int count;
    struct wanted_item *next;
};
/* Paths that pages link to but that are neither pages nor redirects, most wanted first. */
struct wanted_item *link_store_wanted(struct db *db, struct arena *a, int limit);
/* Live pages nothing links to (by path or old path), by path. */
struct page_item *link_store_orphans(struct db *db, struct arena *a, int limit);
/* Live pages under `prefix` ("a/b" gives a/b/c and a/b/c/d), by path; depth 1: children only. */
struct page_item *link_store_below(struct db *db, struct arena *a, const char *prefix, int children_only);
/* The current path of the page that used to live at `path`, in a, or NULL. */
const char *link_store_redirect(struct db *db, struct arena *a, const char *path);

/* Moves the live page at `from` to `to` (a new revision is not made; history stays). The old
 * path becomes a redirect. Returns 0, or an HTTP status with *why: 400 bad path, 404 no page,
 * 409 `to` is taken, 503 busy. */
int link_store_move(struct db *db, struct arena *a, const char *from, const char *to,
                    const char **why);
/* Puts the page in the trash (soft delete); 0, or 404/503 with *why. */
int link_store_delete(struct db *db, struct arena *a, const char *path, int64_t user_id,
                      const char **why);
/* Takes page `id` out of the trash; 0, or 404 (not in the trash), 409 (its path was taken since). */
int link_store_restore(struct db *db, struct arena *a, int64_t id, const char **why);
/* A page in the trash. */
struct trash_item {
    int64_t id;
    const char *path, *title, *deleted_by;
    int64_t deleted_at;
    struct trash_item *next;
};
struct trash_item *link_store_trash(struct db *db, struct arena *a);

#endif
