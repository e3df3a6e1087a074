#include "expertise/routing_store.h"

int routing_store_question(struct db *db, struct arena *a, int64_t id, int64_t *asker,
                           const char **title, const char **tags, int *round)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT asker_id, title, tags, route_round "
                                   "FROM questions "
                                   "WHERE id = :q");
    db_bind_int(st, ":q", id);
    int rc = -1;
    if (db_step(st) == SQLITE_ROW) {
        *asker = db_col_int(st, 0);
        *title = arena_strdup(a, db_col_text(st, 1));
        *tags = arena_strdup(a, db_col_text(st, 2));
        *round = (int)db_col_int(st, 3);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

void routing_store_person_state(struct db *db, int64_t user_id, int64_t question_id,
                                const char *words, int64_t now, int64_t since,
                                struct routing_person_state *out)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.disabled OR p.left_at IS NOT NULL, u.role = 'viewer', "
            "EXISTS (SELECT 1 FROM person_availability v "
            "WHERE v.user_id = u.id AND v.away_until > :now), "
            "EXISTS (SELECT 1 FROM muted_topics m "
            "WHERE m.user_id = u.id AND instr(' ' || :words || ' ', ' ' || m.topic || ' ') > 0), "
            "EXISTS (SELECT 1 FROM question_routes r "
            "WHERE r.question_id = :q AND r.user_id = u.id), "
            "(SELECT count(*) FROM question_routes r "
            "WHERE r.user_id = u.id AND r.asked_at > :since) "
            "FROM users u "
            "LEFT JOIN profiles p ON p.user_id = u.id "
            "WHERE u.id = :user");
    db_bind_int(st, ":now", now);
    db_bind_text(st, ":words", words);
    db_bind_int(st, ":q", question_id);
    db_bind_int(st, ":since", since);
    db_bind_int(st, ":user", user_id);
    *out = (struct routing_person_state){0};
    if (db_step(st) == SQLITE_ROW) {
        out->found = 1;
        out->left = (int)db_col_int(st, 0);
        out->viewer = (int)db_col_int(st, 1);
        out->away = (int)db_col_int(st, 2);
        out->muted = (int)db_col_int(st, 3);
        out->asked_already = (int)db_col_int(st, 4);
        out->asked_since = (int)db_col_int(st, 5);
    }
    sqlite3_reset(st);
}

int64_t routing_store_team(struct db *db, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(team_id, 0) FROM profiles WHERE user_id = :u");
    db_bind_int(st, ":u", user_id);
    int64_t t = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    return t;
}

int routing_store_next_round(struct db *db, int64_t id, int round, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE questions SET route_round = :next, routed_at = :now "
                                   "WHERE id = :q AND route_round = :round");
    db_bind_int(st, ":next", round + 1);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":q", id);
    db_bind_int(st, ":round", round);
    if (db_run(st) != 0)
        return -1;
    return db_changes(db) ? 1 : 0;
}

int routing_store_add_route(struct db *db, int64_t id, int64_t user_id, int round, double score,
                            const char *why, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT OR IGNORE INTO question_routes(question_id, user_id, "
                                   "round, score, why, asked_at) "
                                   "VALUES (:q, :user, :round, :score, :why, :now)");
    db_bind_int(st, ":q", id);
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":round", round);
    sqlite3_bind_double(st, sqlite3_bind_parameter_index(st, ":score"), score);
    db_bind_text(st, ":why", why);
    db_bind_int(st, ":now", now);
    return db_run(st);
}

int routing_store_due(struct db *db, int64_t cutoff, int rounds, int max, int64_t *ids)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM questions "
                                   "WHERE state = 'open' AND routed_at < :cutoff "
                                   "AND route_round < :rounds "
                                   "ORDER BY routed_at, id LIMIT :max");
    db_bind_int(st, ":cutoff", cutoff);
    db_bind_int(st, ":rounds", rounds);
    db_bind_int(st, ":max", max);
    int n = 0;
    while (n < max && db_step(st) == SQLITE_ROW)
        ids[n++] = db_col_int(st, 0);
    sqlite3_reset(st);
    return n;
}
