#include "people/skill_store.h"
#include "notify/mail_store.h"
#include "search/people_search_store.h"
#include "wiki/page_store.h"
#include "core/utf8.h"
#include <jansson.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Current staff: an enabled account whose profile does not say they left. For `u` (users). */
#define ACTIVE_USER                                                                                \
    "u.disabled = 0 AND NOT EXISTS (SELECT 1 FROM profiles pr WHERE pr.user_id = u.id AND "       \
    "pr.left_at IS NOT NULL)"

/* Slugs that name API actions under /api/skills/, so no skill may have them. */
static const char *const RESERVED_SLUGS[] = {"suggest", "merge", NULL};

const char *skill_level_name(int level)
{
    switch (level) {
    case SKILL_LEARNING: return "learning";
    case SKILL_PRACTISED: return "practised";
    case SKILL_EXPERT: return "expert";
    default: return "";
    }
}

int skill_level_parse(const char *s)
{
    if (!s)
        return 0;
    if (strcmp(s, "1") == 0 || strcasecmp(s, "learning") == 0)
        return SKILL_LEARNING;
    if (strcmp(s, "2") == 0 || strcasecmp(s, "practised") == 0 || strcasecmp(s, "practiced") == 0)
        return SKILL_PRACTISED;
    if (strcmp(s, "3") == 0 || strcasecmp(s, "expert") == 0)
        return SKILL_EXPERT;
    return 0;
}

/* Returns `in` trimmed with white space runs made one space, in a; NULL with *why when it is not
 * UTF-8, holds control characters (or commas, unless allowed) or has more than `max` characters.
 * `what` names the thing in messages. */
static char *clean_text(struct arena *a, const char *in, size_t max, int commas, const char *what,
                        const char **why)
{
    size_t n = in ? strlen(in) : 0;
    if (!utf8_valid(in ? in : "", n)) {
        *why = arena_printf(a, "the %s is not valid UTF-8 text, or holds control characters", what);
        return NULL;
    }
    char *out = arena_alloc(a, n + 1);
    size_t o = 0, chars = 0;
    int space = 0;
    for (const char *p = in; p && *p; p++) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = 1;
            continue;
        }
        if (c == ',' && !commas) {
            *why = arena_printf(a, "a %s cannot contain commas (one skill at a time)", what);
            return NULL;
        }
        if (c == 0x7f) {
            *why = arena_printf(a, "the %s holds a control character", what);
            return NULL;
        }
        if (space && o) {
            out[o++] = ' ';
            chars++;
        }
        space = 0;
        out[o++] = c;
        if (((unsigned char)c & 0xC0) != 0x80)
            chars++;
    }
    out[o] = 0;
    if (chars > max) {
        *why = arena_printf(a, "a %s is at most %zu characters", what, max);
        return NULL;
    }
    return out;
}

char *skill_name_normalise(struct arena *a, const char *in, const char **why)
{
    char *s = clean_text(a, in, SKILL_NAME_MAX, 0, "skill name", why);
    if (!s)
        return NULL;
    if (!*s) {
        *why = "a skill needs a name";
        return NULL;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p >= 0x80)
            return s;
    *why = "a skill name needs at least one letter or digit";
    return NULL;
}

char *skill_slug(struct arena *a, const char *name)
{
    /* U+00C0..U+00FF (UTF-8 C3 80..C3 BF) without their accents; ' ' separates words. */
    static const char latin1[] = "aaaaaaaceeeeiiiidnooooo ouuuuyts"
                                 "aaaaaaaceeeeiiiidnooooo ouuuuyty";
    size_t n = strlen(name);
    char *out = arena_alloc(a, n * 6 + 8);
    size_t o = 0;
    int dash = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        unsigned char c = *p;
        const char *word = NULL;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            c = (unsigned char)latin1[*++p - 0x80];
        } else if (c >= 0x80) {
            while ((p[1] & 0xC0) == 0x80)
                p++;
            c = ' ';
        } else if (c == '+') {
            word = "plus";
        } else if (c == '#') {
            word = "sharp";
        } else if (c == '\'') {
            continue; /* "Women's" -> "womens" */
        }
        if (word) {
            if (o)
                out[o++] = '-';
            memcpy(out + o, word, strlen(word));
            o += strlen(word);
            dash = 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && o)
                out[o++] = '-';
            out[o++] = (char)c;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    out[o] = 0;
    return o ? out : arena_strdup(a, "skill");
}

