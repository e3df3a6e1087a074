#include "people/org_http.h"
#include "markup/html.h"
#include "http/layout.h"
#include "people/org_store.h"
#include "people/people_store.h"

#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { TREE_DEPTH_MAX = 64 };

static void person_items(struct tvars *v, struct arena *a, const char *list,
                         const struct org_person *o)
{
    tv_list(v, list);
    tv_bool(v, arena_printf(a, "has_%s", list), o != NULL);
    for (; o; o = o->next) {
        struct tvars *i = tv_item(v, list);
        tv_text(i, "plogin", o->login);
        tv_text(i, "pname", o->name);
        tv_text(i, "ptitle", o->title);
        tv_text(i, "pteam", o->team_name);
        tv_bool(i, "pleft", o->left);
    }
}

void org_profile_vars(struct req *r, struct tvars *v, const struct person *p)
{
    /* Manager links are a fixed field: visible to every reader (see people_perm.c). */
    person_items(v, r->a, "chain", org_store_chain(r->db, r->a, p->id));
    person_items(v, r->a, "reports", org_store_reports(r->db, r->a, p->id));
    person_items(v, r->a, "peers", org_store_peers(r->db, r->a, p->id, p->manager_id));
}

/* ---- the chart as nested lists ---- */

/* A person in the chart: their reports as a first-child/next-sibling list. */
struct node {
    const struct org_person *o;
    int first_child, next_sibling, last_child, done;
    int size;  /* the person and everyone under them */
    int hit;   /* matches the search */
    int shown; /* a hit is at or under them: open their reports */
};

/* What the chart shows: q (may be NULL) marks the people whose name, title or login contain it,
 * and opens the way to them; open_all opens everyone; otherwise the first `open_depth` levels
 * are open. */
struct chart_opts {
    const char *q;
    int open_all, open_depth;
};

static int by_id(const void *x, const void *y)
{
    int64_t a = (*(const struct node *const *)x)->o->id, b = (*(const struct node *const *)y)->o->id;
    return a < b ? -1 : a > b;
}

/* Returns 1 when `hay` contains `needle`, ASCII letters compared without case. */
static int contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!hay || !n)
        return 0;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

/* Counts the people under node i and marks the search's hits and the way down to them. Returns
 * the node's size. */
static int mark(struct node *nodes, int i, const char *q, int depth)
{
    struct node *n = &nodes[i];
    n->size = 1;
    n->hit = q && (contains(n->o->name, q) || contains(n->o->title, q) || contains(n->o->login, q));
    if (depth >= TREE_DEPTH_MAX || n->done)
        return n->size;
    n->done = 1;
    for (int c = n->first_child; c >= 0; c = nodes[c].next_sibling) {
        n->size += mark(nodes, c, q, depth + 1);
        if (nodes[c].hit || nodes[c].shown)
            n->shown = 1;
    }
    return n->size;
}

/* Appends node i and everything under it to b as an <li>: the person's card, then their reports
 * in a <details> that is open on the way to a search hit, near the top, or when all are. */
static void tree_html(struct buf *b, struct node *nodes, int i, int depth,
                      const struct chart_opts *opt)
{
    struct node *n = &nodes[i];
    n->done = 2;
    buf_puts(b, "<li id=\"org-");
    html_text(b, n->o->login);
    buf_printf(b, "\"><a class=\"org-node%s%s\" href=\"/people/", n->o->left ? " left" : "",
               n->hit ? " hit" : "");
    html_url_path(b, n->o->login);
    buf_puts(b, "\"><span class=\"org-name\">");
    if (n->hit)
        buf_puts(b, "<mark>");
    html_text(b, n->o->name);
    if (n->hit)
        buf_puts(b, "</mark>");
    buf_puts(b, "</span><span class=\"org-title\">");
    html_text(b, n->o->title);
    buf_puts(b, "</span></a>");
    if (n->first_child >= 0 && depth < TREE_DEPTH_MAX) {
        int reports = 0;
        for (int c = n->first_child; c >= 0; c = nodes[c].next_sibling)
            reports++;
        int open = opt->open_all || n->shown || (!opt->q && depth < opt->open_depth);
        buf_printf(b, "<details%s><summary>%d report%s", open ? " open" : "", reports,
                   reports == 1 ? "" : "s");
        if (n->size - 1 > reports)
            buf_printf(b, " <span class=\"org-all\">(%d in all)</span>", n->size - 1);
        buf_puts(b, "</summary><ul>");
        for (int c = n->first_child; c >= 0; c = nodes[c].next_sibling)
            if (nodes[c].done != 2)
                tree_html(b, nodes, c, depth + 1, opt);
        buf_puts(b, "</ul></details>");
    }
    buf_puts(b, "</li>");
}

