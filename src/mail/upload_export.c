// SPDX-License-Identifier: AGPL-3.0-or-later
/* Upload rows as CSV files, and the upload.export job kind (mail/upload_export.h). */
#include "mail/upload_export.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "mail/upload_validate.h"
#include "store/upload_store.h"
#include <csv.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT_MAX_ATTEMPTS 5

struct export_writer {
	FILE *f;
	EVP_MD_CTX *md;
	bool failed;
};

static void put_line(struct export_writer *w, const char *const *fields, size_t n)
{
	char buf[2048];
	for (size_t i = 0; i < n && !w->failed; i++) {
		const char *v = fields[i] ? fields[i] : "";
		size_t len = strlen(v), need = 2 * len + 2;
		char *q = need + 1 <= sizeof(buf) ? buf : malloc(need + 1);
		if (!q) {
			w->failed = true;
			return;
		}
		/* quoted only when it must be, as spreadsheets write */
		size_t out = len;
		if (strpbrk(v, ",\"\r\n"))
			out = csv_write(q, need, v, len);
		else
			memcpy(q, v, len);
		q[out] = i + 1 < n ? ',' : '\n';
		if (fwrite(q, 1, out + 1, w->f) != out + 1 ||
		    EVP_DigestUpdate(w->md, q, out + 1) != 1)
			w->failed = true;
		if (q != buf)
			free(q);
	}
}

static int export_row(void *ctx, const struct upload_row *r, struct api_error *err)
{
	struct export_writer *w = ctx;
	char row[24];
	(void)err;
	snprintf(row, sizeof(row), "%lld", r->row_no);
	if (r->valid) {
		const char *f[] = { row, "Validated", "", "", r->piece_id };
		put_line(w, f, 5);
		return w->failed ? -1 : 0;
	}
	json_t *errors = r->errors ? json_loads(r->errors, 0, NULL) : NULL;
	size_t i;
	const json_t *e;
	json_array_foreach(errors, i, e) {
		const char *f[] = { row, "Failed", json_string_value(json_object_get(e, "column")),
				    json_string_value(json_object_get(e, "message")), "" };
		put_line(w, f, 5);
	}
	json_decref(errors);
	return w->failed ? -1 : 0;
}

