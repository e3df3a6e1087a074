/* sniff: what a file is, judged by its bytes alone (a file's name never decides its type). */
#ifndef KEN_SNIFF_H
#define KEN_SNIFF_H
#include <stddef.h>

/* Returns the media type of `len` bytes: image/png, image/jpeg, image/gif, image/webp,
 * application/pdf, application/zip (Office documents are zip files too), application/gzip,
 * text/html, image/svg+xml, text/plain; charset=utf-8, or application/octet-stream for anything
 * else (and for an empty file). A static string. */
const char *sniff_type(const void *data, size_t len);

/* Returns 1 when ken shows files of this type inline (raster images: png, jpeg, gif, webp);
 * everything else, SVG and HTML above all, is served only as a download. */
int sniff_inline(const char *type);

#endif
