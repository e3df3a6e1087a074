#include "wiki/export.h"
#include "core/arena.h"
#include "wiki/attach_store.h"
#include "core/buf.h"
#include "core/embed.h"
#include "wiki/freshness_store.h"
#include "markup/html.h"
#include "wiki/page_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { PAGES_MAX = 1 << 30 };

/* ---- files */

/* Creates the folder `path` and the folders above it. Returns 0 or -1 (errno set). */
static int make_dirs(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

/* Returns 0 when dir is an empty folder or was missing (and is now made); else says why, -1. */
static int prepare_dir(const char *dir, FILE *log)
{
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (make_dirs(dir) == 0) return 0;
        fprintf(log, "ken: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        fprintf(log, "ken: %s exists and is not a folder\n", dir);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(log, "ken: cannot read %s: %s\n", dir, strerror(errno));
        return -1;
    }
    int empty = 1;
    for (struct dirent *e; empty && (e = readdir(d));)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (!empty) fprintf(log, "ken: %s is not empty; export into a new or empty folder\n", dir);
    return empty ? 0 : -1;
}

/* Writes a new file (never replacing one), making its folders. Counts and reports a failure. */
static int write_file(struct export_stats *st, FILE *log, const char *path, const void *data,
                      size_t len)
{
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    if (slash) *slash = 0;
    int fd = -1;
    if (!slash || make_dirs(dir) == 0) fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    free(dir);
    int ok = fd >= 0;
    for (size_t done = 0; ok && done < len;) {
        ssize_t n = write(fd, (const char *)data + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        done += n > 0 ? (size_t)n : 0;
    }
    if (fd >= 0 && close(fd) != 0) ok = 0;
    if (!ok) {
        fprintf(log, "ken: cannot write %s: %s\n", path, strerror(errno));
        st->failed++;
        return -1;
    }
    return 0;
}

/* The attachments an export wrote: "<path>/<name>" (as /files/ addresses name them) and the
 * file it became; malloc'd, sorted by key once all are written. */
struct file_map {
    struct file_entry {
        char *key, *out;
    } *v;
    size_t n, cap;
};

static const char *iso_time(struct arena *a, int64_t t, const char *fmt)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[64];
    gmtime_r(&tt, &tm);
    strftime(s, sizeof s, fmt, &tm);
    return arena_strdup(a, s);
}

/* Where an attachment goes in an export, under the page's own files folder "<path>.files/":
 * page paths hold no '.', so it never meets a page's file (<path>.md, <path>.html) or folder, and
 * no attachment can take the place of another page's file. A name a reader could take for
 * something active gets ".txt": in the Markdown export a ".md" file (a later import would make
 * it a page, trusting its front matter's author); in the HTML export anything but plain data
 * (HTML and SVG, by their bytes or their name: opened from the copy, their script would run).
 * Returns "<path>.files/<name>" in a. */
static const char *export_name(struct arena *a, const struct page *p, const struct attachment *f,
                               int html)
{
    static const char *const inert[] = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".zip",
                                        ".gz",  ".txt", ".csv",  ".log", ".tar", ".docx", ".xlsx",
                                        ".pptx", ".odt", ".ods", ".odp", NULL};
    const char *dot = strrchr(f->name, '.');
    int active;
    if (html) {
        int known = 0;
        for (int i = 0; dot && inert[i] && !known; i++)
            known = strcasecmp(dot, inert[i]) == 0;
        const char *t = f->content_type ? f->content_type : "";
        active = !known || strstr(t, "html") || strstr(t, "svg") || strstr(t, "xml");
    } else {
        active = dot && strcasecmp(dot, ".md") == 0;
    }
    return arena_printf(a, "%s.files/%s%s", p->path, f->name, active ? ".txt" : "");
}

/* Writes the newest version of each of the page's attachments to dir/<export_name>; adds
 * "<path>/<name>" and where it went to *files (when not NULL). */
static void write_attachments(struct db *db, struct arena *a, const char *dir, const struct page *p,
                              FILE *log, struct export_stats *st, int html, struct file_map *files)
{
    for (struct attachment *f = attach_store_list(db, a, p->id, NULL); f; f = f->next) {
        size_t len = 0;
        const void *data = attach_store_data(db, a, f->id, &len);
        if (!data) {
            fprintf(log, "ken: the bytes of %s/%s are missing\n", p->path, f->name);
            st->failed++;
            continue;
        }
        const char *out = export_name(a, p, f, html);
        if (write_file(st, log, arena_printf(a, "%s/%s", dir, out), data, len))
            continue;
        st->files++;
        if (files) {
            if (files->n == files->cap)
                files->v = xrealloc(files->v, (files->cap = files->cap ? files->cap * 2 : 64) *
                                                  sizeof *files->v);
            files->v[files->n].key = xstrdup(arena_printf(a, "%s/%s", p->path, f->name));
            files->v[files->n++].out = xstrdup(out);
        }
    }
}

