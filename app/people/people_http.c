#include "people/people_http.h"
#include "markup/url.h"
#include "accounts/audit_http.h"
#include "people/community_http.h"
#include "markup/html.h"
#include "people/graph_http.h"
#include "http/layout.h"
#include "http/multipart.h"
#include "people/org_http.h"
#include "people/org_store.h"
#include "people/people_store.h"
#include "people/recognition_http.h"
#include "people/skill_http.h"
#include "core/sniff.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { DIRECTORY_PAGE = 50, API_LIMIT_MAX = 200 };

/* Returns the value of field `name` of p (NULL when hidden from the reader). */
static const char *val(const struct person *p, const char *name)
{
    int i = people_field_index(name);
    return i < 0 ? NULL : p->values[i];
}

/* Records in the audit log that the reader sees the HR-only fields of p that hold something
 * (p as people_store_view left it for this reader: a field hidden from them is NULL). Nothing
 * for one's own profile or when no such field shows. Returns 0, or the status of the 503 sent:
 * HR-only fields are not shown when their reading cannot be recorded. */
static int record_hr_view(struct req *r, const struct person *p)
{
    if (!p || !r->user || r->user->id == p->id)
        return 0;
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; people_fields[i].name; i++)
        if (p->levels[i] == VIS_HR && p->values[i] && *p->values[i])
            buf_printf(&b, "%s%s", b.len ? ", " : "", people_fields[i].name);
    const char *fields = arena_adopt(r->a, buf_take(&b));
    if (!*fields || audit_http_log(r, AUDIT_HR_VIEW, p->login, fields) == 0)
        return 0;
    return resp_error(r, 503, "ken could not record this view of HR-only fields in the audit "
                              "log; try again in a moment");
}

/* Records a directory search by a reader who searches HR's index (HR-only fields included). */
static int record_hr_search(struct req *r, const struct people_query *q, int total)
{
    if (!q->text || !*q->text || !user_is_hr(r->user))
        return 0;
    if (audit_http_log(r, AUDIT_HR_SEARCH, "people directory",
                       arena_printf(r->a, "q=%s; %d found", q->text, total)) == 0)
        return 0;
    return resp_error(r, 503, "ken could not record this search in the audit log; try again");
}

/* Runs fn for the person whose login the route's LOGIN segment (r->rest) names; 404 when it
 * is not a login at all. */
static int for_login(struct req *r, int (*fn)(struct req *r, const char *login))
{
    if (user_login_check(r->rest))
        return resp_error(r, 404, "there is nobody at this address");
    return fn(r, r->rest);
}

