#include "expertise/expertise_store.h"

static int64_t count(struct db *db, sqlite3_stmt *st, const char *fts)
{
    (void)db;
    db_bind_text(st, ":q", fts);
    int64_t n = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

int64_t expertise_store_count_pages(struct db *db, const char *fts)
{
    return count(db, db_stmt(db, "SELECT count(*) FROM page_search WHERE page_search MATCH :q"),
                 fts);
}

struct expertise_page_row *expertise_store_pages(struct db *db, struct arena *a, const char *fts,
                                                 int64_t keep, int limit, double *best, int *rc)
{
    sqlite3_stmt *st = db_stmt(
        db, "WITH hits AS ("
            "SELECT rowid AS page_id, -bm25(page_search, 10.0, 5.0, 1.0, 4.0, 2.0, 2.0) AS score "
            "FROM page_search "
            "WHERE page_search MATCH :q AND ((rowid * 2654435761) & 4095) < :keep "
            "ORDER BY score DESC LIMIT :limit), "
            "totals AS ("
            "SELECT page_id, sum(chars) AS total FROM page_contributions "
            "WHERE page_id IN (SELECT page_id FROM hits) GROUP BY page_id) "
            "SELECT c.user_id, h.score, c.chars * 1.0 / max(t.total, 1), c.last_at, p.path, "
            "p.title, (SELECT max(score) FROM hits), "
            "EXISTS (SELECT 1 FROM page_owners o WHERE o.page_id = p.id AND o.user_id = c.user_id), "
            "coalesce(p.verified_by = c.user_id, 0) "
            "FROM hits h "
            "JOIN pages p ON p.id = h.page_id AND p.deleted_at IS NULL "
            "JOIN page_contributions c ON c.page_id = h.page_id "
            "JOIN totals t ON t.page_id = h.page_id "
            "ORDER BY h.score DESC");
    db_bind_text(st, ":q", fts);
    db_bind_int(st, ":keep", keep);
    db_bind_int(st, ":limit", limit);
    struct expertise_page_row *head = NULL, **tail = &head;
    int step;
    *best = 0;
    while ((step = db_step(st)) == SQLITE_ROW) {
        struct expertise_page_row *r = arena_alloc(a, sizeof *r);
        r->user_id = db_col_int(st, 0);
        r->score = sqlite3_column_double(st, 1);
        r->share = sqlite3_column_double(st, 2);
        r->last_at = db_col_int(st, 3);
        r->path = arena_strdup(a, db_col_text(st, 4));
        r->title = arena_strdup(a, db_col_text(st, 5));
        *best = sqlite3_column_double(st, 6);
        r->owner = (int)db_col_int(st, 7);
        r->verified = (int)db_col_int(st, 8);
        *tail = r;
        tail = &r->next;
    }
    sqlite3_reset(st);
    *rc = step == SQLITE_DONE ? 0 : -1;
    return head;
}

struct expertise_answer_row *expertise_store_answers(struct db *db, struct arena *a,
                                                     const char *fts, int limit, double *best)
{
    sqlite3_stmt *st = db_stmt(
        db, "WITH hits AS ("
            "SELECT rowid AS question_id, "
            "-bm25(question_search, 10.0, 2.0, 1.0, 4.0) AS score "
            "FROM question_search WHERE question_search MATCH :q "
            "ORDER BY score DESC LIMIT :limit) "
            "SELECT an.author_id, an.question_id, an.created_at, h.score, "
            "coalesce(q.accepted_answer_id = an.id, 0), an.votes, q.title, "
            "(SELECT max(score) FROM hits) "
            "FROM hits h "
            "JOIN questions q ON q.id = h.question_id "
            "JOIN answers an ON an.question_id = q.id "
            "ORDER BY h.score DESC");
    db_bind_text(st, ":q", fts);
    db_bind_int(st, ":limit", limit);
    struct expertise_answer_row *head = NULL, **tail = &head;
    *best = 0;
    while (db_step(st) == SQLITE_ROW) {
        struct expertise_answer_row *r = arena_alloc(a, sizeof *r);
        r->user_id = db_col_int(st, 0);
        r->question_id = db_col_int(st, 1);
        r->created_at = db_col_int(st, 2);
        r->score = sqlite3_column_double(st, 3);
        r->accepted = (int)db_col_int(st, 4);
        r->votes = (int)db_col_int(st, 5);
        r->title = arena_strdup(a, db_col_text(st, 6));
        *best = sqlite3_column_double(st, 7);
        *tail = r;
        tail = &r->next;
    }
    sqlite3_reset(st);
    return head;
}

struct expertise_answerer *expertise_store_answerers(struct db *db, struct arena *a,
                                                     const char *fts, int64_t since,
                                                     int64_t *matching)
{
    sqlite3_stmt *st = db_stmt(
        db, "WITH m AS MATERIALIZED ("
            "SELECT rowid AS id FROM question_search WHERE question_search MATCH :q), "
            "here AS ("
            "SELECT an.author_id AS user_id, count(DISTINCT an.question_id) AS answered, "
            "coalesce(sum(q.accepted_answer_id = an.id), 0) AS accepted "
            "FROM m "
            "JOIN answers an ON an.question_id = m.id "
            "JOIN questions q ON q.id = an.question_id "
            "GROUP BY an.author_id) "
            "SELECT h.user_id, h.answered, h.accepted, count(*), "
            "coalesce(sum(q2.accepted_answer_id = a2.id), 0), "
            "coalesce(sum(a2.created_at >= :since), 0), max(a2.created_at), "
            "(SELECT count(*) FROM m) "
            "FROM here h "
            "JOIN answers a2 ON a2.author_id = h.user_id "
            "JOIN questions q2 ON q2.id = a2.question_id "
            "GROUP BY h.user_id");
    db_bind_text(st, ":q", fts);
    db_bind_int(st, ":since", since);
    struct expertise_answerer *head = NULL;
    *matching = 0;
    while (db_step(st) == SQLITE_ROW) {
        struct expertise_answerer *r = arena_alloc(a, sizeof *r);
        r->user_id = db_col_int(st, 0);
        r->answered = (int)db_col_int(st, 1);
        r->accepted_here = (int)db_col_int(st, 2);
        r->answers = (int)db_col_int(st, 3);
        r->accepted = (int)db_col_int(st, 4);
        r->recent = (int)db_col_int(st, 5);
        r->last_at = db_col_int(st, 6);
        *matching = db_col_int(st, 7);
        r->next = head;
        head = r;
    }
    sqlite3_reset(st);
    return head;
}

int64_t expertise_store_newest_answer(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(max(created_at), 0) FROM answers");
    int64_t t = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    return t;
}

struct expertise_skill_row *expertise_store_skills(struct db *db, struct arena *a,
                                                   const char *name)
{
    sqlite3_stmt *st = db_stmt(
        db, "WITH s AS ("
            "SELECT id, name FROM skills WHERE name = :w COLLATE NOCASE OR slug = lower(:w) "
            "UNION SELECT k.id, k.name FROM skill_aliases a JOIN skills k ON k.id = a.skill_id "
            "WHERE a.alias = :w COLLATE NOCASE) "
            "SELECT ps.user_id, ps.level, s.name, "
            "(SELECT count(*) FROM endorsements e "
            "WHERE e.user_id = ps.user_id AND e.skill_id = s.id), "
            "(SELECT count(*) FROM endorsements e "
            "JOIN person_skills eps ON eps.user_id = e.endorser_id AND eps.skill_id = s.id "
            "WHERE e.user_id = ps.user_id AND e.skill_id = s.id) "
            "FROM s JOIN person_skills ps ON ps.skill_id = s.id");
    db_bind_text(st, ":w", name);
    struct expertise_skill_row *head = NULL;
    while (db_step(st) == SQLITE_ROW) {
        struct expertise_skill_row *r = arena_alloc(a, sizeof *r);
        r->user_id = db_col_int(st, 0);
        r->level = (int)db_col_int(st, 1);
        r->skill = arena_strdup(a, db_col_text(st, 2));
        r->endorsements = (int)db_col_int(st, 3);
        r->skilled_endorsers = (int)db_col_int(st, 4);
        r->next = head;
        head = r;
    }
    sqlite3_reset(st);
    return head;
}

void expertise_store_person(struct db *db, struct arena *a, int64_t user_id,
                            struct expertise_person *out)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.login, u.name, coalesce(p.title, ''), coalesce(d.name, ''), "
            "u.disabled OR p.left_at IS NOT NULL "
            "FROM users u "
            "LEFT JOIN profiles p ON p.user_id = u.id "
            "LEFT JOIN departments d ON d.id = p.department_id "
            "WHERE u.id = :id");
    db_bind_int(st, ":id", user_id);
    out->login = NULL;
    if (db_step(st) == SQLITE_ROW) {
        out->login = arena_strdup(a, db_col_text(st, 0));
        out->name = arena_strdup(a, db_col_text(st, 1));
        out->title = arena_strdup(a, db_col_text(st, 2));
        out->department = arena_strdup(a, db_col_text(st, 3));
        out->left = (int)db_col_int(st, 4);
    }
    sqlite3_reset(st);
}

int64_t expertise_store_department(struct db *db, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(department_id, 0) FROM profiles "
                                   "WHERE user_id = :u");
    db_bind_int(st, ":u", user_id);
    int64_t d = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    return d;
}

const char *expertise_store_public_timezone(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT p.timezone FROM profiles p "
            "WHERE p.user_id = :u AND NOT EXISTS ("
            "SELECT 1 FROM profile_visibility v "
            "WHERE v.user_id = p.user_id AND v.field = 'timezone' AND v.level <> 'everyone')");
    db_bind_int(st, ":u", user_id);
    const char *tz = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
    sqlite3_reset(st);
    return tz;
}
