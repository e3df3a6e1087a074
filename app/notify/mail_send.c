#include "notify/mail_send.h"
#include "notify/mail_format.h"

#include <curl/curl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    WAIT_MS = 1000,          /* the thread looks at the queue at least this often */
    BATCH = 50,              /* messages sent before the settings are read again */
    DIGEST_SECONDS = 300,    /* page-change digests: at most one per person this often */
    PRUNE_SECONDS = 3600,    /* how often sent messages older than KEEP_SENT_DAYS go */
    KEEP_SENT_DAYS = 30,
    CONNECT_TIMEOUT_S = 15,
    TRANSFER_TIMEOUT_S = 60,
};

/* Retries after the 1st, 2nd, 3rd and 4th failed attempt: 1, 5, 30 and 120 minutes. */
static const long long retry_ms[] = {60000, 300000, 1800000, 7200000};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    pthread_t thread;
    int running, curl_ready;
    double scale;
    const char *db_path;
} S = {.mu = PTHREAD_MUTEX_INITIALIZER, .scale = 1.0};

static atomic_int stopping;
static atomic_ullong sent_total, failed_total;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long mail_send_retry_ms(int attempt)
{
    if (attempt < 1 || attempt >= MAIL_ATTEMPTS)
        return -1;
    return llround((double)retry_ms[attempt - 1] * S.scale);
}

/* ---- one message */

struct upload {
    const char *data;
    size_t len, off;
};

static size_t read_message(char *out, size_t size, size_t n, void *p)
{
    struct upload *u = p;
    size_t want = size * n, left = u->len - u->off;
    if (want > left)
        want = left;
    memcpy(out, u->data + u->off, want);
    u->off += want;
    return want;
}

/* Called by libcurl about once a second while it waits: abandons the transfer when ken stops. */
static int keep_going(void *p, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)p, (void)dt, (void)dn, (void)ut, (void)un;
    return atomic_load(&stopping) ? 1 : 0;
}

static void set_options(CURL *c, const struct mail_settings *s, struct curl_slist *rcpts,
                        struct upload *u, char *from, char *errbuf)
{
    curl_easy_setopt(c, CURLOPT_URL, s->smtp_url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_USE_SSL, s->starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    if (*s->username)
        curl_easy_setopt(c, CURLOPT_USERNAME, s->username);
    if (*s->password)
        curl_easy_setopt(c, CURLOPT_PASSWORD, s->password);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(c, CURLOPT_READDATA, u);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)TRANSFER_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, keep_going);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

int mail_send_one(const struct mail_settings *s, const char *rcpt, const char *message, char *err,
                  size_t errlen)
{
    char errbuf[CURL_ERROR_SIZE] = "", from[MAIL_ADDRESS_MAX + 3];
    struct upload u = {message, strlen(message), 0};
    snprintf(from, sizeof from, "<%s>", s->from);
    CURL *c = curl_easy_init();
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    if (!c || !rcpts) {
        snprintf(err, errlen, "libcurl could not start (out of memory?)");
        curl_slist_free_all(rcpts);
        curl_easy_cleanup(c);
        return -1;
    }
    set_options(c, s, rcpts, &u, from, errbuf);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_ABORTED_BY_CALLBACK)
        snprintf(err, errlen, "ken stopped while sending; it will try again");
    else if (rc != CURLE_OK)
        snprintf(err, errlen, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? 0 : -1;
}

/* ---- the sender thread */

/* Tries one due message; returns 1 when there was one, 0 when none is due. */
static int send_next(struct db *db, const struct mail_settings *s)
{
    struct arena *a = arena_new();
    struct mail_item *m = mail_store_due(db, a, now_ms());
    if (m) {
        char err[CURL_ERROR_SIZE + 64];
        if (mail_send_one(s, m->rcpt, m->message, err, sizeof err) == 0) {
            if (mail_store_mark_sent(db, m->id, (int64_t)time(NULL)) == 0)
                atomic_fetch_add(&sent_total, 1);
        } else if (!atomic_load(&stopping)) {
            long long delay = mail_send_retry_ms(m->attempts + 1);
            if (delay < 0) {
                fprintf(stderr, "ken: gave up sending mail %lld to %s: %s\n", (long long)m->id,
                        m->rcpt, err);
                if (mail_store_mark_failed(db, m->id, err, (int64_t)time(NULL)) == 0)
                    atomic_fetch_add(&failed_total, 1);
            } else {
                mail_store_mark_retry(db, m->id, err, now_ms() + delay);
            }
        }
    }
    arena_free(a);
    return m != NULL;
}

