#include "accounts/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* A real hash of a random password: checking it costs what checking a real user's costs.
 * Made on first use (commands that never check a password do not pay for it). */
static char decoy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t decoy_once = PTHREAD_ONCE_INIT;

static void make_decoy(void)
{
    char password[AUTH_TOKEN_LEN + 1];
    auth_token_new(password);
    if (auth_password_hash(decoy_hash, password) != 0)
        abort();
}

int auth_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

int auth_password_hash(char out[128], const char *password)
{
    _Static_assert(crypto_pwhash_STRBYTES == 128, "hash string size");
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

int auth_password_verify(const char *hash, const char *password)
{
    if (!hash || !*hash) { /* no such user: spend the same time, then fail */
        pthread_once(&decoy_once, make_decoy);
        if (crypto_pwhash_str_verify(decoy_hash, password, strlen(password)) == 0)
            return 0; /* cannot happen: the decoy password is random and unknown */
        return 0;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

const char *auth_password_check(const char *password)
{
    size_t n = strlen(password);
    if (n < 10)
        return "the password must be at least 10 characters long";
    if (n > 1024)
        return "the password must be at most 1024 characters long";
    return NULL;
}

void auth_token_new(char out[AUTH_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_token_hash(unsigned char out[AUTH_HASH_LEN], const char *token)
{
    crypto_generichash(out, AUTH_HASH_LEN, (const unsigned char *)token, strlen(token), NULL, 0);
}

int auth_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b))
        return 0;
    return sodium_memcmp(a, b, n) == 0;
}
