// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The mail room's side of insert orders (operator keys only). A live order of a buckslip or
 * card is `pending` until its stock is printed and on the shelf:
 *   GET  /v1/_frank/production/insert_orders              the pending live orders, every account
 *   POST /v1/_frank/production/insert_orders/{id}/receive the order's stock has arrived: it
 *                                                         becomes `available` (all of it)
 * Orders live inside their insert (mail/insert_stock.h), so both walk the live inserts.
 */
#include "api/inserts.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include <string.h>

#define INSERTS_SCANNED_MAX 10000	/* bounds a walk's time and memory */

/* the live inserts' scopes and ids, whatever their render status */
struct live_insert {
	struct store_scope sc;
	const char *id;
};

struct walk {
	struct arena *a;
	struct live_insert *all;
	size_t n, cap;
};

static void collect_one(void *ctx, const struct store_scope *sc, const char *id)
{
	struct walk *w = ctx;
	if (sc->mode != MODE_LIVE || w->n == w->cap)
		return;
	w->all[w->n].sc = *sc;
	w->all[w->n].sc.account_id = arena_strdup(w->a, sc->account_id);
	w->all[w->n].sc.kind = strcmp(sc->kind, "card") == 0 ? "card" : "buckslip";
	w->all[w->n].id = arena_strdup(w->a, id);
	w->n++;
}

static int live_inserts(struct req *rq, struct walk *w, struct api_error *err)
{
	static const char *const kinds[] = { "card", "buckslip", NULL };
	static const char *const statuses[] = { "processed", "rendered", "failed" };
	w->a = rq->arena;
	w->cap = INSERTS_SCANNED_MAX;
	w->all = arena_calloc(rq->arena, w->cap * sizeof(*w->all));
	if (!w->all)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	for (size_t i = 0; i < 3; i++)
		if (store_each_with_status(rq->app->store, kinds, statuses[i], collect_one, w, err) < 0)
			return -1;
	return 0;
}

static const struct insert_kind *kind_named(const char *kind)
{
	return strcmp(kind, "card") == 0 ? &insert_card : &insert_buckslip;
}

/* the insert's stored JSON (arena) or NULL */
static json_t *load(struct req *rq, const struct live_insert *li, struct api_error *err)
{
	char *json = NULL;
	if (store_object_get(rq->app->store, &li->sc, li->id, rq->arena, &json, err) != 0)
		return NULL;
	return arena_own_json(rq->arena, json_loads(json, 0, NULL));
}

static int pending_list(struct req *rq, struct api_error *err)
{
	struct walk w = { 0 };
	if (live_inserts(rq, &w, err) < 0)
		return -1;
	json_t *data = json_array();
	for (size_t i = 0; i < w.n; i++) {
		const struct insert_kind *k = kind_named(w.all[i].sc.kind);
		json_t *obj = load(rq, &w.all[i], err), *o;
		size_t j;
		json_array_foreach(insert_stock_orders(obj, k->stock), j, o) {
			const char *st = json_string_value(json_object_get(o, "status"));
			if (!obj || !st || (strcmp(st, "pending") && strcmp(st, "printing")))
				continue;
			json_t *row = json_deep_copy(o);
			json_object_set_new(row, "account_id", json_string(w.all[i].sc.account_id));
			json_object_set_new(row, "insert", json_pack("{s:s, s:s, s:O, s:O, s:O}", "id",
					    w.all[i].id, "object", k->res->kind, "size",
					    json_object_get(obj, "size"), "description",
					    json_object_get(obj, "description") ? json_object_get(obj, "description") : json_null(),
					    "url", json_object_get(obj, "url") ? json_object_get(obj, "url") : json_null()));
			json_array_append_new(data, row);
		}
	}
	json_t *body = json_pack("{s:o, s:s, s:I}", "data", data, "object", "list", "count",
				 (json_int_t)json_array_size(data));
	return respond_json(rq, 200, arena_own_json(rq->arena, body));
}

struct receive_ctx {
	const struct insert_kind *k;
	const char *order_id;
};

static int receive_apply(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			 struct api_error *err)
{
	(void)out;
	const struct receive_ctx *r = ctx;
	char now[25];
	time_format_iso(rq->now_ms, now);
	return insert_stock_receive(obj, r->k->stock, r->order_id, now, err);
}

static int receive(struct req *rq, struct api_error *err)
{
	const char *order_id = rq->path_id;
	bool card = strncmp(order_id, "co_", 3) == 0;
	if (!card && strncmp(order_id, "bo_", 3) != 0)
		return api_fail(err, ERR_NOT_FOUND, "order %.40s not found", order_id);
	struct walk w = { 0 };
	if (live_inserts(rq, &w, err) < 0)
		return -1;
	for (size_t i = 0; i < w.n; i++) {
		if (strcmp(w.all[i].sc.kind, card ? "card" : "buckslip") != 0)
			continue;
		const struct insert_kind *k = kind_named(w.all[i].sc.kind);
		json_t *obj = load(rq, &w.all[i], err), *o;
		size_t j;
		json_array_foreach(insert_stock_orders(obj, k->stock), j, o) {
			const char *id = json_string_value(json_object_get(o, "id"));
			if (!obj || !id || strcmp(id, order_id) != 0)
				continue;
			/* the answer: the order as the change makes it (the change re-checks it) */
			char now[25];
			struct api_error check = { 0 };
			time_format_iso(rq->now_ms, now);
			if (insert_stock_receive(obj, k->stock, order_id, now, &check) < 0) {
				*err = check;
				return -1;
			}
			struct receive_ctx *ctx = arena_calloc(rq->arena, sizeof(*ctx));
			ctx->k = k;
			ctx->order_id = arena_strdup(rq->arena, order_id);
			struct store_change *ch = res_change_mutate(rq, k->res, w.all[i].id,
								    receive_apply, ctx, false);
			ch->sc = w.all[i].sc;
			/* never "not found" (the route has no resource to name): an insert with
			 * orders cannot be deleted */
			return res_commit(rq, &ch, 1, o, err);
		}
	}
	return api_fail(err, ERR_NOT_FOUND, "order %.40s not found (live orders only: a test "
			"order is available when placed)", order_id);
}

const struct route insert_order_operator_routes[] = {
	{ HTTP_GET, "/v1/_frank/production/insert_orders", pending_list, NULL, 0, NULL, 0 },
	{ HTTP_POST, "/v1/_frank/production/insert_orders/{id}/receive", receive, NULL, 0, NULL, 0 },
	{ .pattern = NULL }
};
