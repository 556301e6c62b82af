// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Remote file download. Redirects are followed here, not by curl, so every hop's URL goes
 * through ssrf_url_check again (scheme, userinfo, length) on top of the address guard that
 * curl_guard.c puts on each connection. The size limit is enforced twice: by
 * CURLOPT_MAXFILESIZE on a declared Content-Length (refused before any body byte), and on
 * the running total in the write callback (a chunked or lying server). Bodies of non-2xx
 * responses are not read at all.
 */
#include "net/fetch.h"
#include "core/timeutil.h"
#include "net/curl_guard.h"
#include "net/sniff.h"
#include "net/ssrf.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REDIRECT_BODY_MAX 65536
#define NET_FETCH_MAX_BYTES_CAP ((size_t)1 << 30)	/* keeps the buffer arithmetic far from overflow */

struct sink {
	CURL *h;
	unsigned char *buf;
	size_t len, cap, max;
	size_t discarded;	/* bytes of a redirect's body, thrown away */
	bool too_big;		/* the running total passed max */
	bool skipped;		/* a non-2xx body: not read */
	char errbuf[CURL_ERROR_SIZE];	/* curl's detail on a failure */
};

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct sink *s = ud;
	size_t n = size * nmemb;
	long code = 0;
	curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 300 && code <= 399 && n <= REDIRECT_BODY_MAX - s->discarded) {
		s->discarded += n;	/* read, so that curl reports the Location */
		return n;
	}
	if (code < 200 || code > 299) {
		s->skipped = true;
		return 0;	/* abort: only the status and headers matter */
	}
	if (n > s->max - s->len) {
		s->too_big = true;
		return 0;
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		while (cap < s->len + n + 1)
			cap *= 2;
		if (cap > s->max + 1)
			cap = s->max + 1;
		unsigned char *nb = realloc(s->buf, cap);
		if (!nb)
			return 0;
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	return n;
}

/* "Application/PDF; charset=x" → "application/pdf" */
static void media_type(const char *header, char *out, size_t outlen)
{
	size_t i = 0;
	out[0] = '\0';
	if (!header)
		return;
	while (*header == ' ')
		header++;
	for (; header[i] && header[i] != ';' && header[i] != ' ' && i + 1 < outlen; i++)
		out[i] = (char)tolower((unsigned char)header[i]);
	out[i] = '\0';
}

static bool is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* maps a failed transfer to Lob's error */
static int transfer_error(CURLcode rc, const struct sink *s, const struct net_guard *g,
			  const char *url, const char *detail, const struct net_fetch_opts *o,
			  struct api_error *err)
{
	if (g->refused)
		return api_fail(err, ERR_INVALID_FILE_URL,
				"The file URL %.80s resolves to a private address (%s, %s); set "
				"FRANK_ALLOW_PRIVATE_URLS=1 to allow it.", url,
				g->addr[0] ? g->addr : "?", g->why ? g->why : "refused");
	if (s->too_big || rc == CURLE_FILESIZE_EXCEEDED)
		return api_fail(err, ERR_FILE_SIZE_EXCEEDS_LIMIT,
				"The file at %.80s is larger than the limit of %zu bytes.", url,
				o->max_bytes);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return api_fail(err, ERR_INVALID_FILE_DOWNLOAD_TIME,
				"Downloading %.80s took longer than %ld ms.", url, o->timeout_ms);
	if (rc == CURLE_COULDNT_RESOLVE_HOST)
		return api_fail(err, ERR_INVALID_FILE_URL,
				"The host of the file URL %.80s could not be resolved.", url);
	return api_fail(err, ERR_INVALID_FILE_URL, "The file at %.80s could not be downloaded: %.100s",
			url, detail && *detail ? detail : curl_easy_strerror(rc));
}

static void setup(CURL *h, struct sink *s)
{
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)s->max);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "Frank (remote file fetch)");
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
}

