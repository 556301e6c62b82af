// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The Chromium renderer's browser and page pool (see chromium.h): one browser at a time,
 * refcounted so a restart can swap in a new one while other threads still hold the old
 * (their calls fail at once because it was killed, and they retry on the new one).
 */
#include "render/chromium/chromium_internal.h"
#include "core/log.h"
#include "render/chromium/cdp_sandbox.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define START_TIMEOUT_MS 20000	/* first start of a browser on a busy machine */
#define CLOSE_TIMEOUT_MS 5000

/* the browser's network policy: what the page-level Fetch interception cannot see */
static const char *const policy_args[] = {
	/* no host name resolves, IP literals included: preconnect, prefetch and DNS prefetch
	   are made by the browser process and bypass Fetch, so they must find nothing */
	"--host-resolver-rules=MAP * ~NOTFOUND",
	"--no-proxy-server",	/* a proxy from the environment would resolve names for us */
	"--hide-scrollbars",
	"--mute-audio",
	"--disable-extensions",
	NULL
};

long long chromium_now_ms(void)
{
	return cdp_now_ms();
}

/*
 * Every request a page makes stops here (Fetch.enable on each page). data: URLs go on (the
 * asset fetcher inlines vetted files as data: URLs); a navigation gets an empty 204, which
 * cancels it and keeps the document; everything else fails as if blocked by an extension.
 */
/* a page whose renderer crashed or that was detached is remade before its next use */
static void mark_crashed(struct chromium *cr, const char *session)
{
	if (!session || !session[0])
		return;
	pthread_mutex_lock(&cr->mu);
	for (unsigned i = 0; i < cr->pool; i++)
		if (strcmp(cr->pages[i].session, session) == 0)
			atomic_store(&cr->pages[i].crashed, true);
	pthread_mutex_unlock(&cr->mu);
}

static void on_event(struct cdp *c, void *user, const char *session, const char *method,
		     json_t *params)
{
	struct chromium *cr = user;
	if (strcmp(method, "Inspector.targetCrashed") == 0 ||
	    strcmp(method, "Inspector.detached") == 0) {
		mark_crashed(cr, session);
		return;
	}
	if (strcmp(method, "Target.detachedFromTarget") == 0) {
		mark_crashed(cr, json_string_value(json_object_get(params, "sessionId")));
		return;
	}
	if (strcmp(method, "Fetch.requestPaused") != 0)
		return;
	const char *id = json_string_value(json_object_get(params, "requestId"));
	json_t *req = json_object_get(params, "request");
	const char *url = json_string_value(json_object_get(req, "url"));
	const char *type = json_string_value(json_object_get(params, "resourceType"));
	if (!id)
		return;
	if (url && strncasecmp(url, "data:", 5) == 0) {
		cdp_send(c, session, "Fetch.continueRequest", json_pack("{s:s}", "requestId", id));
		return;
	}
	atomic_fetch_add(&cr->blocked, 1);
	if (type && strcmp(type, "Document") == 0)
		cdp_send(c, session, "Fetch.fulfillRequest",
			 json_pack("{s:s,s:i,s:[]}", "requestId", id, "responseCode", 204,
				   "responseHeaders"));
	else
		cdp_send(c, session, "Fetch.failRequest",
			 json_pack("{s:s,s:s}", "requestId", id, "errorReason", "BlockedByClient"));
}

static struct chromium_browser *browser_start(struct chromium *cr, unsigned gen,
					      struct api_error *err)
{
	struct chromium_browser *b = calloc(1, sizeof *b);
	if (!b) {
		api_fail(err, ERR_INTERNAL, "chromium: out of memory");
		return NULL;
	}
	b->cdp = cdp_start(cr->path, policy_args, on_event, cr, START_TIMEOUT_MS, err);
	if (!b->cdp) {
		free(b);
		/* a sandboxed browser exits at once without user namespaces: say why */
		char why[256] = "";
		if (cdp_sandbox_enabled())
			cdp_sandbox_userns_problem(why, sizeof why);
		if (why[0]) {
			char was[sizeof err->message];
			memcpy(was, err->message, sizeof was);
			api_fail(err, ERR_SERVICE_UNAVAILABLE, "%s; its sandbox needs user namespaces "
				 "but %s (or run with --chromium-no-sandbox)", was, why);
		}
		return NULL;
	}
	b->gen = gen;
	b->refs = 1;
	return b;
}

