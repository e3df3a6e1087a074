/* The multipart/form-data parser: boundaries, fields, files, and the ways a body can be wrong. */
#include "check.h"
#include "core/buf.h"
#include "http/multipart.h"

#include <stdlib.h>

static const char *B = "XyZ123";

/* Parses `len` bytes of body with boundary B; *why gets the error. */
static struct multipart_part *parse(struct arena *a, const char *body, size_t len, const char **why)
{
    *why = NULL;
    return multipart_parse(a, body, len, B, why);
}

static int data_is(const struct multipart_part *p, const char *want, size_t n)
{
    return p && p->len == n && memcmp(p->data, want, n) == 0;
}

static void test_boundary(struct arena *a)
{
    CHECK_STR(multipart_boundary(a, "multipart/form-data; boundary=abc"), "abc");
    CHECK_STR(multipart_boundary(a, "Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
    CHECK_STR(multipart_boundary(a, "multipart/form-data; charset=utf-8; BOUNDARY=----WebKitFormBoundary7MA4YWxk"),
              "----WebKitFormBoundary7MA4YWxk");
    CHECK(multipart_boundary(a, "multipart/form-data") == NULL);             /* missing */
    CHECK(multipart_boundary(a, "multipart/form-data; boundary=") == NULL);  /* empty */
    CHECK(multipart_boundary(a, "multipart/form-data; boundary=\"\"") == NULL);
    CHECK(multipart_boundary(a, "multipart/mixed; boundary=abc") == NULL);   /* not a form */
    CHECK(multipart_boundary(a, "multipart/form-dataX; boundary=abc") == NULL);
    CHECK(multipart_boundary(a, "application/x-www-form-urlencoded") == NULL);
    CHECK(multipart_boundary(a, NULL) == NULL);
    CHECK(multipart_boundary(a, "multipart/form-data; boundary=\"abc") == NULL); /* unclosed */
    CHECK(multipart_boundary(a, "multipart/form-data; boundary=a; boundary=b") == NULL);
    CHECK(multipart_boundary(a, "multipart/form-data; boundary=\"ends with space \"") == NULL);
    CHECK(multipart_boundary(a, "multipart/form-data; boundary=a<b") == NULL); /* not a bchar */
    char longer[128];
    memset(longer, 'x', sizeof longer);
    memcpy(longer, "multipart/form-data; boundary=", 30);
    longer[30 + 71] = 0; /* 71 characters: one too many */
    CHECK(multipart_boundary(a, longer) == NULL);
    longer[30 + 70] = 0;
    CHECK(multipart_boundary(a, longer) != NULL);
}

static void test_well_formed(struct arena *a)
{
    const char *why;
    static const char body[] = "--XyZ123\r\n"
                               "Content-Disposition: form-data; name=\"csrf\"\r\n"
                               "\r\n"
                               "tok3n\r\n"
                               "--XyZ123\r\n"
                               "Content-Disposition: form-data; name=\"file\"; filename=\"a b.png\"\r\n"
                               "Content-Type: image/png\r\n"
                               "\r\n"
                               "PNGDATA\r\n"
                               "--XyZ123\r\n"
                               "content-disposition: FORM-DATA; name=empty\r\n"
                               "\r\n"
                               "\r\n"
                               "--XyZ123--\r\n"
                               "an epilogue that is ignored";
    struct multipart_part *p = parse(a, body, sizeof body - 1, &why);
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK_STR(p->name, "csrf");
    CHECK(p->filename == NULL);
    CHECK(data_is(p, "tok3n", 5));
    const struct multipart_part *f = multipart_find(p, "file");
    CHECK(f && f->filename && strcmp(f->filename, "a b.png") == 0);
    CHECK(f && f->content_type && strcmp(f->content_type, "image/png") == 0);
    CHECK(data_is(f, "PNGDATA", 7));
    const struct multipart_part *e = multipart_find(p, "empty");
    CHECK(e && e->len == 0 && e->filename == NULL);
    CHECK(multipart_find(p, "nothing") == NULL);
    CHECK(e && e->next == NULL);
}

static void test_two_files(struct arena *a)
{
    const char *why;
    static const char body[] = "--XyZ123\r\n"
                               "Content-Disposition: form-data; name=\"file\"; filename=\"one.txt\"\r\n"
                               "\r\n"
                               "first\r\n"
                               "--XyZ123  \t\r\n" /* transport padding after a delimiter */
                               "Content-Disposition: form-data; name=\"file\"; filename=\"two.txt\"\r\n"
                               "\r\n"
                               "second\r\n"
                               "--XyZ123--";
    struct multipart_part *p = parse(a, body, sizeof body - 1, &why);
    CHECK(p && p->next && !p->next->next);
    if (!p || !p->next)
        return;
    CHECK_STR(p->filename, "one.txt");
    CHECK(data_is(p, "first", 5));
    CHECK_STR(p->next->filename, "two.txt");
    CHECK(data_is(p->next, "second", 6));
    CHECK(multipart_find(p, "file") == p); /* the first of two */
}

static void test_binary(struct arena *a)
{
    /* Bytes with NUL, CR, LF, "--" and a near-miss of the delimiter inside the file. */
    static const char data[] = "\x89PNG\r\n\x1a\n\0\0\r\n--XyZ12\r\n--XyZ1234-\r\n\r\n\xff";
    size_t dlen = sizeof data - 1;
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "--XyZ123\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n");
    buf_append(&b, data, dlen);
    buf_puts(&b, "\r\n--XyZ123--\r\n");
    const char *why;
    struct multipart_part *p = parse(a, b.data, b.len, &why);
    /* "--XyZ1234-" starts with the delimiter: RFC 2046 forbids that in a part, so it ends the
     * part there, and what follows is not a valid boundary line. */
    CHECK(p == NULL && why && strstr(why, "boundary line"));
    buf_free(&b);

    static const char clean[] = "\x89PNG\r\n\x1a\n\0\0\r\n--XyZ12\r\n--XyZ-123\r\n\r\n\xff\r";
    dlen = sizeof clean - 1;
    buf_init(&b, 0);
    buf_puts(&b, "--XyZ123\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n");
    buf_append(&b, clean, dlen);
    buf_puts(&b, "\r\n--XyZ123--\r\n");
    p = parse(a, b.data, b.len, &why);
    CHECK(p != NULL);
    CHECK(data_is(p, clean, dlen));
    buf_free(&b);
}

static void test_quoted_names(struct arena *a)
{
    const char *why;
    static const char body[] = "--XyZ123\r\n"
                               "Content-Disposition: form-data; name=\"a\\\"b\"; filename=\"say \\\"hi\\\" %22.txt\"\r\n"
                               "\r\n"
                               "x\r\n"
                               "--XyZ123\r\n"
                               "Content-Disposition: form-data; name=\"semi;colon\"; filename*=UTF-8''ignored\r\n"
                               "\r\n"
                               "y\r\n"
                               "--XyZ123--";
    struct multipart_part *p = parse(a, body, sizeof body - 1, &why);
    CHECK(p && p->next);
    if (!p || !p->next)
        return;
    CHECK_STR(p->name, "a\"b");
    CHECK_STR(p->filename, "say \"hi\" %22.txt"); /* backslash escapes only; %22 stays */
    CHECK_STR(p->next->name, "semi;colon");
    CHECK(p->next->filename == NULL); /* filename* is not a file name ken uses */
}

/* Each body must be refused with a message containing `want`. */
static void refuse(struct arena *a, const char *body, const char *want)
{
    const char *why = NULL;
    struct multipart_part *p = parse(a, body, strlen(body), &why);
    CHECK(p == NULL);
    CHECK_CONTAINS(why, want);
}

static void test_malformed(struct arena *a)
{
    const char *cd = "Content-Disposition: form-data; name=\"f\"\r\n\r\n";
    char buf[512];
    refuse(a, "", "does not start with the boundary");
    refuse(a, "preamble\r\n--XyZ123\r\n", "does not start with the boundary");
    refuse(a, "--OTHER\r\n", "does not start with the boundary");
    snprintf(buf, sizeof buf, "--XyZ123\r\n%sdata that never ends", cd);
    refuse(a, buf, "cut off");
    snprintf(buf, sizeof buf, "--XyZ123\r\n%sdata\r\n--XyZ123", cd);
    refuse(a, buf, "cut off"); /* no closing "--" and no next part */
    refuse(a, "--XyZ123\r\nContent-Disposition: form-data; name=\"f\"\r\n", "cut off");
    refuse(a, "--XyZ123\r\n\r\ndata\r\n--XyZ123--", "no Content-Disposition");
    refuse(a, "--XyZ123\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ123--", "no Content-Disposition");
    refuse(a, "--XyZ123\r\nContent-Disposition: attachment; name=\"f\"\r\n\r\nx\r\n--XyZ123--",
           "not form-data");
    refuse(a, "--XyZ123\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ123--", "no field name");
    refuse(a, "--XyZ123\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--XyZ123--",
           "no field name");
    refuse(a, "--XyZ123\r\nContent-Disposition: form-data; name=\"f\r\n\r\nx\r\n--XyZ123--",
           "malformed Content-Disposition");
    refuse(a, "--XyZ123\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--XyZ123--",
           "twice");
    refuse(a, "--XyZ123\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: "
              "form-data; name=b\r\n\r\nx\r\n--XyZ123--", "two Content-Disposition");
    refuse(a, "--XyZ123\r\nno colon here\r\n\r\nx\r\n--XyZ123--", "malformed header line");
    refuse(a, "--XyZ123\r\nContent-Disposition: form-data; name=a\r\n folded\r\n\r\nx\r\n--XyZ123--",
           "malformed header line");
    refuse(a, "--XyZ123junk\r\n", "malformed");
    refuse(a, "--XyZ123--", "no fields");
    /* An LF-only body (no CR) is not multipart as RFC 2046 defines it. */
    refuse(a, "--XyZ123\nContent-Disposition: form-data; name=a\n\nx\n--XyZ123--", "malformed");
    /* Header bytes may not be control characters. */
    refuse(a, "--XyZ123\r\nContent-Disposition: form-data; name=a\x01\r\n\r\nx\r\n--XyZ123--",
           "control character");
}

static void test_limits(struct arena *a)
{
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i <= MULTIPART_MAX_PARTS; i++)
        buf_printf(&b, "--XyZ123\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv\r\n", i);
    buf_puts(&b, "--XyZ123--");
    const char *why;
    CHECK(parse(a, b.data, b.len, &why) == NULL);
    CHECK_CONTAINS(why, "too many parts");
    buf_reset(&b);
    buf_puts(&b, "--XyZ123\r\nContent-Disposition: form-data; name=\"f\"\r\n");
    for (int i = 0; i < 400; i++)
        buf_puts(&b, "X-Padding: 0123456789012345678901234567890123456789\r\n");
    buf_puts(&b, "\r\nv\r\n--XyZ123--");
    CHECK(parse(a, b.data, b.len, &why) == NULL);
    CHECK_CONTAINS(why, "too many header lines");
    buf_free(&b);
}

int main(void)
{
    struct arena *a = arena_new();
    test_boundary(a);
    test_well_formed(a);
    test_two_files(a);
    test_binary(a);
    test_quoted_names(a);
    test_malformed(a);
    test_limits(a);
    arena_free(a);
    DONE();
}
