// SPDX-License-Identifier: AGPL-3.0-or-later
/* One locked base MuPDF context per process, cloned per thread; budgeted calls' own (see fz.h). */
#include "pdf/fz.h"
#include "pdf/budget.h"
#include "core/log.h"
#include <pthread.h>

static pthread_mutex_t fz_mutexes[FZ_LOCK_MAX];
static fz_locks_context fz_locks;
static fz_context *fz_base;
static pthread_once_t fz_once = PTHREAD_ONCE_INIT;
static pthread_key_t fz_thread_key;

static void lock(void *user, int n)
{
	(void)user;
	pthread_mutex_lock(&fz_mutexes[n]);
}

static void unlock(void *user, int n)
{
	(void)user;
	pthread_mutex_unlock(&fz_mutexes[n]);
}

/* MuPDF's messages go to Frank's JSON-lines log (debug: a customer's broken PDF is routine) */
static void mupdf_error(void *user, const char *message)
{
	(void)user;
	log_msg(LOG_DEBUG, "mupdf: %s", message);
}

static void mupdf_warning(void *user, const char *message)
{
	(void)user;
	log_msg(LOG_DEBUG, "mupdf warning: %s", message);
}

static void drop_thread_ctx(void *ctx)
{
	fz_drop_context(ctx);
}

/* what every context of Frank's needs: document handlers, messages to the log */
static void setup(fz_context *ctx)
{
	fz_register_document_handlers(ctx);
	fz_set_error_callback(ctx, mupdf_error, NULL);
	fz_set_warning_callback(ctx, mupdf_warning, NULL);
}

static void start(void)
{
	for (int i = 0; i < FZ_LOCK_MAX; i++)
		pthread_mutex_init(&fz_mutexes[i], NULL);
	fz_locks.user = NULL;
	fz_locks.lock = lock;
	fz_locks.unlock = unlock;
	pthread_key_create(&fz_thread_key, drop_thread_ctx);
	/* the base context lives as long as the process: threads clone it */
	fz_base = fz_new_context(NULL, &fz_locks, 256u << 20);
	if (fz_base)
		setup(fz_base);
}

fz_context *frank_fz_new_context(const fz_alloc_context *alloc, size_t max_store)
{
	fz_context *ctx = fz_new_context(alloc, NULL, max_store);
	if (ctx)
		setup(ctx);
	return ctx;
}

fz_context *frank_fz(void)
{
	fz_context *job = render_job_context();
	if (job)
		return job;	/* everything a budgeted call does shares its context */
	pthread_once(&fz_once, start);
	if (!fz_base)
		return NULL;
	fz_context *ctx = pthread_getspecific(fz_thread_key);
	if (!ctx) {
		ctx = fz_clone_context(fz_base);
		if (ctx)
			pthread_setspecific(fz_thread_key, ctx);
	}
	return ctx;
}
