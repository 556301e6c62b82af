// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * One page's steps in a render (see chromium_internal.h): load a document and wait for it,
 * evaluate our scripts, print and read the PDF back in chunks.
 */
#include "core/log.h"
#include "render/chromium/chromium_internal.h"
#include "core/ids.h"
#include "pdf/fz.h"
#include "pdf/pdf_util.h"
#include <limits.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IO_CHUNK (4 << 20)	/* bytes per IO.read: replies stay far below CDP_MAX_MESSAGE */

int chromium_nonce(char out[33])
{
	return ids_random_hex("", 16, out, 33);
}

int chromium_page_call(struct chromium_job *job, const char *method, json_t *params,
		       json_t **result, struct api_error *err)
{
	long long left = job->deadline - chromium_now_ms();
	if (result)
		*result = NULL;
	if (!job->b) {
		json_decref(params);
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: %s: no browser", method);
		return CDP_DEAD;
	}
	if (left <= 0) {
		json_decref(params);
		api_fail(err, ERR_REQUEST_TIMEOUT, "chromium: %s: out of time", method);
		return CDP_TIMEOUT;
	}
	return cdp_call(job->b->cdp, job->page->session, method, params,
			left > INT_MAX ? INT_MAX : (int)left, result, err);
}

int chromium_page_eval(struct chromium_job *job, const char *expr, json_t **value,
		       struct api_error *err)
{
	json_t *res = NULL;
	if (value)
		*value = NULL;
	int st = chromium_page_call(job, "Runtime.evaluate",
				    json_pack("{s:s,s:b,s:b}", "expression", expr, "awaitPromise", 1,
					      "returnByValue", 1), &res, err);
	if (st != CDP_OK)
		return st;
	json_t *ex = json_object_get(res, "exceptionDetails");
	if (ex) {
		json_t *exc = json_object_get(ex, "exception");
		const char *d = json_string_value(json_object_get(exc, "description"));
		const char *t = json_string_value(json_object_get(ex, "text"));
		api_fail(err, ERR_INTERNAL, "chromium: script failed: %s", d ? d : t ? t : "?");
		json_decref(res);
		return CDP_ERROR;
	}
	if (value) {
		json_t *v = json_object_get(json_object_get(res, "result"), "value");
		*value = v ? json_incref(v) : json_null();
	}
	json_decref(res);
	return CDP_OK;
}

int chromium_page_load(struct chromium_job *job, const char *html, size_t len, double w_in,
		       double h_in, const char *nonce, struct api_error *err)
{
	struct chromium_page *pg = job->page;
	/* the viewport is the page: vw/vh and the batch script's measurements match print */
	int cw = (int)lround(w_in * 96), ch = (int)lround(h_in * 96);
	int st = CDP_OK;
	if (pg->css_w != cw || pg->css_h != ch) {
		st = chromium_page_call(job, "Emulation.setDeviceMetricsOverride",
					json_pack("{s:i,s:i,s:i,s:b}", "width", cw, "height", ch,
						  "deviceScaleFactor", 1, "mobile", 0), NULL, err);
		if (st != CDP_OK)
			return st;
		pg->css_w = cw, pg->css_h = ch;
	}
	json_t *doc = json_stringn(html, len);
	if (!doc) {
		api_fail(err, ERR_INTERNAL, "chromium: the document is not valid UTF-8");
		return CDP_ERROR;
	}
	/* one message however large the document (a data: URL navigation caps at 2 MB) */
	st = chromium_page_call(job, "Page.setDocumentContent",
				json_pack("{s:s,s:o}", "frameId", pg->frame, "html", doc), NULL, err);
	if (st != CDP_OK)
		return st;
	size_t n = strlen(chromium_ready_js) + 64;
	char *expr = malloc(n);
	if (!expr) {
		api_fail(err, ERR_INTERNAL, "chromium: out of memory");
		return CDP_ERROR;
	}
	snprintf(expr, n, "%s('%s')", chromium_ready_js, nonce);
	/* the wait for fonts and images is bounded on its own: a headless page can leave one of
	 * their promises pending for ever (seen about once in ten renders of a page whose remote
	 * files were all refused); past the bound the document prints as it is laid out */
	long long deadline = job->deadline, ready_by = chromium_now_ms() + CHROMIUM_READY_MS;
	if (ready_by < deadline)
		job->deadline = ready_by;
	st = chromium_page_eval(job, expr, NULL, err);
	job->deadline = deadline;
	if (st == CDP_TIMEOUT && chromium_now_ms() < deadline) {
		log_msg(LOG_WARN, "chromium: fonts or images did not settle within %d ms; printing "
				  "the document as laid out", CHROMIUM_READY_MS);
		snprintf(expr, n, "document.__frank = '%s', document.compatMode", nonce);
		st = chromium_page_eval(job, expr, NULL, err);
	}
	free(expr);
	return st;
}

