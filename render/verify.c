/* verify.c - checks a render's evidence: PDFs read with qpdf's C API, SHA256SUMS and
 * findings.json against the files on disk.
 *
 * Why qpdf: reading the embedded files back needs a PDF reader, and libharu only writes.
 * qpdf (libqpdf, Debian's libqpdf-dev) follows name trees, object and cross-reference
 * streams and incremental updates (a PDF signed after it was written gains one), decodes
 * the streams, and is fuzzed upstream; its C API keeps this file in C. poppler-glib would
 * bring GLib and a renderer along for the same few calls.
 *
 * Why loaded when needed (dlopen) rather than linked: libqpdf links GnuTLS, which brings
 * p11-kit, whose constructor runs in every process that loads it. Only a PDF check needs
 * qpdf, so only a PDF check loads it: render, validate and the rest start without them. */
#include "verify.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <dlfcn.h>
#include <qpdf/qpdf-c.h>

#include "evidence.h"
#include "json.h"
#include "pipeline.h"
#include "sums.h"
#include "util.h"

#define MAX_TREE_DEPTH 32    /* name tree levels */
#define MAX_EMBEDDED 100000u /* embedded files */
#define MAX_SUMS (4u << 20)  /* bytes of SHA256SUMS */
#define MAX_FINDINGS (1024u << 20) /* as diff's RK_DIFF_MAX_BYTES: a fleet's file is hundreds of MB */

/* ---- qpdf, loaded on first use ------------------------------------------------------- */

#define QPDF_FUNCS(X)                                                                              \
    X(qpdf_cleanup)                                                                                \
    X(qpdf_get_error)                                                                              \
    X(qpdf_get_error_full_text)                                                                    \
    X(qpdf_get_root)                                                                               \
    X(qpdf_get_trailer)                                                                            \
    X(qpdf_has_error)                                                                              \
    X(qpdf_init)                                                                                   \
    X(qpdf_oh_get_array_item)                                                                      \
    X(qpdf_oh_get_array_n_items)                                                                   \
    X(qpdf_oh_get_key)                                                                             \
    X(qpdf_oh_get_stream_data)                                                                     \
    X(qpdf_oh_get_utf8_value)                                                                      \
    X(qpdf_oh_is_array)                                                                            \
    X(qpdf_oh_is_dictionary)                                                                       \
    X(qpdf_oh_is_stream)                                                                           \
    X(qpdf_oh_is_string)                                                                           \
    X(qpdf_read)                                                                                   \
    X(qpdf_set_suppress_warnings)                                                                  \
    X(qpdf_silence_errors)

static struct {
#define QPDF_PTR(name) __typeof__(name) *name;
    QPDF_FUNCS(QPDF_PTR)
#undef QPDF_PTR
} qp;

/* Loads qpdf's library (RK_QPDF_SONAME) and its functions once. Returns 0, or -1 with d
 * filled (naming path, the PDF that was to be checked). */
