/* pdf_attach.h - the PDF writer's embedded files (pdf.c calls it): a document's
 * attachments as file attachments of the PDF, each file's bytes checked against the
 * SHA-256 they were assessed with. Only the PDF writer includes this header. */
#ifndef RK_PDF_ATTACH_H
#define RK_PDF_ATTACH_H

#include <stddef.h>
#include <hpdf.h>

#include "doc.h"

/* The largest file attached; inputs are bounded by their loaders, none above it. */
#define RK_PDF_ATTACH_MAX (1024u * 1024u * 1024u) /* a fleet's baseline findings.json: hundreds of MB */

/* Embeds doc's attachments in pdf: the catalog's /Names /EmbeddedFiles, sorted by name,
 * each a /Filespec with /F (ASCII), /UF and /Desc (UTF-16), and an /EmbeddedFile stream
 * (Flate) with /Params /Size; no dates, so the bytes reproduce. A file in pack (may be
 * NULL) is taken from there, read and deflated once for every PDF. A file that cannot be read
 * or no longer has its SHA-256 is RK_INPUT (message in err: the input changed after it
 * was assessed); a libharu failure is RK_OUTPUT. */
rk_err rk_pdf_attach(HPDF_Doc pdf, const rk_doc *doc, rk_pdf_pack *pack, const char *path,
                     char *err, size_t errlen);

#endif
