#include "accounts/admin_http.h"
#include "http/layout.h"
#include "notify/mail_http.h"
#include "core/settings.h"

#include <string.h>

int admin_home(struct req *r)
{
    struct tvars *v = layout_vars(r);
    tv_bool(v, "public_read", settings_public_read());
    tv_list(v, "users");
    for (struct user_item *u = user_store_all(r->db, r->a); u; u = u->next) {
        struct tvars *i = tv_item(v, "users");
        tv_text(i, "login", u->login);
        tv_text(i, "name", u->name);
        tv_text(i, "role", u->role);
    }
    mail_http_admin_vars(r, v);
    return layout_page(r, 200, "Administration", "admin", v);
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
