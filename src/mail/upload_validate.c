// SPDX-License-Identifier: AGPL-3.0-or-later
/* The upload.validate job kind (mail/upload_validate.h). */
#include "mail/upload_validate.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "mail/upload_csv.h"
#include "mail/upload_export.h"
#include "mail/upload_map.h"
#include "store/assets.h"
#include "store/upload_store.h"
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VALIDATE_LEASE_MS (60LL * 60 * 1000)	/* a 1 GB file takes minutes, not an hour */

void upload_input_id(const char *upload_id, char out[40])
{
	const char *hex = strchr(upload_id, '_');
	snprintf(out, 40, "upli_%.30s", hex ? hex + 1 : upload_id);
}

void upload_validate_job_change(struct store_change *ch, const struct store_scope *sc,
				const char *upload_id, long long now_ms)
{
	*ch = (struct store_change){ .op = STORE_JOB, .sc = *sc,
				     .job = { .kind = JOB_UPLOAD_VALIDATE, .ref = upload_id,
					      .due_ms = now_ms } };
}

/* what the next batch writes into the upload object */
struct progress {
	const char *state;
	long long total, valid, failed;
	unsigned long long bytes;
	char *json;	/* the new object (malloc'd, freed by the caller) */
	bool is_done;
	const char *failures_file;	/* the end: the failures CSV's asset key, or NULL */
};

/* on the writer thread: the upload with the new state and counts */
static const char *apply_progress(const char *current, void *ctx)
{
	struct progress *p = ctx;
	json_t *o = json_loads(current, 0, NULL);
	if (!o)
		return NULL;
	char when[25];
	time_format_iso(clock_now_ms(), when);
	json_object_set_new(o, "state", json_string(p->state));
	json_object_set_new(o, "totalMailpieces", json_integer(p->total));
	json_object_set_new(o, "validatedMailpieces", json_integer(p->valid));
	json_object_set_new(o, "failedMailpieces", json_integer(p->failed));
	json_object_set_new(o, "bytesProcessed", json_integer((json_int_t)p->bytes));
	json_object_set_new(o, "dateModified", json_string(when));
	/* a validation's failures file is its own: a new one drops the last one's */
	if (p->failures_file)
		json_object_set_new(o, UPLOAD_FAILURES_FILE, json_string(p->failures_file));
	else
		json_object_del(o, UPLOAD_FAILURES_FILE);
	free(p->json);
	p->json = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return p->json;
}

/*
 * Rows go to the store in batches, two slots in turn: while the writer commits one slot's
 * batch, the reader maps rows into the other, so reading and writing overlap (the two
 * cores each do one). A slot is reused once its batch is committed.
 */
struct slot {
	struct upload_batch b;
	struct progress p;	/* the counts this batch writes */
	struct upload_row *rows;
	struct arena *arena;	/* the rows' strings */
	struct api_error err;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool busy;
	int rc;
};

struct run {
	const struct upload_jobs *u;
	const struct store_scope *sc;
	const char *upload_id;
	const json_t *upload;
	const atomic_bool *stopping;
	struct upload_map *map;
	struct arena *map_arena, *rows_arena;	/* rows_arena: the current slot's */
	struct upload_row *rows;		/* the current slot's */
	size_t n, cap;
	struct slot slots[2];
	int cur;
	bool first;		/* the next write clears the old rows */
	bool gone;		/* the upload was deleted meanwhile */
	struct progress p;
	unsigned long long size;	/* the file's */
	char msg[300];
	struct api_error err;
	int failed;		/* a store failure */
};

static void report(const struct run *r)
{
	if (!r->u->progress)
		return;
	struct upload_progress p = { .state = r->p.state, .total = r->p.total,
				     .valid = r->p.valid, .failed = r->p.failed,
				     .bytes = r->p.bytes, .size = r->size };
	r->u->progress(r->u->progress_ctx, &p);
}