/* Returns up to two capital letters from a name ("Inês Carvalho" -> "IC"), in a. */
static const char *initials(struct arena *a, const char *name)
{
    struct buf b;
    buf_init(&b, 64);
    const char *last = NULL;
    for (const char *p = name; *p; p++)
        if ((p == name || p[-1] == ' ') && *p != ' ')
            last = p;
    const char *starts[2] = {name, last && last != name ? last : NULL};
    for (int k = 0; k < 2; k++) {
        const unsigned char *s = (const unsigned char *)starts[k];
        if (!s || !*s)
            continue;
        size_t n = *s < 0x80 ? 1 : (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3 : 4;
        if (strnlen((const char *)s, n) < n)
            break;
        if (n == 1)
            buf_putc(&b, (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s));
        else
            buf_append(&b, s, n);
    }
    return arena_adopt(a, buf_take(&b));
}

static const char *photo_url(struct arena *a, const char *login, int64_t photo_at)
{
    return arena_printf(a, "/people/%s/photo?v=%lld", login, (long long)photo_at);
}

/* Says who else sees a field the reader sees ("" for everyone). */
static const char *level_note(enum visibility v, int self)
{
    if (v == VIS_HR)
        return self ? "HR and you" : "HR and them";
    return v == VIS_PRIVATE ? "only you" : "";
}

/* ---- the profile ---- */

/* Adds one fact (a row of the profile's facts list) when the reader may see it and it is set. */
static void add_fact(struct tvars *v, const char *list, const struct person *p, const char *field,
                     const char *shown, const char *href, int self)
{
    int i = people_field_index(field);
    const char *value = p->values[i];
    if (!value || !*value)
        return;
    struct tvars *f = tv_item(v, list);
    tv_text(f, "label", people_fields[i].label);
    tv_text(f, "value", shown ? shown : value);
    tv_text(f, "href", href);
    tv_text(f, "level_note", level_note(p->levels[i], self));
}

/* Returns a tel: link for a phone number as typed ("+44 113 496 0000" -> "tel:+441134960000"):
 * its digits and a leading '+', in a. */
static const char *tel_href(struct arena *a, const char *phone)
{
    char *out = arena_alloc(a, strlen(phone) + 5), *w = out + 4;
    memcpy(out, "tel:", 4);
    for (const char *c = phone; *c; c++)
        if ((*c >= '0' && *c <= '9') || (*c == '+' && w == out + 4))
            *w++ = *c;
    *w = 0;
    return out;
}

static void add_items(struct tvars *v, struct arena *a, const char *list, const char *csv)
{
    tv_list(v, list);
    for (const char *s = csv ? csv : ""; *s;) {
        size_t n = strcspn(s, ",");
        const char *item = arena_strndup(a, s, n);
        while (*item == ' ')
            item++;
        if (*item)
            tv_text(tv_item(v, list), "item", item);
        s += n + (s[n] ? 1 : 0);
    }
}

/* Returns 1 when the reader may see any of the three fields and one of them is set. */
static int any_set(const struct person *p, const char *f1, const char *f2, const char *f3)
{
    const char *fs[] = {f1, f2, f3};
    for (int k = 0; k < 3; k++) {
        const char *value = val(p, fs[k]);
        if (value && *value)
            return 1;
    }
    return 0;
}

static void profile_vars(struct req *r, struct tvars *v, const struct person *p)
{
    tv_text(v, "login", p->login);
    tv_text(v, "person_name", p->name);
    tv_text(v, "initials", initials(r->a, p->name));
    const char *photo = val(p, "photo");
    tv_text(v, "photo_url", photo && *photo ? photo_url(r->a, p->login, p->photo_at) : "");
    tv_text(v, "job_title", val(p, "title"));
    tv_text(v, "dept_slug", val(p, "department"));
    tv_text(v, "dept_name", p->department_name);
    tv_text(v, "team_slug", val(p, "team"));
    tv_text(v, "team_name", p->team_name);
    tv_bool(v, "left", p->left_at != 0);
    tv_text(v, "left_on", p->left_at ? layout_date(r->a, p->left_at) : "");
}

/* WEBPAGE: GET /people/LOGIN -> 200 the profile, with only the fields the reader may see; 404 */
static int profile_page(struct req *r, const char *login)
{
    struct person *p = people_store_view(r->db, r->a, r->user, login);
    if (!p)
        return resp_error(r, 404, arena_printf(r->a, "nobody has the login %s", login));
    int rc = record_hr_view(r, p);
    if (rc)
        return rc;
    struct tvars *v = layout_vars(r);
    int self = r->user && r->user->id == p->id;
    profile_vars(r, v, p);
    tv_list(v, "facts");
    const char *mgr = val(p, "manager");
    if (mgr && *mgr)
        add_fact(v, "facts", p, "manager",
                 p->manager_left ? arena_printf(r->a, "%s (has left)", p->manager_name)
                                 : p->manager_name,
                 url_person(r->a, mgr), self);
    add_fact(v, "facts", p, "location", NULL, "", self);
    add_fact(v, "facts", p, "timezone", NULL, "", self);
    add_fact(v, "facts", p, "start_date", NULL, "", self);
    add_fact(v, "facts", p, "languages", NULL, "", self);
    /* How to reach them, near the top (the experts page's "Contact X" opens #contact): only the
     * fields this reader may see, as people_store_view left them. */
    tv_list(v, "contact");
    const char *email = val(p, "email"), *phone = val(p, "phone");
    add_fact(v, "contact", p, "email", NULL, email ? arena_printf(r->a, "mailto:%s", email) : "",
             self);
    add_fact(v, "contact", p, "chat", NULL, "", self);
    add_fact(v, "contact", p, "phone", NULL,
             phone ? tel_href(r->a, phone) : "", self);
    tv_list(v, "career");
    add_fact(v, "career", p, "open_to_roles", NULL, "", self);
    add_fact(v, "career", p, "want_skills", NULL, "", self);
    const char *mentoring = val(p, "mentoring");
    add_fact(v, "career", p, "mentoring",
             !mentoring                               ? NULL
             : strcmp(mentoring, "offering") == 0 ? "Would like to mentor someone"
             : strcmp(mentoring, "seeking") == 0  ? "Would like a mentor"
                                                  : "Would like to mentor, and to have a mentor",
             "", self);
    tv_bool(v, "has_career", any_set(p, "open_to_roles", "want_skills", "mentoring"));
    tv_html(v, "bio_html", p->bio_html ? p->bio_html : "");
    add_items(v, r->a, "topics", val(p, "ask_me_about"));
    const char *topics = val(p, "ask_me_about");
    tv_bool(v, "has_topics", topics && *topics);
    tv_text(v, "projects", val(p, "projects"));
    tv_bool(v, "may_edit", people_may_edit(r->user, p->id));
    tv_bool(v, "may_mark_left", user_is_hr(r->user) && r->user->id != p->id);
    tv_bool(v, "is_self", self);
    org_profile_vars(r, v, p);
    skill_profile_vars(r, v, p->id, p->login, p->name);
    community_profile_vars(r, v, p->id);
    recognition_profile_vars(r, v, p->id, p->login);
    graph_profile_vars(r, v, p->id);
    return layout_page(r, 200, p->name, "profile", v);
}

/* ---- editing ---- */

/* How each field is edited. */
struct widget {
    const char *field, *type; /* input type, or textarea, department, team, mentoring */
    const char *hint;
};
static const struct widget widgets[] = {
    {"title", "text", ""},
    {"department", "department", ""},
    {"team", "team", "A team belongs to one department; choosing the team is enough."},
    {"manager", "manager", "Their login."},
    {"location", "text", "City or office."},
    {"timezone", "text", "Like Europe/Lisbon."},
    {"start_date", "date", ""},
    {"email", "email", ""},
    {"chat", "text", ""},
    {"phone", "tel", ""},
    {"languages", "text", "Comma separated."},
    {"bio", "textarea", "Markdown."},
    {"ask_me_about", "text", "Topics, comma separated."},
    {"projects", "textarea", ""},
    {"open_to_roles", "text", "What you would like to do next."},
    {"want_skills", "text", "Comma separated."},
    {"mentoring", "mentoring", ""},
    {"photo", "none", "Upload or remove it below."},
    {NULL, NULL, NULL},
};

static void option(struct tvars *f, const char *value, const char *label, const char *chosen)
{
    struct tvars *o = tv_item(f, "options");
    tv_text(o, "ovalue", value);
    tv_text(o, "olabel", label);
    tv_bool(o, "osel", chosen && strcmp(chosen, value) == 0);
}

static void widget_options(struct req *r, struct tvars *f, const char *type, const char *value)
{
    tv_list(f, "options");
    if (strcmp(type, "mentoring") == 0) {
        option(f, "", "Not now", value);
        option(f, "offering", "I would like to mentor someone", value);
        option(f, "seeking", "I would like a mentor", value);
        option(f, "both", "Both", value);
    } else if (strcmp(type, "department") == 0) {
        option(f, "", "None", value);
        for (struct org_unit *d = org_store_departments(r->db, r->a); d; d = d->next)
            option(f, d->slug, d->name, value);
    } else if (strcmp(type, "team") == 0) {
        option(f, "", "None", value);
        for (struct org_unit *t = org_store_teams(r->db, r->a, 0); t; t = t->next)
            option(f, t->slug, arena_printf(r->a, "%s / %s", t->dept_name, t->name), value);
    }
}

static void level_options(struct tvars *f, enum visibility chosen)
{
    static const char *const labels[] = {"Everyone", "HR only", "Only me"};
    tv_list(f, "levels");
    for (int l = VIS_EVERYONE; l <= VIS_PRIVATE; l++) {
        struct tvars *o = tv_item(f, "levels");
        tv_text(o, "lvalue", visibility_name((enum visibility)l));
        tv_text(o, "llabel", labels[l]);
        tv_bool(o, "lsel", (int)chosen == l);
    }
}

/* Renders the edit form for p (as the editor may see it); `sent` holds what was submitted when
 * the form comes back with an error. */
static int edit_page(struct req *r, int status, const struct person *p,
                     const struct people_edit *sent, const char *error)
{
    struct tvars *v = layout_vars(r);
    profile_vars(r, v, p);
    int self = r->user->id == p->id;
    tv_bool(v, "is_self", self);
    tv_text(v, "error", error);
    tv_text(v, "name_value", sent && sent->name ? sent->name : p->name);
    tv_text(v, "max_photo", "2 MiB");
    tv_list(v, "fields");
    for (const struct widget *w = widgets; w->field; w++) {
        int i = people_field_index(w->field);
        const struct profile_field *pf = &people_fields[i];
        struct tvars *f = tv_item(v, "fields");
        const char *value = sent && sent->values[i] ? sent->values[i] : p->values[i];
        enum visibility level = sent && sent->levels[i] >= 0 ? (enum visibility)sent->levels[i]
                                                             : p->levels[i];
        tv_text(f, "field", pf->name);
        tv_text(f, "label", pf->label);
        tv_text(f, "hint", w->hint);
        tv_bool(f, "locked", p->values[i] == NULL);
        tv_text(f, "value", value);
        tv_bool(f, "is_textarea", strcmp(w->type, "textarea") == 0);
        int select = strcmp(w->type, "department") == 0 || strcmp(w->type, "team") == 0 ||
                     strcmp(w->type, "mentoring") == 0;
        tv_bool(f, "is_select", select);
        tv_bool(f, "is_input",
                !select && strcmp(w->type, "textarea") != 0 && strcmp(w->type, "none") != 0);
        tv_text(f, "input_type", strcmp(w->type, "manager") == 0 ? "text" : w->type);
        tv_bool(f, "is_manager", strcmp(w->type, "manager") == 0);
        if (select)
            widget_options(r, f, w->type, value);
        tv_bool(f, "choose_level", self && !pf->fixed);
        level_options(f, level);
        tv_text(f, "level_text", !self && !pf->fixed && p->values[i]
                                     ? arena_printf(r->a, "Seen by %s", level == VIS_HR
                                                                            ? "HR and them"
                                                                            : "everyone")
                                     : "");
    }
    tv_list(v, "everyone");
    for (struct org_person *o = org_store_people(r->db, r->a, 0, 0); o; o = o->next) {
        struct tvars *i = tv_item(v, "everyone");
        tv_text(i, "plogin", o->login);
        tv_text(i, "pname", o->name);
    }
    const char *photo = val(p, "photo");
    tv_bool(v, "may_photo", photo != NULL);
    tv_bool(v, "has_photo", photo && *photo);
    return layout_page(r, status, arena_printf(r->a, "Editing %s", p->name), "profile_edit", v);
}

/* Loads the profile `login` for its editor, or answers 404/403 itself (*sent). */
static struct person *editable(struct req *r, const char *login, int *sent)
{
    *sent = 0;
    struct person *p = people_store_view(r->db, r->a, r->user, login);
    if (!p)
        *sent = resp_error(r, 404, arena_printf(r->a, "nobody has the login %s", login));
    else if (!people_may_edit(r->user, p->id))
        *sent = resp_error(r, 403, "you may edit only your own profile (HR and admins edit "
                                   "anyone's)");
    return *sent ? NULL : p;
}

/* WEBPAGE: GET /people/LOGIN/edit -> 200 the form (the person, HR and admins); 403; 404 */
static int edit_form(struct req *r, const char *login)
{
    int sent;
    struct person *p = editable(r, login, &sent);
    if (p && (sent = record_hr_view(r, p)))
        return sent;
    return p ? edit_page(r, 200, p, NULL, NULL) : sent;
}

/* WEBPAGE: POST /people/LOGIN/edit (csrf, name, one parameter per field, vis_FIELD for the
 * person's own visibility choices) -> 303 to the profile; 400 the form with what is wrong
 * (a manager that would make a loop among them); 403 not theirs to edit, or a field the person
 * keeps private, or someone else's visibility; 404 */
static int edit_save(struct req *r, const char *login)
{
    int sent;
    struct person *p = editable(r, login, &sent);
    if (!p)
        return sent;
    struct people_edit e;
    people_edit_init(&e);
    e.name = req_param(r, "name");
    for (int i = 0; people_fields[i].name && i < PEOPLE_FIELDS_MAX; i++) {
        e.values[i] = req_param(r, people_fields[i].name);
        const char *level = req_param(r, arena_printf(r->a, "vis_%s", people_fields[i].name));
        if (level && (e.levels[i] = visibility_parse(level)) < 0)
            return resp_error(r, 400, "visibility is everyone, hr or private");
    }
    const char *why = NULL;
    int rc = people_store_save(r->db, r->a, r->user, login, &e, &why);
    if (rc == 0)
        return resp_redirect(r, url_person(r->a, login));
    if (rc == 400)
        return edit_page(r, 400, p, &e, why);
    return resp_error(r, rc, why);
}

/* ---- the photo ---- */

/* WEBPAGE: GET /people/LOGIN/photo?v=N -> 200 the photo as uploaded (png, jpeg, gif or webp,
 * nosniff, sandboxed; cached for a day when v is the current version); 304; 404 when there is
 * none or the reader may not see it */
static int photo_get(struct req *r, const char *login)
{
    size_t len = 0;
    const char *type = NULL;
    int64_t version = 0;
    const void *data = people_store_photo(r->db, r->a, r->user, login, &len, &type, &version);
    if (!data)
        return resp_error(r, 404, "there is no photo here");
    const char *etag = arena_printf(r->a, "\"photo-%lld\"", (long long)version);
    const char *v = req_param(r, "v");
    resp_header(r, "ETag", etag);
    resp_header(r, "Cache-Control", v && atoll(v) == version ? "private, max-age=86400"
                                                             : "private, no-cache");
    resp_header(r, "Content-Security-Policy", "sandbox");
    resp_header(r, "Content-Disposition", "inline");
    resp_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    const char *inm = req_header(r, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0)
        return resp_send(r, 304, type, "", 0);
    return resp_send(r, 200, type, data, len);
}

/* WEBPAGE: POST /people/LOGIN/photo (multipart/form-data: csrf, photo; or csrf and remove=1)
 * -> 303 to the profile; 400 no file; 413 larger than 2 MiB; 415 not a PNG, JPEG, WebP or GIF
 * by its bytes (its name does not count); 403; 404 */
static int photo_post(struct req *r, const char *login)
{
    const char *why = NULL;
    const void *data = NULL;
    size_t len = 0;
    const char *type = "";
    if (!req_param(r, "remove")) {
        const char *boundary = multipart_boundary(r->a, req_header(r, "Content-Type"));
        if (!boundary)
            return resp_error(r, 400, "send the photo with the upload form (multipart/form-data)");
        const struct multipart_part *parts =
            multipart_parse(r->a, r->body, r->body_len, boundary, &why);
        const struct multipart_part *file = parts ? multipart_find(parts, "photo") : NULL;
        if (!parts)
            return resp_error(r, 400, why);
        if (!file || !file->len)
            return resp_error(r, 400, "choose a photo to upload");
        if (file->len > PEOPLE_PHOTO_MAX)
            return resp_error(r, 413, "the photo is too large: ken takes photos up to 2 MiB");
        type = sniff_type(file->data, file->len);
        if (strcmp(type, "image/png") && strcmp(type, "image/jpeg") && strcmp(type, "image/webp") &&
            strcmp(type, "image/gif"))
            return resp_error(r, 415, arena_printf(r->a, "a photo is a PNG, JPEG, WebP or GIF "
                                                         "image; this file's bytes say %s (its "
                                                         "name does not count)", type));
        data = file->data;
        len = file->len;
    }
    int rc = people_store_set_photo(r->db, r->a, r->user, login, data, len, type, &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_redirect(r, url_person(r->a, login));
}

/* ---- leaving, history ---- */

/* WEBPAGE: POST /people/LOGIN/left (csrf, left=1|0) -> 303 to the profile: marked as having
 * left (they can no longer sign in) or back; 403 not HR or an admin; 400 themselves; 404; 409 */
static int left_post(struct req *r, const char *login)
{
    if (!user_is_hr(r->user))
        return resp_error(r, 403, "only HR and admins mark people as having left");
    const char *left = req_param(r, "left");
    if (!left || (strcmp(left, "1") != 0 && strcmp(left, "0") != 0))
        return resp_error(r, 400, "send left=1 (has left) or left=0 (is back)");
    if (strcmp(login, r->user->login) == 0)
        return resp_error(r, 400, "you cannot mark yourself as having left; ask someone else "
                                  "in HR or an admin");
    const char *why = NULL;
    int rc = audit_http_begin(r, &why);
    if (!rc)
        rc = people_store_set_left(r->db, r->a, r->user, login, left[0] == '1', &why);
    rc = audit_http_end(r, rc, left[0] == '1' ? AUDIT_ACCOUNT_LEFT : AUDIT_ACCOUNT_BACK, login,
                        "on the profile", &why);
    if (rc)
        return resp_error(r, rc, why);
    return resp_redirect(r, url_person(r->a, login));
}

/* WEBPAGE: GET /people/LOGIN/history -> 200 the profile's changes, newest first, with only the
 * fields the reader may see (a change to anything else is not listed at all); 404 */
static int history_page(struct req *r, const char *login)
{
    struct person *p = people_store_view(r->db, r->a, r->user, login);
    if (!p)
        return resp_error(r, 404, arena_printf(r->a, "nobody has the login %s", login));
    int rc = record_hr_view(r, p);
    if (rc)
        return rc;
    struct tvars *v = layout_vars(r);
    profile_vars(r, v, p);
    tv_list(v, "revisions");
    for (struct profile_revision *rv = people_store_history(r->db, r->a, r->user, p->id); rv;
         rv = rv->next) {
        struct tvars *i = tv_item(v, "revisions");
        tv_text(i, "when", layout_date(r->a, rv->created_at));
        tv_text(i, "editor", *rv->editor_name ? rv->editor_name : "ken (import)");
        tv_text(i, "editor_login", rv->editor_login);
        for (struct profile_change *c = rv->changes; c; c = c->next) {
            struct tvars *ch = tv_item(i, "changes");
            tv_text(ch, "label", c->label);
            tv_text(ch, "old", c->old);
            tv_text(ch, "new", c->new);
        }
    }
    return layout_page(r, 200, arena_printf(r->a, "History of %s", p->name), "profile_history", v);
}

int people_get(struct req *r)
{
    if (!*r->rest)
        return resp_redirect(r, "/people");
    return for_login(r, profile_page);
}

int people_edit_form(struct req *r) { return for_login(r, edit_form); }
int people_edit_post(struct req *r) { return for_login(r, edit_save); }
int people_photo_get(struct req *r) { return for_login(r, photo_get); }
int people_photo_post(struct req *r) { return for_login(r, photo_post); }
int people_left_post(struct req *r) { return for_login(r, left_post); }
int people_history_page(struct req *r) { return for_login(r, history_page); }
int people_org_svg(struct req *r) { return for_login(r, org_person_svg); }

/* ---- the directory ---- */

static void query_from(struct req *r, struct people_query *q)
{
    memset(q, 0, sizeof *q);
    q->dept = req_param(r, "dept");
    q->team = req_param(r, "team");
    q->location = req_param(r, "location");
    q->language = req_param(r, "language");
    q->text = req_param(r, "q");
    q->community = req_param(r, "community");
    q->skill = req_param(r, "skill");
    const char *sort = req_param(r, "sort"), *left = req_param(r, "left");
    q->sort = sort && strcmp(sort, "start") == 0       ? PEOPLE_SORT_START
              : sort && strcmp(sort, "relevance") == 0 ? PEOPLE_SORT_RELEVANCE
                                                       : PEOPLE_SORT_NAME;
    const char *level = req_param(r, "level");
    q->min_level = level ? atoi(level) : 0;
    q->include_left = left && strcmp(left, "1") == 0;
}

/* Returns "/people?dept=..&page=N" keeping the filters, in a. */
static const char *directory_url(struct req *r, int page)
{
    static const char *const keep[] = {"q", "dept", "team", "location", "language", "community",
                                       "skill", "level", "sort", "left"};
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "/people?");
    req_params_keep(r, &b, keep, sizeof keep / sizeof *keep);
    buf_printf(&b, "page=%d", page);
    return arena_adopt(r->a, buf_take(&b));
}

static void filter_options(struct req *r, struct tvars *v, const struct people_query *q)
{
    tv_list(v, "depts");
    for (struct org_unit *d = org_store_departments(r->db, r->a); d; d = d->next) {
        struct tvars *i = tv_item(v, "depts");
        tv_text(i, "slug", d->slug);
        tv_text(i, "name", d->name);
        tv_bool(i, "selected", q->dept && strcmp(q->dept, d->slug) == 0);
    }
    tv_list(v, "teams");
    for (struct org_unit *t = org_store_teams(r->db, r->a, 0); t; t = t->next) {
        struct tvars *i = tv_item(v, "teams");
        tv_text(i, "slug", t->slug);
        tv_text(i, "name", arena_printf(r->a, "%s / %s", t->dept_name, t->name));
        tv_bool(i, "selected", q->team && strcmp(q->team, t->slug) == 0);
    }
    struct people_value *locations, *languages;
    people_store_filter_values(r->db, r->a, r->user, &locations, &languages);
    tv_list(v, "locations");
    for (struct people_value *pv = locations; pv; pv = pv->next)
        tv_text(tv_item(v, "locations"), "value", pv->value);
    tv_list(v, "languages");
    for (struct people_value *pv = languages; pv; pv = pv->next)
        tv_text(tv_item(v, "languages"), "value", pv->value);
}

/* WEBPAGE: GET /people?q=&dept=&team=&location=&language=&sort=name|start&left=1&page=N -> 200
 * the directory, 50 a page: photo or initials, name, title, department, location */
int people_index(struct req *r)
{
    struct people_query q;
    query_from(r, &q);
    const char *page_s = req_param(r, "page");
    int page = page_s ? atoi(page_s) : 1, total = 0;
    if (page < 1 || page > 100000)
        page = 1;
    q.limit = DIRECTORY_PAGE;
    q.offset = (page - 1) * DIRECTORY_PAGE;
    struct person_card *cards = people_store_list(r->db, r->a, r->user, &q, &total);
    int rc = record_hr_search(r, &q, total);
    if (rc)
        return rc;
    struct tvars *v = layout_vars(r);
    tv_text(v, "location", q.location);
    tv_text(v, "language", q.language);
    tv_text(v, "skill", q.skill);
    tv_bool(v, "level2", q.min_level == 2);
    tv_bool(v, "level3", q.min_level == 3);
    tv_text(v, "community", q.community);
    tv_bool(v, "sort_start", q.sort == PEOPLE_SORT_START);
    tv_bool(v, "sort_relevance", q.sort == PEOPLE_SORT_RELEVANCE);
    tv_bool(v, "include_left", q.include_left);
    filter_options(r, v, &q);
    tv_int(v, "total", total);
    tv_list(v, "people");
    for (struct person_card *c = cards; c; c = c->next) {
        struct tvars *i = tv_item(v, "people");
        tv_text(i, "login", c->login);
        tv_text(i, "name", c->name);
        tv_text(i, "initials", initials(r->a, c->name));
        tv_text(i, "job_title", c->title);
        tv_text(i, "dept_slug", c->dept_slug);
        tv_text(i, "dept_name", c->dept_name);
        tv_text(i, "team_name", c->team_name);
        tv_text(i, "card_location", c->location);
        tv_text(i, "photo", c->has_photo ? photo_url(r->a, c->login, c->photo_at) : "");
        tv_bool(i, "left", c->left);
    }
    int pages = (total + DIRECTORY_PAGE - 1) / DIRECTORY_PAGE;
    tv_int(v, "page", page);
    tv_int(v, "pages", pages ? pages : 1);
    tv_text(v, "prev", page > 1 ? directory_url(r, page - 1) : "");
    tv_text(v, "next", page < pages ? directory_url(r, page + 1) : "");
    return layout_page(r, 200, "People", "people", v);
}

/* ---- JSON ---- */

static json_t *person_json(struct req *r, const struct person *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "login", json_string(p->login));
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "url", json_string(url_person(r->a, p->login)));
    json_object_set_new(o, "left_at",
                        p->left_at ? json_string(layout_iso_time(r->a, p->left_at)) : json_null());
    json_t *vis = json_object();
    for (int i = 0; people_fields[i].name; i++) {
        const char *value = p->values[i];
        if (!value)
            continue; /* not for this reader: not even the key */
        if (!people_fields[i].fixed)
            json_object_set_new(vis, people_fields[i].name,
                                json_string(visibility_name(p->levels[i])));
        if (strcmp(people_fields[i].name, "photo") == 0) {
            if (*value)
                json_object_set_new(o, "photo_url",
                                    json_string(photo_url(r->a, p->login, p->photo_at)));
            continue;
        }
        json_object_set_new(o, people_fields[i].name, json_string(value));
    }
    if (p->department_name)
        json_object_set_new(o, "department_name", json_string(p->department_name));
    if (p->team_name)
        json_object_set_new(o, "team_name", json_string(p->team_name));
    if (p->manager_name)
        json_object_set_new(o, "manager_name", json_string(p->manager_name));
    if (p->bio_html)
        json_object_set_new(o, "bio_html", json_string(p->bio_html));
    json_object_set_new(o, "visibility", vis);
    return o;
}

