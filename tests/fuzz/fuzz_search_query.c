/* libFuzzer: whatever is typed into the search box becomes an FTS5 expression that SQLite
 * accepts. An error from MATCH would be a 500 for the person searching: abort. */
#include "search/search_query.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static sqlite3 *db;
static sqlite3_stmt *st;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize = 'porter unicode61 "
                         "remove_diacritics 2'); INSERT INTO t VALUES ('deploying kubernetes', "
                         "'café crème'), ('tar extract', 'git rebase');",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1, &st, NULL) != SQLITE_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *q = malloc(size + 1);
    memcpy(q, data, size);
    q[size] = 0;
    struct arena *a = arena_new();
    struct search_query sq;
    search_query_parse(a, q, &sq);
    if (sq.fts) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, sq.fts, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW)
            abort(); /* the parser made an expression FTS5 refuses */
    }
    sqlite3_reset(st);
    arena_free(a);
    free(q);
    return 0;
}
