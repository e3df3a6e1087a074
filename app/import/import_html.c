#include "import/import_html.h"
#include "core/arena.h"
#include "wiki/attach_store.h"
#include "core/buf.h"
#include "markup/html2md.h"
#include "wiki/page_store.h"
#include "core/utf8.h"
#include "wiki/wikipath.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { FILE_MAX = 8 << 20, ATTACH_MAX = 20 << 20, BATCH = 200, ATTACH_FILES = 200 };

struct attach_stats {
    long stored, same, failed;
};

struct importer {
    struct import_batch b;
    const char *root, *space;
    struct attach_stats att; /* rolled back with the page counts when a batch fails */
};

/* What one page links to: files of the import that become its attachments. */
struct file_ctx {
    struct importer *im;
    const char *rel, *path; /* the HTML file (relative to the root) and its page */
    struct {
        const char *name, *full;
    } files[ATTACH_FILES];
    int nfiles;
};

static int html_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcasecmp(name + n - 5, ".html") == 0) ||
           (n > 4 && strcasecmp(name + n - 4, ".htm") == 0);
}

/* A file or folder name as a path segment, without what exports add to names: Notion's
 * " 0123...cdef" id (32 hex digits) and Confluence's "_123456" page id. */
static char *segment_of(struct arena *a, const char *name, size_t n)
{
    size_t hex = 0;
    while (hex < n && hex < 32 && strchr("0123456789abcdef", name[n - 1 - hex]))
        hex++;
    if (hex == 32 && n > 33 && name[n - 33] == ' ') n -= 33;
    size_t digits = 0;
    while (digits < n && name[n - 1 - digits] >= '0' && name[n - 1 - digits] <= '9')
        digits++;
    if (digits >= 4 && n > digits + 1 && name[n - 1 - digits] == '_') n -= digits + 1;
    return wikipath_slug(a, arena_strndup(a, name, n));
}

/* "Guides/Getting Started.html" -> "guides/getting-started" ("" when unusable). */
static char *path_of(struct arena *a, const char *rel)
{
    struct buf b;
    buf_init(&b, 0);
    const char *dot = strrchr(rel, '.');
    size_t n = dot && !strchr(dot, '/') ? (size_t)(dot - rel) : strlen(rel);
    int depth = 1;
    for (size_t i = 0; i < n;) {
        size_t seg = strcspn(rel + i, "/");
        if (seg > n - i) seg = n - i;
        char *s = segment_of(a, rel + i, seg);
        if (*s && ++depth <= WIKIPATH_DEPTH_MAX) buf_printf(&b, "%s%s", b.len ? "/" : "", s);
        i += seg + 1;
    }
    return arena_adopt(a, buf_take(&b));
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static char *percent_decode(struct arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            char c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            out[k++] = c ? c : '?';
            i += 2;
        } else {
            out[k++] = s[i];
        }
    }
    out[k] = 0;
    return out;
}

/* Resolves `target` against the folder of `rel`, with ./ and ../; NULL when it leaves the root. */
static char *resolve(struct arena *a, const char *rel, const char *target)
{
    struct buf b;
    buf_init(&b, 0);
    const char *slash = strrchr(rel, '/');
    if (slash) buf_append(&b, rel, (size_t)(slash - rel));
    for (const char *t = target; *t;) {
        size_t seg = strcspn(t, "/");
        if (seg == 2 && t[0] == '.' && t[1] == '.') {
            if (!b.len) {
                buf_free(&b);
                return NULL;
            }
            char *last = strrchr(b.data, '/');
            b.len = last ? (size_t)(last - b.data) : 0;
            b.data[b.len] = 0;
        } else if (seg && !(seg == 1 && t[0] == '.')) {
            if (b.len) buf_putc(&b, '/');
            buf_append(&b, t, seg);
        }
        t += seg + (t[seg] ? 1 : 0);
    }
    return arena_adopt(a, buf_take(&b));
}

static int has_scheme(const char *url)
{
    size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    return n > 0 && url[n] == ':';
}

/* Registers a file of the import as an attachment of the page; returns its name, or NULL. */
static const char *attach(struct file_ctx *f, struct arena *a, const char *full)
{
    char *name = attach_name_from_filename(a, full);
    if (!name) return NULL;
    for (int i = 0; i < f->nfiles; i++) {
        if (strcmp(f->files[i].full, full) == 0) return f->files[i].name;
        if (strcmp(f->files[i].name, name) == 0) /* another file, the same name */
            name = arena_printf(a, "%d-%s", f->nfiles + 1, name);
    }
    if (f->nfiles == ATTACH_FILES || attach_name_check(name)) return NULL;
    f->files[f->nfiles].name = name;
    f->files[f->nfiles++].full = full;
    return name;
}

/* html2md's hook: links to other HTML files of the import become wiki links, other local files
 * become attachments (images by their bare name, which ken shows from the page's files). */
static const char *address(void *ctx, struct arena *a, const char *url, int image)
{
    struct file_ctx *f = ctx;
    if (!*url || url[0] == '#' || url[0] == '/' || has_scheme(url)) return NULL;
    size_t n = strcspn(url, "?#");
    const char *frag = url[n] == '#' ? url + n : url[n] == '?' ? strchr(url + n, '#') : NULL;
    char *target = resolve(a, f->rel, percent_decode(a, url, n));
    if (!target || !*target) return NULL;
    char *full = arena_printf(a, "%s/%s", f->im->root, target);
    if (!import_batch_inside(f->im->root, full)) return NULL;
    if (html_name(target)) {
        char *path = path_of(a, target);
        return *path ? arena_printf(a, "/wiki/%s/%s%s", f->im->space, path, frag ? frag : "")
                     : NULL;
    }
    const char *name = attach(f, a, full);
    if (!name) return NULL;
    return image ? name : arena_printf(a, "/files/%s/%s", f->path, name);
}

