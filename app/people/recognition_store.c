#include "people/recognition_store.h"

#include <string.h>

/* A person's columns (login, name, department slug and name, left) and the joins they need,
 * for a query that has `users u`. */
#define PERSON "u.login, u.name, coalesce(d.slug, ''), coalesce(d.name, ''), pr.left_at IS NOT NULL"
#define PERSON_JOINS                                                                               \
    " LEFT JOIN profiles pr ON pr.user_id = u.id LEFT JOIN departments d ON d.id = "               \
    "pr.department_id "
#define IN_PERIOD(col) col " >= :t0 AND " col " < :t1"
/* Pages that count as reading and writing: live, and not the page templates. */
#define LIVE_PAGE(p) p ".deleted_at IS NULL AND " p ".space <> 'templates'"

/* Reads the PERSON columns of st starting at col into *p (strings in a). */
static void person_at(struct arena *a, sqlite3_stmt *st, int col, struct recog_person *p)
{
    p->login = arena_strdup(a, db_col_text(st, col));
    p->name = arena_strdup(a, db_col_text(st, col + 1));
    p->dept_slug = arena_strdup(a, db_col_text(st, col + 2));
    p->dept_name = arena_strdup(a, db_col_text(st, col + 3));
    p->left = (int)db_col_int(st, col + 4);
}

/* Reads a department's slug, name, current members and contributors (columns 0 to 3 of st) into
 * *d (strings in a). */
static void dept_at(struct arena *a, sqlite3_stmt *st, struct recog_dept *d)
{
    d->slug = arena_strdup(a, db_col_text(st, 0));
    d->name = arena_strdup(a, db_col_text(st, 1));
    d->members = (int)db_col_int(st, 2);
    d->contributors = (int)db_col_int(st, 3);
}

/* Returns 0 when st ran to its end (and resets it), else -1. */
static int done(sqlite3_stmt *st, int rc)
{
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- a profile ---- */

static int profile_pages(struct db *db, struct arena *a, int64_t user_id, struct recog_profile *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT p.path, p.title, CAST(round(100.0 * c.chars / max(1, (SELECT sum(c2.chars) "
            "FROM page_contributions c2 WHERE c2.page_id = p.id))) AS INTEGER), count(*) OVER () "
            "FROM page_contributions c JOIN pages p ON p.id = c.page_id WHERE c.user_id = :user "
            "AND c.chars > 0 AND " LIVE_PAGE("p") " ORDER BY c.chars DESC, p.path LIMIT :limit");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":limit", RECOG_TOP);
    struct recog_page **tail = &o->top_pages;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct recog_page *p = arena_alloc(a, sizeof *p);
        p->path = arena_strdup(a, db_col_text(st, 0));
        p->title = arena_strdup(a, db_col_text(st, 1));
        p->share = (int)db_col_int(st, 2);
        o->pages_written = (int)db_col_int(st, 3);
        *tail = p;
        tail = &p->next;
    }
    return done(st, rc);
}

static int profile_fresh(struct db *db, int64_t user_id, int64_t now, struct recog_profile *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT count(*), coalesce(sum(max(coalesce(p.verified_at, 0), p.created_at) + "
            "coalesce(p.review_days, s.review_days, 180) * 86400 > :now), 0), (SELECT "
            "count(DISTINCT v.page_id) FROM page_verifications v JOIN pages vp ON vp.id = "
            "v.page_id WHERE v.user_id = :user AND v.at >= :since AND vp.deleted_at IS NULL) "
            "FROM page_owners o JOIN pages p ON p.id = o.page_id LEFT JOIN space_review s ON "
            "s.space = p.space WHERE o.user_id = :user AND p.deleted_at IS NULL");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":since", now - RECOG_FRESH_DAYS * 86400);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        o->pages_owned = (int)db_col_int(st, 0);
        o->owned_fresh = (int)db_col_int(st, 1);
        o->verified_recent = (int)db_col_int(st, 2);
        rc = SQLITE_DONE;
    }
    return done(st, rc);
}

static int profile_answers(struct db *db, int64_t user_id, struct recog_profile *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT count(*), coalesce(sum(coalesce(q.accepted_answer_id = a.id, 0)), 0), "
            "count(DISTINCT CASE WHEN q.asker_id <> a.author_id THEN q.asker_id END) FROM answers "
            "a JOIN questions q ON q.id = a.question_id WHERE a.author_id = :user");
    db_bind_int(st, ":user", user_id);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        o->answers = (int)db_col_int(st, 0);
        o->accepted = (int)db_col_int(st, 1);
        o->helped = (int)db_col_int(st, 2);
        rc = SQLITE_DONE;
    }
    return done(st, rc);
}

