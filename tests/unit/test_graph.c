/* The people graph: shortest chains on small hand-made graphs (checked against a plain
 * breadth-first search), ties in order of weight, a deterministic layout inside the canvas, the
 * node cap, escaped SVG, and the same over a real database. */
#include "check.h"
#include "testdb.h"
#include "people/graph.h"
#include "people/graph_store.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "wiki/page_store.h"
#include "people/svg_graph.h"
#include "accounts/user_store.h"

#include <libxml/parser.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* ---- a hand-made graph: nodes 1..NMAX, undirected weighted edges ---- */

enum { NMAX = 64 };

struct toy {
    double w[NMAX + 1][NMAX + 1]; /* 0: no edge */
    int left[NMAX + 1];
    int calls; /* expand calls: one per level read */
};

static void tie(struct toy *t, int a, int b, double w)
{
    t->w[a][b] = t->w[b][a] = w;
}

static int toy_expand(void *ctx, struct arena *a, const int64_t *ids, int n,
                      struct graph_edge **edges, int *count)
{
    struct toy *t = ctx;
    t->calls++;
    struct graph_edge *e = arena_alloc(a, sizeof *e * (size_t)(n * NMAX + 1));
    int m = 0;
    for (int i = 0; i < n; i++)
        for (int j = 1; j <= NMAX; j++)
            if (t->w[ids[i]][j] > 0)
                e[m++] = (struct graph_edge){.from = ids[i],
                                             .to = j,
                                             .weight = t->w[ids[i]][j],
                                             .w = {t->w[ids[i]][j]},
                                             .to_left = t->left[j]};
    *edges = e;
    *count = m;
    return 0;
}

/* The distance by plain BFS (people who left only at the ends), or -1. */
static int bfs_distance(const struct toy *t, int from, int to)
{
    int dist[NMAX + 1], queue[NMAX + 1], head = 0, tail = 0;
    for (int i = 0; i <= NMAX; i++)
        dist[i] = -1;
    dist[from] = 0;
    queue[tail++] = from;
    while (head < tail) {
        int x = queue[head++];
        if (x == to) return dist[x];
        if (x != from && t->left[x]) continue;
        for (int j = 1; j <= NMAX; j++)
            if (t->w[x][j] > 0 && dist[j] < 0) dist[j] = dist[x] + 1, queue[tail++] = j;
    }
    return -1;
}

/* 1 when p is a real chain of t from `from` to `to` with the weights it claims. */
static int valid_path(const struct toy *t, const struct graph_path *p, int from, int to)
{
    if (p->nodes[0] != from || p->nodes[p->steps] != to) return 0;
    double strength = 1;
    for (int i = 0; i < p->steps; i++) {
        double w = t->w[p->nodes[i]][p->nodes[i + 1]];
        if (w <= 0 || w != p->weights[i]) return 0;
        if (i > 0 && t->left[p->nodes[i]]) return 0;
        strength *= graph_tie_strength(w);
    }
    return p->strength > strength * 0.999999 && p->strength < strength * 1.000001;
}

static int same_path(const struct graph_path *a, const struct graph_path *b)
{
    if (a->steps != b->steps) return 0;
    for (int i = 0; i <= a->steps; i++)
        if (a->nodes[i] != b->nodes[i]) return 0;
    return 1;
}

