#include "search/search_http.h"
#include "markup/html.h"
#include "expertise/expertise.h"
#include "http/layout.h"
#include "search/people_search_store.h"
#include "questions/question_store.h"
#include "core/metrics.h"
#include "search/search_log.h"
#include "search/search_spell.h"
#include "search/search_store.h"
#include "search/query_read.h"
#include "wiki/wikipath.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
    PAGE_SIZE = 20,
    SIDE_PEOPLE = 5,     /* people cards beside the pages */
    SIDE_EXPERTS = 3,    /* "People who know" beside the pages */
    API_PEOPLE = 10,     /* people in an API answer, unless it asks for people alone */
    SUGGEST_MAX = 8,
    SUGGEST_PEOPLE = 3,
    SPELL_BELOW = 3,     /* fewer results than this: look for misspelt words */
    REPORT_DAYS = 30,
    REPORT_ROWS = 50,
    BRIDGE_PAGES = 5,    /* the first results the bridge reads */
    BRIDGE_DEFAULT = 0,  /* bridge=1: always, 2: when no page has every word, 0: never */
};

static int int_param(struct req *r, const char *name, int dflt, int lo, int hi)
{
    const char *s = req_param(r, name);
    int v = s && *s ? atoi(s) : dflt;
    return v < lo ? lo : v > hi ? hi : v;
}

static int flag_param(struct req *r, const char *name, int dflt)
{
    const char *s = req_param(r, name);
    return s && *s ? strcmp(s, "0") != 0 : dflt;
}

/* A search as both the page and the API run it. */
struct search {
    const char *typed;     /* q as sent ("" when none) */
    const char *shown;     /* the query the results are for: typed, or its correction */
    const char *suggested; /* a corrected query to offer, or NULL */
    int corrected;         /* the results are for `suggested`: typed found nothing */
    struct search_query sq; /* shown, parsed */
    struct search_result res;
    struct people_result people;
};

/* What a search asks for: a page of results and the people beside them (people_limit 0: none),
 * or, with type:person, pages of people alone. */
struct wanted {
    int limit, offset, facets;
    int people_limit, people_offset;
};

/* Finds the pages for sq: from the results cache unless the request says Cache-Control:
 * no-cache (as a browser's hard reload does, and tests/bench/search to measure searching). */
static int find(struct req *r, const struct search_query *sq, int limit, int offset, int facets,
                struct search_result *res)
{
    const char *cc = req_header(r, "Cache-Control");
    if (cc && strstr(cc, "no-cache"))
        return search_store_pages(r->db, r->a, sq, limit, offset, facets, res);
    return search_store_pages_cached(r->db, r->a, sq, limit, offset, facets, res);
}

/* Finds the pages and the people for sq into s->res and s->people. Returns 0 or -1. */
static int find_all(struct req *r, const struct wanted *w, struct search *s)
{
    int rc = find(r, &s->sq, w->limit, w->offset, w->facets, &s->res);
    if (people_search_store_find(r->db, r->a, r->user, &s->sq, w->people_limit, w->people_offset,
                           w->facets, &s->people) != 0)
        rc = -1;
    return rc;
}

/* Pages and people found: what spelling suggestions weigh. */
static int found(const struct search *s)
{
    return s->res.total + s->people.total;
}

/* Runs the query q, read by query_read: pages by ranked partial matching on its telling words
 * (with their synonyms, and unknown words corrected unless as_typed), people and questions
 * holding all of the telling words (any of them when nobody holds all), facets, and a
 * spelling suggestion when few are found. */
