// SPDX-License-Identifier: AGPL-3.0-or-later
/* A piece's sources → one stamped, checked proof PDF and its thumbnails, as assets. */
#include "mail/render_source.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/mail_product.h"
#include "net/fetch.h"
#include "net/html_assets.h"
#include "net/sniff.h"
#include "template/handlebars.h"
#include "pdf/budget.h"
#include "barcode/imb.h"
#include "pdf/image_pdf.h"
#include "render/html_pdf.h"
#include "pdf/pdf_inspect.h"
#include "pdf/pdf_util.h"
#include "stamp/product.h"
#include "stamp/stamp.h"
#include "pdf/thumbs.h"
#include "mail/piece_stamp.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REMOTE_TIMEOUT_MS 40000L	/* Lob: "must be downloaded within 40 seconds" */
#define SIZE_TOLERANCE_IN 0.05

/* the pages a source must make */
struct page_spec {
	double width_in, height_in;
	unsigned min_pages, max_pages;
};

/* malloc'd bytes owned by a source's conversion */
struct bytes {
	unsigned char *data;
	size_t len;
};

static void bytes_free(struct bytes *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

/* the input object's sources, or NULL with *err */
static json_t *load_input(const struct render_env *env, const struct store_scope *sc,
			  const char *id, struct arena *a, struct api_error *err)
{
	struct store_scope in = *sc;
	char *json = NULL;
	const char *hex = strchr(id, '_');
	in.kind = "piece_input";
	int rc = store_object_get(env->store, &in, arena_strfmt(a, "inp_%s", hex ? hex + 1 : id), a,
				  &json, err);
	if (rc > 0)
		api_fail(err, ERR_INTERNAL, "the render input of %s is missing", id);
	return rc == 0 ? arena_own_json(a, json_loads(json, 0, NULL)) : NULL;
}

/* merge variables into the HTML (relaxed: create already enforced strictness) */
static char *merge(const json_t *src, const json_t *vars, size_t *len, struct api_error *err)
{
	const char *html = json_string_value(json_object_get(src, "html"));
	const char *engine = json_string_value(json_object_get(src, "engine"));
	bool hbs = engine && strcmp(engine, "handlebars") == 0;
	struct hbs_template *t = hbs_compile(html, strlen(html), hbs ? HBS_HANDLEBARS : HBS_LEGACY,
					     NULL, err);
	if (!t)
		return NULL;
	json_t *empty = json_object();
	char *out = hbs_render(t, json_is_object(vars) ? vars : empty, false, NULL, len, err);
	json_decref(empty);
	hbs_free(t);
	return out;
}

/*
 * Pieces a worker took together have their HTML rendered in one browser call first
 * (render_source_prepare); each piece then finds its PDF here by the SHA-256 of its final
 * HTML and its page spec, so it is exactly what rendering it alone would have been given.
 */
struct prerendered {
	char hash[65];
	struct page_spec ps;	/* the pages it was laid out on */
	unsigned char *pdf;
	size_t len;
};
static _Thread_local struct prerendered *pre;
static _Thread_local size_t n_pre;
/* the document being rendered on this thread notes its missing remote files here */
static _Thread_local struct render_notes *notes_sink;

static void note_missing(const struct html_assets_stats *st)
{
	if (!notes_sink)
		return;
	for (unsigned i = 0; i < st->missing && i < HTML_ASSETS_NOTES; i++)
		if (notes_sink->n < RENDER_NOTES_MAX)
			memcpy(notes_sink->note[notes_sink->n++], st->notes[i], HTML_ASSETS_NOTE_MAX);
	notes_sink->missing += st->missing;
}

static void pre_clear(void)
{
	for (size_t i = 0; i < n_pre; i++)
		free(pre[i].pdf);
	free(pre);
	pre = NULL;
	n_pre = 0;
}

/* takes the prerendered PDF of html on pages ps, if any */
static bool pre_take(const char *html, size_t len, const struct page_spec *ps, struct bytes *pdf)
{
	if (!n_pre)
		return false;
	char hash[65];
	ids_sha256_hex(html, len, hash);
	for (size_t i = 0; i < n_pre; i++)
		if (pre[i].pdf && strcmp(pre[i].hash, hash) == 0 &&
		    memcmp(&pre[i].ps, ps, sizeof(*ps)) == 0) {
			pdf->data = pre[i].pdf;
			pdf->len = pre[i].len;
			pre[i].pdf = NULL;
			return true;
		}
	return false;
}

/* an HTML source with merge variables → pages of the product's size (trimmed at the limit) */
static int html_to_pdf(const struct render_env *env, const json_t *src, const json_t *vars,
		       const struct page_spec *ps, struct bytes *pdf, struct api_error *err)
{
	size_t hl;
	unsigned pages;
	char *merged = merge(src, vars, &hl, err), *html = NULL;
	if (!merged)
		return -1;
	/* remote images, style sheets and fonts become data: URIs: the renderer has no network */
	struct html_assets_stats stats;
	int rc = html_inline_assets(merged, hl, env->allow_private_urls, &html, &hl, &stats, err);
	free(merged);
	if (rc == 0)
		note_missing(&stats);
	if (rc == 0 && !pre_take(html, hl, ps, pdf))
		rc = html_renderer_render(env->html, html, hl, ps->width_in, ps->height_in,
					  ps->max_pages, &pdf->data, &pdf->len, &pages, err);
	free(html);
	return rc;
}

/* file bytes (a fetched URL or an uploaded asset) → PDF of the page size */
static int file_to_pdf(const struct render_env *env, const unsigned char *data, size_t len,
		       const json_t *vars, const struct page_spec *ps, struct bytes *pdf,
		       struct api_error *err)
{
	const char *type = net_sniff_type(data, len);
	if (type && strcmp(type, "application/pdf") == 0) {
		struct pdf_expect want = { .width_in = ps->width_in, .height_in = ps->height_in,
					   .tolerance_in = SIZE_TOLERANCE_IN, .min_pages = ps->min_pages,
					   .max_pages = ps->max_pages, .max_bytes = NET_FETCH_DEFAULT_MAX_BYTES };
		struct pdf_info info;
		if (pdf_check(data, len, &want, &info, err) < 0)
			return -1;
		pdf->data = malloc(len ? len : 1);
		if (!pdf->data)
			return api_fail(err, ERR_INTERNAL, "out of memory");
		memcpy(pdf->data, data, len);
		pdf->len = len;
		return 0;
	}
	if (type && (strcmp(type, "image/png") == 0 || strcmp(type, "image/jpeg") == 0))
		return image_to_pdf(data, len, ps->width_in, ps->height_in, SIZE_TOLERANCE_IN,
				    &pdf->data, &pdf->len, err);
	if (type && strcmp(type, "text/html") == 0) {
		json_t *src = json_pack("{s:s%,ss}", "html", (const char *)data, len, "engine",
					"handlebars");
		int rc = src ? html_to_pdf(env, src, vars, ps, pdf, err)
			     : api_fail(err, ERR_INVALID_FILE, "the HTML file is not UTF-8 text");
		json_decref(src);
		return rc;
	}
	return api_fail(err, ERR_INVALID_FILE, "the file is not a PDF, PNG, JPEG or HTML document");
}

int render_file_to_pdf(const struct render_env *env, const unsigned char *data, size_t len,
		       const json_t *vars, double w_in, double h_in, unsigned min_pages,
		       unsigned max_pages, unsigned char **pdf, size_t *pdf_len, struct api_error *err)
{
	struct page_spec ps = { w_in, h_in, min_pages, max_pages };
	struct bytes b = { 0 };
	if (file_to_pdf(env, data, len, vars, &ps, &b, err) < 0)
		return -1;
	*pdf = b.data;
	*pdf_len = b.len;
	return 0;
}

/* a file source's bytes: a remote URL fetched under the SSRF rules, or an uploaded asset */
static int source_bytes(const struct render_env *env, const json_t *src, struct bytes *out,
			struct api_error *err)
{
	const char *type = json_string_value(json_object_get(src, "type"));
	if (type && strcmp(type, "url") == 0) {
		struct net_fetch_opts o = { .timeout_ms = REMOTE_TIMEOUT_MS,
					    .allow_private = env->allow_private_urls };
		struct net_fetch_result r = { 0 };
		if (net_fetch(json_string_value(json_object_get(src, "url")), &o, &r, err) < 0)
			return -1;
		out->data = r.data;
		out->len = r.len;
		r.data = NULL;
		net_fetch_result_free(&r);
		return 0;
	}
	if (type && strcmp(type, "asset") == 0) {
		if (assets_read(env->data_dir, json_string_value(json_object_get(src, "asset")),
				&out->data, &out->len, err) < 0)
			return -1;
		return 0;
	}
	return api_fail(err, ERR_INTERNAL, "unknown source type %.20s", type ? type : "(none)");
}

static int source_to_pdf(const struct render_env *env, const json_t *src, const json_t *vars,
			 const struct page_spec *ps, struct bytes *pdf, struct api_error *err)
{
	const char *type = json_string_value(json_object_get(src, "type"));
	if (type && strcmp(type, "html") == 0)
		return html_to_pdf(env, src, vars, ps, pdf, err);
	struct bytes file = { 0 };
	if (source_bytes(env, src, &file, err) < 0)
		return -1;
	int rc = file_to_pdf(env, file.data, file.len, vars, ps, pdf, err);
	bytes_free(&file);
	return rc;
}

static int store_asset(const struct render_env *env, const unsigned char *d, size_t n,
		       const char *ext, char *key, struct api_error *err)
{
	return assets_put(env->data_dir, d, n, ext, key, err);
}

/* Lob's thumbnail widths (small, medium, large) */
static const unsigned thumb_widths[3] = { 150, 300, 600 };

static int thumbnails(const struct render_env *env, const unsigned char *pdf, size_t len,
		      unsigned pages, struct rendered_doc *doc, struct api_error *err)
{
	struct thumb_set set = { 0 };
	unsigned n = pages < RENDER_MAX_THUMB_PAGES ? pages : RENDER_MAX_THUMB_PAGES;
	if (pdf_thumbnails(pdf, len, thumb_widths, 3, n, &set, err) < 0)
		return -1;
	int rc = 0;
	doc->n_thumb_pages = set.n_pages;
	for (size_t p = 0; p < set.n_pages && rc == 0; p++)
		for (size_t k = 0; k < 3 && rc == 0; k++)
			rc = store_asset(env, set.png[p * 3 + k].data, set.png[p * 3 + k].len, "png",
					 doc->thumb_keys[p][k], err);
	thumb_set_free(&set);
	return rc;
}

/*
 * The sources of each kind, in page order, are its product's sides (core/mail_product.h).
 * Each becomes PDF pages of its size: the product's artboard, or (snap packs' outside) its
 * second page size; `whole` sides take the product's page limits (letters, booklets, a
 * check's attachment), the others exactly one page. A check's `check_bottom` is drawn under
 * the check face, not merged.
 */

/* the pages one source must make */
static void source_spec(const struct product_size *p, const struct stamp_request *rq,
			bool second_size, bool whole, struct page_spec *ps)
{
	ps->width_in = second_size && p->second_w > 0 ? p->second_w : product_artboard_w(p);
	ps->height_in = second_size && p->second_h > 0 ? p->second_h : product_artboard_h(p);
	ps->min_pages = ps->max_pages = 1;
	if (whole)
		product_page_limits(p, rq->double_sided, rq->international, &ps->min_pages,
				    &ps->max_pages);
}

/* a check's check_bottom: one 8.5x11 page drawn under the face */
static int check_bottom(const struct render_env *env, const json_t *sources, const json_t *vars,
			const struct product_size *p, struct bytes *out, struct api_error *err)
{
	const json_t *src = json_object_get(sources, "check_bottom");
	if (!src)
		return 0;
	struct page_spec ps = { product_artboard_w(p), product_artboard_h(p), 1, 1 };
	return source_to_pdf(env, src, vars, &ps, out, err);
}

/* every source of the piece → one PDF in page order (len 0: none, a check alone) */
static int customer_pages(const struct render_env *env, const struct mail_product *mp,
			  const struct product_size *p, const struct stamp_request *rq,
			  const json_t *sources, const json_t *vars, struct bytes *out,
			  struct api_error *err)
{
	struct bytes part[2] = { { 0 } };
	struct pdf_part parts[2];
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < MAIL_PRODUCT_MAX_SIDES && mp->sides[i].name && rc == 0; i++) {
		const struct mail_side *side = &mp->sides[i];
		const json_t *src = json_object_get(sources, side->name);
		if (!src && side->optional)
			continue;
		struct page_spec ps;
		source_spec(p, rq, side->second_size, side->whole, &ps);
		if (side->optional)
			ps.min_pages = 1;	/* an attachment given has pages */
		rc = source_to_pdf(env, src, vars, &ps, &part[n], err);
		if (rc == 0) {
			parts[n] = (struct pdf_part){ part[n].data, part[n].len };
			n++;
		}
	}
	if (rc == 0 && n == 1) {
		*out = part[0];
		part[0] = (struct bytes){ 0 };
	} else if (rc == 0 && n == 2) {
		rc = pdf_merge(parts, 2, &out->data, &out->len, err);
	}
	bytes_free(&part[0]);
	bytes_free(&part[1]);
	return rc;
}

