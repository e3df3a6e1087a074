#include "wiki/page_store.h"
#include "wiki/attach_store.h"
#include "core/buf.h"
#include "wiki/contrib_store.h"
#include "markup/diff.h"
#include "notify/inbox_store.h"
#include "markup/markdown.h"
#include "markup/mention.h"
#include "core/utf8.h"
#include <jansson.h>
#include "search/search_index.h"
#include "markup/textify.h"
#include "wiki/wikipath.h"

#include <string.h>
#include <time.h>

enum { TITLE_MAX = 200, MARKDOWN_MAX = 1 << 20, SUMMARY_MAX = 300 };

static const char *const SQL_PAGE =
    "SELECT p.id, p.path, p.space, p.title, r.markdown, r.html, r.tags, r.number, "
    "coalesce(u.login, ''), coalesce(u.name, 'ken'), r.summary, p.created_at, r.created_at, "
    "r.toc, p.rev_count "
    "FROM pages p JOIN revisions r ON r.id = p.current_rev LEFT JOIN users u ON u.id = r.author_id "
    "WHERE p.path = :path AND p.deleted_at IS NULL";

static const char *const SQL_PAGE_REV =
    "SELECT p.id, p.path, p.space, r.title, r.markdown, r.html, r.tags, r.number, "
    "coalesce(u.login, ''), coalesce(u.name, 'ken'), r.summary, p.created_at, r.created_at, "
    "r.toc, p.rev_count "
    "FROM pages p JOIN revisions r ON r.page_id = p.id LEFT JOIN users u ON u.id = r.author_id "
    "WHERE p.path = :path AND p.deleted_at IS NULL AND r.number = :number";

static struct page *page_from_row(struct arena *a, sqlite3_stmt *st)
{
    struct page *p = arena_alloc(a, sizeof *p);
    p->id = db_col_int(st, 0);
    p->path = arena_strdup(a, db_col_text(st, 1));
    p->space = arena_strdup(a, db_col_text(st, 2));
    p->title = arena_strdup(a, db_col_text(st, 3));
    p->markdown = arena_strdup(a, db_col_text(st, 4));
    p->html = arena_strdup(a, db_col_text(st, 5));
    p->tags = arena_strdup(a, db_col_text(st, 6));
    p->rev = (int)db_col_int(st, 7);
    p->author_login = arena_strdup(a, db_col_text(st, 8));
    p->author_name = arena_strdup(a, db_col_text(st, 9));
    p->summary = arena_strdup(a, db_col_text(st, 10));
    p->created_at = db_col_int(st, 11);
    p->updated_at = db_col_int(st, 12);
    p->toc = arena_strdup(a, db_col_text(st, 13));
    p->rev_count = (int)db_col_int(st, 14);
    return p;
}

struct page *page_store_get(struct db *db, struct arena *a, const char *path)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PAGE);
    db_bind_text(st, ":path", path);
    struct page *p = db_step(st) == SQLITE_ROW ? page_from_row(a, st) : NULL;
    sqlite3_reset(st);
    return p;
}

struct page *page_store_get_rev(struct db *db, struct arena *a, const char *path, int number)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PAGE_REV);
    db_bind_text(st, ":path", path);
    db_bind_int(st, ":number", number);
    struct page *p = db_step(st) == SQLITE_ROW ? page_from_row(a, st) : NULL;
    sqlite3_reset(st);
    return p;
}

const char *page_store_resolve(void *ctx, struct arena *a, const char *from, const char *target,
                               int *exists)
{
    struct db *db = ctx;
    const char *space = from ? wikipath_space(a, from) : "";
    sqlite3_stmt *st = db_stmt(db, "SELECT path FROM pages WHERE title = :title COLLATE NOCASE "
                                   "AND deleted_at IS NULL ORDER BY space = :space DESC, path LIMIT 1");
    db_bind_text(st, ":title", target);
    db_bind_text(st, ":space", space);
    const char *path = db_one_text(st, a);
    if (path) {
        *exists = 1;
        return path;
    }
    if (!wikipath_check(target)) {
        path = target;
    } else {
        char *slug = wikipath_slug(a, target);
        if (!*slug)
            return NULL;
        path = *space ? arena_printf(a, "%s/%s", space, slug) : slug;
        if (wikipath_check(path))
            return NULL;
    }
    /* A moved page's old path still leads to it, so links to it are not missing. */
    st = db_stmt(db, "SELECT 1 FROM pages WHERE path = :path AND deleted_at IS NULL "
                     "UNION ALL SELECT 1 FROM redirects WHERE path = :path");
    db_bind_text(st, ":path", path);
    *exists = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return path;
}

