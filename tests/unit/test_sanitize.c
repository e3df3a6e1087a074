/* Unit test for sanitize_html. Usage: test_sanitize path/to/xss_vectors.txt
 * Every vector's output is checked twice, independently: by a strict tokenizer for the canonical
 * form sanitize.c writes (what a browser's tokenizer would see), and by re-parsing it with libxml2
 * and walking the tree. Then wanted content is checked to survive. */
#include "markup/sanitize.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

static int passed, failed;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (cond) {                                                                                \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
        }                                                                                          \
    } while (0)

static const char *const ALLOWED_ELEMS[] = {
    "p",       "br",         "hr",    "h1",      "h2",      "h3",     "h4",         "h5",
    "h6",      "blockquote", "pre",   "code",    "kbd",     "samp",   "var",        "em",
    "strong",  "b",          "i",     "u",       "s",       "del",    "ins",        "sub",
    "sup",     "mark",       "small", "abbr",    "cite",    "q",      "dfn",        "span",
    "div",     "a",          "img",   "ul",      "ol",      "li",     "dl",         "dt",
    "dd",      "table",      "thead", "tbody",   "tfoot",   "tr",     "th",         "td",
    "caption", "colgroup",   "col",   "details", "summary", "figure", "figcaption", "input",
    "section", "nav",        "time",  NULL,
};

static const char *const ALLOWED_ATTRS[] = {
    "class",   "title",    "lang",    "dir",     "href",        "src",   "alt",      "width",
    "height",  "align",    "colspan", "rowspan", "start",       "value", "datetime", "type",
    "checked", "disabled", "id",      "rel",     "aria-hidden", NULL,
};

static int in_list(const char *s, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp(s, *list) == 0) return 1;
    return 0;
}

/* Returns 1 if s[0..n) is valid UTF-8 (no overlongs, surrogates or values above U+10FFFF). */
static int utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i], cp, len;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            len = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            len = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, cp = c & 0x07;
        else
            return 0;
        if (i + len > n) return 0;
        for (unsigned k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += len;
    }
    return 1;
}

/* Returns 1 if a URL, with all whitespace and control characters removed and lowercased, starts
 * with a dangerous scheme. */
static int url_dangerous(const char *v)
{
    char buf[64];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p != '\0' && n < sizeof buf - 1; p++)
        if (*p > 0x20 && *p != 0x7F) buf[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    buf[n] = '\0';
    return strncmp(buf, "javascript:", 11) == 0 || strncmp(buf, "vbscript:", 9) == 0 ||
           strncmp(buf, "data:", 5) == 0;
}

/* ---- check 1: strict tokenizer for sanitize.c's canonical output ---- */

