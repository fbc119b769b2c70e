/* pipeline.h - loads every input of an assessment and evaluates it: schema (and its
 * translation), project, facts, waivers, attestations; flows, rules, findings,
 * exceptions and verdicts. The data the document models are built from. */
#ifndef RK_PIPELINE_H
#define RK_PIPELINE_H

#include "assess.h"

typedef struct rk_load_opts {
    const char *project;       /* project file */
    const char *schema_dir;    /* where <schema id>.yaml and its translations are
                                  found (and facts.schema.json, unless facts_schema) */
    const char *lang;          /* document language (NULL: the project's); its schema
                                  translation is applied when it is not English */
    const char *waivers;       /* overrides the project's `waivers:` (may be NULL) */
    const char *attestations;  /* overrides the project's `attestations:` (may be NULL) */
    const char *baseline;      /* an earlier findings.json (render --baseline), hashed as
                                  an input so the digest covers it; may be NULL */
    int no_facts;              /* plan, inventory: the project and schema alone; fact
                                  files are neither read nor required, nothing is
                                  evaluated (flows are still expanded) */
    const char *facts_schema;  /* facts.schema.json; NULL: the one in schema_dir */
} rk_load_opts;

/* Loads and evaluates. On RK_OK *out owns everything; otherwise d says what is wrong
 * and *out is NULL. Warnings go to (*out)->warnings, or to w when loading failed. */
rk_err rk_assess_load(const rk_load_opts *o, rk_assessment **out, rk_diag *d, rk_warnings *w);

/* The language the documents are in: o->lang, else the project's. */
const char *rk_assess_lang(const rk_load_opts *o, const rk_assessment *a);

/* Display path of an input: relative to the project folder when under it, else as
 * given. Used in documents and the digest so that they do not depend on where the
 * project folder sits. Caller frees. */
char *rk_input_display_path(const rk_project *p, const char *path);

/* The text the document digest is the SHA-256 of: one line "SHA256  KIND:PATH\n" per
 * input ("missing" for a fact file that is not there), sorted bytewise. Caller frees. */
char *rk_inputs_manifest(const rk_input *inputs, size_t n);

#define RK_STALE_DAYS 30

#endif
