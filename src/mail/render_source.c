/* A piece's sources → one stamped, checked proof PDF and its thumbnails, as assets. */
#include "mail/render_source.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "net/fetch.h"
#include "net/sniff.h"
#include "render/handlebars.h"
#include "render/imb.h"
#include "render/image_pdf.h"
#include "render/mupdf_html.h"
#include "render/pdf_inspect.h"
#include "render/pdf_util.h"
#include "render/proof.h"
#include "render/thumbs.h"
#include "mail/qr_option.h"
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

/* an HTML source with merge variables → pages of the product's size (trimmed at the limit) */
static int html_to_pdf(const json_t *src, const json_t *vars, const struct page_spec *ps,
		       struct bytes *pdf, struct api_error *err)
{
	size_t hl;
	unsigned pages;
	char *html = merge(src, vars, &hl, err);
	if (!html)
		return -1;
	int rc = mupdf_html_to_pdf(html, hl, ps->width_in, ps->height_in, ps->max_pages, &pdf->data,
				   &pdf->len, &pages, err);
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
		int rc = src ? html_to_pdf(src, vars, ps, pdf, err)
			     : api_fail(err, ERR_INVALID_FILE, "the HTML file is not UTF-8 text");
		json_decref(src);
		return rc;
	}
	return api_fail(err, ERR_INVALID_FILE, "the file is not a PDF, PNG, JPEG or HTML document");
}