static void browser_unref(struct chromium *cr, struct chromium_browser *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&cr->mu);
	bool last = --b->refs == 0;
	pthread_mutex_unlock(&cr->mu);
	if (last) {
		cdp_stop(b->cdp);
		free(b);
	}
}

/* the current browser with a reference for the caller (NULL if there is none) */
static struct chromium_browser *browser_get(struct chromium *cr)
{
	pthread_mutex_lock(&cr->mu);
	struct chromium_browser *b = cr->cur;
	if (b)
		b->refs++;
	pthread_mutex_unlock(&cr->mu);
	return b;
}

/* replace seen (dead or wedged) with a new browser, unless another thread already did */
static int browser_restart(struct chromium *cr, struct chromium_browser *seen,
			   struct api_error *err)
{
	int rc = 0;
	pthread_mutex_lock(&cr->restart_mu);
	pthread_mutex_lock(&cr->mu);
	bool replaced = cr->cur != seen;
	unsigned gen = cr->gen + 1;
	pthread_mutex_unlock(&cr->mu);
	if (!replaced) {
		if (seen)
			cdp_kill(seen->cdp);
		struct chromium_browser *b = browser_start(cr, gen, err);
		if (!b) {
			rc = -1;
		} else {
			pthread_mutex_lock(&cr->mu);
			struct chromium_browser *old = cr->cur;
			cr->cur = b;
			cr->gen = gen;
			pthread_mutex_unlock(&cr->mu);
			log_msg(LOG_WARN, "chromium: browser restarted (generation %u, pid %d)", gen,
				(int)cdp_pid(b->cdp));
			browser_unref(cr, old);
		}
	}
	pthread_mutex_unlock(&cr->restart_mu);
	return rc;
}

static int copy_id(char dst[CHROMIUM_ID_MAX], json_t *obj, const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));
	if (!v || strlen(v) >= CHROMIUM_ID_MAX)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int browser_call(struct chromium_job *job, const char *method, json_t *params,
			json_t **result, struct api_error *err)
{
	long long left = job->deadline - chromium_now_ms();
	if (left <= 0) {
		json_decref(params);
		api_fail(err, ERR_REQUEST_TIMEOUT, "chromium: %s: out of time", method);
		return CDP_TIMEOUT;
	}
	return cdp_call(job->b->cdp, NULL, method, params, (int)(left > 600000 ? 600000 : left),
			result, err);
}

static void set_session(struct chromium *cr, struct chromium_page *pg, const char *session)
{
	pthread_mutex_lock(&cr->mu);
	snprintf(pg->session, sizeof pg->session, "%s", session);
	pthread_mutex_unlock(&cr->mu);
}

