/* verify.h - `readykit verify`: checks the evidence of a render. A PDF is checked against
 * the inputs embedded in it (evidence.h); an output folder against its SHA256SUMS, the
 * input files at the paths findings.json records, and the PDFs in it. The results are
 * data; the command line words and prints them. */
#ifndef RK_VERIFY_H
#define RK_VERIFY_H

#include <stddef.h>
#include "diag.h"

typedef enum rk_vstate {
    RK_VERIFY_OK,
    RK_VERIFY_DIFFERS,   /* the bytes are not the ones recorded, or a file is missing */
    RK_VERIFY_UNREADABLE /* the file could not be read: nothing can be said */
} rk_vstate;

typedef struct rk_vitem {
    char *area; /* "SHA256SUMS", "input", "digest", or a PDF's name (its embedded files) */
    char *name; /* the file checked ("readiness.pdf", "facts/mpe01.json"), or the digest */
    rk_vstate state;
    char *detail; /* why it differs or cannot be read; NULL when it matches */
} rk_vitem;

typedef struct rk_verify {
    rk_vitem *items;
    size_t n;
    size_t differs, unreadable;
} rk_verify;

/* The largest PDF read (the documents of 2,000 hosts stay well below it). */
#define RK_VERIFY_MAX_PDF (2048ull * 1024u * 1024u)

/* A PDF written by `readykit render`: every embedded input's SHA-256 against the embedded
 * manifest, the inputs the manifest names against those embedded, and the digest
 * recomputed from the embedded files (and the manifest's missing lines) against the one
 * the PDF's keywords name. NULL with d filled when the file is not a PDF that can be
 * read or carries no evidence (no digest, no attachments). */
rk_verify *rk_verify_pdf(const char *path, rk_diag *d);

/* An output folder: each document of its SHA256SUMS, each input of its findings.json
 * (resolved under project_dir, schema inputs "schemas/..." under schema_dir; a path
 * recorded outside the project folder as it was given), the digest recomputed from the
 * files found against findings.json's, and each PDF of the folder as rk_verify_pdf does.
 * NULL with d filled when SHA256SUMS or findings.json cannot be read or understood. */
rk_verify *rk_verify_dir(const char *dir, const char *project_dir, const char *schema_dir,
                         rk_diag *d);

void rk_verify_free(rk_verify *v); /* NULL is a no-op */

/* 1 when the file starts like a PDF ("%PDF-"). */
int rk_verify_is_pdf(const char *path);

#endif
