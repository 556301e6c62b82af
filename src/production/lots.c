// SPDX-License-Identifier: AGPL-3.0-or-later
/* Grouping a run's pieces into lots, in print order (see lots.h). */
#include "production/lots.h"
#include "core/ids.h"
#include "core/mail_product.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

unsigned lot_sheets(unsigned pages, bool double_sided)
{
	return double_sided ? (pages + 1) / 2 : pages;
}

/* ---- one piece ---- */

static json_t *to_block(const json_t *to)
{
	static const char *const f[] = { "name", "company", "address_line1", "address_line2",
					 "address_city", "address_state", "address_zip",
					 "address_country" };
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const char *v = str(to, f[i]);
		json_object_set_new(o, f[i], v ? json_string(v) : json_null());
	}
	return o;
}

/* the ZIP's digits: zip5 and zip4 ("" when absent) */
static void zip_parts(const char *zip, char zip5[6], char zip4[5])
{
	char d[10];
	size_t n = 0;
	for (const char *c = zip; c && *c && n < 9; c++)
		if (*c >= '0' && *c <= '9')
			d[n++] = *c;
	zip5[0] = zip4[0] = '\0';
	if (n >= 5)
		snprintf(zip5, 6, "%.5s", d);
	if (n == 9)
		snprintf(zip4, 5, "%.4s", d + 5);
}

static bool is_us(const json_t *to)
{
	const char *c = str(to, "address_country");
	return !c || !*c || strcmp(c, "US") == 0 || strcmp(c, "UNITED STATES") == 0;
}

/* the envelope a piece goes in (NULL: none, the piece is its own mailer) */
static const char *envelope_of(const char *kind, const json_t *piece, unsigned sheets,
			       char custom[64])
{
	const struct mail_product *mp = mail_product_find(kind);
	if (!mp || mp->format != MAIL_FORMAT_ENVELOPE)
		return NULL;
	const json_t *ce = json_object_get(piece, "custom_envelope");
	const char *ce_id = json_is_object(ce) ? str(ce, "id") : json_string_value(ce);
	if (ce_id) {
		snprintf(custom, 64, "custom:%s", ce_id);
		return custom;
	}
	if (sheets > LOT_ENVELOPE_MAX_SHEETS)
		return "flat_9x12";
	if (str(piece, "extra_service"))
		return "certified_window_10";
	return "standard_10_double_window";
}

static const char *size_of(const char *kind, const json_t *piece)
{
	const char *s = str(piece, "size");
	const struct mail_product *mp = mail_product_find(kind);
	if (mp && mp->lot_size)
		return mp->lot_size;	/* one stock whatever the piece says (checks) */
	if (s)
		return s;
	const struct product_size *dflt = product_lookup(kind, NULL);
	return dflt ? dflt->size : "";
}

const struct product_size *lot_product_size(const char *product, const char *size)
{
	const struct mail_product *mp = mail_product_find(product);
	/* a fixed-stock lot names its stock, no size of the table */
	return product_lookup(product, mp && mp->lot_size ? NULL : size);
}

static json_t *check_block(const json_t *piece, const json_t *input)
{
	const json_t *bank = json_object_get(input, "bank_account");
	if (!json_is_object(bank))
		bank = json_object_get(piece, "bank_account");
	const json_t *to = json_object_get(piece, "to");
	const char *payee = str(to, "name") ? str(to, "name") : str(to, "company");
	const char *send = str(piece, "send_date");
	char date[11] = "";
	if (send)
		snprintf(date, sizeof(date), "%.10s", send);
	return json_pack("{s:I, s:O, s:s, s:s, s:s, s:s, s:s}", "number",
			 (json_int_t)json_integer_value(json_object_get(piece, "check_number")),
			 "amount", json_object_get(piece, "amount") ? json_object_get(piece, "amount")
								    : json_null(),
			 "date", date, "payee", payee ? payee : "", "bank_account_id",
			 str(bank, "id") ? str(bank, "id") : "", "routing_number",
			 str(bank, "routing_number") ? str(bank, "routing_number") : "",
			 "account_number",
			 str(bank, "account_number") ? str(bank, "account_number") : "");
}

