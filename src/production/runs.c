// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The cut and the run object (see runs.h). The cut reads the eligible pieces, builds their
 * plan pieces (PDF key, pages, IMb) outside the writer, then locks them in one writer
 * transaction; pieces taken meanwhile (cancelled, or cut by a concurrent run) are left out
 * and the plan is regrouped from the pieces actually locked, inside that transaction.
 */
#include "production/runs.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "mail/render_source.h"
#include "pdf/pdf_inspect.h"
#include "production/lots.h"
#include "core/mail_product.h"
#include "sign/asset_urls.h"
#include "store/assets.h"
#include "store/production_store.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the mail products a run prints (core/mail_product.h) */
static bool known_product(const char *p)
{
	const struct mail_product *mp = mail_product_find(p);
	return mp && mp->print_runs;
}

/* products and accounts: arrays of strings (NULL: absent) */
static int string_array(const json_t *v, const char *field, struct api_error *err)
{
	size_t i;
	const json_t *x;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return api_fail(err, ERR_INVALID, "%s must be a non-empty array of strings", field);
	json_array_foreach(v, i, x) if (!json_is_string(x))
		return api_fail(err, ERR_INVALID, "%s[%zu] must be a string", field, i);
	return 0;
}

int runs_parse_request(struct store *s, const json_t *body, long long now_ms, struct arena *a,
		       struct run_request *out, struct api_error *err)
{
	static const char *const allowed[] = { "cutoff", "products", "accounts", "include_test" };
	const char *key;
	const json_t *v;
	*out = (struct run_request){ .cutoff_ms = now_ms };
	if (body && !json_is_object(body))
		return api_fail(err, ERR_INVALID, "the body must be a JSON object");
	json_object_foreach((json_t *)body, key, v) {
		size_t k = 0;
		while (k < 4 && strcmp(allowed[k], key) != 0)
			k++;
		if (k == 4)
			return api_fail(err, ERR_INVALID, "%.40s is not allowed (cutoff, products, "
							  "accounts, include_test)", key);
	}
	if ((v = json_object_get(body, "cutoff"))) {
		const char *c = json_string_value(v);
		if (!c || time_parse_iso(c, &out->cutoff_ms) < 0)
			return api_fail(err, ERR_INVALID,
					"cutoff must be an ISO 8601 date-time (2026-12-07T17:00:00Z)");
		if (out->cutoff_ms > now_ms + RUN_CUTOFF_MAX_AHEAD_MS)
			return api_fail(err, ERR_INVALID,
					"cutoff %.40s is more than 24 hours ahead: a run takes the "
					"pieces due by its cutoff, so cut it when they are due", c);
	}
	if ((v = json_object_get(body, "include_test"))) {
		if (!json_is_boolean(v))
			return api_fail(err, ERR_INVALID, "include_test must be a boolean");
		out->test = json_is_true(v);
	}
	json_t *kinds = json_array();
	if ((v = json_object_get(body, "products"))) {
		size_t i;
		const json_t *x;
		if (string_array(v, "products", err) < 0) {
			json_decref(kinds);
			return -1;
		}
		json_array_foreach(v, i, x) {
			if (!known_product(json_string_value(x))) {
				char names[160];
				mail_product_names(names, sizeof(names), true, ", ", ", ");
				json_decref(kinds);
				return api_fail(err, ERR_INVALID,
						"products[%zu] %.40s is not a product a run prints (%s)",
						i, json_string_value(x), names);
			}
			json_array_append(kinds, (json_t *)x);
		}
	} else {
		for (size_t i = 0; i < mail_product_count(); i++)
			if (mail_product_at(i)->print_runs)
				json_array_append_new(kinds, json_string(mail_product_at(i)->object));
	}
	out->kinds_json = arena_dump_json(a, kinds);
	json_decref(kinds);
	if ((v = json_object_get(body, "accounts"))) {
		size_t i;
		const json_t *x;
		if (string_array(v, "accounts", err) < 0)
			return -1;
		json_array_foreach(v, i, x)
			if (!store_account_exists(s, json_string_value(x)))
				return api_fail(err, ERR_NOT_FOUND, "accounts[%zu]: no account %.40s",
						i, json_string_value(x));
		out->accounts_json = arena_dump_json(a, v);
	}
	return 0;
}

