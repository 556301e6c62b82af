/* Render worker threads over in-memory queues per account; the store holds the durable state. */
#include "mail/render_queue.h"
#include "mail/render_share.h"
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

struct bucket;

struct node {
	struct render_item item;
	long long not_before_ms;	/* retries wait their turn */
	struct bucket *b;
	struct node *next;
};

/* one account's pieces waiting (in order) and how many workers render its pieces now */
struct bucket {
	char account_id[40];
	struct node *head, *tail;
	unsigned queued, running;
	struct bucket *next;
};

struct render_queue {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct bucket *buckets;	/* accounts with pieces waiting or being rendered */
	size_t n_buckets;
	char last_served[40];	/* round-robin position (render_share.h) */
	unsigned queued, running;
	bool stopping;
	render_fn fn;
	render_prepare_fn prepare;
	void *ctx;
	pthread_t threads[MAX_WORKERS];
	unsigned n_threads;
};

/* the account's bucket, made when it has none; NULL when out of memory */
static struct bucket *bucket_of(struct render_queue *q, const char *account_id)
{
	for (struct bucket *b = q->buckets; b; b = b->next)
		if (strcmp(b->account_id, account_id) == 0)
			return b;
	struct bucket *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	snprintf(b->account_id, sizeof(b->account_id), "%s", account_id);
	b->next = q->buckets;
	q->buckets = b;
	q->n_buckets++;
	return b;
}

/* forgets an account with nothing waiting or running */
static void bucket_release(struct render_queue *q, struct bucket *b)
{
	if (b->queued || b->running)
		return;
	for (struct bucket **p = &q->buckets; *p; p = &(*p)->next)
		if (*p == b) {
			*p = b->next;
			q->n_buckets--;
			free(b);
			return;
		}
}

static void append(struct render_queue *q, struct node *n)
{
	struct bucket *b = n->b;
	n->next = NULL;
	if (b->tail)
		b->tail->next = n;
	else
		b->head = n;
	b->tail = n;
	b->queued++;
	q->queued++;
	pthread_cond_signal(&q->work);
}

void render_queue_push(struct render_queue *q, const struct store_scope *sc, const char *id)
{
	struct node *n = calloc(1, sizeof(*n));
	bool queued = false;
	if (n) {
		snprintf(n->item.id, sizeof(n->item.id), "%s", id);
		snprintf(n->item.account_id, sizeof(n->item.account_id), "%s", sc->account_id);
		snprintf(n->item.kind, sizeof(n->item.kind), "%s", sc->kind);
		n->item.mode = sc->mode;
		pthread_mutex_lock(&q->lock);
		n->b = bucket_of(q, n->item.account_id);
		if (n->b) {
			append(q, n);	/* a worker may take and free it once unlocked */
			queued = true;
		}
		pthread_mutex_unlock(&q->lock);
	}
	if (!queued) {
		log_msg(LOG_ERROR, "render queue: out of memory; %s waits for the next restart", id);
		free(n);
	}
}

/* unlinks c (whose predecessor in its bucket is prev) */
static void unlink_node(struct render_queue *q, struct node *prev, struct node *c)
{
	struct bucket *b = c->b;
	if (prev)
		prev->next = c->next;
	else
		b->head = c->next;
	if (b->tail == c)
		b->tail = prev;
	b->queued--;
	q->queued--;
}

/* the bucket's first node due now, with its predecessor; updates *wait_ms for the rest */
static struct node *first_due(struct bucket *b, long long now, struct node **prev,
			      long long *wait_ms)
{
	*prev = NULL;
	for (struct node *n = b->head; n; *prev = n, n = n->next) {
		if (n->not_before_ms <= now)
			return n;
		long long w = n->not_before_ms - now;
		if (*wait_ms < 0 || w < *wait_ms)
			*wait_ms = w;
	}
	return NULL;
}

/*
 * The next piece for a free worker (unlinked, its account's running count taken), chosen by
 * the fair share across accounts; or NULL with *wait_ms until a retry is due (-1: none)
 */
static struct node *take_due(struct render_queue *q, long long now, long long *wait_ms)
{
	*wait_ms = -1;
	if (!q->n_buckets)
		return NULL;
	struct share_account *acc = calloc(q->n_buckets, sizeof(*acc));
	struct bucket **of = calloc(q->n_buckets, sizeof(*of));
	struct node *n = NULL, *prev;
	size_t k = 0;
	for (struct bucket *b = q->buckets; acc && of && b; b = b->next, k++) {
		of[k] = b;
		acc[k] = (struct share_account){ .id = b->account_id, .running = b->running,
						 .ready = first_due(b, now, &prev, wait_ms) != NULL };
	}
	int pick = acc && of ? render_share_pick(acc, k, q->n_threads, q->last_served) : -1;
	if (pick >= 0) {
		struct bucket *b = of[pick];
		long long ignored = -1;
		n = first_due(b, now, &prev, &ignored);
		unlink_node(q, prev, n);
		b->running++;
		snprintf(q->last_served, sizeof(q->last_served), "%s", b->account_id);
	} else if (!acc || !of) {
		*wait_ms = 100;	/* out of memory: try again soon */
	}
	free(acc);
	free(of);
	return n;
}

/* more fresh pieces of first's account and kind, due now, for one worker's group: at most its
 * fair share of what the account has waiting, so the account's other workers are not left
 * idle; returns how many (in group[1..]) */
static size_t take_group(struct render_queue *q, const struct node *first, long long now,
			 struct node **group)
{
	struct bucket *b = first->b;
	unsigned cap = render_share_cap(q->n_threads);
	size_t share = (b->queued + 1 + cap - 1) / cap, n = 1;
	if (share > RENDER_GROUP_MAX)
		share = RENDER_GROUP_MAX;
	struct node *prev = NULL;
	for (struct node *c = b->head; c && n < share;) {
		struct node *next = c->next;
		if (c->not_before_ms <= now && c->item.attempts == 0 &&
		    strcmp(c->item.kind, first->item.kind) == 0) {
			unlink_node(q, prev, c);
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
		struct bucket *account = n->b;	/* holds one of its workers until the group is done */
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
		account->running--;
		bucket_release(q, account);
		pthread_cond_broadcast(&q->work);	/* a capped account may take a worker again */
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
	while (q->buckets) {
		struct bucket *b = q->buckets;
		for (struct node *n = b->head; n;) {
			struct node *next = n->next;
			free(n);
			n = next;
		}
		q->buckets = b->next;
		free(b);
	}
	pthread_cond_destroy(&q->work);
	pthread_mutex_destroy(&q->lock);
	free(q);
}
