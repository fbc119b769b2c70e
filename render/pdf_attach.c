/* pdf_attach.c - a document's attachments as embedded files of its PDF (libharu).
 *
 * libharu's HPDF_AttachFile names an attachment after the path it reads (folders and
 * all), writes /Type /F where PDF wants /Filespec, gives no /UF or /Desc, and keeps each
 * file open until the PDF is saved. The same objects are built here with libharu's own
 * object functions instead: the name we choose, a correct file specification, and bytes
 * read (and checked) now. */
#include "pdf_attach.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_catalog.h>
#include <hpdf_doc.h>
#include <hpdf_namedict.h>
#include <hpdf_objects.h>

#include "util.h"

/* UTF-16BE with a byte-order mark: how a PDF text string holds any character. Invalid
 * UTF-8 becomes U+FFFD. Caller frees; *len receives the byte count. */
static unsigned char *utf16be(const char *s, size_t *len)
{
    size_t n = strlen(s);
    unsigned char *out = rk_xmalloc(2 + 4 * n), *o = out;
    *o++ = 0xFE;
    *o++ = 0xFF;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        uint32_t cp = 0xFFFD;
        size_t k = 1;
        if (*p < 0x80) {
            cp = *p;
        } else {
            size_t bad;
            int want = (*p & 0xE0) == 0xC0   ? 2
                       : (*p & 0xF0) == 0xE0 ? 3
                       : (*p & 0xF8) == 0xF0 ? 4
                                             : 0;
            if (want && (size_t)(end - p) >= (size_t)want &&
                rk_utf8_valid((const char *)p, (size_t)want, &bad)) {
                cp = want == 2   ? (uint32_t)(p[0] & 0x1F)
                     : want == 3 ? (uint32_t)(p[0] & 0x0F)
                                 : (uint32_t)(p[0] & 0x07);
                for (int i = 1; i < want; i++)
                    cp = (cp << 6) | (p[i] & 0x3F);
                k = (size_t)want;
            }
        }
        p += k;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
            *o++ = (unsigned char)(hi >> 8), *o++ = (unsigned char)hi;
            *o++ = (unsigned char)(lo >> 8), *o++ = (unsigned char)lo;
        } else {
            *o++ = (unsigned char)(cp >> 8), *o++ = (unsigned char)cp;
        }
    }
    *len = (size_t)(o - out);
    return out;
}

static HPDF_Binary text_string(HPDF_Doc pdf, const char *s)
{
    size_t n;
    unsigned char *u = utf16be(s, &n);
    HPDF_Binary b = HPDF_Binary_New(pdf->mmgr, u, (HPDF_UINT)n);
    free(u);
    return b;
}

/* The ASCII file name for /F and the name tree: other bytes become '_'. */
static char *ascii_name(const char *s)
{
    char *a = rk_xstrdup(s);
    for (char *p = a; *p; p++)
        if ((unsigned char)*p >= 0x7f || (unsigned char)*p < 0x20 || *p == '(' || *p == ')' ||
            *p == '\\')
            *p = '_';
    return a;
}

typedef struct keyed {
    const rk_attachment *at;
    char *key; /* the ASCII name: /F and the name tree's key */
} keyed;

static int cmp_by_key(const void *x, const void *y)
{
    return strcmp(((const keyed *)x)->key, ((const keyed *)y)->key);
}

/* The attachments with unique ASCII keys ("stem~N.ext" when two names flatten to one),
 * sorted by key: a name tree's keys are sorted, and added in order each is appended. */
static keyed *keys_of(const rk_doc *doc)
{
    keyed *k = rk_xcalloc(doc->nattachments, sizeof(keyed));
    for (size_t i = 0; i < doc->nattachments; i++) {
        k[i].at = &doc->attachments[i];
        char *key = ascii_name(doc->attachments[i].name);
        for (unsigned n = 2;; n++) {
            int dup = 0;
            for (size_t j = 0; j < i && !dup; j++)
                dup = !strcmp(k[j].key, key);
            if (!dup) break;
            char *base = ascii_name(doc->attachments[i].name);
            const char *dot = strrchr(base, '.');
            size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
            free(key);
            key = rk_xasprintf("%.*s~%u%s", (int)stem, base, n, base + stem);
            free(base);
        }
        k[i].key = key;
    }
    qsort(k, doc->nattachments, sizeof(keyed), cmp_by_key);
    return k;
}

