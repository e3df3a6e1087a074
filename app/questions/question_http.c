#include "questions/question_http.h"
#include "markup/url.h"
#include "markup/html.h"
#include "notify/inbox_store.h"
#include "http/layout.h"
#include "markup/markdown.h"
#include "people/org_store.h"
#include "wiki/page_store.h"
#include "questions/question_store.h"
#include "expertise/routing.h"
#include "search/search_query.h"
#include "people/skill_http.h"
#include "wiki/wikipath.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { LIST_MAX = 50, SIMILAR_MAX = 5, HELPFUL_MAX = 5, HELPFUL_DAYS = 30, DUE_PER_VIEW = 2 };

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

/* Reads the route's ID segment (r->rest); returns the id, 0 when it is not one. */
static int64_t path_id(const char *rest)
{
    if (!rest || rest[0] < '1' || rest[0] > '9')
        return 0;
    char *end;
    long long id = strtoll(rest, &end, 10);
    return id > 0 && !*end ? id : 0;
}

/* The part of a question or answer a route names (each a row of the route table). */
enum part { Q_ITSELF, Q_HISTORY, Q_EDIT, Q_ANSWERS, Q_COMMENTS, Q_PROMOTE, Q_VOTE, Q_ACCEPT };

/* Asks the next people about questions nobody answered in time. Called when questions or the
 * inbox are looked at, so no background thread is needed (`ken route-questions` does the same).
 * Works on the writable connection; costs one indexed lookup when nothing waits. */
static void route_waiting(struct req *r)
{
    int64_t now = now_s();
    if (r->rw && !r->read_only_token && routing_due(r->rw, now))
        routing_run_due(r->rw, now, DUE_PER_VIEW);
}

static const char *state_label(const char *state)
{
    return strcmp(state, "accepted") == 0   ? "Accepted"
           : strcmp(state, "answered") == 0 ? "Answered"
                                            : "Open";
}

/* Returns HTML for a search snippet (html_snippet escapes the text), in a. */
static const char *snippet_html(struct arena *a, const char *s)
{
    struct buf b;
    buf_init(&b, 0);
    html_snippet(&b, s);
    return arena_adopt(a, buf_take(&b));
}

/* Returns the snippet without its match markers, for JSON. In a. */
static const char *snippet_text(struct arena *a, const char *s)
{
    char *out = arena_strdup(a, s), *w = out;
    for (const char *p = s; *p; p++)
        if (*p != SNIPPET_OPEN[0] && *p != SNIPPET_CLOSE[0])
            *w++ = *p;
    *w = 0;
    return out;
}

/* ---- lists and search ---- */

struct listing {
    const char *q, *state, *tag;
    const char *dept;       /* the asker's department (a slug), "" for any */
    const char *why;        /* what is wrong with the filters */
    int mine, total, searched;
    struct question_hit *hits;
};

/* Reads the list's filters and finds the questions: by relevance with q, else unanswered first. */
static int find_questions(struct req *r, struct listing *l)
{
    memset(l, 0, sizeof *l);
    l->q = req_param(r, "q");
    l->state = req_param(r, "state");
    l->tag = req_param(r, "tag");
    l->mine = req_param(r, "mine") && strcmp(req_param(r, "mine"), "1") == 0;
    l->why = "state is open, answered or accepted";
    if (l->state && *l->state && !question_state_valid(l->state) &&
        strcmp(l->state, "unanswered") != 0)
        return 400;
    l->dept = req_param(r, "dept");
    if (!l->dept)
        l->dept = "";
    l->why = arena_printf(r->a, "no department has the slug %s; see /departments", l->dept);
    if (*l->dept && !org_store_department(r->db, r->a, l->dept))
        return 400;
    if (l->q && *l->q) {
        struct search_query sq;
        search_query_parse(r->a, l->q, &sq);
        struct question_hit *all = NULL, **tail = &l->hits;
        if (sq.fts && question_search(r->db, r->a, sq.fts, 200, &all) < 0)
            all = NULL;
        const char *state = l->state && strcmp(l->state, "unanswered") == 0 ? "open" : l->state;
        const char *tag = l->tag && *l->tag ? l->tag : sq.tag;
        for (struct question_hit *h = all, *next; h; h = next) {
            next = h->next;
            h->next = NULL;
            if ((state && *state && strcmp(h->state, state) != 0) ||
                (*l->dept && strcmp(h->asker_dept, l->dept) != 0))
                continue;
            if (tag && *tag) {
                const char *at = strstr(h->tags, tag);
                size_t n = strlen(tag);
                if (!at || (at != h->tags && at[-1] != ' ') || (at[n] && at[n] != ' '))
                    continue;
            }
            if (l->total++ < LIST_MAX) {
                *tail = h;
                tail = &h->next;
            }
        }
        l->searched = 1;
        return 0;
    }
    struct question_filter f = {.state = l->state, .tag = l->tag, .dept = l->dept,
                                .limit = LIST_MAX,
                                .topics_of = l->mine && r->user ? r->user->id : 0};
    l->hits = question_store_list(r->db, r->a, &f, &l->total);
    return 0;
}

/* WEBPAGE: GET /questions?q=&state=open|answered|accepted&tag=&dept=SLUG&mine=1 -> 200 the
 * questions, unanswered first (by relevance with q), each with its state; "in my topics" (mine=1)
 * keeps those tagged with a skill the viewer declared; dept those whose asker is in that
 * department; beside them the most helpful people of the last 30 days. 400 unknown state or
 * department. */
