/* People search over a small database: each searcher is matched only on what they may see (an
 * HR-only bio for HR and admins, a private field for nobody), people who left only for HR, the
 * index kept by profile saves and refilled for a database from before it. */
#include "core/buf.h"
#include "check.h"
#include "testdb.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "search/people_search_store.h"
#include "people/people_store.h"
#include "accounts/user_store.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <unistd.h>

static struct db *db;
static struct arena *a;

static struct user *user(const char *login, enum role role)
{
    const char *why;
    struct user *u = arena_alloc(a, sizeof *u);
    u->id = user_store_add(db, a, login, login, role, NULL, &why);
    u->login = login;
    u->name = login;
    u->role = role;
    CHECK(u->id > 0);
    return u;
}

/* Sets field of login's profile to value, seen by `level` ("everyone", "hr", "private"). */
static void set(const char *login, const char *field, const char *value, const char *level)
{
    struct people_edit e;
    people_edit_init(&e);
    int i = people_field_index(field);
    e.values[i] = value;
    e.levels[i] = visibility_parse(level);
    const char *why = NULL;
    CHECK(people_store_save(db, a, NULL, login, &e, &why) == 0);
}

/* Returns the logins viewer finds for q, space-separated, with "(left)" after those who left;
 * "-" when the searcher finds nobody. */
static const char *found(const struct user *viewer, const char *q)
{
    struct search_query sq;
    struct people_result res;
    search_query_parse(a, q, &sq);
    CHECK(people_search_store_find(db, a, viewer, &sq, 10, 0, 1, &res) == 0);
    struct buf b;
    buf_init(&b, 0);
    for (const struct people_hit *h = res.hits; h; h = h->next)
        buf_printf(&b, "%s%s%s", b.len ? " " : "", h->login, h->left ? "(left)" : "");
    CHECK(res.total == 0 || b.len > 0);
    return b.len ? arena_adopt(a, buf_take(&b)) : (buf_free(&b), "-");
}

int main(void)
{
    xmlInitParser();
    markdown_init();
    struct testdb tdb;
    db = testdb_open(&tdb);
    a = arena_new();
    struct user *ana = user("ana", ROLE_EDITOR), *vic = user("vic", ROLE_VIEWER);
    struct user *hana = user("hana", ROLE_HR), *root = user("root", ROLE_ADMIN);

    CHECK_STR(found(vic, "ana"), "ana"); /* found by name from the start */
    set("ana", "bio", "I keep *bees* on the roof.", "hr");
    set("ana", "ask_me_about", "okapis, beekeeping", "everyone");
    set("ana", "location", "Oslo", "private");

    CHECK_STR(found(vic, "okapis"), "ana");
    CHECK_STR(found(vic, "bees"), "-");
    CHECK_STR(found(vic, "okapis -bees"), "ana"); /* an exclusion cannot test HR-only text */
    CHECK_STR(found(hana, "bees"), "ana");
    CHECK_STR(found(root, "bee*"), "ana");
    CHECK_STR(found(hana, "okapis -bees"), "-");
    CHECK_STR(found(vic, "oslo"), "-");
    CHECK_STR(found(hana, "oslo"), "-");
    CHECK_STR(found(NULL, "okapis"), "-"); /* people are for signed-in readers */
    CHECK_STR(found(vic, "okapis type:page"), "-");
    CHECK_STR(found(vic, "okapis space:ops"), "-");

    /* What a card shows comes from the searcher's own index. */
    struct search_query sq;
    struct people_result res;
    search_query_parse(a, "okapis", &sq);
    CHECK(people_search_store_find(db, a, vic, &sq, 10, 0, 1, &res) == 0 && res.hits);
    if (res.hits) {
        CHECK_STR(res.hits->match_label, "Ask me about");
        CHECK_STR(res.hits->match_marked, "\x01okapis\x02, beekeeping");
        CHECK_STR(res.hits->location, "");
    }
    search_query_parse(a, "bees", &sq);
    CHECK(people_search_store_find(db, a, hana, &sq, 10, 0, 1, &res) == 0 && res.hits);
    if (res.hits) {
        CHECK_STR(res.hits->match_label, "About");
        CHECK_CONTAINS(res.hits->match_marked, "\x01" "bees\x02");
    }

    /* A bio shown to everyone is found by everyone, after the same save. */
    set("ana", "bio", "I keep *bees* on the roof.", "everyone");
    CHECK_STR(found(vic, "bees"), "ana");
    set("ana", "bio", "I keep *bees* on the roof.", "hr");
    CHECK_STR(found(vic, "bees"), "-");

    /* People who left: only HR and admins find them. */
    const char *why;
    CHECK(people_store_set_left(db, a, hana, "ana", 1, &why) == 0);
    CHECK_STR(found(vic, "okapis"), "-");
    CHECK_STR(found(hana, "okapis"), "ana(left)");
    CHECK(people_store_set_left(db, a, hana, "ana", 0, &why) == 0);

    /* A database from before the indexes: filled when ken opens it; rebuilt by reindex. */
    CHECK(db_exec(db, "DELETE FROM people_search; DELETE FROM people_search_hr", NULL) == 0);
    CHECK_STR(found(vic, "okapis"), "-");
    CHECK(people_search_store_fill(db) == 0);
    CHECK_STR(found(vic, "okapis"), "ana");
    CHECK_STR(found(hana, "bees"), "ana");
    CHECK(people_search_store_rebuild(db) == 0);
    CHECK_STR(found(vic, "okapis"), "ana");
    CHECK_STR(found(vic, "bees"), "-");
    CHECK(people_search_store_fill(db) == 0); /* not empty: does nothing */
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM people_search");
    CHECK(db_step(st) == SQLITE_ROW && db_col_int(st, 0) == 4);
    sqlite3_reset(st);
    (void)ana;

    arena_free(a);
    db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tdb.dir);
    CHECK(system(cmd) == 0);
    DONE();
}
