/* static_http: web/static/ files from the binary, cached by browsers. */
#ifndef KEN_STATIC_HTTP_H
#define KEN_STATIC_HTTP_H
#include "http/request.h"

/* WEBPAGE: GET /static/NAME -> 200 with the file, 304 when the ETag matches, 404 */
int static_get(struct req *r);
/* WEBPAGE: GET /favicon.ico -> the SVG logo */
int static_favicon(struct req *r);

#endif