/* Returns `base`, or base-2, base-3... : the first slug no other skill than `self` has. */
static const char *unique_slug(struct db *db, struct arena *a, const char *base, int64_t self)
{
    for (int i = 1;; i++) {
        const char *s = i == 1 ? base : arena_printf(a, "%s-%d", base, i);
        int reserved = 0;
        for (const char *const *r = RESERVED_SLUGS; *r; r++)
            reserved |= strcmp(*r, s) == 0;
        if (reserved)
            continue;
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM skills WHERE slug = :slug");
        db_bind_text(st, ":slug", s);
        int64_t owner = db_one_int(st, 0);
        if (!owner || owner == self)
            return s;
    }
}

static struct skill *skill_from_row(struct arena *a, sqlite3_stmt *st)
{
    struct skill *s = arena_alloc(a, sizeof *s);
    s->id = db_col_int(st, 0);
    s->slug = arena_strdup(a, db_col_text(st, 1));
    s->name = arena_strdup(a, db_col_text(st, 2));
    s->category = arena_strdup(a, db_col_text(st, 3));
    s->reviewed = (int)db_col_int(st, 4);
    return s;
}

static struct skill_name *aliases_of(struct db *db, struct arena *a, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT alias FROM skill_aliases WHERE skill_id = :id "
                                   "ORDER BY alias");
    db_bind_int(st, ":id", id);
    struct skill_name *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct skill_name *n = arena_alloc(a, sizeof *n);
        n->text = arena_strdup(a, db_col_text(st, 0));
        *tail = n;
        tail = &n->next;
    }
    sqlite3_reset(st);
    return head;
}

struct skill *skill_store_resolve(struct db *db, struct arena *a, const char *text)
{
    const char *why;
    char *name = skill_name_normalise(a, text, &why);
    if (!name)
        return NULL;
    sqlite3_stmt *st = db_stmt(
        db, "SELECT id, slug, name, category, reviewed, 0 AS rank FROM skills WHERE name = :t "
            "UNION ALL SELECT s.id, s.slug, s.name, s.category, s.reviewed, 1 FROM skill_aliases a "
            "JOIN skills s ON s.id = a.skill_id WHERE a.alias = :t "
            "UNION ALL SELECT id, slug, name, category, reviewed, 2 FROM skills WHERE slug = :slug "
            "ORDER BY rank LIMIT 1");
    db_bind_text(st, ":t", name);
    db_bind_text(st, ":slug", skill_slug(a, name));
    struct skill *s = db_step(st) == SQLITE_ROW ? skill_from_row(a, st) : NULL;
    sqlite3_reset(st);
    return s;
}

struct skill *skill_store_get(struct db *db, struct arena *a, const char *slug)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, slug, name, category, reviewed FROM skills "
                                   "WHERE slug = :slug");
    db_bind_text(st, ":slug", slug);
    struct skill *s = db_step(st) == SQLITE_ROW ? skill_from_row(a, st) : NULL;
    sqlite3_reset(st);
    if (s)
        s->aliases = aliases_of(db, a, s->id);
    return s;
}

struct skill *skill_store_list(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT s.id, s.slug, s.name, s.category, s.reviewed, (SELECT count(*) FROM "
            "person_skills ps JOIN users u ON u.id = ps.user_id WHERE ps.skill_id = s.id AND "
            ACTIVE_USER ") FROM skills s "
            "ORDER BY s.category = '', s.category COLLATE NOCASE, s.name");
    struct skill *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct skill *s = skill_from_row(a, st);
        s->people = (int)db_col_int(st, 5);
        *tail = s;
        tail = &s->next;
    }
    sqlite3_reset(st);
    /* Aliases in one pass, by skill then alias, onto the skills they belong to. */
    st = db_stmt(db, "SELECT skill_id, alias FROM skill_aliases ORDER BY skill_id, alias");
    while (db_step(st) == SQLITE_ROW) {
        int64_t id = db_col_int(st, 0);
        for (struct skill *s = head; s; s = s->next) {
            if (s->id != id)
                continue;
            struct skill_name *n = arena_alloc(a, sizeof *n), **t = &s->aliases;
            n->text = arena_strdup(a, db_col_text(st, 1));
            while (*t)
                t = &(*t)->next;
            *t = n;
            break;
        }
    }
    sqlite3_reset(st);
    return head;
}

