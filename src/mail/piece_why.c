// SPDX-License-Identifier: AGPL-3.0-or-later
/* One piece's story and the sentence that answers "why" (piece_why.h). */
#include "mail/piece_why.h"
#include "store/why_store.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text {
	char buf[1536];
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void say(struct text *t, const char *fmt, ...)
{
	if (t->len >= sizeof(t->buf) - 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n < sizeof(t->buf) - t->len ? (size_t)n : sizeof(t->buf) - 1 - t->len;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* the last element of an array, or NULL */
static const json_t *last(const json_t *a)
{
	size_t n = json_array_size(a);
	return n ? json_array_get(a, n - 1) : NULL;
}

/* the piece's render job, if one is still kept (done jobs are purged after an hour) */
static const json_t *render_job(const json_t *jobs)
{
	const json_t *found = NULL, *j;
	size_t i;
	json_array_foreach(jobs, i, j)
		if (strcmp(str(j, "kind"), "piece.render") == 0)
			found = j;
	return found;
}

static void waiting_to_render(struct text *t, const json_t *story)
{
	const json_t *job = render_job(json_object_get(story, "jobs"));
	const char *state = str(job, "state");
	long long attempts = json_integer_value(json_object_get(job, "attempts"));
	const char *error = str(job, "last_error");
	if (!job)
		say(t, "waiting to render (no render job is queued: restart frankd to queue it)");
	else if (strcmp(state, "dead") == 0)
		say(t, "rendering gave up after %lld attempts: %s", attempts, error);
	else if (strcmp(state, "running") == 0)
		say(t, "rendering now (attempt %lld)", attempts + 1);
	else if (attempts > 0)
		say(t, "waiting to render again: attempt %lld failed: %s", attempts, error);
	else
		say(t, "waiting to render");
}

static void rendered(struct text *t, const json_t *story, const json_t *piece)
{
	const json_t *run = last(json_object_get(story, "print_runs"));
	const char *state = str(run, "state");
	if (!run) {
		if (strcmp(str(story, "mode"), "test") == 0)
			say(t, "rendered; a test piece is never printed");
		else
			say(t, "rendered; waiting for a print run to take it (send date %s)",
			    str(piece, "send_date"));
		return;
	}
	const char *id = str(run, "run_id"), *lot = str(run, "lot_id");
	if (strcmp(state, "locked") == 0)
		say(t, "rendered; in print run %s (lot %s), waiting to be printed", id, lot);
	else if (strcmp(state, "printed") == 0)
		say(t, "printed in print run %s (lot %s), waiting to be mailed", id, lot);
	else if (strcmp(state, "mailed") == 0)
		say(t, "mailed in print run %s (lot %s)", id, lot);
	else if (strcmp(state, "spoiled") == 0)
		say(t, "spoiled in print run %s: it goes into the next run's reprint lot", id);
	else
		say(t, "rendered; in print run %s (%s)", id, state);
}

char *piece_why_answer(const json_t *story)
{
	struct text t = { .len = 0 };
	const json_t *piece = json_object_get(story, "piece");
	const char *status = str(piece, "status");
	const json_t *reason = json_object_get(piece, "failure_reason");
	if (json_is_true(json_object_get(story, "deleted")))
		say(&t, "canceled (%s)", str(piece, "date_modified"));
	else if (strcmp(status, "failed") == 0)
		say(&t, "failed: %s: %s", str(reason, "failure_reason"), str(reason, "remediation"));
	else if (strcmp(status, "processed") == 0)
		waiting_to_render(&t, story);
	else
		rendered(&t, story, piece);
	const json_t *tracked = last(json_object_get(piece, "tracking_events"));
	if (tracked)
		say(&t, "; last tracking event: %s (%s)", str(tracked, "name"), str(tracked, "time"));
	const json_t *notes = json_object_get(story, "render_notes");
	long long missing = json_integer_value(json_object_get(notes, "missing_files"));
	if (missing)
		say(&t, "; %lld remote file%s its HTML names could not be used, first: %s", missing,
		    missing == 1 ? "" : "s", json_string_value(json_array_get(
						     json_object_get(notes, "first"), 0)));
	return strdup(t.buf);
}

json_t *piece_why(struct store *s, const char *id, const char *account_id,
		  struct api_error *err)
{
	json_t *story = NULL;
	int rc = store_piece_why(s, id, account_id, &story, err);
	if (rc != 0) {
		if (rc > 0)
			api_fail(err, ERR_NOT_FOUND, "no mail piece %.40s", id);
		return NULL;
	}
	char *answer = piece_why_answer(story);
	/* the answer first, where a person reads */
	json_t *out = json_pack("{ss}", "answer", answer ? answer : "");
	free(answer);
	json_object_update(out, story);
	json_decref(story);
	return out;
}
