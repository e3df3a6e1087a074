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
        size_t n = strcspn(p, ",\n\r");
        char tag[TAG_LEN_MAX + 2];
        size_t len = 0;
        int gap = 0;
        for (size_t i = 0; i < n; i++) {
            char c = p[i];
            if (c == ' ' || c == '\t') {
                gap = len > 0; /* inner spaces become one; leading and trailing ones go */
                continue;
            }
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
                buf_free(&out);
                *why = "tags use letters a-z, digits, spaces, '-' and '.', and are separated by "
                       "commas";
                return NULL;
            }
            if (len + gap >= TAG_LEN_MAX) {
                buf_free(&out);
                *why = "a tag is longer than 40 characters";
                return NULL;
            }
            if (gap)
                tag[len++] = ' ';
            gap = 0;
            tag[len++] = c;
        }
        p += n + (p[n] != 0);
        if (!len)
            continue;
        int dup = 0;
        for (const char *t = buf_str(&out); *t && !dup;) {
            size_t m = strcspn(t, PAGE_TAGS_SEP);
            dup = m == len && memcmp(t, tag, len) == 0;
            t += m + (t[m] != 0);
        }
        if (dup)
            continue;
        if (++count > TAGS_MAX) {
            buf_free(&out);
            *why = "a page has at most 20 tags";
            return NULL;
        }
        if (out.len)
            buf_puts(&out, PAGE_TAGS_SEP);
        buf_append(&out, tag, len);
    }
    return arena_adopt(a, buf_take(&out));
}

const char *page_tags_text(struct arena *a, const char *tags)
{
    struct buf b;
    buf_init(&b, 0);
    for (const char *p = tags ? tags : ""; *p; p++)
        buf_puts(&b, *p == PAGE_TAGS_SEP[0] ? ", " : (char[]){*p, 0});
    return arena_adopt(a, buf_take(&b));
}

/* ---- attachment names ---- */

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

const char *attach_name_check(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return "give the file a name";
    if (n > ATTACH_NAME_MAX)
        return "a file name has at most 100 characters";
    for (size_t i = 0; i < n; i++)
        if (!name_char(name[i]))
            return "a file name uses only letters A-Z and a-z, digits, '.', '_' and '-' (no "
                   "spaces, no '/')";
    if (name[0] == '.')
        return "a file name may not start with '.'";
    if (strstr(name, ".."))
        return "a file name may not contain '..'";
    return NULL;
}

char *attach_name_from_filename(struct arena *a, const char *filename)
{
    const char *base = filename ? filename : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t n = strlen(base);
    char *out = arena_alloc(a, n + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        char c = name_char(base[i]) ? base[i] : '-';
        char prev = len ? out[len - 1] : '.'; /* nothing may start the name but a letter or digit */
        if ((c == '-' || c == '.') && (prev == '-' || prev == '.')) {
            if (c == '.' && prev == '-')
                out[len - 1] = '.'; /* "Photo (1).png": "Photo-1.png", not "Photo-1-.png" */
            continue;
        }
        out[len++] = c;
    }
    while (len && (out[len - 1] == '-' || out[len - 1] == '.'))
        len--;
    out[len] = 0;
    if (len > ATTACH_NAME_MAX) { /* keep a short extension, cut the stem */
        const char *dot = strrchr(out, '.');
        size_t ext = dot && strlen(dot) <= 12 ? strlen(dot) : 0, cut = ATTACH_NAME_MAX - ext;
        while (cut && (out[cut - 1] == '-' || out[cut - 1] == '.'))
            cut--;
        memmove(out + cut, out + len - ext, ext + 1);
        len = cut + ext;
    }
    return len && !attach_name_check(out) ? out : NULL;
}
