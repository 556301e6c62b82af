// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank render and frank barcode: the documents engine without the server.
 *   frank render --product letter|postcard|self_mailer|check|snap_pack|booklet
 *                --input FILE_OR_URL [--merge JSON] [--to JSON] [--from JSON]
 *                [--options JSON] -o OUT.pdf [--thumbs DIR]
 *   frank barcode imb TRACKING20 [ROUTING]     the 65 A/D/F/T bars
 *   frank barcode impb STC MAILER_ID SERIAL    an IMpb tracking number (MOD 10 check digit)
 *   frank barcode impb-check PIC               validates a tracking number
 */
#include "cli/commands.h"
#include "core/parse.h"
#include "core/mail_product.h"
#include "core/timeutil.h"
#include "net/fetch.h"
#include "net/sniff.h"
#include "render/chromium/cdp_sandbox.h"
#include "template/handlebars.h"
#include "barcode/imb.h"
#include "barcode/impb.h"
#include "pdf/image_pdf.h"
#include "mail/piece_stamp.h"
#include "mail/postal_identity.h"
#include "mail/render_source.h"
#include "render/html_pdf.h"
#include "stamp/product.h"
#include "stamp/stamp.h"
#include "pdf/thumbs.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, const struct api_error *err)
{
	fprintf(stderr, "frank: %s: %s (%s)\n", what, err->message, err_info(err->kind)->code);
	return 1;
}

