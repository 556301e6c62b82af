// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A failed render tried again, an operator's call (route_profile_operator; not Lob's API):
 *   POST /v1/_frank/production/pieces/{id}/render
 * The piece goes back to `processed` (its failure_reason removed) with a new piece.render
 * job, in one transaction; the render then ends `rendered` or `failed` again with its usual
 * events. Only a failed, not canceled piece: anything else answers 422 naming its status, and
 * the writer checks it again so two retries, or a retry and a cancel, cannot cross. For what
 * failed on Frank's side or a remote file's; a file the sender got wrong fails again.
 */
#include "core/jsonutil.h"
#include "core/mail_product.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/route.h"
#include "api/pieces.h"
#include "api/resource.h"
#include "mail/render_jobs.h"
#include "store/operator_store.h"
#include <string.h>

/* the piece made ready to render again, or NULL with *err naming why it cannot be */
static json_t *requeued(struct req *rq, const char *id, const char *json, struct api_error *err)
{
	json_t *p = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	const char *status = json_string_value(json_object_get(p, "status"));
	if (!p) {
		api_fail(err, ERR_INTERNAL, "stored piece does not parse");
		return NULL;
	}
	if (json_is_true(json_object_get(p, "deleted")) || !status || strcmp(status, "failed") != 0) {
		api_fail(err, ERR_INVALID,
			 "%.40s is %s, not failed: only a failed render can be tried again", id,
			 json_is_true(json_object_get(p, "deleted")) ? "canceled"
			 : status				       ? status
								       : "without a status");
		return NULL;
	}
	char when[25];
	time_format_iso(rq->now_ms, when);
	json_object_set_new(p, "status", json_string("processed"));
	json_object_del(p, "failure_reason");
	json_object_set_new(p, "date_modified", json_string(when));
	return p;
}

/* on the writer thread: checked again against the piece as it is now */
static const char *requeue_on_writer(const char *current, void *ctx, struct store_event *ev,
				     const char **metadata_json, struct api_error *err)
{
	struct req *rq = ctx;
	(void)ev;
	(void)metadata_json;
	json_t *p = requeued(rq, rq->path_id, current, err);
	return p ? arena_dump_json(rq->arena, p) : NULL;
}

static int render_again(struct req *rq, struct api_error *err)
{
	const struct mail_product *mp = mail_product_by_id(rq->path_id);
	struct operator_found where;
	int rc = mp ? operator_object_locate(rq->app->store, rq->path_id, &where, err) : 1;
	if (rc < 0)
		return -1;
	if (rc > 0 || !mail_product_find(where.kind))
		return api_fail(err, ERR_NOT_FOUND, "mail piece %.40s not found", rq->path_id);
	struct store_scope sc = { .account_id = arena_strdup(rq->arena, where.account_id),
				  .mode = where.mode, .kind = arena_strdup(rq->arena, where.kind) };
	char *json;
	if (store_object_get(rq->app->store, &sc, rq->path_id, rq->arena, &json, err) != 0)
		return api_fail(err, ERR_NOT_FOUND, "mail piece %.40s not found", rq->path_id);
	json_t *p = requeued(rq, rq->path_id, json, err);
	if (!p)
		return -1;
	struct store_change *up = arena_calloc(rq->arena, sizeof(*up));
	struct store_change *job = arena_calloc(rq->arena, sizeof(*job));
	*up = (struct store_change){ .op = STORE_UPDATE, .sc = sc,
				     .obj = { .id = rq->path_id, .updated_ms = rq->now_ms },
				     .mutate = requeue_on_writer, .ctx = rq };
	render_job_change(job, &sc, rq->path_id, rq->now_ms, rq->arena);
	struct store_change *const changes[] = { up, job };
	/* answered as every read presents a piece: its links signed afresh */
	json_t *shown = arena_own_json(
		rq->arena, json_loads(piece_present(rq, arena_dump_json(rq->arena, p)), 0, NULL));
	return res_commit(rq, changes, 2, shown ? shown : p, err);
}

const struct route piece_rerender_routes[] = {
	{ HTTP_POST, "/v1/_frank/production/pieces/{id}/render", render_again, NULL, 0, NULL, 0 },
	{ .pattern = NULL }
};
