// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The redirect of a short link: GET /{slug} on the link host (--link-host) or on a custom
 * domain answers 302 to the link's redirect_link and records the click (time, user agent,
 * the client's address cut to /24 or /48). Asked by the router before any credentials
 * (route_registry.by_host), so it costs one index read and one insert queued for the next
 * group commit (not waited for). On
 * the link host every path is a link's; on any other host only a GET that no API route
 * has is looked up, so the API's paths never collide with slugs.
 */
#include "api/links.h"
#include "api/routes.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "store/link_store.h"
#include "core/log.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define USER_AGENT_MAX 512	/* kept per click at most (bytes of a UTF-8-safe cut) */

/*
 * A click is written after the answer: GETs never wait on a commit (http/server.c), and a
 * redirect should not wait on an fsync either. The write owns its copies (the request's
 * arena is gone by the commit) and at most CLICKS_IN_FLIGHT_MAX wait at once: past that a
 * redirect still answers, and the click is dropped and logged rather than held in memory.
 */
#define CLICKS_IN_FLIGHT_MAX 10000

static atomic_int clicks_in_flight;

struct click_write {
	struct store_change ch;
	struct store_change_set set;
	struct api_error err;
	char *id, *account_id, *json;
};

static void click_free(struct click_write *w)
{
	free(w->id);
	free(w->account_id);
	free(w->json);
	free(w);
}

/* on the writer thread, once the click is committed (or not) */
static void click_done(void *p, int rc)
{
	struct click_write *w = p;
	if (rc < 0)
		log_msg(LOG_WARN, "short link click %s not recorded: %s", w->id, w->err.message);
	click_free(w);
	atomic_fetch_sub(&clicks_in_flight, 1);
}

static void respond_redirect(struct req *rq, const char *location)
{
	rq->status = 302;
	rq->resp_body = "";
	rq->resp_len = 0;
	rq->resp_type = "text/plain";
	req_add_header(rq, "Location", location);
	req_add_header(rq, "Cache-Control", "no-store");	/* every scan reaches us */
}

/* the user agent cut to USER_AGENT_MAX bytes on a character boundary */
static const char *user_agent(struct req *rq)
{
	const char *ua = rq->h.user_agent ? rq->h.user_agent : "";
	size_t n = strlen(ua);
	if (n <= USER_AGENT_MAX)
		return ua;
	n = USER_AGENT_MAX;
	while (n > 0 && ((unsigned char)ua[n] & 0xC0) == 0x80)
		n--;
	return arena_strndup(rq->arena, ua, n);
}

/* queues the click of link t; false when it could not be queued (logged) */
static bool record_click(struct req *rq, const struct link_target *t)
{
	char id[40], ip[64], when[25];
	if (ids_new("clk_", id, sizeof(id)) < 0)
		return false;
	link_ip_truncate(rq->client, ip, sizeof(ip));
	time_format_iso(rq->now_ms, when);
	json_t *click = json_object();
	json_object_set_new(click, "id", json_string(id));
	json_object_set_new(click, "link_id", json_string(t->id));
	if (t->resource_id)
		json_object_set_new(click, "resource_id", json_string(t->resource_id));
	json_object_set_new(click, "scan_date", json_string(when));
	json_object_set_new(click, "ip_location", json_string(ip));
	json_object_set_new(click, "user_agent", json_string(user_agent(rq)));
	json_object_set_new(click, "object", json_string(LINK_CLICK_KIND));
	struct click_write *w = calloc(1, sizeof(*w));
	if (w) {
		w->id = strdup(id);
		w->account_id = strdup(t->account_id);
		w->json = json_dumps(click, JSON_COMPACT);
	}
	json_decref(click);
	if (!w || !w->id || !w->account_id || !w->json) {
		if (w)
			click_free(w);
		return false;
	}
	if (atomic_fetch_add(&clicks_in_flight, 1) >= CLICKS_IN_FLIGHT_MAX) {
		atomic_fetch_sub(&clicks_in_flight, 1);
		log_msg(LOG_WARN, "short link click of %s dropped: %d clicks wait for the store",
			t->id, CLICKS_IN_FLIGHT_MAX);
		click_free(w);
		return false;
	}
	w->ch = (struct store_change){
		.op = STORE_INSERT,
		.sc = { .account_id = w->account_id, .mode = t->mode, .kind = LINK_CLICK_KIND },
		.obj = { .id = w->id, .created_ms = rq->now_ms, .updated_ms = rq->now_ms,
			 .json = w->json },
	};
	w->set = (struct store_change_set){ .changes = &w->ch, .n = 1 };
	struct store_done done = { click_done, w };
	if (store_apply(rq->app->store, &w->set, &w->err, &done) < 0) {
		log_msg(LOG_WARN, "short link click of %s not queued: %s", t->id, w->err.message);
		click_free(w);
		atomic_fetch_sub(&clicks_in_flight, 1);
		return false;
	}
	return true;
}

int links_by_host(struct req *rq, bool unmatched, struct api_error *err)
{
	char host[LINK_HOST_MAX + 1], link_host[LINK_HOST_MAX + 1];
	if (!link_host_normalise(rq->h.host, host, sizeof(host)))
		return 0;
	bool on_link_host = links_host(rq, link_host) && strcmp(host, link_host) == 0;
	if (!on_link_host && !(unmatched && rq->method == HTTP_GET))
		return 0;
	const char *slug = rq->path[0] == '/' ? rq->path + 1 : rq->path;
	if (!*slug)
		return 0;	/* a host's root is not a link: "/" leads to the dashboard */
	struct link_target t;
	int rc = 1;
	if (rq->method == HTTP_GET && link_slug_valid(slug)) {
		const char *url = arena_strfmt(rq->arena, "https://%s/%s", host, slug);
		rc = store_link_resolve(rq->app->store, url, rq->arena, &t, err);
		if (rc < 0)
			return -1;
	}
	if (rc == 1 && !on_link_host) {
		/* a custom domain's broken or deleted link goes to its error_redirect_link */
		const char *error_link = NULL;
		int e = store_domain_error_link(rq->app->store, host, rq->arena, &error_link, err);
		if (e < 0)
			return -1;
		if (e == 1 || !link_slug_valid(slug))
			return 0;	/* not a link of this host: the API's 404 */
		rq->profile = &route_profile_public;
		respond_redirect(rq, error_link);
		return 1;
	}
	rq->profile = &route_profile_public;
	rq->error_code = NULL;
	if (rc == 1) {
		api_fail(err, ERR_NOT_FOUND, "link not found");
		return -1;
	}
	record_click(rq, &t);
	respond_redirect(rq, t.redirect);
	return 1;
}
