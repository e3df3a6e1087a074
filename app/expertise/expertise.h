/* expertise: who knows about a topic, from evidence. Document-centred: each page that matches the
 * topic is scored by the search index, and its score is credited to the people who wrote it by
 * their share of its text, decaying with age; then declared skills, endorsements (worth more
 * from people who have the skill themselves), and owning or verifying matching pages add to it. */
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
    int pages;                 /* matching pages they wrote part of */
    int matching_pages;        /* matching pages in all */
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
