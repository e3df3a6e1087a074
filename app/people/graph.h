/* graph: the people graph. Who is tied to whom and why (co-writing pages, endorsements, the
 * reporting line, shared communities), how two people are connected (the shortest chains of
 * colleagues), what the evidence says a person knows, and the pictures of a neighbourhood.
 *
 * PRIVACY: everything here is made from what every signed-in reader may see anyway: page
 * contributions (page history), endorsements and declared skills (profiles), the manager and
 * department (fixed profile fields, always visible: people_perm.c), community membership, and
 * names, logins and job titles. No other profile field is ever read: not location, phone, career
 * fields or anything HR-only or private, so no viewer can learn one from a tie, a chain or a
 * picture. graph_store.c holds the SQL and selects only those columns.
 *
 * The edges are not stored: they are read with index-backed SQL over the tables they come from
 * (page_contributions, endorsements, profiles.manager_id, community_members), so they are always
 * current and need no upkeep on write or rebuild in `ken reindex`. A search for a chain reads one
 * level of the graph per query (the whole frontier at once), at most GRAPH_DEPTH_MAX levels.
 *
 * The first half of this header is pure algorithms over an abstract graph (unit-tested on
 * hand-made graphs); the second half reads the database through graph_store.h. */
#ifndef KEN_GRAPH_H
#define KEN_GRAPH_H
#include "core/arena.h"
#include "core/db.h"
#include "people/graph_store.h"


enum {
    GRAPH_DEPTH_MAX = 6,       /* longest chain searched */
    GRAPH_PATHS_MAX = 3,       /* distinct shortest chains returned */
    GRAPH_NODES_MAX = 40,      /* nodes in a picture, "+N more" included */
    GRAPH_LINKS_MAX = 120,     /* lines in a picture: those to the centre, then the strongest */
    GRAPH_WIDTH = 880,
    GRAPH_HEIGHT = 600, /* the picture, legend included */
};



/* A chain of people: nodes[0] is the start, nodes[steps] the end; weights[i] ties nodes[i] and
 * nodes[i+1]. strength is the product of graph_tie_strength over the steps (0..1]. */
struct graph_path {
    int steps;
    int64_t *nodes;
    double *weights;
    double strength;
    struct graph_path *next;
};

/* Returns how much a tie of `weight` counts in a chain, in (0, 1): weight / (1 + weight). */
double graph_tie_strength(double weight);

/* Finds the shortest chains from `from` to `to` (bidirectional breadth-first search over the
 * unweighted edges, one call of `expand` per level, a visited set per side, at most max_depth
 * steps), then of those the strongest: up to max_paths distinct chains, strongest first. People
 * who left (to_left) are never in the middle of a chain. Fills *out (in a). Returns the number of
 * chains (0: none within max_depth, or from == to), or -1 when expand failed. */
int graph_shortest_paths(struct arena *a, graph_expand_fn expand, void *ctx, int64_t from,
                         int64_t to, int max_depth, int max_paths, struct graph_path **out);

/* Sorts edges strongest first (ties by `to`, then `from`), so listings and tests are stable. */
void graph_edges_sort(struct graph_edge *edges, int n);

/* ---- pictures ---- */

enum graph_node_kind { GRAPH_NODE_PERSON, GRAPH_NODE_CENTER, GRAPH_NODE_DEPT, GRAPH_NODE_MORE };

struct graph_node {
    int64_t id; /* a user id; a department is -its id; the cluster 0 */
    enum graph_node_kind kind;
    const char *label;  /* the name shown */
    const char *detail; /* the tooltip under the name: job title, department ("" none) */
    const char *href;   /* where the node links to, or NULL */
    double strength;    /* decides who stays when there are too many, and the size */
    int pinned;         /* 1: stays where it is put (the centre); never clustered */
    int more;           /* GRAPH_NODE_MORE: how many it stands for */
    double x, y;        /* set by graph_layout */
};

struct graph_link {
    int a, b; /* indexes into the nodes */
    double weight;
    double w[GRAPH_KINDS];
};

/* Returns the kind a link is drawn as: the reporting line when it is one, else the kind that
 * weighs most in w. */
enum graph_kind graph_link_kind(const double w[GRAPH_KINDS]);

/* Keeps at most `max` nodes: when there are more, the pinned ones and the strongest others
 * (max - 1 in all) stay, in their order, and one "+N more" node (kind GRAPH_NODE_MORE, label in
 * a) takes the place of the rest; links to dropped nodes go to it (merged per kept node) and
 * links between dropped nodes go. `nodes` must have room for n + 1 nodes. Rewrites nodes and
 * links in place; *m gets the new link count. Returns the new node count. */