/*
 * Inserts (cards, buckslips: api/inserts.c) are no mail product: their pages, in inches
 * (w x h). Lob writes sizes height x width, as for postcards ("2.125x3.375" is the horizontal
 * card); it publishes no template for them, so no bleed.
 */
static const struct insert_page {
	const char *kind, *size;
	double w, h;
} insert_pages[] = {
	{ "card", "2.125x3.375", 3.375, 2.125 },
	{ "card", "3.375x2.125", 2.125, 3.375 },
	{ "buckslip", "8.75x3.75", 8.75, 3.75 },
};

/*
 * An insert: its front and back, one page each at its size, as printed — no address, no
 * barcode — under the same budget as a piece, with its thumbnails.
 */
static int insert_document(const struct render_env *env, const struct store_scope *sc,
			   const char *id, const json_t *piece, const json_t *input,
			   struct rendered_doc *doc, struct api_error *err)
{
	const char *size = json_string_value(json_object_get(piece, "size"));
	const struct insert_page *ip = NULL;
	for (size_t i = 0; i < sizeof(insert_pages) / sizeof(insert_pages[0]) && !ip; i++)
		if (strcmp(insert_pages[i].kind, sc->kind) == 0 && size &&
		    strcmp(insert_pages[i].size, size) == 0)
			ip = &insert_pages[i];
	if (!ip)
		return api_fail(err, ERR_INTERNAL, "no geometry for %s %s", sc->kind, size ? size : "");
	const json_t *sources = json_object_get(input, "sources");
	struct page_spec ps = { ip->w, ip->h, 1, 1 };
	struct bytes side[2] = { { 0 } }, pages = { 0 };
	struct render_budget budget;
	render_budget_init(&budget, NULL);
	render_budget_push(&budget);
	notes_sink = &doc->notes;
	int rc = source_to_pdf(env, json_object_get(sources, "front"), NULL, &ps, &side[0], err);
	if (rc == 0)
		rc = source_to_pdf(env, json_object_get(sources, "back"), NULL, &ps, &side[1], err);
	if (rc == 0) {
		struct pdf_part parts[2] = { { side[0].data, side[0].len }, { side[1].data, side[1].len } };
		rc = pdf_merge(parts, 2, &pages.data, &pages.len, err);
	}
	if (rc == 0) {
		doc->pages = 2;
		rc = thumbnails(env, pages.data, pages.len, doc->pages, doc, err);
	}
	render_budget_pop();
	notes_sink = NULL;
	if (rc == 0)
		rc = store_asset(env, pages.data, pages.len, "pdf", doc->pdf_key, err);
	if (budget.over)
		log_msg(LOG_INFO, "render %s: over the PDF engine's budget", id);
	bytes_free(&side[0]);
	bytes_free(&side[1]);
	bytes_free(&pages);
	return rc;
}

