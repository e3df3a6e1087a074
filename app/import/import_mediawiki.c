#include "import/import_mediawiki.h"
#include "core/arena.h"
#include "core/buf.h"
#include "wiki/page_store.h"
#include "accounts/user_store.h"
#include "wiki/wikipath.h"
#include "markup/wikitext.h"

#include <libxml/xmlreader.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* How a failure is kept small: revisions are written in batches (one transaction each) that end
 * only between pages. When a batch cannot be committed, or the XML breaks in the middle of a page,
 * the batch is rolled back and the file read again from the batch's first page, this time one
 * transaction per page, so only the bad page is lost. Nothing of a page is kept in memory but
 * the revision being read. */

/* WIKITEXT_MAX: a revision's text is converted only up to this size (a page holds 1 MiB of
 * Markdown; MediaWiki markup is seldom much longer than what it becomes). */
enum { BATCH = 500, SUMMARY_MAX = 300, TITLE_MAX = 200, USER_NAME_MAX = 200,
       WIKITEXT_MAX = 2 << 20 };

/* A revision the page had before this run: (time, author) pairs are how a re-run knows it. */
struct seen {
    int64_t at;
    char *login;
    int used;
};

struct page_state {
    int open, prepared, failed;
    char *title, *path;
    struct seen *seen;
    size_t nseen;
    char *cur_title, *cur_md, *cur_tags; /* the page's current revision, NULL when none */
    struct import_stats at_start;        /* to undo the page's counts when it is rolled back */
    int in_txn;                          /* single mode: the page's own transaction is open */
};

struct mw {
    struct import_batch b; /* its size is unused: a batch ends after BATCH revisions */
    const char *file;
    int space_given;
    char *space;
    char **ns; /* namespace names from <siteinfo>, NULL-terminated */
    size_t nns;
    char *category_ns, *file_ns;
    struct wikitext_opts wo;
    /* where this pass is */
    long page_index;   /* the current page, counted from 0 in the file */
    long skip_before;  /* pages before this index were done in an earlier pass */
    long single_until; /* pages up to this index get one transaction each */
    long pages_seen;
    long batch_revs, batch_first;
    int replay; /* set: this pass ends; read again from batch_first */
    int siteinfo_read, broken;
    struct page_state pg;
    char xml_error[400];
    int xml_line;
};

static void say(struct mw *m, const char *title, const char *what)
{
    import_batch_say(&m->b, title && *title ? title : "(no title)", what);
}

/* Returns s cut to at most max bytes without splitting a UTF-8 character, in a. */
static char *utf8_cut(struct arena *a, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) return arena_strdup(a, s);
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return arena_strndup(a, s, max);
}

static char *node_text(struct arena *a, xmlNodePtr n)
{
    xmlChar *c = xmlNodeGetContent(n);
    char *s = arena_strdup(a, c ? (const char *)c : "");
    xmlFree(c);
    return s;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) return c;
    return NULL;
}

/* A login from a MediaWiki user name: "Ana Lima" -> "ana-lima"; other scripts get a hash. */
static char *login_of(struct arena *a, const char *username)
{
    char *login = wikipath_slug(a, username);
    if (!*login || user_login_check(login)) {
        uint32_t h = 2166136261u;
        for (const char *p = username; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
        login = arena_printf(a, "user-%08x", h);
    }
    return login;
}

/* Returns the id of the account for a contributor, creating it (viewer, no password) when
 * missing; 0 (ken) when neither works. */
static int64_t author_of(struct mw *m, struct arena *a, const char *login, const char *name)
{
    struct user *u = user_store_by_login(m->b.db, a, login);
    if (u) return u->id;
    const char *why;
    int64_t id = user_store_add(m->b.db, a, login, utf8_cut(a, name, USER_NAME_MAX), ROLE_VIEWER,
                                NULL, &why);
    return id > 0 ? id : 0;
}

/* ---- <siteinfo> */

static void siteinfo(struct mw *m, xmlNodePtr info)
{
    struct arena *a = arena_new();
    xmlNodePtr name = child(info, "sitename");
    if (name && !m->space_given) {
        char *slug = wikipath_slug(a, node_text(a, name));
        if (*slug && !wikipath_check(slug)) {
            free(m->space);
            m->space = xstrdup(slug);
        }
    }
    xmlNodePtr nss = child(info, "namespaces");
    for (xmlNodePtr c = nss ? nss->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "namespace") != 0)
            continue;
        xmlChar *key = xmlGetProp(c, (const xmlChar *)"key");
        int k = key ? atoi((const char *)key) : 0;
        xmlFree(key);
        char *text = node_text(a, c);
        if (!*text) continue;
        m->ns = xrealloc(m->ns, (m->nns + 2) * sizeof *m->ns);
        m->ns[m->nns++] = xstrdup(text);
        m->ns[m->nns] = NULL;
        if (k == 14) {
            free(m->category_ns);
            m->category_ns = xstrdup(text);
        } else if (k == 6) {
            free(m->file_ns);
            m->file_ns = xstrdup(text);
        }
    }
    arena_free(a);
}

