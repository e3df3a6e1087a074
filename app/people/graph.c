#include "people/graph.h"
#include "markup/url.h"
#include "core/buf.h"
#include "people/graph_store.h"
#include "people/org_store.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double graph_tie_strength(double weight)
{
    return weight > 0 ? weight / (1.0 + weight) : 1e-6;
}

static int by_edge_weight(const void *x, const void *y)
{
    const struct graph_edge *a = x, *b = y;
    if (a->weight != b->weight) return a->weight < b->weight ? 1 : -1;
    if (a->to != b->to) return a->to < b->to ? -1 : 1;
    return a->from < b->from ? -1 : a->from > b->from;
}

void graph_edges_sort(struct graph_edge *edges, int n)
{
    if (n > 1) qsort(edges, (size_t)n, sizeof *edges, by_edge_weight);
}

enum graph_kind graph_link_kind(const double w[GRAPH_KINDS])
{
    if (w[GRAPH_MANAGER] > 0) return GRAPH_MANAGER;
    enum graph_kind best = GRAPH_COWROTE;
    for (int k = 1; k < GRAPH_KINDS; k++)
        if (w[k] > w[best]) best = (enum graph_kind)k;
    return best;
}

/* ---- a visited set: user id -> index, open addressing, in the arena ---- */

struct idmap {
    int64_t *keys;
    int *vals; /* index + 1; 0: empty */
    unsigned cap, len;
};