int recognition_profile(struct db *db, struct arena *a, int64_t user_id, int64_t now,
                        struct recog_profile *out)
{
    memset(out, 0, sizeof *out);
    if (profile_pages(db, a, user_id, out) != 0 || profile_fresh(db, user_id, now, out) != 0 ||
        profile_answers(db, user_id, out) != 0)
        return -1;
    return 0;
}

/* ---- a month's thanks ---- */

static void bind_period(sqlite3_stmt *st, int64_t t0, int64_t t1, const char *dept)
{
    db_bind_int(st, ":t0", t0);
    db_bind_int(st, ":t1", t1);
    if (dept)
        db_bind_text(st, ":dept", dept);
}

/* Binds :d0 and :d1 to the days (of page_views) that cover the period t0 to t1. */
static void bind_days(sqlite3_stmt *st, int64_t t0, int64_t t1)
{
    db_bind_int(st, ":d0", t0 / 86400);
    db_bind_int(st, ":d1", (t1 + 86399) / 86400);
}

static int thanks_answers(struct db *db, struct arena *a, int64_t t0, int64_t t1,
                          const char *dept, int limit, struct recog_thanks *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT a.id, q.id, q.title, a.votes, coalesce(q.accepted_answer_id = a.id, 0), "
            "a.created_at, " PERSON " FROM answers a JOIN questions q ON q.id = a.question_id "
            "JOIN users u ON u.id = a.author_id" PERSON_JOINS "WHERE " IN_PERIOD("a.created_at")
            " AND (:dept = '' OR d.slug = :dept) AND (a.votes > 0 OR q.accepted_answer_id = a.id) "
            "ORDER BY a.votes + :weight * coalesce(q.accepted_answer_id = a.id, 0) DESC, a.votes "
            "DESC, a.created_at, a.id LIMIT :limit");
    bind_period(st, t0, t1, dept);
    db_bind_int(st, ":weight", RECOG_ACCEPTED_VOTES);
    db_bind_int(st, ":limit", limit);
    struct recog_answer **tail = &o->answers;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct recog_answer *an = arena_alloc(a, sizeof *an);
        an->answer_id = db_col_int(st, 0);
        an->question_id = db_col_int(st, 1);
        an->question_title = arena_strdup(a, db_col_text(st, 2));
        an->votes = (int)db_col_int(st, 3);
        an->accepted = (int)db_col_int(st, 4);
        an->score = an->votes + RECOG_ACCEPTED_VOTES * an->accepted;
        an->created_at = db_col_int(st, 5);
        person_at(a, st, 6, &an->who);
        *tail = an;
        tail = &an->next;
    }
    return done(st, rc);
}

/* The three people who wrote most of page_id's text, most first. */
static struct recog_person *writers(struct db *db, struct arena *a, int64_t page_id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " PERSON " FROM page_contributions c JOIN users u ON u.id = c.user_id"
            PERSON_JOINS "WHERE c.page_id = :page AND c.chars > 0 ORDER BY c.chars DESC, u.name "
            "LIMIT 3");
    db_bind_int(st, ":page", page_id);
    struct recog_person *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct recog_person *p = arena_alloc(a, sizeof *p);
        person_at(a, st, 0, p);
        *tail = p;
        tail = &p->next;
    }
    sqlite3_reset(st);
    return head;
}

static int thanks_most_read(struct db *db, struct arena *a, int64_t t0, int64_t t1,
                            const char *dept, int limit, struct recog_thanks *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT p.id, p.path, p.title, v.n FROM (SELECT page_id, sum(views) AS n FROM "
            "page_views WHERE day >= :d0 AND day < :d1 GROUP BY page_id) v JOIN pages p ON p.id "
            "= v.page_id WHERE " LIVE_PAGE("p") " AND (:dept = '' OR EXISTS (SELECT 1 FROM "
            "page_contributions c JOIN profiles pr ON pr.user_id = c.user_id JOIN departments d "
            "ON d.id = pr.department_id WHERE c.page_id = p.id AND c.chars > 0 AND d.slug = "
            ":dept)) ORDER BY v.n DESC, p.path LIMIT :limit");
    bind_days(st, t0, t1);
    db_bind_text(st, ":dept", dept);
    db_bind_int(st, ":limit", limit);
    struct recog_page *head = NULL, **tail = &head;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct recog_page *p = arena_alloc(a, sizeof *p);
        p->id = db_col_int(st, 0);
        p->path = arena_strdup(a, db_col_text(st, 1));
        p->title = arena_strdup(a, db_col_text(st, 2));
        p->views = db_col_int(st, 3);
        *tail = p;
        tail = &p->next;
    }
    if (done(st, rc) != 0)
        return -1;
    for (struct recog_page *p = head; p; p = p->next)
        p->writers = writers(db, a, p->id);
    o->most_read = head;
    return 0;
}

