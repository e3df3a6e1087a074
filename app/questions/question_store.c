#include "questions/question_store.h"
#include "search/query_read.h"
#include "core/buf.h"
#include "notify/inbox_store.h"
#include "markup/markdown.h"
#include "markup/mention.h"
#include "wiki/page_store.h"
#include "core/utf8.h"
#include <jansson.h>
#include "markup/textify.h"
#include "wiki/wikipath.h"

#include <string.h>

/* Titles weigh most, then tags, then the question, then the answers (bm25 is lower = better). */
#define QBM25 "bm25(question_search, 10.0, 2.0, 1.0, 4.0)"

static const char *const BUSY = "the database is busy; try again in a moment";

int question_state_valid(const char *state)
{
    return state && (strcmp(state, "open") == 0 || strcmp(state, "answered") == 0 ||
                     strcmp(state, "accepted") == 0);
}

/* Returns s with CRLF and lone CR turned into LF, in a. */
static char *unix_newlines(struct arena *a, const char *s)
{
    char *out = arena_strdup(a, s ? s : ""), *w = out;
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\r') {
            *w++ = '\n';
            if (p[1] == '\n')
                p++;
        } else {
            *w++ = *p;
        }
    }
    *w = 0;
    return out;
}

static const char *check_text(const char *s, size_t max, const char *what, struct arena *a)
{
    size_t n = strlen(s);
    if (n > max)
        return arena_printf(a, "the %s is longer than %zu KiB", what, max >> 10);
    if (!utf8_valid(s, n))
        return "the text is not valid UTF-8, or holds control characters other than tabs and "
               "line breaks";
    return NULL;
}

static const char *check_title(const char *title)
{
    size_t n = title ? strlen(title) : 0;
    if (n == 0 || n > QUESTION_TITLE_MAX)
        return "a question needs a title of 1 to 200 characters";
    if (strchr(title, '\n') || strchr(title, '\r'))
        return "a title is a single line";
    if (!utf8_valid(title, n))
        return "the title is not valid UTF-8";
    return NULL;
}

/* Returns the first ~200 bytes of s as one line (for inbox excerpts), in a. */
static const char *excerpt(struct arena *a, const char *s)
{
    size_t n = strlen(s);
    if (n > 200) {
        n = 200;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    char *e = arena_strndup(a, s, n);
    for (char *p = e; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    return n < strlen(s) ? arena_printf(a, "%s…", e) : e;
}

/* ---- the search index ---- */

struct qwords {
    const char *title, *body, *answers, *tags;
};

static int qwords_load(struct db *db, struct arena *a, int64_t id, struct qwords *w)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT title, body, answers, tags FROM question_text WHERE "
                                   "question_id = :id");
    db_bind_int(st, ":id", id);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) {
        w->title = arena_strdup(a, db_col_text(st, 0));
        w->body = arena_strdup(a, db_col_text(st, 1));
        w->answers = arena_strdup(a, db_col_text(st, 2));
        w->tags = arena_strdup(a, db_col_text(st, 3));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void qwords_bind(sqlite3_stmt *st, int64_t id, const struct qwords *w)
{
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":title", w->title);
    db_bind_text(st, ":body", w->body);
    db_bind_text(st, ":answers", w->answers);
    db_bind_text(st, ":tags", w->tags);
}

/* Indexes question `id` as it is now: its title, tags, text and every answer's text. FTS5
 * external content forgets a row only when told the words it indexed, so those go first. */
static int index_put(struct db *db, struct arena *a, int64_t id)
{
    struct qwords old, w;
    int had = qwords_load(db, a, id, &old);
    if (had < 0)
        return -1;
    if (had) {
        sqlite3_stmt *st = db_stmt(db, "INSERT INTO question_search(question_search, rowid, title, "
                                       "body, answers, tags) VALUES ('delete', :id, :title, :body, "
                                       ":answers, :tags)");
        qwords_bind(st, id, &old);
        if (db_run(st) != 0)
            return -1;
    }
    sqlite3_stmt *st = db_stmt(db, "SELECT title, html, tags FROM questions WHERE id = :id");
    db_bind_int(st, ":id", id);
    const char *html = "";
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return -1;
    }
    w.title = arena_strdup(a, db_col_text(st, 0));
    html = arena_strdup(a, db_col_text(st, 1));
    w.tags = arena_strdup(a, db_col_text(st, 2));
    sqlite3_reset(st);
    char *body, *headings;
    textify_html(a, html, &body, &headings);
    w.body = body;
    struct buf ans;
    buf_init(&ans, 0);
    st = db_stmt(db, "SELECT html FROM answers WHERE question_id = :id ORDER BY id");
    db_bind_int(st, ":id", id);
    while (db_step(st) == SQLITE_ROW) {
        char *text;
        textify_html(a, db_col_text(st, 0), &text, &headings);
        buf_printf(&ans, "%s%s", ans.len ? "\n" : "", text);
    }
    sqlite3_reset(st);
    w.answers = arena_adopt(a, buf_take(&ans));
    st = db_stmt(db, "INSERT OR REPLACE INTO question_text(question_id, title, body, answers, tags) "
                     "VALUES (:id, :title, :body, :answers, :tags)");
    qwords_bind(st, id, &w);
    if (db_run(st) != 0)
        return -1;
    st = db_stmt(db, "INSERT INTO question_search(rowid, title, body, answers, tags) VALUES (:id, "
                     ":title, :body, :answers, :tags)");
    qwords_bind(st, id, &w);
    return db_run(st);
}

int question_store_reindex(struct db *db, struct arena *a)
{
    if (db_begin(db) != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO question_search(question_search) VALUES "
                                   "('delete-all')");
    int rc = db_run(st);
    st = db_stmt(db, "DELETE FROM question_text");
    if (rc == 0)
        rc = db_run(st);
    st = db_stmt(db, "SELECT id FROM questions ORDER BY id");
    struct id {
        int64_t v;
        struct id *next;
    } *ids = NULL;
    while (rc == 0 && db_step(st) == SQLITE_ROW) {
        struct id *i = arena_alloc(a, sizeof *i);
        i->v = db_col_int(st, 0);
        i->next = ids;
        ids = i;
    }
    sqlite3_reset(st);
    for (struct id *i = ids; rc == 0 && i; i = i->next)
        rc = index_put(db, a, i->v);
    if (rc != 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db);
}

