/* page_store: pages, their revisions, tags and links (the SQL for pages). */
#ifndef KEN_PAGE_STORE_H
#define KEN_PAGE_STORE_H
#include "core/arena.h"
#include "core/db.h"
#include "wiki/wikipath.h"

struct page {
    int64_t id;
    const char *path, *space, *title;
    const char *markdown, *html, *tags; /* tags: comma-separated (PAGE_TAGS_SEP) */
    int rev;                            /* current revision number */
    const char *author_login, *author_name; /* of the current revision */
    const char *summary;
    int64_t created_at, updated_at;
    const char *toc;                    /* table of contents HTML, "" for short pages */
    int rev_count;                      /* the page's newest revision number */
};

struct page_edit {
    const char *path, *title, *markdown, *tags, *summary;
    int base_rev;       /* the revision the edit started from; 0 for a new page; -1: not checked */
    int64_t author_id;
    int64_t at;         /* 0: now */
    const char *draft;  /* a new page: the key of the files dropped into its editor before this
                         * first save (attach_store_draft_*), which become its attachments */
};

enum page_save_result {
    PAGE_CREATED = 201,
    PAGE_UPDATED = 200,
    PAGE_MERGED = 1200, /* updated, after merging with revisions saved meanwhile (an HTTP 200) */
    PAGE_INVALID = 400,
    PAGE_CONFLICT = 409,
    PAGE_BUSY = 503,
    PAGE_FAILED = 500,
};

/* Returns the page at `path` with its current revision, in a, or NULL. */
struct page *page_store_get(struct db *db, struct arena *a, const char *path);
/* Returns revision `number` of the page at path (as a struct page), in a, or NULL. */
struct page *page_store_get_rev(struct db *db, struct arena *a, const char *path, int number);
/* Validates and saves an edit as a new revision, all in one transaction (rendered before it
 * starts; a text beyond the render bounds is PAGE_INVALID with the reason). When revisions were
 * saved since e->base_rev and they changed other lines than this edit, the two are merged
 * (PAGE_MERGED); when they overlap, nothing is saved (PAGE_CONFLICT). Returns a
 * page_save_result; *rev gets the new revision number (or the current one on conflict); *why a
 * message for INVALID/CONFLICT/FAILED (static or in a). */
enum page_save_result page_store_save(struct db *db, struct arena *a, const struct page_edit *e,
                                      int *rev, const char **why);
/* Returns s with every CRLF or lone CR made '\n' (as a browser's form sends text with CRLF), in
 * a; NULL for NULL. Pages are stored so. */
char *page_store_newlines(struct arena *a, const char *s);
/* Resolves a wiki link target for the Markdown renderer (see markdown_resolve_fn); ctx is a db. */
const char *page_store_resolve(void *ctx, struct arena *a, const char *from, const char *target,
                               int *exists);

/* Returns the HTML of a page's Markdown `md` (on page `path`), in a: markdown_render with wiki
 * links resolved in db, and each @login of an existing account (people who left too; the first
 * 1,000 different logins of the page) a link to their profile. *links (may be NULL) as
 * markdown_render gives them. A text beyond the render bounds: with why, NULL and *why (for the
 * writer); without, the text as written (markdown_render_people). */
struct markdown_link;
char *page_store_render(struct db *db, struct arena *a, const char *md, const char *path,
                        struct markdown_link **links, const char **why);

/* Renders every page's current revision again and rebuilds its links, in one transaction
 * (after the renderer changed, or after loading pages that link to each other). Returns 0 or -1. */
int page_store_reindex(struct db *db, struct arena *a);

/* One revision in a page's history. */
struct revision_item {
    int number;
    const char *author_login, *author_name, *summary, *title;
    int64_t created_at, size, delta; /* delta: bytes added (+) or removed (-) by this revision */
    struct revision_item *next;
};
/* The revisions of page `page_id`, newest first, in a. */
struct revision_item *page_store_revisions(struct db *db, struct arena *a, int64_t page_id);

/* A page in a listing. */
struct page_item {
    const char *path, *title, *space, *editor_name;
    int64_t updated_at;
    struct page_item *next;
};
/* Lists pages (space and tag may be NULL or ""), newest first when recent, else by path; at most
 * limit. Returns the list in a (NULL when none); *count gets the number listed. */
struct page_item *page_store_list(struct db *db, struct arena *a, const char *space,
                                  const char *tag, int recent, int limit, int *count);
/* Reads the rows of st (path, title, space, editor name, updated_at) as a list in a, in order,
 * and resets st. For the listing queries of page_store, link_store and others. */
struct page_item *page_store_items(struct arena *a, sqlite3_stmt *st);
/* A space and how many pages it has. */
struct space_item {
    const char *name;
    int pages;
    struct space_item *next;
};
struct space_item *page_store_spaces(struct db *db, struct arena *a);

/* Returns the number of live (not deleted) pages, or -1. */
int64_t page_store_count_live(struct db *db);

#endif