/* one hop: 0 done (2xx or redirect: *status says), -1 with *err set */
static int hop(CURL *h, const char *url, long long deadline, struct sink *s,
	       struct net_guard *g, const struct net_fetch_opts *o, long *status,
	       struct api_error *err)
{
	long long left = deadline - clock_mono_ms();
	if (ssrf_url_check(url, err) < 0)
		return -1;
	if (left <= 0)
		return transfer_error(CURLE_OPERATION_TIMEDOUT, s, g, url, NULL, o, err);
	s->len = s->discarded = 0;
	s->skipped = s->too_big = false;
	s->errbuf[0] = '\0';
	g->refused = false;	/* a refusal on an earlier hop says nothing about this one */
	g->why = NULL;
	g->addr[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)left);
	CURLcode rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	if (rc == CURLE_WRITE_ERROR && s->skipped)
		rc = CURLE_OK;	/* we stopped reading a non-2xx body on purpose */
	if (rc != CURLE_OK)
		return transfer_error(rc, s, g, url, s->errbuf, o, err);
	if (*status >= 200 && *status <= 299)
		return 0;
	if (is_redirect(*status))
		return 0;
	return api_fail(err, ERR_INVALID_FILE_URL,
			"The file URL %.80s answered HTTP %ld instead of 200.", url, *status);
}

static int run(CURL *h, const char *url, const struct net_fetch_opts *o, struct sink *s,
	       struct net_fetch_result *out, struct api_error *err)
{
	struct net_guard g = { .allow_private = o->allow_private, .rule = o->addr_rule,
				.rule_ctx = o->addr_rule_ctx };
	long long start = clock_mono_ms(), deadline = start + o->timeout_ms;
	char *cur = strdup(url);
	long status = 0;
	if (!cur)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	net_guard_install(h, &g);
	setup(h, s);
	for (int hops = 0;; hops++) {
		if (hop(h, cur, deadline, s, &g, o, &status, err) < 0) {
			free(cur);
			return -1;
		}
		if (!is_redirect(status)) {
			out->redirects = hops;
			break;
		}
		char *next = NULL;
		curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &next);
		if (!next || !*next) {
			api_fail(err, ERR_INVALID_FILE_URL,
				 s->skipped ? "The file URL %.80s answered HTTP %ld with a body "
					      "over 64 KiB and no usable Location."
					    : "The file URL %.80s answered HTTP %ld without a Location.",
				 cur, status);
			free(cur);
			return -1;
		}
		if (hops >= o->max_redirects) {
			api_fail(err, ERR_INVALID_FILE_URL,
				 "The file URL %.80s redirects more than %d times.", url,
				 o->max_redirects);
			free(cur);
			return -1;
		}
		char *copy = strdup(next);	/* next lives only until the next transfer */
		free(cur);
		if (!(cur = copy))
			return api_fail(err, ERR_INTERNAL, "out of memory");
	}
	const char *ct = NULL;
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
	media_type(ct, out->content_type, sizeof(out->content_type));
	out->status = status;
	out->final_url = cur;
	out->elapsed_ms = (long)(clock_mono_ms() - start);
	return 0;
}

int net_fetch(const char *url, const struct net_fetch_opts *opts, struct net_fetch_result *out,
	      struct api_error *err)
{
	struct net_fetch_opts o = opts ? *opts : (struct net_fetch_opts){ 0 };
	memset(out, 0, sizeof(*out));
	if (o.max_bytes == 0)
		o.max_bytes = NET_FETCH_DEFAULT_MAX_BYTES;
	if (o.max_bytes > NET_FETCH_MAX_BYTES_CAP)
		o.max_bytes = NET_FETCH_MAX_BYTES_CAP;
	if (o.timeout_ms <= 0)
		o.timeout_ms = NET_FETCH_DEFAULT_TIMEOUT_MS;
	if (o.max_redirects == 0)
		o.max_redirects = NET_FETCH_MAX_REDIRECTS;
	else if (o.max_redirects < 0)
		o.max_redirects = 0;
	if (ssrf_url_check(url, err) < 0)
		return -1;
	if (net_curl_init() < 0)
		return api_fail(err, ERR_INTERNAL, "libcurl could not be initialised");
	CURL *h = curl_easy_init();
	if (!h)
		return api_fail(err, ERR_INTERNAL, "out of memory (curl handle)");
	struct sink s = { .h = h, .max = o.max_bytes };
	int rc = run(h, url, &o, &s, out, err);
	curl_easy_cleanup(h);
	if (rc < 0) {
		free(s.buf);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	if (!s.buf && !(s.buf = malloc(1))) {
		free(out->final_url);
		memset(out, 0, sizeof(*out));
		return api_fail(err, ERR_INTERNAL, "out of memory");
	}
	s.buf[s.len] = '\0';
	out->data = s.buf;
	out->len = s.len;
	out->sniffed_type = net_sniff_type(s.buf, s.len);
	return 0;
}

void net_fetch_result_free(struct net_fetch_result *r)
{
	if (!r)
		return;
	free(r->data);
	free(r->final_url);
	memset(r, 0, sizeof(*r));
}
