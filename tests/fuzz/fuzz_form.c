/* libFuzzer: request parameters and JSON bodies as ken parses them before any handler runs.
 * The first byte picks a query string, an urlencoded form body or a JSON body; the rest is the
 * text. Fails on a crash, a leak, a sanitizer report, a refusal without a reason, a parameter
 * that is not valid text (or holds a control character, in a query string), more parameters
 * than the text has, parameters that do not survive being encoded and parsed again, or a JSON
 * body accepted that is not an object. */
#include "http/form.h"
#include "oracle.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns the parameters encoded again (every byte but unreserved ones as %XX), in order. */
static char *encode(struct arena *a, const struct param *p)
{
    size_t n = 0;
    for (const struct param *q = p; q; q = q->next)
        n += 3 * (strlen(q->name) + strlen(q->value)) + 2;
    char *out = arena_alloc(a, n + 1), *o = out + n;
    *o = 0;
    /* The list is newest first: write it backwards so the text keeps the original order. */
    for (const struct param *q = p; q; q = q->next) {
        const char *parts[2] = {q->value, q->name};
        for (int k = 0; k < 2; k++) {
            for (size_t i = strlen(parts[k]); i-- > 0;) {
                unsigned char c = (unsigned char)parts[k][i];
                if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~", c) && c) {
                    *--o = (char)c;
                } else {
                    char hex[4];
                    snprintf(hex, sizeof hex, "%%%02X", c);
                    o -= 3;
                    memcpy(o, hex, 3);
                }
            }
            *--o = k == 0 ? '=' : '&';
        }
    }
    return p ? o + 1 : out; /* past the first '&' */
}

static void urlencoded(struct arena *a, const char *s, size_t n, int query)
{
    struct param *params = NULL;
    const char *why = NULL;
    int rc = form_parse_urlencoded(a, s, n, query, &params, &why);
    if (rc != 0 && (rc != 400 || !why))
        abort();
    size_t most = 1, count = 0;
    for (size_t i = 0; i < n; i++)
        most += s[i] == '&';
    for (const struct param *p = params; p; p = p->next, count++) {
        if (!*p->name)
            abort();
        if (!utf8_valid(p->name, strlen(p->name)) || !utf8_valid(p->value, strlen(p->value)))
            abort();
        if (query && (strpbrk(p->name, "\t\r\n\x7f") || strpbrk(p->value, "\t\r\n\x7f")))
            abort();
    }
    if (count > most || rc != 0)
        return;
    const char *again = encode(a, params);
    struct param *params2 = NULL;
    if (form_parse_urlencoded(a, again, strlen(again), query, &params2, &why) != 0)
        abort();
    const struct param *p = params, *q = params2;
    for (; p && q; p = p->next, q = q->next)
        if (strcmp(p->name, q->name) != 0 || strcmp(p->value, q->value) != 0)
            abort();
    if (p || q)
        abort();
}

static void json_body(struct arena *a, const char *s, size_t n)
{
    const char *why = NULL;
    json_t *j = form_json_object(a, s, n, &why);
    if (!j) {
        if (!why)
            abort();
        return;
    }
    if (!json_is_object(j))
        abort();
    char *dumped = json_dumps(j, JSON_COMPACT);
    if (!dumped || !oracle_utf8(dumped, strlen(dumped)))
        abort();
    free(dumped);
    json_decref(j);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (!size)
        return 0;
    size_t n = size - 1;
    char *s = malloc(n + 1); /* request.c hands over NUL-terminated text of known length */
    memcpy(s, data + 1, n);
    s[n] = 0;
    struct arena *a = arena_new();
    switch (data[0] % 3) {
    case 0: urlencoded(a, s, n, 1); break;
    case 1: urlencoded(a, s, n, 0); break;
    default: json_body(a, s, n); break;
    }
    arena_free(a);
    free(s);
    return 0;
}
