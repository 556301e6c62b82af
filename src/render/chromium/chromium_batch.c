// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Batch mode (see chromium_html_batch): rounds of up to CHROMIUM_BATCH_MAX documents. A
 * round shows its first document, moves the others' bodies into the same page with the batch
 * script (chromium_scripts.c), prints once and cuts the PDF at the pieces' markers
 * (chromium_split.c). The script leaves out what it cannot reproduce exactly: documents with
 * other styles wait for a later round (led by one of them), the rest render alone. Every
 * document is therefore rendered exactly once as chromium_html_to_pdf would render it.
 */
#include "render/chromium/chromium_internal.h"
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROUND_MS_PER_PIECE 250	/* a round's deadline grows with its size */

enum fate { WAIT, PRINTED, RETRY, ALONE, DONE };

struct batch {
	struct chromium_job job;
	char **html;		/* prepared documents (NULL: failed before rendering) */
	size_t *len;
	enum fate *fate;
	struct pdf_piece *out;
	double w_in, h_in;
	unsigned max_pages;
};

/* the round's documents as one JSON array (valid JavaScript), or NULL */
static char *pieces_json(struct batch *bt, const size_t *idx, size_t m)
{
	json_t *arr = json_array();
	for (size_t k = 0; k < m && arr; k++)
		if (json_array_append_new(arr, json_stringn(bt->html[idx[k]], bt->len[idx[k]])) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	char *s = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return s;
}

/* lay the round out in one page; fills codes (fates) and alone_if_long; a cdp_status */
static int arrange(struct batch *bt, const size_t *idx, size_t m, const char *nonce,
		   enum fate *fate, bool *alone_if_long, struct api_error *err)
{
	char *args = pieces_json(bt, idx, m);
	char *expr = args ? chromium_batch_expr(args, nonce, bt->w_in * 96, bt->h_in * 96,
						bt->max_pages) : NULL;
	free(args);
	if (!expr) {
		api_fail(err, ERR_INTERNAL, "chromium: out of memory");
		return CDP_ERROR;
	}
	json_t *v = NULL;
	int st = chromium_page_eval(&bt->job, expr, &v, err);
	free(expr);
	if (st != CDP_OK)
		return st;
	json_t *codes = json_object_get(v, "codes"), *why = json_object_get(v, "why");
	json_t *long_ = json_object_get(v, "alone_if_long");
	if (json_array_size(codes) != m || json_array_size(long_) != m) {
		json_decref(v);
		api_fail(err, ERR_INTERNAL, "chromium: the batch script answered nonsense");
		return CDP_ERROR;
	}
	size_t printed = 0;
	for (size_t k = 0; k < m; k++) {
		json_int_t c = json_integer_value(json_array_get(codes, k));
		/* the round's first document leads it: it never waits, or no round would progress */
		fate[k] = c == 0 ? PRINTED : c == 1 && k > 0 ? RETRY : ALONE;
		alone_if_long[k] = json_is_true(json_array_get(long_, k));
		printed += fate[k] == PRINTED;
		if (fate[k] == ALONE)
			log_msg(LOG_DEBUG, "chromium batch: document %zu renders alone: %s", idx[k],
				json_string_value(json_array_get(why, k)) ?
				json_string_value(json_array_get(why, k)) : "?");
	}
	log_msg(LOG_DEBUG, "chromium batch: %zu of %zu documents print together", printed, m);
	json_decref(v);
	return CDP_OK;
}

/* print the arranged round and hand each printed piece its pages */
static int print_round(struct batch *bt, const size_t *idx, size_t m, const char *nonce,
		       enum fate *fate, const bool *alone_if_long, struct api_error *err)
{
	unsigned char *pdf = NULL;
	size_t len = 0;
	int st = chromium_page_print(&bt->job, bt->w_in, bt->h_in, 0, NULL, &pdf, &len, err);
	if (st != CDP_OK)
		return st;
	struct pdf_piece *parts = calloc(m, sizeof *parts);
	unsigned *full = calloc(m, sizeof *full);
	bool *in_pdf = calloc(m, sizeof *in_pdf);
	char prefix[80];
	snprintf(prefix, sizeof prefix, "https://piece.invalid/%s/", nonce);
	if (!parts || !full || !in_pdf) {
		api_fail(err, ERR_INTERNAL, "chromium: out of memory");
		st = CDP_ERROR;
	} else {
		for (size_t k = 0; k < m; k++)
			in_pdf[k] = fate[k] == PRINTED;
		if (chromium_split_marked(pdf, len, prefix, in_pdf, m, bt->max_pages, parts, full,
					  err) != 0)
			st = CDP_ERROR;
	}
	for (size_t k = 0; st == CDP_OK && k < m; k++) {
		if (fate[k] != PRINTED)
			continue;
		if (alone_if_long[k] && full[k] > 1) {
			/* fixed boxes repeat on every page, bottom-placed ones sit on page 1: alone */
			free(parts[k].pdf);
			fate[k] = ALONE;
			continue;
		}
		bt->out[idx[k]] = parts[k];
		bt->fate[idx[k]] = DONE;
	}
	free(parts);
	free(full);
	free(in_pdf);
	free(pdf);
	return st;
}

/* one round over documents idx[0..m-1]; afterwards each is DONE, RETRY or ALONE */
/* load, arrange, print and split one round; a cdp_status */
static int try_round(struct batch *bt, const size_t *idx, size_t m, enum fate *fate,
		     bool *alone_if_long, struct api_error *err)
{
	char nonce[33];
	if (chromium_nonce(nonce) != 0 || chromium_job_ensure(&bt->job, err) != 0)
		return CDP_ERROR;
	int st = chromium_page_load(&bt->job, bt->html[idx[0]], bt->len[idx[0]], bt->w_in,
				    bt->h_in, nonce, err);
	if (st == CDP_OK)
		st = arrange(bt, idx, m, nonce, fate, alone_if_long, err);
	if (st == CDP_OK)
		st = print_round(bt, idx, m, nonce, fate, alone_if_long, err);
	return st;
}

/* one round over documents idx[0..m-1]; afterwards each is DONE, RETRY or ALONE */
static void run_round(struct batch *bt, const size_t *idx, size_t m, struct chromium *cr)
{
	enum fate *fate = calloc(m, sizeof *fate);
	bool *alone_if_long = calloc(m, sizeof *alone_if_long);
	struct api_error err = { 0 };
	int st = CDP_ERROR;
	for (int attempt = 0; fate && alone_if_long && attempt < 2; attempt++) {
		bt->job.deadline = chromium_now_ms() + cr->timeout_ms +
				   (long long)m * ROUND_MS_PER_PIECE;
		st = try_round(bt, idx, m, fate, alone_if_long, &err);
		/* a dead browser is nobody's document: the round again, in a new one */
		if (st != CDP_DEAD)
			break;
		log_msg(LOG_WARN, "chromium batch: %s; the round again", err.message);
		chromium_job_discard(&bt->job);
	}
	if (st != CDP_OK) {
		/* render each alone: a document that hangs or crashes the page fails by itself */
		log_msg(LOG_WARN, "chromium batch: a round of %zu failed (%s); rendering them one "
			"by one", m, err.message);
		if (st == CDP_TIMEOUT || st == CDP_DETACHED || st == CDP_DEAD)
			chromium_job_discard(&bt->job);
		for (size_t k = 0; k < m; k++)
			if (bt->fate[idx[k]] != DONE)
				bt->fate[idx[k]] = ALONE;
	} else {
		for (size_t k = 0; k < m; k++)
			if (bt->fate[idx[k]] != DONE)
				bt->fate[idx[k]] = fate[k] == RETRY ? RETRY : ALONE;
	}
	free(fate);
	free(alone_if_long);
}

static void render_alone(struct batch *bt, size_t i, struct chromium *cr)
{
	struct pdf_piece *o = &bt->out[i];
	bt->job.deadline = chromium_now_ms() + cr->timeout_ms;
	o->rc = chromium_render_held(&bt->job, bt->html[i], bt->len[i], bt->w_in, bt->h_in,
				     bt->max_pages, &o->pdf, &o->len, &o->pages, &o->err);
	bt->fate[i] = DONE;
}

/* choose the next round from the documents still waiting, in order; returns its size */
static size_t next_round(struct batch *bt, size_t n, size_t *idx)
{
	size_t m = 0, bytes = 0;
	/* documents that waited for other styles lead: the oldest wait ends first */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n && m < CHROMIUM_BATCH_MAX; i++) {
			if (bt->fate[i] != (pass == 0 ? RETRY : WAIT))
				continue;
			if (m > 0 && bytes + bt->len[i] > CHROMIUM_BATCH_BYTES)
				continue;
			idx[m++] = i;
			bytes += bt->len[i];
		}
	return m;
}