static int qpdf_load(const char *path, rk_diag *d)
{
    static int loaded;
    if (loaded) return 0;
    void *h = dlopen(RK_QPDF_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return rk_diag_set(d, path, 0, 0,
                           "cannot check a PDF without qpdf's library (%s); expected %s, of the "
                           "Debian package libqpdf29",
                           dlerror(), RK_QPDF_SONAME),
               -1;
#define QPDF_SYM(name)                                                                             \
    if (!(*(void **)&qp.name = dlsym(h, #name)))                                                   \
        return rk_diag_set(d, path, 0, 0, "%s has no %s; expected qpdf 11 or later",               \
                           RK_QPDF_SONAME, #name),                                                 \
               -1;
    QPDF_FUNCS(QPDF_SYM)
#undef QPDF_SYM
    loaded = 1; /* never unloaded: it stays for the life of the process */
    return 0;
}

static void add(rk_verify *v, const char *area, const char *name, rk_vstate st, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));
static void add(rk_verify *v, const char *area, const char *name, rk_vstate st, const char *fmt,
                ...)
{
    v->items = rk_xrealloc(v->items, (v->n + 1) * sizeof(rk_vitem));
    rk_vitem *it = &v->items[v->n++];
    it->area = rk_xstrdup(area);
    it->name = rk_xstrdup(name);
    it->state = st;
    it->detail = NULL;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        it->detail = rk_xvasprintf(fmt, ap);
        va_end(ap);
    }
    v->differs += st == RK_VERIFY_DIFFERS;
    v->unreadable += st == RK_VERIFY_UNREADABLE;
}

void rk_verify_free(rk_verify *v)
{
    if (!v) return;
    for (size_t i = 0; i < v->n; i++) {
        free(v->items[i].area);
        free(v->items[i].name);
        free(v->items[i].detail);
    }
    free(v->items);
    free(v);
}

int rk_verify_is_pdf(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return 0;
    char m[5] = {0};
    size_t n = fread(m, 1, 5, fp);
    fclose(fp);
    return n == 5 && !memcmp(m, "%PDF-", 5);
}

static int is_hex64(const char *s, size_t n)
{
    if (n != 64) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return 1;
}

/* Inputs as the digest sees them (kind, path, SHA-256 or missing), owned here. */
typedef struct inlist {
    rk_input *in;
    size_t n;
} inlist;

/* Adds "KIND:PATH" (split at the first colon) with sha (NULL: missing). */
static void inlist_add(inlist *l, const char *kind_path, const char *sha)
{
    l->in = rk_xrealloc(l->in, (l->n + 1) * sizeof(rk_input));
    rk_input *in = &l->in[l->n++];
    memset(in, 0, sizeof(*in));
    const char *colon = strchr(kind_path, ':');
    in->kind = colon ? rk_xstrndup(kind_path, (size_t)(colon - kind_path)) : rk_xstrdup("");
    in->path = rk_xstrdup(colon ? colon + 1 : kind_path);
    if (sha)
        snprintf(in->sha256, sizeof in->sha256, "%s", sha);
    else
        in->missing = 1;
}

static void inlist_free(inlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->in[i].kind);
        free(l->in[i].path);
    }
    free(l->in);
}

/* The digest of the inputs: the SHA-256 of rk_inputs_manifest's text, as render makes it. */
static void digest_of(const inlist *l, char out[65])
{
    char *m = rk_inputs_manifest(l->in, l->n);
    rk_sha256_hex(m, strlen(m), out);
    free(m);
}

/* ---- a PDF's embedded files --------------------------------------------------------- */

typedef struct embedded {
    char *desc; /* "KIND:PATH", or "digest" for the manifest */
    char *name;
    char sha[65];
    char *data;    /* the manifest's bytes (NUL-terminated); NULL for the others */
    char *problem; /* why the bytes could not be read; NULL when read */
} embedded;

typedef struct pdfread {
    qpdf_data q;
    embedded *e;
    size_t n;
    int too_many;
} pdfread;

static char *str_of(qpdf_data q, qpdf_oh dict, const char *key)
{
    qpdf_oh v = qp.qpdf_oh_get_key(q, dict, key);
    return qp.qpdf_oh_is_string(q, v) ? rk_xstrdup(qp.qpdf_oh_get_utf8_value(q, v)) : NULL;
}

static void read_filespec(pdfread *r, qpdf_oh key, qpdf_oh fs)
{
    qpdf_data q = r->q;
    if (r->n >= MAX_EMBEDDED) {
        r->too_many = 1;
        return;
    }
    r->e = rk_xrealloc(r->e, (r->n + 1) * sizeof(embedded));
    embedded *e = &r->e[r->n++];
    memset(e, 0, sizeof(*e));
    e->desc = qp.qpdf_oh_is_dictionary(q, fs) ? str_of(q, fs, "/Desc") : NULL;
    e->name = qp.qpdf_oh_is_dictionary(q, fs) ? str_of(q, fs, "/UF") : NULL;
    if (!e->name && qp.qpdf_oh_is_dictionary(q, fs)) e->name = str_of(q, fs, "/F");
    if (!e->name)
        e->name =
            rk_xstrdup(qp.qpdf_oh_is_string(q, key) ? qp.qpdf_oh_get_utf8_value(q, key) : "?");
    if (!e->desc) e->desc = rk_xstrdup("");
    qpdf_oh ef = qp.qpdf_oh_is_dictionary(q, fs) ? qp.qpdf_oh_get_key(q, fs, "/EF") : 0;
    qpdf_oh stream = ef && qp.qpdf_oh_is_dictionary(q, ef) ? qp.qpdf_oh_get_key(q, ef, "/F") : 0;
    if (!stream || !qp.qpdf_oh_is_stream(q, stream)) {
        e->problem = rk_xstrdup("no embedded file stream");
        return;
    }
    unsigned char *buf = NULL;
    size_t len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    if ((qp.qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, &filtered, &buf, &len) &
         QPDF_ERRORS) ||
        !filtered) {
        if (qp.qpdf_has_error(q)) {
            qpdf_error err = qp.qpdf_get_error(q);
            e->problem =
                rk_xasprintf("cannot decode its stream: %s", qp.qpdf_get_error_full_text(q, err));
        } else {
            e->problem = rk_xstrdup("cannot decode its stream");
        }
        free(buf);
        return;
    }
    rk_sha256_hex(buf ? (const char *)buf : "", len, e->sha);
    if (!strcmp(e->desc, RK_EVIDENCE_MANIFEST_DESC)) {
        e->data = rk_xmalloc(len + 1);
        if (len) memcpy(e->data, buf, len);
        e->data[len] = '\0';
    }
    free(buf);
}

