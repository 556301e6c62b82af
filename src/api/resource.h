// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Generic resource handlers. A resource is a kind, an id prefix, a field table and optional
 * hooks; res_create/res_get/res_list/res_delete serve any of them, so an endpoint is a
 * route row (http/route.h), not a new handler.
 */
#ifndef FRANK_RESOURCE_H
#define FRANK_RESOURCE_H
#include <stdbool.h>
#include <jansson.h>
#include "api/fields.h"
#include "core/err.h"
#include "http/req.h"

struct list_filter;

struct resource_ops {
	/* chooses the field table for a body (e.g. US vs international addresses); NULL: fields */
	const struct field *(*pick_fields)(const json_t *body);
	/* cross-field rules and derived fields, after validation, before the insert */
	int (*before_store)(struct req *rq, const json_t *body, json_t *obj,
			    struct api_error *err);
	/*
	 * res_update: applies the validated changes to the stored object (NULL: merges them
	 * in). Runs on the store's writer thread inside the transaction, with the current object.
	 */
	int (*apply_update)(struct req *rq, json_t *obj, const json_t *changes,
			    struct api_error *err);
	/*
	 * the stored JSON text as served on reads (get, list, replays): e.g. signed asset links
	 * made afresh on every read, as Lob's are. Returns json itself or new arena text.
	 */
	const char *(*present)(struct req *rq, const char *json);
};

struct resource {
	const char *kind;	/* object name and event prefix: "address" */
	const char *id_prefix;	/* "adr_" */
	unsigned id_hex;	/* hex digits after the prefix; 0: 16 (snap packs, booklets: 26) */
	const struct field *fields;
	struct resource_ops ops;
	const char *const *updatable;	/* res_update: fields a POST to /{id} may change */
	const struct field *update_fields;	/* res_update's table when it differs (NULL: fields) */
	const struct list_filter *list_filters;	/* res_list's own parameters (NULL: none) */
};

/* POST /v1/<things>: validate, store (with the .created event), answer the object */
int res_create(struct req *rq, struct api_error *err);
/* GET /v1/<things>/{id} */
int res_get(struct req *rq, struct api_error *err);
/* GET /v1/<things>: Lob's list envelope with cursors, filters and total_count */
int res_list(struct req *rq, struct api_error *err);
/* DELETE /v1/<things>/{id}: {"id","deleted":true} and the .deleted event */
int res_delete(struct req *rq, struct api_error *err);

/*
 * POST /v1/<things>/{id}: validates the body against the updatable fields, applies it to
 * the stored object atomically (date_modified moves), writes "<kind>.updated" when Lob has
 * such an event type, and answers the new object
 */
int res_update(struct req *rq, struct api_error *err);

/* what a mutation produced, besides changing the object in place */
struct res_change {
	const json_t *metadata;		/* new metadata (replaces the indexed rows); NULL: same */
	const char *event_type;		/* written if Lob has this type; NULL: no event */
	const json_t *event_body;	/* the event's body; NULL: the changed object */
	const json_t *response;		/* answered instead of the object (e.g. a nested version) */
};

/*
 * Changes the stored object in place: 0, or -1 with *err (which aborts the change). Runs on
 * the store's writer thread, inside the transaction; rq is the suspended request.
 */
typedef int (*res_mutate_fn)(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			     struct api_error *err);

/*
 * Queues a read-modify-write of object id (of the route's resource): fn changes it, the
 * store commits it (date_modified moves; delete also marks it deleted), and the request is
 * answered with the object (or out->response). A missing object answers 404.
 */
int res_mutate(struct req *rq, const char *id, res_mutate_fn fn, void *ctx, bool delete,
	       struct api_error *err);

/*
 * The same read-modify-write of object id of res, as a change for res_commit (a change set
 * that also writes other objects); its answer is res_commit's `response`.
 */
struct store_change *res_change_mutate(struct req *rq, const struct resource *res,
				       const char *id, res_mutate_fn fn, void *ctx, bool delete);

/*
 * For handlers that write more than one object (a letter and the address it created
 * inline; a bank account and its micro-deposits): res_build validates the body against
 * res's fields into a new object with id and dates (arena-owned; NULL with *err);
 * res_change_insert makes an insert of obj (with its "<kind>.created" event when
 * with_event); res_commit queues the changes as one transaction (under the request's
 * idempotency key, recorded for changes[0]) and answers `response` once committed.
 */
json_t *res_build(struct req *rq, const struct resource *res, const char *id,
		  struct api_error *err);
/* as res_build, for a body other than the request's (an inline address) */
json_t *res_build_from(struct req *rq, const struct resource *res, const json_t *body,
		       const char *id, struct api_error *err);
struct store_change *res_change_insert(struct req *rq, const struct resource *res,
				       const json_t *obj, bool with_event);
int res_commit(struct req *rq, struct store_change *const *changes, size_t n,
	       const json_t *response, struct api_error *err);
/* as res_commit, answering status (201 where the spec says a create answers it) */
int res_commit_status(struct req *rq, struct store_change *const *changes, size_t n,
		      const json_t *response, int status, struct api_error *err);

/* answers 200 with the stored object id (idempotent replays); 0 or -1 */
int res_respond_existing(struct req *rq, const char *id, struct api_error *err);
#endif
