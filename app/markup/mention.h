/* mention: @login in Markdown text (questions, answers, comments and wiki pages), for the inbox
 * and for the links to profiles in rendered pages. */
#ifndef KEN_MENTION_H
#define KEN_MENTION_H
#include "core/arena.h"

enum { MENTION_MAX = 20 }; /* more than this many people in one text are not all told */

struct mention {
    const char *login; /* lowercase, a valid login by user_login_check's rules */
    struct mention *next;
};

/* Returns the distinct logins written as @login in Markdown `md`, in the order they first
 * appear, at most MENTION_MAX, in a (NULL when none). Not mentions: an @ inside a code span
 * or a fenced or indented code block, an @ right after a letter, digit or one of ._-+ (an
 * e-mail address such as ana@example.com), and an @ not followed by a login. A login ends before
 * the first character a login may not hold; a '.' or '-' at its end belongs to the sentence
 * ("ask @priya."). Letters are taken as lowercase. Only the syntax is checked: whether such a
 * person exists is the caller's question. */
struct mention *mention_parse(struct arena *a, const char *md);
/* As mention_parse, but at most `max` logins (any number when max <= 0). */
struct mention *mention_parse_max(struct arena *a, const char *md, int max);

/* Returns the logins @mentioned in `after` but not in `before` (the earlier text, or NULL for
 * none), by mention_parse's rules and in its order, in a (NULL when none): the people a new
 * version of a text mentions for the first time. A mention that only moved, changed case or
 * appears once more is not new; one that was only inside code before is. Not capped at
 * MENTION_MAX (the caller decides how many people to tell). */
struct mention *mention_added(struct arena *a, const char *before, const char *after);

/* Finds the first mention in the plain text s[0..len) (a text node of a Markdown document: no
 * code is looked for, and the character before s counts as a space). Returns 1 and sets
 * [*start, *end) to the login after the @ (as written, any case), or 0 when there is none. */
int mention_next(const char *s, size_t len, size_t *start, size_t *end);

#endif
