/*
 * Campaigns (/v1/campaigns): create, list, retrieve, update (PATCH, while a draft), delete
 * and send. The send checks the campaign (a creative, a validated upload with valid rows,
 * not sent yet), turns it from a draft into sent and enqueues its campaign.send job in one
 * transaction, so a second send is refused and never mails twice; the job creates one piece
 * per valid row (api/campaign_send.c). Delete inside the window cancels the pieces (a
 * campaign.cancel job committed with the deletion). Lob has no campaign events.
 */
#include "api/campaigns.h"
#include "api/creatives.h"
#include "api/list.h"
#include "api/products.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/route.h"
#include "mail/dates.h"
#include "mail/settings.h"
#include "store/campaign_store.h"
#include <string.h>

#define SEND_DATE_MAX_DAYS 180
#define UPLOAD_READY "Scheduled"	/* upload_state once validation passed (uploads API) */

static const char *const schedule_types[] = { "immediate", NULL };

static bool billing_group_ok(const char *v)
{
	return strncmp(v, "bg_", 3) == 0 && v[3];
}

/* spec: campaign_writable (description: the SDK's CampaignWritable sends it) */
static const struct field campaign_fields[] = {
	{ "billing_group_id", FT_STRING, F_NULLABLE, .max = 40, .check = billing_group_ok,
	  .pattern = "^bg_[a-zA-Z0-9]+$" },
	{ "name", FT_STRING, F_REQUIRED, .max = 255 },
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "schedule_type", FT_STRING, F_REQUIRED, .enum_vals = schedule_types },
	{ "target_delivery_date", FT_STRING, F_NULLABLE, .max = 40 },
	{ "send_date", FT_STRING, F_NULLABLE, .max = 40 },
	{ "cancel_window_campaign_minutes", FT_INT, F_NULLABLE, .min = 0,
	  .max_value = CANCEL_WINDOW_MAX_MIN },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	{ "use_type", FT_STRING, F_NULLABLE, .enum_vals = piece_use_types },
	{ "auto_cancel_if_ncoa", FT_BOOL, 0, .dflt = "false" },
	{ "print_speed", FT_STRING, F_NULLABLE, .enum_vals = piece_print_speeds, .dflt = "core" },
	FIELD_END
};

/* spec: campaign_updatable */
static const struct field campaign_update_fields[] = {
	{ "name", FT_STRING, 0, .max = 255 },
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "schedule_type", FT_STRING, 0, .enum_vals = schedule_types },
	{ "target_delivery_date", FT_STRING, F_NULLABLE, .max = 40 },
	{ "send_date", FT_STRING, F_NULLABLE, .max = 40 },
	{ "cancel_window_campaign_minutes", FT_INT, F_NULLABLE, .min = 0,
	  .max_value = CANCEL_WINDOW_MAX_MIN },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	{ "is_draft", FT_BOOL, 0, .max = 0 },
	{ "use_type", FT_STRING, F_NULLABLE, .enum_vals = piece_use_types },
	{ "auto_cancel_if_ncoa", FT_BOOL, 0, .max = 0 },
	FIELD_END
};

static int campaign_before_store(struct req *rq, const json_t *body, json_t *obj,
				 struct api_error *err);
static const char *campaign_present(struct req *rq, const char *json);

const struct resource campaign_res = {
	.kind = "campaign",
	.id_prefix = "cmp_",
	.fields = campaign_fields,
	.update_fields = campaign_update_fields,
	.ops = { .before_store = campaign_before_store, .present = campaign_present },
};

bool campaign_is_sent(const json_t *cmp)
{
	return json_is_false(json_object_get(cmp, "is_draft"));
}

int campaign_load(struct req *rq, const char *id, char **json, struct api_error *err)
{
	struct store_scope sc = rq->scope;
	sc.kind = "campaign";
	int rc = store_object_get(rq->app->store, &sc, id, rq->arena, json, err);
	if (rc > 0)
		return api_fail(err, ERR_NOT_FOUND, "campaign %.40s not found", id);
	return rc < 0 ? -1 : 0;
}

/* ---- dates: send_date, or target_delivery_date, never both ---- */

static int future_date(struct req *rq, const json_t *obj, const char *field, long long *ms,
		       struct api_error *err)
{
	const char *v = json_string_value(json_object_get(obj, field));
	*ms = 0;
	if (!v)
		return 0;
	if (time_parse_iso(v, ms) < 0)
		return api_fail(err, ERR_INVALID, "%s must be an ISO 8601 date or date-time", field);
	if (*ms <= rq->now_ms)
		return api_fail(err, ERR_INVALID, "%s must be in the future", field);
	if (*ms > rq->now_ms + SEND_DATE_MAX_DAYS * 86400000LL)
		return api_fail(err, ERR_INVALID, "%s must be no more than %d days in the future",
				field, SEND_DATE_MAX_DAYS);
	return 0;
}