struct skill *skill_store_suggest(struct db *db, struct arena *a, const char *prefix, int limit)
{
    const char *why;
    char *q = skill_name_normalise(a, prefix, &why);
    if (!q || limit < 1)
        return NULL;
    sqlite3_stmt *st = db_stmt(
        db, "SELECT s.id, s.slug, s.name, s.category, s.reviewed, "
            "CASE WHEN substr(s.name, 1, length(:q)) = :q COLLATE NOCASE THEN NULL ELSE "
            "(SELECT min(a.alias) FROM skill_aliases a WHERE a.skill_id = s.id AND "
            "substr(a.alias, 1, length(:q)) = :q COLLATE NOCASE) END, "
            "(SELECT count(*) FROM person_skills ps JOIN users u ON u.id = ps.user_id WHERE "
            "ps.skill_id = s.id AND " ACTIVE_USER ") AS people "
            "FROM skills s WHERE substr(s.name, 1, length(:q)) = :q COLLATE NOCASE OR EXISTS "
            "(SELECT 1 FROM skill_aliases a WHERE a.skill_id = s.id AND "
            "substr(a.alias, 1, length(:q)) = :q COLLATE NOCASE) "
            "ORDER BY s.reviewed DESC, (s.name = :q OR EXISTS (SELECT 1 FROM skill_aliases a "
            "WHERE a.skill_id = s.id AND a.alias = :q)) DESC, people DESC, s.name LIMIT :limit");
    db_bind_text(st, ":q", q);
    db_bind_int(st, ":limit", limit);
    struct skill *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct skill *s = skill_from_row(a, st);
        if (sqlite3_column_type(st, 5) != SQLITE_NULL)
            s->matched_alias = arena_strdup(a, db_col_text(st, 5));
        s->people = (int)db_col_int(st, 6);
        *tail = s;
        tail = &s->next;
    }
    sqlite3_reset(st);
    return head;
}

const char **skill_store_tag_slugs(struct db *db, struct arena *a, const char *const *tags, int n)
{
    const char **slugs = arena_alloc(a, (size_t)(n > 0 ? n : 1) * sizeof *slugs);
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *tag = json_string(tags[i]); /* NULL for text that is not UTF-8: matches nothing */
        json_array_append_new(list, tag ? tag : json_string(""));
    }
    char *text = json_dumps(list, JSON_COMPACT);
    json_decref(list);
    /* Three index lookups per tag, no sort: this runs on every page view. */
    sqlite3_stmt *st = db_stmt(
        db, "SELECT j.key, coalesce((SELECT slug FROM skills WHERE slug = j.value AND reviewed), "
            "(SELECT slug FROM skills WHERE name = j.value AND reviewed), "
            "(SELECT s.slug FROM skill_aliases a JOIN skills s ON s.id = a.skill_id "
            "WHERE a.alias = j.value AND s.reviewed)) FROM json_each(:tags) j");
    db_bind_text(st, ":tags", text ? text : "[]");
    while (db_step(st) == SQLITE_ROW) {
        int64_t i = db_col_int(st, 0);
        if (i >= 0 && i < n && sqlite3_column_type(st, 1) != SQLITE_NULL)
            slugs[i] = arena_strdup(a, db_col_text(st, 1));
    }
    sqlite3_reset(st);
    free(text);
    return slugs;
}

/* Returns 0 when `name` is free for skill `self` (0: a new skill), else 409 with *why: another
 * skill has it as its name or as an alias. *own_alias gets 1 when it is an alias of self. */