/* ---- pages */

static void page_free(struct page_state *pg)
{
    for (size_t i = 0; i < pg->nseen; i++)
        free(pg->seen[i].login);
    free(pg->seen);
    free(pg->title);
    free(pg->path);
    free(pg->cur_title);
    free(pg->cur_md);
    free(pg->cur_tags);
    memset(pg, 0, sizeof *pg);
}

static int single_mode(const struct mw *m)
{
    return m->page_index <= m->single_until;
}

static void page_begin(struct mw *m)
{
    m->wo = (struct wikitext_opts){.space = m->space,
                                   .namespaces = m->nns ? (const char *const *)m->ns : NULL,
                                   .category_ns = m->category_ns,
                                   .file_ns = m->file_ns};
    page_free(&m->pg);
    m->pg.open = 1;
    m->pg.at_start = *m->b.stats;
    if (!single_mode(m) && !m->b.open && import_batch_begin(&m->b) == 0) {
        m->batch_first = m->page_index;
        m->batch_revs = 0;
    }
    if (!m->b.open) {
        if (db_begin(m->b.db) == 0) {
            m->pg.in_txn = 1;
        } else {
            m->pg.failed = 1;
            say(m, m->pg.title, "the database is busy; this page was not imported");
        }
    }
}

/* Called at the first revision: the page's path and what it already holds. */
static void page_prepare(struct mw *m, struct arena *a)
{
    struct page_state *pg = &m->pg;
    pg->prepared = 1;
    if (pg->failed) return;
    if (!pg->title || !*pg->title) {
        pg->failed = 1;
        say(m, NULL, "a page without a title was not imported");
        return;
    }
    char *path = wikitext_title_path(a, &m->wo, pg->title);
    if (!path) {
        pg->failed = 1;
        say(m, pg->title, "no page path can be made from this title (too long or too deep)");
        return;
    }
    pg->path = xstrdup(path);
    struct page *p = page_store_get(m->b.db, a, path);
    if (!p) return;
    pg->cur_title = xstrdup(p->title);
    pg->cur_md = xstrdup(p->markdown);
    pg->cur_tags = xstrdup(p->tags);
    size_t n = 0;
    struct revision_item *revs = page_store_revisions(m->b.db, a, p->id);
    for (struct revision_item *r = revs; r; r = r->next)
        n++;
    pg->seen = xmalloc((n ? n : 1) * sizeof *pg->seen);
    for (struct revision_item *r = revs; r; r = r->next) {
        pg->seen[pg->nseen].at = r->created_at;
        pg->seen[pg->nseen].login = xstrdup(r->author_login);
        pg->seen[pg->nseen++].used = 0;
    }
}

/* Returns 1 when the page already has a revision by `login` at time `at` (each counts once). */
static int already_there(struct page_state *pg, int64_t at, const char *login)
{
    for (size_t i = 0; i < pg->nseen; i++)
        if (!pg->seen[i].used && pg->seen[i].at == at &&
            (strcmp(pg->seen[i].login, login) == 0 || !*pg->seen[i].login)) {
            pg->seen[i].used = 1;
            return 1;
        }
    return 0;
}

static void set_current(struct page_state *pg, const char *title, const char *md, const char *tags)
{
    free(pg->cur_title);
    free(pg->cur_md);
    free(pg->cur_tags);
    pg->cur_title = xstrdup(title);
    pg->cur_md = xstrdup(md);
    pg->cur_tags = xstrdup(tags);
}

