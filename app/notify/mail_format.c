#include "notify/mail_format.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum {
    LINE_MAX_SOFT = 76,  /* header lines and quoted-printable lines stay within this */
    WORD_BYTES = 39,     /* bytes per encoded word: 52 base64 characters, 64 with the wrapper */
    HEADER_TEXT_MAX = 900, /* a header value longer than this is cut (at a character) */
};

const char *const mail_format_kinds[] = {"routed", "answer", "comment", "mention", "accepted",
                                         "endorsement", "page", NULL};

const char *mail_format_kind_label(const char *kind)
{
    static const char *const labels[][2] = {
        {"routed", "Questions ken asks me to answer"},
        {"answer", "Answers to my questions"},
        {"comment", "Comments on my questions and answers"},
        {"mention", "Mentions of me (@login)"},
        {"accepted", "My answers being accepted"},
        {"endorsement", "Endorsements of my skills"},
        {"page", "Changes to pages and spaces I watch"},
    };
    for (size_t i = 0; kind && i < sizeof labels / sizeof *labels; i++)
        if (strcmp(kind, labels[i][0]) == 0)
            return labels[i][1];
    return NULL;
}

/* ---- addresses */

static int atext(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

int mail_address_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    const char *at = n ? strchr(s, '@') : NULL;
    if (!at || n > MAIL_ADDRESS_MAX || at == s || !at[1] || strchr(at + 1, '@'))
        return 0;
    for (const char *p = s; p < at; p++) /* local part: a dot-atom */
        if (!atext((unsigned char)*p) &&
            (*p != '.' || p == s || p + 1 == at || p[1] == '.'))
            return 0;
    for (const char *p = at + 1; *p; p++) { /* domain: labels of letters, digits and hyphens */
        int c = (unsigned char)*p;
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && c != '-' && (c != '.' || p == at + 1 || !p[1] || p[1] == '.'))
            return 0;
    }
    return 1;
}

/* ---- headers */

/* Returns text with every control character as a space, runs of spaces as one, trimmed, cut
 * to HEADER_TEXT_MAX bytes at a character boundary; in a. */
static char *header_clean(struct arena *a, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    char *out = arena_alloc(a, n + 1), *w = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7F)
            c = ' ';
        if (c == ' ' && (w == out || w[-1] == ' '))
            continue;
        *w++ = (char)c;
    }
    while (w > out && w[-1] == ' ')
        w--;
    *w = 0;
    if (w - out > HEADER_TEXT_MAX) {
        size_t cut = HEADER_TEXT_MAX;
        while (cut && ((unsigned char)out[cut] & 0xC0) == 0x80)
            cut--;
        out[cut] = 0;
    }
    return out;
}

/* Returns 1 when s may stand in a header as it is: printable ASCII, nothing that reads as the
 * start of an encoded word. */
static int plain_ascii(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p >= 0x7F || (p[0] == '=' && p[1] == '?'))
            return 0;
    return 1;
}