/* API: GET /api/people/LOGIN -> 200 {login, name, url, left_at, the fields the reader may see
 * (title, department, team, manager, location, ..., bio), department_name, team_name,
 * manager_name, bio_html, photo_url, visibility: {field: everyone|hr|private}}; 404 */
int people_api_get(struct req *r)
{
    const char *login = r->rest;
    if (user_login_check(login))
        return resp_error(r, 404, "people live at /api/people/LOGIN");
    struct person *p = people_store_view(r->db, r->a, r->user, login);
    if (!p)
        return resp_error(r, 404, arena_printf(r->a, "nobody has the login %s", login));
    int rc = record_hr_view(r, p);
    return rc ? rc : resp_json(r, 200, person_json(r, p));
}

/* Keys a GET answer has that a PUT may send back unchanged; they are ignored. */
static int read_only_key(const char *key)
{
    static const char *const keys[] = {"login", "url", "left_at", "department_name", "team_name",
                                       "manager_name", "bio_html", "photo_url"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

/* Reads a PUT body into e. Returns NULL, or why it is not acceptable (400). */
static const char *edit_from_json(struct req *r, json_t *in, struct people_edit *e)
{
    struct buf unknown;
    buf_init(&unknown, 4096);
    const char *key, *why = NULL;
    json_t *value;
    json_object_foreach(in, key, value)
    {
        int i = people_field_index(key);
        if (strcmp(key, "visibility") == 0) {
            const char *f;
            json_t *level;
            if (!json_is_object(value))
                why = "visibility is an object like {\"phone\": \"private\"}";
            json_object_foreach(value, f, level)
            {
                int fi = people_field_index(f);
                int l = visibility_parse(json_string_value(level));
                if (fi < 0 || l < 0)
                    why = arena_printf(r->a, "visibility maps profile fields to everyone, hr or "
                                             "private; %s is not that", f);
                else
                    e->levels[fi] = l;
            }
        } else if (strcmp(key, "name") == 0 || i >= 0) {
            if (!json_is_string(value) && !json_is_null(value))
                why = arena_printf(r->a, "%s must be a string", key);
            const char *s = json_is_string(value) ? arena_strdup(r->a, json_string_value(value)) : "";
            if (i >= 0)
                e->values[i] = s;
            else
                e->name = s;
        } else if (!read_only_key(key)) {
            buf_printf(&unknown, "%s%s", unknown.len ? ", " : "", key);
        }
    }
    if (unknown.len) {
        struct buf known;
        buf_init(&known, 4096);
        buf_puts(&known, "name");
        for (int i = 0; people_fields[i].name; i++)
            if (strcmp(people_fields[i].name, "photo") != 0)
                buf_printf(&known, ", %s", people_fields[i].name);
        why = arena_printf(r->a, "unknown field%s: %s (a profile has %s, and visibility)",
                           strchr(buf_str(&unknown), ',') ? "s" : "", buf_str(&unknown),
                           buf_str(&known));
        buf_free(&known);
    }
    buf_free(&unknown);
    return why;
}

/* API: PUT /api/people/LOGIN {name?, FIELD: "value"..., visibility?: {FIELD: level}} -> 200 the
 * profile as GET returns it; 400 unknown fields (named) or bad values; 403 not theirs to edit,
 * a field the person keeps private, or someone else's visibility; 404. Fields left out stay as
 * they are; the read-only keys of a GET answer are ignored. */
int people_api_put(struct req *r)
{
    const char *login = r->rest, *why = NULL;
    if (user_login_check(login))
        return resp_error(r, 404, "people live at /api/people/LOGIN");
    struct person *p = people_store_get(r->db, r->a, login);
    if (!p)
        return resp_error(r, 404, arena_printf(r->a, "nobody has the login %s", login));
    if (!people_may_edit(r->user, p->id))
        return resp_error(r, 403, "you may edit only your own profile (HR and admins edit "
                                  "anyone's)");
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    struct people_edit e;
    people_edit_init(&e);
    why = edit_from_json(r, in, &e);
    json_decref(in);
    if (why)
        return resp_error(r, 400, why);
    int rc = people_store_save(r->db, r->a, r->user, login, &e, &why);
    if (rc)
        return resp_error(r, rc, why);
    struct person *after = people_store_view(r->db, r->a, r->user, login);
    return (rc = record_hr_view(r, after)) ? rc : resp_json(r, 200, person_json(r, after));
}

/* API: GET /api/people?q=&dept=&team=&location=&language=&sort=name|start&left=1&limit=&offset=
 * -> 200 {total, limit, offset, people: [{login, name, title, department, department_name, team,
 * team_name, location (when the reader may see it), url, photo_url (same), left}]}; 400 */
int people_api_list(struct req *r)
{
    struct people_query q;
    query_from(r, &q);
    int total = 0;
    long limit, offset;
    const char *why = NULL;
    if (req_int(r, "limit", DIRECTORY_PAGE, 1, API_LIMIT_MAX, &limit, &why) ||
        req_int(r, "offset", 0, 0, 1000000, &offset, &why))
        return resp_error(r, 400, why);
    q.limit = (int)limit;
    q.offset = (int)offset;
    struct person_card *cards = people_store_list(r->db, r->a, r->user, &q, &total);
    int rc = record_hr_search(r, &q, total);
    if (rc)
        return rc;
    json_t *list = json_array();
    for (struct person_card *c = cards; c; c = c->next) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "login", c->login,
                              "name", c->name, "title", c->title, "department", c->dept_slug,
                              "department_name", c->dept_name, "team", c->team_slug,
                              "team_name", c->team_name, "url",
                              url_person(r->a, c->login), "left", c->left);
        if (c->location)
            json_object_set_new(o, "location", json_string(c->location));
        if (c->has_photo)
            json_object_set_new(o, "photo_url",
                                json_string(photo_url(r->a, c->login, c->photo_at)));
        json_array_append_new(list, o);
    }
    return resp_json(r, 200, json_pack("{s:i, s:i, s:i, s:o}", "total", total, "limit", q.limit,
                                       "offset", q.offset, "people", list));
}
