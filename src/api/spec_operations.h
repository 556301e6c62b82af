// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Lob's API as its OpenAPI spec lists it (every operation: method, path, operationId;
 * generated into spec_operations_data.c by scripts/gen-spec-operations), and which of them
 * Frank's route table serves: `frank routes` prints it, a unit test checks that every /v1
 * route Frank registers is one of them or a Frank extension under /v1/_frank/.
 */
#ifndef FRANK_API_SPEC_OPERATIONS_H
#define FRANK_API_SPEC_OPERATIONS_H
#include <stdbool.h>
#include <stddef.h>
#include "http/route.h"

struct spec_operation {
	const char *method;	/* "GET" */
	const char *path;	/* "/v1/addresses/{adr_id}" */
	const char *operation_id;
};

extern const struct spec_operation spec_operations[];
extern const size_t spec_operations_count;

/*
 * Whether a /v1 route pattern is one of Frank's documented extensions: under /v1/_frank/
 * (Lob has no such path), or events and webhooks, which Lob manages in its dashboard and
 * leaves out of its public spec (docs/internals/router.md)
 */
bool spec_frank_extension(const char *pattern);

/* whether a route pattern ("/v1/addresses/{id}") and a spec path name the same path: the
 * same literal segments, a parameter where the other has one */
bool spec_path_same(const char *pattern, const char *spec_path);
/* the row of reg serving op, or NULL (*profile: its family's profile) */
const struct route *spec_operation_route(const struct route_registry *reg,
					 const struct spec_operation *op,
					 const struct route_profile **profile);
/* the spec operation a route row serves, or NULL */
const struct spec_operation *spec_operation_of(const struct route *r);
#endif
