#include "people_search.h"
#include "buf.h"

#include <string.h>

/* One word matches a person when it starts a word of any public field. "% w%" in a field padded
 * with a space finds word starts; the LIKE is case-insensitive for ASCII. */
#define WORD_MATCHES(W)                                                                            \
    "(:" W " = '' OR ' ' || u.name || ' ' || p.title || ' ' || coalesce(d.name, '') || ' ' || "   \
    "coalesce(t.name, '') LIKE '% ' || :" W " || '%' ESCAPE '\\' "                                 \
    "OR EXISTS (SELECT 1 FROM person_skills ps JOIN skills s ON s.id = ps.skill_id WHERE "         \
    "ps.user_id = u.id AND (' ' || s.name LIKE '% ' || :" W " || '%' ESCAPE '\\' OR EXISTS "        \
    "(SELECT 1 FROM skill_aliases sa WHERE sa.skill_id = s.id AND sa.alias LIKE :" W " || '%' "     \
    "ESCAPE '\\'))) "                                                                              \
    "OR EXISTS (SELECT 1 FROM community_members cm JOIN communities c ON c.id = cm.community_id "    \
    "WHERE cm.user_id = u.id AND cm.role IN ('owner', 'member') AND ' ' || c.name LIKE '% ' || :"  \
    W " || '%' ESCAPE '\\') "                                                                       \
    "OR (' ' || p.ask_me_about LIKE '% ' || :" W " || '%' ESCAPE '\\' AND NOT EXISTS (SELECT 1 "    \
    "FROM profile_visibility v WHERE v.user_id = u.id AND v.field = 'ask_me_about' AND v.level "    \
    "<> 'everyone'))) "

static const char *const SQL_PEOPLE =
    "SELECT u.login, u.name, p.title, coalesce(d.name, '') FROM users u "
    "JOIN profiles p ON p.user_id = u.id LEFT JOIN departments d ON d.id = p.department_id "
    "LEFT JOIN teams t ON t.id = p.team_id "
    "WHERE u.disabled = 0 AND p.left_at IS NULL AND :any <> '' AND " WORD_MATCHES("w1")
    "AND " WORD_MATCHES("w2") "AND " WORD_MATCHES("w3") "AND " WORD_MATCHES("w4")
    "ORDER BY u.name COLLATE NOCASE LIMIT :limit";

/* The n-th word of s (letters, digits and UTF-8), with LIKE's % _ \ escaped; "" when none. */
static const char *word(struct arena *a, const char *s, int n)
{
    for (int i = 0; s && *s; i++) {
        while (*s && !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                       (*s >= '0' && *s <= '9') || (unsigned char)*s >= 0x80))
            s++;
        const char *start = s;
        while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
               (unsigned char)*s >= 0x80 || *s == '+' || *s == '#' || *s == '.')
            s++;
        if (s == start)
            break;
        if (i == n) {
            struct buf b;
            buf_init(&b, 0);
            for (const char *c = start; c < s && b.len < 64; c++) {
                if (*c == '%' || *c == '_' || *c == '\\')
                    buf_putc(&b, '\\');
                buf_putc(&b, *c);
            }
            return arena_adopt(a, buf_take(&b));
        }
    }
    return "";
}

struct people_hit *people_search(struct db *db, struct arena *a, const char *words, int limit)
{
    sqlite3_stmt *st = db_stmt(db, SQL_PEOPLE);
    const char *w1 = word(a, words, 0);
    db_bind_text(st, ":any", w1);
    db_bind_text(st, ":w1", w1);
    db_bind_text(st, ":w2", word(a, words, 1));
    db_bind_text(st, ":w3", word(a, words, 2));
    db_bind_text(st, ":w4", word(a, words, 3));
    db_bind_int(st, ":limit", limit);
    struct people_hit *head = NULL, **tail = &head;
    while (db_step(st) == SQLITE_ROW) {
        struct people_hit *h = arena_alloc(a, sizeof *h);
        h->login = arena_strdup(a, db_col_text(st, 0));
        h->name = arena_strdup(a, db_col_text(st, 1));
        h->title = arena_strdup(a, db_col_text(st, 2));
        h->department = arena_strdup(a, db_col_text(st, 3));
        *tail = h;
        tail = &h->next;
    }
    sqlite3_reset(st);
    return head;
}
