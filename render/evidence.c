/* evidence.c - the inputs of an assessment as PDF attachments of a document. */
#include "evidence.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "util.h"

char *rk_evidence_name(const char *path)
{
    char *n = rk_xstrdup(*path ? path : "_");
    for (char *p = n; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f || (p == n && c == '.')) *p = '_';
    }
    return n;
}

static int taken(const rk_doc *doc, const char *name)
{
    for (size_t i = 0; i < doc->nattachments; i++)
        if (!strcmp(doc->attachments[i].name, name)) return 1;
    return 0;
}

/* name, or "stem~N.ext" with the first N from 2 that no attachment has yet. */
static char *unique(const rk_doc *doc, char *name)
{
    if (!taken(doc, name)) return name;
    const char *dot = strrchr(name, '.');
    size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);
    for (unsigned k = 2;; k++) {
        char *c = rk_xasprintf("%.*s~%u%s", (int)stem, name, k, name + stem);
        if (!taken(doc, c)) {
            free(name);
            return c;
        }
        free(c);
    }
}

void rk_evidence_attach(rk_doc *doc, const rk_assessment *a)
{
    /* the document names its digest in its keywords, where verification finds it */
    if (!doc->keywords || !strstr(doc->keywords, a->digest)) {
        char *kw = doc->keywords && *doc->keywords ? rk_xasprintf("%s %s", doc->keywords, a->digest)
                                                   : rk_xstrdup(a->digest);
        free(doc->keywords);
        doc->keywords = kw;
    }
    char *m = rk_inputs_manifest(a->inputs, a->ninputs);
    rk_doc_attach(doc, RK_EVIDENCE_MANIFEST, RK_EVIDENCE_MANIFEST_DESC, NULL, NULL, m, strlen(m));
    free(m);
    for (size_t i = 0; i < a->ninputs; i++) {
        const rk_input *in = &a->inputs[i];
        if (in->missing) continue; /* named in the manifest as missing; nothing to attach */
        char *desc = rk_xasprintf("%s:%s", in->kind, in->path);
        int dup = 0;
        for (size_t k = 0; k < doc->nattachments && !dup; k++)
            dup = !strcmp(doc->attachments[k].description, desc);
        if (!dup) {
            char *name = unique(doc, rk_evidence_name(in->path));
            rk_doc_attach(doc, name, desc, in->file, in->sha256, NULL, 0);
            free(name);
        }
        free(desc);
    }
}
