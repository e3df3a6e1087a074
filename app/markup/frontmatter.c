#include "markup/frontmatter.h"

#include <string.h>

/* Returns the end of the block (its closing "\n---\n") or NULL. */
static const char *block_end(const char *text)
{
    if (strncmp(text, "---\n", 4) != 0)
        return NULL;
    return strstr(text + 3, "\n---\n");
}

char *frontmatter_get(struct arena *a, const char *text, const char *key)
{
    const char *end = block_end(text);
    size_t klen = strlen(key);
    for (const char *p = end ? text + 4 : NULL; p && p < end;) {
        if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
            const char *v = p + klen + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            size_t n = strcspn(v, "\n");
            while (n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
                n--;
            return arena_strndup(a, v, n);
        }
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return arena_strdup(a, "");
}

const char *frontmatter_body(const char *text)
{
    const char *end = block_end(text);
    return end ? end + 5 : text;
}
