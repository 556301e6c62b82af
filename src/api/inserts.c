// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Buckslips (/v1/buckslips) and cards (/v1/cards): create from HTML, a template, a remote file
 * or an uploaded one (JSON, form or multipart, as the pieces' `front`/`back`), rendered by
 * the piece render job into a proof and thumbnails; retrieve, list, update (auto_reorder,
 * reorder_quantity, description), delete while no order was placed. Orders: insert_orders.c;
 * use in letters: insert_letters.c.
 */
#include "api/inserts.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/route.h"
#include <string.h>

static const char *const buckslip_sizes[] = { "8.75x3.75", NULL };
static const char *const card_sizes[] = { "2.125x3.375", "3.375x2.125", NULL };

/* spec: buckslip_editable, card_editable: the same fields, their own sizes */
#define INSERT_FIELDS(sizes, dflt_size)                                                   \
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },                               \
	{ "front", FT_JSON, F_REQUIRED, .json = piece_any_field },                          \
	{ "back", FT_JSON, 0, .json = piece_any_field },                                    \
	{ "size", FT_STRING, 0, .enum_vals = sizes, .dflt = dflt_size }, FIELD_END
static const struct field buckslip_fields[] = { INSERT_FIELDS(buckslip_sizes, "8.75x3.75") };
static const struct field card_fields[] = { INSERT_FIELDS(card_sizes, "2.125x3.375") };

/* spec: buckslip_updatable, card_updatable (reorder_quantity's minimum differs) */
#define INSERT_UPDATE_FIELDS(min_reorder)                                                 \
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },                               \
	{ "auto_reorder", FT_BOOL, 0, .max = 0 },                                           \
	{ "reorder_quantity", FT_INT, F_NULLABLE, .min = min_reorder, .max_value = 10000000 }, \
	FIELD_END
static const struct field buckslip_update_fields[] = { INSERT_UPDATE_FIELDS(5000) };
static const struct field card_update_fields[] = { INSERT_UPDATE_FIELDS(10000) };

static const char *insert_present(struct req *rq, const char *json);
static int insert_apply_update(struct req *rq, json_t *obj, const json_t *changes,
			       struct api_error *err);

const struct resource buckslip_res = {
	.kind = "buckslip",
	.id_prefix = "bck_",
	.fields = buckslip_fields,
	.update_fields = buckslip_update_fields,
	.ops = { .present = insert_present, .apply_update = insert_apply_update },
};
const struct resource card_res = {
	.kind = "card",
	.id_prefix = "card_",
	.fields = card_fields,
	.update_fields = card_update_fields,
	.ops = { .present = insert_present, .apply_update = insert_apply_update },
};

const struct insert_kind insert_buckslip = {
	&buckslip_res, "buckslips", &insert_stock_buckslip, true, "buckslip_order", "bo_",
	"buckslip_id", 5000,
};
const struct insert_kind insert_card = {
	&card_res, "cards", &insert_stock_card, false, "card_order", "co_", "card_id", 10000,
};

const struct insert_kind *insert_kind_of(const struct resource *res)
{
	return res == &card_res ? &insert_card : &insert_buckslip;
}

json_t *insert_presented(struct req *rq, const struct insert_kind *k, const char *json)
{
	json_t *obj = arena_own_json(rq->arena, json_loads(piece_present(rq, json), 0, NULL));
	if (obj && !k->orders_shown)
		json_object_del(obj, k->stock->orders_key);
	return obj;
}

static const char *insert_present(struct req *rq, const char *json)
{
	const struct insert_kind *k = insert_kind_of(rq->route->res);
	if (k->orders_shown)
		return piece_present(rq, json);
	json_t *obj = insert_presented(rq, k, json);
	const char *out = obj ? arena_dump_json(rq->arena, obj) : NULL;
	return out ? out : json;
}

/* Lob: reorder_quantity is "only required when auto_reorder is true" */
static int insert_apply_update(struct req *rq, json_t *obj, const json_t *changes,
			       struct api_error *err)
{
	(void)rq;
	json_object_update(obj, (json_t *)changes);
	const json_t *qty = json_object_get(obj, "reorder_quantity");
	if (json_is_true(json_object_get(obj, "auto_reorder")) && !json_is_integer(qty))
		return api_fail(err, ERR_INVALID,
				"reorder_quantity is required when auto_reorder is true");
	return 0;
}

