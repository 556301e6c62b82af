// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The campaign.send job: one piece per valid upload row, through the product's own create
 * path (letter_prepare and its siblings: the same rules, events and render jobs as POST
 * /v1/letters), in batches. Each batch is one transaction holding its pieces, each row's
 * piece_id (STORE_UPLOAD_ROW: only while still NULL) and a touch of the campaign (which fails
 * once the campaign is deleted), so a send killed at any point resumes with exactly the rows
 * left: one piece per row, never two. A row its piece's rules refuse (an address the
 * account's strictness refuses, a merge variable missing under strict merge variables) is
 * marked failed at the send with Lob's message, and the send goes on.
 *
 * The campaign.cancel job: after a campaign's deletion, cancels its pieces still inside their
 * window (as DELETE /v1/<pieces>/{id} would, with their events).
 */
#include "api/campaigns.h"
#include "api/creatives.h"
#include "api/pieces.h"
#include "api/products.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "events/event.h"
#include "http/app.h"
#include "jobs/jobs.h"
#include "store/campaign_store.h"
#include <stdio.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#define SEND_BATCH 200		/* rows per transaction */
#define SEND_BATCHES_PER_RUN 25	/* then the job yields (JOB_AGAIN) and is claimed again */
#define CANCEL_BATCH 200
#define SEND_LEASE_MS (10 * 60 * 1000)

/* a request as the pieces' create path expects it, for the job's account and mode */
static struct req *job_request(struct app *app, struct arena *a, const struct store_job *job,
			       const char *kind)
{
	struct req *rq = arena_calloc(a, sizeof(*rq));
	rq->arena = a;
	rq->app = app;
	rq->now_ms = clock_now_ms();
	snprintf(rq->key.account_id, sizeof(rq->key.account_id), "%s", job->account_id);
	rq->key.mode = job->mode;
	rq->scope = (struct store_scope){ .account_id = rq->key.account_id, .mode = job->mode,
					  .kind = kind };
	return rq;
}

static json_t *load(struct req *rq, const char *kind, const char *id)
{
	struct store_scope sc = rq->scope;
	struct api_error err;
	char *json;
	sc.kind = kind;
	if (!id || store_object_get(rq->app->store, &sc, id, rq->arena, &json, &err) != 0)
		return NULL;
	return arena_own_json(rq->arena, json_loads(json, 0, NULL));
}

/* what every piece of the campaign shares: the creative's design and the campaign's fields */
static json_t *base_body(struct req *rq, const json_t *cmp, const json_t *creative,
			 const char *send_date)
{
	json_t *body = arena_own_json(rq->arena, creative_design_body(creative, rq->app->data_dir));
	static const char *const shared[] = { "billing_group_id", "use_type", NULL };
	for (const char *const *f = shared; *f; f++) {
		const json_t *v = json_object_get(cmp, *f);
		if (v && !json_is_null(v))
			json_object_set(body, *f, (json_t *)v);
	}
	json_object_set_new(body, "send_date", json_string(send_date));
	/* the campaign's name as each piece's description, when it fits a piece's (255) */
	const json_t *name = json_object_get(cmp, "name");
	if (json_is_string(name) && utf8_chars(json_string_value(name)) <= 255)
		json_object_set(body, "description", (json_t *)name);
	return body;
}

/* the row's piece body: the shared body, its recipient and merge variables, the metadata of
 * the campaign with the row's over it */
static json_t *row_body(struct req *rq, const json_t *base, const json_t *cmp, const char *row)
{
	json_t *body = arena_own_json(rq->arena, json_deep_copy(base));
	json_t *piece = arena_own_json(rq->arena, json_loads(row, 0, NULL));
	json_t *meta = json_deep_copy(json_object_get(cmp, "metadata"));
	if (!json_is_object(meta)) {
		json_decref(meta);
		meta = json_object();
	}
	json_object_update(meta, json_object_get(piece, "metadata"));
	if (json_object_size(meta))
		json_object_set(body, "metadata", meta);
	json_decref(meta);
	json_object_set(body, "to", json_object_get(piece, "to"));
	const json_t *vars = json_object_get(piece, "merge_variables");
	if (json_is_object(vars))
		json_object_set(body, "merge_variables", (json_t *)vars);
	return body;
}