static int source_to_pdf(const struct render_env *env, const json_t *src, const json_t *vars,
			 const struct page_spec *ps, struct bytes *pdf, struct api_error *err)
{
	const char *type = json_string_value(json_object_get(src, "type"));
	if (type && strcmp(type, "html") == 0)
		return html_to_pdf(src, vars, ps, pdf, err);
	if (type && strcmp(type, "url") == 0) {
		struct net_fetch_opts o = { .timeout_ms = REMOTE_TIMEOUT_MS,
					    .allow_private = env->allow_private_urls };
		struct net_fetch_result r = { 0 };
		if (net_fetch(json_string_value(json_object_get(src, "url")), &o, &r, err) < 0)
			return -1;
		int rc = file_to_pdf(env, r.data, r.len, vars, ps, pdf, err);
		net_fetch_result_free(&r);
		return rc;
	}
	if (type && strcmp(type, "asset") == 0) {
		struct asset_file f;
		if (assets_open(env->data_dir, json_string_value(json_object_get(src, "asset")), &f,
				err) < 0)
			return -1;
		unsigned char *data = malloc(f.size ? f.size : 1);
		size_t got = 0;
		while (data && got < f.size) {
			ssize_t n = read(f.fd, data + got, f.size - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		close(f.fd);
		int rc = data && got == f.size ? file_to_pdf(env, data, got, vars, ps, pdf, err)
					       : api_fail(err, ERR_INTERNAL, "an uploaded file could not be read");
		free(data);
		return rc;
	}
	return api_fail(err, ERR_INTERNAL, "unknown source type %.20s", type ? type : "(none)");
}

/* "NAME", "LINE1", "LINE2", "CITY ST ZIP" (or the country for international addresses) */
static void address_lines(const json_t *a, struct arena *ar, const char *out[PROOF_LINES])
{
	const char *f[] = { "name", "company", "address_line1", "address_line2" };
	size_t n = 0;
	for (size_t i = 0; i < 4 && n < PROOF_LINES - 2; i++) {
		const char *v = json_string_value(json_object_get(a, f[i]));
		if (v && *v)
			out[n++] = v;
	}
	const char *city = json_string_value(json_object_get(a, "address_city"));
	const char *state = json_string_value(json_object_get(a, "address_state"));
	const char *zip = json_string_value(json_object_get(a, "address_zip"));
	const char *country = json_string_value(json_object_get(a, "address_country"));
	out[n++] = arena_strfmt(ar, "%s %s %s", city ? city : "", state ? state : "", zip ? zip : "");
	if (country && strcmp(country, "UNITED STATES") != 0 && n < PROOF_LINES)
		out[n++] = country;
	if (n < PROOF_LINES)
		out[n] = NULL;
}

/* the IMb routing code: ZIP, ZIP+4, or none (digits only) */
static const char *routing(const json_t *to, struct arena *a)
{
	const char *zip = json_string_value(json_object_get(to, "address_zip"));
	char digits[12];
	size_t n = 0;
	for (const char *c = zip; c && *c && n < 9; c++)
		if (*c >= '0' && *c <= '9')
			digits[n++] = *c;
	digits[n] = '\0';
	return n == 5 || n == 9 ? arena_strdup(a, digits) : "";
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

/* letters: 8.5x11, 60 pages single-sided / 120 double-sided domestic, 6 / 12 international */
static int letter_document(const struct render_env *env, const json_t *piece, const json_t *input,
			   const char *imb_code, struct arena *a, struct rendered_doc *doc,
			   struct api_error *err)
{
	const json_t *to = json_object_get(piece, "to");
	const char *country = json_string_value(json_object_get(to, "address_country"));
	bool intl = country && strcmp(country, "UNITED STATES") != 0;
	bool duplex = !json_is_false(json_object_get(piece, "double_sided"));
	struct page_spec ps = { 8.5, 11, 1, (intl ? 6u : 60u) * (duplex ? 2u : 1u) };
	struct bytes body = { 0 }, stamped = { 0 };
	const json_t *src = json_object_get(json_object_get(input, "sources"), "file");
	if (source_to_pdf(env, src, json_object_get(piece, "merge_variables"), &ps, &body, err) < 0)
		return -1;
	char bars[IMB_BARS + 1];
	if (imb_bars(imb_code, routing(to, a), bars, err) < 0) {
		bytes_free(&body);
		return -1;
	}
	const char *service = json_string_value(json_object_get(piece, "extra_service"));
	bool certified = service && strncmp(service, "certified", 9) == 0;
	const char *zip = json_string_value(json_object_get(to, "address_zip"));
	struct proof_letter l = {
		.imb_bars = bars,
		.placement = json_string_value(json_object_get(piece, "address_placement")),
		.certified_pic = certified ? json_string_value(json_object_get(piece, "tracking_number")) : NULL,
		.certified_zip = zip ? arena_strndup(a, zip, 5) : "00000",
		.return_receipt = service && strcmp(service, "certified_return_receipt") == 0,
		.double_sided = duplex,
	};
	address_lines(to, a, l.to);
	address_lines(json_object_get(piece, "from"), a, l.from);
	/* qr_code: its redirect_url may hold merge variables */
	const json_t *qrv = json_object_get(piece, "qr_code");
	struct qr_option *qo = arena_calloc(a, sizeof(*qo));
	if (json_is_object(qrv)) {
		/* legacy substitution: a URL must not be HTML-escaped */
		json_t *src_url = json_pack("{ssss}", "html",
					    json_string_value(json_object_get(qrv, "redirect_url")),
					    "engine", "legacy");
		size_t ul;
		char *url = src_url ? merge(src_url, json_object_get(piece, "merge_variables"), &ul, err)
				    : NULL;
		json_decref(src_url);
		if (!url) {
			bytes_free(&body);
			return -1;
		}
		qr_option_place(qrv, 8.5, 11, qo);
		l.qr_data = arena_strdup(a, url);
		free(url);
		l.qr_x = qo->x_in;
		l.qr_y = qo->y_in;
		l.qr_width = qo->width_in;
		l.qr_pages = qo->page;
		l.qr_npages = QR_PAGES_MAX + 1;
	}
	int rc = proof_stamp_letter(body.data, body.len, &l, &stamped.data, &stamped.len, &doc->pages,
				    err);
	bytes_free(&body);
	if (rc == 0)
		rc = store_asset(env, stamped.data, stamped.len, "pdf", doc->pdf_key, err);
	if (rc == 0)
		rc = thumbnails(env, stamped.data, stamped.len, doc->pages, doc, err);
	bytes_free(&stamped);
	return rc;
}

/*
 * Two-sided pieces: each side one page at the artboard (inches), the second side stamped in
 * its ink-free zone (4 x 2.375" on most; reference/mailpiece_specs.md §1, §3). Postcards: front
 * and back, the zone 0.275" from the right and 0.25" from the bottom. Self-mailers: inside and
 * outside, the zone from Lob's templates; 17.75x9 has no published geometry, so its zone is
 * Frank's choice, on the right panel at the postcard offsets.
 */
static const struct two_sided {
	const char *kind, *size, *first, *second;
	double w, h, zone_x, zone_y, zone_w;
} two_sided[] = {
	{ "postcard", "4x6", "front", "back", 6.25, 4.25, 6.25 - 0.275 - 3.2835, 1.625, 3.2835 },
	{ "postcard", "6x9", "front", "back", 9.25, 6.25, 9.25 - 0.275 - 4.0, 3.625, 4.0 },
	{ "postcard", "6x11", "front", "back", 11.25, 6.25, 11.25 - 0.275 - 4.0, 3.625, 4.0 },
	{ "self_mailer", "6x18_bifold", "inside", "outside", 18.25, 6.25, 5.225, 3.625, 4.0 },
	{ "self_mailer", "11x9_bifold", "inside", "outside", 9.25, 11.25, 4.75, 3.6, 4.0 },
	{ "self_mailer", "12x9_bifold", "inside", "outside", 9.25, 12.25, 5.0, 3.85, 4.0 },
	{ "self_mailer", "17.75x9_trifold", "inside", "outside", 18.0, 9.25, 13.725, 6.625, 4.0 },
};

static int two_sided_document(const struct render_env *env, const char *kind, const json_t *piece,
			      const json_t *input, const char *imb_code, struct arena *a,
			      struct rendered_doc *doc, struct api_error *err)
{
	const char *size = json_string_value(json_object_get(piece, "size"));
	const struct two_sided *ts = NULL;
	for (size_t i = 0; i < sizeof(two_sided) / sizeof(two_sided[0]); i++)
		if (strcmp(kind, two_sided[i].kind) == 0 &&
		    (!ts || (size && strcmp(size, two_sided[i].size) == 0)))
			ts = &two_sided[i];	/* the kind's first row is its default size */
	struct page_spec spec = { ts->w, ts->h, 1, 1 };
	const json_t *sources = json_object_get(input, "sources");
	const json_t *vars = json_object_get(piece, "merge_variables");
	struct bytes first = { 0 }, second = { 0 }, both = { 0 }, stamped = { 0 };
	char bars[IMB_BARS + 1];
	int rc = -1;
	if (source_to_pdf(env, json_object_get(sources, ts->first), vars, &spec, &first, err) < 0 ||
	    source_to_pdf(env, json_object_get(sources, ts->second), vars, &spec, &second, err) < 0)
		goto out;
	struct pdf_part parts[2] = { { first.data, first.len }, { second.data, second.len } };
	const json_t *to = json_object_get(piece, "to");
	if (pdf_merge(parts, 2, &both.data, &both.len, err) < 0 ||
	    imb_bars(imb_code, routing(to, a), bars, err) < 0)
		goto out;
	struct proof_postcard pc = { .imb_bars = bars, .page_h_in = ts->h, .zone_x_in = ts->zone_x,
				     .zone_y_in = ts->zone_y, .zone_w_in = ts->zone_w,
				     .zone_h_in = 2.375 };
	address_lines(to, a, pc.to);
	const json_t *from = json_object_get(piece, "from");
	if (json_is_object(from))
		address_lines(from, a, pc.from);
	if (proof_stamp_postcard(both.data, both.len, &pc, &stamped.data, &stamped.len, err) < 0)
		goto out;
	doc->pages = 2;
	rc = store_asset(env, stamped.data, stamped.len, "pdf", doc->pdf_key, err);
	if (rc == 0)
		rc = thumbnails(env, stamped.data, stamped.len, 2, doc, err);
out:
	bytes_free(&first);
	bytes_free(&second);
	bytes_free(&both);
	bytes_free(&stamped);
	return rc;
}

int render_source_document(const struct render_env *env, const struct store_scope *sc,
			   const char *id, const json_t *piece, const char *imb_code,
			   struct arena *a, struct rendered_doc *doc, struct api_error *err)
{
	json_t *input = load_input(env, sc, id, a, err);
	if (!input)
		return -1;
	if (strcmp(sc->kind, "letter") == 0)
		return letter_document(env, piece, input, imb_code, a, doc, err);
	if (strcmp(sc->kind, "postcard") == 0 || strcmp(sc->kind, "self_mailer") == 0)
		return two_sided_document(env, sc->kind, piece, input, imb_code, a, doc, err);
	return api_fail(err, ERR_INTERNAL, "rendering %s pieces is not built yet", sc->kind);
}