int render_source_document(const struct render_env *env, const struct store_scope *sc,
			   const char *id, const json_t *piece, const char *imb_code,
			   struct arena *a, struct rendered_doc *doc, struct api_error *err)
{
	const struct mail_product *mp = mail_product_find(sc->kind);
	bool insert = strcmp(sc->kind, "card") == 0 || strcmp(sc->kind, "buckslip") == 0;
	if (!mp && !insert)
		return api_fail(err, ERR_INTERNAL, "rendering %s pieces is not built", sc->kind);
	json_t *input = load_input(env, sc, id, a, err);
	if (!input)
		return -1;
	if (insert)
		return insert_document(env, sc, id, piece, input, doc, err);
	char bars[IMB_BARS + 1];
	struct piece_stamp *st = arena_calloc(a, sizeof(*st));
	/* no code: an international piece, which carries no IMb */
	if ((imb_code[0] &&
	     imb_bars(imb_code, piece_routing_code(json_object_get(piece, "to"), a), bars, err) < 0) ||
	    piece_stamp_request(sc->kind, piece, json_object_get(input, "bank_account"),
				imb_code[0] ? bars : NULL, a, st, err) < 0)
		return -1;
	/* the QR code's short link (api/qr_links.h), when the piece has one */
	const char *qr_url = json_string_value(json_object_get(input, "qr_url"));
	if (qr_url && st->rq.qr.data)
		st->rq.qr.data = qr_url;
	const struct product_size *p = product_lookup(st->rq.product, st->rq.size);
	if (!p)
		return api_fail(err, ERR_INTERNAL, "no geometry for %s %s", sc->kind,
				st->rq.size ? st->rq.size : "");
	const json_t *sources = json_object_get(input, "sources");
	const json_t *vars = json_object_get(piece, "merge_variables");
	struct bytes pages = { 0 }, bottom = { 0 }, logo = { 0 }, stamped = { 0 };
	struct stamp_result res;
	/* the PDF engine's work on this piece — checks, merging, stamping, thumbnails — shares
	 * one budget (pdf/budget.h); downloads and the HTML renderer have their own limits */
	struct render_budget budget;
	render_budget_init(&budget, NULL);
	render_budget_push(&budget);
	notes_sink = &doc->notes;
	int rc = customer_pages(env, mp, p, &st->rq, sources, vars, &pages, err);
	if (rc == 0 && st->rq.check) {
		rc = check_bottom(env, sources, vars, p, &bottom, err);
		st->check.bottom_pdf = bottom.data;
		st->check.bottom_len = bottom.len;
		const json_t *logo_src = json_object_get(sources, "logo");
		if (rc == 0 && logo_src)
			rc = source_bytes(env, logo_src, &logo, err);
		st->check.logo = logo.data;
		st->check.logo_len = logo.len;
	}
	if (rc == 0)
		rc = stamp_piece(&st->rq, pages.data, pages.len, &stamped.data, &stamped.len, &res, err);
	/* thumbnails first: they interpret the pages, and a file over budget stores nothing */
	if (rc == 0) {
		doc->pages = res.pages;
		rc = thumbnails(env, stamped.data, stamped.len, doc->pages, doc, err);
	}
	render_budget_pop();
	notes_sink = NULL;
	if (rc == 0)
		rc = store_asset(env, stamped.data, stamped.len, "pdf", doc->pdf_key, err);
	if (budget.spent_ms > budget.lim.wall_ms / 2 || budget.over)
		log_msg(LOG_INFO, "render %s: PDF engine %lld ms, %llu operations, %zu bytes at most",
			id, budget.spent_ms, budget.ops, budget.peak_bytes);
	bytes_free(&pages);
	bytes_free(&bottom);
	bytes_free(&logo);
	bytes_free(&stamped);
	return rc;
}