/* Every live page, space by space (a listing of all spaces leaves templates out), in a. */
static struct page_item *all_pages(struct db *db, struct arena *a, size_t *count)
{
    struct page_item *head = NULL, **tail = &head;
    *count = 0;
    for (struct space_item *sp = page_store_spaces(db, a); sp; sp = sp->next) {
        *tail = page_store_list(db, a, sp->name, NULL, 0, PAGES_MAX, NULL);
        for (; *tail; tail = &(*tail)->next)
            (*count)++;
    }
    return head;
}

static int begin(struct db *db, FILE *log)
{
    if (db_begin_read(db) == 0) return 0;
    fprintf(log, "ken: cannot read the database: %s\n", db_errmsg(db));
    return -1;
}

/* ---- Markdown */

int export_markdown(struct db *db, const char *dir, FILE *log, struct export_stats *st)
{
    memset(st, 0, sizeof *st);
    if (prepare_dir(dir, log) != 0 || begin(db, log) != 0) return -1;
    struct arena *a = arena_new();
    int64_t now = (int64_t)time(NULL);
    size_t count;
    for (struct page_item *it = all_pages(db, a, &count); it; it = it->next) {
        struct arena *pa = arena_new();
        struct page *p = page_store_get(db, pa, it->path);
        if (!p) {
            arena_free(pa);
            continue;
        }
        struct buf b;
        buf_init(&b, 0);
        buf_printf(&b, "---\ntitle: %s\ntags: [", p->title);
        for (const char *t = p->tags; *t; t++)
            buf_puts(&b, *t == PAGE_TAGS_SEP[0] ? ", " : (char[]){*t, 0});
        buf_puts(&b, "]\nowners: [");
        struct freshness *fr = freshness_get(db, pa, p->id, now);
        for (struct owner *o = fr ? fr->owners : NULL; o; o = o->next)
            buf_printf(&b, "%s%s", o == fr->owners ? "" : ", ", o->login);
        buf_puts(&b, "]\n");
        if (*p->author_login) buf_printf(&b, "author: %s\n", p->author_login);
        buf_printf(&b, "updated: %s\n---\n", iso_time(pa, p->updated_at, "%Y-%m-%dT%H:%M:%SZ"));
        buf_puts(&b, p->markdown);
        if (write_file(st, log, arena_printf(pa, "%s/%s.md", dir, p->path), b.data, b.len) == 0)
            st->pages++;
        buf_free(&b);
        write_attachments(db, pa, dir, p, log, st, 0, NULL);
        arena_free(pa);
    }
    db_commit(db);
    fprintf(log, "exported %ld pages and %ld files to %s%s\n", st->pages, st->files, dir,
            st->failed ? arena_printf(a, "; %ld could not be written", st->failed) : "");
    arena_free(a);
    return 0;
}

/* ---- HTML */

struct site {
    char **pages; /* sorted page paths */
    size_t npages;
    struct file_map files;
};

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static int cmp_file(const void *x, const void *y)
{
    return strcmp(((const struct file_entry *)x)->key, ((const struct file_entry *)y)->key);
}

/* Returns where the attachment "<path>/<name>" went in the copy, or NULL. */
static const char *file_out(const struct site *s, const char *key)
{
    struct file_entry k = {(char *)key, NULL};
    const struct file_entry *e =
        s->files.n ? bsearch(&k, s->files.v, s->files.n, sizeof k, cmp_file) : NULL;
    return e ? e->out : NULL;
}

static int has(char **v, size_t n, const char *s)
{
    return n && bsearch(&s, v, n, sizeof *v, cmp_str) != NULL;
}

/* What an address in a page becomes in the copy: NULL to keep it, "" to drop it (nothing in the
 * copy answers it), else the new address. `up` leads from the page's folder to the top. */