/* At most this many different people are linked from one page (a lookup each). */
enum { MENTION_LINKS_MAX = 1000 };

char *page_store_render(struct db *db, struct arena *a, const char *md, const char *path,
                        struct markdown_link **links, const char **why)
{
    struct mention *people = NULL, **tail = &people;
    if (strchr(md, '@')) {
        for (struct mention *m = mention_parse_max(a, md, MENTION_LINKS_MAX), *next; m; m = next) {
            next = m->next;
            sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM users WHERE login = :login");
            db_bind_text(st, ":login", m->login);
            int exists = db_step(st) == SQLITE_ROW;
            sqlite3_reset(st);
            if (!exists)
                continue;
            m->next = NULL;
            *tail = m;
            tail = &m->next;
        }
    }
    return markdown_render_people(a, md, strlen(md), path, page_store_resolve, db, links, people,
                                  why);
}

static const char *validate(const struct page_edit *e)
{
    const char *why;
    if ((why = wikipath_check(e->path)))
        return why;
    size_t tlen = e->title ? strlen(e->title) : 0;
    if (tlen == 0 || tlen > TITLE_MAX)
        return "a page needs a title of 1 to 200 characters";
    if (strchr(e->title, '\n') || strchr(e->title, '\r'))
        return "a title is a single line";
    if (!e->markdown)
        return "a page needs a body (it may be empty, but it must be sent)";
    if (strlen(e->markdown) > MARKDOWN_MAX)
        return "the page text is larger than 1 MiB";
    if (!utf8_valid(e->title, tlen) || !utf8_valid(e->markdown, strlen(e->markdown)))
        return "the text is not valid UTF-8, or holds control characters other than tabs and "
               "line breaks";
    if (e->summary && strlen(e->summary) > SUMMARY_MAX)
        return "the edit summary is longer than 300 characters";
    return NULL;
}

static int store_links(struct db *db, int64_t page_id, const struct markdown_link *links);

/* Replaces the page's tags and links by those of the new revision. */
static int store_tags_and_links(struct db *db, int64_t page_id, const char *tags,
                                const struct markdown_link *links)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM page_tags WHERE page_id = :page");
    db_bind_int(st, ":page", page_id);
    if (db_run(st) != 0)
        return -1;
    for (const char *p = tags; *p;) {
        size_t n = strcspn(p, PAGE_TAGS_SEP);
        st = db_stmt(db, "INSERT INTO page_tags(page_id, tag) VALUES (:page, :tag)");
        db_bind_int(st, ":page", page_id);
        db_bind_textn(st, ":tag", p, n);
        if (db_run(st) != 0)
            return -1;
        p += n + (p[n] != 0);
    }
    return store_links(db, page_id, links);
}

/* Replaces the page's recorded links. */
static int store_links(struct db *db, int64_t page_id, const struct markdown_link *links)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM links WHERE from_page = :page");
    db_bind_int(st, ":page", page_id);
    if (db_run(st) != 0)
        return -1;
    for (; links; links = links->next) {
        st = db_stmt(db, "INSERT OR IGNORE INTO links(from_page, to_path, to_title) "
                         "VALUES (:page, :to, :title)");
        db_bind_int(st, ":page", page_id);
        db_bind_text(st, ":to", links->path);
        db_bind_text(st, ":title", links->title);
        if (db_run(st) != 0)
            return -1;
    }
    return 0;
}