/* a new page (target) for job->page in job->b, set up for printing customer documents */
static int page_make(struct chromium_job *job, struct api_error *err)
{
	struct chromium_page *pg = job->page;
	json_t *res = NULL;
	memset(pg->target, 0, sizeof pg->target);
	pg->gen = 0;
	int st = browser_call(job, "Target.createTarget", json_pack("{s:s}", "url", "about:blank"),
			      &res, err);
	if (st != CDP_OK)
		return st;
	if (copy_id(pg->target, res, "targetId") != 0)
		st = CDP_ERROR;
	json_decref(res);
	if (st == CDP_OK)
		st = browser_call(job, "Target.attachToTarget",
				  json_pack("{s:s,s:b}", "targetId", pg->target, "flatten", 1), &res,
				  err);
	if (st == CDP_OK) {
		char session[CHROMIUM_ID_MAX];
		if (copy_id(session, res, "sessionId") != 0)
			st = CDP_ERROR;
		else
			set_session(job->cr, pg, session);	/* mark_crashed reads it */
		json_decref(res);
	}
	if (st == CDP_OK)
		st = chromium_page_call(job, "Page.getFrameTree", NULL, &res, err);
	if (st == CDP_OK) {
		json_t *frame = json_object_get(json_object_get(res, "frameTree"), "frame");
		if (copy_id(pg->frame, frame, "id") != 0)
			st = CDP_ERROR;
		json_decref(res);
	}
	/* crash reports, every request through on_event, no page scripts, print media */
	if (st == CDP_OK)
		st = chromium_page_call(job, "Inspector.enable", NULL, NULL, err);
	if (st == CDP_OK)
		st = chromium_page_call(job, "Fetch.enable",
					json_pack("{s:[{s:s}]}", "patterns", "urlPattern", "*"),
					NULL, err);
	if (st == CDP_OK)
		st = chromium_page_call(job, "Emulation.setScriptExecutionDisabled",
					json_pack("{s:b}", "value", 1), NULL, err);
	if (st == CDP_OK)
		st = chromium_page_call(job, "Emulation.setEmulatedMedia",
					json_pack("{s:s}", "media", "print"), NULL, err);
	if (st == CDP_ERROR && err->kind == ERR_NONE)
		api_fail(err, ERR_INTERNAL, "chromium: unexpected answer while making a page");
	if (st != CDP_OK) {
		chromium_job_discard(job);
		return st;
	}
	pg->gen = job->b->gen;
	pg->css_w = pg->css_h = 0;
	atomic_store(&pg->crashed, false);
	return CDP_OK;
}

void chromium_job_discard(struct chromium_job *job)
{
	struct chromium_page *pg = job->page;
	if (pg && job->b && pg->target[0] && !cdp_dead(job->b->cdp)) {
		struct api_error e = { 0 };
		int st = cdp_call(job->b->cdp, NULL, "Target.closeTarget",
				  json_pack("{s:s}", "targetId", pg->target), CLOSE_TIMEOUT_MS, NULL,
				  &e);
		if (st == CDP_TIMEOUT)
			cdp_kill(job->b->cdp);	/* the browser itself is wedged */
	}
	if (pg) {
		pg->gen = 0;
		pg->target[0] = pg->frame[0] = '\0';
		set_session(job->cr, pg, "");
	}
}

/* job has a page slot; give it a browser and a made page, restarting the browser once */
static int attach(struct chromium_job *job, struct api_error *err)
{
	struct chromium *cr = job->cr;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct chromium_browser *b = browser_get(cr);
		if (b && !cdp_dead(b->cdp)) {
			job->b = b;
			if (job->page->gen == b->gen && !atomic_load(&job->page->crashed))
				return 0;
			if (job->page->gen == b->gen) {
				log_msg(LOG_WARN, "chromium: a page's renderer crashed while idle; "
					"making a new page");
				chromium_job_discard(job);	/* close the crashed target */
			}
			if (page_make(job, err) == CDP_OK)
				return 0;
			job->b = NULL;
		}
		if (attempt == 0 && browser_restart(cr, b, err) != 0) {
			browser_unref(cr, b);
			return -1;
		}
		browser_unref(cr, b);
	}
	if (err->kind == ERR_NONE || err->kind == ERR_REQUEST_TIMEOUT)
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: no page could be made");
	return -1;
}

static int wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, long long deadline)
{
	return cdp_cond_wait_until(cv, mu, deadline);
}

