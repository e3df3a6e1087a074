#include "people/hr_http.h"
#include "accounts/audit_http.h"
#include "markup/html.h"
#include "people/hr_store.h"
#include "http/layout.h"
#include "people/org_store.h"
#include "people/skill_store.h"
#include "notify/mail_store.h"

#include <string.h>

static const char *const LEVEL_LABELS[] = {"", "Learning", "Practised", "Expert"};

/* The route allows only HR and admins; this says so again where the HR-only fields are read. */
static int refuse(struct req *r)
{
    return resp_error(r, 403, "only HR and admins may use the HR pages");
}

/* Reads the search from the query string. */
/* Records an HR search or export in the audit log: what was asked (the query string) and how
 * many people it found. Returns 0, or the status of the refusal sent: HR data is not shown
 * when its reading cannot be recorded. */
static int record(struct req *r, const char *action, int found)
{
    const char *q = r->ri->query_string;
    const char *detail = arena_printf(r->a, "%s; %d found", q && *q ? q : "(no search)", found);
    if (audit_http_log(r, action, "", detail) == 0)
        return 0;
    return resp_error(r, 503, "ken could not record this HR search in the audit log, so it "
                              "is not shown; try again in a moment");
}

static void query_from(struct req *r, struct hr_query *q)
{
    memset(q, 0, sizeof *q);
    q->skill = req_param(r, "skill");
    const char *level = req_param(r, "level");
    q->min_level = level && *level ? skill_level_parse(level) : SKILL_LEARNING;
    if (!q->min_level)
        q->min_level = SKILL_LEARNING;
    q->want = req_param(r, "want");
    q->dept = req_param(r, "dept");
    /* "not:SLUG" is everyone outside a department ("people outside engineering"). */
    if (q->dept && strncmp(q->dept, "not:", 4) == 0) {
        q->dept += 4;
        q->dept_not = 1;
    }
    const char *open = req_param(r, "open"), *mentoring = req_param(r, "mentoring");
    q->open_only = open && strcmp(open, "1") == 0;
    if (mentoring && (strcmp(mentoring, "offering") == 0 || strcmp(mentoring, "seeking") == 0))
        q->mentoring = mentoring;
}

static int hidden_view(struct req *r)
{
    const char *view = req_param(r, "view");
    return view && strcmp(view, "hidden") == 0;
}

static const char *mentoring_label(const char *m)
{
    if (!m || !*m)
        return "";
    return strcmp(m, "offering") == 0  ? "Would like to mentor"
           : strcmp(m, "seeking") == 0 ? "Would like a mentor"
                                       : "Both";
}

/* Returns "/hr/export.csv?..." with the current search (and view=hidden for the hidden talent),
 * in r's arena. */
static const char *export_url(struct req *r, int hidden)
{
    static const char *const keep[] = {"skill", "level", "want", "dept", "open", "mentoring"};
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, hidden ? "/hr/export.csv?view=hidden&" : "/hr/export.csv?");
    req_params_keep(r, &b, keep, sizeof keep / sizeof *keep);
    b.len -= b.len && (b.data[b.len - 1] == '&' || b.data[b.len - 1] == '?');
    b.data[b.len] = 0;
    return arena_adopt(r->a, buf_take(&b));
}

/* Returns the address people reach ken at, for links that leave ken (the CSV): the admin's
 * public_url setting, else the scheme and Host of this request (when it is a plain host name),
 * else "". In r's arena, no trailing slash. */
static const char *site_base(struct req *r)
{
    struct mail_settings ms;
    if (mail_store_settings(r->db, r->a, &ms) == 0 && ms.public_url && *ms.public_url)
        return ms.public_url;
    const char *host = req_header(r, "Host");
    if (!host || !*host || strlen(host) > 200 || strpbrk(host, "/\\@?#\"'<> \t\r\n,"))
        return "";
    return arena_printf(r->a, "%s://%s", r->https ? "https" : "http", host);
}

static void person_vars(struct tvars *i, const struct hr_person *h)
{
    tv_text(i, "plogin", h->login);
    tv_text(i, "pname", h->name);
    tv_text(i, "ptitle", h->title);
    tv_text(i, "pdept", h->dept_name);
    tv_text(i, "pdept_slug", h->dept_slug);
    tv_text(i, "pteam", h->team_name);
    tv_text(i, "plevel", h->level > 0 && h->level <= 3 ? LEVEL_LABELS[h->level] : "");
    tv_text(i, "popen", h->open_to_roles);
    tv_text(i, "pwant", h->want_skills);
    tv_text(i, "pmentoring", mentoring_label(h->mentoring));
    tv_text(i, "pemail", h->email);
    tv_text(i, "pskill", h->skill_name);
    tv_text(i, "pcategory", h->category);
}

