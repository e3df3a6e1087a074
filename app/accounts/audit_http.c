#include "accounts/audit_http.h"
#include "http/layout.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { AUDIT_PAGE = 100, AUDIT_API_MAX = 500 };

static const char BUSY[] = "the action could not be recorded in the audit log, so nothing was "
                           "changed; try again in a moment";

struct audit_who audit_http_who(const struct req *r)
{
    struct audit_who w = {0, "", r->addr ? r->addr : ""};
    if (r->user) {
        w.user_id = r->user->id;
        w.login = r->user->login;
    }
    return w;
}

int audit_http_log(struct req *r, const char *action, const char *target, const char *detail)
{
    struct audit_who w = audit_http_who(r);
    return audit_append(r->rw, &w, action, target, detail);
}

int audit_http_log_as(struct req *r, const struct user *u, const char *action, const char *target,
                      const char *detail)
{
    struct audit_who w = {u->id, u->login, r->addr ? r->addr : ""};
    return audit_append(r->rw, &w, action, target, detail);
}

int audit_http_begin(struct req *r, const char **why)
{
    if (db_begin(r->rw) == 0)
        return 0;
    *why = BUSY;
    return 503;
}

int audit_http_end(struct req *r, int rc, const char *action, const char *target,
                   const char *detail, const char **why)
{
    struct audit_who w = audit_http_who(r);
    if (audit_commit(r->rw, rc, &w, action, target, detail) >= 0)
        return rc;
    *why = BUSY;
    return 503;
}

int audit_http_finish(struct req *r, int rc, const char **why)
{
    if (rc == 0 && db_commit(r->rw) != 0) {
        rc = 503;
        *why = BUSY;
    }
    if (rc)
        db_rollback(r->rw);
    return rc;
}

/* ---- reading the log ---- */

/* Parses "YYYY-MM-DD" as the start of that day (UTC). Returns 0 when s is NULL or empty, -1
 * when it is not a date. */
static int64_t parse_day(const char *s)
{
    if (!s || !*s)
        return 0;
    int y, m, d;
    char end;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || y < 1970 ||
        y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    return (int64_t)timegm(&tm);
}

/* Reads the filters of /admin/audit and /api/audit into f. Returns NULL, or why not (400). */
static const char *filter_from(struct req *r, struct audit_filter *f)
{
    memset(f, 0, sizeof *f);
    f->actor = req_param(r, "who");
    f->action = req_param(r, "action");
    if ((f->actor && strlen(f->actor) > 200) || (f->action && strlen(f->action) > 100))
        return "who and action are a login and an action name";
    f->from = parse_day(req_param(r, "from"));
    int64_t to = parse_day(req_param(r, "to"));
    if (f->from < 0 || to < 0)
        return "from and to are dates like 2026-12-31";
    f->to = to ? to + 86400 : 0; /* "to" names the last day shown, whole */
    if (f->to && f->from >= f->to)
        return "from must be on or before to";
    return NULL;
}

static const char *hex(struct arena *a, const unsigned char *h)
{
    char *s = arena_alloc(a, 2 * AUDIT_HASH_LEN + 1);
    sodium_bin2hex(s, 2 * AUDIT_HASH_LEN + 1, h, AUDIT_HASH_LEN);
    return s;
}

static const char *who_label(const struct audit_entry *e)
{
    return *e->actor ? e->actor : *e->addr ? "(nobody signed in)" : "(command line)";
}

