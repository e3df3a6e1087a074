#include "wiki/attach_store.h"
#include "core/buf.h"
#include "core/sniff.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

enum { HASH_LEN = 32 };

#define ATTACH_COLUMNS                                                                             \
    "a.id, a.page_id, a.name, a.version, b.size, a.created_at, a.content_type, lower(hex(b.hash)), " \
    "coalesce(u.login, ''), coalesce(u.name, 'unknown'), "                                       \
    "(SELECT max(x.version) FROM attachments x WHERE x.page_id = a.page_id AND x.name = a.name) "  \
    "FROM attachments a JOIN attachment_blobs b ON b.id = a.blob_id "                            \
    "LEFT JOIN users u ON u.id = a.uploader_id "

static struct attachment *from_row(struct arena *a, sqlite3_stmt *st)
{
    struct attachment *at = arena_alloc(a, sizeof *at);
    at->id = db_col_int(st, 0);
    at->page_id = db_col_int(st, 1);
    at->name = arena_strdup(a, db_col_text(st, 2));
    at->version = (int)db_col_int(st, 3);
    at->size = db_col_int(st, 4);
    at->created_at = db_col_int(st, 5);
    at->content_type = arena_strdup(a, db_col_text(st, 6));
    at->hash = arena_strdup(a, db_col_text(st, 7));
    at->uploader_login = arena_strdup(a, db_col_text(st, 8));
    at->uploader_name = arena_strdup(a, db_col_text(st, 9));
    at->versions = (int)db_col_int(st, 10);
    return at;
}

/* Steps st to the end, returning its rows in order (in a); *count gets how many. Resets st. */
static struct attachment *all_rows(struct arena *a, sqlite3_stmt *st, int *count)
{
    struct attachment *head = NULL, **tail = &head;
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        *tail = from_row(a, st);
        tail = &(*tail)->next;
        n++;
    }
    sqlite3_reset(st);
    if (count)
        *count = n;
    return head;
}

struct attachment *attach_store_get(struct db *db, struct arena *a, int64_t page_id,
                                    const char *name, int version)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ATTACH_COLUMNS
                                   "WHERE a.page_id = :page AND a.name = :name AND "
                                   "(a.version = :version OR :version = 0) "
                                   "ORDER BY a.version DESC LIMIT 1");
    db_bind_int(st, ":page", page_id);
    db_bind_text(st, ":name", name);
    db_bind_int(st, ":version", version);
    return all_rows(a, st, NULL);
}

const void *attach_store_data(struct db *db, struct arena *a, int64_t id, size_t *len)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT b.data FROM attachments a JOIN attachment_blobs b "
                                   "ON b.id = a.blob_id WHERE a.id = :id");
    db_bind_int(st, ":id", id);
    void *out = NULL;
    if (db_step(st) == SQLITE_ROW) {
        const void *data = sqlite3_column_blob(st, 0);
        *len = (size_t)sqlite3_column_bytes(st, 0);
        out = arena_alloc(a, *len + 1);
        if (*len)
            memcpy(out, data, *len);
    }
    sqlite3_reset(st);
    return out;
}

struct attachment *attach_store_list(struct db *db, struct arena *a, int64_t page_id, int *count)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ATTACH_COLUMNS
                                   "WHERE a.page_id = :page AND a.version = (SELECT max(x.version) "
                                   "FROM attachments x WHERE x.page_id = a.page_id AND "
                                   "x.name = a.name) ORDER BY a.name COLLATE NOCASE, a.name");
    db_bind_int(st, ":page", page_id);
    return all_rows(a, st, count);
}

struct attachment *attach_store_versions(struct db *db, struct arena *a, int64_t page_id)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT " ATTACH_COLUMNS "WHERE a.page_id = :page "
                                   "ORDER BY a.name COLLATE NOCASE, a.name, a.version DESC");
    db_bind_int(st, ":page", page_id);
    return all_rows(a, st, NULL);
}

/* Returns the id of the stored bytes with this hash, storing them first if they are new; 0 on
 * a database error. */