/* Decodes the four escapes sanitize.c writes into out (size cap); returns 0 on any other '&'. */
static int decode_attr(const char *s, size_t n, char *out, size_t cap)
{
    static const char *const ents[][2] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}};
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        if (s[i] == '&') {
            for (k = 0; k < 4; k++)
                if (strncmp(s + i, ents[k][0], strlen(ents[k][0])) == 0) break;
            if (k == 4) return 0;
        }
        const char *add = s[i] == '&' ? ents[k][1] : s + i;
        if (o + 1 < cap) out[o++] = *add;
        i += s[i] == '&' ? strlen(ents[k][0]) : 1;
    }
    out[o < cap ? o : cap - 1] = '\0';
    return 1;
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Returns NULL if out is in canonical form with only allowed markup, else what is wrong. */
static const char *canonical_problem(const char *out)
{
    static char why[160];
    const char *p = out;
    while (*p != '\0') {
        if (*p == '>') return "bare '>' in text";
        if (*p == '&') {
            char tmp[8];
            const char *semi = strchr(p, ';');
            if (semi == NULL || semi - p > 6 ||
                !decode_attr(p, (size_t)(semi - p + 1), tmp, sizeof tmp))
                return "unexpected '&' in text";
            p = semi + 1;
            continue;
        }
        if (*p != '<') {
            p++;
            continue;
        }
        p++;
        if (*p == '/') p++;
        const char *name = p;
        while (is_name_char(*p))
            p++;
        char el[32];
        snprintf(el, sizeof el, "%.*s", (int)(p - name), name);
        if (!in_list(el, ALLOWED_ELEMS)) {
            snprintf(why, sizeof why, "element <%s> not allowed", el);
            return why;
        }
        while (*p == ' ') {
            const char *an = ++p;
            while (is_name_char(*p))
                p++;
            char at[32];
            snprintf(at, sizeof at, "%.*s", (int)(p - an), an);
            if (!in_list(at, ALLOWED_ATTRS) || strncmp(at, "on", 2) == 0) {
                snprintf(why, sizeof why, "attribute %s not allowed", at);
                return why;
            }
            if (p[0] != '=' || p[1] != '"') return "attribute value not double-quoted";
            const char *v = p + 2, *end = strchr(v, '"');
            if (end == NULL || memchr(v, '<', (size_t)(end - v)) ||
                memchr(v, '>', (size_t)(end - v)))
                return "bad attribute value";
            char val[512];
            if (!decode_attr(v, (size_t)(end - v), val, sizeof val))
                return "unexpected '&' in attribute";
            if ((strcmp(at, "href") == 0 || strcmp(at, "src") == 0) && url_dangerous(val))
                return "dangerous URL";
            p = end + 1;
        }
        if (*p != '>') return "malformed tag";
        p++;
    }
    return NULL;
}

/* ---- check 2: libxml2 re-parse ---- */

static const char *tree_problem(xmlNodePtr n)
{
    static char why[160];
    for (; n != NULL; n = n->next) {
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE ||
            n->type == XML_CDATA_SECTION_NODE)
            return "comment/PI/CDATA in output";
        if (n->type != XML_ELEMENT_NODE) continue;
        if (!in_list((const char *)n->name, ALLOWED_ELEMS)) {
            snprintf(why, sizeof why, "tree: element <%s> not allowed", n->name);
            return why;
        }
        for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
            const char *an = (const char *)a->name;
            if (strncmp(an, "on", 2) == 0 || strcmp(an, "style") == 0 ||
                !in_list(an, ALLOWED_ATTRS)) {
                snprintf(why, sizeof why, "tree: attribute %s not allowed", an);
                return why;
            }
            if (strcmp(an, "href") == 0 || strcmp(an, "src") == 0) {
                xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
                int bad = v != NULL && url_dangerous((const char *)v);
                xmlFree(v);
                if (bad) return "tree: dangerous URL";
            }
        }
        if (strcmp((const char *)n->name, "input") == 0) {
            xmlChar *type = xmlGetProp(n, BAD_CAST "type");
            int ok = type != NULL && strcmp((const char *)type, "checkbox") == 0 &&
                     xmlHasProp(n, BAD_CAST "disabled") != NULL;
            xmlFree(type);
            if (!ok) return "tree: input not a disabled checkbox";
        }
        const char *sub = tree_problem(n->children);
        if (sub != NULL) return sub;
    }
    return NULL;
}

static const char *reparse_problem(const char *out)
{
    size_t n = strlen(out);
    char *buf = malloc(n + 6);
    memcpy(buf, "<div>", 5);
    memcpy(buf + 5, out, n + 1);
    htmlDocPtr doc = htmlReadMemory(buf, (int)(n + 5), NULL, "UTF-8",
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                        HTML_PARSE_NOIMPLIED);
    free(buf);
    if (doc == NULL) return "re-parse failed";
    xmlNodePtr root = xmlDocGetRootElement(doc);
    const char *why = root != NULL ? tree_problem(root->children) : NULL;
    xmlFreeDoc(doc);
    return why;
}

/* ---- check 3: plain substrings ---- */