/* ---- the cut ---- */

struct cut_ctx {
	struct store *store;
	const struct runs_config *cfg;
	const struct run_request *rq;
	struct arena *a;
	json_t *pieces;		/* plan pieces, in candidate order */
	size_t n, cap;
	const char **ids, **accounts, **kinds;
	char run_id[40], cutoff[25], created[25];
	long long now_ms;
};

/* pages of a piece's PDF: its thumbnails (one per page, at most RENDER_MAX_THUMB_PAGES),
 * or the PDF itself when it may have more */
static unsigned pages_of(const struct runs_config *cfg, const json_t *piece, const char *pdf_key)
{
	size_t thumbs = json_array_size(json_object_get(piece, "thumbnails"));
	if (thumbs > 0 && thumbs < RENDER_MAX_THUMB_PAGES)
		return (unsigned)thumbs;
	struct api_error err;
	unsigned char *buf = NULL;
	size_t len = 0;
	struct pdf_info info;
	unsigned pages = pdf_key && assets_read(cfg->data_dir, pdf_key, &buf, &len, &err) == 0 &&
					 pdf_inspect(buf, len, &info, &err) == 0
				 ? info.pages
				 : 0;
	free(buf);
	return pages;
}

static int take_candidate(void *ctxp, const struct prod_candidate *c, struct api_error *err)
{
	struct cut_ctx *ctx = ctxp;
	json_t *piece = json_loads(c->json, 0, NULL);
	json_t *input = c->input_json ? json_loads(c->input_json, 0, NULL) : NULL;
	char file[64];
	snprintf(file, sizeof(file), "%s.pdf", c->id);
	const char *key = json_string_value(json_object_get(json_object_get(input, "files"), file));
	struct lot_source src = { .kind = c->kind, .account_id = c->account_id, .piece = piece,
				  .input = input, .imb = c->imb,
				  .pages = pages_of(ctx->cfg, piece, key), .reprint = c->reprint };
	struct api_error why;
	json_t *p = piece ? lot_piece_new(&src, &why) : NULL;
	json_decref(piece);
	json_decref(input);
	if (!p) {
		/* a rendered piece without its proof cannot be printed: left for a later run */
		log_msg(LOG_WARN, "print run: %s left out: %s", c->id,
			piece ? why.message : "its JSON does not parse");
		return 0;
	}
	if (ctx->n == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 256;
		const char **ids = arena_calloc(ctx->a, cap * sizeof(*ids) * 3);
		if (ctx->n) {
			memcpy(ids, ctx->ids, ctx->n * sizeof(*ids));
			memcpy(ids + cap, ctx->accounts, ctx->n * sizeof(*ids));
			memcpy(ids + 2 * cap, ctx->kinds, ctx->n * sizeof(*ids));
		}
		ctx->ids = ids;
		ctx->accounts = ids + cap;
		ctx->kinds = ids + 2 * cap;
		ctx->cap = cap;
	}
	ctx->ids[ctx->n] = arena_strdup(ctx->a, c->id);
	ctx->accounts[ctx->n] = arena_strdup(ctx->a, c->account_id);
	ctx->kinds[ctx->n] = arena_strdup(ctx->a, c->kind);
	json_object_set_new(p, "_index", json_integer((json_int_t)ctx->n));	/* → lot_ids */
	ctx->n++;
	json_array_append_new(ctx->pieces, p);
	(void)err;
	return 0;
}

/* the run object before its files exist */
static json_t *run_object(const struct cut_ctx *ctx, const json_t *plan)
{
	json_t *lots = json_array(), *lot;
	size_t i;
	json_int_t pieces = 0, sheets = 0;
	json_array_foreach(json_object_get(plan, "lots"), i, lot) {
		json_t *sum = lot_summary(lot);
		pieces += json_integer_value(json_object_get(sum, "pieces"));
		sheets += json_integer_value(json_object_get(sum, "sheets"));
		json_array_append_new(lots, sum);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:I, s:I, s:o, s:[], s:n}",
			 "id", ctx->run_id, "object", "print_run", "status", RUN_BUILDING,
			 "mode", ctx->rq->test ? "test" : "live", "test", ctx->rq->test, "cutoff",
			 ctx->cutoff, "date_created", ctx->created, "date_modified", ctx->created,
			 "pieces", pieces, "sheets", sheets, "lots", lots, "files", "error");
}

