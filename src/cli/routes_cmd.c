// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank routes [--json]: every operation of Lob's spec (method, path, operationId) with
 * whether Frank serves it and under which profile, then Frank's own routes (its extensions
 * under /v1/_frank/, the certified /api/v1, signed links, health checks). The spec's list is
 * generated from the vendored spec (api/spec_operations.h); the served column is the route
 * table frankd runs (api/routes.c).
 */
#include "api/routes.h"
#include "api/spec_operations.h"
#include "cli/commands.h"
#include "http/req.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* who may call a row: its key types (Lob keys), its scope (/api/v1), or nothing to say */
static const char *access_of(const struct route_profile *p, const struct route *r)
{
	if (r->scope)
		return r->scope;
	if (p->auth != AUTH_LOB_KEY)
		return p->auth == AUTH_OPERATOR_KEY ? "operator key" : "";
	return r->keys & KEY_PUBLISHABLE ? "secret+publishable" : "secret";
}

static json_t *frank_routes(void)
{
	json_t *out = json_array();
	for (const struct route_family *f = api_routes.families; f->rows; f++)
		for (const struct route *r = f->rows; r->pattern; r++)
			if (!spec_operation_of(r))
				json_array_append_new(out, json_pack("{ss ss ss ss}", "method",
								     http_method_name(r->method),
								     "path", r->pattern, "profile",
								     f->profile->name, "access",
								     access_of(f->profile, r)));
	return out;
}

static json_t *coverage(size_t *served)
{
	json_t *ops = json_array();
	*served = 0;
	for (size_t i = 0; i < spec_operations_count; i++) {
		const struct spec_operation *op = &spec_operations[i];
		const struct route_profile *profile = NULL;
		const struct route *r = spec_operation_route(&api_routes, op, &profile);
		*served += r != NULL;
		json_array_append_new(ops, json_pack("{ss ss ss sb so}", "method", op->method, "path",
						     op->path, "operation_id", op->operation_id,
						     "served", r != NULL, "profile",
						     r ? json_string(profile->name) : json_null()));
	}
	return ops;
}

int cmd_routes(struct cli_args *a)
{
	size_t served, i;
	json_t *ops = coverage(&served), *own = frank_routes(), *row;
	if (a->json) {
		json_t *out = json_pack("{so sI sI so}", "spec_operations", ops, "spec_total",
					(json_int_t)spec_operations_count, "served",
					(json_int_t)served, "frank_routes", own);
		char *text = json_dumps(out, JSON_PRESERVE_ORDER | JSON_INDENT(2));
		printf("%s\n", text ? text : "{}");
		free(text);
		json_decref(out);
		return text ? 0 : 1;
	}
	printf("Lob's API: %zu operations in the spec, %zu served by Frank\n\n", spec_operations_count,
	       served);
	printf("%-6s %-7s %-58s %-40s\n", "SERVED", "METHOD", "PATH", "OPERATION");
	json_array_foreach(ops, i, row)
		printf("%-6s %-7s %-58s %-40s\n", json_is_true(json_object_get(row, "served")) ? "yes"
											   : "no",
		       json_string_value(json_object_get(row, "method")),
		       json_string_value(json_object_get(row, "path")),
		       json_string_value(json_object_get(row, "operation_id")));
	printf("\nFrank's own routes: %zu\n\n%-7s %-58s %-9s %s\n", json_array_size(own), "METHOD",
	       "PATH", "PROFILE", "ACCESS");
	json_array_foreach(own, i, row)
		printf("%-7s %-58s %-9s %s\n", json_string_value(json_object_get(row, "method")),
		       json_string_value(json_object_get(row, "path")),
		       json_string_value(json_object_get(row, "profile")),
		       json_string_value(json_object_get(row, "access")));
	json_decref(ops);
	json_decref(own);
	return 0;
}
