// SPDX-License-Identifier: AGPL-3.0-or-later
/* The creative.preview job kind (mail/creative_preview.h). */
#include "mail/creative_preview.h"
#include "barcode/imb.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "mail/render_source.h"
#include <stdio.h>
#include <string.h>

#define PREVIEW_MAX_ATTEMPTS 5

void creative_preview_job_change(struct store_change *ch, const struct store_scope *sc,
				 const char *creative_id, const char *piece_json, long long now_ms)
{
	*ch = (struct store_change){ .op = STORE_JOB, .sc = *sc,
				     .job = { .kind = JOB_CREATIVE_PREVIEW, .ref = creative_id,
					      .payload = piece_json, .due_ms = now_ms } };
}

struct preview_write {
	json_t *preview;
	struct arena *a;	/* the job's: its handler waits while the writer runs this */
};

/* on the writer: the creative with its preview */
static const char *set_preview(const char *current, void *ctx, struct store_event *ev,
			       const char **metadata_json, struct api_error *err)
{
	(void)ev;
	(void)metadata_json;
	struct preview_write *w = ctx;
	json_t *obj = arena_own_json(w->a, json_loads(current, 0, NULL));
	if (!obj) {
		api_fail(err, ERR_INTERNAL, "stored creative does not parse");
		return NULL;
	}
	json_object_set(obj, CREATIVE_PREVIEW, w->preview);
	return arena_dump_json(w->a, obj);
}

static void preview_one(const struct render_env *env, struct job_run *jr)
{
	struct arena *a = jr->arena;
	json_t *piece = arena_own_json(a, json_loads(jr->job->payload ? jr->job->payload : "", 0,
						     NULL));
	const char *kind = json_string_value(json_object_get(piece, "object"));
	struct store_scope sc = { .account_id = jr->job->account_id, .mode = jr->job->mode,
				  .kind = "creative" };
	char *json = NULL;
	struct api_error err = { .kind = ERR_NONE };
	int rc = store_object_get(env->store, &sc, jr->job->ref, a, &json, &err);
	if (rc == 1 || !kind)
		return;	/* gone, or a payload from nowhere: nothing to preview */
	if (rc < 0) {
		jr->outcome = JOB_FAILED;
		snprintf(jr->error, sizeof(jr->error), "%s", err.message);
		return;
	}
	struct rendered_doc doc = { 0 };
	struct store_scope psc = sc;
	psc.kind = kind;
	json_t *preview;
	/* a sample IMb (serial 0: never a piece's, nothing is tracked by it), so the preview
	 * shows the address block as the piece will carry it */
	char imb[IMB_TRACKING_LEN + 1];
	if (imb_tracking("00", "270", env->mailer_id, 0, imb, &err) < 0) {
		jr->outcome = JOB_FAILED;
		snprintf(jr->error, sizeof(jr->error), "%s", err.message);
		return;
	}
	if (render_source_document(env, &psc, jr->job->ref, piece, imb, a, &doc, &err) == 0) {
		json_t *pages = json_array();
		for (size_t p = 0; p < doc.n_thumb_pages; p++)
			json_array_append_new(pages, json_pack("[sss]", doc.thumb_keys[p][0],
							       doc.thumb_keys[p][1],
							       doc.thumb_keys[p][2]));
		preview = json_pack("{ss,so}", "pdf", doc.pdf_key, "pages", pages);
	} else if (err.kind == ERR_INTERNAL && jr->job->attempts < PREVIEW_MAX_ATTEMPTS) {
		jr->outcome = JOB_FAILED;	/* transient (the browser restarting): again */
		snprintf(jr->error, sizeof(jr->error), "%s", err.message);
		return;
	} else {
		log_msg(LOG_INFO, "creative %s: no preview: %s", jr->job->ref, err.message);
		preview = json_pack("{ss,ss}", "failure_reason", err_info(err.kind)->code,
				    "remediation", err.message);
	}
	long long now = clock_now_ms();
	struct preview_write w = { arena_own_json(a, preview), a };
	struct store_change ch[2] = { {
		.op = STORE_UPDATE, .sc = sc, .obj = { .id = jr->job->ref, .updated_ms = now },
		.mutate = set_preview, .ctx = &w } };
	job_settle_done(jr, &ch[1]);
	struct store_change_set set = { .changes = ch, .n = 2 };
	struct api_error e = { .kind = ERR_NONE };
	if (!preview || store_apply_sync(env->store, &set, &e) < 0) {
		jr->outcome = JOB_FAILED;
		snprintf(jr->error, sizeof(jr->error), "%s", preview ? e.message : "out of memory");
	} else {
		jr->outcome = JOB_SETTLED;
	}
}

static void preview_run(void *ctx, struct job_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		preview_one(ctx, &runs[i]);
}

int creative_preview_register(struct jobs *j, const struct render_env *env)
{
	int pool = jobs_add_pool(j, "previews", 1);
	if (pool < 0)
		return -1;
	struct job_kind k = {
		.name = JOB_CREATIVE_PREVIEW, .pool = (unsigned)pool, .run = preview_run,
		.ctx = (void *)env,
		.policy = { .max_attempts = PREVIEW_MAX_ATTEMPTS, .backoff_base_ms = 1000,
			    .backoff_cap_ms = 60000, .lease_ms = 10LL * 60 * 1000, .batch = 1 } };
	return jobs_add_kind(j, &k);
}
