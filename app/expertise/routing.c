#include "expertise/routing.h"
#include "core/buf.h"
#include "expertise/expertise.h"
#include "notify/inbox_store.h"
#include "questions/question_store.h"
#include "wiki/wikipath.h"

#include <stdlib.h>
#include <string.h>

enum { WEEK = 7 * 86400 };

const char *routing_topic(struct arena *a, const char *title, const char *tags)
{
    const char *words = question_keywords(a, title);
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, words);
    /* A tag already among the title's words adds nothing. */
    for (const char *p = tags ? tags : ""; *p;) {
        size_t n = strcspn(p, PAGE_TAGS_SEP);
        const char *hit = strstr(words, arena_strndup(a, p, n));
        int dup = hit && (hit == words || hit[-1] == ' ') && (hit[n] == ' ' || hit[n] == 0);
        if (n && !dup)
            buf_printf(&b, "%s%.*s", b.len ? " " : "", (int)n, p);
        p += n + (p[n] != 0);
    }
    return arena_adopt(a, buf_take(&b));
}

/* Returns the words of topic joined with OR: any of them, for a second, wider look. */
static const char *any_of(struct arena *a, const char *topic)
{
    struct buf b;
    buf_init(&b, 0);
    for (const char *p = topic; *p;) {
        size_t n = strcspn(p, " ");
        buf_printf(&b, "%s%.*s", b.len ? " OR " : "", (int)n, p);
        p += n + (p[n] == ' ');
    }
    return arena_adopt(a, buf_take(&b));
}

/* Returns NULL when the person may be asked about question_id now, else why not. */
static const char *unavailable(struct db *db, int64_t user_id, int64_t question_id,
                               const char *words, int64_t now)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.disabled OR p.left_at IS NOT NULL, u.role = 'viewer', "
            "EXISTS (SELECT 1 FROM person_availability v WHERE v.user_id = u.id AND "
            "v.away_until > :now), "
            "EXISTS (SELECT 1 FROM muted_topics m WHERE m.user_id = u.id AND "
            "instr(' ' || :words || ' ', ' ' || m.topic || ' ') > 0), "
            "EXISTS (SELECT 1 FROM question_routes r WHERE r.question_id = :q AND r.user_id = u.id), "
            "(SELECT count(*) FROM question_routes r WHERE r.user_id = u.id AND r.asked_at > :since) "
            "FROM users u LEFT JOIN profiles p ON p.user_id = u.id WHERE u.id = :user");
    db_bind_int(st, ":now", now);
    db_bind_text(st, ":words", words);
    db_bind_int(st, ":q", question_id);
    db_bind_int(st, ":since", now - WEEK);
    db_bind_int(st, ":user", user_id);
    const char *why = "no such person";
    if (db_step(st) == SQLITE_ROW)
        why = db_col_int(st, 0)   ? "left"
              : db_col_int(st, 1) ? "cannot write"
              : db_col_int(st, 2) ? "away"
              : db_col_int(st, 3) ? "muted the topic"
              : db_col_int(st, 4) ? "asked already"
              : db_col_int(st, 5) >= ROUTING_WEEKLY_MAX ? "asked often this week"
                                                       : NULL;
    sqlite3_reset(st);
    return why;
}

static int64_t team_of(struct db *db, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(team_id, 0) FROM profiles WHERE user_id = :u");
    db_bind_int(st, ":u", user_id);
    int64_t t = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    return t;
}

/* Adds the people expertise_query finds for topic to cands; someone there already keeps the
 * better of their two scores (and its why). Returns the number in cands. */
static int gather(struct db *db, struct arena *a, const char *topic, int64_t now,
                  struct expert **cands, int n)
{
    struct expert_options o = {.limit = ROUTING_CANDIDATES, .now = now};
    for (struct expert *e = expertise_query(db, a, NULL, topic, &o); e; e = e->next) {
        int at = -1;
        for (int i = 0; i < n && at < 0; i++)
            if (cands[i]->user_id == e->user_id)
                at = i;
        if (e->score <= 0)
            continue;
        if (at >= 0 && e->score > cands[at]->score)
            cands[at] = e;
        else if (at < 0 && n < ROUTING_CANDIDATES)
            cands[n++] = e;
    }
    return n;
}

static int by_score(const void *x, const void *y)
{
    const struct expert *a = *(struct expert *const *)x, *b = *(struct expert *const *)y;
    return a->score < b->score ? 1 : a->score > b->score ? -1 : strcmp(a->login, b->login);
}

