#include "core/settings.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static atomic_int public_read; /* the one process-wide switch; written only by settings_* */
static unsigned char csrf_key[32]; /* set once by settings_load, before threads start */

int settings_load(struct db *db)
{
    sqlite3_stmt *key = db_stmt(db, "SELECT value FROM settings WHERE name = 'csrf_key'");
    if (db_step(key) != SQLITE_ROW ||
        sodium_hex2bin(csrf_key, sizeof csrf_key, db_col_text(key, 0), 64, NULL, NULL, NULL) != 0) {
        sqlite3_reset(key);
        return -1;
    }
    sqlite3_reset(key);
    sqlite3_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE name = 'public_read'");
    int rc = db_step(st);
    if (rc == SQLITE_ROW)
        atomic_store(&public_read, strcmp(db_col_text(st, 0), "1") == 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int settings_public_read(void)
{
    return atomic_load(&public_read);
}

int settings_set_public_read(struct db *db, int on)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO settings(name, value) VALUES ('public_read', :v) "
                                   "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    db_bind_text(st, ":v", on ? "1" : "0");
    if (db_run(st) != 0)
        return -1;
    atomic_store(&public_read, on);
    return 0;
}

const char *settings_user_csrf(struct arena *a, int64_t id)
{
    char msg[32];
    unsigned char mac[32];
    int n = snprintf(msg, sizeof msg, "csrf:%lld", (long long)id);
    crypto_generichash(mac, sizeof mac, (const unsigned char *)msg, (size_t)n, csrf_key,
                       sizeof csrf_key);
    char *out = arena_alloc(a, sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING));
    sodium_bin2base64(out, sodium_base64_ENCODED_LEN(sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                      mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}