static unsigned slot_of(int64_t k, unsigned cap)
{
    return (unsigned)(((uint64_t)k * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static int idmap_get(const struct idmap *m, int64_t k)
{
    if (!m->cap) return -1;
    for (unsigned i = slot_of(k, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (!m->vals[i]) return -1;
        if (m->keys[i] == k) return m->vals[i] - 1;
    }
}

static void idmap_put(struct arena *a, struct idmap *m, int64_t k, int v)
{
    if ((m->len + 1) * 2 > m->cap) {
        struct idmap bigger = {.cap = m->cap ? m->cap * 2 : 64};
        bigger.keys = arena_alloc(a, sizeof *bigger.keys * bigger.cap);
        bigger.vals = arena_alloc(a, sizeof *bigger.vals * bigger.cap);
        for (unsigned i = 0; i < m->cap; i++)
            if (m->vals[i]) idmap_put(a, &bigger, m->keys[i], m->vals[i] - 1);
        *m = bigger;
    }
    unsigned i = slot_of(k, m->cap);
    while (m->vals[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    if (!m->vals[i]) m->len++;
    m->keys[i] = k;
    m->vals[i] = v + 1;
}

/* ---- shortest chains: breadth-first from both ends ---- */

enum { PARENTS_MAX = 8 };

struct parent {
    int node;
    double weight;
};

struct bnode {
    int64_t id;
    int dist;
    int parents;
    struct parent parent[PARENTS_MAX]; /* neighbours one step nearer this side's origin */
};

/* One end of the search; nodes are in the order found, so by distance. */
struct side {
    int64_t origin, goal;
    struct idmap map;
    struct bnode *nodes;
    int n, cap;
    int lo, hi; /* the frontier: nodes[lo..hi) */
    int depth;
};

static int side_add(struct arena *a, struct side *s, int64_t id, int dist)
{
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 64;
        struct bnode *bigger = arena_alloc(a, sizeof *bigger * (size_t)cap);
        if (s->n) memcpy(bigger, s->nodes, sizeof *bigger * (size_t)s->n);
        s->nodes = bigger;
        s->cap = cap;
    }
    struct bnode *b = &s->nodes[s->n];
    memset(b, 0, sizeof *b);
    b->id = id;
    b->dist = dist;
    idmap_put(a, &s->map, id, s->n);
    return s->n++;
}

/* Keeps the PARENTS_MAX strongest parents. */
static void add_parent(struct bnode *b, int node, double weight)
{
    if (b->parents < PARENTS_MAX) {
        b->parent[b->parents++] = (struct parent){node, weight};
        return;
    }
    int weakest = 0;
    for (int i = 1; i < PARENTS_MAX; i++)
        if (b->parent[i].weight < b->parent[weakest].weight) weakest = i;
    if (weight > b->parent[weakest].weight) b->parent[weakest] = (struct parent){node, weight};
}

/* Reads the next level of side s. Returns 0 or -1. */
static int side_expand(struct arena *a, graph_expand_fn expand, void *ctx, struct side *s)
{
    int n = s->hi - s->lo;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)n);
    for (int i = 0; i < n; i++)
        ids[i] = s->nodes[s->lo + i].id;
    struct graph_edge *e;
    int count;
    if (expand(ctx, a, ids, n, &e, &count) != 0) return -1;
    int next_lo = s->n;
    for (int i = 0; i < count; i++) {
        int from = idmap_get(&s->map, e[i].from);
        if (from < 0 || s->nodes[from].dist != s->depth || e[i].to == e[i].from) continue;
        if (e[i].to_left && e[i].to != s->goal) /* who left cannot introduce anyone */
            continue;
        int to = idmap_get(&s->map, e[i].to);
        if (to < 0)
            to = side_add(a, s, e[i].to, s->depth + 1);
        else if (s->nodes[to].dist != s->depth + 1)
            continue;
        add_parent(&s->nodes[to], from, e[i].weight);
    }
    s->lo = next_lo;
    s->hi = s->n;
    s->depth++;
    return 0;
}

/* A chain from a side's origin to a node, as a linked list back to the origin. */
struct partial {
    int node;
    double score;  /* the sum of log(strength) along it */
    double weight; /* of the step from prev to node */
    struct partial *prev;
};

/* Inserts p into the list best[0..*n) (at most k, best score first; an equal score keeps the one
 * found first). */
static void keep_best(struct partial **best, int *n, int k, struct partial *p)
{
    int at = *n;
    while (at > 0 && best[at - 1]->score < p->score)
        at--;
    if (at >= k) return;
    if (*n < k) (*n)++;
    memmove(&best[at + 1], &best[at], sizeof *best * (size_t)(*n - 1 - at));
    best[at] = p;
}

/* For every node of s, the k strongest chains from the origin (a dynamic programme in order of
 * distance: strengths multiply, so log-strengths add and the best k extend to the best k). */
static struct partial ***best_chains(struct arena *a, const struct side *s, int k, int **counts)
{
    struct partial ***best = arena_alloc(a, sizeof *best * (size_t)s->n);
    *counts = arena_alloc(a, sizeof **counts * (size_t)s->n);
    for (int i = 0; i < s->n; i++) {
        best[i] = arena_alloc(a, sizeof **best * (size_t)(k + 1));
        if (i == 0) {
            struct partial *p = arena_alloc(a, sizeof *p);
            best[0][0] = p;
            (*counts)[0] = 1;
            continue;
        }
        const struct bnode *b = &s->nodes[i];
        for (int j = 0; j < b->parents; j++) {
            int par = b->parent[j].node;
            double step = log(graph_tie_strength(b->parent[j].weight));
            for (int c = 0; c < (*counts)[par]; c++) {
                struct partial *p = arena_alloc(a, sizeof *p);
                *p = (struct partial){i, best[par][c]->score + step, b->parent[j].weight,
                                      best[par][c]};
                keep_best(best[i], &(*counts)[i], k, p);
            }
        }
    }
    return best;
}

struct combo {
    struct partial *from_side, *to_side;
    double score;
};

static struct graph_path *make_path(struct arena *a, const struct side *sf, const struct side *st,
                                    const struct combo *c)
{
    int left = 0, right = 0;
    for (struct partial *p = c->from_side; p->prev; p = p->prev)
        left++;
    for (struct partial *p = c->to_side; p->prev; p = p->prev)
        right++;
    struct graph_path *path = arena_alloc(a, sizeof *path);
    path->steps = left + right;
    path->nodes = arena_alloc(a, sizeof *path->nodes * (size_t)(path->steps + 1));
    path->weights = arena_alloc(a, sizeof *path->weights * (size_t)(path->steps ? path->steps : 1));
    int i = left;
    for (struct partial *p = c->from_side; p; p = p->prev, i--) {
        path->nodes[i] = sf->nodes[p->node].id;
        if (p->prev) path->weights[i - 1] = p->weight;
    }
    i = left;
    for (struct partial *p = c->to_side; p; p = p->prev, i++) {
        path->nodes[i] = st->nodes[p->node].id;
        if (p->prev) path->weights[i] = p->weight;
    }
    path->strength = exp(c->score);
    return path;
}

/* Joins the two searches where they met: every node found by both at the shortest total. */
static int join(struct arena *a, const struct side *sf, const struct side *st,
                const struct side *grown, const struct side *other, int max_paths,
                struct graph_path **out)
{
    int shortest = INT_MAX;
    for (int i = grown->lo; i < grown->hi; i++) {
        int j = idmap_get(&other->map, grown->nodes[i].id);
        if (j >= 0 && grown->nodes[i].dist + other->nodes[j].dist < shortest)
            shortest = grown->nodes[i].dist + other->nodes[j].dist;
    }
    if (shortest == INT_MAX) return 0;
    int *cf, *ct;
    struct partial ***bf = best_chains(a, sf, max_paths, &cf);
    struct partial ***bt = best_chains(a, st, max_paths, &ct);
    struct combo *top = arena_alloc(a, sizeof *top * (size_t)max_paths);
    int found = 0;
    for (int i = grown->lo; i < grown->hi; i++) {
        int j = idmap_get(&other->map, grown->nodes[i].id);
        if (j < 0 || grown->nodes[i].dist + other->nodes[j].dist != shortest) continue;
        int fi = grown == sf ? i : j, ti = grown == sf ? j : i;
        for (int x = 0; x < cf[fi]; x++)
            for (int y = 0; y < ct[ti]; y++) {
                struct combo c = {bf[fi][x], bt[ti][y], bf[fi][x]->score + bt[ti][y]->score};
                int at = found;
                while (at > 0 && top[at - 1].score < c.score)
                    at--;
                if (at >= max_paths) continue;
                if (found < max_paths) found++;
                memmove(&top[at + 1], &top[at], sizeof *top * (size_t)(found - 1 - at));
                top[at] = c;
            }
    }
    struct graph_path **tail = out;
    for (int i = 0; i < found; i++) {
        *tail = make_path(a, sf, st, &top[i]);
        tail = &(*tail)->next;
    }
    return found;
}

int graph_shortest_paths(struct arena *a, graph_expand_fn expand, void *ctx, int64_t from,
                         int64_t to, int max_depth, int max_paths, struct graph_path **out)
{
    *out = NULL;
    if (from == to || max_paths < 1) return 0;
    struct side sf = {.origin = from, .goal = to}, st = {.origin = to, .goal = from};
    side_add(a, &sf, from, 0);
    side_add(a, &st, to, 0);
    sf.hi = st.hi = 1;
    while (sf.depth + st.depth < max_depth) {
        if (sf.hi == sf.lo || st.hi == st.lo)
            return 0; /* one side has nobody new: no chain at all */
        /* Grow the smaller frontier (on a tie, the side that has grown less): the two searches
         * meet having read far less than one would, and a side with nobody new ends it soon. */
        int nf = sf.hi - sf.lo, nt = st.hi - st.lo;
        struct side *grow = nf < nt || (nf == nt && sf.depth <= st.depth) ? &sf : &st;
        struct side *other = grow == &sf ? &st : &sf;
        if (side_expand(a, expand, ctx, grow) != 0) return -1;
        int found = join(a, &sf, &st, grow, other, max_paths, out);
        if (found) return found;
    }
    return 0;
}

/* ---- pictures: capping and layout ---- */

static int by_strength_index(const void *x, const void *y, void *ctx)
{
    const struct graph_node *nodes = ctx;
    int i = *(const int *)x, j = *(const int *)y;
    if (nodes[i].strength != nodes[j].strength)
        return nodes[i].strength < nodes[j].strength ? 1 : -1;
    return i - j;
}

int graph_cap(struct arena *a, struct graph_node *nodes, int n, struct graph_link *links, int *m,
              int max)
{
    if (n <= max || max < 2) return n;
    int *order = arena_alloc(a, sizeof *order * (size_t)n), others = 0, kept = 0;
    char *keep = arena_alloc(a, (size_t)n);
    for (int i = 0; i < n; i++) {
        if (nodes[i].pinned)
            keep[i] = 1, kept++;
        else
            order[others++] = i;
    }
    qsort_r(order, (size_t)others, sizeof *order, by_strength_index, nodes);
    for (int i = 0; i < others && kept < max - 1; i++)
        keep[order[i]] = 1, kept++;
    double dropped_strength = 0;
    int *index = arena_alloc(a, sizeof *index * (size_t)n), j = 0;
    for (int i = 0; i < n; i++) {
        if (!keep[i]) {
            index[i] = -1;
            dropped_strength += nodes[i].strength;
            continue;
        }
        index[i] = j;
        nodes[j++] = nodes[i];
    }
    int cluster = j, dropped = n - j;
    nodes[cluster] = (struct graph_node){.kind = GRAPH_NODE_MORE,
                                         .more = dropped,
                                         .label = arena_printf(a, "+%d more", dropped),
                                         .detail = "people not drawn, to keep the picture legible",
                                         .strength = dropped_strength};
    double *to_cluster = arena_alloc(a, sizeof *to_cluster * (size_t)j * GRAPH_KINDS);
    int kept_links = 0;
    for (int i = 0; i < *m; i++) {
        struct graph_link l = links[i];
        int x = index[l.a], y = index[l.b];
        if (x >= 0 && y >= 0) {
            l.a = x, l.b = y;
            links[kept_links++] = l;
        } else if (x >= 0 || y >= 0) {
            for (int k = 0; k < GRAPH_KINDS; k++)
                to_cluster[(x >= 0 ? x : y) * GRAPH_KINDS + k] += l.w[k];
        }
    }
    /* Each merged link stands for at least one link that went, so they fit in the array. */
    for (int x = 0; x < j; x++) {
        struct graph_link l = {.a = x, .b = cluster};
        for (int k = 0; k < GRAPH_KINDS; k++)
            l.weight += (l.w[k] = to_cluster[x * GRAPH_KINDS + k]);
        if (l.weight > 0) links[kept_links++] = l;
    }
    *m = kept_links;
    return j + 1;
}

/* xorshift32: the same start on every machine. */
static double next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return (double)*s / 4294967296.0;
}

static void fit(struct graph_node *nodes, int n, double width, double height, double mx, double my)
{
    double x0 = nodes[0].x, x1 = x0, y0 = nodes[0].y, y1 = y0;
    for (int i = 1; i < n; i++) {
        x0 = fmin(x0, nodes[i].x), x1 = fmax(x1, nodes[i].x);
        y0 = fmin(y0, nodes[i].y), y1 = fmax(y1, nodes[i].y);
    }
    double w = width - 2 * mx, h = height - 2 * my;
    double sx = x1 - x0 > 1e-9 ? w / (x1 - x0) : 0, sy = y1 - y0 > 1e-9 ? h / (y1 - y0) : 0;
    double s = sx && sy ? fmin(sx, sy) : sx ? sx : sy;
    double ox = mx + (w - (x1 - x0) * s) / 2, oy = my + (h - (y1 - y0) * s) / 2;
    for (int i = 0; i < n; i++) {
        nodes[i].x = fmin(fmax(ox + (nodes[i].x - x0) * s, mx), width - mx);
        nodes[i].y = fmin(fmax(oy + (nodes[i].y - y0) * s, my), height - my);
    }
}

/* Characters in a UTF-8 label, as the picture shows it (cut at 25). */
static int label_chars(const char *s)
{
    int n = 0;
    for (; s && *s && n < 25; s++)
        n += (*s & 0xC0) != 0x80;
    return n;
}

/* Forces place circles, not names: where two names would overprint, move the two apart up and
 * down, a few rounds, inside the margins. */
static void spread_labels(struct graph_node *nodes, int n, double height, double my)
{
    for (int round = 0; round < 40; round++) {
        int moved = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double wi = 3.4 * label_chars(nodes[i].label) + 8;
                double wj = 3.4 * label_chars(nodes[j].label) + 8;
                double ox = wi + wj - fabs(nodes[i].x - nodes[j].x);
                double oy = 34 - fabs(nodes[i].y - nodes[j].y);
                if (ox <= 0 || oy <= 0) continue;
                int up = nodes[i].y < nodes[j].y || (nodes[i].y == nodes[j].y && i < j) ? i : j;
                int down = up == i ? j : i;
                double step = fmin(oy / 2 + 1, 12);
                if (!nodes[up].pinned) nodes[up].y = fmax(nodes[up].y - step, my);
                if (!nodes[down].pinned) nodes[down].y = fmin(nodes[down].y + step, height - my);
                moved = 1;
            }
        if (!moved) break;
    }
}

void graph_layout(struct graph_node *nodes, int n, const struct graph_link *links, int m,
                  double width, double height, double margin_x, double margin_y, unsigned seed,
                  int iterations)
{
    if (n <= 0) return;
    uint32_t rng = seed ? seed : 0x2545F491u;
    double cx = width / 2, cy = height / 2, heaviest = 1e-9;
    for (int i = 0; i < m; i++)
        heaviest = fmax(heaviest, links[i].weight);
    for (int i = 0; i < n; i++) { /* a ring, a little shaken: spreads well and is deterministic */
        if (nodes[i].pinned) continue;
        double angle = 2 * M_PI * i / n + 0.5 * next_random(&rng);
        double r = fmin(width, height) * (0.2 + 0.2 * next_random(&rng));
        nodes[i].x = cx + r * cos(angle);
        nodes[i].y = cy + r * sin(angle);
    }
    double k = 0.7 * sqrt((width - 2 * margin_x) * (height - 2 * margin_y) / n);
    double t0 = width / 10;
    double *dx = xmalloc(sizeof *dx * (size_t)n * 2), *dy = dx + n;
    for (int it = 0; it < iterations; it++) {
        memset(dx, 0, sizeof *dx * (size_t)n * 2);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                double ex = nodes[i].x - nodes[j].x, ey = nodes[i].y - nodes[j].y;
                double d2 = ex * ex + ey * ey;
                if (d2 < 1e-6) { /* on top of each other: part them the same way every time */
                    ex = 0.1 * (1 + (i + j) % 3), ey = 0.1 * (1 + (i * j) % 2);
                    d2 = ex * ex + ey * ey;
                }
                double d = sqrt(d2), f = k * k / d;
                dx[i] += ex / d * f, dy[i] += ey / d * f;
                dx[j] -= ex / d * f, dy[j] -= ey / d * f;
            }
        for (int l = 0; l < m; l++) {
            int i = links[l].a, j = links[l].b;
            double ex = nodes[i].x - nodes[j].x, ey = nodes[i].y - nodes[j].y;
            double d = sqrt(ex * ex + ey * ey);
            if (d < 1e-9) continue;
            double f = d * d / k * (0.3 + 0.7 * links[l].weight / heaviest);
            dx[i] -= ex / d * f, dy[i] -= ey / d * f;
            dx[j] += ex / d * f, dy[j] += ey / d * f;
        }
        double t = fmax(t0 * (1.0 - (double)it / iterations), t0 / 50);
        for (int i = 0; i < n; i++) {
            if (nodes[i].pinned) continue;
            dx[i] -= (nodes[i].x - cx) * 0.05; /* gravity: keeps loners in the picture */
            dy[i] -= (nodes[i].y - cy) * 0.05;
            double len = sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
            if (len < 1e-9) continue;
            double step = fmin(len, t);
            nodes[i].x = fmin(fmax(nodes[i].x + dx[i] / len * step, 0), width);
            nodes[i].y = fmin(fmax(nodes[i].y + dy[i] / len * step, 0), height);
        }
    }
    free(dx);
    fit(nodes, n, width, height, margin_x, margin_y);
    spread_labels(nodes, n, height, margin_y);
}

