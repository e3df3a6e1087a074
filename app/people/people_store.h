/* people_store: profiles, their history and the directory (the SQL for people). Who may see or
 * change a field is decided in people_perm.c; this module asks it everywhere, and hands handlers
 * only what the reader may see (people_store_view, people_store_list, people_store_history). */
#ifndef KEN_PEOPLE_STORE_H
#define KEN_PEOPLE_STORE_H
#include "core/arena.h"
#include "core/db.h"
#include "people/people_perm.h"
#include "people/visibility_store.h"
#include "accounts/user_store.h"

enum { PEOPLE_PHOTO_MAX = 2 << 20 };

/* Returns the index of field `name` in people_fields, or -1. */
int people_field_index(const char *name);

/* A profile. values[i] belongs to people_fields[i], as forms and the API write it: department and
 * team are slugs, manager a login, photo the photo's media type ("" for none), bio the Markdown.
 * In a person from people_store_view, a field the reader may not see is NULL (and its level is
 * VIS_PRIVATE), and so are the display values made from it (bio_html, *_name). */
struct person {
    int64_t id;
    const char *login, *name;
    enum role role;
    const char *values[PEOPLE_FIELDS_MAX];
    enum visibility levels[PEOPLE_FIELDS_MAX];
    const char *department_name, *team_name, *manager_name, *bio_html;
    int64_t manager_id;   /* 0: none */
    int manager_left;     /* 1: the manager has left */
    int64_t left_at;      /* 0: still here */
    int64_t updated_at;   /* any change; never shown (it would date changes to hidden fields) */
    int64_t photo_at;     /* when the photo last changed: its version in URLs */
};

/* Returns everyone's view of person `login` (left or not), every field filled, in a; NULL when
 * there is no such person. Only for code that writes, or that redacts with
 * people_store_visible_fields: anything shown to a reader comes from people_store_view. */
struct person *people_store_get(struct db *db, struct arena *a, const char *login);

/* THE CALL FOR ANYTHING THAT SHOWS PROFILE FIELDS (pages, API, search, feeds, the graph):
 * fills visible[i] with 1 when `viewer` (NULL: anonymous) may see people_fields[i] of person
 * `subject_id`, else 0, from the levels the person chose (people_perm.c decides). A search index
 * or feed shared by several readers must hold only fields visible to every one of them: index a
 * field only when people_store_visible_fields says so for a plain viewer (role ROLE_VIEWER, another
 * id), or filter each hit again with this function for the reader at query time.
 * Returns 0, or -1 on a database error (then visible[] is all 0). */
int people_store_visible_fields(struct db *db, const struct user *viewer, int64_t subject_id,
                                int visible[PEOPLE_FIELDS_MAX]);

/* Returns person `login` as `viewer` may see them (hidden fields NULL; see struct person), in a,
 * or NULL when there is no such person. */
struct person *people_store_view(struct db *db, struct arena *a, const struct user *viewer,
                                 const char *login);

/* A change to a profile. Fields left NULL (levels -1) stay as they are. */
struct people_edit {
    const char *name;                      /* the person's name (users.name) */
    const char *values[PEOPLE_FIELDS_MAX]; /* as in struct person; photo cannot be set here */
    int levels[PEOPLE_FIELDS_MAX];         /* an enum visibility, or -1 */
};
void people_edit_init(struct people_edit *e);

/* Checks and saves an edit of `login`'s profile by `editor` (NULL: an import, which skips the
 * permission checks and records no editor), with one profile_revisions row of what changed, all
 * in one transaction; an edit that changes nothing writes nothing. Returns 0, or an HTTP status
 * with *why (static or in a): 404 no such person; 403 the editor may not edit this person, or
 * touches a field the person keeps private, or sets someone else's visibility; 400 a bad value,
 * an unknown department, team or manager, or a manager that would make a loop; 503. */
int people_store_save(struct db *db, struct arena *a, const struct user *editor, const char *login,
                      const struct people_edit *e, const char **why);

