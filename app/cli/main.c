/* ken: the command line. Parses arguments and starts things; the work is in kencore. */
#include "accounts/audit.h"
#include "accounts/auth.h"
#include "cli/audit_cli.h"
#include "core/db.h"
#include "cli/demo.h"
#include "wiki/export.h"
#include "import/import_html.h"
#include "import/import_markdown.h"
#include "import/import_mediawiki.h"
#include "import/import_people.h"
#include "import/import_stackexchange.h"
#include "cli/maint_store.h"
#include "markup/markdown.h"
#include "core/migrate.h"
#include "search/people_search_store.h"
#include "expertise/routing.h"
#include "wiki/seed.h"
#include "http/server.h"
#include "accounts/session_store.h"
#include "core/settings.h"
#include "http/tmpl.h"
#include "accounts/user_store.h"

#include <errno.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { EXIT_USAGE = 2 };

static const char usage[] =
    "usage: ken COMMAND [OPTIONS]\n"
    "\n"
    "  ken init --db PATH [--demo]         create a database (with the demo company)\n"
    "  ken serve --db PATH [--listen HOST:PORT] [--threads N] [--access-log FILE|-|off]\n"
    "            [--trusted-header NAME --trusted-proxy ADDR] [--max-body BYTES]\n"
    "            [--max-upload BYTES]\n"
    "  ken user add LOGIN --name NAME --role viewer|editor|hr|admin [--password-stdin] --db PATH\n"
    "  ken user password LOGIN [--password-stdin] --db PATH   set (or generate) a password\n"
    "  ken token add LOGIN [--label TEXT] [--read-only] --db PATH   print a new API token\n"
    "  ken import markdown DIR [--space NAME] --db PATH   .md files become pages (re-runnable)\n"
    "  ken import mediawiki FILE.xml [--space NAME] --db PATH   a MediaWiki export, every revision\n"
    "  ken import html DIR [--space NAME] --db PATH   Confluence, Notion or Google Docs HTML pages\n"
    "  ken import stackexchange DIR [--before ISO-TIME] --db PATH   a Stack Exchange export's\n"
    "      people, questions, answers, comments (re-runnable; --before: only what is older)\n"
    "  ken export markdown DIR --db PATH   every page as DIR/<path>.md with front matter\n"
    "  ken export html DIR --db PATH       a static, browsable copy of the wiki\n"
    "  ken import people FILE [--dry-run] [--mark-missing-as-left] --db PATH   sync people from\n"
    "                                      an HR system's CSV or JSON export (re-runnable)\n"
    "  ken backup FILE --db PATH           consistent copy of the database, also while serving\n"
    "  ken check --db PATH                 integrity and foreign-key checks (exit 1 on problems)\n"
    "  ken reindex --db PATH               rebuild rendered pages, links and the search indexes\n"
    "  ken route-questions --db PATH       ask the next experts about questions nobody answered\n"
    "  ken audit verify --db PATH          check the audit log's hash chain (exit 1: edited)\n"
    "  ken audit prune --db PATH           remove audit entries older than the retention\n"
    "  ken --help | --version\n"
    "\n"
    "Environment: KEN_DB (for --db), KEN_LISTEN (for --listen, default 127.0.0.1:8080).\n"
    "Exit codes: 0 done, 1 failed (the message says why), 2 the command line is wrong.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("ken: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nRun 'ken --help' to see the commands.\n", stderr);
    return EXIT_USAGE;
}

struct opts {
    const char *db, *listen, *name, *role, *label, *access_log, *trusted_header, *trusted_proxy,
        *space, *before;
    int threads, demo, password_stdin, read_only, dry_run, mark_missing_as_left;
    long max_body, max_upload;
    const char *positional[4];
    int npositional;
};

