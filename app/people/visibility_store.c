#include "people/visibility_store.h"

int people_visibility_load(struct db *db, int64_t subject_id, enum visibility *levels)
{
    int i = 0;
    for (const struct profile_field *f = people_fields; f->name; f++)
        levels[i++] = f->dflt;
    sqlite3_stmt *st = db_stmt(db, "SELECT field, level FROM profile_visibility WHERE user_id = :u");
    db_bind_int(st, ":u", subject_id);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        const struct profile_field *f = people_field(db_col_text(st, 0));
        enum visibility v = visibility_parse(db_col_text(st, 1));
        if (f && !f->fixed && (int)v >= 0)
            levels[f - people_fields] = v;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