/* ---- over the database ---- */

struct graph_tie *graph_ties(struct db *db, struct arena *a, const struct graph_person *p,
                             int limit, int *total)
{
    struct graph_edge *e;
    int n, kept = 0;
    *total = 0;
    if (graph_store_edges(db, a, &p->id, 1, 0, &e, &n) != 0) return NULL;
    for (int i = 0; i < n; i++)
        if (!e[i].to_left && e[i].to != p->id) e[kept++] = e[i];
    graph_edges_sort(e, kept);
    *total = kept;
    n = kept < limit ? kept : limit;
    if (n <= 0) return NULL;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)n);
    for (int i = 0; i < n; i++)
        ids[i] = e[i].to;
    struct graph_person **people = arena_alloc(a, sizeof *people * (size_t)n);
    struct graph_reason **reasons = arena_alloc(a, sizeof *reasons * (size_t)n);
    if (graph_store_people(db, a, ids, n, people) != 0 ||
        graph_store_reasons(db, a, p, people, n, reasons) != 0)
        return NULL;
    struct graph_tie *head = NULL, **tail = &head;
    for (int i = 0; i < n; i++) {
        if (!people[i]) continue;
        struct graph_tie *t = arena_alloc(a, sizeof *t);
        t->person = people[i];
        t->weight = e[i].weight;
        memcpy(t->w, e[i].w, sizeof t->w);
        t->reasons = reasons[i];
        *tail = t;
        tail = &t->next;
    }
    return head;
}

