// SPDX-License-Identifier: AGPL-3.0-or-later
/* Internal API calls for a dashboard session (call.h). */
#include "dashboard/call.h"
#include "core/jsonutil.h"
#include "http/router.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* a write's completion arrives on the store's writer thread */
struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done;
};

static void wake(struct req *sub)
{
	struct waiter *w = sub->transport;
	pthread_mutex_lock(&w->mu);
	w->done = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

int dash_call(struct req *rq, enum http_method method, const char *path, const json_t *body,
	      struct dash_answer *out)
{
	memset(out, 0, sizeof(*out));
	out->status = 500;
	struct req *sub = arena_calloc(rq->arena, sizeof(*sub));
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false };
	sub->arena = rq->arena;
	sub->app = rq->app;
	sub->now_ms = rq->now_ms;
	sub->client = rq->client;
	sub->method = method;
	const char *q = strchr(path, '?');
	sub->path = q ? arena_strndup(rq->arena, path, (size_t)(q - path)) : path;
	sub->query_string = q ? q + 1 : NULL;
	sub->internal = true;
	sub->key = rq->key;
	sub->operator_id = rq->operator_id;
	sub->h.user_agent = "frank-dashboard";
	if (body) {
		char *text = json_dumps(body, JSON_COMPACT);
		if (!text)
			return -1;
		sub->body = arena_strdup(rq->arena, text);
		sub->body_len = strlen(text);
		free(text);
		sub->h.content_type = "application/json";
	}
	sub->resume = wake;
	sub->transport = &w;
	router_dispatch(sub);
	if (sub->pending) {	/* the writer thread answers; sub is ours again once woken */
		pthread_mutex_lock(&w.mu);
		while (!w.done)
			pthread_cond_wait(&w.cv, &w.mu);
		pthread_mutex_unlock(&w.mu);
	}
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
	out->status = sub->status;
	out->body = sub->resp_body ? sub->resp_body : "";
	out->len = sub->resp_len;
	out->type = sub->resp_type;
	for (size_t i = 0; i < sub->n_resp_headers; i++)
		if (strcmp(sub->resp_headers[i].name, "Location") == 0)
			out->location = sub->resp_headers[i].value;
	if (out->type && strncmp(out->type, "application/json", 16) == 0 && out->len)
		out->json = arena_own_json(rq->arena, json_loadb(out->body, out->len, 0, NULL));
	return out->status;
}

const char *dash_answer_message(const struct dash_answer *a)
{
	const char *m = json_string_value(
		json_object_get(json_object_get(a->json, "error"), "message"));
	return m ? m : "The request could not be completed. Please try again.";
}