/* Returns 0, or EXIT_USAGE after saying which argument is wrong. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--db") == 0               ? &o->db
                            : strcmp(a, "--listen") == 0         ? &o->listen
                            : strcmp(a, "--name") == 0           ? &o->name
                            : strcmp(a, "--role") == 0           ? &o->role
                            : strcmp(a, "--label") == 0          ? &o->label
                            : strcmp(a, "--access-log") == 0     ? &o->access_log
                            : strcmp(a, "--trusted-header") == 0 ? &o->trusted_header
                            : strcmp(a, "--trusted-proxy") == 0  ? &o->trusted_proxy
                            : strcmp(a, "--space") == 0          ? &o->space
                            : strcmp(a, "--before") == 0         ? &o->before
                                                                 : NULL;
        int upload = strcmp(a, "--max-upload") == 0;
        if (slot || strcmp(a, "--threads") == 0 || strcmp(a, "--max-body") == 0 || upload) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (slot) {
                *slot = v;
                continue;
            }
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || (a[2] == 't' && n > 1024))
                return usage_error("bad number for the option: %s", v);
            if (upload && n > 1L << 30)
                return usage_error("--max-upload is at most 1073741824 (1 GiB), not %s", v);
            if (a[2] == 't')
                o->threads = (int)n;
            else if (upload)
                o->max_upload = n;
            else
                o->max_body = n;
        } else if (strcmp(a, "--demo") == 0) {
            o->demo = 1;
        } else if (strcmp(a, "--read-only") == 0) {
            o->read_only = 1;
        } else if (strcmp(a, "--dry-run") == 0) {
            o->dry_run = 1;
        } else if (strcmp(a, "--mark-missing-as-left") == 0) {
            o->mark_missing_as_left = 1;
        } else if (strcmp(a, "--password-stdin") == 0) {
            o->password_stdin = 1;
        } else if (a[0] == '-') {
            return usage_error("unknown option %s", a);
        } else if (o->npositional < 4) {
            o->positional[o->npositional++] = a;
        } else {
            return usage_error("unexpected argument %s", a);
        }
    }
    if (!o->db)
        o->db = getenv("KEN_DB");
    if (!o->listen)
        o->listen = getenv("KEN_LISTEN");
    if (!o->listen)
        o->listen = "127.0.0.1:8080";
    return 0;
}

/* Opens the database and brings its schema up to date. Returns the connection or NULL. */
static struct db *open_db(const char *path, int create)
{
    char *err = NULL;
    struct db *db = db_open(path, create ? DB_CREATE : 0, &err);
    if (db && migrate_apply(db, &err) == 0) {
        if (people_search_store_fill(db) == 0) /* a database from before people were indexed */
            return db;
        err = xstrdup("cannot index the people for search; try ken reindex");
    }
    fprintf(stderr, "ken: %s\n", err ? err : "cannot open the database");
    free(err);
    db_close(db);
    return NULL;
}

static int need_db(const struct opts *o)
{
    if (o->db)
        return 0;
    return usage_error("%s", "no database given: use --db PATH or set KEN_DB");
}

/* For a command that takes `n` arguments after its name (-1: any number): checks that, with
 * `usage` as the message when it is wrong, and opens the database. Returns 0 with *db open, or
 * the exit code after saying what is wrong. */
static int command_db(const struct opts *o, int n, const char *usage, struct db **db)
{
    int rc = need_db(o);
    if (rc)
        return rc;
    if (n >= 0 && o->npositional != n)
        return usage_error("%s", usage);
    *db = open_db(o->db, 0);
    return *db ? 0 : 1;
}

