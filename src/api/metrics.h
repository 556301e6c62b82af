// SPDX-License-Identifier: AGPL-3.0-or-later
/* GET /metrics (Prometheus) and GET /readyz (api/metrics.c). */
#ifndef FRANK_API_METRICS_H
#define FRANK_API_METRICS_H
#include "http/route.h"

int api_metrics(struct req *rq, struct api_error *err);
/* 200 {"status":"ready"}, or 503 naming what is not ready (store, renderer, jobs) */
int api_readyz(struct req *rq, struct api_error *err);
#endif