static void form_vars(struct req *r, struct tvars *v, const struct hr_query *q)
{
    tv_text(v, "skill_value", q->skill);
    tv_text(v, "want_value", q->want);
    tv_bool(v, "open_checked", q->open_only);
    tv_list(v, "levels");
    for (int l = SKILL_LEARNING; l <= SKILL_EXPERT; l++) {
        struct tvars *o = tv_item(v, "levels");
        tv_text(o, "lvalue", skill_level_name(l));
        tv_text(o, "llabel", l == SKILL_LEARNING ? "Any level" : arena_printf(r->a, "%s or above",
                                                                              LEVEL_LABELS[l]));
        tv_bool(o, "lsel", q->min_level == l);
    }
    tv_list(v, "depts");
    tv_list(v, "not_depts");
    for (struct org_unit *d = org_store_departments(r->db, r->a); d; d = d->next) {
        struct tvars *o = tv_item(v, "depts");
        tv_text(o, "dslug", d->slug);
        tv_text(o, "dname", d->name);
        tv_bool(o, "dsel", q->dept && !q->dept_not && strcmp(q->dept, d->slug) == 0);
        o = tv_item(v, "not_depts");
        tv_text(o, "dslug", d->slug);
        tv_text(o, "dname", d->name);
        tv_bool(o, "dsel", q->dept && q->dept_not && strcmp(q->dept, d->slug) == 0);
    }
    tv_list(v, "categories");
    const char *last = "";
    for (struct skill *s = skill_store_list(r->db, r->a); s; s = s->next)
        if (s->category && *s->category && strcmp(s->category, last) != 0)
            tv_text(tv_item(v, "categories"), "cname", last = s->category);
    tv_bool(v, "m_offering", q->mentoring && strcmp(q->mentoring, "offering") == 0);
    tv_bool(v, "m_seeking", q->mentoring && strcmp(q->mentoring, "seeking") == 0);
    tv_list(v, "skill_names");
    for (struct skill *s = skill_store_list(r->db, r->a); s; s = s->next)
        tv_text(tv_item(v, "skill_names"), "sname", s->name);
}

/* Hidden talent comes in two lists: skills another department or team relies on ("talent",
 * the likeliest to matter to someone) and skills that are rare everywhere ("rare"). */
static void talent_vars(struct req *r, struct tvars *v, const struct hr_query *q)
{
    tv_list(v, "talent");
    tv_list(v, "rare");
    int unknown = 0, people = 0;
    for (struct hr_talent *t = hr_store_hidden_talent(r->db, r->a, r->user, q, &unknown); t;
         t = t->next) {
        struct tvars *i = tv_item(v, *t->usual_in ? "talent" : "rare");
        tv_text(i, "tskill", t->skill_name);
        tv_text(i, "tslug", t->skill_slug);
        tv_text(i, "tcategory", t->category);
        tv_text(i, "tusual", t->usual_in);
        tv_list(i, "tpeople");
        for (struct hr_person *h = t->people; h; h = h->next) {
            struct tvars *p = tv_item(i, "tpeople");
            person_vars(p, h);
            tv_text(p, "pshare", arena_printf(r->a, "%d of %d in %s", h->dept_holders,
                                              h->dept_size, h->dept_name));
            people++;
        }
    }
    tv_int(v, "talent_count", people);
    tv_text(v, "hidden_export_url", export_url(r, 1));
    tv_list(v, "usual");
    for (struct hr_usual *u = hr_store_usual_skills(r->db, r->a); u; u = u->next) {
        struct tvars *i = tv_item(v, "usual");
        tv_text(i, "udept", u->dept_name);
        tv_text(i, "uslug", u->dept_slug);
        tv_int(i, "usize", u->size);
        tv_text(i, "uskills", u->skills);
    }
    tv_int(v, "usual_percent", HR_USUAL_PERCENT);
}

/* WEBPAGE: GET /hr?skill=&level=learning|practised|expert&want=&dept=SLUG|not:SLUG&open=1&
 * mentoring=offering|seeking (HR and admins) -> 200 the people matching (a skill, or any skill of
 * a category, at the level or above; a skill they want to use more; in or outside a department;
 * open to new roles; mentoring) with the e-mail and HR-only career fields they let HR see, a
 * link to the same as CSV, and the hidden talent (people with practised or expert skills fewer
 * than 30% of their department hold, by skill) narrowed by the same search; 403 others */
