/* wikitext: MediaWiki markup to ken's Markdown. Headings, emphasis, lists, links, tables,
 * <pre>/<syntaxhighlight>, <nowiki>, <ref> and <br> are converted; templates are kept as code;
 * what cannot be converted is kept as text. Broken markup never stops it. */
#ifndef KEN_WIKITEXT_H
#define KEN_WIKITEXT_H
#include "core/arena.h"

struct wikitext_opts {
    const char *space; /* the space pages are imported into: [[T]] becomes [[space/t|T]] */
    /* The wiki's namespace names ("Talk", "Help", ...), NULL-terminated, from the export's
     * <siteinfo>; NULL: MediaWiki's English defaults. "Category", "File", "Image" and "Media"
     * are always known. */
    const char *const *namespaces;
    const char *category_ns, *file_ns; /* local names of namespaces 14 and 6, or NULL */
};

/* Returns the page path for MediaWiki title `title` ("Help:Getting started/Linux" ->
 * "space/help/getting-started/linux"), in a; NULL when no valid path can be made. Segments that
 * slug to nothing (titles in other scripts) become "p-" and a hash of the text. */
char *wikitext_title_path(struct arena *a, const struct wikitext_opts *o, const char *title);

/* Returns Markdown for `text` in a; never NULL. When tags is not NULL, *tags gets the page's
 * categories as ken tags ("networking how-to", in a; "" when none). Categories that cannot be
 * tags (more than 20, or no usable letters) are listed as text at the end instead. */
char *wikitext_to_markdown(struct arena *a, const char *text, const struct wikitext_opts *o,
                           char **tags);

#endif
