#include "people/recognition_http.h"
#include "markup/url.h"
#include "http/layout.h"
#include "people/org_store.h"
#include "people/recognition_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    THANKS_LIMIT = 10,     /* entries in each list of /thanks */
    THANKS_PEOPLE = 30,    /* people in its "thank you" list */
    MONTHS_LISTED = 12,    /* earlier months linked from /thanks */
    PERIOD_DAYS_MAX = 3660,
};

static const char *const month_names[] = {"January", "February", "March",     "April",
                                          "May",     "June",     "July",      "August",
                                          "September", "October", "November", "December"};

/* "1 answer", "3 answers" in a. */
static const char *count_of(struct arena *a, int n, const char *one, const char *many)
{
    return arena_printf(a, "%d %s", n, n == 1 ? one : many);
}

/* "45 s", "12 min", "3 h 5 min", "2 days 4 h" for a number of seconds, in a. */
static const char *duration(struct arena *a, int64_t s)
{
    long long n = (long long)s;
    if (n < 60)
        return arena_printf(a, "%lld s", n);
    if (n < 3600)
        return arena_printf(a, "%lld min", n / 60);
    if (n < 86400)
        return arena_printf(a, "%lld h %lld min", n / 3600, n % 3600 / 60);
    return arena_printf(a, "%lld %s %lld h", n / 86400, n / 86400 == 1 ? "day" : "days",
                        n % 86400 / 3600);
}

/* ---- the profile ---- */

void recognition_profile_vars(struct req *r, struct tvars *v, int64_t user_id, const char *login)
{
    struct recog_profile c;
    int ok = recognition_profile(r->db, r->a, user_id, (int64_t)time(NULL), &c) == 0;
    tv_bool(v, "has_contrib", ok && (c.pages_written || c.pages_owned || c.answers ||
                                     c.verified_recent));
    tv_text(v, "c_written", count_of(r->a, c.pages_written, "page", "pages"));
    tv_text(v, "c_search", arena_printf(r->a, "author:%s", login));
    tv_list(v, "c_pages");
    tv_bool(v, "c_has_pages", ok && c.top_pages);
    for (struct recog_page *p = ok ? c.top_pages : NULL; p; p = p->next) {
        struct tvars *i = tv_item(v, "c_pages");
        tv_text(i, "cpath", p->path);
        tv_text(i, "ctitle", p->title);
        tv_int(i, "cshare", p->share);
    }
    tv_bool(v, "c_owns", c.pages_owned > 0);
    tv_text(v, "c_owned", count_of(r->a, c.pages_owned, "page", "pages"));
    tv_int(v, "c_owned_fresh", c.owned_fresh);
    tv_text(v, "c_verified", count_of(r->a, c.verified_recent, "page", "pages"));
    tv_int(v, "c_fresh_days", RECOG_FRESH_DAYS);
    tv_text(v, "c_answers", count_of(r->a, c.answers, "answer", "answers"));
    tv_int(v, "c_accepted", c.accepted);
    tv_text(v, "c_helped", count_of(r->a, c.helped, "person", "people"));
}

/* ---- /thanks ---- */

struct month {
    int y, m;      /* m: 1-12 */
    int64_t t0, t1;
};

static void month_set(struct month *mo, int y, int m)
{
    while (m < 1)
        m += 12, y--;
    while (m > 12)
        m -= 12, y++;
    mo->y = y;
    mo->m = m;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = 1};
    mo->t0 = (int64_t)timegm(&tm);
    tm = (struct tm){.tm_year = (m == 12 ? y + 1 : y) - 1900, .tm_mon = m % 12, .tm_mday = 1};
    mo->t1 = (int64_t)timegm(&tm);
}

static void month_now(struct month *mo)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    month_set(mo, tm.tm_year + 1900, tm.tm_mon + 1);
}

