/* What an uploaded file is (judged by its bytes, never its name), whether ken shows it inline,
 * and what an attachment may be called. */
#include "wiki/attach_store.h"
#include "check.h"
#include "core/sniff.h"

#include <stdlib.h>

#define TYPE(bytes) sniff_type(bytes, sizeof bytes - 1)

static void test_types(void)
{
    CHECK_STR(TYPE("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "image/png");
    CHECK_STR(TYPE("\xFF\xD8\xFF\xE0\0\x10JFIF"), "image/jpeg");
    CHECK_STR(TYPE("GIF89a\x01\0\x01\0"), "image/gif");
    CHECK_STR(TYPE("GIF87a\x01\0\x01\0"), "image/gif");
    CHECK_STR(TYPE("RIFF\x24\0\0\0WEBPVP8 "), "image/webp");
    CHECK_STR(TYPE("RIFF\x24\0\0\0WAVEfmt "), "application/octet-stream"); /* RIFF, not WebP */
    CHECK_STR(TYPE("%PDF-1.7\n%\xe2\xe3\xcf\xd3"), "application/pdf");
    CHECK_STR(TYPE("PK\x03\x04\x14\0\x06\0"), "application/zip");
    CHECK_STR(TYPE("PK\x03\x04\x14\0\x06\0\x08\0[Content_Types].xml"), "application/zip"); /* docx */
    CHECK_STR(TYPE("PK\x05\x06\0\0\0\0"), "application/zip"); /* an empty archive */
    CHECK_STR(TYPE("\x1F\x8B\x08\0\0\0\0\0"), "application/gzip");
    CHECK_STR(TYPE("Hello, world.\nZweite Zeile: \xc3\xa4\xc3\xb6\xc3\xbc\n"),
              "text/plain; charset=utf-8");
    CHECK_STR(TYPE("col1\tcol2\r\n1\t2\r\n"), "text/plain; charset=utf-8");
    CHECK_STR(TYPE("\xef\xbb\xbfwith a BOM"), "text/plain; charset=utf-8");
    CHECK_STR(TYPE("Latin-1 caf\xe9"), "application/octet-stream"); /* not UTF-8 */
    CHECK_STR(TYPE("text with a \0 NUL"), "application/octet-stream");
    CHECK_STR(TYPE("\x7f" "ELF\x02\x01\x01"), "application/octet-stream");
    CHECK_STR(sniff_type("", 0), "application/octet-stream");
    CHECK_STR(TYPE("\x89PNX"), "application/octet-stream"); /* almost PNG */
}

static void test_html_and_svg(void)
{
    CHECK_STR(TYPE("<!DOCTYPE html><title>x</title>"), "text/html");
    CHECK_STR(TYPE("<!doctype HTML>\n<p>x"), "text/html");
    CHECK_STR(TYPE("  \r\n\t<html lang=en>"), "text/html");
    CHECK_STR(TYPE("\xef\xbb\xbf<HTML>"), "text/html");
    CHECK_STR(TYPE("<head><script>alert(1)</script>"), "text/html");
    CHECK_STR(TYPE("<body onload=alert(1)>"), "text/html");
    CHECK_STR(TYPE("<script>alert(1)</script>"), "text/html");
    CHECK_STR(TYPE("<iframe src=//evil>"), "text/html");
    CHECK_STR(TYPE("<a href=x>y</a>"), "text/html");
    CHECK_STR(TYPE("<p>"), "text/html");
    CHECK_STR(TYPE("<!-- comment -->"), "text/html");
    CHECK_STR(TYPE("<html>caf\xe9 in Latin-1</html>"), "text/html"); /* HTML in any encoding */
    CHECK_STR(TYPE("<html><svg onload=alert(1)></svg></html>"), "text/html");
    CHECK_STR(TYPE("<abbr>not a tag on the list</abbr>"), "text/plain; charset=utf-8");
    CHECK_STR(TYPE("<pre>"), "text/plain; charset=utf-8"); /* "<p" must be followed by space or > */
    CHECK_STR(TYPE("plain text that mentions <html> later"), "text/plain; charset=utf-8");

    CHECK_STR(TYPE("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
              "image/svg+xml");
    CHECK_STR(TYPE("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<SVG width=\"1\"/>"), "image/svg+xml");
    CHECK_STR(TYPE("<?xml version=\"1.0\"?><svg>"), "image/svg+xml");
    CHECK_STR(TYPE("<?xml version=\"1.0\"?><note/>"), "text/plain; charset=utf-8");
    CHECK_STR(TYPE("an <svgfoo> is not svg"), "text/plain; charset=utf-8");
}

static void test_inline(void)
{
    CHECK(sniff_inline("image/png"));
    CHECK(sniff_inline("image/jpeg"));
    CHECK(sniff_inline("image/gif"));
    CHECK(sniff_inline("image/webp"));
    CHECK(!sniff_inline("image/svg+xml"));
    CHECK(!sniff_inline("text/html"));
    CHECK(!sniff_inline("text/plain; charset=utf-8"));
    CHECK(!sniff_inline("application/pdf"));
    CHECK(!sniff_inline("application/octet-stream"));
    /* The name never matters: a PNG called evil.html is a PNG, an HTML file called pic.png is
     * HTML and only ever a download. Only bytes reach sniff_type, so that is by construction;
     * these are the two files the end-to-end test uploads. */
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    static const char html[] = "<html><script>alert(document.cookie)</script></html>";
    CHECK_STR(sniff_type(png, sizeof png - 1), "image/png");
    CHECK(sniff_inline(sniff_type(png, sizeof png - 1)));
    CHECK_STR(sniff_type(html, sizeof html - 1), "text/html");
    CHECK(!sniff_inline(sniff_type(html, sizeof html - 1)));
}

static void test_names(void)
{
    CHECK(attach_name_check("diagram.png") == NULL);
    CHECK(attach_name_check("Q3_report-v2.final.PDF") == NULL);
    CHECK(attach_name_check("a") == NULL);
    CHECK(attach_name_check("_x") == NULL);
    CHECK(attach_name_check("-x") == NULL);
    CHECK(attach_name_check("") != NULL);
    CHECK(attach_name_check(NULL) != NULL);
    CHECK(attach_name_check(".htaccess") != NULL);
    CHECK(attach_name_check("..") != NULL);
    CHECK(attach_name_check("a..b") != NULL);
    CHECK(attach_name_check("a/b.png") != NULL);
    CHECK(attach_name_check("a\\b.png") != NULL);
    CHECK(attach_name_check("my file.png") != NULL);
    CHECK(attach_name_check("caf\xc3\xa9.png") != NULL);
    CHECK(attach_name_check("x.png?v=1") != NULL);
    CHECK(attach_name_check("http:x") != NULL);
    CHECK(attach_name_check("a\"b") != NULL);
    char name[102];
    memset(name, 'n', sizeof name);
    name[100] = 0;
    CHECK(attach_name_check(name) == NULL);
    name[100] = 'n';
    name[101] = 0;
    CHECK_CONTAINS(attach_name_check(name), "100");

    struct arena *a = arena_new();
    CHECK_STR(attach_name_from_filename(a, "diagram.png"), "diagram.png");
    CHECK_STR(attach_name_from_filename(a, "My Photo (1).PNG"), "My-Photo-1.PNG");
    CHECK_STR(attach_name_from_filename(a, "C:\\Users\\ana\\plan.pdf"), "plan.pdf");
    CHECK_STR(attach_name_from_filename(a, "../../etc/passwd"), "passwd");
    CHECK_STR(attach_name_from_filename(a, ".bashrc"), "bashrc");
    CHECK_STR(attach_name_from_filename(a, "a..b...c"), "a.b.c");
    CHECK_STR(attach_name_from_filename(a, "caf\xc3\xa9 menu.txt"), "caf-menu.txt");
    CHECK_STR(attach_name_from_filename(a, "trailing. "), "trailing");
    CHECK(attach_name_from_filename(a, "\xc3\xa9\xc3\xa9") == NULL);
    CHECK(attach_name_from_filename(a, "...") == NULL);
    CHECK(attach_name_from_filename(a, "") == NULL);
    CHECK(attach_name_from_filename(a, NULL) == NULL);
    char longname[300];
    memset(longname, 'x', sizeof longname);
    memcpy(longname + 280, ".tar.gz", 8);
    const char *cut = attach_name_from_filename(a, longname);
    CHECK(cut && strlen(cut) == 100 && strcmp(cut + 97, ".gz") == 0 && !attach_name_check(cut));
    arena_free(a);
}

int main(void)
{
    test_types();
    test_html_and_svg();
    test_inline();
    test_names();
    DONE();
}
