/* mail_format: the text of ken's e-mails. Messages follow RFC 5322 with MIME (RFC 2045): every
 * header value is made safe (CR, LF and other control characters become spaces, so nothing a
 * person typed can start a header), non-ASCII text in headers is written as RFC 2047 encoded
 * words, and the body is UTF-8 plain text in quoted-printable. Dot-stuffing (RFC 5321 4.5.2) is
 * not done here: libcurl does it while it uploads the message. No SQL and no network here. */
#ifndef KEN_MAIL_FORMAT_H
#define KEN_MAIL_FORMAT_H
#include "core/arena.h"
#include "core/buf.h"

#include <stdint.h>

enum { MAIL_ADDRESS_MAX = 254 };

/* Returns 1 when s is an address ken sends to or from: local@domain in printable ASCII, at most
 * MAIL_ADDRESS_MAX bytes, one @, no spaces, quotes, brackets, commas or control characters. */
int mail_address_valid(const char *s);

/* One message to write. Strings are UTF-8; names and subject may hold anything. */
struct mail_message {
    const char *from_name, *from_addr; /* from_addr must pass mail_address_valid */
    const char *to_name, *to_addr;     /* to_name may be "" or NULL */
    const char *subject;
    const char *body;                  /* lines end with \n (a \r before it is dropped) */
    int64_t date;                      /* Unix time for the Date header */
    const char *message_id;            /* "<...@...>", from mail_format_message_id */
};

/* Returns the whole message (headers, blank line, quoted-printable body) with CRLF line ends,
 * in a; NULL when an address is not valid. */
char *mail_format_message(struct arena *a, const struct mail_message *m);
/* Returns a new "<32 random hex digits@domain>" in a, the domain taken from from_addr. */
char *mail_format_message_id(struct arena *a, const char *from_addr);
/* Writes "Thu, 26 Nov 2026 14:05:00 +0000" (RFC 5322 date, UTC) for t into out. */
void mail_format_date(char out[40], int64_t t);
/* Appends `text` as the value of an unstructured header whose line already holds `used` bytes:
 * control characters become spaces; printable ASCII stays as it is, folded at spaces; anything
 * else becomes RFC 2047 "B" encoded words of whole characters, one per folded line. */
void mail_format_header_text(struct buf *b, const char *text, size_t used);
/* Appends a display name and address as "Name <addr>" (the name as an atom run, a quoted
 * string or encoded words, whichever it needs), or just "addr" for an empty name. */
void mail_format_mailbox(struct buf *b, const char *name, const char *addr);
/* Appends body (\n line ends) as quoted-printable with CRLF line ends and lines of at most 76. */
void mail_format_qp(struct buf *b, const char *body);

/* A page that changed, for the digest sent to people who watch it. */
struct mail_page_change {
    const char *path, *title, *authors; /* authors: "Priya Raman, Callum Reid" */
    int count;                          /* revisions since the last digest */
    int from_rev, to_rev;               /* the first and last of them */
    struct mail_page_change *next;
};

/* What one notice says, gathered from the database by mail_store. */
struct mail_notice {
    const char *kind;           /* an inbox kind, "endorsement", "page" or "test" */
    const char *actor_name;     /* who did it; "" or NULL: ken */
    const char *question_title; /* questions (or, for a mention in a page, its title); else "" */
    const char *page_path;      /* a mention in a wiki page; else "" or NULL */
    int64_t question_id, answer_id;
    const char *text;           /* why they were asked, or an excerpt */
    const char *skill;          /* endorsements */
    const char *login;          /* the recipient's login (endorsements link their profile) */
    const struct mail_page_change *pages; /* page digests */
    int more_pages;             /* page digests: pages changed beyond those listed */
};

/* Sets *subject and *body (plain text, \n line ends, in a) for notice n; base is ken's public
 * address without a trailing slash, used for every link. Returns 0, or -1 for an unknown kind. */
int mail_format_notice(struct arena *a, const struct mail_notice *n, const char *base,
                       const char **subject, const char **body);
/* Returns the label of an e-mail kind as the settings page shows it, or NULL for no such kind. */
const char *mail_format_kind_label(const char *kind);
/* The kinds a person can turn off, in the order the settings page lists them; NULL-terminated. */
extern const char *const mail_format_kinds[];

#endif
