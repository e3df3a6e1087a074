#include "wiki/wikipath.h"
#include "core/buf.h"

#include <string.h>

enum { TAGS_MAX = 20, TAG_LEN_MAX = 40 };

const char *wikipath_check(const char *path)
{
    size_t len = strlen(path);
    if (len == 0)
        return "the page path is empty";
    if (len > WIKIPATH_MAX)
        return "the page path is longer than 200 characters";
    int depth = 1;
    size_t seg = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = path[i];
        if (c == '/' || c == 0) {
            if (seg == 0)
                return "the page path has an empty segment (two slashes, or a slash at the start "
                       "or end)";
            if (path[i - 1] == '-' || path[i - seg] == '-')
                return "a path segment cannot start or end with '-'";
            if (c == '/' && ++depth > WIKIPATH_DEPTH_MAX)
                return "the page path is nested more than 8 levels deep";
            seg = 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return "page paths use only lowercase letters a-z, digits, '-' and '/'";
        if (++seg > WIKIPATH_SEGMENT_MAX)
            return "a path segment is longer than 64 characters";
    }
    return NULL;
}

char *wikipath_space(struct arena *a, const char *path)
{
    const char *slash = strchr(path, '/');
    return slash ? arena_strndup(a, path, (size_t)(slash - path)) : arena_strdup(a, path);
}

char *wikipath_slug(struct arena *a, const char *text)
{
    size_t len = strlen(text);
    char *out = arena_alloc(a, (len < WIKIPATH_SEGMENT_MAX ? len : WIKIPATH_SEGMENT_MAX) + 1);
    size_t n = 0;
    int dash = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n < WIKIPATH_SEGMENT_MAX; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && n > 0)
                out[n++] = '-';
            if (n < WIKIPATH_SEGMENT_MAX)
                out[n++] = (char)c;
            dash = 0;
        } else if (c != '\'') {
            dash = 1;
        }
    }
    while (n > 0 && out[n - 1] == '-')
        n--;
    out[n] = 0;
    return out;
}

char *wikipath_parent(struct arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? arena_strndup(a, path, (size_t)(slash - path)) : NULL;
}

char *page_tags_normalise(struct arena *a, const char *in, const char **why)
{
    struct buf out;
    buf_init(&out, 0);
    int count = 0;
    const char *p = in ? in : "";
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            p++;
        size_t n = (size_t)(p - start);
        if (!n)
            continue;
        if (n > TAG_LEN_MAX || ++count > TAGS_MAX) {
            buf_free(&out);
            *why = n > TAG_LEN_MAX ? "a tag is longer than 40 characters"
                                   : "a page has at most 20 tags";
            return NULL;
        }
        char tag[TAG_LEN_MAX + 2];
        for (size_t i = 0; i < n; i++) {
            char c = start[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                buf_free(&out);
                *why = "tags use letters a-z, digits, '-' and '.', separated by commas or spaces";
                return NULL;
            }
            tag[i] = c;
        }
        tag[n] = ' ';
        tag[n + 1] = 0;
        char *seen = strstr(buf_str(&out), tag);
        if (seen && (seen == out.data || seen[-1] == ' '))
            continue; /* duplicate */
        buf_append(&out, tag, n + 1);
    }
    if (out.len)
        out.data[--out.len] = 0; /* trailing space */
    return arena_adopt(a, buf_take(&out));
}