static int cmd_init(struct opts *o)
{
    int rc = need_db(o);
    if (rc)
        return rc;
    struct stat st;
    if (stat(o->db, &st) == 0) {
        fprintf(stderr, "ken: %s already exists; ken init only makes new databases\n", o->db);
        return 1;
    }
    struct db *db = open_db(o->db, 1);
    if (!db)
        return 1;
    rc = seed_page_templates(db) == 0 ? 0 : 1;
    if (rc == 0 && o->demo) {
        char password[AUTH_TOKEN_LEN + 1], admin[64];
        auth_token_new(password);
        password[16] = 0; /* 96 bits is plenty for a demo, and easier to type */
        if (demo_load(db, password, admin) != 0) {
            rc = 1;
        } else {
            printf("Created %s with the demo company Northwind Loom.\n"
                   "Sign in as the admin: login %s, password %s\n"
                   "Every demo person has that same password.\n",
                   o->db, admin, password);
        }
    } else if (rc == 0) {
        printf("Created %s. Add the first admin with:\n"
               "  ken user add LOGIN --name 'Your Name' --role admin --password-stdin --db %s\n",
               o->db, o->db);
    }
    db_close(db);
    if (rc)
        unlink(o->db);
    return rc;
}

/* Reads a password from standard input (one line). Returns 0 or -1. */
static int read_password(char *out, size_t size)
{
    if (!fgets(out, (int)size, stdin))
        return -1;
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

/* A password from standard input (--password-stdin) or a generated one, checked and hashed.
 * Returns 0, or 1 after saying what is wrong. */
static int new_password(const struct opts *o, char *password, size_t size, char hash[128])
{
    const char *why;
    if (!o->password_stdin) {
        char token[AUTH_TOKEN_LEN + 1];
        auth_token_new(token);
        snprintf(password, size, "%.20s", token);
    } else if (read_password(password, size) != 0) {
        fprintf(stderr, "ken: no password on standard input\n");
        return 1;
    }
    if ((why = auth_password_check(password))) {
        fprintf(stderr, "ken: %s\n", why);
        return 1;
    }
    if (auth_password_hash(hash, password) != 0) {
        fprintf(stderr, "ken: out of memory hashing the password\n");
        return 1;
    }
    return 0;
}

static int cmd_user_add(struct opts *o)
{
    int rc = need_db(o);
    if (rc)
        return rc;
    if (o->npositional != 2)
        return usage_error("%s", "usage: ken user add LOGIN --name NAME --role ROLE");
    const char *login = o->positional[1];
    enum role role = user_role_parse(o->role);
    if (!o->name)
        return usage_error("%s", "--name NAME is required");
    if (!role)
        return usage_error("--role must be viewer, editor, hr or admin, not %s",
                           o->role ? o->role : "(missing)");
    const char *why = user_login_check(login);
    if (why)
        return usage_error("bad login: %s", why);
    char password[1100], hash[128];
    int generated = !o->password_stdin;
    if (new_password(o, password, sizeof password, hash) != 0)
        return 1;
    struct db *db = open_db(o->db, 0);
    if (!db)
        return 1;
    struct arena *a = arena_new();
    const struct audit_who cli = {0, "", ""};
    if (user_store_add(db, a, login, o->name, role, hash, &why) < 0) {
        fprintf(stderr, "ken: cannot add %s: %s\n", login, why);
        rc = 1;
    } else if (audit_append(db, &cli, AUDIT_ACCOUNT_CREATE, login,
                            arena_printf(a, "role %s, by ken user add", user_role_name(role)))) {
        rc = 1;
    } else if (generated) {
        printf("Added %s (%s). Password: %s\n", login, user_role_name(role), password);
    } else {
        printf("Added %s (%s).\n", login, user_role_name(role));
    }
    arena_free(a);
    db_close(db);
    return rc;
}

static int cmd_user_password(struct opts *o)
{
    int rc = need_db(o);
    if (rc)
        return rc;
    if (o->npositional != 2)
        return usage_error("%s", "usage: ken user password LOGIN [--password-stdin] --db PATH");
    char password[1100], hash[128];
    if (new_password(o, password, sizeof password, hash) != 0)
        return 1;
    struct db *db = open_db(o->db, 0);
    if (!db)
        return 1;
    struct arena *a = arena_new();
    struct user *u = user_store_by_login(db, a, o->positional[1]);
    if (!u) {
        fprintf(stderr, "ken: no user called %s (or they have left)\n", o->positional[1]);
        rc = 1;
    } else if (db_begin(db) != 0 || user_store_set_password(db, u->id, hash) != 0 ||
               session_end_user(db, u->id) != 0 || db_commit(db) != 0) {
        /* A new password also ends every session the old one opened. */
        fprintf(stderr, "ken: cannot store the password: %s\n", db_errmsg(db));
        db_rollback(db);
        rc = 1;
    } else if (audit_append(db, &(struct audit_who){0, "", ""}, AUDIT_ACCOUNT_PASSWORD, u->login,
                            "by ken user password")) {
        rc = 1;
    } else if (!o->password_stdin) {
        printf("New password for %s: %s\n", u->login, password);
    } else {
        printf("Password of %s changed.\n", u->login);
    }
    arena_free(a);
    db_close(db);
    return rc;
}

static int cmd_token_add(struct opts *o)
{
    struct db *db;
    int rc = command_db(o, 2, "usage: ken token add LOGIN [--label TEXT] --db PATH", &db);
    if (rc)
        return rc;
    struct arena *a = arena_new();
    struct user *u = user_store_by_login(db, a, o->positional[1]);
    char token[AUTH_TOKEN_LEN + 1];
    if (!u) {
        fprintf(stderr, "ken: no user called %s\n", o->positional[1]);
        rc = 1;
    } else if (token_create(db, u->id, o->label, o->read_only, token) != 0) {
        fprintf(stderr, "ken: cannot store the token: %s\n", db_errmsg(db));
        rc = 1;
    } else {
        printf("%s\n", token);
    }
    arena_free(a);
    db_close(db);
    return rc;
}

static int cmd_audit(struct opts *o)
{
    struct db *db;
    int rc = command_db(o, 1, "usage: ken audit verify|prune --db PATH", &db);
    if (rc)
        return rc;
    rc = o->positional[0][0] == 'v' ? audit_cli_verify(db, stdout, stderr)
                                    : audit_cli_prune(db, stdout, stderr);
    db_close(db);
    return rc;
}

/* Returns 1 when s looks like HOST:PORT with a port from 1 to 65535 (CivetWeb checks the rest). */
static int listen_valid(const char *s)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    return *end == 0 && colon[1] && port >= 1 && port <= 65535;
}

