/* Render worker threads over an in-memory queue; the store holds the durable state. */
#include "mail/render_queue.h"
#include "core/log.h"
#include "core/timeutil.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RETRY_BASE_MS 250
#define RETRY_MAX_MS 60000
#define MAX_WORKERS 16

struct node {
	struct render_item item;
	long long not_before_ms;	/* retries wait their turn */
	struct node *next;
};

struct render_queue {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct node *head, *tail;
	unsigned queued, running;
	bool stopping;
	render_fn fn;
	render_prepare_fn prepare;
	void *ctx;
	pthread_t threads[MAX_WORKERS];
	unsigned n_threads;
};

static void append(struct render_queue *q, struct node *n)
{
	n->next = NULL;
	if (q->tail)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	q->queued++;
	pthread_cond_signal(&q->work);
}

void render_queue_push(struct render_queue *q, const struct store_scope *sc, const char *id)
{
	struct node *n = calloc(1, sizeof(*n));
	if (!n) {
		log_msg(LOG_ERROR, "render queue: out of memory; %s waits for the next restart", id);
		return;
	}
	snprintf(n->item.id, sizeof(n->item.id), "%s", id);
	snprintf(n->item.account_id, sizeof(n->item.account_id), "%s", sc->account_id);
	snprintf(n->item.kind, sizeof(n->item.kind), "%s", sc->kind);
	n->item.mode = sc->mode;
	pthread_mutex_lock(&q->lock);
	append(q, n);
	pthread_mutex_unlock(&q->lock);
}

/* the first node due now (unlinked), or NULL with *wait_ms until the next is due */
static struct node *take_due(struct render_queue *q, long long now, long long *wait_ms)
{
	struct node *prev = NULL;
	*wait_ms = -1;
	for (struct node *n = q->head; n; prev = n, n = n->next) {
		if (n->not_before_ms <= now) {
			if (prev)
				prev->next = n->next;
			else
				q->head = n->next;
			if (q->tail == n)
				q->tail = prev;
			q->queued--;
			return n;
		}
		long long w = n->not_before_ms - now;
		if (*wait_ms < 0 || w < *wait_ms)
			*wait_ms = w;
	}
	return NULL;
}

/* more fresh pieces of first's kind, due now, for one worker's group: at most its fair share
 * of what waits, so the other workers are not left idle; returns how many (in group[1..]) */
static size_t take_group(struct render_queue *q, const struct node *first, long long now,
			 struct node **group)
{
	size_t share = (q->queued + q->n_threads - 1) / q->n_threads, n = 1;
	if (share > RENDER_GROUP_MAX)
		share = RENDER_GROUP_MAX;
	struct node *prev = NULL;
	for (struct node *c = q->head; c && n < share;) {
		struct node *next = c->next;
		if (c->not_before_ms <= now && c->item.attempts == 0 &&
		    strcmp(c->item.kind, first->item.kind) == 0) {
			if (prev)
				prev->next = next;
			else
				q->head = next;
			if (q->tail == c)
				q->tail = prev;
			q->queued--;
			group[n++] = c;
		} else {
			prev = c;
		}
		c = next;
	}
	return n - 1;
}

static void timed_wait(struct render_queue *q, long long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&q->work, &q->lock, &ts);
}

static void *worker(void *arg)
{
	struct render_queue *q = arg;
	pthread_mutex_lock(&q->lock);
	while (!q->stopping) {
		long long wait_ms;
		/* retry delays are real time: a test clock moved forward must not spin them */
		long long mono = clock_mono_ms();
		struct node *n = take_due(q, mono, &wait_ms);
		if (!n) {
			if (wait_ms < 0)
				pthread_cond_wait(&q->work, &q->lock);
			else
				timed_wait(q, wait_ms);
			continue;
		}
		struct node *group[RENDER_GROUP_MAX];
		size_t count = 1;
		group[0] = n;
		if (q->prepare && n->item.attempts == 0)
			count += take_group(q, n, mono, group);
		q->running += (unsigned)count;
		pthread_mutex_unlock(&q->lock);
		struct render_item items[RENDER_GROUP_MAX];
		for (size_t i = 0; i < count; i++)
			items[i] = group[i]->item;
		if (count > 1)
			q->prepare(q->ctx, items, count);
		for (size_t i = 0; i < count; i++) {
			n = group[i];
			pthread_mutex_lock(&q->lock);
			bool stop = q->stopping;
			if (stop) {	/* still `processed` in the store: the next start renders it */
				q->running--;
				free(n);
			}
			pthread_mutex_unlock(&q->lock);
			if (stop)
				continue;
			struct api_error err = { 0 };
			int rc = q->fn(q->ctx, &n->item, &err);
			pthread_mutex_lock(&q->lock);
			q->running--;
			if (rc == 0) {
				free(n);
				pthread_mutex_unlock(&q->lock);
				continue;
			}
			n->item.attempts++;
			long long delay = RETRY_BASE_MS << (n->item.attempts < 8 ? n->item.attempts : 8);
			if (delay > RETRY_MAX_MS)
				delay = RETRY_MAX_MS;
			log_msg(LOG_WARN, "render %s: %s (attempt %u, again in %lld ms)", n->item.id,
				err.message, n->item.attempts, delay);
			n->not_before_ms = clock_mono_ms() + delay;
			append(q, n);
			pthread_mutex_unlock(&q->lock);
		}
		if (count > 1)
			q->prepare(q->ctx, NULL, 0);
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

struct render_queue *render_queue_start(unsigned workers, render_fn fn, void *ctx)
{
	return render_queue_start_grouped(workers, fn, NULL, ctx);
}

struct render_queue *render_queue_start_grouped(unsigned workers, render_fn fn,
						render_prepare_fn prepare, void *ctx)
{
	struct render_queue *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->work, NULL);
	q->fn = fn;
	q->prepare = prepare;
	q->ctx = ctx;
	if (workers == 0)
		workers = 1;
	if (workers > MAX_WORKERS)
		workers = MAX_WORKERS;
	for (unsigned i = 0; i < workers; i++) {
		if (pthread_create(&q->threads[i], NULL, worker, q) != 0)
			break;
		q->n_threads++;
	}
	if (q->n_threads == 0) {
		free(q);
		return NULL;
	}
	return q;
}

struct recover_ctx {
	struct render_queue *q;
	unsigned n;
};

static void recover_one(void *ctx, const struct store_scope *sc, const char *id)
{
	struct recover_ctx *r = ctx;
	render_queue_push(r->q, sc, id);
	r->n++;
}

int render_queue_recover(struct render_queue *q, struct store *s, const char *const *kinds,
			 struct api_error *err)
{
	struct recover_ctx r = { q, 0 };
	if (store_each_with_status(s, kinds, "processed", recover_one, &r, err) < 0)
		return -1;
	if (r.n)
		log_msg(LOG_INFO, "render queue: %u pieces left to render from before", r.n);
	return 0;
}

unsigned render_queue_depth(struct render_queue *q)
{
	pthread_mutex_lock(&q->lock);
	unsigned n = q->queued + q->running;
	pthread_mutex_unlock(&q->lock);
	return n;
}

void render_queue_stop(struct render_queue *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stopping = true;
	pthread_cond_broadcast(&q->work);
	pthread_mutex_unlock(&q->lock);
	for (unsigned i = 0; i < q->n_threads; i++)
		pthread_join(q->threads[i], NULL);
	for (struct node *n = q->head; n;) {
		struct node *next = n->next;
		free(n);
		n = next;
	}
	pthread_cond_destroy(&q->work);
	pthread_mutex_destroy(&q->lock);
	free(q);
}