/* Reads "YYYY-MM" (years 1970-9999). Returns 0, or -1 when s is not such a month. */
static int month_parse(const char *s, struct month *mo)
{
    if (strlen(s) != 7 || s[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = atoi(s), m = atoi(s + 5);
    if (y < 1970 || m < 1 || m > 12)
        return -1;
    month_set(mo, y, m);
    return 0;
}

static const char *month_value(struct arena *a, const struct month *mo)
{
    return arena_printf(a, "%04d-%02d", mo->y, mo->m);
}

static const char *month_label(struct arena *a, const struct month *mo)
{
    return arena_printf(a, "%s %d", month_names[mo->m - 1], mo->y);
}

struct thanks_query {
    struct month mo, now;
    const char *dept;          /* "" for every department */
    struct org_unit *unit;     /* the department, or NULL */
};

/* Reads month= (default: this month) and dept=. Returns 0, or 400 with *why. */
static int thanks_query(struct req *r, struct thanks_query *q, const char **why)
{
    const char *month = req_param(r, "month");
    month_now(&q->now);
    q->mo = q->now;
    if (month && *month && month_parse(month, &q->mo) != 0) {
        *why = "month is a year and month like 2026-11";
        return 400;
    }
    q->dept = req_param(r, "dept");
    if (!q->dept)
        q->dept = "";
    q->unit = *q->dept ? org_store_department(r->db, r->a, q->dept) : NULL;
    if (*q->dept && !q->unit) {
        *why = arena_printf(r->a, "no department has the slug %s; see /departments", q->dept);
        return 400;
    }
    return 0;
}

/* Reads the month and department asked for (q) and their thanks (t). Returns 0, or the status of
 * the error it answered: 400 a bad month or department, 500. */
static int thanks_read(struct req *r, struct thanks_query *q, struct recog_thanks *t)
{
    const char *why = NULL;
    if (thanks_query(r, q, &why) != 0)
        return resp_error(r, 400, why);
    if (recognition_thanks(r->db, r->a, q->mo.t0, q->mo.t1, q->dept, THANKS_LIMIT, THANKS_PEOPLE,
                           t) != 0)
        return resp_error(r, 500, "the figures could not be read");
    return 0;
}

static void person_vars(struct tvars *i, const struct recog_person *p)
{
    tv_text(i, "plogin", p->login);
    tv_text(i, "pname", p->name);
    tv_bool(i, "pleft", p->left);
    tv_text(i, "pdept", p->dept_name);
}

/* "2 answers (1 accepted) · 1 new page · 3 edits · 2 pages verified", in a. */
static const char *contributions_text(struct arena *a, const struct recog_contributor *c)
{
    const char *s = "";
    if (c->answers)
        s = arena_printf(a, "%s%s", count_of(a, c->answers, "answer", "answers"),
                         c->accepted ? arena_printf(a, " (%d accepted)", c->accepted) : "");
    const char *more[3] = {c->pages_new ? count_of(a, c->pages_new, "new page", "new pages") : NULL,
                           c->edits ? count_of(a, c->edits, "edit", "edits") : NULL,
                           c->verified ? count_of(a, c->verified, "page verified", "pages verified")
                                       : NULL};
    for (int k = 0; k < 3; k++)
        if (more[k])
            s = arena_printf(a, "%s%s%s", s, *s ? " · " : "", more[k]);
    return s;
}

static void thanks_nav_vars(struct req *r, struct tvars *v, const struct thanks_query *q)
{
    struct month prev, next;
    month_set(&prev, q->mo.y, q->mo.m - 1);
    month_set(&next, q->mo.y, q->mo.m + 1);
    tv_text(v, "month", month_value(r->a, &q->mo));
    tv_text(v, "month_label", month_label(r->a, &q->mo));
    tv_text(v, "prev_month", month_value(r->a, &prev));
    tv_text(v, "prev_label", month_label(r->a, &prev));
    tv_bool(v, "has_next", next.t0 <= q->now.t0);
    tv_text(v, "next_month", month_value(r->a, &next));
    tv_text(v, "next_label", month_label(r->a, &next));
    tv_text(v, "dept", q->dept);
    tv_text(v, "dept_name", q->unit ? q->unit->name : "");
    tv_list(v, "months");
    int listed = 0;
    for (int k = 0; k < MONTHS_LISTED; k++) {
        struct month mo;
        month_set(&mo, q->now.y, q->now.m - k);
        struct tvars *i = tv_item(v, "months");
        tv_text(i, "mvalue", month_value(r->a, &mo));
        tv_text(i, "mlabel", month_label(r->a, &mo));
        tv_bool(i, "mcurrent", mo.t0 == q->mo.t0);
        listed |= mo.t0 == q->mo.t0;
    }
    if (!listed) { /* a month further back (or ahead): listed too, so the form keeps it */
        struct tvars *i = tv_item(v, "months");
        tv_text(i, "mvalue", month_value(r->a, &q->mo));
        tv_text(i, "mlabel", month_label(r->a, &q->mo));
        tv_bool(i, "mcurrent", 1);
    }
    tv_list(v, "depts");
    for (struct org_unit *d = org_store_departments(r->db, r->a); d; d = d->next) {
        struct tvars *i = tv_item(v, "depts");
        tv_text(i, "dslug", d->slug);
        tv_text(i, "dname", d->name);
        tv_bool(i, "dsel", strcmp(d->slug, q->dept) == 0);
    }
}

static void thanks_answer_vars(struct req *r, struct tvars *v, const struct recog_thanks *t)
{
    tv_list(v, "answers");
    for (struct recog_answer *an = t->answers; an; an = an->next) {
        struct tvars *i = tv_item(v, "answers");
        tv_int(i, "qid", an->question_id);
        tv_int(i, "aid", an->answer_id);
        tv_text(i, "qtitle", an->question_title);
        tv_text(i, "votes", count_of(r->a, an->votes, "vote", "votes"));
        tv_bool(i, "accepted", an->accepted);
        person_vars(i, &an->who);
    }
}

static void page_list_vars(struct req *r, struct tvars *v, const char *list,
                           const struct recog_page *p)
{
    tv_list(v, list);
    for (; p; p = p->next) {
        struct tvars *i = tv_item(v, list);
        tv_text(i, "path", p->path);
        tv_text(i, "ptitle", p->title);
        tv_text(i, "views", count_of(r->a, (int)p->views, "view", "views"));
        tv_text(i, "created", p->at ? layout_iso_day(r->a, p->at) : "");
        tv_list(i, "writers");
        for (struct recog_person *w = p->writers; w; w = w->next)
            person_vars(tv_item(i, "writers"), w);
    }
}

static void contributor_vars(struct req *r, struct tvars *v, const char *list,
                             const struct recog_contributor *c)
{
    tv_list(v, list);
    for (; c; c = c->next) {
        struct tvars *i = tv_item(v, list);
        person_vars(i, &c->who);
        tv_text(i, "what", contributions_text(r->a, c));
        tv_list(i, "vpages");
        for (struct recog_page *p = c->pages; p; p = p->next) {
            struct tvars *pi = tv_item(i, "vpages");
            tv_text(pi, "vpath", p->path);
            tv_text(pi, "vtitle", p->title);
        }
    }
}

/* "75%" of answered out of asked, "—" when nothing was asked; in a. */
static const char *rate(struct arena *a, int answered, int asked)
{
    return asked ? arena_printf(a, "%d%%", (int)(100.0 * answered / asked + 0.5)) : "—";
}

static void dept_rows_vars(struct req *r, struct tvars *v, const struct recog_dept *d)
{
    tv_list(v, "dept_rows");
    for (; d; d = d->next) {
        struct tvars *i = tv_item(v, "dept_rows");
        tv_text(i, "dslug", d->slug);
        tv_text(i, "dname", d->name);
        tv_int(i, "dmembers", d->members);
        tv_int(i, "dcontributors", d->contributors);
        tv_int(i, "danswers", d->answers);
        tv_int(i, "daccepted", d->accepted);
        tv_int(i, "dnew", d->pages_new);
        tv_int(i, "dverified", d->verified);
        tv_int(i, "dasked", d->asked);
        tv_int(i, "danswered", d->answered);
        tv_text(i, "drate", rate(r->a, d->answered, d->asked));
    }
}

/* WEBPAGE: GET /thanks?month=YYYY-MM&dept=SLUG -> 200 a month's thanks (default: this month):
 * the most helpful answers, the most read and the new pages, who kept pages fresh, everyone who
 * contributed, and a row per department; dept narrows it to one department's people; links to
 * the months before. 400 a bad month or an unknown department. */
int recognition_thanks_page(struct req *r)
{
    struct thanks_query q;
    struct recog_thanks t;
    int sent = thanks_read(r, &q, &t);
    if (sent)
        return sent;
    struct tvars *v = layout_vars(r);
    thanks_nav_vars(r, v, &q);
    thanks_answer_vars(r, v, &t);
    page_list_vars(r, v, "most_read", t.most_read);
    page_list_vars(r, v, "new_pages", t.new_pages);
    contributor_vars(r, v, "fresh", t.fresh);
    contributor_vars(r, v, "people", t.people);
    dept_rows_vars(r, v, *q.dept ? NULL : t.depts);
    tv_bool(v, "all_depts", !*q.dept);
    return layout_page(r, 200, arena_printf(r->a, "Thanks: %s", month_label(r->a, &q.mo)),
                       "thanks", v);
}

static json_t *person_json(struct req *r, const struct recog_person *p)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s}", "login", p->login, "name", p->name,
                     "department", p->dept_slug, "department_name", p->dept_name, "left", p->left,
                     "url", url_person(r->a, p->login));
}

