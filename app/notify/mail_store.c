#include "notify/mail_store.h"
#include "notify/mail_format.h"

#include <stdlib.h>
#include <string.h>

enum { DIGEST_PAGES = 20, NEWS_SECONDS = 86400 };

/* ---- settings */

static const char *setting(struct db *db, struct arena *a, const char *name)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE name = :name");
    db_bind_text(st, ":name", name);
    const char *v = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
    sqlite3_reset(st);
    return v;
}

static int put_setting(struct db *db, const char *name, const char *value)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO settings(name, value) VALUES (:name, :v) "
                                   "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":v", value);
    return db_run(st);
}

int mail_store_settings(struct db *db, struct arena *a, struct mail_settings *s)
{
    memset(s, 0, sizeof *s);
    s->enabled = strcmp(setting(db, a, "mail_enabled"), "1") == 0;
    s->starttls = strcmp(setting(db, a, "mail_starttls"), "0") != 0;
    s->smtp_url = setting(db, a, "mail_smtp_url");
    s->from = setting(db, a, "mail_from");
    s->username = setting(db, a, "mail_username");
    s->password = setting(db, a, "mail_password");
    s->public_url = setting(db, a, "public_url");
    return 0;
}

/* Is e-mail on? (The hooks ask on every write they see, so this is one indexed row.) */
static int enabled(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM settings WHERE name = 'mail_enabled' AND "
                                   "value = '1'");
    int on = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return on;
}

int mail_store_save_settings(struct db *db, const struct mail_settings *s)
{
    if (db_begin(db) != 0)
        return -1;
    int was_on = enabled(db), rc = 0;
    rc |= put_setting(db, "mail_enabled", s->enabled ? "1" : "0");
    rc |= put_setting(db, "mail_starttls", s->starttls ? "1" : "0");
    rc |= put_setting(db, "mail_smtp_url", s->smtp_url);
    rc |= put_setting(db, "mail_from", s->from);
    rc |= put_setting(db, "mail_username", s->username);
    rc |= put_setting(db, "public_url", s->public_url);
    if (s->password)
        rc |= put_setting(db, "mail_password", s->password);
    if (s->enabled && !was_on) {
        sqlite3_stmt *st = db_stmt(db, "UPDATE settings SET value = (SELECT CAST(coalesce(max(id), "
                                       "0) AS TEXT) FROM revisions) WHERE name = 'mail_page_cursor'");
        rc |= db_run(st);
    }
    if (rc != 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db);
}

/* ---- queueing */

int64_t mail_store_enqueue(struct db *db, int64_t user_id, const char *kind, const char *rcpt,
                           const char *subject, const char *message, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO mail_queue(user_id, kind, rcpt, subject, message, "
                                   "next_at_ms, created_at) VALUES (:user, :kind, :rcpt, :subject, "
                                   ":message, :next, :now)");
    if (user_id)
        db_bind_int(st, ":user", user_id);
    else
        db_bind_null(st, ":user");
    db_bind_text(st, ":kind", kind);
    db_bind_text(st, ":rcpt", rcpt);
    db_bind_text(st, ":subject", subject);
    db_bind_text(st, ":message", message);
    db_bind_int(st, ":next", now * 1000);
    db_bind_int(st, ":now", now);
    return db_run(st) == 0 ? db_last_id(db) : -1;
}

/* A recipient who may get e-mail about kind now: signs in, has not left, has a valid address
 * and has not turned the kind off. */
struct recipient {
    const char *login, *name, *addr;
};

static int recipient(struct db *db, struct arena *a, int64_t user_id, const char *kind,
                     struct recipient *r)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.login, u.name, p.email FROM users u JOIN profiles p ON p.user_id = u.id "
            "WHERE u.id = :user AND u.disabled = 0 AND p.left_at IS NULL AND p.email <> '' AND "
            "NOT EXISTS (SELECT 1 FROM mail_optout o WHERE o.user_id = u.id AND o.kind = :kind)");
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":kind", kind);
    int found = db_step(st) == SQLITE_ROW;
    if (found) {
        r->login = arena_strdup(a, db_col_text(st, 0));
        r->name = arena_strdup(a, db_col_text(st, 1));
        r->addr = arena_strdup(a, db_col_text(st, 2));
    }
    sqlite3_reset(st);
    return found && mail_address_valid(r->addr);
}

/* Formats notice n for r and queues it. Returns 0 (also when the settings cannot make a message:
 * no From address yet) or -1 on a database error. */
