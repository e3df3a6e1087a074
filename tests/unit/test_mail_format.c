/* E-mail text: addresses, safe headers (no injection), RFC 2047 words, quoted-printable bodies,
 * whole messages and what each notice says. */
#include "check.h"
#include "notify/mail_format.h"

#include <sodium.h>
#include <stdlib.h>

static const char *header(struct arena *a, const char *text, size_t used)
{
    struct buf b;
    buf_init(&b, 0);
    mail_format_header_text(&b, text, used);
    return arena_adopt(a, buf_take(&b));
}

static const char *mailbox(struct arena *a, const char *name, const char *addr)
{
    struct buf b;
    buf_init(&b, 0);
    mail_format_mailbox(&b, name, addr);
    return arena_adopt(a, buf_take(&b));
}

static const char *qp(struct arena *a, const char *body)
{
    struct buf b;
    buf_init(&b, 0);
    mail_format_qp(&b, body);
    return arena_adopt(a, buf_take(&b));
}

/* Returns 1 when every line of s ends with CRLF, no bare CR or LF, each at most max bytes. */
static int lines_ok(const char *s, size_t max)
{
    size_t col = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '\n' && (p == s || p[-1] != '\r'))
            return 0;
        if (*p == '\r' && p[1] != '\n')
            return 0;
        if (*p == '\n') {
            col = 0;
            continue;
        }
        if (*p != '\r' && ++col > max)
            return 0;
    }
    return 1;
}

/* Returns 1 when the n bytes at s are whole UTF-8 characters. */
static int whole_chars(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t len = s[i] < 0x80 ? 1 : (s[i] & 0xE0) == 0xC0 ? 2 : (s[i] & 0xF0) == 0xE0 ? 3
                                 : (s[i] & 0xF8) == 0xF0       ? 4
                                                               : 0;
        if (!len || i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
        i += len;
    }
    return 1;
}

/* Decodes a run of "=?UTF-8?B?...?=" words separated by folding; NULL when one is malformed,
 * longer than 75 characters or splits a character. */
static char *decode_words(struct arena *a, const char *s)
{
    struct buf out;
    buf_init(&out, 0);
    while (*s) {
        while (*s == '\r' || *s == '\n' || *s == ' ')
            s++;
        const char *end = strstr(s, "?=");
        if (strncmp(s, "=?UTF-8?B?", 10) != 0 || !end || end + 2 - s > 75) {
            buf_free(&out);
            return NULL;
        }
        unsigned char bin[128];
        size_t n = 0;
        if (sodium_base642bin(bin, sizeof bin, s + 10, (size_t)(end - s - 10), NULL, &n, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            !whole_chars(bin, n)) {
            buf_free(&out);
            return NULL;
        }
        buf_append(&out, bin, n);
        s = end + 2;
    }
    return arena_adopt(a, buf_take(&out));
}

/* Undoes quoted-printable (soft breaks and =XX), CRLF becoming LF. */
static char *qp_decode(struct arena *a, const char *s)
{
    struct buf out;
    buf_init(&out, 0);
    for (const char *p = s; *p; p++) {
        if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
            p += 2;
        } else if (p[0] == '=' && p[1] && p[2]) {
            char hex[3] = {p[1], p[2], 0};
            buf_putc(&out, (char)strtol(hex, NULL, 16));
            p += 2;
        } else if (*p != '\r') {
            buf_putc(&out, *p);
        }
    }
    return arena_adopt(a, buf_take(&out));
}

