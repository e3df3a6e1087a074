/* routing_store: the SQL of routing (whom ken asks about a question): a question's asker, title,
 * tags and round; whether a person may be asked now; their team; the rounds and the people asked
 * in them (question_routes); and the questions due for their next round. Results in `a`. */
#ifndef KEN_ROUTING_STORE_H
#define KEN_ROUTING_STORE_H
#include "core/arena.h"
#include "core/db.h"

/* Reads question `id`: returns 0 with the asker, title and tags (in a) and its round, -1 when
 * there is no such question. */
int routing_store_question(struct db *db, struct arena *a, int64_t id, int64_t *asker,
                           const char **title, const char **tags, int *round);

/* What may keep a person from being asked about a question now. */
struct routing_person_state {
    int found;           /* the account exists */
    int left, viewer, away, muted, asked_already;
    int asked_since;     /* times asked (about any question) since `since` */
};
/* Fills *out for user_id and question_id at `now`: muted when one of their muted topics is one of
 * `words` (space-separated), asked_since counted from `since`. */
void routing_store_person_state(struct db *db, int64_t user_id, int64_t question_id,
                                const char *words, int64_t now, int64_t since,
                                struct routing_person_state *out);
/* Returns the person's team id, 0 when none. */
int64_t routing_store_team(struct db *db, int64_t user_id);

/* Moves question `id` from round `round` to the next, at now. Returns 1 when it did, 0 when
 * another request moved it meanwhile, -1 on error. Inside the caller's transaction. */
int routing_store_next_round(struct db *db, int64_t id, int round, int64_t now);
/* Records that user_id was asked about question `id` in `round`, with score and why. 0 or -1. */
int routing_store_add_route(struct db *db, int64_t id, int64_t user_id, int round, double score,
                            const char *why, int64_t now);

/* Fills ids (at most max) with the open questions whose last round began before `cutoff` and
 * that had fewer than `rounds` rounds, longest waiting first. Returns how many. */
int routing_store_due(struct db *db, int64_t cutoff, int rounds, int max, int64_t *ids);

#endif