int graph_connections(struct db *db, struct arena *a, const struct graph_person *from,
                      const struct graph_person *to, struct graph_chain **out)
{
    struct graph_path *paths;
    *out = NULL;
    int found = graph_shortest_paths(a, graph_store_expand, db, from->id, to->id, GRAPH_DEPTH_MAX,
                                     GRAPH_PATHS_MAX, &paths);
    if (found <= 0) return found;
    struct graph_chain **tail = out;
    for (struct graph_path *p = paths; p; p = p->next) {
        struct graph_person **people = arena_alloc(a, sizeof *people * (size_t)(p->steps + 1));
        if (graph_store_people(db, a, p->nodes, p->steps + 1, people) != 0) return -1;
        struct graph_chain *c = arena_alloc(a, sizeof *c);
        c->steps = p->steps;
        c->strength = p->strength;
        c->step = arena_alloc(a, sizeof *c->step * (size_t)p->steps);
        for (int i = 0; i < p->steps; i++) {
            struct graph_step *s = &c->step[i];
            s->from = people[i];
            s->to = people[i + 1];
            s->weight = p->weights[i];
            if (!s->from || !s->to)
                return -1; /* someone was deleted between two reads of one snapshot: cannot be */
            if (graph_store_reasons(db, a, s->from, &s->to, 1, &s->reasons) != 0) return -1;
        }
        *tail = c;
        tail = &c->next;
    }
    return found;
}

