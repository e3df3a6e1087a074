#include "notify/inbox_store.h"
#include "wiki/changes_store.h"
#include "notify/mail_store.h"
#include "wiki/wikipath.h"

#include <stdlib.h>
#include <string.h>

enum { ENDORSEMENT_DAYS = 90, WATCH_DAYS = 14, DERIVED_MAX = 50, MENTION_QUIET_SECONDS = 86400 };

/* Returns how many bytes of text an inbox row keeps: at most INBOX_TEXT_MAX, whole characters. */
static size_t text_len(const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (n > INBOX_TEXT_MAX) {
        n = INBOX_TEXT_MAX;
        while (n && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    return n;
}

int inbox_store_add(struct db *db, int64_t user_id, const char *kind, int64_t question_id,
                    int64_t answer_id, int64_t actor_id, const char *text, int64_t now)
{
    size_t n = text_len(text);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO inbox(user_id, kind, question_id, answer_id, "
                                   "actor_id, text, created_at) VALUES (:user, :kind, :q, :a, "
                                   ":actor, :text, :now)");
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":kind", kind);
    if (question_id)
        db_bind_int(st, ":q", question_id);
    else
        db_bind_null(st, ":q");
    if (answer_id)
        db_bind_int(st, ":a", answer_id);
    else
        db_bind_null(st, ":a");
    if (actor_id)
        db_bind_int(st, ":actor", actor_id);
    else
        db_bind_null(st, ":actor");
    db_bind_textn(st, ":text", text ? text : "", n);
    db_bind_int(st, ":now", now);
    if (db_run(st) != 0)
        return -1;
    /* E-mail, when on and wanted, is queued in the same transaction as the row. */
    return mail_store_inbox(db, user_id, kind, question_id, answer_id, actor_id, text, now);
}

/* Returns 1 when user_id was told of a mention in page_id since `since`. */
static int mentioned_since(struct db *db, int64_t user_id, int64_t page_id, int64_t since)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM inbox WHERE user_id = :user AND page_id = :page "
                                   "AND kind = 'mention' AND created_at >= :since LIMIT 1");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":page", page_id);
    db_bind_int(st, ":since", since);
    int yes = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

int inbox_store_add_page(struct db *db, int64_t user_id, int64_t page_id, int rev,
                         int64_t actor_id, const char *text, int64_t now)
{
    /* Removing a mention and adding it back would otherwise tell them (and e-mail them) on
     * every save: once a day per page is enough to be heard and too little to flood. */
    if (mentioned_since(db, user_id, page_id, now - MENTION_QUIET_SECONDS))
        return 0;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO inbox(user_id, kind, page_id, page_rev, actor_id, "
                                   "text, created_at) VALUES (:user, 'mention', :page, :rev, "
                                   ":actor, :text, :now)");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":page", page_id);
    db_bind_int(st, ":rev", rev);
    if (actor_id)
        db_bind_int(st, ":actor", actor_id);
    else
        db_bind_null(st, ":actor");
    db_bind_textn(st, ":text", text ? text : "", text_len(text));
    db_bind_int(st, ":now", now);
    if (db_run(st) != 0)
        return -1;
    return mail_store_page_mention(db, user_id, page_id, rev, actor_id, text, now); /* when on */
}

int inbox_store_has_unread_page(struct db *db, int64_t user_id, int64_t page_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM inbox WHERE user_id = :user AND page_id = :page "
                                   "AND read_at IS NULL LIMIT 1");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":page", page_id);
    int yes = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

int inbox_store_mark_page(struct db *db, int64_t user_id, int64_t page_id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE inbox SET read_at = :now WHERE user_id = :user AND "
                                   "page_id = :page AND read_at IS NULL");
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":page", page_id);
    return db_run(st);
}

/* Endorsements before this time count as seen (never looked: the last ENDORSEMENT_DAYS). */
#define SEEN_AT                                                                                    \
    "coalesce((SELECT seen_at FROM inbox_seen WHERE user_id = :user), "                         \
    "CAST(strftime('%s', 'now') AS INTEGER) - 90 * 86400)"

int inbox_store_unread(struct db *db, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT (SELECT count(*) FROM inbox WHERE user_id = :user AND read_at IS NULL) + "
            "(SELECT count(*) FROM endorsements WHERE user_id = :user AND created_at > " SEEN_AT ")");
    db_bind_int(st, ":user", user_id);
    int n = (int)db_one_int(st, -1);
    return n;
}

static int64_t seen_at(struct db *db, int64_t user_id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT seen_at FROM inbox_seen WHERE user_id = :user");
    db_bind_int(st, ":user", user_id);
    int64_t t = db_one_int(st, now - ENDORSEMENT_DAYS * 86400);
    return t;
}