/* Waits up to ms milliseconds, or until mail_send_stop. */
static void pause_ms(int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&S.mu);
    if (!atomic_load(&stopping))
        pthread_cond_timedwait(&S.cond, &S.mu, &ts);
    pthread_mutex_unlock(&S.mu);
}

/* One round: digests when due, then what is due in the queue. Returns 1 when e-mail is on. */
static int round_once(struct db *db, int64_t *last_digest)
{
    struct arena *a = arena_new();
    struct mail_settings s;
    int64_t now = (int64_t)time(NULL);
    int64_t every = llround(DIGEST_SECONDS * S.scale);
    mail_store_settings(db, a, &s);
    if (s.enabled && now - *last_digest >= (every > 0 ? every : 1)) {
        if (mail_store_page_digests(db, now) < 0)
            fprintf(stderr, "ken: page-change e-mails not queued: %s\n", db_errmsg(db));
        *last_digest = now;
    }
    for (int i = 0; s.enabled && i < BATCH && !atomic_load(&stopping); i++)
        if (!send_next(db, &s))
            break;
    arena_free(a);
    return s.enabled;
}

static void *run(void *arg)
{
    (void)arg;
    char *err = NULL;
    struct db *db = db_open(S.db_path, 0, &err);
    if (!db) {
        fprintf(stderr, "ken: the mail sender cannot open the database: %s\n", err ? err : "?");
        free(err);
        return NULL;
    }
    int64_t last_digest = 0, last_prune = 0;
    while (!atomic_load(&stopping)) {
        int on = round_once(db, &last_digest);
        int64_t now = (int64_t)time(NULL);
        if (now - last_prune >= PRUNE_SECONDS) {
            mail_store_prune(db, now - KEEP_SENT_DAYS * 86400);
            last_prune = now;
        }
        int64_t wait = WAIT_MS, next = on ? mail_store_next_due_ms(db) : -1;
        if (next >= 0 && next - now_ms() < wait)
            wait = next - now_ms() > 10 ? next - now_ms() : 10;
        pause_ms(wait);
    }
    db_close(db);
    return NULL;
}

/* Reads KEN_MAIL_RETRY_SCALE: a factor for every delay (0.01 makes a minute 0.6 s). */
static double retry_scale(void)
{
    const char *env = getenv("KEN_MAIL_RETRY_SCALE");
    if (!env || !*env)
        return 1.0;
    char *end;
    double v = strtod(env, &end);
    if (*end || !isfinite(v) || v <= 0 || v > 100) {
        fprintf(stderr, "ken: KEN_MAIL_RETRY_SCALE is a number above 0 and at most 100, not %s; "
                        "using 1\n", env);
        return 1.0;
    }
    fprintf(stderr, "ken: e-mail retry delays scaled by %g\n", v);
    return v;
}

int mail_send_start(const char *db_path)
{
    if (!S.curl_ready && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "ken: libcurl failed to start\n");
        return -1;
    }
    S.curl_ready = 1;
    S.scale = retry_scale();
    S.db_path = db_path;
    atomic_store(&stopping, 0);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&S.cond, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&S.thread, NULL, run, NULL) != 0) {
        fprintf(stderr, "ken: cannot start the mail sender thread\n");
        pthread_cond_destroy(&S.cond);
        return -1;
    }
    S.running = 1;
    return 0;
}

void mail_send_stop(void)
{
    pthread_mutex_lock(&S.mu);
    atomic_store(&stopping, 1);
    if (S.running)
        pthread_cond_broadcast(&S.cond);
    pthread_mutex_unlock(&S.mu);
    if (!S.running)
        return;
    pthread_join(S.thread, NULL);
    pthread_cond_destroy(&S.cond);
    S.running = 0;
}

void mail_send_metrics(struct buf *b, struct db *db)
{
    struct mail_counts c;
    if (mail_store_counts(db, &c) != 0)
        c.queued = -1;
    buf_printf(b, "# HELP ken_mail_sent_total E-mails sent since ken started.\n"
                  "# TYPE ken_mail_sent_total counter\nken_mail_sent_total %llu\n",
               atomic_load(&sent_total));
    buf_printf(b, "# HELP ken_mail_failed_total E-mails given up on since ken started.\n"
                  "# TYPE ken_mail_failed_total counter\nken_mail_failed_total %llu\n",
               atomic_load(&failed_total));
    buf_printf(b, "# HELP ken_mail_queued E-mails waiting to be sent.\n"
                  "# TYPE ken_mail_queued gauge\nken_mail_queued %lld\n",
               c.queued);
}
