#include "accounts/token_http.h"
#include "accounts/audit_http.h"
#include "http/layout.h"
#include "accounts/session_store.h"

#include <stdlib.h>
#include <string.h>

static int show(struct req *r, int status, const char *fresh, const char *error)
{
    struct tvars *v = layout_vars(r);
    tv_text(v, "fresh", fresh);
    tv_text(v, "error", error);
    tv_list(v, "tokens");
    for (struct token_item *t = token_list(r->db, r->a, r->user->id); t; t = t->next) {
        struct tvars *i = tv_item(v, "tokens");
        tv_int(i, "id", t->id);
        tv_text(i, "label", *t->label ? t->label : "(no label)");
        tv_text(i, "scope", t->read_only ? "read only" : "read and write");
        tv_text(i, "created", layout_date(r->a, t->created_at));
        tv_text(i, "used", t->last_used ? layout_date(r->a, t->last_used) : "never");
    }
    if (fresh)
        resp_header(r, "Cache-Control", "no-store");
    return layout_page(r, status, "API tokens", "tokens", v);
}

/* WEBPAGE: GET /tokens -> 200 the signed-in person's API tokens and a form to make one */
int token_page(struct req *r)
{
    return show(r, 200, NULL, NULL);
}

/* WEBPAGE: POST /tokens (label, scope=read|write, csrf) -> 200 the list with the new token shown
 * once; 400 bad label or scope */
int token_make(struct req *r)
{
    const char *label = req_param(r, "label"), *scope = req_param(r, "scope");
    if (!label || strlen(label) > 100)
        return show(r, 400, NULL, "Give the token a label of at most 100 characters.");
    if (!scope || (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0))
        return show(r, 400, NULL, "Choose read only or read and write.");
    char token[AUTH_TOKEN_LEN + 1];
    const char *why;
    int rc = audit_http_begin(r, &why);
    if (!rc && token_create(r->db, r->user->id, label, scope[0] == 'r', token) != 0)
        rc = 503;
    rc = audit_http_end(r, rc, AUDIT_TOKEN_CREATE, r->user->login,
                        arena_printf(r->a, "%s, labelled %s", scope[0] == 'r' ? "read-only" :
                                     "read-write", label ? label : ""), &why);
    if (rc)
        return show(r, 503, NULL, "The token could not be saved; try again.");
    return show(r, 200, arena_strdup(r->a, token), NULL);
}

/* WEBPAGE: POST /tokens/revoke (id, csrf) -> 303 to /tokens; 404 not one of yours */
int token_delete(struct req *r)
{
    const char *id = req_param(r, "id");
    const char *why = "you have no token with that number";
    int rc = id ? audit_http_begin(r, &why) : 404;
    if (!rc && token_revoke(r->db, r->user->id, atoll(id)) != 0)
        rc = 404;
    rc = audit_http_end(r, rc, AUDIT_TOKEN_REVOKE, r->user->login,
                        arena_printf(r->a, "token %s", id ? id : ""), &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_redirect(r, "/tokens");
}