static void run(struct req *r, const char *q, int as_typed, const struct wanted *w,
                struct search *s)
{
    memset(s, 0, sizeof *s);
    s->typed = s->shown = q ? q : "";
    struct query_reading rd;
    if (query_read_as(r->db, r->a, s->typed, !as_typed, &rd) != 0)
        fprintf(stderr, "ken: reading the search \"%s\" failed: %s\n", s->typed,
                db_errmsg(r->db));
    s->sq = rd.sq;
    if (!r->user) /* public reading: people filters would tell who wrote what in which team */
        s->sq.author = s->sq.dept = s->sq.skill = NULL;
    if (rd.fts_all)
        s->sq.fts = rd.fts_all; /* people and questions: the telling words, with synonyms */
    if (*s->typed)
        metrics_search();
    if (find_all(r, w, s) != 0)
        fprintf(stderr, "ken: search for \"%s\" failed: %s\n", s->typed, db_errmsg(r->db));
    int bridge = int_param(r, "bridge", BRIDGE_DEFAULT, 0, 2);
    if (bridge && !as_typed && s->res.hits && (bridge == 1 || s->res.partial)) {
        int64_t ids[BRIDGE_PAGES];
        int n = 0;
        for (const struct search_hit *h = s->res.hits; h && n < BRIDGE_PAGES; h = h->next)
            ids[n++] = h->id;
        struct search_result wider;
        if (query_read_bridge(r->db, r->a, &rd, ids, n) > 0) {
            struct search_query sq = s->sq;
            sq.ranked = rd.sq.ranked;
            if (find(r, &sq, w->limit, w->offset, w->facets, &wider) == 0) {
                wider.partial = s->res.partial;
                s->res = wider;
            }
        }
    }
    if (s->people.total == 0 && rd.telling > 1 && rd.fts_any && w->people_limit > 0) {
        struct search_query any = s->sq;
        any.fts = rd.fts_any;
        if (people_search_store_find(r->db, r->a, r->user, &any, w->people_limit, w->people_offset,
                               w->facets, &s->people) != 0)
            fprintf(stderr, "ken: people search for \"%s\" failed\n", s->typed);
    }
    if (rd.corrected) { /* the results hold the corrected words too */
        s->suggested = s->shown = rd.corrected;
        s->corrected = 1;
        return;
    }
    if (as_typed || !s->sq.fts || !s->sq.nwords)
        return;
    if (found(s) < SPELL_BELOW &&
        (s->suggested = search_spell_vocabulary(r->db, r->a, s->typed, &s->sq)) != NULL) {
        struct search fixed; /* offered only when it finds more */
        memset(&fixed, 0, sizeof fixed);
        query_read_as(r->db, r->a, s->suggested, 0, &rd);
        fixed.sq = rd.sq;
        if (rd.fts_all)
            fixed.sq.fts = rd.fts_all;
        if (find_all(r, w, &fixed) != 0 || found(&fixed) <= found(s))
            s->suggested = NULL;
    }
    if (!s->suggested && s->res.hits)
        s->suggested = search_spell_results(r->db, r->a, s->typed, &s->sq, s->res.hits);
}

/* Returns "/search?q=Q" (and &as_typed=1, &page=N when page > 1), in a. */
static const char *search_href(struct arena *a, const char *q, int as_typed, int page)
{
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "/search?q=");
    html_url_query(&b, q);
    if (as_typed)
        buf_puts(&b, "&as_typed=1");
    if (page > 1)
        buf_printf(&b, "&page=%d", page);
    return arena_adopt(a, buf_take(&b));
}

static const char *snippet_html(struct arena *a, const char *marked)
{
    struct buf b;
    buf_init(&b, 0);
    html_snippet(&b, marked);
    return arena_adopt(a, buf_take(&b));
}

/* The facets: the pages' four, then the people found by department. */
enum { FACET_DEPT = SEARCH_FACETS, FACETS };
static const char *const FACET_KEYS[FACETS] = {"space", "tag", "author", "updated", "dept"};
static const char *const FACET_NAMES[FACETS] = {"Space", "Tag", "Author", "Updated",
                                                "People by department"};

/* The value of filter `kind` in the query, or NULL. */
static const char *active_filter(const struct search_query *sq, int kind)
{
    const char *const v[FACETS] = {sq->space, sq->tag, sq->author, sq->updated, sq->dept};
    return v[kind];
}

/* The values of facet `kind` found by s. */
static const struct search_facet *facet_values(const struct search *s, int kind)
{
    return kind == FACET_DEPT ? s->people.depts : s->res.facets[kind];
}

/* Adds list "facets" to v: per facet a name and its values, each a link that adds the filter
 * to the query (the active one a link that takes it out). */
static void facet_vars(struct req *r, struct tvars *v, const struct search *s, int as_typed)
{
    tv_list(v, "facets");
    int any = 0;
    for (int k = 0; k < FACETS; k++) {
        if (!r->user && (k == SEARCH_FACET_AUTHOR || k == FACET_DEPT))
            continue; /* people facets are for signed-in readers, as people filters are */
        const char *active = active_filter(&s->sq, k);
        if (!facet_values(s, k) && !active)
            continue;
        any = 1;
        struct tvars *g = tv_item(v, "facets");
        tv_text(g, "facet", FACET_NAMES[k]);
        tv_list(g, "values");
        int shown_active = 0;
        for (const struct search_facet *f = facet_values(s, k); f; f = f->next) {
            struct tvars *i = tv_item(g, "values");
            int on = active && strcmp(active, f->value) == 0;
            shown_active |= on;
            tv_text(i, "label", f->label);
            tv_int(i, "count", f->count);
            tv_bool(i, "active", on);
            const char *q = search_query_set(r->a, s->shown, FACET_KEYS[k], on ? NULL : f->value);
            tv_text(i, "href", search_href(r->a, q, as_typed, 1));
        }
        if (active && !shown_active) { /* a filter that matches nothing can still be removed */
            struct tvars *i = tv_item(g, "values");
            tv_text(i, "label", active);
            tv_int(i, "count", 0);
            tv_bool(i, "active", 1);
            const char *q = search_query_set(r->a, s->shown, FACET_KEYS[k], NULL);
            tv_text(i, "href", search_href(r->a, q, as_typed, 1));
        }
    }
    tv_bool(v, "has_facets", any);
}

