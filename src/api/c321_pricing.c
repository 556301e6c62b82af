// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /api/v1 pricing:
 *   GET  /api/v1/pricing             the price table in force, the service fee, the classes
 *   POST /api/v1/pricing/calculate   {"mail_class","pages","duplex","options"} → the cost
 * The table is data (--price-table, default prices_usps.csv in --share-dir): read on first use
 * and again whenever its file changes (size or modification time), so the operator loads a
 * new table by replacing the file. A table that does not parse is logged and the previous one
 * stays in force. Requests hold a reference to the table they started with.
 */
#include "api/c321.h"
#include "c321/mailing.h"
#include "core/config.h"
#include "core/file_snapshot.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/route.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *table_load(const char *path, char *msg, size_t len)
{
	struct price_table *t = calloc(1, sizeof(*t));
	if (!t || price_table_load(path, t, msg, len) < 0) {
		if (!t)
			snprintf(msg, len, "out of memory");
		free(t);
		return NULL;
	}
	return t;
}

static void table_free(void *p)
{
	price_table_free(p);
	free(p);
}

static struct file_snapshots tables = FILE_SNAPSHOTS_INIT("price table", table_load, table_free);

int c321_prices(struct req *rq, struct c321_prices *out, struct api_error *err)
{
	const struct config *cfg = rq->app->cfg;
	char msg[256], iso[25], fallback[4096];
	const char *path = cfg && cfg->price_table
				   ? cfg->price_table
				   : share_file(share_dir_from_env(), SHARE_PRICE_TABLE, fallback,
						sizeof(fallback));
	if (!path)
		return api_fail(err, ERR_INTERNAL, "pricing is unavailable: FRANK_SHARE_DIR is too long");
	if (service_fee_parse(cfg && cfg->service_fee ? cfg->service_fee : "0", &out->fee, msg,
			      sizeof(msg)) < 0)
		return api_fail(err, ERR_INTERNAL, "--service-fee: %s", msg);
	struct file_snapshot *ref;
	bool missing;
	const struct price_table *t = file_snapshot_get(&tables, path, &ref, &missing, msg,
							sizeof(msg));
	if (!t)
		return api_fail(err, ERR_INTERNAL, "pricing is unavailable: %s", msg);
	arena_defer(rq->arena, file_snapshot_release, ref);
	out->table = t;
	time_format_iso(rq->now_ms, iso);
	memcpy(out->date, iso, PRICE_DATE_LEN);
	out->date[PRICE_DATE_LEN] = '\0';
	return 0;
}

/* ---- answers ---- */

static json_t *cost_json(const struct cost *c)
{
	return json_pack("{sososo}", "postage", mailing_dollars(c->postage_cents), "service_fee",
			 mailing_dollars(c->service_fee_cents), "total",
			 mailing_dollars(c->total_cents));
}

static json_t *row_json(const struct price_row *r)
{
	return json_pack("{sssssssossssss}", "key", r->key, "item", r->item, "unit", r->unit,
			 "price", r->cents < 0 ? json_null() : mailing_dollars(r->cents),
			 "effective_date", r->effective_date, "status", r->status, "source",
			 r->source);
}

static json_t *class_json(const struct c321_prices *p, const struct mail_class *mc)
{
	struct cost c;
	struct api_error e;
	json_t *o = json_pack("{sssssss[]}", "mail_class", mc->name, "description", mc->description,
			      "service_type_code", mc->stc, "fees");
	for (unsigned bit = 1; bit <= FEE_RR_ELECTRONIC; bit <<= 1)
		if (mc->fees & bit)
			json_array_append_new(json_object_get(o, "fees"),
					      json_string(mail_class_fee_key(bit)));
	bool ok = price_mailing(p->table, &p->fee, mc, 1, true, p->date, &c, &e) == 0;
	json_object_set_new(o, "available", json_boolean(ok));
	/* a one-page letter, as a reference point; otherwise why it cannot be sent */
	json_object_set_new(o, "one_page", ok ? cost_json(&c) : json_null());
	json_object_set_new(o, "unavailable_reason", ok ? json_null() : json_string(e.message));
	return o;
}

