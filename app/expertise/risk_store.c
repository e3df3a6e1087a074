#include "expertise/risk_store.h"

/* A person carries a tag when they wrote at least a fifth of the text of its pages, and a skill
 * when they declared it practised or expert. */
static const char *const SQL_RISK =
    "WITH tag_text AS ("
    "  SELECT t.tag, c.user_id, sum(c.chars) AS chars FROM page_tags t "
    "  JOIN pages p ON p.id = t.page_id AND p.deleted_at IS NULL "
    "  JOIN page_contributions c ON c.page_id = t.page_id GROUP BY t.tag, c.user_id), "
    "tag_total AS (SELECT tag, sum(chars) AS total FROM tag_text GROUP BY tag), "
    "carriers AS ("
    "  SELECT 'tag' AS kind, tt.tag AS name, tt.tag AS slug, tt.user_id FROM tag_text tt "
    "  JOIN tag_total x ON x.tag = tt.tag WHERE tt.chars * 5 >= x.total "
    "  UNION ALL "
    "  SELECT 'skill', s.name, s.slug, ps.user_id FROM person_skills ps "
    "  JOIN skills s ON s.id = ps.skill_id WHERE ps.level >= 2), "
    "topics AS ("
    "  SELECT c.kind, c.name, c.slug, "
    "    count(CASE WHEN NOT (u.disabled OR coalesce(pr.left_at, 0)) THEN 1 END) AS holders, "
    "    coalesce(group_concat(CASE WHEN NOT (u.disabled OR coalesce(pr.left_at, 0)) THEN u.name END, ', '), '') AS who, "
    "    coalesce(group_concat(CASE WHEN u.disabled OR coalesce(pr.left_at, 0) THEN u.name END, ', '), '') AS gone, "
    "    sum(c.user_id = :user) AS mine "
    "  FROM carriers c JOIN users u ON u.id = c.user_id LEFT JOIN profiles pr ON pr.user_id = u.id "
    "  GROUP BY c.kind, c.name) "
    "SELECT kind, name, slug, holders, who, gone, "
    "  CASE kind WHEN 'tag' THEN (SELECT count(*) FROM page_tags t JOIN pages p ON p.id = t.page_id "
    "  AND p.deleted_at IS NULL WHERE t.tag = topics.name) ELSE 0 END AS pages "
    "FROM topics WHERE holders <= 2 AND (:user = 0 OR mine > 0) "
    "ORDER BY holders, pages DESC, name LIMIT :limit";

struct risk_topic *risk_store_topics(struct db *db, struct arena *a, int64_t user_id, int limit)
{
    sqlite3_stmt *st = db_stmt(db, SQL_RISK);
    db_bind_int(st, ":user", user_id > 0 ? user_id : 0);
    db_bind_int(st, ":limit", limit);
    struct risk_topic *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct risk_topic *t = arena_alloc(a, sizeof *t);
        t->kind = arena_strdup(a, db_col_text(st, 0));
        t->name = arena_strdup(a, db_col_text(st, 1));
        t->slug = arena_strdup(a, db_col_text(st, 2));
        t->holders = (int)db_col_int(st, 3);
        t->who = arena_strdup(a, db_col_text(st, 4));
        t->gone = arena_strdup(a, db_col_text(st, 5));
        t->pages = (int)db_col_int(st, 6);
        *tail = t;
        tail = &t->next;
    }
    sqlite3_reset(st);
    return head;
}