/* Returns the /search/click address that records opening `path` from the results of q. */
static const char *click_href(struct arena *a, const char *q, const char *path)
{
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "/search/click?q=");
    html_url_query(&b, q);
    buf_puts(&b, "&to=");
    html_url_query(&b, path);
    return arena_adopt(a, buf_take(&b));
}

/* Returns 1 when the query asks for people alone (type:person). */
static int people_only(const struct search_query *sq)
{
    return sq->type && strcmp(sq->type, "person") == 0;
}

/* What a search for page `page` (from 1) of the search page asks for. */
static struct wanted page_wants(struct req *r, const char *q, int page)
{
    struct search_query sq;
    search_query_parse(r->a, q, &sq);
    int alone = people_only(&sq);
    int offset = (page - 1) * PAGE_SIZE;
    if (alone)
        return (struct wanted){PAGE_SIZE, offset, 1, PAGE_SIZE, offset};
    return (struct wanted){PAGE_SIZE, offset, 1, page == 1 ? SIDE_PEOPLE : 0, 0};
}

/* Adds list "people_hits" to v: the people found, as compact cards. */
static void people_vars(struct req *r, struct tvars *v, const struct search *s)
{
    tv_list(v, "people_hits");
    for (const struct people_hit *p = s->people.hits; p; p = p->next) {
        struct tvars *i = tv_item(v, "people_hits");
        tv_text(i, "login", p->login);
        tv_html(i, "name_html", snippet_html(r->a, p->name_marked));
        tv_html(i, "job_html", snippet_html(r->a, p->title_marked));
        tv_text(i, "department", p->department);
        tv_text(i, "team", p->team);
        tv_html(i, "location_html", *p->location ? snippet_html(r->a, p->location_marked) : "");
        tv_text(i, "match_label", p->match_label);
        tv_html(i, "match_html", snippet_html(r->a, p->match_marked));
        tv_bool(i, "left", p->left);
    }
    int alone = people_only(&s->sq);
    tv_bool(v, "people_only", alone);
    tv_int(v, "people_total", s->people.total);
    tv_text(v, "people_word", s->people.total == 1 ? "person" : "people");
    tv_bool(v, "has_people_total", s->people.total > 0 || alone);
    int more = !alone && s->people.total > SIDE_PEOPLE;
    tv_text(v, "more_people",
            more ? search_href(r->a, search_query_set(r->a, s->shown, "type", "person"), 0, 1)
                 : "");
}

/* ---- the experts beside the results, cached like the results (search_store_pages_cached):
 * scoring people reads every matching page's authors, and a popular query asks the same. */

enum { EXPERT_SLOTS = 128, EXPERT_SECONDS = 60 };

struct side_expert {
    const char *login, *name, *title, *department, *why; /* title, department: "" when none */
    struct side_expert *next;
};

struct expert_panel {
    char *key;          /* the topic and what of the viewer the options use; NULL: free slot */
    uint64_t index;     /* search_store_index_version when it was made */
    time_t made;
    uint64_t used;      /* for evicting the least recently used */
    struct arena *mem;  /* holds key and list */
    struct side_expert *list;
};

/* Shared by every worker thread, guarded by panel_lock. */
static struct expert_panel panels[EXPERT_SLOTS];
static uint64_t panel_clock;
static pthread_mutex_t panel_lock = PTHREAD_MUTEX_INITIALIZER;

static struct side_expert *copy_panel(struct arena *a, const struct side_expert *e)
{
    struct side_expert *head = NULL, **tail = &head;
    for (; e; e = e->next) {
        struct side_expert *c = arena_alloc(a, sizeof *c);
        c->login = arena_strdup(a, e->login);
        c->name = arena_strdup(a, e->name);
        c->title = arena_strdup(a, e->title);
        c->department = arena_strdup(a, e->department);
        c->why = arena_strdup(a, e->why);
        c->next = NULL;
        *tail = c;
        tail = &c->next;
    }
    return head;
}

