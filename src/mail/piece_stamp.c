// SPDX-License-Identifier: AGPL-3.0-or-later
/* Lob's piece JSON → a stamping request (see piece_stamp.h). */
#include "mail/piece_stamp.h"
#include "core/parse.h"
#include "mail/postal_identity.h"
#include "mail/qr_option.h"
#include "template/handlebars.h"
#include "stamp/product.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

void piece_address_lines(const json_t *a, struct arena *ar, const char *out[STAMP_LINES])
{
	static const char *const f[] = { "name", "company", "address_line1", "address_line2" };
	size_t n = 0;
	for (size_t i = 0; i < STAMP_LINES; i++)
		out[i] = NULL;
	if (!json_is_object(a))
		return;
	for (size_t i = 0; i < 4; i++) {
		const char *v = str(a, f[i]);
		if (v && *v)
			out[n++] = v;
	}
	const char *city = str(a, "address_city"), *state = str(a, "address_state"),
		   *zip = str(a, "address_zip"), *country = str(a, "address_country");
	out[n++] = arena_strfmt(ar, "%s %s %s", city ? city : "", state ? state : "",
				zip ? zip : "");
	if (country && *country && strcmp(country, "UNITED STATES") != 0 && n < STAMP_LINES)
		out[n++] = country;
}

const char *piece_routing_code(const json_t *address, struct arena *a)
{
	const char *zip = str(address, "address_zip");
	char digits[12];
	size_t n = 0;
	for (const char *c = zip; c && *c && n < 9; c++)
		if (*c >= '0' && *c <= '9')
			digits[n++] = *c;
	digits[n] = '\0';
	return n == 5 || n == 9 ? arena_strdup(a, digits) : "";
}

char *piece_merge_text(const char *text, const json_t *vars, struct api_error *err)
{
	/* legacy substitution: a URL must not be HTML-escaped */
	struct hbs_template *t = hbs_compile(text, strlen(text), HBS_LEGACY, NULL, err);
	if (!t)
		return NULL;
	json_t *empty = json_object();
	size_t len;
	char *out = hbs_render(t, json_is_object(vars) ? vars : empty, false, NULL, &len, err);
	json_decref(empty);
	hbs_free(t);
	return out;
}

/* "2026-11-25…" → "November 25, 2026" (the check's date line); NULL if not a date */
static const char *long_date(const char *iso, struct arena *a)
{
	static const char *const months[] = { "January", "February", "March", "April", "May",
					      "June", "July", "August", "September", "October",
					      "November", "December" };
	unsigned long long y, m, d;
	if (!iso || parse_digits_n(iso, 4, &y) < 0 || iso[4] != '-' ||
	    parse_digits_n(iso + 5, 2, &m) < 0 || iso[7] != '-' ||
	    parse_digits_n(iso + 8, 2, &d) < 0 || m < 1 || m > 12 || d < 1 || d > 31)
		return NULL;
	return arena_strfmt(a, "%s %llu, %llu", months[m - 1], d, y);
}

static int check_face(const json_t *piece, const json_t *bank, struct arena *a,
		      struct stamp_check *k, struct api_error *err)
{
	if (!bank)
		bank = json_object_get(piece, "bank_account");
	double amount = json_number_value(json_object_get(piece, "amount"));
	json_int_t number = json_integer_value(json_object_get(piece, "check_number"));
	if (!json_is_object(bank) || amount <= 0 || number <= 0)
		return api_fail(err, ERR_INTERNAL, "the check's amount, number or bank account is missing");
	const char *date = long_date(str(piece, "send_date"), a);
	*k = (struct stamp_check){
		.amount_cents = (int64_t)llround(amount * 100.0),
		.check_number = (uint32_t)number,
		.date = date ? date : long_date(str(piece, "date_created"), a),
		.memo = str(piece, "memo"),
		.message = str(piece, "message"),
		.bank_name = str(bank, "bank_name"),
		.routing_number = str(bank, "routing_number"),
		.account_number = str(bank, "account_number"),
		.signatory = str(bank, "signatory"),
	};
	return 0;
}

/* Lob's qr_code: its redirect_url may hold merge variables; placed on the artboard */
static int qr(const json_t *piece, const char *kind, struct arena *a, struct piece_stamp *out,
	      struct api_error *err)
{
	const json_t *v = json_object_get(piece, "qr_code");
	if (!json_is_object(v))
		return 0;
	const struct product_size *p = product_lookup(kind, str(piece, "size"));
	if (!p)
		return api_fail(err, ERR_INTERNAL, "no product %s", kind);
	char *url = piece_merge_text(str(v, "redirect_url") ? str(v, "redirect_url") : "",
				     json_object_get(piece, "merge_variables"), err);
	if (!url)
		return -1;
	struct qr_option *qo = arena_calloc(a, sizeof(*qo));
	qr_option_place(v, product_artboard_w(p), product_artboard_h(p), qo);
	out->rq.qr = (struct stamp_qr){ .data = arena_strdup(a, url), .x_in = qo->x_in,
					.y_in = qo->y_in, .width_in = qo->width_in,
					.pages = qo->page, .npages = QR_PAGES_MAX + 1 };
	free(url);
	return 0;
}

int piece_stamp_request(const char *kind, const json_t *piece, const json_t *bank,
			const char *bars, struct arena *a, struct piece_stamp *out,
			struct api_error *err)
{
	memset(out, 0, sizeof(*out));
	const json_t *to = json_object_get(piece, "to");
	const char *service = str(piece, "extra_service");
	const char *zip = str(to, "address_zip");
	snprintf(out->zip5, sizeof(out->zip5), "%.5s", zip && strlen(zip) >= 5 ? zip : "00000");
	out->rq = (struct stamp_request){
		.product = kind,
		.size = str(piece, "size"),
		.address_placement = str(piece, "address_placement"),
		.double_sided = !json_is_false(json_object_get(piece, "double_sided")),
		.international = !postal_address_domestic(to),
		.imb_bars = bars,
		.extra_service = service,
		.tracking_number = service ? str(piece, "tracking_number") : NULL,
		.recipient_zip = out->zip5,
	};
	if (strcmp(kind, "check") == 0) {
		out->rq.size = NULL;	/* checks have one size; Lob's object has no size */
		out->rq.double_sided = true;	/* attachments print on both sides */
	}
	piece_address_lines(to, a, out->rq.to);
	piece_address_lines(json_object_get(piece, "from"), a, out->rq.from);
	if (strcmp(kind, "check") == 0) {
		if (check_face(piece, bank, a, &out->check, err) < 0)
			return -1;
		out->rq.check = &out->check;
	}
	return qr(piece, kind, a, out, err);
}
