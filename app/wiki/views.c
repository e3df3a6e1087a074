#include "wiki/views.h"
#include "wiki/views_store.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

enum { SLOTS = 4096, FLUSH_SECONDS = 10 };

struct slot {
    int64_t page_id; /* 0: empty */
    int64_t views;
};

/* Process-wide counters between flushes: shared by every worker thread, guarded by `lock`. */
static struct slot slots[SLOTS];
static int used;
static int64_t day_of_counts;
static time_t last_flush;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t flushing = PTHREAD_MUTEX_INITIALIZER;

static void add(int64_t page_id, int64_t n)
{
    if (page_id <= 0)
        return;
    pthread_mutex_lock(&lock);
    size_t i = (size_t)page_id * 2654435761u % SLOTS;
    for (int probe = 0; probe < SLOTS; probe++, i = (i + 1) % SLOTS) {
        if (slots[i].page_id == page_id || slots[i].page_id == 0) {
            if (slots[i].page_id == 0) {
                if (used >= SLOTS * 3 / 4)
                    break; /* full until the next flush: drop this view rather than wait */
                slots[i].page_id = page_id;
                used++;
            }
            slots[i].views += n;
            break;
        }
    }
    if (!day_of_counts)
        day_of_counts = (int64_t)time(NULL) / 86400;
    pthread_mutex_unlock(&lock);
}

void views_count(int64_t page_id)
{
    add(page_id, 1);
}

int views_flush(struct db *rw)
{
    struct slot batch[SLOTS];
    int n = 0;
    pthread_mutex_lock(&lock);
    int64_t day = day_of_counts ? day_of_counts : (int64_t)time(NULL) / 86400;
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].page_id)
            batch[n++] = slots[i];
    memset(slots, 0, sizeof slots);
    used = 0;
    day_of_counts = 0;
    last_flush = time(NULL);
    pthread_mutex_unlock(&lock);
    if (n == 0)
        return 0;
    if (db_begin(rw) != 0)
        goto keep;
    for (int i = 0; i < n; i++) {
        if (views_store_add(rw, batch[i].page_id, day, batch[i].views) != 0) {
            db_rollback(rw);
            goto keep;
        }
    }
    if (db_commit(rw) == 0)
        return 0;
    db_rollback(rw);
keep: /* put the counts back so they are written next time */
    for (int i = 0; i < n; i++)
        add(batch[i].page_id, batch[i].views);
    return -1;
}

void views_maybe_flush(struct db *rw)
{
    pthread_mutex_lock(&lock);
    int due = used > SLOTS / 2 || (used > 0 && time(NULL) - last_flush >= FLUSH_SECONDS);
    pthread_mutex_unlock(&lock);
    if (!due || pthread_mutex_trylock(&flushing) != 0)
        return;
    views_flush(rw);
    pthread_mutex_unlock(&flushing);
}
