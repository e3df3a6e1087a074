#include "http/request.h"
#include "markup/html.h"
#include "http/multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *req_param(const struct req *r, const char *name)
{
    for (const struct param *p = r->params; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p->value;
    return NULL;
}

void req_params_keep(const struct req *r, struct buf *b, const char *const *names, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const char *value = req_param(r, names[k]);
        if (!value || !*value)
            continue;
        buf_printf(b, "%s=", names[k]);
        html_url_query(b, value);
        buf_putc(b, '&');
    }
}

int req_int(struct req *r, const char *name, long dflt, long lo, long hi, long *out,
            const char **why)
{
    const char *s = req_param(r, name);
    if (!s || !*s) {
        *out = dflt;
        return 0;
    }
    const char *digits = s[0] == '-' && lo < 0 ? s + 1 : s;
    size_t n = strspn(digits, "0123456789");
    long v = n && !digits[n] && n <= 18 ? strtol(s, NULL, 10) : 0;
    if (!n || digits[n] || n > 18 || v < lo || v > hi) {
        *why = arena_printf(r->a, "%s must be a whole number from %ld to %ld", name, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

const char *req_header(const struct req *r, const char *name)
{
    return mg_get_header(r->conn, name);
}

const char *req_cookie(struct req *r, const char *name)
{
    const char *header = req_header(r, "Cookie");
    if (!header)
        return NULL;
    char value[256];
    if (mg_get_cookie(header, name, value, sizeof value) <= 0)
        return NULL;
    return arena_strdup(r->a, value);
}

/* Returns the largest body this request may send: for uploads (multipart/form-data and
 * application/octet-stream) --max-upload with room for the form around the file, else
 * --max-body. *why gets the message for a body above it. */
static size_t body_limit(struct req *r, const char **why)
{
    const char *ctype = req_header(r, "Content-Type");
    size_t limit = r->cfg->max_body, upload = r->cfg->max_upload;
    *why = "the request body is too large";
    if (ctype && (strncasecmp(ctype, "multipart/form-data", 19) == 0 ||
                  strncasecmp(ctype, "application/octet-stream", 24) == 0)) {
        *why = upload % (1 << 20) ? arena_printf(r->a, "the file is too large: ken takes files up "
                                                       "to %zu bytes", upload)
                                  : arena_printf(r->a, "the file is too large: ken takes files up "
                                                       "to %zu MiB", upload >> 20);
        if (upload + 65536 > limit)
            limit = upload + 65536;
    }
    return limit;
}

/* Puts the text fields of a multipart/form-data body into r->params, so that the CSRF check
 * and handlers read them like any form's; file parts stay in the body for the handler. 0, or
 * 400 on a malformed body or a field that is not UTF-8 text. */
static int parse_multipart_fields(struct req *r, const char *ctype, const char **why)
{
    const char *boundary = multipart_boundary(r->a, ctype);
    if (!boundary) {
        *why = "the form's Content-Type names no valid multipart boundary";
        return 400;
    }
    const struct multipart_part *part = multipart_parse(r->a, r->body, r->body_len, boundary, why);
    if (!part)
        return 400;
    for (; part; part = part->next) {
        if (part->filename)
            continue;
        if (!utf8_valid(part->name, strlen(part->name)) || !utf8_valid(part->data, part->len)) {
            *why = "the request has a parameter that is not valid UTF-8 text";
            return 400;
        }
        struct param *p = arena_alloc(r->a, sizeof *p);
        p->name = part->name;
        p->value = arena_strndup(r->a, part->data, part->len);
        p->next = r->params;
        r->params = p;
    }
    return 0;
}

static int read_body(struct req *r, const char **why)
{
    long long declared = r->ri->content_length;
    size_t limit = body_limit(r, why);
    if (declared > (long long)limit)
        return 413;
    size_t cap = declared > 0 ? (size_t)declared : limit < 65536 ? limit : 65536, len = 0;
    char *body = arena_alloc(r->a, cap + 1);
    for (;;) {
        if (len == cap) {
            char probe;
            if (declared > 0)
                break;
            if (cap >= limit) { /* full: anything more is too much */
                if (mg_read(r->conn, &probe, 1) > 0)
                    return 413;
                break;
            }
            size_t grown = cap * 2 < limit ? cap * 2 : limit;
            char *bigger = arena_alloc(r->a, grown + 1);
            memcpy(bigger, body, len);
            body = bigger;
            cap = grown;
        }
        int got = mg_read(r->conn, body + len, cap - len);
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    body[len] = 0;
    r->body = body;
    r->body_len = len;
    return 0;
}

int req_parse(struct req *r, const char **why)
{
    const char *q = r->ri->query_string;
    int rc;
    if (q && (rc = form_parse_urlencoded(r->a, q, strlen(q), 1, &r->params, why)))
        return rc;
    if (strcmp(r->method, "POST") != 0 && strcmp(r->method, "PUT") != 0 &&
        strcmp(r->method, "PATCH") != 0) /* PATCH: SCIM */
        return 0;
    if ((rc = read_body(r, why)))
        return rc;
    const char *ctype = req_header(r, "Content-Type");
    if (ctype && strncasecmp(ctype, "application/x-www-form-urlencoded", 33) == 0)
        return form_parse_urlencoded(r->a, r->body, r->body_len, 0, &r->params, why);
    if (ctype && strncasecmp(ctype, "multipart/form-data", 19) == 0)
        return parse_multipart_fields(r, ctype, why);
    return 0;
}

json_t *req_json(struct req *r, const char **why)
{
    return form_json_object(r->a, r->body, r->body_len, why);
}

void resp_header(struct req *r, const char *name, const char *value)
{
    buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

void resp_cookie(struct req *r, const char *name, const char *value, long max_age)
{
    buf_printf(&r->headers, "Set-Cookie: %s=%s; Path=/; HttpOnly; SameSite=Lax%s", name,
               max_age < 0 ? "" : value, r->https ? "; Secure" : "");
    if (max_age < 0)
        buf_puts(&r->headers, "; Max-Age=0");
    else if (max_age > 0)
        buf_printf(&r->headers, "; Max-Age=%ld", max_age);
    buf_puts(&r->headers, "\r\n");
}

/* Returns 1 when a write of this request failed because the database's disk is full. */
static int disk_full(const struct req *r)
{
    return db_disk_full(r->rw) || db_disk_full(r->db);
}

int resp_send(struct req *r, int status, const char *content_type, const char *body, size_t len)
{
    /* The one place a full disk becomes its status: 507 Insufficient Storage, not a 500/503. */
    if (status >= 500 && disk_full(r)) {
        fprintf(stderr, "ken: %s %s: not saved, the database's disk is full (507)\n", r->method,
                r->ri && r->ri->local_uri_raw ? r->ri->local_uri_raw : "?"); /* as sent: no \n */
        status = 507;
    }
    struct buf h;
    buf_init(&h, 0);
    buf_printf(&h,
               "HTTP/1.1 %d %s\r\n"
               "Content-Type: %s\r\n"
               "Content-Length: %zu\r\n"
               "Content-Security-Policy: default-src 'self'; img-src 'self' https: ; "
               "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; "
               "frame-ancestors 'none'; form-action 'self'\r\n"
               "X-Content-Type-Options: nosniff\r\n"
               "X-Frame-Options: DENY\r\n"
               "Referrer-Policy: same-origin\r\n",
               status, mg_get_response_code_text(r->conn, status), content_type, len);
    if (!strstr(buf_str(&r->headers), "Cache-Control:"))
        buf_puts(&h, "Cache-Control: private, no-cache\r\n");
    buf_append(&h, buf_str(&r->headers), r->headers.len);
    buf_puts(&h, "\r\n");
    /* Small bodies go in the same write as the headers; big ones (files) are not copied. */
    int big = len > 65536, head = strcmp(r->method, "HEAD") == 0;
    if (!head && !big)
        buf_append(&h, body, len);
    mg_write(r->conn, h.data, h.len);
    if (!head && big)
        mg_write(r->conn, body, len);
    buf_free(&h);
    r->status = status;
    r->sent = len;
    return status;
}

int resp_error(struct req *r, int status, const char *msg)
{
    /* Every failed write whose cause was a full disk says so, whatever the handler said. */
    if (status >= 500 && disk_full(r)) {
        status = 507;
        msg = "the server's disk is full, so nothing was saved; reading still works. Ask whoever "
              "runs ken to free some space, then try again";
    }
    if (r->error_page)
        return r->error_page(r, status, msg);
    if (r->is_api) {
        json_t *j = json_pack("{s:s}", "error", msg);
        return resp_json(r, status, j);
    }
    char *text = arena_printf(r->a, "%s\n", msg);
    return resp_send(r, status, "text/plain; charset=utf-8", text, strlen(text));
}

int resp_redirect(struct req *r, const char *location)
{
    resp_header(r, "Location", location);
    return resp_send(r, 303, "text/plain; charset=utf-8", "", 0);
}

int resp_json(struct req *r, int status, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(j);
    if (!s)
        die("out of memory encoding JSON");
    int rc = resp_send(r, status, "application/json", s, strlen(s));
    free(s);
    return rc;
}