/* Writes the words of the page's current revision to the search index. */
static int store_search_text(struct db *db, struct arena *a, int64_t page_id, const char *path,
                             const char *title, const char *html, const char *tags)
{
    return search_index_put(db, a, page_id, title, html, tags, wikipath_space(a, path));
}

/* A new page, or a page with a new title, turns links to it from "missing" to present:
 * render again the pages that link to its path or wrote its title before it had it. */
static int rerender_linkers(struct db *db, struct arena *a, const char *path, const char *title)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT DISTINCT r.id, r.markdown, p.path, p.id FROM links l "
                                   "JOIN pages p ON p.id = l.from_page "
                                   "JOIN revisions r ON r.id = p.current_rev WHERE "
                                   "(l.to_path = :path OR l.to_title = :title COLLATE NOCASE) "
                                   "AND p.deleted_at IS NULL");
    db_bind_text(st, ":path", path);
    db_bind_text(st, ":title", title);
    struct todo {
        int64_t rev, page;
        const char *md, *from;
        struct todo *next;
    } *list = NULL;
    while (db_step(st) == SQLITE_ROW) {
        struct todo *t = arena_alloc(a, sizeof *t);
        t->rev = db_col_int(st, 0);
        t->page = db_col_int(st, 3);
        t->md = arena_strdup(a, db_col_text(st, 1));
        t->from = arena_strdup(a, db_col_text(st, 2));
        t->next = list;
        list = t;
    }
    sqlite3_reset(st);
    for (struct todo *t = list; t; t = t->next) {
        struct markdown_link *links = NULL;
        char *html = page_store_render(db, a, t->md, t->from, &links, NULL);
        st = db_stmt(db, "UPDATE revisions SET html = :html WHERE id = :id");
        db_bind_text(st, ":html", html);
        db_bind_int(st, ":id", t->rev);
        if (db_run(st) != 0)
            return -1;
        /* The links now point at the page's real path: record that instead of the guess. */
        if (store_links(db, t->page, links) != 0)
            return -1;
    }
    return 0;
}

/* Returns s with CRLF and lone CR turned into LF (browsers send textareas with CRLF), in a. */
char *page_store_newlines(struct arena *a, const char *s)
{
    if (!s)
        return NULL;
    char *out = arena_strdup(a, s), *w = out;
    for (const char *p = s; *p; p++) {
        if (*p == '\r') {
            *w++ = '\n';
            if (p[1] == '\n')
                p++;
        } else {
            *w++ = *p;
        }
    }
    *w = 0;
    return out;
}

/* The text of revision `number` of the page (for crediting what the next one adds). */
static const char *prev_markdown(struct db *db, struct arena *a, int64_t page_id, int number)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT markdown FROM revisions WHERE page_id = :page AND "
                                   "number = :n");
    db_bind_int(st, ":page", page_id);
    db_bind_int(st, ":n", number);
    const char *md = db_one_text(st, a);
    return md;
}

/* Binds :user to a user id, or NULL for ken itself (id 0: seeded pages such as templates). */
static void bind_user(sqlite3_stmt *st, int64_t id)
{
    if (id > 0)
        db_bind_int(st, ":user", id);
    else
        db_bind_null(st, ":user");
}

/* Returns a line of the page's text (`body`, from textify_html) that holds @login, cut to about
 * 200 bytes around it, in a: what the inbox shows of the mention. */
static const char *mention_excerpt(struct arena *a, const char *body, const char *login)
{
    const char *at = strcasestr(body, arena_printf(a, "@%s", login));
    if (!at)
        at = body;
    const char *start = at, *end = strchr(at, '\n');
    while (start > body && start[-1] != '\n')
        start--;
    if (!end)
        end = at + strlen(at);
    int cut_start = at - start > 60, cut_end = 0;
    if (cut_start) {
        start = at - 50;
        while (((unsigned char)*start & 0xC0) == 0x80)
            start++;
    }
    if (end - start > 200) {
        end = start + 200;
        while (end > start && ((unsigned char)*end & 0xC0) == 0x80)
            end--;
        cut_end = 1;
    }
    return arena_printf(a, "%s%.*s%s", cut_start ? "…" : "", (int)(end - start), start,
                        cut_end ? "…" : "");
}