/* Pages as JSON; with_writers 1 adds their writers, 2 their creator as "author". */
static json_t *pages_json(struct req *r, const struct recog_page *p, int with_writers)
{
    json_t *arr = json_array();
    for (; p; p = p->next) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:I}", "path", p->path, "title", p->title, "url",
                              url_page(r->a, p->path), "views",
                              (json_int_t)p->views);
        if (p->at)
            json_object_set_new(j, "created_at", json_string(layout_iso_time(r->a, p->at)));
        if (with_writers == 1) {
            json_t *w = json_array();
            for (struct recog_person *x = p->writers; x; x = x->next)
                json_array_append_new(w, person_json(r, x));
            json_object_set_new(j, "writers", w);
        } else if (with_writers == 2) {
            json_object_set_new(j, "author", p->writers ? person_json(r, p->writers) : json_null());
        }
        json_array_append_new(arr, j);
    }
    return arr;
}

static json_t *contributors_json(struct req *r, const struct recog_contributor *c)
{
    json_t *arr = json_array();
    for (; c; c = c->next) {
        json_t *j = json_pack("{s:o, s:i, s:i, s:i, s:i, s:i}", "person", person_json(r, &c->who),
                              "answers", c->answers, "accepted", c->accepted, "pages_new",
                              c->pages_new, "edits", c->edits, "verified", c->verified);
        if (c->pages)
            json_object_set_new(j, "pages", pages_json(r, c->pages, 0));
        json_array_append_new(arr, j);
    }
    return arr;
}