/* ---- mentions and tags ---- */

/* Tells everyone @mentioned in `text` but not in `before` (the earlier version, or NULL), other
 * than the writer, who can sign in. */
static int tell_mentioned(struct db *db, struct arena *a, const char *text, const char *before,
                          int64_t qid, int64_t aid, int64_t actor, int64_t now)
{
    struct mention *old = before ? mention_parse(a, before) : NULL;
    for (struct mention *m = mention_parse(a, text); m; m = m->next) {
        int seen = 0;
        for (struct mention *o = old; o && !seen; o = o->next)
            seen = strcmp(o->login, m->login) == 0;
        if (seen)
            continue;
        sqlite3_stmt *st = db_stmt(db, "SELECT id FROM users WHERE login = :login AND disabled = 0");
        db_bind_text(st, ":login", m->login);
        int64_t uid = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
        sqlite3_reset(st);
        if (uid && uid != actor &&
            inbox_store_add(db, uid, INBOX_MENTION, qid, aid, actor, excerpt(a, text), now) != 0)
            return -1;
    }
    return 0;
}

static int store_tags(struct db *db, int64_t qid, const char *tags)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM question_tags WHERE question_id = :q");
    db_bind_int(st, ":q", qid);
    if (db_run(st) != 0)
        return -1;
    for (const char *p = tags; *p;) {
        size_t n = strcspn(p, PAGE_TAGS_SEP);
        st = db_stmt(db, "INSERT OR IGNORE INTO question_tags(question_id, tag) VALUES (:q, :tag)");
        db_bind_int(st, ":q", qid);
        db_bind_textn(st, ":tag", p, n);
        if (db_run(st) != 0)
            return -1;
        p += n + (p[n] != 0);
    }
    return 0;
}

static int fail(struct db *db, struct arena *a, const char **why, const char *what)
{
    *why = arena_printf(a, "%s: %s", what, db_errmsg(db));
    db_rollback(db);
    return 500;
}

/* Rolls the write back and returns `status` with *why = what: for a request the data refuses
 * (no such question or answer). */
static int refuse(struct db *db, const char **why, int status, const char *what)
{
    db_rollback(db);
    *why = what;
    return status;
}

/* Returns 503 with *why saying so: for a write whose transaction could not begin. */
static int busy(const char **why)
{
    *why = BUSY;
    return 503;
}

/* ---- questions ---- */

/* A question's text as it is saved. */
struct question_input {
    const char *title, *md; /* md: with Unix line breaks */
    char *tags, *html;      /* tags: normalised; html: rendered from md */
};

/* Checks a question's title, text and tags and fills *in. Returns 0, or 400 with *why. */
static int question_input_check(struct db *db, struct arena *a, const char *title,
                                const char *markdown, const char *tags, struct question_input *in,
                                const char **why)
{
    if ((*why = check_title(title)))
        return 400;
    in->title = title;
    in->md = unix_newlines(a, markdown);
    if ((*why = check_text(in->md, QUESTION_MARKDOWN_MAX, "question", a)))
        return 400;
    if (!(in->tags = page_tags_normalise(a, tags, why)))
        return 400;
    if (!(in->html = markdown_render_people(a, in->md, strlen(in->md), NULL, page_store_resolve,
                                            db, NULL, NULL, why)))
        return 400;
    return 0;
}

/* Binds :title, :tags, :md and :html to in's. */
static void question_input_bind(sqlite3_stmt *st, const struct question_input *in)
{
    db_bind_text(st, ":title", in->title);
    db_bind_text(st, ":tags", in->tags);
    db_bind_text(st, ":md", in->md);
    db_bind_text(st, ":html", in->html);
}

/* Records `in` as revision `number` of question qid, written by author_id. Returns 0 or -1. */
static int question_revision_add(struct db *db, int64_t qid, int number, int64_t author_id,
                                 int64_t now, const struct question_input *in)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO question_revisions(question_id, number, author_id, "
                                   "created_at, title, tags, markdown) VALUES (:q, :n, :user, "
                                   ":now, :title, :tags, :md)");
    db_bind_int(st, ":q", qid);
    db_bind_int(st, ":n", number);
    db_bind_int(st, ":user", author_id);
    db_bind_int(st, ":now", now);
    db_bind_text(st, ":title", in->title);
    db_bind_text(st, ":tags", in->tags);
    db_bind_text(st, ":md", in->md);
    return db_run(st);
}

/* Saves a question; `quiet` (an import) tells nobody it mentions. As question_store_ask. */
static int ask(struct db *db, struct arena *a, int64_t asker_id, const char *title,
               const char *markdown, const char *tags, int64_t now, int quiet, int64_t *id,
               const char **why)
{
    struct question_input in;
    int rc = question_input_check(db, a, title, markdown, tags, &in, why);
    if (rc)
        return rc;
    if (db_begin(db) != 0)
        return busy(why);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO questions(asker_id, title, tags, markdown, html, "
                                   "created_at, updated_at) VALUES (:asker, :title, :tags, :md, "
                                   ":html, :now, :now)");
    db_bind_int(st, ":asker", asker_id);
    question_input_bind(st, &in);
    db_bind_int(st, ":now", now);
    if (db_run(st) != 0)
        return fail(db, a, why, "the question could not be saved");
    *id = db_last_id(db);
    if (question_revision_add(db, *id, 1, asker_id, now, &in) != 0 ||
        store_tags(db, *id, in.tags) != 0 || index_put(db, a, *id) != 0 ||
        (!quiet && tell_mentioned(db, a, arena_printf(a, "%s\n\n%s", title, in.md), NULL, *id, 0,
                                  asker_id, now) != 0))
        return fail(db, a, why, "the question could not be saved");
    if (db_commit(db) != 0)
        return fail(db, a, why, "the question could not be saved");
    return 201;
}

