/*
 * Generic resource handlers. A resource is a kind, an id prefix, a field table and optional
 * hooks; res_create/res_get/res_list/res_delete serve any of them, so an endpoint is a
 * route row (http/route.h), not a new handler.
 */
#ifndef FRANK_RESOURCE_H
#define FRANK_RESOURCE_H
#include <jansson.h>
#include "api/fields.h"
#include "core/err.h"
#include "http/req.h"

struct resource_ops {
	/* chooses the field table for a body (e.g. US vs international addresses); NULL: fields */
	const struct field *(*pick_fields)(const json_t *body);
	/* cross-field rules and derived fields, after validation, before the insert */
	int (*before_store)(struct req *rq, const json_t *body, json_t *obj,
			    struct api_error *err);
};

struct resource {
	const char *kind;	/* object name and event prefix: "address" */
	const char *id_prefix;	/* "adr_" */
	const struct field *fields;
	struct resource_ops ops;
};

/* POST /v1/<things>: validate, store (with the .created event), answer the object */
int res_create(struct req *rq, struct api_error *err);
/* GET /v1/<things>/{id} */
int res_get(struct req *rq, struct api_error *err);
/* GET /v1/<things>: Lob's list envelope with cursors, filters and total_count */
int res_list(struct req *rq, struct api_error *err);
/* DELETE /v1/<things>/{id}: {"id","deleted":true} and the .deleted event */
int res_delete(struct req *rq, struct api_error *err);

/* answers 200 with the stored object id (idempotent replays); 0 or -1 */
int res_respond_existing(struct req *rq, const char *id, struct api_error *err);
#endif