int question_list_page(struct req *r)
{
    route_waiting(r);
    struct listing l;
    if (find_questions(r, &l) != 0)
        return resp_error(r, 400, l.why);
    struct tvars *v = layout_vars(r);
    tv_text(v, "query", l.q);
    tv_text(v, "tag", l.tag);
    tv_bool(v, "mine", l.mine);
    tv_int(v, "total", l.total);
    tv_bool(v, "filtered",
            (l.q && *l.q) || (l.state && *l.state) || (l.tag && *l.tag) || *l.dept || l.mine);
    tv_list(v, "depts");
    for (struct org_unit *d = org_store_departments(r->db, r->a); d; d = d->next) {
        struct tvars *i = tv_item(v, "depts");
        tv_text(i, "dslug", d->slug);
        tv_text(i, "dname", d->name);
        tv_bool(i, "dsel", strcmp(d->slug, l.dept) == 0);
    }
    static const char *const states[][2] = {{"open", "Unanswered"}, {"answered", "Answered"},
                                            {"accepted", "Accepted"}};
    tv_list(v, "states");
    for (size_t i = 0; i < 3; i++) {
        struct tvars *s = tv_item(v, "states");
        tv_text(s, "value", states[i][0]);
        tv_text(s, "label", states[i][1]);
        tv_bool(s, "selected", l.state && strcmp(l.state, states[i][0]) == 0);
    }
    tv_list(v, "questions");
    for (struct question_hit *h = l.hits; h; h = h->next) {
        struct tvars *i = tv_item(v, "questions");
        tv_int(i, "id", h->id);
        tv_text(i, "qtitle", h->title);
        tv_text(i, "state", h->state);
        tv_text(i, "state_label", state_label(h->state));
        tv_text(i, "asker", h->asker_name);
        tv_text(i, "asker_login", h->asker_login);
        tv_text(i, "asker_dept", h->asker_dept);
        tv_text(i, "asker_dept_name", h->asker_dept_name);
        tv_text(i, "created", layout_date(r->a, h->created_at));
        tv_int(i, "answers", h->answers);
        tv_bool(i, "one_answer", h->answers == 1);
        tv_html(i, "snippet", *h->snippet ? snippet_html(r->a, h->snippet) : "");
        skill_tag_list(r, i, "tags", h->tags);
    }
    tv_list(v, "helpers");
    for (struct question_helper *h = question_store_helpful(r->db, r->a,
                                                            now_s() - HELPFUL_DAYS * 86400,
                                                            HELPFUL_MAX);
         h; h = h->next) {
        struct tvars *i = tv_item(v, "helpers");
        tv_text(i, "login", h->login);
        tv_text(i, "name", h->name);
        tv_int(i, "accepted", h->accepted);
        tv_bool(i, "one", h->accepted == 1);
    }
    return layout_page(r, 200, l.searched ? arena_printf(r->a, "Questions about %s", l.q)
                                          : "Questions",
                       "questions", v);
}

/* ---- one question ---- */

static void comment_items(struct req *r, struct tvars *v, const struct question_comment *c)
{
    tv_list(v, "comments");
    for (; c; c = c->next) {
        struct tvars *i = tv_item(v, "comments");
        tv_text(i, "body", c->body);
        tv_text(i, "author_login", c->author_login);
        tv_text(i, "author_name", c->author_name);
        tv_text(i, "when", layout_date(r->a, c->created_at));
    }
}

/* Everyone signed in asks, and the asker (whatever their role) edits and comments on their own
 * question and accepts its answer: asking is not editing the wiki. Answering, voting and making
 * an answer a page stay with editors. */
static int is_editor(const struct req *r)
{
    return r->user && r->user->role >= ROLE_EDITOR;
}

/* Returns 1 when the viewer may edit the question or answer owned by owner_id: its owner, or an
 * admin. A viewer owns only questions (they cannot answer). */
static int may_edit(const struct req *r, int64_t owner_id)
{
    return r->user && (r->user->id == owner_id || user_is_admin(r->user));
}

/* Returns 1 when the viewer may comment on question q: editors, and its asker. */
static int may_comment(const struct req *r, const struct question *q)
{
    return is_editor(r) || (r->user && r->user->id == q->asker_id);
}

static const char *const EDITORS_ONLY = "answering, voting and making answers into pages need the "
                                        "editor role";

/* A path to suggest for a promoted answer: the first tag as the space, the title as the name. */
static const char *suggested_path(struct arena *a, const struct question *q)
{
    size_t n = strcspn(q->tags, PAGE_TAGS_SEP);
    const char *space = n ? wikipath_slug(a, arena_strndup(a, q->tags, n)) : "";
    const char *slug = wikipath_slug(a, q->title);
    return arena_printf(a, "%s/%s", *space ? space : "answers", *slug ? slug : "answer");
}

