#include "import/import_markdown.h"
#include "core/arena.h"
#include "wiki/attach_store.h"
#include "core/buf.h"
#include "markup/frontmatter.h"
#include "wiki/page_store.h"
#include "accounts/user_store.h"
#include "wiki/wikipath.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { FILE_MAX = 1 << 20, BATCH = 500 };

struct claims;
struct importer {
    struct import_batch b;
    const char *root, *space;
    struct claims *claims;
};

enum { IMAGES_MAX = 32, IMAGE_MAX_BYTES = 20 << 20 };

/* Images next to a Markdown file that its page shows: they become the page's attachments. */
struct images {
    const char *full[IMAGES_MAX], *name[IMAGES_MAX];
    int n;
};

/* For ![alt](pic.png) with a relative address: when the file exists beside the Markdown file,
 * records it and returns the attachment name to write instead (ken shows bare names from the
 * page's files); else NULL and the address stays as written. */
static const char *image_of(struct importer *im, struct arena *a, const char *rel,
                            const char *url, size_t len, struct images *imgs)
{
    if (imgs->n == IMAGES_MAX || !len || memchr(url, ':', len) || url[0] == '/' ||
        memchr(url, '?', len) || memchr(url, '#', len))
        return NULL;
    const char *dir_end = strrchr(rel, '/');
    char *full = arena_printf(a, "%s/%.*s%s%.*s", im->root, dir_end ? (int)(dir_end - rel) : 0, rel,
                              dir_end ? "/" : "", (int)len, url);
    struct stat sb;
    if (strstr(full, "..") || !import_batch_inside(im->root, full) || stat(full, &sb) != 0 ||
        sb.st_size > IMAGE_MAX_BYTES)
        return NULL;
    char *name = attach_name_from_filename(a, full);
    if (!name || attach_name_check(name))
        return NULL;
    imgs->full[imgs->n] = full;
    imgs->name[imgs->n++] = name;
    return name;
}

/* A segment with no letters or digits ("!", "[[", "." of "..md") becomes "p-" and a hash of it:
 * leaving it out would make the file a revision of its folder's page. */