/* Rolls back the page's own transaction (single mode): its new revisions count as failed. */
static void page_rollback(struct mw *m)
{
    struct import_stats *s = m->b.stats, *b = &m->pg.at_start;
    long lost = (s->created - b->created) + (s->updated - b->updated);
    db_rollback(m->b.db);
    m->pg.in_txn = 0;
    s->created = b->created;
    s->updated = b->updated;
    s->failed += lost;
}

static void batch_close(struct mw *m, int spoil)
{
    if (spoil && db_begin(m->b.db) == 0) db_rollback(m->b.db); /* a rollback spoils the batch */
    if (import_batch_end(&m->b) != 0) {
        m->replay = 1;
        m->single_until = m->page_index;
    }
}

static void page_end(struct mw *m)
{
    if (!m->pg.open) return;
    if (m->pg.in_txn) {
        if (db_commit(m->b.db) != 0) {
            page_rollback(m);
            say(m, m->pg.title, "the page could not be saved; its new revisions were not imported");
        }
        m->pg.in_txn = 0;
    } else if (m->b.open && m->batch_revs >= BATCH) {
        batch_close(m, 0);
    }
    m->pg.open = 0;
}

/* The XML broke inside the page: nothing of it is kept. */
static void page_broken(struct mw *m)
{
    if (!m->pg.open) return;
    if (m->b.open) {
        batch_close(m, 1); /* read again, one transaction per page, up to this one */
    } else {
        if (m->pg.in_txn) page_rollback(m);
        if (import_batch_counted(m->b.stats) == import_batch_counted(&m->pg.at_start))
            m->b.stats->failed++;
        char *why = NULL;
        if (asprintf(&why,
                     "the export is cut off or broken inside this page (line %d); none "
                     "of its revisions were imported",
                     m->xml_line) < 0)
            die("out of memory");
        say(m, m->pg.title, why);
        free(why);
    }
    m->pg.open = 0;
}

/* ---- revisions */

static int64_t parse_time(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    return end ? (int64_t)timegm(&tm) : 0;
}

/* Text of another content model (CSS, JavaScript, Lua modules, JSON) kept as a code block. */
static char *as_code(struct arena *a, const char *model, const char *text)
{
    const char *lang = strcmp(model, "javascript") == 0  ? "js"
                       : strcmp(model, "Scribunto") == 0 ? "lua"
                                                         : model;
    size_t ticks = 3, run = 0;
    for (const char *p = text; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run >= ticks) ticks = run + 1;
    }
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < ticks; i++)
        buf_putc(&b, '`');
    buf_printf(&b, "%s\n", lang);
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t') buf_putc(&b, *p);
    if (b.len && b.data[b.len - 1] != '\n') buf_putc(&b, '\n');
    for (size_t i = 0; i < ticks; i++)
        buf_putc(&b, '`');
    buf_putc(&b, '\n');
    return arena_adopt(a, buf_take(&b));
}