static void store_attachments(struct importer *im, struct arena *a, struct file_ctx *f)
{
    if (!f->nfiles) return;
    struct page *p = page_store_get(im->b.db, a, f->path);
    for (int i = 0; p && i < f->nfiles; i++) {
        const char *why = NULL;
        FILE *in = fopen(f->files[i].full, "rb");
        struct stat sb;
        if (!in)
            why = strerror(errno);
        else if (fstat(fileno(in), &sb) != 0 || sb.st_size > ATTACH_MAX)
            why = "larger than 20 MiB";
        else if (sb.st_size == 0)
            why = "an empty file";
        char *data = NULL;
        if (!why) {
            data = arena_alloc(a, (size_t)sb.st_size);
            if (fread(data, 1, (size_t)sb.st_size, in) != (size_t)sb.st_size)
                why = "could not be read";
        }
        if (in) fclose(in);
        struct attachment *out;
        enum attach_save_result r =
            why ? ATTACH_FAILED
                : attach_store_save(im->b.db, a, p->id, f->files[i].name, data, (size_t)sb.st_size,
                                    0, &out, &why);
        if (r == ATTACH_CREATED) {
            im->att.stored++;
        } else if (r == ATTACH_SAME) {
            im->att.same++;
        } else {
            im->att.failed++;
            import_batch_say(&im->b, f->rel,
                             arena_printf(a, "%s not attached: %s",
                                          f->files[i].full + strlen(im->root) + 1,
                                          why ? why : "the database refused it"));
        }
    }
}

static void import_file(void *ctx, const char *full, const char *rel)
{
    struct importer *im = ctx;
    struct arena *a = arena_new();
    size_t n;
    char *html = import_batch_read_file(a, full, FILE_MAX, &n);
    if (!html) {
        import_batch_failed(&im->b, rel, strerror(errno));
        arena_free(a);
        return;
    }
    char *path = path_of(a, rel);
    const char *why = n > FILE_MAX ? "larger than 8 MiB" : !*path ? "no usable page name" : NULL;
    struct file_ctx *f = arena_alloc(a, sizeof *f);
    *f = (struct file_ctx){.im = im, .rel = rel};
    f->path = path = arena_printf(a, "%s/%s", im->space, path);
    struct html2md_hooks hooks = {address, f};
    char *title = NULL, *md = NULL;
    if (!why && html2md_convert(a, html, n, &hooks, &title, &md) != 0) why = "not readable as HTML";
    if (why) {
        import_batch_failed(&im->b, rel, why);
        arena_free(a);
        return;
    }
    if (!*title) {
        const char *base = strrchr(rel, '/');
        base = base ? base + 1 : rel;
        title = arena_strndup(a, base, strcspn(base, "."));
    }
    title[utf8_prefix(title, 200)] = 0; /* never half a character: the page would be refused */
    struct page_edit e = {
        .path = path,
        .title = title,
        .markdown = md,
        .tags = "",
        .summary = "Imported from HTML",
        .base_rev = -1,
    };
    /* Resumable: a page whose current text and title are the same is left alone. */
    struct page *cur = page_store_get(im->b.db, a, path);
    if (cur && strcmp(cur->title, title) == 0 && strcmp(cur->markdown, md) == 0) {
        im->b.stats->skipped++;
        store_attachments(im, a, f);
        arena_free(a);
        return;
    }
    int rev;
    enum page_save_result res = page_store_save(im->b.db, a, &e, &rev, &why);
    if (res == PAGE_CREATED || res == PAGE_UPDATED || res == PAGE_MERGED) {
        if (res == PAGE_CREATED)
            im->b.stats->created++;
        else
            im->b.stats->updated++;
        store_attachments(im, a, f);
    } else {
        import_batch_failed(&im->b, rel, why);
    }
    arena_free(a);
}

/* Confluence keeps the pages' files in "attachments" folders: they come with their pages. */
static int wanted(const char *name, int folder)
{
    return folder ? strcmp(name, "attachments") != 0 : html_name(name);
}

int import_html(struct db *db, const char *dir, const char *space, FILE *log, int is_tty,
                struct import_stats *stats, long *attach_failed)
{
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(log, "ken: %s is not a folder\n", dir);
        return -1;
    }
    struct arena *a = arena_new();
    if (!space) {
        const char *base = strrchr(dir, '/');
        while (base && base[1] == 0 && base > dir) /* "dir/" */
            base = memrchr(dir, '/', (size_t)(base - dir));
        space = segment_of(a, base ? base + 1 : dir, strcspn(base ? base + 1 : dir, "/"));
    }
    if (!import_batch_space_ok(log, space)) {
        arena_free(a);
        return -1;
    }
    struct importer im = {.root = dir, .space = space};
    im.b = (struct import_batch){.db = db, .log = log, .tty = is_tty, .stats = stats, .size = BATCH,
                                 .every_tty = 20, .every_log = 200, .import_one = import_file,
                                 .ctx = &im, .more = &im.att, .more_size = sizeof im.att};
    import_batch_start(&im.b);
    import_batch_folder(&im.b, dir, wanted);
    import_batch_finish(&im.b);
    fprintf(log, "attachments: stored %ld, unchanged %ld, failed %ld\n", im.att.stored, im.att.same,
            im.att.failed);
    import_batch_summary(&im.b, import_batch_elapsed(&im.b));
    if (attach_failed) *attach_failed = im.att.failed;
    arena_free(a);
    return 0;
}