static int touch(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
		 struct api_error *err)
{
	(void)rq;
	(void)obj;
	(void)ctx;
	(void)out;
	(void)err;
	return 0;
}

struct batch {
	struct store_change *changes;
	size_t n, cap;
	size_t pieces, failed;
};

static void push(struct batch *b, const struct store_change *ch)
{
	if (b->n < b->cap)
		b->changes[b->n++] = *ch;
}

/* one row: its piece's changes and its STORE_UPLOAD_ROW, or the row marked failed */
static void add_row(struct req *rq, struct batch *b, const struct product *pr,
		    const json_t *base, const json_t *cmp, const char *cmp_id,
		    const char *upload_id, const struct store_upload_row *row)
{
	struct api_error err = { 0 };
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	struct store_change *all[PIECE_MAX_CHANGES + 3];
	struct store_change mark = { .op = STORE_UPLOAD_ROW, .sc = rq->scope,
				     .code = upload_id, .number = row->row_no };
	int n = -1;
	rq->body_json = row_body(rq, base, cmp, row->piece);
	if (pr->prepare(rq, p, &err) == 0) {
		json_object_set_new(p->obj, "campaign_id", json_string(cmp_id));
		n = piece_changes(p, all, &err);
	}
	if (n < 0) {
		json_t *errors = arena_own_json(rq->arena,
			json_pack("[{s:n,s:s,s:s}]", "column", "message", err.message, "code",
				  err_info(err.kind)->code));
		mark.obj.json = arena_dump_json(rq->arena, errors);
		b->failed++;
	} else {
		for (int i = 0; i < n; i++)
			push(b, all[i]);
		mark.obj.id = arena_strdup(rq->arena, p->id);
		b->pieces++;
	}
	push(b, &mark);
}

