#include "markup/render_budget.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

/* Each block starts with this header, which keeps the payload aligned like malloc's. */
struct rb_block {
    struct rb_block *prev, *next;
    size_t size;
    max_align_t align[];
};

/* The budget the allocator and the signal handler charge (cmark_mem has no context pointer). */
static _Thread_local struct render_budget *volatile current;

#define BUDGET_SIGNAL (SIGRTMIN + 5)

long render_budget_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (long)ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static _Noreturn void run_out(struct render_budget *b, const char *why)
{
    b->interruptible = 0;
    b->why = why;
    siglongjmp(b->unwind, 1);
}

static const char *const TOO_LONG = "it takes too long to format";
static const char *const TOO_BIG = "formatting it needs too much memory";

/* The timer's signal, on the rendering thread: cmark's own code holds no lock and nothing of
 * its state is used again, so it may be left at once; anywhere else (inside malloc, SQLite, our
 * code) the next check unwinds. */
static void on_timer(int sig)
{
    (void)sig;
    struct render_budget *b = current;
    if (!b)
        return;
    b->expired = 1;
    if (b->interruptible)
        run_out(b, TOO_LONG);
}

static atomic_int installed;

void render_budget_init(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_timer;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(BUDGET_SIGNAL, &sa, NULL) == 0)
        atomic_store(&installed, 1);
}

void render_budget_check(struct render_budget *b)
{
    if (b->expired || (!b->has_timer && render_budget_cpu_ns() - b->cpu_start_ns > b->cpu_limit_ns))
        run_out(b, TOO_LONG);
}

void render_budget_enter(struct render_budget *b)
{
    render_budget_check(b);
    atomic_signal_fence(memory_order_seq_cst);
    b->interruptible = 1;
    atomic_signal_fence(memory_order_seq_cst);
}

void render_budget_leave(struct render_budget *b)
{
    atomic_signal_fence(memory_order_seq_cst);
    b->interruptible = 0;
    atomic_signal_fence(memory_order_seq_cst);
    render_budget_check(b);
}

/* The allocator runs with the timer's unwinding held off (malloc takes locks), and checks the
 * budget on the way out. Without a timer it reads the clock every CHECK_EVERY calls. */
enum { CHECK_EVERY = 32 };
static _Thread_local unsigned calls;

static sig_atomic_t hold(struct render_budget *b)
{
    sig_atomic_t was = b->interruptible;
    b->interruptible = 0;
    atomic_signal_fence(memory_order_seq_cst);
    return was;
}

static void release(struct render_budget *b, sig_atomic_t was)
{
    atomic_signal_fence(memory_order_seq_cst);
    if (b->expired || (!b->has_timer && ++calls % CHECK_EVERY == 0 &&
                       render_budget_cpu_ns() - b->cpu_start_ns > b->cpu_limit_ns))
        run_out(b, TOO_LONG);
    b->interruptible = was;
}

static void link_block(struct render_budget *b, struct rb_block *k, size_t size)
{
    k->size = size;
    k->prev = NULL;
    k->next = b->blocks;
    if (b->blocks)
        b->blocks->prev = k;
    b->blocks = k;
}

static void unlink_block(struct render_budget *b, struct rb_block *k)
{
    if (k->prev)
        k->prev->next = k->next;
    else
        b->blocks = k->next;
    if (k->next)
        k->next->prev = k->prev;
}

/* What a block of n bytes costs the heap: the payload, our header and malloc's own (about two
 * words); cmark makes many small blocks, so the overheads are counted too. */
static size_t cost(size_t n)
{
    return n + sizeof(struct rb_block) + 2 * sizeof(size_t);
}

static struct rb_block *block_of(void *p)
{
    return (struct rb_block *)((char *)p - offsetof(struct rb_block, align));
}

static void *rb_calloc(size_t count, size_t size)
{
    struct render_budget *b = current;
    sig_atomic_t was = hold(b);
    if (size && count > (SIZE_MAX - sizeof(struct rb_block)) / size)
        run_out(b, TOO_BIG);
    size_t n = count * size;
    if (n > b->max || cost(n) > b->max - b->used)
        run_out(b, TOO_BIG);
    struct rb_block *k = calloc(1, sizeof *k + n);
    if (!k)
        run_out(b, TOO_BIG);
    link_block(b, k, n);
    b->used += cost(n);
    if (b->used > b->peak)
        b->peak = b->used;
    release(b, was);
    return k->align;
}

static void *rb_realloc(void *p, size_t size)
{
    if (!p)
        return rb_calloc(1, size);
    struct render_budget *b = current;
    sig_atomic_t was = hold(b);
    struct rb_block *k = block_of(p);
    if (size > b->max || (size > k->size && size - k->size > b->max - b->used))
        run_out(b, TOO_BIG);
    size_t old = k->size;
    unlink_block(b, k);
    struct rb_block *m = realloc(k, sizeof *k + size);
    if (!m) {
        link_block(b, k, old); /* still ours: freed by render_budget_end */
        run_out(b, TOO_BIG);
    }
    link_block(b, m, size);
    b->used = b->used - old + size;
    if (b->used > b->peak)
        b->peak = b->used;
    release(b, was);
    return m->align;
}

static void rb_free(void *p)
{
    if (!p)
        return;
    struct render_budget *b = current;
    sig_atomic_t was = hold(b);
    struct rb_block *k = block_of(p);
    unlink_block(b, k);
    b->used -= cost(k->size);
    free(k);
    release(b, was);
}

void render_budget_begin(struct render_budget *b, size_t max_bytes, long cpu_ms)
{
    b->mem = (cmark_mem){rb_calloc, rb_realloc, rb_free};
    b->used = b->peak = 0;
    b->max = max_bytes;
    b->cpu_limit_ns = cpu_ms * 1000000L;
    b->cpu_start_ns = render_budget_cpu_ns();
    b->expired = 0;
    b->interruptible = 0;
    b->why = NULL;
    b->blocks = NULL;
    current = b;
    /* A one-shot timer on this thread's CPU clock, signalling this thread. */
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = BUDGET_SIGNAL;
    sev.sigev_notify_thread_id = gettid();
    b->has_timer = atomic_load(&installed) &&
                   timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &b->timer) == 0;
    if (b->has_timer) {
        struct itimerspec its = {{0, 0}, {cpu_ms / 1000, (cpu_ms % 1000) * 1000000L}};
        if (timer_settime(b->timer, 0, &its, NULL) != 0) {
            timer_delete(b->timer);
            b->has_timer = 0;
        }
    }
}

void render_budget_end(struct render_budget *b)
{
    b->interruptible = 0;
    if (b->has_timer) {
        timer_delete(b->timer); /* a signal already pending finds b->interruptible 0 */
        b->has_timer = 0;
    }
    current = NULL;
    for (struct rb_block *k = b->blocks, *next; k; k = next) {
        next = k->next;
        free(k);
    }
    b->blocks = NULL;
    b->used = 0;
}