static void test_paths(struct arena *a)
{
    static struct toy t;
    struct graph_path *p;

    /* A line 1-2-3-4-5 with a shortcut 2-5: the chain takes the shortcut. */
    memset(&t, 0, sizeof t);
    tie(&t, 1, 2, 1), tie(&t, 2, 3, 1), tie(&t, 3, 4, 1), tie(&t, 4, 5, 1), tie(&t, 2, 5, 0.1);
    CHECK(graph_shortest_paths(a, toy_expand, &t, 1, 5, 6, 3, &p) == 1);
    CHECK(p && p->steps == 2 && p->nodes[1] == 2 && valid_path(&t, p, 1, 5));
    CHECK(t.calls <= 2); /* two levels in all, read from both ends */

    /* Two chains of two steps: the stronger comes first; a longer one is not offered. */
    memset(&t, 0, sizeof t);
    tie(&t, 1, 2, 0.2), tie(&t, 2, 9, 0.2);               /* weak */
    tie(&t, 1, 3, 2.0), tie(&t, 3, 9, 1.5);               /* strong */
    tie(&t, 1, 4, 5), tie(&t, 4, 5, 5), tie(&t, 5, 9, 5); /* strongest, but three steps */
    CHECK(graph_shortest_paths(a, toy_expand, &t, 1, 9, 6, 3, &p) == 2);
    CHECK(p && p->nodes[1] == 3 && p->next && p->next->nodes[1] == 2);
    CHECK(p && p->next && p->strength > p->next->strength);
    CHECK(p && p->next && !p->next->next);

    /* Many shortest chains: three, distinct, valid, strongest first. */
    memset(&t, 0, sizeof t);
    for (int m = 2; m <= 8; m++)
        tie(&t, 1, m, 0.1 * m), tie(&t, m, 20, 1.0 / m);
    int n = graph_shortest_paths(a, toy_expand, &t, 1, 20, 6, 3, &p);
    CHECK(n == 3);
    for (struct graph_path *x = p; x; x = x->next) {
        CHECK(x->steps == 2 && valid_path(&t, x, 1, 20));
        for (struct graph_path *y = x->next; y; y = y->next)
            CHECK(!same_path(x, y) && x->strength >= y->strength);
    }

    /* Someone who left never stands in the middle, but may be at either end. */
    memset(&t, 0, sizeof t);
    tie(&t, 1, 2, 1), tie(&t, 2, 3, 1), tie(&t, 1, 4, 1), tie(&t, 4, 5, 1), tie(&t, 5, 3, 1);
    t.left[2] = 1;
    CHECK(graph_shortest_paths(a, toy_expand, &t, 1, 3, 6, 3, &p) == 1);
    CHECK(p && p->steps == 3 && p->nodes[1] == 4);
    t.left[3] = 1;
    CHECK(graph_shortest_paths(a, toy_expand, &t, 1, 3, 6, 3, &p) == 1 && p->steps == 3);
    CHECK(graph_shortest_paths(a, toy_expand, &t, 2, 1, 6, 3, &p) == 1 && p->steps == 1);

    /* The depth cap: six steps are found, seven are not; nobody new on one side stops early. */
    memset(&t, 0, sizeof t);
    for (int i = 1; i <= 7; i++)
        tie(&t, i, i + 1, 1);
    CHECK(graph_shortest_paths(a, toy_expand, &t, 1, 7, 6, 3, &p) == 1 && p->steps == 6);
    CHECK(graph_shortest_paths(a, toy_expand, &t, 1, 8, 6, 3, &p) == 0 && !p);
    t.calls = 0;
    CHECK(graph_shortest_paths(a, toy_expand, &t, 1, 30, 6, 3, &p) == 0);
    CHECK(t.calls == 2); /* 30 has no ties: its side is empty after its first read */
    CHECK(graph_shortest_paths(a, toy_expand, &t, 3, 3, 6, 3, &p) == 0);

    /* Random graphs: the chains found are always as short as plain BFS says, and real. */
    srand(7);
    int agree = 1, checked = 0;
    for (int g = 0; g < 200; g++) {
        memset(&t, 0, sizeof t);
        int nodes = 10 + rand() % 50, edges = nodes + rand() % (2 * nodes);
        for (int e = 0; e < edges; e++) {
            int x = 1 + rand() % nodes, y = 1 + rand() % nodes;
            if (x != y) tie(&t, x, y, 0.05 + (rand() % 100) / 25.0);
        }
        for (int i = 1; i <= nodes; i++)
            t.left[i] = rand() % 10 == 0;
        int from = 1 + rand() % nodes, to = 1 + rand() % nodes;
        if (from == to) continue;
        int want = bfs_distance(&t, from, to);
        n = graph_shortest_paths(a, toy_expand, &t, from, to, 6, 3, &p);
        checked++;
        if (want < 0 || want > 6)
            agree &= n == 0;
        else
            for (struct graph_path *x = p; x; x = x->next)
                agree &= n >= 1 && x->steps == want && valid_path(&t, x, from, to);
        agree &= (want >= 1 && want <= 6) == (n >= 1);
    }
    CHECK(agree && checked > 150);
}

