#include "cli/demo.h"
#include "core/arena.h"
#include "accounts/auth.h"
#include "core/buf.h"
#include "people/community_store.h"
#include "core/embed.h"
#include "markup/frontmatter.h"
#include "people/org_store.h"
#include "wiki/freshness_store.h"
#include "wiki/page_store.h"
#include "wiki/views_store.h"
#include "questions/question_store.h"
#include "expertise/routing.h"
#include "people/people_store.h"
#include "people/skill_store.h"
#include "accounts/user_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Returns the tab-separated field `i` of line (not NUL-terminated, ends at '\n'), in a. */
static char *field(struct arena *a, const char *line, int i)
{
    const char *p = line;
    for (; i > 0; i--) {
        p = strpbrk(p, "\t\n");
        if (!p || *p == '\n')
            return arena_strdup(a, "");
        p++;
    }
    size_t n = strcspn(p, "\t\n");
    return arena_strndup(a, p, n);
}

/* A few profile fields beyond people.tsv, so profiles, the directory and the privacy rules have
 * something to show: "login", then field=value pairs. */
static const char *const demo_profile_extras[][7] = {
    {"wei", "open_to_roles", "Data or automation work", "want_skills", "Python, SQL"},
    {"priya", "mentoring", "offering", "ask_me_about", "PostgreSQL, Kubernetes, on-call",
     "bio", "I look after the **platform**: databases, clusters and the deploy pipeline."},
    {"lucia", "mentoring", "seeking", "want_skills", "Accessibility, TypeScript"},
    {"mara", "ask_me_about", "Laptops, VPN, Okta", "bio",
     "Head of IT. Ask the [[IT]] space first, then the service desk."},
    {"helena", "bio", "Founder and CEO of Northwind Loom."},
    {NULL},
};

/* Fills the profiles from people.tsv (department, team, title, manager, location, time zone)
 * once everyone exists, with a made-up start date, email and languages. */
static int load_profiles(struct db *db, struct arena *a, const char *tsv)
{
    int i = 0;
    for (const char *line = strchr(tsv, '\n'); line && *++line; line = strchr(line, '\n'), i++) {
        const char *login = field(a, line, 0), *dept = field(a, line, 3), *team = field(a, line, 4);
        const char *location = field(a, line, 7), *why = NULL;
        struct people_edit e;
        people_edit_init(&e);
        struct org_unit *d = *dept ? org_store_ensure_department(db, a, dept, &why) : NULL;
        struct org_unit *t = d && *team ? org_store_ensure_team(db, a, d->id, team, &why) : NULL;
        if ((*dept && !d) || (*team && !t)) {
            fprintf(stderr, "ken: demo person %s: %s\n", login, why);
            return -1;
        }
        e.values[people_field_index("department")] = d ? d->slug : "";
        e.values[people_field_index("team")] = t ? t->slug : "";
        e.values[people_field_index("title")] = field(a, line, 5);
        e.values[people_field_index("manager")] = field(a, line, 6);
        e.values[people_field_index("location")] = location;
        e.values[people_field_index("timezone")] = field(a, line, 8);
        /* The first 28 rows are the company as it was; those after it joined between 2014 and
         * 2023, so the newest starters stay the same people. */
        int year = i < 28 ? 2013 + (i * 5) % 12 : 2014 + (i * 5) % 10;
        e.values[people_field_index("start_date")] =
            arena_printf(a, "%d-%02d-%02d", year, 1 + (i * 7) % 12, 1 + (i * 11) % 28);
        e.values[people_field_index("email")] = arena_printf(a, "%s@northwindloom.example", login);
        e.values[people_field_index("chat")] = arena_printf(a, "@%s", login);
        e.values[people_field_index("languages")] = strcmp(location, "Porto") == 0 ? "Portuguese, English"
                                                    : strcmp(location, "Toronto") == 0 ? "English, French"
                                                                                        : "English";
        for (int x = 0; demo_profile_extras[x][0]; x++)
            for (int k = 1; strcmp(demo_profile_extras[x][0], login) == 0 && k < 7 &&
                            demo_profile_extras[x][k];
                 k += 2)
                e.values[people_field_index(demo_profile_extras[x][k])] = demo_profile_extras[x][k + 1];
        if (people_store_save(db, a, NULL, login, &e, &why) != 0) {
            fprintf(stderr, "ken: demo profile %s: %s\n", login, why);
            return -1;
        }
    }
    return 0;
}