int chromium_job_acquire(struct chromium *cr, struct chromium_job *job, long long deadline,
			 struct api_error *err)
{
	memset(job, 0, sizeof *job);
	job->cr = cr;
	job->deadline = deadline;
	pthread_mutex_lock(&cr->mu);
	for (;;) {
		for (unsigned i = 0; i < cr->pool && !job->page; i++)
			if (!cr->pages[i].busy)
				job->page = &cr->pages[i];
		if (job->page || wait_until(&cr->cv, &cr->mu, deadline) == ETIMEDOUT)
			break;
	}
	if (job->page)
		job->page->busy = true;
	pthread_mutex_unlock(&cr->mu);
	if (!job->page) {
		job->cr = NULL;
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: every page stayed busy; "
				"try again later");
	}
	if (attach(job, err) != 0) {
		chromium_job_release(job);
		return -1;
	}
	return 0;
}

int chromium_job_renew(struct chromium_job *job, struct api_error *err)
{
	chromium_job_discard(job);
	browser_unref(job->cr, job->b);
	job->b = NULL;
	return attach(job, err);
}

int chromium_job_ensure(struct chromium_job *job, struct api_error *err)
{
	if (job->b && !cdp_dead(job->b->cdp) && job->page->gen == job->b->gen &&
	    !atomic_load(&job->page->crashed))
		return 0;
	return chromium_job_renew(job, err);
}

void chromium_job_release(struct chromium_job *job)
{
	struct chromium *cr = job->cr;
	if (!cr)
		return;
	if (job->page) {
		pthread_mutex_lock(&cr->mu);
		job->page->busy = false;
		pthread_cond_signal(&cr->cv);
		pthread_mutex_unlock(&cr->mu);
	}
	browser_unref(cr, job->b);
	memset(job, 0, sizeof *job);
}

struct chromium *chromium_open(const char *path, unsigned pool_size, struct api_error *err)
{
	struct chromium *cr = calloc(1, sizeof *cr);
	if (!cr || !(cr->path = strdup(path && path[0] ? path : CHROMIUM_DEFAULT_PATH))) {
		free(cr);
		api_fail(err, ERR_INTERNAL, "chromium: out of memory");
		return NULL;
	}
	cr->pool = pool_size == 0 ? CHROMIUM_POOL_DEFAULT
		: pool_size > CHROMIUM_POOL_MAX ? CHROMIUM_POOL_MAX : pool_size;
	cr->timeout_ms = CHROMIUM_TIMEOUT_MS;
	pthread_mutex_init(&cr->mu, NULL);
	pthread_mutex_init(&cr->restart_mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cr->cv, &ca);
	pthread_condattr_destroy(&ca);
	cr->gen = 1;
	cr->cur = browser_start(cr, cr->gen, err);
	if (!cr->cur) {
		chromium_close(cr);
		return NULL;
	}
	return cr;
}

void chromium_set_timeout(struct chromium *cr, int timeout_ms)
{
	cr->timeout_ms = timeout_ms > 0 ? timeout_ms : CHROMIUM_TIMEOUT_MS;
}

pid_t chromium_browser_pid(struct chromium *cr)
{
	pthread_mutex_lock(&cr->mu);
	pid_t pid = cr->cur ? cdp_pid(cr->cur->cdp) : -1;
	pthread_mutex_unlock(&cr->mu);
	return pid;
}

int chromium_revive(struct chromium *cr, struct api_error *err)
{
	pthread_mutex_lock(&cr->mu);
	struct chromium_browser *seen = cr->cur;
	bool alive = seen && !cdp_dead(seen->cdp);
	pthread_mutex_unlock(&cr->mu);
	/* seen is only compared, or killed while it is still cr->cur (browser_restart) */
	return alive ? 0 : browser_restart(cr, seen, err);
}

unsigned long chromium_blocked_requests(struct chromium *cr)
{
	return atomic_load(&cr->blocked);
}

void chromium_close(struct chromium *cr)
{
	if (!cr)
		return;
	struct chromium_browser *b = cr->cur;
	cr->cur = NULL;
	browser_unref(cr, b);
	pthread_mutex_destroy(&cr->mu);
	pthread_mutex_destroy(&cr->restart_mu);
	pthread_cond_destroy(&cr->cv);
	free(cr->path);
	free(cr);
}

