// SPDX-License-Identifier: AGPL-3.0-or-later
/* Rendering one mail piece (see render_piece.h): sources → PDF → stamp → thumbnails → store. */
#include "mail/render_piece.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/mail_product.h"
#include "core/timeutil.h"
#include "events/catalogue.h"
#include "events/event.h"
#include "sign/asset_urls.h"
#include "mail/postal_identity.h"
#include "mail/render_source.h"
#include "mail/insert_stock.h"
#include "barcode/imb.h"
#include "store/assets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


bool render_customer_error(enum err_kind k)
{
	switch (k) {
	case ERR_INVALID:
	case ERR_INVALID_FILE:
	case ERR_INVALID_FILE_DIMENSIONS:
	case ERR_INCONSISTENT_PAGE_DIMENSIONS:
	case ERR_FILE_PAGES_BELOW_MIN:
	case ERR_FILE_PAGES_EXCEED_MAX:
	case ERR_FILE_SIZE_EXCEEDS_LIMIT:
	case ERR_INVALID_FILE_URL:
	case ERR_INVALID_FILE_DOWNLOAD_TIME:
	case ERR_INVALID_IMAGE_DPI:
	case ERR_PDF_ENCRYPTED:
	case ERR_UNEMBEDDED_FONTS:
	case ERR_INVALID_TEMPLATE_HTML:
	case ERR_MERGE_VARIABLE_REQUIRED:
		return true;
	default:
		return false;
	}
}

/* what a finished render writes into the piece */
struct outcome {
	struct arena *a;
	const char *kind;
	bool failed;
	struct api_error why;		/* failed: Lob's code and message */
	const char *pdf_url;
	json_t *thumbnails;		/* [{small, medium, large}] per page */
	json_t *files;			/* {"ltr_….pdf": asset key, …} */
	const struct render_notes *notes;	/* remote files it could not use */
	long long now_ms;
	const char *card_id;		/* failed: the card the letter took (mail/insert_stock.h) */
	bool marked_failed;		/* set_rendered_pdf failed the piece in this transaction */
};

static const char *set_rendered_pdf(const char *current, void *ctx, struct store_event *ev,
				    const char **metadata_json, struct api_error *err);
static const char *record_assets(const char *current, void *ctx, struct store_event *ev,
				 const char **metadata_json, struct api_error *err);

/* the piece's event for `what`, if Lob has that type (and it applies in this mode) */
static void piece_event(struct outcome *o, const struct store_change *ch, const json_t *obj,
			const char *what, struct store_event *ev)
{
	const char *type = arena_strfmt(o->a, "%s.%s", o->kind, what);
	char *id = arena_alloc(o->a, 40);
	if (!event_type_find(type))
		return;
	json_t *e = arena_own_json(o->a, event_new(type, ch->sc.mode, obj, ch->obj.id, o->now_ms, id));
	if (e)
		*ev = (struct store_event){ .id = id, .type = type, .json = arena_dump_json(o->a, e) };
}

/* on the writer: the stored piece → rendered (url) or failed, with its event */
static const char *set_rendered_pdf(const char *current, void *ctx, struct store_event *ev,
				    const char **metadata_json, struct api_error *err)
{
	(void)metadata_json;
	const struct store_change *ch = ((void **)ctx)[0];
	struct outcome *o = ((void **)ctx)[1];
	json_t *obj = arena_own_json(o->a, json_loads(current, 0, NULL));
	char when[25];
	if (!obj) {
		api_fail(err, ERR_INTERNAL, "stored piece does not parse");
		return NULL;
	}
	/* canceled meanwhile, or rendered by another worker: leave it */
	const char *status = json_string_value(json_object_get(obj, "status"));
	if (json_is_true(json_object_get(obj, "deleted")) || !status || strcmp(status, "processed") != 0)
		return arena_dump_json(o->a, obj);
	time_format_iso(o->now_ms, when);
	json_object_set_new(obj, "date_modified", json_string(when));
	if (o->failed) {
		o->marked_failed = true;
		json_object_set_new(obj, "status", json_string("failed"));
		json_object_set_new(obj, "failure_reason",
				    json_pack("{ssss}", "failure_reason", err_info(o->why.kind)->code,
					      "remediation", o->why.message));
		piece_event(o, ch, obj, "failed", ev);
	} else {
		json_object_set_new(obj, "status", json_string("rendered"));
		json_object_set_new(obj, "url", json_string(o->pdf_url));
		piece_event(o, ch, obj, "rendered_pdf", ev);
	}
	return arena_dump_json(o->a, obj);
}

