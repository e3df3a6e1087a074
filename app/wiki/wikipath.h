/* wikipath: the naming rules of the wiki, with no database behind them: page paths (lowercase
 * [a-z0-9-] segments joined by '/'), page tags and attachment names. */
#ifndef KEN_WIKIPATH_H
#define KEN_WIKIPATH_H
#include "core/arena.h"
#include <stddef.h>

enum { WIKIPATH_MAX = 200, WIKIPATH_SEGMENT_MAX = 64, WIKIPATH_DEPTH_MAX = 8 };

/* Returns NULL when `path` is a valid page path, else a message saying what is wrong. */
const char *wikipath_check(const char *path);
/* Returns the space (first segment) of a valid path, in a. */
char *wikipath_space(struct arena *a, const char *path);
/* Returns a path segment made from free text ("Connecting to the VPN!" -> "connecting-to-the-vpn"),
 * in a; "" when nothing usable is left. Cut to WIKIPATH_SEGMENT_MAX. */
char *wikipath_slug(struct arena *a, const char *text);
/* Returns the parent path of `path` ("a/b/c" -> "a/b"), or NULL for a top-level path. In a. */
char *wikipath_parent(struct arena *a, const char *path);

/* Page tags. Stored tag lists (revisions, questions) separate tags with a comma, since a tag may
 * hold spaces ("dev environment"); walk one with strcspn(p, PAGE_TAGS_SEP). */
#define PAGE_TAGS_SEP ","
/* Normalises a tag list typed by a person ("Python, on-call,  Dev   Environment") into the stored
 * form "python,on-call,dev environment" in a: comma- (or line-) separated, lowercase, inner spaces
 * kept as one, duplicates dropped. Returns NULL with *why when a tag is not acceptable. */
char *page_tags_normalise(struct arena *a, const char *in, const char **why);
/* Returns a stored tag list as a person types it ("python, dev environment"), in a. */
const char *page_tags_text(struct arena *a, const char *tags);

enum { ATTACH_NAME_MAX = 100 };
/* Returns NULL when `name` is a valid attachment name (1-100 characters from [A-Za-z0-9._-],
 * not starting with a dot), else a message saying what is wrong (static text). */
const char *attach_name_check(const char *name);
/* Returns a valid name made from a file name a browser sent ("C:\My Photo (1).PNG" ->
 * "My-Photo-1.PNG"), in a; NULL when nothing usable is left. */
char *attach_name_from_filename(struct arena *a, const char *filename);

#endif