/* append one IO.read chunk (base64 or text) to *buf; -1 when over the cap or malformed */
static int append_chunk(json_t *res, unsigned char **buf, size_t *len, size_t *cap)
{
	const char *data = json_string_value(json_object_get(res, "data"));
	size_t dlen = json_string_length(json_object_get(res, "data"));
	if (!data)
		return -1;
	bool b64 = json_is_true(json_object_get(res, "base64Encoded"));
	if (b64 && dlen % 4 != 0)
		return -1;
	size_t need = b64 ? dlen / 4 * 3 : dlen;
	if (*len + need > CHROMIUM_MAX_PDF)
		return -2;
	if (*len + need > *cap) {
		size_t ncap = *cap ? *cap : 1 << 20;
		while (ncap < *len + need)
			ncap *= 2;
		unsigned char *nb = realloc(*buf, ncap);
		if (!nb)
			return -1;
		*buf = nb, *cap = ncap;
	}
	if (!b64) {
		memcpy(*buf + *len, data, dlen);
		*len += dlen;
		return 0;
	}
	if (dlen == 0)
		return 0;
	int got = EVP_DecodeBlock(*buf + *len, (const unsigned char *)data, (int)dlen);
	if (got < 0)
		return -1;
	/* EVP_DecodeBlock counts padding as output bytes */
	got -= (data[dlen - 1] == '=') + (data[dlen - 2] == '=');
	*len += (size_t)got;
	return 0;
}

/* read the print stream into *pdf */
static int read_stream(struct chromium_job *job, const char *handle, unsigned char **pdf,
		       size_t *len, struct api_error *err)
{
	size_t cap = 0;
	int st = CDP_OK;
	for (;;) {
		json_t *res = NULL;
		st = chromium_page_call(job, "IO.read",
					json_pack("{s:s,s:i}", "handle", handle, "size", IO_CHUNK),
					&res, err);
		if (st != CDP_OK)
			break;
		int a = append_chunk(res, pdf, len, &cap);
		bool eof = json_is_true(json_object_get(res, "eof"));
		json_decref(res);
		if (a == -2) {
			api_fail(err, ERR_INVALID_TEMPLATE_HTML, "the HTML prints to more than %zu MB "
				 "of PDF", CHROMIUM_MAX_PDF >> 20);
			st = CDP_ERROR;
			break;
		}
		if (a != 0) {
			api_fail(err, ERR_INTERNAL, "chromium: unreadable print data");
			st = CDP_ERROR;
			break;
		}
		if (eof)
			break;
	}
	struct api_error ignored = { 0 };
	if (st != CDP_TIMEOUT && st != CDP_DEAD && st != CDP_DETACHED)
		chromium_page_call(job, "IO.close", json_pack("{s:s}", "handle", handle), NULL,
				   &ignored);
	return st;
}

int chromium_page_print(struct chromium_job *job, double w_in, double h_in, unsigned max_pages,
			const char *nonce, unsigned char **pdf, size_t *len, struct api_error *err)
{
	*pdf = NULL;
	*len = 0;
	/* untagged: the structure tree doubles print time and nobody reads it on paper */
	json_t *params = json_pack("{s:f,s:f,s:i,s:i,s:i,s:i,s:b,s:b,s:b,s:s}",
				   "paperWidth", w_in, "paperHeight", h_in, "marginTop", 0,
				   "marginBottom", 0, "marginLeft", 0, "marginRight", 0,
				   "printBackground", 1, "preferCSSPageSize", 0,
				   "generateTaggedPDF", 0, "transferMode", "ReturnAsStream");
	if (max_pages) {
		char ranges[32];
		snprintf(ranges, sizeof ranges, "1-%u", max_pages);
		json_object_set_new(params, "pageRanges", json_string(ranges));
	}
	json_t *res = NULL;
	int st = chromium_page_call(job, "Page.printToPDF", params, &res, err);
	if (st != CDP_OK)
		return st;
	const char *handle = json_string_value(json_object_get(res, "stream"));
	if (!handle) {
		json_decref(res);
		api_fail(err, ERR_INTERNAL, "chromium: printToPDF returned no stream");
		return CDP_ERROR;
	}
	st = read_stream(job, handle, pdf, len, err);
	json_decref(res);
	if (st == CDP_OK && nonce) {
		/* a document that navigated away (a refresh we missed, a form) prints something else */
		json_t *v = NULL;
		st = chromium_page_eval(job, "document.__frank", &v, err);
		if (st == CDP_OK && !(json_is_string(v) && strcmp(json_string_value(v), nonce) == 0)) {
			api_fail(err, ERR_INVALID_TEMPLATE_HTML, "the HTML navigated away from itself "
				 "before it printed (a refresh or redirect?)");
			st = CDP_ERROR;
		}
		json_decref(v);
	}
	if (st != CDP_OK) {
		free(*pdf);
		*pdf = NULL;
		*len = 0;
	}
	return st;
}

int chromium_count_pages(const unsigned char *pdf, size_t len, unsigned *pages,
			 struct api_error *err)
{
	fz_context *ctx = frank_fz();
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "chromium: MuPDF could not start");
	pdf_document *doc = NULL;
	int rc = 0;
	fz_var(doc);
	fz_try(ctx) {
		doc = pdfu_open(ctx, pdf, len);
		int n = pdf_count_pages(ctx, doc);
		*pages = n > 0 ? (unsigned)n : 0;
		if (n <= 0)
			fz_throw(ctx, FZ_ERROR_GENERIC, "no pages");
	}
	fz_always(ctx)
		pdf_drop_document(ctx, doc);
	fz_catch(ctx)
		rc = api_fail(err, ERR_INTERNAL, "chromium: the browser printed an unreadable PDF: "
			      "%s", fz_caught_message(ctx));
	return rc;
}