static json_t *answers_json(struct req *r, const struct recog_answer *an)
{
    json_t *arr = json_array();
    for (; an; an = an->next)
        json_array_append_new(
            arr, json_pack("{s:I, s:I, s:s, s:s, s:o, s:i, s:b, s:i, s:s}", "answer_id",
                           (json_int_t)an->answer_id, "question_id", (json_int_t)an->question_id,
                           "question_title", an->question_title, "url",
                           arena_printf(r->a, "/questions/%lld#answer-%lld",
                                        (long long)an->question_id, (long long)an->answer_id),
                           "author", person_json(r, &an->who), "votes", an->votes, "accepted",
                           an->accepted, "score", an->score, "created_at",
                           layout_iso_time(r->a, an->created_at)));
    return arr;
}

static json_t *depts_json(const struct recog_dept *d, int engagement)
{
    json_t *arr = json_array();
    for (; d; d = d->next) {
        json_t *j = json_pack("{s:s, s:s, s:i}", "slug", d->slug, "name", d->name, "members",
                              d->members);
        json_object_set_new(j, engagement ? "active_contributors" : "contributors",
                            json_integer(d->contributors));
        if (engagement) {
            json_object_set_new(j, "questions_asked", json_integer(d->asked));
            json_object_set_new(j, "questions_answered", json_integer(d->answered));
        } else {
            json_object_set_new(j, "answers", json_integer(d->answers));
            json_object_set_new(j, "accepted", json_integer(d->accepted));
            json_object_set_new(j, "pages_new", json_integer(d->pages_new));
            json_object_set_new(j, "verified", json_integer(d->verified));
        }
        json_array_append_new(arr, j);
    }
    return arr;
}