static int thanks_new_pages(struct db *db, struct arena *a, int64_t t0, int64_t t1,
                            const char *dept, int limit, struct recog_thanks *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT p.path, p.title, p.created_at, (SELECT coalesce(sum(views), 0) FROM "
            "page_views WHERE page_id = p.id AND day >= :d0 AND day < :d1) AS n, " PERSON
            " FROM pages p JOIN users u ON u.id = p.created_by" PERSON_JOINS "WHERE "
            IN_PERIOD("p.created_at") " AND " LIVE_PAGE("p") " AND (:dept = '' OR d.slug = "
            ":dept) ORDER BY n DESC, p.created_at DESC, p.path LIMIT :limit");
    bind_period(st, t0, t1, dept);
    bind_days(st, t0, t1);
    db_bind_int(st, ":limit", limit);
    struct recog_page **tail = &o->new_pages;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct recog_page *p = arena_alloc(a, sizeof *p);
        p->path = arena_strdup(a, db_col_text(st, 0));
        p->title = arena_strdup(a, db_col_text(st, 1));
        p->at = db_col_int(st, 2);
        p->views = db_col_int(st, 3);
        p->writers = arena_alloc(a, sizeof *p->writers);
        person_at(a, st, 4, p->writers);
        *tail = p;
        tail = &p->next;
    }
    return done(st, rc);
}

/* Up to three pages user_id verified in the period, the latest first. */
static struct recog_page *verified_pages(struct db *db, struct arena *a, int64_t user_id,
                                         int64_t t0, int64_t t1)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT p.path, p.title, max(v.at) AS at FROM page_verifications v JOIN pages p ON "
            "p.id = v.page_id WHERE v.user_id = :user AND " IN_PERIOD("v.at") " AND "
            "p.deleted_at IS NULL GROUP BY p.id ORDER BY at DESC, p.path LIMIT 3");
    db_bind_int(st, ":user", user_id);
    bind_period(st, t0, t1, NULL);
    struct recog_page *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct recog_page *p = arena_alloc(a, sizeof *p);
        p->path = arena_strdup(a, db_col_text(st, 0));
        p->title = arena_strdup(a, db_col_text(st, 1));
        p->at = db_col_int(st, 2);
        *tail = p;
        tail = &p->next;
    }
    sqlite3_reset(st);
    return head;
}

static int thanks_fresh(struct db *db, struct arena *a, int64_t t0, int64_t t1, const char *dept,
                        int limit, struct recog_thanks *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.id, count(DISTINCT v.page_id) AS n, " PERSON " FROM page_verifications v "
            "JOIN pages p ON p.id = v.page_id JOIN users u ON u.id = v.user_id" PERSON_JOINS
            "WHERE " IN_PERIOD("v.at") " AND p.deleted_at IS NULL AND (:dept = '' OR d.slug = "
            ":dept) GROUP BY u.id ORDER BY n DESC, u.name LIMIT :limit");
    bind_period(st, t0, t1, dept);
    db_bind_int(st, ":limit", limit);
    struct recog_contributor *head = NULL, **tail = &head;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct recog_contributor *c = arena_alloc(a, sizeof *c);
        c->user_id = db_col_int(st, 0);
        c->verified = (int)db_col_int(st, 1);
        person_at(a, st, 2, &c->who);
        *tail = c;
        tail = &c->next;
    }
    if (done(st, rc) != 0)
        return -1;
    for (struct recog_contributor *c = head; c; c = c->next)
        c->pages = verified_pages(db, a, c->user_id, t0, t1);
    o->fresh = head;
    return 0;
}

/* One row per contribution in the period: who, and which kind (a 1 in its column). Pages
 * verified count once per page. */
