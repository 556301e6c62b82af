// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Fixed-window rate limiter: a chained hash table of per-key counters under 64 striped
 * mutexes, with a hard cap on entries. No HTTP here; the caller turns results into headers.
 */
#include "http/ratelimit.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct metric ratelimit_refusals = {
	"frank_ratelimit_refusals_total",
	"Requests refused with 429 by a rate limit, by limit (route profile, or signin)",
	METRIC_COUNTER, { "limit" }, NULL, 0
};

#define RL_STRIPES 64		/* power of two */
#define RL_BUCKETS 16384	/* power of two, multiple of RL_STRIPES */

_Static_assert(RL_BUCKETS % RL_STRIPES == 0, "each bucket must belong to one stripe");

struct rl_entry {
	struct rl_entry *next;
	uint64_t hash;
	long long end_ms;	/* the window ends here (exclusive), a whole second */
	unsigned count;		/* allowed requests in the window */
	char key[];
};

/* one mutex per cache line, so neighbouring stripes do not contend through false sharing */
union rl_stripe {
	pthread_mutex_t mu;
	char pad[64];
};
_Static_assert(sizeof(pthread_mutex_t) <= 64, "stripe padding too small");

struct ratelimit {
	struct ratelimit_config cfg;
	long long window_ms;
	atomic_size_t n;		/* entries in the table, all stripes */
	pthread_mutex_t sweep_mu;	/* one full sweep at a time */
	atomic_llong next_sweep_ms;	/* a full sweep before this cannot free anything */
	ratelimit_shared_fn shared;	/* several nodes: their common count, or NULL */
	void *shared_ctx;
	union rl_stripe stripes[RL_STRIPES];
	/* bucket b is guarded by stripe b % RL_STRIPES */
	struct rl_entry *buckets[RL_BUCKETS];
};

/* ---- config ------------------------------------------------------------------------ */

/*
 * Reads s[0..len) as plain decimal digits. A value above max is stored as max + 1 so
 * the caller reports it as out of range; the loop never overflows. -1 if not digits.
 */
static int parse_decimal(const char *s, size_t len, unsigned max, unsigned *out)
{
	unsigned long long v = 0;

	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v <= max)
			v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v > max ? max + 1 : (unsigned)v;
	return 0;
}

static int config_fail(char *errbuf, size_t errlen, const char *s, const char *why)
{
	if (errlen)
		snprintf(errbuf, errlen, "rate limit \"%.40s\": %s", s, why);
	return -1;
}

int ratelimit_config_parse(const char *s, struct ratelimit_config *out, char *errbuf,
			   size_t errlen)
{
	const char *slash;
	unsigned limit, window;

	if (!strcmp(s, "off")) {
		*out = (struct ratelimit_config){ .off = true };
		return 0;
	}
	slash = strchr(s, '/');
	if (!slash || parse_decimal(s, (size_t)(slash - s), RATELIMIT_LIMIT_MAX, &limit) ||
	    parse_decimal(slash + 1, strlen(slash + 1), RATELIMIT_WINDOW_MAX, &window))
		return config_fail(errbuf, errlen, s,
				   "expected N/SECONDS (e.g. 150/5) or \"off\"");
	if (limit < 1 || limit > RATELIMIT_LIMIT_MAX)
		return config_fail(errbuf, errlen, s, "the limit must be 1..1000000 requests");
	if (window < 1 || window > RATELIMIT_WINDOW_MAX)
		return config_fail(errbuf, errlen, s, "the window must be 1..86400 seconds");
	*out = (struct ratelimit_config){ .limit = limit, .window_s = window };
	return 0;
}

/* ---- life cycle -------------------------------------------------------------------- */

struct ratelimit *ratelimit_new(const struct ratelimit_config *cfg)
{
	struct ratelimit *rl;