static int name_free(struct db *db, struct arena *a, const char *name, int64_t self,
                     int *own_alias, const char **why)
{
    *own_alias = 0;
    sqlite3_stmt *st = db_stmt(
        db, "SELECT id, name, 0 FROM skills WHERE name = :n UNION ALL SELECT s.id, s.name, 1 "
            "FROM skill_aliases a JOIN skills s ON s.id = a.skill_id WHERE a.alias = :n");
    db_bind_text(st, ":n", name);
    int rc = 0;
    while (db_step(st) == SQLITE_ROW) {
        int64_t id = db_col_int(st, 0);
        int is_alias = (int)db_col_int(st, 2);
        if (id == self) {
            *own_alias |= is_alias;
            continue;
        }
        *why = is_alias ? arena_printf(a, "“%s” is already an alias of %s", name, db_col_text(st, 1))
                        : arena_printf(a, "there is already a skill called %s; merge the two "
                                          "instead", db_col_text(st, 1));
        rc = 409;
        break;
    }
    sqlite3_reset(st);
    return rc;
}

/* Ends a write: commits when rc is 0, else rolls back. Returns rc (500 when the commit fails). */
static int finish(struct db *db, int rc, const char **why)
{
    if (rc == 0 && db_commit(db) == 0)
        return 0;
    if (rc == 0) {
        *why = "the database could not save this; try again";
        rc = 500;
    }
    db_rollback(db);
    return rc;
}

static int begin(struct db *db, const char **why)
{
    if (db_begin(db) == 0)
        return 0;
    *why = "the database is busy; try again in a moment";
    return 503;
}

static int failed(const char **why)
{
    *why = "the database could not save this; try again";
    return 500;
}

int64_t skill_store_add(struct db *db, struct arena *a, const char *name, const char *category,
                        int reviewed, int *status, const char **why)
{
    int dummy, rc;
    char *n = skill_name_normalise(a, name, why);
    char *c = n ? clean_text(a, category, SKILL_CATEGORY_MAX, 1, "category", why) : NULL;
    *status = 400;
    if (!n || !c)
        return -1;
    if ((rc = begin(db, why)) != 0) {
        *status = rc;
        return -1;
    }
    if ((rc = name_free(db, a, n, 0, &dummy, why)) == 0) {
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO skills(slug, name, category, reviewed, "
                                       "created_at) VALUES (:slug, :name, :cat, :rev, :now)");
        db_bind_text(st, ":slug", unique_slug(db, a, skill_slug(a, n), 0));
        db_bind_text(st, ":name", n);
        db_bind_text(st, ":cat", c);
        db_bind_int(st, ":rev", reviewed ? 1 : 0);
        db_bind_int(st, ":now", (int64_t)time(NULL));
        if (db_run(st) != 0)
            rc = failed(why);
    }
    int64_t id = rc == 0 ? db_last_id(db) : -1;
    if ((rc = finish(db, rc, why)) != 0) {
        *status = rc;
        return -1;
    }
    *status = 201;
    return id;
}

/* Loads skill `id` into *s (name, category). Returns 0 or 404 with *why. */
static int load(struct db *db, struct arena *a, int64_t id, struct skill **s, const char **why)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id, slug, name, category, reviewed FROM skills "
                                   "WHERE id = :id");
    db_bind_int(st, ":id", id);
    *s = db_step(st) == SQLITE_ROW ? skill_from_row(a, st) : NULL;
    sqlite3_reset(st);
    if (*s)
        return 0;
    *why = "there is no such skill";
    return 404;
}

