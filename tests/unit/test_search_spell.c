/* Spelling suggestions: edit distance, regular word forms, picking from the vocabulary, and
 * suggestions over a small database of pages. */
#include "check.h"
#include "testdb.h"
#include "markup/html.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "wiki/page_store.h"
#include "search/search_spell.h"
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
                          .summary = "", .base_rev = -1, .author_id = author};
    int rev;
    const char *why;
    enum page_save_result r = page_store_save(db, a, &e, &rev, &why);
    CHECK(r == PAGE_CREATED || r == PAGE_UPDATED);
}

static const char *vocabulary(const char *q)
{
    struct search_query sq;
    search_query_parse(a, q, &sq);
    const char *s = search_spell_vocabulary(db, a, q, &sq);
    return s ? s : "(none)";
}

static const char *from_results(const char *q)
{
    struct search_query sq;
    struct search_result res;
    search_query_parse(a, q, &sq);
    CHECK(search_store_pages(db, a, &sq, 20, 0, 0, &res) == 0);
    const char *s = search_spell_results(db, a, q, &sq, res.hits);
    return s ? s : "(none)";
}

static struct search_term *terms(const char *spec)
{
    /* "term:docs term:docs" */
    struct search_term *head = NULL, **tail = &head;
    char *copy = arena_strdup(a, spec), *save_ptr = NULL;
    for (char *t = strtok_r(copy, " ", &save_ptr); t; t = strtok_r(NULL, " ", &save_ptr)) {
        struct search_term *n = arena_alloc(a, sizeof *n);
        char *colon = strchr(t, ':');
        *colon = 0;
        n->term = t;
        n->docs = atoi(colon + 1);
        *tail = n;
        tail = &n->next;
    }
    return head;
}

static const char *pick(const char *spec, const char *stem, const char *word, int docs)
{
    const struct search_term *t = search_spell_pick(terms(spec), stem, word, docs);
    return t ? t->term : "(none)";
}

