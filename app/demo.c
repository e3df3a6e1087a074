#include "demo.h"
#include "arena.h"
#include "auth.h"
#include "buf.h"
#include "embed.h"
#include "frontmatter.h"
#include "page_store.h"
#include "user_store.h"

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
    return n > 0 ? 0 : -1;
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

/* One page file: a header block, the first text, then "+++ author: x; summary: y" appendices. */
static int load_page(struct db *db, struct arena *a, const struct embed_file *f, int64_t when)
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
        e.at += 86400 * (3 + (rev * 7) % 40); /* later edits come days to weeks after */
        buf_puts(&text, "\n");
        p = eol + 1;
    }
    buf_free(&text);
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
    /* Spread the first versions over the past year, oldest first. */
    int64_t start = (int64_t)time(NULL) - 330 * 86400;
    int i = 0;
    for (const struct embed_file *f = embed_files; f->name; f++) {
        if (strncmp(f->name, "web/demo/pages/", 15) != 0 || !strstr(f->name, ".md"))
            continue;
        if (load_page(db, a, f, start + (int64_t)(i++) * 86400 * 4) != 0)
            goto done;
    }
    /* Pages link to pages created after them: render every page again now that all exist. */
    rc = page_store_reindex(db, a);
    /* Two pages in three were checked by their owners in the last few months; the rest are due,
     * so the freshness reports have something to show. */
    sqlite3_stmt *st = db_stmt(db, "UPDATE pages SET verified_by = created_by, verified_at = "
                                   ":now - (id % 7) * 9 * 86400 WHERE id % 3 <> 0");
    db_bind_int(st, ":now", (int64_t)time(NULL));
    if (rc == 0)
        rc = db_run(st);
done:
    arena_free(a);
    return rc;
}