static int load_people(struct db *db, struct arena *a, const char *hash, char admin_login[64])
{
    const struct embed_file *f = embed_find("web/demo/people.tsv");
    if (!f) {
        fprintf(stderr, "ken: this build has no demo people\n");
        return -1;
    }
    const char *line = strchr(f->data, '\n'); /* skip the header */
    int n = 0;
    while (line && *++line) {
        char *login = field(a, line, 0), *name = field(a, line, 1), *role = field(a, line, 2);
        const char *why;
        if (*login && user_store_add(db, a, login, name, user_role_parse(role), hash, &why) < 0) {
            fprintf(stderr, "ken: demo person %s: %s\n", login, why);
            return -1;
        }
        if (strcmp(role, "admin") == 0 && !admin_login[0])
            snprintf(admin_login, 64, "%s", login);
        n++;
        line = strchr(line, '\n');
    }
    return n > 0 ? load_profiles(db, a, f->data) : -1;
}

static int64_t user_id(struct db *db, struct arena *a, const char *login)
{
    struct user *u = user_store_by_login(db, a, login);
    return u ? u->id : 0;
}

static int save(struct db *db, struct arena *a, struct page_edit *e, const char *file)
{
    int rev;
    const char *why;
    enum page_save_result res = page_store_save(db, a, e, &rev, &why);
    if (res != PAGE_CREATED && res != PAGE_UPDATED && res != PAGE_MERGED) {
        fprintf(stderr, "ken: demo page %s: %s\n", file, why);
        return -1;
    }
    return 0;
}

/* The gap before a page's revision rev + 1 (rev from 1): later edits come days to weeks after. */
static int64_t revision_gap(int rev)
{
    return 86400 * (3 + (rev * 7) % 40);
}

/* One page file: a header block, the first text, then "+++ author: x; summary: y" appendices.
 * The first revision is dated `when`, later ones days to weeks apart; when `last` is not 0 and
 * the page has later revisions, the last of them is dated `last` instead (if that is later), so
 * the demo has edits from this month. */
static int load_page(struct db *db, struct arena *a, const struct embed_file *f, int64_t when,
                     int64_t last)
{
    const char *base = strrchr(f->name, '/') + 1;
    char *path = arena_strndup(a, base, strlen(base) - 3);
    for (char *p = path; (p = strstr(p, "__"));)
        memmove(p, p + 1, strlen(p + 1) + 1), *p = '/';
    const char *p = frontmatter_body(f->data);
    if (p == f->data) {
        fprintf(stderr, "ken: demo page %s has no header block\n", f->name);
        return -1;
    }
    struct page_edit e = {
        .path = path,
        .title = frontmatter_get(a, f->data, "title"),
        .tags = frontmatter_get(a, f->data, "tags"),
        .summary = frontmatter_get(a, f->data, "summary"),
        .base_rev = -1,
        .author_id = user_id(db, a, frontmatter_get(a, f->data, "author")),
        .at = when,
    };
    struct buf text;
    buf_init(&text, 0);
    for (int rev = 1;; rev++) {
        const char *next = strstr(p, "\n+++ author:");
        buf_append(&text, p, next ? (size_t)(next - p) : strlen(p));
        while (text.len && text.data[text.len - 1] == '\n')
            text.data[--text.len] = 0;
        buf_putc(&text, '\n');
        e.markdown = buf_str(&text);
        if (save(db, a, &e, f->name) != 0) {
            buf_free(&text);
            return -1;
        }
        if (!next)
            break;
        /* "+++ author: login; summary: text" */
        const char *line = next + 5, *eol = strchr(line, '\n');
        if (!eol)
            break;
        char *meta = arena_strndup(a, line, (size_t)(eol - line));
        char *semi = strstr(meta, "; summary:");
        if (semi) {
            *semi = 0;
            e.summary = arena_strdup(a, semi + 10 + (semi[10] == ' '));
        }
        e.author_id = user_id(db, a, meta + 7 + (meta[7] == ' '));
        e.at += revision_gap(rev);
        if (last > e.at && !strstr(eol + 1, "\n+++ author:"))
            e.at = last;
        buf_puts(&text, "\n");
        p = eol + 1;
    }
    buf_free(&text);
    return 0;
}

