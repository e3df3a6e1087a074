/* The Atom writer: well-formed XML in the Atom namespace with the elements RFC 4287 requires,
 * hostile text escaped rather than turned into markup, forbidden characters dropped. */
#include "check.h"
#include "markup/feed.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>

#define ATOM "http://www.w3.org/2005/Atom"

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
    return NULL;
}

static int count(xmlNodePtr parent, const char *name)
{
    int k = 0;
    for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
        k += n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
    return k;
}

/* Returns the text of parent's child `name` (malloc'd by libxml2 into a static slot), or NULL. */
static const char *text_of(xmlNodePtr parent, const char *name)
{
    static xmlChar *last;
    xmlFree(last);
    xmlNodePtr n = child(parent, name);
    last = n ? xmlNodeGetContent(n) : NULL;
    return (const char *)last;
}

static const char *attr_of(xmlNodePtr n, const char *name)
{
    static xmlChar *last;
    xmlFree(last);
    last = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
    return (const char *)last;
}

static int is_atom(xmlNodePtr n)
{
    return n && n->ns && strcmp((const char *)n->ns->href, ATOM) == 0;
}

int main(void)
{
    char when[32];
    feed_time(when, 0);
    CHECK_STR(when, "1970-01-01T00:00:00Z");
    feed_time(when, 1795701900);
    CHECK_STR(when, "2026-11-26T14:05:00Z");

    const char *evil = "<script>alert(\"x\")</script> & more";
    struct feed_entry entries[] = {
        {.id = "tag:wiki.example.com,2026-11-26:revision/7",
         .title = evil,
         .link = "https://wiki.example.com/wiki/ops/vpn?rev=3&x=\"y\"",
         .author = "Ana <Lima> & \"Co\"",
         .summary = "fixed <b>the</b> & typo",
         .content = "<p>Ana changed <a href=\"https://wiki.example.com/wiki/ops/vpn\">"
                    "&lt;script&gt;</a></p>",
         .updated = 1795701900},
        {.id = "tag:wiki.example.com,2026-11-25:revision/6",
         .title = "Bell\x01 and \xef\xbf\xbe gone, caf\xc3\xa9 kept, broken \xff byte",
         .link = "https://wiki.example.com/wiki/ops/vpn?rev=2",
         .author = "",
         .summary = "",
         .content = NULL,
         .updated = 1795615500},
    };
    struct feed f = {
        .id = "tag:wiki.example.com,2026:changes?space=ops&tag=<x>",
        .title = "Changes in \"ops\" <&>",
        .self = "https://wiki.example.com/changes.atom?space=ops&token=abc",
        .alternate = "https://wiki.example.com/changes?space=ops",
        .updated = 1795701900,
        .entries = entries,
        .n = 2,
    };
    size_t len = 0;
    char *xml = feed_atom(&f, &len);
    CHECK(xml != NULL);
    CHECK(xml && strlen(xml) == len);
    CHECK_CONTAINS(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    CHECK(xml && !strstr(xml, "<script>"));
    CHECK(xml && !strstr(xml, "<b>"));
    CHECK_CONTAINS(xml, "&lt;script&gt;alert");
    CHECK(xml && !strstr(xml, "\x01"));

    xmlDocPtr doc = xml ? xmlReadMemory(xml, (int)len, "feed.xml", NULL, XML_PARSE_NONET) : NULL;
    CHECK(doc != NULL);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    CHECK(root && strcmp((const char *)root->name, "feed") == 0);
    CHECK(is_atom(root));
    CHECK_STR(text_of(root, "id"), f.id);
    CHECK_STR(text_of(root, "title"), f.title);
    CHECK_STR(text_of(root, "updated"), "2026-11-26T14:05:00Z");
    CHECK(count(root, "link") == 2);
    xmlNodePtr self = child(root, "link");
    CHECK_STR(attr_of(self, "rel"), "self");
    CHECK_STR(attr_of(self, "href"), f.self);
    CHECK(count(root, "entry") == 2);

    xmlNodePtr e = child(root, "entry");
    CHECK(is_atom(e));
    CHECK_STR(text_of(e, "id"), entries[0].id);
    CHECK_STR(text_of(e, "title"), evil);
    CHECK_STR(text_of(e, "updated"), "2026-11-26T14:05:00Z");
    CHECK_STR(text_of(child(e, "author"), "name"), entries[0].author);
    CHECK_STR(attr_of(child(e, "link"), "href"), entries[0].link);
    CHECK_STR(attr_of(child(e, "link"), "rel"), "alternate");
    CHECK_STR(text_of(e, "summary"), entries[0].summary);
    CHECK(child(child(e, "summary"), "b") == NULL); /* text, not markup */
    CHECK_STR(attr_of(child(e, "content"), "type"), "html");
    CHECK_STR(text_of(e, "content"), entries[0].content); /* the HTML as a string, once escaped */
    CHECK(child(child(e, "content"), "p") == NULL);

    xmlNodePtr e2 = e ? e->next : NULL;
    while (e2 && e2->type != XML_ELEMENT_NODE)
        e2 = e2->next;
    CHECK_STR(text_of(e2, "title"), "Bell and  gone, caf\xc3\xa9 kept, broken  byte");
    CHECK_STR(text_of(child(e2, "author"), "name"), "unknown"); /* atom:author needs a name */
    CHECK(child(e2, "summary") == NULL);
    CHECK(child(e2, "content") == NULL);
    xmlFreeDoc(doc);
    free(xml);

    /* An empty feed is still a valid feed. */
    struct feed empty = {.id = "tag:x,2026:changes", .title = "Nothing", .self = "http://x/a",
                         .alternate = "http://x/b", .updated = 0};
    xml = feed_atom(&empty, &len);
    doc = xml ? xmlReadMemory(xml, (int)len, "empty.xml", NULL, XML_PARSE_NONET) : NULL;
    CHECK(doc != NULL);
    root = doc ? xmlDocGetRootElement(doc) : NULL;
    CHECK(is_atom(root) && count(root, "entry") == 0 && child(root, "id") != NULL);
    xmlFreeDoc(doc);
    free(xml);
    text_of(NULL, "x");
    attr_of(NULL, "x");
    DONE();
}