/* The chart of `people`: each person under their manager; people whose manager is not among
 * them are the roots, unless `root` (a login, may be NULL) names one of them, whose part alone
 * is drawn. */
struct chart {
    const char *html; /* nested <ul> lists (HTML ken made, every text escaped) */
    int count;        /* people drawn */
    int hits;         /* of them, matching opts->q */
    const struct org_person *root; /* the person `root` named, or NULL */
    struct org_person *matches;    /* the hits, by name (copies, in a) */
};

static struct chart tree(struct arena *a, const struct org_person *people, const char *root,
                         const struct chart_opts *opt)
{
    struct chart ch = {.html = ""};
    int n = 0;
    for (const struct org_person *o = people; o; o = o->next)
        n++;
    if (!n)
        return ch;
    struct node *nodes = arena_alloc(a, sizeof *nodes * (size_t)n);
    struct node **sorted = arena_alloc(a, sizeof *sorted * (size_t)n);
    int i = 0, start = -1;
    for (const struct org_person *o = people; o; o = o->next, i++) {
        nodes[i] = (struct node){.o = o, .first_child = -1, .next_sibling = -1, .last_child = -1};
        sorted[i] = &nodes[i];
        if (root && strcmp(o->login, root) == 0)
            start = i;
    }
    qsort(sorted, (size_t)n, sizeof *sorted, by_id);
    int *parent = arena_alloc(a, sizeof *parent * (size_t)n);
    for (i = 0; i < n; i++) { /* people come by name, so children end up by name */
        struct node key_node = {.o = &(struct org_person){.id = nodes[i].o->manager_id}};
        struct node *key = &key_node, **hit = nodes[i].o->manager_id && nodes[i].o->manager_id !=
                                                                          nodes[i].o->id
                                                  ? bsearch(&key, sorted, (size_t)n, sizeof *sorted, by_id)
                                                  : NULL;
        parent[i] = hit ? (int)(*hit - nodes) : -1;
        if (parent[i] < 0)
            continue;
        struct node *p = &nodes[parent[i]];
        if (p->last_child < 0)
            p->first_child = i;
        else
            nodes[p->last_child].next_sibling = i;
        p->last_child = i;
    }
    const char *q = opt->q && *opt->q ? opt->q : NULL;
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<ul class=\"org-tree\">");
    if (start >= 0) {
        ch.root = nodes[start].o;
        mark(nodes, start, q, 0);
        tree_html(&b, nodes, start, 0, opt);
    } else {
        for (i = 0; i < n; i++)
            if (parent[i] < 0)
                mark(nodes, i, q, 0);
        for (i = 0; i < n; i++) /* people in a loop of managers (from an import) have no root */
            if (!nodes[i].done)
                mark(nodes, i, q, 0);
        for (i = 0; i < n; i++)
            if (parent[i] < 0)
                tree_html(&b, nodes, i, 0, opt);
        for (i = 0; i < n; i++)
            if (nodes[i].done != 2)
                tree_html(&b, nodes, i, 0, opt);
    }
    buf_puts(&b, "</ul>");
    struct org_person **tail = &ch.matches;
    for (i = 0; i < n; i++) {
        if (nodes[i].done != 2)
            continue;
        ch.count++;
        if (!nodes[i].hit)
            continue;
        ch.hits++;
        struct org_person *m = arena_alloc(a, sizeof *m);
        *m = *nodes[i].o;
        m->next = NULL;
        *tail = m;
        tail = &m->next;
    }
    ch.html = arena_adopt(a, buf_take(&b));
    return ch;
}

