/* seed: what every new wiki starts with: the page templates under templates/. */
#ifndef KEN_SEED_H
#define KEN_SEED_H
#include "core/db.h"

/* Creates the pages templates/NAME from web/page-templates/NAME.md where they do not exist yet.
 * Returns 0, or -1 after printing what went wrong. */
int seed_page_templates(struct db *db);

#endif
