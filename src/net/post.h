// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Webhook deliveries: one POST to a customer's endpoint. A timeout (default 10 s), no
 * redirects (a 3xx is a failed delivery), the SSRF rules of remote files (curl_guard.h),
 * and the response body read up to 64 KiB and thrown away. Thread-safe; each thread keeps
 * one curl handle so deliveries to the same endpoint reuse the connection (keep-alive).
 */
#ifndef FRANK_POST_H
#define FRANK_POST_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include "net/curl_guard.h"

#define NET_POST_DEFAULT_TIMEOUT_MS 10000L
#define NET_POST_RESPONSE_CAP (64u * 1024)

struct net_post_opts {
	long timeout_ms;	/* 0: NET_POST_DEFAULT_TIMEOUT_MS */
	const atomic_bool *cancel;	/* when it turns true the call ends within about a second
					 * (frankd stops); NULL: never */
	bool allow_private;	/* FRANK_ALLOW_PRIVATE_URLS=1 */
	net_addr_rule addr_rule;	/* NULL: the SSRF table (tests substitute their own) */
	void *addr_rule_ctx;
};

struct net_post_result {
	long status;		/* the HTTP status; 0 if no response was read */
	long latency_ms;	/* from the start of the call to the end of the response */
	char error[256];	/* why it failed; "" on success */
	bool canceled;		/* ended by opts->cancel: the endpoint may not have seen it whole */
};

/*
 * POSTs body (len bytes) to url with headers ("Name: value" strings, NULL-terminated; may be
 * NULL). Returns 0 when the endpoint answered 2xx, else -1 with out->error set (out->status
 * still holds a non-2xx status). opts may be NULL.
 */
int net_post(const char *url, const char *const *headers, const char *body, size_t len,
	     const struct net_post_opts *opts, struct net_post_result *out);

/* releases the calling thread's kept handle (also done automatically at thread exit) */
void net_post_thread_release(void);
#endif
