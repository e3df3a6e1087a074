/* user: who is asking (a signed-in account and its role), with no database behind it, so every
 * layer (stores, engines, the search index) can take a viewer without reaching the accounts store. */
#ifndef KEN_USER_H
#define KEN_USER_H
#include <stdint.h>

enum role { ROLE_VIEWER = 1, ROLE_EDITOR = 2, ROLE_HR = 3, ROLE_ADMIN = 4 };

struct user {
    int64_t id;
    const char *login;
    const char *name;
    enum role role;
};

/* Returns the role for "viewer"|"editor"|"hr"|"admin", or 0. */
enum role user_role_parse(const char *s);
/* Returns the role's name (static), "none" for no role. */
const char *user_role_name(enum role r);
/* Returns NULL when `login` is a valid login name, else why not (static). */
const char *user_login_check(const char *login);
/* Returns 1 when u (NULL: anonymous) may see HR's views: role hr or admin. */
int user_is_hr(const struct user *u);
/* Returns 1 when u (NULL: anonymous) is an admin. */
int user_is_admin(const struct user *u);

#endif
