// SPDX-License-Identifier: AGPL-3.0-or-later
/* Manifest rows and lot postage marks (see manifest_row.h). */
#include "production/manifest_row.h"
#include "core/mail_product.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* columns, and the decimals a number column is written with in CSV */
static const struct {
	const char *name;
	int decimals;
} columns[] = {
	{ "piece_id", 0 },	    { "account_id", 0 },	{ "run_id", 0 },
	{ "lot_id", 0 },	    { "lot_number", 0 },	{ "sequence", 0 },
	{ "product", 0 },	    { "size", 0 },		{ "sheets", 0 },
	{ "pages", 0 },		    { "envelope", 0 },		{ "weight_oz", 3 },
	{ "mail_class", 0 },	    { "extra_service", 0 },	{ "imb_tracking_code", 0 },
	{ "imb_routing_code", 0 },  { "tracking_number", 0 },	{ "zip_plus4", 0 },
	{ "country", 0 },	    { "postage_mark", 0 },	{ "postage_usd", 2 },
	{ "fees_usd", 2 },
};

const size_t manifest_n_columns = N_OF(columns);

const char *manifest_column(size_t i)
{
	return columns[i].name;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool enveloped(const json_t *lot)
{
	const struct mail_product *mp = mail_product_find(str(lot, "product"));
	return !mp || mp->format != MAIL_FORMAT_CARD;
}

enum postage_payment manifest_lot_payment(const struct manifest_opts *o, const json_t *lot)
{
	bool permit = o->permit && (!enveloped(lot) || o->envelopes_permit_preprinted);
	return permit ? POSTAGE_PAID_PERMIT : POSTAGE_PAID_METER;
}

json_t *manifest_postage_mark(const struct manifest_opts *o, const json_t *lot)
{
	bool env = enveloped(lot);
	const json_t *stock = json_object_get(lot, "stock");
	const char *stock_name = str(stock, env ? "envelope" : "paper");
	if (env && !stock_name)
		stock_name = str(lot, "envelope");
	json_t *mark = json_pack("{s:s, s:s, s:s?}", "mark",
				 manifest_lot_payment(o, lot) == POSTAGE_PAID_PERMIT ? "permit_imprint"
										     : "meter",
				 "on", env ? "envelope" : "piece", "stock", stock_name);
	if (mark && manifest_lot_payment(o, lot) == POSTAGE_PAID_PERMIT) {
		const struct manifest_permit *p = o->permit;
		char text[256];
		/* DMM 604.5 lines: class, "U.S. POSTAGE PAID", city and state, permit number */
		snprintf(text, sizeof text, "%s\nU.S. POSTAGE PAID\n%s %s\nPERMIT NO. %s",
			 p->mail_class_text ? p->mail_class_text : "FIRST-CLASS MAIL",
			 p->city ? p->city : "", p->state ? p->state : "",
			 p->permit_number ? p->permit_number : "");
		if (json_object_set_new(mark, "text", json_string(text)) < 0) {
			json_decref(mark);
			return NULL;
		}
	}
	return mark;
}

/* a string, or JSON null for NULL */
static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *usd_or_null(long cents)
{
	return cents < 0 ? json_null() : json_real((double)cents / 100.0);
}

json_t *manifest_row(const struct manifest_opts *o, const json_t *run, const json_t *lot,
		     const json_t *piece, struct manifest_calc *calc, struct api_error *err)
{
	const char *id = str(piece, "id");
	json_t *seq = json_object_get(piece, "sequence"), *sheets = json_object_get(piece, "sheets");
	json_t *pages = json_object_get(piece, "pages");
	if (!id || !json_is_integer(seq) || !json_is_integer(sheets) || !json_is_integer(pages)) {
		api_fail(err, ERR_INVALID, "lot %s: piece %s has no %s", str(lot, "id"),
			 id ? id : "(no id)",
			 !id ? "id" : !json_is_integer(seq) ? "sequence" : !json_is_integer(sheets) ? "sheets" : "pages");
		return NULL;
	}
	calc->weight_oz = weight_estimate_oz(lot, piece);
	postage_for_piece(o->prices, manifest_lot_payment(o, lot), lot, piece, calc->weight_oz,
			  &calc->postage);
	const json_t *to = json_object_get(piece, "to"), *imb = json_object_get(piece, "imb");
	const char *zip5 = str(piece, "zip5"), *zip4 = str(piece, "zip4");
	char zip[16] = "";
	if (zip5)
		snprintf(zip, sizeof zip, "%.5s%s%.4s", zip5, zip4 && *zip4 ? "-" : "",
			 zip4 ? zip4 : "");
	double oz = calc->weight_oz < 0 ? -1 : round(calc->weight_oz * 1000.0) / 1000.0;
	json_t *row = json_object();
	json_t *vals[] = {
		json_string(id),
		str_or_null(str(piece, "account_id")),
		str_or_null(str(run, "id")),
		str_or_null(str(lot, "id")),
		json_integer(json_integer_value(json_object_get(lot, "number"))),
		json_integer(json_integer_value(seq)),
		str_or_null(str(lot, "product")),
		str_or_null(str(lot, "size")),
		json_integer(json_integer_value(sheets)),
		json_integer(json_integer_value(pages)),
		str_or_null(str(lot, "envelope")),
		oz < 0 ? json_null() : json_real(oz),
		str_or_null(str(lot, "mail_type")),
		str_or_null(str(lot, "extra_service")),
		str_or_null(str(imb, "tracking_code")),
		str_or_null(str(imb, "routing_code")),
		str_or_null(str(piece, "tracking_number")),
		zip5 ? json_string(zip) : json_null(),
		str_or_null(str(to, "address_country")),
		json_string(manifest_lot_payment(o, lot) == POSTAGE_PAID_PERMIT ? "permit_imprint"
										: "meter"),
		usd_or_null(calc->postage.postage),
		usd_or_null(postage_fees(&calc->postage)),
	};
	_Static_assert(N_OF(vals) == N_OF(columns), "one value per column");
	bool ok = row != NULL;
	for (size_t i = 0; i < N_OF(vals); i++) {
		if (!row)
			json_decref(vals[i]);
		else if (!vals[i] || json_object_set_new(row, columns[i].name, vals[i]) < 0)
			ok = false;
	}
	if (!ok) {
		json_decref(row);
		api_fail(err, ERR_INTERNAL, "out of memory writing the manifest row of %s", id);
		return NULL;
	}
	return row;
}

const char *manifest_cell(const json_t *row, size_t i, char buf[64])
{
	const json_t *v = json_object_get(row, columns[i].name);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		snprintf(buf, 64, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, 64, "%.*f", columns[i].decimals, json_real_value(v));
	else
		buf[0] = '\0';
	return buf;
}
