#include "notify/mail_http.h"
#include "http/layout.h"
#include "notify/mail_format.h"
#include "notify/mail_send.h"
#include "notify/mail_store.h"
#include "people/people_store.h"

#include <string.h>
#include <time.h>

/* KINDS_MAX: room for every entry of mail_format_kinds (7 today). */
enum { PROBLEMS_SHOWN = 5, URL_MAX = 300, CREDENTIAL_MAX = 200, KINDS_MAX = 16 };

/* Returns s without surrounding spaces, in a ("" for NULL). */
static const char *trimmed(struct arena *a, const char *s)
{
    if (!s)
        return "";
    s += strspn(s, " \t\r\n");
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        n--;
    return arena_strndup(a, s, n);
}

/* Returns 1 when s is printable ASCII without spaces. */
static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7F)
            return 0;
    return 1;
}

/* The address this request reached ken at ("http://host:port"), as a suggestion for public_url;
 * "" when the Host header is not a plain host. */
static const char *request_base(struct req *r)
{
    const char *host = req_header(r, "Host");
    if (!host || !*host || strlen(host) > 200 || !printable(host) || strpbrk(host, "/\\@?#\"'<>"))
        return "";
    return arena_printf(r->a, "%s://%s", r->https ? "https" : "http", host);
}

static const char *check_smtp_url(const char *u)
{
    const char *host = strncmp(u, "smtp://", 7) == 0    ? u + 7
                       : strncmp(u, "smtps://", 8) == 0 ? u + 8
                                                        : NULL;
    if (!host)
        return "the SMTP server is an address like smtp://mail.example.com:587 (STARTTLS) or "
               "smtps://mail.example.com:465 (TLS)";
    if (strlen(u) > URL_MAX || !printable(u))
        return "the SMTP server address has spaces or characters an address cannot have";
    if (strchr(u, '@'))
        return "put the user name and password in their own fields, not in the SMTP server address";
    if (!*host || *host == '/' || *host == ':')
        return "the SMTP server address needs a host name, like smtp://mail.example.com:587";
    return NULL;
}

/* Returns public_url made canonical (no trailing slash) in *out, or why it is not acceptable. */
static const char *check_public_url(struct arena *a, const char *u, const char **out)
{
    size_t n = strlen(u);
    while (n && u[n - 1] == '/')
        n--;
    *out = arena_strndup(a, u, n);
    if ((strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0) || n > URL_MAX ||
        !printable(*out) || n <= 8)
        return "ken's address for links is where people open ken, like https://ken.example.com";
    return NULL;
}

static const char *check_credential(const char *v, const char *what, struct arena *a)
{
    if (strlen(v) > CREDENTIAL_MAX || strpbrk(v, "\r\n\t") || !utf8_valid(v, strlen(v)))
        return arena_printf(a, "the SMTP %s is one line of at most %d characters", what,
                            CREDENTIAL_MAX);
    return NULL;
}

/* Reads the settings form into *s. Returns NULL, or why it cannot be saved (in r->a). */
static const char *read_settings(struct req *r, struct mail_settings *s)
{
    const char *on = req_param(r, "enabled"), *tls = req_param(r, "starttls"), *why;
    const char *pw = req_param(r, "password"), *clear = req_param(r, "clear_password");
    s->enabled = on && strcmp(on, "1") == 0;
    s->starttls = tls && strcmp(tls, "1") == 0;
    s->smtp_url = trimmed(r->a, req_param(r, "smtp_url"));
    s->from = trimmed(r->a, req_param(r, "from"));
    s->username = trimmed(r->a, req_param(r, "username"));
    s->password = pw && *pw ? pw : clear && strcmp(clear, "1") == 0 ? "" : NULL;
    s->public_url = trimmed(r->a, req_param(r, "public_url"));
    if (s->enabled && (!*s->smtp_url || !*s->from || !*s->public_url))
        return "to turn e-mail on, give the SMTP server, the From address and ken's address for "
               "links";
    if (*s->smtp_url && (why = check_smtp_url(s->smtp_url)))
        return why;
    if (*s->from && !mail_address_valid(s->from))
        return "the From address is an address like ken@example.com";
    if (*s->public_url && (why = check_public_url(r->a, s->public_url, &s->public_url)))
        return why;
    if ((why = check_credential(s->username, "user name", r->a)))
        return why;
    if (s->password && (why = check_credential(s->password, "password", r->a)))
        return why;
    return NULL;
}

