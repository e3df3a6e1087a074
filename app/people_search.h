/* people_search: people found by the search box, by what every signed-in reader may see of
 * them: name, job title, department, team, declared skills (names and aliases), communities, and
 * "ask me about" when the person shows it to everyone. Nothing HR-only or private is matched. */
#ifndef KEN_PEOPLE_SEARCH_H
#define KEN_PEOPLE_SEARCH_H
#include "arena.h"
#include "db.h"

struct people_hit {
    const char *login, *name, *title, *department;
    struct people_hit *next;
};

/* People matching every word of `words` (at most 4 are used; each a prefix of a word in one of
 * the fields above), people who left excluded, by name; at most limit. In a. */
struct people_hit *people_search(struct db *db, struct arena *a, const char *words, int limit);

#endif