/* Appends s (already clean) as encoded words of whole characters, folded between words. */
static void encoded_words(struct buf *b, const char *s)
{
    size_t n = strlen(s), i = 0;
    char b64[sodium_base64_ENCODED_LEN(WORD_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    while (i < n) {
        size_t take = n - i < WORD_BYTES ? n - i : WORD_BYTES;
        while (i + take < n && take > 1 && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--; /* never split a character between two words (RFC 2047 section 5) */
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + i, take,
                          sodium_base64_VARIANT_ORIGINAL);
        buf_printf(b, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
        i += take;
    }
}

void mail_format_header_text(struct buf *b, const char *text, size_t used)
{
    struct arena *a = arena_new();
    const char *s = header_clean(a, text);
    if (!plain_ascii(s)) {
        encoded_words(b, s);
        arena_free(a);
        return;
    }
    size_t col = used;
    int first = 1;
    for (const char *p = s; *p;) {
        size_t w = strcspn(p, " ");
        if (!first && col + 1 + w > LINE_MAX_SOFT) {
            buf_puts(b, "\r\n");
            col = 0;
        }
        if (!first)
            buf_putc(b, ' ');
        buf_append(b, p, w);
        col += w + !first;
        first = 0;
        p += w;
        p += *p == ' ';
    }
    arena_free(a);
}

void mail_format_mailbox(struct buf *b, const char *name, const char *addr)
{
    struct arena *a = arena_new();
    const char *s = header_clean(a, name);
    int atoms = 1;
    for (const char *p = s; *p; p++)
        atoms &= atext((unsigned char)*p) || *p == ' ';
    if (!*s)
        buf_puts(b, addr);
    else if (atoms)
        buf_printf(b, "%s <%s>", s, addr);
    else if (plain_ascii(s)) {
        buf_putc(b, '"');
        for (const char *p = s; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf_putc(b, '\\');
            buf_putc(b, *p);
        }
        buf_printf(b, "\" <%s>", addr);
    } else {
        encoded_words(b, s);
        buf_printf(b, " <%s>", addr);
    }
    arena_free(a);
}

void mail_format_date(char out[40], int64_t t)
{
    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
             months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

char *mail_format_message_id(struct arena *a, const char *from_addr)
{
    unsigned char r[16];
    char hex[33];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(hex, sizeof hex, r, sizeof r);
    const char *at = from_addr ? strchr(from_addr, '@') : NULL;
    return arena_printf(a, "<%s@%s>", hex, at ? at + 1 : "ken.invalid");
}

/* ---- body */

static void qp_line(struct buf *b, const char *s, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char tok[4];
        int literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && i + 1 < n);
        size_t t = literal ? 1 : 3;
        if (literal)
            tok[0] = (char)c;
        else
            snprintf(tok, sizeof tok, "=%02X", c);
        if (col + t > LINE_MAX_SOFT - 1) { /* room for the '=' of a soft line break */
            buf_puts(b, "=\r\n");
            col = 0;
        }
        buf_append(b, tok, t);
        col += t;
    }
    buf_puts(b, "\r\n");
}

void mail_format_qp(struct buf *b, const char *body)
{
    for (const char *p = body ? body : ""; *p;) {
        size_t n = strcspn(p, "\n");
        size_t len = n && p[n - 1] == '\r' ? n - 1 : n;
        qp_line(b, p, len);
        p += n + (p[n] == '\n');
    }
}

char *mail_format_message(struct arena *a, const struct mail_message *m)
{
    if (!mail_address_valid(m->from_addr) || !mail_address_valid(m->to_addr))
        return NULL;
    struct buf b;
    char date[40];
    buf_init(&b, 0);
    buf_puts(&b, "From: ");
    mail_format_mailbox(&b, m->from_name, m->from_addr);
    buf_puts(&b, "\r\nTo: ");
    mail_format_mailbox(&b, m->to_name, m->to_addr);
    buf_puts(&b, "\r\nSubject: ");
    mail_format_header_text(&b, m->subject, strlen("Subject: "));
    mail_format_date(date, m->date);
    buf_printf(&b, "\r\nDate: %s\r\nMessage-ID: %s\r\n", date, m->message_id);
    buf_puts(&b, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: quoted-printable\r\n"
                 "Auto-Submitted: auto-generated\r\n\r\n");
    mail_format_qp(&b, m->body);
    return arena_adopt(a, buf_take(&b));
}

/* ---- what each notice says */

static const char *or_ken(const char *name)
{
    return name && *name ? name : "ken";
}

static const char *question_link(struct arena *a, const struct mail_notice *n, const char *base)
{
    if (n->page_path && *n->page_path)
        return arena_printf(a, "%s/wiki/%s", base, n->page_path);
    if (n->answer_id)
        return arena_printf(a, "%s/questions/%lld#answer-%lld", base, (long long)n->question_id,
                            (long long)n->answer_id);
    return arena_printf(a, "%s/questions/%lld", base, (long long)n->question_id);
}

/* Writes the subject and opening of a notice about a question; 0, or -1 for another kind. */
static int question_notice(struct buf *s, struct buf *b, struct arena *a,
                           const struct mail_notice *n, const char *base)
{
    const char *who = or_ken(n->actor_name), *t = n->question_title, *text = n->text ? n->text : "";
    const char *link = question_link(a, n, base);
    if (!t || !*t)
        t = "a question";
    if (strcmp(n->kind, "routed") == 0) {
        buf_printf(s, "ken asks you: %s", t);
        buf_printf(b, "%s asked a question that ken thinks you can answer:\n\n  %s\n\n", who, t);
        if (*text)
            buf_printf(b, "Why you: %s\n\n", text);
        buf_printf(b, "Answer it here: %s\n", link);
    } else if (strcmp(n->kind, "answer") == 0) {
        buf_printf(s, "New answer: %s", t);
        buf_printf(b, "%s answered your question \"%s\":\n\n%s\n\nRead it: %s\n", who, t, text, link);
    } else if (strcmp(n->kind, "comment") == 0) {
        buf_printf(s, "New comment: %s", t);
        buf_printf(b, "%s commented on \"%s\":\n\n%s\n\nRead it: %s\n", who, t, text, link);
    } else if (strcmp(n->kind, "mention") == 0) {
        int page = n->page_path && *n->page_path;
        buf_printf(s, "%s mentioned you: %s", who, t);
        buf_printf(b, "%s mentioned you in %s\"%s\":\n\n%s\n\nRead it: %s\n", who,
                   page ? "the page " : "", t, text, link);
    } else if (strcmp(n->kind, "accepted") == 0) {
        buf_printf(s, "Your answer was accepted: %s", t);
        buf_printf(b, "%s accepted your answer to \"%s\".\n\nSee it: %s\n", who, t, link);
    } else {
        return -1;
    }
    return 0;
}

static void page_notice(struct buf *s, struct buf *b, const struct mail_notice *n,
                        const char *base)
{
    const struct mail_page_change *p = n->pages;
    int listed = 0;
    for (const struct mail_page_change *q = p; q; q = q->next)
        listed++;
    if (listed == 1 && !n->more_pages)
        buf_printf(s, "%s: %s", p->from_rev == 1 ? "New page" : "Page changed", p->title);
    else
        buf_printf(s, "%d pages you watch changed", listed + n->more_pages);
    buf_puts(b, "Changes to pages you watch:\n");
    for (; p; p = p->next) {
        buf_printf(b, "\n  %s (%s)\n", p->title, p->path);
        if (p->from_rev == 1)
            buf_printf(b, "  new page by %s\n", or_ken(p->authors));
        else
            buf_printf(b, "  %d %s by %s\n", p->count, p->count == 1 ? "change" : "changes",
                       or_ken(p->authors));
        if (p->from_rev == 1)
            buf_printf(b, "  %s/wiki/%s\n", base, p->path);
        else
            buf_printf(b, "  %s/diff/%s?from=%d&to=%d\n", base, p->path, p->from_rev - 1, p->to_rev);
    }
    if (n->more_pages)
        buf_printf(b, "\n...and %d more: %s/changes?watched=1\n", n->more_pages, base);
}

int mail_format_notice(struct arena *a, const struct mail_notice *n, const char *base,
                       const char **subject, const char **body)
{
    struct buf s, b;
    buf_init(&s, 0);
    buf_init(&b, 0);
    const char *who = or_ken(n->actor_name), *kind = n->kind ? n->kind : "";
    int rc = 0;
    if (strcmp(kind, "endorsement") == 0) {
        buf_printf(&s, "%s endorsed you for %s", who, n->skill ? n->skill : "a skill");
        buf_printf(&b, "%s endorsed you for %s: they have seen you do it.\n\nYour skills and "
                       "endorsements: %s/people/%s\n",
                   who, n->skill ? n->skill : "a skill", base, n->login ? n->login : "");
    } else if (strcmp(kind, "page") == 0 && n->pages) {
        page_notice(&s, &b, n, base);
    } else if (strcmp(kind, "test") == 0) {
        buf_puts(&s, "ken test e-mail");
        buf_printf(&b, "This is a test e-mail from ken at %s/.\n\nIf you can read it, ken can "
                       "send e-mail notifications.\n", base);
    } else {
        rc = question_notice(&s, &b, a, n, base);
    }
    const char *label = mail_format_kind_label(kind);
    if (label)
        buf_printf(&b, "\n-- \nYou get this e-mail because \"%s\" is on in your e-mail "
                       "settings. Choose which e-mails ken sends you: %s/inbox#email\n",
                   label, base);
    *subject = arena_adopt(a, buf_take(&s));
    *body = arena_adopt(a, buf_take(&b));
    return rc;
}