/* a letter's HTML as it will be rendered (merged; NULL when it is not plain HTML: a file, a
 * URL, or HTML referencing remote files, which the asset fetcher would fetch twice) */
static char *letter_html(const struct render_env *env, const struct render_item *it,
			 struct arena *a, struct page_spec *ps, size_t *len)
{
	struct store_scope sc = { .account_id = it->account_id, .mode = it->mode, .kind = it->kind };
	struct api_error err;
	char *json = NULL;
	if (strcmp(it->kind, "letter") != 0 ||
	    store_object_get(env->store, &sc, it->id, a, &json, &err) != 0)
		return NULL;
	json_t *piece = arena_own_json(a, json_loads(json, 0, NULL));
	json_t *input = piece ? load_input(env, &sc, it->id, a, &err) : NULL;
	const json_t *src = json_object_get(json_object_get(input, "sources"), "file");
	const char *type = json_string_value(json_object_get(src, "type"));
	if (!type || strcmp(type, "html") != 0)
		return NULL;
	/* the pages as customer_pages will ask for them */
	struct piece_stamp *st = arena_calloc(a, sizeof(*st));
	const struct product_size *p = NULL;
	if (!st || piece_stamp_request(it->kind, piece, NULL, "", a, st, &err) < 0 ||
	    !(p = product_lookup(st->rq.product, st->rq.size)))
		return NULL;
	*ps = (struct page_spec){ 0 };
	source_spec(p, &st->rq, false, true, ps);
	char *html = merge(src, json_object_get(piece, "merge_variables"), len, &err);
	if (html && (strstr(html, "http") || strstr(html, "//"))) {
		free(html);
		return NULL;
	}
	return html;
}

