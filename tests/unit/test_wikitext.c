/* MediaWiki markup to Markdown: each construct, and broken markup that must neither crash nor
 * loop. */
#include "check.h"
#include "markup/wikitext.h"
#include "markup/markdown.h"
#include "core/buf.h"

#include <stdlib.h>
#include <time.h>

static struct arena *A;
static const struct wikitext_opts O = {.space = "wiki"};

static const char *md(const char *wikitext)
{
    return wikitext_to_markdown(A, wikitext, &O, NULL);
}

static void headings_and_emphasis(void)
{
    CHECK_STR(md("== Getting started ==\nText."), "## Getting started\n\nText.\n");
    CHECK_STR(md("=== Deeper ===   "), "### Deeper\n");
    CHECK_STR(md("= Top ="), "# Top\n");
    CHECK_STR(md("==Unbalanced==="), "## Unbalanced=\n");
    CHECK_STR(md("'''bold''' and ''italic'' and '''''both'''''"),
              "**bold** and *italic* and ***both***\n");
    CHECK_STR(md("'''bold ''inside'' it'''"), "**bold *inside* it**\n");
    CHECK_STR(md("l'amour"), "l'amour\n");
    CHECK_STR(md("'''unclosed bold\nnext line"), "**unclosed bold**\nnext line\n");
    CHECK_STR(md("''' spaced '''x"), "**spaced** x\n");
    CHECK_STR(md("''''''"), "'\n"); /* empty emphasis disappears */
}

static void lists(void)
{
    CHECK_STR(md("* one\n* two\n** two.a\n* three"), "- one\n- two\n  - two.a\n- three\n");
    CHECK_STR(md("# first\n# second\n#* bullet under second"),
              "1. first\n1. second\n   - bullet under second\n");
    CHECK_STR(md("Intro\n* item\nAfter"), "Intro\n\n- item\n\nAfter\n");
    CHECK_STR(md(": indented\n:: more"), "> indented\n> >\n> > more\n");
    CHECK_STR(md("; Term : definition"), "**Term**\n> definition\n");
    CHECK_STR(md("*** too deep at once"), "- too deep at once\n");
    CHECK_STR(md("* # not a heading"), "- \\# not a heading\n");
}

static void links(void)
{
    CHECK_STR(md("See [[Main Page]]."), "See [[wiki/main-page|Main Page]].\n");
    CHECK_STR(md("See [[Network setup|the network]]."),
              "See [[wiki/network-setup|the network]].\n");
    CHECK_STR(md("[[Help:Editing/Tables|tables]]"), "[[wiki/help/editing/tables|tables]]\n");
    CHECK_STR(md("[[Cat]]s"), "[[wiki/cat|Cats]]\n");
    CHECK_STR(md("[[Setup#Proxy settings|proxy]]"), "[proxy](/wiki/wiki/setup#proxy-settings)\n");
    CHECK_STR(md("[http://example.com/a_b Example site]"),
              "[Example site](http://example.com/a_b)\n");
    CHECK_STR(md("[https://example.com]"), "<https://example.com>\n");
    CHECK_STR(md("Visit https://example.com/x_y."), "Visit <https://example.com/x_y>.\n");
    char *tags = NULL;
    const char *out =
        wikitext_to_markdown(A, "Text.\n[[Category:Networking]]\n[[Category:How to|*]]", &O, &tags);
    CHECK_STR(out, "Text.\n");
    CHECK_STR(tags, "networking,how-to");
    CHECK_STR(md("[[:Category:Networking]]"), "[[wiki/category/networking|Category:Networking]]\n");
    CHECK_STR(md("[[File:Network diagram.png|thumb|200px|The office network]]"),
              "![The office network](Network_diagram.png)\n");
    CHECK_STR(md("#REDIRECT [[Other page]]"), "Redirect to [[wiki/other-page|Other page]].\n");
    CHECK_STR(wikitext_title_path(A, &O, "Help:Getting started/Linux"),
              "wiki/help/getting-started/linux");
    CHECK_STR(wikitext_title_path(A, &O, "AC/DC"), "wiki/ac/dc");
    CHECK_STR(wikitext_title_path(A, &O, "Über"), "wiki/ber");
    CHECK_CONTAINS(wikitext_title_path(A, &O, "日本"), "wiki/p-");
    CHECK(wikitext_title_path(A, &O, "") == NULL);
}

