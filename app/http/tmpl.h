/* tmpl: HTML templates from web/NAME.html, a small Mustache subset, escaping by default.
 *   {{name}}      the value, HTML-escaped (text or html values alike)
 *   {{{name}}}    an html value unescaped; a text value here is an error (html values come only
 *                 from tv_html: the sanitiser, or markup ken built itself)
 *   {{#name}}…{{/name}}  a list: once per item; a true/non-empty value: once; absent: never
 *   {{^name}}…{{/name}}  once when the value is absent, false, empty or an empty list
 *   {{>name}}     the template web/name.html;   {{! comment }}
 * Templates are parsed once by tmpl_init; a syntax error or a missing partial stops start-up.
 * A {{name}} with no value at render time is an error, not an empty string. */
#ifndef KEN_TMPL_H
#define KEN_TMPL_H
#include "core/arena.h"
#include "core/buf.h"

struct tvars;

/* Parses every embedded web/NAME.html. Returns 0, or -1 after printing what is wrong. Call once. */
int tmpl_init(void);
void tmpl_shutdown(void);
/* Adds a template from `text` (which must outlive it). Returns 0 or -1 on a syntax error. */
int tmpl_add(const char *name, const char *text);
/* Returns 0 when every partial that templates use exists, else -1 after saying which. */
int tmpl_check(void);
/* Returns 1 when a template called `name` (web/NAME.html) exists. */
int tmpl_exists(const char *name);

/* A scope of values, allocated in `a`; lookups fall back to `parent`. */
struct tvars *tv_new(struct arena *a, struct tvars *parent);
/* Values are not copied: they must live as long as the arena (use arena strings). */
void tv_text(struct tvars *v, const char *name, const char *text); /* NULL is stored as "" */
void tv_html(struct tvars *v, const char *name, const char *html);
void tv_bool(struct tvars *v, const char *name, int on);
void tv_int(struct tvars *v, const char *name, long long n); /* as text */
/* Appends an item to the list `name` (created empty if needed) and returns the item's scope. */
struct tvars *tv_item(struct tvars *v, const char *name);
/* Declares list `name` (empty until items are added) so {{^name}} and {{#name}} work. */
void tv_list(struct tvars *v, const char *name);

/* Renders template `name` with `v` into b. Returns 0, or -1 after logging the template error. */
int tmpl_render(struct buf *b, const char *name, struct tvars *v);

#endif
