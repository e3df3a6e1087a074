#include "http/multipart.h"

#include <string.h>
#include <strings.h>

enum { BOUNDARY_MAX = 70 };

/* RFC 2046 bchars: what a boundary may hold (a space, but not at the end). */
static int boundary_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           strchr("'()+_,-./:=? ", c) != NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Reads the next "; key=value" of a header value at *s (a token or a quoted-string with
 * backslash escapes) into *key and *value (in a), and moves *s past it. Returns 1 when one was
 * read, 0 at the end, -1 on bad syntax. */
static int next_param(struct arena *a, const char **s, const char **key, const char **value)
{
    const char *p = *s;
    while (is_space(*p))
        p++;
    if (!*p)
        return 0;
    if (*p != ';')
        return -1;
    p++;
    while (is_space(*p))
        p++;
    const char *k = p;
    while (*p && *p != '=' && *p != ';' && !is_space(*p) && *p != '"')
        p++;
    if (p == k || *p != '=')
        return -1;
    *key = arena_strndup(a, k, (size_t)(p - k));
    p++;
    if (*p == '"') {
        char *out = arena_alloc(a, strlen(p)), *o = out;
        for (p++; *p != '"'; p++) {
            if (!*p)
                return -1;
            if (*p == '\\' && p[1])
                p++;
            *o++ = *p;
        }
        p++;
        *o = 0;
        *value = out;
    } else {
        const char *v = p;
        while (*p && *p != ';' && !is_space(*p) && *p != '"')
            p++;
        if (p == v)
            return -1;
        *value = arena_strndup(a, v, (size_t)(p - v));
    }
    *s = p;
    return 1;
}

/* Returns 1 when the header value `v` starts with the token `tok` (case-insensitive), followed
 * by the end, a space or ';'; *rest then points after the token. */
static int starts_with_token(const char *v, const char *tok, const char **rest)
{
    size_t n = strlen(tok);
    while (is_space(*v))
        v++;
    if (strncasecmp(v, tok, n) != 0 || (v[n] && v[n] != ';' && !is_space(v[n])))
        return 0;
    *rest = v + n;
    return 1;
}

const char *multipart_boundary(struct arena *a, const char *content_type)
{
    const char *p, *key, *value, *boundary = NULL;
    if (!content_type || !starts_with_token(content_type, "multipart/form-data", &p))
        return NULL;
    int rc;
    while ((rc = next_param(a, &p, &key, &value)) == 1)
        if (strcasecmp(key, "boundary") == 0) {
            if (boundary)
                return NULL;
            boundary = value;
        }
    if (rc < 0 || !boundary)
        return NULL;
    size_t n = strlen(boundary);
    if (n < 1 || n > BOUNDARY_MAX || boundary[n - 1] == ' ')
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!boundary_char(boundary[i]))
            return NULL;
    return boundary;
}

/* Fills the part's name and filename from its Content-Disposition value. NULL, or what is
 * wrong. */
static const char *parse_disposition(struct arena *a, const char *v, struct multipart_part *part)
{
    const char *p, *key, *value;
    if (!starts_with_token(v, "form-data", &p))
        return "a part of the upload is not form-data";
    int rc;
    while ((rc = next_param(a, &p, &key, &value)) == 1) {
        const char **slot = strcasecmp(key, "name") == 0       ? &part->name
                            : strcasecmp(key, "filename") == 0 ? &part->filename
                                                               : NULL;
        if (!slot)
            continue; /* filename* and extensions: ken names files itself */
        if (*slot)
            return "a part of the upload names its field twice";
        *slot = value;
    }
    if (rc < 0)
        return "a part of the upload has a malformed Content-Disposition header";
    if (!part->name || !*part->name)
        return "a part of the upload has no field name";
    return NULL;
}

/* Parses the header lines of one part, from p up to the empty line, into part. Returns the
 * start of the part's data, or NULL with *why. */
