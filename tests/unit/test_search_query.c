/* The search box's language: every input gives a valid FTS5 expression or none. */
#include "check.h"
#include "search_query.h"

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

    /* Very long input is cut, not refused. */
    char big[10000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    for (int i = 5; i < 9999; i += 6)
        big[i] = ' ';
    search_query_parse(a, big, &sq);
    CHECK(sq.fts != NULL && strlen(sq.fts) < 4 * SEARCH_QUERY_MAX);
    arena_free(a);
    DONE();
}