static struct inbox_item *stored(struct db *db, struct arena *a, int64_t user_id, int limit,
                                 struct inbox_item *list)
{
    /* A page in the trash is named as the mentioning revision named it: what the person was
     * told then, not what it was called later (the trash is for admins). */
    sqlite3_stmt *st = db_stmt(
        db, "SELECT i.id, i.kind, coalesce(i.question_id, 0), coalesce(i.answer_id, 0), "
            "coalesce(q.title, ''), coalesce(q.state, ''), coalesce(u.login, ''), "
            "coalesce(u.name, 'ken'), i.text, i.created_at, i.read_at IS NULL, "
            "coalesce(pg.path, ''), coalesce(CASE WHEN pg.deleted_at IS NULL THEN pg.title ELSE "
            "(SELECT r.title FROM revisions r WHERE r.page_id = pg.id AND r.number = i.page_rev) "
            "END, ''), coalesce(i.page_rev, 0) FROM inbox i "
            "LEFT JOIN questions q ON q.id = i.question_id LEFT JOIN users u ON u.id = i.actor_id "
            "LEFT JOIN pages pg ON pg.id = i.page_id "
            "WHERE i.user_id = :user ORDER BY i.created_at DESC, i.id DESC LIMIT :limit");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":limit", limit);
    while (db_step(st) == SQLITE_ROW) {
        struct inbox_item *it = arena_alloc(a, sizeof *it);
        it->id = db_col_int(st, 0);
        it->kind = arena_strdup(a, db_col_text(st, 1));
        it->question_id = db_col_int(st, 2);
        it->answer_id = db_col_int(st, 3);
        it->question_title = arena_strdup(a, db_col_text(st, 4));
        it->question_state = arena_strdup(a, db_col_text(st, 5));
        it->actor_login = arena_strdup(a, db_col_text(st, 6));
        it->actor_name = arena_strdup(a, db_col_text(st, 7));
        it->text = arena_strdup(a, db_col_text(st, 8));
        it->created_at = db_col_int(st, 9);
        it->unread = (int)db_col_int(st, 10);
        it->path = arena_strdup(a, db_col_text(st, 11)); /* a mention in a page */
        it->title = arena_strdup(a, db_col_text(st, 12));
        it->page_rev = (int)db_col_int(st, 13);
        it->next = list;
        list = it;
    }
    sqlite3_reset(st);
    return list;
}

static struct inbox_item *endorsed(struct db *db, struct arena *a, int64_t user_id, int64_t seen,
                                   int64_t now, struct inbox_item *list)
{
    sqlite3_stmt *st = db_stmt(
        db, "SELECT u.login, u.name, s.name, s.slug, e.created_at FROM endorsements e "
            "JOIN users u ON u.id = e.endorser_id JOIN skills s ON s.id = e.skill_id "
            "WHERE e.user_id = :user AND e.created_at >= :since ORDER BY e.created_at DESC "
            "LIMIT :limit");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":since", now - ENDORSEMENT_DAYS * 86400);
    db_bind_int(st, ":limit", DERIVED_MAX);
    while (db_step(st) == SQLITE_ROW) {
        struct inbox_item *it = arena_alloc(a, sizeof *it);
        it->kind = "endorsement";
        it->question_title = it->question_state = it->text = it->path = it->title = "";
        it->actor_login = arena_strdup(a, db_col_text(st, 0));
        it->actor_name = arena_strdup(a, db_col_text(st, 1));
        it->skill = arena_strdup(a, db_col_text(st, 2));
        it->skill_slug = arena_strdup(a, db_col_text(st, 3));
        it->created_at = db_col_int(st, 4);
        it->unread = it->created_at > seen;
        it->next = list;
        list = it;
    }
    sqlite3_reset(st);
    return list;
}

static struct inbox_item *watched(struct db *db, struct arena *a, int64_t user_id, int64_t seen,
                                  int64_t now, struct inbox_item *list)
{
    int64_t since = now - WATCH_DAYS * 86400;
    for (struct change_digest *d = changes_store_watched(db, a, user_id, since, DERIVED_MAX); d;
         d = d->next) {
        struct inbox_item *it = arena_alloc(a, sizeof *it);
        it->kind = "page";
        it->question_title = it->question_state = it->actor_login = "";
        it->path = d->path;
        it->title = d->title;
        it->actor_name = d->authors;
        it->changes = d->count;
        it->text = "";
        it->created_at = d->last_at;
        it->unread = d->last_at > seen;
        it->next = list;
        list = it;
    }
    return list;
}

