#include "markup/feed.h"
#include "core/buf.h"

#include <libxml/xmlwriter.h>
#include <string.h>
#include <time.h>

#define ATOM_NS "http://www.w3.org/2005/Atom"

void feed_time(char out[32], int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Copies s into b keeping only what XML 1.0 allows: stored text is valid UTF-8 without most
 * controls, but JSON imports may carry \u0001 and the like, and one such byte would make the
 * whole feed unreadable. */
static void xml_clean(struct buf *b, const char *s)
{
    buf_reset(b);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        unsigned char c = *p;
        if (c < 0x80) {
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
                buf_putc(b, (char)c);
            p++;
            continue;
        }
        int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        unsigned cp = n ? c & (0x7F >> n) : 0;
        int i = 1;
        for (; n && i < n && (p[i] & 0xC0) == 0x80; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        int ok = n && i == n && !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) &&
                 !(n == 4 && cp < 0x10000) && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) &&
                 cp != 0xFFFE && cp != 0xFFFF;
        if (ok)
            buf_append(b, p, (size_t)n);
        p += n && i == n ? n : 1;
    }
}

static const xmlChar *X(const char *s)
{
    return (const xmlChar *)s;
}

/* Writes <name>text</name>; the writer escapes the text. Returns < 0 on failure. */
static int text_el(xmlTextWriterPtr w, struct buf *tmp, const char *name, const char *text)
{
    xml_clean(tmp, text);
    return xmlTextWriterWriteElement(w, X(name), X(buf_str(tmp)));
}

static int time_el(xmlTextWriterPtr w, const char *name, int64_t t)
{
    char s[32];
    feed_time(s, t);
    return xmlTextWriterWriteElement(w, X(name), X(s));
}

/* Writes <link rel="rel" type="type" href="href"/>. */
static int link_el(xmlTextWriterPtr w, struct buf *tmp, const char *rel, const char *type,
                   const char *href)
{
    xml_clean(tmp, href);
    int rc = xmlTextWriterStartElement(w, X("link"));
    if (rc >= 0 && rel)
        rc = xmlTextWriterWriteAttribute(w, X("rel"), X(rel));
    if (rc >= 0 && type)
        rc = xmlTextWriterWriteAttribute(w, X("type"), X(type));
    if (rc >= 0)
        rc = xmlTextWriterWriteAttribute(w, X("href"), X(buf_str(tmp)));
    if (rc >= 0)
        rc = xmlTextWriterEndElement(w);
    return rc;
}

static int entry_el(xmlTextWriterPtr w, struct buf *tmp, const struct feed_entry *e)
{
    int rc = xmlTextWriterStartElement(w, X("entry"));
    if (rc >= 0)
        rc = text_el(w, tmp, "id", e->id);
    if (rc >= 0)
        rc = text_el(w, tmp, "title", e->title);
    if (rc >= 0)
        rc = time_el(w, "updated", e->updated);
    if (rc >= 0 && (rc = xmlTextWriterStartElement(w, X("author"))) >= 0 &&
        (rc = text_el(w, tmp, "name", e->author && *e->author ? e->author : "unknown")) >= 0)
        rc = xmlTextWriterEndElement(w);
    if (rc >= 0)
        rc = link_el(w, tmp, "alternate", "text/html", e->link);
    if (rc >= 0 && e->summary && *e->summary)
        rc = text_el(w, tmp, "summary", e->summary);
    if (rc >= 0 && e->content && *e->content) {
        xml_clean(tmp, e->content);
        if ((rc = xmlTextWriterStartElement(w, X("content"))) >= 0 &&
            (rc = xmlTextWriterWriteAttribute(w, X("type"), X("html"))) >= 0 &&
            (rc = xmlTextWriterWriteString(w, X(buf_str(tmp)))) >= 0)
            rc = xmlTextWriterEndElement(w);
    }
    if (rc >= 0)
        rc = xmlTextWriterEndElement(w);
    return rc;
}

char *feed_atom(const struct feed *f, size_t *len)
{
    xmlBufferPtr xb = xmlBufferCreate();
    if (!xb)
        die("out of memory writing a feed");
    xmlTextWriterPtr w = xmlNewTextWriterMemory(xb, 0);
    if (!w) {
        xmlBufferFree(xb);
        return NULL;
    }
    struct buf tmp;
    buf_init(&tmp, 0);
    int rc = xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
    if (rc >= 0)
        rc = xmlTextWriterStartElementNS(w, NULL, X("feed"), X(ATOM_NS));
    if (rc >= 0)
        rc = text_el(w, &tmp, "id", f->id);
    if (rc >= 0)
        rc = text_el(w, &tmp, "title", f->title);
    if (rc >= 0)
        rc = time_el(w, "updated", f->updated);
    if (rc >= 0)
        rc = link_el(w, &tmp, "self", "application/atom+xml", f->self);
    if (rc >= 0)
        rc = link_el(w, &tmp, "alternate", "text/html", f->alternate);
    if (rc >= 0)
        rc = text_el(w, &tmp, "generator", "ken");
    for (size_t i = 0; rc >= 0 && i < f->n; i++)
        rc = entry_el(w, &tmp, &f->entries[i]);
    if (rc >= 0)
        rc = xmlTextWriterEndDocument(w); /* closes <feed> */
    xmlFreeTextWriter(w);                 /* flushes into xb */
    buf_free(&tmp);
    char *out = NULL;
    if (rc >= 0) {
        size_t n = (size_t)xmlBufferLength(xb);
        out = xmalloc(n + 1);
        memcpy(out, xmlBufferContent(xb), n);
        out[n] = 0;
        *len = n;
    }
    xmlBufferFree(xb);
    return out;
}
