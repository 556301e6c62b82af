// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Unit tests for http/ratelimit.c (config parsing, fixed windows, threads, the entry cap) and
 * the sign-in limits built on it (ratelimit_signin.c).
 */
#include "http/ratelimit.h"
#include "http/ratelimit_signin.h"
#include "test.h"
#include <pthread.h>
#include <stdio.h>

/* ---- config ------------------------------------------------------------------------ */

static void test_parse_good(void)
{
	struct ratelimit_config c = { 0 };
	char err[128] = "";

	CHECK_INT(ratelimit_config_parse("150/5", &c, err, sizeof(err)), 0, "150/5 parses");
	CHECK_INT(c.limit, 150, "150/5: limit");
	CHECK_INT(c.window_s, 5, "150/5: window");
	CHECK(!c.off, "150/5: not off");
	CHECK_INT(ratelimit_config_parse("1/1", &c, err, sizeof(err)), 0, "1/1 parses");
	CHECK_INT(ratelimit_config_parse("1000000/86400", &c, err, sizeof(err)), 0,
		  "the maximums parse");
	CHECK_INT(c.limit, 1000000, "max limit");
	CHECK_INT(c.window_s, 86400, "max window");
	CHECK_INT(ratelimit_config_parse("off", &c, err, sizeof(err)), 0, "off parses");
	CHECK(c.off, "off: off");
	CHECK_INT(c.limit, 0, "off: limit 0");
}

static void check_bad(const char *s)
{
	struct ratelimit_config c = { .limit = 7, .window_s = 9 };
	char err[128] = "";

	CHECK_INT(ratelimit_config_parse(s, &c, err, sizeof(err)), -1, "\"%s\" is rejected", s);
	CHECK(err[0] != '\0', "\"%s\": message \"%s\"", s, err);
	CHECK(c.limit == 7 && c.window_s == 9 && !c.off, "\"%s\": out untouched", s);
}

