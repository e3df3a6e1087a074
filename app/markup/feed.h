/* feed: Atom 1.0 documents (RFC 4287), written with libxml2's xmlTextWriter so every piece of
 * text is escaped by the writer. No storage, no HTTP. */
#ifndef KEN_FEED_H
#define KEN_FEED_H
#include <stddef.h>
#include <stdint.h>

struct feed_entry {
    const char *id;      /* a stable IRI, e.g. a tag: URI */
    const char *title;   /* plain text */
    const char *link;    /* absolute URL of the entry's page */
    const char *author;  /* the author's name */
    const char *summary; /* plain text; NULL or "" leaves the element out */
    const char *content; /* HTML that ken built (user text already escaped), sent as type="html" */
    int64_t updated;     /* seconds since the epoch */
};

struct feed {
    const char *id, *title;
    const char *self;      /* absolute URL of the feed itself (rel="self") */
    const char *alternate; /* absolute URL of the same list as an HTML page */
    int64_t updated;       /* the newest entry's time, or now for an empty feed */
    const struct feed_entry *entries;
    size_t n;
};

/* Returns the Atom document for f (UTF-8, with an XML declaration), malloc'd (caller frees), its
 * length in *len. Characters that XML 1.0 forbids (C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF, broken UTF-8) are dropped from every string. Returns NULL if libxml2 fails. */
char *feed_atom(const struct feed *f, size_t *len);

/* Writes t as RFC 3339 UTC ("2026-11-26T14:05:00Z") into out (at least 21 bytes). */
void feed_time(char out[32], int64_t t);

#endif
