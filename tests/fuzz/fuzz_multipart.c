/* libFuzzer: upload bodies. The first line of the input is the Content-Type header, the rest
 * the body. The parser must never read out of bounds, and parts must lie inside the body. */
#include "http/multipart.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const unsigned char *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    size_t hlen = (size_t)(nl - data);
    char *ctype = malloc(hlen + 1);
    memcpy(ctype, data, hlen);
    ctype[hlen] = 0;
    size_t blen = size - hlen - 1;
    char *body = malloc(blen + 1); /* a copy of exactly the body, so ASan sees overreads */
    memcpy(body, nl + 1, blen);
    struct arena *a = arena_new();
    const char *boundary = multipart_boundary(a, ctype), *why;
    if (boundary)
        for (const struct multipart_part *p = multipart_parse(a, body, blen, boundary, &why); p;
             p = p->next)
            if (p->data < body || p->data + p->len > body + blen || !p->name)
                abort();
    arena_free(a);
    free(body);
    free(ctype);
    return 0;
}
