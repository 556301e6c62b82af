// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Informed Delivery campaigns (/v1/informed_delivery_campaigns, addressed by their
 * usps_campaign_id): created from a multipart form with the ride-along image (a JPEG of at
 * most 200 KB and 300x200 pixels, kept as an asset), listed, retrieved, and updated while
 * `pending_approval`. Frank cannot submit a campaign to USPS: `approved` means the customer
 * approved it, and the mail room enters it in the USPS portal from the export below
 * (GET /v1/_frank/production/informed_delivery_campaigns.csv, operator keys);
 * docs/internals/informed_delivery.md. The store row's id is the usps_campaign_id (the path's
 * key); the object's `id` is its infd_ id.
 */
#include "api/resource.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/body.h"
#include "http/response.h"
#include "http/route.h"
#include "pdf/image_pdf.h"
#include "production/infd_export.h"
#include "sign/asset_urls.h"
#include "store/assets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* spec: writable_base (ride_along_image, representative_image) */
#define INFD_IMAGE_MAX_BYTES (200 * 1024)
#define INFD_IMAGE_MAX_W 300
#define INFD_IMAGE_MAX_H 200
#define DAY_MS (24LL * 3600 * 1000)
#define INFD_START_MIN_DAYS 2	/* spec: start_date "at least two days in the future" */
#define INFD_LENGTH_DAYS 45	/* spec: "the end date … 45 days from the start" */

static bool https_url(const char *v)
{
	size_t n = strlen(v);	/* spec: ^https:\/\/.{5,247}$ */
	return strncmp(v, "https://", 8) == 0 && n >= 13 && n <= 255 && !strpbrk(v, "\r\n");
}

