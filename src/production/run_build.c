// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Building a run's files (job kind print_run.build, enqueued in the cut's transaction): per
 * lot the print files (printfile_write_lot), then the manifests (manifest_write_run), into a
 * temporary directory that is renamed to DATA/print_runs/<run id>/ only when every file is
 * written — a run is `ready` with all its files or `failed` naming why (a missing proof
 * names its piece), never half built. With --print-dir the finished directory is copied
 * into the hot folder the same way (temporary directory, then rename).
 */
#include "production/runs.h"
#include "core/log.h"
#include "core/mail_product.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "jobs/jobs.h"
#include "production/manifest.h"
#include "production/printfile.h"
#include "store/production_store.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* removes dir and the files in it (a run directory holds files only) */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

static int copy_file(const char *from, const char *to, struct api_error *err)
{
	int in = open(from, O_RDONLY), out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char buf[1 << 16];
	ssize_t r = 0;
	while (out >= 0 && (r = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)r) != r) {
			r = -1;
			break;
		}
	int rc = in < 0 || out < 0 || r < 0 || fsync(out) < 0 ? -1 : 0;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0)
		rc = -1;
	return rc < 0 ? api_fail(err, ERR_INTERNAL, "cannot copy %s to %s", from, to) : 0;
}

/* the finished run directory into the hot folder: a temporary directory, then a rename */
static int hot_folder(const char *print_dir, const char *run_id, const char *from,
		      struct api_error *err)
{
	char tmp[1024], final[1024], src[1400], dst[1400];
	snprintf(tmp, sizeof(tmp), "%s/.%s.partial", print_dir, run_id);
	snprintf(final, sizeof(final), "%s/%s", print_dir, run_id);
	remove_dir(tmp);
	if (mkdir(tmp, 0755) < 0)
		return api_fail(err, ERR_INTERNAL, "cannot create %s in --print-dir", tmp);
	DIR *d = opendir(from);
	struct dirent *e;
	int rc = d ? 0 : api_fail(err, ERR_INTERNAL, "cannot read %s", from);
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(src, sizeof(src), "%s/%s", from, e->d_name);
		snprintf(dst, sizeof(dst), "%s/%s", tmp, e->d_name);
		rc = copy_file(src, dst, err);
	}
	if (d)
		closedir(d);
	remove_dir(final);	/* a copy from a build that crashed before it was recorded */
	if (rc == 0 && (fsync_dir(tmp) < 0 || rename(tmp, final) < 0 || fsync_dir(print_dir) < 0))
		rc = api_fail(err, ERR_INTERNAL, "cannot move %s into place in --print-dir", final);
	if (rc < 0)
		remove_dir(tmp);
	return rc;
}

/* the piece a build error names (its id in the message), or NULL */
static json_t *piece_named(const char *message)
{
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *mp = mail_product_at(i);
		const char *p = mp->print_runs ? strstr(message, mp->id_prefix) : NULL;
		if (p) {
			size_t n = strlen(mp->id_prefix);
			n += strspn(p + n, "0123456789abcdef");
			return json_stringn(p, n);
		}
	}
	return json_null();
}

struct outcome {
	const char *status;
	json_t *lot_files;	/* {lot id: [files]} */
	json_t *run_files;
	const char *error;
	char *text;	/* the run's new JSON */
};

static int record(void *ctx, const struct prod_run_row *row, const char **json,
		  const char **status, struct api_error *err)
{
	struct outcome *o = ctx;
	if (strcmp(row->status, RUN_BUILDING) != 0)
		return 0;	/* already recorded by an earlier attempt */
	json_t *run = json_loads(row->json, 0, NULL);
	if (!run)
		return api_fail(err, ERR_INTERNAL, "print run %s does not parse", row->id);
	size_t i;
	json_t *lot;
	if (o->error) {
		json_object_set_new(run, "error", json_pack("{s:s, s:o}", "message", o->error,
							    "piece_id", piece_named(o->error)));
	} else {
		json_object_set(run, "files", o->run_files);
		json_array_foreach(json_object_get(run, "lots"), i, lot) {
			json_t *f = json_object_get(o->lot_files,
						    json_string_value(json_object_get(lot, "id")));
			json_object_set(lot, "files", f ? f : json_array());
		}
	}
	char *text = json_dumps(run, JSON_COMPACT);
	json_decref(run);
	if (!text)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	free(o->text);	/* a retried update */
	o->text = text;	/* lives until prod_run_update returns */
	*json = text;
	*status = o->status;
	return 0;
}