/* Tells each person whom revision `rev` @mentions for the first time (not in the text before
 * it), other than its author and people who can no longer sign in, in their inbox; at most
 * MENTION_MAX people. Inside the save's transaction. Returns 0 or -1. */
static int tell_mentioned(struct db *db, struct arena *a, int64_t page_id, int rev,
                          const char *before, const char *after, const char *html,
                          int64_t author_id, int64_t now)
{
    char *body = NULL, *headings = NULL;
    int told = 0;
    for (struct mention *m = mention_added(a, before, after); m && told < MENTION_MAX;
         m = m->next) {
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM users WHERE login = :login AND "
                                       "disabled = 0");
        db_bind_text(st, ":login", m->login);
        int64_t uid = db_one_int(st, 0);
        if (!uid || uid == author_id)
            continue;
        if (!body)
            textify_html(a, html, &body, &headings);
        if (inbox_store_add_page(db, uid, page_id, rev, author_id > 0 ? author_id : 0,
                                 mention_excerpt(a, body, m->login), now) != 0)
            return -1;
        told++;
    }
    return 0;
}

/* Someone saved revisions after the one this edit started from. Merges the edit with theirs when
 * the two touch different lines: returns the merged edit in a, or NULL when they overlap. */
static struct page_edit *merge_edit(struct db *db, struct arena *a, const struct page_edit *mine,
                                    int64_t page_id, int current)
{
    (void)page_id;
    struct page *base = mine->base_rev > 0 ? page_store_get_rev(db, a, mine->path, mine->base_rev)
                                           : NULL;
    struct page *theirs = page_store_get_rev(db, a, mine->path, current);
    if (!base || !theirs)
        return NULL;
    char *text = NULL;
    if (diff_merge3(base->markdown, mine->markdown, theirs->markdown, &text) != 0)
        return NULL;
    struct page_edit *m = arena_alloc(a, sizeof *m);
    *m = *mine;
    m->markdown = arena_adopt(a, text);
    /* Title and tags: whoever changed them wins; both changing them differently is a conflict. */
    int my_title = strcmp(mine->title, base->title) != 0;
    int their_title = strcmp(theirs->title, base->title) != 0;
    if (my_title && their_title && strcmp(mine->title, theirs->title) != 0)
        return NULL;
    m->title = my_title ? mine->title : theirs->title;
    int my_tags = strcmp(mine->tags, base->tags) != 0, their_tags = strcmp(theirs->tags, base->tags) != 0;
    if (my_tags && their_tags && strcmp(mine->tags, theirs->tags) != 0)
        return NULL;
    m->tags = my_tags ? mine->tags : theirs->tags;
    m->summary = arena_printf(a, "%s%s(merged with revision %d)", mine->summary ? mine->summary : "",
                              mine->summary && *mine->summary ? " " : "", current);
    m->base_rev = current;
    return m;
}

/* The page's id, newest revision number and title (0, 0, "" when there is none). */
static void current_of(struct db *db, struct arena *a, const char *path, int64_t *page_id,
                       int *current, const char **title)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, rev_count, title FROM pages WHERE path = :path "
                                   "AND deleted_at IS NULL");
    db_bind_text(st, ":path", path);
    *page_id = 0;
    *current = 0;
    *title = "";
    if (db_step(st) == SQLITE_ROW) {
        *page_id = db_col_int(st, 0);
        *current = (int)db_col_int(st, 1);
        *title = arena_strdup(a, db_col_text(st, 2));
    }
    sqlite3_reset(st);
}

/* How often a save renders again because someone saved the page while it rendered. */
enum { SAVE_TRIES = 3 };