static int show_question(struct req *r, int64_t id, int status, const char *error)
{
    route_waiting(r);
    struct question *q = question_store_get(r->db, r->a, id, r->user->id);
    if (!q)
        return resp_error(r, 404, "there is no such question");
    /* Reading the question is reading what the inbox said about it. Done before the layout's
     * unread count, which reads the writable connection and so sees this at once. */
    if (r->rw && !r->read_only_token && inbox_store_has_unread(r->db, r->user->id, id))
        inbox_store_mark_question(r->rw, r->user->id, id, now_s());
    struct tvars *v = layout_vars(r);
    int can_write = is_editor(r);
    int may_accept = question_store_may_accept(r->db, q, r->user);
    tv_text(v, "error", error);
    tv_text(v, "draft", status == 200 ? "" : req_param(r, "markdown"));
    tv_int(v, "id", q->id);
    tv_text(v, "qtitle", q->title);
    tv_text(v, "state", q->state);
    tv_text(v, "state_label", state_label(q->state));
    tv_html(v, "html", q->html);
    tv_text(v, "asker_login", q->asker_login);
    tv_text(v, "asker_name", q->asker_name);
    tv_text(v, "created", layout_date(r->a, q->created_at));
    tv_bool(v, "edited", q->rev_count > 1);
    tv_int(v, "rev_count", q->rev_count);
    tv_text(v, "page_path", q->page_path);
    tv_bool(v, "may_edit_question", may_edit(r, q->asker_id));
    tv_bool(v, "can_answer", can_write);
    tv_bool(v, "can_comment", may_comment(r, q));
    tv_int(v, "answer_count", q->answer_count);
    tv_bool(v, "one_answer", q->answer_count == 1);
    skill_tag_list(r, v, "tags", q->tags);
    comment_items(r, v, q->comments);
    /* Who ken asked and why: for the asker (and admins). */
    int show_routes = r->user->id == q->asker_id || user_is_admin(r->user);
    tv_bool(v, "show_routes", show_routes && q->route_round > 0);
    tv_bool(v, "nobody_asked", show_routes && q->route_round > 0 && !q->routes);
    tv_list(v, "routes");
    for (struct question_route *rt = show_routes ? q->routes : NULL; rt; rt = rt->next) {
        struct tvars *i = tv_item(v, "routes");
        tv_text(i, "login", rt->login);
        tv_text(i, "name", rt->name);
        tv_text(i, "why", rt->why);
        tv_bool(i, "answered", rt->answered);
        tv_bool(i, "later", rt->round > 1);
        tv_bool(i, "last", rt->next == NULL);
    }
    tv_list(v, "answers");
    for (struct answer *an = q->answers; an; an = an->next) {
        struct tvars *i = tv_item(v, "answers");
        tv_int(i, "aid", an->id);
        tv_html(i, "ahtml", an->html);
        tv_text(i, "author_login", an->author_login);
        tv_text(i, "author_name", an->author_name);
        tv_text(i, "answered", layout_date(r->a, an->created_at));
        tv_bool(i, "aedited", an->rev_count > 1);
        tv_int(i, "votes", an->votes);
        tv_bool(i, "one_vote", an->votes == 1);
        tv_bool(i, "voted", an->voted);
        tv_bool(i, "accepted", an->accepted);
        tv_bool(i, "may_vote", can_write && an->author_id != r->user->id);
        tv_bool(i, "may_accept", may_accept && !an->accepted);
        tv_bool(i, "may_promote", can_write && may_accept && an->accepted && !*q->page_path);
        tv_bool(i, "may_edit_answer", may_edit(r, an->author_id));
        tv_text(i, "promote_path", suggested_path(r->a, q));
        comment_items(r, i, an->comments);
    }
    return layout_page(r, status, q->title, "question", v);
}

static int history_page(struct req *r, int64_t qid, int64_t aid)
{
    struct question_revision *revs = question_store_revisions(r->db, r->a, qid, aid);
    if (!revs)
        return resp_error(r, 404, aid ? "there is no such answer" : "there is no such question");
    struct tvars *v = layout_vars(r);
    tv_int(v, "id", qid);
    tv_bool(v, "is_answer", aid != 0);
    tv_list(v, "revisions");
    for (; revs; revs = revs->next) {
        struct tvars *i = tv_item(v, "revisions");
        tv_int(i, "number", revs->number);
        tv_text(i, "author_login", revs->author_login);
        tv_text(i, "author_name", revs->author_name);
        tv_text(i, "when", layout_date(r->a, revs->created_at));
        tv_text(i, "rtitle", revs->title);
        tv_text(i, "rtags", page_tags_text(r->a, revs->tags));
        tv_text(i, "markdown", revs->markdown);
    }
    return layout_page(r, 200, aid ? "History of an answer" : "History of a question",
                       "question_history", v);
}

static int edit_form(struct req *r, int status, struct tvars *v, int64_t qid, int64_t aid,
                     const char *title, const char *markdown, const char *tags)
{
    tv_int(v, "id", qid);
    tv_int(v, "aid", aid);
    tv_bool(v, "is_answer", aid != 0);
    tv_text(v, "qtitle", title);
    tv_text(v, "markdown", markdown);
    tv_text(v, "tags", tags);
    return layout_page(r, status, aid ? "Edit an answer" : "Edit a question", "question_edit", v);
}

/* WEBPAGE: GET /questions/ID -> 200 the question, its answers (accepted first, then by votes),
 * comments, and for the asker whom ken asked and why; marks the viewer's inbox about it read.
 * GET /questions/ID/edit -> 200 the editor (asker and admins; 403); GET /questions/ID/history
 * -> 200 its revisions. 404 no such question. */
static int page_part(struct req *r, enum part sub)
{
    int64_t id = path_id(r->rest);
    if (!id)
        return resp_error(r, 404, "questions are at /questions/NUMBER");
    if (sub == Q_ITSELF)
        return show_question(r, id, 200, NULL);
    if (sub == Q_HISTORY)
        return history_page(r, id, 0);
    struct question *q = question_store_get(r->db, r->a, id, 0);
    if (!q)
        return resp_error(r, 404, "there is no such question");
    if (!may_edit(r, q->asker_id))
        return resp_error(r, 403, "only the asker and admins may edit a question");
    return edit_form(r, 200, layout_vars(r), id, 0, q->title, q->markdown,
                     page_tags_text(r->a, q->tags));
}

/* WEBPAGE: GET /answers/ID/edit -> 200 the answer's editor (its author and admins; 403);
 * GET /answers/ID/history -> 200 its revisions; GET /answers/ID -> 303 to it on its question.
 * 404 no such answer. */