/* second change of a success: the thumbnails, with their own event */
static const char *set_thumbnails(const char *current, void *ctx, struct store_event *ev,
				  const char **metadata_json, struct api_error *err)
{
	(void)metadata_json;
	const struct store_change *ch = ((void **)ctx)[0];
	struct outcome *o = ((void **)ctx)[1];
	json_t *obj = arena_own_json(o->a, json_loads(current, 0, NULL));
	if (!obj) {
		api_fail(err, ERR_INTERNAL, "stored piece does not parse");
		return NULL;
	}
	const char *status = json_string_value(json_object_get(obj, "status"));
	if (status && strcmp(status, "rendered") == 0 && !json_object_get(obj, "deleted")) {
		json_object_set(obj, "thumbnails", o->thumbnails);
		piece_event(o, ch, obj, "rendered_thumbnails", ev);
	}
	return arena_dump_json(o->a, obj);
}

/*
 * A failed letter is never printed: the card it took at create goes back to the card's stock,
 * in the transaction that fails it (only if this one does: a letter canceled meanwhile gave
 * it back already, api/insert_letters.c)
 */
static const char *return_card(const char *current, void *ctx, struct store_event *ev,
			       const char **metadata_json, struct api_error *err)
{
	(void)ev;
	(void)metadata_json;
	struct outcome *o = ((void **)ctx)[1];
	if (!o->marked_failed)
		return arena_strdup(o->a, current);
	json_t *card = arena_own_json(o->a, json_loads(current, 0, NULL));
	if (!card) {
		api_fail(err, ERR_INTERNAL, "stored card does not parse");
		return NULL;
	}
	insert_stock_return(card, &insert_stock_card);
	return arena_dump_json(o->a, card);
}

static int commit(const struct render_env *env, const struct render_item *it, struct outcome *o,
		  const char *imb_code, struct api_error *err)
{
	struct store_change ch[5];
	void *ctx[5][2];
	size_t n = 0;
	struct store_scope sc = { .account_id = it->account_id, .mode = it->mode, .kind = it->kind };
	memset(ch, 0, sizeof(ch));
	ch[n] = (struct store_change){ .op = STORE_UPDATE, .sc = sc,
				       .obj = { .id = it->id, .updated_ms = o->now_ms },
				       .mutate = set_rendered_pdf, .ctx = ctx[n] };
	ctx[n][0] = &ch[n];
	ctx[n][1] = o;
	n++;
	if (!o->failed) {
		ch[n] = (struct store_change){ .op = STORE_UPDATE, .sc = sc,
					       .obj = { .id = it->id, .updated_ms = o->now_ms },
					       .mutate = set_thumbnails, .ctx = ctx[n] };
		ctx[n][0] = &ch[n];
		ctx[n][1] = o;
		n++;
	}
	/* the render input keeps the files (rendered) and what was missing (either way) */
	if (!o->failed || (o->notes && o->notes->missing)) {
		const char *hex = strchr(it->id, '_');
		struct store_scope in = sc;
		in.kind = "piece_input";
		ch[n] = (struct store_change){ .op = STORE_UPDATE, .sc = in,
					       .obj = { .id = arena_strfmt(o->a, "inp_%s", hex ? hex + 1 : it->id),
							.updated_ms = o->now_ms },
					       .mutate = record_assets, .ctx = ctx[n] };
		ctx[n][0] = &ch[n];
		ctx[n][1] = o;
		n++;
	}
	if (o->failed && o->card_id) {
		struct store_scope card = sc;
		card.kind = "card";
		ch[n] = (struct store_change){ .op = STORE_UPDATE, .sc = card,
					       .obj = { .id = o->card_id, .updated_ms = o->now_ms },
					       .mutate = return_card, .ctx = ctx[n] };
		ctx[n][0] = &ch[n];
		ctx[n][1] = o;
		n++;
	}
	if (imb_code) {
		ch[n] = (struct store_change){ .op = STORE_TRACKING_CODE, .sc = sc,
					       .obj = { .id = it->id }, .code = imb_code };
		n++;
	}
	struct store_change_set set = { .changes = ch, .n = n };
	int rc = store_apply_sync(env->store, &set, err);
	return rc < 0 ? -1 : 0;	/* 1: the piece is gone (canceled and purged): nothing to do */
}