enum page_save_result page_store_save(struct db *db, struct arena *a, const struct page_edit *in,
                                      int *rev, const char **why)
{
    if ((*why = validate(in)))
        return PAGE_INVALID;
    struct page_edit edit = *in;
    const struct page_edit *e = &edit;
    edit.markdown = page_store_newlines(a, in->markdown);
    int merged = 0;
    char *tags = page_tags_normalise(a, e->tags, why);
    if (!tags)
        return PAGE_INVALID;
    edit.tags = tags;
    /* Merging and rendering happen before the write transaction, so a large page does not keep
     * other people's saves waiting; the transaction then checks that nobody saved meanwhile
     * (and if someone did, this is done again). */
    int64_t page_id = 0;
    int current = 0, seen = -1;
    const char *old_title = "";
    struct markdown_link *links = NULL;
    char *html = NULL;
    for (int tries = 0;; tries++) {
        current_of(db, a, e->path, &page_id, &current, &old_title);
        if (current != seen) {
            seen = current;
            *rev = current;
            struct page_edit *m = NULL;
            e = &edit;
            tags = (char *)edit.tags;
            merged = 0;
            if (e->base_rev > 0 && current > e->base_rev &&
                (m = merge_edit(db, a, e, page_id, current))) {
                e = m;
                merged = 1;
                tags = (char *)m->tags;
            } else if (e->base_rev >= 0 && e->base_rev != current) {
                *why = current ? arena_printf(a, "the page changed since you started: you edited "
                                                 "revision %d, the current one is %d",
                                              e->base_rev, current)
                               : "the page no longer exists";
                return PAGE_CONFLICT;
            }
            links = NULL;
            if (!(html = page_store_render(db, a, e->markdown, e->path, &links, why)))
                return PAGE_INVALID;
        }
        if (db_begin(db) != 0) {
            *why = "the database is busy; try again in a moment";
            return PAGE_BUSY;
        }
        current_of(db, a, e->path, &page_id, &current, &old_title);
        if (current == seen)
            break;
        db_rollback(db);
        if (tries + 1 == SAVE_TRIES) {
            *why = "the page is being saved by others right now; try again in a moment";
            return PAGE_BUSY;
        }
    }
    int64_t now = e->at ? e->at : (int64_t)time(NULL);
    sqlite3_stmt *st;
    if (!page_id) {
        st = db_stmt(db, "INSERT INTO pages(path, space, title, created_at, created_by, "
                         "updated_at, updated_by) VALUES (:path, :space, :title, :now, :user, "
                         ":now, :user)");
        db_bind_text(st, ":path", e->path);
        db_bind_text(st, ":space", wikipath_space(a, e->path));
        db_bind_text(st, ":title", e->title);
        db_bind_int(st, ":now", now);
        bind_user(st, e->author_id);
        if (db_run(st) != 0)
            goto failed;
        page_id = db_last_id(db);
        /* A page now lives here: the path no longer leads to the page that moved away. */
        st = db_stmt(db, "DELETE FROM redirects WHERE path = :path");
        db_bind_text(st, ":path", e->path);
        if (db_run(st) != 0)
            goto failed;
        if (e->draft && *e->draft && e->author_id > 0 &&
            attach_store_draft_adopt(db, e->author_id, e->draft, page_id) != 0)
            goto failed;
        if (e->author_id > 0) { /* the creator owns the page until someone changes that */
            st = db_stmt(db, "INSERT INTO page_owners(page_id, user_id) VALUES (:page, :user)");
            db_bind_int(st, ":page", page_id);
            db_bind_int(st, ":user", e->author_id);
            if (db_run(st) != 0)
                goto failed;
        }
    }
    st = db_stmt(db, "INSERT INTO revisions(page_id, number, author_id, created_at, summary, title, "
                     "tags, markdown, html, toc, size) VALUES (:page, :number, :user, :now, :summary, "
                     ":title, :tags, :md, :html, :toc, :size)");
    db_bind_int(st, ":page", page_id);
    db_bind_int(st, ":number", current + 1);
    bind_user(st, e->author_id);
    db_bind_int(st, ":now", now);
    db_bind_text(st, ":summary", e->summary ? e->summary : "");
    db_bind_text(st, ":title", e->title);
    db_bind_text(st, ":tags", tags);
    db_bind_text(st, ":md", e->markdown);
    db_bind_text(st, ":html", html);
    db_bind_text(st, ":toc", markdown_toc(a, html));
    db_bind_int(st, ":size", (int64_t)strlen(e->markdown));
    if (db_run(st) != 0)
        goto failed;
    int64_t rev_id = db_last_id(db);
    const char *before = current ? prev_markdown(db, a, page_id, current) : NULL;
    if (contrib_record(db, a, page_id, e->author_id, before, e->markdown, now) != 0 ||
        tell_mentioned(db, a, page_id, current + 1, before, e->markdown, html, e->author_id,
                       now) != 0)
        goto failed;
    st = db_stmt(db, "UPDATE pages SET title = :title, current_rev = :rev, rev_count = :n, "
                     "updated_at = :now, updated_by = :user WHERE id = :page");
    db_bind_text(st, ":title", e->title);
    db_bind_int(st, ":rev", rev_id);
    db_bind_int(st, ":n", current + 1);
    db_bind_int(st, ":now", now);
    bind_user(st, e->author_id);
    db_bind_int(st, ":page", page_id);
    if (db_run(st) != 0 || store_tags_and_links(db, page_id, tags, links) != 0 ||
        store_search_text(db, a, page_id, e->path, e->title, html, tags) != 0)
        goto failed;
    if (strcmp(old_title, e->title) != 0 && rerender_linkers(db, a, e->path, e->title) != 0)
        goto failed;
    if (db_commit(db) != 0)
        goto failed;
    *rev = current + 1;
    return merged ? PAGE_MERGED : current ? PAGE_UPDATED : PAGE_CREATED;
failed:
    *why = arena_printf(a, "the page could not be saved: %s", db_errmsg(db));
    db_rollback(db);
    return db_errcode(db) == SQLITE_FULL ? PAGE_BUSY : PAGE_FAILED;
}

