/* inbox_store: each person's inbox (questions ken asked them, answers to their questions,
 * comments, mentions, accepted answers; endorsements they received and changes to pages they
 * watch, read from those tables), whether they read it, and their availability: away until a
 * date, and muted topics (the SQL for the inbox). */
#ifndef KEN_INBOX_STORE_H
#define KEN_INBOX_STORE_H
#include "core/arena.h"
#include "core/db.h"

/* Kinds of stored inbox rows (schema/0013_questions.sql); "endorsement" and "page" are derived. */
#define INBOX_ROUTED "routed"     /* ken asked them a question */
#define INBOX_ANSWER "answer"     /* an answer to their question */
#define INBOX_COMMENT "comment"   /* a comment on their question or answer */
#define INBOX_MENTION "mention"   /* @login in a question, answer, comment or wiki page */
#define INBOX_ACCEPTED "accepted" /* their answer was accepted */

enum { INBOX_TEXT_MAX = 300 }; /* bytes of excerpt kept with a row */

struct inbox_item {
    int64_t id;                   /* the inbox row; 0 for endorsements and page changes */
    const char *kind;             /* one of the above, "endorsement" or "page" */
    int64_t question_id, answer_id;
    const char *question_title;   /* "" when not about a question */
    const char *question_state;
    const char *actor_login, *actor_name; /* who did it ("" for ken itself) */
    const char *text;             /* plain text: why they were asked, an excerpt */
    const char *skill, *skill_slug;       /* endorsements; NULL for the others */
    const char *path, *title;             /* page changes and mentions in pages; else "" */
    int changes;                          /* page changes: revisions since then */
    int page_rev;                         /* a mention in a page: the revision that made it */
    int64_t created_at;
    int unread;
    struct inbox_item *next;
};

/* Adds a row to user_id's inbox (inside the caller's transaction). text is cut to
 * INBOX_TEXT_MAX bytes at a character boundary. Returns 0 or -1. */
int inbox_store_add(struct db *db, int64_t user_id, const char *kind, int64_t question_id,
                    int64_t answer_id, int64_t actor_id, const char *text, int64_t now);
/* Adds a mention of user_id in revision `rev` of page `page_id` (by actor_id, 0 for ken) to their
 * inbox, inside the caller's transaction; text as inbox_store_add. Returns 0 or -1. */
int inbox_store_add_page(struct db *db, int64_t user_id, int64_t page_id, int rev,
                         int64_t actor_id, const char *text, int64_t now);
/* Returns 1 when user_id has unread mentions in page page_id, else 0 (one indexed read). */
int inbox_store_has_unread_page(struct db *db, int64_t user_id, int64_t page_id);
/* Marks user_id's mentions in page page_id read (reading the page is reading them). 0 or -1. */
int inbox_store_mark_page(struct db *db, int64_t user_id, int64_t page_id, int64_t now);
/* Returns how many unread things user_id has: unread rows plus endorsements received since they
 * last looked (one statement, both parts by index); -1 on error. */
int inbox_store_unread(struct db *db, int64_t user_id);
/* Returns user_id's inbox, newest first, at most limit, in a: rows, endorsements of the last 90
 * days and digests of changes to watched pages since they last looked (or the last 14 days). */
struct inbox_item *inbox_store_list(struct db *db, struct arena *a, int64_t user_id, int limit,
                                    int64_t now);
/* Returns 1 when user_id has unread rows about question_id, else 0. */
int inbox_store_has_unread(struct db *db, int64_t user_id, int64_t question_id);
/* Marks user_id's rows about question_id read (one statement). Returns 0 or -1. */
int inbox_store_mark_question(struct db *db, int64_t user_id, int64_t question_id, int64_t now);
/* Records that user_id looked at the endorsements and page changes in the inbox now. 0 or -1. */
int inbox_store_seen(struct db *db, int64_t user_id, int64_t now);
/* Marks everything in user_id's inbox read, in one transaction. Returns 0 or -1. */
int inbox_store_mark_all(struct db *db, int64_t user_id, int64_t now);

/* Availability. Returns the time until which user_id is away, 0 when they are not. */
int64_t inbox_store_away_until(struct db *db, int64_t user_id, int64_t now);
/* Sets user_id away until `until`; 0 (or a time passed) means back now. Returns 0 or -1. */
int inbox_store_set_away(struct db *db, int64_t user_id, int64_t until);
/* A muted topic. */
struct inbox_topic {
    const char *topic;
    struct inbox_topic *next;
};
/* Returns user_id's muted topics by name, in a. */
struct inbox_topic *inbox_store_muted(struct db *db, struct arena *a, int64_t user_id);
/* Mutes (on=1) or unmutes `topics` (one or more tags, comma or space separated) for user_id.
 * Returns 0, 400 with *why for a topic that is not a valid tag, 500. */
int inbox_store_mute(struct db *db, struct arena *a, int64_t user_id, const char *topics, int on,
                     const char **why);

#endif
