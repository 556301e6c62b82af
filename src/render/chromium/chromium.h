// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * HTML → PDF with Debian's headless Chromium, the fidelity reference (Lob's renderer is
 * WebKit-family). One persistent browser driven over the DevTools pipe (cdp.h) and a small
 * pool of pages, shared by any number of threads. Pages run no scripts and reach no network:
 * only data: URLs load. A crashed browser is restarted and the render retried once.
 * docs/internals/render_chromium.md.
 */
#ifndef FRANK_RENDER_CHROMIUM_H
#define FRANK_RENDER_CHROMIUM_H
#include <stddef.h>
#include <sys/types.h>
#include "core/err.h"
#include "render/html_pdf.h"

#define CHROMIUM_DEFAULT_PATH "/usr/bin/chromium"
#define CHROMIUM_TIMEOUT_MS 30000	/* per render (a batch gets more per piece) */
#define CHROMIUM_READY_MS 5000	/* waiting for a loaded document's fonts and images */
#define CHROMIUM_POOL_DEFAULT 2	/* pages; the machine's cores are the real limit */
#define CHROMIUM_POOL_MAX 8
#define CHROMIUM_MAX_HTML ((size_t)20 << 20)	/* as the MuPDF renderer and Handlebars */
#define CHROMIUM_MAX_PAGES 1000	/* printed at most, whatever max_pages says */
#define CHROMIUM_MAX_PDF ((size_t)256 << 20)	/* bytes of one printed PDF */
#define CHROMIUM_BATCH_MAX 100	/* pieces per print call */
#define CHROMIUM_BATCH_BYTES ((size_t)32 << 20)	/* HTML per print call */
#define CHROMIUM_MIN_INCHES 0.5	/* page sides accepted */
#define CHROMIUM_MAX_INCHES 100.0

struct chromium;

/*
 * Start the browser at path (NULL: CHROMIUM_DEFAULT_PATH) with pool_size pages (0: the
 * default; made on first use). NULL with *err (ERR_SERVICE_UNAVAILABLE) when it does not
 * start and answer.
 */
struct chromium *chromium_open(const char *path, unsigned pool_size, struct api_error *err);

/* per-render timeout in ms (default CHROMIUM_TIMEOUT_MS); for tests and operators */
void chromium_set_timeout(struct chromium *cr, int timeout_ms);

/*
 * Render html (len bytes, UTF-8; need not be NUL-terminated) on pages of w_in x h_in inches
 * (the product's artboard, trim + bleed): zero margins, backgrounds printed, the document's
 * own @page size ignored. At most max_pages pages (0: CHROMIUM_MAX_PAGES): the rest is
 * trimmed, as Lob trims HTML. 0 with *pdf (malloc'd), *pdf_len, *pages; or -1 with *err:
 * ERR_PAYLOAD_TOO_LARGE beyond CHROMIUM_MAX_HTML; ERR_INVALID_TEMPLATE_HTML when the document
 * takes longer than the timeout, crashes the renderer twice, navigates away or prints more
 * than CHROMIUM_MAX_PDF bytes; ERR_SERVICE_UNAVAILABLE when the browser cannot run (a job
 * may retry later); ERR_INTERNAL for anything else.
 */
int chromium_html_to_pdf(struct chromium *cr, const char *html, size_t len, double w_in,
			 double h_in, unsigned max_pages, unsigned char **pdf, size_t *pdf_len,
			 unsigned *pages, struct api_error *err);

/*
 * Render n documents — typically merged copies of one template — each exactly as
 * chromium_html_to_pdf would, printing as many as possible in one browser call and splitting
 * the result (docs/internals/render_chromium.md says which documents print together and
 * why that is exact). out[i] gets document i's outcome. Returns how many failed (0: all
 * rendered); *err then describes the first failure.
 */
int chromium_html_batch(struct chromium *cr, const char *const *htmls, const size_t *lens,
			size_t n, double w_in, double h_in, unsigned max_pages,
			struct pdf_piece *out, struct api_error *err);

/* the browser's process id now (-1 if none): tests kill it to check recovery */
pid_t chromium_browser_pid(struct chromium *cr);

/*
 * 0 when a browser runs with its DevTools pipe open; after a crash, starts one now rather
 * than at the next render (a readiness check must not wait for a render that may not come).
 * -1 with *err when it cannot start.
 */
int chromium_revive(struct chromium *cr, struct api_error *err);

/* requests from pages refused so far */
unsigned long chromium_blocked_requests(struct chromium *cr);

/* stop the browser, remove its profile, free cr (no render may be running) */
void chromium_close(struct chromium *cr);
#endif