static const char *parse_part_headers(struct arena *a, const char *p, const char *end,
                                      struct multipart_part *part, const char **why)
{
    size_t room = (size_t)(end - p);
    const char *stop = memmem(p, room < MULTIPART_HEADERS_MAX ? room : MULTIPART_HEADERS_MAX,
                              "\r\n\r\n", 4);
    if (p + 2 <= end && p[0] == '\r' && p[1] == '\n') {
        *why = "a part of the upload has no Content-Disposition header";
        return NULL;
    }
    if (!stop) {
        *why = room < MULTIPART_HEADERS_MAX ? "the upload was cut off (in the headers of a part)"
                                            : "a part of the upload has too many header lines";
        return NULL;
    }
    int seen_disposition = 0;
    while (p < stop + 2) {
        const char *eol = memmem(p, (size_t)(stop + 2 - p), "\r\n", 2);
        const char *colon = memchr(p, ':', (size_t)(eol - p));
        for (const char *c = p; c < eol; c++)
            if ((unsigned char)*c < 0x20 && *c != '\t') {
                *why = "a header line in the upload holds a control character";
                return NULL;
            }
        if (!colon || colon == p || is_space(*p)) {
            *why = "a part of the upload has a malformed header line";
            return NULL;
        }
        size_t nlen = (size_t)(colon - p);
        const char *value = arena_strndup(a, colon + 1, (size_t)(eol - colon - 1));
        if (nlen == 19 && strncasecmp(p, "Content-Disposition", nlen) == 0) {
            if (seen_disposition++) {
                *why = "a part of the upload has two Content-Disposition headers";
                return NULL;
            }
            if ((*why = parse_disposition(a, value, part)))
                return NULL;
        } else if (nlen == 12 && strncasecmp(p, "Content-Type", nlen) == 0) {
            while (is_space(*value))
                value++;
            part->content_type = value;
        }
        p = eol + 2;
    }
    if (!seen_disposition) {
        *why = "a part of the upload has no Content-Disposition header";
        return NULL;
    }
    return stop + 4;
}

struct multipart_part *multipart_parse(struct arena *a, const char *body, size_t len,
                                       const char *boundary, const char **why)
{
    size_t blen = strlen(boundary), dlen = blen + 4; /* CRLF "--" boundary */
    char *delim = arena_alloc(a, dlen + 1);
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, blen);
    const char *p = body, *end = body + len;
    struct multipart_part *head = NULL, **tail = &head;
    int count = 0;
    if (len < dlen - 2 || memcmp(p, delim + 2, dlen - 2) != 0) {
        *why = "the upload does not start with the boundary its Content-Type names";
        return NULL;
    }
    p += dlen - 2;
    for (;;) {
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            break; /* the closing delimiter; what follows is an epilogue */
        while (p < end && is_space(*p))
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
            *why = p >= end ? "the upload was cut off (no closing boundary)"
                            : "a boundary line in the upload is malformed";
            return NULL;
        }
        p += 2;
        if (++count > MULTIPART_MAX_PARTS) {
            *why = "the upload has too many parts";
            return NULL;
        }
        struct multipart_part *part = arena_alloc(a, sizeof *part);
        if (!(p = parse_part_headers(a, p, end, part, why)))
            return NULL;
        const char *stop = memmem(p, (size_t)(end - p), delim, dlen);
        if (!stop) {
            *why = "the upload was cut off (no closing boundary)";
            return NULL;
        }
        part->data = p;
        part->len = (size_t)(stop - p);
        *tail = part;
        tail = &part->next;
        p = stop + dlen;
    }
    if (!head)
        *why = "the upload has no fields";
    return head;
}

const struct multipart_part *multipart_find(const struct multipart_part *parts, const char *name)
{
    for (; parts; parts = parts->next)
        if (strcmp(parts->name, name) == 0)
            return parts;
    return NULL;
}
