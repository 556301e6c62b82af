// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Webhook POSTs. Each thread keeps one easy handle: curl_easy_reset() clears the options
 * but keeps the connection cache, so consecutive deliveries to one endpoint skip the TCP
 * and TLS handshakes. The guard's address rule is set on every call, and CURLOPT_PREREQ-
 * FUNCTION re-checks the peer of a reused connection; a handle is still replaced when the
 * rule changes, so a connection opened under a looser rule is never reused under a
 * stricter one.
 */
#include "net/post.h"
#include "core/timeutil.h"
#include "net/ssrf.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct kept {
	CURL *h;
	bool allow_private;
	net_addr_rule rule;
	void *rule_ctx;
};

struct drain {
	size_t seen;
	bool capped;	/* stopped reading at NET_POST_RESPONSE_CAP */
};

static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;

static void kept_free(void *p)
{
	struct kept *k = p;
	if (k && k->h)
		curl_easy_cleanup(k->h);
	free(k);
}

static void kept_key_init(void)
{
	pthread_key_create(&kept_key, kept_free);
}

void net_post_thread_release(void)
{
	pthread_once(&kept_once, kept_key_init);
	kept_free(pthread_getspecific(kept_key));
	pthread_setspecific(kept_key, NULL);
}

/* this thread's handle, reset; a new one when the address rule differs from its last use */
static CURL *thread_handle(const struct net_post_opts *o)
{
	pthread_once(&kept_once, kept_key_init);
	struct kept *k = pthread_getspecific(kept_key);
	if (!k) {
		if (!(k = calloc(1, sizeof(*k))))
			return NULL;
		pthread_setspecific(kept_key, k);
	}
	if (k->h && (k->allow_private != o->allow_private || k->rule != o->addr_rule ||
		     k->rule_ctx != o->addr_rule_ctx)) {
		curl_easy_cleanup(k->h);
		k->h = NULL;
	}
	if (k->h)
		curl_easy_reset(k->h);
	else if (!(k->h = curl_easy_init()))
		return NULL;
	k->allow_private = o->allow_private;
	k->rule = o->addr_rule;
	k->rule_ctx = o->addr_rule_ctx;
	return k->h;
}

static size_t on_response(char *p, size_t size, size_t nmemb, void *ud)
{
	struct drain *d = ud;
	size_t n = size * nmemb;
	(void)p;
	if (n > NET_POST_RESPONSE_CAP - d->seen) {
		d->capped = true;
		return 0;	/* enough: the status is all a delivery needs */
	}
	d->seen += n;
	return n;
}

/* "Name: value" with a name and no CR/LF (a header must not smuggle another) */
static bool header_ok(const char *h)
{
	const char *colon = strchr(h, ':');
	return colon && colon != h && !strpbrk(h, "\r\n");
}

__attribute__((format(printf, 2, 3)))
static int fail(struct net_post_result *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->error, sizeof(out->error), fmt, ap);
	va_end(ap);
	return -1;
}

/* curl's progress callback: a nonzero answer ends the transfer */
static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load((const atomic_bool *)p) ? 1 : 0;
}

static int outcome(CURL *h, CURLcode rc, const struct drain *d, const struct net_guard *g,
		   const char *errbuf, const struct net_post_opts *o, struct net_post_result *out)
{
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	if (rc == CURLE_ABORTED_BY_CALLBACK) {
		out->canceled = true;
		return fail(out, "canceled: frankd is stopping");
	}
	if (rc == CURLE_WRITE_ERROR && d->capped)
		rc = CURLE_OK;	/* a long response body: we stopped reading on purpose */
	if (rc != CURLE_OK && g->refused) {	/* refused, and no other address answered */
		out->status = 0;
		return fail(out, "the URL resolves to a private address (%s, %s); set "
			    "FRANK_ALLOW_PRIVATE_URLS=1 to allow it", g->addr[0] ? g->addr : "?",
			    g->why ? g->why : "refused");
	}
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return fail(out, "timed out after %ld ms", o->timeout_ms);
	if (rc != CURLE_OK)
		return fail(out, "%s", *errbuf ? errbuf : curl_easy_strerror(rc));
	if (out->status >= 200 && out->status <= 299)
		return 0;
	if (out->status >= 300 && out->status <= 399) {
		char *loc = NULL;
		curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc);
		return fail(out, "HTTP %ld: redirects are not followed (Location: %.150s)",
			    out->status, loc ? loc : "none");
	}
	return fail(out, "HTTP %ld", out->status);
}

int net_post(const char *url, const char *const *headers, const char *body, size_t len,
	     const struct net_post_opts *opts, struct net_post_result *out)
{
	struct net_post_opts o = opts ? *opts : (struct net_post_opts){ 0 };
	struct api_error err;
	long long start = clock_mono_ms();
	memset(out, 0, sizeof(*out));
	if (o.timeout_ms <= 0)
		o.timeout_ms = NET_POST_DEFAULT_TIMEOUT_MS;
	if (ssrf_url_check(url, &err) < 0)
		return fail(out, "%s", err.message);
	struct curl_slist *list = curl_slist_append(NULL, "Expect:");	/* no 100-continue wait */
	for (size_t i = 0; headers && headers[i] && list; i++) {
		if (!header_ok(headers[i])) {
			curl_slist_free_all(list);
			return fail(out, "malformed header (want \"Name: value\"): %.60s",
				    headers[i]);
		}
		struct curl_slist *next = curl_slist_append(list, headers[i]);
		if (!next)
			curl_slist_free_all(list);
		list = next;
	}
	CURL *h = net_curl_init() == 0 && list ? thread_handle(&o) : NULL;
	if (!h) {
		curl_slist_free_all(list);
		return fail(out, "out of memory");
	}
	struct net_guard g = { .allow_private = o.allow_private, .rule = o.addr_rule,
			       .rule_ctx = o.addr_rule_ctx };
	struct drain d = { 0 };
	char errbuf[CURL_ERROR_SIZE] = "";
	net_guard_install(h, &g);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o.timeout_ms);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "Frank (webhook delivery)");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_response);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &d);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, o.cancel ? 0L : 1L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, o.cancel ? on_progress : NULL);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)o.cancel);
	CURLcode rc = curl_easy_perform(h);
	int r = outcome(h, rc, &d, &g, errbuf, &o, out);
	/* the kept handle must not point at this call's stack or list any more */
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, NULL);
	curl_easy_setopt(h, CURLOPT_PREREQDATA, NULL);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, NULL);
	curl_slist_free_all(list);
	out->latency_ms = (long)(clock_mono_ms() - start);
	return r;
}
