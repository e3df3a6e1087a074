/* synonym_http: /admin/synonyms and /api/synonyms, the synonym sets admins keep for search. */
#ifndef KEN_SYNONYM_HTTP_H
#define KEN_SYNONYM_HTTP_H
#include "http/request.h"

int synonym_page(struct req *r);
int synonym_add(struct req *r);
int synonym_delete(struct req *r);
int synonym_api_list(struct req *r);
int synonym_api_add(struct req *r);
int synonym_api_delete(struct req *r);

#endif
