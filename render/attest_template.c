/* attest_template.c - `readykit attestations-template`: a ready-to-fill attestations file
 * (readykit-attestations/1) with one entry per manual check and host. */
#include "attest_template.h"

#include <stdlib.h>

#include "util.h"

static void yaml_quoted(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(fp, "\\x%02x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

/* A comment line: line breaks become spaces so the text stays inside the comment. */
static void yaml_comment(FILE *fp, const char *indent, const char *prefix, const char *text)
{
    fprintf(fp, "%s# %s", indent, prefix);
    for (const char *p = text ? text : ""; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, fp);
    fputc('\n', fp);
}

void rk_attestations_template(const rk_assessment *a, FILE *fp)
{
    const rk_project *p = a->project;
    const rk_schema *s = a->schema;
    char line[1024];
    snprintf(line, sizeof line, "%s: %s (%s)", p->customer, p->project, p->assessment_id);
    yaml_comment(fp, "", "Attestations for ", line);
    fprintf(fp,
            "# Schema: %s, version %s.\n"
            "# Every manual check that applies to the project, one entry per requirement\n"
            "# and host. No collector can decide these checks; a person verifies each\n"
            "# with the steps given.\n"
            "#\n"
            "# Fill in attested_by, date (YYYY-MM-DD), evidence and expires (YYYY-MM-DD)\n"
            "# for every check that has been verified, and delete the entries that have\n"
            "# not: an entry left empty is refused. Then render with --attestations FILE or\n"
            "# 'attestations: FILE' in the project file. An attestation applies through\n"
            "# the whole day it expires on.\n",
            s->id, s->version);
    fprintf(fp, "format: readykit-attestations/1\nschema: %s\n", s->id);
    /* manual[r * nhosts + h]: requirement r is a manual check on host h */
    size_t nh = p->nhosts;
    size_t cells = s->nreqs * nh;
    unsigned char *manual = rk_xcalloc(cells > 0 ? cells : 1, 1);
    for (size_t i = 0; i < a->nfindings; i++) {
        const rk_finding *f = &a->findings[i];
        if (f->original == RK_ST_MANUAL && f->req < s->nreqs && f->host < nh)
            manual[f->req * nh + f->host] = 1;
    }
    size_t entries = 0;
    for (size_t r = 0; r < s->nreqs; r++) {
        const rk_requirement *req = &s->reqs[r];
        if (req->check.kind != RK_CHECK_MANUAL) continue;
        int first = 1;
        for (size_t h = 0; h < nh; h++) {
            if (!manual[r * nh + h]) continue;
            if (!entries) fputs("attestations:\n", fp);
            if (first) {
                fputc('\n', fp);
                snprintf(line, sizeof line, "%s: ", req->id);
                yaml_comment(fp, "  ", line, req->title);
                yaml_comment(fp, "  ", "Expected: ", req->expected);
                if (req->check.nsteps) fputs("  # Steps:\n", fp);
                for (size_t k = 0; k < req->check.nsteps; k++) {
                    snprintf(line, sizeof line, "  %zu. ", k + 1);
                    yaml_comment(fp, "  ", line, req->check.steps[k]);
                }
                first = 0;
            }
            fprintf(fp, "  - requirement: %s\n    hosts: ", req->id);
            yaml_quoted(fp, p->hosts[h].name);
            fputs(
                "\n    attested_by: \"\"\n    date: \"\"\n    evidence: \"\"\n    expires: \"\"\n",
                fp);
            entries++;
        }
    }
    free(manual);
    if (!entries) fputs("# No manual check applies to this project.\nattestations: []\n", fp);
}

