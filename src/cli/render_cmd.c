/*
 * frank render and frank barcode: the documents engine without the server.
 *   frank render --product letter --input FILE_OR_URL [--merge JSON] [--to JSON] [--from JSON]
 *                [--options JSON] -o OUT.pdf [--thumbs DIR]
 *   frank barcode imb TRACKING20 [ROUTING]     the 65 A/D/F/T bars
 *   frank barcode impb STC MAILER_ID SERIAL    an IMpb tracking number (MOD 10 check digit)
 *   frank barcode impb-check PIC               validates a tracking number
 */
#include "cli/commands.h"
#include "core/parse.h"
#include "net/fetch.h"
#include "net/sniff.h"
#include "render/handlebars.h"
#include "render/imb.h"
#include "render/impb.h"
#include "render/image_pdf.h"
#include "render/mupdf_html.h"
#include "render/pdf_inspect.h"
#include "render/proof.h"
#include "render/thumbs.h"
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

/* address JSON (Lob's fields) → lines for the address block */
static void lines_of(const json_t *a, const char *out[PROOF_LINES])
{
	static const char *const f[] = { "name", "company", "address_line1", "address_line2" };
	static char last[PROOF_LINES][160];
	static int which;
	size_t n = 0;
	for (size_t i = 0; i < 4 && a; i++) {
		const char *v = json_string_value(json_object_get(a, f[i]));
		if (v && *v && n < PROOF_LINES - 2)
			out[n++] = v;
	}
	if (a) {
		char *l = last[which++ % PROOF_LINES];
		const char *city = json_string_value(json_object_get(a, "address_city"));
		const char *state = json_string_value(json_object_get(a, "address_state"));
		const char *zip = json_string_value(json_object_get(a, "address_zip"));
		snprintf(l, 160, "%s %s %s", city ? city : "", state ? state : "", zip ? zip : "");
		out[n++] = l;
	}
	if (n < PROOF_LINES)
		out[n] = NULL;
}

static json_t *json_arg(const char *name, const char *text)
{
	json_error_t je;
	json_t *v = text ? json_loads(text, 0, &je) : json_object();
	if (!v)
		fprintf(stderr, "frank: %s is not JSON: %s\n", name, je.text);
	return v;
}

static int render_letter(struct cli_args *a, unsigned char *input, size_t len, json_t *merge,
			 json_t *to, json_t *from, json_t *opts)
{
	struct api_error err;
	unsigned char *pdf = NULL, *out = NULL;
	size_t pdf_len = 0, out_len = 0;
	unsigned pages = 0;
	const char *type = net_sniff_type(input, len);
	if (type && strcmp(type, "application/pdf") == 0) {
		struct pdf_expect want = { 8.5, 11, 0.05, 1, 120, 0 };
		struct pdf_info info;
		if (pdf_check(input, len, &want, &info, &err) < 0)
			return fail("input", &err);
		pdf = malloc(len);
		memcpy(pdf, input, len);
		pdf_len = len;
	} else if (type && (strcmp(type, "image/png") == 0 || strcmp(type, "image/jpeg") == 0)) {
		if (image_to_pdf(input, len, 8.5, 11, 0.05, &pdf, &pdf_len, &err) < 0)
			return fail("input", &err);
	} else {
		struct hbs_template *t = hbs_compile((const char *)input, len, HBS_HANDLEBARS, NULL, &err);
		size_t hl;
		char *html = t ? hbs_render(t, merge, false, NULL, &hl, &err) : NULL;
		hbs_free(t);
		if (!html)
			return fail("merge variables", &err);
		int rc = mupdf_html_to_pdf(html, hl, 8.5, 11, 120, &pdf, &pdf_len, &pages, &err);
		free(html);
		if (rc < 0)
			return fail("HTML", &err);
	}
	char tracking[IMB_TRACKING_LEN + 1], bars[IMB_BARS + 1], pic[IMPB_PIC_MAX + 1];
	const char *zip = json_string_value(json_object_get(to, "address_zip"));
	char routing[12] = "";
	for (size_t i = 0, n = 0; zip && zip[i] && n < 9; i++) {
		if (zip[i] >= '0' && zip[i] <= '9') {
			routing[n++] = zip[i];
			routing[n] = '\0';
		}
	}
	if (strlen(routing) != 5 && strlen(routing) != 9)
		routing[0] = '\0';
	/* the placeholder Mailer ID and serial 1: a proof, not a mailing */
	if (imb_tracking("00", "270", "999999999", 1, tracking, &err) < 0 ||
	    imb_bars(tracking, routing, bars, &err) < 0)
		return fail("IMb", &err);
	const char *service = json_string_value(json_object_get(opts, "extra_service"));
	bool certified = service && strncmp(service, "certified", 9) == 0;
	if (certified && impb_build(impb_stc_for_extra_service(service), "999999999", 1, 22, pic, &err) < 0)
		return fail("tracking number", &err);
	char zip5[6];
	snprintf(zip5, sizeof(zip5), "%.5s", strlen(routing) >= 5 ? routing : "00000");
	struct proof_letter l = {
		.imb_bars = bars,
		.placement = json_string_value(json_object_get(opts, "address_placement")),
		.certified_pic = certified ? pic : NULL,
		.certified_zip = zip5,
		.return_receipt = service && strcmp(service, "certified_return_receipt") == 0,
		.double_sided = !json_is_false(json_object_get(opts, "double_sided")),
	};
	lines_of(to, l.to);
	lines_of(from, l.from);
	int rc = proof_stamp_letter(pdf, pdf_len, &l, &out, &out_len, &pages, &err);
	free(pdf);
	if (rc < 0)
		return fail("stamping", &err);
	rc = write_file(a->output, out, out_len);
	if (rc == 0 && a->thumbs) {
		static const unsigned widths[3] = { 150, 300, 600 };
		static const char *const names[3] = { "small", "medium", "large" };
		struct thumb_set set = { 0 };
		if (pdf_thumbnails(out, out_len, widths, 3, pages, &set, &err) < 0)
			rc = fail("thumbnails", &err);
		for (size_t p = 0; p < set.n_pages && rc == 0; p++) {
			for (int s = 0; s < 3 && rc == 0; s++) {
				char path[4096];
				snprintf(path, sizeof(path), "%s/page%zu_%s.png", a->thumbs, p + 1, names[s]);
				rc = write_file(path, set.png[p * 3 + (size_t)s].data, set.png[p * 3 + (size_t)s].len);
			}
		}
		thumb_set_free(&set);
	}
	free(out);
	if (rc == 0)
		printf("{\"output\":\"%s\",\"pages\":%u}\n", a->output, pages);
	return rc == 0 ? 0 : 1;
}

int cmd_render(struct cli_args *a)
{
	if (!a->product || !a->input || !a->output) {
		fprintf(stderr, "frank: render needs --product, --input and -o OUT.pdf\n");
		return 2;
	}
	if (strcmp(a->product, "letter") != 0) {
		fprintf(stderr, "frank: render --product %s is not built yet; only letter is\n",
			a->product);
		return 2;
	}
	struct api_error err;
	size_t len;
	unsigned char *input = read_input(a->input, &len, &err);
	if (!input)
		return fail("input", &err);
	json_t *merge = json_arg("--merge", a->merge), *to = json_arg("--to", a->to),
	       *from = json_arg("--from", a->from), *opts = json_arg("--options", a->options);
	int rc = merge && to && from && opts ? render_letter(a, input, len, merge, to, from, opts) : 2;
	json_decref(merge);
	json_decref(to);
	json_decref(from);
	json_decref(opts);
	free(input);
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
