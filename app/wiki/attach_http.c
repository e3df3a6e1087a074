#include "wiki/attach_http.h"
#include "wiki/wiki_http.h"
#include "wiki/attach_store.h"
#include "markup/html.h"
#include "http/layout.h"
#include "wiki/link_store.h"
#include "http/multipart.h"
#include "wiki/page_store.h"
#include "core/sniff.h"
#include "wiki/wikipath.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char MISSING[] = "there is no page at this path; files belong to a page, so "
                              "write the page first";

/* Returns "512 bytes", "3.4 KiB", "20 MiB" for n, in a. */
static const char *size_text(struct arena *a, int64_t n)
{
    if (n < 1024)
        return arena_printf(a, "%lld byte%s", (long long)n, n == 1 ? "" : "s");
    double k = (double)n / 1024;
    if (k < 1024)
        return arena_printf(a, k < 10 && n % 1024 ? "%.1f KiB" : "%.0f KiB", k);
    double m = k / 1024;
    return arena_printf(a, m < 10 && n % (1024 * 1024) ? "%.1f MiB" : "%.0f MiB", m);
}

/* Returns the upload limit as the request body check says it: "20 MiB" or "100000 bytes". */
static const char *limit_text(struct arena *a, size_t n)
{
    return n % (1 << 20) ? arena_printf(a, "%zu bytes", n) : arena_printf(a, "%zu MiB", n >> 20);
}

/* Returns the address of an attachment: its newest version when version is 0. In a. */
static const char *file_url(struct arena *a, const char *path, const char *name, int version)
{
    return version ? arena_printf(a, "/files/%s/%s?v=%d", path, name, version)
                   : arena_printf(a, "/files/%s/%s", path, name);
}

/* Sends the bytes of attachment `at` (a draft's file when `draft`) with the headers that keep a
 * browser from running them. */
static int send_file(struct req *r, const struct attachment *at, int pinned, int draft)
{
    const char *etag = arena_printf(r->a, "\"%s\"", at->hash);
    int show = sniff_inline(at->content_type);
    /* The name is validated ([A-Za-z0-9._-]), so it needs no escaping inside the quotes. */
    resp_header(r, "Content-Disposition",
                arena_printf(r->a, "%s; filename=\"%s\"", show ? "inline" : "attachment", at->name));
    resp_header(r, "Content-Security-Policy", "sandbox"); /* on top of ken's own policy */
    resp_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    resp_header(r, "ETag", etag);
    /* A numbered version never changes; the newest one may, so it is checked each time. */
    resp_header(r, "Cache-Control", pinned ? "private, max-age=31536000, immutable"
                                           : "private, no-cache");
    const char *inm = req_header(r, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0)
        return resp_send(r, 304, at->content_type, "", 0);
    if (strcmp(r->method, "HEAD") == 0) /* resp_send sends no body for HEAD, only its length */
        return resp_send(r, 200, at->content_type, "", (size_t)at->size);
    size_t len = 0;
    const void *data = draft ? attach_store_draft_data(r->db, r->a, at->id, &len)
                             : attach_store_data(r->db, r->a, at->id, &len);
    if (!data)
        return resp_error(r, 404, "this file is gone");
    return resp_send(r, 200, at->content_type, data, len);
}

/* Serves attachment `name` of the page at `path`, version ?v=N or the newest. */
static int serve(struct req *r, const char *path, const char *name)
{
    const char *why = attach_name_check(name), *vs = req_param(r, "v");
    if (why)
        return resp_error(r, 400, why);
    if ((why = wikipath_check(path)))
        return resp_error(r, 400, why);
    char *end = NULL;
    long version = vs ? strtol(vs, &end, 10) : 0;
    if (vs && (!*vs || *end || version < 1 || version > 1000000))
        return resp_error(r, 400, "v must be a version number (1, 2, ...)");
    struct page *p = page_store_get(r->db, r->a, path);
    if (!p) {
        const char *moved = link_store_redirect(r->db, r->a, path);
        if (!moved || r->is_api)
            return resp_error(r, 404, "there is no page at this path");
        resp_header(r, "Location", arena_printf(r->a, "/files/%s/%s%s%s", moved, name,
                                                vs ? "?v=" : "", vs ? vs : ""));
        return resp_send(r, 301, "text/plain; charset=utf-8", "", 0);
    }
    struct attachment *at = attach_store_get(r->db, r->a, p->id, name, (int)version);
    if (!at)
        return resp_error(r, 404, version && attach_store_get(r->db, r->a, p->id, name, 0)
                                      ? "this file has no such version"
                                      : "this page has no file with that name");
    return send_file(r, at, version != 0, 0);
}