int audit_http_page(struct req *r)
{
    struct audit_filter f;
    const char *why = filter_from(r, &f);
    if (why)
        return resp_error(r, 400, why);
    const char *page_s = req_param(r, "page");
    int page = page_s ? atoi(page_s) : 1, total = 0;
    if (page < 1 || page > 1000000)
        page = 1;
    f.limit = AUDIT_PAGE;
    f.offset = (page - 1) * AUDIT_PAGE;
    struct tvars *v = layout_vars(r);
    tv_text(v, "who", f.actor);
    tv_text(v, "action", f.action);
    tv_text(v, "from", req_param(r, "from"));
    tv_text(v, "to", req_param(r, "to"));
    tv_list(v, "actions");
    for (const char **a = audit_store_actions(r->db, r->a); *a; a++) {
        struct tvars *o = tv_item(v, "actions");
        tv_text(o, "aname", *a);
        tv_bool(o, "asel", f.action && strcmp(f.action, *a) == 0);
    }
    tv_list(v, "entries");
    for (struct audit_entry *e = audit_store_list(r->db, r->a, &f, &total); e; e = e->next) {
        struct tvars *i = tv_item(v, "entries");
        tv_int(i, "id", e->id);
        tv_text(i, "when", layout_date(r->a, e->at));
        tv_text(i, "iso", layout_iso_time(r->a, e->at));
        tv_text(i, "actor", who_label(e));
        tv_text(i, "addr", e->addr);
        tv_text(i, "what", e->action);
        tv_text(i, "target", e->target);
        tv_text(i, "detail", e->detail);
    }
    tv_int(v, "total", total);
    static const char *const keep[] = {"who", "action", "from", "to"};
    struct buf b;
    buf_init(&b, 0);
    req_params_keep(r, &b, keep, sizeof keep / sizeof *keep);
    const char *kept = arena_adopt(r->a, buf_take(&b));
    tv_text(v, "csv_url", arena_printf(r->a, "/admin/audit.csv?%s", kept));
    int pages = (total + AUDIT_PAGE - 1) / AUDIT_PAGE;
    tv_int(v, "page", page);
    tv_int(v, "pages", pages ? pages : 1);
    tv_text(v, "prev", page > 1 ? arena_printf(r->a, "/admin/audit?%spage=%d", kept, page - 1) : "");
    tv_text(v, "next",
            page < pages ? arena_printf(r->a, "/admin/audit?%spage=%d", kept, page + 1) : "");
    struct audit_state s;
    if (audit_store_state(r->db, &s) != 0)
        return resp_error(r, 503, "the audit log could not be read; try again");
    tv_int(v, "retention_days", s.retention_days);
    tv_int(v, "pruned", s.pruned_count);
    tv_text(v, "saved", req_param(r, "saved"));
    return layout_page(r, 200, "Audit log", "audit", v);
}

/* Appends s to b as one CSV cell, quoted; a cell a spreadsheet would run as a formula (= + - @
 * tab CR first) starts with ', as /hr/export.csv does. */
static void csv_cell(struct buf *b, const char *s, int last)
{
    buf_putc(b, '"');
    if (*s && strchr("=+-@\t\r", *s))
        buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_puts(b, last ? "\"\r\n" : "\",");
}

int audit_http_csv(struct req *r)
{
    struct audit_filter f;
    const char *why = filter_from(r, &f);
    if (why)
        return resp_error(r, 400, why);
    int total = 0;
    struct audit_entry *list = audit_store_list(r->db, r->a, &f, &total);
    const char *q = r->ri->query_string;
    if (audit_http_log(r, AUDIT_EXPORT, "", arena_printf(r->a, "%d entries%s%s", total,
                                                         q && *q ? ": " : "", q ? q : "")) != 0)
        return resp_error(r, 503, "the export could not be recorded in the audit log; try again");
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "\"id\",\"time\",\"who\",\"from\",\"action\",\"target\",\"detail\",\"hash\"\r\n");
    for (struct audit_entry *e = list; e; e = e->next) {
        csv_cell(&b, arena_printf(r->a, "%lld", (long long)e->id), 0);
        csv_cell(&b, layout_iso_time(r->a, e->at), 0);
        csv_cell(&b, who_label(e), 0);
        csv_cell(&b, e->addr, 0);
        csv_cell(&b, e->action, 0);
        csv_cell(&b, e->target, 0);
        csv_cell(&b, e->detail, 0);
        csv_cell(&b, hex(r->a, e->hash), 1);
    }
    resp_header(r, "Content-Disposition", "attachment; filename=\"ken-audit.csv\"");
    resp_header(r, "Cache-Control", "private, no-store");
    int rc = resp_send(r, 200, "text/csv; charset=utf-8", buf_str(&b), b.len);
    buf_free(&b);
    return rc;
}

