/* multipart: a strict multipart/form-data parser (RFC 7578) for a body already in memory. */
#ifndef KEN_MULTIPART_H
#define KEN_MULTIPART_H
#include "core/arena.h"
#include <stddef.h>

enum { MULTIPART_MAX_PARTS = 64, MULTIPART_HEADERS_MAX = 8192 };

struct multipart_part {
    const char *name;         /* the form field's name (never NULL), in the arena */
    const char *filename;     /* as the client sent it; NULL when the part is not a file */
    const char *content_type; /* the part's Content-Type, or NULL; ken never trusts it */
    const char *data;         /* the part's bytes: points into the body, not NUL-terminated */
    size_t len;
    struct multipart_part *next;
};

/* Returns the boundary named by a Content-Type header value ("multipart/form-data;
 * boundary=XYZ", quoted or not), in a; NULL when the value is not multipart/form-data or has no
 * valid boundary (1 to 70 characters, RFC 2046). */
const char *multipart_boundary(struct arena *a, const char *content_type);

/* Parses `len` bytes of body with `boundary`. The body must start with the first delimiter and
 * end with the closing one (an epilogue after it is ignored); each part needs a
 * Content-Disposition: form-data with a name. Returns the parts in order (in a; their data
 * points into body, which must outlive them), or NULL with *why saying what is wrong (static
 * text). A body with no parts at all is an error too. */
struct multipart_part *multipart_parse(struct arena *a, const char *body, size_t len,
                                       const char *boundary, const char **why);

/* Returns the first part called `name`, or NULL. */
const struct multipart_part *multipart_find(const struct multipart_part *parts, const char *name);

#endif
