// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Rendering a resource proof (api/resource_proofs.c): the piece its create prepared, kept in
 * the proof, drawn by the pieces' engine (render_source_document: sources, HTML, stamping,
 * thumbnails). Its IMb is a sample (serial 0 of the Mailer ID, STID 270): a proof is never
 * mailed, so it takes no serial and registers no barcode. The proof moves from `processing` to
 * `completed` (url, thumbnails) or `failed` (errors: [{code, message}] with Lob's failure
 * code); transient failures are retried by the render jobs as a piece's are.
 */
#include "mail/render_piece.h"
#include "barcode/imb.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "mail/render_source.h"
#include <string.h>

struct proof_outcome {
	struct arena *a;
	bool failed;
	struct api_error why;
	const char *pdf_url;
	json_t *thumbnails, *files;
	long long now_ms;
};

/* on the writer: the proof → completed or failed (unless it changed meanwhile) */
static const char *set_proof(const char *current, void *ctx, struct store_event *ev,
			     const char **metadata_json, struct api_error *err)
{
	(void)ev;
	(void)metadata_json;
	struct proof_outcome *o = ctx;
	json_t *obj = arena_own_json(o->a, json_loads(current, 0, NULL));
	char when[25];
	if (!obj) {
		api_fail(err, ERR_INTERNAL, "stored resource proof does not parse");
		return NULL;
	}
	const char *status = json_string_value(json_object_get(obj, "status"));
	if (!status || strcmp(status, "processing") != 0)
		return arena_dump_json(o->a, obj);
	time_format_iso(o->now_ms, when);
	json_object_set_new(obj, "date_modified", json_string(when));
	if (o->failed) {
		json_object_set_new(obj, "status", json_string("failed"));
		json_object_set_new(obj, "errors", json_pack("[{ssss}]", "code",
							     err_info(o->why.kind)->code,
							     "message", o->why.message));
	} else {
		json_object_set_new(obj, "status", json_string("completed"));
		json_object_set_new(obj, "url", json_string(o->pdf_url));
		json_object_set(obj, "thumbnails", o->thumbnails);
	}
	return arena_dump_json(o->a, obj);
}

/* on the writer: the render input learns which asset each file link is */
static const char *set_files(const char *current, void *ctx, struct store_event *ev,
			     const char **metadata_json, struct api_error *err)
{
	(void)ev;
	(void)metadata_json;
	struct proof_outcome *o = ctx;
	json_t *in = arena_own_json(o->a, json_loads(current, 0, NULL));
	if (!in) {
		api_fail(err, ERR_INTERNAL, "stored render input does not parse");
		return NULL;
	}
	json_object_set(in, "files", o->files);
	return arena_dump_json(o->a, in);
}

static int commit(const struct render_env *env, const struct render_item *it,
		  const char *piece_id, struct proof_outcome *o, struct api_error *err)
{
	struct store_scope sc = { .account_id = it->account_id, .mode = it->mode,
				  .kind = RENDER_PROOF_KIND };
	struct store_scope in = sc;
	in.kind = "piece_input";
	const char *hex = strchr(piece_id, '_');
	struct store_change ch[2] = {
		{ .op = STORE_UPDATE, .sc = sc, .obj = { .id = it->id, .updated_ms = o->now_ms },
		  .mutate = set_proof, .ctx = o },
		{ .op = STORE_UPDATE, .sc = in,
		  .obj = { .id = arena_strfmt(o->a, "inp_%s", hex ? hex + 1 : piece_id),
			   .updated_ms = o->now_ms },
		  .mutate = set_files, .ctx = o },
	};
	struct store_change_set set = { .changes = ch, .n = o->failed ? 1 : 2 };
	return store_apply_sync(env->store, &set, err) < 0 ? -1 : 0;
}

int render_proof(const struct render_env *env, const struct render_item *it,
		 struct api_error *err)
{
	struct arena *a = arena_new();
	struct proof_outcome o = { .a = a, .now_ms = clock_now_ms() };
	struct store_scope sc = { .account_id = it->account_id, .mode = it->mode,
				  .kind = RENDER_PROOF_KIND };
	char *json = NULL;
	int rc = -1;
	if (!a)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	int got = store_object_get(env->store, &sc, it->id, a, &json, err);
	json_t *proof = got == 0 ? arena_own_json(a, json_loads(json, 0, NULL)) : NULL;
	const json_t *piece = json_object_get(proof, "piece");
	const char *status = json_string_value(json_object_get(proof, "status"));
	const char *piece_id = json_string_value(json_object_get(piece, "id"));
	const char *type = json_string_value(json_object_get(proof, "resource_type"));
	if (got != 0 || !piece_id || !type || !status || strcmp(status, "processing") != 0) {
		arena_free(a);
		return got < 0 ? -1 : 0;	/* gone, or rendered already */
	}
	struct store_scope psc = { .account_id = it->account_id, .mode = it->mode, .kind = type };
	struct rendered_doc doc = { 0 };
	struct api_error why = { 0 };
	char imb[IMB_TRACKING_LEN + 1];
	if (imb_tracking("00", "270", env->mailer_id, 0, imb, err) < 0)
		goto out;
	int made = render_source_document(env, &psc, piece_id, piece, imb, a, &doc, &why);
	if (made < 0 && !render_customer_error(why.kind) && it->attempts + 1 < RENDER_MAX_ATTEMPTS) {
		*err = why;	/* transient: the queue retries */
		goto out;
	}
	if (made < 0) {
		o.failed = true;
		o.why = why;
		log_msg(LOG_INFO, "resource proof %s failed: %s (%s)", it->id, why.message,
			err_info(why.kind)->code);
	} else if (render_links(env, a, type, piece_id, &doc, &o.pdf_url, &o.thumbnails, &o.files,
				err) < 0) {
		goto out;
	}
	rc = commit(env, it, piece_id, &o, err);
out:
	arena_free(a);
	return rc;
}
