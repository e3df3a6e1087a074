/* @login mentions in Markdown: what counts and what does not. */
#include "check.h"
#include "core/buf.h"
#include "markup/mention.h"

#include <time.h>

/* Returns the mentions of md as "a,b,c" ("" when none). */
static const char *found(struct arena *a, const char *md)
{
    char *out = arena_strdup(a, "");
    for (struct mention *m = mention_parse(a, md); m; m = m->next)
        out = arena_printf(a, "%s%s%s", out, *out ? "," : "", m->login);
    return out;
}

/* Returns the mentions `after` adds to `before` as "a,b" ("" when none). */
static const char *added(struct arena *a, const char *before, const char *after)
{
    char *out = arena_strdup(a, "");
    for (struct mention *m = mention_added(a, before, after); m; m = m->next)
        out = arena_printf(a, "%s%s%s", out, *out ? "," : "", m->login);
    return out;
}

/* Returns the login mention_next finds in s ("" when none), as written. */
static const char *next_in(struct arena *a, const char *s)
{
    size_t start, end;
    return mention_next(s, strlen(s), &start, &end) ? arena_strndup(a, s + start, end - start) : "";
}

int main(void)
{
    struct arena *a = arena_new();
    CHECK_STR(found(a, "@priya can you look?"), "priya");
    CHECK_STR(found(a, "Ask @priya and @callum."), "priya,callum");
    CHECK_STR(found(a, "ask @priya."), "priya");
    CHECK_STR(found(a, "(@ana) and [@bo](/people/bo), @cy: yes, @di-"), "ana,bo,cy,di");
    CHECK_STR(found(a, "@Priya in capitals"), "priya");
    CHECK_STR(found(a, "dots and dashes: @j.doe @a_b-c"), "j.doe,a_b-c");
    CHECK_STR(found(a, "once: @ana @ana @ana"), "ana");
    CHECK_STR(found(a, "line one\n@bo on line two"), "bo");
    CHECK_STR(found(a, NULL), "");
    CHECK_STR(found(a, ""), "");

    /* E-mail addresses and other glued @s are not mentions. */
    CHECK_STR(found(a, "write to ana@example.com"), "");
    CHECK_STR(found(a, "write to @ana@example.com"), "");
    CHECK_STR(found(a, "a.b+tag@example.com or x_y@host"), "");
    CHECK_STR(found(a, "https://social.example/@ana"), "");
    CHECK_STR(found(a, "escaped \\@ana"), "");
    CHECK_STR(found(a, "a lone @ sign, @. and @-x"), "");

    /* Not inside code. */
    CHECK_STR(found(a, "run `git blame @ana` then ask @bo"), "bo");
    CHECK_STR(found(a, "``a ` @ana `` and @cy"), "cy");
    CHECK_STR(found(a, "an unclosed ` backtick @ana"), "ana");
    CHECK_STR(found(a, "code spans across lines `one\n@ana` and @bo"), "bo");
    CHECK_STR(found(a, "```\n@ana in a fence\n```\n@bo after it"), "bo");
    CHECK_STR(found(a, "~~~~ sh\n@ana\n~~~\nstill code @cy\n~~~~\n@di"), "di");
    CHECK_STR(found(a, "```\nnever closed @ana\n"), "");
    CHECK_STR(found(a, "text\n\n    @ana indented code\n\n@bo"), "bo");
    CHECK_STR(found(a, "a paragraph\n    @ana continues it"), "ana");
    CHECK_STR(found(a, "\t@ana in a tab-indented block"), "");

    /* Logins: at most 64 characters, and at most MENTION_MAX people. */
    char longname[80];
    memset(longname, 'x', 70);
    longname[0] = '@';
    longname[70] = 0;
    CHECK_STR(found(a, longname), "");
    const char *many = "@a1 @a2 @a3 @a4 @a5 @a6 @a7 @a8 @a9 @a10 @a11 @a12 @a13 @a14 @a15 @a16 @a17 "
                       "@a18 @a19 @a20 @a21 @a22";
    int count = 0;
    for (struct mention *m = mention_parse(a, many); m; m = m->next)
        count++;
    CHECK(count == MENTION_MAX);

    /* Between two versions of a text: only people mentioned for the first time. */
    CHECK_STR(added(a, NULL, "Ask @ana and @bo."), "ana,bo");
    CHECK_STR(added(a, "", "Ask @ana."), "ana");
    CHECK_STR(added(a, "Ask @ana.", "Ask @ana."), "");
    CHECK_STR(added(a, "Ask @ana.", "Ask @ana, and @bo too."), "bo");
    CHECK_STR(added(a, "Ask @ana.", "A new first line.\n\nAsk @ana again, @ANA."), "");
    CHECK_STR(added(a, "Ask @Ana.", "ask @ana"), "");
    CHECK_STR(added(a, "Ask @ana and @bo.", "Ask @bo."), "");          /* removed: nobody */
    CHECK_STR(added(a, "Ask @ana.", "Ask @bo.\n\nAsk @ana."), "bo");
    CHECK_STR(added(a, "`@ana` in code", "now @ana for real"), "ana"); /* code was no mention */
    CHECK_STR(added(a, "@ana", "`@ana` and @bo"), "bo");
    CHECK_STR(added(a, NULL, "```\n@ana\n```\nmail bo@example.com"), "");
    CHECK_STR(added(a, "@ana", NULL), "");
    /* Not capped: a page may name more people than a question. */
    int n_added = 0;
    for (struct mention *m = mention_added(a, "@a1", many); m; m = m->next)
        n_added++;
    CHECK(n_added == 21);

    /* Linear in the number of people: a page naming 100,000 different logins (about 1 MB, the
     * largest page) is parsed and compared in well under a second, not minutes. */
    {
        enum { PEOPLE = 100000 };
        struct buf big;
        buf_init(&big, 0);
        for (int i = 0; i < PEOPLE; i++)
            buf_printf(&big, "@u%d ", i);
        clock_t t0 = clock();
        int n_big = 0;
        for (struct mention *m = mention_added(a, buf_str(&big), buf_str(&big)); m; m = m->next)
            n_big++;
        CHECK(n_big == 0);
        for (struct mention *m = mention_added(a, "@u7", buf_str(&big)); m; m = m->next)
            n_big++;
        CHECK(n_big == PEOPLE - 1);
        CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5); /* quadratic: many minutes */
        buf_free(&big);
    }

    /* One text node, as the renderer scans it. */
    CHECK_STR(next_in(a, "ask @Priya."), "Priya");
    CHECK_STR(next_in(a, "@bo at the start"), "bo");
    CHECK_STR(next_in(a, "ana@example.com then @cy"), "cy");
    CHECK_STR(next_in(a, "@ana@example.com"), "");
    CHECK_STR(next_in(a, "nothing @ here"), "");
    arena_free(a);
    DONE();
}