/* The cache key: the topic and the options, and the viewer whenever an option makes the
 * ranking depend on them (their department or time zone), so no one sees another's panel. */
static const char *panel_key(struct arena *a, const struct user *viewer, const char *topic,
                             const struct expert_options *o)
{
    int personal = o->prefer_outside_dept || o->prefer_near;
    return arena_printf(a, "%d\x1f%d\x1f%d\x1f%d\x1f%lld\x1f%lld\x1f%s", o->limit,
                        o->include_left, o->prefer_outside_dept, o->prefer_near,
                        (long long)o->now, personal && viewer ? (long long)viewer->id : 0LL,
                        topic);
}

static struct side_expert *panel_compute(struct req *r, const char *topic,
                                         const struct expert_options *o)
{
    struct side_expert *head = NULL, **tail = &head;
    for (struct expert *e = expertise_query(r->db, r->a, r->user, topic, o); e; e = e->next) {
        struct side_expert *c = arena_alloc(r->a, sizeof *c);
        *c = (struct side_expert){e->login, e->name, e->title ? e->title : "",
                                  e->department ? e->department : "", expertise_why(r->a, e),
                                  NULL};
        *tail = c;
        tail = &c->next;
    }
    return head;
}

static void panel_store(const char *key, uint64_t version, time_t now,
                        const struct side_expert *list)
{
    struct arena *mem = arena_new();
    struct expert_panel fresh = {arena_strdup(mem, key), version, now, 0, mem,
                                 copy_panel(mem, list)};
    pthread_mutex_lock(&panel_lock);
    struct expert_panel *slot = &panels[0];
    for (int i = 0; i < EXPERT_SLOTS; i++) {
        if (!panels[i].key) {
            slot = &panels[i];
            break;
        }
        if (panels[i].used < slot->used)
            slot = &panels[i];
    }
    struct arena *old = slot->mem;
    fresh.used = ++panel_clock;
    *slot = fresh;
    pthread_mutex_unlock(&panel_lock);
    if (old)
        arena_free(old);
}

/* Returns the experts on topic for the viewer of r, from the cache when the same panel was made
 * in the last minute and the index has not changed since. In r->a. */
static struct side_expert *experts_panel(struct req *r, const char *topic,
                                         const struct expert_options *o)
{
    const char *key = panel_key(r->a, r->user, topic, o);
    uint64_t version = search_store_index_version(r->db);
    time_t now = time(NULL);
    pthread_mutex_lock(&panel_lock);
    for (int i = 0; i < EXPERT_SLOTS; i++) {
        struct expert_panel *p = &panels[i];
        if (p->key && p->index == version && now - p->made < EXPERT_SECONDS &&
            strcmp(p->key, key) == 0) {
            p->used = ++panel_clock;
            struct side_expert *list = copy_panel(r->a, p->list);
            pthread_mutex_unlock(&panel_lock);
            return list;
        }
    }
    pthread_mutex_unlock(&panel_lock);
    struct side_expert *list = panel_compute(r, topic, o);
    if (version)
        panel_store(key, version, now, list);
    return list;
}

/* Returns 1 when the query names the person `login`: they are among the people found and their
 * name matched (is marked). */
static int named_by_query(const struct search *s, const char *login)
{
    for (const struct people_hit *h = s->people.hits; h; h = h->next)
        if (strcmp(h->login, login) == 0)
            return h->name_marked && strchr(h->name_marked, SNIPPET_OPEN[0]) != NULL;
    return 0;
}

/* A question about people ("who knows terraform state locking", "who can help with payroll"):
 * the people found come in the order of the who-knows-what ranking (expertise_query, on the
 * query as read), those it does not rank after them in their own order. */
static void people_by_expertise(struct req *r, struct search *s)
{
    if (!r->user || !s->people.hits || strncasecmp(s->shown, "who ", 4) != 0)
        return;
    struct expert_options o = {.limit = 20};
    struct people_hit *ranked = NULL, **tail = &ranked;
    for (struct side_expert *e = experts_panel(r, s->shown, &o); e; e = e->next)
        for (struct people_hit **p = &s->people.hits; *p; p = &(*p)->next)
            if (strcmp((*p)->login, e->login) == 0) {
                struct people_hit *h = *p;
                *p = h->next;
                *tail = h;
                tail = &h->next;
                break;
            }
    *tail = s->people.hits;
    s->people.hits = ranked;
}

/* Beside the pages: the questions that match and the people who know most about the query
 * (signed-in readers only, since both name people). First page only. */
