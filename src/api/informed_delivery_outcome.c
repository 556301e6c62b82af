// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The USPS portal's answer for an Informed Delivery campaign, recorded by the mail room
 * (route_profile_operator): POST /v1/_frank/production/informed_delivery_campaigns/{id}/outcome
 * with the campaign's usps_campaign_id and
 *   {"result": "approved", "start_serial", "end_serial", "service_request_number"?}  or
 *   {"result": "rejected", "reason"}.
 * Approved fills the spec's fields that are "only non-null when approved" by USPS; either
 * answer is kept as `usps_outcome` ({"result", "reason", "recorded_at", "operator_id"}), a
 * Frank extension, since the spec's status has no value for USPS's refusal. Only a campaign
 * the customer approved (the ones in the export) can have an outcome; recording it again
 * replaces it (the portal's answer can change). docs/internals/informed_delivery.md.
 */
#include "api/resource.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "production/infd_export.h"
#include <string.h>

/* USPS serials: positive integers; the range as the portal gives it */
#define SERIAL_MAX 999999999LL

struct outcome {
	json_t *fields;		/* what the campaign takes */
	struct api_error err;	/* the writer's refusal */
	struct arena *a;
};

/* on the writer: still approved by the customer, then the outcome */
static const char *record(const char *current, void *ctx, struct store_event *ev,
			  const char **metadata_json, struct api_error *err)
{
	(void)ev;
	(void)metadata_json;
	struct outcome *o = ctx;
	json_t *obj = arena_own_json(o->a, json_loads(current, 0, NULL));
	const char *status = json_string_value(json_object_get(obj, "status"));
	if (!obj || !status || strcmp(status, "approved") != 0) {
		api_fail(err, ERR_INVALID, "the campaign is %s: only a campaign its customer "
			 "approved is entered in the USPS portal", status ? status : "unreadable");
		return NULL;
	}
	json_object_update(obj, o->fields);
	return arena_dump_json(o->a, obj);
}

static int serial(const json_t *body, const char *name, json_int_t *out, struct api_error *err)
{
	const json_t *v = json_object_get(body, name);
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > SERIAL_MAX)
		return api_fail(err, ERR_INVALID, "%s is required: the USPS serial (an integer from "
				"1 to %lld)", name, SERIAL_MAX);
	*out = json_integer_value(v);
	return 0;
}

/* the body → the fields the campaign takes; 0 or -1 with a 422 */
static int outcome_fields(struct req *rq, json_t *fields, struct api_error *err)
{
	const json_t *body = rq->body_json;
	const char *result = json_string_value(json_object_get(body, "result"));
	char now[25];
	time_format_iso(rq->now_ms, now);
	json_t *outcome = json_pack("{ss,ss,ss}", "result", result ? result : "", "recorded_at",
				    now, "operator_id", rq->operator_id ? rq->operator_id : "");
	json_object_set_new(fields, "usps_outcome", outcome);
	if (result && strcmp(result, "approved") == 0) {
		json_int_t start, end;
		const json_t *srn = json_object_get(body, "service_request_number");
		if (serial(body, "start_serial", &start, err) < 0 ||
		    serial(body, "end_serial", &end, err) < 0)
			return -1;
		if (end < start)
			return api_fail(err, ERR_INVALID, "end_serial (%lld) is before start_serial "
					"(%lld)", (long long)end, (long long)start);
		if (srn && !json_is_null(srn) &&
		    (!json_is_string(srn) || !json_string_length(srn) || json_string_length(srn) > 64))
			return api_fail(err, ERR_INVALID, "service_request_number must be a string of "
					"1 to 64 characters, or null");
		json_object_set_new(fields, "start_serial", json_integer(start));
		json_object_set_new(fields, "end_serial", json_integer(end));
		json_object_set(fields, "service_request_number", srn ? (json_t *)srn : json_null());
		json_object_set_new(outcome, "reason", json_null());
		return 0;
	}
	if (result && strcmp(result, "rejected") == 0) {
		const char *reason = json_string_value(json_object_get(body, "reason"));
		if (!reason || !*reason || strlen(reason) > 500)
			return api_fail(err, ERR_INVALID, "reason is required with a rejection: what "
					"the USPS portal said (at most 500 characters)");
		/* a rejected campaign has no serials, whatever was recorded before */
		json_object_set_new(fields, "start_serial", json_null());
		json_object_set_new(fields, "end_serial", json_null());
		json_object_set_new(outcome, "reason", json_string(reason));
		return 0;
	}
	return api_fail(err, ERR_INVALID, "result must be approved or rejected");
}

static int outcome_post(struct req *rq, struct api_error *err)
{
	char *json = NULL;
	int rc = store_object_get_unscoped(rq->app->store, INFD_KIND, rq->path_id, rq->arena,
					   &json, err);
	if (rc != 0)
		return rc < 0 ? -1 : api_fail(err, ERR_NOT_FOUND,
					      "informed_delivery_campaign not found");
	json_t *cur = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	const char *account = json_string_value(json_object_get(cur, "account_id"));
	const char *mode = json_string_value(json_object_get(cur, "mode"));
	if (!account || !mode)
		return api_fail(err, ERR_INTERNAL, "the stored campaign has no account or mode");
	struct outcome o = { .fields = arena_own_json(rq->arena, json_object()), .a = rq->arena };
	if (outcome_fields(rq, o.fields, err) < 0)
		return -1;
	struct store_change ch = {
		.op = STORE_UPDATE,
		.sc = { .account_id = account, .mode = strcmp(mode, "live") == 0 ? MODE_LIVE : MODE_TEST,
			.kind = INFD_KIND },
		.obj = { .id = rq->path_id, .updated_ms = rq->now_ms },
		.mutate = record, .ctx = &o };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	rc = store_apply_sync(rq->app->store, &set, err);
	if (rc != 0)
		return rc < 0 ? -1 : api_fail(err, ERR_NOT_FOUND,
					      "informed_delivery_campaign not found");
	json_t *answer = arena_own_json(rq->arena, json_pack(
		"{sO,sO,ss,ss}", "id", json_object_get(cur, "id"), "usps_campaign_id",
		json_object_get(cur, "usps_campaign_id"), "account_id", account, "mode", mode));
	json_object_update(answer, o.fields);
	return respond_json(rq, 200, answer);
}

const struct route informed_delivery_outcome_routes[] = {
	{ HTTP_POST, "/v1/_frank/production/informed_delivery_campaigns/{id}/outcome",
	  outcome_post, NULL, 0, NULL, R_BODY },
	{ .pattern = NULL }
};
