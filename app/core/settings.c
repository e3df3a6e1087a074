#include "core/settings.h"
#include "core/settings_store.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static atomic_int public_read; /* the one process-wide switch; written only by settings_* */
static unsigned char csrf_key[32]; /* set once by settings_load, before threads start */

int settings_load(struct db *db)
{
    struct arena *a = arena_new();
    const char *key = settings_store_get(db, a, "csrf_key");
    int rc = key && strlen(key) == 64 &&
                     sodium_hex2bin(csrf_key, sizeof csrf_key, key, 64, NULL, NULL, NULL) == 0
                 ? 0
                 : -1;
    const char *on = rc == 0 ? settings_store_get(db, a, "public_read") : NULL;
    if (on)
        atomic_store(&public_read, strcmp(on, "1") == 0);
    arena_free(a);
    return rc;
}

int settings_public_read(void)
{
    return atomic_load(&public_read);
}

int settings_set_public_read(struct db *db, int on)
{
    if (settings_store_set(db, "public_read", on ? "1" : "0") != 0)
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
