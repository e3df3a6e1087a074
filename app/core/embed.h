/* embed: files compiled into the binary (schema/ migrations and web/ assets). */
#ifndef KEN_EMBED_H
#define KEN_EMBED_H
#include <stddef.h>

struct embed_file {
    const char *name; /* path relative to the source tree, e.g. "web/style.css" */
    const char *data; /* NUL-terminated; static storage */
    size_t len;
};

/* The table, ending with a {0} entry; sorted as the build listed them. */
extern const struct embed_file embed_files[];

/* Returns the embedded file called `name`, or NULL. Static storage, never freed. */
const struct embed_file *embed_find(const char *name);

#endif
