/* import_batch: what the importers (Markdown, HTML, MediaWiki) share: their counts, saves grouped
 * in one transaction per batch, a failed batch done again one item at a time so that one bad file
 * never loses the rest, the folder walk, the progress meter and the closing summary. */
#ifndef KEN_IMPORT_BATCH_H
#define KEN_IMPORT_BATCH_H
#include "core/arena.h"
#include "core/db.h"

#include <stdio.h>
#include <time.h>

struct import_stats {
    long created, updated, skipped, failed;
};

/* Imports one file (full: the name to open; rel: its name under the import's root, for
 * messages), counting it in the batch's stats. */
typedef void import_batch_item_fn(void *ctx, const char *full, const char *rel);

/* Whether the folder walk takes a file (folder 0) or goes into a folder (folder 1): 1 or 0. */
typedef int import_batch_wanted_fn(const char *name, int folder);

struct import_batch {
    /* Set by the importer before import_batch_start. */
    struct db *db;
    FILE *log;
    int tty;                     /* a one-line progress meter instead of progress lines */
    struct import_stats *stats;  /* the caller's; zeroed by import_batch_start */
    int size;                    /* import_batch_add: files per transaction */
    int every_tty, every_log;    /* a progress line after every this many items */
    const long *pages;           /* not NULL: the meter counts pages and revisions (MediaWiki) */
    import_batch_item_fn *import_one; /* for import_batch_add and import_batch_folder */
    void *ctx;                        /* import_one's first argument */
    void *more;       /* more counts, rolled back with stats when a batch fails (may be NULL) */
    size_t more_size; /* their size in bytes */
    /* Kept by import_batch_*. */
    struct timespec start;
    int open;                    /* a batch transaction is open */
    int n;                       /* files in the open batch */
    char **full, **rel;          /* their names, malloc'd, to do again when the batch fails */
    struct import_stats stats_at_start;
    void *more_at_start;
};

/* Zeroes *b->stats and starts the clock. Allocates nothing. */
void import_batch_start(struct import_batch *b);
/* Returns the seconds since import_batch_start. */
double import_batch_elapsed(const struct import_batch *b);
/* Returns how many items the stats count: created + updated + skipped + failed. */
long import_batch_counted(const struct import_stats *s);

/* Prints "what: why" on a line of its own (after the progress meter on a tty). */
void import_batch_say(const struct import_batch *b, const char *what, const char *why);
/* Counts a failure and says why, as import_batch_say. */
void import_batch_failed(struct import_batch *b, const char *what, const char *why);
/* Prints the progress line when the count has reached a multiple of every_tty/every_log (or
 * always when `last`; on a tty the last one ends the meter's line). */
void import_batch_progress(const struct import_batch *b, int last);
/* Prints the closing line: "created C, updated U, skipped S (unchanged), failed F, in T s". */
void import_batch_summary(const struct import_batch *b, double seconds);
/* Reads the file `full` into a (NUL-terminated): at most max + 1 bytes, so that *n > max says it
 * is too large. Returns the bytes, or NULL with errno set when it cannot be opened. */
char *import_batch_read_file(struct arena *a, const char *full, size_t max, size_t *n);
/* Returns 1 when `full` is a regular file inside the folder `root` and no symbolic link leads
 * to it (a link could publish any file the importer can read, such as /etc/hostname), else 0. */
int import_batch_inside(const char *root, const char *full);
/* Returns 1 when `space` can name the space to import into, else 0 with the reason printed. */
int import_batch_space_ok(FILE *log, const char *space);

/* Opens a batch: one transaction for the saves that follow, each of which would begin and commit
 * its own. Remembers the counts. Returns 0, or -1 when no batch could be opened (the saves then
 * make their own transactions). */
int import_batch_begin(struct import_batch *b);
/* Commits the open batch. Returns 0, or -1 when it was rolled back (a save in it failed, or the
 * commit did): the counts are as they were at import_batch_begin and the caller does the batch's
 * work again, one transaction at a time. */
int import_batch_end(struct import_batch *b);

/* Imports one file with b->import_one inside the open batch (opening one when needed). Every
 * b->size files the batch is committed; a batch that fails is done again file by file. */
void import_batch_add(struct import_batch *b, const char *full, const char *rel);
/* Walks the folder `root` in name order, at most 7 levels deep; each file and folder that
 * `wanted` takes is imported with import_batch_add (then the progress meter) or walked, but for
 * folders whose names start with '.' (.git, .obsidian: left out without a word). Files whose
 * names start with '.' are files like the others ("..md" is tldr's page for "."). What cannot
 * be read counts as failed, with the reason; so do symbolic links (never followed). */
void import_batch_folder(struct import_batch *b, const char *root, import_batch_wanted_fn *wanted);
/* Commits the open batch (a failed one is done again file by file), prints the last progress
 * line and frees what the batch held. */
void import_batch_finish(struct import_batch *b);

#endif