static void test_parse_bad(void)
{
	static const char *bad[] = {
		"150", "a/5", "0/5", "150/0", "99999999999/5", "150/5x", "", "/5", "150/",
		"-1/5", "+1/5", " 150/5", "150/5 ", "150/5/5", "1000001/5", "150/86401",
		"150/99999999999999999999999", "OFF", "off ", "1.5/5",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_bad(bad[i]);
}

static void test_parse_messages(void)
{
	struct ratelimit_config c;
	char err[128], tiny[8];

	ratelimit_config_parse("0/5", &c, err, sizeof(err));
	CHECK_STR(err, "rate limit \"0/5\": the limit must be 1..1000000 requests", "0/5 message");
	ratelimit_config_parse("150/0", &c, err, sizeof(err));
	CHECK_STR(err, "rate limit \"150/0\": the window must be 1..86400 seconds",
		  "150/0 message");
	ratelimit_config_parse("150", &c, err, sizeof(err));
	CHECK_STR(err, "rate limit \"150\": expected N/SECONDS (e.g. 150/5) or \"off\"",
		  "150 message");
	CHECK_INT(ratelimit_config_parse("x", &c, tiny, sizeof(tiny)), -1, "small errbuf");
	CHECK_INT(strlen(tiny), sizeof(tiny) - 1, "small errbuf is truncated and terminated");
	CHECK_INT(ratelimit_config_parse("x", &c, NULL, 0), -1, "errlen 0 is allowed");
}

/* ---- counting ---------------------------------------------------------------------- */

static struct ratelimit *new_rl(unsigned limit, unsigned window_s)
{
	struct ratelimit_config c = { .limit = limit, .window_s = window_s };
	return ratelimit_new(&c);
}

static void test_counting(void)
{
	struct ratelimit *rl = new_rl(3, 5);
	struct ratelimit_result r;
	long long t0 = 1700000000500LL;	/* mid-second: the window end rounds up */

	for (unsigned i = 0; i < 3; i++) {
		ratelimit_take(rl, "key|/v1/letters", t0 + i, &r);
		CHECK(r.allowed, "request %u allowed", i + 1);
		CHECK_INT(r.limit, 3, "request %u: limit", i + 1);
		CHECK_INT(r.remaining, 2 - i, "request %u: remaining", i + 1);
		CHECK_INT(r.reset_epoch_s, 1700000006LL, "request %u: reset", i + 1);
	}
	ratelimit_take(rl, "key|/v1/letters", t0 + 10, &r);
	CHECK(!r.allowed, "request 4 denied");
	CHECK_INT(r.remaining, 0, "denied: remaining 0");
	CHECK_INT(r.reset_epoch_s, 1700000006LL, "denied: same reset");
	ratelimit_take(rl, "key|/v1/letters", 1700000005999LL, &r);
	CHECK(!r.allowed, "still denied 1 ms before the reset");
	ratelimit_take(rl, "key|/v1/letters", 1700000006000LL, &r);
	CHECK(r.allowed, "allowed at the reset second");
	CHECK_INT(r.remaining, 2, "new window: remaining");
	CHECK_INT(r.reset_epoch_s, 1700000011LL, "new window starts at its first request");
	ratelimit_take(rl, "key|/v1/letters", 1700000099000LL, &r);
	CHECK_INT(r.reset_epoch_s, 1700000104LL, "a window on a whole second ends on one");
	CHECK_INT(ratelimit_count(rl), 1, "one key tracked");
	ratelimit_free(rl);
}

/* a stand-in for the nodes' common count (rate_store.h): one window, counting every take */
struct shared_count {
	long long end_ms, n;
	bool down;
	int calls;
};

static int shared_take(void *ctx, const char *key, long long now_ms, long long new_end_ms,
		       long long *end_ms, long long *count)
{
	struct shared_count *c = ctx;
	(void)key;
	c->calls++;
	if (c->down)
		return -1;
	if (c->end_ms <= now_ms) {
		c->end_ms = new_end_ms;
		c->n = 0;
	}
	*end_ms = c->end_ms;
	*count = ++c->n;
	return 0;
}

static void test_shared(void)
{
	struct ratelimit *rl = new_rl(3, 5);
	struct shared_count other_nodes = { 0 };
	struct ratelimit_result r;
	long long t0 = 1700000000500LL;
	ratelimit_share(rl, shared_take, &other_nodes);
	other_nodes.end_ms = 1700000006000LL;
	other_nodes.n = 2;	/* two requests already counted on another node */
	ratelimit_take(rl, "key|/v1/letters", t0, &r);
	CHECK(r.allowed && r.remaining == 0, "the third request of the cluster's window: allowed, none left");
	CHECK_INT(r.reset_epoch_s, 1700000006LL, "the cluster's window end");
	ratelimit_take(rl, "key|/v1/letters", t0 + 1, &r);
	CHECK(!r.allowed && r.remaining == 0, "the fourth is refused although this node saw one");
	other_nodes.down = true;
	ratelimit_take(rl, "key|/v1/letters", t0 + 2, &r);
	CHECK(r.allowed && r.remaining == 2, "the database down: this node's own count");
	CHECK_INT(other_nodes.calls, 3, "every take asked the shared count first");
	ratelimit_free(rl);
}

static void test_keys_independent(void)
{
	struct ratelimit *rl = new_rl(1, 5);
	struct ratelimit_result r;

	ratelimit_take(rl, "a|/v1/letters", 1000, &r);
	CHECK(r.allowed, "key a allowed");
	ratelimit_take(rl, "a|/v1/letters", 1000, &r);
	CHECK(!r.allowed, "key a denied");
	ratelimit_take(rl, "a|/v1/postcards", 1000, &r);
	CHECK(r.allowed, "same key, other endpoint allowed");
	ratelimit_take(rl, "b|/v1/letters", 1000, &r);
	CHECK(r.allowed, "other key, same endpoint allowed");
	CHECK_INT(ratelimit_count(rl), 3, "three keys tracked");
	ratelimit_free(rl);
}

static void test_off(void)
{
	struct ratelimit_config c = { .off = true };
	struct ratelimit *rl = ratelimit_new(&c);
	struct ratelimit_result r;

	for (int i = 0; i < 1000; i++)
		ratelimit_take(rl, "k", 1000, &r);
	CHECK(r.allowed, "off: always allowed");
	CHECK_INT(r.limit, 0, "off: limit 0");
	CHECK_INT(ratelimit_count(rl), 0, "off: nothing tracked");
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

static void test_new_invalid(void)
{
	struct ratelimit_config zero = { .limit = 0, .window_s = 5 };
	struct ratelimit_config nowin = { .limit = 5, .window_s = 0 };

	CHECK(ratelimit_new(&zero) == NULL, "limit 0 is refused");
	CHECK(ratelimit_new(&nowin) == NULL, "window 0 is refused");
}

/* ---- threads ----------------------------------------------------------------------- */

#define THREADS 4
#define PER_THREAD 2500

struct hammer {
	struct ratelimit *rl;
	const char *key;	/* NULL: a distinct key per request */
	int id;
	unsigned allowed;
};

static void *hammer_run(void *arg)
{
	struct hammer *h = arg;
	struct ratelimit_result r;
	char key[64];

	for (int i = 0; i < PER_THREAD; i++) {
		const char *k = h->key;
		if (!k) {
			snprintf(key, sizeof(key), "t%d|%d", h->id, i);
			k = key;
		}
		ratelimit_take(h->rl, k, 5000 + i % 100, &r);
		h->allowed += r.allowed;
	}
	return NULL;
}

static unsigned hammer(struct ratelimit *rl, const char *key)
{
	pthread_t th[THREADS];
	struct hammer h[THREADS];
	unsigned total = 0;

	for (int i = 0; i < THREADS; i++) {
		h[i] = (struct hammer){ .rl = rl, .key = key, .id = i };
		pthread_create(&th[i], NULL, hammer_run, &h[i]);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		total += h[i].allowed;
	}
	return total;
}

static void test_threads(void)
{
	struct ratelimit *rl = new_rl(1000, 5);

	CHECK_INT(hammer(rl, "one|/v1/letters"), 1000,
		  "4 threads x %d on one key: exactly the limit allowed", PER_THREAD);
	CHECK_INT(ratelimit_count(rl), 1, "one key tracked");
	CHECK_INT(hammer(rl, NULL), THREADS * PER_THREAD, "distinct keys: all allowed");
	CHECK_INT(ratelimit_count(rl), 1 + THREADS * PER_THREAD, "all distinct keys tracked");
	ratelimit_free(rl);
}

/* ---- memory bound ------------------------------------------------------------------ */

static void take_n(struct ratelimit *rl, const char *prefix, unsigned n, long long now_ms,
		   unsigned *allowed)
{
	struct ratelimit_result r;
	char key[64];

	*allowed = 0;
	for (unsigned i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%s%u", prefix, i);
		ratelimit_take(rl, key, now_ms, &r);
		*allowed += r.allowed;
	}
}

static void test_bucket_reclaim(void)
{
	struct ratelimit *rl = new_rl(1, 5);
	unsigned ok;

	take_n(rl, "old", 2000, 0, &ok);
	CHECK_INT(ratelimit_count(rl), 2000, "2000 keys tracked");
	take_n(rl, "old", 2000, 6000, &ok);
	CHECK_INT(ok, 2000, "the same keys get a new window");
	CHECK_INT(ratelimit_count(rl), 2000, "expired entries are reused, not duplicated");
	take_n(rl, "new", 2000, 12000, &ok);
	CHECK(ratelimit_count(rl) < 4000, "expired entries in touched buckets are freed (%zu)",
	      ratelimit_count(rl));
	ratelimit_free(rl);
}

static void test_cap(void)
{
	struct ratelimit *rl = new_rl(1, 5);
	const unsigned cap = RATELIMIT_MAX_ENTRIES, extra = 1000;
	unsigned ok;

	take_n(rl, "a", cap + extra, 0, &ok);
	CHECK_INT(ok, cap + extra, "cap + %u keys: all allowed", extra);
	CHECK_INT(ratelimit_count(rl), cap, "no more than the cap tracked");
	take_n(rl, "a", cap + extra, 1000, &ok);
	CHECK_INT(ok, extra, "second round: tracked keys denied, untracked ones fail open");
	CHECK_INT(ratelimit_count(rl), cap, "still at the cap");

	take_n(rl, "b", cap, 5000, &ok);
	CHECK_INT(ok, cap, "after expiry: new keys allowed");
	CHECK_INT(ratelimit_count(rl), cap, "expired keys were reclaimed for new ones");
	take_n(rl, "b", cap, 5001, &ok);
	CHECK_INT(ok, 0, "every new key is tracked (all denied the second time)");
	ratelimit_free(rl);
}

/* a password flood for one e-mail from one address stops there, and only there */
static void test_signin(void)
{
	struct signin_limit *sl = signin_limit_new();
	const long long t0 = 1700000000000LL;
	char addr[32];
	unsigned allowed = 0;
	for (int i = 0; i < 25; i++)
		allowed += signin_limit_take(sl, "x@example.com", "192.0.2.1", t0) == 0;
	CHECK_INT(allowed, SIGNIN_PER_ADDRESS, "attempts for one e-mail from one address");
	CHECK(signin_limit_take(sl, "x@example.com", "192.0.2.1", t0) >= SIGNIN_WINDOW_S - 1,
	      "the wait runs to the window's end");
	CHECK_INT(signin_limit_take(sl, "y@example.com", "192.0.2.1", t0), 0,
		  "another e-mail from the same address");
	CHECK_INT(signin_limit_take(sl, "x@example.com", "192.0.2.2", t0), 0,
		  "the same e-mail from another address");
	/* spread over many addresses, the e-mail's own budget ends the flood */
	allowed = 0;
	for (int i = 0; i < 100; i++) {
		snprintf(addr, sizeof(addr), "198.51.100.%d", i);
		allowed += signin_limit_take(sl, "x@example.com", addr, t0) == 0;
	}
	CHECK_INT(allowed, SIGNIN_PER_EMAIL - SIGNIN_PER_ADDRESS - 1,
		  "the e-mail's budget over all addresses");
	CHECK_INT(signin_limit_take(sl, "x@example.com", "192.0.2.9",
				    t0 + SIGNIN_WINDOW_S * 1000LL + 1000), 0,
		  "allowed again after the window");
	CHECK_INT(signin_limit_take(NULL, "x@example.com", "192.0.2.1", t0), 0, "no limiter");
	signin_limit_free(sl);
}

int main(void)
{
	test_parse_good();
	test_parse_bad();
	test_parse_messages();
	test_counting();
	test_shared();
	test_keys_independent();
	test_off();
	test_new_invalid();
	test_threads();
	test_bucket_reclaim();
	test_cap();
	test_signin();
	return test_done();
}
