/* attach_store: files attached to pages and their versions (the SQL for attachments), and the
 * rules for attachment names. */
#ifndef KEN_ATTACH_STORE_H
#define KEN_ATTACH_STORE_H
#include "core/arena.h"
#include "core/db.h"
#include "wiki/wikipath.h"


struct attachment {
    int64_t id, page_id;
    const char *name;
    int version;  /* this version's number */
    int versions; /* how many versions the name has */
    int64_t size, created_at;
    const char *content_type;               /* detected from the bytes (sniff_type) */
    const char *hash;                       /* BLAKE2b-256, 64 hex digits */
    const char *uploader_login, *uploader_name; /* "" and "unknown" when the account is gone */
    struct attachment *next;
};


enum attach_save_result {
    ATTACH_CREATED = 201, /* a new version (1 for a new name) */
    ATTACH_SAME = 200,    /* the newest version has these very bytes: nothing stored */
    ATTACH_BUSY = 503,
    ATTACH_FAILED = 500,
};

/* Stores `len` bytes as the next version of `name` on page `page_id` (the name must be valid),
 * in one transaction; bytes already stored for any attachment are not stored again. Returns an
 * attach_save_result; *out gets the version saved (or the existing one for ATTACH_SAME), in a;
 * *why a message for BUSY and FAILED. */
enum attach_save_result attach_store_save(struct db *db, struct arena *a, int64_t page_id,
                                          const char *name, const void *data, size_t len,
                                          int64_t uploader_id, struct attachment **out,
                                          const char **why);

/* Returns version `version` of `name` on page `page_id` (the newest when version is 0), in a, or
 * NULL. Does not read the bytes. */
struct attachment *attach_store_get(struct db *db, struct arena *a, int64_t page_id,
                                    const char *name, int version);
/* Returns the bytes of attachment version `id` (in a; *len gets their length), or NULL. */
const void *attach_store_data(struct db *db, struct arena *a, int64_t id, size_t *len);

/* Returns the newest version of each attachment of page `page_id`, by name, in a; NULL when the
 * page has none. *count (may be NULL) gets how many. */
struct attachment *attach_store_list(struct db *db, struct arena *a, int64_t page_id, int *count);
/* Returns every version of every attachment of page `page_id`, by name then newest first, in a. */
struct attachment *attach_store_versions(struct db *db, struct arena *a, int64_t page_id);

/* ---- files for a page not yet saved (drafts) ---- */

enum { ATTACH_DRAFT_FILES_MAX = 50,        /* files one person may keep in drafts at once */
       ATTACH_DRAFT_SECONDS = 24 * 3600 }; /* drafts older than this are deleted */

/* Returns NULL when `key` is a valid draft key (43 characters of A-Z a-z 0-9 - _), else why not. */
const char *attach_draft_key_check(const char *key);
/* Stores `len` bytes as file `name` (valid) of draft `key` (valid) of user_id, replacing a file
 * of that name, in one transaction; first deletes every draft older than ATTACH_DRAFT_SECONDS
 * (and bytes nothing uses any more). Returns 201, 413 when the person already keeps
 * ATTACH_DRAFT_FILES_MAX draft files, 503 busy or 500, with *why; *type gets the type detected
 * from the bytes (static). */
int attach_store_draft_save(struct db *db, struct arena *a, int64_t user_id, const char *key,
                            const char *name, const void *data, size_t len, const char **type,
                            const char **why);
/* Returns draft file `name` of `key` of user_id (its id, name, type, size and hash; version 0),
 * in a, or NULL. */
struct attachment *attach_store_draft_get(struct db *db, struct arena *a, int64_t user_id,
                                          const char *key, const char *name);
/* Returns the bytes of draft file `id` in a (*len gets their length), or NULL. */
const void *attach_store_draft_data(struct db *db, struct arena *a, int64_t id, size_t *len);
/* Makes the files of draft `key` of user_id version 1 of the attachments of the new page
 * `page_id` and forgets the draft, inside the caller's transaction. Returns 0 or -1. */
int attach_store_draft_adopt(struct db *db, int64_t user_id, const char *key, int64_t page_id);

#endif
