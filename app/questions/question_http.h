/* question_http: asking, answering, commenting, voting, accepting, promoting to a page; the
 * question lists and search; and the JSON API for them (handlers only; SQL in question_store). */
#ifndef KEN_QUESTION_HTTP_H
#define KEN_QUESTION_HTTP_H
#include "http/request.h"

int question_list_page(struct req *r);
/* ID is r->rest; the route table (http/router.c) gives each handler its URL. */
int question_page(struct req *r);                  /* GET /questions/ID */
int question_history_page(struct req *r);          /* GET /questions/ID/history */
int question_edit_form(struct req *r);             /* GET /questions/ID/edit */
int question_answers_post(struct req *r);          /* POST /questions/ID/answers */
int question_comments_post(struct req *r);         /* POST /questions/ID/comments */
int question_edit_post(struct req *r);             /* POST /questions/ID/edit */
int question_promote_post(struct req *r);          /* POST /questions/ID/promote */
int question_answer_page(struct req *r);           /* GET /answers/ID */
int question_answer_history_page(struct req *r);   /* GET /answers/ID/history */
int question_answer_edit_form(struct req *r);      /* GET /answers/ID/edit */
int question_answer_vote_post(struct req *r);      /* POST /answers/ID/vote */
int question_answer_accept_post(struct req *r);    /* POST /answers/ID/accept */
int question_answer_edit_post(struct req *r);      /* POST /answers/ID/edit */
int question_answer_comments_post(struct req *r);  /* POST /answers/ID/comments */
int question_ask_form(struct req *r);
int question_ask_post(struct req *r);

int question_api_list(struct req *r);
int question_api_ask(struct req *r);
int question_api_get(struct req *r);
int question_api_revisions(struct req *r);         /* GET /api/questions/ID/revisions */
int question_api_answers_post(struct req *r);      /* POST /api/questions/ID/answers */
int question_api_comments_post(struct req *r);     /* POST /api/questions/ID/comments */
int question_api_promote_post(struct req *r);      /* POST /api/questions/ID/promote */
int question_api_put(struct req *r);
int question_api_vote_post(struct req *r);         /* POST /api/answers/ID/vote */
int question_api_accept_post(struct req *r);       /* POST /api/answers/ID/accept */
int question_api_answer_put(struct req *r);
int question_api_answer_delete(struct req *r);

#endif
