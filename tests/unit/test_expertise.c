/* Expertise from evidence, on small hand-made cases. */
#include "check.h"
#include "testdb.h"
#include "expertise/expertise.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "questions/question_store.h"
#include "wiki/page_store.h"

#include <libxml/parser.h>
#include <time.h>
#include <unistd.h>

static struct db *db;
static struct arena *a;
static int64_t now;

static int64_t user(const char *login)
{
    const char *why;
    return user_store_add(db, a, login, login, ROLE_EDITOR, NULL, &why);
}

static void save(const char *path, const char *title, const char *md, int64_t author, int64_t at)
{
    struct page_edit e = {.path = path, .title = title, .markdown = md, .tags = "",
                          .summary = "", .base_rev = -1, .author_id = author, .at = at};
    int rev;
    const char *why;
    enum page_save_result r = page_store_save(db, a, &e, &rev, &why);
    CHECK(r == PAGE_CREATED || r == PAGE_UPDATED);
}

static struct expert *ask(const char *topic)
{
    struct expert_options o = {.limit = 10, .now = now};
    return expertise_query(db, a, NULL, topic, &o);
}

static int rank_of(struct expert *e, const char *login)
{
    for (int i = 1; e; e = e->next, i++)
        if (strcmp(e->login, login) == 0)
            return i;
    return 0;
}