int question_store_ask(struct db *db, struct arena *a, int64_t asker_id, const char *title,
                       const char *markdown, const char *tags, int64_t now, int64_t *id,
                       const char **why)
{
    return ask(db, a, asker_id, title, markdown, tags, now, 0, id, why);
}

int question_store_import_question(struct db *db, struct arena *a, int64_t asker_id,
                                   const char *title, const char *markdown, const char *tags,
                                   int64_t created_at, int64_t *id, const char **why)
{
    return ask(db, a, asker_id, title, markdown, tags, created_at, 1, id, why);
}

int question_store_edit(struct db *db, struct arena *a, int64_t id, int64_t editor_id,
                        const char *title, const char *markdown, const char *tags, int64_t now,
                        const char **why)
{
    struct question_input in;
    int rc = question_input_check(db, a, title, markdown, tags, &in, why);
    if (rc)
        return rc;
    if (db_begin(db) != 0)
        return busy(why);
    sqlite3_stmt *st = db_stmt(db, "SELECT rev_count, markdown FROM questions WHERE id = :id");
    db_bind_int(st, ":id", id);
    int revs = -1;
    const char *before = NULL;
    if (db_step(st) == SQLITE_ROW) {
        revs = (int)db_col_int(st, 0);
        before = arena_strdup(a, db_col_text(st, 1));
    }
    sqlite3_reset(st);
    if (revs < 0)
        return refuse(db, why, 404, "there is no such question");
    st = db_stmt(db, "UPDATE questions SET title = :title, tags = :tags, markdown = :md, html = "
                     ":html, rev_count = :n, updated_at = :now WHERE id = :id");
    question_input_bind(st, &in);
    db_bind_int(st, ":n", revs + 1);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0 || question_revision_add(db, id, revs + 1, editor_id, now, &in) != 0 ||
        store_tags(db, id, in.tags) != 0 || index_put(db, a, id) != 0 ||
        tell_mentioned(db, a, in.md, before, id, 0, editor_id, now) != 0)
        return fail(db, a, why, "the question could not be saved");
    if (db_commit(db) != 0)
        return fail(db, a, why, "the question could not be saved");
    return 200;
}

static struct question_comment *comment_from_row(struct arena *a, sqlite3_stmt *st)
{
    struct question_comment *c = arena_alloc(a, sizeof *c);
    c->id = db_col_int(st, 0);
    c->author_login = arena_strdup(a, db_col_text(st, 2));
    c->author_name = arena_strdup(a, db_col_text(st, 3));
    c->body = arena_strdup(a, db_col_text(st, 4));
    c->created_at = db_col_int(st, 5);
    return c;
}

static struct answer *answer_from_row(struct arena *a, sqlite3_stmt *st)
{
    struct answer *an = arena_alloc(a, sizeof *an);
    an->id = db_col_int(st, 0);
    an->question_id = db_col_int(st, 1);
    an->author_id = db_col_int(st, 2);
    an->author_login = arena_strdup(a, db_col_text(st, 3));
    an->author_name = arena_strdup(a, db_col_text(st, 4));
    an->markdown = arena_strdup(a, db_col_text(st, 5));
    an->html = arena_strdup(a, db_col_text(st, 6));
    an->votes = (int)db_col_int(st, 7);
    an->rev_count = (int)db_col_int(st, 8);
    an->created_at = db_col_int(st, 9);
    an->updated_at = db_col_int(st, 10);
    an->accepted = (int)db_col_int(st, 11);
    an->voted = (int)db_col_int(st, 12);
    return an;
}

#define ANSWER_COLUMNS                                                                             \
    "a.id, a.question_id, a.author_id, u.login, u.name, a.markdown, a.html, a.votes, a.rev_count, " \
    "a.created_at, a.updated_at, coalesce(q.accepted_answer_id = a.id, 0), "                        \
    "EXISTS (SELECT 1 FROM answer_votes v WHERE v.answer_id = a.id AND v.user_id = :viewer) "      \
    "FROM answers a JOIN users u ON u.id = a.author_id JOIN questions q ON q.id = a.question_id "

struct answer *question_store_answer_get(struct db *db, struct arena *a, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ANSWER_COLUMNS "WHERE a.id = :id");
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":viewer", 0);
    struct answer *an = db_step(st) == SQLITE_ROW ? answer_from_row(a, st) : NULL;
    sqlite3_reset(st);
    return an;
}

static void load_answers(struct db *db, struct arena *a, struct question *q, int64_t viewer_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ANSWER_COLUMNS "WHERE a.question_id = :q ORDER BY "
                                   "q.accepted_answer_id = a.id DESC, a.votes DESC, a.created_at, "
                                   "a.id");
    db_bind_int(st, ":q", q->id);
    db_bind_int(st, ":viewer", viewer_id);
    struct answer **tail = &q->answers;
    while (db_step(st) == SQLITE_ROW) {
        *tail = answer_from_row(a, st);
        tail = &(*tail)->next;
        q->answer_count++;
    }
    sqlite3_reset(st);
    st = db_stmt(db, "SELECT c.id, coalesce(c.answer_id, 0), u.login, u.name, c.body, c.created_at "
                     "FROM question_comments c JOIN users u ON u.id = c.author_id WHERE "
                     "c.question_id = :q ORDER BY c.created_at DESC, c.id DESC");
    db_bind_int(st, ":q", q->id);
    while (db_step(st) == SQLITE_ROW) { /* newest first, each pushed on its list's front */
        struct question_comment *c = comment_from_row(a, st);
        int64_t aid = db_col_int(st, 1);
        struct question_comment **list = &q->comments;
        for (struct answer *an = q->answers; an && aid; an = an->next)
            if (an->id == aid)
                list = &an->comments;
        c->next = *list;
        *list = c;
    }
    sqlite3_reset(st);
}

