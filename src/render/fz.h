/*
 * MuPDF contexts for Frank's threads. MuPDF needs one context per thread, cloned from a base
 * context that has locks; frank_fz() gives the calling thread its own (made on first use,
 * dropped when the thread exits). Use fz_try/fz_catch around every MuPDF call as usual.
 */
#ifndef FRANK_RENDER_FZ_H
#define FRANK_RENDER_FZ_H
#include <mupdf/fitz.h>

/* this thread's context, or NULL when MuPDF could not start (out of memory) */
fz_context *frank_fz(void);
#endif