/* the string from its [from, to) part, trimmed, copied into *at (NUL-terminated); or NULL */
static const char *part(const char *from, const char *to, char **at, const char *end)
{
	while (from < to && *from == ' ')
		from++;
	while (to > from && to[-1] == ' ')
		to--;
	size_t n = (size_t)(to - from);
	if (n == 0 || *at + n + 1 > end)
		return NULL;
	char *out = *at;
	memcpy(out, from, n);
	out[n] = '\0';
	*at += n + 1;
	return out;
}

/* "A, B, C D" → a = "A", b = "B", c = "C", d = "D" (the last space splits C and D) */
static bool split_address(const char *s, char **at, const char *end, const char **a,
			  const char **b, const char **c, const char **d)
{
	const char *c2 = strrchr(s, ',');
	if (!c2)
		return false;
	const char *c1 = c2;
	while (c1 > s && c1[-1] != ',')
		c1--;
	if (c1 == s)
		return false;
	const char *tail = c2 + 1, *sp = strrchr(tail, ' ');
	while (sp && sp[1] == '\0')	/* trailing blanks */
		sp = NULL;
	if (!sp || sp <= tail)
		return false;
	*a = part(s, c1 - 1, at, end);
	*b = part(c1, c2, at, end);
	*c = part(tail, sp, at, end);
	*d = part(sp + 1, tail + strlen(tail), at, end);
	return *a && *b && *c && *d;
}

/* --press-sheet "WxH" (inches, 4 to 40 each: a card's sheet, not a web press) and
 * --inserter-marks */
static int press_room(const struct runs_config *cfg, struct mail_room *out,
		      struct api_error *err)
{
	out->marks = PRINT_MARKS_DATAMATRIX;
	if (cfg->inserter_marks && *cfg->inserter_marks) {
		static const struct { const char *name; enum print_marks marks; } kinds[] = {
			{ "datamatrix", PRINT_MARKS_DATAMATRIX },
			{ "omr", PRINT_MARKS_OMR },
			{ "none", PRINT_MARKS_NONE },
		};
		size_t i = 0;
		while (i < sizeof(kinds) / sizeof(kinds[0]) &&
		       strcmp(kinds[i].name, cfg->inserter_marks) != 0)
			i++;
		if (i == sizeof(kinds) / sizeof(kinds[0]))
			return api_fail(err, ERR_INVALID, "--inserter-marks must be datamatrix, "
					"omr or none, not \"%.40s\"", cfg->inserter_marks);
		out->marks = kinds[i].marks;
	}
	if (cfg->press_sheet && *cfg->press_sheet) {
		double w = 0, h = 0;
		char buf[48];
		snprintf(buf, sizeof(buf), "%s", cfg->press_sheet);
		char *x = strpbrk(buf, "xX");
		if (x)
			*x = '\0';
		if (!x || strlen(cfg->press_sheet) >= sizeof(buf) ||
		    parse_double(buf, 4, 40, &w) < 0 || parse_double(x + 1, 4, 40, &h) < 0)
			return api_fail(err, ERR_INVALID, "--press-sheet must read WxH in inches, "
					"each 4 to 40 (e.g. 12x18 or 13x19), not \"%.40s\"",
					cfg->press_sheet);
		out->sheet_w_in = w;
		out->sheet_h_in = h;
	}
	return 0;
}