/* Returns days 0..AUDIT_RETENTION_MAX from s, or -1. */
static int parse_days(const char *s)
{
    char *end;
    long n = s && *s ? strtol(s, &end, 10) : -1;
    return n >= 0 && n <= AUDIT_RETENTION_MAX && s && !*end ? (int)n : -1;
}

static const char RETENTION_RANGE[] = "retention is a whole number of days from 0 (keep for "
                                      "ever) to 36500";

int audit_http_retention_post(struct req *r)
{
    int days = parse_days(req_param(r, "retention_days"));
    if (days < 0)
        return resp_error(r, 400, RETENTION_RANGE);
    struct audit_who w = audit_http_who(r);
    if (audit_set_retention(r->db, &w, days) != 0)
        return resp_error(r, 503, "the retention could not be saved; try again");
    return resp_redirect(r, "/admin/audit?saved=1");
}

static json_t *entry_json(struct req *r, const struct audit_entry *e)
{
    return json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)e->id, "at",
                     layout_iso_time(r->a, e->at), "who", *e->actor ? e->actor : NULL, "from",
                     e->addr, "action", e->action, "target", e->target, "detail", e->detail,
                     "hash", hex(r->a, e->hash));
}

int audit_http_api(struct req *r)
{
    struct audit_filter f;
    const char *why = filter_from(r, &f);
    if (why)
        return resp_error(r, 400, why);
    const char *ls = req_param(r, "limit"), *os = req_param(r, "offset");
    char *end;
    long limit = ls && *ls ? strtol(ls, &end, 10) : AUDIT_PAGE;
    if ((ls && *ls && *end) || limit < 1 || limit > AUDIT_API_MAX)
        return resp_error(r, 400, "limit is 1 to 500");
    long offset = os && *os ? strtol(os, &end, 10) : 0;
    if ((os && *os && *end) || offset < 0 || offset > 100000000)
        return resp_error(r, 400, "offset is 0 or more");
    f.limit = (int)limit;
    f.offset = (int)offset;
    int total = 0;
    struct audit_state s;
    if (audit_store_state(r->db, &s) != 0)
        return resp_error(r, 503, "the audit log could not be read; try again");
    json_t *list = json_array();
    for (struct audit_entry *e = audit_store_list(r->db, r->a, &f, &total); e; e = e->next)
        json_array_append_new(list, entry_json(r, e));
    return resp_json(r, 200, json_pack("{s:i, s:i, s:i, s:i, s:I, s:o}", "total", total, "limit",
                                       f.limit, "offset", f.offset, "retention_days",
                                       s.retention_days, "pruned", (json_int_t)s.pruned_count,
                                       "entries", list));
}

int audit_http_api_retention(struct req *r)
{
    const char *why;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    json_t *d = json_object_get(in, "days");
    int days = json_is_integer(d) && json_integer_value(d) >= 0 &&
                       json_integer_value(d) <= AUDIT_RETENTION_MAX
                   ? (int)json_integer_value(d)
                   : -1;
    json_decref(in);
    if (days < 0)
        return resp_error(r, 400, RETENTION_RANGE);
    struct audit_who w = audit_http_who(r);
    struct audit_state s;
    if (audit_set_retention(r->db, &w, days) != 0 || audit_store_state(r->db, &s) != 0)
        return resp_error(r, 503, "the retention could not be saved; try again");
    return resp_json(r, 200, json_pack("{s:i, s:I}", "retention_days", s.retention_days,
                                       "pruned", (json_int_t)s.pruned_count));
}
