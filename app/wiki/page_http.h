/* page_http: wiki pages as HTML and as JSON (handlers only; the SQL is in page_store). */
#ifndef KEN_PAGE_HTTP_H
#define KEN_PAGE_HTTP_H
#include "http/request.h"

int page_home(struct req *r);
int page_view(struct req *r);
int page_index(struct req *r);
int page_new_form(struct req *r);
int page_edit_form(struct req *r);
int page_edit_save(struct req *r);
int page_api_get(struct req *r);
int page_api_put(struct req *r);
int page_api_list(struct req *r);
/* PATH is r->rest (the route table, http/router.c, gives the URLs). */
int page_api_backlinks(struct req *r); /* GET /api/pages/PATH/backlinks */
int page_api_move(struct req *r);      /* POST /api/pages/PATH/move */
int page_api_revert(struct req *r);    /* POST /api/pages/PATH/revert */
int page_api_delete(struct req *r);

/* API: POST /api/preview: the editor's live preview. */
int page_api_preview(struct req *r);

#endif
