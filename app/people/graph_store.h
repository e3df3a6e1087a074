/* graph_store: the SQL of the people graph (see graph.h, which says what it may read and why).
 * Every query here is index-backed and takes a whole set of people at once (as a JSON array
 * bound to one parameter), so nothing loops over people one query each. Results live in `a`. */
#ifndef KEN_GRAPH_STORE_H
#define KEN_GRAPH_STORE_H
#include "people/graph.h"

/* Reads every edge of the people in ids[0..n-1] (when `among`, only edges to people in ids too),
 * merged per pair with their weight by kind, strongest first per person. Fills *edges (in a) and
 * *count. Returns 0 or -1. */
int graph_store_edges(struct db *db, struct arena *a, const int64_t *ids, int n, int among,
                      struct graph_edge **edges, int *count);
/* graph_store_edges as a graph_expand_fn (ctx is the struct db). */
int graph_store_expand(void *ctx, struct arena *a, const int64_t *ids, int n,
                       struct graph_edge **edges, int *count);

/* Returns the person with `login` (left or not), or NULL. */
struct graph_person *graph_store_person(struct db *db, struct arena *a, const char *login);
/* Fills out[i] with the person whose id is ids[i] (NULL when there is none). Returns 0 or -1. */
int graph_store_people(struct db *db, struct arena *a, const int64_t *ids, int n,
                       struct graph_person **out);
/* Returns the ids of department `dept_id`'s people who have not left (in a), *n their number. */
int64_t *graph_store_department_people(struct db *db, struct arena *a, int64_t dept_id, int *n);

/* Fills out[i] with why x and ys[i] are tied (a list: the reporting line, pages written together,
 * endorsements each way, communities; NULL when they are not tied), phrased with their names.
 * Four queries in all, whatever n is. Returns 0 or -1. */
int graph_store_reasons(struct db *db, struct arena *a, const struct graph_person *x,
                        struct graph_person *const *ys, int n, struct graph_reason **out);

/* Returns every topic of person `user_id` by evidence (see struct graph_topic), strongest first,
 * at most `limit`. */
struct graph_topic *graph_store_person_topics(struct db *db, struct arena *a, int64_t user_id,
                                              int limit);
/* Returns who knows `topic` (see graph_topic_people), strongest first, at most `limit`; each
 * ->person holds only the id (graph_topic_people fills in the rest); *name gets the topic's
 * display name. In a. */
struct graph_knower *graph_store_topic_people(struct db *db, struct arena *a, const char *topic,
                                              int limit, const char **name);

/* The department map's two reads: the writing and declared skills per topic and department
 * (rows by topic; share is of all the writing on the topic), and the ties between departments. */
struct graph_dept_row {
    const char *topic, *skill_slug;
    int64_t dept_id;
    const char *dept_slug, *dept_name;
    double share;
    int pages; /* pages with the topic its people wrote parts of */
    int declared, experts;
};
struct graph_dept_row *graph_store_dept_rows(struct db *db, struct arena *a, int *n);
struct graph_dept_link *graph_store_dept_links(struct db *db, struct arena *a);

#endif