static int answer_page_part(struct req *r, enum part sub)
{
    int64_t id = path_id(r->rest);
    struct answer *an = id ? question_store_answer_get(r->db, r->a, id) : NULL;
    if (!an)
        return resp_error(r, 404, "there is no such answer");
    if (sub == Q_ITSELF)
        return resp_redirect(r, arena_printf(r->a, "/questions/%lld#answer-%lld",
                                             (long long)an->question_id, (long long)id));
    if (sub == Q_HISTORY)
        return history_page(r, an->question_id, id);
    if (!may_edit(r, an->author_id))
        return resp_error(r, 403, "only the answer's author and admins may edit it");
    return edit_form(r, 200, layout_vars(r), an->question_id, id, "", an->markdown, "");
}

/* WEBPAGE: POST /questions/ID/answers (markdown) -> 303 to the answer; POST /questions/ID/comments
 * (body[, answer]) -> 303; POST /questions/ID/edit (title, markdown, tags) -> 303, 403 unless
 * the asker or an admin; POST /questions/ID/promote (path) -> 303 to the new page, 403 unless
 * allowed to accept, 409 the page exists. 400 bad input, 404 no such question. Answers and
 * promoting need an editor; the asker (any role) comments and edits (403 otherwise). */
static int post_part(struct req *r, enum part sub)
{
    const char *why = NULL;
    int64_t id = path_id(r->rest), now = now_s(), new_id = 0;
    struct question *q = id ? question_store_get(r->db, r->a, id, 0) : NULL;
    if (!q)
        return resp_error(r, 404, "there is no such question");
    const char *back = url_question(r->a, id);
    int rc;
    if ((sub == Q_ANSWERS || sub == Q_PROMOTE) && !is_editor(r))
        return resp_error(r, 403, EDITORS_ONLY);
    if (sub == Q_COMMENTS && !may_comment(r, q))
        return resp_error(r, 403, "commenting needs the editor role, or asking the question");
    if (sub == Q_ANSWERS) {
        rc = question_store_answer(r->db, r->a, id, r->user->id, req_param(r, "markdown"), now,
                                   &new_id, &why);
        if (rc == 201)
            return resp_redirect(r, arena_printf(r->a, "%s#answer-%lld", back, (long long)new_id));
        return rc == 400 ? show_question(r, id, 400, why) : resp_error(r, rc, why);
    }
    if (sub == Q_COMMENTS) {
        const char *on = req_param(r, "answer");
        int64_t aid = on ? strtoll(on, NULL, 10) : 0;
        rc = question_store_comment(r->db, r->a, id, aid, r->user->id, req_param(r, "body"), now,
                                    &new_id, &why);
        if (rc == 201)
            return resp_redirect(r, aid ? arena_printf(r->a, "%s#answer-%lld", back, (long long)aid)
                                        : back);
        return rc == 400 ? show_question(r, id, 400, why) : resp_error(r, rc, why);
    }
    if (sub == Q_EDIT) {
        if (!may_edit(r, q->asker_id))
            return resp_error(r, 403, "only the asker and admins may edit a question");
        const char *title = req_param(r, "title"), *md = req_param(r, "markdown"),
                   *tags = req_param(r, "tags");
        rc = question_store_edit(r->db, r->a, id, r->user->id, title, md ? md : "", tags, now, &why);
        if (rc == 200)
            return resp_redirect(r, back);
        struct tvars *v = layout_vars(r);
        tv_text(v, "error", why);
        return edit_form(r, rc, v, id, 0, title, md, tags);
    }
    if (sub == Q_PROMOTE) {
        if (!question_store_may_accept(r->db, q, r->user))
            return resp_error(r, 403, "only the asker, an expert on its topic or an admin may turn "
                                      "the answer into a page");
        const char *path = req_param(r, "path");
        rc = question_store_promote(r->db, r->a, id, path, now, &why);
        if (rc == 201)
            return resp_redirect(r, url_page(r->a, path));
        return rc == 400 || rc == 409 ? show_question(r, id, rc, why) : resp_error(r, rc, why);
    }
    return resp_error(r, 404, "a question takes answers, comments, edit and promote");
}

/* WEBPAGE: POST /answers/ID/vote (vote=1|0) -> 303 (0 withdraws; 403 one's own answer);
 * POST /answers/ID/accept -> 303 (403 unless the asker, an expert on a topic of the question or
 * an admin); POST /answers/ID/edit (markdown) -> 303 (its author and admins); POST
 * /answers/ID/comments (body) -> 303. 400, 404. Accepting: whoever may (the asker in any role);
 * the rest: editors, and comments also the asker (403). */
static int answer_post_part(struct req *r, enum part sub)
{
    const char *why = NULL;
    int64_t id = path_id(r->rest), now = now_s(), qid = 0;
    struct answer *an = id ? question_store_answer_get(r->db, r->a, id) : NULL;
    if (!an)
        return resp_error(r, 404, "there is no such answer");
    const char *back = arena_printf(r->a, "/questions/%lld#answer-%lld",
                                    (long long)an->question_id, (long long)id);
    int rc;
    if (sub != Q_ACCEPT && !is_editor(r)) {
        struct question *q = question_store_get(r->db, r->a, an->question_id, 0);
        if (sub != Q_COMMENTS || !q || !may_comment(r, q))
            return resp_error(r, 403, EDITORS_ONLY);
    }
    if (sub == Q_VOTE) {
        const char *on = req_param(r, "vote");
        int votes;
        rc = question_store_vote(r->db, id, r->user->id, !on || strcmp(on, "0") != 0, now, &votes,
                                 &why);
        return rc == 200 ? resp_redirect(r, back) : resp_error(r, rc, why);
    }
    if (sub == Q_ACCEPT) {
        struct question *q = question_store_get(r->db, r->a, an->question_id, 0);
        if (!question_store_may_accept(r->db, q, r->user))
            return resp_error(r, 403, "only the asker, an expert on its topic or an admin may "
                                      "accept an answer");
        rc = question_store_accept(r->db, r->a, id, r->user->id, now, &qid, &why);
        return rc == 200 ? resp_redirect(r, back) : resp_error(r, rc, why);
    }
    if (sub == Q_EDIT) {
        if (!may_edit(r, an->author_id))
            return resp_error(r, 403, "only the answer's author and admins may edit it");
        const char *md = req_param(r, "markdown");
        rc = question_store_answer_edit(r->db, r->a, id, r->user->id, md, now, &why);
        if (rc == 200)
            return resp_redirect(r, back);
        struct tvars *v = layout_vars(r);
        tv_text(v, "error", why);
        return edit_form(r, rc, v, an->question_id, id, "", md, "");
    }
    if (sub == Q_COMMENTS) {
        rc = question_store_comment(r->db, r->a, an->question_id, id, r->user->id,
                                    req_param(r, "body"), now, &qid, &why);
        return rc == 201 ? resp_redirect(r, back) : resp_error(r, rc, why);
    }
    return resp_error(r, 404, "an answer takes vote, accept, edit and comments");
}