/* The demo's skills taxonomy: every skill in people.tsv with its category, plus aliases
 * ("|"-separated). */
static const struct {
    const char *category, *names; /* names: "Skill=alias|alias;Skill;..." */
} demo_skills[] = {
    {"Programming", "Go=golang;C;Rust;Python=py|python3;TypeScript=TS;JavaScript=JS|ECMAScript;"
                    "Bash=shell;SQL;React=React.js;Django;CSS;pandas;Git;Testing;Code review;"
                    "System design"},
    {"Platform and infrastructure", "PostgreSQL=Postgres|psql|pg;Kubernetes=k8s|kube;Terraform;"
                                    "Linux;Prometheus;Argo CD=ArgoCD;Docker;Incident management"},
    {"Embedded and hardware", "Embedded Linux;Zephyr RTOS=Zephyr;Motor control;STM32;CAN bus"},
    {"IT and security", "Identity management=IAM;macOS=OS X;Windows;Networking;Okta;"
                        "Security policy;Printers;Jamf;WireGuard"},
    {"Design", "Figma;Accessibility=a11y"},
    {"Manufacturing", "Textile engineering;Loom calibration;Lean manufacturing;Production planning;"
                      "Health and safety=H&S;Metrology;Weaving;Root cause analysis=RCA;"
                      "Forklift operation"},
    {"Supply chain", "Procurement;Supplier negotiation;SAP;Logistics;Customs"},
    {"Finance", "Excel=Microsoft Excel;Financial reporting;IFRS;Budgeting;Treasury;Accounting;"
                "Forecasting;Power BI;Accounts payable=AP"},
    {"People and leadership", "Strategy;Public speaking;Negotiation;Engineering management;"
                              "Interviewing;Employment law;Performance management;Coaching;"
                              "Payroll;Portuguese labour law;Employee relations;Recruiting;"
                              "Employer branding"},
    {"Sales", "Enterprise sales;Salesforce=SFDC;Technical presales"},
    {"Spoken languages", "Polish;Portuguese;Spanish;French;Urdu;Mandarin;German"},
};

/* One person's row of people.tsv, for the skills. */
struct demo_person {
    int64_t id;
    const char *login, *department, *manager, *skills;
};

/* Returns the level person p gave `skill` (1-5), or 0. */
static int demo_skill_level(const struct demo_person *p, const char *skill)
{
    size_t n = strlen(skill);
    for (const char *s = p->skills; s && *s;) {
        const char *colon = strchr(s, ':');
        if (colon && (size_t)(colon - s) == n && strncmp(s, skill, n) == 0)
            return atoi(colon + 1);
        s = strchr(s, ',');
        s = s ? s + 1 : NULL;
    }
    return 0;
}

/* Loads the taxonomy, the "Skill:N" column of people.tsv (1-2 learning, 3-4 practised, 5
 * expert) and endorsements: a person's manager and the colleagues in their department who have
 * the skill too endorse each skill they practise. One transaction. */