struct routing_pick *routing_choose(struct db *db, struct arena *a, int64_t question_id,
                                    int64_t asker_id, const char *title, const char *tags, int n,
                                    int64_t now)
{
    const char *topic = routing_topic(a, title, tags);
    if (!*topic || n <= 0)
        return NULL;
    /* The people who know about all of it, and those who know about any of it (a title has
     * words no page has, "reporting" in "postgres replication for reporting"): each person
     * with the better of the two scores. */
    struct expert *cands[ROUTING_CANDIDATES];
    int nc = gather(db, a, topic, now, cands, 0), ok = 0;
    if (strchr(topic, ' '))
        nc = gather(db, a, any_of(a, topic), now, cands, nc);
    qsort(cands, (size_t)nc, sizeof *cands, by_score);
    int64_t team = team_of(db, asker_id);
    struct routing_pick *pool[ROUTING_CANDIDATES];
    for (int i = 0; i < nc; i++) {
        struct expert *e = cands[i];
        if (e->user_id == asker_id || e->left || unavailable(db, e->user_id, question_id, topic, now))
            continue;
        struct routing_pick *p = arena_alloc(a, sizeof *p);
        p->user_id = e->user_id;
        p->login = e->login;
        p->name = e->name;
        p->why = expertise_why(a, e);
        p->score = e->score;
        p->same_team = team && team_of(db, e->user_id) == team;
        pool[ok++] = p;
    }
    /* Best first, except that someone outside the asker's team with a close score goes before a
     * team mate: it spreads what the team knows and what it is asked. */
    struct routing_pick *head = NULL, **tail = &head;
    for (int k = 0; k < n && ok > 0; k++) {
        int take = 0;
        if (pool[0]->same_team)
            for (int j = 1; j < ok; j++)
                if (!pool[j]->same_team && pool[j]->score >= ROUTING_CLOSE * pool[0]->score) {
                    take = j;
                    break;
                }
        *tail = pool[take];
        tail = &pool[take]->next;
        memmove(pool + take, pool + take + 1, (size_t)(ok - take - 1) * sizeof *pool);
        ok--;
    }
    *tail = NULL;
    return head;
}

int routing_route(struct db *db, struct arena *a, int64_t question_id, int64_t now,
                  struct routing_pick **picked)
{
    if (picked)
        *picked = NULL;
    sqlite3_stmt *st = db_stmt(db, "SELECT asker_id, title, tags, route_round FROM questions WHERE "
                                   "id = :q");
    db_bind_int(st, ":q", question_id);
    int64_t asker = 0;
    const char *title = NULL, *tags = NULL;
    int round = 0;
    if (db_step(st) == SQLITE_ROW) {
        asker = db_col_int(st, 0);
        title = arena_strdup(a, db_col_text(st, 1));
        tags = arena_strdup(a, db_col_text(st, 2));
        round = (int)db_col_int(st, 3);
    }
    sqlite3_reset(st);
    if (!title)
        return -1;
    struct routing_pick *list = routing_choose(db, a, question_id, asker, title, tags,
                                               ROUTING_PEOPLE, now);
    if (db_begin(db) != 0)
        return -1;
    /* Another request may have run this round meanwhile: then this one gives way. */
    st = db_stmt(db, "UPDATE questions SET route_round = :next, routed_at = :now WHERE id = :q AND "
                     "route_round = :round");
    db_bind_int(st, ":next", round + 1);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":q", question_id);
    db_bind_int(st, ":round", round);
    int rc = db_run(st), changed = rc == 0 ? db_changes(db) : 0;
    if (rc != 0 || !changed) {
        db_rollback(db);
        return rc != 0 ? -1 : 0;
    }
    int count = 0;
    for (struct routing_pick *p = list; p; p = p->next) {
        st = db_stmt(db, "INSERT OR IGNORE INTO question_routes(question_id, user_id, round, score, "
                         "why, asked_at) VALUES (:q, :user, :round, :score, :why, :now)");
        db_bind_int(st, ":q", question_id);
        db_bind_int(st, ":user", p->user_id);
        db_bind_int(st, ":round", round + 1);
        sqlite3_bind_double(st, sqlite3_bind_parameter_index(st, ":score"), p->score);
        db_bind_text(st, ":why", p->why);
        db_bind_int(st, ":now", now);
        if (db_run(st) != 0 ||
            inbox_store_add(db, p->user_id, INBOX_ROUTED, question_id, 0, asker, p->why, now) != 0) {
            db_rollback(db);
            return -1;
        }
        count++;
    }
    if (db_commit(db) != 0)
        return -1;
    if (picked)
        *picked = list;
    return count;
}

/* Open questions whose last round is older than the wait, or that were never routed. */
static const char *const SQL_DUE =
    "SELECT id FROM questions WHERE state = 'open' AND routed_at < :cutoff AND route_round < "
    ":rounds ORDER BY routed_at, id LIMIT :max";

int routing_due(struct db *db, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, SQL_DUE);
    db_bind_int(st, ":cutoff", now - ROUTING_WAIT_SECONDS);
    db_bind_int(st, ":rounds", ROUTING_ROUNDS);
    db_bind_int(st, ":max", 1);
    int due = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return due;
}

int routing_run_due(struct db *db, int64_t now, int max)
{
    struct arena *a = arena_new();
    sqlite3_stmt *st = db_stmt(db, SQL_DUE);
    db_bind_int(st, ":cutoff", now - ROUTING_WAIT_SECONDS);
    db_bind_int(st, ":rounds", ROUTING_ROUNDS);
    db_bind_int(st, ":max", max);
    int64_t ids[64];
    int n = 0, routed = 0;
    while (n < max && n < 64 && db_step(st) == SQLITE_ROW)
        ids[n++] = db_col_int(st, 0);
    sqlite3_reset(st);
    for (int i = 0; i < n; i++) {
        if (routing_route(db, a, ids[i], now, NULL) < 0) {
            routed = -1;
            break;
        }
        routed++;
    }
    arena_free(a);
    return routed;
}