/* Renders one page again (its current revision `rev`) and stores the HTML, links and search
 * text; everything it allocates is in `a`. Returns 0 or -1. */
static int reindex_page(struct db *db, struct arena *a, int64_t page, int64_t rev)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT p.path, r.markdown, r.tags, p.title FROM pages p "
                                   "JOIN revisions r ON r.id = :rev WHERE p.id = :page");
    db_bind_int(st, ":rev", rev);
    db_bind_int(st, ":page", page);
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return -1;
    }
    const char *path = arena_strdup(a, db_col_text(st, 0));
    const char *md = arena_strdup(a, db_col_text(st, 1));
    const char *tags = arena_strdup(a, db_col_text(st, 2));
    const char *title = arena_strdup(a, db_col_text(st, 3));
    sqlite3_reset(st);
    struct markdown_link *links = NULL;
    char *html = page_store_render(db, a, md, path, &links, NULL);
    st = db_stmt(db, "UPDATE revisions SET html = :html, toc = :toc WHERE id = :id");
    db_bind_text(st, ":html", html);
    db_bind_text(st, ":toc", markdown_toc(a, html));
    db_bind_int(st, ":id", rev);
    if (db_run(st) != 0 || store_tags_and_links(db, page, tags, links) != 0)
        return -1;
    return store_search_text(db, a, page, path, title, html, tags);
}

int page_store_reindex(struct db *db, struct arena *a)
{
    if (db_begin(db) != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(db, "SELECT p.id, r.id FROM pages p JOIN revisions r "
                                   "ON r.id = p.current_rev WHERE p.deleted_at IS NULL");
    struct todo {
        int64_t page, rev;
        struct todo *next;
    } *list = NULL;
    while (db_step(st) == SQLITE_ROW) {
        struct todo *t = arena_alloc(a, sizeof *t);
        t->page = db_col_int(st, 0);
        t->rev = db_col_int(st, 1);
        t->next = list;
        list = t;
    }
    sqlite3_reset(st);
    /* One page at a time in its own arena: memory stays that of one page however many there
     * are (holding every page's text and HTML until the end took 420 MB at 100,000 pages). */
    for (struct todo *t = list; t; t = t->next) {
        struct arena *pa = arena_new();
        int rc = reindex_page(db, pa, t->page, t->rev);
        arena_free(pa);
        if (rc != 0) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db);
}

struct page_item *page_store_items(struct arena *a, sqlite3_stmt *st)
{
    struct page_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct page_item *it = arena_alloc(a, sizeof *it);
        it->path = arena_strdup(a, db_col_text(st, 0));
        it->title = arena_strdup(a, db_col_text(st, 1));
        it->space = arena_strdup(a, db_col_text(st, 2));
        it->editor_name = arena_strdup(a, db_col_text(st, 3));
        it->updated_at = db_col_int(st, 4);
        *tail = it;
        tail = &it->next;
    }
    sqlite3_reset(st);
    return head;
}