int skill_store_rename(struct db *db, struct arena *a, int64_t id, const char *name,
                       const char **why)
{
    char *n = skill_name_normalise(a, name, why);
    if (!n)
        return 400;
    struct skill *old;
    int own_alias, rc = begin(db, why);
    if (rc || (rc = load(db, a, id, &old, why)) || (rc = name_free(db, a, n, id, &own_alias, why)))
        return finish(db, rc, why);
    if (own_alias) { /* "Postgres" named an alias: it becomes the name, and no longer an alias */
        sqlite3_stmt *st = db_stmt(db, "DELETE FROM skill_aliases WHERE alias = :n");
        db_bind_text(st, ":n", n);
        if (db_run(st) != 0)
            return finish(db, failed(why), why);
    }
    sqlite3_stmt *st = db_stmt(db, "UPDATE skills SET name = :name, slug = :slug WHERE id = :id");
    db_bind_text(st, ":name", n);
    db_bind_text(st, ":slug", unique_slug(db, a, skill_slug(a, n), id));
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0)
        return finish(db, failed(why), why);
    if (strcasecmp(old->name, n) != 0) { /* the old name still finds the skill */
        st = db_stmt(db, "INSERT OR IGNORE INTO skill_aliases(alias, skill_id) VALUES (:a, :id)");
        db_bind_text(st, ":a", old->name);
        db_bind_int(st, ":id", id);
        if (db_run(st) != 0)
            return finish(db, failed(why), why);
    }
    return finish(db, people_search_store_reindex_skill(db, id) ? failed(why) : 0, why);
}

/* Runs st, an UPDATE of one skill. Returns 0, or 404 (no such skill) or 500 with *why. */
static int update_skill(struct db *db, sqlite3_stmt *st, const char **why)
{
    if (db_run(st) != 0)
        return failed(why);
    if (db_changes(db) == 0) {
        *why = "there is no such skill";
        return 404;
    }
    return 0;
}

int skill_store_set_category(struct db *db, struct arena *a, int64_t id, const char *category,
                             const char **why)
{
    char *c = clean_text(a, category, SKILL_CATEGORY_MAX, 1, "category", why);
    if (!c)
        return 400;
    sqlite3_stmt *st = db_stmt(db, "UPDATE skills SET category = :cat WHERE id = :id");
    db_bind_text(st, ":cat", c);
    db_bind_int(st, ":id", id);
    return update_skill(db, st, why);
}

int skill_store_set_reviewed(struct db *db, int64_t id, int reviewed, const char **why)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE skills SET reviewed = :rev WHERE id = :id");
    db_bind_int(st, ":rev", reviewed ? 1 : 0);
    db_bind_int(st, ":id", id);
    return update_skill(db, st, why);
}

int skill_store_alias_add(struct db *db, struct arena *a, int64_t id, const char *alias,
                          const char **why)
{
    char *n = skill_name_normalise(a, alias, why);
    if (!n)
        return 400;
    struct skill *s;
    int own_alias, rc = begin(db, why);
    if (rc || (rc = load(db, a, id, &s, why)) || (rc = name_free(db, a, n, id, &own_alias, why)))
        return finish(db, rc, why);
    if (strcasecmp(s->name, n) == 0) {
        *why = arena_printf(a, "“%s” is the skill's own name", n);
        return finish(db, 400, why);
    }
    sqlite3_stmt *st = db_stmt(db, "INSERT OR IGNORE INTO skill_aliases(alias, skill_id) "
                                   "VALUES (:a, :id)");
    db_bind_text(st, ":a", n);
    db_bind_int(st, ":id", id);
    return finish(db, db_run(st) || people_search_store_reindex_skill(db, id) ? failed(why) : 0,
                  why);
}

int skill_store_alias_remove(struct db *db, struct arena *a, int64_t id, const char *alias,
                             const char **why)
{
    int rc = begin(db, why);
    if (rc)
        return rc;
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM skill_aliases WHERE alias = :a AND skill_id = :id");
    db_bind_text(st, ":a", alias ? alias : "");
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0)
        return finish(db, failed(why), why);
    if (db_changes(db) == 0) {
        *why = arena_printf(a, "“%s” is not an alias of this skill", alias ? alias : "");
        return finish(db, 404, why);
    }
    return finish(db, people_search_store_reindex_skill(db, id) ? failed(why) : 0, why);
}

