#include "core/metrics.h"

#include <stdatomic.h>

enum { MAX_ROUTES = METRICS_ROUTES_MAX, CLASSES = 5 }; /* status classes 1xx..5xx */

static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
enum { BUCKETS = sizeof bounds / sizeof *bounds };

/* Process-wide counters, only ever added to atomically. */
static atomic_ullong requests[MAX_ROUTES + 1][CLASSES];
static atomic_ullong buckets[BUCKETS + 1];
static atomic_ullong latency_micros, observed, searches;

void metrics_observe(int route, int status, double seconds)
{
    int r = route >= 0 && route < MAX_ROUTES ? route : MAX_ROUTES;
    int c = status >= 100 && status < 600 ? status / 100 - 1 : 4;
    atomic_fetch_add(&requests[r][c], 1);
    int b = 0;
    while (b < BUCKETS && seconds > bounds[b])
        b++;
    atomic_fetch_add(&buckets[b], 1);
    atomic_fetch_add(&latency_micros, (unsigned long long)(seconds * 1e6));
    atomic_fetch_add(&observed, 1);
}

void metrics_search(void)
{
    atomic_fetch_add(&searches, 1);
}

void metrics_write(struct buf *b, const struct metrics_gauges *g, const char *const *route_names,
                   int nroutes)
{
    buf_puts(b, "# HELP ken_requests_total HTTP requests answered, by route and status class.\n"
                "# TYPE ken_requests_total counter\n");
    for (int r = 0; r <= MAX_ROUTES; r++) {
        if (r < MAX_ROUTES && r >= nroutes)
            continue;
        for (int c = 0; c < CLASSES; c++) {
            unsigned long long n = atomic_load(&requests[r][c]);
            if (n)
                buf_printf(b, "ken_requests_total{route=\"%s\",status=\"%dxx\"} %llu\n",
                           r < nroutes ? route_names[r] : "none", c + 1, n);
        }
    }
    buf_puts(b, "# HELP ken_request_seconds Time to answer a request.\n"
                "# TYPE ken_request_seconds histogram\n");
    unsigned long long cumulative = 0;
    for (int i = 0; i <= BUCKETS; i++) {
        cumulative += atomic_load(&buckets[i]);
        if (i < BUCKETS)
            buf_printf(b, "ken_request_seconds_bucket{le=\"%g\"} %llu\n", bounds[i], cumulative);
        else
            buf_printf(b, "ken_request_seconds_bucket{le=\"+Inf\"} %llu\n", cumulative);
    }
    buf_printf(b, "ken_request_seconds_sum %.6f\nken_request_seconds_count %llu\n",
               (double)atomic_load(&latency_micros) / 1e6, atomic_load(&observed));
    buf_printf(b, "# HELP ken_search_queries_total Searches run.\n"
                  "# TYPE ken_search_queries_total counter\nken_search_queries_total %llu\n",
               atomic_load(&searches));
    buf_printf(b, "# HELP ken_database_bytes Size of the database file.\n"
                  "# TYPE ken_database_bytes gauge\nken_database_bytes %lld\n",
               g->database_bytes);
    buf_printf(b, "# HELP ken_pages Live wiki pages.\n# TYPE ken_pages gauge\nken_pages %lld\n",
               g->pages);
    buf_printf(b, "# HELP ken_people Accounts that can sign in.\n# TYPE ken_people gauge\n"
                  "ken_people %lld\n",
               g->people);
}
