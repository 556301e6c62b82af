// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Render budgets: bounds on what one customer file may cost the PDF engine — wall time,
 * memory and drawing operations — enforced inside MuPDF, so a 5 KB PDF that draws a form
 * 40⁶ times fails its piece instead of holding a render worker for minutes.
 *
 * A budget belongs to a piece (render_budget_push on the worker thread while it renders) or,
 * when none is pushed, to the one call (create-time inspection, `frank render`, labels). Each
 * outermost engine call (render_job_begin … render_job_end) runs in a MuPDF context of its
 * own, made with a counting allocator: memory is the peak of that call, refused past the
 * limit; time and operations add up over the piece's calls. Over budget, the allocator
 * refuses everything, the job's cookie is aborted (MuPDF's interpreter stops at its next
 * operator) and the counting device throws, so the engine unwinds within milliseconds;
 * render_job_end then answers Lob's invalid_file saying which limit the file went past.
 * Dropping the context returns all of the call's memory.
 */
#ifndef FRANK_PDF_BUDGET_H
#define FRANK_PDF_BUDGET_H
#include <mupdf/fitz.h>
#include <stddef.h>
#include "core/err.h"

struct render_limits {
	long long wall_ms;		/* engine time per piece */
	size_t mem_bytes;		/* MuPDF's memory at any moment of one call */
	unsigned long long ops;		/* drawing operations interpreted per piece */
};

#define RENDER_BUDGET_MS_DEFAULT 20000
#define RENDER_BUDGET_MB_DEFAULT 512
/*
 * Drawing calls interpreted: a dense map page makes ~10⁵, the 40⁶ bomb ~8·10⁹. MuPDF
 * interprets ~0.9 million a CPU-second of the bomb's nested forms, so it stops at this count
 * after ~2 s of CPU, well before the time limit (measured: 2.2 s user, 128 MB).
 */
#define RENDER_BUDGET_OPS_DEFAULT 2000000ull

/* "20000", "512", "5000000" (--render-budget-ms, -mb, -ops) → *out; 0, or -1 with msg */
int render_limits_parse(const char *ms, const char *mb, const char *ops,
			struct render_limits *out, char *msg, size_t msg_len);
/* the limits of budgets made without their own (set once at start, before threads) */
void render_limits_set_default(const struct render_limits *l);
const struct render_limits *render_limits_default(void);

enum render_over { RENDER_WITHIN = 0, RENDER_OVER_TIME, RENDER_OVER_MEMORY, RENDER_OVER_OPS };

struct render_budget {
	struct render_limits lim;
	long long spent_ms;		/* engine time of the calls so far */
	unsigned long long ops;		/* drawing operations so far */
	size_t peak_bytes;		/* the most memory any call held */
	enum render_over over;
};

/* a budget with these limits (NULL: the defaults) */
void render_budget_init(struct render_budget *b, const struct render_limits *l);
/* this thread's engine calls count against b until render_budget_pop (no nesting) */
void render_budget_push(struct render_budget *b);
void render_budget_pop(void);

/* one engine call; lives on the caller's stack from begin to end */
struct render_job {
	struct render_budget *b, own;
	struct render_job *outer;	/* the job this one runs inside, if any */
	fz_context *ctx;
	fz_cookie cookie;
	size_t used, peak;
	long long start_ms, deadline_ms;
	unsigned ticks;
};

/*
 * Starts a call under the thread's budget (or a fresh default one): a context of its own,
 * or the enclosing job's when called inside one. NULL with *err when the budget is spent or
 * no context could be made.
 */
fz_context *render_job_begin(struct render_job *j, struct api_error *err);
/*
 * Ends the call: drops its context (all its memory returns). When the budget was exceeded
 * during it, *err becomes the budget's invalid_file and -1 is returned; else rc.
 */
int render_job_end(struct render_job *j, int rc, struct api_error *err);

/* the running job's context (frank_fz uses it), its cookie; NULL outside a job */
fz_context *render_job_context(void);
fz_cookie *render_job_cookie(void);
/* one drawing operation (the counting device calls it); throws when over budget */
void render_job_tick(fz_context *ctx);
/* throws when the running job went over budget (MuPDF may have swallowed the abort) */
void render_job_check(fz_context *ctx);
/* sets *err to the Lob error for b's exceeded limit; -1 */
int render_budget_fail(const struct render_budget *b, struct api_error *err);
#endif