static const char *local_address(struct arena *a, const struct site *s, const char *up,
                                 const char *v)
{
    if (strncmp(v, "/wiki/", 6) == 0) {
        size_t n = strcspn(v + 6, "?#");
        const char *frag = strchr(v + 6 + n, '#');
        char *path = arena_strndup(a, v + 6, n);
        return has(s->pages, s->npages, path)
                   ? arena_printf(a, "%s%s.html%s", up, path, frag ? frag : "")
                   : "";
    }
    if (strncmp(v, "/files/", 7) == 0) {
        const char *out = file_out(s, arena_strndup(a, v + 7, strcspn(v + 7, "?#")));
        return out ? arena_printf(a, "%s%s", up, out) : "";
    }
    if (v[0] == '/' && v[1] != '/') return ""; /* another part of ken: not in the copy */
    return NULL;
}

/* Copies sanitised HTML with its href and src addresses made local (see local_address). */
static void rewrite(struct buf *out, struct arena *a, const struct site *s, const char *up,
                    const char *html)
{
    int in_tag = 0;
    for (const char *p = html; *p;) {
        if (*p == '<')
            in_tag = 1;
        else if (*p == '>')
            in_tag = 0;
        size_t an = !in_tag                          ? 0
                    : strncmp(p, " href=\"", 7) == 0 ? 7
                    : strncmp(p, " src=\"", 6) == 0  ? 6
                                                     : 0;
        const char *end = an ? strchr(p + an, '"') : NULL;
        if (!end) {
            buf_putc(out, *p++);
            continue;
        }
        const char *to = local_address(a, s, up, arena_strndup(a, p + an, (size_t)(end - p - an)));
        if (!to)
            buf_append(out, p, (size_t)(end + 1 - p));
        else if (*to)
            buf_printf(out, "%.*s%s\"", (int)an, p, to);
        p = end + 1;
    }
}