static void test_sort_and_cap(struct arena *a)
{
    struct graph_edge e[5] = {{.to = 4, .weight = 0.5},
                              {.to = 2, .weight = 3},
                              {.to = 9, .weight = 0.5},
                              {.to = 1, .weight = 1},
                              {.to = 3, .weight = 7}};
    graph_edges_sort(e, 5);
    CHECK(e[0].to == 3 && e[1].to == 2 && e[2].to == 1 && e[3].to == 4 && e[4].to == 9);

    /* 100 people around a pinned centre: 40 nodes stay, the strongest, and "+61 more". */
    enum { N = 101 };
    struct graph_node *nodes = arena_alloc(a, sizeof *nodes * (N + 1));
    struct graph_link *links = arena_alloc(a, sizeof *links * (N + 10));
    nodes[0] = (struct graph_node){.id = 1000, .kind = GRAPH_NODE_CENTER, .pinned = 1};
    int m = 0;
    for (int i = 1; i < N; i++) {
        nodes[i] = (struct graph_node){.id = i, .kind = GRAPH_NODE_PERSON, .strength = i};
        links[m++] = (struct graph_link){.a = 0, .b = i, .weight = i, .w = {i}};
    }
    links[m++] = (struct graph_link){.a = 100, .b = 99, .weight = 1, .w = {0, 1}}; /* both kept */
    links[m++] = (struct graph_link){.a = 100, .b = 2, .weight = 1, .w = {0, 1}}; /* to a dropped */
    links[m++] = (struct graph_link){.a = 3, .b = 2, .weight = 1, .w = {0, 1}};   /* both dropped */
    int n = graph_cap(a, nodes, N, links, &m, GRAPH_NODES_MAX);
    CHECK(n == GRAPH_NODES_MAX);
    CHECK(nodes[0].pinned && nodes[0].id == 1000);
    CHECK(nodes[n - 1].kind == GRAPH_NODE_MORE && nodes[n - 1].more == N - GRAPH_NODES_MAX + 1);
    CHECK_STR(nodes[n - 1].label, "+62 more");
    int lowest = 1000;
    for (int i = 1; i < n - 1; i++)
        lowest = nodes[i].id < lowest ? (int)nodes[i].id : lowest;
    CHECK(lowest == 101 - (GRAPH_NODES_MAX - 2)); /* the 38 strongest: 63..100 */
    int to_cluster = 0, valid = 1;
    for (int i = 0; i < m; i++) {
        valid &= links[i].a >= 0 && links[i].a < n && links[i].b >= 0 && links[i].b < n;
        if (links[i].b == n - 1) to_cluster++;
    }
    CHECK(valid);
    CHECK(to_cluster == 2); /* the centre's merged link, and node 100's */
    CHECK(graph_cap(a, nodes, 5, links, &m, GRAPH_NODES_MAX) == 5); /* few: untouched */
}