/* WEBPAGE: GET /org?dept=SLUG&person=LOGIN&find=TEXT&open=all -> 200 the organisation as nested
 * lists, each person's reports folded in a <details> (the top levels open; open=all opens all):
 * the whole company, one department, or the part under one person (with the managers above
 * them and the picture of their neighbourhood); find marks the people whose name, title or login
 * contain it and opens the way to them. No script needed. 404 no such department or person */
int org_chart_page(struct req *r)
{
    const char *slug = req_param(r, "dept"), *login = req_param(r, "person");
    const char *q = req_param(r, "find"), *open = req_param(r, "open");
    struct org_unit *dept = slug && *slug ? org_store_department(r->db, r->a, slug) : NULL;
    if (slug && *slug && !dept)
        return resp_error(r, 404, arena_printf(r->a, "there is no department %s", slug));
    if (q && strlen(q) > 100)
        return resp_error(r, 400, "search for at most 100 characters");
    struct chart_opts opt = {.q = q && *q ? q : NULL, .open_all = open && strcmp(open, "all") == 0,
                             .open_depth = 1};
    int by_person = login && *login;
    struct chart ch = tree(r->a, org_store_people(r->db, r->a, by_person || !dept ? 0 : dept->id, 0),
                           by_person ? login : NULL, &opt);
    if (by_person && !ch.root)
        return resp_error(r, 404, arena_printf(r->a, "there is nobody called %s in the chart", login));
    if (by_person)
        dept = NULL;
    struct tvars *v = layout_vars(r);
    tv_html(v, "tree", ch.html);
    tv_int(v, "count", ch.count);
    tv_bool(v, "has_people", ch.count > 0);
    tv_text(v, "dept_name", dept ? dept->name : "");
    tv_text(v, "dept_slug", dept ? dept->slug : "");
    tv_text(v, "org_q", opt.q);
    tv_int(v, "hits", ch.hits);
    tv_bool(v, "open_all", opt.open_all);
    tv_text(v, "root_login", ch.root ? ch.root->login : "");
    tv_text(v, "root_name", ch.root ? ch.root->name : "");
    person_items(v, r->a, "above", ch.root ? org_store_chain(r->db, r->a, ch.root->id) : NULL);
    tv_list(v, "matches");
    tv_bool(v, "has_matches", ch.hits > 0);
    int shown = 0;
    for (struct org_person *m = ch.matches; m && shown < 20; m = m->next, shown++) {
        struct tvars *i = tv_item(v, "matches");
        tv_text(i, "plogin", m->login);
        tv_text(i, "pname", m->name);
        tv_text(i, "ptitle", m->title);
    }
    tv_list(v, "depts");
    for (struct org_unit *d = org_store_departments(r->db, r->a); d; d = d->next) {
        struct tvars *i = tv_item(v, "depts");
        tv_text(i, "slug", d->slug);
        tv_text(i, "name", d->name);
        tv_bool(i, "selected", dept && dept->id == d->id);
    }
    const char *title = ch.root ? arena_printf(r->a, "%s: org chart", ch.root->name)
                        : dept  ? arena_printf(r->a, "%s: org chart", dept->name)
                                : "Org chart";
    return layout_page(r, 200, title, "org", v);
}

/* ---- the SVG around one person ---- */

enum { BOX_W = 240, BOX_H = 54, GAP_Y = 26, GAP_X = 16, MARGIN = 12, PER_ROW = 4, TEXT_MAX = 34 };