/* prepared copies of the documents; those too large fail here. -1 when out of memory */
static int prepare(struct batch *bt, const char *const *htmls, const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (lens[i] > CHROMIUM_MAX_HTML) {
			api_fail(&bt->out[i].err, ERR_PAYLOAD_TOO_LARGE, "the HTML is larger than %zu "
				 "MB", CHROMIUM_MAX_HTML >> 20);
			bt->fate[i] = DONE;
			continue;
		}
		bt->html[i] = chromium_prep_html(htmls[i] ? htmls[i] : "", htmls[i] ? lens[i] : 0,
						 &bt->len[i]);
		if (!bt->html[i])
			return -1;
	}
	return 0;
}

int chromium_html_batch(struct chromium *cr, const char *const *htmls, const size_t *lens,
			size_t n, double w_in, double h_in, unsigned max_pages,
			struct pdf_piece *out, struct api_error *err)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (struct pdf_piece){ .rc = -1 };
	struct batch bt = {
		.html = calloc(n ? n : 1, sizeof *bt.html),
		.len = calloc(n ? n : 1, sizeof *bt.len),
		.fate = calloc(n ? n : 1, sizeof *bt.fate),	/* all WAIT */
		.out = out, .w_in = w_in, .h_in = h_in,
		.max_pages = max_pages == 0 || max_pages > CHROMIUM_MAX_PAGES ? CHROMIUM_MAX_PAGES
			: max_pages,
	};
	size_t *idx = malloc(CHROMIUM_BATCH_MAX * sizeof *idx);
	struct api_error setup = { 0 };
	if (!bt.html || !bt.len || !bt.fate || !idx || prepare(&bt, htmls, lens, n) != 0)
		api_fail(&setup, ERR_INTERNAL, "chromium: out of memory");
	else if (!(w_in >= CHROMIUM_MIN_INCHES && w_in <= CHROMIUM_MAX_INCHES &&
		   h_in >= CHROMIUM_MIN_INCHES && h_in <= CHROMIUM_MAX_INCHES))
		api_fail(&setup, ERR_INTERNAL, "chromium: page size %gx%g in is out of range", w_in,
			 h_in);
	else if (n > 0)
		chromium_job_acquire(cr, &bt.job, chromium_now_ms() + cr->timeout_ms, &setup);
	size_t m;
	while (setup.kind == ERR_NONE && (m = next_round(&bt, n, idx)) > 0) {
		run_round(&bt, idx, m, cr);
		for (size_t k = 0; k < m; k++)
			if (bt.fate[idx[k]] == ALONE)
				render_alone(&bt, idx[k], cr);
	}
	chromium_job_release(&bt.job);
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		if (!bt.fate || bt.fate[i] != DONE)
			out[i].err = setup;	/* never rendered: the setup failed */
		if (out[i].rc != 0 && failed++ == 0)
			*err = out[i].err;
		if (bt.html)
			free(bt.html[i]);
	}
	free(idx);
	free(bt.html);
	free(bt.len);
	free(bt.fate);
	return failed;
}