static void test_layout(struct arena *a)
{
    enum { N = 30 };
    struct graph_node one[N], two[N];
    struct graph_link links[N];
    for (int i = 0; i < N; i++) {
        one[i] = (struct graph_node){.id = i + 1, .kind = GRAPH_NODE_PERSON, .strength = 1};
        links[i] = (struct graph_link){.a = i, .b = (i * 7 + 3) % N, .weight = 1 + i % 4};
    }
    one[0].pinned = 1, one[0].x = 440, one[0].y = 280;
    memcpy(two, one, sizeof one);
    graph_layout(one, N, links, N, 880, 556, 80, 24, 42, 300);
    graph_layout(two, N, links, N, 880, 556, 80, 24, 42, 300);
    int same = 1, inside = 1, spread = 1;
    for (int i = 0; i < N; i++) {
        same &= one[i].x == two[i].x && one[i].y == two[i].y;
        inside &= one[i].x >= 80 && one[i].x <= 800 && one[i].y >= 24 && one[i].y <= 532;
        for (int j = 0; j < i; j++)
            spread &= fabs(one[i].x - one[j].x) + fabs(one[i].y - one[j].y) > 1;
    }
    CHECK(same);   /* deterministic: the same input draws the same picture */
    CHECK(inside); /* inside the canvas, margins kept for the labels */
    CHECK(spread); /* nobody on top of anybody */
    struct graph_node lone = {.id = 1};
    graph_layout(&lone, 1, NULL, 0, 880, 556, 80, 24, 42, 300);
    CHECK(lone.x >= 80 && lone.x <= 800);

    /* The SVG: every label escaped by the writer, so it parses and says <&> as text. */
    struct graph_node nodes[2] = {{.id = 1,
                                   .kind = GRAPH_NODE_CENTER,
                                   .label = "Ada <b>&\"Lovelace\"</b>",
                                   .detail = "x\x01y",
                                   .href = "/people/ada",
                                   .x = 100,
                                   .y = 100},
                                  {.id = 2,
                                   .kind = GRAPH_NODE_PERSON,
                                   .label = "Bo \xEF\xBF\xBE",
                                   .detail = "",
                                   .x = 300,
                                   .y = 200,
                                   .strength = 1}};
    struct graph_link l = {.a = 0, .b = 1, .weight = 1, .w = {0, 0, 1}};
    struct graph_picture p = {.title = "Who <Ada> knows",
                              .description = "d&d",
                              .nodes = nodes,
                              .n = 2,
                              .links = &l,
                              .m = 1,
                              .width = 880,
                              .height = 600};
    const char *svg = svg_graph_write(a, &p, 1);
    xmlDocPtr doc = xmlReadMemory(svg, (int)strlen(svg), "g.svg", NULL, XML_PARSE_NONET);
    CHECK(doc != NULL);
    xmlFreeDoc(doc);
    CHECK_CONTAINS(svg, "Ada &lt;b&gt;&amp;&quot;Lovelace&quot;&lt;/b&gt;");
    CHECK(!strstr(svg, "<b>"));
    CHECK_CONTAINS(svg, "Who &lt;Ada&gt; knows");
    CHECK_CONTAINS(svg, "href=\"/people/ada\"");
    const char *inline_svg = svg_graph_write(a, &p, 0);
    CHECK(strncmp(inline_svg, "<svg ", 5) == 0);
    CHECK_STR(svg_graph_text(a, "abcdef", 3), "abc…");
}

/* ---- over a database ---- */

static struct db *db;

static int64_t user(struct arena *a, const char *login, const char *name)
{
    const char *why;
    return user_store_add(db, a, login, name, ROLE_EDITOR, NULL, &why);
}

static void save(struct arena *a, const char *path, const char *title, const char *tags,
                 const char *md, int64_t author)
{
    struct page_edit e = {.path = path,
                          .title = title,
                          .markdown = md,
                          .tags = tags,
                          .summary = "",
                          .base_rev = -1,
                          .author_id = author,
                          .at = (int64_t)time(NULL)};
    int rev;
    const char *why;
    enum page_save_result r = page_store_save(db, a, &e, &rev, &why);
    CHECK(r == PAGE_CREATED || r == PAGE_UPDATED || r == PAGE_MERGED);
}

