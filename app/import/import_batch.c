#include "import/import_batch.h"
#include "core/buf.h"
#include "wiki/wikipath.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { DEPTH_MAX = 7 };

void import_batch_start(struct import_batch *b)
{
    memset(b->stats, 0, sizeof *b->stats);
    clock_gettime(CLOCK_MONOTONIC, &b->start);
}

double import_batch_elapsed(const struct import_batch *b)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - b->start.tv_sec) + (double)(now.tv_nsec - b->start.tv_nsec) / 1e9;
}

long import_batch_counted(const struct import_stats *s)
{
    return s->created + s->updated + s->skipped + s->failed;
}

void import_batch_say(const struct import_batch *b, const char *what, const char *why)
{
    fprintf(b->log, "%s%s: %s\n", b->tty ? "\r" : "", what, why);
}

void import_batch_failed(struct import_batch *b, const char *what, const char *why)
{
    b->stats->failed++;
    import_batch_say(b, what, why);
}

void import_batch_progress(const struct import_batch *b, int last)
{
    long done = import_batch_counted(b->stats);
    if (!last && (done == 0 || done % (b->tty ? b->every_tty : b->every_log) != 0))
        return;
    double t = import_batch_elapsed(b), rate = t > 0 ? (double)done / t : 0.0;
    const char *start = b->tty ? "\r" : "", *end = b->tty ? "   " : "\n";
    if (b->pages)
        fprintf(b->log, "%s%ld pages, %ld revisions, %.0f revisions/s%s", start, *b->pages, done,
                rate, end);
    else
        fprintf(b->log, "%s%ld files, %.0f/s%s", start, done, rate, end);
    if (last && b->tty)
        fputc('\n', b->log);
    fflush(b->log);
}

void import_batch_summary(const struct import_batch *b, double seconds)
{
    const struct import_stats *s = b->stats;
    fprintf(b->log, "created %ld, updated %ld, skipped %ld (unchanged), failed %ld, in %.1f s\n",
            s->created, s->updated, s->skipped, s->failed, seconds);
}

char *import_batch_read_file(struct arena *a, const char *full, size_t max, size_t *n)
{
    FILE *in = fopen(full, "rb");
    if (!in)
        return NULL;
    struct stat sb;
    size_t size = max;
    if (fstat(fileno(in), &sb) == 0 && (size_t)sb.st_size <= max)
        size = (size_t)sb.st_size;
    char *data = arena_alloc(a, size + 2);
    *n = fread(data, 1, size + 1, in);
    data[*n] = 0;
    fclose(in);
    return data;
}

