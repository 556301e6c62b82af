// SPDX-License-Identifier: AGPL-3.0-or-later
/* Generic create / get / delete for table-declared resources (lists: api/list.c). */
#include "api/resource.h"
#include "api/list.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "events/catalogue.h"
#include "events/event.h"
#include "http/app.h"
#include "http/response.h"
#include <stdbool.h>
#include "http/route.h"
#include <stdlib.h>
#include <string.h>

#define IDEMPOTENCY_TTL_MS (24LL * 3600 * 1000)

/* a new JSON value owned by the request */
static json_t *owned(struct req *rq, json_t *v)
{
	return arena_own_json(rq->arena, v);
}

static int not_found(const struct resource *res, struct api_error *err)
{
	return api_fail(err, ERR_NOT_FOUND, "%s not found", res->kind);
}

static char *dump(struct req *rq, const json_t *v)
{
	return arena_dump_json(rq->arena, v);
}

/* the stored text as the response (no re-serialisation on the read path) */
static int respond_text(struct req *rq, const char *json)
{
	rq->status = 200;
	rq->resp_body = json;
	rq->resp_len = strlen(json);
	rq->resp_type = "application/json";
	return 0;
}

int res_respond_existing(struct req *rq, const char *id, struct api_error *err)
{
	char *json = NULL;
	int rc = store_object_get(rq->app->store, &rq->scope, id, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return not_found(rq->route->res, err);
	if (rq->route->res->ops.present)
		json = (char *)rq->route->res->ops.present(rq, json);
	return respond_text(rq, json);
}

json_t *res_build(struct req *rq, const struct resource *res, const char *id,
		  struct api_error *err)
{
	return res_build_from(rq, res, rq->body_json, id, err);
}

json_t *res_build_from(struct req *rq, const struct resource *res, const json_t *body,
		       const char *id, struct api_error *err)
{
	const struct field *fields = res->ops.pick_fields ? res->ops.pick_fields(body)
							  : res->fields;
	json_t *obj = owned(rq, json_object());
	char when[25];
	json_object_set_new(obj, "id", json_string(id));
	if (fields_validate_ctx(fields, body, rq->arena, obj, rq, err) < 0)
		return NULL;
	if (res->ops.before_store && res->ops.before_store(rq, body, obj, err) < 0)
		return NULL;
	time_format_iso(rq->now_ms, when);
	json_object_set_new(obj, "date_created", json_string(when));
	json_object_set_new(obj, "date_modified", json_string(when));
	json_object_set_new(obj, "object", json_string(res->kind));
	return obj;
}

/* a queued write and what its completion needs; lives in the request's arena */
struct write_wait {
	struct req *rq;
	struct store_object row;
	struct store_event ev;
	struct store_insert ins;
	struct store_delete del;
	char existing[40];
	const char *json;	/* the response on success */
	int status;		/* its HTTP status; 0: 200 */
	struct api_error err;
};

/* the "<kind>.<what>" event of this write, when one is due (events/event.c) */
static void event_for(struct req *rq, struct write_wait *w, const char *what, const json_t *body,
		      const char *ref_id)
{
	char *evt_id = arena_alloc(rq->arena, 40);
	const char *type = arena_strfmt(rq->arena, "%s.%s", rq->route->res->kind, what);
	if (!event_type_find(type))	/* Lob has no event for this resource (templates, …) */
		return;
	json_t *ev = owned(rq, event_new(type, rq->scope.mode, body, ref_id, rq->now_ms, evt_id));
	if (ev)
		w->ev = (struct store_event){ .id = evt_id, .type = type, .json = dump(rq, ev) };
}

/* on the store's writer thread, after the commit */
static void write_done(void *p, int rc)
{
	struct write_wait *w = p;
	struct req *rq = w->rq;
	int failed = rc < 0;
	if (rc == 1 && w->existing[0])	/* a concurrent request with the same idempotency key won */
		failed = res_respond_existing(rq, w->existing, &w->err) < 0;
	else if (rc == 1)
		failed = not_found(rq->route->res, &w->err) < 0;
	else if (rc == 0)
		respond_text(rq, w->json);
	if (rc == 0 && w->status)
		rq->status = w->status;
	if (failed)
		respond_error(rq, &w->err);
	req_finish(rq);
}

/* queues the write; the request completes in write_done */
static int queue_write(struct req *rq, struct write_wait *w, bool insert, struct api_error *err)
{
	struct store_done done = { write_done, w };
	rq->pending = true;
	int rc = insert ? store_object_insert(rq->app->store, &w->ins, &w->err, &done)
			: store_object_delete(rq->app->store, &w->del, &w->err, &done);
	if (rc < 0) {
		rq->pending = false;
		*err = w->err;
		return -1;
	}
	return 0;
}

int res_create(struct req *rq, struct api_error *err)
{
	const struct resource *res = rq->route->res;
	struct write_wait *w = arena_calloc(rq->arena, sizeof(*w));
	char *id = arena_alloc(rq->arena, 40);
	if (ids_new(res->id_prefix, id, 40) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *obj = res_build(rq, res, id, err);
	if (!obj)
		return -1;
	const json_t *meta = json_object_get(obj, "metadata");
	w->rq = rq;
	w->json = dump(rq, obj);
	if (!w->json)
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	w->row = (struct store_object){
		.id = id, .created_ms = rq->now_ms, .updated_ms = rq->now_ms, .json = w->json,
		.metadata_json = meta && json_object_size(meta) ? dump(rq, meta) : NULL,
	};
	event_for(rq, w, "created", obj, id);
	w->ins = (struct store_insert){ .sc = &rq->scope, .obj = &w->row, .ev = &w->ev,
					.idem_key = rq->idem_key,
					.idem_ttl_ms = IDEMPOTENCY_TTL_MS, .existing_id = w->existing };
	return queue_write(rq, w, true, err);
}

/* a read-modify-write between the handler and the writer thread */
struct mutate_wait {
	struct write_wait w;	/* first: write_done gets a write_wait */
	struct store_change ch;
	struct store_change_set set;
	res_mutate_fn fn;
	void *ctx;
};

/* on the writer thread: current JSON → new JSON (in the request's arena) */
static const char *mutate_on_writer(const char *current, void *ctx, struct store_event *ev,
				    const char **metadata_json, struct api_error *err)
{
	struct mutate_wait *m = ctx;
	struct req *rq = m->w.rq;
	json_t *obj = owned(rq, json_loads(current, 0, NULL));
	struct res_change out = { 0 };
	char when[25];
	if (!obj) {
		api_fail(err, ERR_INTERNAL, "stored object does not parse");
		return NULL;
	}
	if (m->fn(rq, obj, m->ctx, &out, err) < 0)
		return NULL;
	time_format_iso(rq->now_ms, when);
	json_object_set_new(obj, "date_modified", json_string(when));
	if (out.metadata)
		*metadata_json = dump(rq, out.metadata);
	if (out.event_type && event_type_find(out.event_type)) {
		char *evt_id = arena_alloc(rq->arena, 40);
		json_t *e = owned(rq, event_new(out.event_type, rq->scope.mode,
						 out.event_body ? out.event_body : obj,
						 m->ch.obj.id, rq->now_ms, evt_id));
		if (e)
			*ev = (struct store_event){ .id = evt_id, .type = out.event_type,
						    .json = dump(rq, e) };
	}
	const char *stored = dump(rq, obj);
	m->w.json = out.response ? dump(rq, out.response) : stored;
	if (!stored || !m->w.json) {
		api_fail(err, ERR_INTERNAL, "serialisation failed");
		return NULL;
	}
	return stored;
}

static struct mutate_wait *mutate_new(struct req *rq, const struct resource *res,
				      const char *id, res_mutate_fn fn, void *ctx, bool delete)
{
	struct mutate_wait *m = arena_calloc(rq->arena, sizeof(*m));
	m->w.rq = rq;
	m->fn = fn;
	m->ctx = ctx;
	m->ch = (struct store_change){
		.op = delete ? STORE_DELETE : STORE_UPDATE, .sc = rq->scope,
		.obj = { .id = id, .updated_ms = rq->now_ms },
		.mutate = mutate_on_writer, .ctx = m,
	};
	if (res)
		m->ch.sc.kind = res->kind;
	return m;
}

struct store_change *res_change_mutate(struct req *rq, const struct resource *res,
				       const char *id, res_mutate_fn fn, void *ctx, bool delete)
{
	return &mutate_new(rq, res, id, fn, ctx, delete)->ch;
}

int res_mutate(struct req *rq, const char *id, res_mutate_fn fn, void *ctx, bool delete,
	       struct api_error *err)
{
	struct mutate_wait *m = mutate_new(rq, NULL, id, fn, ctx, delete);
	m->set = (struct store_change_set){ .changes = &m->ch, .n = 1 };
	struct store_done done = { write_done, &m->w };
	rq->pending = true;
	if (store_apply(rq->app->store, &m->set, &m->w.err, &done) < 0) {
		rq->pending = false;
		*err = m->w.err;
		return -1;
	}
	return 0;
}

static int update_fields(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			 struct api_error *err)
{
	const struct resource *res = rq->route->res;
	const json_t *changes = ctx;
	if (res->ops.apply_update) {
		if (res->ops.apply_update(rq, obj, changes, err) < 0)
			return -1;
	} else {
		json_object_update(obj, (json_t *)changes);
	}
	out->metadata = json_object_get(changes, "metadata");
	out->event_type = arena_strfmt(rq->arena, "%s.updated", res->kind);
	return 0;
}

int res_update(struct req *rq, struct api_error *err)
{
	const struct resource *res = rq->route->res;
	json_t *changes = owned(rq, json_object());
	if (fields_validate_update(res->update_fields ? res->update_fields : res->fields,
				   res->updatable, rq->body_json, rq->arena,
				   changes, rq, err) < 0)
		return -1;
	return res_mutate(rq, rq->path_id, update_fields, changes, false, err);
}

/* a change set queued by a handler (res_commit) */
struct commit_wait {
	struct write_wait w;	/* first: write_done gets a write_wait */
	struct store_change_set set;
};

struct store_change *res_change_insert(struct req *rq, const struct resource *res,
				       const json_t *obj, bool with_event)
{
	struct store_change *ch = arena_calloc(rq->arena, sizeof(*ch));
	const json_t *meta = json_object_get(obj, "metadata");
	const char *id = json_string_value(json_object_get(obj, "id"));
	ch->op = STORE_INSERT;
	ch->sc = rq->scope;
	ch->sc.kind = res->kind;
	ch->obj = (struct store_object){
		.id = id, .created_ms = rq->now_ms, .updated_ms = rq->now_ms,
		.json = dump(rq, obj),
		.metadata_json = meta && json_object_size(meta) ? dump(rq, meta) : NULL,
	};
	const char *created = arena_strfmt(rq->arena, "%s.created", res->kind);
	if (with_event && event_type_find(created)) {
		char *evt_id = arena_alloc(rq->arena, 40);
		const char *type = created;
		json_t *ev = owned(rq, event_new(type, rq->scope.mode, obj, id, rq->now_ms, evt_id));
		if (ev)
			ch->ev = (struct store_event){ .id = evt_id, .type = type, .json = dump(rq, ev) };
	}
	return ch->obj.json ? ch : NULL;
}

int res_commit(struct req *rq, struct store_change *const *changes, size_t n,
	       const json_t *response, struct api_error *err)
{
	return res_commit_status(rq, changes, n, response, 200, err);
}

int res_commit_status(struct req *rq, struct store_change *const *changes, size_t n,
		      const json_t *response, int status, struct api_error *err)
{
	struct commit_wait *c = arena_calloc(rq->arena, sizeof(*c));
	c->w.rq = rq;
	c->w.status = status;
	c->w.json = dump(rq, response);
	c->set.changes = arena_calloc(rq->arena, sizeof(struct store_change) * (n ? n : 1));
	for (size_t i = 0; i < n; i++)
		c->set.changes[i] = *changes[i];
	c->set.n = n;
	c->set.idem_key = rq->idem_key;
	c->set.idem_ttl_ms = IDEMPOTENCY_TTL_MS;
	c->set.existing_id = c->w.existing;
	if (!c->w.json)
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	struct store_done done = { write_done, &c->w };
	rq->pending = true;
	if (store_apply(rq->app->store, &c->set, &c->w.err, &done) < 0) {
		rq->pending = false;
		*err = c->w.err;
		return -1;
	}
	return 0;
}

int res_get(struct req *rq, struct api_error *err)
{
	return res_respond_existing(rq, rq->path_id, err);
}

int res_delete(struct req *rq, struct api_error *err)
{
	struct write_wait *w = arena_calloc(rq->arena, sizeof(*w));
	json_t *gone = owned(rq, json_pack("{sssb}", "id", rq->path_id, "deleted", 1));
	w->rq = rq;
	w->json = dump(rq, gone);
	event_for(rq, w, "deleted", gone, rq->path_id);
	w->del = (struct store_delete){ .sc = &rq->scope, .id = rq->path_id, .now_ms = rq->now_ms,
					.deleted_json = w->json, .ev = &w->ev };
	return queue_write(rq, w, false, err);
}

int res_list(struct req *rq, struct api_error *err)
{
	struct store_list_query q = { .scope = rq->scope };
	struct store_list_result r = { 0 };
	if (list_parse_query_filters(rq->query, rq->arena, rq->route->res->list_filters, &q,
				     err) < 0)
		return -1;
	q.scope = rq->scope;
	if (store_object_list(rq->app->store, &q, rq->arena, &r, err) < 0)
		return -1;
	if (rq->route->res->ops.present)
		for (size_t i = 0; i < r.n; i++)
			r.json[i] = (char *)rq->route->res->ops.present(rq, r.json[i]);
	const char *base = arena_strfmt(rq->arena, "%s%s", rq->app->public_url, rq->path);
	json_t *env = owned(rq, list_envelope(&q, &r, rq->arena, base, rq->query_string));
	return respond_json(rq, 200, env);
}