static int date_rules(struct req *rq, const json_t *obj, struct api_error *err)
{
	long long send, target;
	if (future_date(rq, obj, "send_date", &send, err) < 0 ||
	    future_date(rq, obj, "target_delivery_date", &target, err) < 0)
		return -1;
	if (send && target)
		return api_fail(err, ERR_INVALID,
				"send_date and target_delivery_date cannot both be set: choose one");
	return 0;
}

static int billing_group_exists(struct req *rq, const json_t *obj, struct api_error *err)
{
	const char *bg = json_string_value(json_object_get(obj, "billing_group_id"));
	struct store_scope sc = rq->scope;
	char *json;
	if (!bg)
		return 0;
	sc.kind = "billing_group";
	int rc = store_object_get(rq->app->store, &sc, bg, rq->arena, &json, err);
	if (rc > 0)
		return api_fail(err, ERR_NOT_FOUND, "billing_group_id %.40s not found", bg);
	return rc < 0 ? -1 : 0;
}

static int campaign_before_store(struct req *rq, const json_t *body, json_t *obj,
				 struct api_error *err)
{
	(void)body;
	if (date_rules(rq, obj, err) < 0 || billing_group_exists(rq, obj, err) < 0)
		return -1;
	json_object_set_new(obj, "is_draft", json_true());
	json_object_set_new(obj, "creatives", json_array());
	json_object_set_new(obj, "uploads", json_array());
	json_object_set_new(obj, "deleted", json_false());
	json_object_set_new(obj, "account_id", json_string(rq->key.account_id));
	return 0;
}

/* ---- reads: the creative and the upload as they are now ---- */

static void collect(void *ctx, const char *id, const char *json)
{
	(void)id;
	json_t *o = json_loads(json, 0, NULL);
	if (o) {
		if (json_object_get(o, "campaigns"))	/* a creative: its campaign is this one */
			json_object_set_new(o, "campaigns", json_array());
		json_array_append_new(ctx, o);
	}
}

static const char *campaign_present(struct req *rq, const char *json)
{
	json_t *obj = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	const char *id = json_string_value(json_object_get(obj, "id"));
	if (!obj || !id || json_is_true(json_object_get(obj, "deleted")))
		return json;
	struct store_scope sc = rq->scope;
	struct api_error err;
	json_t *creatives = json_array(), *uploads = json_array();
	sc.kind = "creative";
	store_each_found_by(rq->app->store, &sc, "$.campaign_id", id, 8, collect, creatives, &err);
	sc.kind = "upload";
	store_each_found_by(rq->app->store, &sc, "$.campaignId", id, 1, collect, uploads, &err);
	json_object_set_new(obj, "creatives", creatives);
	json_object_set_new(obj, "uploads", uploads);
	const char *out = arena_dump_json(rq->arena, obj);
	return out ? out : json;
}

/* ---- changes inside the writer's transaction ---- */

static struct store_change *campaign_op(struct req *rq, const char *id, res_mutate_fn fn,
					void *ctx, enum store_op op)
{
	return res_change_mutate(rq, &campaign_res, id, fn, ctx, op == STORE_DELETE);
}

struct store_change *campaign_change(struct req *rq, const char *id, res_mutate_fn fn,
				     void *ctx)
{
	return campaign_op(rq, id, fn, ctx, STORE_UPDATE);
}

/* ---- update ---- */

static int refuse_sent(const json_t *cmp, const char *what, struct api_error *err)
{
	if (campaign_is_sent(cmp))
		return api_fail(err, ERR_CONFLICT, "campaign %.40s has been sent: it cannot be %s",
				json_string_value(json_object_get(cmp, "id")), what);
	return 0;
}

static int apply_update(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			struct api_error *err)
{
	json_t *changes = ctx;
	if (refuse_sent(obj, "updated", err) < 0)
		return -1;
	json_object_update(obj, changes);
	/* one of the two dates: the newer wins when the update names one */
	if (json_string_value(json_object_get(changes, "send_date")))
		json_object_set_new(obj, "target_delivery_date", json_null());
	else if (json_string_value(json_object_get(changes, "target_delivery_date")))
		json_object_set_new(obj, "send_date", json_null());
	out->metadata = json_object_get(changes, "metadata");
	out->response = arena_own_json(rq->arena, json_loads(campaign_present(rq,
						arena_dump_json(rq->arena, obj)), 0, NULL));
	return 0;
}

