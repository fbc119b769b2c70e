/* evidence.h - the inputs of an assessment attached to its PDFs, so that a signed PDF
 * carries what it was made from: the digest's manifest and every input file there is. */
#ifndef RK_EVIDENCE_H
#define RK_EVIDENCE_H

#include "assess.h"
#include "doc.h"

/* The manifest: exactly the text the document digest is the SHA-256 of
 * (rk_inputs_manifest), one "SHA256  KIND:PATH" line per input. Its description is
 * "digest"; every other attachment's is "KIND:PATH" of its input. */
#define RK_EVIDENCE_MANIFEST "inputs.sha256"
#define RK_EVIDENCE_MANIFEST_DESC "digest"

/* Adds the manifest and one attachment per input that is not missing: named after its
 * display path with folders flattened (rk_evidence_name), described "KIND:PATH", to be
 * read from the file as opened and checked against its SHA-256 when the PDF is written.
 * The document's keywords gain the digest when they do not name it yet. */
void rk_evidence_attach(rk_doc *doc, const rk_assessment *a);

/* An attachment's file name for an input's display path: '/' and '\' become '_', as do
 * control characters and a leading '.', so that pdfdetach -saveall writes every file into
 * one folder and never outside it ("facts/mpe01.json" -> "facts_mpe01.json"). Caller
 * frees. */
char *rk_evidence_name(const char *path);

#endif
