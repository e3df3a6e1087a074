/* Routing questions to experts: who is asked, who never is, and how the load is spread. */
#include "check.h"
#include "testdb.h"
#include "expertise/expertise.h"
#include "notify/inbox_store.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "questions/question_store.h"
#include "expertise/routing.h"
#include "people/skill_store.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct db *db;
static struct arena *a;
static int64_t now;
static const char *const TITLE = "How do I moor a zeppelin in a storm?";

static int64_t user(const char *login, enum role role, const char *team, int level)
{
    const char *why;
    int64_t id = user_store_add(db, a, login, login, role, NULL, &why);
    CHECK(id > 0);
    sqlite3_stmt *st = db_stmt(db, "UPDATE profiles SET team_id = (SELECT id FROM teams WHERE slug "
                                   "= :team) WHERE user_id = :u");
    db_bind_text(st, ":team", team);
    db_bind_int(st, ":u", id);
    CHECK(db_run(st) == 0);
    if (level) {
        struct skill *sk;
        int created;
        int rc = skill_store_person_set(db, a, id, "Zeppelins", level, -1, &sk, &created, &why);
        CHECK(rc == 200 || rc == 201);
    }
    return id;
}

static int64_t ask(int64_t asker, const char *title)
{
    int64_t id = 0;
    const char *why;
    CHECK(question_store_ask(db, a, asker, title, "", "zeppelins", now, &id, &why) == 201);
    return id;
}

/* The logins routing_choose picks, as "a,b,c". */
static const char *chosen(int64_t qid, int64_t asker, int n)
{
    char *out = arena_strdup(a, "");
    for (struct routing_pick *p = routing_choose(db, a, qid, asker, TITLE, "zeppelins", n, now); p;
         p = p->next)
        out = arena_printf(a, "%s%s%s", out, *out ? "," : "", p->login);
    return out;
}

static void sql(const char *text)
{
    char *err = NULL;
    CHECK(db_exec(db, text, &err) == 0);
    if (err)
        fprintf(stderr, "%s\n", err);
    free(err);
}