/* Returns s cut to at most max characters (UTF-8 aware) with "…" when cut, and without the two
 * characters (U+FFFE, U+FFFF) that are valid UTF-8 but not XML, in a. */
static const char *cut(struct arena *a, const char *s, int max)
{
    struct buf b;
    buf_init(&b, 0);
    int chars = 0;
    for (const char *p = s; *p;) {
        const char *next = p + 1;
        while ((*next & 0xC0) == 0x80)
            next++;
        if (chars++ == max) {
            buf_puts(&b, "…");
            break;
        }
        if (!(next - p == 3 && strncmp(p, "\xEF\xBF\xBE", 3) == 0) &&
            !(next - p == 3 && strncmp(p, "\xEF\xBF\xBF", 3) == 0))
            buf_append(&b, p, (size_t)(next - p));
        p = next;
    }
    return arena_adopt(a, buf_take(&b));
}

static void svg_attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void svg_attr(xmlTextWriterPtr w, const char *name, const char *fmt, ...)
{
    char value[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(value, sizeof value, fmt, ap);
    va_end(ap);
    xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

static void svg_line(xmlTextWriterPtr w, int x1, int y1, int x2, int y2)
{
    xmlTextWriterStartElement(w, BAD_CAST "line");
    svg_attr(w, "x1", "%d", x1);
    svg_attr(w, "y1", "%d", y1);
    svg_attr(w, "x2", "%d", x2);
    svg_attr(w, "y2", "%d", y2);
    xmlTextWriterEndElement(w);
}

/* One person's box; every piece of their text goes through the writer, which escapes it. */
static void svg_box(xmlTextWriterPtr w, struct arena *a, int x, int y, const char *name,
                    const char *title, int left, int me)
{
    xmlTextWriterStartElement(w, BAD_CAST "g");
    svg_attr(w, "class", "%s", me ? "me" : left ? "left" : "person");
    xmlTextWriterStartElement(w, BAD_CAST "rect");
    svg_attr(w, "x", "%d", x);
    svg_attr(w, "y", "%d", y);
    svg_attr(w, "width", "%d", BOX_W);
    svg_attr(w, "height", "%d", BOX_H);
    svg_attr(w, "rx", "8");
    svg_attr(w, "fill", "%s", me ? "#2f5d8a" : "#ffffff");
    svg_attr(w, "stroke", "%s", left ? "#9aa5b1" : "#2f5d8a");
    if (left)
        svg_attr(w, "stroke-dasharray", "4 3");
    xmlTextWriterEndElement(w);
    const char *fg = me ? "#ffffff" : "#1d232b";
    xmlTextWriterStartElement(w, BAD_CAST "text");
    svg_attr(w, "x", "%d", x + BOX_W / 2);
    svg_attr(w, "y", "%d", y + 22);
    svg_attr(w, "font-weight", "bold");
    svg_attr(w, "fill", "%s", fg);
    xmlTextWriterWriteString(w, BAD_CAST cut(a, name, TEXT_MAX));
    xmlTextWriterEndElement(w);
    xmlTextWriterStartElement(w, BAD_CAST "text");
    svg_attr(w, "x", "%d", x + BOX_W / 2);
    svg_attr(w, "y", "%d", y + 41);
    svg_attr(w, "font-size", "12");
    svg_attr(w, "fill", "%s", me ? "#e3e7ec" : "#5d6772");
    const char *t = left ? arena_printf(a, "%s (has left)", title) : title;
    xmlTextWriterWriteString(w, BAD_CAST cut(a, t, TEXT_MAX + 4));
    xmlTextWriterEndElement(w);
    xmlTextWriterEndElement(w);
}

int org_person_svg(struct req *r, const char *login)
{
    struct person *p = people_store_view(r->db, r->a, r->user, login);
    if (!p)
        return resp_error(r, 404, arena_printf(r->a, "nobody has the login %s", login));
    struct org_person *chain = org_store_chain(r->db, r->a, p->id);
    struct org_person *reports = org_store_reports(r->db, r->a, p->id);
    int above = 0, below = 0;
    for (struct org_person *o = chain; o; o = o->next)
        above++;
    for (struct org_person *o = reports; o; o = o->next)
        below++;
    int cols = below < PER_ROW ? below : PER_ROW, rows = (below + PER_ROW - 1) / PER_ROW;
    int row_w = cols ? cols * BOX_W + (cols - 1) * GAP_X : 0;
    int width = 2 * MARGIN + (row_w > BOX_W ? row_w : BOX_W);
    int height = 2 * MARGIN + (above + 1) * (BOX_H + GAP_Y) - GAP_Y +
                 (rows ? GAP_Y + rows * (BOX_H + GAP_Y) - GAP_Y : 0);
    int cx = width / 2, x = cx - BOX_W / 2, y = MARGIN;

    xmlBufferPtr out = xmlBufferCreate();
    xmlTextWriterPtr w = out ? xmlNewTextWriterMemory(out, 0) : NULL;
    if (!w)
        die("out of memory drawing an org chart");
    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(w, BAD_CAST "svg");
    xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST "http://www.w3.org/2000/svg");
    svg_attr(w, "width", "%d", width);
    svg_attr(w, "height", "%d", height);
    svg_attr(w, "viewBox", "0 0 %d %d", width, height);
    svg_attr(w, "font-family", "system-ui, sans-serif");
    svg_attr(w, "font-size", "14");
    svg_attr(w, "text-anchor", "middle");
    xmlTextWriterStartElement(w, BAD_CAST "title");
    xmlTextWriterWriteString(w, BAD_CAST cut(r->a, arena_printf(r->a, "Org chart around %s", p->name),
                                             300));
    xmlTextWriterEndElement(w);
    xmlTextWriterStartElement(w, BAD_CAST "g");
    svg_attr(w, "stroke", "#9aa5b1");
    for (int k = 0; k < above; k++) /* the chain and the person, one under the other */
        svg_line(w, cx, y + k * (BOX_H + GAP_Y) + BOX_H, cx, y + (k + 1) * (BOX_H + GAP_Y));
    int me_y = y + above * (BOX_H + GAP_Y), bus = me_y + BOX_H + GAP_Y / 2;
    if (below) {
        int x0 = cx - row_w / 2 + BOX_W / 2, x1 = cx + row_w / 2 - BOX_W / 2;
        svg_line(w, cx, me_y + BOX_H, cx, bus);
        svg_line(w, x0, bus, x1, bus);
        for (int c = 0; c < cols; c++) {
            int rx = x0 + c * (BOX_W + GAP_X);
            svg_line(w, rx, bus, rx, bus + GAP_Y / 2 + (rows - 1) * (BOX_H + GAP_Y));
        }
    }
    xmlTextWriterEndElement(w);
    int k = 0;
    for (struct org_person *o = chain; o; o = o->next, k++)
        svg_box(w, r->a, x, y + k * (BOX_H + GAP_Y), o->name, o->title, o->left, 0);
    const char *title = p->values[people_field_index("title")];
    svg_box(w, r->a, x, me_y, p->name, title ? title : "", p->left_at != 0, 1);
    k = 0;
    for (struct org_person *o = reports; o; o = o->next, k++) {
        int col = k % PER_ROW, row = k / PER_ROW;
        svg_box(w, r->a, cx - row_w / 2 + col * (BOX_W + GAP_X),
                bus + GAP_Y / 2 + row * (BOX_H + GAP_Y), o->name, o->title, o->left, 0);
    }
    xmlTextWriterEndDocument(w);
    xmlFreeTextWriter(w);
    /* ken draws this file itself, but it is still only ever an image: no script may run in it
     * even when it is opened on its own. */
    resp_header(r, "Content-Security-Policy", "default-src 'none'; sandbox");
    resp_header(r, "Content-Disposition", "inline; filename=\"org.svg\"");
    resp_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    int rc = resp_send(r, 200, "image/svg+xml", (const char *)xmlBufferContent(out),
                       (size_t)xmlBufferLength(out));
    xmlBufferFree(out);
    return rc;
}

/* ---- departments and teams ---- */

static void unit_vars(struct tvars *i, const struct org_unit *u)
{
    tv_text(i, "slug", u->slug);
    tv_text(i, "name", u->name);
    tv_text(i, "description", u->description);
    tv_int(i, "members", u->members);
    tv_text(i, "dept_slug", u->dept_slug);
    tv_text(i, "dept_name", u->dept_name);
}

/* WEBPAGE: GET /departments -> 200 every department with its teams; for admins, forms to add
 * departments and teams */
int org_departments_page(struct req *r)
{
    struct tvars *v = layout_vars(r);
    tv_list(v, "departments");
    struct org_unit *teams = org_store_teams(r->db, r->a, 0);
    for (struct org_unit *d = org_store_departments(r->db, r->a); d; d = d->next) {
        struct tvars *i = tv_item(v, "departments");
        unit_vars(i, d);
        tv_list(i, "teams");
        int n = 0;
        for (struct org_unit *t = teams; t; t = t->next)
            if (strcmp(t->dept_slug, d->slug) == 0)
                unit_vars(tv_item(i, "teams"), t), n++;
        tv_bool(i, "has_teams", n > 0);
    }
    tv_bool(v, "may_add", user_is_admin(r->user));
    tv_text(v, "error", req_param(r, "error"));
    return layout_page(r, 200, "Departments and teams", "org_departments", v);
}

/* WEBPAGE: POST /departments (csrf, kind=department|team, name, description, department: the
 * team's department's slug) -> 303 to the new department or team; 400 bad name or no such
 * department; 409 the name is taken (admins) */
int org_departments_post(struct req *r)
{
    const char *kind = req_param(r, "kind"), *name = req_param(r, "name");
    const char *description = req_param(r, "description"), *why = NULL;
    int status = 400;
    if (kind && strcmp(kind, "department") == 0) {
        int64_t id = org_store_add_department(r->db, r->a, name, description, &why, &status);
        if (id < 0)
            return resp_error(r, status, why);
        for (struct org_unit *d = org_store_departments(r->db, r->a); d; d = d->next)
            if (d->id == id)
                return resp_redirect(r, arena_printf(r->a, "/departments/%s", d->slug));
        return resp_redirect(r, "/departments");
    }
    if (kind && strcmp(kind, "team") == 0) {
        const char *dslug = req_param(r, "department");
        struct org_unit *d = dslug ? org_store_department(r->db, r->a, dslug) : NULL;
        if (!d)
            return resp_error(r, 400, "choose the department the team belongs to");
        int64_t id = org_store_add_team(r->db, r->a, d->id, name, description, &why, &status);
        if (id < 0)
            return resp_error(r, status, why);
        for (struct org_unit *t = org_store_teams(r->db, r->a, d->id); t; t = t->next)
            if (t->id == id)
                return resp_redirect(r, arena_printf(r->a, "/teams/%s", t->slug));
        return resp_redirect(r, "/departments");
    }
    return resp_error(r, 400, "send kind=department or kind=team, with a name");
}

/* Members of a department or team as the page lists them. */
static void members(struct req *r, struct tvars *v, int64_t dept_id, int64_t team_id)
{
    person_items(v, r->a, "people_in", org_store_people(r->db, r->a, dept_id, team_id));
}

/* WEBPAGE: GET /departments/SLUG -> 200 the department: description, teams, members and a link
 * to its chart; an admin may edit the description; 404 */
int org_department_page(struct req *r)
{
    struct org_unit *d = org_store_department(r->db, r->a, r->rest);
    if (!d)
        return resp_error(r, 404, "there is no such department (see /departments)");
    struct tvars *v = layout_vars(r);
    unit_vars(v, d);
    tv_list(v, "teams");
    struct org_unit *teams = org_store_teams(r->db, r->a, d->id);
    for (struct org_unit *t = teams; t; t = t->next)
        unit_vars(tv_item(v, "teams"), t);
    tv_bool(v, "has_teams", teams != NULL);
    members(r, v, d->id, 0);
    tv_bool(v, "may_edit", user_is_admin(r->user));
    return layout_page(r, 200, d->name, "department", v);
}

/* WEBPAGE: GET /teams/SLUG -> 200 the team: description, department and members; 404 */
int org_team_page(struct req *r)
{
    struct org_unit *t = org_store_team(r->db, r->a, r->rest);
    if (!t)
        return resp_error(r, 404, "there is no such team (see /departments)");
    struct tvars *v = layout_vars(r);
    unit_vars(v, t);
    members(r, v, 0, t->id);
    tv_bool(v, "may_edit", user_is_admin(r->user));
    return layout_page(r, 200, t->name, "team", v);
}

/* WEBPAGE: POST /departments/SLUG (csrf, description) -> 303 to the department; 400 too long;
 * 404 (admins) */
int org_department_post(struct req *r)
{
    struct org_unit *d = org_store_department(r->db, r->a, r->rest);
    const char *why = NULL;
    if (!d)
        return resp_error(r, 404, "there is no such department (see /departments)");
    if (org_store_set_department_description(r->db, d->id, req_param(r, "description"), &why))
        return resp_error(r, 400, why);
    return resp_redirect(r, arena_printf(r->a, "/departments/%s", d->slug));
}

/* WEBPAGE: POST /teams/SLUG (csrf, description) -> 303 to the team; 400 too long; 404 (admins) */
int org_team_post(struct req *r)
{
    struct org_unit *t = org_store_team(r->db, r->a, r->rest);
    const char *why = NULL;
    if (!t)
        return resp_error(r, 404, "there is no such team (see /departments)");
    if (org_store_set_team_description(r->db, t->id, req_param(r, "description"), &why))
        return resp_error(r, 400, why);
    return resp_redirect(r, arena_printf(r->a, "/teams/%s", t->slug));
}

static json_t *unit_json(const struct org_unit *u, int team)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "slug", u->slug, "name", u->name, "description",
                          u->description, "members", u->members);
    if (team) {
        json_object_set_new(o, "department", json_string(u->dept_slug));
        json_object_set_new(o, "department_name", json_string(u->dept_name));
    }
    return o;
}

