// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * core/metrics: the exposition text (HELP and TYPE once per family, label values escaped,
 * histogram buckets cumulative with +Inf equal to _count), concurrent counting without lost
 * increments, and a full series table dropping rather than growing.
 */
#include "core/metrics.h"
#include "test.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct metric requests = { "t_requests_total", "Requests", METRIC_COUNTER,
					{ "route", "status" }, NULL, 0 };
static const double buckets[] = { 0.1, 1 };
static const struct metric latency = { "t_seconds", "Latency", METRIC_HISTOGRAM, { "route" },
				       buckets, 2 };
static const struct metric size = { "t_bytes", "Size", METRIC_GAUGE, { NULL }, NULL, 0 };

static char *render(void)
{
	size_t len = 0;
	char *text = metrics_render(&len);
	CHECK(text && strlen(text) == len, "rendered with its length");
	return text;
}

static void test_text(void)
{
	metrics_reset();
	metric_inc(&requests, "/v1/letters", "200");
	metric_inc(&requests, "/v1/letters", "200");
	metric_inc(&requests, "/v1/a\"b\\c\nd", "404");
	metric_obs(&latency, 0.05, "/v1/letters");
	metric_obs(&latency, 0.5, "/v1/letters");
	metric_obs(&latency, 7, "/v1/letters");
	metric_set(&size, 1234.5, NULL);
	char *t = render();
	CHECK(strstr(t, "# HELP t_requests_total Requests\n# TYPE t_requests_total counter\n"),
	      "HELP and TYPE before the samples");
	CHECK(strstr(t, "t_requests_total{route=\"/v1/letters\",status=\"200\"} 2\n"), "counted twice");
	CHECK(strstr(t, "t_requests_total{route=\"/v1/a\\\"b\\\\c\\nd\",status=\"404\"} 1\n"),
	      "quote, backslash and newline escaped in a label value");
	CHECK(strstr(t, "t_seconds_bucket{route=\"/v1/letters\",le=\"0.1\"} 1\n"
			"t_seconds_bucket{route=\"/v1/letters\",le=\"1\"} 2\n"
			"t_seconds_bucket{route=\"/v1/letters\",le=\"+Inf\"} 3\n"
			"t_seconds_sum{route=\"/v1/letters\"} 7.550000\n"
			"t_seconds_count{route=\"/v1/letters\"} 3\n"),
	      "cumulative buckets, +Inf = count, the sum");
	CHECK(strstr(t, "t_bytes 1234.500000\n"), "a gauge without labels");
	char *second = strstr(t, "# TYPE t_requests_total");
	CHECK(second && !strstr(second + 1, "# TYPE t_requests_total"), "one TYPE line per family");
	free(t);
	metric_zero(&size);
	t = render();
	CHECK(strstr(t, "t_bytes 0\n"), "metric_zero sets the gauge to 0");
	free(t);
}

static void *count_many(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++)
		metric_inc(&requests, "/v1/x", "200");
	return NULL;
}

static void test_concurrent(void)
{
	metrics_reset();
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, count_many, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	char *t = render();
	CHECK(strstr(t, "t_requests_total{route=\"/v1/x\",status=\"200\"} 80000\n"),
	      "4 threads × 20000 increments, none lost");
	free(t);
}

static void test_full_table(void)
{
	metrics_reset();
	char v[32];
	for (int i = 0; i < METRICS_SERIES_MAX + 10; i++) {
		snprintf(v, sizeof(v), "%d", i);
		metric_inc(&requests, "/r", v);
	}
	char *t = render();
	CHECK(strstr(t, "frank_metrics_series_dropped_total 10\n"), "past the cap, observations dropped and counted");
	snprintf(v, sizeof(v), "status=\"%d\"", METRICS_SERIES_MAX);
	CHECK(!strstr(t, v), "no series past the cap");
	free(t);
	metrics_reset();
}

int main(void)
{
	test_text();
	test_concurrent();
	test_full_table();
	return test_done();
}