struct graph_topic *graph_person_topics(struct db *db, struct arena *a, int64_t user_id, int limit)
{
    return graph_store_person_topics(db, a, user_id, limit);
}

static const char *const level_names[] = {"", "learning", "practised", "expert"};

const char *graph_topic_why(struct arena *a, const struct graph_topic *t)
{
    struct buf b;
    buf_init(&b, 0);
    if (t->pages)
        buf_printf(&b,
                   t->pages == 1 ? "wrote %.0f%% of %d page tagged %s"
                                 : "wrote on average %.0f%% of %d pages tagged %s",
                   100 * t->written / t->pages, t->pages, t->tag);
    if (t->level >= 1 && t->level <= 3)
        buf_printf(&b, "%sdeclared %s", b.len ? "; " : "", level_names[t->level]);
    return arena_adopt(a, buf_take(&b));
}

struct graph_knower *graph_topic_people(struct db *db, struct arena *a, const char *topic,
                                        int limit, const char **name)
{
    struct graph_knower *k = graph_store_topic_people(db, a, topic, limit, name);
    int n = 0;
    for (struct graph_knower *x = k; x; x = x->next)
        n++;
    if (!n) return NULL;
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)n);
    struct graph_person **people = arena_alloc(a, sizeof *people * (size_t)n);
    int i = 0;
    for (struct graph_knower *x = k; x; x = x->next)
        ids[i++] = x->person->id;
    if (graph_store_people(db, a, ids, n, people) != 0) return NULL;
    struct graph_knower *head = NULL, **tail = &head;
    i = 0;
    for (struct graph_knower *x = k; x; x = x->next, i++) {
        if (!people[i]) continue;
        x->person = people[i];
        *tail = x;
        tail = &x->next;
    }
    *tail = NULL;
    return head;
}

/* ---- the pictures ---- */

enum { LAYOUT_ITERATIONS = 300, LEGEND_H = 44, MARGIN_X = 80, MARGIN_Y = 24 };
static const unsigned LAYOUT_SEED = 20261126u;

static const char *person_detail(struct arena *a, const struct graph_person *p)
{
    if (*p->job && *p->dept_name) return arena_printf(a, "%s, %s", p->job, p->dept_name);
    return *p->job ? p->job : p->dept_name;
}

static void set_person(struct arena *a, struct graph_node *n, const struct graph_person *p)
{
    n->label = p->name;
    n->detail = person_detail(a, p);
    n->href = url_person(a, p->login);
}

/* Names the person nodes (one query for all). Returns 0 or -1. */
static int label_people(struct db *db, struct arena *a, struct graph_node *nodes, int n)
{
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(n ? n : 1));
    int *at = arena_alloc(a, sizeof *at * (size_t)(n ? n : 1)), count = 0;
    for (int i = 0; i < n; i++)
        if ((nodes[i].kind == GRAPH_NODE_PERSON || nodes[i].kind == GRAPH_NODE_CENTER) &&
            !nodes[i].label)
            ids[count] = nodes[i].id, at[count++] = i;
    struct graph_person **people = arena_alloc(a, sizeof *people * (size_t)(count ? count : 1));
    if (graph_store_people(db, a, ids, count, people) != 0) return -1;
    for (int i = 0; i < count; i++) {
        if (people[i])
            set_person(a, &nodes[at[i]], people[i]);
        else
            nodes[at[i]].label = "(unknown)", nodes[at[i]].detail = "";
    }
    return 0;
}

static int node_index(const struct graph_node *nodes, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (nodes[i].id == id && nodes[i].kind != GRAPH_NODE_MORE &&
            nodes[i].kind != GRAPH_NODE_DEPT)
            return i;
    return -1;
}

/* Adds the ties between the people drawn (but not those of `skip`, already linked). */
static struct graph_link *links_among(struct db *db, struct arena *a, struct graph_node *nodes,
                                      int n, struct graph_link *links, int *m, int64_t skip)
{
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)n);
    int count = 0;
    for (int i = 0; i < n; i++)
        if (nodes[i].kind == GRAPH_NODE_PERSON && nodes[i].id != skip) ids[count++] = nodes[i].id;
    struct graph_edge *e;
    int ne;
    if (graph_store_edges(db, a, ids, count, 1, &e, &ne) != 0) return NULL;
    struct graph_link *all = arena_alloc(a, sizeof *all * (size_t)(*m + ne + 1));
    memcpy(all, links, sizeof *all * (size_t)*m);
    for (int i = 0; i < ne; i++) {
        if (e[i].from >= e[i].to) /* each tie once */
            continue;
        int x = node_index(nodes, n, e[i].from), y = node_index(nodes, n, e[i].to);
        if (x < 0 || y < 0) continue;
        struct graph_link *l = &all[(*m)++];
        *l = (struct graph_link){.a = x, .b = y, .weight = e[i].weight};
        memcpy(l->w, e[i].w, sizeof l->w);
    }
    return all;
}

/* Links to the centre or the "+N more" node first, then the strongest. */
static int by_link_priority(const void *x, const void *y, void *ctx)
{
    const struct graph_node *nodes = ctx;
    const struct graph_link *a = x, *b = y;
    int pa = nodes[a->a].pinned || nodes[a->b].pinned || nodes[a->a].kind == GRAPH_NODE_MORE ||
             nodes[a->b].kind == GRAPH_NODE_MORE;
    int pb = nodes[b->a].pinned || nodes[b->b].pinned || nodes[b->a].kind == GRAPH_NODE_MORE ||
             nodes[b->b].kind == GRAPH_NODE_MORE;
    if (pa != pb) return pb - pa;
    if (a->weight != b->weight) return a->weight < b->weight ? 1 : -1;
    return a->a != b->a ? a->a - b->a : a->b - b->b;
}

