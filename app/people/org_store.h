/* org_store: the organisation: departments, teams and the manager links between people (the SQL
 * for them). Names, logins and titles are the only person fields here: they are fixed fields that
 * every signed-in reader may see (people_perm.c), so nothing here needs a visibility check. */
#ifndef KEN_ORG_STORE_H
#define KEN_ORG_STORE_H
#include "core/arena.h"
#include "core/db.h"

/* A department or a team. For a team, dept_slug and dept_name name its department. */
struct org_unit {
    int64_t id;
    const char *slug, *name, *description;
    const char *dept_slug, *dept_name; /* teams only; "" for departments */
    int members;                       /* people (who have not left) in it */
    struct org_unit *next;
};

/* Returns every department by name, in a (NULL when there are none). */
struct org_unit *org_store_departments(struct db *db, struct arena *a);
/* Returns the teams, by department then name; only department `dept_id`'s when it is not 0. */
struct org_unit *org_store_teams(struct db *db, struct arena *a, int64_t dept_id);
/* Returns the department or team with `slug`, in a, or NULL. */
struct org_unit *org_store_department(struct db *db, struct arena *a, const char *slug);
struct org_unit *org_store_team(struct db *db, struct arena *a, const char *slug);

/* Creates a department called `name` (slug made from it). Returns its id, or -1 with *why (static
 * or in a): a name that is empty, too long or taken. `*status` gets 400 or 409. */
int64_t org_store_add_department(struct db *db, struct arena *a, const char *name,
                                 const char *description, const char **why, int *status);
/* Creates team `name` in department `dept_id` (slug from the name, or "DEPT-NAME" when another
 * department has a team of that slug). Returns its id, or -1 with *why and *status as above. */
int64_t org_store_add_team(struct db *db, struct arena *a, int64_t dept_id, const char *name,
                           const char *description, const char **why, int *status);
/* Returns the department (or team of department `dept_id`) called `name`, in a, creating it when
 * there is none. For imports and the demo. NULL on failure with *why. */
struct org_unit *org_store_ensure_department(struct db *db, struct arena *a, const char *name,
                                             const char **why);
struct org_unit *org_store_ensure_team(struct db *db, struct arena *a, int64_t dept_id,
                                       const char *name, const char **why);
/* Sets the description of department or team `id`: 0, or -1 (too long: *why). */
int org_store_set_department_description(struct db *db, int64_t id, const char *text,
                                         const char **why);
int org_store_set_team_description(struct db *db, int64_t id, const char *text, const char **why);

/* A person as the org chart shows them. */
struct org_person {
    int64_t id, manager_id; /* manager_id 0: none */
    const char *login, *name, *title, *dept_slug, *team_name;
    int left;               /* 1: has left the company */
    struct org_person *next;
};

/* Returns the manager chain above person `user_id`, the top first (the person is not in it), in
 * a. Stops at a repeated person, so a cycle already in the data cannot loop. */
struct org_person *org_store_chain(struct db *db, struct arena *a, int64_t user_id);
/* Returns the people (who have not left) whose manager is `user_id`, by name. */
struct org_person *org_store_reports(struct db *db, struct arena *a, int64_t user_id);
/* Returns the other people (who have not left) with manager `manager_id`, by name; none when
 * manager_id is 0. */
struct org_person *org_store_peers(struct db *db, struct arena *a, int64_t user_id,
                                   int64_t manager_id);
/* Returns the people (who have not left) of department `dept_id`, or team `team_id`, or everyone
 * when both are 0, by name. */
struct org_person *org_store_people(struct db *db, struct arena *a, int64_t dept_id,
                                    int64_t team_id);

/* Returns 1 when making `manager_id` the manager of `user_id` would close a loop (the person is
 * `manager_id` or above them in the chain), 0 when not, -1 on a database error. */
int org_store_manager_cycle(struct db *db, int64_t user_id, int64_t manager_id);

#endif