int hr_page(struct req *r)
{
    if (!user_is_hr(r->user))
        return refuse(r);
    struct hr_query q;
    query_from(r, &q);
    int unknown = 0, count = 0, rc;
    struct tvars *v = layout_vars(r);
    form_vars(r, v, &q);
    tv_bool(v, "searched", hr_query_any(&q));
    tv_list(v, "results");
    for (struct hr_person *h = hr_store_search(r->db, r->a, r->user, &q, &unknown); h;
         h = h->next, count++)
        person_vars(tv_item(v, "results"), h);
    if ((rc = record(r, AUDIT_HR_SEARCH, count)))
        return rc;
    tv_bool(v, "unknown_skill", unknown);
    tv_int(v, "result_count", count);
    tv_text(v, "export_url", export_url(r, 0));
    talent_vars(r, v, &q);
    return layout_page(r, 200, "HR", "hr", v);
}

/* ---- CSV ---- */

void hr_csv_cell(struct buf *b, const char *s)
{
    s = s ? s : "";
    buf_putc(b, '"');
    if (*s && strchr("=+-@\t\r", *s))
        buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

/* Appends one CSV record of n cells and its CRLF. */
static void csv_row(struct buf *b, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        hr_csv_cell(b, cells[i]);
    }
    buf_puts(b, "\r\n");
}

static const char *level_name(int level)
{
    return level > 0 ? skill_level_name(level) : "";
}

/* The same rows as the "People" table of /hr, with the same columns and more. Returns how many. */
static int csv_search(struct req *r, struct buf *b, const char *base)
{
    struct hr_query q;
    query_from(r, &q);
    int unknown;
    static const char *const head[] = {"login", "name", "email", "title", "department", "team",
                                       "skill", "category", "level", "open_to_roles",
                                       "want_skills", "mentoring", "profile"};
    csv_row(b, head, sizeof head / sizeof *head);
    int n = 0;
    for (struct hr_person *h = hr_store_search(r->db, r->a, r->user, &q, &unknown); h;
         h = h->next) {
        const char *cells[] = {h->login, h->name, h->email, h->title, h->dept_name, h->team_name,
                               h->skill_name, h->category, level_name(h->level), h->open_to_roles,
                               h->want_skills, h->mentoring,
                               arena_printf(r->a, "%s/people/%s", base, h->login)};
        csv_row(b, cells, sizeof cells / sizeof *cells);
        n++;
    }
    return n;
}

/* The same rows as the hidden talent of /hr, narrowed by the same search. Returns how many. */
static int csv_hidden(struct req *r, struct buf *b, const char *base)
{
    struct hr_query q;
    query_from(r, &q);
    int unknown;
    static const char *const head[] = {"skill", "category", "usual_in", "login", "name", "email",
                                       "title", "department", "team", "level",
                                       "holders_in_department", "department_size",
                                       "open_to_roles", "want_skills", "mentoring", "profile"};
    csv_row(b, head, sizeof head / sizeof *head);
    int n = 0;
    for (struct hr_talent *t = hr_store_hidden_talent(r->db, r->a, r->user, &q, &unknown); t;
         t = t->next)
        for (struct hr_person *h = t->people; h; h = h->next) {
            const char *cells[] = {t->skill_name, t->category, t->usual_in, h->login, h->name,
                                   h->email, h->title, h->dept_name, h->team_name,
                                   level_name(h->level), arena_printf(r->a, "%d", h->dept_holders),
                                   arena_printf(r->a, "%d", h->dept_size), h->open_to_roles,
                                   h->want_skills, h->mentoring,
                                   arena_printf(r->a, "%s/people/%s", base, h->login)};
            csv_row(b, cells, sizeof cells / sizeof *cells);
            n++;
        }
    return n;
}

/* WEBPAGE: GET /hr/export.csv?(the search of /hr)[&view=hidden] (HR and admins) -> 200 text/csv
 * as an attachment: the rows /hr shows for the search (or its hidden talent) with their category
 * and the e-mail and career fields the reader may see, profiles as absolute links (the
 * public_url setting, else this request's Host); every cell quoted, and cells that a spreadsheet would run as a formula
 * (= + - @) start with '; 403 others */
int hr_export_csv(struct req *r)
{
    if (!user_is_hr(r->user))
        return refuse(r);
    struct buf b;
    buf_init(&b, 0);
    int hidden = hidden_view(r);
    const char *base = site_base(r);
    int rows = hidden ? csv_hidden(r, &b, base) : csv_search(r, &b, base);
    int refused = record(r, AUDIT_HR_EXPORT, rows);
    if (refused) {
        buf_free(&b);
        return refused;
    }
    resp_header(r, "Content-Disposition", hidden ? "attachment; filename=\"ken-hidden-talent.csv\""
                                                 : "attachment; filename=\"ken-people.csv\"");
    resp_header(r, "Cache-Control", "private, no-store");
    int rc = resp_send(r, 200, "text/csv; charset=utf-8", buf_str(&b), b.len);
    buf_free(&b);
    return rc;
}
