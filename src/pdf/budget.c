// SPDX-License-Identifier: AGPL-3.0-or-later
/* Render budgets enforced inside MuPDF: a counting allocator, an aborted cookie, a ticking device. */
#include "pdf/budget.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "pdf/fz.h"
#include <malloc.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* each block carries its size in front, so a free knows what it gives back */
#define HEADER alignof(max_align_t)
/* the clock is read every this many allocations or drawing calls (a power of two) */
#define POLL_EVERY 16
/* after a call that held this much, freed memory goes back to the system */
#define TRIM_ABOVE (64u << 20)

static struct render_limits defaults = { RENDER_BUDGET_MS_DEFAULT,
					 (size_t)RENDER_BUDGET_MB_DEFAULT << 20,
					 RENDER_BUDGET_OPS_DEFAULT };

static _Thread_local struct render_budget *tl_budget;
static _Thread_local struct render_job *tl_job;

int render_limits_parse(const char *ms, const char *mb, const char *ops,
			struct render_limits *out, char *msg, size_t msg_len)
{
	unsigned long vms, vmb, vops;
	if (parse_ulong(ms, 86400000UL, &vms) < 0 || vms < 1) {
		snprintf(msg, msg_len, "--render-budget-ms must be milliseconds from 1 to 86400000");
		return -1;
	}
	if (parse_ulong(mb, 1UL << 20, &vmb) < 0 || vmb < 16) {
		snprintf(msg, msg_len, "--render-budget-mb must be megabytes from 16 to 1048576");
		return -1;
	}
	if (parse_ulong(ops, 1000000000000UL, &vops) < 0 || vops < 1000) {
		snprintf(msg, msg_len, "--render-budget-ops must be a count from 1000 to 10^12");
		return -1;
	}
	*out = (struct render_limits){ (long long)vms, (size_t)vmb << 20, vops };
	return 0;
}

void render_limits_set_default(const struct render_limits *l)
{
	defaults = *l;
}

const struct render_limits *render_limits_default(void)
{
	return &defaults;
}

void render_budget_init(struct render_budget *b, const struct render_limits *l)
{
	*b = (struct render_budget){ .lim = l ? *l : defaults };
}

void render_budget_push(struct render_budget *b)
{
	tl_budget = b;
}

void render_budget_pop(void)
{
	tl_budget = NULL;
}

static const char *const over_names[] = { "within", "time", "memory", "operations" };

/* the budget is spent: the interpreter stops at its next operator, allocations are refused */
static void trip(struct render_job *j, enum render_over why)
{
	if (j->b->over)
		return;
	j->b->over = why;
	j->cookie.abort = 1;
	log_msg(LOG_INFO, "render budget: over its %s after %lld ms, %llu operations, %zu bytes",
		over_names[why], clock_mono_ms() - j->start_ms + j->b->spent_ms, j->b->ops, j->used);
}

static void poll_clock(struct render_job *j)
{
	if ((++j->ticks & (POLL_EVERY - 1)) == 0 && clock_mono_ms() >= j->deadline_ms)
		trip(j, RENDER_OVER_TIME);
}

/* may the job hold `more` bytes more? */
static int admit(struct render_job *j, size_t more)
{
	poll_clock(j);
	if (!j->b->over && more > j->b->lim.mem_bytes - j->used)
		trip(j, RENDER_OVER_MEMORY);
	return !j->b->over;
}

static void held(struct render_job *j, size_t now_used)
{
	j->used = now_used;
	if (now_used > j->peak)
		j->peak = now_used;
	if (now_used > j->b->peak_bytes)
		j->b->peak_bytes = now_used;
}

static void *job_malloc(void *user, size_t size)
{
	struct render_job *j = user;
	if (size > SIZE_MAX - HEADER || !admit(j, size + HEADER))
		return NULL;
	unsigned char *p = malloc(size + HEADER);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof size);
	held(j, j->used + size + HEADER);
	return p + HEADER;
}

static void job_free(void *user, void *ptr)
{
	struct render_job *j = user;
	if (!ptr)
		return;
	unsigned char *p = (unsigned char *)ptr - HEADER;
	size_t size;
	memcpy(&size, p, sizeof size);
	j->used -= size + HEADER;
	free(p);
}