static struct graph_picture *finish(struct arena *a, struct graph_node *nodes, int n,
                                    struct graph_link *links, int m, const char *title,
                                    const char *description)
{
    /* Among close colleagues nearly everyone is tied to everyone: past a point more lines only
     * hide the picture, so the weakest go. */
    if (m > GRAPH_LINKS_MAX) {
        qsort_r(links, (size_t)m, sizeof *links, by_link_priority, nodes);
        m = GRAPH_LINKS_MAX;
    }
    struct graph_picture *p = arena_alloc(a, sizeof *p);
    p->width = GRAPH_WIDTH;
    p->height = GRAPH_HEIGHT;
    graph_layout(nodes, n, links, m, GRAPH_WIDTH, GRAPH_HEIGHT - LEGEND_H, MARGIN_X, MARGIN_Y,
                 LAYOUT_SEED, LAYOUT_ITERATIONS);
    p->nodes = nodes;
    p->n = n;
    p->links = links;
    p->m = m;
    p->title = title;
    p->description = description;
    for (int i = 0; i < n; i++)
        if (nodes[i].kind == GRAPH_NODE_MORE) p->more = nodes[i].more;
    return p;
}

struct graph_picture *graph_picture_person(struct db *db, struct arena *a,
                                           const struct graph_person *p)
{
    struct graph_edge *e;
    int ne, count = 0;
    if (graph_store_edges(db, a, &p->id, 1, 0, &e, &ne) != 0) return NULL;
    struct graph_node *nodes = arena_alloc(a, sizeof *nodes * (size_t)(ne + 2));
    struct graph_link *links = arena_alloc(a, sizeof *links * (size_t)(ne + 1));
    nodes[0] = (struct graph_node){.id = p->id,
                                   .kind = GRAPH_NODE_CENTER,
                                   .pinned = 1,
                                   .x = GRAPH_WIDTH / 2.0,
                                   .y = (GRAPH_HEIGHT - LEGEND_H) / 2.0};
    set_person(a, &nodes[0], p);
    int n = 1, m = 0;
    for (int i = 0; i < ne; i++) {
        if (e[i].to_left || e[i].to == p->id) continue;
        count++;
        nodes[n] =
            (struct graph_node){.id = e[i].to, .kind = GRAPH_NODE_PERSON, .strength = e[i].weight};
        links[m] = (struct graph_link){.a = 0, .b = n, .weight = e[i].weight};
        memcpy(links[m].w, e[i].w, sizeof links[m].w);
        n++, m++;
    }
    n = graph_cap(a, nodes, n, links, &m, GRAPH_NODES_MAX);
    if (label_people(db, a, nodes, n) != 0 ||
        !(links = links_among(db, a, nodes, n, links, &m, p->id)))
        return NULL;
    return finish(a, nodes, n, links, m, arena_printf(a, "Who %s knows", p->name),
                  arena_printf(a,
                               "%s and the %d colleague%s they are tied to by writing pages "
                               "together, endorsements, the reporting line and communities; "
                               "the thicker the line, the stronger the tie.",
                               p->name, count, count == 1 ? "" : "s"));
}

struct graph_picture *graph_picture_topic(struct db *db, struct arena *a, const char *topic)
{
    const char *name;
    struct graph_knower *k = graph_store_topic_people(db, a, topic, 2000, &name);
    int total = 0;
    for (struct graph_knower *x = k; x; x = x->next)
        total++;
    struct graph_node *nodes = arena_alloc(a, sizeof *nodes * (size_t)(total + 1));
    struct graph_link *links = arena_alloc(a, sizeof *links);
    int n = 0, m = 0;
    for (struct graph_knower *x = k; x; x = x->next)
        nodes[n++] = (struct graph_node){
            .id = x->person->id, .kind = GRAPH_NODE_PERSON, .strength = x->strength};
    n = graph_cap(a, nodes, n, links, &m, GRAPH_NODES_MAX);
    if (label_people(db, a, nodes, n) != 0 || !(links = links_among(db, a, nodes, n, links, &m, 0)))
        return NULL;
    return finish(a, nodes, n, links, m, arena_printf(a, "Who knows %s", name),
                  arena_printf(a,
                               "The %d people whose writing or declared skills say they know "
                               "%s, and how they are tied to each other.",
                               total, name));
}

/* Adds the other departments the members in nodes[0..nm) are most tied to (one node each, at
 * most `max`) and one link per member and department, their ties summed. Returns the links (the
 * m given, then the new ones; *m updated), in a. */