/* the stored insert, in the order of Lob's examples */
static json_t *insert_object(struct piece *p, const struct insert_kind *k)
{
	static const char *const buckslip_order[] = {
		"id", "description", "url", "size", "auto_reorder", "reorder_quantity",
		"threshold_amount", "raw_url", "front_original_url", "back_original_url",
		"thumbnails", "available_quantity", "allocated_quantity", "onhand_quantity",
		"pending_quantity", "projected_quantity", "buckslip_orders", "stock", "weight",
		"finish", "status", "date_created", "date_modified", "object", NULL
	};
	static const char *const card_order[] = {
		"id", "description", "url", "size", "auto_reorder", "reorder_quantity", "raw_url",
		"front_original_url", "back_original_url", "thumbnails", "available_quantity",
		"pending_quantity", "status", "orientation", "threshold_amount", "date_created",
		"date_modified", "object", "card_orders", NULL
	};
	json_t *in = p->obj, *out = json_object();
	char when[25];
	time_format_iso(p->rq->now_ms, when);
	const json_t *url = json_object_get(in, "url");
	json_object_set_new(in, "id", json_string(p->id));
	if (!json_object_get(in, "description"))
		json_object_set_new(in, "description", json_null());
	json_object_set_new(in, "auto_reorder", json_false());
	json_object_set_new(in, "reorder_quantity", json_null());
	json_object_set_new(in, "threshold_amount", json_integer(0));
	/* Frank keeps no separate raw or original files: each names the proof */
	json_object_set(in, "raw_url", (json_t *)url);
	json_object_set(in, "front_original_url", (json_t *)url);
	json_object_set(in, "back_original_url", (json_t *)url);
	json_object_set_new(in, "thumbnails", json_array());
	json_object_set_new(in, "status", json_string("processed"));
	json_object_set_new(in, "date_created", json_string(when));
	json_object_set_new(in, "date_modified", json_string(when));
	json_object_set_new(in, "object", json_string(k->res->kind));
	if (k == &insert_buckslip) {
		json_object_set_new(in, "stock", json_string("text"));
		json_object_set_new(in, "weight", json_string("80#"));
		json_object_set_new(in, "finish", json_string("gloss"));
	} else {
		const char *size = json_string_value(json_object_get(in, "size"));
		json_object_set_new(in, "orientation",
				    json_string(size && strcmp(size, "3.375x2.125") == 0 ? "vertical"
											 : "horizontal"));
	}
	insert_stock_recount(in, k->stock);
	for (const char *const *f = k == &insert_buckslip ? buckslip_order : card_order; *f; f++) {
		json_t *v = json_object_get(in, *f);
		if (v)
			json_object_set(out, *f, v);
	}
	return arena_own_json(p->rq->arena, out);
}

/* POST /v1/buckslips, /v1/cards */
static int insert_create(struct req *rq, struct api_error *err)
{
	const struct insert_kind *k = insert_kind_of(rq->route->res);
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	p->design_only = true;	/* no recipient: nothing to merge strictly */
	if (piece_begin(p, rq, k->res, err) < 0 ||
	    piece_source(p, "front", true, NULL, NULL, err) < 0 ||
	    piece_source(p, "back", false, NULL, NULL, err) < 0 ||
	    piece_future_url(p, k->dir, err) < 0)
		return -1;
	json_t *sources = json_object_get(p->input, "sources");
	if (!json_object_get(sources, "back"))	/* Lob's default back is a blank one */
		json_object_set_new(sources, "back",
				    json_pack("{ssssss}", "type", "html", "html",
					      "<html><body></body></html>", "engine", "handlebars"));
	json_object_del(p->obj, "front");
	json_object_del(p->obj, "back");
	p->obj = insert_object(p, k);
	p->response = insert_presented(rq, k, arena_dump_json(rq->arena, p->obj));
	if (!p->response)
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	return piece_commit(p, err);
}

/* DELETE: Lob's not_deletable once orders were placed (their stock is real) */
static int delete_apply(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			struct api_error *err)
{
	(void)ctx;
	const struct insert_kind *k = insert_kind_of(rq->route->res);
	if (json_array_size(insert_stock_orders(obj, k->stock)))
		return api_fail(err, ERR_NOT_DELETABLE, "A %s with orders cannot be deleted",
				k->res->kind);
	json_object_set_new(obj, "deleted", json_true());
	out->event_type = arena_strfmt(rq->arena, "%s.deleted", k->res->kind);
	out->response = arena_own_json(rq->arena, json_pack("{sssb}", "id", rq->path_id,
							    "deleted", 1));
	return 0;
}

static int insert_delete(struct req *rq, struct api_error *err)
{
	return res_mutate(rq, rq->path_id, delete_apply, NULL, true, err);
}

int insert_orders_create(struct req *rq, struct api_error *err);
int insert_orders_list(struct req *rq, struct api_error *err);

const struct route buckslip_routes[] = {
	{ HTTP_GET, "/v1/buckslips", res_list, &buckslip_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/buckslips", insert_create, &buckslip_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/buckslips/{id}", res_get, &buckslip_res, KEY_SECRET, NULL, 0 },
	{ HTTP_PATCH, "/v1/buckslips/{id}", res_update, &buckslip_res, KEY_SECRET, NULL, R_BODY },
	{ HTTP_DELETE, "/v1/buckslips/{id}", insert_delete, &buckslip_res, KEY_SECRET, NULL, 0 },
	{ HTTP_GET, "/v1/buckslips/{id}/orders", insert_orders_list, &buckslip_res, KEY_SECRET,
	  NULL, 0 },
	{ HTTP_POST, "/v1/buckslips/{id}/orders", insert_orders_create, &buckslip_res, KEY_SECRET,
	  NULL, R_BODY },
	{ .pattern = NULL }
};

const struct route card_routes[] = {
	{ HTTP_GET, "/v1/cards", res_list, &card_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/cards", insert_create, &card_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/cards/{id}", res_get, &card_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/cards/{id}", res_update, &card_res, KEY_SECRET, NULL, R_BODY },
	{ HTTP_DELETE, "/v1/cards/{id}", insert_delete, &card_res, KEY_SECRET, NULL, 0 },
	{ HTTP_GET, "/v1/cards/{id}/orders", insert_orders_list, &card_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/cards/{id}/orders", insert_orders_create, &card_res, KEY_SECRET, NULL,
	  R_BODY },
	{ .pattern = NULL }
};