static int campaign_update(struct req *rq, struct api_error *err)
{
	json_t *changes = arena_own_json(rq->arena, json_object());
	if (fields_validate_update(campaign_update_fields, NULL, rq->body_json, rq->arena,
				   changes, rq, err) < 0 ||
	    date_rules(rq, changes, err) < 0 || billing_group_exists(rq, changes, err) < 0)
		return -1;
	if (json_is_false(json_object_get(changes, "is_draft")))
		return api_fail(err, ERR_INVALID,
				"is_draft turns false when the campaign is sent: POST "
				"/v1/campaigns/%.40s/send", rq->path_id);
	return res_mutate(rq, rq->path_id, apply_update, changes, false, err);
}

/* ---- delete: the campaign, then its pieces (a job committed with it) ---- */

static int apply_delete(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			struct api_error *err)
{
	(void)ctx;
	long long send_ms;
	const char *send = json_string_value(json_object_get(obj, "send_date"));
	if (campaign_is_sent(obj) && send && time_parse_iso(send, &send_ms) == 0 &&
	    send_ms <= rq->now_ms)
		return api_fail(err, ERR_NOT_DELETABLE,
				"This campaign can no longer be canceled: its send_date (%.24s) "
				"has passed and its pieces are in production", send);
	json_object_set_new(obj, "deleted", json_true());
	(void)out;
	return 0;
}

static int campaign_delete(struct req *rq, struct api_error *err)
{
	struct store_change *ch[2];
	ch[0] = campaign_op(rq, rq->path_id, apply_delete, NULL, STORE_DELETE);
	ch[1] = arena_calloc(rq->arena, sizeof(*ch[1]));
	*ch[1] = (struct store_change){
		.op = STORE_JOB, .sc = rq->scope,
		.job = { .kind = JOB_CAMPAIGN_CANCEL, .ref = rq->path_id, .due_ms = rq->now_ms } };
	json_t *gone = arena_own_json(rq->arena, json_pack("{sssb}", "id", rq->path_id,
							    "deleted", 1));
	return res_commit(rq, ch, 2, gone, err);
}

/* ---- send ---- */

/* the pieces' send date: the campaign's, or the latest day that meets its target delivery
 * date, or now plus its cancel window (the account's for the product when it has none) */
static int pieces_send_ms(struct req *rq, const json_t *cmp, const char *kind, long long *ms,
			  struct api_error *err)
{
	long long v;
	const char *send = json_string_value(json_object_get(cmp, "send_date"));
	const char *target = json_string_value(json_object_get(cmp, "target_delivery_date"));
	if (send) {
		if (time_parse_iso(send, ms) < 0 || *ms <= rq->now_ms)
			return api_fail(err, ERR_INVALID,
					"the campaign's send_date (%.24s) has passed: update it "
					"before sending", send);
		return 0;
	}
	if (target && time_parse_iso(target, &v) == 0) {
		/* the latest whole day from now whose expected delivery is on time */
		for (long long day = v; day > rq->now_ms; day -= 86400000LL) {
			char edd[11], want[11];
			expected_delivery_date(day, MAIL_FIRST_CLASS, false, edd);
			memcpy(want, target, 10);
			want[10] = '\0';
			if (strcmp(edd, want) <= 0) {
				*ms = day;
				return 0;
			}
		}
		return api_fail(err, ERR_INVALID,
				"target_delivery_date %.24s cannot be met by mail sent now: choose "
				"a later date", target);
	}
	const json_t *window = json_object_get(cmp, "cancel_window_campaign_minutes");
	long long minutes = json_is_integer(window) ? json_integer_value(window) : -1;
	if (minutes < 0) {
		struct account_settings st;
		if (settings_load(rq->app->store, rq->key.account_id, &st, err) < 0)
			return -1;
		int product = settings_product(kind);
		minutes = product >= 0 ? st.cancel_minutes[product] : CANCEL_WINDOW_DEFAULT_MIN;
	}
	/* a piece's send_date is in the future when it is created: a minute at least */
	*ms = rq->now_ms + (minutes > 1 ? minutes : 1) * 60000LL;
	return 0;
}

struct send_plan {
	char send_date[25];
	const char *upload_id, *creative_id;
};

static int refuse_second_send(const json_t *cmp, struct api_error *err)
{
	if (campaign_is_sent(cmp))
		return api_fail(err, ERR_CONFLICT,
				"campaign %.40s has already been sent: a campaign is sent once",
				json_string_value(json_object_get(cmp, "id")));
	return 0;
}

static int apply_send(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
		      struct api_error *err)
{
	(void)rq;
	struct send_plan *plan = ctx;
	if (refuse_second_send(obj, err) < 0)
		return -1;
	json_object_set_new(obj, "is_draft", json_false());
	json_object_set_new(obj, "send_date", json_string(plan->send_date));
	(void)out;
	return 0;
}

/* the pieces need a use type: the campaign's, or the account's default (else every row
 * would fail at the send) */
