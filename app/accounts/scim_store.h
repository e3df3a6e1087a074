/* scim_store: the SQL behind SCIM provisioning (/scim/v2/Users): what an identity provider knows
 * each person by (the scim_users table: userName, externalId, given and family name), finding,
 * reading, creating, changing and deactivating people. Profile fields are read through
 * people_store_view, so a field the reader may not see never leaves ken, and written through
 * people_store_save as an import (like `ken import people`: the identity provider is the source
 * of truth for the fields it sends). Deactivating marks the person as having left
 * (people_store_set_left) and revokes their sessions, API tokens and feed token; their pages keep
 * their authorship. */
#ifndef KEN_SCIM_STORE_H
#define KEN_SCIM_STORE_H
#include "core/arena.h"
#include "core/db.h"
#include "accounts/user_store.h"

/* A person as SCIM shows them. */
struct scim_user {
    int64_t id, created_at, updated_at; /* updated_at: the last change made through SCIM */
    const char *login, *user_name;      /* user_name: as the provider sent it, else the login */
    const char *external_id;            /* NULL: none */
    const char *name, *given_name, *family_name; /* given and family "" when never sent */
    const char *email;                           /* NULL: none, or hidden from the reader */
    const char *title, *department;              /* "" when none; department by name */
    int64_t manager_id;                          /* 0: none */
    const char *manager_name;
    int active; /* 0: has left (cannot sign in) */
};

/* Returns person `id` as `viewer` may see them, in a; NULL when there is no such person or
 * they were deleted through SCIM. */
struct scim_user *scim_store_get(struct db *db, struct arena *a, const struct user *viewer,
                                 int64_t id);

/* Which people to list: NULL members (and id 0) match anyone. */
struct scim_query {
    const char *user_name;   /* any case */
    const char *external_id; /* exact */
    const char *display_name;
    int64_t id; /* -1 matches nobody */
    int offset, count;
};
/* Returns the ids of the people matching q (everyone not deleted through SCIM, left or not), by
 * id, at most q->count from q->offset, in a; *n gets how many, *total how many match in all.
 * NULL with *n 0 when none. */
int64_t *scim_store_find(struct db *db, struct arena *a, const struct scim_query *q, int *n,
                         int *total);

/* What a request changes. NULL strings, set_* 0 and active -1 leave a thing as it is; "" clears. */
struct scim_change {
    const char *user_name; /* never "" */
    int set_external_id;
    const char *external_id; /* NULL with set_external_id: clear */
    const char *name;        /* the display name (users.name); never "" */
    const char *given_name, *family_name;
    const char *email, *title;
    const char *department; /* by name (or slug); made when missing */
    int set_manager;
    int64_t manager_id;        /* 0: no manager */
    const char *password_hash; /* Argon2id, from auth_password_hash */
    int active;                /* -1, 0 (deactivate) or 1 */
};
void scim_change_init(struct scim_change *c);

/* Creates a person for c (c->user_name required): a new editor account whose login comes from
 * the userName (scim_login_base, made unique), or, when the userName was deleted through SCIM
 * before, that same account back; or, when exactly one account no provider knows yet has the
 * userName or c->email as its email (and `viewer` may see it), that account. Sets *id. Returns
 * 0, or an HTTP status with *why and *scim_type ("uniqueness", "invalidValue"; NULL for 503). */
int scim_store_create(struct db *db, struct arena *a, const struct user *viewer,
                      const struct scim_change *c, int64_t *id, const char **why,
                      const char **scim_type);
/* Applies c to person `id` in one transaction. `viewer` (the token's owner) may not deactivate
 * themselves. Returns 0, or 404, 409 (uniqueness), 400 (invalidValue), 503 with *why. */
int scim_store_update(struct db *db, struct arena *a, const struct user *viewer, int64_t id,
                      const struct scim_change *c, const char **why, const char **scim_type);
/* Deactivates person `id` (as active=false does) and hides them from SCIM from then on (404),
 * until a POST with the same userName brings the account back. Returns 0, or 404, 400 (the
 * viewer themselves), 503 with *why. */
int scim_store_delete(struct db *db, struct arena *a, const struct user *viewer, int64_t id,
                      const char **why, const char **scim_type);

#endif