static void side_vars(struct req *r, struct tvars *v, const struct search *s, int page)
{
    tv_list(v, "experts");
    tv_list(v, "questions");
    tv_bool(v, "experts_more", 0);
    tv_text(v, "experts_href", "");
    if (page != 1 || !r->user || !s->sq.fts || people_only(&s->sq))
        return;
    struct question_hit *qh = NULL;
    if (question_search(r->db, r->a, s->sq.fts, 5, &qh) > 0)
        for (; qh; qh = qh->next) {
            struct tvars *i = tv_item(v, "questions");
            tv_int(i, "qid", qh->id);
            tv_text(i, "qtitle", qh->title);
            tv_text(i, "qstate", qh->state);
            tv_int(i, "qanswers", qh->answers);
        }
    /* One more than shown, since someone the query names is not an expert on their own name. */
    struct expert_options o = {.limit = SIDE_EXPERTS + 1};
    int shown = 0;
    for (struct side_expert *e = experts_panel(r, s->shown, &o); e && shown < SIDE_EXPERTS;
         e = e->next) {
        if (named_by_query(s, e->login))
            continue;
        struct tvars *i = tv_item(v, "experts");
        tv_text(i, "login", e->login);
        tv_text(i, "name", e->name);
        tv_text(i, "job", e->title);
        tv_text(i, "department", e->department);
        tv_text(i, "why", e->why);
        shown++;
    }
    tv_bool(v, "experts_more", shown > 0);
    tv_text(v, "experts_href", arena_printf(r->a, "/experts?q=%s", layout_url_query(r->a, s->typed)));
}

/* WEBPAGE: GET /search?q=QUERY&page=N&as_typed=1 -> 200 matching pages with highlighted
 * snippets, facets (space, tag, author, last updated) that narrow the query, and "Did you
 * mean" for misspelt words; a query that finds nothing runs corrected when that finds pages,
 * unless as_typed=1. Any query, however odd, gets a page (never an error). Searches on the
 * first page are logged (see search_log.h). */
int search_page(struct req *r)
{
    const char *q = req_param(r, "q");
    int page = int_param(r, "page", 1, 1, 1000), as_typed = flag_param(r, "as_typed", 0);
    struct search s;
    struct wanted w = page_wants(r, q, page);
    run(r, q, as_typed, &w, &s);
    people_by_expertise(r, &s);
    const char *logged = page == 1 ? search_log_normalise(r->a, q) : NULL;
    if (logged) /* queued; a full queue drops it and says so at the next flush */
        search_log_query(logged, found(&s),
                         search_log_searchers(r->db) && r->user ? r->user->id : 0);

    struct tvars *v = layout_vars(r);
    int asked = q && *q;
    tv_bool(v, "asked", asked);
    tv_bool(v, "nothing_to_find", asked && !s.sq.fts && !search_query_filtered(&s.sq));
    tv_int(v, "total", s.res.total);
    tv_bool(v, "corrected", s.corrected);
    tv_bool(v, "partial", s.res.partial && !people_only(&s.sq));
    /* Weak results offer "Ask this": few pages, or none holding every telling word. */
    tv_bool(v, "few", s.sq.fts && (found(&s) < SPELL_BELOW || s.res.partial));
    struct buf ask;
    buf_init(&ask, 0);
    buf_puts(&ask, "/ask?title=");
    html_url_query(&ask, s.typed);
    tv_text(v, "ask_href", arena_adopt(r->a, buf_take(&ask)));
    tv_text(v, "suggested", s.suggested);
    tv_text(v, "suggested_href", s.suggested ? search_href(r->a, s.suggested, 0, 1) : "");
    tv_text(v, "typed_href", search_href(r->a, s.typed, 1, 1));
    facet_vars(r, v, &s, as_typed);
    tv_list(v, "hits");
    for (struct search_hit *h = s.res.hits; h; h = h->next) {
        struct tvars *i = tv_item(v, "hits");
        tv_text(i, "path", h->path);
        tv_html(i, "title_html", snippet_html(r->a, h->title_marked));
        tv_html(i, "snippet", snippet_html(r->a, h->snippet));
        tv_text(i, "editor", h->editor);
        tv_text(i, "updated", layout_date(r->a, h->updated_at));
        tv_text(i, "click", click_href(r->a, s.typed, h->path));
    }
    if (page > 1)
        tv_text(v, "prev", search_href(r->a, s.typed, as_typed, page - 1));
    if (page * PAGE_SIZE < (people_only(&s.sq) ? s.people.total : s.res.total))
        tv_text(v, "next", search_href(r->a, s.typed, as_typed, page + 1));
    tv_int(v, "page", page);
    people_vars(r, v, &s);
    side_vars(r, v, &s, page);
    return layout_page(r, 200, asked ? arena_printf(r->a, "Search: %s", q) : "Search", "search",
                       v);
}

