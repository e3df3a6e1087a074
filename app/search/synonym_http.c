#include "search/synonym_http.h"
#include "http/layout.h"
#include "search/synonym_store.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Returns the id in s (digits only, > 0), or 0. */
static int64_t parse_id(const char *s)
{
    if (!s || !*s || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
        return 0;
    return strtoll(s, NULL, 10);
}

/* WEBPAGE: GET /admin/synonyms -> 200 the synonym sets search reads as meaning the same, newest
 * first, each with a delete button, and a form to add one (admins; NEED_ADMIN) */
int synonym_page(struct req *r)
{
    struct tvars *v = layout_vars(r);
    tv_list(v, "sets");
    int any = 0;
    for (struct synonym_set *s = synonym_store_list(r->db, r->a); s; s = s->next) {
        struct tvars *i = tv_item(v, "sets");
        tv_int(i, "id", s->id);
        tv_text(i, "words", s->words);
        tv_text(i, "by", s->created_by);
        tv_text(i, "when", layout_date(r->a, s->created_at));
        any = 1;
    }
    tv_bool(v, "has_sets", any);
    tv_text(v, "error", req_param(r, "error") ? req_param(r, "error") : "");
    return layout_page(r, 200, "Search synonyms", "synonyms", v);
}

/* WEBPAGE: POST /admin/synonyms (words: "folder, directory", csrf) -> 303 to /admin/synonyms
 * after adding the set; 400 with the reason for fewer than two words, quotes, too many or too
 * long ones (admins) */
int synonym_add(struct req *r)
{
    const char *why = NULL;
    int64_t id = synonym_store_add(r->db, r->a, req_param(r, "words"), r->user->id,
                                   (int64_t)time(NULL), &why);
    if (id == 0)
        return resp_error(r, 400, why);
    if (id < 0)
        return resp_error(r, 500, "ken could not store the synonyms; try again in a moment");
    return resp_redirect(r, "/admin/synonyms");
}

/* WEBPAGE: POST /admin/synonyms/delete (id, csrf) -> 303 to /admin/synonyms after deleting the
 * set; 404 when there is no such set (admins) */
int synonym_delete(struct req *r)
{
    int64_t id = parse_id(req_param(r, "id"));
    int rc = id ? synonym_store_delete(r->db, id) : 0;
    if (rc < 0)
        return resp_error(r, 500, "ken could not delete the synonyms; try again in a moment");
    if (rc == 0)
        return resp_error(r, 404, "there is no such synonym set");
    return resp_redirect(r, "/admin/synonyms");
}

static json_t *set_json(const struct synonym_set *s)
{
    json_t *words = json_array();
    for (const char *p = s->words; *p;) {
        size_t n = strcspn(p, ",");
        json_array_append_new(words, json_stringn(p, n));
        p += n;
        p += strspn(p, ", ");
    }
    return json_pack("{s:I, s:o, s:s, s:I}", "id", (json_int_t)s->id, "words", words,
                     "created_by", s->created_by, "created_at", (json_int_t)s->created_at);
}

/* API: GET /api/synonyms -> 200 {sets: [{id, words: [...], created_by, created_at}]}, newest
 * first */
int synonym_api_list(struct req *r)
{
    json_t *sets = json_array();
    for (struct synonym_set *s = synonym_store_list(r->db, r->a); s; s = s->next)
        json_array_append_new(sets, set_json(s));
    return resp_json(r, 200, json_pack("{s:o}", "sets", sets));
}

/* API: POST /api/synonyms {words: ["folder", "directory"] or "folder, directory"} -> 201 {id,
 * words, created_by, created_at}; 400 with the reason (admins) */
int synonym_api_add(struct req *r)
{
    const char *why = NULL;
    json_t *body = req_json(r, &why);
    if (!body)
        return resp_error(r, 400, why);
    json_t *w = json_object_get(body, "words");
    const char *text = NULL;
    if (json_is_string(w)) {
        text = arena_strdup(r->a, json_string_value(w));
    } else if (json_is_array(w)) {
        char *joined = arena_strdup(r->a, "");
        size_t i;
        json_t *item;
        json_array_foreach(w, i, item) {
            if (!json_is_string(item) || strchr(json_string_value(item), ',')) {
                json_decref(body);
                return resp_error(r, 400, "words must be strings without commas");
            }
            joined = arena_printf(r->a, "%s%s%s", joined, i ? "," : "", json_string_value(item));
        }
        text = joined;
    }
    json_decref(body);
    if (!text)
        return resp_error(r, 400, "words is missing: a list of words or phrases");
    int64_t id = synonym_store_add(r->db, r->a, text, r->user->id, (int64_t)time(NULL), &why);
    if (id == 0)
        return resp_error(r, 400, why);
    if (id < 0)
        return resp_error(r, 500, "ken could not store the synonyms; try again in a moment");
    for (struct synonym_set *s = synonym_store_list(r->db, r->a); s; s = s->next)
        if (s->id == id)
            return resp_json(r, 201, set_json(s));
    return resp_error(r, 500, "the synonyms were stored but cannot be read back");
}

/* API: DELETE /api/synonyms/ID -> 200 {deleted: ID}; 404 when there is no such set (admins) */
int synonym_api_delete(struct req *r)
{
    int64_t id = parse_id(r->rest);
    int rc = id ? synonym_store_delete(r->db, id) : 0;
    if (rc < 0)
        return resp_error(r, 500, "ken could not delete the synonyms; try again in a moment");
    if (rc == 0)
        return resp_error(r, 404, "there is no such synonym set");
    return resp_json(r, 200, json_pack("{s:I}", "deleted", (json_int_t)id));
}