static int queue_notice(struct db *db, struct arena *a, int64_t user_id, const struct recipient *r,
                        struct mail_notice *n, int64_t now)
{
    const char *from = setting(db, a, "mail_from"), *base = setting(db, a, "public_url");
    const char *subject, *body;
    n->login = r->login;
    if (mail_format_notice(a, n, base, &subject, &body) != 0)
        return 0;
    /* Withdrawing and endorsing again sent a message each time (60 toggles, 60 e-mails): the
     * same endorsement (the subject names who and what) is told at most once a day. */
    if (strcmp(n->kind, "endorsement") == 0) {
        sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM mail_queue WHERE user_id = :user AND "
                                       "kind = :kind AND subject = :subject AND created_at > :since");
        db_bind_int(st, ":user", user_id);
        db_bind_text(st, ":kind", n->kind);
        db_bind_text(st, ":subject", subject);
        db_bind_int(st, ":since", now - 24 * 3600);
        int told = db_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
        if (told)
            return 0;
    }
    struct mail_message m = {"ken", from, r->name, r->addr, subject, body, now,
                             mail_format_message_id(a, from)};
    const char *text = mail_format_message(a, &m);
    if (!text)
        return 0;
    return mail_store_enqueue(db, user_id, n->kind, r->addr, subject, text, now) < 0 ? -1 : 0;
}

static const char *user_name(struct db *db, struct arena *a, int64_t id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT name FROM users WHERE id = :id");
    db_bind_int(st, ":id", id);
    const char *name = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
    sqlite3_reset(st);
    return name;
}

int mail_store_inbox(struct db *db, int64_t user_id, const char *kind, int64_t question_id,
                     int64_t answer_id, int64_t actor_id, const char *text, int64_t now)
{
    if (!enabled(db))
        return 0;
    struct arena *a = arena_new();
    struct recipient r;
    int rc = 0;
    if (recipient(db, a, user_id, kind, &r)) {
        struct mail_notice n = {.kind = kind, .question_id = question_id, .answer_id = answer_id,
                                .text = text};
        n.actor_name = actor_id ? user_name(db, a, actor_id) : "";
        sqlite3_stmt *st = db_stmt(db, "SELECT title FROM questions WHERE id = :q");
        db_bind_int(st, ":q", question_id);
        n.question_title = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
        sqlite3_reset(st);
        rc = queue_notice(db, a, user_id, &r, &n, now);
    }
    arena_free(a);
    return rc;
}

int mail_store_page_mention(struct db *db, int64_t user_id, int64_t page_id, int rev,
                            int64_t actor_id, const char *text, int64_t now)
{
    if (!enabled(db))
        return 0;
    struct arena *a = arena_new();
    struct recipient r;
    int rc = 0;
    if (recipient(db, a, user_id, "mention", &r)) {
        struct mail_notice n = {.kind = "mention", .text = text};
        n.actor_name = actor_id ? user_name(db, a, actor_id) : "";
        /* The revision's title: the page row may not carry it yet within the save. */
        sqlite3_stmt *st = db_stmt(db, "SELECT p.path, r.title FROM pages p JOIN revisions r ON "
                                       "r.page_id = p.id AND r.number = :rev WHERE p.id = :page");
        db_bind_int(st, ":page", page_id);
        db_bind_int(st, ":rev", rev);
        if (db_step(st) == SQLITE_ROW) {
            n.page_path = arena_strdup(a, db_col_text(st, 0));
            n.question_title = arena_strdup(a, db_col_text(st, 1));
        }
        sqlite3_reset(st);
        if (n.page_path)
            rc = queue_notice(db, a, user_id, &r, &n, now);
    }
    arena_free(a);
    return rc;
}

int mail_store_endorsed(struct db *db, int64_t user_id, int64_t endorser_id, int64_t skill_id,
                        int64_t now)
{
    if (!enabled(db))
        return 0;
    struct arena *a = arena_new();
    struct recipient r;
    int rc = 0;
    if (recipient(db, a, user_id, "endorsement", &r)) {
        struct mail_notice n = {.kind = "endorsement", .actor_name = user_name(db, a, endorser_id)};
        sqlite3_stmt *st = db_stmt(db, "SELECT name FROM skills WHERE id = :s");
        db_bind_int(st, ":s", skill_id);
        n.skill = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
        sqlite3_reset(st);
        rc = queue_notice(db, a, user_id, &r, &n, now);
    }
    arena_free(a);
    return rc;
}

/* ---- digests of changes to watched pages */

/* The newest revision (0 when none). Writers commit one at a time, so every revision up to it
 * is there to read. */
static int64_t newest_revision(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(max(id), 0) FROM revisions");
    int64_t id = db_one_int(st, 0);
    return id;
}

