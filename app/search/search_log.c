#include "search/search_log.h"
#include "search/search_log_store.h"
#include "core/buf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *search_log_normalise(struct arena *a, const char *q)
{
    struct buf b;
    buf_init(&b, 0);
    for (const char *p = q ? q : ""; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (b.len && b.data[b.len - 1] != ' ')
                buf_putc(&b, ' ');
            continue;
        }
        buf_putc(&b, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
    }
    size_t n = b.len;
    if (n > SEARCH_LOG_QUERY_MAX) {
        n = SEARCH_LOG_QUERY_MAX;
        while (n && ((unsigned char)b.data[n] & 0xC0) == 0x80)
            n--;
    }
    while (n && b.data[n - 1] == ' ')
        n--;
    char *s = n ? arena_strndup(a, b.data, n) : NULL;
    buf_free(&b);
    return s;
}

/* ---- the queue: searches and clicks wait in memory and are written in one transaction now
 * and then, so that searching never waits for SQLite's single writer. */

enum { QUEUE_MAX = 4096, FLUSH_AT = 256, FLUSH_SECONDS = 5 };

struct entry {
    char *query;  /* malloc'd */
    char *path;   /* malloc'd; NULL: a search, else a click on this result */
    int results;
    int64_t at, user_id;
};

/* Process-wide, shared by every worker thread: queue and its counters guarded by `lock`;
 * `batch` belongs to whoever holds `flushing`. */
static struct entry queue[QUEUE_MAX], batch[QUEUE_MAX];
static int queued;
static int64_t dropped, written;
static time_t last_flush;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t flushing = PTHREAD_MUTEX_INITIALIZER;

/* Queues e (taking its strings), or frees them and counts a drop when the queue is full. */
static int enqueue(struct entry e)
{
    pthread_mutex_lock(&lock);
    int ok = e.query && queued < QUEUE_MAX;
    if (ok)
        queue[queued++] = e;
    else
        dropped++;
    if (!last_flush)
        last_flush = time(NULL);
    pthread_mutex_unlock(&lock);
    if (!ok) {
        free(e.query);
        free(e.path);
    }
    return ok ? 0 : -1;
}

int search_log_query(const char *query, int results, int64_t user_id)
{
    return enqueue((struct entry){strdup(query), NULL, results, (int64_t)time(NULL), user_id});
}

int search_log_click(const char *query, const char *path, int64_t user_id)
{
    char *p = strdup(path);
    if (!p)
        return -1;
    return enqueue((struct entry){strdup(query), p, 0, (int64_t)time(NULL), user_id});
}

static int write_entry(struct db *rw, const struct entry *e)
{
    return search_log_store_write(rw, e->query, e->path, e->results, e->at, e->user_id);
}

/* Now and then (every 100 entries or so), forgets what is old. */
static int prune(struct db *rw, int n)
{
    if (written / 100 == (written + n) / 100)
        return 0;
    return search_log_store_prune(rw, (int64_t)time(NULL) - (int64_t)SEARCH_LOG_KEEP_DAYS * 86400);
}

static int write_batch(struct db *rw, int n)
{
    if (db_begin(rw) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (write_entry(rw, &batch[i]) != 0)
            goto fail;
    if (prune(rw, n) == 0 && db_commit(rw) == 0)
        return 0;
fail:
    db_rollback(rw);
    return -1;
}

/* Writes the queue; the caller holds `flushing`. On failure the entries go back to the queue
 * (those that no longer fit are dropped and counted). */
static int flush_locked(struct db *rw)
{
    pthread_mutex_lock(&lock);
    int n = queued;
    memcpy(batch, queue, (size_t)n * sizeof *batch);
    queued = 0;
    last_flush = time(NULL);
    int64_t lost = dropped;
    dropped = 0;
    pthread_mutex_unlock(&lock);
    if (lost)
        fprintf(stderr, "ken: %lld searches were not logged: the search log queue was full\n",
                (long long)lost);
    int rc = n ? write_batch(rw, n) : 0;
    if (rc != 0)
        fprintf(stderr, "ken: could not log %d searches (kept for later): %s\n", n,
                db_errmsg(rw));
    pthread_mutex_lock(&lock);
    if (rc == 0)
        written += n;
    for (int i = 0; i < n; i++) {
        if (rc != 0 && queued < QUEUE_MAX) {
            queue[queued++] = batch[i];
            continue;
        }
        if (rc != 0)
            dropped++;
        free(batch[i].query);
        free(batch[i].path);
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

int search_log_flush(struct db *rw)
{
    pthread_mutex_lock(&flushing);
    int rc = flush_locked(rw);
    pthread_mutex_unlock(&flushing);
    return rc;
}

void search_log_maybe_flush(struct db *rw)
{
    pthread_mutex_lock(&lock);
    int due = queued >= FLUSH_AT || (queued > 0 && time(NULL) - last_flush >= FLUSH_SECONDS);
    pthread_mutex_unlock(&lock);
    if (!due || pthread_mutex_trylock(&flushing) != 0)
        return;
    flush_locked(rw);
    pthread_mutex_unlock(&flushing);
}