struct page_item *page_store_list(struct db *db, struct arena *a, const char *space,
                                  const char *tag, int recent, int limit, int *count)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT p.path, p.title, p.space, coalesce(u.name, 'ken'), p.updated_at "
            "FROM pages p LEFT JOIN users u ON u.id = p.updated_by "
            "WHERE p.deleted_at IS NULL AND (:space = '' OR p.space = :space) "
            /* Templates are tools, not reading: listed only when their space is asked for. */
            "AND (:space <> '' OR p.space <> 'templates') AND (:tag = '' OR EXISTS "
            "(SELECT 1 FROM page_tags t WHERE t.page_id = p.id AND t.tag = :tag)) "
            "ORDER BY CASE WHEN :recent THEN -p.updated_at ELSE 0 END, p.path LIMIT :limit");
    db_bind_text(st, ":space", space ? space : "");
    db_bind_text(st, ":tag", tag ? tag : "");
    db_bind_int(st, ":recent", recent);
    db_bind_int(st, ":limit", limit);
    struct page_item *head = NULL, **tail = &head;
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        struct page_item *it = arena_alloc(a, sizeof *it);
        it->path = arena_strdup(a, db_col_text(st, 0));
        it->title = arena_strdup(a, db_col_text(st, 1));
        it->space = arena_strdup(a, db_col_text(st, 2));
        it->editor_name = arena_strdup(a, db_col_text(st, 3));
        it->updated_at = db_col_int(st, 4);
        *tail = it;
        tail = &it->next;
        n++;
    }
    sqlite3_reset(st);
    if (count)
        *count = n;
    return head;
}

struct space_item *page_store_spaces(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT space, count(*) FROM pages WHERE deleted_at IS NULL "
                                   "GROUP BY space ORDER BY space");
    struct space_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct space_item *s = arena_alloc(a, sizeof *s);
        s->name = arena_strdup(a, db_col_text(st, 0));
        s->pages = (int)db_col_int(st, 1);
        *tail = s;
        tail = &s->next;
    }
    sqlite3_reset(st);
    return head;
}

struct revision_item *page_store_revisions(struct db *db, struct arena *a, int64_t page_id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT r.number, coalesce(u.login, ''), coalesce(u.name, 'ken'), r.summary, "
            "r.title, r.created_at, r.size, r.size - lag(r.size, 1, 0) OVER (ORDER BY r.number) "
            "FROM revisions r LEFT JOIN users u ON u.id = r.author_id WHERE r.page_id = :page "
            "ORDER BY r.number DESC");
    db_bind_int(st, ":page", page_id);
    struct revision_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct revision_item *r = arena_alloc(a, sizeof *r);
        r->number = (int)db_col_int(st, 0);
        r->author_login = arena_strdup(a, db_col_text(st, 1));
        r->author_name = arena_strdup(a, db_col_text(st, 2));
        r->summary = arena_strdup(a, db_col_text(st, 3));
        r->title = arena_strdup(a, db_col_text(st, 4));
        r->created_at = db_col_int(st, 5);
        r->size = db_col_int(st, 6);
        r->delta = db_col_int(st, 7);
        *tail = r;
        tail = &r->next;
    }
    sqlite3_reset(st);
    return head;
}

int64_t page_store_count_live(struct db *db)
{
    return db_one_int(db_stmt(db, "SELECT count(*) FROM pages WHERE deleted_at IS NULL"), -1);
}
