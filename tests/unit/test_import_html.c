/* ken import html, run on a temporary folder and database: a page whose <title> is longer than
 * a title may be is imported with its title cut between characters, never inside one. */
#include "core/buf.h"
#include "check.h"
#include "import/import_html.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "wiki/page_store.h"
#include "core/utf8.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes `html` to dir/name. */
static void put(const char *dir, const char *name, const char *html)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(html, f);
    fclose(f);
}

static void long_titles(struct db *db, struct arena *a, const char *dir)
{
    /* Found while writing fuzz_html2md: the importer cut titles at byte 200, inside the 'é'
     * that straddles it, and the page was refused as not UTF-8. */
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<html><head><title>a");
    for (int i = 0; i < 150; i++)
        buf_puts(&b, "\xc3\xa9"); /* é */
    buf_puts(&b, "</title></head><body><p>Body.</p></body></html>");
    put(dir, "Long.html", buf_str(&b));
    buf_free(&b);
    put(dir, "Short.html", "<title>Short title</title><p>Hi</p>");
    struct import_stats st = {0};
    FILE *log = fopen("/dev/null", "w");
    CHECK(import_html(db, dir, "docs", log, 0, &st, NULL) == 0);
    fclose(log);
    CHECK(st.created == 2 && st.failed == 0);
    struct page *p = page_store_get(db, a, "docs/long");
    CHECK(p != NULL);
    if (p) {
        CHECK(strlen(p->title) == 199); /* "a" and 99 whole 'é's */
        CHECK(utf8_valid(p->title, strlen(p->title)));
    }
    p = page_store_get(db, a, "docs/short");
    CHECK_STR(p ? p->title : NULL, "Short title");
}

static void prefixes(void)
{
    CHECK(utf8_prefix("abc", 5) == 3);
    CHECK(utf8_prefix("abc", 3) == 3);
    CHECK(utf8_prefix("abc", 2) == 2);
    CHECK(utf8_prefix("a\xc3\xa9z", 2) == 1);     /* not half of é */
    CHECK(utf8_prefix("a\xc3\xa9z", 3) == 3);
    CHECK(utf8_prefix("\xf0\x9f\x8e\x89!", 3) == 0); /* not three quarters of 🎉 */
    CHECK(utf8_prefix("", 0) == 0);
}

int main(void)
{
    struct arena *a = arena_new();
    prefixes();
    char dir[] = "/tmp/ken-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char src[64], path[64];
    snprintf(src, sizeof src, "%s/export", dir);
    snprintf(path, sizeof path, "%s/k.db", dir);
    CHECK(mkdir(src, 0700) == 0);
    char *err = NULL;
    struct db *db = db_open(path, DB_CREATE, &err);
    CHECK(db && migrate_apply(db, &err) == 0);
    markdown_init();
    if (db)
        long_titles(db, a, src);
    db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    arena_free(a);
    xmlCleanupParser();
    DONE();
}