static int64_t blob_id(struct db *db, const unsigned char *hash, const void *data, size_t len)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT id FROM attachment_blobs WHERE hash = :hash");
    db_bind_blob(st, ":hash", hash, HASH_LEN);
    int64_t id = db_one_int(st, 0);
    if (id)
        return id;
    st = db_stmt(db, "INSERT INTO attachment_blobs(hash, size, data) VALUES (:hash, :size, :data)");
    db_bind_blob(st, ":hash", hash, HASH_LEN);
    db_bind_int(st, ":size", (int64_t)len);
    db_bind_blob(st, ":data", data, len);
    return db_run(st) == 0 ? db_last_id(db) : 0;
}

enum attach_save_result attach_store_save(struct db *db, struct arena *a, int64_t page_id,
                                          const char *name, const void *data, size_t len,
                                          int64_t uploader_id, struct attachment **out,
                                          const char **why)
{
    unsigned char hash[HASH_LEN];
    char hex[2 * HASH_LEN + 1];
    crypto_generichash(hash, sizeof hash, data, len, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    if (db_begin(db) != 0) {
        *why = "the database is busy; try again in a moment";
        return ATTACH_BUSY;
    }
    struct attachment *newest = attach_store_get(db, a, page_id, name, 0);
    if (newest && strcmp(newest->hash, hex) == 0) {
        db_rollback(db);
        *out = newest;
        return ATTACH_SAME;
    }
    int64_t blob = blob_id(db, hash, data, len);
    if (!blob)
        goto failed;
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO attachments(page_id, name, version, blob_id, "
                                   "content_type, uploader_id, created_at) VALUES (:page, :name, "
                                   ":version, :blob, :type, :user, :now)");
    db_bind_int(st, ":page", page_id);
    db_bind_text(st, ":name", name);
    db_bind_int(st, ":version", newest ? newest->version + 1 : 1);
    db_bind_int(st, ":blob", blob);
    db_bind_text(st, ":type", sniff_type(data, len));
    if (uploader_id > 0)
        db_bind_int(st, ":user", uploader_id);
    else
        db_bind_null(st, ":user");
    db_bind_int(st, ":now", (int64_t)time(NULL));
    if (db_run(st) != 0 || db_commit(db) != 0)
        goto failed;
    *out = attach_store_get(db, a, page_id, name, 0);
    return *out ? ATTACH_CREATED : ATTACH_FAILED;
failed:
    *why = arena_printf(a, "the file could not be saved: %s", db_errmsg(db));
    int full = db_errcode(db) == SQLITE_FULL;
    db_rollback(db);
    return full ? ATTACH_BUSY : ATTACH_FAILED;
}

/* ---- drafts ---- */

const char *attach_draft_key_check(const char *key)
{
    if (!key || strlen(key) != 43)
        return "a draft key is 43 characters long";
    for (const char *p = key; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return "a draft key has only letters, digits, '-' and '_'";
    return NULL;
}

/* Deletes drafts older than ATTACH_DRAFT_SECONDS and the bytes nothing uses any more. */
static int draft_expire(struct db *db, int64_t now)
{
    sqlite3_stmt *st = db_stmt(db, "DELETE FROM draft_files "
                                   "WHERE created_at < :cutoff");
    db_bind_int(st, ":cutoff", now - ATTACH_DRAFT_SECONDS);
    if (db_run(st) != 0)
        return -1;
    st = db_stmt(db, "DELETE FROM attachment_blobs "
                     "WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.blob_id = attachment_blobs.id) "
                     "AND NOT EXISTS (SELECT 1 FROM draft_files d WHERE d.blob_id = attachment_blobs.id)");
    return db_run(st);
}

int attach_store_draft_save(struct db *db, struct arena *a, int64_t user_id, const char *key,
                            const char *name, const void *data, size_t len, const char **type,
                            const char **why)
{
    unsigned char hash[HASH_LEN];
    crypto_generichash(hash, sizeof hash, data, len, NULL, 0);
    *type = sniff_type(data, len);
    if (db_begin(db) != 0) {
        *why = "the database is busy; try again in a moment";
        return 503;
    }
    int64_t now = (int64_t)time(NULL);
    if (draft_expire(db, now) != 0)
        goto failed;
    sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM draft_files "
                                   "WHERE user_id = :user "
                                   "AND NOT (draft = :draft AND name = :name)");
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":draft", key);
    db_bind_text(st, ":name", name);
    if (db_one_int(st, 0) >= ATTACH_DRAFT_FILES_MAX) {
        db_rollback(db);
        *why = arena_printf(a, "you already have %d files waiting for pages you have not saved "
                               "yet; save the page first, then add more",
                            ATTACH_DRAFT_FILES_MAX);
        return 413;
    }
    int64_t blob = blob_id(db, hash, data, len);
    if (!blob)
        goto failed;
    st = db_stmt(db, "INSERT INTO draft_files(draft, user_id, name, blob_id, content_type, "
                     "created_at) "
                     "VALUES (:draft, :user, :name, :blob, :type, :now) "
                     "ON CONFLICT (draft, user_id, name) DO UPDATE SET blob_id = excluded.blob_id, "
                     "content_type = excluded.content_type, created_at = excluded.created_at");
    db_bind_text(st, ":draft", key);
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":name", name);
    db_bind_int(st, ":blob", blob);
    db_bind_text(st, ":type", *type);
    db_bind_int(st, ":now", now);
    if (db_run(st) != 0 || db_commit(db) != 0)
        goto failed;
    return 201;