static const char *substring_problem(const char *out)
{
    static const char *const bad[] = {"<script", "javascript:", " onerror", "onload="};
    size_t n = strlen(out);
    char *low = malloc(n + 1);
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)((out[i] >= 'A' && out[i] <= 'Z') ? out[i] + 32 : out[i]);
    const char *why = NULL;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0] && why == NULL; i++)
        if (strstr(low, bad[i]) != NULL) why = bad[i];
    free(low);
    return why;
}

static const char *safety_problem(const char *out)
{
    const char *why;
    if (!utf8_valid((const unsigned char *)out, strlen(out))) return "output is not valid UTF-8";
    if ((why = canonical_problem(out)) != NULL || (why = reparse_problem(out)) != NULL ||
        (why = substring_problem(out)) != NULL)
        return why;
    return NULL;
}

/* ---- vectors ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes \n \r \t \\ \xHH in place; returns the new length. */
static size_t unescape(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[i + 1];
            if (c == 'n' || c == 'r' || c == 't' || c == '\\') {
                s[o++] = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : '\\';
                i++;
                continue;
            }
            if (c == 'x' && i + 3 < n && hexval(s[i + 2]) >= 0 && hexval(s[i + 3]) >= 0) {
                s[o++] = (char)(hexval(s[i + 2]) * 16 + hexval(s[i + 3]));
                i += 3;
                continue;
            }
        }
        s[o++] = s[i];
    }
    return o;
}

static void check_vector(const char *v, size_t n, int line)
{
    char *out = sanitize_html(v, n, SANITIZE_HEADING_IDS);
    const char *why = safety_problem(out);
    CHECK(why == NULL, "vector line %d: %s\n  in:  %.*s\n  out: %s", line, why, (int)n, v, out);
    /* Sanitising again must stay safe (stored output may be re-processed). */
    char *again = sanitize_html(out, strlen(out), SANITIZE_HEADING_IDS);
    why = safety_problem(again);
    CHECK(why == NULL, "vector line %d (2nd pass): %s\n  out: %s", line, why, again);
    free(again);
    free(out);
}

static int run_vectors(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return 0;
    }
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (cap - len < 4096) {
            cap = cap * 2 + 4096;
            text = realloc(text, cap);
        }
        got = fread(text + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    int count = 0, line = 0;
    for (size_t i = 0; i < len;) {
        char *start = text + i;
        char *nl = memchr(start, '\n', len - i);
        size_t n = nl != NULL ? (size_t)(nl - start) : len - i;
        i += n + 1;
        line++;
        if (n == 0 || start[0] == '#') continue;
        check_vector(start, unescape(start, n), line);
        count++;
    }
    free(text);
    return count;
}

/* ---- wanted content ---- */

static void expect(const char *in, unsigned flags, const char *want)
{
    char *out = sanitize_html(in, strlen(in), flags);
    CHECK(strcmp(out, want) == 0, "\n  in:   %s\n  want: %s\n  got:  %s", in, want, out);
    const char *why = safety_problem(out);
    CHECK(why == NULL, "wanted output unsafe (%s): %s", why, out);
    free(out);
}