#define CONTRIBUTIONS                                                                              \
    "WITH ev(uid, answers, accepted, created, edits, verified) AS (SELECT a.author_id, 1, "      \
    "coalesce(q.accepted_answer_id = a.id, 0), 0, 0, 0 FROM answers a JOIN questions q ON q.id "  \
    "= a.question_id WHERE " IN_PERIOD("a.created_at") " UNION ALL SELECT p.created_by, 0, 0, "  \
    "1, 0, 0 FROM pages p WHERE " IN_PERIOD("p.created_at") " AND " LIVE_PAGE("p") " AND "       \
    "p.created_by IS NOT NULL UNION ALL SELECT r.author_id, 0, 0, 0, 1, 0 FROM revisions r JOIN " \
    "pages p ON p.id = r.page_id WHERE " IN_PERIOD("r.created_at") " AND r.number > 1 AND "      \
    "r.author_id IS NOT NULL AND " LIVE_PAGE("p") " UNION ALL SELECT v.user_id, 0, 0, 0, 0, 1 "   \
    "FROM (SELECT DISTINCT user_id, page_id FROM page_verifications WHERE " IN_PERIOD("at")       \
    " AND user_id IS NOT NULL) v JOIN pages p ON p.id = v.page_id WHERE p.deleted_at IS NULL) "

static int thanks_people(struct db *db, struct arena *a, int64_t t0, int64_t t1, const char *dept,
                         int limit, struct recog_thanks *o)
{
    sqlite3_stmt *st = db_stmt(
        db, CONTRIBUTIONS "SELECT sum(ev.answers), sum(ev.accepted), sum(ev.created), "
                          "sum(ev.edits), sum(ev.verified), " PERSON " FROM ev JOIN users u ON "
                          "u.id = ev.uid" PERSON_JOINS "WHERE (:dept = '' OR d.slug = :dept) "
                          "GROUP BY u.id ORDER BY count(*) DESC, u.name LIMIT :limit");
    bind_period(st, t0, t1, dept);
    db_bind_int(st, ":limit", limit);
    struct recog_contributor **tail = &o->people;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct recog_contributor *c = arena_alloc(a, sizeof *c);
        c->answers = (int)db_col_int(st, 0);
        c->accepted = (int)db_col_int(st, 1);
        c->pages_new = (int)db_col_int(st, 2);
        c->edits = (int)db_col_int(st, 3);
        c->verified = (int)db_col_int(st, 4);
        person_at(a, st, 5, &c->who);
        *tail = c;
        tail = &c->next;
    }
    return done(st, rc);
}

static int thanks_depts(struct db *db, struct arena *a, int64_t t0, int64_t t1,
                        struct recog_thanks *o)
{
    sqlite3_stmt *st = db_stmt(
        db, CONTRIBUTIONS ", per AS (SELECT pr.department_id AS dep, count(DISTINCT ev.uid) AS "
                          "people, sum(ev.answers) AS an, sum(ev.accepted) AS acc, "
                          "sum(ev.created) AS cr, sum(ev.verified) AS ve FROM ev JOIN profiles pr "
                          "ON pr.user_id = ev.uid GROUP BY pr.department_id) SELECT d.slug, "
                          "d.name, (SELECT count(*) FROM profiles m WHERE m.department_id = d.id "
                          "AND m.left_at IS NULL), coalesce(per.people, 0), coalesce(per.an, 0), "
                          "coalesce(per.acc, 0), coalesce(per.cr, 0), coalesce(per.ve, 0) FROM "
                          "departments d LEFT JOIN per ON per.dep = d.id ORDER BY d.name");
    bind_period(st, t0, t1, NULL);
    struct recog_dept **tail = &o->depts;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct recog_dept *d = arena_alloc(a, sizeof *d);
        dept_at(a, st, d);
        d->answers = (int)db_col_int(st, 4);
        d->accepted = (int)db_col_int(st, 5);
        d->pages_new = (int)db_col_int(st, 6);
        d->verified = (int)db_col_int(st, 7);
        *tail = d;
        tail = &d->next;
    }
    return done(st, rc);
}

int recognition_thanks(struct db *db, struct arena *a, int64_t t0, int64_t t1, const char *dept,
                       int limit, int people_limit, struct recog_thanks *out)
{
    memset(out, 0, sizeof *out);
    if (!dept)
        dept = "";
    if (thanks_answers(db, a, t0, t1, dept, limit, out) != 0 ||
        thanks_most_read(db, a, t0, t1, dept, limit, out) != 0 ||
        thanks_new_pages(db, a, t0, t1, dept, limit, out) != 0 ||
        thanks_fresh(db, a, t0, t1, dept, limit, out) != 0 ||
        thanks_people(db, a, t0, t1, dept, people_limit, out) != 0 ||
        thanks_depts(db, a, t0, t1, out) != 0)
        return -1;
    return 0;
}

