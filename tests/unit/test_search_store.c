/* Search over a small database: facet counts, filters, paging past the boosted pool, the
 * boost for verified and read pages, and title suggestions. */
#include "core/buf.h"
#include "check.h"
#include "testdb.h"
#include "markup/html.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "wiki/page_store.h"
#include "search/search_store.h"
#include "accounts/user_store.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct db *db;
static struct arena *a;
static int64_t now;

static int64_t user(const char *login)
{
    const char *why;
    return user_store_add(db, a, login, login, ROLE_EDITOR, NULL, &why);
}

static void save(const char *path, const char *title, const char *md, const char *tags,
                 int64_t author, int64_t days_ago)
{
    struct page_edit e = {.path = path, .title = title, .markdown = md, .tags = tags,
                          .summary = "", .base_rev = -1, .author_id = author,
                          .at = now - days_ago * 86400};
    int rev;
    const char *why;
    enum page_save_result r = page_store_save(db, a, &e, &rev, &why);
    CHECK(r == PAGE_CREATED || r == PAGE_UPDATED);
}

static struct search_result find(const char *q, int limit, int offset)
{
    struct search_query sq;
    struct search_result res;
    search_query_parse(a, q, &sq);
    CHECK(search_store_pages(db, a, &sq, limit, offset, 1, &res) == 0);
    return res;
}

/* Returns the facet as "value=count value=count". */
static const char *facet(const struct search_result *res, int kind)
{
    struct buf b;
    buf_init(&b, 0);
    for (const struct search_facet *f = res->facets[kind]; f; f = f->next)
        buf_printf(&b, "%s%s=%d", b.len ? " " : "", f->value, f->count);
    return arena_adopt(a, buf_take(&b));
}

static const char *paths(const struct search_hit *h)
{
    struct buf b;
    buf_init(&b, 0);
    for (; h; h = h->next)
        buf_printf(&b, "%s%s", b.len ? " " : "", h->path);
    return arena_adopt(a, buf_take(&b));
}