/* API: GET /api/thanks?month=YYYY-MM&dept=SLUG -> 200 {month, from, to, department, answers:
 * [{answer_id, question_id, question_title, url, author, votes, accepted, score, created_at}],
 * most_read: [{path, title, url, views, writers}], new_pages: [{path, title, url, views,
 * created_at, author}], kept_fresh: [{person, verified, pages}], people: [{person, answers,
 * accepted, pages_new, edits, verified}], departments: [{slug, name, members, contributors,
 * answers, accepted, pages_new, verified}]} (people as {login, name, department,
 * department_name, left, url}; departments only without dept); 400 */
int recognition_thanks_api(struct req *r)
{
    struct thanks_query q;
    struct recog_thanks t;
    int sent = thanks_read(r, &q, &t);
    if (sent)
        return sent;
    json_t *j = json_pack("{s:s, s:s, s:s, s:s?}", "month", month_value(r->a, &q.mo), "from",
                          layout_iso_time(r->a, q.mo.t0), "to", layout_iso_time(r->a, q.mo.t1),
                          "department", *q.dept ? q.dept : NULL);
    json_object_set_new(j, "answers", answers_json(r, t.answers));
    json_object_set_new(j, "most_read", pages_json(r, t.most_read, 1));
    json_object_set_new(j, "new_pages", pages_json(r, t.new_pages, 2));
    json_object_set_new(j, "kept_fresh", contributors_json(r, t.fresh));
    json_object_set_new(j, "people", contributors_json(r, t.people));
    if (!*q.dept)
        json_object_set_new(j, "departments", depts_json(t.depts, 0));
    return resp_json(r, 200, j);
}

/* ---- /admin/engagement ---- */

struct period {
    int64_t t0, t1;
    int days;          /* the days chosen, 0 with from/to */
};

/* Reads "YYYY-MM-DD" as the start of that day (UTC); -1 when it is not such a date. */
static int64_t parse_day(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%Y-%m-%d", &tm);
    if (!end || *end || strlen(s) != 10)
        return -1;
    return (int64_t)timegm(&tm);
}

/* Reads days=N (default 30: the last N days until now) or from=YYYY-MM-DD&to=YYYY-MM-DD (whole
 * days, both included). Returns 0, or 400 with *why. */
static int period_parse(struct req *r, struct period *p, const char **why)
{
    const char *days = req_param(r, "days"), *from = req_param(r, "from"), *to = req_param(r, "to");
    memset(p, 0, sizeof *p);
    if ((from && *from) || (to && *to)) {
        int64_t f = from ? parse_day(from) : -1, t = to ? parse_day(to) : -1;
        if (f < 0 || t < 0 || t < f || (t - f) / 86400 >= PERIOD_DAYS_MAX) {
            *why = "a period is from=YYYY-MM-DD and to=YYYY-MM-DD (both days included, from "
                   "first, at most ten years), or days=N";
            return 400;
        }
        p->t0 = f;
        p->t1 = t + 86400;
        return 0;
    }
    char *end = NULL;
    long n = days && *days ? strtol(days, &end, 10) : 30;
    if ((end && *end) || n < 1 || n > PERIOD_DAYS_MAX) {
        *why = "days is a number of days from 1 to 3660";
        return 400;
    }
    p->days = (int)n;
    p->t1 = (int64_t)time(NULL);
    p->t0 = p->t1 - (int64_t)n * 86400;
    return 0;
}

