// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The dashboard calls Frank's own API for its session: a page that lists letters runs
 * GET /v1/letters through the router, with the session's account and mode, so filters,
 * validation, errors, events and webhooks are exactly the API's (one request pipeline). An
 * operator's session calls /v1/_frank/production/… as an operator. Writes that complete on
 * the store's writer thread are waited for: a call returns once its answer is final.
 */
#ifndef FRANK_DASHBOARD_CALL_H
#define FRANK_DASHBOARD_CALL_H
#include <jansson.h>
#include "http/req.h"

struct dash_answer {
	int status;
	json_t *json;		/* the answer parsed (arena-owned), or NULL when it was not JSON */
	const char *body;	/* the raw answer */
	size_t len;
	const char *type;
	const char *location;	/* a Location header, if any */
};

/*
 * Runs method path (with its query string, e.g. "/v1/letters?limit=10") for rq's session;
 * body (borrowed, may be NULL) is sent as JSON. Returns the status (out filled), or -1 when
 * the call could not be made (out->status 500).
 */
int dash_call(struct req *rq, enum http_method method, const char *path, const json_t *body,
	      struct dash_answer *out);
/* the error message of a failed answer, or a generic one */
const char *dash_answer_message(const struct dash_answer *a);
#endif
