// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /dashboard/campaigns: the account's campaigns (GET /v1/campaigns, paged by its cursors)
 * with their schedule and pieces, and a campaign's page: its creatives and its upload with
 * the validation counts and the failures file the API links (a signed asset link). Members
 * send a draft (POST /v1/campaigns/{id}/send: the API's checks and its one transaction).
 */
#include "dashboard/account.h"
#include "dashboard/view.h"
#include <string.h>

static json_int_t count(const json_t *o, const char *key)
{
	return (json_int_t)json_integer_value(json_object_get(o, key));
}

static const char *schedule(struct req *rq, const json_t *c)
{
	const char *send = acct_str(c, "send_date", NULL);
	const char *target = acct_str(c, "target_delivery_date", NULL);
	if (target)
		return arena_strfmt(rq->arena, "delivered by %s", view_iso(rq, target));
	if (send)
		return arena_strfmt(rq->arena, "sends %s", view_iso(rq, send));
	return acct_str(c, "schedule_type", "when sent");
}

static json_t *campaign_row(struct req *rq, const json_t *c)
{
	const json_t *up = json_array_get(json_object_get(c, "uploads"), 0);
	bool draft = !json_is_false(json_object_get(c, "is_draft"));
	return json_pack("{sssssssssssIsI}", "id", acct_str(c, "id", ""), "name",
			 acct_str(c, "name", ""), "status", draft ? "draft" : "sent", "schedule",
			 schedule(rq, c), "created", view_iso(rq, acct_str(c, "date_created", NULL)),
			 "pieces", up ? count(up, "validatedMailpieces") : 0, "failed",
			 up ? count(up, "failedMailpieces") : 0);
}

int acct_campaigns(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (acct_call(rq, HTTP_GET,
		      arena_strfmt(rq->arena, "/v1/campaigns?%s",
				   acct_list_query(rq, ACCT_PAGE, NULL)),
		      NULL, &a, err) < 0)
		return -1;
	json_t *rows = json_array(), *c;
	size_t i;
	json_array_foreach(json_object_get(a.json, "data"), i, c)
		json_array_append_new(rows, campaign_row(rq, c));
	json_t *ctx = json_pack("{soso}", "campaigns", rows, "pager",
				dash_pager(rq, "/dashboard/campaigns", a.json));
	return view_page(rq, 200, "acct_campaigns", "Campaigns", ctx, err);
}

static json_t *upload_row(struct req *rq, const json_t *u)
{
	(void)rq;
	return json_pack("{sssssssIsIsIss?}", "id", acct_str(u, "id", ""), "state",
			 acct_str(u, "state", ""), "file", acct_str(u, "originalFilename", "(no file yet)"),
			 "total", count(u, "totalMailpieces"), "valid",
			 count(u, "validatedMailpieces"), "failed", count(u, "failedMailpieces"),
			 "failures", acct_str(u, "failuresUrl", NULL));
}

static int campaign_page(struct req *rq, int status, const char *error, struct api_error *err)
{
	struct dash_answer a;
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "campaign not found");
	if (dash_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/v1/campaigns/%s", rq->path_id), NULL,
		      &a) != 200)
		return acct_fail(&a, err);
	json_t *creatives = json_array(), *uploads = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(a.json, "creatives"), i, x)
		json_array_append_new(
			creatives,
			json_pack("{ssssssss}", "id", acct_str(x, "id", ""), "type",
				  acct_str(x, "resource_type", ""), "description",
				  acct_str(x, "description", ""), "created",
				  view_iso(rq, acct_str(x, "date_created", NULL))));
	/* the upload as GET /v1/uploads/{id} answers it: with its failures file signed now */
	json_array_foreach(json_object_get(a.json, "uploads"), i, x) {
		struct dash_answer u;
		const char *uid = acct_str(x, "id", "");
		bool fresh = dash_id_ok(uid) &&
			     dash_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/v1/uploads/%s", uid),
				       NULL, &u) == 200;
		json_array_append_new(uploads, upload_row(rq, fresh ? u.json : x));
	}
	json_t *row = campaign_row(rq, a.json);
	json_object_set_new(row, "description", json_string(acct_str(a.json, "description", "")));
	json_object_set_new(row, "use_type", json_string(acct_str(a.json, "use_type", "")));
	json_object_set_new(row, "draft",
			    json_boolean(!json_is_false(json_object_get(a.json, "is_draft"))));
	json_t *ctx = json_pack("{sosososs?}", "campaign", row, "creatives", creatives, "uploads",
				uploads, "error", error);
	return view_page(rq, status, "acct_campaign", acct_str(a.json, "name", "Campaign"), ctx,
			 err);
}

int acct_campaign(struct req *rq, struct api_error *err)
{
	return campaign_page(rq, 200, NULL, err);
}

int acct_campaign_send(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "campaign not found");
	if (dash_call(rq, HTTP_POST, arena_strfmt(rq->arena, "/v1/campaigns/%s/send", rq->path_id),
		      NULL, &a) != 200)
		return a.status >= 500 || a.status == 404
			       ? acct_fail(&a, err)
			       : campaign_page(rq, a.status == 409 ? 409 : 422,
					       dash_answer_message(&a), err);
	view_audit(rq, "campaign.sent", rq->path_id, NULL);
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/campaigns/%s", rq->path_id),
			     "Campaign sent: its pieces are being made.");
}