void render_source_prepare(const struct render_env *env, const struct render_item *items,
			   size_t n)
{
	pre_clear();
	if (n < 2 || !env->html)
		return;
	struct arena *a = arena_new();
	char **htmls = calloc(n, sizeof(*htmls));
	size_t *lens = calloc(n, sizeof(*lens)), k = 0;
	struct pdf_piece *out = calloc(n, sizeof(*out));
	struct page_spec first = { 0 };
	for (size_t i = 0; a && htmls && lens && out && i < n; i++) {
		struct page_spec ps;
		size_t len;
		char *html = letter_html(env, &items[i], a, &ps, &len);
		if (html && (k == 0 || memcmp(&ps, &first, sizeof(ps)) == 0)) {
			first = ps;	/* one print call: one page size and limit */
			htmls[k] = html;
			lens[k++] = len;
		} else {
			free(html);
		}
	}
	struct api_error err;
	pre = k >= 2 ? calloc(k, sizeof(*pre)) : NULL;
	if (pre) {
		html_renderer_batch(env->html, (const char *const *)htmls, lens, k, first.width_in,
				    first.height_in, first.max_pages, out, &err);
		for (size_t i = 0; i < k; i++) {
			if (out[i].rc != 0)
				continue;	/* rendered alone later, with its own error */
			ids_sha256_hex(htmls[i], lens[i], pre[n_pre].hash);
			pre[n_pre].ps = first;
			pre[n_pre].pdf = out[i].pdf;
			pre[n_pre++].len = out[i].len;
			out[i].pdf = NULL;
		}
		pdf_pieces_free(out, k);
		log_msg(LOG_INFO, "render: %zu of %zu letters laid out in one %s batch", n_pre, n,
			html_renderer_kind(env->html));
	}
	for (size_t i = 0; htmls && i < k; i++)
		free(htmls[i]);
	free(htmls);
	free(lens);
	free(out);
	arena_free(a);
}
