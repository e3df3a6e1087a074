/* expertise: who knows about a topic, from evidence (the SQL is expertise_store's).
 *
 * Pages, document-centred (Balog et al.'s Model 2): each page that matches the topic is scored by
 * the search index and its score credited to the people who wrote it by their share of its text,
 * decaying with age; owning or verifying matching pages adds to it.
 * Questions and answers: the unit of evidence is the answer, not the thread: each answer to a
 * matching question credits its author alone, weighted by the question's relevance, more when it
 * was accepted or voted up. Asking is not knowing: askers get nothing for their questions. A
 * person's own best answer counts (profile-centred, Model 1's "what is this person's evidence
 * like"), and the volume of their matching answers counts only logarithmically, so many weak
 * matches do not beat one strong one; answers on questions tagged with the topic's words add;
 * recent activity (answers in the 3 days before the newest answer in ken) and, less, answers in
 * all weigh in for people who have topical evidence at all, never alone; accepted answers and
 * votes weigh each answer.
 * Declared skills and endorsements (worth more from people who have the skill) add to it all. */
#ifndef KEN_EXPERTISE_H
#define KEN_EXPERTISE_H
#include "core/arena.h"
#include "core/db.h"
#include "accounts/user_store.h"

struct expert_page {
    const char *path, *title;
    double share;     /* of the page's text this person wrote, 0..1 */
    int64_t last_at;  /* their latest edit of it */
    struct expert_page *next;
};

struct expert {
    int64_t user_id;
    const char *login, *name, *title, *department;
    int left;
    double score;
    double writing, declared, endorsed, owned; /* the parts of the score */
    double answering;          /* the part of the score from answers */
    int pages;                 /* matching pages they wrote part of, among those considered */
    int pages_considered;      /* the best-matching pages looked at (a window of matching_pages) */
    int64_t matching_pages;    /* matching pages in all */
    int answered, accepted;    /* matching questions they answered, and were accepted on */
    int64_t matching_questions;/* matching questions in all */
    int answers_total, accepted_total, answers_recent; /* all their answers; in the last 30 days */
    double best_answer, answer_sum, tagged;            /* Q&A evidence, see expertise.c */
    int level;                 /* declared level of a matching skill, 0 none, 1-3 */
    const char *skill;         /* that skill's name */
    int endorsements;
    int64_t last_activity;
    struct expert_page *evidence; /* the pages that put them here, best first (at most 5) */
    struct expert *next;
};

struct expert_options {
    int limit;
    int include_left;         /* people who left are excluded unless this is set */
    int prefer_outside_dept;  /* raise people outside the viewer's department */
    int prefer_near;          /* raise people in the viewer's time zone (when they show it) */
    int64_t now;              /* 0: the current time */
};

/* Returns the people who know about `topic`, best first, in a; NULL when none. */
struct expert *expertise_query(struct db *db, struct arena *a, const struct user *viewer,
                               const char *topic, const struct expert_options *o);
/* A one-line "why" for people: "wrote 3 of the 5 pages about this, most recently in March 2026;
 * endorsed by 4; declared expert in PostgreSQL". In a. */
const char *expertise_why(struct arena *a, const struct expert *e);

#endif
