/* Templates: escaping by default, html only where marked, sections, and errors that are loud. */
#include "check.h"
#include "http/tmpl.h"

static char *render(struct arena *a, const char *name, struct tvars *v, int *rc)
{
    struct buf b;
    buf_init(&b, 0);
    *rc = tmpl_render(&b, name, v);
    return arena_adopt(a, buf_take(&b));
}

int main(void)
{
    struct arena *a = arena_new();
    int rc;
    CHECK(tmpl_add("hello", "Hi {{name}}!") == 0);
    CHECK(tmpl_add("raw", "<div>{{{body}}}</div>") == 0);
    CHECK(tmpl_add("list", "{{#items}}<li>{{label}} of {{owner}}</li>{{/items}}{{^items}}none{{/items}}") == 0);
    CHECK(tmpl_add("frame", "[{{>hello}}]") == 0);
    CHECK(tmpl_add("cond", "{{#flag}}yes{{/flag}}{{^flag}}no{{/flag}}{{! a comment }}") == 0);
    CHECK(tmpl_add("bad1", "{{#open}}never closed") == -1);
    CHECK(tmpl_add("bad2", "{{/stray}}") == -1);
    CHECK(tmpl_add("bad3", "{{unclosed") == -1);
    CHECK(tmpl_check() == 0);

    struct tvars *v = tv_new(a, NULL);
    tv_text(v, "name", "<script>alert('x') & \"y\"</script>");
    CHECK_STR(render(a, "hello", v, &rc),
              "Hi &lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;!");
    CHECK(rc == 0);

    /* A text value can never be written raw; an html value can. */
    tv_text(v, "body", "<b>bold</b>");
    render(a, "raw", v, &rc);
    CHECK(rc == -1);
    tv_html(v, "body", "<b>bold</b>");
    CHECK_STR(render(a, "raw", v, &rc), "<div><b>bold</b></div>");

    /* Lists repeat with each item, and fall back to the parent for other names. */
    struct tvars *l = tv_new(a, NULL);
    tv_text(l, "owner", "ken");
    CHECK_STR(render(a, "list", l, &rc), "none");
    tv_list(l, "items");
    CHECK_STR(render(a, "list", l, &rc), "none");
    tv_text(tv_item(l, "items"), "label", "one");
    tv_text(tv_item(l, "items"), "label", "t<w>o");
    CHECK_STR(render(a, "list", l, &rc), "<li>one of ken</li><li>t&lt;w&gt;o of ken</li>");

    CHECK_STR(render(a, "frame", v, &rc), "[Hi &lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;!]");
    struct tvars *c = tv_new(a, NULL);
    CHECK_STR(render(a, "cond", c, &rc), "no");
    tv_bool(c, "flag", 1);
    CHECK_STR(render(a, "cond", c, &rc), "yes");
    tv_text(c, "flag", "");
    CHECK_STR(render(a, "cond", c, &rc), "no");

    /* A missing value is an error, not an empty string. */
    struct tvars *empty = tv_new(a, NULL);
    render(a, "hello", empty, &rc);
    CHECK(rc == -1);
    render(a, "no-such-template", empty, &rc);
    CHECK(rc == -1);

    /* ken's own templates all parse and their partials exist. */
    CHECK(tmpl_init() == 0);
    CHECK(tmpl_exists("layout") && tmpl_exists("page") && tmpl_exists("edit"));
    tmpl_shutdown();
    arena_free(a);
    DONE();
}
