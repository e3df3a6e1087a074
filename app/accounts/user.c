#include "accounts/user.h"

#include <string.h>

static const char *const role_names[] = {NULL, "viewer", "editor", "hr", "admin"};

enum role user_role_parse(const char *s)
{
    for (int r = ROLE_VIEWER; r <= ROLE_ADMIN; r++)
        if (s && strcmp(s, role_names[r]) == 0)
            return (enum role)r;
    return 0;
}

const char *user_role_name(enum role r)
{
    return r >= ROLE_VIEWER && r <= ROLE_ADMIN ? role_names[r] : "none";
}

const char *user_login_check(const char *login)
{
    size_t n = strlen(login);
    if (n == 0 || n > 64)
        return "a login is 1 to 64 characters long";
    for (const char *p = login; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("._-", *p)))
            return "a login uses only lowercase letters, digits, '.', '_' and '-'";
    if (login[0] == '.' || login[0] == '-')
        return "a login starts with a letter, digit or '_'";
    return NULL;
}

int user_is_hr(const struct user *u)
{
    return u && (u->role == ROLE_HR || u->role == ROLE_ADMIN);
}

int user_is_admin(const struct user *u)
{
    return u && u->role == ROLE_ADMIN;
}
