#include "people/graph_http.h"
#include "markup/url.h"
#include "people/graph.h"
#include "people/graph_store.h"
#include "markup/html.h"
#include "http/layout.h"
#include "people/org_store.h"
#include "people/svg_graph.h"

#include <stdlib.h>
#include <string.h>

enum { TIES_LIMIT_DEFAULT = 20, TIES_LIMIT_MAX = 100, PROFILE_TIES = 5, PROFILE_TOPICS = 8 };

static const char *const kind_names[GRAPH_KINDS] = {"cowrote", "endorsed", "manager", "community"};
static const char *const level_names[] = {NULL, "learning", "practised", "expert"};

static int no_person(struct req *r, const char *login)
{
    return resp_error(r, 404, arena_printf(r->a, "nobody has the login %s", login));
}

/* Returns a link to a topic's picture page: /graph?topic=TOPIC, in a. */
static const char *topic_url(struct arena *a, const char *topic)
{
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "/graph?topic=");
    html_url_query(&b, topic);
    return arena_adopt(a, buf_take(&b));
}

/* Sends a picture as an image of its own. */
static int send_svg(struct req *r, const struct graph_picture *p, const char *filename)
{
    if (!p) return resp_error(r, 503, "the graph could not be read; try again");
    const char *svg = svg_graph_write(r->a, p, 1);
    /* ken draws this itself, but it is only ever an image: no script runs in it, even opened on
     * its own. */
    resp_header(r, "Content-Security-Policy", "default-src 'none'; sandbox");
    resp_header(r, "Content-Disposition", arena_printf(r->a, "inline; filename=\"%s\"", filename));
    resp_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    resp_header(r, "Cache-Control", "private, no-cache");
    return resp_send(r, 200, "image/svg+xml", svg, strlen(svg));
}

/* ---- JSON ---- */

static json_t *person_json_url(struct arena *a, const struct graph_person *p)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "login", p->login, "name", p->name,
                     "title", p->job, "department", p->dept_slug, "department_name", p->dept_name,
                     "left", p->left, "url", url_person(a, p->login));
}

static json_t *reasons_json(const struct graph_reason *r)
{
    json_t *arr = json_array();
    for (; r; r = r->next)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s?}", "kind", kind_names[r->kind],
                                             "text", r->text, "url", r->href));
    return arr;
}

static json_t *kinds_json(const double w[GRAPH_KINDS])
{
    json_t *o = json_object();
    for (int k = 0; k < GRAPH_KINDS; k++)
        json_object_set_new(o, kind_names[k], json_real(w[k]));
    return o;
}

/* ---- who someone knows ---- */

/* Reads the ties of the person the route's LOGIN names, at most ?limit (1-100); NULL with the
 * status of the 400 or 404 sent in *sent (0 otherwise: NULL is then no ties). */
static struct graph_tie *read_ties(struct req *r, struct graph_person **p, long *limit,
                                   int *total, int *sent)
{
    const char *why;
    *p = graph_store_person(r->db, r->a, r->rest);
    *sent = !*p ? no_person(r, r->rest)
            : req_int(r, "limit", TIES_LIMIT_DEFAULT, 1, TIES_LIMIT_MAX, limit, &why)
                ? resp_error(r, 400, why)
                : 0;
    return *sent ? NULL : graph_ties(r->db, r->a, *p, *limit, total);
}

/* API: GET /api/people/LOGIN/ties?limit=N -> 200 {login, name, total, ties: [{login, name,
 * title, department, department_name, left, url, weight, kinds: {cowrote, endorsed, manager,
 * community}, reasons: [{kind, text, url}]}]}, strongest first; 400 bad limit (1-100); 404 */
int graph_api_ties(struct req *r)
{
    struct graph_person *p;
    long limit;
    int total, sent;
    struct graph_tie *ties = read_ties(r, &p, &limit, &total, &sent);
    if (sent) return sent;
    json_t *arr = json_array();
    for (struct graph_tie *t = ties; t; t = t->next) {
        json_t *o = person_json_url(r->a, t->person);
        json_object_set_new(o, "weight", json_real(t->weight));
        json_object_set_new(o, "kinds", kinds_json(t->w));
        json_object_set_new(o, "reasons", reasons_json(t->reasons));
        json_array_append_new(arr, o);
    }
    return resp_json(r, 200,
                     json_pack("{s:s, s:s, s:i, s:o}", "login", p->login, "name", p->name, "total",
                               total, "ties", arr));
}