static void load_routes(struct db *db, struct arena *a, struct question *q)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.login, u.name, r.why, r.round, r.score, r.asked_at, EXISTS (SELECT 1 FROM "
            "answers a WHERE a.question_id = r.question_id AND a.author_id = r.user_id) "
            "FROM question_routes r JOIN users u ON u.id = r.user_id WHERE r.question_id = :q "
            "ORDER BY r.round, r.score DESC");
    db_bind_int(st, ":q", q->id);
    struct question_route **tail = &q->routes;
    while (db_step(st) == SQLITE_ROW) {
        struct question_route *r = arena_alloc(a, sizeof *r);
        r->login = arena_strdup(a, db_col_text(st, 0));
        r->name = arena_strdup(a, db_col_text(st, 1));
        r->why = arena_strdup(a, db_col_text(st, 2));
        r->round = (int)db_col_int(st, 3);
        r->score = sqlite3_column_double(st, 4);
        r->asked_at = db_col_int(st, 5);
        r->answered = (int)db_col_int(st, 6);
        *tail = r;
        tail = &r->next;
    }
    sqlite3_reset(st);
}

struct question *question_store_get(struct db *db, struct arena *a, int64_t id, int64_t viewer_id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT q.id, q.asker_id, u.login, u.name, q.title, q.markdown, q.html, q.tags, "
            "q.state, q.rev_count, coalesce(q.accepted_answer_id, 0), coalesce(q.page_path, ''), "
            "q.created_at, q.updated_at, q.route_round, q.routed_at FROM questions q "
            "JOIN users u ON u.id = q.asker_id WHERE q.id = :id");
    db_bind_int(st, ":id", id);
    struct question *q = NULL;
    if (db_step(st) == SQLITE_ROW) {
        q = arena_alloc(a, sizeof *q);
        q->id = db_col_int(st, 0);
        q->asker_id = db_col_int(st, 1);
        q->asker_login = arena_strdup(a, db_col_text(st, 2));
        q->asker_name = arena_strdup(a, db_col_text(st, 3));
        q->title = arena_strdup(a, db_col_text(st, 4));
        q->markdown = arena_strdup(a, db_col_text(st, 5));
        q->html = arena_strdup(a, db_col_text(st, 6));
        q->tags = arena_strdup(a, db_col_text(st, 7));
        q->state = arena_strdup(a, db_col_text(st, 8));
        q->rev_count = (int)db_col_int(st, 9);
        q->accepted_answer_id = db_col_int(st, 10);
        q->page_path = arena_strdup(a, db_col_text(st, 11));
        q->created_at = db_col_int(st, 12);
        q->updated_at = db_col_int(st, 13);
        q->route_round = (int)db_col_int(st, 14);
        q->routed_at = db_col_int(st, 15);
    }
    sqlite3_reset(st);
    if (q) {
        load_answers(db, a, q, viewer_id);
        load_routes(db, a, q);
    }
    return q;
}

struct question_revision *question_store_revisions(struct db *db, struct arena *a, int64_t id,
                                                   int64_t answer_id)
{
    sqlite3_stmt *st;
    if (answer_id) {
        st = db_stmt(db, "SELECT r.number, coalesce(u.login, ''), coalesce(u.name, 'unknown'), '', "
                         "'', r.markdown, r.created_at FROM answer_revisions r LEFT JOIN users u "
                         "ON u.id = r.author_id WHERE r.answer_id = :id ORDER BY r.number DESC");
        db_bind_int(st, ":id", answer_id);
    } else {
        st = db_stmt(db, "SELECT r.number, coalesce(u.login, ''), coalesce(u.name, 'unknown'), "
                         "r.title, r.tags, r.markdown, r.created_at FROM question_revisions r "
                         "LEFT JOIN users u ON u.id = r.author_id WHERE r.question_id = :id "
                         "ORDER BY r.number DESC");
        db_bind_int(st, ":id", id);
    }
    struct question_revision *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct question_revision *r = arena_alloc(a, sizeof *r);
        r->number = (int)db_col_int(st, 0);
        r->author_login = arena_strdup(a, db_col_text(st, 1));
        r->author_name = arena_strdup(a, db_col_text(st, 2));
        r->title = arena_strdup(a, db_col_text(st, 3));
        r->tags = arena_strdup(a, db_col_text(st, 4));
        r->markdown = arena_strdup(a, db_col_text(st, 5));
        r->created_at = db_col_int(st, 6);
        *tail = r;
        tail = &r->next;
    }
    sqlite3_reset(st);
    return head;
}

/* ---- answers, comments, votes ---- */

/* Checks an answer's text. Returns it with Unix line breaks and *html rendered from it, or NULL
 * with *why (a 400). */
static const char *answer_input(struct db *db, struct arena *a, const char *markdown, char **html,
                                const char **why)
{
    const char *md = unix_newlines(a, markdown);
    if (!*md || strspn(md, " \t\n") == strlen(md)) {
        *why = "an answer needs some text";
        return NULL;
    }
    if ((*why = check_text(md, ANSWER_MARKDOWN_MAX, "answer", a)))
        return NULL;
    if (!(*html = markdown_render_people(a, md, strlen(md), NULL, page_store_resolve, db, NULL,
                                         NULL, why)))
        return NULL;
    return md;
}

/* Records `md` as revision `number` of answer aid, written by author_id. Returns 0 or -1. */
static int answer_revision_add(struct db *db, int64_t aid, int number, int64_t author_id,
                               int64_t now, const char *md)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO answer_revisions(answer_id, number, author_id, "
                                   "created_at, markdown) VALUES (:a, :n, :user, :now, :md)");
    db_bind_int(st, ":a", aid);
    db_bind_int(st, ":n", number);
    db_bind_int(st, ":user", author_id);
    db_bind_int(st, ":now", now);
    db_bind_text(st, ":md", md);
    return db_run(st);
}

/* Saves an answer. An import (`im` not NULL) tells nobody, and brings the votes the answer had
 * and whether it was accepted. As question_store_answer. */