/* ---- asking ---- */

/* The ask form, with similar questions and pages for the title when there is one. */
static int ask_page(struct req *r, int status, const char *title, const char *md, const char *tags,
                    int preview, const char *error)
{
    struct tvars *v = layout_vars(r);
    tv_text(v, "qtitle", title);
    tv_text(v, "markdown", md);
    tv_text(v, "tags", tags);
    tv_text(v, "error", error);
    tv_bool(v, "checked", title && *title);
    tv_html(v, "preview", preview && md && *md ? markdown_render(r->a, md, strlen(md), NULL,
                                                                 page_store_resolve, r->db, NULL)
                                               : "");
    struct similar_page *pages = NULL;
    struct question_hit *hits = title && *title
                                    ? question_store_similar(r->db, r->a, title, SIMILAR_MAX, &pages)
                                    : NULL;
    tv_list(v, "similar");
    for (; hits; hits = hits->next) {
        struct tvars *i = tv_item(v, "similar");
        tv_int(i, "sid", hits->id);
        tv_text(i, "stitle", hits->title);
        tv_text(i, "state_label", state_label(hits->state));
        tv_text(i, "state", hits->state);
        tv_int(i, "answers", hits->answers);
    }
    tv_list(v, "similar_pages");
    for (; pages; pages = pages->next) {
        struct tvars *i = tv_item(v, "similar_pages");
        tv_text(i, "path", pages->path);
        tv_text(i, "ptitle", pages->title);
    }
    return layout_page(r, status, "Ask a question", "question_ask", v);
}

/* WEBPAGE: GET /ask?title=T -> 200 the form to ask a question, title filled in from T (the search
 * page's "Ask this"), with similar questions and pages for it (everyone signed in) */
int question_ask_form(struct req *r)
{
    return ask_page(r, 200, req_param(r, "title"), "", req_param(r, "tags"), 0, NULL);
}

/* WEBPAGE: POST /ask (title, markdown, tags, check|post) -> 200 the form again with similar
 * questions and pages and a preview (check); 303 to the new question (post), which ken routes to
 * up to three experts at once; 400 the form with what is wrong (everyone signed in) */
int question_ask_post(struct req *r)
{
    const char *title = req_param(r, "title"), *md = req_param(r, "markdown"),
               *tags = req_param(r, "tags"), *why = NULL;
    if (req_param(r, "check"))
        return ask_page(r, 200, title, md, tags, 1, NULL);
    int64_t id = 0, now = now_s();
    int rc = question_store_ask(r->db, r->a, r->user->id, title, md ? md : "", tags, now, &id, &why);
    if (rc != 201)
        return ask_page(r, rc, title, md, tags, 0, why);
    routing_route(r->db, r->a, id, now, NULL); /* on failure the next view or the CLI retries */
    return resp_redirect(r, url_question(r->a, id));
}

/* ---- JSON API ---- */

static json_t *tags_json(const char *tags)
{
    json_t *arr = json_array();
    for (const char *p = tags ? tags : ""; *p;) {
        size_t n = strcspn(p, PAGE_TAGS_SEP);
        json_array_append_new(arr, json_stringn(p, n));
        p += n + (p[n] != 0);
    }
    return arr;
}

static json_t *comments_json(struct arena *a, const struct question_comment *c)
{
    json_t *arr = json_array();
    for (; c; c = c->next)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)c->id,
                                             "author", c->author_login, "author_name",
                                             c->author_name, "body", c->body, "created_at",
                                             layout_iso_time(a, c->created_at)));
    return arr;
}

static json_t *answer_json(struct arena *a, const struct answer *an)
{
    return json_pack(
        "{s:I, s:I, s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:i, s:s, s:s, s:o}", "id",
        (json_int_t)an->id, "question_id", (json_int_t)an->question_id, "author", an->author_login,
        "author_name", an->author_name, "markdown", an->markdown, "html", an->html, "votes",
        an->votes, "voted", an->voted, "accepted", an->accepted, "revision", an->rev_count,
        "created_at", layout_iso_time(a, an->created_at), "updated_at",
        layout_iso_time(a, an->updated_at), "comments", comments_json(a, an->comments));
}

