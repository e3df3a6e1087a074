#include "import/import_stackexchange.h"
#include "accounts/user_store.h"
#include "core/arena.h"
#include "import/import_stackexchange_store.h"
#include "markup/html2md.h"
#include "questions/question_store.h"
#include "wiki/wikipath.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* How a failure is kept small: rows are written in transactions of BATCH rows, each row in a
 * savepoint of its own inside, so a row the database refuses is rolled back alone, counted as
 * failed with its reason, and the rest goes on. Nothing is held in memory but the row being
 * read (its arena is freed after it). */

enum { BATCH = 500, NAME_MAX_BYTES = 200, LOGIN_TRIES = 5 };

struct se {
    struct import_batch b;
    const char *dir;
    const char *source; /* the namespace of the outside ids in external_ids */
    int64_t before;     /* ms, or -1 */
    const char *file;   /* the file being read, for messages */
    long rows;          /* rows written in the open transaction */
    long people, questions, answers, comments, links, tags; /* created this run */
    long later, other;  /* left for a later --before; posts that are neither question nor answer */
    int have_votes;     /* Votes.xml was read: scores and acceptances come from it, as of --before */
    long votes;         /* votes read from it */
    long counted;       /* items counted when the last row was done */
    char xml_error[400];
    int xml_line;
};

/* ---- small helpers */

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t import_se_parse_time(const char *s)
{
    if (!s)
        return -1;
    int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return -1;
    const char *p = s + n;
    if (*p == 'T' || *p == ' ') {
        int m = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5)
            return -1;
        p += 1 + m;
        if (*p == ':') {
            if (sscanf(p + 1, "%2d%n", &sec, &m) != 1 || m != 2)
                return -1;
            p += 1 + m;
            if (*p == '.') {
                int digits = 0;
                for (p++; *p >= '0' && *p <= '9'; p++, digits++)
                    if (digits < 3)
                        ms = ms * 10 + (*p - '0');
                if (!digits)
                    return -1;
                for (; digits < 3; digits++)
                    ms *= 10;
            }
        }
    }
    if (*p == 'Z')
        p++;
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    return ((days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + sec) * 1000 + ms;
}

/* Returns attribute `name` of the reader's element, in a, or NULL when it has none. */
static const char *attr(xmlTextReaderPtr r, struct arena *a, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *out = arena_strdup(a, (const char *)v);
    xmlFree(v);
    return out;
}

/* Returns s cut to at most max bytes without splitting a UTF-8 character, in a. */
static const char *utf8_cut(struct arena *a, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return s;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return arena_strndup(a, s, max);
}

/* "<neural-networks><ai-design>" (or "|a|b|", the newer form) -> ",neural-networks,,ai-design,",
 * a comma-separated tag list that page_tags_normalise reads as the two tags. */
static const char *tags_of(struct arena *a, const char *raw)
{
    char *t = arena_strdup(a, raw ? raw : "");
    for (char *p = t; *p; p++)
        if (*p == '<' || *p == '>' || *p == '|')
            *p = ',';
    return t;
}

/* A post's HTML body as Markdown, in a ("" when it has none). */
static const char *markdown_of(struct arena *a, const char *html)
{
    char *title, *md;
    if (!html || !*html || html2md_convert(a, html, strlen(html), NULL, &title, &md) != 0)
        return "";
    return md;
}

/* 1 when the row is dated on or after --before (it is left for a later run, and counted). */
static int later(struct se *s, const char *date)
{
    if (s->before < 0)
        return 0;
    int64_t at = import_se_parse_time(date);
    if (at >= 0 && at < s->before)
        return 0;
    s->later++;
    return 1;
}

static int64_t seconds(const char *date)
{
    int64_t ms = import_se_parse_time(date);
    return ms < 0 ? (int64_t)time(NULL) : ms / 1000;
}

/* ---- writing: a savepoint per row inside a transaction per BATCH rows */

static void batch_open(struct se *s)
{
    if (!s->b.open && db_begin(s->b.db) == 0)
        s->b.open = 1;
}

static void batch_close(struct se *s)
{
    if (s->b.open && db_commit(s->b.db) != 0)
        import_batch_say(&s->b, s->file, "a batch could not be committed");
    s->b.open = 0;
    s->rows = 0;
}

static void row_done(struct se *s)
{
    long counted = import_batch_counted(s->b.stats);
    if (counted != s->counted) /* rows that count nothing (votes, tags) print no progress */
        import_batch_progress(&s->b, 0);
    s->counted = counted;
    if (++s->rows >= BATCH)
        batch_close(s);
}