static char *slug_or_hash(struct arena *a, const char *seg)
{
    char *s = wikipath_slug(a, seg);
    if (*s || !*seg)
        return s;
    uint32_t h = 2166136261u;
    for (const char *c = seg; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    return arena_printf(a, "p-%08x", (unsigned)h);
}

/* "Guides/Getting Started.md" -> "guides/getting-started" (segments slugged, see slug_or_hash).
 * Returns "" when a segment is empty. */
static char *path_of(struct arena *a, const char *rel)
{
    struct buf b;
    buf_init(&b, 0);
    size_t n = strlen(rel) - 3; /* without ".md" */
    for (size_t i = 0; i < n;) {
        size_t seg = strcspn(rel + i, "/");
        if (seg > n - i)
            seg = n - i;
        char *s = slug_or_hash(a, arena_strndup(a, rel + i, seg));
        if (!*s) {
            buf_free(&b);
            return "";
        }
        buf_printf(&b, "%s%s", b.len ? "/" : "", s);
        i += seg + 1;
    }
    return arena_adopt(a, buf_take(&b));
}

/* The page paths this import gave out, and the file each went to: two files whose names slug
 * alike ("clang++.md" and "clang.md", "a-b.md" and "a_b.md") must not share a page. */
struct claims {
    char **path, **rel; /* malloc'd; open addressing, cap a power of two */
    size_t n, cap;
};

static size_t hash_of(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* Claims `path` for the file `rel`. Returns NULL, or the other file that has it already. */
static const char *claim(struct claims *c, const char *path, const char *rel)
{
    if (2 * (c->n + 1) > c->cap) {
        struct claims bigger = {NULL, NULL, 0, c->cap ? 2 * c->cap : 256};
        bigger.path = calloc(bigger.cap, sizeof *bigger.path);
        bigger.rel = calloc(bigger.cap, sizeof *bigger.rel);
        if (!bigger.path || !bigger.rel)
            die("out of memory");
        for (size_t i = 0; i < c->cap; i++)
            if (c->path[i]) {
                size_t j = hash_of(c->path[i]) & (bigger.cap - 1);
                while (bigger.path[j])
                    j = (j + 1) & (bigger.cap - 1);
                bigger.path[j] = c->path[i];
                bigger.rel[j] = c->rel[i];
            }
        free(c->path);
        free(c->rel);
        bigger.n = c->n;
        *c = bigger;
    }
    size_t j = hash_of(path) & (c->cap - 1);
    for (; c->path[j]; j = (j + 1) & (c->cap - 1))
        if (strcmp(c->path[j], path) == 0)
            return strcmp(c->rel[j], rel) == 0 ? NULL : c->rel[j];
    c->path[j] = xstrdup(path);
    c->rel[j] = xstrdup(rel);
    c->n++;
    return NULL;
}

static void claims_free(struct claims *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        free(c->path[i]);
        free(c->rel[i]);
    }
    free(c->path);
    free(c->rel);
}

/* The first "# Heading" line of the text, or NULL. */
static char *first_heading(struct arena *a, const char *md)
{
    for (const char *p = md; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (p[0] == '#' && p[1] == ' ')
            return arena_strndup(a, p + 2, strcspn(p + 2, "\r\n"));
    return NULL;
}

/* Rewrites Markdown links to other .md files of the import, "[x](../a/B.md#s)", into
 * "[x](/wiki/space/a/b#s)" so they keep working inside ken. */
static char *rewrite_links(struct importer *im, struct arena *a, const char *md, const char *rel,
                           struct images *imgs)
{
    struct buf out;
    buf_init(&out, 0);
    const char *dir_end = strrchr(rel, '/');
    size_t dir_len = dir_end ? (size_t)(dir_end - rel) : 0;
    const char *p = md;
    for (const char *hit; (hit = strstr(p, "](")); p = hit + 2) {
        const char *url = hit + 2, *close = strpbrk(url, ")\n");
        buf_append(&out, p, (size_t)(hit + 2 - p));
        if (!close || *close != ')')
            continue;
        size_t ulen = (size_t)(close - url);
        /* An image: the nearest '[' before "](" comes right after a '!'. */
        const char *open = hit;
        while (open > md && *open != '[' && *open != '\n')
            open--;
        if (*open == '[' && open > md && open[-1] == '!') {
            const char *name = image_of(im, a, rel, url, ulen, imgs);
            if (name) {
                buf_printf(&out, "%s)", name);
                hit = close - 1;
            }
            continue;
        }
        const char *hash = memchr(url, '#', ulen);
        size_t target_len = hash ? (size_t)(hash - url) : ulen;
        if (target_len < 4 || strncmp(url + target_len - 3, ".md", 3) != 0 ||
            memchr(url, ':', target_len) || url[0] == '/')
            continue;
        /* Resolve against the file's folder, with ../ and ./ */
        struct buf joined;
        buf_init(&joined, 0);
        buf_append(&joined, rel, dir_len);
        const char *t = url, *tend = url + target_len;
        while (t < tend) {
            size_t seg = (size_t)(tend - t);
            const char *slash = memchr(t, '/', seg);
            if (slash)
                seg = (size_t)(slash - t);
            if (seg == 2 && t[0] == '.' && t[1] == '.') {
                char *last = joined.len ? strrchr(joined.data, '/') : NULL;
                joined.len = last ? (size_t)(last - joined.data) : 0;
                if (joined.data)
                    joined.data[joined.len] = 0;
            } else if (!(seg == 1 && t[0] == '.') && seg) {
                if (joined.len)
                    buf_putc(&joined, '/');
                buf_append(&joined, t, seg);
            }
            t += seg + 1;
        }
        char *path = path_of(a, buf_str(&joined));
        buf_free(&joined);
        if (!*path)
            continue;
        buf_printf(&out, "/wiki/%s/%s", im->space, path);
        if (hash)
            buf_append(&out, hash, ulen - target_len);
        hit = close - 1; /* continue after the URL; p = hit + 2 = close + 1 */
        buf_putc(&out, ')');
    }
    buf_puts(&out, p);
    return arena_adopt(a, buf_take(&out));
}

/* Stores the images the page shows as its attachments (identical bytes are not stored again). */
static void attach_images(struct importer *im, struct arena *a, int64_t page_id, const char *rel,
                          const struct images *imgs)
{
    for (int i = 0; i < imgs->n; i++) {
        FILE *in = fopen(imgs->full[i], "rb");
        struct stat sb;
        const char *why = NULL;
        if (!in || fstat(fileno(in), &sb) != 0) {
            why = strerror(errno);
        } else {
            char *data = arena_alloc(a, (size_t)sb.st_size + 1);
            struct attachment *out;
            if (fread(data, 1, (size_t)sb.st_size, in) != (size_t)sb.st_size)
                why = "could not be read";
            else if (attach_store_save(im->b.db, a, page_id, imgs->name[i], data,
                                       (size_t)sb.st_size, 0, &out, &why) == ATTACH_FAILED &&
                     !why)
                why = "the database refused it";
        }
        if (in)
            fclose(in);
        if (why)
            import_batch_say(&im->b, rel,
                             arena_printf(a, "image %s not attached: %s", imgs->name[i], why));
    }
}

static void import_file(void *ctx, const char *full, const char *rel)
{
    struct importer *im = ctx;
    struct arena *a = arena_new();
    size_t n;
    char *text = import_batch_read_file(a, full, FILE_MAX, &n);
    if (!text) {
        import_batch_failed(&im->b, rel, strerror(errno));
        arena_free(a);
        return;
    }
    char *path = path_of(a, rel);
    const char *why = NULL;
    if (n > FILE_MAX)
        why = "larger than 1 MiB";
    else if (strlen(text) != n)
        why = "holds NUL bytes: not a text file";
    else if (!*path)
        why = "no usable page name in the file name";
    /* A name another file of this import made already ("clang.md" after "clang++.md", "a_b.md"
     * after "a-b.md"): this file gets the next free "-2", "-3"... and the log says so. */
    const char *other = why ? NULL : claim(im->claims, path, rel);
    if (other) {
        char *taken = path;
        for (int k = 2; other && k <= 99; k++)
            if (!(other = claim(im->claims, path = arena_printf(a, "%s-%d", taken, k), rel)))
                import_batch_say(&im->b, rel,
                                 arena_printf(a, "imported as %s/%s: %s/%s is %s's page", im->space,
                                              path, im->space, taken,
                                              claim(im->claims, taken, rel)));
        if (other)
            why = arena_printf(a, "its page name %s/%s is taken by %s in this import", im->space,
                               taken, other);
    }
    if (why) {
        import_batch_failed(&im->b, rel, why);
        arena_free(a);
        return;
    }
    path = arena_printf(a, "%s/%s", im->space, path);
    const char *body = frontmatter_body(text);
    char *title = frontmatter_get(a, text, "title");
    if (!*title)
        title = first_heading(a, body);
    if (!title || !*title) {
        const char *base = strrchr(rel, '/');
        title = arena_strndup(a, base ? base + 1 : rel, strlen(base ? base + 1 : rel) - 3);
    }
    char *tags = frontmatter_get(a, text, "tags");
    for (char *c = tags; *c; c++) /* YAML lists: [a, b] */
        if (*c == '[' || *c == ']' || *c == '"' || *c == '\'')
            *c = ' ';
    struct images imgs = {.n = 0};
    struct page_edit e = {
        .path = path,
        .title = title,
        .markdown = rewrite_links(im, a, body, rel, &imgs),
        .tags = tags,
        .summary = "Imported",
        .base_rev = -1,
    };
    const char *author = frontmatter_get(a, text, "author");
    struct user *u = *author ? user_store_by_login(im->b.db, a, author) : NULL;
    e.author_id = u ? u->id : 0;
    const char *date = frontmatter_get(a, text, "date");
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (*date && strptime(date, "%Y-%m-%d", &tm))
        e.at = (int64_t)timegm(&tm);
    /* Resumable: a page whose current text and title are the same is left alone. */
    struct page *cur = page_store_get(im->b.db, a, path);
    if (cur && strcmp(cur->title, title) == 0 && strcmp(cur->markdown, e.markdown) == 0) {
        im->b.stats->skipped++;
        attach_images(im, a, cur->id, rel, &imgs);
        arena_free(a);
        return;
    }
    int rev;
    enum page_save_result res = page_store_save(im->b.db, a, &e, &rev, &why);
    if (res == PAGE_CREATED)
        im->b.stats->created++;
    else if (res == PAGE_UPDATED || res == PAGE_MERGED)
        im->b.stats->updated++;
    else
        import_batch_failed(&im->b, rel, why);
    if (res == PAGE_CREATED || res == PAGE_UPDATED || res == PAGE_MERGED) {
        struct page *saved = page_store_get(im->b.db, a, path);
        if (saved)
            attach_images(im, a, saved->id, rel, &imgs);
    }
    arena_free(a);
}

static int wanted(const char *name, int folder)
{
    size_t len = strlen(name);
    return folder || (len > 3 && strcmp(name + len - 3, ".md") == 0);
}

int import_markdown(struct db *db, const char *dir, const char *space, FILE *log, int is_tty,
                    struct import_stats *stats)
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
        space = wikipath_slug(a, base ? base + 1 : dir);
    }
    if (!import_batch_space_ok(log, space)) {
        arena_free(a);
        return -1;
    }
    struct claims claims = {NULL, NULL, 0, 0};
    struct importer im = {.root = dir, .space = space, .claims = &claims};
    im.b = (struct import_batch){.db = db, .log = log, .tty = is_tty, .stats = stats, .size = BATCH,
                                 .every_tty = 100, .every_log = 1000, .import_one = import_file,
                                 .ctx = &im};
    import_batch_start(&im.b);
    import_batch_folder(&im.b, dir, wanted);
    import_batch_finish(&im.b);
    import_batch_summary(&im.b, import_batch_elapsed(&im.b));
    claims_free(&claims);
    arena_free(a);
    return 0;
}