static void revision(struct mw *m, xmlNodePtr rev)
{
    struct arena *a = arena_new();
    struct page_state *pg = &m->pg;
    if (!pg->prepared) page_prepare(m, a);
    if (pg->failed) {
        m->b.stats->failed++;
        arena_free(a);
        return;
    }
    xmlNodePtr ts = child(rev, "timestamp"), who = child(rev, "contributor");
    xmlNodePtr comment = child(rev, "comment"), text = child(rev, "text"),
               model = child(rev, "model");
    xmlNodePtr user = child(who, "username"), ip = child(who, "ip");
    xmlChar *deleted = text ? xmlGetProp(text, (const xmlChar *)"deleted") : NULL;
    int64_t at = ts ? parse_time(node_text(a, ts)) : 0;
    const char *why = NULL;
    if (!text || deleted)
        why = "its text is not in the export (deleted or hidden); skipped";
    else if (!at)
        why = "it has no valid timestamp";
    xmlFree(deleted);
    if (why) {
        say(m, arena_printf(a, "%s (revision of %s)", pg->title, ts ? node_text(a, ts) : "?"), why);
        if (at)
            m->b.stats->skipped++;
        else
            m->b.stats->failed++;
        arena_free(a);
        return;
    }
    const char *username = user ? node_text(a, user) : "";
    const char *login = *username ? login_of(a, username) : "";
    if (already_there(pg, at, login)) {
        m->b.stats->skipped++;
        arena_free(a);
        return;
    }
    char *tags = "";
    const char *wikitext = node_text(a, text), *model_name = model ? node_text(a, model) : "";
    if (strlen(wikitext) > WIKITEXT_MAX) { /* converting it would take memory for nothing */
        m->b.stats->failed++;
        say(m, arena_printf(a, "%s (revision of %s)", pg->title, node_text(a, ts)),
            "its text is larger than 2 MiB");
        arena_free(a);
        return;
    }
    char *md = !*model_name || strcmp(model_name, "wikitext") == 0
                   ? wikitext_to_markdown(a, wikitext, &m->wo, &tags)
                   : as_code(a, model_name, wikitext);
    const char *title = utf8_cut(a, pg->title, TITLE_MAX);
    const char *tags_norm = page_tags_normalise(a, tags, &why);
    if (!tags_norm) tags_norm = "";
    if (pg->cur_md && strcmp(pg->cur_title, title) == 0 && strcmp(pg->cur_md, md) == 0 &&
        strcmp(pg->cur_tags, tags_norm) == 0) {
        m->b.stats->skipped++;
        arena_free(a);
        return;
    }
    const char *summary = comment ? node_text(a, comment) : "";
    if (!*username && ip)
        summary = arena_printf(a, "%s%s(by %s)", summary, *summary ? " " : "", node_text(a, ip));
    struct page_edit e = {
        .path = pg->path,
        .title = title,
        .markdown = md,
        .tags = tags_norm,
        .summary = *summary ? utf8_cut(a, summary, SUMMARY_MAX) : "Imported from MediaWiki",
        .base_rev = -1,
        .author_id = *login ? author_of(m, a, login, username) : 0,
        .at = at,
    };
    int number;
    enum page_save_result res = page_store_save(m->b.db, a, &e, &number, &why);
    if (res == PAGE_CREATED || res == PAGE_UPDATED || res == PAGE_MERGED) {
        if (res == PAGE_CREATED)
            m->b.stats->created++;
        else
            m->b.stats->updated++;
        m->batch_revs++;
        set_current(pg, title, md, tags_norm);
    } else if (m->b.open && (res == PAGE_FAILED || res == PAGE_BUSY)) {
        batch_close(m, 1); /* read again from the batch's first page, one page at a time */
    } else {
        m->b.stats->failed++;
        say(m, arena_printf(a, "%s (revision of %s)", pg->title, node_text(a, ts)), why);
    }
    arena_free(a);
}

/* ---- reading the file */

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
    struct mw *m = ctx;
    if (!err || err->level < XML_ERR_ERROR || m->xml_error[0]) return;
    snprintf(m->xml_error, sizeof m->xml_error, "%s", err->message ? err->message : "broken XML");
    m->xml_error[strcspn(m->xml_error, "\n")] = 0;
    m->xml_line = err->line;
}

/* One pass over the file. Returns 0 when done, 1 when a batch failed and the file must be read
 * again (m->skip_before and m->single_until say how), -1 when it cannot go on. */