static bool campaign_id(const char *v)
{
	if (strncmp(v, "cmp_", 4) != 0 || !v[4])
		return false;
	for (const char *p = v + 4; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

static bool plain_date(const char *v)
{
	long long ms;
	return strlen(v) == 10 && time_parse_iso(v, &ms) == 0;
}

/* an uploaded JPEG within USPS's limits; stored as the file object until the assets are
 * written (after every other check) */
static json_t *image_field(const struct field *f, const json_t *v, void *ctx,
			   struct api_error *err)
{
	(void)ctx;
	size_t len = 0;
	const char *data = body_is_file(v) ? body_file_data(v, &len) : NULL;
	int w, h;
	if (!data) {
		api_fail(err, ERR_INVALID, "%s must be an uploaded JPEG file", f->name);
		return NULL;
	}
	if (sniff_file_type((const unsigned char *)data, len) != FILE_TYPE_JPEG) {
		api_fail(err, ERR_INVALID_FILE, "%s must be a JPEG image", f->name);
		return NULL;
	}
	if (len > INFD_IMAGE_MAX_BYTES) {
		api_fail(err, ERR_FILE_SIZE_EXCEEDS_LIMIT,
			 "%s is %zu bytes; the maximum file size is 200 KB (%d bytes)", f->name, len,
			 INFD_IMAGE_MAX_BYTES);
		return NULL;
	}
	if (image_size((const unsigned char *)data, len, &w, &h, err) < 0)
		return NULL;
	if (w > INFD_IMAGE_MAX_W || h > INFD_IMAGE_MAX_H) {
		api_fail(err, ERR_INVALID_FILE_DIMENSIONS,
			 "%s is %dx%d pixels; the maximum is %d pixels wide x %d pixels high", f->name,
			 w, h, INFD_IMAGE_MAX_W, INFD_IMAGE_MAX_H);
		return NULL;
	}
	return json_incref((json_t *)v);
}

static const char *const create_status[] = { "pending_approval", NULL };
static const char *const update_status[] = { "approved", NULL };

/* spec: common, writable_base, create / update; the images last, so that they are
 * stored only once everything else has passed */
#define INFD_FIELDS(REQ, STATUS)                                                             \
	{ "quantity", FT_INT, REQ, .min = 2, .max_value = 10000000 },                         \
	{ "status", FT_STRING, 0, .enum_vals = STATUS },                                      \
	{ "ride_along_url", FT_STRING, REQ, .max = 255, .check = https_url,                   \
	  .pattern = "^https:\\/\\/.{5,247}$" },                                              \
	{ "start_date", FT_STRING, REQ, .check = plain_date, .pattern = "YYYY-MM-DD" },       \
	{ "brand_name", FT_STRING, 0, .max = 255 },                                           \
	{ "usps_title", FT_STRING, 0, .max = 255 },                                           \
	{ "lob_campaign_id", FT_STRING, F_NULLABLE, .check = campaign_id,                     \
	  .pattern = "^cmp_[a-zA-Z0-9]+$" },                                                  \
	{ "ride_along_image", FT_JSON, REQ, .json = image_field },                            \
	{ "representative_image", FT_JSON, 0, .json = image_field },                          \
	FIELD_END

static const struct field infd_fields[] = { INFD_FIELDS(F_REQUIRED, create_status) };
static const struct field infd_update_fields[] = { INFD_FIELDS(0, update_status) };

static const char *infd_present(struct req *rq, const char *json);

const struct resource infd_res = {
	.kind = INFD_KIND,
	.id_prefix = "infd_",
	.fields = infd_fields,
	.update_fields = infd_update_fields,
	.ops = { .present = infd_present },
};

/* end_date, a timestamp 45 days after start_date (which stays a date: the spec's schema
 * says format date, though its example shows a timestamp) */
static int set_dates(struct req *rq, json_t *obj, struct api_error *err)
{
	const char *start = json_string_value(json_object_get(obj, "start_date"));
	long long ms;
	char when[25];
	if (!start)
		return 0;
	time_parse_iso(start, &ms);	/* checked by the field table */
	long long today = rq->now_ms - rq->now_ms % DAY_MS;
	if (ms < today + INFD_START_MIN_DAYS * DAY_MS)
		return api_fail(err, ERR_INVALID,
				"start_date must be at least two days in the future (%s or later)",
				(time_format_iso(today + INFD_START_MIN_DAYS * DAY_MS, when), when));
	time_format_iso(ms + INFD_LENGTH_DAYS * DAY_MS, when);
	json_object_set_new(obj, "end_date", json_string(when));
	return 0;
}

/* the uploaded images → assets (durable before the 2xx); the object keeps their keys */
static int store_images(struct req *rq, json_t *obj, struct api_error *err)
{
	static const char *const names[2][2] = {
		{ "ride_along_image", INFD_RIDE_ALONG_ASSET },
		{ "representative_image", INFD_REPRESENTATIVE_ASSET },
	};
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(obj, names[i][0]);
		size_t len;
		char key[ASSET_KEY_MAX];
		if (!v)
			continue;
		const char *data = body_file_data(v, &len);
		if (assets_put(rq->app->data_dir, (const unsigned char *)data, len, "jpg", key,
			       err) < 0)
			return -1;
		json_object_set_new(obj, names[i][1], json_string(key));
		json_object_del(obj, names[i][0]);
	}
	return 0;
}

/* a 10-digit number, as USPS's campaign ids look (Frank's own: USPS never saw it) */
static int new_usps_id(char out[16], struct api_error *err)
{
	char hex[16];
	if (ids_random_hex("", 5, hex, sizeof hex) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	unsigned long long n = 0;	/* 40 random bits */
	for (const char *p = hex; *p; p++)
		n = n * 16 + (unsigned)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
	n = n % 9000000000ULL + 1000000000ULL;
	snprintf(out, 16, "%llu", n);
	return 0;
}

/* usps_title "Campaign: <tag>" and campaign_code "<tag>+Code", as Lob's examples */
static int set_names(struct req *rq, json_t *obj, struct api_error *err)
{
	char tag[40], hex[40];
	if (ids_random_hex("", 13, hex, sizeof hex) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	snprintf(tag, sizeof tag, "%.8s-%.4s-%.4s-%.4s-%.1s", hex, hex + 8, hex + 12, hex + 16,
		 hex + 20);
	if (!json_object_get(obj, "usps_title"))
		json_object_set_new(obj, "usps_title", json_sprintf("Campaign: %s", tag));
	json_object_set_new(obj, "campaign_code", json_sprintf("%s+Code", tag));
	(void)rq;
	return 0;
}

static int infd_create(struct req *rq, struct api_error *err)
{
	char *id = arena_alloc(rq->arena, 40), *usps = arena_alloc(rq->arena, 16);
	if (ids_new(infd_res.id_prefix, id, 40) < 0 || new_usps_id(usps, err) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *obj = res_build(rq, &infd_res, id, err);
	if (!obj || set_dates(rq, obj, err) < 0 || set_names(rq, obj, err) < 0 ||
	    store_images(rq, obj, err) < 0)
		return -1;
	if (!json_object_get(obj, "status"))	/* spec: "the default status is approved" */
		json_object_set_new(obj, "status", json_string("approved"));
	if (!json_object_get(obj, "brand_name"))	/* Frank's accounts have no company */
		json_object_set_new(obj, "brand_name", json_string(""));
	json_object_set_new(obj, "account_id", json_string(rq->scope.account_id));
	json_object_set_new(obj, "usps_campaign_id", json_string(usps));
	json_object_set_new(obj, "start_serial", json_null());
	json_object_set_new(obj, "end_serial", json_null());
	json_object_set_new(obj, "mode", json_string(rq->scope.mode == MODE_LIVE ? "live" : "test"));
	json_object_set_new(obj, "deleted", json_false());
	json_object_set_new(obj, "service_request_number", json_null());
	struct store_change *ch = res_change_insert(rq, &infd_res, obj, false);
	if (!ch)
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	ch->obj.id = usps;	/* the path's key */
	json_t *response = arena_own_json(rq->arena,
					  json_loads(infd_present(rq, ch->obj.json), 0, NULL));
	return res_commit(rq, &ch, 1, response, err);
}

/* reads: fresh signed links to the images, the private keys dropped */
static const char *infd_present(struct req *rq, const char *json)
{
	static const char *const links[2][2] = {
		{ "ride_along_image_s3_link", INFD_RIDE_ALONG_ASSET },
		{ "representative_image_s3_link", INFD_REPRESENTATIVE_ASSET },
	};
	json_t *obj = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	if (!obj)
		return json;
	for (size_t i = 0; i < 2; i++) {
		const char *key = json_string_value(json_object_get(obj, links[i][1]));
		char url[2048];
		struct api_error ignored;
		if (key && asset_url(rq->app->data_dir, rq->app->public_url, key, 0, url, sizeof url,
				     &ignored) == 0)
			json_object_set_new(obj, links[i][0], json_string(url));
		else
			json_object_set_new(obj, links[i][0], json_null());
		json_object_del(obj, links[i][1]);
	}
	const char *out = arena_dump_json(rq->arena, obj);
	return out ? out : json;
}

static int not_editable(const json_t *obj, struct api_error *err)
{
	const char *status = json_string_value(json_object_get(obj, "status"));
	if (status && strcmp(status, "pending_approval") == 0)
		return 0;
	return api_fail(err, ERR_INVALID,
			"an Informed Delivery campaign can only be updated in the pending_approval "
			"status; this one is %s", status ? status : "unknown");
}

/* on the writer thread: the status checked again, atomically with the change */
static int infd_apply(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
		      struct api_error *err)
{
	if (not_editable(obj, err) < 0)
		return -1;
	json_object_update(obj, (json_t *)ctx);
	out->response = arena_own_json(rq->arena, json_loads(infd_present(rq,
						arena_dump_json(rq->arena, obj)), 0, NULL));
	return 0;
}

static int infd_update(struct req *rq, struct api_error *err)
{
	json_t *changes = arena_own_json(rq->arena, json_object());
	char *json = NULL;
	if (fields_validate_update(infd_update_fields, NULL, rq->body_json, rq->arena, changes, rq,
				   err) < 0)
		return -1;
	/* refused before any image is stored; infd_apply checks again */
	int rc = store_object_get(rq->app->store, &rq->scope, rq->path_id, rq->arena, &json, err);
	if (rc != 0)
		return rc < 0 ? -1 : api_fail(err, ERR_NOT_FOUND, "%s not found", INFD_KIND);
	if (not_editable(arena_own_json(rq->arena, json_loads(json, 0, NULL)), err) < 0 ||
	    set_dates(rq, changes, err) < 0 || store_images(rq, changes, err) < 0)
		return -1;
	return res_mutate(rq, rq->path_id, infd_apply, changes, false, err);
}

/* the mail room's export (route_profile_operator): ?include_test=true adds test campaigns */
static int infd_export(struct req *rq, struct api_error *err)
{
	const char *t = json_string_value(json_object_get(rq->query, "include_test"));
	bool include_test = t && strcmp(t, "true") == 0;
	char *csv = NULL;
	size_t len = 0;
	if (t && !include_test && strcmp(t, "false") != 0)
		return api_fail(err, ERR_INVALID, "include_test must be true or false");
	if (infd_export_csv(rq->app->store, rq->app->data_dir, rq->app->public_url, include_test,
			    &csv, &len, err) < 0)
		return -1;
	char *body = arena_alloc(rq->arena, len + 1);
	memcpy(body, csv, len + 1);
	free(csv);
	rq->status = 200;
	rq->resp_body = body;
	rq->resp_len = len;
	rq->resp_type = "text/csv; charset=utf-8";
	return 0;
}

const struct route informed_delivery_routes[] = {
	{ HTTP_GET, "/v1/informed_delivery_campaigns", res_list, &infd_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/informed_delivery_campaigns", infd_create, &infd_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/informed_delivery_campaigns/{id}", res_get, &infd_res, KEY_SECRET, NULL,
	  0 },
	{ HTTP_PATCH, "/v1/informed_delivery_campaigns/{id}", infd_update, &infd_res, KEY_SECRET,
	  NULL, R_BODY },
	{ .pattern = NULL }
};

const struct route informed_delivery_export_routes[] = {
	{ HTTP_GET, "/v1/_frank/production/informed_delivery_campaigns.csv", infd_export, NULL, 0,
	  NULL, 0 },
	{ .pattern = NULL }
};