/* Rolls the row's savepoint back and counts it failed with `why`. */
static void row_failed(struct se *s, struct arena *a, const char *what, const char *id,
                       const char *why)
{
    db_rollback(s->b.db);
    import_batch_failed(&s->b, arena_printf(a, "%s: %s %s", s->file, what, id ? id : "?"), why);
}

/* ---- people */

/* Creates the account of an outside user: login from the name and the outside id
 * ("franck-dernoncourt-4"), no password, viewer. Returns its id, or 0 with *why. */
static int64_t person_create(struct se *s, struct arena *a, const char *ext, const char *name,
                             const char **why)
{
    const char *digits = ext[0] == '-' ? arena_printf(a, "m%s", ext + 1) : ext;
    char *base = wikipath_slug(a, name);
    if (strlen(base) > 40)
        base[40] = 0;
    if (!*base)
        base = arena_printf(a, "%suser", base);
    const char *full = utf8_cut(a, *name ? name : base, NAME_MAX_BYTES);
    for (int i = 0; i < LOGIN_TRIES; i++) {
        const char *again = i ? arena_printf(a, "-%d", i + 1) : "";
        const char *login = strncmp(ext, "name:", 5) == 0
                                ? arena_printf(a, "%s%s", base, again)
                                : arena_printf(a, "%s-%s%s", base, digits, again);
        if (user_store_by_login(s->b.db, a, login))
            continue;
        int64_t id = user_store_add(s->b.db, a, login, full, ROLE_VIEWER, NULL, why);
        if (id <= 0)
            return 0;
        if (import_se_store_put(s->b.db, s->source, "user", ext, id, NULL) != 0) {
            *why = "the database refused it";
            return 0;
        }
        s->people++;
        return id;
    }
    *why = "no free login for this name";
    return 0;
}

static void user_row(struct se *s, struct arena *a, xmlTextReaderPtr r)
{
    const char *id = attr(r, a, "Id");
    if (!id || !*id) {
        import_batch_failed(&s->b, s->file, "a row without an Id");
        return;
    }
    if (later(s, attr(r, a, "CreationDate")))
        return;
    int64_t local;
    int found = import_se_store_find(s->b.db, a, s->source, "user", id, &local, NULL);
    if (found) {
        if (found > 0)
            s->b.stats->skipped++;
        else
            import_batch_failed(&s->b, s->file, "the database cannot be read");
        return;
    }
    const char *name = attr(r, a, "DisplayName");
    const char *why = NULL;
    db_begin(s->b.db);
    if (!person_create(s, a, id, name && *name ? name : arena_printf(a, "user %s", id), &why)) {
        row_failed(s, a, "user", id, why ? why : "it could not be saved");
        return;
    }
    db_commit(s->b.db);
    s->b.stats->created++;
}

/* The author of a post or comment: the imported user of `user_id`, else someone by the
 * display name the row carries (deleted accounts keep only that), else "anonymous". Returns
 * their id, creating them when needed, or 0 with *why. */
static int64_t author_of(struct se *s, struct arena *a, const char *user_id, const char *display,
                         const char **why)
{
    const char *ext = user_id && *user_id     ? user_id
                      : display && *display ? arena_printf(a, "name:%s", display)
                                            : "name:anonymous";
    int64_t local;
    int found = import_se_store_find(s->b.db, a, s->source, "user", ext, &local, NULL);
    if (found > 0)
        return local;
    if (found < 0) {
        *why = "the database cannot be read";
        return 0;
    }
    const char *name = display && *display ? display
                       : user_id && *user_id ? arena_printf(a, "user %s", user_id)
                                             : "anonymous";
    return person_create(s, a, ext, name, why);
}

/* ---- posts */

static void question_row(struct se *s, struct arena *a, xmlTextReaderPtr r, const char *id)
{
    const char *created = attr(r, a, "CreationDate"), *why = NULL;
    int64_t qid;
    db_begin(s->b.db);
    int64_t asker = author_of(s, a, attr(r, a, "OwnerUserId"), attr(r, a, "OwnerDisplayName"), &why);
    if (!asker) {
        row_failed(s, a, "question", id, why);
        return;
    }
    const char *title = attr(r, a, "Title");
    int rc = question_store_import_question(s->b.db, a, asker, title ? title : "",
                                            markdown_of(a, attr(r, a, "Body")),
                                            tags_of(a, attr(r, a, "Tags")), seconds(created),
                                            &qid, &why);
    if (rc != 201) {
        row_failed(s, a, "question", id, why);
        return;
    }
    if (import_se_store_put(s->b.db, s->source, "question", id, qid,
                            attr(r, a, "AcceptedAnswerId")) != 0) {
        row_failed(s, a, "question", id, "the database refused it");
        return;
    }
    db_commit(s->b.db);
    s->questions++;
    s->b.stats->created++;
}