/* API: GET /api/people/LOGIN/topics -> 200 {login, name, topics: [{name, skill, tag, written,
 * pages, level, strength, why}]}: what the evidence says they know, strongest first; 404 */
int graph_api_topics(struct req *r)
{
    const char *login = r->rest;
    struct graph_person *p = graph_store_person(r->db, r->a, login);
    if (!p) return no_person(r, login);
    json_t *arr = json_array();
    for (struct graph_topic *t = graph_person_topics(r->db, r->a, p->id, 30); t; t = t->next)
        json_array_append_new(
            arr, json_pack("{s:s, s:s?, s:s?, s:f, s:i, s:s?, s:f, s:s}", "name", t->name, "skill",
                           *t->slug ? t->slug : NULL, "tag", *t->tag ? t->tag : NULL, "written",
                           t->written, "pages", t->pages, "level", level_names[t->level],
                           "strength", t->strength, "why", graph_topic_why(r->a, t)));
    return resp_json(
        r, 200, json_pack("{s:s, s:s, s:o}", "login", p->login, "name", p->name, "topics", arr));
}

static void topic_items(struct req *r, struct tvars *v, int64_t user_id, int limit)
{
    tv_list(v, "graph_topics");
    int n = 0;
    for (struct graph_topic *t = graph_person_topics(r->db, r->a, user_id, limit); t; t = t->next) {
        struct tvars *i = tv_item(v, "graph_topics");
        tv_text(i, "topic_name", t->name);
        tv_text(i, "topic_href", topic_url(r->a, *t->slug ? t->slug : t->tag));
        tv_text(i, "topic_why", graph_topic_why(r->a, t));
        n++;
    }
    tv_bool(v, "has_graph_topics", n > 0);
}

void graph_profile_vars(struct req *r, struct tvars *v, int64_t user_id)
{
    topic_items(r, v, user_id, PROFILE_TOPICS);
    tv_list(v, "graph_ties");
    struct graph_person *p = NULL;
    int64_t id = user_id;
    if (graph_store_people(r->db, r->a, &id, 1, &p) != 0 || !p) {
        tv_bool(v, "has_graph_ties", 0);
        return;
    }
    int total;
    struct graph_tie *t = graph_ties(r->db, r->a, p, PROFILE_TIES, &total);
    tv_bool(v, "has_graph_ties", t != NULL);
    for (; t; t = t->next) {
        struct tvars *i = tv_item(v, "graph_ties");
        tv_text(i, "tie_login", t->person->login);
        tv_text(i, "tie_name", t->person->name);
        tv_text(i, "tie_why", t->reasons ? t->reasons->text : "");
    }
}

static void tie_items(struct req *r, struct tvars *v, const char *list, struct graph_tie *t)
{
    tv_list(v, list);
    for (; t; t = t->next) {
        struct tvars *i = tv_item(v, list);
        tv_text(i, "href", url_person(r->a, t->person->login));
        tv_text(i, "label", t->person->name);
        tv_text(i, "detail", *t->person->job ? t->person->job : t->person->dept_name);
        tv_text(i, "strength", arena_printf(r->a, "%.2f", t->weight));
        tv_bool(i, "has_reasons", t->reasons != NULL);
        tv_list(i, "reasons");
        for (struct graph_reason *x = t->reasons; x; x = x->next) {
            struct tvars *ri = tv_item(i, "reasons");
            tv_text(ri, "text", x->text);
            tv_text(ri, "url", x->href ? x->href : "");
        }
    }
}

/* WEBPAGE: GET /people/LOGIN/ties?limit=N -> 200 who LOGIN knows: their strongest ties, each
 * with why, and what the evidence says they know; 400 bad limit; 404 */
int graph_ties_page(struct req *r)
{
    struct graph_person *p;
    long limit;
    int total, sent;
    struct graph_tie *ties = read_ties(r, &p, &limit, &total, &sent);
    if (sent) return sent;
    struct tvars *v = layout_vars(r);
    tv_text(v, "login", p->login);
    tv_text(v, "person_name", p->name);
    tv_bool(v, "is_self", r->user && r->user->id == p->id);
    tie_items(r, v, "ties", ties);
    tv_int(v, "total", total);
    tv_bool(v, "has_more", total > limit);
    topic_items(r, v, p->id, 12);
    return layout_page(r, 200, arena_printf(r->a, "Who %s knows", p->name), "graph_ties", v);
}

