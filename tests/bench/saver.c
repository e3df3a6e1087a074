/* saver: a small HTTP client that saves wiki pages through ken's API as fast as ken answers, for
 * tests/bench/edit. Each of CONNECTIONS threads keeps one keep-alive connection and saves its
 * own page PREFIX-<n> again and again (PUT /api/pages/PREFIX-<n> with base_revision, so every
 * save also passes the conflict check) until SECONDS have passed; a request that was sent is
 * always waited for, so every save ken made was acknowledged and counted. Prints
 *   saves N conflicts N errors N seconds S p50_ms X p99_ms Y
 * and, one line each, "PATH ACKED" for the pages. Build: cc -O2 -pthread saver.c -o saver
 * Usage: saver PORT TOKEN CONNECTIONS SECONDS PREFIX MARKDOWN_FILE */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct worker {
    pthread_t thread;
    int n;
    long acked, conflicts, errors;
    double *lat; /* milliseconds of each acknowledged save, malloc'd */
    size_t nlat, cap;
};

static int port;
static const char *token, *prefix;
static char *markdown_json; /* the page text as a JSON string body (escaped, no quotes) */
static double deadline;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one response; returns its status (body in buf, NUL-terminated), -1 on a socket error.
 * *keep is cleared when the server closes the connection after it. */
static int read_response(int fd, char *buf, size_t cap, int *keep)
{
    size_t got = 0;
    char *end = NULL;
    while (!(end = strstr(buf, "\r\n\r\n"))) {
        if (got + 1 >= cap)
            return -1;
        ssize_t r = recv(fd, buf + got, cap - 1 - got, 0);
        if (r <= 0)
            return -1;
        got += (size_t)r;
        buf[got] = 0;
    }
    int status = atoi(buf + 9);
    size_t head = (size_t)(end - buf) + 4, length = 0;
    for (char *h = strstr(buf, "\r\n"); h && h < end; h = strstr(h + 2, "\r\n")) {
        if (strncasecmp(h + 2, "Content-Length:", 15) == 0)
            length = strtoul(h + 17, NULL, 10);
        if (strncasecmp(h + 2, "Connection: close", 17) == 0)
            *keep = 0;
    }
    if (head + length >= cap)
        return -1;
    while (got < head + length) {
        ssize_t r = recv(fd, buf + got, head + length - got, 0);
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    buf[got] = 0;
    return status;
}

static void record(struct worker *w, double ms)
{
    if (w->nlat == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 4096;
        w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
        if (!w->lat)
            abort();
    }
    w->lat[w->nlat++] = ms;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    size_t cap = strlen(markdown_json) + 65536;
    char *req = malloc(cap), *body = malloc(cap), *resp = malloc(1 << 20);
    int fd = -1, keep = 0;
    if (!req || !body || !resp)
        abort();
    while (now_s() < deadline) {
        if (fd < 0 && (fd = dial()) < 0) {
            w->errors++;
            usleep(10000);
            continue;
        }
        int blen = snprintf(body, cap,
                            "{\"title\":\"Writer %d\",\"base_revision\":%ld,\"summary\":\"save %ld\","
                            "\"markdown\":\"%s\\n\\nSaved %ld times by writer %d.\\n\"}",
                            w->n, w->acked, w->acked + 1, markdown_json, w->acked + 1, w->n);
        int rlen = snprintf(req, cap,
                            "PUT /api/pages/%s-%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                            "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                            "Content-Length: %d\r\n\r\n%s",
                            prefix, w->n, port, token, blen, body);
        double t0 = now_s();
        keep = 1;
        resp[0] = 0;
        int status = send_all(fd, req, (size_t)rlen) ? -1 : read_response(fd, resp, 1 << 20, &keep);
        double ms = (now_s() - t0) * 1000;
        if (status == 200 || status == 201) {
            w->acked++;
            record(w, ms);
        } else if (status == 409) {
            w->conflicts++;
        } else {
            w->errors++;
            if (w->errors <= 3)
                fprintf(stderr, "saver %d: status %d %.200s\n", w->n, status,
                        strstr(resp, "\r\n\r\n") ? strstr(resp, "\r\n\r\n") + 4 : resp);
        }
        if (status < 0 || !keep) {
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0)
        close(fd);
    free(req);
    free(body);
    free(resp);
    return NULL;
}

/* Reads FILE and returns its bytes escaped for a JSON string (malloc'd). */
static char *json_escaped_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    int c;
    while (out && (c = fgetc(f)) != EOF) {
        if (n + 8 > cap)
            out = realloc(out, cap *= 2);
        if (!out)
            break;
        if (c == '"' || c == '\\')
            n += (size_t)sprintf(out + n, "\\%c", c);
        else if (c == '\n')
            n += (size_t)sprintf(out + n, "\\n");
        else if (c < 0x20)
            n += (size_t)sprintf(out + n, "\\u%04x", c);
        else
            out[n++] = (char)c;
    }
    fclose(f);
    if (out)
        out[n] = 0;
    return out;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: saver PORT TOKEN CONNECTIONS SECONDS PREFIX MARKDOWN_FILE\n");
        return 2;
    }
    port = atoi(argv[1]);
    token = argv[2];
    int conns = atoi(argv[3]);
    double secs = atof(argv[4]);
    prefix = argv[5];
    if (!(markdown_json = json_escaped_file(argv[6])) || conns < 1 || conns > 1000 || secs <= 0) {
        fprintf(stderr, "saver: bad arguments or unreadable %s\n", argv[6]);
        return 2;
    }
    struct worker *ws = calloc((size_t)conns, sizeof *ws);
    double start = now_s();
    deadline = start + secs;
    for (int i = 0; i < conns; i++) {
        ws[i].n = i + 1;
        pthread_create(&ws[i].thread, NULL, work, &ws[i]);
    }
    long acked = 0, conflicts = 0, errors = 0;
    size_t nlat = 0;
    for (int i = 0; i < conns; i++) {
        pthread_join(ws[i].thread, NULL);
        acked += ws[i].acked;
        conflicts += ws[i].conflicts;
        errors += ws[i].errors;
        nlat += ws[i].nlat;
    }
    double took = now_s() - start;
    double *all = malloc((nlat + 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < conns; i++) {
        memcpy(all + k, ws[i].lat, ws[i].nlat * sizeof *all);
        k += ws[i].nlat;
    }
    qsort(all, nlat, sizeof *all, by_value);
    printf("saves %ld conflicts %ld errors %ld seconds %.2f p50_ms %.2f p99_ms %.2f\n", acked,
           conflicts, errors, took, nlat ? all[nlat / 2] : 0.0,
           nlat ? all[(size_t)((double)nlat * 0.99)] : 0.0);
    for (int i = 0; i < conns; i++)
        printf("%s-%d %ld\n", prefix, ws[i].n, ws[i].acked);
    return errors ? 1 : 0;
}