/* API: GET /api/departments -> 200 {departments: [{slug, name, description, members, teams:
 * [{slug, name, description, members, department, department_name}]}]} */
int org_api_departments(struct req *r)
{
    json_t *list = json_array();
    struct org_unit *teams = org_store_teams(r->db, r->a, 0);
    for (struct org_unit *d = org_store_departments(r->db, r->a); d; d = d->next) {
        json_t *o = unit_json(d, 0), *ts = json_array();
        for (struct org_unit *t = teams; t; t = t->next)
            if (strcmp(t->dept_slug, d->slug) == 0)
                json_array_append_new(ts, unit_json(t, 1));
        json_object_set_new(o, "teams", ts);
        json_array_append_new(list, o);
    }
    return resp_json(r, 200, json_pack("{s:o}", "departments", list));
}

/* API: GET /api/teams?dept=SLUG -> 200 {teams: [{slug, name, description, members, department,
 * department_name}]}; 404 no such department */
int org_api_teams(struct req *r)
{
    const char *slug = req_param(r, "dept");
    struct org_unit *d = slug && *slug ? org_store_department(r->db, r->a, slug) : NULL;
    if (slug && *slug && !d)
        return resp_error(r, 404, arena_printf(r->a, "there is no department %s", slug));
    json_t *list = json_array();
    for (struct org_unit *t = org_store_teams(r->db, r->a, d ? d->id : 0); t; t = t->next)
        json_array_append_new(list, unit_json(t, 1));
    return resp_json(r, 200, json_pack("{s:o}", "teams", list));
}