/* WEBPAGE: GET /files/PATH/NAME?v=N -> 200 attachment NAME of page PATH, the newest version or
 * version N: png, jpeg, gif and webp inline, everything else (SVG and HTML above all) only as a
 * download; 304 when the ETag matches; 301 when the page moved; 404; 400 bad path, name or N */
int attach_file_get(struct req *r)
{
    return serve(r, r->rest, r->args[1]);
}

/* Checks and stores one upload for the page at `path`. Returns 0 (with *out and *res), or an
 * HTTP status with *why. */
static int save_upload(struct req *r, const char *path, const char *name, const char *data,
                       size_t len, struct attachment **out, enum attach_save_result *res,
                       const char **why)
{
    if ((*why = wikipath_check(path)))
        return 400;
    struct page *p = page_store_get(r->db, r->a, path);
    if (!p) {
        *why = "there is no page at this path; files belong to a page, so write the page first";
        return 404;
    }
    if (len > r->cfg->max_upload) {
        *why = arena_printf(r->a, "the file is too large: ken takes files up to %s",
                            limit_text(r->a, r->cfg->max_upload));
        return 413;
    }
    if ((*why = attach_name_check(name)))
        return 400;
    if (len == 0) {
        *why = "the file is empty";
        return 400;
    }
    *res = attach_store_save(r->db, r->a, p->id, name, data, len, r->user->id, out, why);
    return *res == ATTACH_CREATED || *res == ATTACH_SAME ? 0 : (int)*res;
}

/* WEBPAGE: POST /upload/PATH (multipart/form-data: csrf, file, optional name, optional
 * back=list) -> 303 to the page (or to its attachments with back=list) saying what was saved;
 * 400 no file, empty file or bad name; 404 no page; 413 too large; 403 (router) no CSRF token */
int attach_upload(struct req *r)
{
    const char *boundary = multipart_boundary(r->a, req_header(r, "Content-Type")), *why = NULL;
    if (!boundary)
        return resp_error(r, 400, "send files with the upload form (multipart/form-data)");
    const struct multipart_part *parts =
        multipart_parse(r->a, r->body, r->body_len, boundary, &why);
    if (!parts)
        return resp_error(r, 400, why);
    const struct multipart_part *file = multipart_find(parts, "file");
    if (!file || (file->filename && !*file->filename && !file->len))
        return resp_error(r, 400, "choose a file to upload");
    const char *name = req_param(r, "name");
    if (!name || !*name) {
        name = attach_name_from_filename(r->a, file->filename);
        if (!name)
            return resp_error(r, 400, "ken cannot make a file name from this file's name; type "
                                      "a name for it (letters, digits, '.', '_' and '-')");
    }
    struct attachment *at = NULL;
    enum attach_save_result res;
    int rc = save_upload(r, r->rest, name, file->data, file->len, &at, &res, &why);
    if (rc)
        return resp_error(r, rc, why);
    const char *back = req_param(r, "back");
    struct buf loc;
    buf_init(&loc, 0);
    buf_puts(&loc, back && strcmp(back, "list") == 0 ? "/attachments/" : "/wiki/");
    html_url_path(&loc, r->rest);
    buf_printf(&loc, "?uploaded=%s&version=%d%s#attachments", at->name, at->version,
               res == ATTACH_SAME ? "&same=1" : "");
    return resp_redirect(r, arena_adopt(r->a, buf_take(&loc)));
}

static json_t *version_json(struct arena *a, const char *path, const struct attachment *at)
{
    return json_pack("{s:s, s:i, s:I, s:s, s:s, s:s, s:s, s:s}", "name", at->name, "version",
                     at->version, "size", (json_int_t)at->size, "content_type", at->content_type,
                     "hash", at->hash, "uploader", at->uploader_login, "created_at",
                     layout_iso_time(a, at->created_at), "url",
                     file_url(a, path, at->name, at->version));
}

