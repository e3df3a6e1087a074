#include "wiki/wikipath.h"

#include <string.h>

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
