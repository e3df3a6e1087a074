#include "search/search_index.h"
#include "search/search_index_store.h"
#include "markup/textify.h"

#include <string.h>

static int letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Returns text with the brackets taken out of words that Markdown-style keys split ("E[x]tract",
 * "[c]reate", "Lis[t]": a bracketed one to three letters joined to a letter on one side at
 * least), so that the index holds the word a reader sees. In a (text itself when none). */
static const char *readable(struct arena *a, const char *text)
{
    if (!strchr(text, '['))
        return text;
    size_t n = strlen(text), o = 0;
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '[') {
            size_t k = i + 1;
            while (k < n && k - i <= 3 && letter(text[k]))
                k++;
            int inside = k > i + 1 && k - i <= 4 && k < n && text[k] == ']';
            int joined = inside && ((i > 0 && letter(text[i - 1])) ||
                                    (k + 1 < n && letter(text[k + 1])));
            if (joined) {
                memcpy(out + o, text + i + 1, k - i - 1);
                o += k - i - 1;
                i = k;
                continue;
            }
        }
        out[o++] = text[i];
    }
    out[o] = 0;
    return out;
}

int search_index_put(struct db *db, struct arena *a, int64_t page_id, const char *title,
                     const char *html, const char *tags, const char *space)
{
    struct search_index_words old, w = {.title = title, .tags = tags, .space = space};
    int had = search_index_store_current(db, a, page_id, &old);
    if (had < 0 || (had && search_index_store_forget(db, page_id, &old) != 0))
        return -1;
    char *body, *headings;
    textify_html(a, html, &body, &headings);
    w.body = readable(a, body);
    w.headings = readable(a, headings);
    w.title = readable(a, title);
    w.authors = search_index_store_authors(db, a, page_id);
    return search_index_store_put(db, page_id, &w);
}

int search_index_remove(struct db *db, int64_t page_id)
{
    struct arena *a = arena_new();
    struct search_index_words old;
    int had = search_index_store_current(db, a, page_id, &old), rc = had < 0 ? -1 : 0;
    if (had > 0) {
        rc = search_index_store_forget(db, page_id, &old) != 0 ||
                     search_index_store_drop(db, page_id) != 0
                 ? -1
                 : 0;
    }
    arena_free(a);
    return rc;
}

int search_index_move(struct db *db, int64_t page_id, const char *space)
{
    struct arena *a = arena_new();
    struct search_index_words w;
    int had = search_index_store_current(db, a, page_id, &w), rc = had < 0 ? -1 : 0;
    if (had > 0) {
        rc = search_index_store_forget(db, page_id, &w);
        w.space = space;
        if (rc == 0)
            rc = search_index_store_put(db, page_id, &w);
    }
    arena_free(a);
    return rc;
}