/* WEBPAGE: GET /people/LOGIN/graph.svg -> 200 image/svg+xml: LOGIN and the people they are tied
 * to, drawn (at most 40 nodes; the rest as "+N more"); 404 */
int graph_person_svg(struct req *r)
{
    const char *login = r->rest;
    struct graph_person *p = graph_store_person(r->db, r->a, login);
    if (!p) return no_person(r, login);
    return send_svg(r, graph_picture_person(r->db, r->a, p), "graph.svg");
}

/* ---- how two people are connected ---- */

struct ends {
    struct graph_person *from, *to;
};

/* Finds the two people of a connections request: `to`, and `from` (the viewer when left out).
 * Returns 0, or an HTTP status with *why. */
static int find_ends(struct req *r, struct ends *e, const char **why)
{
    const char *to = req_param(r, "to"), *from = req_param(r, "from");
    if (!to || !*to) {
        *why = "say whom: ?to=LOGIN (and from=LOGIN, or it starts from you)";
        return 400;
    }
    e->to = graph_store_person(r->db, r->a, to);
    e->from = graph_store_person(r->db, r->a, from && *from ? from : r->user->login);
    if (!e->to || !e->from) {
        *why = arena_printf(r->a, "nobody has the login %s", !e->to ? to : from);
        return 404;
    }
    if (e->to->id == e->from->id) {
        *why = "that is the same person at both ends";
        return 400;
    }
    return 0;
}

/* API: GET /api/connections?to=LOGIN&from=LOGIN -> 200 {from, to, max_steps, chains: [{steps,
 * strength, people: [{login, name, ...}], links: [{from, to, weight, reasons: [{kind, text,
 * url}]}]}]}: the shortest chains of colleagues (up to 3, strongest first; none within 6 steps:
 * an empty list); from defaults to the caller; 400 no `to`, or the same person; 404 */
int graph_api_connections(struct req *r)
{
    struct ends e;
    const char *why;
    int status = find_ends(r, &e, &why);
    if (status) return resp_error(r, status, why);
    struct graph_chain *chains;
    if (graph_connections(r->db, r->a, e.from, e.to, &chains) < 0)
        return resp_error(r, 503, "the graph could not be read; try again");
    json_t *arr = json_array();
    for (struct graph_chain *c = chains; c; c = c->next) {
        json_t *people = json_array(), *links = json_array();
        json_array_append_new(people, person_json_url(r->a, c->step[0].from));
        for (int i = 0; i < c->steps; i++) {
            const struct graph_step *s = &c->step[i];
            json_array_append_new(people, person_json_url(r->a, s->to));
            json_array_append_new(links, json_pack("{s:s, s:s, s:f, s:o}", "from", s->from->login,
                                                   "to", s->to->login, "weight", s->weight,
                                                   "reasons", reasons_json(s->reasons)));
        }
        json_array_append_new(arr, json_pack("{s:i, s:f, s:o, s:o}", "steps", c->steps, "strength",
                                             c->strength, "people", people, "links", links));
    }
    return resp_json(r, 200,
                     json_pack("{s:o, s:o, s:i, s:o}", "from", person_json_url(r->a, e.from), "to",
                               person_json_url(r->a, e.to), "max_steps", GRAPH_DEPTH_MAX, "chains",
                               arr));
}

/* WEBPAGE: GET /connections?to=LOGIN&from=LOGIN -> 200 how you (or `from`) are connected to
 * LOGIN: up to three shortest chains of colleagues, each step saying why; a form when `to` is
 * missing; 400 the same person; 404 */