static void answer_row(struct se *s, struct arena *a, xmlTextReaderPtr r, const char *id)
{
    const char *parent = attr(r, a, "ParentId"), *accepted = "", *why = NULL;
    int64_t qid, aid;
    int found = parent ? import_se_store_find(s->b.db, a, s->source, "question", parent, &qid,
                                              &accepted)
                       : 0;
    if (found <= 0) {
        import_batch_failed(&s->b, arena_printf(a, "%s: answer %s", s->file, id),
                            found < 0 ? "the database cannot be read"
                                      : "its question is not in the export");
        return;
    }
    db_begin(s->b.db);
    int64_t author = author_of(s, a, attr(r, a, "OwnerUserId"), attr(r, a, "OwnerDisplayName"), &why);
    if (!author) {
        row_failed(s, a, "answer", id, why);
        return;
    }
    const char *score = attr(r, a, "Score");
    struct question_answer_import im = {.votes = score ? atoi(score) : 0,
                                        .accepted = strcmp(accepted, id) == 0};
    int64_t accepted_at = 0;
    if (s->have_votes) { /* as of --before, not as of the dump */
        import_se_store_post_votes(s->b.db, id, &im.votes, &accepted_at);
        im.accepted = accepted_at > 0;
    }
    const char *md = markdown_of(a, attr(r, a, "Body"));
    int rc = question_store_import_answer(s->b.db, a, qid, author, *md ? md : "(empty)",
                                          seconds(attr(r, a, "CreationDate")), &im, &aid, &why);
    if (rc != 201) {
        row_failed(s, a, "answer", id, why);
        return;
    }
    if (import_se_store_put(s->b.db, s->source, "answer", id, aid, NULL) != 0 ||
        (accepted_at > 0 && import_se_store_answer_update(s->b.db, aid, im.votes, accepted_at) != 0)) {
        row_failed(s, a, "answer", id, "the database refused it");
        return;
    }
    db_commit(s->b.db);
    s->answers++;
    s->b.stats->created++;
}

/* An answer imported by an earlier run, with an earlier --before: brings its votes and
 * acceptance to what Votes.xml says as of this run's --before. */
static void answer_votes_again(struct se *s, struct arena *a, const char *id, int64_t aid)
{
    int votes, was_accepted, now_votes;
    int64_t accepted_at;
    if (import_se_store_answer_state(s->b.db, aid, &votes, &was_accepted) != 0) {
        import_batch_failed(&s->b, s->file, "the database cannot be read");
        return;
    }
    import_se_store_post_votes(s->b.db, id, &now_votes, &accepted_at);
    if (now_votes == votes && (was_accepted || accepted_at <= 0)) {
        s->b.stats->skipped++;
        return;
    }
    db_begin(s->b.db);
    if (import_se_store_answer_update(s->b.db, aid, now_votes, was_accepted ? 0 : accepted_at) != 0) {
        row_failed(s, a, "answer", id, "the database refused its votes");
        return;
    }
    db_commit(s->b.db);
    s->b.stats->updated++;
}

static void post_row(struct se *s, struct arena *a, xmlTextReaderPtr r)
{
    const char *id = attr(r, a, "Id"), *type = attr(r, a, "PostTypeId");
    if (!id || !*id || !type) {
        import_batch_failed(&s->b, s->file, "a row without an Id or PostTypeId");
        return;
    }
    int question = strcmp(type, "1") == 0, answer = strcmp(type, "2") == 0;
    if (!question && !answer) {
        s->other++; /* tag wikis, moderator nominations, privilege wikis */
        return;
    }
    if (later(s, attr(r, a, "CreationDate")))
        return;
    int64_t local;
    int found = import_se_store_find(s->b.db, a, s->source, question ? "question" : "answer", id,
                                     &local, NULL);
    if (found > 0 && answer && s->have_votes) {
        answer_votes_again(s, a, id, local);
        return;
    }
    if (found > 0) {
        s->b.stats->skipped++;
        return;
    }
    if (found < 0) {
        import_batch_failed(&s->b, s->file, "the database cannot be read");
        return;
    }
    if (question)
        question_row(s, a, r, id);
    else
        answer_row(s, a, r, id);
}