/* ---- engagement ---- */

/* The people who saved a page revision or wrote an answer in the period. */
#define ACTIVE                                                                                     \
    "SELECT author_id AS uid FROM revisions WHERE " IN_PERIOD("created_at") " AND author_id IS " \
    "NOT NULL UNION SELECT author_id FROM answers WHERE " IN_PERIOD("created_at")
#define ANSWERED "EXISTS (SELECT 1 FROM answers x WHERE x.question_id = q.id)"

static int engagement_counts(struct db *db, int64_t t0, int64_t t1, struct recog_engagement *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT (SELECT count(*) FROM (" ACTIVE ")), (SELECT count(DISTINCT author_id) FROM "
            "revisions WHERE " IN_PERIOD("created_at") "), (SELECT count(DISTINCT author_id) FROM "
            "answers WHERE " IN_PERIOD("created_at") "), (SELECT count(*) FROM questions q WHERE "
            IN_PERIOD("q.created_at") "), (SELECT count(*) FROM questions q WHERE "
            IN_PERIOD("q.created_at") " AND " ANSWERED "), (SELECT count(*) FROM questions q "
            "WHERE " IN_PERIOD("q.created_at") " AND q.state = 'accepted'), (SELECT count(*) FROM "
            "answers WHERE " IN_PERIOD("created_at") ")");
    bind_period(st, t0, t1, NULL);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        o->active = (int)db_col_int(st, 0);
        o->editors = (int)db_col_int(st, 1);
        o->answerers = (int)db_col_int(st, 2);
        o->asked = (int)db_col_int(st, 3);
        o->answered = (int)db_col_int(st, 4);
        o->accepted = (int)db_col_int(st, 5);
        o->answers = (int)db_col_int(st, 6);
        rc = SQLITE_DONE;
    }
    return done(st, rc);
}

/* The median, over questions asked in the period that have an answer, of the time to the first
 * one: the middle value, or the mean of the two middle values. */
static int engagement_median(struct db *db, int64_t t0, int64_t t1, struct recog_engagement *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "WITH w AS (SELECT (SELECT min(x.created_at) FROM answers x WHERE x.question_id = "
            "q.id) - q.created_at AS t FROM questions q WHERE " IN_PERIOD("q.created_at") " AND "
            ANSWERED "), o AS (SELECT t, row_number() OVER (ORDER BY t) AS rn, count(*) OVER () "
            "AS n FROM w) SELECT coalesce(CAST(round(avg(t)) AS INTEGER), -1) FROM o WHERE rn IN "
            "((n + 1) / 2, (n + 2) / 2)");
    bind_period(st, t0, t1, NULL);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        o->median_first_answer = db_col_int(st, 0);
        rc = SQLITE_DONE;
    }
    return done(st, rc);
}

static int engagement_depts(struct db *db, struct arena *a, int64_t t0, int64_t t1,
                            struct recog_engagement *o)
{
    sqlite3_stmt *st = db_stmt(
        db, "WITH act AS (" ACTIVE ") SELECT d.slug, d.name, (SELECT count(*) FROM profiles m "
            "WHERE m.department_id = d.id AND m.left_at IS NULL), (SELECT count(*) FROM act JOIN "
            "profiles m ON m.user_id = act.uid WHERE m.department_id = d.id), (SELECT count(*) "
            "FROM questions q JOIN profiles m ON m.user_id = q.asker_id WHERE m.department_id = "
            "d.id AND " IN_PERIOD("q.created_at") "), (SELECT count(*) FROM questions q JOIN "
            "profiles m ON m.user_id = q.asker_id WHERE m.department_id = d.id AND "
            IN_PERIOD("q.created_at") " AND " ANSWERED ") FROM departments d ORDER BY d.name");
    bind_period(st, t0, t1, NULL);
    struct recog_dept **tail = &o->depts;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct recog_dept *d = arena_alloc(a, sizeof *d);
        dept_at(a, st, d);
        d->asked = (int)db_col_int(st, 4);
        d->answered = (int)db_col_int(st, 5);
        *tail = d;
        tail = &d->next;
    }
    return done(st, rc);
}

int recognition_engagement(struct db *db, struct arena *a, int64_t t0, int64_t t1,
                           struct recog_engagement *out)
{
    memset(out, 0, sizeof *out);
    out->median_first_answer = -1;
    if (engagement_counts(db, t0, t1, out) != 0 || engagement_median(db, t0, t1, out) != 0 ||
        engagement_depts(db, a, t0, t1, out) != 0)
        return -1;
    return 0;
}