int runs_mail_room(const struct runs_config *cfg, struct mail_room *out, struct api_error *err)
{
	*out = (struct mail_room){ .sender = { .name = cfg->mailer_name } };
	char *at = out->buf;
	const char *end = out->buf + sizeof(out->buf);
	if (cfg->mailer_address && *cfg->mailer_address &&
	    !split_address(cfg->mailer_address, &at, end, &out->sender.address_line1,
			   &out->sender.city, &out->sender.state, &out->sender.zip))
		return api_fail(err, ERR_INVALID, "--mailer-address must read \"LINE1, CITY, ST "
				"ZIP\" (e.g. \"185 Berry St, San Francisco, CA 94107\")");
	if (cfg->permit && *cfg->permit) {
		const char *number, *city, *state;
		/* "NUMBER, CITY, ST": the same split, with the permit number first */
		char *tmp = at;
		const char *c1 = strchr(cfg->permit, ',');
		const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		if (!c1 || !c2 || strchr(c2 + 1, ',') ||
		    !(number = part(cfg->permit, c1, &tmp, end)) ||
		    !(city = part(c1 + 1, c2, &tmp, end)) ||
		    !(state = part(c2 + 1, cfg->permit + strlen(cfg->permit), &tmp, end)) ||
		    strlen(state) != 2)
			return api_fail(err, ERR_INVALID, "--permit must read \"NUMBER, CITY, ST\" "
					"(e.g. \"1234, San Francisco, CA\")");
		out->permit = (struct manifest_permit){ .mail_class_text = "FIRST-CLASS MAIL",
							.city = city, .state = state,
							.permit_number = number };
		out->imprint = (struct permit_imprint){ .mail_class_text = "FIRST-CLASS MAIL",
							.city = city, .state = state,
							.permit_number = number };
		out->has_permit = true;
	}
	return press_room(cfg, out, err);
}

static int build_files(const struct runs_config *cfg, const json_t *plan, const char *dir,
		       struct outcome *o, struct api_error *err)
{
	struct mail_room room;
	if (runs_mail_room(cfg, &room, err) < 0)
		return -1;
	/* the long self-mailers (6x18 bifold, 17.75x9 trifold) exceed a 12 x 18 sheet with
	 * bleed, marks and slug: printfile moves them to 13 x 19 */
	struct printfile_opts po = { .data_dir = cfg->data_dir, .sheet_w_in = room.sheet_w_in,
				     .sheet_h_in = room.sheet_h_in, .bleed_in = 0.125,
				     .marks = room.marks,
				     .test_watermark = json_is_true(json_object_get(plan, "test")) };
	struct manifest_opts mo = { .sender = room.sender, .post_office = cfg->post_office,
				    .permit = room.has_permit ? &room.permit : NULL };
	po.permit = room.has_permit ? &room.imprint : NULL;
	size_t i;
	json_t *lot;
	json_array_foreach(json_object_get(plan, "lots"), i, lot) {
		json_t *files = json_array();
		json_object_set_new(o->lot_files, json_string_value(json_object_get(lot, "id")), files);
		if (printfile_write_lot(&po, plan, lot, dir, files, err) < 0)
			return -1;
	}
	return manifest_write_run(&mo, plan, dir, o->run_files, err);
}

int runs_build(struct store *s, const struct runs_config *cfg, const char *id,
	       struct api_error *err)
{
	struct arena *a = arena_new();
	struct prod_run_row row;
	if (!a)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	int rc = prod_run_get(s, id, true, a, &row, err);
	if (rc != 0 || strcmp(row.status, RUN_BUILDING) != 0) {
		arena_free(a);
		return rc < 0 ? -1 : 0;
	}
	json_t *plan = json_loads(row.plan, 0, NULL);
	char base[1024], tmp[1100], final[1100];
	snprintf(base, sizeof(base), "%s/print_runs", cfg->data_dir);
	snprintf(tmp, sizeof(tmp), "%s/.%s.building", base, id);
	snprintf(final, sizeof(final), "%s/%s", base, id);
	struct outcome o = { .status = RUN_READY, .lot_files = json_object(),
			     .run_files = json_array() };
	struct api_error why = { 0 };
	remove_dir(tmp);
	if (!plan || (mkdir(base, 0755) < 0 && access(base, W_OK) < 0) || mkdir(tmp, 0755) < 0) {
		api_fail(&why, ERR_INTERNAL, "cannot create %s", tmp);
		o.status = RUN_FAILED;
	} else if (build_files(cfg, plan, tmp, &o, &why) < 0) {
		o.status = RUN_FAILED;
	} else {
		remove_dir(final);
		if (fsync_dir(tmp) < 0 || rename(tmp, final) < 0 || fsync_dir(base) < 0) {
			api_fail(&why, ERR_INTERNAL, "cannot move the files of %s into place", id);
			o.status = RUN_FAILED;
		} else if (cfg->print_dir && hot_folder(cfg->print_dir, id, final, &why) < 0) {
			o.status = RUN_FAILED;
		}
	}
	if (strcmp(o.status, RUN_FAILED) == 0) {
		remove_dir(tmp);	/* never half a run */
		o.error = why.message;
		log_msg(LOG_WARN, "print run %s failed: %s", id, why.message);
	}
	rc = prod_run_update(s, id, clock_now_ms(), record, &o, err) < 0 ? -1 : 0;
	json_decref(plan);
	json_decref(o.lot_files);
	json_decref(o.run_files);
	free(o.text);
	arena_free(a);
	return rc;
}