static void addresses(void)
{
    CHECK(mail_address_valid("ana@example.com"));
    CHECK(mail_address_valid("a.b+tag@mail.example.co.uk"));
    CHECK(mail_address_valid("ops@localhost"));
    CHECK(!mail_address_valid(NULL));
    CHECK(!mail_address_valid(""));
    CHECK(!mail_address_valid("no-at-sign"));
    CHECK(!mail_address_valid("@example.com"));
    CHECK(!mail_address_valid("ana@"));
    CHECK(!mail_address_valid("ana@b@c.com"));
    CHECK(!mail_address_valid("ana lima@example.com"));
    CHECK(!mail_address_valid("ana@example.com\r\nBcc: eve@example.com"));
    CHECK(!mail_address_valid("ana@example.com\n"));
    CHECK(!mail_address_valid("<ana@example.com>"));
    CHECK(!mail_address_valid("\"ana\"@example.com"));
    CHECK(!mail_address_valid("ana@exa mple.com"));
    CHECK(!mail_address_valid("ana@example..com"));
    CHECK(!mail_address_valid(".ana@example.com"));
    CHECK(!mail_address_valid("ana.@example.com"));
    CHECK(!mail_address_valid("an..a@example.com"));
    CHECK(!mail_address_valid("ana@example.com,eve@example.com"));
    CHECK(!mail_address_valid("zoë@example.com"));
    char longest[300];
    memset(longest, 'a', 250);
    strcpy(longest + 250, "@x.io"); /* 255 bytes */
    CHECK(!mail_address_valid(longest));
    longest[1] = '@', longest[2] = 0; /* "a@" */
    CHECK(!mail_address_valid(longest));
}

static void headers(struct arena *a)
{
    char date[40];
    mail_format_date(date, 0);
    CHECK_STR(date, "Thu, 01 Jan 1970 00:00:00 +0000");
    mail_format_date(date, 1795683900); /* 2026-11-26 09:05 UTC */
    CHECK_STR(date, "Thu, 26 Nov 2026 09:05:00 +0000");

    CHECK_STR(header(a, "How do I rotate the VPN keys?", 9), "How do I rotate the VPN keys?");
    /* CR and LF never reach the header: the text stays one line, Bcc is only words in it. */
    CHECK_STR(header(a, "Hello\r\nBcc: eve@example.com", 9), "Hello Bcc: eve@example.com");
    CHECK_STR(header(a, "a\nb\rc\td\x01" "e\x7f", 9), "a b c d e");
    CHECK_STR(header(a, "  spaced   out  ", 9), "spaced out");
    CHECK_STR(header(a, "Grüße aus Köln", 9), "=?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=");
    CHECK_STR(decode_words(a, header(a, "Grüße aus Köln", 9)), "Grüße aus Köln");
    /* Text that looks like an encoded word is encoded, so it reads as typed. */
    const char *tricky = header(a, "=?UTF-8?B?QmNjOiBldmU=?=", 9);
    CHECK(strncmp(tricky, "=?UTF-8?B?", 10) == 0);
    CHECK_STR(decode_words(a, tricky), "=?UTF-8?B?QmNjOiBldmU=?=");

    /* Long non-ASCII text: several words, none over 75, none splitting a character, folded. */
    const char *jp = "日本語のタイトルはとても長いので、いくつかの符号化された単語に分けなければ"
                     "なりません。改行\r\nBcc: eve@example.com も含みます";
    const char *h = header(a, jp, 9);
    CHECK(strstr(h, "\r\n ") != NULL);
    CHECK(lines_ok(h, 76));
    CHECK_STR(decode_words(a, h), "日本語のタイトルはとても長いので、いくつかの符号化された単語に分け"
                                  "なければなりません。改行 Bcc: eve@example.com も含みます");
    const char *emoji = header(a, "🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀", 9);
    CHECK_STR(decode_words(a, emoji), "🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀🚀");

    /* Long ASCII folds at spaces and unfolds to the same text. */
    const char *words = "one two three four five six seven eight nine ten eleven twelve thirteen "
                        "fourteen fifteen sixteen seventeen eighteen nineteen twenty";
    h = header(a, words, 9);
    CHECK(strstr(h, "\r\n ") != NULL);
    CHECK(lines_ok(arena_printf(a, "Subject: %s", h), 76));
    char *unfolded = arena_strdup(a, h), *w = unfolded;
    for (const char *p = h; *p; p++)
        if (*p != '\r' && *p != '\n')
            *w++ = *p;
    *w = 0;
    CHECK_STR(unfolded, words);

    CHECK_STR(mailbox(a, "Priya Raman", "priya@example.com"), "Priya Raman <priya@example.com>");
    CHECK_STR(mailbox(a, "", "priya@example.com"), "priya@example.com");
    CHECK_STR(mailbox(a, NULL, "priya@example.com"), "priya@example.com");
    CHECK_STR(mailbox(a, "O'Brien, Pat", "pat@example.com"), "\"O'Brien, Pat\" <pat@example.com>");
    CHECK_STR(mailbox(a, "Say \"hi\" \\o/", "x@example.com"),
              "\"Say \\\"hi\\\" \\\\o/\" <x@example.com>");
    CHECK_STR(mailbox(a, "Eve\r\nBcc: all@example.com", "eve@example.com"),
              "\"Eve Bcc: all@example.com\" <eve@example.com>");
    CHECK_STR(mailbox(a, "Zoë", "zoe@example.com"), "=?UTF-8?B?Wm/Dqw==?= <zoe@example.com>");

    const char *id = mail_format_message_id(a, "ken@example.com");
    CHECK(strlen(id) == 1 + 32 + strlen("@example.com>"));
    CHECK(id[0] == '<' && strspn(id + 1, "0123456789abcdef") == 32);
    CHECK_STR(id + 33, "@example.com>");
    CHECK(strcmp(id, mail_format_message_id(a, "ken@example.com")) != 0);
}