int main(void)
{
    xmlInitParser();
    markdown_init();
    struct testdb tdb;
    db = testdb_open(&tdb);
    a = arena_new();
    now = (int64_t)time(NULL);
    int64_t ana = user("ana"), bo = user("bo");

    save("ops/a", "Alpha", "About the wombat.\n", "vpn, linux", ana, 2);
    save("ops/b", "Beta", "Another wombat.\n", "vpn", bo, 20);
    save("it/c", "Gamma", "A wombat here.\n", "linux", ana, 200);
    save("it/c", "Gamma", "A wombat here too.\n", "linux", bo, 100);
    save("hr/d", "Delta", "Wombat, old.\n", "", bo, 400);

    /* Facets count every matching page: spaces and tags most first (then by name), people by
     * pages they wrote part of, and ages each counting the shorter ones. */
    struct search_result res = find("wombat", 20, 0);
    CHECK(res.total == 4);
    CHECK_STR(facet(&res, SEARCH_FACET_SPACE), "ops=2 hr=1 it=1");
    CHECK_STR(facet(&res, SEARCH_FACET_TAG), "linux=2 vpn=2");
    CHECK_STR(facet(&res, SEARCH_FACET_AUTHOR), "bo=3 ana=2");
    CHECK_STR(facet(&res, SEARCH_FACET_UPDATED), "week=1 month=2 year=3 older=1");
    CHECK(res.facets[SEARCH_FACET_UPDATED] &&
          strcmp(res.facets[SEARCH_FACET_UPDATED]->label, "This week") == 0);

    /* Each facet value, added as a filter, finds as many pages as it counted. */
    CHECK(find("wombat space:ops", 20, 0).total == 2);
    CHECK(find("wombat tag:linux", 20, 0).total == 2);
    CHECK(find("wombat author:ana", 20, 0).total == 2);
    CHECK(find("wombat author:bo", 20, 0).total == 3);
    CHECK(find("wombat updated:week", 20, 0).total == 1);
    CHECK(find("wombat updated:month", 20, 0).total == 2);
    CHECK(find("wombat updated:year", 20, 0).total == 3);
    CHECK(find("wombat updated:older", 20, 0).total == 1);
    res = find("wombat tag:linux updated:month", 20, 0);
    CHECK_STR(paths(res.hits), "ops/a");
    CHECK_STR(facet(&res, SEARCH_FACET_SPACE), "ops=1");
    CHECK_STR(facet(&res, SEARCH_FACET_UPDATED), "week=1 month=1 year=1");

    /* Filters alone list pages newest first, with facets too. */
    res = find("space:ops", 20, 0);
    CHECK_STR(paths(res.hits), "ops/a ops/b");
    CHECK_STR(facet(&res, SEARCH_FACET_TAG), "vpn=2 linux=1");
    CHECK(find("type:person wombat", 20, 0).total == 0);
    CHECK(find("", 20, 0).total == 0);

    /* Without facets asked for, none are counted. */
    struct search_query sq;
    search_query_parse(a, "wombat", &sq);
    CHECK(search_store_pages(db, a, &sq, 20, 0, 0, &res) == 0);
    CHECK(res.total == 4 && !res.facets[SEARCH_FACET_SPACE] && !res.facets[SEARCH_FACET_UPDATED]);

    /* Paging: the first 100 by text are reordered by the boost, the rest follow by text; pages
     * of results neither repeat nor skip, also across that border. */
    db_begin(db);
    for (int i = 0; i < 130; i++) {
        char p[32], t[32], md[64];
        snprintf(p, sizeof p, "zoo/q%03d", i);
        snprintf(t, sizeof t, "Quagga %d", i);
        snprintf(md, sizeof md, "quagga%s\n", i % 3 ? "" : " quagga quagga");
        save(p, t, md, "", ana, i % 50);
    }
    db_commit(db);
    const char *all = paths(find("quagga", 130, 0).hits);
    struct buf paged;
    buf_init(&paged, 0);
    for (int off = 0; off < 130; off += 20) {
        res = find("quagga", 20, off);
        CHECK(res.total == 130);
        buf_printf(&paged, "%s%s", paged.len ? " " : "", paths(res.hits));
    }
    CHECK_STR(buf_str(&paged), all);
    buf_free(&paged);
    res = find("quagga", 7, 97); /* across the border */
    int n = 0;
    for (struct search_hit *h = res.hits; h; h = h->next)
        n++;
    CHECK(n == 7);

    /* The boost: of pages with the same text, the verified one and the read one go first. */
    save("zoo/plain", "Numbat", "The numbat eats termites.\n", "", ana, 10);
    save("zoo/checked", "Numbat", "The numbat eats termites.\n", "", ana, 10);
    CHECK_STR(paths(find("numbat", 20, 0).hits), "zoo/plain zoo/checked");
    CHECK(db_exec(db, "UPDATE pages SET verified_at = strftime('%s', 'now') WHERE path = "
                      "'zoo/checked'", NULL) == 0);
    CHECK_STR(paths(find("numbat", 20, 0).hits), "zoo/checked zoo/plain");
    save("zoo/read", "Numbat", "The numbat eats termites.\n", "", ana, 10);
    CHECK(db_exec(db, "INSERT INTO page_views(page_id, day, views) SELECT id, "
                      "CAST(strftime('%s', 'now') AS INTEGER) / 86400 - 3, 40 FROM pages WHERE "
                      "path = 'zoo/read'", NULL) == 0);
    CHECK_STR(paths(find("numbat", 20, 0).hits), "zoo/checked zoo/read zoo/plain");
    /* Views older than 30 days do not count. */
    CHECK(db_exec(db, "UPDATE page_views SET day = day - 40", NULL) == 0);
    CHECK_STR(paths(find("numbat", 20, 0).hits), "zoo/checked zoo/plain zoo/read");
    /* ... and it stays mild: a page that only mentions numbats in passing stays below those
     * with numbat in the title, however read and recently verified. */
    save("zoo/mounds", "Termite mounds", "Mounds, termites, clay and soil; a numbat came by.\n",
         "", ana, 1);
    CHECK(db_exec(db, "UPDATE pages SET verified_at = strftime('%s', 'now') WHERE path = "
                      "'zoo/mounds'; INSERT INTO page_views(page_id, day, views) SELECT id, "
                      "CAST(strftime('%s', 'now') AS INTEGER) / 86400, 100000 FROM pages WHERE "
                      "path = 'zoo/mounds'", NULL) == 0);
    CHECK_STR(paths(find("numbat", 20, 0).hits), "zoo/checked zoo/plain zoo/read zoo/mounds");

    /* The cache answers the same search alike until the index changes. */
    struct search_result cached;
    search_query_parse(a, "numbat", &sq);
    CHECK(search_store_pages_cached(db, a, &sq, 20, 0, 1, &cached) == 0);
    CHECK_STR(paths(cached.hits), "zoo/checked zoo/plain zoo/read zoo/mounds");
    CHECK(search_store_pages_cached(db, a, &sq, 20, 0, 1, &cached) == 0);
    CHECK_STR(paths(cached.hits), "zoo/checked zoo/plain zoo/read zoo/mounds");
    CHECK(cached.total == 4 && strcmp(facet(&cached, SEARCH_FACET_SPACE), "zoo=4") == 0);
    CHECK(search_store_pages_cached(db, a, &sq, 2, 2, 1, &cached) == 0);
    CHECK_STR(paths(cached.hits), "zoo/read zoo/mounds");
    save("zoo/new", "Numbat", "The numbat eats termites.\n", "", ana, 0);
    CHECK(search_store_pages_cached(db, a, &sq, 20, 0, 1, &cached) == 0);
    CHECK(cached.total == 5 && strstr(paths(cached.hits), "zoo/new") != NULL);

    /* Hits carry the title with the words found marked, for highlighting. */
    res = find("numbat", 1, 0);
    CHECK(res.hits && strcmp(res.hits->path, "zoo/checked") == 0);
    CHECK(res.hits && strcmp(res.hits->title_marked, SNIPPET_OPEN "Numbat" SNIPPET_CLOSE) == 0);
    CHECK(res.hits && strcmp(res.hits->type, "page") == 0);

    /* Many matches: the shown hits are looked up one by one (a pass over them all would cost
     * more); they come out the same. Pages made straight in SQL, for speed. */
    CHECK(db_exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                      "5100) INSERT INTO pages(id, path, space, title, created_at, updated_at) "
                      "SELECT 100000 + i, 'yak/p' || i, 'yak', 'Yak ' || i, 0, i FROM n; "
                      "INSERT INTO page_text(page_id, title, headings, body, tags, space, authors) "
                      "SELECT id, title, '', 'A yak grazes here.', '', 'yak', '' FROM pages WHERE "
                      "space = 'yak'; INSERT INTO page_search(page_search) VALUES ('rebuild')",
                      NULL) == 0);
    res = find("yak", 5, 0);
    CHECK(res.total == 5100);
    n = 0;
    for (struct search_hit *h = res.hits; h; h = h->next, n++)
        CHECK(strncmp(h->path, "yak/p", 5) == 0 && strstr(h->snippet, SNIPPET_OPEN) != NULL);
    CHECK(n == 5);
    res = find("yak grazes", 5, 0);
    CHECK(res.total == 5100 && res.hits && res.hits->next);

    /* Suggestions: titles that start with the text first, then titles with words that do. */
    save("ops/wiki-guide", "Wiki guide", "How to write.\n", "", ana, 1);
    save("ops/old-wiki", "The old wiki", "Gone.\n", "", ana, 1);
    CHECK_STR(paths(search_store_titles(db, a, "wi", "wi", 8)), "ops/wiki-guide ops/old-wiki");
    CHECK_STR(paths(search_store_titles(db, a, "WIKI G", "WIKI G", 8)), "ops/wiki-guide");
    CHECK_STR(paths(search_store_titles(db, a, "old wi", "old wi", 8)), "ops/old-wiki");
    CHECK_STR(paths(search_store_titles(db, a, "quagga", "quagga", 3)), "zoo/q000 zoo/q001 zoo/q010");
    CHECK(search_store_titles(db, a, "\"*(", "\"*(", 8) == NULL);
    CHECK(search_store_titles(db, a, "zzzz", "zzzz", 8) == NULL);

    db_close(db);
    arena_free(a);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tdb.dir);
    if (system(cmd) != 0)
        return 1;
    DONE();
}
