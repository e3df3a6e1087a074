#include "accounts/admin_http.h"
#include "accounts/audit_http.h"
#include "accounts/auth.h"
#include "accounts/session_store.h"
#include "http/layout.h"
#include "notify/mail_http.h"
#include "people/people_store.h"
#include "core/settings.h"

#include <stdio.h>
#include <string.h>

/* The roles in the order the role pickers offer them. */
static const enum role roles[] = {ROLE_VIEWER, ROLE_EDITOR, ROLE_HR, ROLE_ADMIN};

/* Fills v with what /admin shows; `notice` (may be NULL) says what the last action did and
 * `password` (may be NULL) is a password to show once. */
static int admin_page(struct req *r, int status, const char *notice, const char *password)
{
    struct tvars *v = layout_vars(r);
    tv_bool(v, "public_read", settings_public_read());
    tv_text(v, "notice", notice);
    tv_text(v, "new_password", password);
    tv_list(v, "users");
    for (struct account_item *u = user_store_accounts(r->db, r->a); u; u = u->next) {
        struct tvars *i = tv_item(v, "users");
        tv_text(i, "login", u->login);
        tv_text(i, "name", u->name);
        tv_text(i, "role", u->role);
        tv_bool(i, "left", u->left_at != 0);
        tv_text(i, "left_on", u->left_at ? layout_date(r->a, u->left_at) : "");
        tv_int(i, "tokens", u->tokens);
        tv_int(i, "sessions", u->sessions);
        tv_bool(i, "is_me", u->id == r->user->id);
        tv_list(i, "roles");
        for (size_t k = 0; k < sizeof roles / sizeof *roles; k++) {
            struct tvars *o = tv_item(i, "roles");
            tv_text(o, "value", user_role_name(roles[k]));
            tv_bool(o, "selected", strcmp(u->role, user_role_name(roles[k])) == 0);
        }
    }
    tv_list(v, "new_roles");
    for (size_t k = 0; k < sizeof roles / sizeof *roles; k++) {
        struct tvars *o = tv_item(v, "new_roles");
        tv_text(o, "value", user_role_name(roles[k]));
        tv_bool(o, "selected", roles[k] == ROLE_EDITOR);
    }
    mail_http_admin_vars(r, v);
    /* A page that may show a password is never kept by a cache or the back button. */
    resp_header(r, "Cache-Control", "no-store");
    return layout_page(r, status, "Administration", "admin", v);
}

/* The messages a redirect back to /admin may show: ?done=KIND&login=LOGIN. */
static const char *done_notice(struct req *r)
{
    const char *done = req_param(r, "done"), *login = req_param(r, "login");
    if (!done || !login || user_login_check(login))
        return NULL;
    static const char *const kinds[][2] = {
        {"role", "%s now has the role %s."},
        {"left", "%s is marked as having left: they are signed out everywhere and cannot sign in."},
        {"back", "%s is back: they may sign in again."},
        {"tokens", "%s is signed out everywhere: every session, API token and feed token is revoked."},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        if (strcmp(done, kinds[k][0]) != 0)
            continue;
        if (k == 0) {
            const char *role = req_param(r, "role");
            return user_role_parse(role) ? arena_printf(r->a, kinds[k][1], login, role) : NULL;
        }
        return arena_printf(r->a, kinds[k][1], login);
    }
    return NULL;
}

int admin_home(struct req *r)
{
    return admin_page(r, 200, done_notice(r), NULL);
}

int admin_settings(struct req *r)
{
    const char *pr = req_param(r, "public_read");
    if (!pr || (strcmp(pr, "0") != 0 && strcmp(pr, "1") != 0))
        return resp_error(r, 400, "public_read must be 0 or 1");
    if (settings_set_public_read(r->db, pr[0] == '1') != 0)
        return resp_error(r, 503, "the setting could not be saved; try again");
    return resp_redirect(r, "/admin");
}

/* The account named by the form's `login`; answers 400/404 itself (then *sent is the status). */
static int64_t target(struct req *r, const char **login, int *sent)
{
    *sent = 0;
    *login = req_param(r, "login");
    const char *why = *login ? user_login_check(*login) : "say which account: login=LOGIN";
    if (why) {
        *sent = resp_error(r, 400, why);
        return 0;
    }
    int64_t id = user_store_id(r->db, *login);
    if (!id)
        *sent = resp_error(r, 404, arena_printf(r->a, "there is no account %s", *login));
    return id;
}

/* Writes the audit line every account change leaves in the server's log. */
static void audit(struct req *r, const char *what, const char *login)
{
    fprintf(stderr, "ken: admin %s %s %s\n", r->user->login, what, login);
}

/* Returns a password from the form's `password`, or a generated one when it is empty; NULL
 * after answering 400 itself when the typed one is not acceptable. Fills hash. */
static const char *password_for(struct req *r, char hash[128], int *sent)
{
    const char *typed = req_param(r, "password");
    *sent = 0;
    const char *password = typed;
    if (!typed || !*typed) {
        char token[AUTH_TOKEN_LEN + 1];
        auth_token_new(token);
        password = arena_printf(r->a, "%.20s", token);
    }
    const char *why = auth_password_check(password);
    if (why) {
        *sent = resp_error(r, 400, why);
        return NULL;
    }
    if (auth_password_hash(hash, password) != 0) {
        *sent = resp_error(r, 503, "the password could not be hashed; try again");
        return NULL;
    }
    return password;
}