static void bodies(struct arena *a)
{
    CHECK_STR(qp(a, "héllo = world \n"), "h=C3=A9llo =3D world=20\r\n");
    CHECK_STR(qp(a, "one\n\ntwo"), "one\r\n\r\ntwo\r\n");
    CHECK_STR(qp(a, "crlf\r\nin\r\n"), "crlf\r\nin\r\n");
    CHECK_STR(qp(a, "tab\tend\t\n"), "tab\tend=09\r\n");
    /* A line that is a lone dot stays one: libcurl dot-stuffs while sending (checked e2e). */
    CHECK_STR(qp(a, "before\n.\nafter\n"), "before\r\n.\r\nafter\r\n");
    CHECK_STR(qp(a, ""), "");
    char long_line[301];
    memset(long_line, 'a', 300);
    long_line[300] = 0;
    const char *enc = qp(a, arena_printf(a, "%s\nü%s€\n", long_line, long_line));
    CHECK(lines_ok(enc, 76));
    CHECK(strstr(enc, "=\r\n") != NULL);
    CHECK_STR(qp_decode(a, enc), arena_printf(a, "%s\nü%s€\n", long_line, long_line));
}

/* The header block of msg (up to the blank line), in a. */
static char *head_of(struct arena *a, const char *msg)
{
    const char *end = strstr(msg, "\r\n\r\n");
    return end ? arena_strndup(a, msg, (size_t)(end - msg) + 2) : NULL;
}

static void messages(struct arena *a)
{
    struct mail_message m = {"ken", "ken@example.com", "Priya Raman", "priya@example.com",
                             "Status?\r\nBcc: eve@example.com\r\n\r\nfake body", "Hi Priya,\n.\nbye\n",
                             0, "<abc@example.com>"};
    const char *msg = mail_format_message(a, &m);
    CHECK(msg != NULL);
    CHECK(lines_ok(msg, 998));
    char *head = head_of(a, msg);
    CHECK_STR(head, "From: ken <ken@example.com>\r\n"
                    "To: Priya Raman <priya@example.com>\r\n"
                    "Subject: Status? Bcc: eve@example.com fake body\r\n"
                    "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"
                    "Message-ID: <abc@example.com>\r\n"
                    "MIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n"
                    "Content-Transfer-Encoding: quoted-printable\r\n"
                    "Auto-Submitted: auto-generated\r\n");
    CHECK_STR(strstr(msg, "\r\n\r\n") + 4, "Hi Priya,\r\n.\r\nbye\r\n");

    m.subject = "Frage zu Größen";
    m.to_name = "Zoë";
    head = head_of(a, mail_format_message(a, &m));
    CHECK_CONTAINS(head, "\r\nSubject: =?UTF-8?B?");
    CHECK_CONTAINS(head, "\r\nTo: =?UTF-8?B?Wm/Dqw==?= <priya@example.com>\r\n");

    m.to_addr = "priya@example.com\r\nBcc: eve@example.com";
    CHECK(mail_format_message(a, &m) == NULL);
    m.to_addr = "priya@example.com";
    m.from_addr = "not an address";
    CHECK(mail_format_message(a, &m) == NULL);
}