static int pricing_get(struct req *rq, struct api_error *err)
{
	struct c321_prices p;
	char eff[PRICE_DATE_LEN + 1];
	if (c321_prices(rq, &p, err) < 0)
		return -1;
	json_t *prices = json_array(), *later = json_array(), *classes = json_array();
	for (size_t i = 0; i < p.table->n; i++) {
		const struct price_row *r = &p.table->rows[i];
		if (strcmp(r->effective_date, p.date) > 0)
			json_array_append_new(later, row_json(r));
		else if (!*r->key || price_lookup(p.table, r->key, p.date) == r)
			json_array_append_new(prices, row_json(r));
	}
	for (size_t i = 0; mail_class_at(i); i++)
		json_array_append_new(classes, class_json(&p, mail_class_at(i)));
	price_table_effective(p.table, p.date, eff);
	json_t *body = json_pack("{sssss{soso}sososo}", "currency", "usd", "effective_date", eff,
				 "service_fee", "fixed", mailing_dollars(p.fee.fixed_cents),
				 "percent", json_real(p.fee.basis_points / 100.0), "mail_classes",
				 classes, "prices", prices, "scheduled", later);
	return respond_json(rq, 200, arena_own_json(rq->arena, body));
}

static json_t *options_field(const struct field *f, const json_t *v, void *ctx,
			     struct api_error *err)
{
	(void)f;
	(void)ctx;
	if (!json_is_object(v)) {
		c321_bad_request(err, "options must be an object");
		return NULL;
	}
	const char *k;
	const json_t *x;
	json_object_foreach((json_t *)v, k, x) {
		if (strcmp(k, "restricted_delivery") == 0 && json_is_boolean(x))
			continue;
		if (strcmp(k, "return_receipt") == 0 && json_is_string(x))
			continue;
		c321_bad_request(err, "options.%.40s is not allowed: options are restricted_delivery "
				 "(true/false) and return_receipt (none, electronic, hardcopy)", k);
		return NULL;
	}
	return json_incref((json_t *)v);
}

static const struct field calculate_fields[] = {
	{ "mail_class", FT_STRING, F_REQUIRED, .max = 64 },
	{ "pages", FT_INT, 0, .min = 1, .max_value = MAILING_MAX_PAGES, .dflt = "1" },
	{ "duplex", FT_BOOL, 0, .dflt = "true" },
	{ "options", FT_JSON, 0, .json = options_field },
	FIELD_END
};

static int calculate(struct req *rq, struct api_error *err)
{
	struct c321_prices p;
	json_t *in = arena_own_json(rq->arena, json_object());
	if (c321_validate(calculate_fields, rq->body_json, rq, in, err) < 0 ||
	    c321_prices(rq, &p, err) < 0)
		return -1;
	const char *name = json_string_value(json_object_get(in, "mail_class"));
	const struct mail_class *mc = mail_class_find(name);
	if (!mc)
		return c321_bad_request(err, "mail_class %.64s is not one of this API's classes (GET "
					"/api/v1/pricing lists them)", name);
	const json_t *opt = json_object_get(in, "options");
	const json_t *rd = json_object_get(opt, "restricted_delivery");
	const char *rr = json_string_value(json_object_get(opt, "return_receipt"));
	if (opt && !(mc = mail_class_with(mc, rd ? json_is_true(rd) : -1, rr)))
		return c321_bad_request(err, "no mail class combines %s with those options", name);
	struct cost c;
	unsigned pages = (unsigned)json_integer_value(json_object_get(in, "pages"));
	bool duplex = json_is_true(json_object_get(in, "duplex"));
	if (price_mailing(p.table, &p.fee, mc, pages, duplex, p.date, &c, err) < 0)
		return -1;
	json_t *lines = json_array();
	for (size_t i = 0; i < c.n_lines; i++)
		json_array_append_new(lines, json_pack("{sssssiso}", "key", c.lines[i].key, "item",
						       c.lines[i].item, "quantity",
						       (int)c.lines[i].quantity, "amount",
						       mailing_dollars(c.lines[i].cents)));
	json_t *body = json_pack("{sssssisbsisososossss}", "mail_class", mc->name, "description",
				 mc->description, "pages", (int)pages, "duplex", duplex, "sheets",
				 (int)c.sheets, "weight_oz", json_real(c.weight_millioz / 1000.0),
				 "cost", cost_json(&c), "breakdown", lines, "effective_date",
				 c.effective_date, "currency", "usd");
	return respond_json(rq, 200, arena_own_json(rq->arena, body));
}

const struct route c321_pricing_routes[] = {
	{ HTTP_GET, "/api/v1/pricing", pricing_get, NULL, KEY_SECRET, "pricing:read", 0 },
	{ HTTP_POST, "/api/v1/pricing/calculate", calculate, NULL, KEY_SECRET, "pricing:read",
	  R_BODY },
	{ .pattern = NULL }
};
