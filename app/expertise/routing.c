#include "expertise/routing.h"
#include "core/buf.h"
#include "expertise/expertise.h"
#include "expertise/routing_store.h"
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
    struct routing_person_state p;
    routing_store_person_state(db, user_id, question_id, words, now, now - WEEK, &p);
    return !p.found                               ? "no such person"
           : p.left                               ? "left"
           : p.viewer                             ? "cannot write"
           : p.away                               ? "away"
           : p.muted                              ? "muted the topic"
           : p.asked_already                      ? "asked already"
           : p.asked_since >= ROUTING_WEEKLY_MAX ? "asked often this week"
                                                  : NULL;
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
    int64_t team = routing_store_team(db, asker_id);
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
        p->same_team = team && routing_store_team(db, e->user_id) == team;
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
    int64_t asker;
    const char *title, *tags;
    int round;
    if (routing_store_question(db, a, question_id, &asker, &title, &tags, &round) != 0)
        return -1;
    struct routing_pick *list = routing_choose(db, a, question_id, asker, title, tags,
                                               ROUTING_PEOPLE, now);
    if (db_begin(db) != 0)
        return -1;
    /* Another request may have run this round meanwhile: then this one gives way. */
    int moved = routing_store_next_round(db, question_id, round, now);
    if (moved <= 0) {
        db_rollback(db);
        return moved < 0 ? -1 : 0;
    }
    int count = 0;
    for (struct routing_pick *p = list; p; p = p->next) {
        if (routing_store_add_route(db, question_id, p->user_id, round + 1, p->score, p->why,
                                    now) != 0 ||
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

int routing_due(struct db *db, int64_t now)
{
    int64_t id;
    return routing_store_due(db, now - ROUTING_WAIT_SECONDS, ROUTING_ROUNDS, 1, &id) > 0;
}

int routing_run_due(struct db *db, int64_t now, int max)
{
    struct arena *a = arena_new();
    int64_t ids[64];
    int n = routing_store_due(db, now - ROUTING_WAIT_SECONDS, ROUTING_ROUNDS, max < 64 ? max : 64,
                              ids);
    int routed = 0;
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
