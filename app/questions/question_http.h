/* question_http: asking, answering, commenting, voting, accepting, promoting to a page; the
 * question lists and search; and the JSON API for them (handlers only; SQL in question_store). */
#ifndef KEN_QUESTION_HTTP_H
#define KEN_QUESTION_HTTP_H
#include "http/request.h"

int question_list_page(struct req *r);
int question_page(struct req *r);
int question_post(struct req *r);
int question_answer_page(struct req *r);
int question_answer_post(struct req *r);
int question_ask_form(struct req *r);
int question_ask_post(struct req *r);

int question_api_list(struct req *r);
int question_api_ask(struct req *r);
int question_api_get(struct req *r);
int question_api_post(struct req *r);
int question_api_put(struct req *r);
int question_api_answer_post(struct req *r);
int question_api_answer_put(struct req *r);
int question_api_answer_delete(struct req *r);

#endif