static void test_wanted(void)
{
    /* cmark-gfm's table and task-list output, as it is emitted */
    expect(
        "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n"
        "<th align=\"center\">c</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"left\">1</td>\n"
        "<td align=\"right\">2</td>\n<td align=\"center\">3</td>\n</tr>\n</tbody>\n</table>\n",
        0,
        "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n"
        "<th align=\"center\">c</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"left\">1</td>\n"
        "<td align=\"right\">2</td>\n<td align=\"center\">3</td>\n</tr>\n</tbody>\n</table>\n");
    expect("<ul>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>\n"
           "<li><input type=\"checkbox\" disabled=\"\" /> todo</li>\n</ul>\n",
           0,
           "<ul>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\"> done</li>\n"
           "<li><input type=\"checkbox\" disabled=\"\"> todo</li>\n</ul>\n");
    expect("<input type=\"checkbox\">", 0, "<input type=\"checkbox\" disabled=\"\">");
    expect("<input type=\"text\" value=\"x\">", 0, "");
    expect("<td colspan=\"2\" rowspan=\"x\" align=\"middle\">c</td>", 0,
           "<td colspan=\"2\">c</td>");

    /* links */
    expect("<a href=\"https://example.com/x?a=1&amp;b=2\">x</a>", 0,
           "<a href=\"https://example.com/x?a=1&amp;b=2\" rel=\"nofollow noopener\">x</a>");
    expect("<a href=\"HTTP://example.com/\" rel=\"opener\" target=\"_blank\">x</a>", 0,
           "<a href=\"HTTP://example.com/\" rel=\"nofollow noopener\">x</a>");
    expect("<a href=\"//example.com/\">x</a>", 0,
           "<a href=\"//example.com/\" rel=\"nofollow noopener\">x</a>");
    expect(
        "<a href=\"/wiki/Some_Page\">p</a> <a href=\"../up#frag\">u</a> <a href=\"page?x=1\">q</a> "
        "<a href=\"#top\">t</a> <a href=\"a/b:c\">c</a>",
        0,
        "<a href=\"/wiki/Some_Page\">p</a> <a href=\"../up#frag\">u</a> <a href=\"page?x=1\">q</a> "
        "<a href=\"#top\">t</a> <a href=\"a/b:c\">c</a>");
    expect("<a href=\"mailto:bob@example.com\">Bob</a> <a href=\"tel:+15551234\">call</a>", 0,
           "<a href=\"mailto:bob@example.com\">Bob</a> <a href=\"tel:+15551234\">call</a>");
    expect("<a href=\" /x\ty\n \">s</a>", 0, "<a href=\"/xy\">s</a>");
    expect("<a href=\"javascript:alert(1)\" title=\"t\">kept text</a>", 0,
           "<a title=\"t\">kept text</a>");
    expect("<a href=\"ftp://example.com/\">f</a>", 0, "<a>f</a>");

    /* images */
    expect("<img src=\"/files/a.png\" alt=\"A &amp; B\" width=\"10\" height=\"20\" title=\"t\">", 0,
           "<img src=\"/files/a.png\" alt=\"A &amp; B\" width=\"10\" height=\"20\" title=\"t\">");
    expect("<img src=\"https://example.com/a.png\" width=\"10px\">", 0,
           "<img src=\"https://example.com/a.png\">");
    expect("x<img src=\"mailto:a@b\">y<img alt=\"no src\">z<img src=\" \">", 0, "xyz");

    /* inline and block elements */
    expect("<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd></p>", 0,
           "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd></p>");
    expect("<details><summary>More</summary><p>Hidden</p></details>", 0,
           "<details><summary>More</summary><p>Hidden</p></details>");
    expect("<pre><code class=\"language-c\">int x = a &lt; b;\n</code></pre>", 0,
           "<pre><code class=\"language-c\">int x = a &lt; b;\n</code></pre>");
    expect("<span class=\"ok Bad x_y ok-2\">s</span>", 0, "<span>s</span>");
    /* Issue 15: only content classes, never ken's interface ones (banners, buttons). */
    expect("<div class=\"flash notice btn banner\">Your account is locked</div>", 0,
           "<div>Your account is locked</div>");
    expect("<code class=\"language-c wikilink\">x</code>", 0,
           "<code class=\"language-c wikilink\">x</code>");
    expect("<span class=\"Bad\">s</span>", 0, "<span>s</span>");
    expect("<ol start=\"3\"><li value=\"7\">x</li></ol><ol start=\"-1\"><li>y</li></ol>", 0,
           "<ol start=\"3\"><li value=\"7\">x</li></ol><ol><li>y</li></ol>");
    expect("<time datetime=\"2024-01-01\">new year</time>", 0,
           "<time datetime=\"2024-01-01\">new year</time>");
    expect("<p dir=\"RTL\" lang=\"he\">x</p><p dir=\"sideways\">y</p>", 0,
           "<p dir=\"rtl\" lang=\"he\">x</p><p>y</p>");
    expect("<abbr title='say \"hi\" &amp; <bye>'>x</abbr>", 0,
           "<abbr title=\"say &quot;hi&quot; &amp; &lt;bye&gt;\">x</abbr>");
    expect("a<br>b<hr/>c<br/>", 0, "a<br>b<hr>c<br>");
    expect("<blockquote><p>q</p></blockquote><dl><dt>t</dt><dd>d</dd></dl>", 0,
           "<blockquote><p>q</p></blockquote><dl><dt>t</dt><dd>d</dd></dl>");
    expect("<pre>\nfirst\n</pre>", 0, "<pre>\nfirst\n</pre>");

    /* what is dropped */
    expect("a<!-- c -->b", 0, "ab");
    expect("<foo>bar</foo> <center>c</center> <font color=red>f</font>", 0, "bar c f");
    expect("<style>p{}</style>y<script>x</script>z", 0, "yz");
    expect("<p onclick=\"x()\" style=\"color:red\" id=\"i\" class=\"c\">p</p>", 0,
           "<p>p</p>");

    /* text escaping and encodings */
    expect("a & b < c > d \"q\" 'r'", 0, "a &amp; b &lt; c &gt; d \"q\" 'r'");
    expect("&eacute;&nbsp;&#x1F600;&amp;lt;", 0, "\xC3\xA9\xC2\xA0\xF0\x9F\x98\x80&amp;lt;");
    expect("", 0, "");
    expect("plain text", 0, "plain text");

    /* heading ids */
    expect(
        "<h1>Intro</h1><h2>Intro</h2>", SANITIZE_HEADING_IDS,
        "<h1 id=\"intro\">Intro<a class=\"anchor\" href=\"#intro\" aria-hidden=\"true\">#</a></h1>"
        "<h2 id=\"intro-2\">Intro<a class=\"anchor\" href=\"#intro-2\" "
        "aria-hidden=\"true\">#</a></h2>");
    expect("<h1>Intro</h1>", 0, "<h1>Intro</h1>");
    expect(
        "<h3 id=\"mine\"> Hello, <em>World</em>! 2024 </h3><h4>!!</h4><h5>Caf\xC3\xA9 "
        "\xC3\x9Cn\xC3\xAF"
        "code</h5><h6><script>x</script></h6>",
        SANITIZE_HEADING_IDS,
        "<h3 id=\"hello-world-2024\"> Hello, <em>World</em>! 2024 <a class=\"anchor\" "
        "href=\"#hello-world-2024\" aria-hidden=\"true\">#</a></h3>"
        "<h4 id=\"section\">!!<a class=\"anchor\" href=\"#section\" aria-hidden=\"true\">#</a></h4>"
        "<h5 id=\"caf-n-code\">Caf\xC3\xA9 \xC3\x9Cn\xC3\xAF"
        "code<a class=\"anchor\" href=\"#caf-n-code\" aria-hidden=\"true\">#</a></h5>"
        "<h6 id=\"section-2\"><a class=\"anchor\" href=\"#section-2\" "
        "aria-hidden=\"true\">#</a></h6>");
    expect("<h2>x</h2><h2>x-2</h2><h2>x</h2>", SANITIZE_HEADING_IDS,
           "<h2 id=\"x\">x<a class=\"anchor\" href=\"#x\" aria-hidden=\"true\">#</a></h2>"
           "<h2 id=\"x-2\">x-2<a class=\"anchor\" href=\"#x-2\" aria-hidden=\"true\">#</a></h2>"
           "<h2 id=\"x-3\">x<a class=\"anchor\" href=\"#x-3\" aria-hidden=\"true\">#</a></h2>");
}