/* One embedded file: the file specification with its stream. NULL on a libharu failure. */
static HPDF_Dict filespec(HPDF_Doc pdf, const rk_attachment *at, const char *key, const void *data,
                          size_t len)
{
    HPDF_Dict fs = HPDF_Dict_New(pdf->mmgr);
    if (!fs || HPDF_Xref_Add(pdf->xref, fs) != HPDF_OK) return NULL;
    HPDF_Dict stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict params = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict ef = HPDF_Dict_New(pdf->mmgr);
    HPDF_String f = HPDF_String_New(pdf->mmgr, key, NULL);
    HPDF_Binary uf = text_string(pdf, at->name), desc = text_string(pdf, at->description);
    if (!stream || !params || !ef || !f || !uf || !desc) return NULL;
    stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_STATUS st = HPDF_Dict_AddName(stream, "Type", "EmbeddedFile");
    st |= HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)len);
    st |= HPDF_Dict_Add(stream, "Params", params);
    if (len) st |= HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len);
    st |= HPDF_Dict_Add(ef, "F", stream);
    st |= HPDF_Dict_AddName(fs, "Type", "Filespec");
    st |= HPDF_Dict_Add(fs, "F", f);
    st |= HPDF_Dict_Add(fs, "UF", uf);
    st |= HPDF_Dict_Add(fs, "Desc", desc);
    st |= HPDF_Dict_Add(fs, "EF", ef);
    return st == HPDF_OK ? fs : NULL;
}

rk_err rk_pdf_attach(HPDF_Doc pdf, const rk_doc *doc, const char *path, char *err, size_t errlen)
{
    if (!doc->nattachments) return RK_OK;
    HPDF_NameDict names = HPDF_Catalog_GetNames(pdf->catalog);
    if (!names) {
        names = HPDF_NameDict_New(pdf->mmgr, pdf->xref);
        if (!names || HPDF_Catalog_SetNames(pdf->catalog, names) != HPDF_OK) goto failed;
    }
    /* a one-node name tree, its /Names array filled here in key order (libharu's
     * HPDF_NameTree_Add loses values when it inserts) */
    HPDF_Dict tree = HPDF_Dict_New(pdf->mmgr);
    HPDF_Array items = HPDF_Array_New(pdf->mmgr);
    if (!tree || !items || HPDF_Xref_Add(pdf->xref, tree) != HPDF_OK ||
        HPDF_Dict_Add(tree, "Names", items) != HPDF_OK ||
        HPDF_NameDict_SetNameTree(names, HPDF_NAME_EMBEDDED_FILES, tree) != HPDF_OK)
        goto failed;
    keyed *order = keys_of(doc);
    rk_err rc = RK_OK;
    for (size_t i = 0; i < doc->nattachments && rc == RK_OK; i++) {
        const rk_attachment *at = order[i].at;
        char *data = NULL;
        size_t len = at->len;
        if (at->file) {
            char msg[600];
            if (rk_read_file(at->file, RK_PDF_ATTACH_MAX, &data, &len, msg, sizeof msg) != 0) {
                snprintf(err, errlen, "%s: cannot attach it to %s: %s", at->file, path, msg);
                rc = RK_INPUT;
                break;
            }
            char sha[65];
            rk_sha256_hex(data, len, sha);
            if (at->sha256 && strcmp(sha, at->sha256) != 0) {
                snprintf(err, errlen,
                         "%s: changed while the documents were made (SHA-256 %s, assessed as %s); "
                         "expected it unchanged: render again",
                         at->file, sha, at->sha256);
                free(data);
                rc = RK_INPUT;
                break;
            }
        }
        HPDF_Dict fs = filespec(pdf, at, order[i].key, at->file ? data : at->data, len);
        HPDF_String k = fs ? HPDF_String_New(pdf->mmgr, order[i].key, NULL) : NULL;
        if (!k || HPDF_Array_Add(items, k) != HPDF_OK || HPDF_Array_Add(items, fs) != HPDF_OK)
            rc = RK_OUTPUT;
        free(data);
    }
    for (size_t i = 0; i < doc->nattachments; i++)
        free(order[i].key);
    free(order);
    if (rc == RK_OUTPUT) goto failed;
    return rc;
failed:
    snprintf(err, errlen, "%s: cannot attach the inputs to the PDF (libharu error 0x%04X)", path,
             (unsigned)HPDF_GetError(pdf));
    return RK_OUTPUT;
}