static void *job_realloc(void *user, void *ptr, size_t size)
{
	struct render_job *j = user;
	if (!ptr)
		return job_malloc(user, size);
	if (size == 0) {
		job_free(user, ptr);
		return NULL;
	}
	unsigned char *p = (unsigned char *)ptr - HEADER;
	size_t old;
	memcpy(&old, p, sizeof old);
	if (size > SIZE_MAX - HEADER || (size > old && !admit(j, size - old)))
		return NULL;
	unsigned char *q = realloc(p, size + HEADER);
	if (!q)
		return NULL;
	memcpy(q, &size, sizeof size);
	held(j, j->used - old + size);
	return q + HEADER;
}

int render_budget_fail(const struct render_budget *b, struct api_error *err)
{
	static const char fix[] = "simplify the file (e.g. flatten artwork drawn many times over) "
				  "and send it again";
	switch (b->over) {
	case RENDER_OVER_MEMORY: {
		bool mb = b->lim.mem_bytes >= (1u << 20);
		return api_fail(err, ERR_INVALID_FILE, "the file needs more than %zu %s of memory "
				"to render, the limit per piece; %s",
				b->lim.mem_bytes >> (mb ? 20 : 10), mb ? "MB" : "KB", fix);
	}
	case RENDER_OVER_OPS:
		return api_fail(err, ERR_INVALID_FILE, "the file draws more than %llu operations, "
				"the limit per piece; %s", b->lim.ops, fix);
	default:
		return api_fail(err, ERR_INVALID_FILE, "the file takes more than %lld ms to render, "
				"the limit per piece; %s", b->lim.wall_ms, fix);
	}
}

fz_context *render_job_begin(struct render_job *j, struct api_error *err)
{
	memset(j, 0, sizeof *j);
	if (tl_job) {	/* inside another call: its context, its accounting */
		j->outer = tl_job;
		j->b = tl_job->b;
		j->ctx = tl_job->ctx;
		return j->ctx;
	}
	if (tl_budget) {
		j->b = tl_budget;
	} else {
		render_budget_init(&j->own, NULL);
		j->b = &j->own;
	}
	if (!j->b->over && j->b->spent_ms >= j->b->lim.wall_ms)
		j->b->over = RENDER_OVER_TIME;
	if (j->b->over) {
		render_budget_fail(j->b, err);
		return NULL;
	}
	j->start_ms = clock_mono_ms();
	j->deadline_ms = j->start_ms + j->b->lim.wall_ms - j->b->spent_ms;
	/* the store (cached fonts, images) may take a quarter; the rest is the call's work */
	fz_alloc_context alloc = { j, job_malloc, job_realloc, job_free };
	j->ctx = frank_fz_new_context(&alloc, j->b->lim.mem_bytes / 4);
	if (!j->ctx) {
		if (j->b->over)
			render_budget_fail(j->b, err);
		else
			api_fail(err, ERR_INTERNAL, "the PDF engine could not start (out of memory)");
		return NULL;
	}
	tl_job = j;
	return j->ctx;
}

int render_job_end(struct render_job *j, int rc, struct api_error *err)
{
	struct render_budget *b = j->b;
	if (!j->outer) {
		fz_drop_context(j->ctx);
		tl_job = NULL;
		b->spent_ms += clock_mono_ms() - j->start_ms;
		if (j->used != 0)
			log_msg(LOG_WARN, "render budget: %zu bytes still held after the context was "
				"dropped", j->used);
		if (j->peak > TRIM_ABOVE)
			malloc_trim(0);	/* a bomb's hundreds of MB go back, not to the arena */
	}
	if (b->over)
		return render_budget_fail(b, err);
	return rc;
}

fz_context *render_job_context(void)
{
	return tl_job ? tl_job->ctx : NULL;
}

fz_cookie *render_job_cookie(void)
{
	return tl_job ? &tl_job->cookie : NULL;
}

void render_job_tick(fz_context *ctx)
{
	struct render_job *j = tl_job;
	if (!j)
		return;
	if (!j->b->over && ++j->b->ops > j->b->lim.ops)
		trip(j, RENDER_OVER_OPS);
	poll_clock(j);
	if (j->b->over)
		fz_throw(ctx, FZ_ERROR_ABORT, "over the render budget (%s)", over_names[j->b->over]);
}

void render_job_check(fz_context *ctx)
{
	struct render_job *j = tl_job;
	if (j && j->b->over)
		fz_throw(ctx, FZ_ERROR_GENERIC, "over the render budget (%s)", over_names[j->b->over]);
}
