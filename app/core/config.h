/* config: how ken serve was asked to run (flags, then KEN_* environment, then defaults). */
#ifndef KEN_CONFIG_H
#define KEN_CONFIG_H
#include <stddef.h>

struct config {
    const char *db_path;
    const char *listen;          /* host:port */
    int threads;
    const char *access_log;      /* "-" stdout, "off", or a file path */
    const char *trusted_header;  /* e.g. X-Remote-User; NULL: no single sign-on */
    const char *trusted_proxy;   /* address whose X-Forwarded-* and trusted_header are believed */
    size_t max_body;             /* largest request body accepted, bytes */
    size_t max_upload;           /* largest file accepted (uploads may exceed max_body), bytes */
};

#endif
