/* The search box's language: every input gives a valid FTS5 expression or none. */
#include "check.h"
#include "search/search_query.h"

#include <stdlib.h>

static const char *fts(struct arena *a, const char *q)
{
    struct search_query sq;
    search_query_parse(a, q, &sq);
    return sq.fts ? sq.fts : "(none)";
}

int main(void)
{
    struct arena *a = arena_new();
    CHECK_STR(fts(a, "postgres backup"), "(\"postgres\") AND (\"backup\")");
    CHECK_STR(fts(a, "\"exact phrase\" vpn"), "(\"exact phrase\") AND (\"vpn\")");
    CHECK_STR(fts(a, "vpn -linux"), "(\"vpn\") NOT (\"linux\")");
    CHECK_STR(fts(a, "deploy kubernetes OR k8s"), "(\"deploy\") AND (\"kubernetes\" OR \"k8s\")");
    CHECK_STR(fts(a, "kube*"), "(\"kube\"*)");
    CHECK_STR(fts(a, "café"), "(\"café\")");
    /* Malformed input is read as plain words. */
    CHECK_STR(fts(a, "\"unbalanced quote"), "(\"unbalanced\") AND (\"quote\")");
    CHECK_STR(fts(a, "- lone"), "(\"lone\")");
    CHECK_STR(fts(a, "OR"), "(none)");
    CHECK_STR(fts(a, "a OR"), "(\"a\")");
    CHECK_STR(fts(a, "NEAR(a b) AND x:"), "(\"NEAR a\") AND (\"b\") AND (\"AND\") AND (\"x\")");
    CHECK_STR(fts(a, "col:value \"\" * ^ ( ) {x}"), "(\"col value\") AND (\"x\")");
    CHECK_STR(fts(a, ""), "(none)");
    CHECK_STR(fts(a, "-only -negative"), "(none)");
    CHECK_STR(fts(a, "\x01\x02 ok\x7f"), "(\"ok\")");

    struct search_query sq;
    search_query_parse(a, "vpn space:Engineering tag:onboarding author:ana type:page", &sq);
    CHECK_STR(sq.fts, "(\"vpn\")");
    CHECK_STR(sq.space, "engineering");
    CHECK_STR(sq.tag, "onboarding");
    CHECK_STR(sq.author, "ana");
    CHECK_STR(sq.type, "page");
    search_query_parse(a, "space:it", &sq);
    CHECK(sq.fts == NULL && sq.space && strcmp(sq.space, "it") == 0);

    /* updated: takes week, month, year or older; anything else is read as words. */
    search_query_parse(a, "vpn updated:month", &sq);
    CHECK_STR(sq.fts, "(\"vpn\")");
    CHECK_STR(sq.updated, "month");
    CHECK(search_query_filtered(&sq));
    search_query_parse(a, "updated:Week", &sq);
    CHECK(sq.fts == NULL && sq.updated && strcmp(sq.updated, "week") == 0);
    CHECK_STR(fts(a, "updated:soon"), "(\"updated soon\")");
    CHECK_STR(fts(a, "updated:"), "(\"updated\")");
    search_query_parse(a, "vpn", &sq);
    CHECK(!search_query_filtered(&sq) && sq.updated == NULL);
    int64_t since, before, now = 1000000000;
    CHECK(search_query_updated_range("week", now, &since, &before) == 0);
    CHECK(since == now - 7 * 86400 && before == 0);
    CHECK(search_query_updated_range("month", now, &since, &before) == 0);
    CHECK(since == now - 30 * 86400);
    CHECK(search_query_updated_range("year", now, &since, &before) == 0);
    CHECK(since == now - 365 * 86400);
    CHECK(search_query_updated_range("older", now, &since, &before) == 0);
    CHECK(since == 0 && before == now - 365 * 86400);
    CHECK(search_query_updated_range("soon", now, &since, &before) == -1);
    CHECK(search_query_updated_range(NULL, now, &since, &before) == -1);
    CHECK(since == 0 && before == 0);

    /* The words spelling looks at: as typed, not prefixes, not excluded ones, not filters. */
    const char *typed = "Kubernets \"exact phrase\" -nope kube* OR zed space:it";
    search_query_parse(a, typed, &sq);
    CHECK(sq.nwords == 4);
    CHECK(sq.nwords == 4 && strncmp(typed + sq.words[0].at, "Kubernets", sq.words[0].len) == 0);
    CHECK(sq.nwords == 4 && strncmp(typed + sq.words[1].at, "exact", sq.words[1].len) == 0);
    CHECK(sq.nwords == 4 && strncmp(typed + sq.words[2].at, "phrase", sq.words[2].len) == 0);
    CHECK(sq.nwords == 4 && sq.words[3].len == 3 && strncmp(typed + sq.words[3].at, "zed", 3) == 0);
    const char *with[4] = {"kubernetes", NULL, "phrases", NULL};
    CHECK_STR(search_query_rewrite(a, typed, sq.words, with, 4),
              "kubernetes \"exact phrases\" -nope kube* OR zed space:it");
    search_query_parse(a, "", &sq);
    CHECK(sq.nwords == 0);

    /* Facet links: a filter added, replaced or taken out; the rest kept as typed. */
    CHECK_STR(search_query_set(a, "vpn  setup", "space", "it"), "vpn setup space:it");
    CHECK_STR(search_query_set(a, "vpn space:ops tag:x", "space", "it"), "vpn tag:x space:it");
    CHECK_STR(search_query_set(a, "space:ops vpn space:hr", "space", NULL), "vpn");
    CHECK_STR(search_query_set(a, "\"a b\" -c updated:week", "updated", "year"),
              "\"a b\" -c updated:year");
    CHECK_STR(search_query_set(a, "updated:soon", "updated", "week"), "updated:soon updated:week");
    CHECK_STR(search_query_set(a, "", "tag", "vpn"), "tag:vpn");
    CHECK_STR(search_query_set(a, NULL, "tag", NULL), "");
    search_query_parse(a, search_query_set(a, "vpn tag:a", "tag", "b"), &sq);
    CHECK_STR(sq.tag, "b");
    /* A tag with spaces is quoted, and read back whole. */
    CHECK_STR(search_query_set(a, "setup", "tag", "dev environment"), "setup tag:\"dev environment\"");
    search_query_parse(a, "setup tag:\"Dev Environment\" laptop", &sq);
    CHECK_STR(sq.tag, "dev environment");
    CHECK_STR(sq.fts, "(\"setup\") AND (\"laptop\")");
    CHECK_STR(search_query_set(a, "setup tag:\"dev environment\" laptop", "tag", NULL),
              "setup laptop");

    /* Very long input is cut, not refused. */
    char big[10000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    for (int i = 5; i < 9999; i += 6)
        big[i] = ' ';
    search_query_parse(a, big, &sq);
    CHECK(sq.fts != NULL && strlen(sq.fts) < 4 * SEARCH_QUERY_MAX);
    /* ... between words: no half word at the end to look for. */
    CHECK(strlen(sq.text) <= SEARCH_QUERY_MAX && sq.text[strlen(sq.text) - 1] == ' ');
    CHECK(strstr(sq.fts, "\"aaaaa\")") != NULL && strstr(sq.fts, "\"a\"") == NULL);

    /* dept: and skill: narrow pages and people; type: takes page(s) or person/people. */
    search_query_parse(a, "python dept:Finance skill:K8s", &sq);
    CHECK_STR(sq.fts, "(\"python\")");
    CHECK_STR(sq.dept, "finance");
    CHECK_STR(sq.skill, "k8s");
    CHECK(search_query_filtered(&sq) && !search_query_pages_only(&sq));
    search_query_parse(a, "kubernetes type:People", &sq);
    CHECK_STR(sq.type, "person");
    CHECK(!search_query_filtered(&sq) && !search_query_pages_only(&sq));
    search_query_parse(a, "kubernetes type:pages", &sq);
    CHECK(sq.type && strcmp(sq.type, "page") == 0 && search_query_pages_only(&sq));
    search_query_parse(a, "vpn space:it", &sq);
    CHECK(search_query_pages_only(&sq));
    CHECK_STR(fts(a, "type:robot"), "(\"type robot\")");

    /* The words that may name a skill: as typed, and each two in a row. */
    char *names = search_query_names("Machine learning -excluded \"C++\" kube* OR k8s space:x");
    CHECK_STR(names, "[\"Machine\",\"learning\",\"Machine learning\",\"C++\",\"kube\","
                     "\"C++ kube\",\"k8s\"]");
    free(names);
    names = search_query_names("");
    CHECK_STR(names, "[]");
    free(names);

    /* Typing ahead in one column: every word must match, the last as a prefix until a space. */
    CHECK_STR(search_query_column_words(a, "title", "Getting sta", 0),
              "{title} : (\"Getting\" AND \"sta\"*)");
    CHECK_STR(search_query_column_words(a, "name", "ana OR (lima) ", 0),
              "{name} : (\"ana\" AND \"OR\" AND \"lima\")");
    CHECK_STR(search_query_column_words(a, "name", "a b c d ", 2), "{name} : (\"a\" AND \"b\")");
    CHECK(search_query_column_words(a, "title", " -*- ", 0) == NULL);
    arena_free(a);
    DONE();
}
