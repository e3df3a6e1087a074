/* routing: whom ken asks about a question. Up to ROUTING_PEOPLE people from the expertise model
 * (expertise.h) for the question's words and tags, never the asker, people who left, people who
 * cannot write (viewers), people away or who muted one of its topics, nor anyone asked
 * ROUTING_WEEKLY_MAX times in the last 7 days (the load is spread); when two scores are close,
 * someone outside the asker's team goes first. Who was asked and why (expertise_why) is recorded in
 * question_routes and told in their inbox. A question nobody answered within ROUTING_WAIT_SECONDS
 * goes to the next people, for ROUTING_ROUNDS rounds at most. */
#ifndef KEN_ROUTING_H
#define KEN_ROUTING_H
#include "core/arena.h"
#include "core/db.h"

enum {
    ROUTING_PEOPLE = 3,                 /* people asked per round */
    ROUTING_WEEKLY_MAX = 5,             /* nobody is asked more often than this in 7 days */
    ROUTING_WAIT_SECONDS = 24 * 3600,   /* no answer after this long: ask the next people */
    ROUTING_ROUNDS = 3,                 /* rounds of asking, at most */
    ROUTING_CANDIDATES = 40,            /* experts considered per question */
};
/* Someone outside the asker's team goes before a team mate whose score theirs is within 20% of
 * (at least this share of it). */
#define ROUTING_CLOSE 0.8

struct routing_pick {
    int64_t user_id;
    const char *login, *name, *why;
    double score;
    int same_team;          /* in the asker's team */
    struct routing_pick *next;
};

/* Returns what the expertise model is asked about: the question title's meaningful words (common
 * words such as "how" and "the" left out) and the tags, space-separated, in a ("" when none). */
const char *routing_topic(struct arena *a, const char *title, const char *tags);
/* Chooses up to n people to ask about question_id (title and tags as given), by the rules above,
 * at time now. Nobody already asked about it is chosen again. Reads only. Returns them in the
 * order they were chosen, in a; NULL when nobody fits. */
struct routing_pick *routing_choose(struct db *db, struct arena *a, int64_t question_id,
                                    int64_t asker_id, const char *title, const char *tags, int n,
                                    int64_t now);
/* Runs the next round of asking for question_id: chooses ROUTING_PEOPLE people, records them in
 * question_routes with why, tells each in their inbox, and notes the round, in one transaction.
 * *picked (may be NULL) gets who was asked. Returns how many, or -1 on error or when the question
 * does not exist. */
int routing_route(struct db *db, struct arena *a, int64_t question_id, int64_t now,
                  struct routing_pick **picked);
/* Returns 1 when some open question waits for its next round (cheap: one indexed lookup). */
int routing_due(struct db *db, int64_t now);
/* Runs the next round for at most `max` open questions that nobody answered within
 * ROUTING_WAIT_SECONDS of the last round (or that were never routed). Returns the number of
 * questions routed, or -1 on error. `ken route-questions` and views of questions and the inbox
 * call it. */
int routing_run_due(struct db *db, int64_t now, int max);

#endif
