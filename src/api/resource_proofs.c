// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Resource proofs (/v1/resource_proofs): a proof of a letter, postcard or self-mailer without
 * mailing one. Create checks resource_parameters exactly as POST /v1/<resource_type> checks a
 * piece (the product's prepare function), stores the proof `processing` with the prepared
 * piece kept privately, and queues its render in the same transaction; the render job draws
 * it with the pieces' engine (mail/render_proof.c) and sets `completed` with url and
 * thumbnails, or `failed` with errors [{code, message}]. Get; update (template_id). Nothing
 * is mailed, charged or added to the address book, and a proof has no events (Lob lists
 * none). The proof's files are the piece's links (`…/letters/ltr_….pdf?expires=…`), which
 * Lob's SDK models accept. docs/internals/resource_proofs.md.
 */
#include "api/products.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/route.h"
#include "mail/render_jobs.h"
#include "mail/render_piece.h"
#include <string.h>

#define PROOF_KIND RENDER_PROOF_KIND	/* the render job draws it (mail/render_proof.c) */

static const char *const proof_types[] = { "postcard", "letter", "self_mailer", NULL };

/* spec: resource_proof_editable (its three variants share these fields) */
static const struct field proof_fields[] = {
	{ "template_id", FT_STRING, F_NULLABLE, .max = 40 },
	{ "resource_type", FT_STRING, F_REQUIRED, .enum_vals = proof_types },
	{ "resource_parameters", FT_JSON, F_REQUIRED, .json = fields_any_object },
	FIELD_END
};

/* spec: resource_proof_updatable */
static const struct field proof_update_fields[] = {
	{ "template_id", FT_STRING, F_NULLABLE, .max = 40 },
	FIELD_END
};

static const char *proof_present(struct req *rq, const char *json);

const struct resource resource_proof_res = {
	.kind = PROOF_KIND,
	.id_prefix = "res_prf_",
	.fields = proof_fields,
	.update_fields = proof_update_fields,
	.ops = { .present = proof_present },
};

/* the proof as served: without the private piece, links signed afresh */
static const char *proof_present(struct req *rq, const char *json)
{
	json_t *obj = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	if (!obj)
		return json;
	json_object_del(obj, "piece");
	const char *out = arena_dump_json(rq->arena, obj);
	return out ? piece_present(rq, out) : json;
}

/* a request like rq whose body is the piece's: the product's prepare function reads it */
static struct req *as_piece_request(struct req *rq, const json_t *params)
{
	struct req *pr = arena_calloc(rq->arena, sizeof(*pr));
	json_t *body = arena_own_json(rq->arena, json_deep_copy(params));
	*pr = *rq;
	/* a proof is never mailed: the spec's parameters have no use_type, so none is needed */
	if (!json_object_get(body, "use_type"))
		json_object_set_new(body, "use_type", json_string("operational"));
	pr->body_json = body;
	pr->idem_key = NULL;
	return pr;
}

/* "to.address_line1 is required" → "resource_parameters.to.address_line1 is required" */
static int in_parameters(struct api_error *err)
{
	api_error_prefix(err, "resource_parameters");
	return -1;
}

static int proof_create(struct req *rq, struct api_error *err)
{
	json_t *in = arena_own_json(rq->arena, json_object());
	if (fields_validate(proof_fields, rq->body_json, rq->arena, in, err) < 0)
		return -1;
	const char *type = json_string_value(json_object_get(in, "resource_type"));
	const struct product *pr = product_find(type);
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	if (!pr)
		return api_fail(err, ERR_INVALID, "resource_type must be one of postcard, letter, "
				"self_mailer");
	if (pr->prepare(as_piece_request(rq, json_object_get(in, "resource_parameters")), p,
			err) < 0)
		return in_parameters(err);
	char when[25];
	time_format_iso(rq->now_ms, when);
	const char *id = arena_strfmt(rq->arena, "res_prf_%s", strchr(p->id, '_') + 1);
	json_t *served = arena_own_json(rq->arena, json_pack(
		"{ss sO ss ss s[] so s[] ss ss ss}", "id", id, "template_id",
		json_object_get(in, "template_id"), "resource_type", type, "status", "processing",
		"thumbnails", "url", json_null(), "errors", "date_created", when,
		"date_modified", when, "object", PROOF_KIND));
	json_t *stored = arena_own_json(rq->arena, json_deep_copy(served));
	if (!stored)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	json_object_set(stored, "piece", p->obj);
	/* the piece's input under its own id (the render reads it, the file links name it) */
	static const struct resource input_res = { .kind = PIECE_INPUT_KIND, .id_prefix = "inp_" };
	json_object_set_new(p->input, "id", json_string(arena_strfmt(rq->arena, "inp_%s",
								     strchr(p->id, '_') + 1)));
	struct store_change *changes[3];
	changes[0] = res_change_insert(rq, &resource_proof_res, stored, false);
	changes[1] = res_change_insert(rq, &input_res, p->input, false);
	changes[2] = arena_calloc(rq->arena, sizeof(struct store_change));
	if (!changes[0] || !changes[1] || !changes[2])
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	struct store_scope sc = rq->scope;
	sc.kind = PROOF_KIND;
	render_job_change(changes[2], &sc, id, rq->now_ms, rq->arena);
	return res_commit_status(rq, changes, 3, served, 201, err);
}

/* on the writer: template_id changed; the answer is the proof as served */
static int apply_update(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			struct api_error *err)
{
	char when[25];
	json_object_update(obj, (json_t *)ctx);
	time_format_iso(rq->now_ms, when);
	json_object_set_new(obj, "date_modified", json_string(when));
	const char *text = arena_dump_json(rq->arena, obj);
	out->response = text ? arena_own_json(rq->arena, json_loads(proof_present(rq, text), 0,
								     NULL)) : NULL;
	return out->response ? 0 : api_fail(err, ERR_INTERNAL, "serialisation failed");
}

static int proof_update(struct req *rq, struct api_error *err)
{
	json_t *changes = arena_own_json(rq->arena, json_object());
	if (fields_validate_update(proof_update_fields, NULL, rq->body_json, rq->arena, changes,
				   rq, err) < 0)
		return -1;
	return res_mutate(rq, rq->path_id, apply_update, changes, false, err);
}

const struct route resource_proof_routes[] = {
	{ HTTP_POST, "/v1/resource_proofs", proof_create, &resource_proof_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/resource_proofs/{id}", res_get, &resource_proof_res, KEY_SECRET, NULL, 0 },
	{ HTTP_PATCH, "/v1/resource_proofs/{id}", proof_update, &resource_proof_res, KEY_SECRET,
	  NULL, R_BODY },
	{ .pattern = NULL }
};
