#include "markup/url.h"

const char *url_person(struct arena *a, const char *login)
{
    return arena_printf(a, "/people/%s", login);
}

const char *url_page(struct arena *a, const char *path)
{
    return arena_printf(a, "/wiki/%s", path);
}

const char *url_skill(struct arena *a, const char *slug)
{
    return arena_printf(a, "/skills/%s", slug);
}

const char *url_community(struct arena *a, const char *slug)
{
    return arena_printf(a, "/communities/%s", slug);
}

const char *url_question(struct arena *a, int64_t id)
{
    return arena_printf(a, "/questions/%lld", (long long)id);
}
