/* pdf_attach.c - a document's attachments as embedded files of its PDF (libharu).
 *
 * libharu's HPDF_AttachFile names an attachment after the path it reads (folders and
 * all), writes /Type /F where PDF wants /Filespec, gives no /UF or /Desc, and keeps each
 * file open until the PDF is saved. The same objects are built here with libharu's own
 * object functions instead: the name we choose, a correct file specification, and bytes
 * read (and checked) now.
 *
 * A render's two PDFs embed the same inputs (74 MB of fact files at 2,000 hosts): a
 * pack reads, checks and deflates each file once, for whichever PDF gets to it first,
 * and both embed the deflated bytes as they are (zlib's compress2 at its default level,
 * which is what libharu's own Flate filter uses). */
#include "pdf_attach.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

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

/* One file of a pack: read, checked and deflated by the first PDF that embeds it. */
typedef struct packed {
    const char *file, *sha256; /* borrowed from the documents */
    pthread_mutex_t lock;
    int done;
    rk_err rc;                 /* RK_OK, or RK_INPUT with msg */
    char *msg;
    unsigned char *z;          /* the deflated bytes (zlib format) */
    size_t zlen, len;          /* deflated and original sizes */
} packed;

struct rk_pdf_pack {
    packed *p;                 /* sorted by file */
    size_t n;
};

static int cmp_packed(const void *x, const void *y)
{
    return strcmp(((const packed *)x)->file, ((const packed *)y)->file);
}

rk_pdf_pack *rk_pdf_pack_new(const rk_doc *const *docs, size_t ndocs)
{
    rk_pdf_pack *k = rk_xcalloc(1, sizeof(*k));
    size_t cap = 0;
    for (size_t d = 0; d < ndocs; d++) cap += docs[d] ? docs[d]->nattachments : 0;
    k->p = rk_xcalloc(cap ? cap : 1, sizeof(packed));
    for (size_t d = 0; d < ndocs; d++)
        for (size_t i = 0; docs[d] && i < docs[d]->nattachments; i++)
            if (docs[d]->attachments[i].file) {
                k->p[k->n].file = docs[d]->attachments[i].file;
                k->p[k->n++].sha256 = docs[d]->attachments[i].sha256;
            }
    qsort(k->p, k->n, sizeof(packed), cmp_packed);
    size_t u = 0; /* one entry per file */
    for (size_t i = 0; i < k->n; i++)
        if (!u || strcmp(k->p[u - 1].file, k->p[i].file)) k->p[u++] = k->p[i];
    k->n = u;
    for (size_t i = 0; i < k->n; i++) pthread_mutex_init(&k->p[i].lock, NULL);
    return k;
}

void rk_pdf_pack_free(rk_pdf_pack *k)
{
    if (!k) return;
    for (size_t i = 0; i < k->n; i++) {
        pthread_mutex_destroy(&k->p[i].lock);
        free(k->p[i].msg);
        free(k->p[i].z);
    }
    free(k->p);
    free(k);
}

/* The file's bytes, checked against the SHA-256 it was assessed with: RK_OK with *data
 * (caller frees), or RK_INPUT with a message naming the file and the PDF. */
static rk_err read_checked(const char *file, const char *sha256, const char *path, char **data,
                           size_t *len, char *err, size_t errlen)
{
    char msg[600];
    if (rk_read_file(file, RK_PDF_ATTACH_MAX, data, len, msg, sizeof msg) != 0) {
        snprintf(err, errlen, "%s: cannot attach it to %s: %s", file, path, msg);
        return RK_INPUT;
    }
    char sha[65];
    rk_sha256_hex(*data, *len, sha);
    if (sha256 && strcmp(sha, sha256) != 0) {
        snprintf(err, errlen,
                 "%s: changed while the documents were made (SHA-256 %s, assessed as %s); "
                 "expected it unchanged: render again",
                 file, sha, sha256);
        free(*data);
        *data = NULL;
        return RK_INPUT;
    }
    return RK_OK;
}

/* len bytes of data deflated in zlib's format at its default level (what libharu's own
 * Flate filter writes): 0 and *z (caller frees), or -1. */
static int deflated(const void *data, size_t len, unsigned char **z, size_t *zlen)
{
    uLongf n = compressBound((uLong)len);
    *z = rk_xmalloc(n);
    if (compress2(*z, &n, (const Bytef *)data, (uLong)len, Z_DEFAULT_COMPRESSION) != Z_OK) {
        free(*z);
        *z = NULL;
        return -1;
    }
    *zlen = n;
    return 0;
}

/* The pack's entry for file, read, checked and deflated if no PDF has done so yet; NULL
 * when the pack does not hold it. */
static packed *from_pack(rk_pdf_pack *k, const char *file, const char *path)
{
    packed key = {.file = file};
    packed *e = k ? bsearch(&key, k->p, k->n, sizeof(packed), cmp_packed) : NULL;
    if (!e) return NULL;
    pthread_mutex_lock(&e->lock);
    if (!e->done) {
        char *data = NULL, err[1024];
        e->rc = read_checked(file, e->sha256, path, &data, &e->len, err, sizeof err);
        if (e->rc == RK_OK && deflated(data, e->len, &e->z, &e->zlen) != 0) {
            snprintf(err, sizeof err, "%s: cannot attach it to %s: zlib could not deflate it",
                     file, path);
            e->rc = RK_OUTPUT;
        }
        if (e->rc != RK_OK) e->msg = rk_xstrdup(err);
        free(data);
        e->done = 1;
    }
    pthread_mutex_unlock(&e->lock);
    return e;
}

