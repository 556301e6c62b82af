// SPDX-License-Identifier: AGPL-3.0-or-later
/* Every route of the API, handed to the router by main (app->routes). */
#ifndef FRANK_API_ROUTES_H
#define FRANK_API_ROUTES_H
#include "http/route.h"

extern const struct route_registry api_routes;
/* what --metrics-listen serves: /metrics, /healthz and /readyz, without credentials */
extern const struct route_registry api_metrics_listener_routes;

/* route_registry.resource_kind for the families' resources (api/resource.h) */
const char *api_resource_kind(const struct resource *res);
#endif
