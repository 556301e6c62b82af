// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * MuPDF contexts for Frank's threads. MuPDF needs one context per thread, cloned from a base
 * context that has locks; frank_fz() gives the calling thread its own (made on first use,
 * dropped when the thread exits). Customer files run in budgeted contexts instead (budget.h).
 * Use fz_try/fz_catch around every MuPDF call as usual.
 */
#ifndef FRANK_PDF_FZ_H
#define FRANK_PDF_FZ_H
#include <mupdf/fitz.h>

/*
 * this thread's context — inside a budgeted call (pdf/budget.h) that call's own — or NULL
 * when MuPDF could not start (out of memory)
 */
fz_context *frank_fz(void);
/* a single-threaded context with Frank's handlers and log messages, on this allocator */
fz_context *frank_fz_new_context(const fz_alloc_context *alloc, size_t max_store);
#endif