/* Returns where problem m was sent as the admin may see it: the address, or, when its owner
 * keeps their email from the admin, their login saying so (in r->a). */
static const char *problem_rcpt(struct req *r, const struct mail_item *m)
{
    int visible[PEOPLE_FIELDS_MAX];
    if (!m->user_id || (people_store_visible_fields(r->db, r->user, m->user_id, visible) == 0 &&
                        visible[people_field_index("email")]))
        return m->rcpt;
    return arena_printf(r->a, "%s (address private)", *m->login ? m->login : "someone");
}

void mail_http_admin_vars(struct req *r, struct tvars *v)
{
    struct mail_settings s;
    struct mail_counts c;
    mail_store_settings(r->db, r->a, &s);
    tv_bool(v, "mail_enabled", s.enabled);
    tv_bool(v, "mail_starttls", s.starttls);
    tv_text(v, "mail_smtp_url", s.smtp_url);
    tv_text(v, "mail_from", s.from);
    tv_text(v, "mail_username", s.username);
    tv_bool(v, "mail_has_password", *s.password != 0);
    tv_text(v, "mail_public_url", *s.public_url ? s.public_url : request_base(r));
    tv_text(v, "mail_test_to", mail_store_address(r->db, r->a, r->user->id));
    mail_store_counts(r->db, &c);
    tv_int(v, "mail_queued", c.queued);
    tv_int(v, "mail_sent", c.sent);
    tv_int(v, "mail_failed", c.failed);
    tv_list(v, "mail_problems");
    struct mail_item *problems = mail_store_problems(r->db, r->a, PROBLEMS_SHOWN);
    tv_bool(v, "mail_has_problems", problems != NULL);
    for (struct mail_item *m = problems; m; m = m->next) {
        struct tvars *i = tv_item(v, "mail_problems");
        tv_text(i, "rcpt", problem_rcpt(r, m));
        tv_text(i, "subject", m->subject);
        tv_text(i, "state", strcmp(m->state, "failed") == 0 ? "gave up" : "will retry");
        tv_int(i, "attempts", m->attempts);
        tv_text(i, "error", m->last_error);
        tv_text(i, "when", layout_date(r->a, m->done_at ? m->done_at : m->created_at));
    }
}

int mail_http_admin_post(struct req *r)
{
    struct mail_settings s;
    memset(&s, 0, sizeof s);
    const char *why = read_settings(r, &s);
    if (why)
        return resp_error(r, 400, why);
    if (mail_store_save_settings(r->db, &s) != 0)
        return resp_error(r, 503, "the e-mail settings could not be saved; try again");
    return resp_redirect(r, "/admin#email");
}

int mail_http_admin_test(struct req *r)
{
    const char *to = trimmed(r->a, req_param(r, "to"));
    if (!mail_address_valid(to))
        return resp_error(r, 400, "send the test e-mail to an address like name@example.com");
    struct mail_settings s;
    mail_store_settings(r->db, r->a, &s);
    if (!*s.smtp_url || !mail_address_valid(s.from))
        return resp_error(r, 400, "save an SMTP server and a From address first, then test them");
    const char *base = *s.public_url ? s.public_url : request_base(r), *subject, *body;
    struct mail_notice n = {.kind = "test"};
    mail_format_notice(r->a, &n, base, &subject, &body);
    struct mail_message m = {"ken", s.from, "", to, subject, body, (int64_t)time(NULL),
                             mail_format_message_id(r->a, s.from)};
    char err[512];
    int rc = mail_send_one(&s, to, mail_format_message(r->a, &m), err, sizeof err);
    struct tvars *v = layout_vars(r);
    tv_text(v, "to", to);
    tv_text(v, "smtp_url", s.smtp_url);
    tv_bool(v, "sent", rc == 0);
    tv_text(v, "error", rc ? err : "");
    return layout_page(r, rc ? 502 : 200, "Test e-mail", "admin_mail_test", v);
}

