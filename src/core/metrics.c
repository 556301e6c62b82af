// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The metrics registry (metrics.h). Series live in one fixed table, found by hashing the
 * family and label values; they are never removed, so a pointer to one stays valid and the
 * values are updated with atomics outside the lock. Fractional values (histogram sums,
 * gauges) are kept in millionths.
 */
#include "core/metrics.h"
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABEL_VALUE_MAX 96
#define TABLE_SIZE (METRICS_SERIES_MAX * 2)	/* open addressing, at most half full */
#define FAMILIES_MAX 128

const double metric_buckets_seconds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
					  0.25,	 0.5,	 1,	2.5,  5,     10,   30, 60 };
const unsigned metric_buckets_seconds_n =
	sizeof(metric_buckets_seconds) / sizeof(metric_buckets_seconds[0]);

struct series {
	const struct metric *m;
	char values[METRIC_LABELS_MAX][LABEL_VALUE_MAX];
	_Atomic long long micro;	/* counter or gauge value, or histogram sum, ×1e6 */
	_Atomic unsigned long long buckets[METRIC_BUCKETS_MAX + 1];	/* last: above all */
	unsigned order;			/* creation order, for a stable output */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct series *table[TABLE_SIZE];
static unsigned n_series;
static const struct metric *families[FAMILIES_MAX];
static unsigned n_families;
static _Atomic unsigned long long dropped;

static long long to_micro(double v)
{
	return isfinite(v) ? llround(v * 1e6) : 0;
}

static uint64_t hash_of(const struct metric *m, const char *const *v)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(uintptr_t)m;
	for (unsigned i = 0; i < METRIC_LABELS_MAX && m->labels[i]; i++) {
		for (const char *p = v && v[i] ? v[i] : ""; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

static bool same(const struct series *s, const struct metric *m, const char *const *v)
{
	if (s->m != m)
		return false;
	for (unsigned i = 0; i < METRIC_LABELS_MAX && m->labels[i]; i++)
		if (strncmp(s->values[i], v && v[i] ? v[i] : "", LABEL_VALUE_MAX - 1) != 0)
			return false;
	return true;
}

/* the series of m with these label values, created on first use; NULL when full */
static struct series *find(const struct metric *m, const char *const *v)
{
	uint64_t h = hash_of(m, v);
	struct series *s = NULL;
	pthread_mutex_lock(&lock);
	for (size_t i = h % TABLE_SIZE;; i = (i + 1) % TABLE_SIZE) {
		if (table[i] && same(table[i], m, v)) {
			s = table[i];
			break;
		}
		if (table[i])
			continue;
		if (n_series >= METRICS_SERIES_MAX || !(s = calloc(1, sizeof(*s))))
			break;
		s->m = m;
		for (unsigned l = 0; l < METRIC_LABELS_MAX && m->labels[l]; l++)
			snprintf(s->values[l], LABEL_VALUE_MAX, "%s", v && v[l] ? v[l] : "");
		s->order = n_series++;
		table[i] = s;
		bool known = false;
		for (unsigned f = 0; f < n_families; f++)
			known = known || families[f] == m;
		if (!known && n_families < FAMILIES_MAX)
			families[n_families++] = m;
		break;
	}
	pthread_mutex_unlock(&lock);
	if (!s)
		atomic_fetch_add(&dropped, 1);
	return s;
}

void metric_add(const struct metric *m, double by, const char *const *v)
{
	struct series *s = find(m, v);
	if (s)
		atomic_fetch_add(&s->micro, to_micro(by));
}

void metric_set(const struct metric *m, double value, const char *const *v)
{
	struct series *s = find(m, v);
	if (s)
		atomic_store(&s->micro, to_micro(value));
}

void metric_observe(const struct metric *m, double value, const char *const *v)
{
	struct series *s = find(m, v);
	if (!s)
		return;
	unsigned b = 0;
	while (b < m->n_buckets && b < METRIC_BUCKETS_MAX && value > m->buckets[b])
		b++;
	atomic_fetch_add(&s->buckets[b], 1);
	atomic_fetch_add(&s->micro, to_micro(value));
}

void metric_zero(const struct metric *m)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (table[i] && table[i]->m == m)
			atomic_store(&table[i]->micro, 0);
	pthread_mutex_unlock(&lock);
}

/* ---- the text format ---- */

struct text {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	for (int tries = 0; tries < 2 && !t->oom; tries++) {
		va_list ap;
		va_start(ap, fmt);
		int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->oom = true;
			return;
		}
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = (t->cap + (size_t)n + 1) * 2;
		char *nb = realloc(t->buf, cap);
		if (!nb) {
			t->oom = true;
			return;
		}
		t->buf = nb;
		t->cap = cap;
	}
}

/* a label value: backslash, double quote and newline escaped */
static void put_value(struct text *t, const char *v)
{
	put(t, "\"");
	for (const char *p = v; *p; p++) {
		if (*p == '\\' || *p == '"')
			put(t, "\\%c", *p);
		else if (*p == '\n')
			put(t, "\\n");
		else
			put(t, "%c", *p);
	}
	put(t, "\"");
}

/* {a="x",b="y"[,le="…"]}, or nothing */
static void put_labels(struct text *t, const struct series *s, const char *le)
{
	unsigned n = 0;
	for (unsigned i = 0; i < METRIC_LABELS_MAX && s->m->labels[i]; i++) {
		put(t, "%s%s=", n++ ? "," : "{", s->m->labels[i]);
		put_value(t, s->values[i]);
	}
	if (le) {
		put(t, "%sle=", n++ ? "," : "{");
		put_value(t, le);
	}
	if (n)
		put(t, "}");
}

static void put_micro(struct text *t, long long micro)
{
	if (micro % 1000000 == 0)
		put(t, "%lld\n", micro / 1000000);
	else
		put(t, "%.6f\n", (double)micro / 1e6);
}

static void put_series(struct text *t, const struct series *s)
{
	const struct metric *m = s->m;
	if (m->type != METRIC_HISTOGRAM) {
		put(t, "%s", m->name);
		put_labels(t, s, NULL);
		put(t, " ");
		put_micro(t, atomic_load(&s->micro));
		return;
	}
	unsigned long long cumulative = 0;
	char le[32];
	for (unsigned b = 0; b <= m->n_buckets && b <= METRIC_BUCKETS_MAX; b++) {
		cumulative += atomic_load(&s->buckets[b]);
		if (b < m->n_buckets)
			snprintf(le, sizeof(le), "%g", m->buckets[b]);
		else
			snprintf(le, sizeof(le), "+Inf");
		put(t, "%s_bucket", m->name);
		put_labels(t, s, le);
		put(t, " %llu\n", cumulative);
	}
	put(t, "%s_sum", m->name);
	put_labels(t, s, NULL);
	put(t, " ");
	put_micro(t, atomic_load(&s->micro));
	put(t, "%s_count", m->name);
	put_labels(t, s, NULL);
	put(t, " %llu\n", cumulative);
}

static int by_order(const void *a, const void *b)
{
	const struct series *x = *(struct series *const *)a, *y = *(struct series *const *)b;
	return x->order < y->order ? -1 : x->order > y->order;
}

char *metrics_render(size_t *len)
{
	static const char *const type_names[] = { "counter", "gauge", "histogram" };
	struct text t = { .buf = malloc(16384), .cap = 16384 };
	if (!t.buf)
		return NULL;
	pthread_mutex_lock(&lock);
	struct series **all = calloc(n_series ? n_series : 1, sizeof(*all));
	size_t n = 0;
	for (size_t i = 0; all && i < TABLE_SIZE; i++)
		if (table[i])
			all[n++] = table[i];
	qsort(all, n, sizeof(*all), by_order);
	for (unsigned f = 0; all && f < n_families; f++) {
		const struct metric *m = families[f];
		put(&t, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help, m->name,
		    type_names[m->type]);
		for (size_t i = 0; i < n; i++)
			if (all[i]->m == m)
				put_series(&t, all[i]);
	}
	pthread_mutex_unlock(&lock);
	free(all);
	put(&t, "# HELP frank_metrics_series_dropped_total Observations dropped: the series table "
		"was full\n# TYPE frank_metrics_series_dropped_total counter\n"
		"frank_metrics_series_dropped_total %llu\n", atomic_load(&dropped));
	if (t.oom) {
		free(t.buf);
		return NULL;
	}
	*len = t.len;
	return t.buf;
}

void metrics_reset(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < TABLE_SIZE; i++) {
		free(table[i]);
		table[i] = NULL;
	}
	n_series = 0;
	n_families = 0;
	pthread_mutex_unlock(&lock);
	atomic_store(&dropped, 0);
}
