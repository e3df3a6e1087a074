/* graph_store: the SQL of the people graph and the rows it reads (see graph.h, which says what it may read and why).
 * Every query here is index-backed and takes a whole set of people at once (as a JSON array
 * bound to one parameter), so nothing loops over people one query each. Results live in `a`. */
#ifndef KEN_GRAPH_STORE_H
#define KEN_GRAPH_STORE_H
#include "core/arena.h"
#include "core/db.h"

#include <stdint.h>

/* The rows the graph is made of (graph.h computes with them). */
/* What ties two people. The order is the legend's. */
enum graph_kind {
    GRAPH_COWROTE = 0,   /* wrote parts of the same pages: the smaller share, summed over pages */
    GRAPH_ENDORSED = 1,  /* one endorsed the other for a skill (either direction) */
    GRAPH_MANAGER = 2,   /* one manages the other */
    GRAPH_COMMUNITY = 3, /* both in a community (of at most GRAPH_COMMUNITY_MAX members) */
    GRAPH_KINDS = 4,
};

enum { GRAPH_COMMUNITY_MAX = 100 }; /* a bigger community says little about who knows whom */

/* One edge as read from the database: from -> to, with its weight by kind. Edges are symmetric:
 * the same tie read from the other side has the same weights. */
struct graph_edge {
    int64_t from, to;
    double weight; /* the sum of w[] */
    double w[GRAPH_KINDS];
    int to_left;     /* `to` has left the company (or was disabled) */
    int64_t to_dept; /* `to`'s department id, 0 none */
};

/* Reads the edges of every node in ids[0..n-1]; fills *edges (in a) and *count. Returns 0 or -1. */
typedef int (*graph_expand_fn)(void *ctx, struct arena *a, const int64_t *ids, int n,
                               struct graph_edge **edges, int *count);

/* A person as the graph shows them: only fields every signed-in reader may see. */
struct graph_person {
    int64_t id;
    const char *login, *name, *job; /* job: the job title (a fixed field) */
    int64_t dept_id;
    const char *dept_slug, *dept_name; /* "" when none */
    int left;
};

/* Why two people are tied: one line, and where it points (a page, a skill), or NULL. */
struct graph_reason {
    enum graph_kind kind;
    const char *text; /* "co-wrote Deploying to Kubernetes", "both in Python guild" */
    const char *href;
    struct graph_reason *next;
};

/* A topic a person knows, by evidence: the tags of the pages they wrote, weighted by their share
 * of each page's text, merged with the skills they declared (a tag that names a skill, such as
 * `postgres`, counts for that skill). */
struct graph_topic {
    const char *name; /* the skill's name, or the tag */
    const char *slug; /* the skill's slug, or "" for a tag */
    const char *tag;  /* a tag it came from, or "" */
    double written;   /* pages' worth of text they wrote with the tag (sum of shares) */
    int pages;        /* pages with the tag they wrote part of */
    int level;        /* declared level 1-3, 0 none */
    double strength;  /* written + the declared level's weight; orders the list */
    struct graph_topic *next;
};

/* Someone who knows a topic, by evidence (for the topic picture and its page). */
struct graph_knower {
    struct graph_person *person;
    double written; /* pages' worth of text on the topic */
    int pages, level;
    double strength;
    struct graph_knower *next;
};

struct graph_dept_link {
    const char *a_slug, *a_name, *b_slug, *b_name;
    double cowrote;   /* sum over shared pages of the smaller department share */
    int pages;        /* pages both wrote parts of */
    int endorsements; /* between their people, either way */
    double strength;  /* cowrote + 0.25 per endorsement */
    struct graph_dept_link *next;
};

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
