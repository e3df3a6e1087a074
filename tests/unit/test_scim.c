/* SCIM's language: filters, attribute paths, PATCH operations as Okta and Entra ID send them
 * (with and without a path, capitalised ops, "False" for false), booleans and logins made from
 * userNames. */
#include "check.h"
#include "accounts/scim.h"

#include <stdlib.h>

/* Parses filter text; returns "attr|op|value|quoted" or "error". */
static const char *filter(struct arena *a, const char *text)
{
    struct scim_filter f;
    const char *why;
    if (scim_filter_parse(a, text, &f, &why) != 0)
        return why && *why ? "error" : "error without a reason";
    return arena_printf(a, "%s|%s|%s|%d", f.attr, f.op, f.value ? f.value : "-", f.quoted);
}

static void test_filters(struct arena *a)
{
    CHECK_STR(filter(a, "userName eq \"test.user@okta.local\""),
              "userName|eq|test.user@okta.local|1");
    CHECK_STR(filter(a, "  username EQ \"Ana\"  "), "username|eq|Ana|1");
    CHECK_STR(filter(a, "externalId eq \"0a21f0f2-8d2a\""), "externalId|eq|0a21f0f2-8d2a|1");
    CHECK_STR(filter(a, "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\""),
              "userName|eq|x|1");
    CHECK_STR(filter(a, "userName eq \"say \\\"hi\\\" \\u00e9\""),
              "userName|eq|say \"hi\" \xc3\xa9|1");
    CHECK_STR(filter(a, "active eq True"), "active|eq|true|0");
    CHECK_STR(filter(a, "id eq 42"), "id|eq|42|0");
    CHECK_STR(filter(a, "title pr"), "title|pr|-|0");
    CHECK_STR(filter(a, "emails.value co \"@example.com\""), "emails.value|co|@example.com|1");
    /* What ken does not understand is an error with a reason, never a crash. */
    const char *bad[] = {"",
                         "userName",
                         "userName eq",
                         "userName eq \"open",
                         "userName xx \"a\"",
                         "userName eq \"a\" and active eq true",
                         "(userName eq \"a\")",
                         "userName eq bareword",
                         "userName eq\"a\"",
                         "eq \"a\"",
                         "userName pr extra",
                         "userName eq \"\\x\""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_STR(filter(a, bad[i]), "error");
}

/* Parses a path; returns "schema|attr|filter-attr=value|sub" or "error". */
static const char *path(struct arena *a, const char *text)
{
    struct scim_path p;
    const char *why;
    if (scim_path_parse(a, text, &p, &why) != 0) return why ? "error" : "error without a reason";
    return arena_printf(a, "%s|%s|%s=%s|%s", p.schema ? p.schema : "-", p.attr ? p.attr : "-",
                        p.filter.attr ? p.filter.attr : "-", p.filter.value ? p.filter.value : "-",
                        p.sub ? p.sub : "-");
}

static void test_paths(struct arena *a)
{
    CHECK_STR(path(a, "active"), "-|active|-=-|-");
    CHECK_STR(path(a, "name.givenName"), "-|name|-=-|givenName");
    CHECK_STR(path(a, "emails[type eq \"work\"].value"), "-|emails|type=work|value");
    CHECK_STR(path(a, "emails[value eq \"a]b\"]"), "-|emails|value=a]b|-");
    CHECK_STR(path(a, SCIM_ENTERPRISE_USER ":manager"), SCIM_ENTERPRISE_USER "|manager|-=-|-");
    CHECK_STR(path(a, SCIM_ENTERPRISE_USER), SCIM_ENTERPRISE_USER "|-|-=-|-");
    CHECK_STR(path(a, SCIM_CORE_USER ":userName"), "-|userName|-=-|-");
    CHECK_STR(path(a, "urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge"),
              "urn:ietf:params:scim:schemas:extension:acme:2.0:User|badge|-=-|-");
    const char *bad[] = {"",
                         ".x",
                         "name.",
                         "emails[type eq \"work\"",
                         "emails[nonsense].value",
                         "a b",
                         SCIM_CORE_USER,
                         "name.given.name"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_STR(path(a, bad[i]), "error");
}

/* Applies a PatchOp body (JSON text) to resource `res` (JSON text); returns the result as
 * compact sorted JSON, or "400 scimType". */
static const char *patch(struct arena *a, const char *res, const char *body)
{
    json_t *r = json_loads(res, 0, NULL), *b = json_loads(body, 0, NULL);
    const char *why, *type;
    int rc = scim_patch_apply(a, r, b, &why, &type);
    char *s = rc ? NULL : json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
    const char *out = rc ? arena_printf(a, "%d %s", rc, type) : arena_strdup(a, s);
    free(s);
    json_decref(r);
    json_decref(b);
    return out;
}

static void test_patch(struct arena *a)
{
    const char *user = "{\"userName\":\"ana\",\"active\":true,\"name\":{\"givenName\":\"Ana\","
                       "\"familyName\":\"Lima\"},\"emails\":[{\"value\":\"ana@x.org\","
                       "\"type\":\"work\",\"primary\":true}]}";
    /* Okta deactivates without a path. */
    CHECK_CONTAINS(patch(a, user,
                         "{\"schemas\":[\"" SCIM_PATCH_OP "\"],\"Operations\":[{\"op\":"
                         "\"replace\",\"value\":{\"active\":false}}]}"),
                   "\"active\":false");
    /* Entra ID: capitalised op, a path, the string "False". */
    const char *out = patch(a, user,
                            "{\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\","
                            "\"value\":\"False\"}]}");
    CHECK_CONTAINS(out, "\"active\":\"False\"");
    json_t *j = json_loads(out, 0, NULL);
    CHECK(scim_bool(scim_get(j, "ACTIVE")) == 0);
    json_decref(j);
    /* Sub-attributes, and value filters that pick a member of a list (or add one). */
    out = patch(a, user,
                "{\"Operations\":[{\"op\":\"Replace\",\"path\":\"name.familyName\","
                "\"value\":\"Souza\"},{\"op\":\"Replace\",\"path\":\"emails[type eq "
                "\\\"work\\\"].value\",\"value\":\"new@x.org\"}]}");
    CHECK_CONTAINS(out, "\"familyName\":\"Souza\"");
    CHECK_CONTAINS(out, "\"givenName\":\"Ana\"");
    CHECK_CONTAINS(out, "[{\"primary\":true,\"type\":\"work\",\"value\":\"new@x.org\"}]");
    out = patch(a, "{\"userName\":\"b\"}",
                "{\"Operations\":[{\"op\":\"add\",\"path\":\"emails["
                "type eq \\\"work\\\"].value\",\"value\":\"b@x.org\"}]}");
    CHECK_STR(out, "{\"emails\":[{\"type\":\"work\",\"value\":\"b@x.org\"}],\"userName\":\"b\"}");
    out = patch(a, user,
                "{\"Operations\":[{\"op\":\"remove\",\"path\":\"emails[type eq "
                "\\\"work\\\"]\"},{\"op\":\"remove\",\"path\":\"name.givenName\"}]}");
    CHECK_CONTAINS(out, "\"emails\":[]");
    CHECK(!strstr(out, "givenName"));
    /* The enterprise extension: a path with its URN, or the extension as a member. */
    out = patch(a, user,
                "{\"Operations\":[{\"op\":\"Add\",\"path\":\"" SCIM_ENTERPRISE_USER
                ":manager\",\"value\":\"7\"},{\"op\":\"replace\",\"value\":{\"" SCIM_ENTERPRISE_USER
                "\":{\"department\":\"Sales\"}}}]}");
    CHECK_CONTAINS(out,
                   "\"" SCIM_ENTERPRISE_USER "\":{\"department\":\"Sales\",\"manager\":\"7\"}");
    out = patch(a, out,
                "{\"Operations\":[{\"op\":\"remove\",\"path\":\"" SCIM_ENTERPRISE_USER
                ":manager\"}]}");
    CHECK_CONTAINS(out, "{\"department\":\"Sales\"}");
    /* No path, members as paths (Entra ID), names in any case. */
    out = patch(a, user,
                "{\"Operations\":[{\"op\":\"replace\",\"value\":{\"name.givenName\":"
                "\"Anna\",\"DisplayName\":\"Anna L\",\"emails[type eq \\\"work\\\"]."
                "value\":\"anna@x.org\"}}]}");
    CHECK_CONTAINS(out, "\"givenName\":\"Anna\"");
    CHECK_CONTAINS(out, "\"DisplayName\":\"Anna L\"");
    CHECK_CONTAINS(out, "\"value\":\"anna@x.org\"");
    /* Adding to a list appends; replacing a complex attribute keeps what it does not name. */
    out = patch(a, user,
                "{\"Operations\":[{\"op\":\"add\",\"path\":\"emails\",\"value\":[{"
                "\"value\":\"home@x.org\",\"type\":\"home\"}]},{\"op\":\"replace\","
                "\"path\":\"NAME\",\"value\":{\"familyName\":\"L\"}}]}");
    CHECK_CONTAINS(out, "\"ana@x.org\"");
    CHECK_CONTAINS(out, "\"home@x.org\"");
    CHECK_CONTAINS(out, "{\"familyName\":\"L\",\"givenName\":\"Ana\"}");
    /* Bad operations are refused with the scimType RFC 7644 gives them. */
    CHECK_STR(patch(a, user, "{\"Operations\":[]}"), "400 invalidSyntax");
    CHECK_STR(patch(a, user, "{\"operations\":[{\"op\":\"move\",\"path\":\"active\"}]}"),
              "400 invalidSyntax");
    CHECK_STR(patch(a, user, "{\"Operations\":[{\"op\":\"remove\"}]}"), "400 noTarget");
    CHECK_STR(patch(a, user,
                    "{\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq]\","
                    "\"value\":1}]}"),
              "400 invalidPath");
    CHECK_STR(patch(a, user, "{\"Operations\":[{\"op\":\"replace\",\"path\":\"active\"}]}"),
              "400 invalidValue");
    CHECK_STR(patch(a, user, "{\"Operations\":[{\"op\":\"replace\",\"value\":true}]}"),
              "400 invalidValue");
    CHECK_STR(patch(a, user,
                    "{\"Operations\":[{\"op\":\"replace\",\"path\":\"emails.value\","
                    "\"value\":\"x\"}]}"),
              "400 invalidPath");
    CHECK_STR(patch(a, user,
                    "{\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type gt "
                    "\\\"a\\\"].value\",\"value\":\"x\"}]}"),
              "400 invalidFilter");
}

static void test_bools_and_logins(struct arena *a)
{
    json_t *t = json_true(), *s = json_string("False"), *n = json_integer(1);
    CHECK(scim_bool(t) == 1 && scim_bool(s) == 0 && scim_bool(n) == -1 && scim_bool(NULL) == -1);
    json_decref(s);
    json_decref(n);
    CHECK_STR(scim_login_base(a, "test.user@okta.local"), "test.user");
    CHECK_STR(scim_login_base(a, "Test_User_ab6490ee-1e48"), "test_user_ab6490ee-1e48");
    CHECK_STR(scim_login_base(a, "O'Brien, Seán@x"), "o-brien-se-n");
    CHECK_STR(scim_login_base(a, ".-@x"), "user");
    CHECK_STR(scim_login_base(a, "@example.com"), "example.com");
    CHECK(strlen(scim_login_base(
              a, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")) == 56);
}

int main(void)
{
    struct arena *a = arena_new();
    test_filters(a);
    test_paths(a);
    test_patch(a);
    test_bools_and_logins(a);
    arena_free(a);
    DONE();
}
