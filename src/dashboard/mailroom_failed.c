// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Failed renders across accounts (store/mailroom_store.h: the failed pieces on the
 * objects_work index, newest first, a cursor by piece), each with Lob's failure reason and
 * remediation; a piece's whole story from GET /v1/_frank/production/pieces/{id}/why (what
 * `frank pieces why` prints); and a retry: POST /v1/_frank/production/pieces/{id}/render
 * puts the piece back to processed with a new piece.render job.
 */
#include "core/html.h"
#include "core/jsonutil.h"
#include "dashboard/call.h"
#include "dashboard/mailroom.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "store/mailroom_store.h"
#include <string.h>

#define FAILED_PER_PAGE 50

int mr_failed_page(struct req *rq, struct api_error *err)
{
	const char *before = view_query(rq, "before", "");
	struct mailroom_failed *rows =
		arena_alloc(rq->arena, sizeof(*rows) * (FAILED_PER_PAGE + 1));
	/* one more than shown tells whether an older page exists */
	int n = mailroom_failed_list(rq->app->store, mr_kinds_json(rq, false),
				     *before ? before : NULL, rows, FAILED_PER_PAGE + 1, err);
	if (n < 0)
		return -1;
	bool older = n > FAILED_PER_PAGE;
	if (older)
		n = FAILED_PER_PAGE;
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{sssssssbssssss}", "id", rows[i].id, "account",
					rows[i].account_id, "kind", rows[i].kind, "live",
					rows[i].mode == MODE_LIVE, "created",
					view_time(rq, rows[i].created_ms), "reason",
					rows[i].reason[0] ? rows[i].reason : "unknown",
					"remediation", rows[i].remediation));
	json_t *ctx = json_pack("{sosbsbss}", "pieces", list, "older", older,
				"paged", *before != '\0', "last", n ? rows[n - 1].id : "");
	return view_page(rq, 200, "mr_failed", "Failed renders", ctx, err);
}

static int why_render(struct req *rq, int code, const char *error, struct api_error *err)
{
	const char *path = arena_strfmt(rq->arena, "/v1/_frank/production/pieces/%s/why",
					url_encode(rq->arena, rq->path_id));
	const json_t *got = mr_api_get(rq, path, err);
	if (!got)
		return -1;
	const json_t *why = got;
	const json_t *piece = json_object_get(why, "piece");
	json_t *jobs = json_array(), *events = json_array(), *j;
	size_t i;
	json_array_foreach(json_object_get(why, "jobs"), i, j)
		json_array_append_new(jobs, json_pack("{sssssIss}", "kind", dash_str(j, "kind"), "state",
						      dash_str(j, "state"), "attempts",
						      json_integer_value(json_object_get(j, "attempts")),
						      "last_error", dash_str(j, "last_error")));
	json_array_foreach(json_object_get(why, "events"), i, j)
		json_array_append_new(events,
				      json_pack("{ssss}", "type", dash_str(j, "type"), "at",
						view_time(rq, json_integer_value(
								      json_object_get(j, "created_ms")))));
	const char *status = dash_str(piece, "status");
	json_t *ctx = json_pack("{sssssssssssssbsoso}", "id", rq->path_id, "answer",
				dash_str(why, "answer"), "account", dash_str(why, "account_id"), "mode",
				dash_str(why, "mode"), "kind", dash_str(why, "kind"), "status", status,
				"failed", strcmp(status, "failed") == 0 &&
						  !json_is_true(json_object_get(why, "deleted")),
				"jobs", jobs, "events", events);
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	return view_page(rq, code, "mr_why", arena_strfmt(rq->arena, "Why %s", rq->path_id), ctx,
			 err);
}

int mr_why_page(struct req *rq, struct api_error *err)
{
	return why_render(rq, 200, NULL, err);
}

int mr_retry(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	const char *path = arena_strfmt(rq->arena, "/v1/_frank/production/pieces/%s/render",
					url_encode(rq->arena, rq->path_id));
	const char *back = arena_strfmt(rq->arena, "/dashboard/mailroom/failed/%s",
					url_encode(rq->arena, rq->path_id));
	if (dash_call(rq, HTTP_POST, path, NULL, &a) != 200)
		return why_render(rq, a.status >= 500 ? 500 : 422, dash_answer_message(&a), err);
	view_audit(rq, "piece.render_retry", rq->path_id,
		   arena_strfmt(rq->arena, "%s queued to render again", dash_str(a.json, "object")));
	return view_redirect(rq, back,
			     "The piece is queued to render again. Its status changes once it has "
			     "rendered or failed again.");
}