/* Queues the digest for one person (pages in a, *n of them listed). 0 or -1. */
static int queue_digest(struct db *db, struct arena *a, int64_t user_id,
                        struct mail_page_change *pages, int more, int64_t now)
{
    struct recipient r;
    if (!pages || !recipient(db, a, user_id, "page", &r))
        return 0;
    struct mail_notice n = {.kind = "page", .pages = pages, .more_pages = more};
    return queue_notice(db, a, user_id, &r, &n, now);
}

/* Every (watcher, page) with revisions in (from, upto] made by someone else within a day. */
static const char *const SQL_CHANGED =
    "SELECT x.user_id, p.path, p.title, count(DISTINCT r.id), min(r.number), max(r.number), "
    "(SELECT group_concat(n, ', ') FROM (SELECT DISTINCT coalesce(au.name, 'ken') AS n FROM "
    "revisions r2 LEFT JOIN users au ON au.id = r2.author_id WHERE r2.page_id = p.id AND "
    "r2.id > :from AND r2.id <= :upto AND coalesce(r2.author_id, 0) <> x.user_id)) "
    "FROM revisions r JOIN pages p ON p.id = r.page_id AND p.deleted_at IS NULL "
    "JOIN (SELECT user_id, page_id, '' AS space FROM watches WHERE page_id IS NOT NULL UNION "
    "SELECT user_id, 0, space FROM watches WHERE space IS NOT NULL) x "
    "ON x.page_id = p.id OR x.space = p.space "
    "WHERE r.id > :from AND r.id <= :upto AND r.created_at >= :recent AND "
    "coalesce(r.author_id, 0) <> x.user_id "
    "GROUP BY x.user_id, p.id ORDER BY x.user_id, p.path";

static int digests(struct db *db, struct arena *a, int64_t from, int64_t upto, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, SQL_CHANGED);
    db_bind_int(st, ":from", from);
    db_bind_int(st, ":upto", upto);
    db_bind_int(st, ":recent", now - NEWS_SECONDS);
    /* Gather every row first: queueing runs other statements on the connection. */
    struct row {
        int64_t user_id;
        struct mail_page_change c;
        struct row *next;
    } *rows = NULL, **tail = &rows;
    while (db_step(st) == SQLITE_ROW) {
        struct row *w = arena_alloc(a, sizeof *w);
        w->user_id = db_col_int(st, 0);
        w->c.path = arena_strdup(a, db_col_text(st, 1));
        w->c.title = arena_strdup(a, db_col_text(st, 2));
        w->c.count = (int)db_col_int(st, 3);
        w->c.from_rev = (int)db_col_int(st, 4);
        w->c.to_rev = (int)db_col_int(st, 5);
        w->c.authors = arena_strdup(a, db_col_text(st, 6));
        *tail = w;
        tail = &w->next;
    }
    sqlite3_reset(st);
    int queued = 0;
    for (struct row *w = rows; w;) {
        struct mail_page_change *pages = NULL, **pt = &pages;
        int listed = 0, more = 0;
        int64_t uid = w->user_id;
        for (; w && w->user_id == uid; w = w->next) {
            if (listed++ >= DIGEST_PAGES) {
                more++;
                continue;
            }
            *pt = &w->c;
            pt = &w->c.next;
        }
        if (queue_digest(db, a, uid, pages, more, now) != 0)
            return -1;
        queued++;
    }
    return queued;
}

int mail_store_page_digests(struct db *db, int64_t now)
{
    if (!enabled(db))
        return 0;
    struct arena *a = arena_new();
    int64_t cursor = atoll(setting(db, a, "mail_page_cursor"));
    int n = 0;
    if (newest_revision(db) > cursor) { /* look first: begin takes the write lock */
        if (db_begin(db) != 0) {
            arena_free(a);
            return -1;
        }
        cursor = atoll(setting(db, a, "mail_page_cursor"));
        int64_t upto = newest_revision(db);
        n = upto > cursor ? digests(db, a, cursor, upto, now) : 0;
        if (n < 0 || put_setting(db, "mail_page_cursor", arena_printf(a, "%lld", (long long)upto)) ||
            db_commit(db) != 0) {
            db_rollback(db);
            n = -1;
        }
    }
    arena_free(a);
    return n;
}

/* ---- the queue */

static struct mail_item *item_from_row(struct arena *a, sqlite3_stmt *st)
{
    struct mail_item *m = arena_alloc(a, sizeof *m);
    m->id = db_col_int(st, 0);
    m->kind = arena_strdup(a, db_col_text(st, 1));
    m->rcpt = arena_strdup(a, db_col_text(st, 2));
    m->subject = arena_strdup(a, db_col_text(st, 3));
    m->state = arena_strdup(a, db_col_text(st, 4));
    m->attempts = (int)db_col_int(st, 5);
    m->last_error = arena_strdup(a, db_col_text(st, 6));
    m->created_at = db_col_int(st, 7);
    m->done_at = db_col_int(st, 8);
    m->message = arena_strdup(a, db_col_text(st, 9));
    m->user_id = db_col_int(st, 10);
    m->login = arena_strdup(a, db_col_text(st, 11));
    return m;
}