static const char *iso_time(struct arena *a, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char when[32];
    gmtime_r(&tt, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return arena_strdup(a, when);
}

/* Returns {space: [...], tag: [...], author: [...], updated: [...], dept: [...]}, each value
 * {value, label, count, query}: query is the shown query with that filter; dept counts people. */
static json_t *facets_json(struct req *r, const struct search *s)
{
    json_t *all = json_object();
    for (int k = 0; k < FACETS; k++) {
        json_t *list = json_array();
        int people_facet = k == SEARCH_FACET_AUTHOR || k == FACET_DEPT;
        for (const struct search_facet *f = r->user || !people_facet ? facet_values(s, k) : NULL; f;
             f = f->next)
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:i, s:s}", "value", f->value, "label", f->label,
                                "count", f->count, "query",
                                search_query_set(r->a, s->shown, FACET_KEYS[k], f->value)));
        json_object_set_new(all, FACET_KEYS[k], list);
    }
    return all;
}

/* Returns a person found as the API gives them. */
static json_t *person_json(struct req *r, const struct people_hit *p)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "type",
                     "person", "login", p->login, "name", p->name, "title", p->title,
                     "department", p->department, "dept_slug", p->dept_slug, "team", p->team,
                     "location", p->location, "left", p->left, "url",
                     arena_printf(r->a, "/people/%s", p->login), "matched", p->match_label,
                     "snippet_html", snippet_html(r->a, p->match_marked));
}

/* API: GET /api/search?q=&limit=&offset=&facets=0|1&as_typed=1 -> 200 {query, total, results:
 * [{type, path, title, space, snippet_html, editor, updated_at}], people_total, people: [{type:
 * "person", login, name, title, department, dept_slug, team, location, left, url, matched,
 * snippet_html}], facets: {space, tag, author, updated, dept: [{value, label, count, query}]},
 * suggestion, corrected, showing, partial}: results are ranked by how many of the query's
 * telling words they hold (framing such as "how do I" weighs nothing), all of them first;
 * partial is true when no page holds all of them; people are those the reader may find (signed-in readers
 * only; location only when they may see it; matched names the field the snippet is from), up
 * to 10 with the first results, or paged by limit and offset with type:person (then results is
 * empty); suggestion is a corrected query (or null); when corrected is true the results are for
 * it (showing) because query found nothing. Not logged. */
int search_api(struct req *r)
{
    const char *q = req_param(r, "q");
    int limit = int_param(r, "limit", 20, 1, 100), offset = int_param(r, "offset", 0, 0, 100000);
    struct search_query asked;
    search_query_parse(r->a, q, &asked);
    struct wanted w = {limit, offset, flag_param(r, "facets", 1), offset ? 0 : API_PEOPLE, 0};
    if (people_only(&asked))
        w.people_limit = limit, w.people_offset = offset;
    struct search s;
    run(r, q, flag_param(r, "as_typed", 0), &w, &s);
    people_by_expertise(r, &s);
    json_t *results = json_array();
    for (struct search_hit *h = s.res.hits; h; h = h->next)
        json_array_append_new(
            results, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type", h->type, "path",
                               h->path, "title", h->title, "space", h->space, "snippet_html",
                               snippet_html(r->a, h->snippet), "editor", h->editor,
                               "updated_at", iso_time(r->a, h->updated_at)));
    json_t *people = json_array();
    for (const struct people_hit *p = s.people.hits; p; p = p->next)
        json_array_append_new(people, person_json(r, p));
    return resp_json(r, 200,
                     json_pack("{s:s, s:i, s:b, s:o, s:i, s:o, s:o, s:o, s:b, s:s}", "query",
                               s.typed, "total", s.res.total, "partial", s.res.partial,
                               "results", results, "people_total",
                               s.people.total, "people", people, "facets", facets_json(r, &s),
                               "suggestion", s.suggested ? json_string(s.suggested) : json_null(),
                               "corrected", s.corrected, "showing", s.shown));
}

/* Returns the number of code points in s. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Returns the words of text that the search reads as telling (query_read: without framing such
 * as "how do I"), as typed, space-separated, with a trailing space when text ends in one (the
 * last word is then complete, not a prefix); text itself when every word is framing. In a. */