int skill_store_merge(struct db *db, struct arena *a, int64_t from, int64_t into, const char **why)
{
    if (from == into) {
        *why = "a skill cannot be merged into itself";
        return 400;
    }
    struct skill *f, *t;
    int rc = begin(db, why);
    if (rc || (rc = load(db, a, from, &f, why)) || (rc = load(db, a, into, &t, why)))
        return finish(db, rc, why);
    static const struct {
        const char *sql;
        int into; /* has :into */
    } steps[] = {
        {"UPDATE skill_aliases SET skill_id = :into WHERE skill_id = :from", 1},
        /* Both declared: the higher level and the longer experience win. */
        {"UPDATE person_skills AS t SET level = max(t.level, f.level), years = CASE WHEN t.years "
         "IS NULL THEN f.years WHEN f.years IS NULL THEN t.years ELSE max(t.years, f.years) END "
         "FROM person_skills AS f WHERE f.skill_id = :from AND t.skill_id = :into AND "
         "f.user_id = t.user_id", 1},
        {"INSERT OR IGNORE INTO person_skills(user_id, skill_id, level, years, added_at) SELECT "
         "user_id, :into, level, years, added_at FROM person_skills WHERE skill_id = :from", 1},
        {"INSERT OR IGNORE INTO endorsements(user_id, skill_id, endorser_id, created_at) SELECT "
         "user_id, :into, endorser_id, created_at FROM endorsements WHERE skill_id = :from", 1},
        {"DELETE FROM endorsements WHERE skill_id = :from", 0},
        {"DELETE FROM person_skills WHERE skill_id = :from", 0},
        /* The skill an admin merged into counts as curated; it keeps its category if it has one. */
        {"UPDATE skills SET reviewed = 1, category = CASE WHEN category = '' THEN (SELECT "
         "category FROM skills WHERE id = :from) ELSE category END WHERE id = :into", 1},
        {"DELETE FROM skills WHERE id = :from", 0},
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        sqlite3_stmt *st = db_stmt(db, steps[i].sql);
        if (steps[i].into)
            db_bind_int(st, ":into", into);
        db_bind_int(st, ":from", from);
        if (db_run(st) != 0)
            return finish(db, failed(why), why);
    }
    sqlite3_stmt *st = db_stmt(db, "INSERT OR REPLACE INTO skill_aliases(alias, skill_id) "
                                   "VALUES (:a, :into)");
    db_bind_text(st, ":a", f->name);
    db_bind_int(st, ":into", into);
    return finish(db, db_run(st) || people_search_store_reindex_skill(db, into) ? failed(why) : 0,
                  why);
}

int skill_store_person_set(struct db *db, struct arena *a, int64_t user_id, const char *text,
                           int level, int years, struct skill **skill, int *created,
                           const char **why)
{
    *created = 0;
    *skill = NULL;
    if (level < SKILL_LEARNING || level > SKILL_EXPERT) {
        *why = "level must be learning, practised or expert";
        return 400;
    }
    if (years > SKILL_YEARS_MAX) {
        *why = "years must be a whole number from 0 to 60";
        return 400;
    }
    char *name = skill_name_normalise(a, text, why);
    if (!name)
        return 400;
    int rc = begin(db, why);
    if (rc)
        return rc;
    struct skill *s = skill_store_resolve(db, a, name);
    if (!s) { /* a new name: a skill of its own, for an admin to review */
        int status;
        int64_t id = skill_store_add(db, a, name, "", 0, &status, why);
        if (id < 0)
            return finish(db, status, why);
        if ((rc = load(db, a, id, &s, why)) != 0)
            return finish(db, rc, why);
        *created = 1;
    }
    *skill = s;
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM person_skills WHERE user_id = :u AND "
                                   "skill_id = :s");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":s", s->id);
    int existed = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    /* years < 0: not given; an update keeps what was there. */
    st = db_stmt(db, "INSERT INTO person_skills(user_id, skill_id, level, years, added_at) "
                     "VALUES (:u, :s, :level, :years, :now) ON CONFLICT(user_id, skill_id) DO "
                     "UPDATE SET level = excluded.level, years = coalesce(excluded.years, years)");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":s", s->id);
    db_bind_int(st, ":level", level);
    if (years >= 0)
        db_bind_int(st, ":years", years);
    else
        db_bind_null(st, ":years");
    db_bind_int(st, ":now", (int64_t)time(NULL));
    if (db_run(st) != 0 || people_search_store_reindex_person(db, user_id) != 0)
        return finish(db, failed(why), why);
    rc = finish(db, 0, why);
    return rc ? rc : existed ? 200 : 201;
}