/*
 * The run's plan, JSON and each piece's lot, from the pieces whose flag is set in locked
 * (NULL: all). Built before the cut's transaction for every candidate, and again inside it
 * only when some piece could not be locked: the writer stays free for other requests.
 */
static int make_run(struct cut_ctx *ctx, const bool *locked, struct prod_cut *cut,
		    struct api_error *err)
{
	json_t *kept = json_array();
	for (size_t i = 0; i < ctx->n; i++)
		if (!locked || locked[i])
			json_array_append(kept, json_array_get(ctx->pieces, i));
	json_t *plan = lots_plan(ctx->run_id, ctx->rq->test, ctx->cutoff, ctx->created,
				 ctx->cfg->mailer_id, kept);
	if (!plan)
		return api_fail(err, ERR_INTERNAL, "out of memory for the run plan");
	const char **lot_ids = arena_calloc(ctx->a, (ctx->n ? ctx->n : 1) * sizeof(*lot_ids));
	size_t i, k;
	json_t *lot, *p;
	json_array_foreach(json_object_get(plan, "lots"), i, lot) {
		const char *lot_id = arena_strdup(ctx->a, json_string_value(json_object_get(lot, "id")));
		json_array_foreach(json_object_get(lot, "pieces"), k, p) {
			json_int_t at = json_integer_value(json_object_get(p, "_index"));
			if (at >= 0 && (size_t)at < ctx->n)
				lot_ids[at] = lot_id;
			json_object_del(p, "_index");
		}
	}
	json_t *run = run_object(ctx, plan);
	cut->status = RUN_BUILDING;
	cut->plan_json = arena_dump_json(ctx->a, plan);
	cut->run_json = arena_dump_json(ctx->a, run);
	cut->lot_ids = lot_ids;
	json_decref(plan);
	json_decref(run);
	if (!cut->plan_json || !cut->run_json)
		return api_fail(err, ERR_INTERNAL, "out of memory for the run");
	cut->job = (struct store_job_new){ .kind = RUN_KIND_BUILD, .ref = ctx->run_id,
					   .due_ms = ctx->now_ms };
	return 0;
}

/* inside the writer's transaction: the plan made before stands when every piece was locked */
static int cut_finish(void *ctxp, struct prod_cut *cut, struct api_error *err)
{
	for (size_t i = 0; i < cut->n; i++)
		if (!cut->locked[i])
			return make_run(ctxp, cut->locked, cut, err);
	return 0;
}

int runs_cut(struct store *s, const struct runs_config *cfg, const struct run_request *rq,
	     long long now_ms, char run_id_out[40], struct api_error *err)
{
	if (!rq->test && strcmp(cfg->mailer_id, RUN_PLACEHOLDER_MAILER_ID) == 0)
		return api_fail(err, ERR_INVALID,
				"live print runs need your USPS Mailer ID: frankd runs with the "
				"placeholder 999999999, which USPS would reject on every IMb. Start "
				"frankd with --mailer-id (or FRANK_MAILER_ID), or cut a rehearsal with "
				"include_test");
	struct arena *a = arena_new();
	if (!a)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	struct cut_ctx ctx = { .store = s, .cfg = cfg, .rq = rq, .a = a, .pieces = json_array(),
			       .now_ms = now_ms };
	int rc = -1;
	if (ids_new("run_", ctx.run_id, sizeof(ctx.run_id)) < 0) {
		api_fail(err, ERR_INTERNAL, "no entropy for an id");
		goto out;
	}
	time_format_iso(rq->cutoff_ms, ctx.cutoff);
	time_format_iso(now_ms, ctx.created);
	struct prod_query q = { .mode = rq->test ? MODE_TEST : MODE_LIVE, .cutoff_ms = rq->cutoff_ms,
				.kinds_json = rq->kinds_json, .accounts_json = rq->accounts_json };
	if (prod_candidates(s, &q, take_candidate, &ctx, err) < 0)
		goto out;
	struct prod_cut cut = { .run_id = ctx.run_id, .mode = q.mode, .cutoff_ms = rq->cutoff_ms,
				.now_ms = now_ms, .ids = ctx.ids, .account_ids = ctx.accounts,
				.kinds = ctx.kinds, .n = ctx.n,
				.locked = arena_calloc(a, (ctx.n ? ctx.n : 1) * sizeof(bool)),
				.finish = cut_finish, .ctx = &ctx };
	if (ctx.n && make_run(&ctx, NULL, &cut, err) < 0)
		goto out;
	int r = ctx.n ? prod_run_cut(s, &cut, err) : 1;
	if (r == 1) {
		api_fail(err, ERR_INVALID,
			 "no %s piece is ready to print: none is rendered, due by the cutoff %s, "
			 "not canceled and in no other run", rq->test ? "test" : "live", ctx.cutoff);
		goto out;
	}
	if (r < 0)
		goto out;
	snprintf(run_id_out, 40, "%s", ctx.run_id);
	rc = 0;
out:
	json_decref(ctx.pieces);
	arena_free(a);
	return rc;
}

