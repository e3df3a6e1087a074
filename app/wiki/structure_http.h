/* structure_http: how pages hang together: backlinks, wanted and orphaned pages, space homes,
 * moving, deleting and the trash. */
#ifndef KEN_STRUCTURE_HTTP_H
#define KEN_STRUCTURE_HTTP_H
#include "http/request.h"

int structure_backlinks(struct req *r);
int structure_wanted(struct req *r);
int structure_orphans(struct req *r);
int structure_space(struct req *r);
int structure_move_form(struct req *r);
int structure_move(struct req *r);
int structure_delete(struct req *r);
int structure_trash(struct req *r);
int structure_restore(struct req *r);
int structure_api_trash(struct req *r);
int structure_api_restore(struct req *r);

#endif