static void head(struct buf *b, const char *title, const char *up)
{
    buf_puts(b, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    html_text(b, title);
    buf_printf(b,
               "</title>\n<link rel=\"stylesheet\" href=\"%sken.css\">\n</head>\n<body>\n"
               "<header class=\"top\"><a class=\"brand\" href=\"%sindex.html\"><span>All "
               "pages</span></a></header>\n",
               up, up);
}

static void page_html(struct buf *b, struct arena *a, const struct site *s, struct db *db,
                      const struct page *p)
{
    struct buf upb;
    buf_init(&upb, 0);
    for (const char *c = p->path; *c; c++)
        if (*c == '/') buf_puts(&upb, "../");
    const char *up = arena_adopt(a, buf_take(&upb));
    head(b, p->title, up);
    /* Breadcrumbs: the space, then the ancestors the copy holds. */
    buf_printf(b, "<nav class=\"crumbs\" aria-label=\"Breadcrumbs\"><a href=\"%sindex.html#space-",
               up);
    html_text(b, p->space);
    buf_puts(b, "\">");
    html_text(b, p->space);
    buf_puts(b, "</a>");
    for (const char *c = strchr(p->path, '/'); c; c = strchr(c + 1, '/')) {
        char *anc = arena_strndup(a, p->path, (size_t)(c - p->path));
        if (strchr(anc, '/') && has(s->pages, s->npages, anc)) {
            buf_printf(b, "<a href=\"%s%s.html\">", up, anc);
            html_text(b, strrchr(anc, '/') + 1);
            buf_puts(b, "</a>");
        }
    }
    buf_puts(b, "</nav>\n<main>\n<article class=\"page\">\n<header class=\"page-head\">\n<h1>");
    html_text(b, p->title);
    buf_puts(b, "</h1>\n<p class=\"meta\">Changed by <span class=\"author\">");
    html_text(b, p->author_name ? p->author_name : "ken");
    buf_printf(b, "</span> on <time>%s</time> · revision %d</p>\n<ul class=\"tags\">",
               iso_time(a, p->updated_at, "%Y-%m-%d %H:%M UTC"), p->rev);
    for (const char *t = p->tags; *t;) {
        size_t n = strcspn(t, PAGE_TAGS_SEP);
        buf_puts(b, "<li>");
        html_escape(b, t, n);
        buf_puts(b, "</li>");
        t += n + (t[n] ? 1 : 0);
    }
    buf_puts(b, "</ul>\n</header>\n<div class=\"page-body\">\n");
    if (p->toc && *p->toc) {
        buf_puts(b, "<nav class=\"toc\" aria-label=\"Contents\"><h2>Contents</h2>");
        rewrite(b, a, s, up, p->toc);
        buf_puts(b, "</nav>\n");
    }
    buf_puts(b, "<div class=\"markdown\">\n");
    rewrite(b, a, s, up, p->html);
    buf_puts(b, "\n</div>\n</div>\n");
    struct attachment *files = attach_store_list(db, a, p->id, NULL);
    if (files) {
        buf_puts(b, "<section class=\"attachments\">\n<h2>Files</h2>\n<ul>");
        for (struct attachment *f = files; f; f = f->next) {
            const char *out = file_out(s, arena_printf(a, "%s/%s", p->path, f->name));
            if (!out) continue;
            buf_printf(b, "<li><a href=\"%s%s\">", up, out);
            html_text(b, f->name);
            buf_printf(b, "</a> <span class=\"hint\">%lld bytes</span></li>", (long long)f->size);
        }
        buf_puts(b, "</ul>\n</section>\n");
    }
    buf_puts(b, "</article>\n</main>\n<footer class=\"bottom\">A static copy exported from ken"
                "</footer>\n</body>\n</html>\n");
}

static void index_html(struct buf *b, struct arena *a, struct db *db)
{
    head(b, "All pages", "");
    buf_puts(b, "<main>\n<h1>All pages</h1>\n");
    for (struct space_item *sp = page_store_spaces(db, a); sp; sp = sp->next) {
        buf_puts(b, "<section>\n<h2 id=\"space-");
        html_text(b, sp->name);
        buf_puts(b, "\">");
        html_text(b, sp->name);
        buf_puts(b, "</h2>\n<ul class=\"pagelist\">\n");
        for (struct page_item *it = page_store_list(db, a, sp->name, NULL, 0, PAGES_MAX, NULL); it;
             it = it->next) {
            buf_puts(b, "<li><a href=\"");
            html_text(b, it->path);
            buf_puts(b, ".html\">");
            html_text(b, it->title);
            buf_puts(b, "</a> <span class=\"path\">");
            html_text(b, it->path);
            buf_puts(b, "</span></li>\n");
        }
        buf_puts(b, "</ul>\n</section>\n");
    }
    buf_puts(b, "</main>\n<footer class=\"bottom\">A static copy exported from ken</footer>\n"
                "</body>\n</html>\n");
}

int export_html(struct db *db, const char *dir, FILE *log, struct export_stats *st)
{
    memset(st, 0, sizeof *st);
    const struct embed_file *css = embed_find("web/static/ken.css");
    if (prepare_dir(dir, log) != 0 || begin(db, log) != 0) return -1;
    struct arena *a = arena_new();
    struct site s = {0};
    size_t n = 0;
    struct page_item *list = all_pages(db, a, &n);
    s.pages = xmalloc((n ? n : 1) * sizeof *s.pages);
    for (struct page_item *it = list; it; it = it->next)
        s.pages[s.npages++] = (char *)it->path;
    qsort(s.pages, s.npages, sizeof *s.pages, cmp_str);
    /* Files first, so that pages know which of them the copy holds. */
    for (struct page_item *it = list; it; it = it->next) {
        struct arena *pa = arena_new();
        struct page *p = page_store_get(db, pa, it->path);
        if (p) write_attachments(db, pa, dir, p, log, st, 1, &s.files);
        arena_free(pa);
    }
    if (s.files.n) qsort(s.files.v, s.files.n, sizeof *s.files.v, cmp_file);
    for (struct page_item *it = list; it; it = it->next) {
        struct arena *pa = arena_new();
        struct page *p = page_store_get(db, pa, it->path);
        if (p) {
            struct buf b;
            buf_init(&b, 0);
            page_html(&b, pa, &s, db, p);
            if (write_file(st, log, arena_printf(pa, "%s/%s.html", dir, p->path), b.data, b.len) ==
                0)
                st->pages++;
            buf_free(&b);
        }
        arena_free(pa);
    }
    struct buf b;
    buf_init(&b, 0);
    index_html(&b, a, db);
    write_file(st, log, arena_printf(a, "%s/index.html", dir), b.data, b.len);
    buf_free(&b);
    if (css) write_file(st, log, arena_printf(a, "%s/ken.css", dir), css->data, css->len);
    db_commit(db);
    fprintf(log, "exported %ld pages and %ld files to %s%s\n", st->pages, st->files, dir,
            st->failed ? arena_printf(a, "; %ld could not be written", st->failed) : "");
    for (size_t i = 0; i < s.files.n; i++) {
        free(s.files.v[i].key);
        free(s.files.v[i].out);
    }
    free(s.files.v);
    free(s.pages);
    arena_free(a);
    return 0;
}