/* ken import stackexchange DIR [--before ISO-TIME]: 0 done, 1 something failed, 2 usage. */
static int cmd_import_stackexchange(struct opts *o)
{
    int64_t before = -1;
    if (o->before && (before = import_se_parse_time(o->before)) < 0)
        return usage_error("--before must look like 2016-09-29T14:21:57.723, not %s", o->before);
    if (o->space)
        return usage_error("%s", "ken import stackexchange takes no --space");
    struct db *db = open_db(o->db, 0);
    if (!db)
        return 1;
    struct import_stats stats;
    int rc = import_stackexchange(db, o->positional[1], before, stderr, isatty(2), &stats);
    db_close(db);
    return rc || stats.failed ? 1 : 0;
}

static int cmd_import(struct opts *o)
{
    int rc = need_db(o);
    if (rc)
        return rc;
    const char *kind = o->npositional == 2 ? o->positional[0] : "";
    if (strcmp(kind, "stackexchange") == 0)
        return cmd_import_stackexchange(o);
    if (o->before)
        return usage_error("%s", "--before is for ken import stackexchange");
    if (strcmp(kind, "markdown") != 0 && strcmp(kind, "mediawiki") != 0 &&
        strcmp(kind, "html") != 0)
        return usage_error("%s", "usage: ken import markdown|html DIR [--space NAME] --db PATH, "
                                 "or ken import mediawiki FILE.xml [--space NAME] --db PATH");
    struct db *db = open_db(o->db, 0);
    if (!db)
        return 1;
    struct import_stats stats;
    long attach_failed = 0;
    if (strcmp(kind, "mediawiki") == 0)
        rc = import_mediawiki(db, o->positional[1], o->space, stderr, isatty(2), &stats);
    else if (strcmp(kind, "html") == 0)
        rc = import_html(db, o->positional[1], o->space, stderr, isatty(2), &stats,
                         &attach_failed);
    else
        rc = import_markdown(db, o->positional[1], o->space, stderr, isatty(2), &stats);
    if (attach_failed)
        stats.failed++;
    db_close(db);
    return rc || stats.failed ? 1 : 0;
}