/* where a run's time went, for the log (and bench/campaigns) */
struct send_stats {
	size_t made;
	long long read_ms, build_ms, commit_wait_ms;	/* blocked on the batch before */
};

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * A batch committing on the store's writer while the job builds the next one: building
 * (the pieces' rules, address verification, JSON) and committing take about as long each,
 * so the two overlap. At most one batch is in flight; its arena lives until it committed.
 */
struct inflight {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool busy;
	int rc;
	struct arena *a;
	struct store_change_set set;
	struct api_error err;
	size_t pieces;
};

static void committed(void *ctx, int rc)
{
	struct inflight *f = ctx;
	pthread_mutex_lock(&f->lock);
	f->rc = rc;
	f->busy = false;
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

/* waits for the batch in flight: 0 committed (or none), 2 the campaign is gone, -1 *err */
static int settle(struct inflight *f, struct send_stats *stats, struct api_error *err)
{
	if (!f->a)
		return 0;
	long long t = mono_ms();
	pthread_mutex_lock(&f->lock);
	while (f->busy)
		pthread_cond_wait(&f->cond, &f->lock);
	pthread_mutex_unlock(&f->lock);
	stats->commit_wait_ms += mono_ms() - t;
	int rc = f->rc;
	if (rc == 0)
		stats->made += f->pieces;
	else if (rc < 0)
		*err = f->err;
	arena_free(f->a);
	f->a = NULL;
	return rc < 0 ? -1 : rc == 1 ? 2 : 0;
}

static int submit(struct app *app, struct inflight *f, struct arena *a, struct batch *b,
		  struct api_error *err)
{
	f->a = a;
	f->busy = true;
	f->rc = -1;
	f->pieces = b->pieces;
	f->set = (struct store_change_set){ .changes = b->changes, .n = b->n };
	struct store_done done = { committed, f };
	if (store_apply(app->store, &f->set, &f->err, &done) < 0) {
		*err = f->err;
		f->busy = false;
		f->a = NULL;
		return -1;
	}
	return 0;
}

/* builds the batch after row *after and hands it to the writer once the one before it
 * committed; 1 when no row was left, 0 after a batch, 2 the campaign is gone, -1 *err */
static int send_batch(struct app *app, const struct store_job *job, const json_t *payload,
		      long long *after, struct inflight *f, struct send_stats *stats,
		      struct api_error *err)
{
	long long t0 = mono_ms();
	struct arena *a = arena_new();
	if (!a)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	const char *upload_id = json_string_value(json_object_get(payload, "upload_id"));
	struct req *rq = job_request(app, a, job, "campaign");
	struct store_upload_row *rows;
	size_t n;
	json_t *cmp = load(rq, "campaign", job->ref);
	json_t *creative = load(rq, "creative",
				json_string_value(json_object_get(payload, "creative_id")));
	const struct product *pr = product_find(
		json_string_value(json_object_get(creative, "resource_type")));
	int rc = !cmp || !creative || !pr ? 2	/* deleted: nothing more to send */
		 : store_upload_rows_pending(app->store, upload_id, *after, SEND_BATCH, a, &rows,
					     &n, err) < 0 ? -1
		 : n == 0 ? 1 : 0;
	if (rc != 0) {
		arena_free(a);
		return rc;
	}
	long long t1 = mono_ms();
	stats->read_ms += t1 - t0;
	json_t *base = base_body(rq, cmp, creative,
				 json_string_value(json_object_get(payload, "send_date")));
	struct batch b = { .cap = 1 + n * (PIECE_MAX_CHANGES + 4) };
	b.changes = arena_calloc(a, sizeof(*b.changes) * b.cap);
	push(&b, campaign_change(rq, job->ref, touch, NULL));
	for (size_t i = 0; i < n; i++)
		add_row(rq, &b, pr, base, cmp, job->ref, upload_id, &rows[i]);
	stats->build_ms += mono_ms() - t1;
	rc = settle(f, stats, err);
	if (rc != 0) {
		arena_free(a);
		return rc;
	}
	*after = rows[n - 1].row_no;
	return submit(app, f, a, &b, err);
}

static void send_run(void *ctx, struct job_run *runs, size_t n)
{
	struct app *app = ctx;
	for (size_t i = 0; i < n; i++) {
		struct job_run *r = &runs[i];
		json_t *payload = json_loads(r->job->payload ? r->job->payload : "{}", 0, NULL);
		struct api_error err = { 0 };
		long long after = 0;
		struct send_stats st = { 0 };
		struct inflight f = { .lock = PTHREAD_MUTEX_INITIALIZER,
				      .cond = PTHREAD_COND_INITIALIZER };
		int rc = 0;
		for (unsigned k = 0; k < SEND_BATCHES_PER_RUN && rc == 0; k++) {
			if (atomic_load(r->stopping)) {
				rc = 3;
				break;
			}
			rc = send_batch(app, r->job, payload, &after, &f, &st, &err);
		}
		struct api_error last = { 0 };
		int last_rc = settle(&f, &st, &last);	/* the batch still in flight */
		if (last_rc != 0 && rc >= 0) {
			rc = last_rc;
			err = last;
		}
		json_decref(payload);
		if (rc < 0) {
			r->outcome = JOB_FAILED;
			snprintf(r->error, sizeof(r->error), "%s", err.message);
			log_msg(LOG_WARN, "campaign %s: send batch failed: %s", r->job->ref,
				err.message);
		} else if (rc == 0 || rc == 3) {
			/* more rows: claimed again at once (or at the next start) */
			r->outcome = rc == 3 ? JOB_RELEASED : JOB_AGAIN;
			r->again_ms = clock_now_ms();
		}
		log_msg(LOG_INFO, "campaign %s: %zu pieces created in this run (rows read %lld ms, "
			"pieces built %lld ms, waiting on commits %lld ms)%s", r->job->ref, st.made,
			st.read_ms, st.build_ms, st.commit_wait_ms,
			rc == 1 ? ", send complete" : rc == 2 ? ", campaign deleted" : "");
		pthread_mutex_destroy(&f.lock);
		pthread_cond_destroy(&f.cond);
	}
}

/* ---- cancel ---- */

struct cancel_ctx {
	long long now_ms;
	const char *kind;
	enum store_mode mode;
	struct arena *a;
};

static const char *cancel_mutate(const char *current, void *ctx, struct store_event *ev,
				 const char **metadata_json, struct api_error *err)
{
	(void)metadata_json;
	struct cancel_ctx *c = ctx;
	json_t *obj = arena_own_json(c->a, json_loads(current, 0, NULL));
	if (!obj || piece_cancel_check(obj, c->kind, c->now_ms, err) < 0)
		return NULL;
	const char *type = arena_strfmt(c->a, "%s.deleted", c->kind);
	char *evt = arena_alloc(c->a, 40);
	json_t *e = arena_own_json(c->a, event_new(type, c->mode, obj,
						    json_string_value(json_object_get(obj, "id")),
						    c->now_ms, evt));
	if (e)
		*ev = (struct store_event){ .id = evt, .type = type,
					    .json = arena_dump_json(c->a, e) };
	return arena_dump_json(c->a, obj);
}

/* cancels ids[0..n) in one transaction, or one by one when one of them cannot be (in the
 * mail, in a print run): those stay. How many were cancelled */
static size_t cancel_some(struct app *app, const struct store_job *job, char **ids,
			  char **kinds, size_t n, struct arena *a)
{
	struct store_change *ch = arena_calloc(a, sizeof(*ch) * n);
	long long now = clock_now_ms();
	for (size_t i = 0; i < n; i++) {
		struct cancel_ctx *c = arena_calloc(a, sizeof(*c));
		*c = (struct cancel_ctx){ now, kinds[i], job->mode, a };
		ch[i] = (struct store_change){
			.op = STORE_DELETE,
			.sc = { .account_id = job->account_id, .mode = job->mode, .kind = kinds[i] },
			.obj = { .id = ids[i], .updated_ms = now },
			.mutate = cancel_mutate, .ctx = c };
	}
	struct api_error err;
	struct store_change_set set = { .changes = ch, .n = n };
	if (store_apply_sync(app->store, &set, &err) == 0)
		return n;
	size_t done = 0;
	for (size_t i = 0; n > 1 && i < n; i++) {
		set = (struct store_change_set){ .changes = &ch[i], .n = 1 };
		done += store_apply_sync(app->store, &set, &err) == 0;
	}
	return done;
}

static void cancel_run(void *ctx, struct job_run *runs, size_t n)
{
	struct app *app = ctx;
	for (size_t i = 0; i < n; i++) {
		const struct store_job *job = runs[i].job;
		char after[40] = "";
		size_t got, cancelled = 0;
		do {
			struct arena *a = arena_new();
			char **ids, **kinds;
			struct api_error err;
			if (!a || store_campaign_pieces(app->store, job->account_id, job->mode,
							 job->ref, after, CANCEL_BATCH, a, &ids,
							 &kinds, &got, &err) < 0) {
				runs[i].outcome = JOB_FAILED;
				snprintf(runs[i].error, sizeof(runs[i].error), "campaign pieces");
				arena_free(a);
				return;
			}
			if (got) {
				cancelled += cancel_some(app, job, ids, kinds, got, a);
				snprintf(after, sizeof(after), "%s", ids[got - 1]);
			}
			arena_free(a);
		} while (got == CANCEL_BATCH);
		log_msg(LOG_INFO, "campaign %s deleted: %zu pieces cancelled", job->ref, cancelled);
	}
}

int campaign_jobs_register(struct jobs *j, struct app *app)
{
	int pool = jobs_add_pool(j, "campaigns", 1);
	if (pool < 0)
		return -1;
	struct job_kind send = {
		.name = JOB_CAMPAIGN_SEND, .pool = (unsigned)pool, .run = send_run, .ctx = app,
		.policy = { .backoff_base_ms = 1000, .backoff_cap_ms = 60000,
			    .lease_ms = SEND_LEASE_MS, .batch = 1 } };
	struct job_kind cancel = {
		.name = JOB_CAMPAIGN_CANCEL, .pool = (unsigned)pool, .run = cancel_run, .ctx = app,
		.policy = { .backoff_base_ms = 1000, .backoff_cap_ms = 60000,
			    .lease_ms = SEND_LEASE_MS, .batch = 1 } };
	return jobs_add_kind(j, &send) < 0 || jobs_add_kind(j, &cancel) < 0 ? -1 : 0;
}