static void notices(struct arena *a)
{
    const char *s, *b, *base = "https://ken.example";
    struct mail_notice n = {.kind = "routed", .actor_name = "Wei Zhang",
                            .question_title = "How do I set up replication?", .question_id = 12,
                            .text = "wrote part of 6 of the 26 pages about this"};
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "ken asks you: How do I set up replication?");
    CHECK_CONTAINS(b, "Wei Zhang asked a question that ken thinks you can answer");
    CHECK_CONTAINS(b, "Why you: wrote part of 6 of the 26 pages about this");
    CHECK_CONTAINS(b, "Answer it here: https://ken.example/questions/12\n");
    CHECK_CONTAINS(b, "\n-- \nYou get this e-mail because \"Questions ken asks me to answer\"");
    CHECK_CONTAINS(b, "https://ken.example/inbox#email\n");

    n = (struct mail_notice){.kind = "answer", .actor_name = "Priya Raman",
                             .question_title = "Replication?", .question_id = 12, .answer_id = 40,
                             .text = "Use streaming replication."};
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "New answer: Replication?");
    CHECK_CONTAINS(b, "Priya Raman answered your question \"Replication?\":\n\nUse streaming");
    CHECK_CONTAINS(b, "https://ken.example/questions/12#answer-40");

    n.kind = "mention";
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "Priya Raman mentioned you: Replication?");
    n.page_path = "ops/backups"; /* a mention in a wiki page links the page */
    n.question_title = "Backups";
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "Priya Raman mentioned you: Backups");
    CHECK_CONTAINS(b, "mentioned you in the page \"Backups\"");
    CHECK_CONTAINS(b, "Read it: https://ken.example/wiki/ops/backups\n");
    n.page_path = NULL;
    n.question_title = "Replication?";
    n.kind = "comment";
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "New comment: Replication?");
    n.kind = "accepted";
    n.actor_name = NULL;
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "Your answer was accepted: Replication?");
    CHECK_CONTAINS(b, "ken accepted your answer");

    n = (struct mail_notice){.kind = "endorsement", .actor_name = "Priya Raman",
                             .skill = "PostgreSQL", .login = "callum"};
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "Priya Raman endorsed you for PostgreSQL");
    CHECK_CONTAINS(b, "https://ken.example/people/callum\n");
    CHECK_CONTAINS(b, "\"Endorsements of my skills\"");

    struct mail_page_change p2 = {"ops/backups", "Backups", "Callum Reid", 2, 4, 5, NULL};
    struct mail_page_change p1 = {"ops/new", "New runbook", "Priya Raman", 1, 1, 1, NULL};
    n = (struct mail_notice){.kind = "page", .pages = &p1};
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "New page: New runbook");
    CHECK_CONTAINS(b, "new page by Priya Raman\n  https://ken.example/wiki/ops/new\n");
    p1.next = &p2;
    n.more_pages = 3;
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "5 pages you watch changed");
    CHECK_CONTAINS(b, "2 changes by Callum Reid\n  https://ken.example/diff/ops/backups?from=3&to=5");
    CHECK_CONTAINS(b, "...and 3 more: https://ken.example/changes?watched=1");

    n = (struct mail_notice){.kind = "test"};
    CHECK(mail_format_notice(a, &n, base, &s, &b) == 0);
    CHECK_STR(s, "ken test e-mail");
    CHECK(strstr(b, "-- \n") == NULL); /* no preferences footer: nobody chose it */

    n.kind = "nonsense";
    CHECK(mail_format_notice(a, &n, base, &s, &b) == -1);
    CHECK(mail_format_kind_label("nonsense") == NULL);
    int kinds = 0;
    for (int i = 0; mail_format_kinds[i]; i++)
        kinds += mail_format_kind_label(mail_format_kinds[i]) != NULL;
    CHECK(kinds == 7);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    struct arena *a = arena_new();
    addresses();
    headers(a);
    bodies(a);
    messages(a);
    notices(a);
    arena_free(a);
    DONE();
}
