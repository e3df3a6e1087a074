/* HTML to Markdown: each construct, export chrome dropped, links and images through the hook. */
#include "check.h"
#include "core/buf.h"
#include "markup/html2md.h"

#include <libxml/parser.h>
#include <stdlib.h>

static struct arena *A;
static char *TITLE;

static const char *md(const char *html)
{
    char *out = NULL;
    if (html2md_convert(A, html, strlen(html), NULL, &TITLE, &out) != 0) return "(failed)";
    return out;
}

/* The hook: sibling pages become wiki paths, local images attachment names. */
static const char *address(void *ctx, struct arena *a, const char *url, int image)
{
    (void)ctx;
    if (image && strncmp(url, "attachments/", 12) == 0)
        return arena_strdup(a, strrchr(url, '/') + 1);
    if (!image && strstr(url, ".html"))
        return arena_printf(a, "/wiki/docs/%.*s", (int)(strstr(url, ".html") - url), url);
    return NULL;
}

static void blocks(void)
{
    CHECK_STR(md("<h2>Setup</h2><p>One <b>bold</b> and <em>soft</em> word.</p><p>Two</p>"),
              "## Setup\n\nOne **bold** and *soft* word.\n\nTwo\n");
    CHECK_STR(md("<p>a<br>b<br/></p>"), "a\\\nb\n");
    CHECK_STR(md("<blockquote><p>Quoted</p><p>twice</p></blockquote><p>after</p>"),
              "> Quoted\n>\n> twice\n\nafter\n");
    CHECK_STR(md("<p>x</p><hr><p>y</p>"), "x\n\n* * *\n\ny\n");
    CHECK_STR(md("<p>1. not a list # and - not</p><p># no heading</p>"),
              "1\\. not a list # and - not\n\n\\# no heading\n");
    CHECK_STR(md("<p>a * b _c_ [d] `e` &lt;tag&gt; AT&amp;T &amp;amp;</p>"),
              "a \\* b \\_c\\_ \\[d\\] \\`e\\` &lt;tag> AT&T &amp;amp;\n");
    CHECK_STR(md("<p><b>bold </b>next <i> </i>x</p>"), "**bold** next x\n");
    CHECK_STR(md("<div><strong><p>one</p><p>two</p></strong></div>"), "**one**\n\n**two**\n");
    CHECK_STR(md("<p><span style=\"font-weight:700\">gdocs bold</span></p>"), "**gdocs bold**\n");
    /* Google Docs: styles by class, links through google.com/url */
    CHECK_STR(md("<html><head><style>.c1{font-weight:700}.c2{font-style:italic;color:#000}</style>"
                 "</head><body><p class=\"c4\"><span class=\"c1\">Bold</span> and <span "
                 "class=\"c2 c9\">it</span> <a href=\"https://www.google.com/url?q=https://"
                 "example.com/a%3Fb%3D1&amp;sa=D&amp;ust=1\">ex</a></p></body></html>"),
              "**Bold** and *it* [ex](https://example.com/a?b=1)\n");
}

static void lists(void)
{
    CHECK_STR(md("<ul><li>one</li><li>two<ul><li>two.a</li></ul></li><li>three</li></ul>"),
              "- one\n- two\n  - two.a\n- three\n");
    CHECK_STR(md("<ol start=\"3\"><li><p>first</p><p>more</p></li><li>second</li></ol>"),
              "3. first\n\n   more\n4. second\n");
    CHECK_STR(md("<p>Intro</p><ul><li>x</li></ul><p>After</p>"), "Intro\n\n- x\n\nAfter\n");
    CHECK_STR(
        md("<ul class=\"inline-task-list\"><li class=\"checked\">done</li><li>todo</li></ul>"),
        "- [x] done\n- [ ] todo\n");
    CHECK_STR(md("<ul><li></li></ul>"), "-\n");
}

static void tables(void)
{
    CHECK_STR(md("<table><thead><tr><th>Name</th><th>Role</th></tr></thead><tbody>"
                 "<tr><td>Ana</td><td><p>Lead</p><p>Ops | Dev</p></td></tr></tbody></table>"),
              "| Name | Role |\n| --- | --- |\n| Ana | Lead<br>Ops \\| Dev |\n");
    CHECK_STR(md("<table><tr><td>a</td><td>b</td></tr></table>"),
              "| | |\n| --- | --- |\n| a | b |\n");
    CHECK_STR(md("<table><tr><th colspan=\"2\">wide</th></tr><tr><td rowspan=\"2\">tall</td>"
                 "<td>x</td></tr><tr><td>y</td></tr></table>"),
              "| wide | |\n| --- | --- |\n| tall | x |\n| | y |\n");
    CHECK_STR(md("<table><tr><td><ul><li>p</li><li>q</li></ul></td></tr></table>"),
              "| |\n| --- |\n| • p<br>• q |\n");
}

