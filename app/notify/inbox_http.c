#include "notify/inbox_http.h"
#include "notify/inbox_store.h"
#include "http/layout.h"
#include "notify/mail_http.h"
#include "questions/question_store.h"
#include "expertise/routing.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { INBOX_SHOWN = 100, AWAY_DAYS_MAX = 366, DUE_PER_VIEW = 2 };

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

/* "2026-12-01" for t, in a ("" for 0): the last day someone is away (they are back the next). */
static const char *away_day(struct arena *a, int64_t until)
{
    return until ? layout_iso_day(a, until - 1) : "";
}

/* Reads "YYYY-MM-DD" as the end of that day (UTC); -1 when it is not such a date. */
static int64_t parse_day(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = s ? strptime(s, "%Y-%m-%d", &tm) : NULL;
    if (!end || *end)
        return -1;
    return (int64_t)timegm(&tm) + 86400;
}

/* Sets the away date from "YYYY-MM-DD" ("" or NULL: back now). 0, or 400 with *why. */
static int set_away(struct req *r, const char *day, const char **why)
{
    int64_t now = now_s(), until = day && *day ? parse_day(day) : 0;
    if (until < 0 || (until && (until <= now || until > now + AWAY_DAYS_MAX * 86400))) {
        *why = "away until takes a date (YYYY-MM-DD) from today to a year ahead";
        return 400;
    }
    if (inbox_store_set_away(r->db, r->user->id, until) != 0) {
        *why = "the date could not be saved";
        return 500;
    }
    return 0;
}

static const char *kind_label(const char *kind)
{
    static const char *const labels[][2] = {
        {INBOX_ROUTED, "ken asks you"},     {INBOX_ANSWER, "New answer"},
        {INBOX_COMMENT, "New comment"},     {INBOX_MENTION, "You were mentioned"},
        {INBOX_ACCEPTED, "Answer accepted"}, {"endorsement", "Endorsement"},
        {"page", "Page changed"}};
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
        if (strcmp(kind, labels[i][0]) == 0)
            return labels[i][1];
    return kind;
}

/* WEBPAGE: GET /inbox -> 200 the signed-in person's inbox, newest first: questions ken asked
 * them, answers to their questions, comments, mentions (in questions, answers, comments and
 * pages), accepted answers, endorsements and changes to watched pages; unread ones marked
 * (opening a question or a page marks what was about it read;
 * endorsements and page changes count as read once the inbox was shown); with their away date
 * and muted topics */
int inbox_page(struct req *r)
{
    int64_t now = now_s(), uid = r->user->id;
    int writes = r->rw && !r->read_only_token; /* a read-only token changes nothing */
    if (writes && routing_due(r->rw, now))
        routing_run_due(r->rw, now, DUE_PER_VIEW);
    struct inbox_item *items = inbox_store_list(r->db, r->a, uid, INBOX_SHOWN, now);
    int derived_unread = 0;
    for (struct inbox_item *it = items; it; it = it->next)
        derived_unread |= it->unread && !it->id;
    if (derived_unread && writes)
        inbox_store_seen(r->rw, uid, now);
    struct tvars *v = layout_vars(r);
    tv_list(v, "items");
    for (struct inbox_item *it = items; it; it = it->next) {
        struct tvars *i = tv_item(v, "items");
        tv_text(i, "kind", it->kind);
        tv_text(i, "label", kind_label(it->kind));
        tv_bool(i, "unread", it->unread);
        tv_text(i, "when", layout_date(r->a, it->created_at));
        tv_bool(i, "has_question", it->question_id != 0);
        tv_int(i, "qid", it->question_id);
        tv_int(i, "aid", it->answer_id);
        tv_bool(i, "has_answer", it->answer_id != 0);
        tv_text(i, "qtitle", it->question_title);
        tv_text(i, "actor_login", it->actor_login);
        tv_text(i, "actor_name", it->actor_name);
        tv_text(i, "text", it->text);
        tv_bool(i, "is_routed", strcmp(it->kind, INBOX_ROUTED) == 0);
        tv_bool(i, "is_endorsement", strcmp(it->kind, "endorsement") == 0);
        tv_bool(i, "is_page", strcmp(it->kind, "page") == 0);
        tv_bool(i, "in_page", it->id && *it->path); /* a mention in a wiki page */
        tv_int(i, "page_rev", it->page_rev);
        tv_text(i, "skill", it->skill);
        tv_text(i, "skill_slug", it->skill_slug);
        tv_text(i, "path", it->path);
        tv_text(i, "ptitle", it->title);
        tv_int(i, "changes", it->changes);
        tv_bool(i, "one_change", it->changes == 1);
    }
    tv_text(v, "away_until", away_day(r->a, inbox_store_away_until(r->db, uid, now)));
    tv_list(v, "muted");
    for (struct inbox_topic *t = inbox_store_muted(r->db, r->a, uid); t; t = t->next)
        tv_text(tv_item(v, "muted"), "topic", t->topic);
    mail_http_inbox_vars(r, v);
    return layout_page(r, 200, "Inbox", "inbox", v);
}

/* WEBPAGE: POST /inbox (action=read | away with until=YYYY-MM-DD | back | mute with topics |
 * unmute with topic) -> 303 to /inbox; 400 a bad date or topic */
