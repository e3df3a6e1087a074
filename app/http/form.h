/* form: request parameters and JSON bodies parsed from bytes, with no connection, so that the
 * same code serves requests (request.c reads the bytes and calls these) and the fuzzer. */
#ifndef KEN_FORM_H
#define KEN_FORM_H
#include "core/arena.h"

#include <jansson.h>
#include <stddef.h>

struct param {
    const char *name, *value;
    struct param *next;
};

/* Parses n bytes of application/x-www-form-urlencoded text ("a=1&b=x%20y"), putting each
 * parameter in front of *params (so the last of a repeated name is found first), names and
 * values in a. In a query string (query 1) control characters become spaces; in a form body
 * they are refused, since they would be stored. Returns 0, or 400 with *why (static) when a
 * name or value is badly encoded or not UTF-8 text. */
int form_parse_urlencoded(struct arena *a, const char *s, size_t n, int query,
                          struct param **params, const char **why);

/* Parses len bytes as a JSON object. Returns it (the caller owns it: json_decref), or NULL with
 * *why (in a) saying what is wrong and where. */
json_t *form_json_object(struct arena *a, const char *body, size_t len, const char **why);

/* Reads a "tags" member given as one string ("a, b") or as an array of strings. Returns the tags
 * as one string (an array's joined by commas), "" when it is missing or null, in a; NULL when it
 * is anything else. */
const char *form_json_tags(struct arena *a, const json_t *tags);

#endif
