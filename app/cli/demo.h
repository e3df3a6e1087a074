/* demo: the fictional company Northwind Loom (web/demo/), for `ken init --demo`. */
#ifndef KEN_DEMO_H
#define KEN_DEMO_H
#include "core/db.h"

/* Creates the demo people (all with `password`) and pages with their history. Returns 0, or -1
 * after printing what went wrong. Writes the admin's login to admin_login (64 bytes). */
int demo_load(struct db *db, const char *password, char admin_login[64]);

#endif