static int use_type_rule(struct req *rq, const json_t *cmp, struct api_error *err)
{
	struct account_settings st;
	if (json_is_string(json_object_get(cmp, "use_type")))
		return 0;
	if (settings_load(rq->app->store, rq->key.account_id, &st, err) < 0)
		return -1;
	if (!st.default_use_type)
		return api_fail(err, ERR_MAIL_USE_TYPE_CAN_NOT_BE_NULL,
				"the campaign's use_type is null and the account has no default: "
				"PATCH the campaign with use_type \"marketing\" or \"operational\"");
	return 0;
}

/* the upload whose campaignId is this campaign, validated and with valid rows */
static int ready_upload(struct req *rq, const char *cmp_id, const char **upload_id,
			struct api_error *err)
{
	struct store_scope sc = rq->scope;
	char *id, *json;
	long long valid = 0, done = 0;
	sc.kind = "upload";
	int rc = store_object_find_by(rq->app->store, &sc, "$.campaignId", cmp_id, rq->arena, &id,
				      &json, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return api_fail(err, ERR_INVALID,
				"campaign %.40s has no audience: upload one (POST /v1/uploads with "
				"campaignId) and validate it before sending", cmp_id);
	json_t *up = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	const char *state = json_string_value(json_object_get(up, "state"));
	if (!state)
		state = json_string_value(json_object_get(up, "upload_state"));
	if (!state || strcmp(state, UPLOAD_READY) != 0)
		return api_fail(err, ERR_INVALID,
				"upload %.40s is %.40s: it is sent once its validation has passed "
				"(%s)", id, state ? state : "not validated", UPLOAD_READY);
	if (store_upload_rows_count(rq->app->store, id, &valid, &done, err) < 0)
		return -1;
	if (valid == 0)
		return api_fail(err, ERR_INVALID, "upload %.40s has no valid rows to send", id);
	*upload_id = id;
	return 0;
}

int campaign_send_changes(struct req *rq, const char *id, struct store_change **ch,
			  json_t **response, struct api_error *err)
{
	char *json;
	if (campaign_load(rq, id, &json, err) < 0)
		return -1;
	json_t *cmp = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	struct send_plan *plan = arena_calloc(rq->arena, sizeof(*plan));
	/* checked here for the answer, and again in the transaction (two sends at once) */
	if (refuse_second_send(cmp, err) < 0)
		return -1;
	const json_t *creative = json_array_get(json_object_get(cmp, "creatives"), 0);
	plan->creative_id = json_string_value(json_object_get(creative, "id"));
	const char *type = json_string_value(json_object_get(creative, "resource_type"));
	long long send_ms;
	if (!plan->creative_id)
		return api_fail(err, ERR_INVALID,
				"campaign %.40s has no creative: POST /v1/creatives with its "
				"campaign_id before sending", id);
	if (creative_check_stored(rq, plan->creative_id, err) < 0 ||
	    use_type_rule(rq, cmp, err) < 0 ||
	    ready_upload(rq, id, &plan->upload_id, err) < 0 ||
	    pieces_send_ms(rq, cmp, type, &send_ms, err) < 0)
		return -1;
	time_format_iso(send_ms, plan->send_date);
	ch[0] = campaign_change(rq, id, apply_send, plan);
	ch[1] = arena_calloc(rq->arena, sizeof(*ch[1]));
	json_t *payload = arena_own_json(rq->arena, json_pack("{ssssss}", "upload_id",
							       plan->upload_id, "creative_id",
							       plan->creative_id, "send_date",
							       plan->send_date));
	*ch[1] = (struct store_change){
		.op = STORE_JOB, .sc = rq->scope,
		.job = { .kind = JOB_CAMPAIGN_SEND, .ref = id,
			 .payload = arena_dump_json(rq->arena, payload), .due_ms = rq->now_ms } };
	json_object_set_new(cmp, "is_draft", json_false());
	json_object_set_new(cmp, "send_date", json_string(plan->send_date));
	*response = arena_own_json(rq->arena, json_loads(campaign_present(rq,
						arena_dump_json(rq->arena, cmp)), 0, NULL));
	return 0;
}

static int campaign_send(struct req *rq, struct api_error *err)
{
	struct store_change *ch[2];
	json_t *response;
	if (campaign_send_changes(rq, rq->path_id, ch, &response, err) < 0)
		return -1;
	return res_commit(rq, ch, 2, response, err);
}

const struct route campaign_routes[] = {
	{ HTTP_GET, "/v1/campaigns", res_list, &campaign_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/campaigns", res_create, &campaign_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/campaigns/{id}", res_get, &campaign_res, KEY_SECRET, NULL, 0 },
	{ HTTP_PATCH, "/v1/campaigns/{id}", campaign_update, &campaign_res, KEY_SECRET, NULL,
	  R_BODY },
	{ HTTP_DELETE, "/v1/campaigns/{id}", campaign_delete, &campaign_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/campaigns/{id}/send", campaign_send, &campaign_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