/* ---- the job kinds ---- */

struct kind_ctx {
	struct store *store;
	struct runs_config cfg;
	char at[6], tz[64];
};

static void build_run(void *ctxp, struct job_run *runs, size_t n)
{
	struct kind_ctx *ctx = ctxp;
	for (size_t i = 0; i < n; i++) {
		struct api_error err;
		if (runs_build(ctx->store, &ctx->cfg, runs[i].job->ref, &err) < 0) {
			runs[i].outcome = JOB_FAILED;
			snprintf(runs[i].error, sizeof(runs[i].error), "%s", err.message);
		}
	}
}

static void daily_run(void *ctxp, struct job_run *runs, size_t n)
{
	struct kind_ctx *ctx = ctxp;
	for (size_t i = 0; i < n; i++) {
		struct api_error err;
		struct arena *a = runs[i].arena;
		struct run_request rq;
		long long now = clock_now_ms(), next;
		char id[40];
		if (runs_parse_request(ctx->store, NULL, now, a, &rq, &err) == 0 &&
		    runs_cut(ctx->store, &ctx->cfg, &rq, now, id, &err) == 0)
			log_msg(LOG_INFO, "daily print run %s cut", id);
		else
			log_msg(LOG_INFO, "daily print run: %s", err.message);
		if (runs_daily_next(ctx->at, ctx->tz[0] ? ctx->tz : NULL, now, &next, &err) == 0) {
			runs[i].outcome = JOB_AGAIN;
			runs[i].again_ms = next;
		}
	}
}

int runs_register(struct jobs *j, struct store *s, const struct runs_config *cfg,
		  const char *at_hhmm, const char *tz, struct api_error *err)
{
	static struct kind_ctx ctx;	/* outlives the runtime: frankd has one */
	ctx = (struct kind_ctx){ .store = s, .cfg = *cfg };
	int pool = jobs_add_pool(j, "production", 1);
	if (pool < 0)
		return api_fail(err, ERR_INTERNAL, "no pool for print runs");
	struct job_kind k = { .name = RUN_KIND_BUILD, .pool = (unsigned)pool, .run = build_run,
			      .ctx = &ctx,
			      .policy = { .max_attempts = 5, .backoff_base_ms = 5000,
					  .backoff_cap_ms = 300000, .lease_ms = 3600000 } };
	if (jobs_add_kind(j, &k) < 0)
		return api_fail(err, ERR_INTERNAL, "cannot register %s", RUN_KIND_BUILD);
	if (!at_hhmm || !*at_hhmm)
		return 0;
	long long next;
	snprintf(ctx.at, sizeof(ctx.at), "%s", at_hhmm);
	snprintf(ctx.tz, sizeof(ctx.tz), "%s", tz ? tz : "");
	if (runs_daily_next(ctx.at, tz, clock_now_ms(), &next, err) < 0)
		return -1;
	struct job_kind d = { .name = RUN_KIND_DAILY, .pool = (unsigned)pool, .run = daily_run,
			      .ctx = &ctx,
			      .policy = { .max_attempts = 0, .backoff_base_ms = 60000,
					  .backoff_cap_ms = 3600000, .lease_ms = 3600000 } };
	struct store_job_new seed = { .kind = RUN_KIND_DAILY, .ref = "daily", .due_ms = next };
	if (jobs_add_kind(j, &d) < 0 || jobs_enqueue(s, NULL, MODE_LIVE, &seed, err) < 0)
		return api_fail(err, ERR_INTERNAL, "cannot schedule the daily print run");
	char when[25];
	time_format_iso(next, when);
	log_msg(LOG_INFO, "daily print run at %s%s%s: next %s", at_hhmm, tz ? " " : "",
		tz ? tz : " UTC", when);
	return 0;
}