/* ---- comments, links, tags */

static void comment_row(struct se *s, struct arena *a, xmlTextReaderPtr r)
{
    const char *id = attr(r, a, "Id"), *post = attr(r, a, "PostId"), *why = NULL;
    if (!id || !*id || !post) {
        import_batch_failed(&s->b, s->file, "a row without an Id or PostId");
        return;
    }
    if (later(s, attr(r, a, "CreationDate")))
        return;
    int64_t local, qid = 0, aid = 0, cid;
    if (import_se_store_find(s->b.db, a, s->source, "comment", id, &local, NULL) > 0) {
        s->b.stats->skipped++;
        return;
    }
    if (import_se_store_find(s->b.db, a, s->source, "answer", post, &aid, NULL) > 0) {
        struct answer *an = question_store_answer_get(s->b.db, a, aid);
        qid = an ? an->question_id : 0;
    } else if (import_se_store_find(s->b.db, a, s->source, "question", post, &qid, NULL) <= 0) {
        qid = 0;
    }
    if (!qid) {
        s->b.stats->skipped++; /* on a post that was not imported (a tag wiki) */
        return;
    }
    db_begin(s->b.db);
    int64_t author = author_of(s, a, attr(r, a, "UserId"), attr(r, a, "UserDisplayName"), &why);
    const char *text = attr(r, a, "Text");
    if (!author || question_store_import_comment(s->b.db, a, qid, aid, author,
                                                 utf8_cut(a, text ? text : "", COMMENT_MAX),
                                                 seconds(attr(r, a, "CreationDate")), &cid,
                                                 &why) != 201 ||
        import_se_store_put(s->b.db, s->source, "comment", id, cid, NULL) != 0) {
        row_failed(s, a, "comment", id, why ? why : "the database refused it");
        return;
    }
    db_commit(s->b.db);
    s->comments++;
    s->b.stats->created++;
}

static void link_row(struct se *s, struct arena *a, xmlTextReaderPtr r)
{
    const char *from = attr(r, a, "PostId"), *to = attr(r, a, "RelatedPostId");
    const char *type = attr(r, a, "LinkTypeId");
    if (!from || !to) {
        import_batch_failed(&s->b, s->file, "a row without a PostId or RelatedPostId");
        return;
    }
    if (later(s, attr(r, a, "CreationDate")))
        return;
    int64_t q1, q2;
    if (import_se_store_find(s->b.db, a, s->source, "question", from, &q1, NULL) <= 0 ||
        import_se_store_find(s->b.db, a, s->source, "question", to, &q2, NULL) <= 0) {
        s->b.stats->skipped++; /* one end is not a question, or not imported yet */
        return;
    }
    if (question_store_link(s->b.db, q1, q2, type && strcmp(type, "3") == 0) != 0) {
        import_batch_failed(&s->b, arena_printf(a, "%s: link %s", s->file, from),
                            "the database refused it");
        return;
    }
    if (db_changes(s->b.db)) {
        s->links++;
        s->b.stats->created++;
    } else {
        s->b.stats->skipped++;
    }
}

/* Votes.xml: 1 accepted by the asker, 2 up, 3 down; the others (favourites, bounties, closing)
 * say nothing about an answer's worth. */
static void vote_row(struct se *s, struct arena *a, xmlTextReaderPtr r)
{
    const char *post = attr(r, a, "PostId"), *type = attr(r, a, "VoteTypeId");
    const char *date = attr(r, a, "CreationDate");
    if (!post || !type) {
        import_batch_failed(&s->b, s->file, "a row without a PostId or VoteTypeId");
        return;
    }
    int64_t at = import_se_parse_time(date);
    if (s->before >= 0 && (at < 0 || at >= s->before))
        return;
    int t = atoi(type);
    if (t < 1 || t > 3)
        return;
    if (import_se_store_vote(s->b.db, post, t == 2 ? 1 : t == 3 ? -1 : 0,
                             t == 1 && at >= 0 ? at / 1000 : 0) != 0) {
        import_batch_failed(&s->b, s->file, "the database refused a vote");
        return;
    }
    s->votes++;
}

static void tag_row(struct se *s, struct arena *a, xmlTextReaderPtr r)
{
    (void)a;
    (void)r;
    s->tags++; /* tags come with the questions; the list only says how many there are */
}

