/* The people import: reading CSV (quotes, separators, line endings, line numbers, headers) and
 * JSON (line numbers of items, bad items), a run against a temporary database (create, update
 * by email, managers in a second pass, loops refused, dry runs, a second run changing nothing,
 * marking people missing from the file, never admins); and the HR export's CSV cells. */
#include "check.h"
#include "testdb.h"
#include "people/hr_http.h"
#include "import/import_people.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "people/people_store.h"
#include "accounts/user_store.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <unistd.h>

static struct import_row *parse(struct arena *a, const char *text, const char **why)
{
    return import_people_parse(a, text, strlen(text), why);
}

static struct import_row *nth(struct import_row *r, int n)
{
    while (r && n-- > 0)
        r = r->next;
    return r;
}

static void test_csv(struct arena *a)
{
    const char *why = NULL;
    struct import_row *r = parse(a,
                                 "\xef\xbb\xbfLogin,Full Name,Start Date,name,Employee ID\r\n"
                                 "ana,x,2020-01-02,Ana Lima,7\r\n"
                                 "\r\n"
                                 "bo,,,\"Bo \"\"the\"\" Builder, Jr\",8\r\n"
                                 "cy,,,\"two\nlines\"\r\n"
                                 "dee\n",
                                 &why);
    CHECK(why == NULL);
    CHECK(r && r->line == 2);
    CHECK_STR(r->values[IMPORT_LOGIN], "ana");
    CHECK_STR(r->values[IMPORT_START_DATE], "2020-01-02");
    CHECK_STR(r->values[IMPORT_NAME], "Ana Lima"); /* "Full Name" is no column of ken's */
    CHECK(r->values[IMPORT_EMAIL] == NULL);         /* not in the file: left as it is */
    CHECK(nth(r, 1) && nth(r, 1)->line == 4);       /* the blank line is skipped */
    CHECK_STR(nth(r, 1)->values[IMPORT_NAME], "Bo \"the\" Builder, Jr");
    CHECK(nth(r, 2) && nth(r, 2)->line == 5);
    CHECK_STR(nth(r, 2)->values[IMPORT_NAME], "two\nlines");
    CHECK(nth(r, 3) && nth(r, 3)->line == 7); /* after a quoted line break */
    CHECK_STR(nth(r, 3)->values[IMPORT_NAME], ""); /* a short row: the rest are empty */
    CHECK(nth(r, 4) == NULL);

    r = parse(a, "login;name;title\nana;Ana;Head, of things\n", &why);
    CHECK(r && why == NULL);
    CHECK_STR(r->values[IMPORT_TITLE], "Head, of things");
    r = parse(a, "login\tname\nana\tAna Lima\n", &why);
    CHECK(r && why == NULL);
    CHECK_STR(r->values[IMPORT_NAME], "Ana Lima");

    CHECK(parse(a, "name,email\nAna,a@x.example\n", &why) == NULL && why);
    CHECK_CONTAINS(why, "no login column");
    CHECK(parse(a, "", &why) == NULL && why == NULL);
    r = parse(a, "login,name\nana,\"never ends\nbo,Bo\n", &why);
    CHECK(r && r->error && r->line == 2);
    CHECK_CONTAINS(r->error, "never ends");
    r = parse(a, "login,name\nana,\xff\xfe\n", &why);
    CHECK(r && r->error);
}

static void test_json(struct arena *a)
{
    const char *why = NULL;
    struct import_row *r = parse(a,
                                 "[\n"
                                 "  {\"login\": \"ana\", \"name\": \"Ana, \\\"A\\\" [x]\",\n"
                                 "   \"employee_id\": 7, \"manager\": null},\n"
                                 "  \"not an object\",\n"
                                 "  {\"login\": \"bo\",\n"
                                 "   \"title\": 3}\n"
                                 "]\n",
                                 &why);
    CHECK(r && why == NULL);
    CHECK(r->line == 2 && !r->error);
    CHECK_STR(r->values[IMPORT_NAME], "Ana, \"A\" [x]");
    CHECK_STR(r->values[IMPORT_MANAGER], "");
    CHECK(nth(r, 1) && nth(r, 1)->line == 4 && nth(r, 1)->error);
    CHECK(nth(r, 2) && nth(r, 2)->line == 5 && nth(r, 2)->error);
    /* Found by fuzz_people: blank lines before the array must count in the lines given. */
    r = parse(a, "\xef\xbb\xbf\n\n[{\"login\": \"ana\"},\n {\"login\": 7}]", &why);
    CHECK(r && why == NULL && r->line == 3 && nth(r, 1) && nth(r, 1)->line == 4);
    r = parse(a, "\n[\n", &why);
    CHECK(r == NULL && why);
    CHECK_CONTAINS(why, "line 3"); /* jansson's line, counted from the top of the file */
    CHECK(parse(a, "[{\"login\": \"a\"", &why) == NULL && why);
    CHECK(parse(a, "  {\"login\": \"a\"}", &why) == NULL && why); /* CSV with no login column */
}

