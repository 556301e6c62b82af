// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Remote files: one GET of a customer-given URL (a letter's `file: "https://…/x.pdf"`),
 * bounded in size and time, SSRF-guarded on every connection and every redirect hop
 * (curl_guard.h), with the content type from the header and sniffed from the bytes.
 * Thread-safe; blocks the calling thread (call it from a job, not an HTTP thread).
 */
#ifndef FRANK_FETCH_H
#define FRANK_FETCH_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"
#include "net/curl_guard.h"

#define NET_FETCH_DEFAULT_MAX_BYTES (5u * 1024 * 1024)	/* Lob: "no larger than 5MB" */
#define NET_FETCH_DEFAULT_TIMEOUT_MS 20000L
#define NET_FETCH_MAX_REDIRECTS 5

struct net_fetch_opts {
	size_t max_bytes;	/* 0: NET_FETCH_DEFAULT_MAX_BYTES */
	long timeout_ms;	/* whole download incl. DNS and redirects; 0: default */
	int max_redirects;	/* 0: NET_FETCH_MAX_REDIRECTS; < 0: none followed */
	bool allow_private;	/* FRANK_ALLOW_PRIVATE_URLS=1 */
	net_addr_rule addr_rule;	/* NULL: the SSRF table (tests substitute their own) */
	void *addr_rule_ctx;
};

struct net_fetch_result {
	unsigned char *data;	/* malloc'd, len bytes plus a NUL not counted */
	size_t len;
	long status;		/* the final response's HTTP status */
	char content_type[128];	/* the header's media type, lowercase, no parameters; "" if none */
	const char *sniffed_type;	/* net_sniff_type() of data; NULL when unknown */
	char *final_url;	/* malloc'd: the URL after redirects */
	int redirects;		/* hops followed */
	long elapsed_ms;
};

/*
 * GETs url. 0 with *out filled (free with net_fetch_result_free), or -1 with *out empty and
 * *err set:
 *   ERR_INVALID_FILE_URL           bad URL, private address, DNS/connect/TLS failure,
 *                                  non-2xx (status in the message), too many redirects
 *   ERR_FILE_SIZE_EXCEEDS_LIMIT    Content-Length or the bytes received exceed max_bytes
 *   ERR_INVALID_FILE_DOWNLOAD_TIME the whole download took longer than timeout_ms
 */
int net_fetch(const char *url, const struct net_fetch_opts *o, struct net_fetch_result *out,
	      struct api_error *err);

void net_fetch_result_free(struct net_fetch_result *r);
#endif