static const char *telling_words(struct arena *a, const char *text)
{
    struct query_reading rd;
    query_read(NULL, a, text, &rd);
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < rd.nterms; i++)
        if (!rd.terms[i].framing && rd.terms[i].kind == QUERY_WORD)
            buf_printf(&b, "%s%s", b.len ? " " : "", rd.terms[i].text);
    size_t n = strlen(text);
    if (!b.len) {
        buf_free(&b);
        return text;
    }
    if (n && !search_query_word_char((unsigned char)text[n - 1]))
        buf_putc(&b, ' ');
    return arena_adopt(a, buf_take(&b));
}

/* API: GET /api/suggest?q=TEXT[&format=opensearch] -> 200 {query, items: [{type: "page", title,
 * path, url} or {type: "person", title: the name, path: "people/LOGIN", url, login}]}: up to 8
 * pages whose title starts with TEXT, then whose title has TEXT's telling words (query_read:
 * "how do I" weighs nothing; the last one as a prefix),
 * then, for signed-in readers, up to 3 people whose name has those words (people who left
 * only for HR and admins); pages give way to people past 8 in all. No items for fewer than 2
 * characters. format=opensearch answers [TEXT, [titles], [], [urls]] for browsers
 * (application/x-suggestions+json). */
int search_suggest_api(struct req *r)
{
    const char *q = req_param(r, "q");
    const char *text = q ? q : "";
    while (*text == ' ')
        text++;
    struct search_hit *pages = NULL;
    struct people_hit *people = NULL;
    int npeople = 0;
    if (chars(text) >= 2 && strlen(text) <= SEARCH_QUERY_MAX) {
        people = people_search_store_names(r->db, r->a, r->user, text, SUGGEST_PEOPLE);
        for (const struct people_hit *p = people; p; p = p->next)
            npeople++;
        pages = search_store_titles(r->db, r->a, text, telling_words(r->a, text),
                                    SUGGEST_MAX - npeople);
    }
    int opensearch = req_param(r, "format") && strcmp(req_param(r, "format"), "opensearch") == 0;
    json_t *items = json_array(), *titles = json_array(), *urls = json_array();
    for (struct search_hit *h = pages; h; h = h->next) {
        struct buf u;
        buf_init(&u, 0);
        buf_puts(&u, "/wiki/");
        html_url_path(&u, h->path);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "type", h->type, "title",
                                               h->title, "path", h->path, "url", buf_str(&u)));
        json_array_append_new(titles, json_string(h->title));
        json_array_append_new(urls, json_string(buf_str(&u)));
        buf_free(&u);
    }
    for (const struct people_hit *p = people; p; p = p->next) {
        const char *url = arena_printf(r->a, "/people/%s", p->login); /* logins need no escaping */
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "person",
                                               "title", p->name, "path", url + 1, "url", url,
                                               "login", p->login));
        json_array_append_new(titles, json_string(p->name));
        json_array_append_new(urls, json_string(url));
    }
    resp_header(r, "Cache-Control", "private, max-age=30");
    if (opensearch) {
        json_decref(items);
        return resp_json(r, 200, json_pack("[s, o, [], o]", text, titles, urls));
    }
    json_decref(titles);
    json_decref(urls);
    return resp_json(r, 200, json_pack("{s:s, s:o}", "query", text, "items", items));
}

/* Returns "scheme://host[:port]" this request came to, in a. A Host header with anything but
 * host name characters is not believed: then --listen says where ken is. */
static const char *site_base(struct req *r)
{
    const char *h = req_header(r, "Host");
    size_t n = h ? strlen(h) : 0;
    if (!n || n > 255 || strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789.-:[]") != n)
        h = r->cfg->listen && *r->cfg->listen ? r->cfg->listen : "localhost";
    return arena_printf(r->a, "%s://%s", r->https ? "https" : "http", h);
}

/* WEBPAGE: GET /opensearch.xml -> 200 the OpenSearch description
 * (application/opensearchdescription+xml) that lets browsers offer ken as a search engine,
 * with suggestions from /api/suggest; no sign-in needed (it holds no content) */
int search_opensearch(struct req *r)
{
    const char *base = site_base(r);
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\" "
                 "xmlns:moz=\"http://www.mozilla.org/2006/browser/search/\">\n"
                 "  <ShortName>ken</ShortName>\n  <Description>Search the wiki at ");
    html_text(&b, base);
    buf_puts(&b, "</Description>\n  <InputEncoding>UTF-8</InputEncoding>\n"
                 "  <Image width=\"16\" height=\"16\" type=\"image/svg+xml\">");
    html_text(&b, base);
    buf_puts(&b, "/static/logo.svg</Image>\n  <Url type=\"text/html\" method=\"get\" template=\"");
    html_text(&b, base);
    buf_puts(&b, "/search?q={searchTerms}\"/>\n"
                 "  <Url type=\"application/x-suggestions+json\" method=\"get\" template=\"");
    html_text(&b, base);
    buf_puts(&b, "/api/suggest?format=opensearch&amp;q={searchTerms}\"/>\n"
                 "  <Url type=\"application/opensearchdescription+xml\" rel=\"self\" template=\"");
    html_text(&b, base);
    buf_puts(&b, "/opensearch.xml\"/>\n  <moz:SearchForm>");
    html_text(&b, base);
    buf_puts(&b, "/search</moz:SearchForm>\n</OpenSearchDescription>\n");
    int rc = resp_send(r, 200, "application/opensearchdescription+xml; charset=utf-8", b.data,
                       b.len);
    buf_free(&b);
    return rc;
}