/* ---- each person's choice */

static int kind_index(const char *kind)
{
    for (int i = 0; mail_format_kinds[i]; i++)
        if (strcmp(kind, mail_format_kinds[i]) == 0)
            return i;
    return -1;
}

static int mail_on(struct req *r)
{
    struct mail_settings s;
    mail_store_settings(r->db, r->a, &s);
    return s.enabled;
}

void mail_http_inbox_vars(struct req *r, struct tvars *v)
{
    int64_t uid = r->user->id;
    tv_bool(v, "mail_on", mail_on(r));
    tv_text(v, "mail_address", mail_store_address(r->db, r->a, uid));
    tv_text(v, "mail_login", r->user->login);
    tv_list(v, "mail_kinds");
    for (int i = 0; mail_format_kinds[i]; i++) {
        struct tvars *k = tv_item(v, "mail_kinds");
        tv_text(k, "kind", mail_format_kinds[i]);
        tv_text(k, "label", mail_format_kind_label(mail_format_kinds[i]));
        tv_bool(k, "on", mail_store_wants(r->db, uid, mail_format_kinds[i]));
    }
}

int mail_http_prefs_post(struct req *r)
{
    int on[KINDS_MAX] = {0};
    for (struct param *p = r->params; p; p = p->next) {
        if (strcmp(p->name, "kind") != 0)
            continue;
        int i = kind_index(p->value);
        if (i < 0)
            return resp_error(r, 400, arena_printf(r->a, "there is no kind of e-mail called “%s”",
                                                   p->value));
        on[i] = 1;
    }
    if (mail_store_set_prefs(r->db, r->user->id, on) != 0)
        return resp_error(r, 503, "your e-mail choices could not be saved; try again");
    return resp_redirect(r, "/inbox#email");
}

static json_t *prefs_json(struct req *r)
{
    json_t *kinds = json_object();
    for (int i = 0; mail_format_kinds[i]; i++)
        json_object_set_new(kinds, mail_format_kinds[i],
                            json_boolean(mail_store_wants(r->db, r->user->id, mail_format_kinds[i])));
    return json_pack("{s:b, s:s, s:o}", "enabled", mail_on(r), "address",
                     mail_store_address(r->db, r->a, r->user->id), "kinds", kinds);
}

int mail_http_prefs_api(struct req *r)
{
    return resp_json(r, 200, prefs_json(r));
}

/* Applies {kind: bool, ...} to on[]. Returns NULL, or why not (in a). */
static const char *apply_kinds(struct arena *a, json_t *kinds, int *on)
{
    const char *key;
    json_t *val;
    if (!json_is_object(kinds))
        return "send {\"kinds\": {\"endorsement\": false, ...}}";
    json_object_foreach(kinds, key, val)
    {
        int i = kind_index(key);
        if (i < 0)
            return arena_printf(a, "there is no kind of e-mail called “%s”", key);
        if (!json_is_boolean(val))
            return arena_printf(a, "%s is true or false", key);
        on[i] = json_is_true(val);
    }
    return NULL;
}

int mail_http_prefs_api_put(struct req *r)
{
    const char *why = NULL;
    json_t *in = req_json(r, &why);
    int on[KINDS_MAX] = {0};
    if (!in)
        return resp_error(r, 400, why);
    for (int i = 0; mail_format_kinds[i]; i++)
        on[i] = mail_store_wants(r->db, r->user->id, mail_format_kinds[i]);
    why = apply_kinds(r->a, json_object_get(in, "kinds"), on);
    json_decref(in);
    if (why)
        return resp_error(r, 400, why);
    if (mail_store_set_prefs(r->db, r->user->id, on) != 0)
        return resp_error(r, 503, "your e-mail choices could not be saved; try again");
    return resp_json(r, 200, prefs_json(r));
}
