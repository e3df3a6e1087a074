/* metrics: counters for /metrics in Prometheus text format. Lock-free to record. */
#ifndef KEN_METRICS_H
#define KEN_METRICS_H
#include "core/buf.h"

enum { METRICS_ROUTES_MAX = 256 }; /* route numbers counted apart; the router has fewer */

/* Records one request answered by route number `route` (-1: none matched) with `status`,
 * taking `seconds`. */
void metrics_observe(int route, int status, double seconds);
/* Counts one search query. */
void metrics_search(void);
/* What the caller read from the database for the gauges (-1: could not be read). */
struct metrics_gauges {
    long long database_bytes, pages, people;
};
/* Appends the exposition text to b: requests by route and status class, the latency histogram,
 * search queries, and the gauges g. route_names[i] names route i. */
void metrics_write(struct buf *b, const struct metrics_gauges *g, const char *const *route_names,
                   int nroutes);

#endif