static json_t *question_json(struct req *r, const struct question *q)
{
    json_t *answers = json_array();
    for (struct answer *an = q->answers; an; an = an->next)
        json_array_append_new(answers, answer_json(r->a, an));
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:o, s:o}",
                          "id", (json_int_t)q->id, "title", q->title, "markdown", q->markdown,
                          "html", q->html, "tags", tags_json(q->tags), "state", q->state, "asker",
                          q->asker_login, "asker_name", q->asker_name, "revision", q->rev_count,
                          "url", url_question(r->a, q->id),
                          "created_at", layout_iso_time(r->a, q->created_at), "updated_at",
                          layout_iso_time(r->a, q->updated_at), "answers", answers, "comments",
                          comments_json(r->a, q->comments));
    json_object_set_new(j, "accepted_answer", q->accepted_answer_id
                                                  ? json_integer(q->accepted_answer_id)
                                                  : json_null());
    json_object_set_new(j, "page", *q->page_path ? json_string(q->page_path) : json_null());
    if (r->user->id == q->asker_id || user_is_admin(r->user)) {
        json_t *asked = json_array();
        for (struct question_route *rt = q->routes; rt; rt = rt->next)
            json_array_append_new(asked, json_pack("{s:s, s:s, s:s, s:i, s:s, s:b}", "login",
                                                   rt->login, "name", rt->name, "why", rt->why,
                                                   "round", rt->round, "asked_at",
                                                   layout_iso_time(r->a, rt->asked_at), "answered",
                                                   rt->answered));
        json_object_set_new(j, "asked", asked);
    }
    return j;
}

/* API: GET /api/questions?q=&state=&tag=&dept=&mine=1 -> 200 {query, total, questions: [{id,
 * title, state, tags, asker, asker_name, asker_department, answers, votes, url, created_at,
 * updated_at[, snippet]}]}: unanswered first, or by relevance with q; dept (a slug) keeps the
 * questions whose asker is in that department (asker_department is its slug, "" for none);
 * 400 unknown state or department */
int question_api_list(struct req *r)
{
    struct listing l;
    if (find_questions(r, &l) != 0)
        return resp_error(r, 400, l.why);
    json_t *arr = json_array();
    for (struct question_hit *h = l.hits; h; h = h->next) {
        json_t *j = json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:i, s:i, s:s, s:s, s:s}", "id",
                              (json_int_t)h->id, "title", h->title, "state", h->state, "tags",
                              tags_json(h->tags), "asker", h->asker_login, "asker_name",
                              h->asker_name, "answers", h->answers, "votes", h->votes, "url",
                              url_question(r->a, h->id),
                              "created_at", layout_iso_time(r->a, h->created_at), "updated_at",
                              layout_iso_time(r->a, h->updated_at));
        json_object_set_new(j, "asker_department", json_string(h->asker_dept));
        if (l.searched)
            json_object_set_new(j, "snippet", json_string(snippet_text(r->a, h->snippet)));
        json_array_append_new(arr, j);
    }
    return resp_json(r, 200, json_pack("{s:s, s:i, s:o}", "query", l.q ? l.q : "", "total",
                                       l.total, "questions", arr));
}

/* Returns string member `name` of in copied to a, "" when absent (dflt NULL: required), or
 * NULL when it is not a string. */
static const char *member(struct arena *a, json_t *in, const char *name, const char *dflt)
{
    json_t *m = json_object_get(in, name);
    if (!m || json_is_null(m))
        return dflt;
    return json_is_string(m) ? arena_strdup(a, json_string_value(m)) : NULL;
}

/* Reads the import fields `author` (a login) and `created_at` (2024-03-01T10:00:00Z) that an
 * admin may send with a question, answer or comment. Returns 0 with *author_id and *at (the
 * caller's and now when absent; *quiet 1 when either was sent: an import tells nobody), 403 for
 * anyone else, 400 with *why when they are malformed. */
static int import_fields(struct req *r, json_t *in, int64_t *author_id, int64_t *at, int *quiet,
                         const char **why)
{
    json_t *author = json_object_get(in, "author"), *created = json_object_get(in, "created_at");
    *author_id = r->user->id;
    *at = now_s();
    *quiet = author || created;
    if (!*quiet)
        return 0;
    if (r->user->role != ROLE_ADMIN) {
        *why = "only admins may set author or created_at";
        return 403;
    }
    if (author) {
        struct user *u = json_is_string(author)
                             ? user_store_by_login(r->db, r->a, json_string_value(author))
                             : NULL;
        if (!u) {
            *why = "author must be the login of an existing user";
            return 400;
        }
        *author_id = u->id;
    }
    if (created) {
        struct tm tm = {0};
        const char *end = json_is_string(created)
                              ? strptime(json_string_value(created), "%Y-%m-%dT%H:%M:%S", &tm)
                              : NULL;
        if (!end || (*end && strcmp(end, "Z") != 0)) {
            *why = "created_at must look like 2024-03-01T10:00:00Z";
            return 400;
        }
        *at = (int64_t)timegm(&tm);
    }
    return 0;
}

/* API: POST /api/questions {title, markdown, tags[, author, created_at]} -> 201 the question (as
 * GET gives it, with `asked`: whom ken asked and why); 400 bad input (everyone signed in).
 * author and created_at (an import: ken routes it to nobody and tells nobody) from admins only,
 * else 403. */
int question_api_ask(struct req *r)
{
    const char *why;
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    const char *title = member(r->a, in, "title", NULL), *md = member(r->a, in, "markdown", "");
    const char *tags = form_json_tags(r->a, json_object_get(in, "tags"));
    int64_t id = 0, now, author;
    int quiet, rc = import_fields(r, in, &author, &now, &quiet, &why);
    json_decref(in);
    if (rc)
        return resp_error(r, rc, why);
    if (!title || !md || !tags)
        return resp_error(r, 400,
                          "send {\"title\": \"…\", \"markdown\": \"…\", \"tags\": [\"…\"]}");
    rc = quiet ? question_store_import_question(r->db, r->a, author, title, md, tags, now, &id, &why)
               : question_store_ask(r->db, r->a, author, title, md, tags, now, &id, &why);
    if (rc != 201)
        return resp_error(r, rc, why);
    if (!quiet)
        routing_route(r->db, r->a, id, now, NULL);
    return resp_json(r, 201, question_json(r, question_store_get(r->db, r->a, id, r->user->id)));
}

