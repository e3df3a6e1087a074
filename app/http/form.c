#include "http/form.h"
#include "core/buf.h"
#include "core/utf8.h"

#include <civetweb.h>
#include <string.h>

/* Control characters in a query string (a search box pasted into) become spaces; a form body
 * that holds them is refused, since it would be stored. */
static void blank_controls(char *s, int n)
{
    for (int i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            s[i] = ' ';
}

int form_parse_urlencoded(struct arena *a, const char *s, size_t n, int query,
                          struct param **params, const char **why)
{
    const char *end = s + n;
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        if (!amp)
            amp = end;
        const char *eq = memchr(s, '=', (size_t)(amp - s));
        const char *name_end = eq ? eq : amp;
        if (name_end > s) {
            size_t nlen = (size_t)(name_end - s), vlen = eq ? (size_t)(amp - eq - 1) : 0;
            char *name = arena_alloc(a, nlen + 1), *value = arena_alloc(a, vlen + 1);
            int dn = mg_url_decode(s, (int)nlen, name, (int)nlen + 1, 1);
            int dv = eq ? mg_url_decode(eq + 1, (int)vlen, value, (int)vlen + 1, 1) : 0;
            if (query && dn >= 0 && dv >= 0) {
                blank_controls(name, dn);
                blank_controls(value, dv);
            }
            if (dn < 0 || dv < 0 || !utf8_valid(name, (size_t)dn) || !utf8_valid(value, (size_t)dv)) {
                *why = "the request has a parameter that is not valid UTF-8 text";
                return 400;
            }
            struct param *p = arena_alloc(a, sizeof *p);
            p->name = name;
            p->value = value;
            p->next = *params;
            *params = p;
        }
        s = amp + 1;
    }
    return 0;
}

json_t *form_json_object(struct arena *a, const char *body, size_t len, const char **why)
{
    json_error_t err;
    if (!len) {
        *why = "the request needs a JSON object as its body";
        return NULL;
    }
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        *why = arena_printf(a, "the body is not a JSON object (%s at byte %d)",
                            j ? "not an object" : err.text, err.position);
        return NULL;
    }
    return j;
}

const char *form_json_tags(struct arena *a, const json_t *tags)
{
    if (!tags || json_is_null(tags))
        return "";
    if (json_is_string(tags))
        return arena_strdup(a, json_string_value(tags));
    if (!json_is_array(tags))
        return NULL;
    struct buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < json_array_size(tags); i++) {
        const json_t *t = json_array_get(tags, i);
        if (!json_is_string(t)) {
            buf_free(&b);
            return NULL;
        }
        buf_printf(&b, "%s%s", i ? "," : "", json_string_value(t));
    }
    return arena_adopt(a, buf_take(&b));
}
