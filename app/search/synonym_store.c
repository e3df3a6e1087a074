#include "search/synonym_store.h"

#include <string.h>

const char **synonym_store_for(struct db *db, struct arena *a, const char *word)
{
    const char **out = arena_alloc(a, (SYNONYM_MAX + 1) * sizeof *out);
    int n = 0;
    sqlite3_stmt *st = db_stmt(
        db, "WITH k AS (SELECT s.id FROM skills s WHERE s.name = :w COLLATE NOCASE OR "
            "s.slug = lower(:w) UNION SELECT a.skill_id FROM skill_aliases a WHERE a.alias "
            "= :w COLLATE NOCASE) "
            "SELECT s.name FROM skills s WHERE s.id IN k AND s.name <> :w COLLATE NOCASE "
            "UNION SELECT a.alias FROM skill_aliases a WHERE a.skill_id IN k AND a.alias "
            "<> :w COLLATE NOCASE LIMIT 12");
    db_bind_text(st, ":w", word);
    while (n < SYNONYM_MAX && db_step(st) == SQLITE_ROW) {
        const char *syn = db_col_text(st, 0);
        if (!strchr(syn, '"'))
            out[n++] = arena_strdup(a, syn);
    }
    sqlite3_reset(st);
    out[n] = NULL;
    return out;
}
