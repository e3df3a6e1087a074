#include "search/search_index.h"
#include "markup/textify.h"

#include <string.h>

struct words {
    const char *title, *headings, *body, *tags, *space, *authors;
};

/* Loads what is indexed for the page now; 1 when there is something, 0 when not, -1 on error. */
static int current(struct db *db, struct arena *a, int64_t page_id, struct words *w)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT title, headings, body, tags, space, authors FROM "
                                   "page_text WHERE page_id = :id");
    db_bind_int(st, ":id", page_id);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        w->title = arena_strdup(a, db_col_text(st, 0));
        w->headings = arena_strdup(a, db_col_text(st, 1));
        w->body = arena_strdup(a, db_col_text(st, 2));
        w->tags = arena_strdup(a, db_col_text(st, 3));
        w->space = arena_strdup(a, db_col_text(st, 4));
        w->authors = arena_strdup(a, db_col_text(st, 5));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void bind_words(sqlite3_stmt *st, int64_t page_id, const struct words *w)
{
    db_bind_int(st, ":id", page_id);
    db_bind_text(st, ":title", w->title);
    db_bind_text(st, ":headings", w->headings);
    db_bind_text(st, ":body", w->body);
    db_bind_text(st, ":tags", w->tags);
    db_bind_text(st, ":space", w->space);
    db_bind_text(st, ":authors", w->authors);
}

/* FTS5 external content: to forget a row, the index must be given the words it indexed. */
static int forget(struct db *db, int64_t page_id, const struct words *w)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO page_search(page_search, rowid, title, headings, "
                                   "body, tags, space, authors) VALUES ('delete', :id, :title, "
                                   ":headings, :body, :tags, :space, :authors)");
    bind_words(st, page_id, w);
    return db_run(st);
}

static int store(struct db *db, int64_t page_id, const struct words *w)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO page_text(page_id, title, headings, "
                                   "body, tags, space, authors) VALUES (:id, :title, :headings, "
                                   ":body, :tags, :space, :authors)");
    bind_words(st, page_id, w);
    if (db_run(st) != 0)
        return -1;
    st = db_stmt(db, "INSERT INTO page_search(rowid, title, headings, body, tags, space, authors) "
                     "VALUES (:id, :title, :headings, :body, :tags, :space, :authors)");
    bind_words(st, page_id, w);
    return db_run(st);
}

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
    struct words old, w = {.title = title, .tags = tags, .space = space};
    int had = current(db, a, page_id, &old);
    if (had < 0 || (had && forget(db, page_id, &old) != 0))
        return -1;
    char *body, *headings;
    textify_html(a, html, &body, &headings);
    w.body = readable(a, body);
    w.headings = readable(a, headings);
    w.title = readable(a, title);
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(group_concat(name, ', '), '') FROM (SELECT "
                                   "DISTINCT u.name FROM revisions r JOIN users u ON u.id = "
                                   "r.author_id WHERE r.page_id = :id)");
    db_bind_int(st, ":id", page_id);
    w.authors = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
    sqlite3_reset(st);
    return store(db, page_id, &w);
}

int search_index_remove(struct db *db, int64_t page_id)
{
    struct arena *a = arena_new();
    struct words old;
    int had = current(db, a, page_id, &old), rc = had < 0 ? -1 : 0;
    if (had > 0) {
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM page_text WHERE page_id = :id");
        db_bind_int(st, ":id", page_id);
        rc = forget(db, page_id, &old) != 0 || db_run(st) != 0 ? -1 : 0;
    }
    arena_free(a);
    return rc;
}

int search_index_move(struct db *db, int64_t page_id, const char *space)
{
    struct arena *a = arena_new();
    struct words w;
    int had = current(db, a, page_id, &w), rc = had < 0 ? -1 : 0;
    if (had > 0) {
        rc = forget(db, page_id, &w);
        w.space = space;
        if (rc == 0)
            rc = store(db, page_id, &w);
    }
    arena_free(a);
    return rc;
}