static int pass(struct mw *m)
{
    xmlTextReaderPtr r = xmlReaderForFile(m->file, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (!r) {
        fprintf(m->b.log, "ken: cannot read %s\n", m->file);
        return -1;
    }
    m->xml_error[0] = 0;
    m->broken = 0;
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, m);
    m->page_index = -1;
    m->replay = 0;
    int ret = 1, skip_subtree = 0, rc = 0;
    while (!m->replay && (ret = skip_subtree ? xmlTextReaderNext(r) : xmlTextReaderRead(r)) == 1) {
        skip_subtree = 0;
        int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        if (!name) continue;
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth == 1 && strcmp(name, "page") == 0) page_end(m);
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT) continue;
        if (depth == 1 && strcmp(name, "siteinfo") == 0) {
            xmlNodePtr n = xmlTextReaderExpand(r);
            if (n && !m->siteinfo_read) siteinfo(m, n); /* once, not again on a replay */
            m->siteinfo_read = 1;
            skip_subtree = 1;
        } else if (depth == 1 && strcmp(name, "page") == 0) {
            m->page_index++;
            if (m->page_index == 0 && !import_batch_space_ok(m->b.log, m->space)) {
                rc = -1;
                break;
            }
            if (m->page_index > m->pages_seen - 1) m->pages_seen = m->page_index + 1;
            if (m->page_index < m->skip_before) {
                skip_subtree = 1;
                continue;
            }
            page_begin(m);
            if (xmlTextReaderIsEmptyElement(r)) page_end(m);
        } else if (depth == 2 && m->pg.open && strcmp(name, "title") == 0) {
            xmlChar *t = xmlTextReaderReadString(r);
            free(m->pg.title);
            m->pg.title = xstrdup(t ? (const char *)t : "");
            xmlFree(t);
            skip_subtree = 1;
        } else if (depth == 2 && m->pg.open && strcmp(name, "revision") == 0) {
            xmlNodePtr n = xmlTextReaderExpand(r);
            if (!n) {
                m->broken = 1; /* the XML broke inside the revision */
                break;
            }
            revision(m, n);
            import_batch_progress(&m->b, 0);
            skip_subtree = 1;
        } else if (depth == 2 && strcmp(name, "upload") == 0) {
            skip_subtree = 1;
        }
    }
    if (!m->replay && rc == 0 && (m->xml_error[0] || ret < 0 || m->broken)) {
        if (!m->xml_error[0]) snprintf(m->xml_error, sizeof m->xml_error, "the XML is broken");
        if (m->pg.open)
            page_broken(m);
        else
            m->b.stats->failed++; /* what came after it is lost */
        if (!m->replay)
            fprintf(m->b.log,
                    "%s%s: the XML is cut off or broken at line %d (%s); nothing after "
                    "it was read\n",
                    m->b.tty ? "\r" : "", m->file, m->xml_line, m->xml_error);
    }
    if (m->b.open && rc == 0 && !m->replay) batch_close(m, 0);
    if (m->replay) {
        m->skip_before = m->batch_first;
        if (m->pg.in_txn) page_rollback(m);
        rc = 1;
    } else if (rc < 0 && m->b.open) {
        batch_close(m, 1);
    }
    page_free(&m->pg);
    xmlFreeTextReader(r);
    return rc;
}

int import_mediawiki(struct db *db, const char *file, const char *space, FILE *log, int is_tty,
                     struct import_stats *stats)
{
    struct stat sb;
    if (stat(file, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(log, "ken: %s is not a file\n", file);
        return -1;
    }
    struct arena *a = arena_new();
    if (space && !import_batch_space_ok(log, space)) {
        arena_free(a);
        return -1;
    }
    struct mw m = {.file = file, .space_given = space != NULL, .single_until = -1};
    m.b = (struct import_batch){.db = db, .log = log, .tty = is_tty, .stats = stats,
                                .every_tty = 100, .every_log = 1000, .pages = &m.pages_seen};
    if (space) {
        m.space = xstrdup(space);
    } else { /* the file's name, unless the export names its wiki */
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        size_t n = strcspn(base, ".");
        m.space = xstrdup(wikipath_slug(a, arena_strndup(a, base, n)));
    }
    import_batch_start(&m.b);
    int rc;
    do
        rc = pass(&m);
    while (rc == 1);
    if (is_tty) fputc('\n', log);
    double t = import_batch_elapsed(&m.b);
    long revisions = import_batch_counted(stats);
    if (rc == 0) {
        fprintf(log, "%ld pages, %ld revisions in %.1f s: %.0f pages/s, %.0f revisions/s\n",
                m.pages_seen, revisions, t, t > 0 ? (double)m.pages_seen / t : 0.0,
                t > 0 ? (double)revisions / t : 0.0);
        import_batch_summary(&m.b, t);
    }
    for (size_t i = 0; i < m.nns; i++)
        free(m.ns[i]);
    free(m.ns);
    free(m.category_ns);
    free(m.file_ns);
    free(m.space);
    arena_free(a);
    return rc < 0 ? -1 : 0;
}
