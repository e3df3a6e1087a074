#include "http/static_http.h"
#include "core/embed.h"

#include <string.h>

static const char *content_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".css", "text/css; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},            {".png", "image/png"},
        {".xml", "application/xml"},          {".txt", "text/plain; charset=utf-8"},
        {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

static int send_file(struct req *r, const char *name)
{
    const struct embed_file *f = embed_find(name);
    if (!f)
        return resp_error(r, 404, "there is no such file");
    /* The build embeds the files, so a file's version is ken's version plus its length. */
    const char *etag = arena_printf(r->a, "\"%s-%zu\"", KEN_VERSION, f->len);
    resp_header(r, "ETag", etag);
    resp_header(r, "Cache-Control", "public, max-age=3600");
    const char *inm = req_header(r, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0)
        return resp_send(r, 304, content_type(name), "", 0);
    return resp_send(r, 200, content_type(name), f->data, f->len);
}

int static_get(struct req *r)
{
    if (strstr(r->rest, "..") || !*r->rest)
        return resp_error(r, 404, "there is no such file");
    return send_file(r, arena_printf(r->a, "web/static/%s", r->rest));
}

int static_favicon(struct req *r)
{
    return send_file(r, "web/static/logo.svg");
}