static void tables(void)
{
    CHECK_STR(md("{| class=\"wikitable\"\n|+ Offices\n! City !! Staff\n|-\n| Leeds || 40\n|-\n"
                 "| [[Lyon office|Lyon]] || style=\"x\" | 12\n|}"),
              "**Offices**\n\n| City | Staff |\n| --- | --- |\n| Leeds | 40 |\n"
              "| [[wiki/lyon-office\\|Lyon]] | 12 |\n");
    CHECK_STR(md("{|\n| a || b\n|-\n| c\n|}"), "| | |\n| --- | --- |\n| a | b |\n| c | |\n");
    CHECK_STR(md("{|\n| x|y <br> z\n|}"), "| |\n| --- |\n| x\\|y <br> z |\n");
    /* Cells spanning rows cannot be a Markdown table: kept as written, nothing lost. */
    const char *span = "{|\n| rowspan=\"2\" | a || b\n|-\n| c\n|}";
    CHECK_STR(md(span), "```mediawiki\n{|\n| rowspan=\"2\" | a || b\n|-\n| c\n|}\n```\n");
    {
        /* Issue 15: one row of 2,000 cells over 36,000 short rows (222 KB) made 72 million
         * padded Markdown cells; more cells than ken renders stay as written. */
        struct buf w;
        buf_init(&w, 0);
        buf_puts(&w, "{|\n| a");
        for (int i = 1; i < 2000; i++)
            buf_puts(&w, " || a");
        for (int i = 0; i < 36000; i++)
            buf_puts(&w, "\n|-\n| x");
        buf_puts(&w, "\n|}");
        const char *out = md(buf_str(&w));
        CHECK(strncmp(out, "```mediawiki\n{|\n| a || a", 24) == 0);
        CHECK(strlen(out) < w.len + 100);
        CHECK(markdown_check(out, strlen(out)) == NULL); /* a fence holds no table */
        buf_free(&w);
    }
    CHECK_STR(md("{|\n! Name\n|-\n| {{tag|x}} || `y`\n|}"),
              "| Name | |\n| --- | --- |\n| `{{tag\\|x}}` | \\`y\\` |\n");
}

static void code_and_templates(void)
{
    CHECK_STR(md("<pre>\nint main() { return 0; }\n</pre>"),
              "```\nint main() { return 0; }\n```\n");
    CHECK_STR(md("<syntaxhighlight lang=\"python\">\nprint('hi')\n</syntaxhighlight>"),
              "```python\nprint('hi')\n```\n");
    CHECK_STR(md("Run <code>make -j2</code> now."), "Run `make -j2` now.\n");
    CHECK_STR(md(" leading space\n is preformatted"), "```\nleading space\nis preformatted\n```\n");
    CHECK_STR(md("<nowiki>'''not bold''' [[not a link]]</nowiki>"),
              "'''not bold''' \\[\\[not a link\\]\\]\n");
    CHECK_STR(md("Before {{Infobox|name=Ken}} after."), "Before `{{Infobox|name=Ken}}` after.\n");
    CHECK_STR(md("{{Note|\nmulti\nline}}"), "```wikitext\n{{Note|\nmulti\nline}}\n```\n");
    CHECK_STR(md("{{{param}}}"), "`{{{param}}}`\n");
    CHECK_STR(
        md("Fact.<ref>Source, 2020</ref> More.<ref name=\"s\">Named</ref> Again<ref name=\"s\"/>"),
        "Fact. (Source, 2020) More. (Named) Again (Named)\n");
    CHECK_STR(md("line one<br>line two<br />three"), "line one<br>line two<br>three\n");
    CHECK_STR(md("a * b _c_ `d`"), "a \\* b \\_c\\_ \\`d\\`\n");
    CHECK_STR(md("1. not a list"), "1\\. not a list\n");
    CHECK_STR(md("----\nafter rule"), "* * *\n\nafter rule\n");
    CHECK_STR(md("x <span style=\"color:red\">red</span> <s>old</s>"), "x red <s>old</s>\n");
    CHECK_STR(md("a < b and <unknown> tag"), "a < b and &lt;unknown> tag\n");
    CHECK_STR(md("__TOC__\nText"), "Text\n");
}