static void test_bytes(void)
{
    /* Invalid UTF-8, NUL, stray controls and non-characters: no crash, valid UTF-8 out. */
    static const char bad[] = "a\xff\xfe\xc3(\xed\xa0\x80ok\xf4\x90\x80\x80\xc0\xaf\x00z\x01\x0c"
                              "\xef\xbf\xbe<b>\xe2\x82</b>\xf0\x9f\x98";
    char *out = sanitize_html(bad, sizeof bad - 1, 0);
    CHECK(utf8_valid((const unsigned char *)out, strlen(out)), "invalid UTF-8 out: %s", out);
    CHECK(strstr(out, "ok") != NULL && strstr(out, "z") != NULL && strstr(out, "<b>") != NULL,
          "content lost around bad bytes: %s", out);
    free(out);

    out = sanitize_html("a\0b", 3, 0);
    CHECK(strcmp(out, "a\xEF\xBF\xBD"
                      "b") == 0,
          "NUL not replaced: %s", out);
    free(out);

    out = sanitize_html(NULL, 0, 0);
    CHECK(out != NULL && out[0] == '\0', "NULL input");
    free(out);

    /* Valid UTF-8 after an invalid byte stays as it was (libxml2 would switch to Latin-1). */
    out = sanitize_html("\xff \xC3\xA9", 4, 0);
    CHECK(strcmp(out, "\xEF\xBF\xBD \xC3\xA9") == 0, "mojibake after bad byte: %s", out);
    free(out);

    /* A <meta charset> in the input must not change decoding. */
    {
        const char *m = "<meta charset=\"iso-8859-1\">\xC3\xA9";
        out = sanitize_html(m, strlen(m), 0);
    }
    CHECK(strcmp(out, "\xC3\xA9") == 0, "meta charset switched decoding: %s", out);
    free(out);
}