static void walk_tree(pdfread *r, qpdf_oh node, int depth)
{
    qpdf_data q = r->q;
    if (depth > MAX_TREE_DEPTH || !qp.qpdf_oh_is_dictionary(q, node) || r->too_many) return;
    qpdf_oh names = qp.qpdf_oh_get_key(q, node, "/Names");
    if (qp.qpdf_oh_is_array(q, names)) {
        int n = qp.qpdf_oh_get_array_n_items(q, names);
        for (int i = 0; i + 1 < n; i += 2)
            read_filespec(r, qp.qpdf_oh_get_array_item(q, names, i),
                          qp.qpdf_oh_get_array_item(q, names, i + 1));
    }
    qpdf_oh kids = qp.qpdf_oh_get_key(q, node, "/Kids");
    if (qp.qpdf_oh_is_array(q, kids)) {
        int n = qp.qpdf_oh_get_array_n_items(q, kids);
        for (int i = 0; i < n; i++)
            walk_tree(r, qp.qpdf_oh_get_array_item(q, kids, i), depth + 1);
    }
}

static void embedded_free(embedded *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(e[i].desc);
        free(e[i].name);
        free(e[i].data);
        free(e[i].problem);
    }
    free(e);
}

/* The last 64-hex word of the keywords: the digest the document names. */
static int keyword_digest(const char *kw, char out[65])
{
    int found = 0;
    for (const char *p = kw; p && *p;) {
        size_t sp = strspn(p, " \t\r\n");
        p += sp;
        size_t n = strcspn(p, " \t\r\n");
        if (is_hex64(p, n)) {
            memcpy(out, p, 64);
            out[64] = '\0';
            found = 1;
        }
        p += n;
    }
    return found;
}

/* Checks one PDF into v under `area`; expect (may be NULL): the digest findings.json
 * records, which the PDF must name too. Returns 0, or -1 with d filled when the PDF
 * cannot be read or carries no evidence. */
