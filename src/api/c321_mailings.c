// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /api/v1 mailings — each one a Lob letter with an extra service, made through exactly the
 * rules of POST /v1/letters (letter_prepare) and stored in the same transaction as a small
 * side record with what Lob's letter has no field for (class, reference, cost):
 *   POST /api/v1/mailings        from, to, mail_class, reference, html | file | template_id
 *   GET  /api/v1/mailings        status, reference, limit, cursor
 *   GET  /api/v1/mailings/{id}   the mailing id is the letter's id (GET /v1/letters/{id})
 */
#include "api/c321.h"
#include "api/letters.h"
#include "api/list.h"
#include "api/pieces.h"
#include "c321/mailing.h"
#include "core/config.h"
#include "core/jsonutil.h"
#include "core/parse.h"
#include "http/app.h"
#include "http/body.h"
#include "http/route.h"
#include "barcode/impb.h"
#include "render/mupdf/mupdf_html.h"
#include "pdf/pdf_inspect.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define REFERENCE_MAX 100
#define LIST_SCAN_ROUNDS 10	/* a status filter reads at most 10 x 100 letters per page */

static const struct resource side_res = { .kind = MAILING_SIDE_KIND,
					  .id_prefix = MAILING_SIDE_PREFIX };

bool c321_mailing_id_ok(const char *id)
{
	return id && strlen(id) == 20 && strncmp(id, "ltr_", 4) == 0;
}

/* ---- loading ---- */

