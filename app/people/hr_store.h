/* hr_store: what HR looks for across departments (the SQL for it): people by the skills they have
 * (with a minimum level) or want to use, with the HR-only career fields; "hidden talent", people
 * whose practised or expert skills are unusual in their department; and the look-ups the people
 * import from an HR system needs.
 *
 * Visibility is decided as everywhere by people_store_visible_fields: a career field the person
 * keeps private is NULL in every result, even for HR, and never matches a filter. Results live in
 * the arena `a`. */
#ifndef KEN_HR_STORE_H
#define KEN_HR_STORE_H
#include "core/arena.h"
#include "core/db.h"
#include "accounts/user_store.h"

/* A department's "usual" skills are those at least this share (in percent) of its people hold. */
enum { HR_USUAL_PERCENT = 30 };

struct hr_query {
    const char *skill;     /* a skill name, alias or slug, or a skill category ("programming"):
                            * people who have it (or a skill of the category) ... */
    int min_level;         /* ... at this level or above (1 learning, 2 practised, 3 expert) */
    const char *want;      /* a skill they would like to use more (want_skills, an HR-only field) */
    const char *dept;      /* a department slug */
    int dept_not;          /* 1: everyone outside dept (and people with no department) */
    int open_only;         /* only people open to new roles (open_to_roles set) */
    const char *mentoring; /* "offering" or "seeking" (people who said "both" match either) */
};

/* A person in an HR result, with the career fields `viewer` may see (NULL when hidden). */
struct hr_person {
    int64_t id;
    const char *login, *name, *title, *dept_slug, *dept_name, *team_name;
    const char *skill_name, *skill_slug; /* the skill searched for or the unusual skill; for a
                                          * category, the person's skills in it ("Go, Python") */
    const char *category;                /* that skill's category ("" when none or none asked) */
    int level;                           /* its level, 0 when no skill was asked for */
    int dept_holders, dept_size;         /* hidden talent: who in the department hold the skill */
    const char *open_to_roles, *want_skills, *mentoring;
    const char *email; /* NULL when the viewer may not see it */
    struct hr_person *next;
};

/* Returns 1 when q asks for anything at all (a query with no criteria lists nobody). */
int hr_query_any(const struct hr_query *q);
/* Returns the people (who have not left) matching q as `viewer` may see them: by level, then
 * name. *unknown_skill is set when q->skill names neither a skill nor a category (then nobody
 * matches). */
struct hr_person *hr_store_search(struct db *db, struct arena *a, const struct user *viewer,
                                  const struct hr_query *q, int *unknown_skill);

/* A skill that some people practise outside the departments where it is usual. */
struct hr_talent {
    const char *skill_name, *skill_slug, *category;
    const char *usual_in; /* where it is usual: "Engineering, Supply Chain (Operations)", or "" */
    struct hr_person *people; /* by level (expert first), then name */
    struct hr_talent *next;
};
/* Returns the hidden talent, by skill name: people (who have not left) with a practised or expert
 * skill that fewer than HR_USUAL_PERCENT of their department's people hold, and that is not usual
 * in their team either (held by at least two of its people and HR_USUAL_PERCENT of them).
 * q (may be NULL) narrows it as it narrows hr_store_search: the skill or category, the level,
 * the department (or everyone outside it), open to new roles, mentoring and wanted skills;
 * skills left with nobody are left out. *unknown_skill as for hr_store_search. */
struct hr_talent *hr_store_hidden_talent(struct db *db, struct arena *a,
                                         const struct user *viewer, const struct hr_query *q,
                                         int *unknown_skill);

/* A department and its usual skills ("Excel, IFRS, Accounting"). */
struct hr_usual {
    const char *dept_slug, *dept_name, *skills;
    int size;
    struct hr_usual *next;
};
/* Returns every department with people, by name, and the skills usual in it. */
struct hr_usual *hr_store_usual_skills(struct db *db, struct arena *a);

/* ---- for the import from an HR system ---- */

/* Returns the login of the person whose profile email is `email` (any case), or NULL (also
 * when several people share it). In a. */
const char *hr_store_login_by_email(struct db *db, struct arena *a, const char *email);
/* Sets `user_id`'s role. Returns 0 or -1. */
int hr_store_set_role(struct db *db, int64_t user_id, enum role role);
/* Someone the import may mark as having left. */
struct hr_account {
    const char *login, *name;
    enum role role;
    struct hr_account *next;
};
/* Returns everyone who has not left, by login. */
struct hr_account *hr_store_current(struct db *db, struct arena *a);

#endif