int admin_user_create(struct req *r)
{
    const char *login = req_param(r, "login"), *name = req_param(r, "name");
    enum role role = user_role_parse(req_param(r, "role"));
    if (!login || !*login)
        return resp_error(r, 400, "type a login for the new account");
    if (!role)
        return resp_error(r, 400, "choose a role: viewer, editor, hr or admin");
    const char *why = user_login_check(login);
    if (why)
        return resp_error(r, 400, why);
    int sent;
    char hash[128];
    const char *password = password_for(r, hash, &sent);
    if (!password)
        return sent;
    int rc = audit_http_begin(r, &why);
    if (!rc && user_store_add(r->db, r->a, login, name, role, hash, &why) < 0)
        rc = strcmp(why, "that login is already taken") == 0 ? 409 : 400;
    rc = audit_http_end(r, rc, AUDIT_ACCOUNT_CREATE, login,
                        arena_printf(r->a, "role %s, on /admin", user_role_name(role)), &why);
    if (rc)
        return resp_error(r, rc, why);
    audit(r, arena_printf(r->a, "created (%s)", user_role_name(role)), login);
    return admin_page(r, 200, arena_printf(r->a, "Added %s (%s).", login, user_role_name(role)),
                      password);
}

int admin_user_role(struct req *r)
{
    const char *login;
    int sent;
    int64_t id = target(r, &login, &sent);
    if (!id)
        return sent;
    enum role role = user_role_parse(req_param(r, "role"));
    if (!role)
        return resp_error(r, 400, "choose a role: viewer, editor, hr or admin");
    if (id == r->user->id)
        return resp_error(r, 400, "you cannot change your own role (that could leave ken without "
                                  "an admin); ask another admin");
    struct user *before = user_store_by_login(r->db, r->a, login);
    const char *why = "the role could not be saved; try again";
    int rc = audit_http_begin(r, &why);
    if (!rc && user_store_set_role(r->db, id, role) != 0)
        rc = 503;
    rc = audit_http_end(r, rc, AUDIT_ACCOUNT_ROLE, login,
                        arena_printf(r->a, "%s -> %s", before ? user_role_name(before->role) : "?",
                                     user_role_name(role)),
                        &why);
    if (rc)
        return resp_error(r, rc, why);
    audit(r, arena_printf(r->a, "set role %s for", user_role_name(role)), login);
    return resp_redirect(r, arena_printf(r->a, "/admin?done=role&login=%s&role=%s#accounts", login,
                                         user_role_name(role)));
}

int admin_user_password(struct req *r)
{
    const char *login;
    int sent;
    int64_t id = target(r, &login, &sent);
    if (!id)
        return sent;
    char hash[128];
    const char *password = password_for(r, hash, &sent);
    if (!password)
        return sent;
    const char *why = "the password could not be saved; try again";
    int rc = audit_http_begin(r, &why);
    /* A new password also ends the sessions the old one opened (unless it is the admin's own). */
    if (!rc && (user_store_set_password(r->db, id, hash) != 0 ||
                (id != r->user->id && session_revoke_user(r->db, id) != 0)))
        rc = 503;
    rc = audit_http_end(r, rc, AUDIT_ACCOUNT_PASSWORD, login, "reset on /admin", &why);
    if (rc)
        return resp_error(r, rc, why);
    audit(r, "reset the password of", login);
    return admin_page(r, 200,
                      arena_printf(r->a, "%s has a new password and is signed out everywhere.", login),
                      password);
}

int admin_user_left(struct req *r)
{
    const char *login;
    int sent;
    int64_t id = target(r, &login, &sent);
    if (!id)
        return sent;
    const char *left = req_param(r, "left"), *why = NULL;
    if (!left || (strcmp(left, "1") != 0 && strcmp(left, "0") != 0))
        return resp_error(r, 400, "send left=1 (has left) or left=0 (is back)");
    if (id == r->user->id)
        return resp_error(r, 400, "you cannot mark yourself as having left; ask another admin");
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = people_store_set_left(r->db, r->a, r->user, login, left[0] == '1', &why);
    if (!rc && left[0] == '1' && session_revoke_user(r->db, id) != 0) {
        rc = 503;
        why = "the sessions could not be ended, so nothing was changed; try again";
    }
    rc = audit_http_end(r, rc, left[0] == '1' ? AUDIT_ACCOUNT_LEFT : AUDIT_ACCOUNT_BACK, login,
                        "on /admin", &why);
    if (rc)
        return resp_error(r, rc, why);
    audit(r, left[0] == '1' ? "marked as left" : "marked as back", login);
    return resp_redirect(r, arena_printf(r->a, "/admin?done=%s&login=%s#accounts",
                                         left[0] == '1' ? "left" : "back", login));
}

int admin_user_revoke(struct req *r)
{
    const char *login;
    int sent;
    int64_t id = target(r, &login, &sent);
    if (!id)
        return sent;
    if (id == r->user->id)
        return resp_error(r, 400, "this would sign you out too; revoke your own tokens on /tokens");
    const char *why = "the tokens could not be revoked; try again";
    int rc = audit_http_begin(r, &why);
    if (!rc && session_revoke_user(r->db, id) != 0)
        rc = 503;
    rc = audit_http_end(r, rc, AUDIT_ACCOUNT_REVOKE, login, "every session, API and feed token",
                        &why);
    if (rc)
        return resp_error(r, rc, why);
    audit(r, "revoked every session and token of", login);
    return resp_redirect(r, arena_printf(r->a, "/admin?done=tokens&login=%s#accounts", login));
}
