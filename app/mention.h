/* mention: @login in Markdown text (questions, answers and comments), for the inbox. */
#ifndef KEN_MENTION_H
#define KEN_MENTION_H
#include "arena.h"

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

#endif