static void test_csv_cells(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "\"plain\""},
        {"a \"quote\", and a comma", "\"a \"\"quote\"\", and a comma\""},
        {"=1+2", "\"'=1+2\""},
        {"+SUM(A1)", "\"'+SUM(A1)\""},
        {"-2", "\"'-2\""},
        {"@cmd", "\"'@cmd\""},
        {"\t=1", "\"'\t=1\""},
        {"a=1", "\"a=1\""},
        {"", "\"\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct buf b;
        buf_init(&b, 0);
        hr_csv_cell(&b, cases[i].in);
        CHECK_STR(buf_str(&b), cases[i].out);
        buf_free(&b);
    }
    struct buf b;
    buf_init(&b, 0);
    hr_csv_cell(&b, NULL);
    CHECK_STR(buf_str(&b), "\"\"");
    buf_free(&b);
}

/* Runs an import of `text` (written to a file in dir); the output goes to `log`. */
static int run(struct db *db, const char *dir, const char *text, int dry, int mark,
               struct import_people_stats *st)
{
    char path[128];
    snprintf(path, sizeof path, "%s/in.csv", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    struct import_people_options o = {.dry_run = dry, .mark_missing_as_left = mark};
    FILE *out = fopen("/dev/null", "w");
    int rc = import_people(db, path, &o, out, out, 0, st);
    fclose(out);
    unlink(path);
    return rc;
}

static const char *value(struct db *db, struct arena *a, const char *login, const char *field)
{
    struct person *p = people_store_get(db, a, login);
    return p ? p->values[people_field_index(field)] : "(nobody)";
}

static void test_import(struct db *db, struct arena *a, const char *dir)
{
    const char *why;
    CHECK(user_store_add(db, a, "boss", "The Boss", ROLE_ADMIN, NULL, &why) > 0);
    CHECK(user_store_add(db, a, "old", "Old Timer", ROLE_EDITOR, NULL, &why) > 0);
    struct people_edit e;
    people_edit_init(&e);
    e.values[people_field_index("email")] = "old@example.com";
    CHECK(people_store_save(db, a, NULL, "old", &e, &why) == 0);

    static const char *const file =
        "login,name,email,title,department,team,manager\n"
        "ann,Ann,ann@example.com,Lead,Ops,Floor,\n"
        "otimer,Old Timer,old@example.com,Veteran,Ops,,ann\n"
        "cat,Cat,,Helper,Ops,Floor,dan\n"
        "dan,Dan,,Helper,Ops,Floor,cat\n"
        ",Nobody,,,,,\n";
    struct import_people_stats st;
    CHECK(run(db, dir, file, 1, 0, &st) == 0);
    CHECK(st.created == 2 && st.updated == 1 && st.failed == 2); /* dan: created, then his loop */
    CHECK(people_store_get(db, a, "ann") == NULL); /* the dry run made nobody */
    CHECK_STR(value(db, a, "old", "title"), "");

    CHECK(run(db, dir, file, 0, 0, &st) == 0);
    CHECK(st.created == 2 && st.updated == 1 && st.skipped == 0 && st.failed == 2);
    CHECK_STR(value(db, a, "ann", "department"), "ops");
    CHECK_STR(value(db, a, "ann", "team"), "floor");
    CHECK_STR(value(db, a, "old", "title"), "Veteran"); /* matched by email */
    CHECK_STR(value(db, a, "old", "manager"), "ann");
    CHECK_STR(value(db, a, "cat", "manager"), "dan");
    CHECK_STR(value(db, a, "dan", "manager"), ""); /* the loop was refused */
    CHECK(user_store_password_hash(db, a, "ann") == NULL);

    CHECK(run(db, dir, file, 0, 0, &st) == 0);
    CHECK(st.created == 0 && st.updated == 0 && st.skipped == 3 && st.failed == 2);

    CHECK(run(db, dir, "login\nann\n", 0, 1, &st) == 0);
    struct person *p = people_store_get(db, a, "old");
    CHECK(p && p->left_at != 0);
    p = people_store_get(db, a, "boss");
    CHECK(p && p->left_at == 0); /* admins never */
    p = people_store_get(db, a, "ann");
    CHECK(p && p->left_at == 0);
    CHECK(st.marked_left == 3); /* old, cat, dan */
}

int main(void)
{
    struct arena *a = arena_new();
    test_csv(a);
    test_json(a);
    test_csv_cells();
    struct testdb tdb;
    struct db *db = testdb_open(&tdb);
    markdown_init();
    test_import(db, a, tdb.dir);
    db_close(db);
    testdb_remove(&tdb);
    arena_free(a);
    xmlCleanupParser();
    DONE();
}