static void slot_done(void *ctx, int rc)
{
	struct slot *sl = ctx;
	pthread_mutex_lock(&sl->lock);
	sl->rc = rc;
	sl->busy = false;
	pthread_cond_signal(&sl->cond);
	pthread_mutex_unlock(&sl->lock);
}

/* waits for the slot's batch; records a failure or a deleted upload; 0 or -1 */
static int slot_wait(struct run *r, struct slot *sl)
{
	pthread_mutex_lock(&sl->lock);
	while (sl->busy)
		pthread_cond_wait(&sl->cond, &sl->lock);
	pthread_mutex_unlock(&sl->lock);
	if (sl->rc < 0 && !r->failed) {
		r->failed = 1;
		r->err = sl->err;
	}
	if (sl->rc == 1)
		r->gone = true;
	sl->rc = 0;
	free(sl->p.json);
	sl->p.json = NULL;
	arena_free(sl->arena);
	sl->arena = arena_new();
	return r->failed || r->gone || !sl->arena ? -1 : 0;
}

static int slots_init(struct run *r)
{
	for (int i = 0; i < 2; i++) {
		struct slot *sl = &r->slots[i];
		pthread_mutex_init(&sl->lock, NULL);
		pthread_cond_init(&sl->cond, NULL);
		sl->arena = arena_new();
		sl->rows = malloc(r->cap * sizeof(*sl->rows));
		if (!sl->arena || !sl->rows)
			return -1;
	}
	r->rows = r->slots[0].rows;
	r->rows_arena = r->slots[0].arena;
	return 0;
}

static void slots_free(struct run *r)
{
	for (int i = 0; i < 2; i++) {
		struct slot *sl = &r->slots[i];
		if (sl->busy)
			slot_wait(r, sl);
		free(sl->p.json);
		free(sl->rows);
		arena_free(sl->arena);
		pthread_mutex_destroy(&sl->lock);
		pthread_cond_destroy(&sl->cond);
	}
}

/* queues the rows gathered with the counts, and takes the other slot; 0, or non-zero to
 * stop reading. wait: also wait until both are committed (the last batch). */
static int flush(struct run *r, bool wait)
{
	struct slot *sl = &r->slots[r->cur];
	sl->p = r->p;
	sl->p.json = NULL;
	sl->b = (struct upload_batch){ .sc = r->sc, .upload_id = r->upload_id, .clear = r->first,
				       .rows = sl->rows, .n = r->n, .update = apply_progress,
				       .ctx = &sl->p, .now_ms = clock_now_ms() };
	struct store_done done = { slot_done, sl };
	sl->busy = true;
	if (upload_rows_write_async(r->u->store, &sl->b, &sl->err, &done) < 0) {
		sl->busy = false;
		sl->rc = -1;
	}
	r->first = false;
	r->n = 0;
	r->cur ^= 1;
	struct slot *next = &r->slots[r->cur];
	int rc = slot_wait(r, next);
	r->rows = next->rows;
	r->rows_arena = next->arena;
	if (wait || rc < 0)
		rc = slot_wait(r, sl) < 0 ? -1 : rc;
	report(r);	/* the batch before this one is committed by now */
	return rc;
}

static void add_row(struct run *r, const struct upload_row *row)
{
	r->rows[r->n++] = *row;
	r->p.total++;
	if (row->valid)
		r->p.valid++;
	else
		r->p.failed++;
}

/* a message for the whole file, kept as a failed row so the report and export show it */
static void file_error(struct run *r, long long row_no, const char *msg)
{
	json_t *e = json_pack("[{s:s,s:s}]", "column", "", "message", msg);
	char *s = json_dumps(e, JSON_COMPACT);
	json_decref(e);
	struct upload_row row = { .row_no = row_no > 0 ? row_no : 1, .valid = false,
				  .errors = arena_strdup(r->rows_arena, s ? s : "[]") };
	free(s);
	r->rows[r->n++] = row;
	r->p.failed++;
	r->p.total++;
}