/* the inserts a letter carries (its `cards`, `buckslips`): their ids, one each per piece */
static json_t *inserts_of(const json_t *p)
{
	static const char *const fields[] = { "buckslips", "cards" };
	json_t *ids = json_array(), *v;
	size_t i;
	for (size_t f = 0; f < 2; f++)
		json_array_foreach(json_object_get(p, fields[f]), i, v) {
			const char *id = json_is_object(v) ? str(v, "id") : json_string_value(v);
			if (id)
				json_array_append_new(ids, json_string(id));
		}
	return ids;
}

/* the attributes that make a lot: pieces with equal attributes are one physical job */
static json_t *lot_attributes(const struct lot_source *src, unsigned sheets)
{
	const json_t *p = src->piece;
	const char *kind = src->kind;
	bool letter = strcmp(kind, "letter") == 0, check = strcmp(kind, "check") == 0;
	char custom[64];
	const char *env = envelope_of(kind, p, sheets, custom);
	const json_t *perf = json_object_get(p, "perforated_page");
	const json_t *ret = json_object_get(p, "return_envelope");
	bool color = letter ? json_is_true(json_object_get(p, "color")) : !check;
	bool duplex = letter ? json_is_true(json_object_get(p, "double_sided")) : !check;
	const char *mt = str(p, "mail_type");
	return json_pack("{s:s, s:s, s:b, s:b, s:s?, s:s?, s:s, s:b, s:O, s:o, s:b}", "product", kind, "size", size_of(kind, p),
			 "color", color, "double_sided", duplex, "envelope", env, "extra_service",
			 letter ? str(p, "extra_service") : NULL, "mail_type",
			 mt ? mt : "usps_first_class", "return_envelope",
			 json_is_true(ret) || json_is_object(ret), "perforated_page",
			 json_is_integer(perf) ? perf : json_null(), "inserts", inserts_of(p), "reprint",
			 src->reprint);
}

json_t *lot_piece_new(const struct lot_source *src, struct api_error *err)
{
	const json_t *p = src->piece;
	const char *id = str(p, "id");
	char file[64], zip5[6], zip4[5];
	snprintf(file, sizeof(file), "%s.pdf", id ? id : "");
	const char *pdf = str(json_object_get(src->input, "files"), file);
	if (!id || !pdf || src->pages == 0) {
		api_fail(err, ERR_INVALID, "piece %.40s has no rendered PDF to print",
			 id ? id : "(no id)");
		return NULL;
	}
	const json_t *to = json_object_get(p, "to");
	json_t *lot = lot_attributes(src, 0);
	unsigned sheets = lot_sheets(src->pages, json_is_true(json_object_get(lot, "double_sided")));
	json_decref(lot);
	lot = lot_attributes(src, sheets);	/* the envelope depends on the sheets */
	zip_parts(str(to, "address_zip"), zip5, zip4);
	json_t *imb = json_null();
	if (src->imb && is_us(to)) {
		char routing[12];
		snprintf(routing, sizeof(routing), "%s%s", zip5, zip4);
		imb = json_pack("{ssss}", "tracking_code", src->imb, "routing_code", routing);
	}
	const char *tn = str(p, "tracking_number");
	json_t *check = strcmp(src->kind, "check") == 0 ? check_block(p, src->input) : json_null();
	return json_pack("{s:s, s:s, s:i, s:s, s:i, s:i, s:o, s:s, s:s?, s:o, s:s?, s:o, s:o}",
			 "id", id, "account_id", src->account_id ? src->account_id : "",
			 "sequence", 0, "pdf", pdf, "pages", (int)src->pages, "sheets", (int)sheets,
			 "to", to_block(to), "zip5", zip5, "zip4", zip4[0] ? zip4 : NULL, "imb", imb,
			 "tracking_number", tn, "check", check, "_lot", lot);
}

