/* token_http: a person's API tokens: make one (read or read-write), see them, revoke them. */
#ifndef KEN_TOKEN_HTTP_H
#define KEN_TOKEN_HTTP_H
#include "http/request.h"

int token_page(struct req *r);
int token_make(struct req *r);
int token_delete(struct req *r);

#endif