static int on_row(void *ctx, const struct ucsv_row *row)
{
	struct run *r = ctx;
	r->p.bytes = row->offset;
	if (!r->map) {	/* the header */
		r->map = upload_map_compile(r->upload, row, r->map_arena, r->msg, sizeof(r->msg));
		if (!r->map)
			return 2;
		r->map->av = r->u->av;
		r->map->test = r->sc->mode == MODE_TEST;
		return 0;
	}
	struct upload_row out;
	upload_map_row(r->map, row, r->rows_arena, &out);
	add_row(r, &out);
	if (r->n < r->cap)
		return 0;
	if (r->stopping && atomic_load(r->stopping))
		return 3;
	return flush(r, false) ? 4 : 0;
}

/*
 * The last batch, then the state: with failed rows, their CSV (failuresUrl) is written from
 * the committed rows between the two, so a client that sees Scheduled or Errored also sees
 * the failures file. A file that cannot be written leaves the upload without failuresUrl
 * (the report and the exports still have the rows). 0 or -1 (r->err).
 */
static int finish(struct run *r)
{
	const char *state = r->p.state;
	r->p.state = UPLOAD_VALIDATING;
	flush(r, true);
	r->p.state = state;
	if (r->failed || r->gone)
		return r->failed ? -1 : 0;
	char key[ASSET_KEY_MAX];
	struct api_error e = { .kind = ERR_NONE };
	if (r->p.failed > 0) {
		if (upload_export_write(r->u->store, r->u->data_dir, r->upload_id, "failures", key,
					&e) == 0)
			r->p.failures_file = key;
		else
			log_msg(LOG_WARN, "upload %s: no failures file: %s", r->upload_id, e.message);
	}
	struct upload_batch b = { .sc = r->sc, .upload_id = r->upload_id, .update = apply_progress,
				  .ctx = &r->p, .now_ms = clock_now_ms() };
	int rc = upload_rows_write(r->u->store, &b, &r->err);
	free(r->p.json);
	r->p.json = NULL;
	r->p.failures_file = NULL;
	if (rc < 0)
		r->failed = 1;
	report(r);
	return rc < 0 ? -1 : 0;
}

static int open_file(const struct run *r, int *fd, unsigned long long *size, char *msg,
		     size_t msglen)
{
	char id[40], path[PATH_MAX];
	char *json = NULL;
	struct arena *a = arena_new();
	struct store_scope sc = *r->sc;
	sc.kind = UPLOAD_INPUT_KIND;
	upload_input_id(r->upload_id, id);
	struct api_error err;
	int rc = a ? store_object_get(r->u->store, &sc, id, a, &json, &err) : -1;
	json_t *in = rc == 0 ? json_loads(json, 0, NULL) : NULL;
	const char *key = json_string_value(json_object_get(in, "file"));
	*fd = -1;
	if (key && assets_path(r->u->data_dir, key, path, sizeof(path)) == 0)
		*fd = open(path, O_RDONLY | O_CLOEXEC);
	*size = (unsigned long long)json_integer_value(json_object_get(in, "bytes"));
	json_decref(in);
	arena_free(a);
	if (*fd >= 0)
		return 0;
	snprintf(msg, msglen, "the upload's file is missing: upload it again");
	return -1;
}