int graph_cap(struct arena *a, struct graph_node *nodes, int n, struct graph_link *links, int *m,
              int max);

/* Places the nodes with Fruchterman-Reingold: fixed `iterations`, a deterministic start from
 * `seed` (the same input always gives the same picture), pinned nodes at their x, y; then
 * scales everything into [margin_x, width - margin_x] x [margin_y, height - margin_y]. Allocates
 * nothing that outlives it. */
void graph_layout(struct graph_node *nodes, int n, const struct graph_link *links, int m,
                  double width, double height, double margin_x, double margin_y, unsigned seed,
                  int iterations);

/* A picture ready for svg_graph_write. */
struct graph_picture {
    const char *title;       /* for <title>: "Connections of Mara Okafor" */
    const char *description; /* for <desc> */
    struct graph_node *nodes;
    int n;
    struct graph_link *links;
    int m;
    int width, height;
    int more; /* people left out of the picture (in the "+N more" node) */
};

/* ---- over the database (graph_store.h holds the SQL) ---- */



struct graph_tie {
    struct graph_person *person;
    double weight;
    double w[GRAPH_KINDS];
    struct graph_reason *reasons;
    struct graph_tie *next;
};

/* Returns the strongest ties of person `user_id` (people who left are left out), strongest
 * first, at most `limit`, each with its reasons; *total gets how many ties they have. In a;
 * NULL when none. */
struct graph_tie *graph_ties(struct db *db, struct arena *a, const struct graph_person *p,
                             int limit, int *total);

struct graph_step {
    struct graph_person *from, *to;
    double weight;
    struct graph_reason *reasons;
};
struct graph_chain {
    int steps;
    struct graph_step *step; /* steps of them */
    double strength;
    struct graph_chain *next;
};

/* Returns the shortest chains (up to GRAPH_PATHS_MAX, strongest first) from `from` to `to`, each
 * step with its reasons, in *out (in a). Returns their number (0: none within GRAPH_DEPTH_MAX
 * steps), or -1 on a database error. */
int graph_connections(struct db *db, struct arena *a, const struct graph_person *from,
                      const struct graph_person *to, struct graph_chain **out);

/* Returns person `user_id`'s strongest topics, at most `limit`, in a; NULL when none. */
struct graph_topic *graph_person_topics(struct db *db, struct arena *a, int64_t user_id, int limit);
/* Returns a one-line "why" for a topic: "wrote 80% of 2 pages tagged postgres; declared
 * expert", in a. */
const char *graph_topic_why(struct arena *a, const struct graph_topic *t);

/* Returns the people (still here) who know `topic` (a tag, or a skill's name, slug or alias),
 * strongest first, at most `limit`; *name gets the topic's display name (the skill's name, or the
 * tag). In a; NULL when nobody. */
struct graph_knower *graph_topic_people(struct db *db, struct arena *a, const char *topic,
                                        int limit, const char **name);

/* The pictures, laid out, in a; NULL on a database error. */
struct graph_picture *graph_picture_person(struct db *db, struct arena *a,
                                           const struct graph_person *p);
struct graph_picture *graph_picture_topic(struct db *db, struct arena *a, const char *topic);
struct graph_picture *graph_picture_department(struct db *db, struct arena *a, int64_t dept_id,
                                               const char *dept_name);

/* The department map. */
struct graph_dept_topic {
    const char *dept_slug, *dept_name;
    const char *topic, *skill_slug; /* the topic's name; the skill's slug or "" for a tag */
    double share;                   /* the department's share of the writing on it, 0..1 */
    int pages;                      /* pages with it that its people wrote parts of */
    int declared, experts;          /* people in it who declared it; of them experts */
    double strength;                /* share * log2(1 + pages) + 0.15 per declarer (0.3 for
                                     * experts): a topic written about on many pages counts
                                     * more than a one-page tag */
    struct graph_dept_topic *next;
};
struct graph_reliance {
    const char *topic, *skill_slug;
    const char *user_slug, *user_name; /* the department that writes a little about it */
    double user_share;
    const char *holder_slug, *holder_name; /* the one that holds most of the evidence */
    double holder_share;
    struct graph_reliance *next;
};
struct graph_dept_map {
    struct graph_dept_topic *topics; /* by department name, then strongest first (6 each) */
    struct graph_dept_link *links;   /* strongest first */
    struct graph_reliance *reliance; /* clearest first */
};
/* Fills m (in a) from everyone who has not left. Returns 0 or -1. A map that took long to read
 * (a big company) is kept for a minute and shared by every request. */
int graph_department_map(struct db *db, struct arena *a, struct graph_dept_map *m);

#endif