/* API: POST /api/upload/PATH?name=NAME with the file's bytes as the body (Content-Type:
 * application/octet-stream) -> 201 {name, version, size, content_type, hash, uploader,
 * created_at, url} a new version; 200 the same for the existing version when the newest one
 * has these very bytes; 400 bad path, name or empty body; 404 no page; 413 too large; 415 not
 * application/octet-stream */
int attach_api_upload(struct req *r)
{
    const char *ctype = req_header(r, "Content-Type"), *why = NULL;
    if (!ctype || strncasecmp(ctype, "application/octet-stream", 24) != 0)
        return resp_error(r, 415, "send the file's bytes as the body with Content-Type: "
                                  "application/octet-stream, and its name as ?name=NAME");
    const char *name = req_param(r, "name");
    if (!name)
        return resp_error(r, 400, "name the file with ?name=NAME");
    struct attachment *at = NULL;
    enum attach_save_result res;
    int rc = save_upload(r, r->rest, name, r->body, r->body_len, &at, &res, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, res == ATTACH_CREATED ? 201 : 200, version_json(r->a, r->rest, at));
}

/* API: GET /api/pages/PATH/attachments -> 200 {path, attachments: [{name, version, size,
 * content_type, hash, uploader, created_at, url, versions: [the same for each version, newest
 * first]}]}, by name; GET /api/pages/PATH/attachments/NAME?v=N -> the file, as /files/ serves
 * it; 404; 400 */
int attach_api_file(struct req *r)
{
    return serve(r, r->rest, r->args[1]);
}

int attach_api_list(struct req *r)
{
    const char *path = r->rest;
    int sent;
    struct page *p = wiki_http_load_page(r, path, MISSING, &sent);
    if (!p)
        return sent;
    json_t *list = json_array(), *cur = NULL, *versions = NULL;
    const char *cur_name = "";
    for (struct attachment *at = attach_store_versions(r->db, r->a, p->id); at; at = at->next) {
        if (!cur || strcmp(cur_name, at->name) != 0) { /* newest version of the next name */
            cur = version_json(r->a, p->path, at);
            json_object_set_new(cur, "url", json_string(file_url(r->a, p->path, at->name, 0)));
            json_object_set_new(cur, "versions", versions = json_array());
            json_array_append_new(list, cur);
            cur_name = at->name;
        }
        json_array_append_new(versions, version_json(r->a, p->path, at));
    }
    return resp_json(r, 200, json_pack("{s:s, s:o}", "path", p->path, "attachments", list));
}

/* Adds the values of web/attachments_form.html to v. */
static void form_vars(struct req *r, struct tvars *v, const char *path, const char *back)
{
    tv_text(v, "upload_path", path);
    tv_text(v, "upload_back", back);
    tv_text(v, "max_upload", limit_text(r->a, r->cfg->max_upload));
    const char *uploaded = req_param(r, "uploaded"), *version = req_param(r, "version");
    const char *notice = NULL;
    if (uploaded && version && !attach_name_check(uploaded) && atoi(version) > 0)
        notice = req_param(r, "same")
                     ? arena_printf(r->a, "%s is unchanged: version %d already has these bytes.",
                                    uploaded, atoi(version))
                     : arena_printf(r->a, "Saved %s as version %d.", uploaded, atoi(version));
    tv_text(v, "upload_notice", notice);
}

static void item_vars(struct req *r, struct tvars *i, const char *path, const struct attachment *at,
                      int pinned)
{
    tv_text(i, "name", at->name);
    tv_text(i, "href", file_url(r->a, path, at->name, pinned ? at->version : 0));
    tv_int(i, "version", at->version);
    tv_int(i, "versions", at->versions);
    tv_text(i, "size", size_text(r->a, at->size));
    tv_text(i, "type", at->content_type);
    tv_text(i, "uploader", at->uploader_name);
    tv_text(i, "when", layout_date(r->a, at->created_at));
    tv_bool(i, "is_image", sniff_inline(at->content_type));
    tv_bool(i, "is_newest", at->version == at->versions);
}