int upload_validate_run(const struct upload_jobs *u, const struct store_scope *sc,
			const char *upload_id, const atomic_bool *stopping, struct api_error *err)
{
	long long started_ms = clock_mono_ms();
	struct run r = { .u = u, .sc = sc, .upload_id = upload_id, .stopping = stopping,
			 .first = true, .cap = u->batch_rows ? u->batch_rows : UPLOAD_BATCH_ROWS };
	struct store_scope usc = *sc;
	usc.kind = UPLOAD_KIND;
	r.sc = &usc;
	char *json = NULL;
	struct arena *a = arena_new();
	int rc = a ? store_object_get(u->store, &usc, upload_id, a, &json, err) : -1;
	json_t *upload = rc == 0 ? json_loads(json, 0, NULL) : NULL;
	arena_free(a);
	const char *state = json_string_value(json_object_get(upload, "state"));
	if (rc != 0 || !state ||
	    (strcmp(state, UPLOAD_READY) != 0 && strcmp(state, UPLOAD_VALIDATING) != 0)) {
		json_decref(upload);
		return rc < 0 ? -1 : 0;	/* gone, or nothing to validate (a stale job) */
	}
	r.upload = upload;
	r.map_arena = arena_new();
	r.p.state = UPLOAD_VALIDATING;
	int fd = -1;
	unsigned long long size = 0;
	long long bad_row = 0;
	int read_rc;
	if (!r.map_arena || slots_init(&r) < 0) {
		read_rc = -2;
	} else if (open_file(&r, &fd, &size, r.msg, sizeof(r.msg)) < 0) {
		read_rc = -1;
	} else {
		r.size = size;
		read_rc = flush(&r, true) ? -3 /* Validating, the old rows cleared */
					  : ucsv_read(fd, on_row, &r, r.msg, sizeof(r.msg), &bad_row);
	}
	if (fd >= 0)
		close(fd);
	int out = 0;
	if (read_rc == -2 || r.failed) {
		if (!r.failed)
			api_fail(err, ERR_INTERNAL, "out of memory");
		else
			*err = r.err;
		out = -1;
	} else if (read_rc == 3) {
		out = 1;	/* stopping: the next run starts over */
	} else if (!r.gone && read_rc != -3 && read_rc != 4) {
		/* the end: Scheduled, or Errored with the reason as a row */
		r.p.state = UPLOAD_SCHEDULED;
		if (read_rc == 0 && !r.map) {
			snprintf(r.msg, sizeof(r.msg), "the file is empty");
			read_rc = 2;
		} else if (read_rc == 0 && r.p.total == 0) {
			snprintf(r.msg, sizeof(r.msg), "the file has a header but no rows");
			read_rc = 2;
		}
		if (read_rc != 0) {
			r.p.state = UPLOAD_ERRORED;
			file_error(&r, read_rc == 2 ? 1 : bad_row, r.msg);
		}
		r.p.bytes = read_rc == 0 ? size : r.p.bytes;
		if (finish(&r) < 0) {
			*err = r.err;
			out = -1;
		}
		log_msg(LOG_INFO, "upload %s validated: %s, %lld rows, %lld valid, %lld failed, "
			"%lld ms", upload_id, r.p.state, r.p.total, r.p.valid, r.p.failed,
			clock_mono_ms() - started_ms);
	}
	slots_free(&r);
	arena_free(r.map_arena);
	json_decref(upload);
	return out;
}

static void validate_run(void *ctx, struct job_run *runs, size_t n)
{
	const struct upload_jobs *u = ctx;
	for (size_t i = 0; i < n; i++) {
		struct job_run *jr = &runs[i];
		struct store_scope sc = { .account_id = jr->job->account_id, .mode = jr->job->mode,
					  .kind = UPLOAD_KIND };
		struct api_error err = { .kind = ERR_NONE };
		int rc = upload_validate_run(u, &sc, jr->job->ref, jr->stopping, &err);
		if (rc == 1) {
			jr->outcome = JOB_RELEASED;
		} else if (rc < 0) {
			jr->outcome = JOB_FAILED;
			snprintf(jr->error, sizeof(jr->error), "%s",
				 err.message[0] ? err.message : "store failure");
		}
	}
}

int upload_jobs_register(struct jobs *j, struct upload_jobs *u)
{
	int pool = jobs_add_pool(j, "uploads", 1);
	if (pool < 0)
		return -1;
	struct job_kind k = {
		.name = JOB_UPLOAD_VALIDATE, .pool = (unsigned)pool, .run = validate_run, .ctx = u,
		.policy = { .max_attempts = 5, .backoff_base_ms = 1000, .backoff_cap_ms = 60000,
			    .lease_ms = VALIDATE_LEASE_MS, .batch = 1 } };
	return jobs_add_kind(j, &k) < 0 ? -1 : upload_export_register(j, (unsigned)pool, u);
}