static void code_links_images(void)
{
    CHECK_STR(md("<pre class=\"syntaxhighlighter-pre\" data-syntaxhighlighter-params=\"brush: "
                 "bash; gutter: false\">make &amp;&amp; make install\n```\n</pre>"),
              "````bash\nmake && make install\n```\n````\n");
    CHECK_STR(md("<pre><code class=\"language-Python\">print(1)</code></pre>"),
              "```python\nprint(1)\n```\n");
    CHECK_STR(md("<p>Run <code>make -j2</code></p>"), "Run `make -j2`\n");
    CHECK_STR(md("<p><a href=\"https://example.com/a b\">the <b>site</b></a></p>"),
              "[the **site**](https://example.com/a%20b)\n");
    CHECK_STR(md("<p><a name=\"anchor\"></a>x <a href=\"https://e.com\"></a></p>"),
              "x <https://e.com>\n");
    struct html2md_hooks hooks = {address, NULL};
    char *out;
    const char *page =
        "<p>See <a href=\"Other-Page_123.html#part\">other</a> and "
        "<img src=\"attachments/1/diagram.png\" alt=\"the diagram\">"
        "<img src=\"https://cdn.example/x.png\"><img src=\"data:image/png;base64,AA\" "
        "alt=\"inline\"></p>";
    CHECK(html2md_convert(A, page, strlen(page), &hooks, &TITLE, &out) == 0);
    CHECK_STR(out, "See [other](/wiki/docs/Other-Page_123) and ![the diagram](diagram.png)"
                   "![](https://cdn.example/x.png)(image: inline)\n");
}

static void titles_and_chrome(void)
{
    const char *confluence =
        "<html><head><title>Engineering : Release Process</title><style>p{}</style></head><body>"
        "<div id=\"page\"><div id=\"main-header\"><div id=\"breadcrumb-section\"><ol "
        "id=\"breadcrumbs\"><li><a href=\"index.html\">Engineering</a></li></ol></div>"
        "<h1 id=\"title-heading\"><span id=\"title-text\">Engineering : Release Process</span></h1>"
        "</div><div class=\"page-metadata\">Created by Ana, last modified on Mar 01</div>"
        "<div id=\"main-content\"><p>Body text.</p><script>alert(1)</script></div>"
        "<div class=\"pageSection group\"><div class=\"pageSectionHeader\"><h2 id=\"attachments\">"
        "Attachments:</h2></div><a href=\"attachments/1/a.png\">a.png</a></div>"
        "<div id=\"footer\"><p>Document generated by Confluence</p></div></div></body></html>";
    CHECK_STR(md(confluence), "Body text.\n");
    CHECK_STR(TITLE, "Release Process");
    CHECK_STR(md("<body><h1>Only Heading</h1><p>x</p></body>"), "x\n");
    CHECK_STR(TITLE, "Only Heading");
    CHECK_STR(
        md("<title>Notion Page</title><article><header><h1 class=\"page-title\">Notion Page"
           "</h1></header><div class=\"page-body\"><ul class=\"to-do-list\"><li><div "
           "class=\"checkbox checkbox-on\"></div> <span>Buy</span></li></ul></div></article>"),
        "- [x] Buy\n");
    CHECK_STR(TITLE, "Notion Page");
    CHECK_STR(md("<p>caf\xc3\xa9 \xe2\x80\x94 ok</p>"), "caf\xc3\xa9 \xe2\x80\x94 ok\n");
    CHECK_STR(md("plain <unknown-tag>text</unknown-tag> kept"), "plain text kept\n");
    CHECK_STR(md(""), "");
    /* Deep nesting and junk never crash. */
    size_t n = 200000;
    char *deep = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        deep[i] = "<div><ul><li><b><table><tr><td>"[i % 32];
    deep[n] = 0;
    CHECK(strcmp(md(deep), "(failed)") != 0);
    free(deep);
}

/* A Google Docs export with a hundred thousand style classes and spans converts in well under
 * ctest's 30 s limit (a lookup that scans every class for every span took minutes): each span
 * gets the emphasis its class says, the last as much as the first. */
static void many_style_classes(void)
{
    enum { N = 100000 };
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "<html><head><style>");
    for (int i = 0; i < N; i++)
        buf_printf(&b, ".c%d{%s}", i, i % 2 ? "font-style:italic" : "font-weight:700");
    buf_puts(&b, "</style></head><body><p>");
    for (int i = 0; i < N; i++)
        buf_printf(&b, "<span class=\"x c%d\">w%d</span> ", i, i);
    buf_puts(&b, "</p></body></html>");
    const char *out = md(buf_str(&b));
    CHECK_CONTAINS(out, "**w0** *w1* **w2**");
    CHECK_CONTAINS(out, arena_printf(A, "**w%d** *w%d*\n", N - 2, N - 1));
    buf_free(&b);
}

int main(void)
{
    xmlInitParser();
    A = arena_new();
    blocks();
    lists();
    tables();
    code_links_images();
    titles_and_chrome();
    many_style_classes();
    arena_free(A);
    xmlCleanupParser();
    DONE();
}
