// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Tracking evidence, an operator's input (Frank extensions under the production prefix; an
 * operator key only, api/operators.h — customer keys never write evidence about their mail):
 *   POST /v1/_frank/production/scans   USPS scan records for pieces of every account:
 *                                      {"records":[…]} (IV-MTR JSON or certified tracking
 *                                      records) or {"delimited":"header|…\nvalue|…"}; answers
 *                                      the counts and each record refused for its time
 *   POST /v1/_frank/production/pieces/{id}/mailed   the print side's confirmation: a Mailed
 *                                      event and <kind>.mailed, at {"time"} (default now);
 *                                      a failed, canceled or unrendered piece is refused
 * Times more than SCAN_CLOCK_SKEW_MS ahead of frankd's clock, or before the piece existed,
 * are refused (mail/scans.h). The CLI twin for files: `frank ingest-scans FILE`.
 */
#include "api/pieces.h"
#include "core/jsonutil.h"
#include "core/mail_product.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "mail/scans.h"
#include "store/operator_store.h"
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
	json_t *rejected = arena_own_json(rq->arena, json_array());
	if (scans_ingest(rq->app->store, records, &n, rejected, err) < 0)
		return -1;
	json_t *body = arena_own_json(
		rq->arena, json_pack("{sisisisisisOss}", "applied", n.applied, "duplicate",
				     n.duplicate, "unmatched", n.unmatched, "invalid", n.invalid,
				     "rejected", n.rejected, "rejected_records", rejected, "object",
				     "scan_ingestion"));
	return respond_json(rq, 200, body);
}

/* a mail piece's kind from its id's prefix (what can be mailed: products Lob tracks), or
 * NULL */
static const char *mailable_kind(const char *id)
{
	const struct mail_product *mp = mail_product_by_id(id);
	return mp && mp->tracking ? mp->object : NULL;
}

static int mailed_post(struct req *rq, struct api_error *err)
{
	const char *id = rq->path_id;
	const char *kind = mailable_kind(id);
	struct operator_found where;
	/* a canceled piece too: scans_confirm answers why it cannot be mailed */
	int rc = kind ? operator_object_locate_any(rq->app->store, id, &where, err) : 1;
	if (rc < 0)
		return -1;
	if (rc > 0 || strcmp(where.kind, kind) != 0)
		return api_fail(err, ERR_NOT_FOUND, "mail piece %.40s not found", id);
	struct store_scope sc = { .account_id = where.account_id, .mode = where.mode,
				  .kind = kind };
	long long when = rq->now_ms;
	const char *t = json_string_value(json_object_get(rq->body_json, "time"));
	if (json_object_get(rq->body_json, "time") && (!t || time_parse_iso(t, &when) < 0))
		return api_fail(err, ERR_INVALID, "time must be an ISO 8601 date-time");
	if (scans_confirm(rq->app->store, &sc, id, "Mailed", when, "time", err) < 0)
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
	{ HTTP_POST, "/v1/_frank/production/scans", scans_post, NULL, 0, NULL, R_BODY },
	{ HTTP_POST, "/v1/_frank/production/pieces/{id}/mailed", mailed_post, NULL, 0, NULL,
	  R_BODY },
	{ .pattern = NULL }
};