int inbox_post(struct req *r)
{
    const char *action = req_param(r, "action"), *why = NULL;
    int64_t uid = r->user->id;
    int rc = 0;
    if (!action)
        action = "";
    if (strcmp(action, "read") == 0)
        rc = inbox_store_mark_all(r->db, uid, now_s()) == 0 ? 0 : (why = "not saved", 500);
    else if (strcmp(action, "away") == 0)
        rc = set_away(r, req_param(r, "until"), &why);
    else if (strcmp(action, "back") == 0)
        rc = set_away(r, NULL, &why);
    else if (strcmp(action, "mute") == 0 || strcmp(action, "unmute") == 0)
        rc = inbox_store_mute(r->db, r->a, uid, req_param(r, action[0] == 'm' ? "topics" : "topic"),
                              action[0] == 'm', &why);
    else
        return resp_error(r, 400, "action is read, away, back, mute or unmute");
    return rc ? resp_error(r, rc, why) : resp_redirect(r, "/inbox");
}

static json_t *inbox_json(struct req *r)
{
    int64_t now = now_s(), uid = r->user->id;
    json_t *items = json_array();
    for (struct inbox_item *it = inbox_store_list(r->db, r->a, uid, INBOX_SHOWN, now); it;
         it = it->next) {
        json_t *j =
            json_pack("{s:s, s:b, s:s, s:s, s:s, s:s}", "kind", it->kind, "unread", it->unread,
                      "created_at", layout_iso_time(r->a, it->created_at), "actor", it->actor_login,
                      "actor_name", it->actor_name, "text", it->text);
        if (it->question_id)
            json_object_set_new(j, "question",
                                json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)it->question_id,
                                          "title", it->question_title, "state", it->question_state,
                                          "url", arena_printf(r->a, "/questions/%lld",
                                                              (long long)it->question_id)));
        if (it->answer_id)
            json_object_set_new(j, "answer_id", json_integer(it->answer_id));
        if (it->skill)
            json_object_set_new(j, "skill", json_string(it->skill));
        if (*it->path)
            json_object_set_new(j, "page", it->id ? json_pack("{s:s, s:s, s:i, s:s}", "path",
                                                              it->path, "title", it->title,
                                                              "revision", it->page_rev, "url",
                                                              arena_printf(r->a, "/wiki/%s",
                                                                           it->path))
                                                  : json_pack("{s:s, s:s, s:i}", "path", it->path,
                                                              "title", it->title, "changes",
                                                              it->changes));
        json_array_append_new(items, j);
    }
    json_t *muted = json_array();
    for (struct inbox_topic *t = inbox_store_muted(r->db, r->a, uid); t; t = t->next)
        json_array_append_new(muted, json_string(t->topic));
    int64_t away = inbox_store_away_until(r->db, uid, now);
    int unread = inbox_store_unread(r->db, uid);
    return json_pack("{s:i, s:s?, s:o, s:o}", "unread", unread > 0 ? unread : 0, "away_until",
                     away ? away_day(r->a, away) : NULL, "muted", muted, "items", items);
}

/* API: GET /api/inbox -> 200 {unread, away_until, muted: [topic], items: [{kind, unread,
 * created_at, actor, actor_name, text, question: {id, title, state, url}, answer_id, skill,
 * page: {path, title, changes} or, for a mention in a page, {path, title, revision, url}}]}
 * (kinds: routed, answer, comment, mention, accepted, endorsement, page) */
int inbox_api(struct req *r)
{
    if (routing_due(r->db, now_s()) && r->rw && !r->read_only_token)
        routing_run_due(r->rw, now_s(), DUE_PER_VIEW);
    return resp_json(r, 200, inbox_json(r));
}

/* API: POST /api/inbox {read_all: true, away_until: "YYYY-MM-DD"|null, mute: "topics",
 * unmute: "topics"} (any of them) -> 200 the inbox as GET gives it; 400 */
int inbox_api_post(struct req *r)
{
    const char *why = NULL;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    int rc = 0;
    json_t *read = json_object_get(in, "read_all"), *away = json_object_get(in, "away_until");
    json_t *mute = json_object_get(in, "mute"), *unmute = json_object_get(in, "unmute");
    if ((away && !json_is_string(away) && !json_is_null(away)) || (mute && !json_is_string(mute)) ||
        (unmute && !json_is_string(unmute)) || (read && !json_is_boolean(read))) {
        rc = 400;
        why = "send {\"read_all\": true, \"away_until\": \"YYYY-MM-DD\" or null, \"mute\": \"tag\", "
              "\"unmute\": \"tag\"}";
    }
    if (!rc && json_is_true(read) && inbox_store_mark_all(r->db, r->user->id, now_s()) != 0)
        rc = 500, why = "not saved";
    if (!rc && away)
        rc = set_away(r, json_is_string(away) ? json_string_value(away) : NULL, &why);
    if (!rc && mute)
        rc = inbox_store_mute(r->db, r->a, r->user->id, json_string_value(mute), 1, &why);
    if (!rc && unmute)
        rc = inbox_store_mute(r->db, r->a, r->user->id, json_string_value(unmute), 0, &why);
    json_decref(in);
    if (rc)
        return resp_error(r, rc, why);
    return resp_json(r, 200, inbox_json(r));
}
