#include "http/server.h"
#include "core/db.h"
#include "notify/mail_send.h"
#include "http/router.h"
#include "search/search_log.h"
#include "wiki/views.h"

#include <civetweb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* A worker's database connections, opened on its first request: with many threads (so that
 * idle or slow connections cannot take them all) most never need them. */
static void *new_thread_dbs(const struct mg_context *ctx, int thread_type)
{
    (void)ctx;
    if (thread_type != 1) /* only request workers use the database */
        return NULL;
    return calloc(1, sizeof(struct thread_dbs));
}

/* Opens d's connections when they are not yet open. Returns 0, or -1 (said in the log). */
static int open_thread_dbs(const struct config *cfg, struct thread_dbs *d)
{
    if (d->ro)
        return 0;
    char *err = NULL;
    if (!d->rw)
        d->rw = db_open(cfg->db_path, 0, &err);
    if (d->rw)
        d->ro = db_open(cfg->db_path, DB_READONLY, &err);
    if (!d->ro) {
        fprintf(stderr, "ken: worker cannot open the database: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

static void close_thread_dbs(const struct mg_context *ctx, int thread_type, void *p)
{
    (void)ctx;
    (void)thread_type;
    struct thread_dbs *d = p;
    if (!d)
        return;
    db_close(d->ro);
    db_close(d->rw);
    free(d);
}

static int handle(struct mg_connection *conn, void *cbdata)
{
    struct thread_dbs *d = mg_get_thread_pointer(conn);
    if (!d || open_thread_dbs(cbdata, d) != 0) {
        mg_send_http_error(conn, 503, "ken cannot reach its database; see the server log");
        return 503;
    }
    return router_dispatch(conn, cbdata, d);
}

static int log_message(const struct mg_connection *conn, const char *message)
{
    (void)conn;
    fprintf(stderr, "ken: http: %s\n", message);
    return 1;
}

int server_run(const struct config *cfg)
{
    char threads[16];
    snprintf(threads, sizeof threads, "%d", cfg->threads);
    /* Each connection and each worker's database takes file descriptors: 1,024 by default is
     * too few for hundreds of threads, so take what the hard limit allows. */
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }
    /* A worker serves one connection at a time, from its first byte to the end of keep-alive, so
     * idle and slow clients are what uses threads up: a request's first byte and headers must
     * come within 10 s, an idle keep-alive connection is closed after 5 s, and accepted
     * connections wait in a queue as long as the threads are many. */
    const char *options[] = {"listening_ports", cfg->listen,
                             "num_threads", threads,
                             "connection_queue", threads,
                             "listen_backlog", "1024",
                             "tcp_nodelay", "1",
                             "enable_keep_alive", "yes",
                             "keep_alive_timeout_ms", "5000",
                             "request_timeout_ms", "10000",
                             "max_request_size", "16384",
                             NULL};
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    callbacks.init_thread = new_thread_dbs;
    callbacks.exit_thread = close_thread_dbs;
    callbacks.log_message = log_message;

    /* Stop signals are taken by sigwait below, never by a worker thread. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    char error_text[256] = "";
    unsigned error_code = 0;
    struct mg_error_data error = {&error_code, error_text, sizeof error_text};
    struct mg_init_data init = {&callbacks, (void *)cfg, options};
    /* The mail sender starts first: it initialises libcurl before any other thread runs. */
    if (mail_send_start(cfg->db_path) != 0)
        return 1;
    mg_init_library(0);
    struct mg_context *ctx = mg_start2(&init, &error);
    if (!ctx) {
        fprintf(stderr, "ken: cannot listen on %s: %s\n", cfg->listen,
                error_text[0] ? error_text : "unknown error");
        if (strstr(error_text, "bind") || strstr(error_text, "ports"))
            fprintf(stderr, "ken: is another program using that port? Choose another with "
                            "--listen HOST:PORT\n");
        mail_send_stop();
        mg_exit_library();
        return 1;
    }
    mg_set_request_handler(ctx, "/", handle, (void *)cfg);
    fprintf(stderr, "ken: serving %s on http://%s/ with %d threads\n", cfg->db_path, cfg->listen,
            cfg->threads);

    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "ken: %s received, finishing requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    mail_send_stop(); /* abandons a transfer under way: that message stays queued */
    mg_stop(ctx);
    mg_exit_library();

    char *err = NULL;
    struct db *db = db_open(cfg->db_path, 0, &err);
    if (db && views_flush(db) != 0)
        fprintf(stderr, "ken: the last page views could not be saved\n");
    if (db && search_log_flush(db) != 0)
        fprintf(stderr, "ken: the last searches could not be logged\n");
    if (!db || db_checkpoint(db, &err) != 0) {
        fprintf(stderr, "ken: checkpoint failed: %s\n", err ? err : "?");
        free(err);
        db_close(db);
        return 1;
    }
    db_close(db);
    fprintf(stderr, "ken: stopped cleanly\n");
    return 0;
}