	if (!cfg->off && (cfg->limit < 1 || cfg->limit > RATELIMIT_LIMIT_MAX ||
			  cfg->window_s < 1 || cfg->window_s > RATELIMIT_WINDOW_MAX))
		return NULL;
	rl = calloc(1, sizeof(*rl));
	if (!rl)
		return NULL;
	rl->cfg = *cfg;
	rl->window_ms = (long long)cfg->window_s * 1000;
	atomic_init(&rl->n, 0);
	atomic_init(&rl->next_sweep_ms, 0);
	pthread_mutex_init(&rl->sweep_mu, NULL);
	for (size_t i = 0; i < RL_STRIPES; i++)
		pthread_mutex_init(&rl->stripes[i].mu, NULL);
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	for (size_t b = 0; b < RL_BUCKETS; b++) {
		struct rl_entry *e = rl->buckets[b];
		while (e) {
			struct rl_entry *next = e->next;
			free(e);
			e = next;
		}
	}
	for (size_t i = 0; i < RL_STRIPES; i++)
		pthread_mutex_destroy(&rl->stripes[i].mu);
	pthread_mutex_destroy(&rl->sweep_mu);
	free(rl);
}

size_t ratelimit_count(struct ratelimit *rl)
{
	return atomic_load(&rl->n);
}

/* ---- the table (callers hold the bucket's stripe) ---------------------------------- */

/*
 * FNV-1a with a murmur-style finaliser so the low bits (bucket and stripe) are well mixed.
 * Not keyed: keys are built by the server from authenticated key ids and route patterns,
 * so a client cannot pick colliding keys.
 */
