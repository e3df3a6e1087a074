/* search_log_store: the SQL of the search log (schema/0010_search_log.sql): writing searches and
 * clicks, forgetting old ones, the setting that keeps who searched, and the report (those three
 * are declared in search_log.h, the module people call). */
#ifndef KEN_SEARCH_LOG_STORE_H
#define KEN_SEARCH_LOG_STORE_H
#include "core/arena.h"
#include "core/db.h"

#include <stdint.h>

/* Writes one click on `path` (when not NULL) or one search that found `results`, made at `at`
 * by user_id (0: not kept). 0 or -1. */
int search_log_store_write(struct db *rw, const char *query, const char *path, int results,
                          int64_t at, int64_t user_id);
/* Deletes searches and clicks made before `old`. 0 or -1. */
int search_log_store_prune(struct db *rw, int64_t old);

/* Returns 1 when the log keeps who searched (the setting log_searchers), else 0. */
int search_log_searchers(struct db *db);
/* Stores the setting log_searchers. Returns 0 or -1. */
int search_log_set_searchers(struct db *rw, int on);

struct search_log_row {
    const char *query;
    int searches;   /* how often it was searched for */
    int results;    /* pages found by its latest search */
    int clicks;     /* results opened */
    const char *who; /* logins of the people who searched for it, comma-separated ("" when not
                      * kept) */
    struct search_log_row *next;
};

/* Returns up to `limit` queries searched for since `since`, most searched first: when
 * `no_results`, those whose latest search found nothing; else those that found pages of which
 * nobody opened one. In a. */
struct search_log_row *search_log_report(struct db *db, struct arena *a, int no_results,
                                         int64_t since, int limit);

#endif
