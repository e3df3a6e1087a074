/* expertise_store: the SQL the experts ranking reads (expertise.c does the arithmetic): pages and
 * questions that match a topic with their bm25 relevance, who wrote or answered them, declared
 * skills and endorsements, what each person has answered in all, and names for display. Every
 * result lives in the arena `a`, in lists ordered as each function says. Writes nothing. */
#ifndef KEN_EXPERTISE_STORE_H
#define KEN_EXPERTISE_STORE_H
#include "core/arena.h"
#include "core/db.h"

/* Returns how many pages match the FTS5 expression fts; FTS5 counts them from its doclists
 * without reading the rows. */
int64_t expertise_store_count_pages(struct db *db, const char *fts);

/* A person's part of a matching page. */
struct expertise_page_row {
    int64_t user_id, last_at;
    double score;       /* the page's bm25 relevance, higher is better */
    double share;       /* of the page's text they wrote, 0..1 */
    const char *path, *title;
    int owner, verified;
    struct expertise_page_row *next;
};
/* The writers of the `limit` best pages matching fts among the pseudo-random sample of pages
 * whose id hashes below keep/4096 (4096: all), best page first. *best gets the best score.
 * Returns the rows (NULL when none) and sets *rc to 0, or -1 on a database error. */
struct expertise_page_row *expertise_store_pages(struct db *db, struct arena *a, const char *fts,
                                                 int64_t keep, int limit, double *best, int *rc);

/* An answer to a question that matches. */
struct expertise_answer_row {
    int64_t user_id, question_id, created_at;
    double score;       /* the question's bm25 relevance (title, tags, question, answers) */
    int accepted, votes;
    const char *title;  /* the question's */
    struct expertise_answer_row *next;
};
/* The answers to the `limit` best questions matching fts, best question first; never the
 * asker's own question text (askers are not credited), only answers. *best gets the best score. */
struct expertise_answer_row *expertise_store_answers(struct db *db, struct arena *a,
                                                     const char *fts, int limit, double *best);

/* Someone who answered questions matching fts: how many of them (every match: true counts) and
 * how many of those answers were accepted; and in all: answers, accepted ones, those since
 * `since`, the latest one's time. */
struct expertise_answerer {
    int64_t user_id;
    int answered, accepted_here;
    int answers, accepted, recent;
    int64_t last_at;
    struct expertise_answerer *next;
};
/* Returns everyone who answered a question matching fts (in one statement), and in *matching
 * how many questions match. */
struct expertise_answerer *expertise_store_answerers(struct db *db, struct arena *a,
                                                     const char *fts, int64_t since,
                                                     int64_t *matching);
/* Returns the time of the newest answer (0 when there is none). */
int64_t expertise_store_newest_answer(struct db *db);

/* Someone who declared the skill that `name` names (by name, slug or alias). */
struct expertise_skill_row {
    int64_t user_id;
    int level, endorsements, skilled_endorsers;
    const char *skill;
    struct expertise_skill_row *next;
};
struct expertise_skill_row *expertise_store_skills(struct db *db, struct arena *a,
                                                   const char *name);

/* Display facts of a person; login NULL when there is no such account. */
struct expertise_person {
    const char *login, *name, *title, *department;
    int left;
};
void expertise_store_person(struct db *db, struct arena *a, int64_t user_id,
                            struct expertise_person *out);
/* Returns the person's department id, 0 when none. */
int64_t expertise_store_department(struct db *db, int64_t user_id);
/* Returns the time zone a person shows everyone ("" when unset or not public), in a. */
const char *expertise_store_public_timezone(struct db *db, struct arena *a, int64_t user_id);

#endif