static int load_skills(struct db *db, struct arena *a)
{
    const char *why = NULL;
    int status;
    struct skill *sk;
    if (db_begin(db) != 0)
        return -1;
    for (size_t i = 0; i < sizeof demo_skills / sizeof *demo_skills; i++) {
        char *save = NULL;
        for (char *item = strtok_r(arena_strdup(a, demo_skills[i].names), ";", &save); item;
             item = strtok_r(NULL, ";", &save)) {
            char *aliases = strchr(item, '='), *asave = NULL;
            if (aliases)
                *aliases++ = 0;
            int64_t id = skill_store_add(db, a, item, demo_skills[i].category, 1, &status, &why);
            if (id < 0)
                goto failed;
            for (char *al = aliases ? strtok_r(aliases, "|", &asave) : NULL; al;
                 al = strtok_r(NULL, "|", &asave))
                if (skill_store_alias_add(db, a, id, al, &why) != 0)
                    goto failed;
        }
    }
    const struct embed_file *f = embed_find("web/demo/people.tsv");
    struct demo_person people[200];
    int n = 0;
    for (const char *line = strchr(f->data, '\n'); line && *++line && n < 200;
         line = strchr(line, '\n')) {
        struct demo_person *p = &people[n++];
        p->login = field(a, line, 0);
        p->department = field(a, line, 3);
        p->manager = field(a, line, 6);
        p->skills = field(a, line, 9);
        p->id = user_id(db, a, p->login);
        char *save = NULL;
        for (char *item = strtok_r(arena_strdup(a, p->skills), ",", &save); item;
             item = strtok_r(NULL, ",", &save)) {
            char *colon = strrchr(item, ':');
            int raw = colon ? atoi(colon + 1) : 3, created;
            if (colon)
                *colon = 0;
            int level = raw >= 5 ? SKILL_EXPERT : raw >= 3 ? SKILL_PRACTISED : SKILL_LEARNING;
            int years = raw >= 3 ? raw * 2 - 3 + (int)(strlen(p->login) % 3) : -1;
            int rc = skill_store_person_set(db, a, p->id, item, level, years, &sk, &created, &why);
            if (rc != 200 && rc != 201)
                goto failed;
        }
    }
    for (int i = 0; i < n; i++) {
        char *save = NULL;
        for (char *item = strtok_r(arena_strdup(a, people[i].skills), ",", &save); item;
             item = strtok_r(NULL, ",", &save)) {
            char *colon = strrchr(item, ':');
            if (!colon || atoi(colon + 1) < 3)
                continue;
            *colon = 0;
            for (int j = 0; j < n; j++) {
                int colleague = j != i && strcmp(people[j].department, people[i].department) == 0 &&
                                demo_skill_level(&people[j], item) > 0;
                int count;
                if ((colleague || strcmp(people[j].login, people[i].manager) == 0) &&
                    skill_store_endorse(db, a, people[i].id, item, people[j].id, 1, &sk, &count,
                                        &why) != 200)
                    goto failed;
            }
        }
    }
    return db_commit(db);
failed:
    fprintf(stderr, "ken: demo skills: %s\n", why ? why : "could not be loaded");
    db_rollback(db);
    return -1;
}

/* The demo's communities: name, open, description, owners, members and requests to join
 * (comma-separated logins). */
static const struct {
    const char *name;
    int open;
    const char *description, *owners, *members, *pending;
} demo_communities[] = {
    {"Python guild", 1,
     "Everyone who writes Python at Northwind Loom, whatever their job: scripts for the shop "
     "floor, finance reports, the web app. Show-and-tell on the first Thursday of the month.",
     "ewan", "wei,ana,joao,daniel,priya", ""},
    {"Security champions", 0,
     "One person per team who keeps security in mind: reviews, phishing drills, the incident "
     "rota. Owners approve new champions so every team has one.",
     "mara,lena", "samir,tiago,callum,priya,kwame", "liam"},
    {"Loom makers", 1,
     "Weaving, calibration and the looms themselves, from the factory floor to customers' "
     "sites. Bring your odd loom problems.",
     "beatriz", "rui,sofia,dylan,gareth,chloe,diego,mateo,joao,owen", ""},
    {"Women in engineering", 1,
     "A network for women in engineering, manufacturing and IT at Northwind Loom, and their "
     "allies: mentoring, talks and a monthly lunch.",
     "priya,ines", "lucia,beatriz,ana,sofia,lena,hannah,yara", ""},
};

/* Adds every login of the comma-separated list to community `id` with `role`. */
static int add_members(struct db *db, struct arena *a, int64_t id, const char *logins,
                       enum community_role role, const char **why)
{
    char *save = NULL;
    for (char *l = strtok_r(arena_strdup(a, logins), ",", &save); l; l = strtok_r(NULL, ",", &save))
        if (community_store_set_role(db, a, id, user_id(db, a, l), role, why) != 0)
            return -1;
    return 0;
}

static int load_communities(struct db *db, struct arena *a)
{
    for (size_t i = 0; i < sizeof demo_communities / sizeof *demo_communities; i++) {
        const char *slug = NULL, *why = NULL;
        struct community *c = NULL;
        if (community_store_create(db, a, demo_communities[i].name,
                                   demo_communities[i].description, demo_communities[i].open, 0,
                                   &slug, &why) != 0 ||
            !(c = community_store_get(db, a, slug, 0)) ||
            add_members(db, a, c->id, demo_communities[i].owners, COMMUNITY_OWNER, &why) != 0 ||
            add_members(db, a, c->id, demo_communities[i].members, COMMUNITY_MEMBER, &why) != 0 ||
            add_members(db, a, c->id, demo_communities[i].pending, COMMUNITY_PENDING, &why) != 0) {
            fprintf(stderr, "ken: demo community %s: %s\n", demo_communities[i].name,
                    why ? why : "could not be loaded");
            return -1;
        }
    }
    return 0;
}