static int verify_pdf_into(rk_verify *v, const char *path, const char *area, const char *expect,
                           rk_diag *d)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return rk_diag_set(d, path, 0, 0, "cannot read: %s", strerror(errno)), -1;
    if ((unsigned long long)st.st_size > RK_VERIFY_MAX_PDF)
        return rk_diag_set(d, path, 0, 0,
                           "larger than %llu MiB; expected a PDF written by readykit render",
                           RK_VERIFY_MAX_PDF >> 20),
               -1;
    if (qpdf_load(path, d) != 0) return -1;
    pdfread r = {.q = qp.qpdf_init()};
    qp.qpdf_silence_errors(r.q);
    qp.qpdf_set_suppress_warnings(r.q, QPDF_TRUE);
    int rc = 0;
    if (qp.qpdf_read(r.q, path, NULL) & QPDF_ERRORS) {
        qpdf_error err = qp.qpdf_get_error(r.q);
        rk_diag_set(d, path, 0, 0,
                    "not a PDF that can be read (%s); expected a PDF written by readykit render",
                    err ? qp.qpdf_get_error_full_text(r.q, err) : "unknown error");
        qp.qpdf_cleanup(&r.q);
        return -1;
    }
    char claimed[65] = "";
    /* the keywords as text (qpdf_get_info_key gives the raw bytes, UTF-16 here) */
    qpdf_oh info = qp.qpdf_oh_get_key(r.q, qp.qpdf_get_trailer(r.q), "/Info");
    char *kw = qp.qpdf_oh_is_dictionary(r.q, info) ? str_of(r.q, info, "/Keywords") : NULL;
    int have_digest = keyword_digest(kw, claimed);
    free(kw);
    qpdf_oh root = qp.qpdf_get_root(r.q);
    qpdf_oh names = qp.qpdf_oh_get_key(r.q, root, "/Names");
    if (qp.qpdf_oh_is_dictionary(r.q, names))
        walk_tree(&r, qp.qpdf_oh_get_key(r.q, names, "/EmbeddedFiles"), 0);
    qp.qpdf_cleanup(&r.q);

    if (!have_digest || !r.n) {
        rk_diag_set(d, path, 0, 0,
                    "%s; expected a PDF written by readykit render, which names its "
                    "digest and embeds its inputs",
                    !have_digest ? "names no digest in its keywords" : "has no embedded files");
        embedded_free(r.e, r.n);
        return -1;
    }
    if (r.too_many)
        add(v, area, "embedded files", RK_VERIFY_UNREADABLE, "more than %u", MAX_EMBEDDED);

    /* the manifest: what the document says it was made from */
    const embedded *man = NULL;
    for (size_t i = 0; i < r.n && !man; i++)
        if (!strcmp(r.e[i].desc, RK_EVIDENCE_MANIFEST_DESC) && r.e[i].data) man = &r.e[i];
    inlist lines = {0};
    int complete = 1; /* every input's bytes were read: the digest can be recomputed */
    unsigned char *listed = rk_xcalloc(r.n + 1, 1);
    if (!man) {
        add(v, area, RK_EVIDENCE_MANIFEST, RK_VERIFY_DIFFERS,
            "not embedded: the list of inputs is missing");
    } else {
        for (const char *p = man->data; *p;) {
            size_t len = strcspn(p, "\n");
            char *line = rk_xstrndup(p, len);
            p += len + (p[len] == '\n');
            char *sep = strstr(line, "  ");
            if (!sep) {
                add(v, area, RK_EVIDENCE_MANIFEST, RK_VERIFY_DIFFERS,
                    "a line is not 'SHA256  KIND:PATH': %s", line);
                complete = 0;
                free(line);
                continue;
            }
            *sep = '\0';
            const char *sha = line, *what = sep + 2;
            const char *colon = strchr(what, ':');
            const char *shown = colon ? colon + 1 : what;
            if (!strcmp(sha, "missing")) {
                inlist_add(&lines, what, NULL);
                add(v, area, shown, RK_VERIFY_OK, "missing when assessed: nothing embedded");
                free(line);
                continue;
            }
            const embedded *e = NULL;
            for (size_t i = 0; i < r.n && !e; i++)
                if (!strcmp(r.e[i].desc, what)) {
                    e = &r.e[i];
                    listed[i] = 1;
                }
            if (!e) {
                add(v, area, shown, RK_VERIFY_DIFFERS,
                    "not embedded, though the document lists it");
                complete = 0;
            } else if (e->problem) {
                add(v, area, shown, RK_VERIFY_UNREADABLE, "%s", e->problem);
                complete = 0;
            } else if (strcmp(e->sha, sha) != 0) {
                add(v, area, shown, RK_VERIFY_DIFFERS,
                    "the embedded file's SHA-256 is %s; the document lists %s", e->sha, sha);
            } else {
                add(v, area, shown, RK_VERIFY_OK, NULL);
            }
            free(line);
        }
    }
    for (size_t i = 0; i < r.n; i++) {
        const embedded *e = &r.e[i];
        if (e == man) continue;
        if (man && !listed[i])
            add(v, area, *e->desc ? e->desc : e->name, RK_VERIFY_DIFFERS,
                "embedded as %s, but not one of the document's inputs", e->name);
        if (e->problem) {
            if (!man) add(v, area, e->name, RK_VERIFY_UNREADABLE, "%s", e->problem);
            complete = 0;
            continue;
        }
        inlist_add(&lines, e->desc, e->sha);
    }
    if (complete) {
        char again[65];
        digest_of(&lines, again);
        if (strcmp(again, claimed) != 0)
            add(v, "digest", claimed, RK_VERIFY_DIFFERS,
                "%s names this digest, its embedded files give %s", area, again);
        else
            add(v, "digest", claimed, RK_VERIFY_OK, "recomputed from the files embedded in %s",
                area);
    } else {
        add(v, "digest", claimed, RK_VERIFY_UNREADABLE, "not recomputed: %s lacks an input", area);
    }
    if (expect && strcmp(expect, claimed) != 0)
        add(v, area, "digest", RK_VERIFY_DIFFERS,
            "the PDF names digest %s; findings.json records %s", claimed, expect);
    inlist_free(&lines);
    free(listed);
    embedded_free(r.e, r.n);
    return rc;
}

