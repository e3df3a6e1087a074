/* Page path rules, slugs, spaces and parents. */
#include "check.h"
#include "wiki/wikipath.h"

int main(void)
{
    struct arena *a = arena_new();
    const char *good[] = {"a", "engineering", "engineering/onboarding/vpn", "it/2fa-setup", "x1/y2/z3"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        CHECK(wikipath_check(good[i]) == NULL);
    const char *bad[] = {"", "/a", "a/", "a//b", "A", "a b", "a_b", "../etc/passwd", "a/../b", "-a",
                         "a-", "é", "a/b/c/d/e/f/g/h/i", "a%2fb", "a.md", "a\\b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *why = wikipath_check(bad[i]);
        CHECK(why != NULL);
        if (!why)
            fprintf(stderr, "accepted bad path \"%s\"\n", bad[i]);
    }
    char longp[300];
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = 0;
    CHECK_CONTAINS(wikipath_check(longp), "200");
    CHECK_CONTAINS(wikipath_check("Engineering"), "lowercase");

    CHECK_STR(wikipath_slug(a, "Connecting to the VPN!"), "connecting-to-the-vpn");
    CHECK_STR(wikipath_slug(a, "  ADR 7: Choose PostgreSQL over MySQL "), "adr-7-choose-postgresql-over-mysql");
    CHECK_STR(wikipath_slug(a, "Don't panic"), "dont-panic");
    CHECK_STR(wikipath_slug(a, "***"), "");
    CHECK_STR(wikipath_slug(a, "Café crème"), "caf-cr-me");
    CHECK(wikipath_check(wikipath_slug(a, "Hello, World -- again")) == NULL);

    CHECK_STR(wikipath_space(a, "engineering/onboarding/vpn"), "engineering");
    CHECK_STR(wikipath_space(a, "handbook"), "handbook");
    CHECK_STR(wikipath_parent(a, "engineering/onboarding/vpn"), "engineering/onboarding");
    CHECK(wikipath_parent(a, "handbook") == NULL);
    arena_free(a);
    DONE();
}