void attach_page_vars(struct req *r, struct tvars *v, int64_t page_id, const char *path)
{
    int n = 0;
    struct attachment *list = attach_store_list(r->db, r->a, page_id, &n);
    tv_list(v, "attachments");
    for (struct attachment *at = list; at; at = at->next)
        item_vars(r, tv_item(v, "attachments"), path, at, 0);
    tv_bool(v, "has_attachments", n > 0);
    tv_bool(v, "show_attachments", n > 0 || (r->user && r->user->role >= ROLE_EDITOR));
    form_vars(r, v, path, "page");
}

/* WEBPAGE: GET /attachments/PATH -> 200 every file of the page with all its versions (size,
 * type, uploader, date) and, for editors, the upload form; 404 no page; 400 bad path */
int attach_list_page(struct req *r)
{
    int sent;
    struct page *p = wiki_http_load_page(r, r->rest, MISSING, &sent);
    if (!p)
        return sent;
    struct tvars *v = wiki_http_page_vars(r, p);
    tv_list(v, "files");
    struct tvars *file = NULL;
    for (struct attachment *at = attach_store_versions(r->db, r->a, p->id); at; at = at->next) {
        if (at->version == at->versions) { /* the newest comes first and opens the name's table */
            file = tv_item(v, "files");
            tv_text(file, "name", at->name);
            tv_text(file, "href", file_url(r->a, p->path, at->name, 0));
        }
        if (file)
            item_vars(r, tv_item(file, "versions"), p->path, at, 1);
    }
    form_vars(r, v, p->path, "list");
    return layout_page(r, 200, arena_printf(r->a, "Files of %s", p->title), "attachments", v);
}

/* ---- files dropped into the editor of a page not yet saved ---- */

/* API: POST /api/drafts/KEY?name=NAME (or &filename=F, made into a name) with the file's bytes as
 * the body (application/octet-stream) -> 201 {name, url, content_type, size, image} kept for
 * this person until the page's first save (which carries draft=KEY) makes it an attachment of
 * the page; 400 bad key, name or empty; 413 too large or too many waiting; 415 */
int attach_api_draft_upload(struct req *r)
{
    const char *ctype = req_header(r, "Content-Type"), *why = NULL;
    if (!ctype || strncasecmp(ctype, "application/octet-stream", 24) != 0)
        return resp_error(r, 415, "send the file's bytes as the body with Content-Type: "
                                  "application/octet-stream, and its name as ?name=NAME");
    if ((why = attach_draft_key_check(r->rest)))
        return resp_error(r, 400, why);
    const char *name = req_param(r, "name");
    if (!name || !*name) {
        const char *filename = req_param(r, "filename");
        name = filename ? attach_name_from_filename(r->a, filename) : NULL;
        if (!name)
            return resp_error(r, 400, "name the file with ?name=NAME (letters, digits, '.', '_' "
                                      "and '-')");
    }
    if ((why = attach_name_check(name)))
        return resp_error(r, 400, why);
    if (r->body_len > r->cfg->max_upload)
        return resp_error(r, 413, arena_printf(r->a, "the file is too large: ken takes files up "
                                                     "to %s", limit_text(r->a, r->cfg->max_upload)));
    if (r->body_len == 0)
        return resp_error(r, 400, "the file is empty");
    const char *type = NULL;
    int rc = attach_store_draft_save(r->db, r->a, r->user->id, r->rest, name, r->body,
                                     r->body_len, &type, &why);
    if (rc != 201)
        return resp_error(r, rc, why);
    return resp_json(r, 201, json_pack("{s:s, s:s, s:s, s:I, s:b}", "name", name, "url",
                                       arena_printf(r->a, "/drafts/%s/%s", r->rest, name),
                                       "content_type", type, "size", (json_int_t)r->body_len,
                                       "image", sniff_inline(type)));
}

/* WEBPAGE: GET /drafts/KEY/NAME -> 200 a file dropped into one's own editor before the page's
 * first save, with the same headers as /files/ (only images inline); 404 for anyone else's */
int attach_draft_get(struct req *r)
{
    const char *key = r->rest, *name = r->args[1];
    const char *why = attach_draft_key_check(key);
    if (why || (why = attach_name_check(name)))
        return resp_error(r, 400, why);
    struct attachment *at = attach_store_draft_get(r->db, r->a, r->user->id, key, name);
    if (!at)
        return resp_error(r, 404, "you have no draft file with that name");
    return send_file(r, at, 0, 1);
}