static int cmd_import_people(struct opts *o)
{
    struct db *db;
    int rc = command_db(o, 2,
                        "usage: ken import people FILE [--dry-run] [--mark-missing-as-left] "
                        "--db PATH",
                        &db);
    if (rc)
        return rc;
    struct import_people_options io = {.dry_run = o->dry_run,
                                       .mark_missing_as_left = o->mark_missing_as_left};
    struct import_people_stats stats;
    rc = import_people(db, o->positional[1], &io, stdout, stderr, isatty(2), &stats);
    db_close(db);
    return rc || stats.failed ? 1 : 0;
}

static int cmd_export(struct opts *o)
{
    int rc = need_db(o);
    if (rc)
        return rc;
    const char *kind = o->npositional == 2 ? o->positional[0] : "";
    if (strcmp(kind, "markdown") != 0 && strcmp(kind, "html") != 0)
        return usage_error("%s", "usage: ken export markdown|html DIR --db PATH");
    struct db *db = open_db(o->db, 0);
    if (!db)
        return 1;
    struct export_stats stats;
    rc = strcmp(kind, "html") == 0 ? export_html(db, o->positional[1], stderr, &stats)
                                   : export_markdown(db, o->positional[1], stderr, &stats);
    db_close(db);
    return rc || stats.failed ? 1 : 0;
}

static int cmd_backup(struct opts *o)
{
    struct db *db;
    int rc = command_db(o, 1, "usage: ken backup FILE --db PATH", &db);
    if (rc)
        return rc;
    char *err = NULL;
    rc = maint_backup(db, o->positional[0], stderr, &err);
    if (rc)
        fprintf(stderr, "ken: %s\n", err);
    else
        printf("Backed up %s to %s.\n", o->db, o->positional[0]);
    free(err);
    db_close(db);
    return rc ? 1 : 0;
}

static int cmd_check(struct opts *o, int reindex)
{
    struct db *db;
    int rc = command_db(o, -1, NULL, &db);
    if (rc)
        return rc;
    if (reindex) {
        rc = maint_reindex(db) == 0 ? 0 : 1;
        if (rc)
            fprintf(stderr, "ken: reindex failed: %s\n", db_errmsg(db));
        else
            printf("Rebuilt rendered pages, links and the search index of %s.\n", o->db);
    } else {
        int problems = maint_check(db, stdout);
        printf(problems ? "%s: %d problem(s) found\n" : "%s: ok\n", o->db, problems);
        rc = problems ? 1 : 0;
    }
    db_close(db);
    return rc;
}

/* Asks the next people about every open question nobody answered within a day of the last
 * round (serving ken also does this whenever questions or an inbox are looked at). */
static int cmd_route_questions(struct opts *o)
{
    struct db *db;
    int rc = command_db(o, -1, NULL, &db), n, total = 0;
    if (rc)
        return rc;
    while ((n = routing_run_due(db, (int64_t)time(NULL), 50)) > 0)
        total += n;
    if (n < 0)
        fprintf(stderr, "ken: routing questions failed: %s\n", db_errmsg(db));
    else
        printf("Asked the next people about %d question(s).\n", total);
    db_close(db);
    return n < 0 ? 1 : 0;
}