/* Sets *skill to the skill `text` names (a name, an alias or a slug). Returns 0, or 404 with *why
 * when there is none. */
static int known_skill(struct db *db, struct arena *a, const char *text, struct skill **skill,
                       const char **why)
{
    if ((*skill = skill_store_resolve(db, a, text)))
        return 0;
    *why = arena_printf(a, "there is no skill called “%s”", text ? text : "");
    return 404;
}

int skill_store_person_remove(struct db *db, struct arena *a, int64_t user_id, const char *text,
                              struct skill **skill, const char **why)
{
    int rc = known_skill(db, a, text, skill, why);
    if (rc || (rc = begin(db, why)))
        return rc;
    struct skill *s = *skill;
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM endorsements WHERE user_id = :u AND skill_id = :s");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":s", s->id);
    if (db_run(st) != 0)
        return finish(db, failed(why), why);
    st = db_stmt(db, "DELETE FROM person_skills WHERE user_id = :u AND skill_id = :s");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":s", s->id);
    if (db_run(st) != 0)
        return finish(db, failed(why), why);
    if (db_changes(db) == 0) {
        *why = arena_printf(a, "%s is not among this person's skills", s->name);
        return finish(db, 404, why);
    }
    if (people_search_store_reindex_person(db, user_id) != 0)
        return finish(db, failed(why), why);
    rc = finish(db, 0, why);
    return rc ? rc : 200;
}

struct person_skill *skill_store_person_skills(struct db *db, struct arena *a, int64_t user_id,
                                               int64_t viewer_id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT s.id, s.slug, s.name, s.category, s.reviewed, ps.level, "
            "coalesce(ps.years, -1), (SELECT count(*) FROM endorsements e WHERE e.user_id = "
            "ps.user_id AND e.skill_id = ps.skill_id), EXISTS (SELECT 1 FROM endorsements e "
            "WHERE e.user_id = ps.user_id AND e.skill_id = ps.skill_id AND "
            "e.endorser_id = :viewer) "
            "FROM person_skills ps JOIN skills s ON s.id = ps.skill_id WHERE ps.user_id = :user "
            "ORDER BY ps.level DESC, s.name");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":viewer", viewer_id);
    struct person_skill *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct person_skill *p = arena_alloc(a, sizeof *p);
        p->skill_id = db_col_int(st, 0);
        p->slug = arena_strdup(a, db_col_text(st, 1));
        p->name = arena_strdup(a, db_col_text(st, 2));
        p->category = arena_strdup(a, db_col_text(st, 3));
        p->reviewed = (int)db_col_int(st, 4);
        p->level = (int)db_col_int(st, 5);
        p->years = (int)db_col_int(st, 6);
        p->endorsements = (int)db_col_int(st, 7);
        p->endorsed_by_viewer = (int)db_col_int(st, 8);
        *tail = p;
        tail = &p->next;
    }
    sqlite3_reset(st);
    st = db_stmt(db, "SELECT e.skill_id, u.login, u.name FROM endorsements e JOIN users u ON "
                     "u.id = e.endorser_id WHERE e.user_id = :user ORDER BY u.name");
    db_bind_int(st, ":user", user_id);
    while (db_step(st) == SQLITE_ROW) {
        int64_t id = db_col_int(st, 0);
        for (struct person_skill *p = head; p; p = p->next) {
            if (p->skill_id != id)
                continue;
            struct skill_endorser *e = arena_alloc(a, sizeof *e), **t = &p->endorsers;
            e->login = arena_strdup(a, db_col_text(st, 1));
            e->name = arena_strdup(a, db_col_text(st, 2));
            while (*t)
                t = &(*t)->next;
            *t = e;
            break;
        }
    }
    sqlite3_reset(st);
    return head;
}

