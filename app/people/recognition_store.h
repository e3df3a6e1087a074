/* recognition_store: what people contributed, for their profiles (pages written, pages they own
 * and keep fresh, answers and the people they helped), for the monthly thanks (/thanks: the most
 * helpful answers, the most read and the new pages, who kept pages fresh, per department) and
 * for the engagement figures HR and admins see (/admin/engagement); the SQL for them.
 *
 * Only what every signed-in reader may already see is read: pages, revisions, verifications,
 * questions, answers and votes, and the department, which is a fixed organisation field
 * (people_perm.c), never a field a person may hide. People who left are counted and listed, with
 * `left` set so pages can say so, as their profiles do. Everything lives in the arena `a`;
 * periods are [t0, t1) in Unix seconds. */
#ifndef KEN_RECOGNITION_STORE_H
#define KEN_RECOGNITION_STORE_H
#include "core/arena.h"
#include "core/db.h"

enum {
    RECOG_TOP = 5,           /* pages shown on a profile */
    RECOG_FRESH_DAYS = 90,   /* "verified recently" on a profile */
    RECOG_ACCEPTED_VOTES = 2 /* an accepted answer weighs as much as this many votes */
};

struct recog_person {
    const char *login, *name;
    const char *dept_slug, *dept_name; /* "" when they have no department */
    int left;                          /* 1: has left the company */
    struct recog_person *next;
};

struct recog_page {
    int64_t id;
    const char *path, *title;
    int64_t views;                /* thanks: views in the month */
    int share;                    /* profile: the person's part of the page's text, percent */
    int64_t at;                   /* thanks, new pages: when it was created */
    struct recog_person *writers; /* thanks: its main writers (most text first), or its creator */
    struct recog_page *next;
};

/* What a profile shows. */
struct recog_profile {
    int pages_written;            /* live pages (not templates) they wrote part of the text of */
    struct recog_page *top_pages; /* RECOG_TOP of them, those with most of their text first */
    int pages_owned;              /* live pages they own */
    int owned_fresh;              /* of those, the ones not past their review date */
    int verified_recent;          /* pages they verified in the last RECOG_FRESH_DAYS days */
    int answers, accepted;        /* answers they wrote; how many were accepted */
    int helped;                   /* people (not themselves) whose questions they answered */
};
/* Fills *out for person user_id at time now. Returns 0, or -1 on a database error. */
int recognition_profile(struct db *db, struct arena *a, int64_t user_id, int64_t now,
                        struct recog_profile *out);

struct recog_answer {
    int64_t answer_id, question_id;
    const char *question_title;
    struct recog_person who;      /* its author */
    int votes, accepted, score;   /* score: votes + RECOG_ACCEPTED_VOTES if accepted */
    int64_t created_at;
    struct recog_answer *next;
};

/* Someone to thank for a month, and for what. */
struct recog_contributor {
    int64_t user_id;
    struct recog_person who;
    int answers, accepted;        /* answers written in the month; of them, accepted */
    int pages_new, edits;         /* pages created; later revisions saved (not templates) */
    int verified;                 /* pages verified */
    struct recog_page *pages;     /* kept fresh: up to three pages they verified */
    struct recog_contributor *next;
};

/* A department's month (or, for engagement, period). */
struct recog_dept {
    const char *slug, *name;
    int members;                  /* people in it who have not left */
    int contributors;             /* people of it who contributed (thanks) / were active */
    int answers, accepted, pages_new, verified;  /* thanks */
    int asked, answered;          /* engagement: questions its people asked; of them, answered */
    struct recog_dept *next;
};

struct recog_thanks {
    struct recog_answer *answers;        /* most helpful first: score, then votes */
    struct recog_page *most_read;        /* by views in the month, with their main writers */
    struct recog_page *new_pages;        /* created in the month, most read first */
    struct recog_contributor *fresh;     /* who verified pages, most pages first */
    struct recog_contributor *people;    /* everyone who contributed, most contributions first */
    struct recog_dept *depts;            /* every department, by name */
};
/* Fills *out for the period [t0, t1) and department `dept` (a slug; "" or NULL for everyone).
 * With a department, answers, new pages and verifications count when their author is in it, and
 * a page read when one of its writers is. Each list is at most `limit` long, the people at most
 * `people_limit`. Returns 0, or -1 on a database error. */
int recognition_thanks(struct db *db, struct arena *a, int64_t t0, int64_t t1, const char *dept,
                       int limit, int people_limit, struct recog_thanks *out);

struct recog_engagement {
    int active;                   /* people who saved a page revision or answered */
    int editors, answerers;       /* the two kinds of them (someone may be both) */
    int asked;                    /* questions asked in the period */
    int answered, accepted;       /* of those, answered (by now) and accepted */
    int answers;                  /* answers written in the period (to any question) */
    int64_t median_first_answer;  /* seconds from asking to the first answer, over the questions
                                     asked in the period that have one; -1 when none has */
    struct recog_dept *depts;     /* per department, by name: members, active, asked, answered */
};
/* Fills *out for the period [t0, t1). Returns 0, or -1 on a database error. */
int recognition_engagement(struct db *db, struct arena *a, int64_t t0, int64_t t1,
                           struct recog_engagement *out);

#endif
