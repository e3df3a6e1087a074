/* people_perm: who may see and edit which profile field. The one place these rules live: every
 * page, API answer, search index, feed and graph that shows profile fields asks here. */
#ifndef KEN_PEOPLE_PERM_H
#define KEN_PEOPLE_PERM_H
#include "accounts/user.h"

#include <stdint.h>

enum { PEOPLE_FIELDS_MAX = 32 }; /* room for people_fields, in arrays indexed like it */

enum visibility { VIS_EVERYONE = 0, VIS_HR = 1, VIS_PRIVATE = 2 };

struct profile_field {
    const char *name;            /* column in profiles, and the key in forms and the API */
    const char *label;           /* for people */
    enum visibility dflt;        /* when the person has not chosen */
    int fixed;                   /* 1: always visible to everyone (org structure), not choosable */
};

/* The profile fields, ending with {NULL}. */
extern const struct profile_field people_fields[];
/* Returns the field called `name`, or NULL. */
const struct profile_field *people_field(const char *name);

enum visibility visibility_parse(const char *s); /* -1 when not one of the three */
const char *visibility_name(enum visibility v);

/* Returns 1 when `viewer` (NULL: anonymous) may see a field at level `level` of person `subject_id`. */
int people_may_see(const struct user *viewer, int64_t subject_id, enum visibility level);
/* Returns 1 when `viewer` may edit person `subject_id`'s profile: themselves, HR and admins. */
int people_may_edit(const struct user *viewer, int64_t subject_id);
/* Returns 1 when `viewer` may change field of subject: HR and admins may not touch a field the
 * person made private (they cannot see it either). */
int people_may_edit_field(const struct user *viewer, int64_t subject_id, enum visibility level);

#endif