/* Names the Flate filter of a stream whose bytes are deflated already: libharu writes a
 * stream without a filter of its own as it is and drops any /Filter entry it holds, so
 * the entry is written with the dictionary's other keys, by the hook libharu calls there. */
static HPDF_STATUS name_flate(HPDF_Dict dict, HPDF_Stream out)
{
    (void)dict;
    return HPDF_Stream_WriteStr(out, "/Filter [ /FlateDecode ]\012"); /* as libharu writes it */
}

/* One embedded file: the file specification with its stream, z (zlen bytes, deflated,
 * of len bytes), written as it is with the filter named by hand. NULL on a libharu
 * failure. */
static HPDF_Dict filespec(HPDF_Doc pdf, const rk_attachment *at, const char *key, size_t len,
                          const void *z, size_t zlen)
{
    HPDF_Dict fs = HPDF_Dict_New(pdf->mmgr);
    if (!fs || HPDF_Xref_Add(pdf->xref, fs) != HPDF_OK) return NULL;
    HPDF_Dict stream = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict params = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict ef = HPDF_Dict_New(pdf->mmgr);
    HPDF_String f = HPDF_String_New(pdf->mmgr, key, NULL);
    HPDF_Binary uf = text_string(pdf, at->name), desc = text_string(pdf, at->description);
    if (!stream || !params || !ef || !f || !uf || !desc) return NULL;
    HPDF_STATUS st = HPDF_Dict_AddName(stream, "Type", "EmbeddedFile");
    stream->filter = HPDF_STREAM_FILTER_NONE;
    stream->write_fn = name_flate;
    st |= HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)z, (HPDF_UINT)zlen);
    st |= HPDF_Dict_AddNumber(params, "Size", (HPDF_INT32)len);
    st |= HPDF_Dict_Add(stream, "Params", params);
    st |= HPDF_Dict_Add(ef, "F", stream);
    st |= HPDF_Dict_AddName(fs, "Type", "Filespec");
    st |= HPDF_Dict_Add(fs, "F", f);
    st |= HPDF_Dict_Add(fs, "UF", uf);
    st |= HPDF_Dict_Add(fs, "Desc", desc);
    st |= HPDF_Dict_Add(fs, "EF", ef);
    return st == HPDF_OK ? fs : NULL;
}

static rk_err libharu_failed(HPDF_Doc pdf, const char *path, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: cannot attach the inputs to the PDF (libharu error 0x%04X)", path,
             (unsigned)HPDF_GetError(pdf));
    return RK_OUTPUT;
}

/* Embeds one attachment under key: its file from pack (or from *own, this document's
 * pack, made when pack does not hold it), or its data. */
static rk_err attach_one(HPDF_Doc pdf, HPDF_Array items, const rk_doc *doc, const rk_attachment *at,
                         const char *key, rk_pdf_pack *pack, rk_pdf_pack **own, const char *path,
                         char *err, size_t errlen)
{
    HPDF_Dict fs;
    if (at->file) {
        packed *e = from_pack(pack, at->file, path);
        if (!e) {
            if (!*own) *own = rk_pdf_pack_new(&doc, 1);
            e = from_pack(*own, at->file, path);
        }
        if (e->rc != RK_OK) {
            snprintf(err, errlen, "%s", e->msg);
            return e->rc;
        }
        fs = filespec(pdf, at, key, e->len, e->z, e->zlen);
    } else {
        unsigned char *z;
        size_t zlen;
        if (deflated(at->data, at->len, &z, &zlen) != 0) {
            snprintf(err, errlen, "%s: cannot attach %s: zlib could not deflate it", path, at->name);
            return RK_OUTPUT;
        }
        fs = filespec(pdf, at, key, at->len, z, zlen);
        free(z);
    }
    HPDF_String k = fs ? HPDF_String_New(pdf->mmgr, key, NULL) : NULL;
    if (!k || HPDF_Array_Add(items, k) != HPDF_OK || HPDF_Array_Add(items, fs) != HPDF_OK)
        return libharu_failed(pdf, path, err, errlen);
    return RK_OK;
}

rk_err rk_pdf_attach(HPDF_Doc pdf, const rk_doc *doc, rk_pdf_pack *pack, const char *path,
                     char *err, size_t errlen)
{
    if (!doc->nattachments) return RK_OK;
    HPDF_NameDict names = HPDF_Catalog_GetNames(pdf->catalog);
    if (!names) {
        names = HPDF_NameDict_New(pdf->mmgr, pdf->xref);
        if (!names || HPDF_Catalog_SetNames(pdf->catalog, names) != HPDF_OK)
            return libharu_failed(pdf, path, err, errlen);
    }
    /* a one-node name tree, its /Names array filled here in key order (libharu's
     * HPDF_NameTree_Add loses values when it inserts) */
    HPDF_Dict tree = HPDF_Dict_New(pdf->mmgr);
    HPDF_Array items = HPDF_Array_New(pdf->mmgr);
    if (!tree || !items || HPDF_Xref_Add(pdf->xref, tree) != HPDF_OK ||
        HPDF_Dict_Add(tree, "Names", items) != HPDF_OK ||
        HPDF_NameDict_SetNameTree(names, HPDF_NAME_EMBEDDED_FILES, tree) != HPDF_OK)
        return libharu_failed(pdf, path, err, errlen);
    keyed *order = keys_of(doc);
    rk_err rc = RK_OK;
    rk_pdf_pack *own = NULL;
    for (size_t i = 0; i < doc->nattachments && rc == RK_OK; i++)
        rc = attach_one(pdf, items, doc, order[i].at, order[i].key, pack, &own, path, err, errlen);
    rk_pdf_pack_free(own);
    for (size_t i = 0; i < doc->nattachments; i++)
        free(order[i].key);
    free(order);
    return rc;
}
