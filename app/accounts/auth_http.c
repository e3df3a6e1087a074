#include "accounts/auth_http.h"
#include "accounts/audit_http.h"
#include "http/layout.h"
#include "accounts/session_store.h"

#include <string.h>

/* Only local paths are followed after sign-in: "/x" but never "//host" or "/\host". */
static const char *safe_next(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 300)
        return "/";
    for (const char *p = next; *p; p++)
        if ((unsigned char)*p < 0x21 || *p == '\\')
            return "/";
    return next;
}

static int login_page(struct req *r, int status, const char *error, const char *login)
{
    /* Before a session exists, the form's CSRF token is paired with a cookie (double submit). */
    const char *token = req_cookie(r, "ken_login");
    if (!token || strlen(token) != AUTH_TOKEN_LEN) {
        char fresh[AUTH_TOKEN_LEN + 1];
        auth_token_new(fresh);
        token = arena_strdup(r->a, fresh);
        resp_cookie(r, "ken_login", token, 0);
    }
    struct tvars *v = layout_vars(r);
    tv_text(v, "login_csrf", token);
    tv_text(v, "next", safe_next(req_param(r, "next")));
    tv_text(v, "error", error);
    tv_text(v, "login", login);
    return layout_page(r, status, "Sign in", "login", v);
}

int auth_login_form(struct req *r)
{
    return login_page(r, 200, NULL, NULL);
}

int auth_login(struct req *r)
{
    const char *login = req_param(r, "login"), *password = req_param(r, "password");
    const char *cookie = req_cookie(r, "ken_login"), *sent = req_param(r, "csrf");
    if (!cookie || !sent || !auth_equal(cookie, sent))
        return resp_error(r, 403, "the sign-in form expired or did not come from ken; "
                                  "open the sign-in page again");
    if (!login || !*login || !password || !*password)
        return login_page(r, 400, "Enter your login and your password.", login);
    if (strlen(login) > 64 || strlen(password) > 1024)
        return login_page(r, 400, "That login or password is too long.", NULL);
    int wait = throttle_take(r->db, login, r->addr);
    if (wait < 0) /* not counted, so not checked; a full disk turns this into its 507 */
        return resp_error(r, 503, "ken could not record this sign-in attempt just now, so it "
                                  "did not check the password; try again in a moment");
    if (wait > 0) {
        audit_http_log(r, AUDIT_SIGNIN_FAIL, login, "refused: too many failed sign-ins");
        return login_page(r, 429,
                          arena_printf(r->a, "Too many failed sign-ins. Try again in %d minute%s.",
                                       (wait + 59) / 60, wait > 60 ? "s" : ""),
                          login);
    }
    const char *hash = user_store_password_hash(r->db, r->a, login);
    int ok = auth_password_verify(hash, password);
    struct user *u = ok ? user_store_by_login(r->db, r->a, login) : NULL;
    if (!u) { /* the attempt throttle_take counted stays a failure */
        audit_http_log(r, AUDIT_SIGNIN_FAIL, login, hash ? "wrong password" : "unknown login");
        return login_page(r, 401, "That login and password do not match.", login);
    }
    throttle_succeeded(r->db, login, r->addr);
    char token[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1];
    if (session_create(r->db, u->id, token, csrf) != 0)
        return resp_error(r, 503, "ken could not start your session; try again in a moment");
    audit_http_log_as(r, u, AUDIT_SIGNIN, u->login, "password");
    resp_cookie(r, "ken_session", token, 0);
    resp_cookie(r, "ken_login", "", -1);
    return resp_redirect(r, safe_next(req_param(r, "next")));
}

int auth_logout(struct req *r)
{
    const char *cookie = req_cookie(r, "ken_session");
    if (cookie)
        session_delete(r->db, cookie);
    resp_cookie(r, "ken_session", "", -1);
    return resp_redirect(r, "/login");
}