/* Reads the period asked for (p) and its engagement figures (e). Returns 0, or the status of the
 * error it answered: 400 a bad period, 500. */
static int engagement_read(struct req *r, struct period *p, struct recog_engagement *e)
{
    const char *why = NULL;
    if (period_parse(r, p, &why) != 0)
        return resp_error(r, 400, why);
    if (recognition_engagement(r->db, r->a, p->t0, p->t1, e) != 0)
        return resp_error(r, 500, "the figures could not be read");
    return 0;
}

static void engagement_vars(struct req *r, struct tvars *v, const struct period *p,
                            const struct recog_engagement *e)
{
    static const int choices[] = {7, 30, 90, 365};
    tv_list(v, "periods");
    for (size_t k = 0; k < sizeof choices / sizeof *choices; k++) {
        struct tvars *i = tv_item(v, "periods");
        tv_int(i, "pdays", choices[k]);
        tv_bool(i, "psel", p->days == choices[k]);
    }
    tv_text(v, "from", layout_iso_day(r->a, p->t0));
    tv_text(v, "to", layout_iso_day(r->a, p->t1 - 1));
    tv_bool(v, "custom", p->days == 0);
    tv_text(v, "period_label", p->days ? count_of(r->a, p->days, "day", "days") : "");
    tv_int(v, "active", e->active);
    tv_int(v, "editors", e->editors);
    tv_int(v, "answerers", e->answerers);
    tv_int(v, "asked", e->asked);
    tv_int(v, "answered", e->answered);
    tv_int(v, "accepted", e->accepted);
    tv_int(v, "answers_given", e->answers);
    tv_text(v, "answer_rate", e->asked ? rate(r->a, e->answered, e->asked) : "none asked");
    tv_text(v, "median", e->median_first_answer >= 0 ? duration(r->a, e->median_first_answer)
                                                     : "no answers yet");
    dept_rows_vars(r, v, e->depts);
}

/* WEBPAGE: GET /admin/engagement?days=N | from=YYYY-MM-DD&to=YYYY-MM-DD -> 200 (HR and admins)
 * engagement in the period (default the last 30 days): active contributors (people who saved a
 * page revision or answered), questions asked and how many got an answer, the answer rate, the
 * median time to a first answer, and the same per department. 400 a bad period. */
int recognition_engagement_page(struct req *r)
{
    struct period p;
    struct recog_engagement e;
    int sent = engagement_read(r, &p, &e);
    if (sent)
        return sent;
    struct tvars *v = layout_vars(r);
    engagement_vars(r, v, &p, &e);
    return layout_page(r, 200, "Engagement", "engagement", v);
}

/* API: GET /api/engagement?days=N | from=&to= -> 200 (HR and admins) {from, to, days,
 * active_contributors, editors, answerers, questions_asked, questions_answered,
 * questions_accepted, answers, answer_rate (0-1, null when none asked),
 * median_first_answer_seconds (null when no question asked in the period has an answer),
 * departments: [{slug, name, members, active_contributors, questions_asked,
 * questions_answered}]}; 400 */
int recognition_engagement_api(struct req *r)
{
    struct period p;
    struct recog_engagement e;
    int sent = engagement_read(r, &p, &e);
    if (sent)
        return sent;
    json_t *j = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "from",
                          layout_iso_time(r->a, p.t0), "to", layout_iso_time(r->a, p.t1),
                          "active_contributors", e.active, "editors", e.editors, "answerers",
                          e.answerers, "questions_asked", e.asked, "questions_answered", e.answered,
                          "questions_accepted", e.accepted, "answers", e.answers, "days", p.days);
    json_object_set_new(j, "answer_rate",
                        e.asked ? json_real((double)e.answered / e.asked) : json_null());
    json_object_set_new(j, "median_first_answer_seconds",
                        e.median_first_answer >= 0 ? json_integer(e.median_first_answer)
                                                   : json_null());
    json_object_set_new(j, "departments", depts_json(e.depts, 1));
    return resp_json(r, 200, j);
}
