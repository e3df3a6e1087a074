/* Skills: name normalisation and slugs, alias resolution, suggestions, declarations and
 * endorsements, curation (rename, aliases) and merging, against a temporary database; and the
 * profile partial drawn from what skill_http gives it. */
#include "check.h"
#include "testdb.h"
#include "http/layout.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "wiki/page_store.h"
#include "people/skill_http.h"
#include "people/skill_store.h"
#include "http/tmpl.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <unistd.h>

static const char *norm(struct arena *a, const char *in)
{
    const char *why;
    return skill_name_normalise(a, in, &why);
}

static void test_names(struct arena *a)
{
    CHECK_STR(norm(a, "  Kubernetes  "), "Kubernetes");
    CHECK_STR(norm(a, "Machine \t\n  learning"), "Machine learning");
    CHECK_STR(norm(a, "C++"), "C++");
    CHECK_STR(norm(a, "Português"), "Português");
    CHECK(norm(a, "") == NULL);
    CHECK(norm(a, "   ") == NULL);
    CHECK(norm(a, "Go, Rust") == NULL);
    CHECK(norm(a, "++") == NULL);
    CHECK(norm(a, "bad\x01name") == NULL);
    CHECK(norm(a, "\xff\xfe") == NULL);
    CHECK(norm(a, NULL) == NULL);
    char long_name[80];
    memset(long_name, 'x', 61);
    long_name[61] = 0;
    CHECK(norm(a, long_name) == NULL);
    long_name[60] = 0;
    CHECK(norm(a, long_name) != NULL);
    /* 60 characters, not bytes: 30 two-byte letters fit. */
    CHECK(norm(a, "éééééééééééééééééééééééééééééé") != NULL);

    CHECK_STR(skill_slug(a, "Kubernetes"), "kubernetes");
    CHECK_STR(skill_slug(a, "C++"), "c-plus-plus");
    CHECK_STR(skill_slug(a, "C#"), "c-sharp");
    CHECK_STR(skill_slug(a, "Node.js"), "node-js");
    CHECK_STR(skill_slug(a, "Argo CD"), "argo-cd");
    CHECK_STR(skill_slug(a, "CI/CD"), "ci-cd");
    CHECK_STR(skill_slug(a, "Português"), "portugues");
    CHECK_STR(skill_slug(a, "Ångström"), "angstrom");
    CHECK_STR(skill_slug(a, "Women's health"), "womens-health");
    CHECK_STR(skill_slug(a, ".NET"), "net");
    CHECK_STR(skill_slug(a, "日本語"), "skill");

    CHECK(skill_level_parse("learning") == SKILL_LEARNING);
    CHECK(skill_level_parse("Practised") == SKILL_PRACTISED);
    CHECK(skill_level_parse("practiced") == SKILL_PRACTISED);
    CHECK(skill_level_parse("3") == SKILL_EXPERT);
    CHECK(skill_level_parse("4") == 0);
    CHECK(skill_level_parse("guru") == 0);
    CHECK(skill_level_parse(NULL) == 0);
    CHECK_STR(skill_level_name(SKILL_EXPERT), "expert");
    CHECK_STR(skill_level_name(9), "");
}

static int64_t add(struct db *db, struct arena *a, const char *name, const char *category,
                   int reviewed)
{
    int status;
    const char *why = NULL;
    int64_t id = skill_store_add(db, a, name, category, reviewed, &status, &why);
    if (id < 0)
        fprintf(stderr, "adding %s: %s\n", name, why);
    return id;
}

static int level_of(struct db *db, struct arena *a, int64_t user, const char *skill, int *count)
{
    for (struct person_skill *p = skill_store_person_skills(db, a, user, 0); p; p = p->next)
        if (strcmp(p->name, skill) == 0) {
            if (count)
                *count = p->endorsements;
            return p->level;
        }
    return 0;
}