static int answer(struct db *db, struct arena *a, int64_t qid, int64_t author_id,
                  const char *markdown, int64_t now, const struct question_answer_import *im,
                  int64_t *answer_id, const char **why)
{
    char *html;
    const char *md = answer_input(db, a, markdown, &html, why);
    if (!md)
        return 400;
    if (db_begin(db) != 0)
        return busy(why);
    sqlite3_stmt *st = db_stmt(db, "SELECT asker_id FROM questions WHERE id = :q");
    db_bind_int(st, ":q", qid);
    int64_t asker = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    if (!asker)
        return refuse(db, why, 404, "there is no such question");
    st = db_stmt(db, "INSERT INTO answers(question_id, author_id, markdown, html, votes, "
                     "imported_votes, created_at, updated_at) VALUES (:q, :user, :md, :html, "
                     ":votes, :votes, :now, :now)");
    db_bind_int(st, ":votes", im ? im->votes : 0);
    db_bind_int(st, ":q", qid);
    db_bind_int(st, ":user", author_id);
    db_bind_text(st, ":md", md);
    db_bind_text(st, ":html", html);
    db_bind_int(st, ":now", now);
    if (db_run(st) != 0)
        return fail(db, a, why, "the answer could not be saved");
    *answer_id = db_last_id(db);
    if (answer_revision_add(db, *answer_id, 1, author_id, now, md) != 0)
        return fail(db, a, why, "the answer could not be saved");
    st = im && im->accepted
             ? db_stmt(db, "UPDATE questions SET state = 'accepted', accepted_answer_id = :a, "
                           "accepted_at = :now, updated_at = max(updated_at, :now) WHERE id = :q")
             : db_stmt(db, "UPDATE questions SET state = CASE state WHEN 'open' THEN 'answered' "
                           "ELSE state END, updated_at = max(updated_at, :now) WHERE id = :q");
    if (im && im->accepted)
        db_bind_int(st, ":a", *answer_id);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":q", qid);
    if (db_run(st) != 0 || index_put(db, a, qid) != 0)
        return fail(db, a, why, "the answer could not be saved");
    if (im)
        return db_commit(db) != 0 ? fail(db, a, why, "the answer could not be saved") : 201;
    if ((asker != author_id &&
         inbox_store_add(db, asker, INBOX_ANSWER, qid, *answer_id, author_id, excerpt(a, md),
                         now) != 0) ||
        tell_mentioned(db, a, md, NULL, qid, *answer_id, author_id, now) != 0)
        return fail(db, a, why, "the answer could not be saved");
    /* Whoever ken asked and now answered has dealt with it. */
    if (inbox_store_mark_question(db, author_id, qid, now) != 0 || db_commit(db) != 0)
        return fail(db, a, why, "the answer could not be saved");
    return 201;
}

int question_store_answer(struct db *db, struct arena *a, int64_t qid, int64_t author_id,
                          const char *markdown, int64_t now, int64_t *answer_id, const char **why)
{
    return answer(db, a, qid, author_id, markdown, now, NULL, answer_id, why);
}

int question_store_import_answer(struct db *db, struct arena *a, int64_t qid, int64_t author_id,
                                 const char *markdown, int64_t created_at,
                                 const struct question_answer_import *im, int64_t *answer_id,
                                 const char **why)
{
    return answer(db, a, qid, author_id, markdown, created_at, im, answer_id, why);
}

int question_store_answer_edit(struct db *db, struct arena *a, int64_t id, int64_t editor_id,
                               const char *markdown, int64_t now, const char **why)
{
    char *html;
    const char *md = answer_input(db, a, markdown, &html, why);
    if (!md)
        return 400;
    if (db_begin(db) != 0)
        return busy(why);
    sqlite3_stmt *st = db_stmt(db, "SELECT question_id, rev_count, markdown FROM answers WHERE id "
                                   "= :id");
    db_bind_int(st, ":id", id);
    int64_t qid = 0;
    int revs = 0;
    const char *before = NULL;
    if (db_step(st) == SQLITE_ROW) {
        qid = db_col_int(st, 0);
        revs = (int)db_col_int(st, 1);
        before = arena_strdup(a, db_col_text(st, 2));
    }
    sqlite3_reset(st);
    if (!qid)
        return refuse(db, why, 404, "there is no such answer");
    st = db_stmt(db, "UPDATE answers SET markdown = :md, html = :html, rev_count = :n, updated_at "
                     "= :now WHERE id = :id");
    db_bind_text(st, ":md", md);
    db_bind_text(st, ":html", html);
    db_bind_int(st, ":n", revs + 1);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":id", id);
    if (db_run(st) != 0 || answer_revision_add(db, id, revs + 1, editor_id, now, md) != 0 ||
        index_put(db, a, qid) != 0 ||
        tell_mentioned(db, a, md, before, qid, id, editor_id, now) != 0 || db_commit(db) != 0)
        return fail(db, a, why, "the answer could not be saved");
    return 200;
}