/* a whole file, or a URL fetched under the SSRF rules (private addresses allowed: it is yours) */
static unsigned char *read_input(const char *src, size_t *len, struct api_error *err)
{
	if (strncmp(src, "https://", 8) == 0 || strncmp(src, "http://", 7) == 0) {
		struct net_fetch_opts o = { .allow_private = true };
		struct net_fetch_result r = { 0 };
		if (net_fetch(src, &o, &r, err) < 0)
			return NULL;
		unsigned char *d = r.data;
		*len = r.len;
		r.data = NULL;
		net_fetch_result_free(&r);
		return d;
	}
	FILE *f = fopen(src, "rb");
	if (!f) {
		api_fail(err, ERR_INVALID_FILE, "cannot open %s: %s", src, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	unsigned char *d = malloc(cap);
	size_t got;
	while (d && (got = fread(d + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *bigger = cap < (64u << 20) ? realloc(d, cap * 2) : NULL;
			if (!bigger) {
				free(d);
				d = NULL;
				api_fail(err, ERR_FILE_SIZE_EXCEEDS_LIMIT, "%s is larger than 64 MiB", src);
				break;
			}
			d = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	*len = n;
	return d;
}

static int write_file(const char *path, const unsigned char *d, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(d, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "frank: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static json_t *json_arg(const char *name, const char *text)
{
	json_error_t je;
	json_t *v = text ? json_loads(text, 0, &je) : json_object();
	if (!v)
		fprintf(stderr, "frank: %s is not JSON: %s\n", name, je.text);
	else if (!json_is_object(v)) {
		fprintf(stderr, "frank: %s must be a JSON object\n", name);
		json_decref(v);
		v = NULL;
	}
	return v;
}

static int write_thumbs(const char *dir, const unsigned char *pdf, size_t len, unsigned pages)
{
	static const unsigned widths[3] = { 150, 300, 600 };
	static const char *const names[3] = { "small", "medium", "large" };
	struct thumb_set set = { 0 };
	struct api_error err;
	int rc = pdf_thumbnails(pdf, len, widths, 3, pages, &set, &err) < 0 ? fail("thumbnails", &err) : 0;
	for (size_t p = 0; p < set.n_pages && rc == 0; p++) {
		for (int s = 0; s < 3 && rc == 0; s++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/page%zu_%s.png", dir, p + 1, names[s]);
			rc = write_file(path, set.png[p * 3 + (size_t)s].data, set.png[p * 3 + (size_t)s].len);
		}
	}
	thumb_set_free(&set);
	return rc;
}

/* the pages the input must make: all of a one-sided product's pages (a letter, booklet or
 * check attachment); both sides of the two-sided products, in one document */
static void input_pages(const struct product_size *p, const struct stamp_request *rq,
			unsigned *min, unsigned *max)
{
	if (mail_product_of(p->kind)->sides[0].whole) {
		product_page_limits(p, rq->double_sided, rq->international, min, max);
		if (*min == 0)
			*min = 1;	/* an attachment given has pages */
	} else {
		*min = *max = 2;
	}
}

/*
 * The piece as Lob would show it: --options (size, address_placement, extra_service, …; for
 * checks amount, check_number, memo, message, bank_account), --to, --from, --merge. Barcodes
 * use the placeholder Mailer ID and serial 1: a proof, not a mailing.
 */
static int render_product(struct cli_args *a, struct html_renderer *html, json_t *piece)
{
	struct api_error err;
	struct arena *ar = arena_new();
	char tracking[IMB_TRACKING_LEN + 1], bars[IMB_BARS + 1], pic[IMPB_PIC_MAX + 1];
	unsigned char *input = NULL, *pdf = NULL, *out = NULL;
	size_t len = 0, pdf_len = 0, out_len = 0;
	struct piece_stamp st;
	struct stamp_result res;
	int rc = 1;
	const char *service = json_string_value(json_object_get(piece, "extra_service"));
	if (service && strcmp(a->product, "letter") == 0 &&
	    (impb_build(impb_stc_for_extra_service(service), "999999999", 1, 22, pic, &err) < 0 ||
	     json_object_set_new(piece, "tracking_number", json_string(pic)) < 0)) {
		fail("tracking number", &err);
		goto out;
	}
	if (imb_tracking("00", "270", "999999999", 1, tracking, &err) < 0 ||
	    imb_bars(tracking, piece_routing_code(json_object_get(piece, "to"), ar), bars, &err) < 0) {
		fail("IMb", &err);
		goto out;
	}
	/* as frankd renders it: an international piece carries no IMb */
	bool domestic = postal_address_domestic(json_object_get(piece, "to"));
	if (piece_stamp_request(a->product, piece, NULL, domestic ? bars : NULL, ar, &st, &err) < 0) {
		fail("piece", &err);
		goto out;
	}
	const struct product_size *p = product_lookup(a->product, st.rq.size);
	if (!p) {
		fprintf(stderr, "frank: no product %s of size %s\n", a->product,
			st.rq.size ? st.rq.size : "(default)");
		rc = 2;
		goto out;
	}
	if (a->input) {
		unsigned min, max;
		struct render_env env = { .allow_private_urls = true, .html = html };
		input_pages(p, &st.rq, &min, &max);
		if (!(input = read_input(a->input, &len, &err))) {
			fail("input", &err);
			goto out;
		}
		if (mail_product_of(p->kind)->sides[1].second_size) {
			/* two page sizes in one PDF (snap packs): stamp_piece checks each */
			pdf = input;
			pdf_len = len;
			input = NULL;
		} else if (render_file_to_pdf(&env, input, len, json_object_get(piece, "merge_variables"),
					      product_artboard_w(p), product_artboard_h(p), min, max,
					      &pdf, &pdf_len, &err) < 0) {
			fail("input", &err);
			goto out;
		}
	}
	if (stamp_piece(&st.rq, pdf, pdf_len, &out, &out_len, &res, &err) < 0) {
		fail("stamping", &err);
		goto out;
	}
	if (write_file(a->output, out, out_len) < 0 ||
	    (a->thumbs && write_thumbs(a->thumbs, out, out_len, res.pages) < 0))
		goto out;
	printf("{\"output\":\"%s\",\"pages\":%u,\"renderer\":\"%s\",\"envelope\":%s%s%s}\n",
	       a->output, res.pages, html_renderer_kind(html), res.envelope ? "\"" : "",
	       res.envelope ? res.envelope->name : "null", res.envelope ? "\"" : "");
	rc = 0;
out:
	free(input);
	free(pdf);
	free(out);
	arena_free(ar);
	return rc;
}

int cmd_render(struct cli_args *a)
{
	const struct mail_product *mp = mail_product_find(a->product);
	if (!mp || !a->output || (!a->input && !mp->sides[0].optional)) {
		char names[160];
		mail_product_names(names, sizeof(names), false, "|", "|");
		fprintf(stderr, "frank: render needs --product %s, --input FILE_OR_URL (optional "
				"for checks: the attachment) and -o OUT.pdf\n", names);
		return 2;
	}
	json_t *merge = json_arg("--merge", a->merge), *to = json_arg("--to", a->to),
	       *from = json_arg("--from", a->from), *piece = json_arg("--options", a->options);
	int rc = 2;
	if (merge && to && from && piece) {
		json_object_set(piece, "to", to);
		json_object_set(piece, "from", from);
		json_object_set(piece, "merge_variables", merge);
		char now[25];
		time_format_iso(clock_now_ms(), now);	/* a check is dated today */
		if (!json_object_get(piece, "date_created"))
			json_object_set_new(piece, "date_created", json_string(now));
		/* FRANK_RENDERER / FRANK_CHROMIUM / FRANK_RENDER_USER / FRANK_CHROMIUM_NO_SANDBOX
		   as for frankd; auto: chromium when it starts */
		const char *no_sandbox = getenv("FRANK_CHROMIUM_NO_SANDBOX");
		cdp_sandbox_configure(getenv("FRANK_RENDER_USER"),
				      no_sandbox && strcmp(no_sandbox, "1") == 0);
		struct api_error err;
		struct html_renderer *html = html_renderer_open(getenv("FRANK_RENDERER"),
								getenv("FRANK_CHROMIUM"), &err);
		rc = html ? render_product(a, html, piece) : fail("renderer", &err);
		html_renderer_close(html);
	}
	json_decref(merge);
	json_decref(to);
	json_decref(from);
	json_decref(piece);
	return rc;
}

int cmd_barcode(struct cli_args *a, int argc, char **argv)
{
	struct api_error err;
	(void)a;
	if (argc >= 3 && strcmp(argv[2], "imb") == 0 && argc >= 4) {
		char bars[IMB_BARS + 1];
		if (imb_bars(argv[3], argc >= 5 ? argv[4] : "", bars, &err) < 0)
			return fail("imb", &err);
		printf("%s\n", bars);
		return 0;
	}
	if (argc >= 6 && strcmp(argv[2], "impb") == 0) {
		unsigned long serial;
		char pic[IMPB_PIC_MAX + 1], hri[64];
		if (parse_ulong(argv[5], 99999999999999UL, &serial) < 0) {
			fprintf(stderr, "frank: SERIAL must be digits\n");
			return 2;
		}
		if (impb_build(argv[3], argv[4], serial, 22, pic, &err) < 0 ||
		    impb_hri(pic, hri, sizeof(hri), &err) < 0)
			return fail("impb", &err);
		printf("%s\n%s\n", pic, hri);
		return 0;
	}
	if (argc >= 4 && strcmp(argv[2], "impb-check") == 0) {
		if (impb_validate(argv[3], &err) < 0)
			return fail("impb", &err);
		printf("valid\n");
		return 0;
	}
	fprintf(stderr, "usage: frank barcode imb TRACKING20 [ROUTING] | impb STC MAILER_ID SERIAL | "
			"impb-check PIC\n");
	return 2;
}
