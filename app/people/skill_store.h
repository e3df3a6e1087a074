/* skill_store: the skills taxonomy (canonical names, aliases, categories, review), the skills
 * people declare with a level, and colleagues' endorsements (the SQL for skills).
 *
 * A name typed by a person is resolved, case-insensitively, against skill names, then aliases,
 * then slugs: "k8s", "Kubernetes" and "kubernetes" all find Kubernetes. Every function that takes
 * a typed name resolves it this way. Functions that write open their own transaction (a
 * savepoint when one is open already). Results live in the arena `a`. */
#ifndef KEN_SKILL_STORE_H
#define KEN_SKILL_STORE_H
#include "core/arena.h"
#include "core/db.h"

enum skill_level { SKILL_LEARNING = 1, SKILL_PRACTISED = 2, SKILL_EXPERT = 3 };
enum { SKILL_NAME_MAX = 60, SKILL_CATEGORY_MAX = 60, SKILL_YEARS_MAX = 60, SKILL_SUGGEST_MAX = 10 };

/* A string in a list (aliases, categories). */
struct skill_name {
    const char *text;
    struct skill_name *next;
};

struct skill {
    int64_t id;
    const char *slug, *name, *category;
    int reviewed;               /* 0: typed by someone, not curated yet */
    int people;                 /* people (current staff) who declared it; lists only */
    struct skill_name *aliases; /* by alias; filled by skill_store_list and skill_store_get */
    const char *matched_alias;  /* suggestions only: the alias that matched the prefix, or NULL */
    struct skill *next;
};

/* Someone who declared a skill (skill pages). */
struct skill_holder {
    const char *login, *name, *department; /* department "" when the profile has none */
    int level, years;                      /* years -1: not given */
    int endorsements;
    struct skill_holder *next;
};

/* Someone who endorsed a person's skill. */
struct skill_endorser {
    const char *login, *name;
    struct skill_endorser *next;
};

/* One skill a person declared (profiles), with its endorsements. */
struct person_skill {
    int64_t skill_id;
    const char *slug, *name, *category;
    int reviewed, level, years; /* years -1: not given */
    int endorsements;
    int endorsed_by_viewer;
    struct skill_endorser *endorsers; /* by name */
    struct person_skill *next;
};

/* Returns "learning", "practised" or "expert" (static), or "" for anything else. */
const char *skill_level_name(int level);
/* Returns the level for "learning"|"practised"|"practiced"|"expert" or "1".."3", else 0. */
int skill_level_parse(const char *s);

/* Returns a skill name or alias as stored: surrounding space trimmed, inner runs of white space
 * made one space, in a. NULL with *why (static) when empty, longer than SKILL_NAME_MAX bytes, not
 * UTF-8, holding control characters or commas, or without a single letter or digit. */
char *skill_name_normalise(struct arena *a, const char *in, const char **why);
/* Returns the URL slug for a (normalised) name, in a: lowercase a-z0-9 words joined by '-', with
 * '+' spelled "plus" and '#' "sharp" ("C++" -> "c-plus-plus") and Latin-1 accents dropped
 * ("Português" -> "portugues"); "skill" when nothing usable is left. Never NULL. */
char *skill_slug(struct arena *a, const char *name);

/* Returns the skill whose name, alias or slug is `text` (normalised first), or NULL. Aliases are
 * not filled in. */
struct skill *skill_store_resolve(struct db *db, struct arena *a, const char *text);
/* Returns the skill with this slug, with its aliases, or NULL. */
struct skill *skill_store_get(struct db *db, struct arena *a, const char *slug);
/* Returns every skill with aliases and people counts, by category ("" last) then name. */
struct skill *skill_store_list(struct db *db, struct arena *a);
/* Returns at most `limit` skills whose name or an alias starts with `prefix` (case-insensitive):
 * reviewed ones first, then the most declared. NULL when none or the prefix is empty. */
struct skill *skill_store_suggest(struct db *db, struct arena *a, const char *prefix, int limit);
/* Returns the slugs of the reviewed skills the tags name (by slug, name or alias): slugs[i] for
 * tags[i], NULL where a tag names none; one query for them all. The array and slugs are in a. */
const char **skill_store_tag_slugs(struct db *db, struct arena *a, const char *const *tags, int n);

/* Adds a skill. Returns its id, or -1 with *why: 400 bad name, 409 when the name is taken by a
 * skill or an alias (*status gets the code). */
int64_t skill_store_add(struct db *db, struct arena *a, const char *name, const char *category,
                        int reviewed, int *status, const char **why);

/* Curation. Each returns 0, or an HTTP status (400, 404, 409, 500) with *why (static or in a). */
/* Renames skill `id` (new slug too); the old name stays as an alias. */
int skill_store_rename(struct db *db, struct arena *a, int64_t id, const char *name,
                       const char **why);
int skill_store_set_category(struct db *db, struct arena *a, int64_t id, const char *category,
                             const char **why);
int skill_store_set_reviewed(struct db *db, int64_t id, int reviewed, const char **why);
int skill_store_alias_add(struct db *db, struct arena *a, int64_t id, const char *alias,
                          const char **why);
int skill_store_alias_remove(struct db *db, struct arena *a, int64_t id, const char *alias,
                             const char **why);
/* Merges skill `from` into `into` in one transaction: aliases, declarations (the higher level and
 * the longer years win where a person has both) and endorsements (no duplicates) move to `into`,
 * `into` takes `from`'s category when it has none, `from` is deleted and its name becomes an
 * alias of `into`. */
int skill_store_merge(struct db *db, struct arena *a, int64_t from, int64_t into, const char **why);

/* A person's declarations. */
/* Declares (or updates) skill `text` for user_id at `level` (1-3) with `years` (-1: not given,
 * and an update keeps the years recorded before).
 * An unknown name becomes a new unreviewed skill. Returns 201 added, 200 updated, or 400/500
 * with *why; *skill gets the skill and *created 1 when it was made now. */
int skill_store_person_set(struct db *db, struct arena *a, int64_t user_id, const char *text,
                           int level, int years, struct skill **skill, int *created,
                           const char **why);
/* Removes skill `text` from user_id, with the endorsements it had. Returns 200, or 404 with *why
 * (no such skill, or not declared). *skill gets the skill when found. */
int skill_store_person_remove(struct db *db, struct arena *a, int64_t user_id, const char *text,
                              struct skill **skill, const char **why);
/* Returns user_id's skills, the highest level first, then by name; endorsed_by_viewer is set for
 * viewer_id (0: nobody). */
struct person_skill *skill_store_person_skills(struct db *db, struct arena *a, int64_t user_id,
                                               int64_t viewer_id);
/* Endorses (on=1) or withdraws (on=0) endorser_id's endorsement of user_id's skill `text`; an
 * endorsement counts once however often it is sent. Returns 200, or 400 (yourself; a skill the
 * person has not declared) / 404 (no such skill) with *why. *count gets the endorsements now. */
int skill_store_endorse(struct db *db, struct arena *a, int64_t user_id, const char *text,
                        int64_t endorser_id, int on, struct skill **skill, int *count,
                        const char **why);

/* Skill pages. */
/* Returns who declared skill_id: highest level first, then by department ("" last), the most
 * endorsed, name. People who left or whose account is disabled are not listed. */
struct skill_holder *skill_store_holders(struct db *db, struct arena *a, int64_t skill_id);
/* Returns the pages tagged with the skill's slug, name or an alias, by title. */
struct page_item;
struct page_item *skill_store_pages(struct db *db, struct arena *a, int64_t skill_id);

#endif