int skill_store_endorse(struct db *db, struct arena *a, int64_t user_id, const char *text,
                        int64_t endorser_id, int on, struct skill **skill, int *count,
                        const char **why)
{
    *count = 0;
    if (user_id == endorser_id) {
        *why = "you cannot endorse your own skills; colleagues endorse what they have seen you do";
        return 400;
    }
    int rc = known_skill(db, a, text, skill, why);
    if (rc || (rc = begin(db, why)))
        return rc;
    struct skill *s = *skill;
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM person_skills WHERE user_id = :u AND "
                                   "skill_id = :s");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":s", s->id);
    int declared = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (!declared && on) {
        *why = arena_printf(a, "only the skills a person declared can be endorsed, and %s is not "
                               "among theirs", s->name);
        return finish(db, 400, why);
    }
    st = on ? db_stmt(db, "INSERT OR IGNORE INTO endorsements(user_id, skill_id, endorser_id, "
                          "created_at) VALUES (:u, :s, :e, :now)")
            : db_stmt(db, "DELETE FROM endorsements WHERE user_id = :u AND skill_id = :s AND "
                          "endorser_id = :e");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":s", s->id);
    db_bind_int(st, ":e", endorser_id);
    if (on)
        db_bind_int(st, ":now", (int64_t)time(NULL));
    if (db_run(st) != 0)
        return finish(db, failed(why), why);
    int added = on && db_changes(db) > 0;
    /* A new endorsement: e-mail, when on and wanted, is queued in the same transaction. */
    if (people_search_store_reindex_person(db, user_id) != 0 ||
        (added && mail_store_endorsed(db, user_id, endorser_id, s->id, (int64_t)time(NULL)) != 0))
        return finish(db, failed(why), why);
    st = db_stmt(db, "SELECT count(*) FROM endorsements WHERE user_id = :u AND skill_id = :s");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":s", s->id);
    *count = (int)db_one_int(st, 0);
    rc = finish(db, 0, why);
    return rc ? rc : 200;
}

struct skill_holder *skill_store_holders(struct db *db, struct arena *a, int64_t skill_id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.login, u.name, coalesce(d.name, '') AS dept, ps.level, "
            "coalesce(ps.years, -1), (SELECT count(*) FROM endorsements e WHERE e.user_id = "
            "ps.user_id AND e.skill_id = ps.skill_id) AS n "
            "FROM person_skills ps JOIN users u ON u.id = ps.user_id "
            "LEFT JOIN profiles p ON p.user_id = u.id LEFT JOIN departments d ON d.id = "
            "p.department_id WHERE ps.skill_id = :skill AND " ACTIVE_USER " "
            "ORDER BY ps.level DESC, dept = '', dept COLLATE NOCASE, n DESC, u.name");
    db_bind_int(st, ":skill", skill_id);
    struct skill_holder *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct skill_holder *h = arena_alloc(a, sizeof *h);
        h->login = arena_strdup(a, db_col_text(st, 0));
        h->name = arena_strdup(a, db_col_text(st, 1));
        h->department = arena_strdup(a, db_col_text(st, 2));
        h->level = (int)db_col_int(st, 3);
        h->years = (int)db_col_int(st, 4);
        h->endorsements = (int)db_col_int(st, 5);
        *tail = h;
        tail = &h->next;
    }
    sqlite3_reset(st);
    return head;
}

struct page_item *skill_store_pages(struct db *db, struct arena *a, int64_t skill_id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT p.path, p.title, p.space, coalesce(u.name, 'unknown'), p.updated_at "
            "FROM pages p LEFT JOIN users u ON u.id = p.updated_by WHERE p.deleted_at IS NULL "
            "AND EXISTS (SELECT 1 FROM page_tags t JOIN skills s ON s.id = :skill WHERE "
            "t.page_id = p.id AND (t.tag = s.slug OR t.tag = s.name COLLATE NOCASE OR EXISTS "
            "(SELECT 1 FROM skill_aliases a WHERE a.skill_id = s.id AND a.alias = t.tag))) "
            "ORDER BY p.title COLLATE NOCASE LIMIT 500");
    db_bind_int(st, ":skill", skill_id);
    return page_store_items(a, st);
}