static unsigned clamp_pages(unsigned max_pages)
{
	return max_pages == 0 || max_pages > CHROMIUM_MAX_PAGES ? CHROMIUM_MAX_PAGES : max_pages;
}

int chromium_render_held(struct chromium_job *job, const char *html, size_t len, double w_in,
			 double h_in, unsigned max_pages, unsigned char **pdf, size_t *pdf_len,
			 unsigned *pages, struct api_error *err)
{
	*pdf = NULL;
	*pdf_len = 0;
	*pages = 0;
	for (int attempt = 0;; attempt++) {
		char nonce[33];
		if (chromium_nonce(nonce) != 0)
			return api_fail(err, ERR_INTERNAL, "chromium: no random numbers");
		if (chromium_job_ensure(job, err) != 0)
			return -1;
		int st = chromium_page_load(job, html, len, w_in, h_in, nonce, err);
		if (st == CDP_OK)
			st = chromium_page_print(job, w_in, h_in, clamp_pages(max_pages), nonce, pdf,
						 pdf_len, err);
		if (st == CDP_OK) {
			if (chromium_count_pages(*pdf, *pdf_len, pages, err) == 0) {
				*err = (struct api_error){ 0 };	/* a retry succeeded */
				return 0;
			}
			free(*pdf);
			*pdf = NULL;
			*pdf_len = 0;
			return -1;
		}
		if (st == CDP_TIMEOUT) {
			chromium_job_discard(job);	/* a renderer stuck in layout goes with it */
			return api_fail(err, ERR_INVALID_TEMPLATE_HTML, "the HTML did not finish "
					"rendering within %d s: make it smaller or simpler",
					job->cr->timeout_ms / 1000);
		}
		if (st == CDP_ERROR)
			return -1;
		/* the page crashed (DETACHED) or the browser died (DEAD): once more, afresh */
		if (attempt == 1) {
			if (st == CDP_DETACHED)
				return api_fail(err, ERR_INVALID_TEMPLATE_HTML, "the HTML crashed the "
						"browser's renderer twice");
			return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: the browser exited "
					"twice while rendering; try again later");
		}
		log_msg(LOG_WARN, "%s; rendering again on a fresh page", err->message);
		job->deadline = chromium_now_ms() + job->cr->timeout_ms;
		if (chromium_job_renew(job, err) != 0)
			return -1;
	}
}

int chromium_html_to_pdf(struct chromium *cr, const char *html, size_t len, double w_in,
			 double h_in, unsigned max_pages, unsigned char **pdf, size_t *pdf_len,
			 unsigned *pages, struct api_error *err)
{
	*pdf = NULL;
	*pdf_len = 0;
	*pages = 0;
	if (!(w_in >= CHROMIUM_MIN_INCHES && w_in <= CHROMIUM_MAX_INCHES &&
	      h_in >= CHROMIUM_MIN_INCHES && h_in <= CHROMIUM_MAX_INCHES))
		return api_fail(err, ERR_INTERNAL, "chromium: page size %gx%g in is out of range",
				w_in, h_in);
	if (len > CHROMIUM_MAX_HTML)
		return api_fail(err, ERR_PAYLOAD_TOO_LARGE, "the HTML is larger than %zu MB",
				CHROMIUM_MAX_HTML >> 20);
	size_t plen;
	char *prepared = chromium_prep_html(html ? html : "", html ? len : 0, &plen);
	if (!prepared)
		return api_fail(err, ERR_INTERNAL, "chromium: out of memory");
	struct chromium_job job;
	int rc = chromium_job_acquire(cr, &job, chromium_now_ms() + cr->timeout_ms, err);
	if (rc == 0) {
		rc = chromium_render_held(&job, prepared, plen, w_in, h_in, max_pages, pdf, pdf_len,
					  pages, err);
		chromium_job_release(&job);
	}
	free(prepared);
	return rc;
}
