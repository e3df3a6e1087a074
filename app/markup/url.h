/* url: the one place ken's own addresses are built (cgit's ui-shared.h), so a page, a person or
 * a skill is linked the same way from every handler, feed, mail and picture. The names they
 * take are already checked (logins, page paths and slugs hold no character a URL path must
 * escape). Each returns a string in a. */
#ifndef KEN_URL_H
#define KEN_URL_H
#include "core/arena.h"

#include <stdint.h>

const char *url_person(struct arena *a, const char *login);    /* /people/LOGIN */
const char *url_page(struct arena *a, const char *path);       /* /wiki/PATH */
const char *url_skill(struct arena *a, const char *slug);      /* /skills/SLUG */
const char *url_community(struct arena *a, const char *slug);  /* /communities/SLUG */
const char *url_question(struct arena *a, int64_t id);         /* /questions/ID */

#endif
