/*
 * Tracking inputs (Frank extensions):
 *   POST /v1/_frank/scans            USPS scan records for this account's pieces:
 *                                    {"records":[…]} (IV-MTR JSON or certified tracking records)
 *                                    or {"delimited":"header|…\nvalue|…"}; answers the counts
 *   POST /v1/_frank/pieces/{id}/mailed   the print side's confirmation: a Mailed event
 * The operator ingests files for every account with `frank ingest-scans FILE`.
 */
#include "api/pieces.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "mail/scans.h"
#include <string.h>

static int scans_post(struct req *rq, struct api_error *err)
{
	const json_t *records = json_object_get(rq->body_json, "records");
	const char *delimited = json_string_value(json_object_get(rq->body_json, "delimited"));
	json_t *parsed = NULL;
	if (!records && delimited) {
		parsed = arena_own_json(rq->arena, scans_parse_delimited(delimited, strlen(delimited), err));
		if (!parsed)
			return -1;
		records = parsed;
	}
	if (!records)
		return api_fail(err, ERR_INVALID, "records (an array) or delimited (text) is required");
	struct scan_counts n;
	if (scans_ingest(rq->app->store, records, &rq->scope, &n, err) < 0)
		return -1;
	json_t *body = arena_own_json(rq->arena, json_pack("{sisisisiss}", "applied", n.applied,
							    "duplicate", n.duplicate, "unmatched",
							    n.unmatched, "invalid", n.invalid, "object",
							    "scan_ingestion"));
	return respond_json(rq, 200, body);
}

static int mailed_post(struct req *rq, struct api_error *err)
{
	const char *id = rq->path_id;
	struct store_scope sc = rq->scope;
	sc.kind = strncmp(id, "ltr_", 4) == 0	? "letter"
		  : strncmp(id, "psc_", 4) == 0 ? "postcard"
		  : strncmp(id, "sfm_", 4) == 0 ? "self_mailer"
		  : strncmp(id, "chk_", 4) == 0 ? "check"
						: NULL;
	if (!sc.kind)
		return api_fail(err, ERR_NOT_FOUND, "mail piece %.40s not found", id);
	long long when = rq->now_ms;
	const char *t = json_string_value(json_object_get(rq->body_json, "time"));
	if (t && time_parse_iso(t, &when) < 0)
		return api_fail(err, ERR_INVALID, "time must be an ISO 8601 date-time");
	int rc = scans_confirm(rq->app->store, &sc, id, "Mailed", when, err);
	if (rc < 0)
		return -1;
	char *json;
	if (store_object_get(rq->app->store, &sc, id, rq->arena, &json, err) != 0)
		return api_fail(err, ERR_NOT_FOUND, "mail piece %.40s not found", id);
	json = (char *)piece_present(rq, json);	/* links signed afresh, as on every read */
	rq->status = 200;
	rq->resp_body = json;
	rq->resp_len = strlen(json);
	rq->resp_type = "application/json";
	return 0;
}

const struct route tracking_routes[] = {
	{ HTTP_POST, "/v1/_frank/scans", scans_post, NULL, KEY_SECRET, NULL, R_BODY },
	{ HTTP_POST, "/v1/_frank/pieces/{id}/mailed", mailed_post, NULL, KEY_SECRET, NULL, R_BODY },
	{ .pattern = NULL }
};