/* ---- reading a file */

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
    struct se *s = ctx;
    if (!err || err->level < XML_ERR_ERROR || s->xml_error[0])
        return;
    snprintf(s->xml_error, sizeof s->xml_error, "%s", err->message ? err->message : "broken XML");
    s->xml_error[strcspn(s->xml_error, "\n")] = 0;
    s->xml_line = err->line;
}

typedef void row_fn(struct se *s, struct arena *a, xmlTextReaderPtr r);

/* Reads every <row> of dir/name with fn. Returns 0 (also when an optional file is missing, or
 * the XML breaks: what came before it is kept, the break counted as failed), -1 when a required
 * file is missing. */
static int read_rows(struct se *s, const char *name, int required, row_fn *fn)
{
    struct arena *pa = arena_new();
    const char *path = arena_printf(pa, "%s/%s", s->dir, name);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (required)
            fprintf(s->b.log, "ken: %s has no %s: is it a Stack Exchange export?\n", s->dir, name);
        arena_free(pa);
        return required ? -1 : 0;
    }
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (!r) {
        import_batch_failed(&s->b, path, "cannot be read");
        arena_free(pa);
        return 0;
    }
    s->file = name;
    s->xml_error[0] = 0;
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, s);
    int ret;
    batch_open(s);
    while ((ret = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT || xmlTextReaderDepth(r) != 1)
            continue;
        const char *el = (const char *)xmlTextReaderConstLocalName(r);
        if (!el || strcmp(el, "row") != 0)
            continue;
        batch_open(s);
        struct arena *a = arena_new();
        fn(s, a, r);
        arena_free(a);
        row_done(s);
    }
    batch_close(s);
    if (ret < 0 || s->xml_error[0]) {
        s->b.stats->failed++;
        fprintf(s->b.log, "%s%s: the XML is cut off or broken at line %d (%s); nothing after it "
                          "was read\n",
                s->b.tty ? "\r" : "", name, s->xml_line,
                s->xml_error[0] ? s->xml_error : "the XML is broken");
    }
    xmlFreeTextReader(r);
    arena_free(pa);
    return 0;
}

int import_stackexchange(struct db *db, const char *dir, int64_t before_ms, FILE *log, int is_tty,
                         struct import_stats *stats)
{
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(log, "ken: %s is not a folder\n", dir);
        return -1;
    }
    struct arena *a = arena_new();
    /* One Stack Exchange site per wiki: the dump names no site, and the same export unpacked
     * in another folder must not come in twice. */
    struct se s = {.dir = dir, .before = before_ms, .source = "stackexchange"};
    s.b = (struct import_batch){.db = db, .log = log, .tty = is_tty, .stats = stats,
                                .every_tty = 100, .every_log = 5000};
    import_batch_start(&s.b);
    int rc = read_rows(&s, "Users.xml", 0, user_row);
    struct stat vb;
    const char *votes = arena_printf(a, "%s/Votes.xml", dir);
    if (rc == 0 && stat(votes, &vb) == 0 && S_ISREG(vb.st_mode)) {
        if (import_se_store_votes_begin(db) != 0) {
            fprintf(log, "ken: cannot keep the votes: %s\n", db_errmsg(db));
            rc = -1;
        } else {
            s.have_votes = 1;
            rc = read_rows(&s, "Votes.xml", 0, vote_row);
        }
    }
    if (rc == 0)
        rc = read_rows(&s, "Posts.xml", 1, post_row);
    if (rc == 0)
        rc = read_rows(&s, "Comments.xml", 0, comment_row);
    if (rc == 0)
        rc = read_rows(&s, "PostLinks.xml", 0, link_row);
    if (rc == 0)
        rc = read_rows(&s, "Tags.xml", 0, tag_row);
    if (rc == 0) {
        if (is_tty)
            fputc('\n', log);
        fprintf(log,
                "%s: %ld people, %ld questions, %ld answers, %ld comments, %ld links new; %ld "
                "tags; %ld other posts (tag wikis) not imported",
                s.source, s.people, s.questions, s.answers, s.comments, s.links, s.tags, s.other);
        if (s.have_votes)
            fprintf(log, "; %ld votes", s.votes);
        if (before_ms >= 0)
            fprintf(log, "; %ld dated from --before on, left for a later run", s.later);
        fputc('\n', log);
        import_batch_summary(&s.b, import_batch_elapsed(&s.b));
    }
    arena_free(a);
    return rc;
}