int graph_connections_page(struct req *r)
{
    struct tvars *v = layout_vars(r);
    const char *to = req_param(r, "to"), *from = req_param(r, "from");
    tv_text(v, "to", to ? to : "");
    tv_text(v, "from", from ? from : "");
    tv_bool(v, "asked", to && *to);
    tv_list(v, "chains");
    tv_text(v, "from_name", "");
    tv_text(v, "to_name", "");
    tv_text(v, "to_login", "");
    if (!to || !*to) return layout_page(r, 200, "How am I connected?", "connections", v);
    struct ends e;
    const char *why;
    int status = find_ends(r, &e, &why);
    if (status) return resp_error(r, status, why);
    struct graph_chain *chains;
    int found = graph_connections(r->db, r->a, e.from, e.to, &chains);
    if (found < 0) return resp_error(r, 503, "the graph could not be read; try again");
    tv_text(v, "from_name", e.from->name);
    tv_text(v, "to_name", e.to->name);
    tv_text(v, "to_login", e.to->login);
    tv_int(v, "max_steps", GRAPH_DEPTH_MAX);
    int n = 0;
    for (struct graph_chain *c = chains; c; c = c->next) {
        struct tvars *ci = tv_item(v, "chains");
        tv_int(ci, "number", ++n);
        tv_int(ci, "steps", c->steps);
        tv_bool(ci, "one", c->steps == 1);
        tv_text(ci, "strength", arena_printf(r->a, "%.0f%%", 100 * c->strength));
        tv_list(ci, "links");
        for (int i = 0; i < c->steps; i++) {
            const struct graph_step *s = &c->step[i];
            struct tvars *si = tv_item(ci, "links");
            tv_text(si, "a_login", s->from->login);
            tv_text(si, "a_name", s->from->name);
            tv_text(si, "b_login", s->to->login);
            tv_text(si, "b_name", s->to->name);
            tv_text(si, "b_detail", *s->to->job ? s->to->job : s->to->dept_name);
            tv_list(si, "reasons");
            for (struct graph_reason *x = s->reasons; x; x = x->next) {
                struct tvars *ri = tv_item(si, "reasons");
                tv_text(ri, "text", x->text);
                tv_text(ri, "url", x->href ? x->href : "");
            }
        }
    }
    return layout_page(r, 200,
                       arena_printf(r->a, "How %s is connected to %s", e.from->name, e.to->name),
                       "connections", v);
}

/* ---- pictures inside pages ---- */

static void node_items(struct req *r, struct tvars *v, const struct graph_picture *p)
{
    tv_list(v, "nodes");
    for (int i = 0; i < p->n; i++) {
        const struct graph_node *n = &p->nodes[i];
        if (n->kind == GRAPH_NODE_MORE || n->kind == GRAPH_NODE_CENTER) continue;
        struct tvars *it = tv_item(v, "nodes");
        tv_text(it, "href", n->href ? n->href : "");
        tv_text(it, "label", n->label);
        tv_text(it, "detail", n->detail ? n->detail : "");
        tv_text(it, "strength", arena_printf(r->a, "%.2f", n->strength));
        tv_bool(it, "has_reasons", 0);
        tv_list(it, "reasons");
    }
}

/* WEBPAGE: GET /graph?person=LOGIN | ?topic=TOPIC | ?dept=SLUG -> 200 the picture of a
 * person's, a topic's or a department's neighbourhood, inline (ken draws all of it; every label
 * escaped by the XML writer), with the people in it as a plain list of links below; 400 none of
 * the three; 404 */