/* Replaces (data non-NULL) or removes (data NULL) `login`'s photo; `type` is the sniffed media
 * type. Same permission rules and statuses as people_store_save (the photo field). */
int people_store_set_photo(struct db *db, struct arena *a, const struct user *editor,
                           const char *login, const void *data, size_t len, const char *type,
                           const char **why);
/* Returns `login`'s photo bytes (in a) when `viewer` may see it, with *type and *photo_at (its
 * version); NULL when there is none or it is hidden from the viewer. */
const void *people_store_photo(struct db *db, struct arena *a, const struct user *viewer,
                               const char *login, size_t *len, const char **type,
                               int64_t *photo_at);

/* Marks `login` as having left (left 1: profiles.left_at now, users.disabled 1, so they can no
 * longer sign in, and their sessions, API tokens and feed token deleted, so that coming back
 * revives none of them) or back (0). Recorded in the history. Returns 0 or an HTTP status with
 * *why (404; 409 already so, or they are the only admin who can sign in; 503). The caller
 * checks that the editor is HR or an admin. */
int people_store_set_left(struct db *db, struct arena *a, const struct user *editor,
                          const char *login, int left, const char **why);

/* Renders every bio again (after the Markdown renderer changed), in one transaction, for
 * `ken reindex`. Returns 0 or -1. */
int people_store_reindex(struct db *db, struct arena *a);

/* One field's change in a profile revision. */
struct profile_change {
    const char *field, *label; /* field "name", "left", a people_fields name, or "visibility:F" */
    const char *old, *new;
    struct profile_change *next;
};
struct profile_revision {
    int64_t created_at;
    const char *editor_login, *editor_name; /* "" for imports */
    struct profile_change *changes;
    struct profile_revision *next;
};
/* Returns the history of person `subject_id`, newest first, with only the changes `viewer` may
 * see: a change is shown when the viewer may see its field both at the level it had when it was
 * made and at its level now; a revision with nothing left to show is left out altogether. In a. */
struct profile_revision *people_store_history(struct db *db, struct arena *a,
                                              const struct user *viewer, int64_t subject_id);

/* The directory. To add a filter (skills, communities): a member here, a line in PEOPLE_FILTERS
 * and bind_filters in people_store.c, and, when the filter reads a profile field that can be
 * hidden, its index in hidden_filters() so people who hide that field never match it. */
/* Relevance: with a skill, the highest declared level first, then the most endorsed; with
 * words, names that start with them first; then by name. */
enum people_sort { PEOPLE_SORT_NAME = 0, PEOPLE_SORT_START = 1, PEOPLE_SORT_RELEVANCE = 2 };
struct people_query {
    const char *dept, *team;     /* slugs */
    const char *location;        /* exact, any case */
    const char *language;        /* one of the languages, any case */
    const char *text;            /* words in the name or job title */
    const char *community;       /* slug: members (not pending) of that community */
    const char *skill;           /* slug, or a name or alias: people who declared it */
    int min_level;               /* with skill: at least this level (1 learning .. 3 expert) */
    enum people_sort sort;       /* name, or start date (newest first) */
    int include_left;
    int limit, offset;
};
/* A person in the directory, as the reader may see them (hidden fields NULL, has_photo 0). */
struct person_card {
    const char *login, *name, *title, *dept_slug, *dept_name, *team_slug, *team_name;
    const char *location, *start_date;
    int has_photo, left;
    int64_t photo_at;
    struct person_card *next;
};
/* Returns one page of the people matching q, in a; *total gets how many match in all. */
struct person_card *people_store_list(struct db *db, struct arena *a, const struct user *viewer,
                                      const struct people_query *q, int *total);
/* A value offered as a filter, and how many people have it. */
struct people_value {
    const char *value;
    int count;
    struct people_value *next;
};
/* Returns the locations and the languages that `viewer` may see on someone's profile, sorted. */
void people_store_filter_values(struct db *db, struct arena *a, const struct user *viewer,
                                struct people_value **locations, struct people_value **languages);

#endif