/* ---- the run as served ---- */

/* a file entry with its signed link */
static void sign_file(const struct runs_config *cfg, const char *run_id, json_t *f,
		      long long now_ms)
{
	char url[1024], path[256];
	struct api_error err;
	const char *name = json_string_value(json_object_get(f, "name"));
	if (!cfg->file_url) {	/* the CLI without --public-url: names only */
		json_object_set_new(f, "url", json_null());
		return;
	}
	snprintf(path, sizeof(path), "print-runs/%s/%s", run_id, name ? name : "");
	if (run_file_url(cfg->data_dir, cfg->file_url, path, now_ms / 1000 + ASSET_URL_TTL_S, url,
			 sizeof(url), &err) == 0)
		json_object_set_new(f, "url", json_string(url));
	else
		json_object_set_new(f, "url", json_null());
}

static json_t *present(const struct runs_config *cfg, const struct prod_run_row *row,
		       long long now_ms)
{
	json_t *run = json_loads(row->json, 0, NULL);
	if (!run)
		return NULL;
	json_object_set_new(run, "status", json_string(row->status));
	char when[25];
	time_format_iso(row->updated_ms, when);
	json_object_set_new(run, "date_modified", json_string(when));
	size_t i, k;
	json_t *lot, *f;
	json_array_foreach(json_object_get(run, "files"), i, f)
		sign_file(cfg, row->id, f, now_ms);
	json_array_foreach(json_object_get(run, "lots"), i, lot)
		json_array_foreach(json_object_get(lot, "files"), k, f)
			sign_file(cfg, row->id, f, now_ms);
	return run;
}

json_t *runs_get(struct store *s, const struct runs_config *cfg, const char *id,
		 long long now_ms, struct api_error *err)
{
	struct arena *a = arena_new();
	struct prod_run_row row;
	if (!a) {
		api_fail(err, ERR_INTERNAL, "out of memory");
		return NULL;
	}
	int rc = prod_run_get(s, id, false, a, &row, err);
	json_t *run = NULL;
	if (rc == 1)
		api_fail(err, ERR_NOT_FOUND, "print run %.40s not found", id);
	else if (rc == 0 && !(run = present(cfg, &row, now_ms)))
		api_fail(err, ERR_INTERNAL, "print run %.40s does not parse", id);
	arena_free(a);
	return run;
}

json_t *runs_list(struct store *s, const struct runs_config *cfg, size_t limit,
		  const char *before, long long now_ms, struct api_error *err)
{
	struct arena *a = arena_new();
	struct prod_run_row *rows;
	size_t n;
	if (!a) {
		api_fail(err, ERR_INTERNAL, "out of memory");
		return NULL;
	}
	json_t *list = NULL;
	if (prod_run_list(s, limit + 1, before, a, &rows, &n, err) == 0) {
		json_t *data = json_array();
		for (size_t i = 0; i < n && i < limit; i++) {
			json_t *r = present(cfg, &rows[i], now_ms);
			if (r)
				json_array_append_new(data, r);
		}
		list = json_pack("{s:s, s:o, s:i, s:b}", "object", "list", "data", data, "count",
				 (int)json_array_size(data), "has_more", n > limit);
	}
	arena_free(a);
	return list;
}