int graph_page(struct req *r)
{
    const char *person = req_param(r, "person"), *topic = req_param(r, "topic");
    const char *dept = req_param(r, "dept");
    struct tvars *v = layout_vars(r);
    struct graph_picture *p = NULL;
    const char *heading, *intro, *svg_url;
    tv_text(v, "person_login", "");
    if (person && *person) {
        struct graph_person *who = graph_store_person(r->db, r->a, person);
        if (!who) return no_person(r, person);
        p = graph_picture_person(r->db, r->a, who);
        int total;
        heading = arena_printf(r->a, "Who %s knows", who->name);
        intro = "The colleagues they are tied to, strongest first, and why.";
        svg_url = arena_printf(r->a, "/people/%s/graph.svg", who->login);
        tie_items(r, v, "nodes", graph_ties(r->db, r->a, who, GRAPH_NODES_MAX - 2, &total));
        tv_text(v, "person_login", who->login);
        tv_bool(v, "is_self", r->user->id == who->id);
    } else if (topic && *topic) {
        const char *name;
        p = graph_picture_topic(r->db, r->a, topic);
        heading = p ? p->title : "";
        intro = "People whose writing (their share of pages with the tag) or declared skills say "
                "they know it, and how they are tied to each other.";
        struct buf b;
        buf_init(&b, 0);
        buf_puts(&b, "/topics/");
        html_url_path(&b, topic);
        buf_puts(&b, "/graph.svg");
        svg_url = arena_adopt(r->a, buf_take(&b));
        tv_list(v, "nodes");
        for (struct graph_knower *k =
                 graph_topic_people(r->db, r->a, topic, GRAPH_NODES_MAX - 1, &name);
             k; k = k->next) {
            struct tvars *it = tv_item(v, "nodes");
            tv_text(it, "href", url_person(r->a, k->person->login));
            tv_text(it, "label", k->person->name);
            tv_text(it, "detail", *k->person->job ? k->person->job : k->person->dept_name);
            tv_text(it, "strength", arena_printf(r->a, "%.2f", k->strength));
            tv_bool(it, "has_reasons", 1);
            tv_list(it, "reasons");
            struct graph_topic t = {
                .written = k->written, .pages = k->pages, .level = k->level, .tag = topic};
            struct tvars *ri = tv_item(it, "reasons");
            tv_text(ri, "text", graph_topic_why(r->a, &t));
            tv_text(ri, "url", "");
        }
    } else if (dept && *dept) {
        struct org_unit *d = org_store_department(r->db, r->a, dept);
        if (!d) return resp_error(r, 404, arena_printf(r->a, "there is no department %s", dept));
        p = graph_picture_department(r->db, r->a, d->id, d->name);
        heading = p ? p->title : "";
        intro = "Its people, their ties to each other, and the departments they work with most.";
        svg_url = arena_printf(r->a, "/departments/%s/graph.svg", d->slug);
        if (p) node_items(r, v, p);
    } else {
        return resp_error(r, 400,
                          "say what to draw: /graph?person=LOGIN, ?topic=TOPIC or "
                          "?dept=SLUG");
    }
    if (!p) return resp_error(r, 503, "the graph could not be read; try again");
    tv_text(v, "heading", heading);
    tv_text(v, "intro", intro);
    tv_text(v, "svg_url", svg_url);
    tv_html(v, "svg", svg_graph_write(r->a, p, 0));
    tv_int(v, "more", p->more);
    tv_bool(v, "has_more", p->more > 0);
    return layout_page(r, 200, heading, "graph", v);
}

/* WEBPAGE: GET /topics/TOPIC -> 303 to /graph?topic= */
int graph_topic_get(struct req *r)
{
    if (!*r->rest) return resp_error(r, 404, "name a topic: /topics/TOPIC/graph.svg");
    return resp_redirect(r, topic_url(r->a, r->rest));
}

/* WEBPAGE: GET /topics/TOPIC/graph.svg -> 200 image/svg+xml: who knows TOPIC (a tag, or a skill
 * by name, slug or alias) and how they are tied */
int graph_topic_svg(struct req *r)
{
    if (!*r->rest) return resp_error(r, 404, "name a topic: /topics/TOPIC/graph.svg");
    return send_svg(r, graph_picture_topic(r->db, r->a, r->rest), "graph.svg");
}

/* ---- departments ---- */

static void map_vars(struct req *r, struct tvars *v, const struct graph_dept_map *m)
{
    tv_list(v, "dept_topics");
    const char *last = NULL;
    struct tvars *d = NULL;
    for (struct graph_dept_topic *t = m->topics; t; t = t->next) {
        if (!last || strcmp(last, t->dept_slug) != 0) {
            d = tv_item(v, "dept_topics");
            tv_text(d, "dept_slug", t->dept_slug);
            tv_text(d, "dept_name", t->dept_name);
            tv_list(d, "topics");
            last = t->dept_slug;
        }
        struct tvars *i = tv_item(d, "topics");
        tv_text(i, "topic", t->topic);
        tv_text(i, "href", topic_url(r->a, *t->skill_slug ? t->skill_slug : t->topic));
        tv_text(i, "share",
                t->share > 0 ? arena_printf(r->a, "%.0f%% (%d page%s)", 100 * t->share, t->pages,
                                            t->pages == 1 ? "" : "s")
                             : "");
        tv_text(i, "declared",
                t->declared ? arena_printf(r->a, "%d (%d expert%s)", t->declared, t->experts,
                                           t->experts == 1 ? "" : "s")
                            : "");
        tv_text(i, "strength", arena_printf(r->a, "%.2f", t->strength));
        tv_int(i, "bar", (long long)(t->strength > 4 ? 100 : t->strength * 25));
    }
    tv_list(v, "links");
    for (struct graph_dept_link *l = m->links; l; l = l->next) {
        struct tvars *i = tv_item(v, "links");
        tv_text(i, "a_slug", l->a_slug);
        tv_text(i, "a_name", l->a_name);
        tv_text(i, "b_slug", l->b_slug);
        tv_text(i, "b_name", l->b_name);
        tv_int(i, "pages", l->pages);
        tv_text(i, "cowrote", arena_printf(r->a, "%.2f", l->cowrote));
        tv_int(i, "endorsements", l->endorsements);
        tv_text(i, "strength", arena_printf(r->a, "%.2f", l->strength));
    }
    tv_list(v, "reliance");
    for (struct graph_reliance *x = m->reliance; x; x = x->next) {
        struct tvars *i = tv_item(v, "reliance");
        tv_text(i, "topic", x->topic);
        tv_text(i, "href", topic_url(r->a, *x->skill_slug ? x->skill_slug : x->topic));
        tv_text(i, "user_slug", x->user_slug);
        tv_text(i, "user_name", x->user_name);
        tv_text(i, "user_share", arena_printf(r->a, "%.0f%%", 100 * x->user_share));
        tv_text(i, "holder_slug", x->holder_slug);
        tv_text(i, "holder_name", x->holder_name);
        tv_text(i, "holder_share", arena_printf(r->a, "%.0f%%", 100 * x->holder_share));
    }
}

