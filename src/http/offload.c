/* A fixed thread pool with one FIFO queue. */
#include "http/offload.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct offload_job {
	void (*fn)(void *);
	void *arg;
	struct offload_job *next;
};

struct offload {
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct offload_job *head, *tail;
	bool stopping;
	unsigned n;
	pthread_t threads[];
};

static void *offload_main(void *p)
{
	struct offload *o = p;
	pthread_setname_np(pthread_self(), "frank-request");
	pthread_mutex_lock(&o->lock);
	for (;;) {
		while (!o->head && !o->stopping)
			pthread_cond_wait(&o->work, &o->lock);
		struct offload_job *j = o->head;
		if (!j)
			break;
		o->head = j->next;
		if (!o->head)
			o->tail = NULL;
		pthread_mutex_unlock(&o->lock);
		j->fn(j->arg);
		free(j);
		pthread_mutex_lock(&o->lock);
	}
	pthread_mutex_unlock(&o->lock);
	return NULL;
}

struct offload *offload_new(unsigned threads)
{
	struct offload *o = calloc(1, sizeof(*o) + threads * sizeof(pthread_t));
	if (!o)
		return NULL;
	pthread_mutex_init(&o->lock, NULL);
	pthread_cond_init(&o->work, NULL);
	for (o->n = 0; o->n < threads; o->n++)
		if (pthread_create(&o->threads[o->n], NULL, offload_main, o) != 0)
			break;
	if (o->n == 0) {
		offload_free(o);
		return NULL;
	}
	return o;
}

void offload_submit(struct offload *o, void (*fn)(void *), void *arg)
{
	struct offload_job *j = malloc(sizeof(*j));
	if (!j) {	/* no memory for the queue: run it here rather than lose it */
		fn(arg);
		return;
	}
	j->fn = fn;
	j->arg = arg;
	j->next = NULL;
	pthread_mutex_lock(&o->lock);
	if (o->tail)
		o->tail->next = j;
	else
		o->head = j;
	o->tail = j;
	pthread_cond_signal(&o->work);
	pthread_mutex_unlock(&o->lock);
}

void offload_free(struct offload *o)
{
	if (!o)
		return;
	pthread_mutex_lock(&o->lock);
	o->stopping = true;
	pthread_cond_broadcast(&o->work);
	pthread_mutex_unlock(&o->lock);
	for (unsigned i = 0; i < o->n; i++)
		pthread_join(o->threads[i], NULL);
	pthread_mutex_destroy(&o->lock);
	pthread_cond_destroy(&o->work);
	free(o);
}
