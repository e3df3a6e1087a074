/* question_store: questions, answers, their revisions, votes, comments and states, the
 * full-text index over them (question_text / question_search, written directly in the same
 * transaction as the question or answer, like the page index), and promotion of an accepted
 * answer to a wiki page (the SQL for questions and answers).
 *
 * States: "open" (no answer yet), "answered" (has an answer), "accepted" (the asker, an expert
 * on one of its topics, or an admin accepted an answer). Writers open their own transaction
 * (a savepoint when one is open). Results live in the arena `a`. */
#ifndef KEN_QUESTION_STORE_H
#define KEN_QUESTION_STORE_H
#include "core/arena.h"
#include "core/db.h"
#include "accounts/user_store.h"

enum {
    QUESTION_TITLE_MAX = 200,
    QUESTION_MARKDOWN_MAX = 64 << 10,
    ANSWER_MARKDOWN_MAX = 256 << 10,
    COMMENT_MAX = 600,
};

struct question_comment {
    int64_t id;
    const char *author_login, *author_name, *body; /* body: plain text */
    int64_t created_at;
    struct question_comment *next;
};

struct answer {
    int64_t id, question_id, author_id;
    const char *author_login, *author_name;
    const char *markdown, *html;
    int votes, rev_count;
    int accepted;           /* the question's accepted answer */
    int voted;              /* the viewer voted for it */
    int64_t created_at, updated_at;
    struct question_comment *comments;
    struct answer *next;
};

/* Someone ken asked about a question, and why. */
struct question_route {
    const char *login, *name, *why;
    int round;
    double score;
    int64_t asked_at;
    int answered;           /* they answered it */
    struct question_route *next;
};

struct question {
    int64_t id, asker_id;
    const char *asker_login, *asker_name;
    const char *title, *markdown, *html, *tags; /* tags: space-separated */
    const char *state;
    int rev_count, answer_count;
    int64_t accepted_answer_id;
    const char *page_path;  /* the wiki page its accepted answer became, or "" */
    int64_t created_at, updated_at;
    int route_round;
    int64_t routed_at;
    struct answer *answers;             /* accepted first, then by votes, then oldest first */
    struct question_comment *comments;  /* on the question itself, oldest first */
    struct question_route *routes;      /* by round, then score */
};

/* A question in a list or search result. */
struct question_hit {
    int64_t id;
    const char *title, *state, *tags;
    const char *asker_login, *asker_name;
    const char *asker_dept, *asker_dept_name; /* the asker's department now: slug, name ("") */
    const char *snippet;    /* search only: text with SNIPPET_OPEN/SNIPPET_CLOSE (html.h) around
                               matched words, else "" */
    int answers, votes;     /* votes: of its best answer */
    int64_t created_at, updated_at;
    double score;           /* search only: relevance, higher is better */
    struct question_hit *next;
};

/* A revision in a question's or answer's history. */
struct question_revision {
    int number;
    const char *author_login, *author_name, *title, *tags, *markdown; /* title, tags: questions */
    int64_t created_at;
    struct question_revision *next;
};

/* What a list shows; NULL/""/0 fields do not narrow. */
struct question_filter {
    const char *state;      /* open, answered, accepted, or "unanswered" (= open) */
    const char *tag;
    int64_t topics_of;      /* tags matching this person's declared skills (or their aliases) */
    int64_t asked_by;
    int64_t routed_to;      /* questions ken asked this person */
    const char *dept;       /* a department's slug: questions whose asker is in it now */
    int limit, offset;      /* limit 0: 50 */
};

/* Returns 1 when `state` is open, answered or accepted. */
int question_state_valid(const char *state);

/* Asks a question: title (1-200 characters, one line), Markdown (may be empty) and tags (as
 * people type them). Saves it with revision 1, indexes it, and tells the people it @mentions.
 * Returns 201 with *id, or 400/503/500 with *why. Routing to experts is routing.h's job. */
int question_store_ask(struct db *db, struct arena *a, int64_t asker_id, const char *title,
                       const char *markdown, const char *tags, int64_t now, int64_t *id,
                       const char **why);
/* Edits a question as a new revision (title, Markdown, tags). Returns 200, 400, 404, 500. */
int question_store_edit(struct db *db, struct arena *a, int64_t id, int64_t editor_id,
                        const char *title, const char *markdown, const char *tags, int64_t now,
                        const char **why);
/* Returns question `id` with its answers, comments and routes (votes seen from viewer_id), or
 * NULL. */
struct question *question_store_get(struct db *db, struct arena *a, int64_t id,
                                    int64_t viewer_id);
/* Returns answer `id` (without comments) or NULL. */
struct answer *question_store_answer_get(struct db *db, struct arena *a, int64_t id);
/* Returns the revisions of question `id` (answer_id 0) or of answer `answer_id`, newest first. */
struct question_revision *question_store_revisions(struct db *db, struct arena *a, int64_t id,
                                                   int64_t answer_id);

/* Answers question `qid`: the question becomes "answered" (unless accepted), the asker and the
 * people mentioned are told, the index updated. Returns 201 with *answer_id; 400, 404, 500. */
int question_store_answer(struct db *db, struct arena *a, int64_t qid, int64_t author_id,
                          const char *markdown, int64_t now, int64_t *answer_id, const char **why);
