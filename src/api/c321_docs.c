// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What a mailing prints and proves:
 *   GET /api/v1/mailings/{id}/label[?format=cover_sheet][&type=png]
 *                                                           the label PDF (c321/label.h), or
 *                                                           its first page as a 300 dpi PNG
 *   GET /api/v1/tracking/{trackingNumber}                   status and events
 *   GET /api/v1/tracking/{trackingNumber}/return-receipt    the electronic return receipt
 *                                                           (PDF), once delivered
 * Tracking reads the letter's tracking_events (mail/tracking.h keeps them, from USPS scans,
 * the print side's confirmation or the test-mode simulation). Documents are drawn on request
 * from the stored mailing (base-14 fonts, a few milliseconds), never stored.
 */
#include "api/c321.h"
#include "c321/label.h"
#include "c321/mailing.h"
#include "core/jsonutil.h"
#include "http/app.h"
#include "http/route.h"
#include "barcode/impb.h"
#include "pdf/thumbs.h"
#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* an address's printed lines (arena) */
static void address_lines(struct req *rq, const json_t *a, struct label_address *out)
{
	char *last = arena_alloc(rq->arena, 256);
	label_address_lines(out, last, 256, str(a, "name"), str(a, "company"),
			    str(a, "address_line1"), str(a, "address_line2"), str(a, "address_city"),
			    str(a, "address_state"), str(a, "address_zip"));
}

/* the fees the side record kept (-1 where unknown: letters priced elsewhere) */
static void fees(const json_t *side, struct label_fees *f)
{
	size_t i;
	const json_t *l;
	const json_t *lines = json_object_get(side, "cost_lines");
	*f = (struct label_fees){ -1, -1, -1, -1, -1 };
	if (!json_is_array(lines))
		return;
	f->postage = f->service = 0;
	f->total = json_integer_value(json_object_get(json_object_get(side, "cost_cents"), "postage"));
	json_array_foreach(lines, i, l) {
		const char *key = str(l, "key");
		long long cents = json_integer_value(json_object_get(l, "cents"));
		if (!key)
			continue;
		if (strcmp(key, "certified") == 0 || strcmp(key, "registered") == 0)
			f->service = cents;
		else if (strcmp(key, "restricted_delivery") == 0)
			f->restricted = cents;
		else if (strncmp(key, "return_receipt", 14) == 0)
			f->return_receipt = cents;
		else
			f->postage += cents;	/* letter or flat ounces */
	}
}

/* the label's input from the stored mailing; -1 with a 404 when it has no number yet */
static int label_input_of(struct req *rq, const json_t *letter, const json_t *side,
			  struct label_input *in, struct api_error *err)
{
	const json_t *to = json_object_get(letter, "to");
	const char *zip = str(to, "address_zip");
	char *digits = arena_calloc(rq->arena, 16);
	size_t n = 0;
	memset(in, 0, sizeof(*in));
	in->tracking = str(letter, "tracking_number");
	in->mc = mailing_class(letter, side);
	if (!in->tracking || !in->mc)
		return api_fail(err, ERR_NOT_FOUND, "Mailing %.40s has no tracking number yet",
				str(letter, "id"));
	for (const char *c = zip ? zip : ""; *c && n < 9; c++)
		if (*c >= '0' && *c <= '9')
			digits[n++] = *c;
	digits[n == 9 ? 9 : n < 5 ? n : 5] = '\0';	/* ZIP+4 or ZIP (AI 420) */
	in->zip = digits;
	address_lines(rq, to, &in->to);
	address_lines(rq, json_object_get(letter, "from"), &in->from);
	fees(side, &in->fees);
	in->reference = str(side, "reference");
	if (!in->reference)
		in->reference = str(json_object_get(letter, "metadata"), "reference");
	in->mailing_id = str(letter, "id");
	const char *created = str(letter, "date_created");
	in->date = created ? arena_strndup(rq->arena, created, 10) : NULL;
	return 0;
}

static int pdf_answer(struct req *rq, int rc, unsigned char *pdf, size_t len)
{
	if (rc == 0)
		c321_respond_bytes(rq, "application/pdf", pdf, len);
	free(pdf);
	return rc;
}