/* API: GET /api/questions/ID -> 200 {id, title, markdown, html, tags, state, asker, asker_name,
 * revision, url, created_at, updated_at, accepted_answer, page, answers: [{id, author, markdown,
 * html, votes, voted, accepted, revision, created_at, updated_at, comments}], comments[, asked:
 * [{login, name, why, round, asked_at, answered}] for the asker and admins]}; 404.
 * GET /api/questions/ID/revisions -> 200 {id, revisions: [{number, author, title, tags, markdown,
 * created_at}]} */
static int api_get_part(struct req *r, enum part sub)
{
    int64_t id = path_id(r->rest);
    if (id && sub == Q_HISTORY) {
        json_t *arr = json_array();
        for (struct question_revision *v = question_store_revisions(r->db, r->a, id, 0); v;
             v = v->next)
            json_array_append_new(
                arr, json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "number", v->number, "author",
                               v->author_login, "title", v->title, "tags", page_tags_text(r->a, v->tags), "markdown",
                               v->markdown, "created_at", layout_iso_time(r->a, v->created_at)));
        return resp_json(r, 200, json_pack("{s:I, s:o}", "id", (json_int_t)id, "revisions", arr));
    }
    struct question *q = id ? question_store_get(r->db, r->a, id, r->user->id) : NULL;
    if (!q)
        return resp_error(r, 404, "there is no such question");
    return resp_json(r, 200, question_json(r, q));
}

/* API: POST /api/questions/ID/answers {markdown} -> 201 the answer; POST
 * /api/questions/ID/comments {body[, answer_id]} -> 201 {id}; POST /api/questions/ID/promote
 * {path} -> 201 {path, url} (403 unless allowed to accept; 409 the page exists). 400, 404.
 * Answers and promoting need an editor, comments an editor or the asker (403). Answers and
 * comments take author and created_at from admins (an import: nobody is told). */
static int api_post_part(struct req *r, enum part sub)
{
    const char *why;
    int64_t id = path_id(r->rest), now, new_id = 0, author;
    struct question *q = id ? question_store_get(r->db, r->a, id, 0) : NULL;
    if (!q)
        return resp_error(r, 404, "there is no such question");
    if (sub == Q_COMMENTS ? !may_comment(r, q) : !is_editor(r))
        return resp_error(r, 403, EDITORS_ONLY);
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    int quiet, rc = import_fields(r, in, &author, &now, &quiet, &why);
    if (rc) {
        json_decref(in);
        return resp_error(r, rc, why);
    }
    if (sub == Q_ANSWERS) {
        const char *md = member(r->a, in, "markdown", NULL);
        json_decref(in);
        if (!md)
            return resp_error(r, 400, "send {\"markdown\": \"…\"}");
        struct question_answer_import im = {0};
        rc = quiet ? question_store_import_answer(r->db, r->a, id, author, md, now, &im, &new_id,
                                                  &why)
                   : question_store_answer(r->db, r->a, id, author, md, now, &new_id, &why);
        if (rc != 201)
            return resp_error(r, rc, why);
        return resp_json(r, 201, answer_json(r->a, question_store_answer_get(r->db, r->a, new_id)));
    }
    if (sub == Q_COMMENTS) {
        const char *body = member(r->a, in, "body", NULL);
        json_t *on = json_object_get(in, "answer_id");
        int64_t aid = json_is_integer(on) ? (int64_t)json_integer_value(on) : 0;
        json_decref(in);
        if (!body)
            return resp_error(r, 400, "send {\"body\": \"…\"} and, for an answer, \"answer_id\"");
        rc = quiet ? question_store_import_comment(r->db, r->a, id, aid, author, body, now,
                                                   &new_id, &why)
                   : question_store_comment(r->db, r->a, id, aid, author, body, now, &new_id, &why);
        return rc == 201 ? resp_json(r, 201, json_pack("{s:I}", "id", (json_int_t)new_id))
                         : resp_error(r, rc, why);
    }
    const char *path = member(r->a, in, "path", NULL);
    json_decref(in);
    if (!question_store_may_accept(r->db, q, r->user))
        return resp_error(r, 403, "only the asker, an expert on its topic or an admin may turn the "
                                  "answer into a page");
    if (!path)
        return resp_error(r, 400, "send {\"path\": \"space/page\"}");
    rc = question_store_promote(r->db, r->a, id, path, now, &why);
    if (rc != 201)
        return resp_error(r, rc, why);
    return resp_json(r, 201, json_pack("{s:s, s:s}", "path", path, "url",
                                       url_page(r->a, path)));
}

/* API: PUT /api/questions/ID {title, markdown, tags} -> 200 the question (a new revision; the
 * asker and admins; 403); 400, 404 */
int question_api_put(struct req *r)
{
    const char *why;
    int64_t id = path_id(r->rest);
    struct question *q = id ? question_store_get(r->db, r->a, id, 0) : NULL;
    if (!q)
        return resp_error(r, 404, "there is no such question");
    if (!may_edit(r, q->asker_id))
        return resp_error(r, 403, "only the asker and admins may edit a question");
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    const char *title = member(r->a, in, "title", q->title);
    const char *md = member(r->a, in, "markdown", q->markdown);
    json_t *tags_in = json_object_get(in, "tags");
    const char *tags = tags_in ? form_json_tags(r->a, tags_in) : q->tags;
    json_decref(in);
    if (!title || !md || !tags)
        return resp_error(r, 400, "title and markdown are strings, tags an array of strings");
    int rc = question_store_edit(r->db, r->a, id, r->user->id, title, md, tags, now_s(), &why);
    if (rc != 200)
        return resp_error(r, rc, why);
    return resp_json(r, 200, question_json(r, question_store_get(r->db, r->a, id, r->user->id)));
}