/* Saves a comment; `quiet` (an import) tells nobody. As question_store_comment. */
static int comment(struct db *db, struct arena *a, int64_t qid, int64_t answer_id,
                   int64_t author_id, const char *body, int64_t now, int quiet,
                   int64_t *comment_id, const char **why)
{
    const char *t = unix_newlines(a, body);
    t += strspn(t, " \t\n");
    size_t n = strlen(t);
    while (n && strchr(" \t\n", t[n - 1]))
        n--;
    const char *text = arena_strndup(a, t, n);
    if (!*text || strlen(text) > COMMENT_MAX) {
        *why = "a comment is 1 to 600 characters of plain text";
        return 400;
    }
    if (!utf8_valid(text, strlen(text))) {
        *why = "the comment is not valid UTF-8";
        return 400;
    }
    if (db_begin(db) != 0)
        return busy(why);
    /* Who is told: the answer's author for a comment on an answer, else the asker. */
    sqlite3_stmt *st = db_stmt(db, "SELECT q.asker_id, coalesce((SELECT author_id FROM answers "
                                   "WHERE id = :a AND question_id = q.id), 0) FROM questions q "
                                   "WHERE q.id = :q");
    db_bind_int(st, ":q", qid);
    db_bind_int(st, ":a", answer_id);
    int64_t asker = 0, answerer = 0;
    if (db_step(st) == SQLITE_ROW) {
        asker = db_col_int(st, 0);
        answerer = db_col_int(st, 1);
    }
    sqlite3_reset(st);
    if (!asker || (answer_id && !answerer))
        return refuse(db, why, 404,
                      answer_id ? "there is no such answer to this question"
                                : "there is no such question");
    st = db_stmt(db, "INSERT INTO question_comments(question_id, answer_id, author_id, body, "
                     "created_at) VALUES (:q, :a, :user, :body, :now)");
    db_bind_int(st, ":q", qid);
    if (answer_id)
        db_bind_int(st, ":a", answer_id);
    else
        db_bind_null(st, ":a");
    db_bind_int(st, ":user", author_id);
    db_bind_text(st, ":body", text);
    db_bind_int(st, ":now", now);
    if (db_run(st) != 0)
        return fail(db, a, why, "the comment could not be saved");
    *comment_id = db_last_id(db);
    int64_t owner = answer_id ? answerer : asker;
    if (quiet)
        return db_commit(db) != 0 ? fail(db, a, why, "the comment could not be saved") : 201;
    if ((owner != author_id && inbox_store_add(db, owner, INBOX_COMMENT, qid, answer_id, author_id,
                                               excerpt(a, text), now) != 0) ||
        tell_mentioned(db, a, text, NULL, qid, answer_id, author_id, now) != 0 ||
        db_commit(db) != 0)
        return fail(db, a, why, "the comment could not be saved");
    return 201;
}

int question_store_comment(struct db *db, struct arena *a, int64_t qid, int64_t answer_id,
                           int64_t author_id, const char *body, int64_t now, int64_t *comment_id,
                           const char **why)
{
    return comment(db, a, qid, answer_id, author_id, body, now, 0, comment_id, why);
}

int question_store_import_comment(struct db *db, struct arena *a, int64_t qid, int64_t answer_id,
                                  int64_t author_id, const char *body, int64_t created_at,
                                  int64_t *comment_id, const char **why)
{
    return comment(db, a, qid, answer_id, author_id, body, created_at, 1, comment_id, why);
}

int question_store_link(struct db *db, int64_t qid, int64_t linked_id, int duplicate)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT OR IGNORE INTO question_links(question_id, linked_id, "
                                   "kind) VALUES (:q, :l, :kind)");
    db_bind_int(st, ":q", qid);
    db_bind_int(st, ":l", linked_id);
    db_bind_text(st, ":kind", duplicate ? "duplicate" : "related");
    return db_run(st);
}

int question_store_vote(struct db *db, int64_t id, int64_t user_id, int on, int64_t now,
                        int *votes, const char **why)
{
    if (db_begin(db) != 0)
        return busy(why);
    sqlite3_stmt *st = db_stmt(db, "SELECT author_id FROM answers WHERE id = :id");
    db_bind_int(st, ":id", id);
    int64_t author = db_step(st) == SQLITE_ROW ? db_col_int(st, 0) : 0;
    sqlite3_reset(st);
    if (!author || author == user_id)
        return refuse(db, why, author ? 403 : 404,
                      author ? "you cannot vote for your own answer" : "there is no such answer");
    st = on ? db_stmt(db, "INSERT OR IGNORE INTO answer_votes(answer_id, user_id, created_at) "
                          "VALUES (:id, :user, :now)")
            : db_stmt(db, "DELETE FROM answer_votes WHERE answer_id = :id AND user_id = :user");
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":user", user_id);
    if (on)
        db_bind_int(st, ":now", now);
    int rc = db_run(st);
    st = db_stmt(db, "UPDATE answers SET votes = imported_votes + (SELECT count(*) FROM "
                     "answer_votes WHERE answer_id = :id) WHERE id = :id RETURNING votes");
    db_bind_int(st, ":id", id);
    if (rc != 0 || db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        db_rollback(db);
        *why = "the vote could not be saved";
        return 500;
    }
    *votes = (int)db_col_int(st, 0);
    sqlite3_reset(st);
    if (db_commit(db) != 0) {
        *why = "the vote could not be saved";
        return 500;
    }
    return 200;
}

int question_store_may_accept(struct db *db, const struct question *q, const struct user *user)
{
    if (!user || !q)
        return 0;
    if (user->id == q->asker_id || user->role == ROLE_ADMIN)
        return 1;
    sqlite3_stmt *st = db_stmt(
        db, "SELECT 1 FROM question_tags t JOIN skills s ON t.tag = s.slug OR t.tag = lower(s.name) "
            "OR EXISTS (SELECT 1 FROM skill_aliases al WHERE al.skill_id = s.id AND al.alias = t.tag) "
            "JOIN person_skills ps ON ps.skill_id = s.id AND ps.user_id = :user AND ps.level = 3 "
            "WHERE t.question_id = :q LIMIT 1");
    db_bind_int(st, ":user", user->id);
    db_bind_int(st, ":q", q->id);
    int yes = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

int question_store_accept(struct db *db, struct arena *a, int64_t id, int64_t by_id, int64_t now,
                          int64_t *qid, const char **why)
{
    if (db_begin(db) != 0)
        return busy(why);
    sqlite3_stmt *st = db_stmt(db, "SELECT question_id, author_id, markdown FROM answers WHERE id "
                                   "= :id");
    db_bind_int(st, ":id", id);
    int64_t author = 0;
    const char *md = "";
    *qid = 0;
    if (db_step(st) == SQLITE_ROW) {
        *qid = db_col_int(st, 0);
        author = db_col_int(st, 1);
        md = arena_strdup(a, db_col_text(st, 2));
    }
    sqlite3_reset(st);
    if (!*qid)
        return refuse(db, why, 404, "there is no such answer");
    st = db_stmt(db, "UPDATE questions SET state = 'accepted', accepted_answer_id = :a, accepted_at "
                     "= :now, updated_at = :now WHERE id = :q AND coalesce(accepted_answer_id, 0) "
                     "<> :a");
    db_bind_int(st, ":a", id);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":q", *qid);
    if (db_run(st) != 0)
        return fail(db, a, why, "the answer could not be accepted");
    if (db_changes(db) && author != by_id &&
        inbox_store_add(db, author, INBOX_ACCEPTED, *qid, id, by_id, excerpt(a, md), now) != 0)
        return fail(db, a, why, "the answer could not be accepted");
    if (db_commit(db) != 0)
        return fail(db, a, why, "the answer could not be accepted");
    return 200;
}