/* ---- grouping ---- */

struct slot {
	json_t *piece;
	char *key;	/* the lot's attributes, canonical JSON */
	bool check;
	long long number;
	const char *zip5, *zip4, *id;
};

static int slot_order(const void *x, const void *y)
{
	const struct slot *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	if (a->check && a->number != b->number)
		return a->number < b->number ? -1 : 1;
	if (!a->check) {
		if ((c = strcmp(a->zip5, b->zip5)))
			return c;
		if ((c = strcmp(a->zip4, b->zip4)))	/* no ZIP+4 ("") first */
			return c;
	}
	return strcmp(a->id, b->id);
}

/* paper, envelope and inserts, in words a mail room orders by */
static json_t *stock_of(const json_t *attrs)
{
	const char *product = str(attrs, "product"), *size = str(attrs, "size");
	const char *env = str(attrs, "envelope");
	char paper[96];
	const struct mail_product *mp = mail_product_find(product);
	const struct product_size *ps = lot_product_size(product, size);
	if (!mp || !mp->lot_paper)
		snprintf(paper, sizeof(paper), "%s (%s)", product, size);
	else if (mp->format == MAIL_FORMAT_ENVELOPE) {
		char sheet[32];	/* flat sheets: the trim size, "8.5x11" */
		if (ps)
			snprintf(sheet, sizeof(sheet), "%gx%g", ps->trim_w, ps->trim_h);
		else
			snprintf(sheet, sizeof(sheet), "%s", size);
		snprintf(paper, sizeof(paper), "%s %s%s", mp->lot_paper, sheet,
			 mp->lot_paper_note ? mp->lot_paper_note : "");
	} else
		snprintf(paper, sizeof(paper), "%s, 12x18 press sheet (%s)", mp->lot_paper, size);
	const char *env_words = !env					    ? NULL
				: strcmp(env, "standard_10_double_window") == 0 ? "#10 double window, 24 lb"
				: strcmp(env, "flat_9x12") == 0		    ? "9x12 flat window, 28 lb"
				: strcmp(env, "certified_window_10") == 0
					? "#10 certified single window, 24 lb"
					: env;
	json_t *inserts = json_array();
	if (json_is_true(json_object_get(attrs, "return_envelope")))
		json_array_append_new(inserts, json_string("#9 return envelope"));
	const json_t *v;
	size_t i;
	json_array_foreach(json_object_get(attrs, "inserts"), i, v) {
		const char *id = json_string_value(v);
		char words[96];
		snprintf(words, sizeof(words), "%s %s, one per piece",
			 strncmp(id, "card_", 5) == 0 ? "card" : "buckslip", id);
		json_array_append_new(inserts, json_string(words));
	}
	return json_pack("{s:s, s:s?, s:o}", "paper", paper, "envelope", env_words, "inserts",
			 inserts);
}

static json_t *lot_new(const char *run_id, bool test, unsigned number, json_t *attrs,
		       const char *key)
{
	char hash[65], id[24];
	char *seed = malloc(strlen(run_id) + strlen(key) + 2);
	if (!seed)
		return NULL;
	memcpy(seed, run_id, strlen(run_id));
	seed[strlen(run_id)] = '|';
	memcpy(seed + strlen(run_id) + 1, key, strlen(key) + 1);
	ids_sha256_hex(seed, strlen(seed), hash);
	free(seed);
	snprintf(id, sizeof(id), "lot_%.16s", hash);
	json_t *lot = json_pack("{s:s, s:s, s:b, s:i}", "id", id, "run_id", run_id, "test", test, "number",
				(int)number);
	json_object_update(lot, attrs);
	json_object_set_new(lot, "stock", stock_of(attrs));
	json_object_set_new(lot, "pieces", json_array());
	return lot;
}

