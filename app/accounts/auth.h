/* auth: password hashing (Argon2id) and random tokens; no storage. */
#ifndef KEN_AUTH_H
#define KEN_AUTH_H
#include <stddef.h>

enum { AUTH_TOKEN_LEN = 43, AUTH_HASH_LEN = 32 }; /* 256-bit token as base64url, no padding */

/* Initialises libsodium; returns 0 or -1. Call once, before threads. */
int auth_init(void);
/* Writes an Argon2id hash string of `password` to out (crypto_pwhash_STRBYTES = 128 bytes).
 * Returns 0, or -1 when out of memory for the hash. */
int auth_password_hash(char out[128], const char *password);
/* Returns 1 when `password` matches `hash`, else 0. A NULL hash (no such user) takes as long
 * as a real check and returns 0. */
int auth_password_verify(const char *hash, const char *password);
/* Returns NULL when `password` is acceptable, else a message saying why not. */
const char *auth_password_check(const char *password);
/* Writes a fresh random token (AUTH_TOKEN_LEN chars + NUL) to out. */
void auth_token_new(char out[AUTH_TOKEN_LEN + 1]);
/* Writes the BLAKE2b-256 of token to out; this is what is stored. */
void auth_token_hash(unsigned char out[AUTH_HASH_LEN], const char *token);
/* Constant-time comparison of two NUL-terminated strings; 1 when equal. */
int auth_equal(const char *a, const char *b);

#endif