/* page 1 at 300 dpi: label printers and previews take images; 3 pixels per bar module */
static int png_answer(struct req *rq, int rc, unsigned char *pdf, size_t len,
		      struct api_error *err)
{
	static const unsigned width[1] = { 2550 };
	struct thumb_set set = { 0 };
	if (rc == 0 && (rc = pdf_thumbnails(pdf, len, width, 1, 1, &set, err)) == 0)
		c321_respond_bytes(rq, "image/png", set.png[0].data, set.png[0].len);
	thumb_set_free(&set);
	free(pdf);
	return rc;
}

static int label(struct req *rq, struct api_error *err)
{
	json_t *letter, *side;
	struct label_input in;
	const char *format = json_string_value(json_object_get(rq->query, "format"));
	enum label_format f = LABEL_STANDARD;
	if (format && strcmp(format, "cover_sheet") == 0)
		f = LABEL_COVER_SHEET;
	else if (format && strcmp(format, "label") != 0)
		return c321_bad_request(err, "format is label (the default) or cover_sheet");
	const char *type = json_string_value(json_object_get(rq->query, "type"));
	if (type && strcmp(type, "pdf") != 0 && strcmp(type, "png") != 0)
		return c321_bad_request(err, "type is pdf (the default) or png");
	if (c321_mailing_load(rq, rq->path_id, &letter, &side, err) < 0 ||
	    label_input_of(rq, letter, side, &in, err) < 0)
		return -1;
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned pages;
	int rc = label_pdf(&in, f, &pdf, &len, &pages, err);
	return type && strcmp(type, "png") == 0 ? png_answer(rq, rc, pdf, len, err)
						: pdf_answer(rq, rc, pdf, len);
}

/* the mailing a tracking number names, in this key's account and mode */
static int by_tracking(struct req *rq, json_t **letter, json_t **side, struct api_error *err)
{
	struct store_tracked t;
	struct api_error ignored;
	const char *tn = rq->path_id;
	int rc = tn && strlen(tn) <= IMPB_PIC_MAX && impb_validate(tn, &ignored) == 0
			 ? store_tracking_lookup(rq->app->store, tn, &t, err)
			 : 1;
	if (rc < 0)
		return -1;
	if (rc > 0 || strcmp(t.kind, "letter") != 0 || strcmp(t.account_id, rq->scope.account_id) != 0 ||
	    t.mode != rq->scope.mode)
		return api_fail(err, ERR_NOT_FOUND, "Tracking number %.30s not found", tn ? tn : "");
	return c321_mailing_load(rq, t.object_id, letter, side, err);
}

static int tracking(struct req *rq, struct api_error *err)
{
	json_t *letter, *side;
	if (by_tracking(rq, &letter, &side, err) < 0)
		return -1;
	return respond_json(rq, 200, arena_own_json(rq->arena, mailing_tracking_view(letter, side)));
}

static int return_receipt(struct req *rq, struct api_error *err)
{
	json_t *letter, *side;
	struct label_input in;
	if (by_tracking(rq, &letter, &side, err) < 0 || label_input_of(rq, letter, side, &in, err) < 0)
		return -1;
	if (!(in.mc->fees & (FEE_RR_ELECTRONIC | FEE_RR_HARDCOPY)))
		return api_fail(err, ERR_NOT_FOUND, "Mailing %.40s has no return receipt (mail class "
				"%s)", in.mailing_id, in.mc->name);
	const json_t *ev = mailing_delivery_event(letter);
	if (!ev)
		return api_fail(err, ERR_NOT_FOUND, "No return receipt yet: USPS has not reported "
				"mailing %.40s delivered", in.mailing_id);
	struct label_delivery d = { .time = str(ev, "time"), .location = str(ev, "location"),
				    .notes = str(json_object_get(ev, "details"), "notes") };
	unsigned char *pdf = NULL;
	size_t len = 0;
	int rc = label_return_receipt_pdf(&in, &d, &pdf, &len, err);
	return pdf_answer(rq, rc, pdf, len);
}

const struct route c321_doc_routes[] = {
	{ HTTP_GET, "/api/v1/mailings/{id}/label", label, NULL, KEY_SECRET, "mailings:read", 0 },
	{ HTTP_GET, "/api/v1/tracking/{id}", tracking, NULL, KEY_SECRET, "mailings:read", 0 },
	{ HTTP_GET, "/api/v1/tracking/{id}/return-receipt", return_receipt, NULL, KEY_SECRET,
	  "mailings:read", 0 },
	{ .pattern = NULL }
};