/* WEBPAGE: GET /departments/map -> 200 which departments know which topics, how strongly
 * departments are tied by co-writing and endorsements, and the topics where one relies on
 * another */
int graph_map_page(struct req *r)
{
    struct graph_dept_map m;
    if (graph_department_map(r->db, r->a, &m) != 0)
        return resp_error(r, 503, "the map could not be read; try again");
    struct tvars *v = layout_vars(r);
    map_vars(r, v, &m);
    return layout_page(r, 200, "Departments: who knows what", "departments_map", v);
}

/* API: GET /api/departments/map -> 200 {topics: [{department, department_name, topic, skill,
 * share, pages, declared, experts, strength}], links: [{a, a_name, b, b_name, cowrote, pages,
 * endorsements, strength}], reliance: [{topic, skill, department, department_name, share, holder,
 * holder_name, holder_share}]} */
int graph_api_departments_map(struct req *r)
{
    struct graph_dept_map m;
    if (graph_department_map(r->db, r->a, &m) != 0)
        return resp_error(r, 503, "the map could not be read; try again");
    json_t *topics = json_array(), *links = json_array(), *rel = json_array();
    for (struct graph_dept_topic *t = m.topics; t; t = t->next)
        json_array_append_new(
            topics,
            json_pack("{s:s, s:s, s:s, s:s?, s:f, s:i, s:i, s:i, s:f}", "department", t->dept_slug,
                      "department_name", t->dept_name, "topic", t->topic, "skill",
                      *t->skill_slug ? t->skill_slug : NULL, "share", t->share, "pages", t->pages,
                      "declared", t->declared, "experts", t->experts, "strength", t->strength));
    for (struct graph_dept_link *l = m.links; l; l = l->next)
        json_array_append_new(links,
                              json_pack("{s:s, s:s, s:s, s:s, s:f, s:i, s:i, s:f}", "a", l->a_slug,
                                        "a_name", l->a_name, "b", l->b_slug, "b_name", l->b_name,
                                        "cowrote", l->cowrote, "pages", l->pages, "endorsements",
                                        l->endorsements, "strength", l->strength));
    for (struct graph_reliance *x = m.reliance; x; x = x->next)
        json_array_append_new(rel, json_pack("{s:s, s:s?, s:s, s:s, s:f, s:s, s:s, s:f}", "topic",
                                             x->topic, "skill",
                                             *x->skill_slug ? x->skill_slug : NULL, "department",
                                             x->user_slug, "department_name", x->user_name, "share",
                                             x->user_share, "holder", x->holder_slug, "holder_name",
                                             x->holder_name, "holder_share", x->holder_share));
    return resp_json(
        r, 200, json_pack("{s:o, s:o, s:o}", "topics", topics, "links", links, "reliance", rel));
}

/* WEBPAGE: GET /departments/SLUG/graph.svg -> 200 image/svg+xml: the department's people, their
 * ties, and the departments they are most tied to; 404 */
int graph_department_svg(struct req *r)
{
    const char *slug = r->rest;
    struct org_unit *d = org_store_department(r->db, r->a, slug);
    if (!d) return resp_error(r, 404, "there is no such department (see /departments)");
    return send_svg(r, graph_picture_department(r->db, r->a, d->id, d->name), "graph.svg");
}

