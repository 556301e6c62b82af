// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Process metrics for Prometheus: a small registry of counters, gauges and histograms with
 * up to METRIC_LABELS_MAX labels, rendered in the text exposition format 0.0.4. Lower
 * layers declare a `struct metric` and count into it (store's writer, renderers, webhook
 * senders, the router); the api/ handler of GET /metrics renders the whole registry.
 *
 * Hand-written rather than a client library: Debian 12 packages Prometheus clients for Go,
 * Rust, Perl and C++ (prometheus-cpp-dev) but none for C (`apt-cache search prometheus |
 * grep -i dev`); Frank is C11, and the text format is a few lines of printf.
 *
 * Values are atomics, so counting is a hash lookup under a short lock the first time a label
 * set is seen, then lock-free. Label values must come from bounded sets (route patterns,
 * status codes, job kinds), never from request data: every distinct set is a series kept
 * for the life of the process (at most METRICS_SERIES_MAX; past it, observations are
 * dropped and counted in frank_metrics_series_dropped_total).
 */
#ifndef FRANK_METRICS_H
#define FRANK_METRICS_H
#include <stddef.h>

#define METRIC_LABELS_MAX 3
#define METRIC_BUCKETS_MAX 16
#define METRICS_SERIES_MAX 4096

enum metric_type { METRIC_COUNTER, METRIC_GAUGE, METRIC_HISTOGRAM };

/* a metric family; static, declared where it is counted */
struct metric {
	const char *name;	/* frank_…; counters end in _total */
	const char *help;
	enum metric_type type;
	const char *labels[METRIC_LABELS_MAX];	/* label names, unused ones NULL */
	const double *buckets;	/* histograms: upper bounds, ascending (+Inf is implied) */
	unsigned n_buckets;	/* ≤ METRIC_BUCKETS_MAX */
};

/* bucket sets shared by several families */
extern const double metric_buckets_seconds[];	/* 1 ms … 60 s */
extern const unsigned metric_buckets_seconds_n;

/*
 * v: the label values in the order of m->labels (as many as it names; NULL reads as "").
 * metric_add: a counter grows by `by` (≥ 0), a gauge moves by it.
 * metric_set: a gauge's value.
 * metric_observe: one histogram observation.
 */
void metric_add(const struct metric *m, double by, const char *const *v);
void metric_set(const struct metric *m, double value, const char *const *v);
void metric_observe(const struct metric *m, double value, const char *const *v);
/* metric_add(m, 1, v) with the labels inline */
#define metric_inc(m, ...) metric_add((m), 1, (const char *const[]){ __VA_ARGS__, NULL })
#define metric_obs(m, x, ...) metric_observe((m), (x), (const char *const[]){ __VA_ARGS__, NULL })
/* sets every series of the family to 0 (a gauge refreshed at scrape time) */
void metric_zero(const struct metric *m);

/* every family with at least one series, as exposition text; malloc'd, *len its length */
char *metrics_render(size_t *len);
/* forgets every series (tests) */
void metrics_reset(void);
#endif