#define ITEM_COLUMNS                                                                               \
    "id, kind, rcpt, subject, state, attempts, last_error, created_at, coalesce(done_at, 0), "
/* After the message: the recipient's id and login (for the admin's list of problems). */
#define RECIPIENT_COLUMNS                                                                          \
    ", coalesce(mail_queue.user_id, 0), coalesce((SELECT u.login FROM users u WHERE u.id = "     \
    "mail_queue.user_id), '') "

struct mail_item *mail_store_due(struct db *db, struct arena *a, int64_t now_ms)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ITEM_COLUMNS "message, 0, '' FROM mail_queue WHERE "
                                   "state = 'queued' AND next_at_ms <= :now ORDER BY next_at_ms, id "
                                   "LIMIT 1");
    db_bind_int(st, ":now", now_ms);
    struct mail_item *m = db_step(st) == SQLITE_ROW ? item_from_row(a, st) : NULL;
    sqlite3_reset(st);
    return m;
}

int64_t mail_store_next_due_ms(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT min(next_at_ms) FROM mail_queue WHERE state = 'queued'");
    int64_t t = -1;
    if (db_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        t = db_col_int(st, 0);
    sqlite3_reset(st);
    return t;
}

int mail_store_mark_sent(struct db *db, int64_t id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE mail_queue SET state = 'sent', attempts = attempts + 1, "
                                   "done_at = :now WHERE id = :id");
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":id", id);
    return db_run(st);
}

int mail_store_mark_retry(struct db *db, int64_t id, const char *error, int64_t next_at_ms)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE mail_queue SET attempts = attempts + 1, last_error = "
                                   ":error, next_at_ms = :next WHERE id = :id");
    db_bind_text(st, ":error", error);
    db_bind_int(st, ":next", next_at_ms);
    db_bind_int(st, ":id", id);
    return db_run(st);
}

int mail_store_mark_failed(struct db *db, int64_t id, const char *error, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE mail_queue SET state = 'failed', attempts = attempts + "
                                   "1, last_error = :error, done_at = :now WHERE id = :id");
    db_bind_text(st, ":error", error);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":id", id);
    return db_run(st);
}

int mail_store_prune(struct db *db, int64_t before)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM mail_queue WHERE state = 'sent' AND done_at < "
                                   ":before");
    db_bind_int(st, ":before", before);
    return db_run(st);
}

int mail_store_counts(struct db *db, struct mail_counts *c)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st = db_stmt(db, "SELECT state, count(*) FROM mail_queue GROUP BY state");
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        const char *state = db_col_text(st, 0);
        long long n = (long long)db_col_int(st, 1);
        if (strcmp(state, "queued") == 0)
            c->queued = n;
        else if (strcmp(state, "sent") == 0)
            c->sent = n;
        else
            c->failed = n;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

struct mail_item *mail_store_problems(struct db *db, struct arena *a, int limit)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ITEM_COLUMNS "''" RECIPIENT_COLUMNS "FROM mail_queue "
                                   "WHERE last_error <> '' AND state <> 'sent' ORDER BY id DESC "
                                   "LIMIT :limit");
    db_bind_int(st, ":limit", limit);
    struct mail_item *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        *tail = item_from_row(a, st);
        tail = &(*tail)->next;
    }
    sqlite3_reset(st);
    return head;
}

/* ---- preferences */

const char *mail_store_address(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT email FROM profiles WHERE user_id = :user");
    db_bind_int(st, ":user", user_id);
    const char *addr = db_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : "";
    sqlite3_reset(st);
    return mail_address_valid(addr) ? addr : "";
}

int mail_store_wants(struct db *db, int64_t user_id, const char *kind)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM mail_optout WHERE user_id = :user AND kind = "
                                   ":kind");
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":kind", kind);
    int off = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return !off;
}

int mail_store_set_prefs(struct db *db, int64_t user_id, const int *on)
{
    if (db_begin(db) != 0)
        return -1;
    for (int i = 0; mail_format_kinds[i]; i++) {
        sqlite3_stmt *st = on[i] ? db_stmt(db, "DELETE FROM mail_optout WHERE user_id = :user AND "
                                               "kind = :kind")
                                 : db_stmt(db, "INSERT OR IGNORE INTO mail_optout(user_id, kind) "
                                               "VALUES (:user, :kind)");
        db_bind_int(st, ":user", user_id);
        db_bind_text(st, ":kind", mail_format_kinds[i]);
        if (db_run(st) != 0) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db);
}
