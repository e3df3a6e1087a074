#include "wiki/seed.h"
#include "core/embed.h"
#include "markup/frontmatter.h"
#include "wiki/page_store.h"

#include <stdio.h>
#include <string.h>

int seed_page_templates(struct db *db)
{
    static const char prefix[] = "web/page-templates/";
    struct arena *a = arena_new();
    int rc = 0;
    for (const struct embed_file *f = embed_files; f->name && rc == 0; f++) {
        size_t n = strlen(f->name);
        if (strncmp(f->name, prefix, sizeof prefix - 1) != 0 || n < 4 ||
            strcmp(f->name + n - 3, ".md") != 0)
            continue;
        const char *name = f->name + sizeof prefix - 1;
        char *path = arena_printf(a, "templates/%.*s", (int)(strlen(name) - 3), name);
        if (page_store_get(db, a, path))
            continue;
        struct page_edit e = {
            .path = path,
            .title = frontmatter_get(a, f->data, "title"),
            .tags = frontmatter_get(a, f->data, "tags"),
            .markdown = frontmatter_body(f->data),
            .summary = "Template that comes with ken",
            .base_rev = 0,
            .author_id = 0, /* ken itself */
        };
        int rev;
        const char *why;
        enum page_save_result res = page_store_save(db, a, &e, &rev, &why);
        if (res != PAGE_CREATED) {
            fprintf(stderr, "ken: cannot create %s: %s\n", path, why);
            rc = -1;
        }
    }
    arena_free(a);
    return rc;
}