static void broken_markup(void)
{
    /* Unclosed constructs are shown as text; nothing is lost, nothing loops. */
    CHECK_STR(md("'''never closed"), "**never closed**\n");
    CHECK_STR(md("[[never closed"), "\\[\\[never closed\n");
    CHECK_STR(md("[[a|b"), "\\[\\[a|b\n");
    CHECK_STR(md("{{never closed"), "{{never closed\n");
    CHECK_STR(md("<ref>never closed"), "&lt;ref>never closed\n");
    CHECK_STR(md("<pre>never closed"), "&lt;pre>never closed\n");
    CHECK_STR(md("[http://x.example never closed"), "\\[<http://x.example> never closed\n");
    CHECK_STR(md("{|\n| a\n"), "| |\n| --- |\n| a |\n");
    CHECK_STR(md("]] }} |} <!-- x"), "\\]\\] }} |} &lt;!-- x\n");
    CHECK_STR(md(""), "");
    /* Pathological input stays fast: many unclosed openers, deep nesting. */
    size_t n = 400000;
    char *big = malloc(n + 1);
    const char *pieces[] = {"[[", "{{", "'''", "<ref>", "[http://a ", "<!--", "{|\n", "*#:"};
    for (size_t i = 0; i < n;) {
        const char *p = pieces[(i / 7) % 8];
        for (size_t k = 0; p[k] && i < n; k++)
            big[i++] = p[k];
    }
    big[n] = 0;
    clock_t t0 = clock();
    char *out = wikitext_to_markdown(A, big, &O, NULL);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(out != NULL && strlen(out) > 0);
    CHECK(secs < 5.0);
    if (secs >= 5.0) fprintf(stderr, "400 KB of broken markup took %.1f s\n", secs);
    for (size_t i = 0; i < n; i++)
        big[i] = "{[<'|"[i % 5];
    out = wikitext_to_markdown(A, big, &O, NULL);
    CHECK(out != NULL);
    memset(big, '{', n);
    memcpy(big + n / 2, "}}", 2);
    out = wikitext_to_markdown(A, big, &O, NULL);
    CHECK(out != NULL);
    free(big);
    /* Found by fuzz_wikitext: links nested 50,000 deep, all closed, overflowed the stack while
     * their labels were made plain text (deeper than 24, the inner ones stay text). */
    size_t deep = 200000;
    big = malloc(6 * deep + 1);
    for (size_t i = 0; i < deep; i++)
        memcpy(big + 4 * i, "[[a|", 4), memcpy(big + 4 * deep + 2 * i, "]]", 2);
    big[6 * deep] = 0;
    out = wikitext_to_markdown(A, big, &O, NULL);
    CHECK(out != NULL && strncmp(out, "[[wiki/a|", 9) == 0);
    CHECK_STR(md("[[a|[[b|[[c|d]]]]]]"), "[[wiki/a|d]]\n");
    free(big);
}

int main(void)
{
    A = arena_new();
    headings_and_emphasis();
    lists();
    links();
    tables();
    code_and_templates();
    broken_markup();
    arena_free(A);
    DONE();
}