int main(void)
{
    xmlInitParser();
    markdown_init();
    struct testdb tdb;
    db = testdb_open(&tdb);
    a = arena_new();
    now = (int64_t)time(NULL);
    int64_t ana = user("ana"), bo = user("bo"), cy = user("cy"), di = user("di"), ed = user("ed");

    /* The author of a runbook outranks someone who fixed one word in it. */
    const char *runbook = "# Replication\n\nSet up streaming replication between the primary and "
                          "the replica.\n\nCheck the replication lag with pg_stat_replication.\n"
                          "Promote the replica when the primary fails.\n";
    save("ops/replication", "Replication runbook", runbook, ana, now - 30 * 86400);
    save("ops/replication", "Replication runbook",
         "# Replication\n\nSet up streaming replication between the primary and the replica.\n\n"
         "Check the replication lag with pg_stat_replication.\nPromote the replica when the "
         "primary dies.\n",
         bo, now - 86400);
    struct expert *e = ask("replication");
    CHECK(rank_of(e, "ana") == 1);
    CHECK(rank_of(e, "bo") == 2);
    CHECK(e && e->next && e->score > 3 * e->next->score);
    CHECK(e && e->evidence && strcmp(e->evidence->path, "ops/replication") == 0);
    CHECK(e && e->evidence && e->evidence->share > 0.8);

    /* An old contribution counts less than the same contribution made recently. */
    save("ops/backups-old", "Backups", "How to take backups of the database with pgbackrest.\n", cy,
         now - 5 * 365 * 86400);
    save("ops/backups-new", "Backups", "How to take backups of the database with pgbackrest.\n", di,
         now - 86400);
    e = ask("pgbackrest");
    CHECK(rank_of(e, "di") == 1 && rank_of(e, "cy") == 2);

    /* A question whose words are not all on one page ("failover" is on none) is read as any of
     * its telling words: the runbook's author is found, the backups' authors are not. */
    e = ask("who can fix replica lag after failover");
    CHECK(rank_of(e, "ana") == 1);
    CHECK(rank_of(e, "cy") == 0 && rank_of(e, "di") == 0);
    /* Stopwords alone find no one rather than everyone. */
    CHECK(ask("who is the one") == NULL);

    /* Declared skills and endorsements: an endorsement from someone who has the skill counts
     * more than one from someone who does not. */
    CHECK(db_exec(db, "INSERT INTO skills(id, slug, name) VALUES (1, 'terraform', 'Terraform');"
                      "INSERT INTO skill_aliases(alias, skill_id) VALUES ('tf', 1);", NULL) == 0);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO person_skills(user_id, skill_id, level) VALUES "
                                   "(:u, 1, 2)");
    db_bind_int(st, ":u", cy);
    CHECK(db_run(st) == 0);
    st = db_stmt(db, "INSERT INTO person_skills(user_id, skill_id, level) VALUES (:u, 1, 2)");
    db_bind_int(st, ":u", di);
    CHECK(db_run(st) == 0);
    st = db_stmt(db, "INSERT INTO person_skills(user_id, skill_id, level) VALUES (:u, 1, 3)");
    db_bind_int(st, ":u", ed);
    CHECK(db_run(st) == 0);
    /* ed (an expert) endorses cy; bo (no skill) endorses di. */
    st = db_stmt(db, "INSERT INTO endorsements(user_id, skill_id, endorser_id, created_at) VALUES "
                     "(:u, 1, :by, 0)");
    db_bind_int(st, ":u", cy);
    db_bind_int(st, ":by", ed);
    CHECK(db_run(st) == 0);
    st = db_stmt(db, "INSERT INTO endorsements(user_id, skill_id, endorser_id, created_at) VALUES "
                     "(:u, 1, :by, 0)");
    db_bind_int(st, ":u", di);
    db_bind_int(st, ":by", bo);
    CHECK(db_run(st) == 0);
    e = ask("tf");
    CHECK(rank_of(e, "ed") == 1); /* declared expert */
    CHECK(rank_of(e, "cy") == 2 && rank_of(e, "di") == 3);
    CHECK(e && e->level == 3 && strcmp(e->skill, "Terraform") == 0);
    CHECK_CONTAINS(expertise_why(a, e), "declared expert in Terraform");

    /* Questions and answers. fay asks a long question; hal answers at length, off the point;
     * gus answers briefly and is accepted. The answer is the unit: gus's short answer counts
     * whole for him, whatever the length of the thread; asking is not knowing. */
    int64_t fay = user("fay"), gus = user("gus"), hal = user("hal"), ivy = user("ivy");
    int64_t q1, q2, an;
    const char *why;
    CHECK(question_store_import_question(
              db, a, fay, "Kafka consumer rebalancing storms",
              "Our Kafka consumers keep rebalancing. Kafka consumer groups rebalance whenever a "
              "consumer is slow; every consumer in the group stops. How do we stop rebalancing?",
              "", now - 20 * 86400, &q1, &why) == 201);
    struct question_answer_import plain = {.votes = 0}, accepted = {.votes = 4, .accepted = 1};
    CHECK(question_store_import_answer(
              db, a, q1, hal,
              "We had many problems with our network, our office move, the printers, the coffee "
              "machine, the parking, the lunches and the holidays; none of it was about this, "
              "but here is the whole story of our office move and all the trouble we had.",
              now - 19 * 86400, &plain, &an, &why) == 201);
    CHECK(question_store_import_answer(db, a, q1, gus,
                                       "Raise max.poll.interval.ms; use static membership.",
                                       now - 18 * 86400, &accepted, &an, &why) == 201);
    /* ivy answered a question only its tags say is about Kafka. */
    CHECK(question_store_import_question(db, a, gus, "Lag on the consumers after a deploy",
                                         "It grows for an hour.", "kafka", now - 10 * 86400, &q2,
                                         &why) == 201);
    CHECK(question_store_import_answer(db, a, q2, ivy, "Check the partition count.",
                                       now - 9 * 86400, &plain, &an, &why) == 201);
    e = ask("how to stop kafka rebalancing");
    CHECK(rank_of(e, "gus") == 1);
    CHECK(rank_of(e, "hal") > 1);
    CHECK(rank_of(e, "fay") == 0); /* the asker */
    CHECK(e && e->answered == 1 && e->accepted == 1 && e->matching_questions == 2);
    CHECK_CONTAINS(expertise_why(a, e), "answered 1 of the 2 questions about this (1 accepted)");
    CHECK_CONTAINS(expertise_why(a, e), "1 answer in all, 1 accepted, 0 in the last 3 days");
    struct expert *x = e;
    while (x && strcmp(x->login, "ivy") != 0)
        x = x->next;
    CHECK(x && x->tagged > 0); /* found through the tag */
    e = ask("kafka");
    CHECK(rank_of(e, "ivy") > 0 && rank_of(e, "fay") == 0);

    /* People who left are not suggested unless asked for. */
    st = db_stmt(db, "UPDATE users SET disabled = 1 WHERE id = :u");
    db_bind_int(st, ":u", ana);
    CHECK(db_run(st) == 0);
    CHECK(rank_of(ask("replication"), "ana") == 0);
    struct expert_options o = {.limit = 10, .now = now, .include_left = 1};
    e = expertise_query(db, a, NULL, "replication", &o);
    CHECK(rank_of(e, "ana") == 1 && e->left);

    CHECK(ask("") == NULL);
    ask("\"unbalanced -"); /* odd input: no crash (ASan would tell) */

    db_close(db);
    testdb_remove(&tdb);
    arena_free(a);
    xmlCleanupParser();
    DONE();
}
