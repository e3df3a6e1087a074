/* attach_http: files attached to pages: upload (form, drag and drop, API), lists, downloads
 * (handlers only; the SQL is in attach_store, the type detection in sniff). */
#ifndef KEN_ATTACH_HTTP_H
#define KEN_ATTACH_HTTP_H
#include "http/request.h"
#include "http/tmpl.h"

int attach_file_get(struct req *r);
int attach_upload(struct req *r);
int attach_list_page(struct req *r);
int attach_api_upload(struct req *r);
/* GET /api/pages/PATH/attachments (the list) and /api/pages/PATH/attachments/NAME (the file);
 * PATH is r->rest, NAME r->args[1]. */
int attach_api_list(struct req *r);
int attach_api_file(struct req *r);
/* Adds what web/page.html shows about the attachments of page `page_id` at `path` to v: the
 * list "attachments", show_attachments, and the upload form's values. */
void attach_page_vars(struct req *r, struct tvars *v, int64_t page_id, const char *path);

/* API: POST /api/drafts/KEY?name=NAME: a file for the editor of a page not yet saved. */
int attach_api_draft_upload(struct req *r);
/* WEBPAGE: GET /drafts/KEY/NAME: one's own draft file. */
int attach_draft_get(struct req *r);

#endif
