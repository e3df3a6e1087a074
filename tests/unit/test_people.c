/* People: who may see which profile field (every role × every level), the manager-loop check,
 * saving with its permission rules, redaction, and a history that hides what the reader may not
 * see; against a temporary database. */
#include "check.h"
#include "testdb.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "people/org_store.h"
#include "people/people_store.h"

#include <stdlib.h>
#include <unistd.h>

static struct user mk(int64_t id, const char *login, enum role role)
{
    struct user u = {.id = id, .login = login, .name = login, .role = role};
    return u;
}

/* people_may_see for viewer, editor, hr, admin and the person themselves, at each level. */
static void test_may_see(void)
{
    const int64_t subject = 10;
    struct user viewer = mk(1, "v", ROLE_VIEWER), editor = mk(2, "e", ROLE_EDITOR);
    struct user hr = mk(3, "h", ROLE_HR), admin = mk(4, "a", ROLE_ADMIN);
    struct user self_viewer = mk(subject, "s", ROLE_VIEWER);
    /* want[reader][level]: everyone, hr, private */
    const struct {
        const struct user *u;
        int want[3];
    } rows[] = {
        {&viewer, {1, 0, 0}}, {&editor, {1, 0, 0}},      {&hr, {1, 1, 0}},
        {&admin, {1, 1, 0}},  {&self_viewer, {1, 1, 1}}, {NULL, {0, 0, 0}},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        for (int l = VIS_EVERYONE; l <= VIS_PRIVATE; l++)
            CHECK(people_may_see(rows[i].u, subject, (enum visibility)l) == rows[i].want[l]);
    /* Editing: the person, HR and admins; HR and admins never a private field. */
    CHECK(people_may_edit(&self_viewer, subject));
    CHECK(!people_may_edit(&viewer, subject));
    CHECK(!people_may_edit(&editor, subject));
    CHECK(people_may_edit(&hr, subject) && people_may_edit(&admin, subject));
    CHECK(people_may_edit_field(&hr, subject, VIS_HR));
    CHECK(!people_may_edit_field(&hr, subject, VIS_PRIVATE));
    CHECK(!people_may_edit_field(&admin, subject, VIS_PRIVATE));
    CHECK(people_may_edit_field(&self_viewer, subject, VIS_PRIVATE));
    CHECK(!people_may_edit_field(&editor, subject, VIS_EVERYONE));
}

static struct user *add(struct db *db, struct arena *a, const char *login, enum role role)
{
    const char *why;
    int64_t id = user_store_add(db, a, login, login, role, NULL, &why);
    CHECK(id > 0);
    struct user *u = arena_alloc(a, sizeof *u);
    *u = mk(id, login, role);
    return u;
}

static int set(struct db *db, struct arena *a, const struct user *editor, const char *login,
               const char *field, const char *value, const char **why)
{
    struct people_edit e;
    people_edit_init(&e);
    e.values[people_field_index(field)] = value;
    return people_store_save(db, a, editor, login, &e, why);
}

static void test_cycles(struct db *db, struct arena *a)
{
    const char *why = NULL;
    /* boss <- mid <- low */
    CHECK(set(db, a, NULL, "mid", "manager", "boss", &why) == 0);
    CHECK(set(db, a, NULL, "low", "manager", "mid", &why) == 0);
    struct person *boss = people_store_get(db, a, "boss"), *low = people_store_get(db, a, "low");
    struct person *mid = people_store_get(db, a, "mid");
    CHECK(org_store_manager_cycle(db, boss->id, low->id) == 1);
    CHECK(org_store_manager_cycle(db, boss->id, mid->id) == 1);
    CHECK(org_store_manager_cycle(db, boss->id, boss->id) == 1);
    CHECK(org_store_manager_cycle(db, low->id, boss->id) == 0);
    CHECK(org_store_manager_cycle(db, mid->id, boss->id) == 0);
    /* Refused with 400 and a message: directly, through others, and oneself. */
    CHECK(set(db, a, NULL, "boss", "manager", "low", &why) == 400);
    CHECK_CONTAINS(why, "own manager");
    CHECK(set(db, a, NULL, "boss", "manager", "mid", &why) == 400);
    CHECK(set(db, a, NULL, "boss", "manager", "boss", &why) == 400);
    CHECK_CONTAINS(why, "own manager");
    CHECK(set(db, a, NULL, "boss", "manager", "nobody", &why) == 400);
    CHECK(people_store_get(db, a, "boss")->manager_id == 0);
    /* The chain, top first; reports and peers. */
    struct org_person *chain = org_store_chain(db, a, low->id);
    CHECK(chain && strcmp(chain->login, "boss") == 0 && chain->next &&
          strcmp(chain->next->login, "mid") == 0 && !chain->next->next);
    CHECK(set(db, a, NULL, "peer", "manager", "mid", &why) == 0);
    struct org_person *peers = org_store_peers(db, a, low->id, mid->id);
    CHECK(peers && strcmp(peers->login, "peer") == 0 && !peers->next);
    struct org_person *reports = org_store_reports(db, a, mid->id);
    CHECK(reports && reports->next && !reports->next->next);
    /* A loop already in the data (an import) does not hang the chain. */
    sqlite3_stmt *st = db_stmt(db, "UPDATE profiles SET manager_id = :m WHERE user_id = :u");
    db_bind_int(st, ":m", low->id);
    db_bind_int(st, ":u", boss->id);
    CHECK(db_run(st) == 0);
    int n = 0;
    for (struct org_person *o = org_store_chain(db, a, low->id); o; o = o->next)
        n++;
    CHECK(n == 2);
    st = db_stmt(db, "UPDATE profiles SET manager_id = NULL WHERE user_id = :u");
    db_bind_int(st, ":u", boss->id);
    CHECK(db_run(st) == 0);
}

static void test_saving_and_privacy(struct db *db, struct arena *a, struct user *subject,
                                    struct user *viewer, struct user *editor, struct user *hr,
                                    struct user *admin)
{
    const char *why = NULL;
    struct people_edit e;
    people_edit_init(&e);
    int phone = people_field_index("phone"), roles = people_field_index("open_to_roles");
    int chat = people_field_index("chat"), loc = people_field_index("location");
    e.values[phone] = "+44 113 496 0000";
    e.values[roles] = "HRMARKER roles";
    e.values[chat] = "PRIVMARKER";
    e.values[loc] = "Atlantis";
    e.levels[chat] = VIS_PRIVATE;
    e.levels[loc] = VIS_PRIVATE;
    CHECK(people_store_save(db, a, subject, subject->login, &e, &why) == 0);

    /* Only the person sets visibility; editors and viewers cannot edit others at all. */
    people_edit_init(&e);
    e.levels[phone] = VIS_EVERYONE;
    CHECK(people_store_save(db, a, hr, subject->login, &e, &why) == 403);
    CHECK(set(db, a, editor, subject->login, "location", "Leeds", &why) == 403);
    CHECK(set(db, a, viewer, subject->login, "title", "Boss", &why) == 403);
    /* HR and admins edit fields they may see, never private ones. */
    CHECK(set(db, a, hr, subject->login, "open_to_roles", "HRMARKER updated", &why) == 0);
    CHECK(set(db, a, hr, subject->login, "chat", "@x", &why) == 403);
    CHECK(set(db, a, admin, subject->login, "chat", "@x", &why) == 403);
    CHECK(set(db, a, admin, subject->login, "title", "Analyst", &why) == 0);
    /* Bad values and fixed fields. */
    CHECK(set(db, a, subject, subject->login, "start_date", "2021-02-30", &why) == 400);
    CHECK(set(db, a, subject, subject->login, "email", "not an address", &why) == 400);
    CHECK(set(db, a, subject, subject->login, "mentoring", "sometimes", &why) == 400);
    CHECK(set(db, a, subject, subject->login, "photo", "image/png", &why) == 400);
    people_edit_init(&e);
    e.levels[people_field_index("title")] = VIS_PRIVATE;
    CHECK(people_store_save(db, a, subject, subject->login, &e, &why) == 400);
    CHECK(set(db, a, subject, subject->login, "languages", " English ,, Portuguese,", &why) == 0);
    CHECK_STR(people_store_get(db, a, subject->login)->values[people_field_index("languages")],
              "English, Portuguese");
    CHECK(set(db, a, subject, subject->login, "bio", "Hello <script>x</script> **there**", &why) == 0);
    struct person *full = people_store_get(db, a, subject->login);
    CHECK_CONTAINS(full->bio_html, "<strong>there</strong>");
    CHECK(!strstr(full->bio_html, "<script"));

    /* Redaction: what each reader gets. */
    struct person *pv = people_store_view(db, a, viewer, subject->login);
    CHECK(pv->values[phone] == NULL && pv->values[roles] == NULL && pv->values[chat] == NULL &&
          pv->values[loc] == NULL);
    CHECK_STR(pv->values[people_field_index("title")], "Analyst");
    struct person *ph = people_store_view(db, a, hr, subject->login);
    CHECK_STR(ph->values[roles], "HRMARKER updated");
    CHECK(ph->values[chat] == NULL && ph->values[loc] == NULL);
    struct person *ps = people_store_view(db, a, subject, subject->login);
    CHECK_STR(ps->values[chat], "PRIVMARKER");
    int visible[PEOPLE_FIELDS_MAX];
    CHECK(people_store_visible_fields(db, editor, subject->id, visible) == 0);
    CHECK(!visible[phone] && !visible[chat] && visible[people_field_index("email")]);

    /* The history shows a reader only the fields they may see. */
    int seen_marker = 0, seen_priv = 0, revisions = 0;
    for (struct profile_revision *rv = people_store_history(db, a, viewer, subject->id); rv;
         rv = rv->next, revisions++)
        for (struct profile_change *c = rv->changes; c; c = c->next)
            seen_marker |= strstr(c->new, "HRMARKER") || strstr(c->old, "HRMARKER"),
                seen_priv |= strstr(c->new, "PRIVMARKER") != NULL;
    CHECK(!seen_marker && !seen_priv);
    CHECK(revisions == 3); /* title, languages and bio; not the HR-only one, nor the first save */
    seen_marker = seen_priv = 0;
    for (struct profile_revision *rv = people_store_history(db, a, hr, subject->id); rv; rv = rv->next)
        for (struct profile_change *c = rv->changes; c; c = c->next)
            seen_marker |= strstr(c->new, "HRMARKER") != NULL,
                seen_priv |= strstr(c->new, "PRIVMARKER") || strstr(c->field, "visibility:");
    CHECK(seen_marker && !seen_priv);
    seen_priv = 0;
    for (struct profile_revision *rv = people_store_history(db, a, subject, subject->id); rv;
         rv = rv->next)
        for (struct profile_change *c = rv->changes; c; c = c->next)
            seen_priv |= strstr(c->new, "PRIVMARKER") != NULL;
    CHECK(seen_priv);

    /* Making a private field public later does not reveal what it held while private. */
    people_edit_init(&e);
    e.levels[chat] = VIS_EVERYONE;
    CHECK(people_store_save(db, a, subject, subject->login, &e, &why) == 0);
    seen_priv = 0;
    for (struct profile_revision *rv = people_store_history(db, a, viewer, subject->id); rv;
         rv = rv->next)
        for (struct profile_change *c = rv->changes; c; c = c->next)
            seen_priv |= strstr(c->new, "PRIVMARKER") != NULL;
    CHECK(!seen_priv);

    /* The directory: a hidden location never matches a filter on it. */
    struct people_query q = {.location = "Atlantis", .limit = 50};
    int total = -1;
    CHECK(people_store_list(db, a, viewer, &q, &total) == NULL && total == 0);
    CHECK(people_store_list(db, a, hr, &q, &total) == NULL && total == 0);
    struct person_card *c = people_store_list(db, a, subject, &q, &total);
    CHECK(c && total == 1 && strcmp(c->location, "Atlantis") == 0);
    struct people_query all = {.limit = 50};
    for (c = people_store_list(db, a, viewer, &all, &total); c; c = c->next)
        if (strcmp(c->login, subject->login) == 0)
            CHECK(c->location == NULL);
    struct people_value *locs, *langs;
    people_store_filter_values(db, a, viewer, &locs, &langs);
    for (; locs; locs = locs->next)
        CHECK(strcmp(locs->value, "Atlantis") != 0);
}

int main(void)
{
    test_may_see();
    struct testdb tdb;
    struct db *db = testdb_open(&tdb);
    markdown_init();
    struct arena *a = arena_new();
    add(db, a, "boss", ROLE_EDITOR);
    add(db, a, "mid", ROLE_EDITOR);
    add(db, a, "low", ROLE_EDITOR);
    add(db, a, "peer", ROLE_EDITOR);
    struct user *subject = add(db, a, "wei", ROLE_VIEWER), *viewer = add(db, a, "gareth", ROLE_VIEWER);
    struct user *editor = add(db, a, "priya", ROLE_EDITOR), *hr = add(db, a, "fiona", ROLE_HR);
    struct user *admin = add(db, a, "mara", ROLE_ADMIN);
    test_cycles(db, a);
    test_saving_and_privacy(db, a, subject, viewer, editor, hr, admin);
    arena_free(a);
    db_close(db);
    testdb_remove(&tdb);
    DONE();
}
