#include "wiki/views_store.h"

int views_store_add(struct db *db, int64_t page_id, int64_t day, int64_t n)
{
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO page_views(page_id, day, views) "
                                   "SELECT :page, :day, :n "
                                   "WHERE EXISTS (SELECT 1 FROM pages WHERE id = :page) "
                                   "ON CONFLICT(page_id, day) DO UPDATE SET views = views + :n");
    db_bind_int(st, ":page", page_id);
    db_bind_int(st, ":day", day);
    db_bind_int(st, ":n", n);
    return db_run(st);
}