/* a signed link for a piece file ("ltr_….pdf", "ltr_…_thumb_small_1.png") */
static const char *link(const struct render_env *env, struct arena *a, const char *kind,
			const char *file, struct api_error *err)
{
	char url[1024];
	const struct mail_product *mp = mail_product_find(kind);
	/* inserts (api/inserts.c) are no mail product: their own directories */
	const char *dir = mp ? mp->files_dir : strcmp(kind, "card") == 0 ? "cards"
					 : strcmp(kind, "buckslip") == 0 ? "buckslips" : "letters";
	const char *path = arena_strfmt(a, "%s/%s", dir, file);
	if (piece_file_url(env->data_dir, env->public_url, path, 0, url, sizeof(url), err) < 0)
		return NULL;
	return arena_strdup(a, url);
}

/* the render input keeps which asset each piece file is (the links name the piece) */
static const char *record_assets(const char *current, void *ctx, struct store_event *ev,
				 const char **metadata_json, struct api_error *err)
{
	(void)ev;
	(void)metadata_json;
	struct outcome *o = ((void **)ctx)[1];
	json_t *in = arena_own_json(o->a, json_loads(current, 0, NULL));
	if (!in) {
		api_fail(err, ERR_INTERNAL, "stored render input does not parse");
		return NULL;
	}
	if (o->files)
		json_object_set(in, "files", o->files);
	json_object_del(in, "render_notes");
	if (o->notes && o->notes->missing) {
		json_t *notes = json_array();
		for (unsigned i = 0; i < o->notes->n; i++)
			json_array_append_new(notes, json_string(o->notes->note[i]));
		json_object_set_new(in, "render_notes", json_pack("{sIso}", "missing_files",
								  (json_int_t)o->notes->missing,
								  "first", notes));
	}
	return arena_dump_json(o->a, in);
}

/*
 * The IMb tracking code for a piece: barcode ID 00, STID 270 (First-Class Mail, Full-Service,
 * IV MTR) or 271 (USPS Marketing Mail, the same services), the Mailer ID, and a serial from a
 * never-repeating sequence, wrapped to the serial's digits (mail/postal_identity.h). A code a
 * live piece still holds inside USPS's 45 days is never reused: the render fails instead.
 * International pieces get none (code ""): the IMb is a domestic barcode.
 */
static int imb_code(const struct render_env *env, const json_t *piece, struct arena *a,
		    char code[IMB_TRACKING_LEN + 1], struct api_error *err)
{
	const char *mt = json_string_value(json_object_get(piece, "mail_type"));
	const char *stid = mt && strcmp(mt, "usps_standard") == 0 ? "271" : "270";
	long long serial;
	code[0] = '\0';
	/* no `to`: an insert (card, buckslip), which is never mailed alone */
	if (!json_object_get(piece, "to") || !postal_address_domestic(json_object_get(piece, "to")))
		return 0;
	char *seq = arena_strfmt(a, "imb:%s", env->mailer_id);
	if (store_sequence_next_block(env->store, seq, 1, 100, &serial, err) < 0 ||
	    imb_tracking("00", stid, env->mailer_id,
			 (uint64_t)postal_imb_serial(env->mailer_id, serial), code, err) < 0)
		return -1;
	if (postal_imb_code_free(env->store, code, clock_now_ms(), err) < 0) {
		log_msg(LOG_WARN, "%s", err->message);
		return -1;
	}
	return 0;
}

