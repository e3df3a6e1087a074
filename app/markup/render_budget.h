/* render_budget: bounds one cmark-gfm render's memory and CPU time.
 * Debian 12's cmark-gfm (0.29.0.gfm.6) has inputs whose parse or output grows polynomially, and it
 * aborts the process when an allocation fails. Every allocation cmark makes for one render goes
 * through the budget's allocator: it keeps the blocks in a list and counts their bytes. A timer on
 * the thread's CPU clock fires when the CPU allowance is spent. Either way the budget unwinds with
 * siglongjmp to the caller's sigsetjmp (cmark never sees NULL), and render_budget_end frees what
 * cmark still held. The timer's signal unwinds at once only while cmark's own code runs (between
 * render_budget_enter and render_budget_leave, and never inside the allocator); elsewhere it is
 * noted and the next allocation or render_budget_leave unwinds.
 * Calls only libc; one budget per thread at a time. */
#ifndef KEN_RENDER_BUDGET_H
#define KEN_RENDER_BUDGET_H
#include <cmark-gfm.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <time.h>

struct render_budget {
    sigjmp_buf unwind;      /* sigsetjmp(b->unwind, 1) != 0: the budget ran out; see why */
    cmark_mem mem;          /* hand this to cmark_parser_new_with_mem / cmark_node_new_with_mem */
    size_t used, peak, max; /* bytes held now, at most, allowed */
    long cpu_limit_ns, cpu_start_ns;
    volatile sig_atomic_t expired;       /* the CPU timer fired */
    volatile sig_atomic_t interruptible; /* cmark's own code is running: unwind at once */
    int has_timer;
    timer_t timer;
    const char *why; /* static text: what ran out */
    struct rb_block *blocks;
};

/* Installs the CPU timer's signal handler; call once before threads start. */
void render_budget_init(void);
/* Starts bounding the allocations made through b->mem on this thread (max_bytes held at once,
 * cpu_ms of this thread's CPU from now). Call sigsetjmp(b->unwind, 1) right after it: a nonzero
 * return means the budget ran out (b->why says which); then call render_budget_end. */
void render_budget_begin(struct render_budget *b, size_t max_bytes, long cpu_ms);
/* Around a call into cmark: the timer may unwind straight out of it. leave also unwinds when the
 * time ran out meanwhile. */
void render_budget_enter(struct render_budget *b);
void render_budget_leave(struct render_budget *b);
/* Unwinds when the CPU allowance is spent (for work of ours between calls into cmark). */
void render_budget_check(struct render_budget *b);
/* Disarms the timer, frees every block still held and stops bounding; b->peak keeps the most
 * bytes held at once. */
void render_budget_end(struct render_budget *b);
/* Returns this thread's CPU time used so far, in nanoseconds. */
long render_budget_cpu_ns(void);

#endif
