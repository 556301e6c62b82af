// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Print runs, an operator's API (route_profile_operator: operator keys only):
 *   POST /v1/_frank/production/print_runs   {cutoff?, products?, accounts?, include_test?}
 *   GET  /v1/_frank/production/print_runs   ?limit=1..100&before=<run id>
 *   GET  /v1/_frank/production/print_runs/{id}
 *   POST /v1/_frank/production/print_runs/{id}/printed|mailed|spoiled
 *        {"lots":[…]} or {"pieces":[ids or DataMatrix contents]}, {"mail_date"}
 * The run's files are served at signed links by piece_files.c (GET /print-runs/{id}/{sub}).
 * The work is src/production/runs.h's; docs/internals/production.md.
 */
#include "core/config.h"
#include "core/jsonutil.h"
#include "core/parse.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "production/runs.h"
#include <string.h>

static struct runs_config config_of(const struct req *rq)
{
	const struct app *app = rq->app;
	return (struct runs_config){ .data_dir = app->data_dir, .mailer_id = app->cfg->mailer_id,
				     .print_dir = app->cfg->print_dir,
				     .file_url = app->public_url, .mailer_name = app->cfg->mailer_name,
				     .mailer_address = app->cfg->mailer_address,
				     .post_office = app->cfg->post_office, .permit = app->cfg->permit };
}

static int answer(struct req *rq, json_t *body)
{
	return respond_json(rq, 200, arena_own_json(rq->arena, body));
}

static int run_create(struct req *rq, struct api_error *err)
{
	struct runs_config cfg = config_of(rq);
	struct run_request r;
	char id[40];
	if (runs_parse_request(rq->app->store, rq->body_json, rq->now_ms, rq->arena, &r, err) < 0 ||
	    runs_cut(rq->app->store, &cfg, &r, rq->now_ms, id, err) < 0)
		return -1;
	json_t *run = runs_get(rq->app->store, &cfg, id, rq->now_ms, err);
	return run ? answer(rq, run) : -1;
}

static int run_get(struct req *rq, struct api_error *err)
{
	struct runs_config cfg = config_of(rq);
	json_t *run = runs_get(rq->app->store, &cfg, rq->path_id, rq->now_ms, err);
	return run ? answer(rq, run) : -1;
}

static int run_list(struct req *rq, struct api_error *err)
{
	struct runs_config cfg = config_of(rq);
	unsigned long limit = 10;
	const char *l = json_string_value(json_object_get(rq->query, "limit"));
	const char *before = json_string_value(json_object_get(rq->query, "before"));
	if (before && !*before)
		before = NULL;	/* an empty cursor is none, as on every list */
	if (l && (parse_ulong(l, 100, &limit) < 0 || limit == 0))
		return api_fail(err, ERR_INVALID, "limit must be a number from 1 to 100");
	json_t *list = runs_list(rq->app->store, &cfg, limit, before, rq->now_ms, err);
	return list ? answer(rq, list) : -1;
}

static int confirm(struct req *rq, enum run_confirm what, struct api_error *err)
{
	struct runs_config cfg = config_of(rq);
	const json_t *b = rq->body_json;
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)b, key, v)
		if (strcmp(key, "lots") != 0 && strcmp(key, "pieces") != 0 &&
		    !(what == CONFIRM_MAILED && strcmp(key, "mail_date") == 0))
			return api_fail(err, ERR_INVALID, "%.40s is not allowed (lots, pieces%s)", key,
					what == CONFIRM_MAILED ? ", mail_date" : "");
	struct run_refs refs = { json_object_get(b, "lots"), json_object_get(b, "pieces") };
	long long mail_ms;
	if (runs_mail_time(json_object_get(b, "mail_date"), rq->now_ms, &mail_ms, err) < 0)
		return -1;
	if (what == CONFIRM_SPOILED && !refs.pieces)
		return api_fail(err, ERR_INVALID, "pieces is required: name the spoiled pieces");
	json_t *run = runs_confirm(rq->app->store, &cfg, rq->path_id, what, &refs, mail_ms,
				   rq->now_ms, err);
	return run ? answer(rq, run) : -1;
}

static int run_printed(struct req *rq, struct api_error *err)
{
	return confirm(rq, CONFIRM_PRINTED, err);
}

static int run_mailed(struct req *rq, struct api_error *err)
{
	return confirm(rq, CONFIRM_MAILED, err);
}

static int run_spoiled(struct req *rq, struct api_error *err)
{
	return confirm(rq, CONFIRM_SPOILED, err);
}

const struct route print_run_routes[] = {
	{ HTTP_POST, "/v1/_frank/production/print_runs", run_create, NULL, 0, NULL, R_BODY },
	{ HTTP_GET, "/v1/_frank/production/print_runs", run_list, NULL, 0, NULL, 0 },
	{ HTTP_GET, "/v1/_frank/production/print_runs/{id}", run_get, NULL, 0, NULL, 0 },
	{ HTTP_POST, "/v1/_frank/production/print_runs/{id}/printed", run_printed, NULL, 0, NULL,
	  R_BODY },
	{ HTTP_POST, "/v1/_frank/production/print_runs/{id}/mailed", run_mailed, NULL, 0, NULL,
	  R_BODY },
	{ HTTP_POST, "/v1/_frank/production/print_runs/{id}/spoiled", run_spoiled, NULL, 0, NULL,
	  R_BODY },
	{ .pattern = NULL }
};