static void run(const char *sql, int64_t x, int64_t y)
{
    char *err = NULL;
    char *text = sqlite3_mprintf(sql, (long long)x, (long long)y);
    CHECK(db_exec(db, text, &err) == 0);
    if (err) fprintf(stderr, "%s\n", err), free(err);
    sqlite3_free(text);
}

static void test_database(struct arena *a)
{
    int64_t ana = user(a, "ana", "Ana Lima"), bo = user(a, "bo", "Bo <Berg> & Co");
    int64_t cy = user(a, "cy", "Cy Ng"), di = user(a, "di", "Di Ito"), ed = user(a, "ed", "Ed Oz");
    int64_t gone = user(a, "gone", "Gone Away");
    /* ana and bo wrote a page together; bo and cy another; cy's manager is di; ed is in a
     * community with di; ana endorsed ed; gone co-wrote with ana and left. */
    save(a, "eng/k8s", "Deploying to Kubernetes", "kubernetes, deploy",
         "# Deploying\n\nHow we deploy to the cluster with kubectl and Argo CD.\n", ana);
    save(a, "eng/k8s", "Deploying to Kubernetes", "kubernetes, deploy",
         "# Deploying\n\nHow we deploy to the cluster with kubectl and Argo CD.\n\nRoll back with "
         "argocd app rollback.\n",
         bo);
    save(a, "eng/db", "Backups", "postgres", "# Backups\n\nNightly pg_dump to the bucket.\n", bo);
    save(a, "eng/db", "Backups", "postgres",
         "# Backups\n\nNightly pg_dump to the bucket.\n\nRestore drills every quarter.\n", cy);
    save(a, "eng/old", "Old notes", "", "# Old\n\nNotes.\n", gone);
    save(a, "eng/old", "Old notes", "", "# Old\n\nNotes.\n\nMore notes from Ana.\n", ana);
    run("UPDATE profiles SET manager_id = %lld WHERE user_id = %lld", di, cy);
    run("INSERT INTO communities(id, slug, name) VALUES (1, 'python-guild', 'Python guild');"
        "INSERT INTO community_members(community_id, user_id, role, joined_at) VALUES "
        "(1, %lld, 'member', 0), (1, %lld, 'owner', 0)",
        ed, di);
    run("INSERT INTO skills(id, slug, name) VALUES (1, 'python', 'Python'), (2, 'postgresql', "
        "'PostgreSQL'); INSERT INTO skill_aliases(alias, skill_id) VALUES ('postgres', 2);"
        "INSERT INTO person_skills(user_id, skill_id, level) VALUES (%lld, 1, 3), (%lld, 2, 2)",
        ed, cy);
    run("INSERT INTO endorsements(user_id, skill_id, endorser_id, created_at) VALUES "
        "(%lld, 1, %lld, 0)",
        ed, ana);
    run("UPDATE users SET disabled = 1 WHERE id = %lld OR id = %lld", gone, gone);
    /* An HR-only field with a marker: the graph never reads it. */
    run("UPDATE profiles SET phone = 'HR-ONLY-MARKER-%lld', open_to_roles = 'HR-ONLY-MARKER-%lld'",
        1, 2);

    struct graph_person *pa = graph_store_person(db, a, "ana"),
                        *pb = graph_store_person(db, a, "bo");
    struct graph_person *pe = graph_store_person(db, a, "ed");
    CHECK(pa && pb && pe && strcmp(pb->name, "Bo <Berg> & Co") == 0);

    /* Ties: strongest first, with reasons; who left is not listed. */
    int total;
    struct graph_tie *t = graph_ties(db, a, pa, 10, &total);
    CHECK(total == 2);
    CHECK(t && t->person->id == bo && t->next && t->next->person->id == ed && !t->next->next);
    CHECK(t && t->next && t->weight >= t->next->weight);
    CHECK(t && t->reasons && t->reasons->kind == GRAPH_COWROTE);
    CHECK_CONTAINS(t ? t->reasons->text : NULL, "co-wrote Deploying to Kubernetes");
    CHECK_CONTAINS(t && t->next ? t->next->reasons->text : NULL,
                   "Ana Lima endorsed Ed Oz for Python");

    /* ana and di never wrote together: the chain goes through ed (endorsed, then the guild). */
    struct graph_person *pd = graph_store_person(db, a, "di");
    struct graph_chain *c;
    CHECK(graph_connections(db, a, pa, pd, &c) == 1);
    CHECK(c && c->steps == 2 && c->step[0].to->id == ed && !c->next);
    CHECK_CONTAINS(c && c->steps == 2 ? c->step[0].reasons->text : NULL, "endorsed Ed Oz");
    CHECK_CONTAINS(c && c->steps == 2 ? c->step[1].reasons->text : NULL, "both in Python guild");
    /* ana to cy: through bo, who wrote a page with each. */
    struct graph_person *pc = graph_store_person(db, a, "cy");
    CHECK(graph_connections(db, a, pa, pc, &c) == 1);
    CHECK(c && c->steps == 2 && c->step[0].to->id == bo);
    CHECK_CONTAINS(c && c->steps == 2 ? c->step[1].reasons->text : NULL, "co-wrote Backups");
    /* cy to di: the reporting line. */
    CHECK(graph_connections(db, a, pc, pd, &c) == 1 && c->steps == 1);
    CHECK_CONTAINS(c ? c->step[0].reasons->text : NULL, "Di Ito manages Cy Ng");

    /* What the evidence says cy knows: the tag postgres counts for the declared PostgreSQL. */
    struct graph_topic *tp = graph_person_topics(db, a, cy, 10);
    CHECK(tp && strcmp(tp->name, "PostgreSQL") == 0 && tp->level == 2 && tp->pages == 1);
    CHECK(tp && tp->written > 0 && tp->written < 1);
    const char *name;
    struct graph_knower *k = graph_topic_people(db, a, "postgresql", 10, &name);
    CHECK_STR(name, "PostgreSQL");
    CHECK(k && k->person->id == cy && k->next && k->next->person->id == bo && !k->next->next);

    /* Pictures: parse as XML, name people escaped, never show an HR-only field. */
    struct graph_picture *pics[3] = {graph_picture_person(db, a, pa),
                                     graph_picture_topic(db, a, "kubernetes"),
                                     graph_picture_department(db, a, 1, "None")};
    for (int i = 0; i < 3; i++) {
        CHECK(pics[i] != NULL);
        if (!pics[i]) continue;
        const char *svg = svg_graph_write(a, pics[i], 1);
        xmlDocPtr doc = xmlReadMemory(svg, (int)strlen(svg), "g.svg", NULL, XML_PARSE_NONET);
        CHECK(doc != NULL);
        xmlFreeDoc(doc);
        CHECK(!strstr(svg, "HR-ONLY-MARKER"));
        if (i < 2) CHECK_CONTAINS(svg, "Bo &lt;Berg&gt; &amp; Co");
    }
    CHECK(pics[0] && pics[0]->n == 3); /* ana, bo and ed; not who left */

    struct graph_dept_map map;
    CHECK(graph_department_map(db, a, &map) == 0); /* nobody has a department: empty, no error */
    CHECK(!map.topics && !map.links);
}

int main(void)
{
    xmlInitParser();
    markdown_init();
    struct arena *a = arena_new();
    test_paths(a);
    test_sort_and_cap(a);
    test_layout(a);

    struct testdb tdb;
    db = testdb_open(&tdb);
    test_database(a);
    db_close(db);
    testdb_remove(&tdb);
    arena_free(a);
    xmlCleanupParser();
    DONE();
}
