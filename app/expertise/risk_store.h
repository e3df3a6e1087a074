/* risk_store: knowledge at risk (the SQL and its rows): topics whose evidence rests on one or two people, and what would be
 * lost if someone left. Topics are page tags (who wrote the tagged pages) and skills (who has
 * them at practised or expert level). People who left count as nobody. */
#ifndef KEN_RISK_STORE_H
#define KEN_RISK_STORE_H
#include "core/arena.h"
#include "core/db.h"

struct risk_topic {
    const char *kind;    /* "tag" or "skill" */
    const char *name;    /* the tag, or the skill's name */
    const char *slug;    /* link target: the tag, or the skill's slug */
    int holders;         /* people still here who carry it (0, 1 or 2) */
    const char *who;     /* their names, comma-separated ("" when nobody) */
    const char *gone;    /* names of people who left and carried it */
    int pages;           /* pages with the tag (0 for skills) */
    struct risk_topic *next;
};

/* Topics carried by at most two people, worst first (nobody, then one, then two; more pages
 * first). When user_id > 0, only the topics that person carries: what is lost if they leave. */
struct risk_topic *risk_store_topics(struct db *db, struct arena *a, int64_t user_id, int limit);

#endif