rk_verify *rk_verify_pdf(const char *path, rk_diag *d)
{
    rk_verify *v = rk_xcalloc(1, sizeof(*v));
    const char *slash = strrchr(path, '/');
    if (verify_pdf_into(v, path, slash ? slash + 1 : path, NULL, d) != 0) {
        rk_verify_free(v);
        return NULL;
    }
    return v;
}

/* ---- an output folder -------------------------------------------------------------- */

/* One line of SHA256SUMS as GNU sha256sum -c reads it. Returns 0 with *name (caller
 * frees) and hash, or -1. */
static int parse_sum(const char *line, char hash[65], char **name)
{
    int esc = line[0] == '\\';
    const char *p = line + esc;
    if (!is_hex64(p, strcspn(p, " ")) || (p[64] != ' ') || (p[65] != ' ' && p[65] != '*'))
        return -1;
    memcpy(hash, p, 64);
    hash[64] = '\0';
    p += 66;
    rk_buf b = {0};
    rk_buf_add(&b, "", 0);
    for (; *p; p++) {
        if (esc && *p == '\\' && p[1]) {
            p++;
            rk_buf_putc(&b, *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p);
        } else {
            rk_buf_putc(&b, *p);
        }
    }
    *name = rk_buf_take(&b);
    return **name ? 0 : (free(*name), -1);
}

/* A document name SHA256SUMS may list: relative, no "..", inside the folder. */
static int safe_name(const char *n)
{
    if (n[0] == '/' || !strcmp(n, "..") || !strncmp(n, "../", 3) || strstr(n, "/../") ||
        (strlen(n) >= 3 && !strcmp(n + strlen(n) - 3, "/..")))
        return 0;
    return 1;
}