static int newest_first(const void *x, const void *y)
{
    const struct inbox_item *a = *(struct inbox_item *const *)x, *b = *(struct inbox_item *const *)y;
    if (a->created_at != b->created_at)
        return a->created_at < b->created_at ? 1 : -1;
    return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

struct inbox_item *inbox_store_list(struct db *db, struct arena *a, int64_t user_id, int limit,
                                    int64_t now)
{
    int64_t seen = seen_at(db, user_id, now);
    struct inbox_item *all = stored(db, a, user_id, limit, NULL);
    all = endorsed(db, a, user_id, seen, now, all);
    all = watched(db, a, user_id, seen, now, all);
    int n = 0;
    for (struct inbox_item *it = all; it; it = it->next)
        n++;
    if (!n)
        return NULL;
    struct inbox_item **v = arena_alloc(a, (size_t)n * sizeof *v);
    n = 0;
    for (struct inbox_item *it = all; it; it = it->next)
        v[n++] = it;
    qsort(v, (size_t)n, sizeof *v, newest_first);
    if (n > limit)
        n = limit;
    for (int i = 0; i < n; i++)
        v[i]->next = i + 1 < n ? v[i + 1] : NULL;
    return v[0];
}

int inbox_store_has_unread(struct db *db, int64_t user_id, int64_t question_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM inbox WHERE user_id = :user AND question_id = "
                                   ":q AND read_at IS NULL LIMIT 1");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":q", question_id);
    int yes = db_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return yes;
}

int inbox_store_mark_question(struct db *db, int64_t user_id, int64_t question_id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "UPDATE inbox SET read_at = :now WHERE user_id = :user AND "
                                   "question_id = :q AND read_at IS NULL");
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":q", question_id);
    return db_run(st);
}

int inbox_store_seen(struct db *db, int64_t user_id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO inbox_seen(user_id, seen_at) VALUES (:user, :now) "
                                   "ON CONFLICT(user_id) DO UPDATE SET seen_at = excluded.seen_at");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":now", now);
    return db_run(st);
}

int inbox_store_mark_all(struct db *db, int64_t user_id, int64_t now)
{
    if (db_begin(db) != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(db, "UPDATE inbox SET read_at = :now WHERE user_id = :user AND "
                                   "read_at IS NULL");
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":user", user_id);
    if (db_run(st) != 0 || inbox_store_seen(db, user_id, now) != 0) {
        db_rollback(db);
        return -1;
    }
    return db_commit(db);
}

int64_t inbox_store_away_until(struct db *db, int64_t user_id, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT away_until FROM person_availability WHERE user_id = "
                                   ":user AND away_until > :now");
    db_bind_int(st, ":user", user_id);
    db_bind_int(st, ":now", now);
    int64_t t = db_one_int(st, 0);
    return t;
}

int inbox_store_set_away(struct db *db, int64_t user_id, int64_t until)
{
    sqlite3_stmt *st;
    if (until > 0) {
        st = db_stmt(db, "INSERT INTO person_availability(user_id, away_until) VALUES (:user, "
                         ":until) ON CONFLICT(user_id) DO UPDATE SET away_until = excluded.away_until");
        db_bind_int(st, ":until", until);
    } else {
        st = db_stmt(db, "DELETE FROM person_availability WHERE user_id = :user");
    }
    db_bind_int(st, ":user", user_id);
    return db_run(st);
}

struct inbox_topic *inbox_store_muted(struct db *db, struct arena *a, int64_t user_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT topic FROM muted_topics WHERE user_id = :user ORDER BY "
                                   "topic DESC");
    db_bind_int(st, ":user", user_id);
    struct inbox_topic *list = NULL;
    while (db_step(st) == SQLITE_ROW) {
        struct inbox_topic *t = arena_alloc(a, sizeof *t);
        t->topic = arena_strdup(a, db_col_text(st, 0));
        t->next = list;
        list = t;
    }
    sqlite3_reset(st);
    return list;
}

int inbox_store_mute(struct db *db, struct arena *a, int64_t user_id, const char *topics, int on,
                     const char **why)
{
    char *tags = page_tags_normalise(a, topics, why);
    if (!tags)
        return 400;
    if (db_begin(db) != 0) {
        *why = "the database is busy; try again in a moment";
        return 503;
    }
    for (char *save = NULL, *t = strtok_r(tags, PAGE_TAGS_SEP, &save); t;
         t = strtok_r(NULL, PAGE_TAGS_SEP, &save)) {
        sqlite3_stmt *st = on ? db_stmt(db, "INSERT OR IGNORE INTO muted_topics(user_id, topic) "
                                            "VALUES (:user, :topic)")
                              : db_stmt(db, "DELETE FROM muted_topics WHERE user_id = :user AND "
                                            "topic = :topic");
        db_bind_int(st, ":user", user_id);
        db_bind_text(st, ":topic", t);
        if (db_run(st) != 0) {
            db_rollback(db);
            *why = "the topics could not be saved";
            return 500;
        }
    }
    return db_commit(db) == 0 ? 0 : (*why = "the topics could not be saved", 500);
}