static int64_t count(struct db *db, const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    int64_t n = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

static void test_taxonomy(struct db *db, struct arena *a)
{
    const char *why = NULL;
    int status;
    int64_t k8s = add(db, a, "Kubernetes", "Platform", 1);
    int64_t pg = add(db, a, "PostgreSQL", "Platform", 1);
    int64_t js = add(db, a, "JavaScript", "Programming", 1);
    CHECK(k8s > 0 && pg > 0 && js > 0);
    CHECK(skill_store_alias_add(db, a, k8s, "k8s", &why) == 0);
    CHECK(skill_store_alias_add(db, a, pg, "Postgres", &why) == 0);
    CHECK(skill_store_alias_add(db, a, pg, " psql ", &why) == 0);
    CHECK(skill_store_alias_add(db, a, js, "JS", &why) == 0);
    CHECK(skill_store_alias_add(db, a, k8s, "k8s", &why) == 0); /* again: nothing changes */

    /* Names, aliases and slugs all find the skill, whatever the case. */
    struct skill *s = skill_store_resolve(db, a, "k8s");
    CHECK(s && strcmp(s->name, "Kubernetes") == 0);
    s = skill_store_resolve(db, a, "  K8S ");
    CHECK(s && s->id == k8s);
    s = skill_store_resolve(db, a, "kubernetes");
    CHECK(s && s->id == k8s);
    s = skill_store_resolve(db, a, "PSQL");
    CHECK(s && s->id == pg);
    s = skill_store_resolve(db, a, "postgres");
    CHECK(s && strcmp(s->slug, "postgresql") == 0);
    s = skill_store_resolve(db, a, "js");
    CHECK(s && strcmp(s->name, "JavaScript") == 0);
    CHECK(skill_store_resolve(db, a, "kube") == NULL);
    CHECK(skill_store_resolve(db, a, "") == NULL);
    s = skill_store_get(db, a, "postgresql");
    CHECK(s && s->aliases && strcmp(s->aliases->text, "Postgres") == 0 && s->aliases->next &&
          strcmp(s->aliases->next->text, "psql") == 0);

    /* A name or alias belongs to one skill only. */
    CHECK(skill_store_add(db, a, "K8S", "", 1, &status, &why) < 0 && status == 409);
    CHECK(skill_store_add(db, a, "kubernetes", "", 1, &status, &why) < 0 && status == 409);
    CHECK(skill_store_add(db, a, "a,b", "", 1, &status, &why) < 0 && status == 400);
    CHECK(skill_store_alias_add(db, a, k8s, "postgres", &why) == 409);
    CHECK_CONTAINS(why, "PostgreSQL");
    CHECK(skill_store_alias_add(db, a, k8s, "javascript", &why) == 409);
    CHECK(skill_store_alias_add(db, a, k8s, "KUBERNETES", &why) == 400);
    CHECK(skill_store_alias_remove(db, a, k8s, "psql", &why) == 404);

    /* Slugs stay unique and never take an API word. */
    int64_t cpp = add(db, a, "C++", "", 1), cpp2 = add(db, a, "C plus plus", "", 1);
    int64_t sug = add(db, a, "Suggest", "", 1);
    CHECK(cpp > 0 && cpp2 > 0 && sug > 0);
    s = skill_store_resolve(db, a, "C plus plus");
    CHECK(s && strcmp(s->slug, "c-plus-plus-2") == 0);
    s = skill_store_resolve(db, a, "Suggest");
    CHECK(s && strcmp(s->slug, "suggest-2") == 0);

    /* Suggestions: name or alias prefix, case-insensitive, reviewed first, at most the limit. */
    add(db, a, "Kotlin", "Programming", 0);
    struct skill *sg = skill_store_suggest(db, a, "K", 10);
    CHECK(sg && strcmp(sg->name, "Kubernetes") == 0 && sg->next &&
          strcmp(sg->next->name, "Kotlin") == 0 && !sg->next->next);
    sg = skill_store_suggest(db, a, "ps", 10);
    CHECK(sg && strcmp(sg->name, "PostgreSQL") == 0 && sg->matched_alias &&
          strcmp(sg->matched_alias, "psql") == 0 && !sg->next);
    sg = skill_store_suggest(db, a, "post", 10);
    CHECK(sg && sg->matched_alias == NULL && !sg->next); /* the name matched */
    sg = skill_store_suggest(db, a, "k", 1);
    CHECK(sg && !sg->next);
    CHECK(skill_store_suggest(db, a, "zzz", 10) == NULL);
    CHECK(skill_store_suggest(db, a, "%", 10) == NULL);
    CHECK(skill_store_suggest(db, a, "", 10) == NULL);

    /* Tags: by slug, name or alias, reviewed skills only; one answer per tag, in order. */
    const char *tags[] = {"postgres", "postgresql", "k8s", "c-plus-plus", "kotlin", "database",
                          "\xff\xfe"};
    const char **slugs = skill_store_tag_slugs(db, a, tags, 7);
    CHECK_STR(slugs[0], "postgresql");
    CHECK_STR(slugs[1], "postgresql");
    CHECK_STR(slugs[2], "kubernetes");
    CHECK_STR(slugs[3], "c-plus-plus");
    CHECK(slugs[4] == NULL && slugs[5] == NULL && slugs[6] == NULL);
    CHECK(skill_store_tag_slugs(db, a, tags, 0) != NULL); /* no tags: an empty answer */

    /* Rename: the old name stays an alias; an alias can become the name. */
    CHECK(skill_store_rename(db, a, pg, "Postgres", &why) == 0);
    s = skill_store_get(db, a, "postgres");
    CHECK(s && strcmp(s->name, "Postgres") == 0);
    s = skill_store_resolve(db, a, "PostgreSQL");
    CHECK(s && s->id == pg);
    CHECK(skill_store_rename(db, a, pg, "PostgreSQL", &why) == 0);
    s = skill_store_get(db, a, "postgresql");
    CHECK(s && s->id == pg);
    s = skill_store_resolve(db, a, "Postgres");
    CHECK(s && s->id == pg);
    CHECK(skill_store_rename(db, a, pg, "Kubernetes", &why) == 409);
    CHECK(skill_store_rename(db, a, pg, "k8s", &why) == 409);
    CHECK(skill_store_rename(db, a, 99999, "Nothing", &why) == 404);
    CHECK(skill_store_set_category(db, a, pg, "  Data  bases ", &why) == 0);
    s = skill_store_get(db, a, "postgresql");
    CHECK(s && strcmp(s->category, "Data bases") == 0);
    CHECK(skill_store_set_reviewed(db, 99999, 1, &why) == 404);
}

static void test_people(struct db *db, struct arena *a)
{
    const char *why = NULL;
    struct skill *s;
    int created, n;
    /* ana declares; typing the alias attaches the canonical skill. */
    CHECK(skill_store_person_set(db, a, 1, "k8s", SKILL_EXPERT, 5, &s, &created, &why) == 201);
    CHECK(s && strcmp(s->name, "Kubernetes") == 0 && !created);
    CHECK(skill_store_person_set(db, a, 1, "Kubernetes", SKILL_PRACTISED, -1, &s, &created, &why) ==
          200);
    CHECK(level_of(db, a, 1, "Kubernetes", NULL) == SKILL_PRACTISED);
    CHECK(count(db, "SELECT years FROM person_skills WHERE user_id = 1") == 5); /* kept */
    CHECK(skill_store_person_set(db, a, 1, "k8s", 0, 1, &s, &created, &why) == 400);
    CHECK(skill_store_person_set(db, a, 1, "k8s", 2, 61, &s, &created, &why) == 400);
    CHECK(skill_store_person_set(db, a, 1, "", 2, 1, &s, &created, &why) == 400);

    /* A new name becomes an unreviewed skill. */
    CHECK(skill_store_person_set(db, a, 1, "Kubernets", SKILL_EXPERT, 3, &s, &created, &why) ==
          201);
    CHECK(created && s && !s->reviewed && strcmp(s->slug, "kubernets") == 0);
    int64_t typo = s->id;
    CHECK(skill_store_alias_add(db, a, typo, "kubrnetes", &why) == 0);

    /* Endorsements: once each, not yourself, only declared skills, withdrawable. */
    CHECK(skill_store_endorse(db, a, 1, "kubernetes", 2, 1, &s, &n, &why) == 200 && n == 1);
    CHECK(skill_store_endorse(db, a, 1, "k8s", 2, 1, &s, &n, &why) == 200 && n == 1);
    CHECK(skill_store_endorse(db, a, 1, "k8s", 1, 1, &s, &n, &why) == 400);
    CHECK_CONTAINS(why, "your own");
    CHECK(skill_store_endorse(db, a, 1, "postgres", 2, 1, &s, &n, &why) == 400);
    CHECK(skill_store_endorse(db, a, 1, "nonsense", 2, 1, &s, &n, &why) == 404);
    CHECK(skill_store_endorse(db, a, 1, "k8s", 3, 1, &s, &n, &why) == 200 && n == 2);
    CHECK(skill_store_endorse(db, a, 1, "k8s", 3, 0, &s, &n, &why) == 200 && n == 1);
    CHECK(skill_store_endorse(db, a, 1, "k8s", 3, 0, &s, &n, &why) == 200 && n == 1);
    struct person_skill *ps = skill_store_person_skills(db, a, 1, 2);
    CHECK(ps && strcmp(ps->name, "Kubernets") == 0 && ps->next); /* expert first */
    CHECK(ps->next && ps->next->endorsed_by_viewer && ps->next->endorsers &&
          strcmp(ps->next->endorsers->login, "bo") == 0);

    /* Merge: ana has both (the higher level wins, endorsements join without duplicates), bo and
     * cy only the typo; the typo's aliases and name now find Kubernetes. */
    CHECK(skill_store_endorse(db, a, 1, "Kubernets", 2, 1, &s, &n, &why) == 200);
    CHECK(skill_store_endorse(db, a, 1, "Kubernets", 3, 1, &s, &n, &why) == 200 && n == 2);
    CHECK(skill_store_person_set(db, a, 2, "Kubernets", SKILL_LEARNING, -1, &s, &created, &why) ==
          201);
    CHECK(skill_store_endorse(db, a, 2, "Kubernets", 3, 1, &s, &n, &why) == 200);
    int64_t k8s = skill_store_resolve(db, a, "Kubernetes")->id;
    CHECK(skill_store_merge(db, a, typo, typo, &why) == 400);
    CHECK(skill_store_merge(db, a, typo, 99999, &why) == 404);
    CHECK(skill_store_merge(db, a, typo, k8s, &why) == 0);
    CHECK(level_of(db, a, 1, "Kubernetes", &n) == SKILL_EXPERT && n == 2);
    CHECK(level_of(db, a, 2, "Kubernetes", &n) == SKILL_LEARNING && n == 1);
    CHECK(count(db, "SELECT count(*) FROM skills WHERE slug = 'kubernets'") == 0);
    CHECK(count(db, "SELECT count(*) FROM person_skills WHERE skill_id NOT IN "
                    "(SELECT id FROM skills)") == 0);
    CHECK(count(db, "SELECT count(*) FROM endorsements WHERE user_id = 1") == 2);
    CHECK(count(db, "SELECT years FROM person_skills WHERE user_id = 1") == 5);
    s = skill_store_resolve(db, a, "Kubernets");
    CHECK(s && s->id == k8s);
    s = skill_store_resolve(db, a, "kubrnetes");
    CHECK(s && s->id == k8s);

    /* Skill pages: holders by level; pages tagged with an alias. */
    struct skill_holder *h = skill_store_holders(db, a, k8s);
    CHECK(h && strcmp(h->login, "ana") == 0 && h->level == SKILL_EXPERT && h->endorsements == 2 &&
          h->next && strcmp(h->next->login, "bo") == 0 && !h->next->next);
    struct page_edit e = {.path = "eng/db", .title = "Databases", .markdown = "x",
                          .tags = "Postgres, backup", .summary = "", .base_rev = 0,
                          .author_id = 1};
    int rev;
    CHECK(page_store_save(db, a, &e, &rev, &why) == PAGE_CREATED);
    struct page_item *pi = skill_store_pages(db, a, skill_store_resolve(db, a, "psql")->id);
    CHECK(pi && strcmp(pi->path, "eng/db") == 0 && !pi->next);
    CHECK(skill_store_pages(db, a, k8s) == NULL);

    /* Removing a skill takes its endorsements with it. */
    CHECK(skill_store_person_remove(db, a, 1, "k8s", &s, &why) == 200);
    CHECK(count(db, "SELECT count(*) FROM endorsements WHERE user_id = 1") == 0);
    CHECK(skill_store_person_remove(db, a, 1, "k8s", &s, &why) == 404);
    CHECK(skill_store_person_remove(db, a, 1, "nothing at all", &s, &why) == 404);
    CHECK(skill_store_person_set(db, a, 1, "k8s", SKILL_EXPERT, 5, &s, &created, &why) == 201);
    CHECK(skill_store_endorse(db, a, 1, "k8s", 2, 1, &s, &n, &why) == 200 && n == 1);
}

/* The profile partial, drawn as bo sees ana's profile and as ana sees her own. */
static void test_partial(struct db *db, struct arena *a)
{
    CHECK(tmpl_init() == 0);
    struct user bo = {.id = 2, .login = "bo", .name = "Bo", .role = ROLE_VIEWER};
    struct user ana = {.id = 1, .login = "ana", .name = "Ana", .role = ROLE_EDITOR};
    struct req r;
    memset(&r, 0, sizeof r);
    r.a = a;
    r.db = db;
    r.user = &bo;
    r.csrf = "tok";
    struct tvars *v = layout_vars(&r);
    skill_profile_vars(&r, v, 1, "ana", "Ana");
    struct buf b;
    buf_init(&b, 0);
    CHECK(tmpl_render(&b, "profile_skills", v) == 0);
    CHECK_CONTAINS(buf_str(&b), "<h3 class=\"level-expert\">Expert</h3>");
    CHECK_CONTAINS(buf_str(&b), "href=\"/skills/kubernetes\">Kubernetes</a>");
    CHECK_CONTAINS(buf_str(&b), "1 endorsement<");
    CHECK_CONTAINS(buf_str(&b), "by <a href=\"/people/bo\">Bo</a>");
    CHECK_CONTAINS(buf_str(&b), "action=\"/people/ana/endorse\"");
    CHECK_CONTAINS(buf_str(&b), ">Withdraw</button>");
    CHECK(!strstr(buf_str(&b), "action=\"/people/ana/skills\"")); /* bo may not edit */
    buf_reset(&b);
    r.user = &ana;
    v = layout_vars(&r);
    skill_profile_vars(&r, v, 1, "ana", "Ana");
    CHECK(tmpl_render(&b, "profile_skills", v) == 0);
    CHECK_CONTAINS(buf_str(&b), "action=\"/people/ana/skills\"");
    CHECK_CONTAINS(buf_str(&b), "data-suggest=\"/api/skills/suggest\"");
    CHECK(!strstr(buf_str(&b), "/endorse\"")); /* not for oneself */
    buf_free(&b);
    tmpl_shutdown();
}

int main(void)
{
    xmlInitParser();
    markdown_init();
    struct arena *a = arena_new();
    test_names(a);

    struct testdb tdb;
    struct db *db = testdb_open(&tdb);
    CHECK(db_exec(db, "INSERT INTO users(id, login, name, role, created_at) VALUES "
                      "(1, 'ana', 'Ana', 'editor', 0), (2, 'bo', 'Bo', 'viewer', 0), "
                      "(3, 'cy', 'Cy', 'editor', 0)", NULL) == 0);
    test_taxonomy(db, a);
    test_people(db, a);
    test_partial(db, a);

    db_close(db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tdb.dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tdb.dir);
    arena_free(a);
    DONE();
}