int question_store_promote(struct db *db, struct arena *a, int64_t qid, const char *path,
                           int64_t now, const char **why)
{
    if ((*why = wikipath_check(path ? path : "")))
        return 400;
    struct question *q = question_store_get(db, a, qid, 0);
    if (!q) {
        *why = "there is no such question";
        return 404;
    }
    if (*q->page_path) {
        *why = arena_printf(a, "this answer is the page %s already", q->page_path);
        return 409;
    }
    struct answer *an = q->accepted_answer_id ? question_store_answer_get(db, a, q->accepted_answer_id)
                                              : NULL;
    if (!an) {
        *why = "only an accepted answer can become a page";
        return 400;
    }
    if (page_store_get(db, a, path)) {
        *why = arena_printf(a, "there is a page at %s already; choose another path", path);
        return 409;
    }
    struct page_edit e = {
        .path = path,
        .title = q->title,
        .markdown = arena_printf(a, "%s\n\n---\n*This page began as an accepted answer to "
                                    "[a question](/questions/%lld).*\n",
                                 an->markdown, (long long)qid),
        .tags = q->tags,
        .summary = arena_printf(a, "From the accepted answer to question %lld", (long long)qid),
        .base_rev = 0,
        .author_id = an->author_id,
        .at = now,
    };
    if (db_begin(db) != 0)
        return busy(why);
    int rev;
    enum page_save_result res = page_store_save(db, a, &e, &rev, why);
    if (res != PAGE_CREATED) {
        db_rollback(db);
        if (res == PAGE_UPDATED || res == PAGE_MERGED)
            *why = arena_printf(a, "there is a page at %s already; choose another path", path);
        return res == PAGE_CONFLICT || res == PAGE_MERGED || res == PAGE_UPDATED ? 409
               : res == PAGE_INVALID                                           ? 400
               : res == PAGE_BUSY                                              ? 503
                                                                               : 500;
    }
    sqlite3_stmt *st = db_stmt(db, "UPDATE questions SET page_path = :path, updated_at = :now "
                                   "WHERE id = :q");
    db_bind_text(st, ":path", path);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":q", qid);
    if (db_run(st) != 0 || db_commit(db) != 0)
        return fail(db, a, why, "the page could not be made");
    return 201;
}

/* ---- lists and search ---- */

#define HIT_COLUMNS                                                                                \
    "q.id, q.title, q.state, q.tags, u.login, u.name, (SELECT count(*) FROM answers a WHERE "      \
    "a.question_id = q.id), coalesce((SELECT max(votes) FROM answers a WHERE a.question_id = "     \
    "q.id), 0), q.created_at, q.updated_at, coalesce((SELECT d.slug FROM profiles p JOIN "     \
    "departments d ON d.id = p.department_id WHERE p.user_id = q.asker_id), ''), coalesce(("      \
    "SELECT d.name FROM profiles p JOIN departments d ON d.id = p.department_id WHERE p.user_id " \
    "= q.asker_id), '') "

static struct question_hit *hit_from_row(struct arena *a, sqlite3_stmt *st)
{
    struct question_hit *h = arena_alloc(a, sizeof *h);
    h->id = db_col_int(st, 0);
    h->title = arena_strdup(a, db_col_text(st, 1));
    h->state = arena_strdup(a, db_col_text(st, 2));
    h->tags = arena_strdup(a, db_col_text(st, 3));
    h->asker_login = arena_strdup(a, db_col_text(st, 4));
    h->asker_name = arena_strdup(a, db_col_text(st, 5));
    h->answers = (int)db_col_int(st, 6);
    h->votes = (int)db_col_int(st, 7);
    h->created_at = db_col_int(st, 8);
    h->updated_at = db_col_int(st, 9);
    h->asker_dept = arena_strdup(a, db_col_text(st, 10));
    h->asker_dept_name = arena_strdup(a, db_col_text(st, 11));
    h->snippet = "";
    return h;
}

struct question_hit *question_store_list(struct db *db, struct arena *a,
                                         const struct question_filter *f, int *total)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " HIT_COLUMNS ", count(*) OVER () FROM questions q JOIN users u ON u.id = "
            "q.asker_id WHERE (:state = '' OR q.state = :state) AND (:tag = '' OR EXISTS (SELECT 1 "
            "FROM question_tags t WHERE t.question_id = q.id AND t.tag = :tag)) AND (:asker = 0 OR "
            "q.asker_id = :asker) AND (:routed = 0 OR EXISTS (SELECT 1 FROM question_routes r WHERE "
            "r.question_id = q.id AND r.user_id = :routed)) AND (:topics = 0 OR EXISTS (SELECT 1 "
            "FROM question_tags t JOIN person_skills ps ON ps.user_id = :topics JOIN skills s ON "
            "s.id = ps.skill_id WHERE t.question_id = q.id AND (t.tag = s.slug OR t.tag = "
            "lower(s.name) OR EXISTS (SELECT 1 FROM skill_aliases al WHERE al.skill_id = s.id AND "
            "al.alias = t.tag)))) AND (:dept = '' OR EXISTS (SELECT 1 FROM profiles p JOIN "
            "departments d ON d.id = p.department_id WHERE p.user_id = q.asker_id AND d.slug = "
            ":dept)) "
            "ORDER BY q.state = 'open' DESC, q.created_at DESC, q.id DESC "
            "LIMIT :limit OFFSET :offset");
    const char *state = f->state ? f->state : "";
    if (strcmp(state, "unanswered") == 0)
        state = "open";
    db_bind_text(st, ":state", state);
    db_bind_text(st, ":tag", f->tag ? f->tag : "");
    db_bind_int(st, ":asker", f->asked_by);
    db_bind_int(st, ":routed", f->routed_to);
    db_bind_int(st, ":topics", f->topics_of);
    db_bind_text(st, ":dept", f->dept ? f->dept : "");
    db_bind_int(st, ":limit", f->limit > 0 ? f->limit : 50);
    db_bind_int(st, ":offset", f->offset > 0 ? f->offset : 0);
    struct question_hit *head = NULL, **tail = &head;
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        *tail = hit_from_row(a, st);
        tail = &(*tail)->next;
        n = (int)db_col_int(st, 12);
    }
    sqlite3_reset(st);
    if (total)
        *total = n;
    return head;
}

