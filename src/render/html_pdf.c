// SPDX-License-Identifier: AGPL-3.0-or-later
/* The HTML → PDF interface over the chromium and mupdf backends (see html_pdf.h). */
#include "render/html_pdf.h"
#include "core/log.h"
#include "core/metrics.h"
#include "render/chromium/chromium.h"
#include "render/mupdf/mupdf_html.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct html_renderer {
	struct chromium *cr;	/* NULL: the mupdf backend */
};

static const struct metric render_seconds = {
	"frank_render_seconds",
	"HTML to PDF: time of one render call (one document, or a batch of one page size), by renderer",
	METRIC_HISTOGRAM, { "renderer" }, metric_buckets_seconds, 15
};
static const struct metric render_documents = {
	"frank_render_documents_total", "HTML documents rendered to PDF, by renderer and result",
	METRIC_COUNTER, { "renderer", "result" }, NULL, 0
};

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* one render call's duration and its documents' results */
static void count_render(const struct html_renderer *r, double t0, size_t ok, size_t failed)
{
	const char *kind = html_renderer_kind(r);
	metric_obs(&render_seconds, mono_s() - t0, kind);
	if (ok)
		metric_add(&render_documents, (double)ok, (const char *const[]){ kind, "ok" });
	if (failed)
		metric_add(&render_documents, (double)failed, (const char *const[]){ kind, "failed" });
}

void pdf_pieces_free(struct pdf_piece *pieces, size_t n)
{
	for (size_t i = 0; pieces && i < n; i++) {
		free(pieces[i].pdf);
		pieces[i].pdf = NULL;
		pieces[i].len = 0;
	}
}

struct html_renderer *html_renderer_open(const char *kind, const char *chromium_path,
					 struct api_error *err)
{
	if (!kind || !kind[0])
		kind = "auto";
	bool want_chromium = strcmp(kind, "chromium") == 0, is_auto = strcmp(kind, "auto") == 0;
	if (!want_chromium && !is_auto && strcmp(kind, "mupdf") != 0) {
		api_fail(err, ERR_INVALID, "unknown renderer '%.40s' (chromium, mupdf or auto)", kind);
		return NULL;
	}
	struct html_renderer *r = calloc(1, sizeof *r);
	if (!r) {
		api_fail(err, ERR_INTERNAL, "out of memory");
		return NULL;
	}
	const char *path = chromium_path && chromium_path[0] ? chromium_path
		: CHROMIUM_DEFAULT_PATH;
	if (want_chromium) {
		r->cr = chromium_open(path, 0, err);
		if (!r->cr) {
			free(r);
			return NULL;
		}
	} else if (is_auto) {
		/* chromium when it is installed and answers; otherwise the built-in renderer */
		struct api_error why = { 0 };
		if (strchr(path, '/') && access(path, X_OK) != 0)
			api_fail(&why, ERR_SERVICE_UNAVAILABLE, "%s is not installed", path);
		else
			r->cr = chromium_open(path, 0, &why);
		if (r->cr)
			log_msg(LOG_INFO, "renderer: auto chose chromium (%s)", path);
		else
			log_msg(LOG_INFO, "renderer: auto chose mupdf: %s", why.message);
	}
	return r;
}

int html_renderer_render(struct html_renderer *r, const char *html, size_t len, double w_in,
			 double h_in, unsigned max_pages, unsigned char **pdf, size_t *pdf_len,
			 unsigned *pages, struct api_error *err)
{
	double t0 = mono_s();
	int rc = r->cr ? chromium_html_to_pdf(r->cr, html, len, w_in, h_in, max_pages, pdf, pdf_len,
					      pages, err)
		       : mupdf_html_to_pdf(html, len, w_in, h_in, max_pages, pdf, pdf_len, pages,
					   err);
	count_render(r, t0, rc == 0, rc != 0);
	return rc;
}

static int mupdf_batch(const char *const *htmls, const size_t *lens, size_t n, double w_in,
		       double h_in, unsigned max_pages, struct pdf_piece *out,
		       struct api_error *err)
{
	struct mupdf_html_doc *docs = calloc(n ? n : 1, sizeof *docs);
	struct mupdf_html_result *res = calloc(n ? n : 1, sizeof *res);
	if (!docs || !res) {
		free(docs);
		free(res);
		for (size_t i = 0; i < n; i++) {
			out[i] = (struct pdf_piece){ .rc = -1 };
			api_fail(&out[i].err, ERR_INTERNAL, "out of memory");
		}
		if (n)
			*err = out[0].err;
		return (int)n;
	}
	for (size_t i = 0; i < n; i++)
		docs[i] = (struct mupdf_html_doc){ .html = htmls[i] ? htmls[i] : "",
						   .len = htmls[i] ? lens[i] : 0 };
	mupdf_html_batch(docs, n, w_in, h_in, max_pages, res);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		out[i] = (struct pdf_piece){ .rc = res[i].rc, .pdf = res[i].pdf, .len = res[i].len,
					     .pages = res[i].pages, .err = res[i].err };
		if (res[i].rc != 0 && failed++ == 0)
			*err = res[i].err;
	}
	free(docs);
	free(res);	/* the PDFs now belong to out */
	return failed;
}

int html_renderer_batch(struct html_renderer *r, const char *const *htmls, const size_t *lens,
			size_t n, double w_in, double h_in, unsigned max_pages,
			struct pdf_piece *out, struct api_error *err)
{
	double t0 = mono_s();
	int failed = r->cr ? chromium_html_batch(r->cr, htmls, lens, n, w_in, h_in, max_pages, out,
						 err)
			   : mupdf_batch(htmls, lens, n, w_in, h_in, max_pages, out, err);
	size_t bad = failed < 0 ? n : (size_t)failed > n ? n : (size_t)failed;
	count_render(r, t0, n - bad, bad);
	return failed;
}

const char *html_renderer_kind(const struct html_renderer *r)
{
	return r->cr ? "chromium" : "mupdf";
}

bool html_renderer_ready(struct html_renderer *r, char *why, size_t n)
{
	if (!r) {
		snprintf(why, n, "no renderer");
		return false;
	}
	if (!r->cr)
		return true;	/* mupdf runs in-process */
	struct api_error err = { 0 };
	if (chromium_revive(r->cr, &err) == 0)
		return true;
	snprintf(why, n, "the chromium browser is down and does not start again: %s", err.message);
	return false;
}

void html_renderer_close(struct html_renderer *r)
{
	if (!r)
		return;
	chromium_close(r->cr);
	free(r);
}