static int count(const char *what, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, what);
    db_bind_int(st, ":id", id);
    int n = db_step(st) == SQLITE_ROW ? (int)db_col_int(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

int main(void)
{
    xmlInitParser();
    markdown_init();
    struct testdb tdb;
    db = testdb_open(&tdb);
    a = arena_new();
    now = (int64_t)time(NULL);
    sql("INSERT INTO departments(slug, name) VALUES ('air', 'Air');"
        "INSERT INTO teams(department_id, slug, name) VALUES (1, 'ops', 'Ops'), (1, 'dev', 'Dev');");

    /* Experts (level 3) score alike; practised (2) less; learning (1) least. */
    int64_t asker = user("asker", ROLE_EDITOR, "ops", 3);
    int64_t ann = user("ann", ROLE_EDITOR, "ops", 3);
    int64_t bob = user("bob", ROLE_EDITOR, "dev", 3);
    user("cat", ROLE_EDITOR, "dev", 2);
    int64_t dan = user("dan", ROLE_EDITOR, "dev", 3);
    user("eve", ROLE_VIEWER, "dev", 3);
    int64_t fay = user("fay", ROLE_EDITOR, "dev", 3);
    int64_t gus = user("gus", ROLE_EDITOR, "dev", 3);
    user("hal", ROLE_EDITOR, "dev", 1);
    int64_t ivy = user("ivy", ROLE_EDITOR, "dev", 3);
    int64_t q = ask(asker, TITLE);

    /* People who left never are asked, whether their profile says so or their account is off. */
    sql("UPDATE profiles SET left_at = 1 WHERE user_id = (SELECT id FROM users WHERE login = 'dan');"
        "UPDATE users SET disabled = 1 WHERE login = 'ivy'");
    (void)dan;
    (void)ivy;
    /* Away people are skipped until they are back; so are people who muted the topic. */
    CHECK(inbox_store_set_away(db, fay, now + 86400) == 0);
    const char *why;
    CHECK(inbox_store_mute(db, a, gus, "storm", 1, &why) == 0);

    /* The asker is an expert too but is never asked; viewers cannot answer. bob (another team)
     * scores as well as ann (the asker's team), so bob goes first; cat scores too little less
     * than ann to go before her. */
    CHECK_STR(chosen(q, asker, 3), "bob,ann,cat");
    CHECK_STR(chosen(q, asker, 9), "bob,ann,cat,hal");

    /* Back from being away, unmuted: asked again. */
    CHECK(inbox_store_set_away(db, fay, 0) == 0);
    CHECK(inbox_store_mute(db, a, gus, "storm", 0, &why) == 0);
    CHECK_STR(chosen(q, asker, 9), "bob,fay,gus,ann,cat,hal"); /* insiders after close outsiders */
    CHECK(inbox_store_set_away(db, fay, now - 10) == 0); /* a date passed: not away */
    CHECK_STR(chosen(q, asker, 2), "bob,fay");

    /* Spreading the load: someone asked ROUTING_WEEKLY_MAX times this week is left alone. */
    for (int i = 0; i < ROUTING_WEEKLY_MAX; i++) {
        int64_t other = ask(ann, "Zeppelin hangar doors");
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO question_routes(question_id, user_id, round, "
                                       "score, why, asked_at) VALUES (:q, :u, 1, 1, '', :at)");
        db_bind_int(st, ":q", other);
        db_bind_int(st, ":u", bob);
        db_bind_int(st, ":at", now - 2 * 86400);
        CHECK(db_run(st) == 0);
    }
    CHECK_STR(chosen(q, asker, 2), "fay,gus");
    sql("UPDATE question_routes SET asked_at = asked_at - 6 * 86400"); /* now 8 days ago */
    CHECK_STR(chosen(q, asker, 2), "bob,fay");
    sql("DELETE FROM question_routes");
    /* The other questions were asked for the load test only: keep them out of what follows. */
    sqlite3_stmt *done = db_stmt(db, "UPDATE questions SET route_round = :n WHERE id <> :id");
    db_bind_int(done, ":n", ROUTING_ROUNDS);
    db_bind_int(done, ":id", q);
    CHECK(db_run(done) == 0);

    /* Only the asker knows: nobody is asked. */
    int64_t lone = user("lone", ROLE_EDITOR, "ops", 0);
    struct routing_pick *none = routing_choose(db, a, q, lone, "Lonely topic nobody knows", "",
                                               3, now);
    CHECK(none == NULL);

    /* Routing records who was asked and why, tells them, and asks the next ones a day later. */
    struct routing_pick *picked = NULL;
    CHECK(routing_route(db, a, q, now, &picked) == ROUTING_PEOPLE);
    CHECK(picked && picked->why && *picked->why);
    CHECK(count("SELECT count(*) FROM question_routes WHERE question_id = :id AND round = 1", q) == 3);
    CHECK(count("SELECT count(*) FROM inbox WHERE question_id = :id AND kind = 'routed'", q) == 3);
    CHECK(count("SELECT count(*) FROM question_routes WHERE question_id = :id AND user_id = "
                "(SELECT id FROM users WHERE login = 'bob')", q) == 1);
    CHECK(inbox_store_unread(db, bob) >= 1);
    CHECK(!routing_due(db, now + 3600));
    CHECK(routing_due(db, now + ROUTING_WAIT_SECONDS + 60));
    CHECK(routing_run_due(db, now + ROUTING_WAIT_SECONDS + 60, 10) >= 1);
    CHECK(count("SELECT count(*) FROM question_routes WHERE question_id = :id AND round = 2", q) == 3);
    CHECK(count("SELECT count(DISTINCT user_id) FROM question_routes WHERE question_id = :id", q) == 6);
    CHECK(count("SELECT count(*) FROM question_routes WHERE question_id = :id AND user_id = :id", asker) == 0);

    /* An answered question is not asked around again. */
    int64_t aid;
    CHECK(question_store_answer(db, a, q, bob, "Use three mooring lines.", now, &aid, &why) == 201);
    CHECK(!routing_due(db, now + 3 * ROUTING_WAIT_SECONDS));
    CHECK(routing_run_due(db, now + 3 * ROUTING_WAIT_SECONDS, 10) == 0);

    /* Answers are evidence: an accepted answer counts clearly more than a plain one. */
    int64_t kit = user("kit", ROLE_EDITOR, "dev", 0), lee = user("lee", ROLE_EDITOR, "dev", 0);
    int64_t blimp = ask(asker, "Blimp ballast trim"), aid2;
    CHECK(question_store_answer(db, a, blimp, kit, "Trim with sand bags.", now, &aid, &why) == 201);
    CHECK(question_store_answer(db, a, blimp, lee, "Trim with water.", now, &aid2, &why) == 201);
    struct expert_options eo = {.limit = 10, .now = now};
    struct expert *e = expertise_query(db, a, NULL, "blimp ballast", &eo);
    double kit_before = 0, lee_before = 0;
    for (struct expert *x = e; x; x = x->next) {
        kit_before = x->user_id == kit ? x->score : kit_before;
        lee_before = x->user_id == lee ? x->score : lee_before;
    }
    CHECK(kit_before > 0 && lee_before > 0);
    int64_t qid2;
    CHECK(question_store_accept(db, a, aid2, asker, now, &qid2, &why) == 200 && qid2 == blimp);
    e = expertise_query(db, a, NULL, "blimp ballast", &eo);
    CHECK(e && e->user_id == lee && e->score > 1.3 * kit_before);
    CHECK_STR(e ? expertise_why(a, e) : NULL,
              "answered 1 of the 1 questions about this (1 accepted); 1 answer in all, 1 "
              "accepted, 1 in the last 3 days");

    /* The topic: the title's meaningful words and the tags, each once. */
    CHECK_STR(routing_topic(a, "How do I set up Postgres replication?", "postgresql,replication"),
              "set postgres replication postgresql");
    CHECK_STR(routing_topic(a, "", ""), "");
    /* A tag may hold spaces: its words join the topic. */
    CHECK_STR(routing_topic(a, "", "dev environment,vpn"), "dev environment vpn");

    arena_free(a);
    db_close(db);
    DONE();
}