int import_batch_inside(const char *root, const char *full)
{
    struct stat sb;
    if (lstat(full, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    char *r = realpath(root, NULL), *f = realpath(full, NULL);
    size_t n = r ? strlen(r) : 0;
    int inside = r && f && strncmp(r, f, n) == 0 && f[n] == '/';
    free(r);
    free(f);
    return inside;
}

int import_batch_space_ok(FILE *log, const char *space)
{
    if (*space && !wikipath_check(space) && !strchr(space, '/'))
        return 1;
    fprintf(log, "ken: '%s' cannot be a space name: use --space NAME (lowercase a-z 0-9 -)\n",
            space);
    return 0;
}

int import_batch_begin(struct import_batch *b)
{
    if (db_batch_begin(b->db) != 0)
        return -1;
    b->open = 1;
    b->stats_at_start = *b->stats;
    if (b->more) {
        b->more_at_start = xmalloc(b->more_size);
        memcpy(b->more_at_start, b->more, b->more_size);
    }
    return 0;
}

int import_batch_end(struct import_batch *b)
{
    b->open = 0;
    int rc = db_batch_end(b->db);
    if (rc != 0) {
        *b->stats = b->stats_at_start;
        if (b->more)
            memcpy(b->more, b->more_at_start, b->more_size);
    }
    free(b->more_at_start);
    b->more_at_start = NULL;
    return rc;
}

/* Commits the batch of files; when that fails, does them again, each in its own transaction, so
 * one bad write costs only its file. */
static void close_files(struct import_batch *b)
{
    if (import_batch_end(b) != 0)
        for (int i = 0; i < b->n; i++)
            b->import_one(b->ctx, b->full[i], b->rel[i]);
    for (int i = 0; i < b->n; i++) {
        free(b->full[i]);
        free(b->rel[i]);
    }
    b->n = 0;
}

void import_batch_add(struct import_batch *b, const char *full, const char *rel)
{
    if (!b->open && import_batch_begin(b) != 0) {
        b->import_one(b->ctx, full, rel); /* cannot batch: one transaction for this file */
        return;
    }
    if (!b->full) {
        b->full = xmalloc((size_t)b->size * sizeof *b->full);
        b->rel = xmalloc((size_t)b->size * sizeof *b->rel);
    }
    b->full[b->n] = xstrdup(full);
    b->rel[b->n++] = xstrdup(rel);
    long failed_before = b->stats->failed;
    b->import_one(b->ctx, full, rel);
    /* A failed save spoils the batch: the files after it would fail too, each reported as a
     * failure of its own before the replay imports it. End the batch at once instead. */
    if (b->n == b->size || b->stats->failed > failed_before)
        close_files(b);
}

static int by_name(const struct dirent **x, const struct dirent **y)
{
    return strcmp((*x)->d_name, (*y)->d_name);
}

struct walk {
    struct import_batch *b;
    const char *root;
    import_batch_wanted_fn *wanted;
};

static void walk(const struct walk *w, const char *rel, int depth);

/* One entry of a folder: a file to import, a folder to walk, or something to report. */
static void walk_entry(const struct walk *w, const char *full, const char *rel, const char *name,
                       int depth)
{
    struct stat sb;
    if (lstat(full, &sb) != 0) {
        import_batch_failed(w->b, rel, strerror(errno));
    } else if (S_ISLNK(sb.st_mode)) {
        import_batch_failed(w->b, rel, "a symbolic link: not followed");
    } else if (S_ISDIR(sb.st_mode) && name[0] == '.') {
        /* .git, .obsidian and the like: not content */
    } else if (S_ISDIR(sb.st_mode) && w->wanted(name, 1)) {
        if (depth < DEPTH_MAX)
            walk(w, rel, depth + 1);
        else
            import_batch_failed(w->b, rel, "folders nested deeper than 7 levels are skipped");
    } else if (S_ISREG(sb.st_mode) && w->wanted(name, 0)) {
        import_batch_add(w->b, full, rel);
        import_batch_progress(w->b, 0);
    }
}

static void walk(const struct walk *w, const char *rel, int depth)
{
    struct buf full;
    buf_init(&full, 0);
    buf_printf(&full, "%s%s%s", w->root, rel[0] ? "/" : "", rel);
    struct dirent **names = NULL;
    int n = scandir(buf_str(&full), &names, NULL, by_name);
    if (n < 0)
        import_batch_failed(w->b, rel[0] ? rel : ".", strerror(errno));
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
            struct buf child, child_full;
            buf_init(&child, 0);
            buf_init(&child_full, 0);
            buf_printf(&child, "%s%s%s", rel, rel[0] ? "/" : "", name);
            buf_printf(&child_full, "%s/%s", buf_str(&full), name);
            walk_entry(w, buf_str(&child_full), buf_str(&child), name, depth);
            buf_free(&child);
            buf_free(&child_full);
        }
        free(names[i]);
    }
    free(names);
    buf_free(&full);
}

void import_batch_folder(struct import_batch *b, const char *root, import_batch_wanted_fn *wanted)
{
    struct walk w = {b, root, wanted};
    walk(&w, "", 0);
}

void import_batch_finish(struct import_batch *b)
{
    if (b->open)
        close_files(b);
    import_batch_progress(b, 1);
    free(b->full);
    free(b->rel);
    b->full = b->rel = NULL;
}