static struct graph_link *other_departments(struct arena *a, const struct org_unit *depts,
                                            int64_t dept_id, const struct graph_edge *e, int ne,
                                            const struct idmap *members, int nm,
                                            struct graph_node *nodes, int *n,
                                            struct graph_link *links, int *m, int max)
{
    int nd = 0;
    for (const struct org_unit *u = depts; u; u = u->next)
        nd++;
    double *weight = arena_alloc(a, sizeof *weight * (size_t)(nd ? nd : 1));
    for (int i = 0; i < ne; i++) {
        if (e[i].to_left || !e[i].to_dept || e[i].to_dept == dept_id ||
            idmap_get(members, e[i].from) < 0 || idmap_get(members, e[i].to) >= 0)
            continue;
        int d = 0;
        for (const struct org_unit *u = depts; u && u->id != e[i].to_dept; u = u->next)
            d++;
        if (d < nd) weight[d] += e[i].weight;
    }
    int first = *n, d = 0;
    for (const struct org_unit *u = depts; u; u = u->next, d++)
        if (weight[d] > 0)
            nodes[(*n)++] = (struct graph_node){.id = -u->id,
                                                .kind = GRAPH_NODE_DEPT,
                                                .label = u->name,
                                                .detail = "another department",
                                                .href = arena_printf(a, "/graph?dept=%s", u->slug),
                                                .strength = weight[d]};
    for (int i = first; i < *n; i++) /* the strongest first, then keep `max` */
        for (int j = i + 1; j < *n; j++)
            if (nodes[j].strength > nodes[i].strength) {
                struct graph_node t = nodes[i];
                nodes[i] = nodes[j];
                nodes[j] = t;
            }
    if (*n - first > max) *n = first + max;
    int kept = *n - first;
    struct graph_link *all = arena_alloc(a, sizeof *all * (size_t)(*m + nm * kept + 1));
    memcpy(all, links, sizeof *all * (size_t)*m);
    struct graph_link *per = all + *m; /* per[member * kept + department] */
    for (int i = 0; i < ne; i++) {
        int x = idmap_get(members, e[i].from);
        if (x < 0 || e[i].to_left || idmap_get(members, e[i].to) >= 0) continue;
        for (int j = first; j < *n; j++)
            if (nodes[j].id == -e[i].to_dept) {
                struct graph_link *l = &per[x * kept + (j - first)];
                l->a = x, l->b = j, l->weight += e[i].weight;
                for (int k = 0; k < GRAPH_KINDS; k++)
                    l->w[k] += e[i].w[k];
            }
    }
    int count = *m;
    for (int i = 0; i < nm * kept; i++) /* close up the pairs with no tie */
        if (per[i].weight > 0) all[count++] = per[i];
    *m = count;
    return all;
}

/* A department: its people and their ties to each other, and the other departments it is tied
 * to (one node each, the ties of its people summed). */
struct graph_picture *graph_picture_department(struct db *db, struct arena *a, int64_t dept_id,
                                               const char *dept_name)
{
    enum { OTHER_DEPTS_MAX = 6 };
    int nm, ne, n = 0, m = 0;
    int64_t *members = graph_store_department_people(db, a, dept_id, &nm);
    struct graph_edge *e;
    if (graph_store_edges(db, a, members, nm, 0, &e, &ne) != 0) return NULL;
    struct org_unit *depts = org_store_departments(db, a);
    int nd = 0;
    for (struct org_unit *d = depts; d; d = d->next)
        nd++;
    struct graph_node *nodes = arena_alloc(a, sizeof *nodes * (size_t)(nm + nd + 1));
    struct graph_link *links = arena_alloc(a, sizeof *links * (size_t)(ne + 1));
    struct idmap at = {0};
    for (int i = 0; i < nm; i++) {
        idmap_put(a, &at, members[i], n);
        nodes[n++] = (struct graph_node){.id = members[i], .kind = GRAPH_NODE_PERSON};
    }
    for (int i = 0; i < ne; i++) { /* ties between members, each once */
        int x = idmap_get(&at, e[i].from), y = idmap_get(&at, e[i].to);
        if (x < 0 || e[i].to_left) continue;
        nodes[x].strength += e[i].weight;
        if (y >= 0 && e[i].from < e[i].to) {
            links[m] = (struct graph_link){.a = x, .b = y, .weight = e[i].weight};
            memcpy(links[m].w, e[i].w, sizeof e[i].w);
            m++;
        }
    }
    links =
        other_departments(a, depts, dept_id, e, ne, &at, nm, nodes, &n, links, &m, OTHER_DEPTS_MAX);
    n = graph_cap(a, nodes, n, links, &m, GRAPH_NODES_MAX);
    if (label_people(db, a, nodes, n) != 0) return NULL;
    return finish(a, nodes, n, links, m, arena_printf(a, "%s: who is tied to whom", dept_name),
                  arena_printf(a,
                               "The %d people of %s, their ties to each other, and the other "
                               "departments they are most tied to.",
                               nm, dept_name));
}

/* ---- the department map ---- */

static int by_dept_strength(const void *x, const void *y)
{
    const struct graph_dept_topic *a = *(struct graph_dept_topic *const *)x;
    const struct graph_dept_topic *b = *(struct graph_dept_topic *const *)y;
    int c = strcmp(a->dept_name, b->dept_name);
    if (c) return c;
    if (a->strength != b->strength) return a->strength < b->strength ? 1 : -1;
    return strcmp(a->topic, b->topic);
}

static int by_reliance(const void *x, const void *y)
{
    const struct graph_reliance *a = *(struct graph_reliance *const *)x;
    const struct graph_reliance *b = *(struct graph_reliance *const *)y;
    double ka = a->holder_share - a->user_share, kb = b->holder_share - b->user_share;
    if (ka != kb) return ka < kb ? 1 : -1;
    int c = strcmp(a->topic, b->topic);
    return c ? c : strcmp(a->user_name, b->user_name);
}