static void check_sums(rk_verify *v, const char *dir, const char *text)
{
    size_t lineno = 0;
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        char *line = rk_xstrndup(p, len);
        p += len + (p[len] == '\n');
        lineno++;
        if (!*line) {
            free(line);
            continue;
        }
        char hash[65], *name = NULL, where[32];
        snprintf(where, sizeof where, "line %zu", lineno);
        if (parse_sum(line, hash, &name) != 0) {
            add(v, RK_SUMS_NAME, where, RK_VERIFY_DIFFERS, "not 'SHA256  NAME': %s", line);
        } else if (!safe_name(name)) {
            add(v, RK_SUMS_NAME, name, RK_VERIFY_DIFFERS, "names a file outside the folder");
        } else {
            char *path = rk_xasprintf("%s/%s", dir, name), got[65], err[700];
            if (rk_sha256_file(path, got, err, sizeof err) != 0)
                add(v, RK_SUMS_NAME, name, RK_VERIFY_UNREADABLE, "%s", err);
            else if (strcmp(got, hash) != 0)
                add(v, RK_SUMS_NAME, name, RK_VERIFY_DIFFERS,
                    "its SHA-256 is %s; SHA256SUMS lists %s", got, hash);
            else
                add(v, RK_SUMS_NAME, name, RK_VERIFY_OK, NULL);
            free(path);
        }
        free(name);
        free(line);
    }
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Where the input recorded as (kind, path) is now: schemas under schema_dir, the rest
 * under the project folder, a path that is not there as it was given. Caller frees. */
static char *resolve_input(const char *kind, const char *path, const char *project_dir,
                           const char *schema_dir)
{
    if ((!strcmp(kind, "schema") || !strcmp(kind, "schema-text")) && !strncmp(path, "schemas/", 8))
        return rk_xasprintf("%s/%s", schema_dir, path + 8);
    if (path[0] == '/') return rk_xstrdup(path);
    char *p = rk_xasprintf("%s/%s", project_dir, path);
    if (!exists(p) && exists(path)) {
        free(p);
        return rk_xstrdup(path);
    }
    return p;
}

static void check_inputs(rk_verify *v, const cJSON *fj, const char *project_dir,
                         const char *schema_dir)
{
    const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(fj, "inputs");
    const cJSON *dg = cJSON_GetObjectItemCaseSensitive(fj, "digest");
    const char *recorded = cJSON_IsString(dg) ? dg->valuestring : "";
    inlist was = {0}, now = {0};
    int complete = 1;
    const cJSON *in;
    cJSON_ArrayForEach(in, inputs)
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(in, "kind");
        const cJSON *path = cJSON_GetObjectItemCaseSensitive(in, "path");
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(in, "sha256");
        const cJSON *missing = cJSON_GetObjectItemCaseSensitive(in, "missing");
        if (!cJSON_IsString(kind) || !cJSON_IsString(path) ||
            (!cJSON_IsString(sha) && !cJSON_IsNull(sha))) {
            add(v, "input", "findings.json", RK_VERIFY_DIFFERS,
                "an entry of inputs[] lacks kind, path or sha256");
            complete = 0;
            continue;
        }
        int was_missing = cJSON_IsTrue(missing) || cJSON_IsNull(sha);
        char *file = resolve_input(kind->valuestring, path->valuestring, project_dir, schema_dir);
        const char *rec = was_missing ? "missing" : sha->valuestring;
        char *kind_path = rk_xasprintf("%s:%s", kind->valuestring, path->valuestring);
        inlist_add(&was, kind_path, was_missing ? NULL : rec);
        if (was_missing) {
            if (exists(file)) {
                add(v, "input", path->valuestring, RK_VERIFY_DIFFERS,
                    "missing when assessed, but %s is there now", file);
                complete = 0;
            } else {
                add(v, "input", path->valuestring, RK_VERIFY_OK,
                    "missing when assessed, still missing");
                inlist_add(&now, kind_path, NULL);
            }
        } else {
            char got[65], err[700];
            if (rk_sha256_file(file, got, err, sizeof err) != 0) {
                add(v, "input", path->valuestring, RK_VERIFY_UNREADABLE, "%s", err);
                complete = 0;
            } else {
                if (strcmp(got, rec) != 0)
                    add(v, "input", path->valuestring, RK_VERIFY_DIFFERS,
                        "%s has SHA-256 %s; findings.json recorded %s", file, got, rec);
                else
                    add(v, "input", path->valuestring, RK_VERIFY_OK, NULL);
                inlist_add(&now, kind_path, got);
            }
        }
        free(file);
        free(kind_path);
    }
    char from_record[65];
    digest_of(&was, from_record);
    if (strcmp(from_record, recorded) != 0)
        add(v, "digest", recorded, RK_VERIFY_DIFFERS, "findings.json's inputs[] give %s",
            from_record);
    if (!complete) {
        add(v, "digest", recorded, RK_VERIFY_UNREADABLE,
            "not recomputed from the input files: one is unreadable or changed presence");
    } else {
        char again[65];
        digest_of(&now, again);
        if (strcmp(again, recorded) != 0)
            add(v, "digest", recorded, RK_VERIFY_DIFFERS, "the input files now give %s", again);
        else
            add(v, "digest", recorded, RK_VERIFY_OK, "recomputed from the input files");
    }
    inlist_free(&was);
    inlist_free(&now);
}