/* counts into the lot and its stock */
static void lot_close(json_t *lot)
{
	json_t *pieces = json_object_get(lot, "pieces"), *p;
	size_t i;
	json_int_t sheets = 0;
	json_array_foreach(pieces, i, p)
		sheets += json_integer_value(json_object_get(p, "sheets"));
	json_t *stock = json_object_get(lot, "stock");
	json_object_set_new(stock, "pieces", json_integer((json_int_t)json_array_size(pieces)));
	json_object_set_new(stock, "sheets", json_integer(sheets));
	/* what the mail room pulls from insert stock for this lot */
	json_t *pulls = json_array(), *v;
	json_array_foreach(json_object_get(lot, "inserts"), i, v)
		json_array_append_new(pulls, json_pack("{s:O, s:I}", "id", v, "count",
						       (json_int_t)json_array_size(pieces)));
	json_object_set_new(stock, "insert_pulls", pulls);
}

json_t *lots_plan(const char *run_id, bool test, const char *cutoff_iso, const char *created_iso,
		  const char *mailer_id, json_t *pieces)
{
	size_t n = json_array_size(pieces), i;
	struct slot *s = calloc(n ? n : 1, sizeof(*s));
	json_t *lots = json_array(), *p;
	json_t *plan = json_pack("{s:s, s:s, s:b, s:s, s:s, s:O}", "id", run_id, "cutoff", cutoff_iso, "test", test,
				 "date_created", created_iso, "mailer_id", mailer_id, "lots", lots);
	if (!s || !plan) {
		free(s);
		json_decref(lots);
		json_decref(plan);
		json_decref(pieces);
		return NULL;
	}
	json_array_foreach(pieces, i, p) {
		const json_t *chk = json_object_get(p, "check");
		s[i] = (struct slot){ .piece = p,
				      .key = json_dumps(json_object_get(p, "_lot"),
							JSON_SORT_KEYS | JSON_COMPACT),
				      .check = json_is_object(chk),
				      .number = json_integer_value(json_object_get(chk, "number")),
				      .zip5 = str(p, "zip5") ? str(p, "zip5") : "",
				      .zip4 = str(p, "zip4") ? str(p, "zip4") : "",
				      .id = str(p, "id") };
		if (!s[i].key)
			s[i].key = strdup("");
	}
	qsort(s, n, sizeof(*s), slot_order);
	json_t *lot = NULL;
	unsigned seq = 0;
	for (i = 0; i < n; i++) {
		if (!lot || strcmp(s[i].key, s[i - 1].key) != 0) {
			if (lot)
				lot_close(lot);
			lot = lot_new(run_id, test, (unsigned)json_array_size(lots) + 1,
				      json_object_get(s[i].piece, "_lot"), s[i].key);
			json_array_append_new(lots, lot);
			seq = 0;
		}
		json_t *piece = json_copy(s[i].piece);	/* shallow: the caller's pieces stay */
		json_object_del(piece, "_lot");
		json_object_set_new(piece, "sequence", json_integer(++seq));
		json_array_append_new(json_object_get(lot, "pieces"), piece);
	}
	if (lot)
		lot_close(lot);
	for (i = 0; i < n; i++)
		free(s[i].key);
	free(s);
	json_decref(lots);
	json_decref(pieces);
	return plan;
}

json_t *lot_summary(const json_t *lot)
{
	static const char *const keep[] = { "id", "number", "product", "size", "color",
					    "double_sided", "envelope", "extra_service",
					    "mail_type", "return_envelope", "perforated_page",
					    "inserts", "reprint", "stock" };
	json_t *o = json_object();
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		json_object_set(o, keep[i], json_object_get(lot, keep[i]));
	const json_t *stock = json_object_get(lot, "stock");
	json_object_set(o, "pieces", json_object_get(stock, "pieces"));
	json_object_set(o, "sheets", json_object_get(stock, "sheets"));
	json_object_set_new(o, "files", json_array());
	return o;
}