failed:
    *why = arena_printf(a, "the file could not be saved: %s", db_errmsg(db));
    int full = db_errcode(db) == SQLITE_FULL;
    db_rollback(db);
    return full ? 503 : 500;
}

struct attachment *attach_store_draft_get(struct db *db, struct arena *a, int64_t user_id,
                                          const char *key, const char *name)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT d.id, d.name, d.content_type, b.size, lower(hex(b.hash)), "
                                   "d.created_at "
                                   "FROM draft_files d JOIN attachment_blobs b ON b.id = d.blob_id "
                                   "WHERE d.draft = :draft AND d.user_id = :user AND d.name = :name");
    db_bind_text(st, ":draft", key);
    db_bind_int(st, ":user", user_id);
    db_bind_text(st, ":name", name);
    struct attachment *at = NULL;
    if (db_step(st) == SQLITE_ROW) {
        at = arena_alloc(a, sizeof *at);
        memset(at, 0, sizeof *at);
        at->id = db_col_int(st, 0);
        at->name = arena_strdup(a, db_col_text(st, 1));
        at->content_type = arena_strdup(a, db_col_text(st, 2));
        at->size = db_col_int(st, 3);
        at->hash = arena_strdup(a, db_col_text(st, 4));
        at->created_at = db_col_int(st, 5);
        at->uploader_login = at->uploader_name = "";
    }
    sqlite3_reset(st);
    return at;
}

const void *attach_store_draft_data(struct db *db, struct arena *a, int64_t id, size_t *len)
{
    sqlite3_stmt *st = db_stmt(db, "SELECT b.data FROM draft_files d JOIN attachment_blobs b "
                                   "ON b.id = d.blob_id WHERE d.id = :id");
    db_bind_int(st, ":id", id);
    void *out = NULL;
    if (db_step(st) == SQLITE_ROW) {
        const void *data = sqlite3_column_blob(st, 0);
        *len = (size_t)sqlite3_column_bytes(st, 0);
        out = arena_alloc(a, *len + 1);
        if (*len)
            memcpy(out, data, *len);
    }
    sqlite3_reset(st);
    return out;
}

int attach_store_draft_adopt(struct db *db, int64_t user_id, const char *key, int64_t page_id)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO attachments(page_id, name, version, blob_id, "
                                   "content_type, uploader_id, created_at) "
                                   "SELECT :page, name, 1, blob_id, content_type, user_id, created_at "
                                   "FROM draft_files "
                                   "WHERE draft = :draft AND user_id = :user");
    db_bind_int(st, ":page", page_id);
    db_bind_text(st, ":draft", key);
    db_bind_int(st, ":user", user_id);
    if (db_run(st) != 0)
        return -1;
    st = db_stmt(db, "DELETE FROM draft_files "
                     "WHERE draft = :draft AND user_id = :user");
    db_bind_text(st, ":draft", key);
    db_bind_int(st, ":user", user_id);
    return db_run(st);
}