rk_verify *rk_verify_dir(const char *dir, const char *project_dir, const char *schema_dir,
                         rk_diag *d)
{
    char *sums_path = rk_xasprintf("%s/%s", dir, RK_SUMS_NAME);
    char *fj_path = rk_xasprintf("%s/findings.json", dir);
    char *sums = NULL, *text = NULL, err[700];
    size_t len;
    rk_verify *v = NULL;
    rk_json *doc = NULL;
    const cJSON *fj = NULL;
    if (rk_read_file(sums_path, MAX_SUMS, &sums, &len, err, sizeof err) != 0) {
        rk_diag_set(d, sums_path, 0, 0, "%s; expected an output folder of readykit render",
                    strchr(err, ':') ? strchr(err, ':') + 2 : err);
        goto out;
    }
    if (rk_read_file(fj_path, MAX_FINDINGS, &text, &len, err, sizeof err) != 0) {
        rk_diag_set(d, fj_path, 0, 0, "%s; expected an output folder of readykit render",
                    strchr(err, ':') ? strchr(err, ':') + 2 : err);
        goto out;
    }
    /* the JSON reader every findings file goes through (as diff's): a broken or
     * doctored file is named with its line and column */
    if (rk_text_normalise(&text, &len) != 0) {
        rk_diag_set(d, fj_path, 0, 0, "UTF-16 text with an odd number of bytes; expected UTF-8");
        goto out;
    }
    /* only the format, the digest and inputs[] are read: the findings, hosts, flows and
     * rules (hundreds of MB for a fleet) are never made a tree */
    static const char *const skip[] = {"hosts", "findings", "flows", "rules", NULL};
    rk_json_opts jo = {64, 1, "a findings.json file as 'readykit render' writes it", NULL, skip};
    rk_warnings w = {0};
    doc = rk_json_parse_owned(fj_path, text, len, &jo, d, &w);
    text = NULL; /* the document's now */
    rk_warnings_free(&w);
    if (!doc) goto out;
    fj = rk_json_root(doc);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(fj, "format");
    const cJSON *dg = cJSON_GetObjectItemCaseSensitive(fj, "digest");
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "readykit-findings/1") != 0 ||
        !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(fj, "inputs")) || !cJSON_IsString(dg)) {
        rk_json_error(doc, fmt ? fmt : fj, d,
                      "not a findings file with inputs[] and a digest; expected readykit-findings/1");
        goto out;
    }
    v = rk_xcalloc(1, sizeof(*v));
    check_sums(v, dir, sums);
    check_inputs(v, fj, project_dir, schema_dir);
    static const char *const pdfs[] = {"readiness.pdf", "firewall.pdf"};
    for (size_t i = 0; i < 2; i++) {
        char *p = rk_xasprintf("%s/%s", dir, pdfs[i]);
        rk_diag pd;
        memset(&pd, 0, sizeof pd);
        if (exists(p) && verify_pdf_into(v, p, pdfs[i], dg->valuestring, &pd) != 0)
            add(v, pdfs[i], pdfs[i], RK_VERIFY_UNREADABLE, "%s", pd.msg);
        free(p);
    }
out:
    rk_json_free(doc);
    free(text);
    free(sums);
    free(sums_path);
    free(fj_path);
    return v;
}
