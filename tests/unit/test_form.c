/* Request parameters and JSON bodies as form.c parses them (request.c hands it the bytes):
 * decoding, repeated names, control characters in a query string and in a form body, bad
 * encodings, and JSON bodies that are not objects. */
#include "check.h"
#include "http/form.h"

static const char *get(const struct param *p, const char *name)
{
    for (; p; p = p->next)
        if (strcmp(p->name, name) == 0)
            return p->value;
    return NULL;
}

static int count(const struct param *p)
{
    int n = 0;
    for (; p; p = p->next)
        n++;
    return n;
}

static struct param *parse(struct arena *a, const char *s, int query, int *rc, const char **why)
{
    struct param *p = NULL;
    *why = NULL;
    *rc = form_parse_urlencoded(a, s, strlen(s), query, &p, why);
    return p;
}

static void urlencoded(struct arena *a)
{
    int rc;
    const char *why;
    struct param *p = parse(a, "q=k8s+deploy&space=ops%2Fteam&empty=&flag&&=x&q=second", 1, &rc, &why);
    CHECK(rc == 0 && why == NULL);
    CHECK_STR(get(p, "q"), "second"); /* the last of a repeated name wins */
    CHECK_STR(get(p, "space"), "ops/team");
    CHECK_STR(get(p, "empty"), "");
    CHECK_STR(get(p, "flag"), "");
    CHECK(count(p) == 5); /* "&&" and "=x" (no name) make nothing */
    CHECK(get(p, "nope") == NULL);
    p = parse(a, "caf%C3%A9=cr%C3%A8me", 0, &rc, &why);
    CHECK(rc == 0);
    CHECK_STR(get(p, "caf\xc3\xa9"), "cr\xc3\xa8me");

    /* Control characters: blanked in a query string (a pasted search), refused in a form body. */
    p = parse(a, "q=a%09b%0Ac%00d%7F", 1, &rc, &why);
    CHECK(rc == 0);
    CHECK_STR(get(p, "q"), "a b c d ");
    parse(a, "title=a%00b", 0, &rc, &why);
    CHECK(rc == 400 && why);
    p = parse(a, "markdown=line%0D%0Anext%09tab", 0, &rc, &why);
    CHECK(rc == 0);
    CHECK_STR(get(p, "markdown"), "line\r\nnext\ttab"); /* line breaks and tabs are text */

    parse(a, "q=%C3%28", 1, &rc, &why); /* not UTF-8 */
    CHECK(rc == 400);
    CHECK_CONTAINS(why, "not valid UTF-8");
    parse(a, "q=%ED%A0%80", 1, &rc, &why); /* a UTF-16 surrogate */
    CHECK(rc == 400);
    p = parse(a, "", 0, &rc, &why);
    CHECK(rc == 0 && p == NULL);
}

static json_t *obj(struct arena *a, const char *body, const char **why)
{
    return form_json_object(a, body, strlen(body), why);
}

static void json_bodies(struct arena *a)
{
    const char *why = NULL;
    json_t *j = obj(a, "{\"title\": \"Caf\\u00e9\", \"tags\": [\"a\"]}", &why);
    CHECK(j && json_is_object(j));
    CHECK_STR(j ? json_string_value(json_object_get(j, "title")) : NULL, "Caf\xc3\xa9");
    json_decref(j);
    CHECK(obj(a, "", &why) == NULL);
    CHECK_CONTAINS(why, "needs a JSON object");
    CHECK(obj(a, "[1, 2]", &why) == NULL);
    CHECK_CONTAINS(why, "not an object");
    CHECK(obj(a, "{\"a\": 1, \"a\": 2}", &why) == NULL); /* duplicate keys */
    CHECK_CONTAINS(why, "not a JSON object");
    CHECK(obj(a, "{\"a\": \"x\\u0000y\"}", &why) == NULL); /* NUL in text */
    CHECK(obj(a, "{\"a\": 1} trailing", &why) == NULL);
}

/* A "tags" member: one string, or an array of strings joined by commas; missing means none. */
static void json_tags(struct arena *a)
{
    const char *why = NULL;
    json_t *j = obj(a, "{\"list\": [\"vpn\", \"on call\"], \"one\": \"a, b\", \"none\": "
                       "null, \"bad\": [\"x\", 1], \"num\": 3, \"empty\": []}",
                    &why);
    CHECK(j != NULL);
    CHECK_STR(form_json_tags(a, json_object_get(j, "list")), "vpn,on call");
    CHECK_STR(form_json_tags(a, json_object_get(j, "one")), "a, b");
    CHECK_STR(form_json_tags(a, json_object_get(j, "none")), "");
    CHECK_STR(form_json_tags(a, json_object_get(j, "missing")), "");
    CHECK_STR(form_json_tags(a, json_object_get(j, "empty")), "");
    CHECK(form_json_tags(a, json_object_get(j, "bad")) == NULL);
    CHECK(form_json_tags(a, json_object_get(j, "num")) == NULL);
    json_decref(j);
}

int main(void)
{
    struct arena *a = arena_new();
    urlencoded(a);
    json_bodies(a);
    json_tags(a);
    arena_free(a);
    DONE();
}