static uint64_t hash_key(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static pthread_mutex_t *stripe_of(struct ratelimit *rl, size_t bucket)
{
	return &rl->stripes[bucket & (RL_STRIPES - 1)].mu;
}

/* the end of a window starting at now_ms, rounded up to a whole second */
static long long window_end(const struct ratelimit *rl, long long now_ms)
{
	return (now_ms + rl->window_ms + 999) / 1000 * 1000;
}

/*
 * Finds key in its bucket and, on the way, frees every other entry whose window has
 * ended: a bucket only grows by live keys. The key's own entry is kept even if expired
 * (entry_count() starts a new window in it).
 */
static struct rl_entry *bucket_find(struct ratelimit *rl, size_t bucket, uint64_t hash,
				    const char *key, long long now_ms)
{
	struct rl_entry **pp = &rl->buckets[bucket];
	struct rl_entry *found = NULL;

	while (*pp) {
		struct rl_entry *e = *pp;
		if (!found && e->hash == hash && !strcmp(e->key, key)) {
			found = e;
		} else if (now_ms >= e->end_ms) {
			*pp = e->next;
			free(e);
			atomic_fetch_sub(&rl->n, 1);
			continue;
		}
		pp = &e->next;
	}
	return found;
}

/* takes one of the RATELIMIT_MAX_ENTRIES slots; false when the table is full */
static bool slot_reserve(struct ratelimit *rl)
{
	if (atomic_fetch_add(&rl->n, 1) < RATELIMIT_MAX_ENTRIES)
		return true;
	atomic_fetch_sub(&rl->n, 1);
	return false;
}

/* a new entry with an empty window at the head of its bucket; NULL if full or no memory */
static struct rl_entry *bucket_insert(struct ratelimit *rl, size_t bucket, uint64_t hash,
				      const char *key, long long now_ms)
{
	size_t len = strlen(key);
	struct rl_entry *e;

	if (!slot_reserve(rl))
		return NULL;
	e = malloc(sizeof(*e) + len + 1);
	if (!e) {
		atomic_fetch_sub(&rl->n, 1);
		return NULL;
	}
	memcpy(e->key, key, len + 1);
	e->hash = hash;
	e->count = 0;
	e->end_ms = window_end(rl, now_ms);
	e->next = rl->buckets[bucket];
	rl->buckets[bucket] = e;
	return e;
}

/* frees the expired entries of one bucket; lowers *min_end to the earliest live end */
static void bucket_sweep(struct ratelimit *rl, size_t bucket, long long now_ms,
			 long long *min_end)
{
	struct rl_entry **pp = &rl->buckets[bucket];

	while (*pp) {
		struct rl_entry *e = *pp;
		if (now_ms >= e->end_ms) {
			*pp = e->next;
			free(e);
			atomic_fetch_sub(&rl->n, 1);
			continue;
		}
		if (e->end_ms < *min_end)
			*min_end = e->end_ms;
		pp = &e->next;
	}
}

/*
 * The table is full: frees every expired entry, one stripe at a time (the caller holds
 * no stripe). Then records the earliest moment any entry can expire, the older of the
 * earliest live window end and the end of a window opened now: sweeping again before
 * that is pointless, so a table full of live keys costs one sweep per expiry, not one
 * per request.
 */
static void table_sweep_locked(struct ratelimit *rl, long long now_ms)
{
	long long min_end = window_end(rl, now_ms);

	for (size_t s = 0; s < RL_STRIPES; s++) {
		pthread_mutex_lock(&rl->stripes[s].mu);
		for (size_t b = s; b < RL_BUCKETS; b += RL_STRIPES)
			bucket_sweep(rl, b, now_ms, &min_end);
		pthread_mutex_unlock(&rl->stripes[s].mu);
	}
	atomic_store(&rl->next_sweep_ms, min_end);
}

static void table_sweep(struct ratelimit *rl, long long now_ms)
{
	pthread_mutex_lock(&rl->sweep_mu);
	if (now_ms >= atomic_load(&rl->next_sweep_ms))
		table_sweep_locked(rl, now_ms);
	pthread_mutex_unlock(&rl->sweep_mu);
}

/* ---- counting ---------------------------------------------------------------------- */

static void entry_count(const struct ratelimit *rl, struct rl_entry *e, long long now_ms,
			struct ratelimit_result *out)
{
	if (now_ms >= e->end_ms) {
		e->count = 0;
		e->end_ms = window_end(rl, now_ms);
	}
	out->limit = rl->cfg.limit;
	out->allowed = e->count < rl->cfg.limit;
	if (out->allowed)
		e->count++;
	out->remaining = rl->cfg.limit - e->count;
	out->reset_epoch_s = e->end_ms / 1000;
}

/* finds or adds key and counts the request; false if it could not be tracked */
static bool take_tracked(struct ratelimit *rl, const char *key, uint64_t hash,
			 long long now_ms, struct ratelimit_result *out)
{
	size_t bucket = hash & (RL_BUCKETS - 1);
	pthread_mutex_t *mu = stripe_of(rl, bucket);
	struct rl_entry *e;

	pthread_mutex_lock(mu);
	e = bucket_find(rl, bucket, hash, key, now_ms);
	if (!e)
		e = bucket_insert(rl, bucket, hash, key, now_ms);
	if (e)
		entry_count(rl, e, now_ms, out);
	pthread_mutex_unlock(mu);
	return e != NULL;
}

/*
 * The table is full of live keys (or malloc failed). We allow the request and report a
 * fresh window rather than deny it: denying would let whoever filled the table lock every
 * other key out of the whole API, and the cap exists to bound memory, not to limit
 * traffic. Keys already tracked keep being limited.
 */
static void take_untracked(const struct ratelimit *rl, long long now_ms,
			   struct ratelimit_result *out)
{
	out->limit = rl->cfg.limit;
	out->remaining = rl->cfg.limit - 1;
	out->reset_epoch_s = window_end(rl, now_ms) / 1000;
	out->allowed = true;
}

void ratelimit_take(struct ratelimit *rl, const char *key, long long now_ms,
		    struct ratelimit_result *out)
{
	uint64_t hash;

	if (rl->cfg.off) {
		*out = (struct ratelimit_result){ .allowed = true };
		return;
	}
	long long end_ms, count;
	if (rl->shared &&
	    rl->shared(rl->shared_ctx, key, now_ms, window_end(rl, now_ms), &end_ms, &count) == 0) {
		/* the shared count includes refused requests: once over, a key stays over
		 * until its window ends, as with the local count */
		out->limit = rl->cfg.limit;
		out->allowed = count <= (long long)rl->cfg.limit;
		out->remaining = out->allowed ? rl->cfg.limit - (unsigned)count : 0;
		out->reset_epoch_s = end_ms / 1000;
		return;
	}
	/* no shared count (one node, or the database did not answer): this node's */
	hash = hash_key(key);
	if (take_tracked(rl, key, hash, now_ms, out))
		return;
	if (now_ms >= atomic_load(&rl->next_sweep_ms)) {
		table_sweep(rl, now_ms);
		if (take_tracked(rl, key, hash, now_ms, out))
			return;
	}
	take_untracked(rl, now_ms, out);
}

void ratelimit_share(struct ratelimit *rl, ratelimit_shared_fn fn, void *ctx)
{
	rl->shared = fn;
	rl->shared_ctx = ctx;
}