static int department_map_read(struct db *db, struct arena *a, struct graph_dept_map *map)
{
    enum { TOPICS_PER_DEPT = 6, RELIANCE_MAX = 50 };
    memset(map, 0, sizeof *map);
    int n;
    struct graph_dept_row *rows = graph_store_dept_rows(db, a, &n);
    struct graph_dept_topic **topics = arena_alloc(a, sizeof *topics * (size_t)(n ? n : 1));
    struct graph_reliance **rel = arena_alloc(a, sizeof *rel * (size_t)(n ? n : 1));
    int nt = 0, nr = 0;
    for (int i = 0; i < n;) {
        int end = i;
        while (end < n && rows[end].topic == rows[i].topic)
            end++;
        /* rows[i] holds the most of this topic's writing (rows come by share, largest first). */
        for (int j = i; j < end; j++) {
            const struct graph_dept_row *r = &rows[j];
            struct graph_dept_topic *t = arena_alloc(a, sizeof *t);
            *t = (struct graph_dept_topic){
                r->dept_slug,
                r->dept_name,
                r->topic,
                r->skill_slug,
                r->share,
                r->pages,
                r->declared,
                r->experts,
                r->share * log2(1.0 + r->pages) + 0.15 * (r->declared + r->experts),
                NULL};
            topics[nt++] = t;
            if (j > i && rows[i].share >= 0.5 && r->share > 0 && r->share * 2 < rows[i].share) {
                struct graph_reliance *x = arena_alloc(a, sizeof *x);
                *x = (struct graph_reliance){r->topic,          r->skill_slug, r->dept_slug,
                                             r->dept_name,      r->share,      rows[i].dept_slug,
                                             rows[i].dept_name, rows[i].share, NULL};
                rel[nr++] = x;
            }
        }
        i = end;
    }
    qsort(topics, (size_t)nt, sizeof *topics, by_dept_strength);
    struct graph_dept_topic **tail = &map->topics;
    for (int i = 0, in_dept = 0; i < nt; i++) {
        in_dept =
            i && strcmp(topics[i]->dept_name, topics[i - 1]->dept_name) == 0 ? in_dept + 1 : 0;
        if (in_dept >= TOPICS_PER_DEPT || topics[i]->strength <= 0) continue;
        *tail = topics[i];
        tail = &topics[i]->next;
    }
    qsort(rel, (size_t)nr, sizeof *rel, by_reliance);
    struct graph_reliance **rtail = &map->reliance;
    for (int i = 0; i < nr && i < RELIANCE_MAX; i++) {
        *rtail = rel[i];
        rtail = &rel[i]->next;
    }
    map->links = graph_store_dept_links(db, a);
    return 0;
}

/* The map reads every tagged page's contributions: about a second at 100k pages. When reading it
 * took that long, it is kept for MAP_CACHE_SECONDS for every thread (per database file), copied
 * out under a lock; a small company's map is read fresh every time. */
enum { MAP_CACHE_SECONDS = 60, MAP_SLOW_MS = 250 };
static pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    struct arena *a; /* owns everything below */
    const char *file;
    struct graph_dept_map map;
    time_t at;
} map_cache;

static const char *copy_text(struct arena *a, const char *s)
{
    return arena_strdup(a, s ? s : "");
}

static void map_copy(struct arena *a, const struct graph_dept_map *from, struct graph_dept_map *to)
{
    memset(to, 0, sizeof *to);
    struct graph_dept_topic **tt = &to->topics;
    for (const struct graph_dept_topic *t = from->topics; t; t = t->next, tt = &(*tt)->next) {
        *tt = arena_alloc(a, sizeof **tt);
        **tt = *t;
        (*tt)->dept_slug = copy_text(a, t->dept_slug),
        (*tt)->dept_name = copy_text(a, t->dept_name);
        (*tt)->topic = copy_text(a, t->topic), (*tt)->skill_slug = copy_text(a, t->skill_slug);
        (*tt)->next = NULL;
    }
    struct graph_dept_link **lt = &to->links;
    for (const struct graph_dept_link *l = from->links; l; l = l->next, lt = &(*lt)->next) {
        *lt = arena_alloc(a, sizeof **lt);
        **lt = *l;
        (*lt)->a_slug = copy_text(a, l->a_slug), (*lt)->a_name = copy_text(a, l->a_name);
        (*lt)->b_slug = copy_text(a, l->b_slug), (*lt)->b_name = copy_text(a, l->b_name);
        (*lt)->next = NULL;
    }
    struct graph_reliance **rt = &to->reliance;
    for (const struct graph_reliance *r = from->reliance; r; r = r->next, rt = &(*rt)->next) {
        *rt = arena_alloc(a, sizeof **rt);
        **rt = *r;
        (*rt)->topic = copy_text(a, r->topic), (*rt)->skill_slug = copy_text(a, r->skill_slug);
        (*rt)->user_slug = copy_text(a, r->user_slug),
        (*rt)->user_name = copy_text(a, r->user_name);
        (*rt)->holder_slug = copy_text(a, r->holder_slug);
        (*rt)->holder_name = copy_text(a, r->holder_name);
        (*rt)->next = NULL;
    }
}

int graph_department_map(struct db *db, struct arena *a, struct graph_dept_map *map)
{
    const char *file = sqlite3_db_filename(db_handle(db), "main");
    time_t now = time(NULL);
    pthread_mutex_lock(&map_lock);
    int hit = map_cache.a && file && strcmp(file, map_cache.file) == 0 &&
              now - map_cache.at < MAP_CACHE_SECONDS && now >= map_cache.at;
    if (hit) map_copy(a, &map_cache.map, map);
    pthread_mutex_unlock(&map_lock);
    if (hit) return 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (department_map_read(db, a, map) != 0) return -1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    if (ms < MAP_SLOW_MS || !file || !*file) return 0;
    struct arena *keep = arena_new();
    struct graph_dept_map copy;
    map_copy(keep, map, &copy);
    const char *kept_file = arena_strdup(keep, file);
    pthread_mutex_lock(&map_lock);
    struct arena *old = map_cache.a;
    map_cache.a = keep;
    map_cache.file = kept_file;
    map_cache.map = copy;
    map_cache.at = now;
    pthread_mutex_unlock(&map_lock);
    arena_free(old);
    return 0;
}