int c321_mailing_load(struct req *rq, const char *id, json_t **letter, json_t **side,
		      struct api_error *err)
{
	struct store_scope sc = rq->scope;
	char *json = NULL;
	*side = NULL;
	sc.kind = "letter";
	int rc = c321_mailing_id_ok(id) ? store_object_get(rq->app->store, &sc, id, rq->arena,
							    &json, err)
					: 1;
	if (rc < 0)
		return -1;
	*letter = rc == 0 ? arena_own_json(rq->arena, json_loads(json, 0, NULL)) : NULL;
	const json_t *es = json_object_get(*letter, "extra_service");
	if (!*letter || !json_is_string(es))
		return api_fail(err, ERR_NOT_FOUND, "Mailing %.40s not found", id ? id : "");
	sc.kind = MAILING_SIDE_KIND;
	const char *side_id = arena_strfmt(rq->arena, "%s%s", MAILING_SIDE_PREFIX, id + 4);
	rc = store_object_get(rq->app->store, &sc, side_id, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		*side = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	return 0;
}

/* ---- create ---- */

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* a nested address, checked against this API's address table (400 names the field) */
static json_t *address_field(const struct field *f, const json_t *v, void *ctx,
			     struct api_error *err)
{
	struct req *rq = ctx;
	json_t *out = json_object();
	if (!json_is_object(v)) {
		c321_bad_request(err, "%s must be an address object", f->name);
	} else if (fields_validate(c321_mailing_address_fields, v, rq->arena, out, err) < 0) {
		char msg[sizeof(err->message)];
		snprintf(msg, sizeof(msg), "%s.%.200s", f->name, err->message);
		c321_bad_request(err, "%s", msg);
	} else {
		return out;
	}
	json_decref(out);
	return NULL;
}

static bool reference_ok(const char *v)
{
	return !strpbrk(v, "\"\\");	/* kept as letter metadata, which refuses these */
}

static const struct field mailing_fields[] = {
	{ "from", FT_JSON, F_REQUIRED, .json = address_field },
	{ "to", FT_JSON, F_REQUIRED, .json = address_field },
	{ "mail_class", FT_STRING, F_REQUIRED, .max = 64 },
	{ "reference", FT_STRING, 0, .max = REFERENCE_MAX, .check = reference_ok,
	  .pattern = "text without \" or \\" },
	{ "html", FT_STRING, 0, .max = 10000 },
	{ "file", FT_JSON, 0, .json = piece_any_field },
	{ "template_id", FT_STRING, 0, .max = 40 },
	{ "duplex", FT_BOOL, 0, .dflt = "true" },
	{ "color", FT_BOOL, 0, .dflt = "false" },
	FIELD_END
};

/* pages of HTML as the built-in renderer lays it out on letter pages */
static int html_pages(const char *html, unsigned *pages, struct api_error *err)
{
	unsigned char *pdf = NULL;
	size_t len;
	int rc = mupdf_html_to_pdf(html, strlen(html), 8.5, 11, MAILING_MAX_PAGES + 1, &pdf, &len,
				   pages, err);
	free(pdf);
	return rc;
}

/*
 * The letter's page count, needed for its weight and so its postage: a PDF's own, HTML's as
 * laid out by the built-in renderer (the Chromium renderer may break pages differently).
 */
static int content_pages(struct req *rq, const json_t *in, json_t *lob, unsigned *pages,
			 struct api_error *err)
{
	const json_t *file = json_object_get(in, "file");
	const char *html = str(in, "html"), *tmpl = str(in, "template_id");
	if ((html != NULL) + (file != NULL) + (tmpl != NULL) != 1)
		return c321_bad_request(err, "Give the letter as exactly one of html, file (a PDF) "
					"or template_id");
	if (file) {
		size_t len;
		const char *data = body_is_file(file) ? body_file_data(file, &len) : NULL;
		struct pdf_info *info = arena_alloc(rq->arena, sizeof(*info));
		if (!data || len < 5 || memcmp(data, "%PDF-", 5) != 0)
			return api_fail(err, ERR_INVALID_FILE, "file must be a PDF uploaded as "
					"multipart/form-data");
		if (pdf_inspect((const unsigned char *)data, len, info, err) < 0)
			return -1;
		*pages = info->pages;
		json_object_set(lob, "file", (json_t *)file);
		return 0;
	}
	if (tmpl) {
		struct store_scope sc = rq->scope;
		char *json = NULL;
		sc.kind = "template";
		int rc = store_object_get(rq->app->store, &sc, tmpl, rq->arena, &json, err);
		if (rc != 0)
			return rc < 0 ? -1 : api_fail(err, ERR_NOT_FOUND, "template %.40s not found",
						      tmpl);
		json_t *t = arena_own_json(rq->arena, json_loads(json, 0, NULL));
		html = str(json_object_get(t, "published_version"), "html");
		if (!html)
			return api_fail(err, ERR_INVALID, "template %.40s has no published version", tmpl);
		json_object_set_new(lob, "file", json_string(tmpl));
		return html_pages(html, pages, err);
	}
	json_object_set_new(lob, "file", json_string(html));
	return html_pages(html, pages, err);
}

/*
 * The class's tracking number. letter_prepare numbered a certified letter with Lob's STC for
 * its extra_service; a class with another combination (restricted delivery, a hardcopy
 * return receipt) keeps the serial and takes its own STC and check digit. Registered letters
 * get theirs now (Lob waits for USPS): the label needs it.
 */
static int class_tracking_number(struct piece *p, const struct mail_class *mc,
				 struct api_error *err)
{
	struct req *rq = p->rq;
	const char *old = str(p->obj, "tracking_number");
	char pic[IMPB_PIC_MAX + 1];
	if (old && strlen(old) > 5 && strncmp(old + 2, mc->stc, 3) == 0)
		return 0;
	if (old) {
		size_t n = strlen(old);
		if (n > IMPB_PIC_MAX)
			return api_fail(err, ERR_INTERNAL, "tracking number too long");
		memcpy(pic, old, n + 1);
		memcpy(pic + 2, mc->stc, 3);	/* channel (2), then the STC */
		pic[n - 1] = impb_check_digit(pic, n - 1);
		for (size_t i = 0; i < p->n_changes; i++)
			if (p->changes[i]->op == STORE_TRACKING_CODE &&
			    strcmp(p->changes[i]->code, old) == 0)
				p->changes[i]->code = arena_strdup(rq->arena, pic);
	} else {
		const char *mid = rq->app->cfg ? rq->app->cfg->mailer_id : "999999999";
		long long serial;
		char *seq = arena_strfmt(rq->arena, "impb:%s", mid);
		if (store_sequence_next_block(rq->app->store, seq, 1, 100, &serial, err) < 0 ||
		    impb_build(mc->stc, mid, (uint64_t)serial, 22, pic, err) < 0 ||
		    piece_track_code(p, pic, err) < 0)
			return -1;
	}
	if (impb_validate(pic, err) < 0)
		return -1;
	json_object_set_new(p->obj, "tracking_number", json_string(pic));
	return 0;
}

static json_t *side_record(struct piece *p, const struct mail_class *mc, const json_t *in,
			   const struct cost *c)
{
	json_t *lines = json_array();
	for (size_t i = 0; i < c->n_lines; i++)
		json_array_append_new(lines, json_pack("{sssIsI}", "key", c->lines[i].key, "quantity",
						       (json_int_t)c->lines[i].quantity, "cents",
						       (json_int_t)c->lines[i].cents));
	const char *ref = str(in, "reference");
	return arena_own_json(p->rq->arena,
		json_pack("{sssssssosisbsisss{sIsIsI}so}", "id",
			  arena_strfmt(p->rq->arena, "%s%s", MAILING_SIDE_PREFIX, p->id + 4),
			  "letter_id", p->id, "mail_class", mc->name, "reference",
			  ref ? json_string(ref) : json_null(), "pages", (int)c->pages, "duplex",
			  c->duplex, "sheets", (int)c->sheets, "price_date", c->effective_date,
			  "cost_cents", "postage", (json_int_t)c->postage_cents, "service_fee",
			  (json_int_t)c->service_fee_cents, "total", (json_int_t)c->total_cents,
			  "cost_lines", lines));
}

static int mailing_create(struct req *rq, struct api_error *err)
{
	json_t *in = arena_own_json(rq->arena, json_object());
	json_t *lob = arena_own_json(rq->arena, json_object());
	struct c321_prices prices;
	struct cost cost;
	unsigned pages = 0;
	if (c321_validate(mailing_fields, rq->body_json, rq, in, err) < 0)
		return -1;
	const struct mail_class *mc = mail_class_find(str(in, "mail_class"));
	if (!mc)
		return c321_bad_request(err, "mail_class %.64s is not one of this API's classes (GET "
					"/api/v1/pricing lists them)", str(in, "mail_class"));
	if (content_pages(rq, in, lob, &pages, err) < 0 ||
	    c321_address_check(rq, json_object_get(in, "to"), "to", err) < 0 ||
	    c321_address_check(rq, json_object_get(in, "from"), "from", err) < 0 ||
	    c321_prices(rq, &prices, err) < 0)
		return -1;
	bool duplex = json_is_true(json_object_get(in, "duplex"));
	if (price_mailing(prices.table, &prices.fee, mc, pages, duplex, prices.date, &cost, err) < 0)
		return -1;
	/* the letter, as a Lob client would have asked for it */
	json_object_set_new(lob, "to", mailing_lob_address(json_object_get(in, "to")));
	json_object_set_new(lob, "from", mailing_lob_address(json_object_get(in, "from")));
	json_object_set(lob, "color", json_object_get(in, "color"));
	json_object_set(lob, "double_sided", json_object_get(in, "duplex"));
	json_object_set_new(lob, "extra_service", json_string(mc->extra_service));
	json_object_set_new(lob, "mail_type", json_string("usps_first_class"));
	json_object_set_new(lob, "use_type", json_string("operational"));
	json_object_set_new(lob, "description", json_string(mc->description));
	if (str(in, "reference"))
		json_object_set_new(lob, "metadata", json_pack("{ss}", "reference", str(in, "reference")));
	rq->body_json = lob;
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	if (letter_prepare(rq, p, err) < 0 || class_tracking_number(p, mc, err) < 0)
		return -1;
	json_t *side = side_record(p, mc, in, &cost);
	struct store_change *ch = res_change_insert(rq, &side_res, side, false);
	if (!ch || p->n_changes == PIECE_MAX_CHANGES)
		return api_fail(err, ERR_INTERNAL, "the mailing could not be recorded");
	p->changes[p->n_changes++] = ch;
	p->response = arena_own_json(rq->arena, mailing_view(p->obj, side));
	return piece_commit(p, err);
}

/* ---- read ---- */

static int mailing_get(struct req *rq, struct api_error *err)
{
	json_t *letter, *side;
	if (c321_mailing_load(rq, rq->path_id, &letter, &side, err) < 0)
		return -1;
	return respond_json(rq, 200, arena_own_json(rq->arena, mailing_view(letter, side)));
}

struct list_params {
	unsigned limit;
	const char *status, *reference;
	struct store_cursor after;
	bool has_after;
};

static int list_params(struct req *rq, struct list_params *lp, struct api_error *err)
{
	const json_t *q = rq->query;
	const char *k;
	const json_t *v;
	lp->limit = 10;
	json_object_foreach((json_t *)q, k, v) {
		const char *s = json_string_value(v);
		unsigned long n;
		if (!s)
			return c321_bad_request(err, "%.40s must be a single value", k);
		if (strcmp(k, "limit") == 0) {
			if (parse_ulong(s, 100, &n) < 0 || n < 1)
				return c321_bad_request(err, "limit must be a number from 1 to 100");
			lp->limit = (unsigned)n;
		} else if (strcmp(k, "cursor") == 0) {
			if (list_cursor_decode(s, &lp->after) < 0)
				return c321_bad_request(err, "cursor is not one this API gave out");
			lp->has_after = true;
		} else if (strcmp(k, "status") == 0) {
			if (!mailing_status_known(s))
				return c321_bad_request(err, "status %.40s is not a mailing status "
							"(label_generated, mailed, in_transit, "
							"delivered, returned_to_sender, …)", s);
			lp->status = s;
		} else if (strcmp(k, "reference") == 0) {
			if (strlen(s) > REFERENCE_MAX)
				return c321_bad_request(err, "reference is at most %d characters",
							REFERENCE_MAX);
			lp->reference = s;
		} else {
			return c321_bad_request(err, "%.40s is not a filter of this list (status, "
						"reference, limit, cursor)", k);
		}
	}
	return 0;
}

/* a listed letter as a mailing, its side record read by id (at most 100 reads per page) */
static json_t *listed(struct req *rq, const char *letter_json)
{
	json_t *letter = arena_own_json(rq->arena, json_loads(letter_json, 0, NULL));
	const char *id = str(letter, "id");
	json_t *side = NULL;
	char *json;
	struct store_scope sc = rq->scope;
	struct api_error e;
	sc.kind = MAILING_SIDE_KIND;
	if (id && strlen(id) > 4 &&
	    store_object_get(rq->app->store, &sc,
			     arena_strfmt(rq->arena, "%s%s", MAILING_SIDE_PREFIX, id + 4), rq->arena,
			     &json, &e) == 0)
		side = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	return mailing_view(letter, side);
}

/*
 * Letters with an extra service, newest first. The status is derived from the letter (its
 * latest tracking event), so a status filter reads rows in batches and keeps the matches;
 * the cursor points after the last row read, so a page may come back short.
 */
static int mailing_list(struct req *rq, struct api_error *err)
{
	struct list_params lp = { 0 };
	if (list_params(rq, &lp, err) < 0)
		return -1;
	struct store_json_filter certified = { "$.extra_service", JF_GT, "", -1 };
	struct store_meta_filter ref = { "reference", lp.reference };
	struct store_list_query q = {
		.source = SOURCE_OBJECTS, .scope = rq->scope, .limit = lp.status ? 100 : lp.limit,
		.after = lp.has_after ? &lp.after : NULL, .created_gt = LLONG_MIN,
		.created_gte = LLONG_MIN, .created_lt = LLONG_MIN, .created_lte = LLONG_MIN,
		.jf = &certified, .n_jf = 1, .meta = lp.reference ? &ref : NULL,
		.n_meta = lp.reference ? 1 : 0,
	};
	q.scope.kind = "letter";
	json_t *data = arena_own_json(rq->arena, json_array());
	struct store_cursor last = { 0 }, *cur = arena_alloc(rq->arena, sizeof(*cur));
	bool more = false, scanned = false;
	for (int round = 0; round < LIST_SCAN_ROUNDS; round++) {
		struct store_list_result r = { 0 };
		if (store_object_list(rq->app->store, &q, rq->arena, &r, err) < 0)
			return -1;
		size_t i;
		for (i = 0; i < r.n && json_array_size(data) < lp.limit; i++) {
			json_t *m = listed(rq, r.json[i]);
			last = r.cursors[i];
			scanned = true;
			if (!lp.status || strcmp(str(m, "status"), lp.status) == 0)
				json_array_append(data, m);
			json_decref(m);
		}
		more = i < r.n || r.more_older;
		if (json_array_size(data) == lp.limit || !r.more_older)
			break;
		*cur = last;
		q.after = cur;
	}
	json_t *body = json_pack("{sOsbso}", "data", data, "has_more", more, "next_cursor",
				 more && scanned ? json_string(list_cursor_encode(rq->arena, &last))
						 : json_null());
	return respond_json(rq, 200, arena_own_json(rq->arena, body));
}

const struct route c321_mailing_routes[] = {
	{ HTTP_POST, "/api/v1/mailings", mailing_create, &letter_res, KEY_SECRET, "mailings:write",
	  R_BODY },
	{ HTTP_GET, "/api/v1/mailings", mailing_list, NULL, KEY_SECRET, "mailings:read", 0 },
	{ HTTP_GET, "/api/v1/mailings/{id}", mailing_get, NULL, KEY_SECRET, "mailings:read", 0 },
	{ .pattern = NULL }
};
