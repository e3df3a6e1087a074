#include "search/synonym_store.h"

#include <string.h>
#include <strings.h>

/* Adds syn to out (n so far) unless it is there or names word; returns the new n. */
static int add_unique(struct arena *a, const char **out, int n, const char *word, const char *syn)
{
    if (strchr(syn, '"') || strcasecmp(syn, word) == 0)
        return n;
    for (int i = 0; i < n; i++)
        if (strcasecmp(out[i], syn) == 0)
            return n;
    out[n] = arena_strdup(a, syn);
    return n + 1;
}

const char **synonym_store_for(struct db *db, struct arena *a, const char *word)
{
    const char **out = arena_alloc(a, (SYNONYM_MAX + 1) * sizeof *out);
    int n = 0;
    sqlite3_stmt *st = db_stmt(db, "SELECT o.word FROM synonym_words w "
                                   "JOIN synonym_words o ON o.set_id = w.set_id "
                                   "WHERE w.word = :w "
                                   "ORDER BY o.set_id, o.word LIMIT 24");
    db_bind_text(st, ":w", word);
    while (n < SYNONYM_MAX && db_step(st) == SQLITE_ROW)
        n = add_unique(a, out, n, word, db_col_text(st, 0));
    sqlite3_reset(st);
    st = db_stmt(db, "WITH k AS (SELECT s.id FROM skills s WHERE s.name = :w COLLATE NOCASE OR "
                     "s.slug = lower(:w) UNION SELECT a.skill_id FROM skill_aliases a WHERE "
                     "a.alias = :w COLLATE NOCASE) "
                     "SELECT s.name FROM skills s WHERE s.id IN k AND s.name <> :w COLLATE NOCASE "
                     "UNION SELECT a.alias FROM skill_aliases a WHERE a.skill_id IN k AND a.alias "
                     "<> :w COLLATE NOCASE LIMIT 12");
    db_bind_text(st, ":w", word);
    while (n < SYNONYM_MAX && db_step(st) == SQLITE_ROW)
        n = add_unique(a, out, n, word, db_col_text(st, 0));
    sqlite3_reset(st);
    out[n] = NULL;
    return out;
}

struct synonym_set *synonym_store_list(struct db *db, struct arena *a)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT s.id, s.words, coalesce(u.login, ''), s.created_at "
                                   "FROM synonym_sets s "
                                   "LEFT JOIN users u ON u.id = s.created_by "
                                   "ORDER BY s.id DESC");
    struct synonym_set *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct synonym_set *s = arena_alloc(a, sizeof *s);
        s->id = db_col_int(st, 0);
        s->words = arena_strdup(a, db_col_text(st, 1));
        s->created_by = arena_strdup(a, db_col_text(st, 2));
        s->created_at = db_col_int(st, 3);
        *tail = s;
        tail = &s->next;
    }
    sqlite3_reset(st);
    return head;
}

/* Splits text at commas into trimmed entries; returns their number, or -1 with *why. */
static int split(struct arena *a, const char *text, const char **words, const char **why)
{
    int n = 0;
    for (const char *p = text ? text : ""; *p;) {
        size_t len = strcspn(p, ",");
        const char *start = p, *end = p + len;
        p = *end ? end + 1 : end;
        while (start < end && (*start == ' ' || *start == '\t'))
            start++;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (start == end)
            continue;
        if (end - start > SYNONYM_WORD_MAX) {
            *why = "each word or phrase may have at most 60 characters";
            return -1;
        }
        for (const char *c = start; c < end; c++)
            if ((unsigned char)*c < 0x20 || *c == '"' || *c == 0x7f) {
                *why = "words may not hold quotes or control characters";
                return -1;
            }
        const char *w = arena_strndup(a, start, (size_t)(end - start));
        int seen = 0;
        for (int i = 0; i < n; i++)
            seen |= strcasecmp(words[i], w) == 0;
        if (seen)
            continue;
        if (n == SYNONYM_SET_MAX) {
            *why = "a set may have at most 10 words or phrases";
            return -1;
        }
        words[n++] = w;
    }
    if (n < 2) {
        *why = "give at least two different words or phrases, separated by commas";
        return -1;
    }
    return n;
}

int64_t synonym_store_add(struct db *db, struct arena *a, const char *text, int64_t by,
                          int64_t at, const char **why)
{
    const char *words[SYNONYM_SET_MAX];
    int n = split(a, text, words, why);
    if (n < 0)
        return 0;
    char *joined = arena_strdup(a, words[0]);
    for (int i = 1; i < n; i++)
        joined = arena_printf(a, "%s, %s", joined, words[i]);
    if (db_begin(db) != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO synonym_sets(words, created_by, created_at) "
                                   "VALUES (:words, nullif(:by, 0), :at)");
    db_bind_text(st, ":words", joined);
    db_bind_int(st, ":by", by);
    db_bind_int(st, ":at", at);
    if (db_run(st) != 0) {
        db_rollback(db);
        return -1;
    }
    int64_t id = db_last_id(db);
    for (int i = 0; i < n; i++) {
        st = db_stmt(db, "INSERT INTO synonym_words(set_id, word) VALUES (:id, :word)");
        db_bind_int(st, ":id", id);
        db_bind_text(st, ":word", words[i]);
        if (db_run(st) != 0) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db) == 0 ? id : -1;
}

int synonym_store_delete(struct db *db, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM synonym_sets WHERE id = :id");
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0)
        return -1;
    return db_changes(db) > 0;
}