/* API: POST /api/answers/ID/vote -> 200 {answer_id, votes, voted: true} (once however often sent;
 * 403 one's own answer); POST /api/answers/ID/accept -> 200 the question (403 unless the asker,
 * an expert on a topic of it or an admin, whatever their role); voting needs an editor (403); 404 */
static int api_answer_post_part(struct req *r, enum part sub)
{
    const char *why = NULL;
    int64_t id = path_id(r->rest), qid = 0;
    struct answer *an = id ? question_store_answer_get(r->db, r->a, id) : NULL;
    if (!an)
        return resp_error(r, 404, "there is no such answer");
    int rc;
    if (sub == Q_VOTE) {
        if (!is_editor(r))
            return resp_error(r, 403, EDITORS_ONLY);
        int votes = 0;
        rc = question_store_vote(r->db, id, r->user->id, 1, now_s(), &votes, &why);
        return rc == 200 ? resp_json(r, 200, json_pack("{s:I, s:i, s:b}", "answer_id",
                                                       (json_int_t)id, "votes", votes, "voted", 1))
                         : resp_error(r, rc, why);
    }
    if (sub == Q_ACCEPT) {
        struct question *q = question_store_get(r->db, r->a, an->question_id, 0);
        if (!question_store_may_accept(r->db, q, r->user))
            return resp_error(r, 403, "only the asker, an expert on its topic or an admin may "
                                      "accept an answer");
        rc = question_store_accept(r->db, r->a, id, r->user->id, now_s(), &qid, &why);
        if (rc != 200)
            return resp_error(r, rc, why);
        return resp_json(r, 200, question_json(r, question_store_get(r->db, r->a, qid, r->user->id)));
    }
    return resp_error(r, 404, "POST works on /api/answers/ID/vote and /api/answers/ID/accept");
}

/* API: PUT /api/answers/ID {markdown} -> 200 the answer (a new revision; its author and admins;
 * 403); 400, 404 */
int question_api_answer_put(struct req *r)
{
    const char *why;
    int64_t id = path_id(r->rest);
    struct answer *an = id ? question_store_answer_get(r->db, r->a, id) : NULL;
    if (!an)
        return resp_error(r, 404, "there is no such answer");
    if (!may_edit(r, an->author_id))
        return resp_error(r, 403, "only the answer's author and admins may edit it");
    json_t *in = req_json(r, &why);
    if (!in)
        return resp_error(r, 400, why);
    const char *md = member(r->a, in, "markdown", NULL);
    json_decref(in);
    if (!md)
        return resp_error(r, 400, "send {\"markdown\": \"…\"}");
    int rc = question_store_answer_edit(r->db, r->a, id, r->user->id, md, now_s(), &why);
    if (rc != 200)
        return resp_error(r, rc, why);
    return resp_json(r, 200, answer_json(r->a, question_store_answer_get(r->db, r->a, id)));
}

/* API: DELETE /api/answers/ID/vote -> 200 {answer_id, votes, voted: false}; 404 */
int question_api_answer_delete(struct req *r)
{
    const char *why = NULL;
    int64_t id = path_id(r->rest);
    if (!id)
        return resp_error(r, 404, "there is no such answer");
    int votes = 0;
    int rc = question_store_vote(r->db, id, r->user->id, 0, now_s(), &votes, &why);
    return rc == 200 ? resp_json(r, 200, json_pack("{s:I, s:i, s:b}", "answer_id", (json_int_t)id,
                                                   "votes", votes, "voted", 0))
                     : resp_error(r, rc, why);
}

/* ---- the handlers the route table names: one a URL, each a part of the above ---- */

int question_page(struct req *r) { return page_part(r, Q_ITSELF); }
int question_history_page(struct req *r) { return page_part(r, Q_HISTORY); }
int question_edit_form(struct req *r) { return page_part(r, Q_EDIT); }
int question_answer_page(struct req *r) { return answer_page_part(r, Q_ITSELF); }
int question_answer_history_page(struct req *r) { return answer_page_part(r, Q_HISTORY); }
int question_answer_edit_form(struct req *r) { return answer_page_part(r, Q_EDIT); }
int question_answers_post(struct req *r) { return post_part(r, Q_ANSWERS); }
int question_comments_post(struct req *r) { return post_part(r, Q_COMMENTS); }
int question_edit_post(struct req *r) { return post_part(r, Q_EDIT); }
int question_promote_post(struct req *r) { return post_part(r, Q_PROMOTE); }
int question_answer_vote_post(struct req *r) { return answer_post_part(r, Q_VOTE); }
int question_answer_accept_post(struct req *r) { return answer_post_part(r, Q_ACCEPT); }
int question_answer_edit_post(struct req *r) { return answer_post_part(r, Q_EDIT); }
int question_answer_comments_post(struct req *r) { return answer_post_part(r, Q_COMMENTS); }
int question_api_get(struct req *r) { return api_get_part(r, Q_ITSELF); }
int question_api_revisions(struct req *r) { return api_get_part(r, Q_HISTORY); }
int question_api_answers_post(struct req *r) { return api_post_part(r, Q_ANSWERS); }
int question_api_comments_post(struct req *r) { return api_post_part(r, Q_COMMENTS); }
int question_api_promote_post(struct req *r) { return api_post_part(r, Q_PROMOTE); }
int question_api_vote_post(struct req *r) { return api_answer_post_part(r, Q_VOTE); }
int question_api_accept_post(struct req *r) { return api_answer_post_part(r, Q_ACCEPT); }