/* Returns 1 for a demo page file (a .md file under web/demo/pages). */
static int demo_page_file(const struct embed_file *f)
{
    return strncmp(f->name, "web/demo/pages/", 15) == 0 && strstr(f->name, ".md") != NULL;
}

/* Returns the start of the month (UTC) that `now` falls in. */
static int64_t month_start(int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    return now - (int64_t)(tm.tm_mday - 1) * 86400 - tm.tm_hour * 3600 - tm.tm_min * 60 - tm.tm_sec;
}

/* The demo's questions, dated relative to today: "ago" is in days, or, when negative, the
 * fraction (in tenths) of this month that has passed, so it falls in this month. An answer is
 * given by `answerer` an hour after; `voters` (comma-separated) vote for it; `accept` makes it the
 * accepted one; an open question (no answerer) is routed to the people who know. */
static const struct {
    const char *asker, *title, *markdown, *tags;
    int ago;
    const char *answerer, *answer, *voters;
    int accept;
} demo_questions[] = {
    {"ava", "How do I explain the loom's over-the-air firmware updates to a customer?",
     "A customer in Lyon asks whether updates can stop a loom mid-run. What can I promise?",
     "firmware, sales", -3, "ines",
     "Updates are staged: the loom downloads in the background and installs only when it is idle "
     "and an operator confirms on the panel. A failed update rolls back on the next boot "
     "(see [[Firmware Release Process]]). You can promise no update starts during a run.",
     "oliver,joao,rebecca", 1},
    {"thomas", "Can the month-end reconciliation script run on a Mac?",
     "I have a new MacBook; the script was set up on Windows.", "python, finance, month-end", -6,
     "wei", "Yes: install Python 3.12 with Homebrew, then `pip install pandas openpyxl` and run "
     "it from Terminal. The paths in the config use forward slashes already.", "olga", 0},
    {"chloe", "What should a dev environment laptop for a customer demo have installed?",
     "For loom configuration demos at trade fairs.", "dev environment, sales", -8, "mara",
     "Ask the service desk for the *demo* image: the configurator, a local copy of the pricing "
     "sheet and the VPN profile. It is wiped after every fair.", "ravi", 0},
    {"lucia", "Who can review the accessibility of the customer portal before launch?",
     "We launch in four weeks and have not had an accessibility review yet.",
     "accessibility, design", 2, NULL, NULL, NULL, 0},
    {"marta", "Is there a checklist for moving a loom between the Leeds and Porto plants?",
     "Finance needs to know when the asset moves, and I could not find a page about it.",
     "logistics, manufacturing", 1, NULL, NULL, NULL, 0},
    {"liam", "How do I get VPN access on a Linux laptop that is not managed by IT?",
     "I run Linux on my own machine for CRM exports.", "vpn, it", 40, "kwame",
     "Generate a WireGuard key pair and send the public half to IT, as "
     "[[engineering/onboarding/vpn|Connecting to the VPN]] describes for Linux workstations.",
     "samir,tiago", 1},
};