static void test_deep(void)
{
    /* libxml2 stops at depth 256 by default; content after deep nesting must survive. */
    enum { DEPTH = 3000 };
    size_t cap = DEPTH * 11 + 64, n = 0;
    char *in = malloc(cap);
    for (int i = 0; i < DEPTH; i++)
        n += (size_t)sprintf(in + n, "<div>");
    n += (size_t)sprintf(in + n, "deep");
    for (int i = 0; i < DEPTH; i++)
        n += (size_t)sprintf(in + n, "</div>");
    n += (size_t)sprintf(in + n, "<p>after</p>");
    char *out = sanitize_html(in, n, 0);
    CHECK(strstr(out, "deep") != NULL && strstr(out, "<p>after</p>") != NULL,
          "deep nesting lost content");
    free(out);
    free(in);
}

static int thread_main(void *arg)
{
    (void)arg;
    int bad = 0;
    for (int i = 0; i < 200; i++) {
        const char *in =
            "<h1>T</h1><h1>T</h1><p><a href=\"javascript:x\">a</a><img src=x onerror=y></p>";
        char *out = sanitize_html(in, strlen(in), SANITIZE_HEADING_IDS);
        bad |= strstr(out, "id=\"t-2\"") == NULL || strstr(out, "onerror") != NULL;
        free(out);
    }
    return bad;
}

static void test_threads(void)
{
    thrd_t t[4];
    int ok = 1;
    for (int i = 0; i < 4; i++)
        ok &= thrd_create(&t[i], thread_main, NULL) == thrd_success;
    for (int i = 0; i < 4; i++) {
        int res = 1;
        thrd_join(t[i], &res);
        ok &= res == 0;
    }
    CHECK(ok, "concurrent sanitize_html calls disagreed");
}

int main(int argc, char **argv)
{
    xmlInitParser();
    if (argc < 2) {
        fprintf(stderr, "usage: %s xss_vectors.txt\n", argv[0]);
        return 2;
    }
    int vectors = run_vectors(argv[1]);
    CHECK(vectors >= 60, "only %d XSS vectors read from %s", vectors, argv[1]);
    test_wanted();
    test_bytes();
    test_deep();
    test_threads();
    xmlCleanupParser();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
