// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Inside the Chromium renderer: the browser (refcounted: a restart swaps in a new one while
 * callers still hold the old), the pool of pages, and the steps of one render that the
 * single and batch paths share. Not for use outside src/render/chromium/chromium*.c.
 */
#ifndef FRANK_RENDER_CHROMIUM_INTERNAL_H
#define FRANK_RENDER_CHROMIUM_INTERNAL_H
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "render/chromium/cdp.h"
#include "render/chromium/chromium.h"

#define CHROMIUM_ID_MAX 64	/* target, session and frame ids are 32 hex digits */

struct chromium_browser {
	struct cdp *cdp;
	unsigned gen;		/* pages made by an older generation are gone with it */
	unsigned refs;		/* the chromium's own reference + one per job using it */
};

struct chromium_page {
	char target[CHROMIUM_ID_MAX], session[CHROMIUM_ID_MAX], frame[CHROMIUM_ID_MAX];
	unsigned gen;		/* browser generation that made it; 0: not made */
	bool busy;
	atomic_bool crashed;	/* its renderer crashed or it was detached while idle */
	int css_w, css_h;	/* viewport last set, CSS px */
};

struct chromium {
	char *path;
	unsigned pool;
	int timeout_ms;
	pthread_mutex_t mu;	/* cur, gen, pages[].busy */
	pthread_cond_t cv;	/* a page was released */
	pthread_mutex_t restart_mu;	/* one restart at a time */
	struct chromium_browser *cur;
	unsigned gen;
	struct chromium_page pages[CHROMIUM_POOL_MAX];
	atomic_ulong blocked;	/* requests refused (tests and logs) */
};

/* one thread's hold on a page of a browser until release, with a deadline for its work */
struct chromium_job {
	struct chromium *cr;
	struct chromium_browser *b;
	struct chromium_page *page;
	long long deadline;	/* CLOCK_MONOTONIC ms */
};

long long chromium_now_ms(void);

/*
 * Take a free page (waiting for one until the deadline), starting the browser or making the
 * page when needed. 0, or -1 with *err (ERR_SERVICE_UNAVAILABLE).
 */
int chromium_job_acquire(struct chromium *cr, struct chromium_job *job, long long deadline,
			 struct api_error *err);
/* close the job's page (its state is unknown after a timeout or crash); made again on use */
void chromium_job_discard(struct chromium_job *job);
/* after a crash: a fresh page, in a restarted browser if it died; 0 or -1 with *err */
int chromium_job_renew(struct chromium_job *job, struct api_error *err);
/* make sure the job has a live browser and a made page (renewing if not); 0 or -1 */
int chromium_job_ensure(struct chromium_job *job, struct api_error *err);
/* give the page back */
void chromium_job_release(struct chromium_job *job);

/* a command on the job's page within the job's deadline; a cdp_status */
int chromium_page_call(struct chromium_job *job, const char *method, json_t *params,
		       json_t **result, struct api_error *err);

/*
 * Evaluate a script expression in the page, awaiting a promise it returns; *value (if value
 * is not NULL) gets its JSON value (a new reference). A cdp_status; a script exception is
 * CDP_ERROR with ERR_INTERNAL.
 */
int chromium_page_eval(struct chromium_job *job, const char *expr, json_t **value,
		       struct api_error *err);

/*
 * Show html (valid UTF-8, NUL-terminated) on the page at w_in x h_in and wait until it has
 * loaded (images decoded, fonts ready); nonce marks this document. A cdp_status.
 */
int chromium_page_load(struct chromium_job *job, const char *html, size_t len, double w_in,
		       double h_in, const char *nonce, struct api_error *err);

/*
 * Print the loaded document at w_in x h_in (zero margins, backgrounds), at most max_pages
 * (0: all). A cdp_status; CDP_ERROR with ERR_INVALID_TEMPLATE_HTML when the document
 * navigated away or the PDF is too large.
 */
int chromium_page_print(struct chromium_job *job, double w_in, double h_in, unsigned max_pages,
			const char *nonce, unsigned char **pdf, size_t *len, struct api_error *err);

/*
 * Render one prepared document on the job's page, renewing the page once after a crash.
 * 0 or -1 with *err (the error kinds of chromium_html_to_pdf).
 */
int chromium_render_held(struct chromium_job *job, const char *html, size_t len, double w_in,
			 double h_in, unsigned max_pages, unsigned char **pdf, size_t *pdf_len,
			 unsigned *pages, struct api_error *err);

/* a fresh random token for marking documents and batch pieces (32 hex digits) */
int chromium_nonce(char out[33]);

/* pages of a PDF (MuPDF); -1 with *err when it cannot be read */
int chromium_count_pages(const unsigned char *pdf, size_t len, unsigned *pages,
			 struct api_error *err);

/*
 * Customer HTML as the browser gets it: valid UTF-8 (bad bytes become U+FFFD, as a browser
 * decodes them) and <meta http-equiv=refresh> disarmed (it would navigate away from the
 * document before it prints). malloc'd and NUL-terminated; NULL when out of memory.
 */
char *chromium_prep_html(const char *html, size_t len, size_t *out_len);

/* the scripts run in pages (chromium_scripts.c) */
extern const char chromium_ready_js[];	/* (nonce) → wait for load, fonts, images */
/* the batch script applied to its arguments (pieces_json: a JSON array of the documents) */
char *chromium_batch_expr(const char *pieces_json, const char *nonce, double page_w_px,
			  double page_h_px, unsigned max_pages);

/*
 * Cut a printed batch at its pieces' marker links (URIs prefix + slot number, one at the top
 * of each piece's first page). in_pdf[k] says whether slot k was printed; for those, out[k]
 * gets the piece's pages (at most max_pages) and full_pages[k] how many it printed.
 * 0, or -1 with *err when a marker is missing or out of order (nothing is left allocated).
 */
int chromium_split_marked(const unsigned char *pdf, size_t len, const char *prefix,
			  const bool *in_pdf, size_t m, unsigned max_pages, struct pdf_piece *out,
			  unsigned *full_pages, struct api_error *err);
#endif