/* WEBPAGE: GET /search/click?q=QUERY&to=PATH -> 303 to /wiki/PATH after recording that PATH
 * was opened from the results of QUERY (search.js sends result clicks here); 400 when PATH is
 * not a page path */
int search_click(struct req *r)
{
    const char *to = req_param(r, "to"), *why = to ? wikipath_check(to) : "to is missing";
    if (why)
        return resp_error(r, 400, arena_printf(r->a, "to must be a page path: %s", why));
    const char *q = search_log_normalise(r->a, req_param(r, "q"));
    int64_t who = search_log_searchers(r->db) && r->user ? r->user->id : 0;
    if (q)
        search_log_click(q, to, who); /* queued, like searches */
    struct buf loc;
    buf_init(&loc, 0);
    buf_puts(&loc, "/wiki/");
    html_url_path(&loc, to);
    return resp_redirect(r, arena_adopt(r->a, buf_take(&loc)));
}

static void report_rows(struct req *r, struct tvars *v, const char *list, int no_results,
                        int64_t since)
{
    tv_list(v, list);
    /* r->rw: the read transaction on r->db began before the flush and would not see it */
    struct search_log_row *rows = search_log_report(r->rw, r->a, no_results, since, REPORT_ROWS);
    tv_bool(v, arena_printf(r->a, "has_%s", list), rows != NULL);
    for (struct search_log_row *row = rows; row; row = row->next) {
        struct tvars *i = tv_item(v, list);
        tv_text(i, "query", row->query);
        tv_int(i, "searches", row->searches);
        tv_int(i, "results", row->results);
        tv_text(i, "who", row->who);
        tv_text(i, "search_href", search_href(r->a, row->query, 1, 1));
        struct buf b;
        buf_init(&b, 0);
        buf_puts(&b, "/new?title=");
        html_url_query(&b, row->query);
        tv_text(i, "create_href", arena_adopt(r->a, buf_take(&b)));
    }
}

/* WEBPAGE: GET /search/report -> 200 the searches of the last 30 days that found nothing and
 * those whose results nobody opened, most frequent first, each with a link to write the page;
 * admins also switch whether the log keeps who searched. 403 unless HR or admin (NEED_HR). */
int search_report(struct req *r)
{
    int64_t since = (int64_t)time(NULL) - (int64_t)REPORT_DAYS * 86400;
    if (search_log_flush(r->rw) != 0) /* so that the searches of a moment ago are listed */
        fprintf(stderr, "ken: the report may miss the latest searches\n");
    struct tvars *v = layout_vars(r);
    tv_int(v, "days", REPORT_DAYS);
    report_rows(r, v, "no_results", 1, since);
    report_rows(r, v, "no_clicks", 0, since);
    tv_bool(v, "may_configure", r->user->role == ROLE_ADMIN);
    tv_bool(v, "log_searchers", search_log_searchers(r->db));
    return layout_page(r, 200, "What people search for", "search_report", v);
}

/* WEBPAGE: POST /search/report (log_searchers=0|1, csrf) -> 303 to /search/report after
 * storing whether the search log keeps who searched (admins); 400 bad value */
int search_report_post(struct req *r)
{
    const char *on = req_param(r, "log_searchers");
    if (!on || (strcmp(on, "0") != 0 && strcmp(on, "1") != 0))
        return resp_error(r, 400, "log_searchers must be 0 or 1");
    if (search_log_set_searchers(r->db, strcmp(on, "1") == 0) != 0)
        return resp_error(r, 500, "ken could not store the setting; try again in a moment");
    return resp_redirect(r, "/search/report");
}