/* Edits answer `id` as a new revision. Returns 200, 400, 404, 500. */
int question_store_answer_edit(struct db *db, struct arena *a, int64_t id, int64_t editor_id,
                               const char *markdown, int64_t now, const char **why);
/* Comments on question `qid` (answer_id 0) or on its answer answer_id: plain text of 1 to
 * COMMENT_MAX bytes. Tells the asker or the answer's author, and people mentioned. Returns 201
 * with *comment_id; 400, 404, 500. */
int question_store_comment(struct db *db, struct arena *a, int64_t qid, int64_t answer_id,
                           int64_t author_id, const char *body, int64_t now, int64_t *comment_id,
                           const char **why);
/* Votes for answer `id` (on=1) or withdraws the vote (on=0); once per person, never one's own.
 * Returns 200 with *votes (the answer's count now); 403 own answer, 404, 500. */
int question_store_vote(struct db *db, int64_t id, int64_t user_id, int on, int64_t now,
                        int *votes, const char **why);
/* Returns 1 when `user` may accept an answer to q: the asker, an admin, or someone who declared
 * a skill one of q's tags names at expert level. */
int question_store_may_accept(struct db *db, const struct question *q, const struct user *user);
/* Accepts answer `id` (replacing an earlier accepted answer): the question becomes "accepted"
 * and the answer's author is told. Permission is the caller's (question_store_may_accept).
 * Returns 200 with *qid; 404, 500. */
int question_store_accept(struct db *db, struct arena *a, int64_t id, int64_t by_id, int64_t now,
                          int64_t *qid, const char **why);
/* Makes the accepted answer of question `qid` the new wiki page `path`: the answer's text,
 * the question's title and tags, the answer's author as author (page_store_save); the question
 * then links to it. Returns 201; 400 (no accepted answer, bad path), 404, 409 (the page exists,
 * or the answer became a page already), 500, with *why. */
int question_store_promote(struct db *db, struct arena *a, int64_t qid, const char *path,
                           int64_t now, const char **why);

/* Lists questions: unanswered ones first, then newest first. *total (may be NULL) gets how many
 * match in all. */
struct question_hit *question_store_list(struct db *db, struct arena *a,
                                         const struct question_filter *f, int *total);
/* Searches questions and their answers for the FTS5 expression fts_query (as search_query.h
 * makes it), best first: titles weigh most, then tags, the question, the answers. Fills *out
 * (in a) with at most `limit` hits and returns how many, or -1 on error (a bad expression). */
int question_search(struct db *db, struct arena *a, const char *fts_query, int limit,
                    struct question_hit **out);

/* A page that looks like a question's title (the "check for similar" step). */
struct similar_page {
    const char *path, *title;
    struct similar_page *next;
};
/* Returns the meaningful words of `text` (letters and digits; common words such as "how" and
 * "the", one-letter words and repeats left out; at most 16), lowercase and space-separated, in a
 * ("" when none). */
const char *question_keywords(struct arena *a, const char *text);
/* Returns an FTS5 expression matching any of the telling words of `text` as the search box reads
 * them (query_read: framing such as "how do I" and "the" left out), in a; NULL when none. */
const char *question_words_query(struct arena *a, const char *text);
/* Returns at most `limit` questions and (in *pages) pages whose words look like `title`. */
struct question_hit *question_store_similar(struct db *db, struct arena *a, const char *title,
                                            int limit, struct similar_page **pages);

/* The people with the most accepted answers since `since`. */
struct question_helper {
    const char *login, *name;
    int accepted;
    struct question_helper *next;
};
struct question_helper *question_store_helpful(struct db *db, struct arena *a, int64_t since,
                                               int limit);

/* ---- imports (ken import stackexchange): as the functions above, dated when they happened
 * elsewhere, and telling nobody (no inbox entries, no mentions). */

/* Asks a question as question_store_ask, dated created_at. Returns 201 with *id; 400, 500. */
int question_store_import_question(struct db *db, struct arena *a, int64_t asker_id,
                                   const char *title, const char *markdown, const char *tags,
                                   int64_t created_at, int64_t *id, const char **why);
/* What an imported answer brings besides its text. */
struct question_answer_import {
    int votes;    /* its score there (may be negative); local votes add to it */
    int accepted; /* it is the question's accepted answer */
};
/* Answers question qid as question_store_answer, dated created_at, with im's votes, and
 * accepted when im says so. Returns 201 with *answer_id; 400, 404, 500. */
int question_store_import_answer(struct db *db, struct arena *a, int64_t qid, int64_t author_id,
                                 const char *markdown, int64_t created_at,
                                 const struct question_answer_import *im, int64_t *answer_id,
                                 const char **why);
/* Comments as question_store_comment, dated created_at. Returns 201; 400, 404, 500. */
int question_store_import_comment(struct db *db, struct arena *a, int64_t qid, int64_t answer_id,
                                  int64_t author_id, const char *body, int64_t created_at,
                                  int64_t *comment_id, const char **why);
/* Records that question qid links to linked_id (duplicate 1: it duplicates it). 0 or -1. */
int question_store_link(struct db *db, int64_t qid, int64_t linked_id, int duplicate);

/* Rebuilds the question index from the questions and answers (ken reindex). 0 or -1. */
int question_store_reindex(struct db *db, struct arena *a);

#endif