int render_links(const struct render_env *env, struct arena *a, const char *kind,
		 const char *id, const struct rendered_doc *doc, const char **pdf_url,
		 json_t **thumbnails, json_t **files, struct api_error *err)
{
	const char *pdf_file = arena_strfmt(a, "%s.pdf", id);
	static const char *const sizes[3] = { "small", "medium", "large" };
	*files = arena_own_json(a, json_pack("{ss}", pdf_file, doc->pdf_key));
	*thumbnails = arena_own_json(a, json_array());
	*pdf_url = link(env, a, kind, pdf_file, err);
	for (size_t p = 0; *pdf_url && p < doc->n_thumb_pages; p++) {
		json_t *t = json_object();
		for (int k = 0; k < 3; k++) {
			const char *f = arena_strfmt(a, "%s_thumb_%s_%zu.png", id, sizes[k], p + 1);
			const char *url = link(env, a, kind, f, err);
			if (!url) {
				json_decref(t);
				return -1;
			}
			json_object_set_new(t, sizes[k], json_string(url));
			json_object_set_new(*files, f, json_string(doc->thumb_keys[p][k]));
		}
		json_array_append_new(*thumbnails, t);
	}
	return *pdf_url ? 0 : -1;
}

void render_prepare(void *env, const struct render_item *items, size_t n)
{
	render_source_prepare(env, items, n);
}

int render_piece(void *envp, const struct render_item *it, struct api_error *err)
{
	const struct render_env *env = envp;
	if (strcmp(it->kind, RENDER_PROOF_KIND) == 0)	/* a resource proof: mail/render_proof.c */
		return render_proof(env, it, err);
	struct arena *a = arena_new();
	struct outcome o = { .a = a, .kind = it->kind, .now_ms = clock_now_ms() };
	struct store_scope sc = { .account_id = it->account_id, .mode = it->mode, .kind = it->kind };
	char *json = NULL, imb[IMB_TRACKING_LEN + 1] = "";
	int rc = -1;
	if (!a)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	int got = store_object_get(env->store, &sc, it->id, a, &json, err);
	if (got != 0) {
		arena_free(a);
		return got > 0 ? 0 : -1;	/* canceled: nothing to render */
	}
	json_t *piece = arena_own_json(a, json_loads(json, 0, NULL));
	const char *status = json_string_value(json_object_get(piece, "status"));
	if (!piece || !status || strcmp(status, "processed") != 0) {
		arena_free(a);
		return 0;
	}
	struct rendered_doc doc = { 0 };
	struct api_error why = { 0 };
	if (imb_code(env, piece, a, imb, &why) < 0) {
		*err = why;
		goto out;
	}
	int made = render_source_document(env, &sc, it->id, piece, imb, a, &doc, &why);
	o.notes = &doc.notes;
	if (made < 0 && !render_customer_error(why.kind) && it->attempts + 1 < RENDER_MAX_ATTEMPTS) {
		*err = why;	/* transient: the queue retries */
		goto out;
	}
	if (made < 0) {
		o.failed = true;
		o.why = why;
		o.card_id = json_string_value(
			json_object_get(json_array_get(json_object_get(piece, "cards"), 0), "id"));
		log_msg(LOG_INFO, "render %s failed: %s (%s)", it->id, why.message,
			err_info(why.kind)->code);
	} else {
		if (render_links(env, a, it->kind, it->id, &doc, &o.pdf_url, &o.thumbnails, &o.files,
				 err) < 0)
			goto out;
	}
	rc = commit(env, it, &o, made < 0 || !imb[0] ? NULL : imb, err);
out:
	arena_free(a);
	return rc;
}