int main(void)
{
    a = arena_new();
    /* Damerau-Levenshtein (optimal string alignment), by code point, cut off above max. */
    CHECK(search_spell_distance("kitten", "sitting", 5) == 3);
    CHECK(search_spell_distance("kubernets", "kubernetes", 2) == 1);
    CHECK(search_spell_distance("kubrenetes", "kubernetes", 2) == 1); /* a swap is one edit */
    CHECK(search_spell_distance("ab", "ba", 2) == 1);
    CHECK(search_spell_distance("ca", "abc", 5) == 3); /* OSA: no edits inside a swap */
    CHECK(search_spell_distance("café", "cafe", 2) == 1);
    CHECK(search_spell_distance("naïve", "naive", 2) == 1);
    CHECK(search_spell_distance("same", "same", 2) == 0);
    CHECK(search_spell_distance("", "abc", 5) == 3);
    CHECK(search_spell_distance("abcdef", "uvwxyz", 2) == 3);
    CHECK(search_spell_distance("short", "muchlongerword", 2) == 3);
    char big[200];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK(search_spell_distance(big, big, 2) == 3); /* too long to bother */

    /* Regular forms of one word are not misspellings of each other. */
    CHECK(search_spell_inflection("servers", "server"));
    CHECK(search_spell_inflection("tested", "tests"));
    CHECK(search_spell_inflection("policy", "policies"));
    CHECK(search_spell_inflection("deploying", "deployment"));
    CHECK(!search_spell_inflection("kubernets", "kubernetes"));
    CHECK(!search_spell_inflection("boxs", "boxes"));
    CHECK(!search_spell_inflection("delet", "delete"));
    CHECK(!search_spell_inflection("same", "same"));
    CHECK(!search_spell_inflection("recieve", "receive"));

    /* Picking: the nearest first, then the most frequent; rare words need a far commoner twin. */
    CHECK_STR(pick("kubectl:40 kubernet:12 kubelet:3", "kubrenet", "kubrenetes", 0), "kubernet");
    CHECK_STR(pick("product:50 project:9", "projct", "projct", 0), "project");
    CHECK_STR(pick("databas:8 dataset:30", "databse", "databse", 0), "databas");
    CHECK_STR(pick("plan:3 plane:1", "plane", "planing", 1), "(none)"); /* needs 10 pages */
    CHECK_STR(pick("plan:30", "plane", "planing", 1), "plan");
    CHECK_STR(pick("cat:99 cot:5", "cxt", "cxt", 0), "cat");
    CHECK_STR(pick("zero:40", "zebra", "zebra", 0), "(none)"); /* two edits: too far for 5 */
    CHECK_STR(pick("deploi:20 deploy:15", "deploymnet", "deploymnet", 0), "deploy");
    CHECK_STR(pick("deploi:20", "deploymnet", "deploymnet", 0), "deploi");
    CHECK_STR(pick("", "anything", "anything", 0), "(none)");
    CHECK_STR(pick("same:10", "same", "same", 0), "(none)");

    /* The written word nearest to what was typed, in its case style. */
    const char *text = "Deploying to " SNIPPET_OPEN "Kubernetes" SNIPPET_CLOSE " and "
                       SNIPPET_OPEN "kubectl" SNIPPET_CLOSE;
    CHECK_STR(search_spell_written(a, text, "kubrenetes"), "kubernetes");
    CHECK_STR(search_spell_written(a, text, "Kubrenetes"), "Kubernetes");
    CHECK(search_spell_written(a, "nothing marked", "x") == NULL);

    /* Over pages. */
    xmlInitParser();
    markdown_init();
    struct testdb tdb;
    db = testdb_open(&tdb);
    const char *why;
    int64_t ana = user_store_add(db, a, "ana", "Ana", ROLE_EDITOR, NULL, &why);
    for (int i = 0; i < 5; i++) {
        char p[32], t[48];
        snprintf(p, sizeof p, "ops/k%d", i);
        snprintf(t, sizeof t, "Kubernetes notes %d", i);
        save(p, t, "Our Kubernetes clusters and their deployment.\n", ana);
    }
    save("ops/server", "The build server", "One server builds everything.\n", ana);
    save("ops/server2", "Another server", "A server again, and the server room.\n", ana);
    save("ops/server3", "Server list", "Every server we have.\n", ana);

    /* The index's own stemmer. */
    CHECK_STR(search_store_stem(db, a, "Kubernetes"), "kubernet");
    CHECK_STR(search_store_stem(db, a, "Déploying"), "deploi");
    CHECK(search_store_stem(db, a, "  ") == NULL);
    CHECK(search_store_term_docs(db, "kubernet") == 5);
    CHECK(search_store_term_docs(db, "nosuchterm") == 0);

    /* Unknown words are corrected to the nearest frequent word, written as the pages write it. */
    CHECK_STR(vocabulary("kubrenetes"), "kubernetes");
    CHECK_STR(vocabulary("Kubrenetes clusters"), "Kubernetes clusters");
    CHECK_STR(vocabulary("deploymnet space:ops"), "deployment space:ops");
    CHECK_STR(vocabulary("\"kubrenetes deploymnet\" -zzz"), "\"kubernetes deployment\" -zzz");
    CHECK_STR(vocabulary("kubernetes"), "(none)");
    CHECK_STR(vocabulary("qqqqzzzz"), "(none)");
    CHECK_STR(vocabulary("kubre*"), "(none)"); /* prefixes are left alone */
    CHECK_STR(vocabulary("k8s"), "(none)");

    /* A word that finds pages through its stem but that they never write that way. */
    CHECK_STR(from_results("kubernets"), "kubernetes");
    CHECK_STR(from_results("Kubernets clusters"), "Kubernetes clusters");
    CHECK_STR(from_results("kubernetes"), "(none)");
    CHECK_STR(from_results("servers"), "(none)"); /* a regular form, not a slip */

    db_close(db);
    arena_free(a);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tdb.dir);
    if (system(cmd) != 0)
        return 1;
    DONE();
}