static int load_questions(struct db *db, struct arena *a, int64_t now)
{
    int64_t month = month_start(now);
    for (size_t k = 0; k < sizeof demo_questions / sizeof *demo_questions; k++) {
        const char *why = NULL;
        int ago = demo_questions[k].ago;
        int64_t at = ago < 0 ? month + (now - month) * -ago / 10 - 3600 : now - (int64_t)ago * 86400;
        at = at < month && ago < 0 ? month : at;
        int64_t id = 0, aid = 0, qid = 0;
        int votes;
        if (question_store_ask(db, a, user_id(db, a, demo_questions[k].asker), demo_questions[k].title,
                               demo_questions[k].markdown, demo_questions[k].tags, at, &id,
                               &why) != 201)
            goto failed;
        if (!demo_questions[k].answerer) {
            /* Asked a day or two ago, but (as if nobody could be asked at first) routed an hour
             * ago, so the next people are asked a day from now rather than at the first view. No
             * one to ask is not a failure. */
            routing_route(db, a, id, now - 3600 > at ? now - 3600 : at, NULL);
            continue;
        }
        int64_t answered = at + (now - at) / 3;
        if (question_store_answer(db, a, id, user_id(db, a, demo_questions[k].answerer),
                                  demo_questions[k].answer, answered, &aid, &why) != 201)
            goto failed;
        char *save = NULL;
        for (char *l = strtok_r(arena_strdup(a, demo_questions[k].voters), ",", &save); l;
             l = strtok_r(NULL, ",", &save))
            if (question_store_vote(db, aid, user_id(db, a, l), 1, answered + 600, &votes, &why) != 200)
                goto failed;
        if (demo_questions[k].accept &&
            question_store_accept(db, a, aid, user_id(db, a, demo_questions[k].asker), answered + 900,
                                  &qid, &why) != 200)
            goto failed;
        continue;
    failed:
        fprintf(stderr, "ken: demo question \"%s\": %s\n", demo_questions[k].title,
                why ? why : "could not be saved");
        return -1;
    }
    return 0;
}

/* Readers this month: a view each of a few useful pages, and a few pages their owners verified
 * today, so the month's thanks shows the most read and who kept pages fresh (the views are few,
 * so the ones a tester makes still order the reports). */
static int load_reading(struct db *db, struct arena *a, int64_t now)
{
    static const char *const read[] = {"engineering/onboarding/vpn", "it/password-manager-and-mfa",
                                       "handbook/welcome", "engineering/runbooks/incident-response",
                                       "finance/expense-policy", "people/holiday-and-leave"};
    for (size_t k = 0; k < sizeof read / sizeof *read; k++) {
        struct page *p = page_store_get(db, a, read[k]);
        if (p && views_store_add(db, p->id, now / 86400, 1) != 0)
            return -1;
    }
    static const char *const verified[] = {"engineering/runbooks/postgresql-replication",
                                           "people/holiday-and-leave", "finance/month-end-close"};
    for (size_t k = 0; k < sizeof verified / sizeof *verified; k++) {
        struct page *p = page_store_get(db, a, verified[k]);
        struct freshness *fr = p ? freshness_get(db, a, p->id, now) : NULL;
        int64_t owner = fr && fr->owners ? user_id(db, a, fr->owners->login) : 0;
        if (owner && freshness_verify(db, p->id, owner) != 0)
            return -1;
    }
    return 0;
}

int demo_load(struct db *db, const char *password, char admin_login[64])
{
    struct arena *a = arena_new();
    char hash[128];
    int rc = -1;
    admin_login[0] = 0;
    if (auth_password_hash(hash, password) != 0 || load_people(db, a, hash, admin_login) != 0)
        goto done;
    /* Dated relative to today: the first versions over the past year, four days apart, oldest
     * first, later ones days to weeks after (so some pages are due for review); and the last
     * edit of every fifth page with later revisions falls in this month (between its start and
     * now), of a few others in the last two weeks, so the recent changes, the home page and the
     * month's thanks have something to show whenever the demo is made. */
    int64_t now = (int64_t)time(NULL), month = month_start(now);
    int64_t start = now - 330 * 86400;
    int i = 0;
    for (const struct embed_file *f = embed_files; f->name; f++) {
        if (!demo_page_file(f))
            continue;
        int64_t last = i % 5 == 0   ? month + (now - month) * (2 + i % 7) / 10
                       : i % 5 == 2 ? now - (int64_t)(2 + i % 12) * 86400
                                    : 0;
        if (load_page(db, a, f, start + (int64_t)i * 86400 * 4, last) != 0)
            goto done;
        i++;
    }
    /* Pages link to pages created after them: render every page again now that all exist. */
    rc = page_store_reindex(db, a);
    /* Two pages in three were checked by their owners in the last few months; the rest are due,
     * so the freshness reports have something to show. */
    if (rc == 0)
        rc = freshness_store_demo_checks(db, (int64_t)time(NULL));
    if (rc == 0)
        rc = load_skills(db, a);
    if (rc == 0)
        rc = load_communities(db, a);
    if (rc == 0)
        rc = load_questions(db, a, now);
    if (rc == 0)
        rc = load_reading(db, a, now);
done:
    arena_free(a);
    return rc;
}
