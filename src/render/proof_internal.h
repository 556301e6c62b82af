/* Internal to the proof pipeline (proof_*.c): MuPDF buffers and documents in memory. */
#ifndef FRANK_RENDER_PROOF_INTERNAL_H
#define FRANK_RENDER_PROOF_INTERNAL_H
#include "render/proof.h"
#include "render/fz.h"
#include <mupdf/pdf.h>

/* a MuPDF buffer's bytes into malloc'd memory; 0 or -1 (out of memory) */
int proof_take_buffer(fz_context *ctx, fz_buffer *buf, unsigned char **out, size_t *out_len);
/* a PDF in memory as a document (throws on a damaged file) */
pdf_document *proof_open_pdf(fz_context *ctx, const unsigned char *data, size_t len);
/* the document saved to malloc'd memory (throws) ; 0 or -1 out of memory */
int proof_save_pdf(fz_context *ctx, pdf_document *doc, unsigned char **out, size_t *out_len);
#endif