static int cmd_serve(struct opts *o)
{
    int rc = need_db(o);
    if (rc)
        return rc;
    if (!listen_valid(o->listen))
        return usage_error("--listen wants HOST:PORT with a port from 1 to 65535, such as "
                           "127.0.0.1:8080, not %s", o->listen);
    if ((o->trusted_header != NULL) != (o->trusted_proxy != NULL))
        return usage_error("%s", "--trusted-header and --trusted-proxy go together");
    if (access(o->db, F_OK) != 0) {
        fprintf(stderr, "ken: no database at %s; create one with: ken init --db %s\n", o->db, o->db);
        return 1;
    }
    struct db *db = open_db(o->db, 0);
    if (!db)
        return 1;
    rc = settings_load(db);
    db_close(db);
    if (rc != 0 || tmpl_init() != 0) {
        fprintf(stderr, "ken: cannot start\n");
        return 1;
    }
    struct config cfg = {
        .db_path = o->db,
        .listen = o->listen,
        .threads = o->threads ? o->threads : 256,
        .access_log = o->access_log ? o->access_log : "-",
        .trusted_header = o->trusted_header,
        .trusted_proxy = o->trusted_proxy,
        .max_body = o->max_body ? (size_t)o->max_body : (size_t)4 << 20,
        .max_upload = o->max_upload ? (size_t)o->max_upload : (size_t)20 << 20,
    };
    if (strcmp(cfg.access_log, "-") != 0 && strcmp(cfg.access_log, "off") != 0 &&
        !freopen(cfg.access_log, "a", stdout)) {
        fprintf(stderr, "ken: cannot open the access log %s: %s\n", cfg.access_log,
                strerror(errno));
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    rc = server_run(&cfg);
    tmpl_shutdown();
    return rc;
}

/* Returns 1 when the command is `name` followed by the argument `sub`, as in "ken user add". */
static int is_command(const char *cmd, const struct opts *o, const char *name, const char *sub)
{
    return strcmp(cmd, name) == 0 && o->npositional >= 1 && strcmp(o->positional[0], sub) == 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("ken %s\n", KEN_VERSION);
        return 0;
    }
    /* SQLite's memory statistics take one global mutex on every allocation, which all worker
     * threads then queue for; ken never reads them. Must come before any other SQLite call. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (auth_init() != 0) {
        fprintf(stderr, "ken: libsodium failed to start\n");
        return 1;
    }
    xmlInitParser();
    markdown_init();
    struct opts o;
    memset(&o, 0, sizeof o);
    const char *cmd = argv[1];
    int rc = parse_opts(argc - 2, argv + 2, &o);
    if (rc)
        return rc;
    if (strcmp(cmd, "init") == 0)
        rc = cmd_init(&o);
    else if (strcmp(cmd, "serve") == 0)
        rc = cmd_serve(&o);
    else if (is_command(cmd, &o, "user", "add"))
        rc = cmd_user_add(&o);
    else if (is_command(cmd, &o, "user", "password"))
        rc = cmd_user_password(&o);
    else if (is_command(cmd, &o, "import", "people"))
        rc = cmd_import_people(&o);
    else if (strcmp(cmd, "import") == 0)
        rc = cmd_import(&o);
    else if (strcmp(cmd, "export") == 0)
        rc = cmd_export(&o);
    else if (strcmp(cmd, "backup") == 0)
        rc = cmd_backup(&o);
    else if (strcmp(cmd, "check") == 0)
        rc = cmd_check(&o, 0);
    else if (strcmp(cmd, "route-questions") == 0)
        rc = cmd_route_questions(&o);
    else if (strcmp(cmd, "reindex") == 0)
        rc = cmd_check(&o, 1);
    else if (is_command(cmd, &o, "token", "add"))
        rc = cmd_token_add(&o);
    else if (is_command(cmd, &o, "audit", "verify") || is_command(cmd, &o, "audit", "prune"))
        rc = cmd_audit(&o);
    else
        rc = usage_error("unknown command: %s", cmd);
    xmlCleanupParser();
    return rc;
}