int upload_export_write(struct store *s, const char *data_dir, const char *upload_id,
			const char *type, char key_out[ASSET_KEY_MAX], struct api_error *err)
{
	char path[PATH_MAX], hex[65];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	snprintf(path, sizeof(path), "%s/assets/.tmp-export-XXXXXX", data_dir);
	int fd = mkostemp(path, O_CLOEXEC);
	struct export_writer w = { .f = fd >= 0 ? fdopen(fd, "w") : NULL, .md = EVP_MD_CTX_new() };
	if (!w.f || !w.md || EVP_DigestInit_ex(w.md, EVP_sha256(), NULL) != 1) {
		if (fd >= 0)
			unlink(path);
		if (w.f)
			fclose(w.f);
		else if (fd >= 0)
			close(fd);
		EVP_MD_CTX_free(w.md);
		return api_fail(err, ERR_INTERNAL, "could not write the export");
	}
	static const char *const header[] = { "row_number", "status", "column", "message",
					      "mailpiece_id" };
	put_line(&w, header, 5);
	enum upload_rows_filter f = strcmp(type, "failures") == 0 ? UPLOAD_ROWS_FAILED
				    : strcmp(type, "successes") == 0 ? UPLOAD_ROWS_VALID
								     : UPLOAD_ROWS_ALL;
	int rc = upload_rows_each(s, upload_id, f, export_row, &w, err);
	bool ok = rc == 0 && !w.failed && fflush(w.f) == 0 && fsync(fileno(w.f)) == 0 &&
		  EVP_DigestFinal_ex(w.md, md, &mdlen) == 1;
	fclose(w.f);
	EVP_MD_CTX_free(w.md);
	for (unsigned i = 0; ok && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	if (!ok || assets_adopt(data_dir, path, hex, "csv", key_out, err) < 0) {
		unlink(path);
		return rc < 0 || ok ? -1 : api_fail(err, ERR_INTERNAL, "could not write the export");
	}
	return 0;
}

void upload_export_job_change(struct store_change *ch, const struct store_scope *sc,
			      const char *export_id, long long now_ms)
{
	*ch = (struct store_change){ .op = STORE_JOB, .sc = *sc,
				     .job = { .kind = JOB_UPLOAD_EXPORT, .ref = export_id,
					      .due_ms = now_ms } };
}

/* one export: its file written, then the export succeeded (or failed, on the last attempt)
 * together with the job settled */
static void export_one(const struct upload_jobs *u, struct job_run *jr)
{
	struct store_scope sc = { .account_id = jr->job->account_id, .mode = jr->job->mode,
				  .kind = UPLOAD_EXPORT_KIND };
	struct api_error err = { .kind = ERR_NONE };
	char *json = NULL;
	int rc = store_object_get(u->store, &sc, jr->job->ref, jr->arena, &json, &err);
	json_t *ex = rc == 0 ? json_loads(json, 0, NULL) : NULL;
	const char *state = json_string_value(json_object_get(ex, "state"));
	if (rc == 1 || (rc == 0 && (!state || strcmp(state, EXPORT_IN_PROGRESS) != 0))) {
		json_decref(ex);	/* gone, or done by an earlier run */
		return;
	}
	char key[ASSET_KEY_MAX];
	const char *upload = json_string_value(json_object_get(ex, "uploadId"));
	const char *type = json_string_value(json_object_get(ex, "type"));
	if (rc < 0 || !ex || !upload || !type ||
	    upload_export_write(u->store, u->data_dir, upload, type, key, &err) < 0) {
		bool last = jr->job->attempts >= EXPORT_MAX_ATTEMPTS;
		log_msg(LOG_WARN, "upload export %s: %s%s", jr->job->ref,
			err.message[0] ? err.message : "unreadable export",
			last ? " (given up: the export failed)" : "");
		if (!last || !ex) {
			jr->outcome = JOB_FAILED;
			snprintf(jr->error, sizeof(jr->error), "%s",
				 err.message[0] ? err.message : "unreadable export");
			json_decref(ex);
			return;
		}
		json_object_set_new(ex, "state", json_string(EXPORT_FAILED));
	} else {
		json_object_set_new(ex, "state", json_string(EXPORT_SUCCEEDED));
		json_object_set_new(ex, "file", json_string(key));
	}
	char when[25];
	long long now = clock_now_ms();
	time_format_iso(now, when);
	json_object_set_new(ex, "dateModified", json_string(when));
	char *text = json_dumps(ex, JSON_COMPACT);
	json_decref(ex);
	struct store_change ch[2] = { {
		.op = STORE_UPDATE, .sc = sc, .obj = { .id = jr->job->ref, .updated_ms = now },
		.mutate = store_mutate_replace, .ctx = text } };
	job_settle_done(jr, &ch[1]);
	struct store_change_set set = { .changes = ch, .n = 2 };
	if (!text || store_apply_sync(u->store, &set, &err) < 0) {
		jr->outcome = JOB_FAILED;
		snprintf(jr->error, sizeof(jr->error), "%s",
			 err.message[0] ? err.message : "out of memory");
	} else {
		jr->outcome = JOB_SETTLED;
	}
	free(text);
}

static void export_run(void *ctx, struct job_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		export_one(ctx, &runs[i]);
}

int upload_export_register(struct jobs *j, unsigned pool, const struct upload_jobs *u)
{
	struct job_kind k = {
		.name = JOB_UPLOAD_EXPORT, .pool = pool, .run = export_run, .ctx = (void *)u,
		.policy = { .max_attempts = EXPORT_MAX_ATTEMPTS, .backoff_base_ms = 1000,
			    .backoff_cap_ms = 60000, .lease_ms = 30LL * 60 * 1000, .batch = 1 } };
	return jobs_add_kind(j, &k);
}
