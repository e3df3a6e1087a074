/* query_read: questions read as their telling words, weighted by how rare they are in the
 * index, with phrases, exclusions, OR, prefixes and filters kept; typos corrected in place. */
#include "check.h"
#include "testdb.h"
#include "core/migrate.h"
#include "markup/markdown.h"
#include "search/query_read.h"
#include "search/search_store.h"
#include "wiki/page_store.h"
#include "accounts/user_store.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct db *db;
static struct arena *a;

static void save(const char *path, const char *title, const char *md, int64_t author)
{
    struct page_edit e = {.path = path, .title = title, .markdown = md, .tags = "",
                          .summary = "", .base_rev = -1, .author_id = author,
                          .at = (int64_t)time(NULL)};
    int rev;
    const char *why;
    enum page_save_result r = page_store_save(db, a, &e, &rev, &why);
    CHECK(r == PAGE_CREATED || r == PAGE_UPDATED);
}

static const struct query_term *term(const struct query_reading *r, const char *text)
{
    for (int i = 0; i < r->nterms; i++)
        if (strcmp(r->terms[i].text, text) == 0)
            return &r->terms[i];
    return NULL;
}

int main(void)
{
    xmlInitParser();
    markdown_init();
    a = arena_new();

    /* Without an index: framing carries no weight, the telling words make the expressions. */
    struct query_reading r;
    CHECK(query_read(NULL, a, "hi, how do I connect to the VPN please", &r) == 0);
    CHECK(r.telling == 2);
    CHECK_STR(r.fts_all, "(\"connect\" AND \"VPN\")");
    CHECK_STR(r.fts_any, "(\"connect\" OR \"VPN\")");
    CHECK(term(&r, "how") && term(&r, "how")->framing && term(&r, "how")->weight == 0);
    CHECK(term(&r, "VPN") && !term(&r, "VPN")->framing && term(&r, "VPN")->weight > 0);
    CHECK(query_read_framing("Please", 6) && !query_read_framing("vpn", 3));

    /* Phrases, exclusions, OR and prefixes keep their meaning; filters are not words. */
    CHECK(query_read(NULL, a, "\"disk space\" -docker kube* a OR b space:ops what", &r) == 0);
    CHECK_STR(r.sq.space, "ops");
    CHECK_STR(r.fts_all, "(\"disk space\" AND \"kube\"* AND (\"a\" OR \"b\")) NOT (\"docker\")");
    CHECK_STR(r.fts_not, "\"docker\"");
    CHECK(r.telling == 3);
    CHECK_STR(query_read_some(a, &r, 1u), "(\"disk space\") NOT (\"docker\")");
    CHECK_STR(query_read_any_in(a, &r, "{title}"),
              "({title} : \"disk space\" OR {title} : \"kube\"* OR {title} : (\"a\" OR \"b\")) "
              "NOT (\"docker\")");

    /* A query of framing alone is read word for word; nothing at all reads as nothing. */
    CHECK(query_read(NULL, a, "what is it", &r) == 0);
    CHECK(r.telling == 3 && r.fts_all);
    CHECK(query_read(NULL, a, "  -- \"\" ", &r) == 0);
    CHECK(!r.fts_all && !r.fts_any && r.nterms == 0);

    /* With an index: rarer words weigh more; an unknown word is corrected in the same reading. */
    struct testdb tdb;
    db = testdb_open(&tdb);
    const char *why;
    int64_t ana = user_store_add(db, a, "ana", "Ana", ROLE_EDITOR, NULL, &why);
    save("ops/vpn", "Connecting to the VPN", "Start the client and connect.\n", ana);
    save("ops/mail", "Mail", "Connect your phone to the mail server.\n", ana);
    save("ops/printer", "Printer", "Connect to the printer. Download the driver.\n", ana);
    save("ops/disk", "Disk", "Download nothing; connect the disk.\n", ana);
    CHECK(query_read(db, a, "how do I connect to the vpn", &r) == 0);
    CHECK(r.pages == 4);
    const struct query_term *vpn = term(&r, "vpn"), *connect = term(&r, "connect");
    CHECK(vpn && connect && vpn->docs == 1 && connect->docs == 4);
    CHECK(vpn && connect && vpn->weight > connect->weight);
    CHECK(query_read(db, a, "dowload the printer driver", &r) == 0);
    CHECK_STR(term(&r, "dowload") ? term(&r, "dowload")->corrected : NULL, "download");
    CHECK_STR(r.corrected, "download the printer driver");
    CHECK(strstr(r.fts_all, "(\"dowload\" OR \"download\")") != NULL);

    /* Ranked: pages with some of the words are found, all of them first; the partial flag. */
    struct search_result res;
    CHECK(query_read(db, a, "how do I connect the printer", &r) == 0);
    CHECK(search_store_pages(db, a, &r.sq, 10, 0, 0, &res) == 0);
    CHECK(res.total == 4 && res.hits && strcmp(res.hits->path, "ops/printer") == 0);
    CHECK(!res.partial);
    CHECK(query_read(db, a, "printer wombat", &r) == 0);
    CHECK(search_store_pages(db, a, &r.sq, 10, 0, 0, &res) == 0);
    CHECK(res.total == 1 && res.partial);

    /* The bridge adds a word the first results share, weighing less, not needed to match. */
    CHECK(query_read(db, a, "printer disk", &r) == 0);
    CHECK(search_store_pages(db, a, &r.sq, 10, 0, 0, &res) == 0);
    int64_t ids[2] = {res.hits ? res.hits->id : 0,
                      res.hits && res.hits->next ? res.hits->next->id : 0};
    CHECK(query_read_bridge(db, a, &r, ids, 2) == 1);
    CHECK(r.sq.ranked->n == 3 && r.sq.ranked->core == 2);
    CHECK_STR(r.sq.ranked->groups[2].fts, "\"connect\"");
    CHECK(r.sq.ranked->groups[2].weight < r.sq.ranked->groups[0].weight);
    db_close(db);
    testdb_remove(&tdb);
    arena_free(a);
    DONE();
}