int question_search(struct db *db, struct arena *a, const char *fts_query, int limit,
                    struct question_hit **out)
{
    *out = NULL;
    if (!fts_query || !*fts_query)
        return 0;
    sqlite3_stmt *st = db_stmt(
        db, "SELECT " HIT_COLUMNS ", snippet(question_search, -1, char(1), char(2), '…', 20), "
            "-" QBM25 " FROM question_search JOIN questions q ON q.id = question_search.rowid "
            "JOIN users u ON u.id = q.asker_id WHERE question_search MATCH :q ORDER BY " QBM25
            " LIMIT :limit");
    db_bind_text(st, ":q", fts_query);
    db_bind_int(st, ":limit", limit > 0 ? limit : 20);
    struct question_hit **tail = out;
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        struct question_hit *h = hit_from_row(a, st);
        h->snippet = arena_strdup(a, db_col_text(st, 12));
        h->score = sqlite3_column_double(st, 13);
        *tail = h;
        tail = &h->next;
        n++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Words too common to say what a question is about. */
static int common_word(const char *w)
{
    static const char *const words[] = {
        "a", "about", "after", "all", "am", "an", "and", "any", "anyone", "are", "as", "at", "be",
        "best", "better", "by", "can", "could", "do", "does", "doing", "done", "for", "from", "get",
        "gets", "getting", "good", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its",
        "me", "my", "need", "no", "not", "of", "on", "or", "our", "out", "should", "so", "some",
        "that", "the", "their", "them", "then", "there", "this", "to", "up", "us", "use", "using",
        "want", "was", "way", "we", "what", "when", "where", "which", "who", "why", "will", "with",
        "would", "you", "your"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(w, words[i]) == 0)
            return 1;
    return 0;
}

const char *question_keywords(struct arena *a, const char *text)
{
    struct buf b;
    buf_init(&b, 0);
    int n = 0;
    const char *seen[16];
    for (const char *p = text ? text : ""; *p && n < 16;) {
        while (*p && !word_byte((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && word_byte((unsigned char)*p))
            p++;
        if (p - start < 2 || p - start > 40)
            continue;
        char *w = arena_strndup(a, start, (size_t)(p - start));
        for (char *c = w; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        int dup = common_word(w);
        for (int i = 0; i < n && !dup; i++)
            dup = strcmp(seen[i], w) == 0;
        if (dup)
            continue;
        seen[n++] = w;
        buf_printf(&b, "%s%s", b.len ? " " : "", w);
    }
    return arena_adopt(a, buf_take(&b));
}

const char *question_words_query(struct arena *a, const char *text)
{
    /* the search box's reading: framing ("how do I") weighs nothing, any telling word finds */
    struct query_reading rd;
    query_read(NULL, a, text ? text : "", &rd);
    return rd.fts_any;
}

struct question_hit *question_store_similar(struct db *db, struct arena *a, const char *title,
                                            int limit, struct similar_page **pages)
{
    *pages = NULL;
    const char *fts = question_words_query(a, title);
    if (!fts)
        return NULL;
    struct question_hit *hits = NULL;
    if (question_search(db, a, fts, limit, &hits) < 0)
        hits = NULL;
    sqlite3_stmt *st = db_stmt(
        db, "SELECT p.path, p.title FROM page_search JOIN pages p ON p.id = page_search.rowid "
            "WHERE page_search MATCH :q AND p.deleted_at IS NULL ORDER BY "
            "bm25(page_search, 10.0, 5.0, 1.0, 4.0, 2.0, 2.0) LIMIT :limit");
    db_bind_text(st, ":q", fts);
    db_bind_int(st, ":limit", limit);
    struct similar_page **tail = pages;
    while (db_step(st) == SQLITE_ROW) {
        struct similar_page *p = arena_alloc(a, sizeof *p);
        p->path = arena_strdup(a, db_col_text(st, 0));
        p->title = arena_strdup(a, db_col_text(st, 1));
        *tail = p;
        tail = &p->next;
    }
    sqlite3_reset(st);
    return hits;
}

struct question_helper *question_store_helpful(struct db *db, struct arena *a, int64_t since,
                                               int limit)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.login, u.name, count(*) FROM questions q JOIN answers an ON an.id = "
            "q.accepted_answer_id JOIN users u ON u.id = an.author_id WHERE q.accepted_at >= "
            ":since AND an.author_id <> q.asker_id AND u.disabled = 0 GROUP BY an.author_id "
            "ORDER BY count(*) DESC, u.name LIMIT :limit");
    db_bind_int(st, ":since", since);
    db_bind_int(st, ":limit", limit);
    struct question_helper *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct question_helper *h = arena_alloc(a, sizeof *h);
        h->login = arena_strdup(a, db_col_text(st, 0));
        h->name = arena_strdup(a, db_col_text(st, 1));
        h->accepted = (int)db_col_int(st, 2);
        *tail = h;
        tail = &h->next;
    }
    sqlite3_reset(st);
    return head;
}
