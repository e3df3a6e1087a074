/* A fresh, migrated database in a temporary directory for one test program, and its removal. */
#ifndef KEN_TESTDB_H
#define KEN_TESTDB_H
#include "check.h"
#include "core/db.h"
#include "core/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct testdb {
    char dir[32], path[64];
};

/* Returns the new database (t->path, in t->dir), or NULL after a failed CHECK. */
static inline struct db *testdb_open(struct testdb *t)
{
    snprintf(t->dir, sizeof t->dir, "/tmp/ken-test-XXXXXX");
    CHECK(mkdtemp(t->dir) != NULL);
    snprintf(t->path, sizeof t->path, "%s/k.db", t->dir);
    char *err = NULL;
    struct db *db = db_open(t->path, DB_CREATE, &err);
    CHECK(db && migrate_apply(db, &err) == 0);
    if (err)
        fprintf(stderr, "testdb: %s\n", err);
    free(err);
    return db;
}

/* Removes the database's files (close it first) and the directory. */
static inline void testdb_remove(const struct testdb *t)
{
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char f[80];
        snprintf(f, sizeof f, "%s%s", t->path, suffix[i]);
        unlink(f);
    }
    rmdir(t->dir);
}

#endif
