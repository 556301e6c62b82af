// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Frank's route table against Lob's spec (api/spec_operations.h): every route Frank registers
 * under /v1 is an operation of the spec or a documented Frank extension; the count of the
 * spec's operations Frank serves is printed and may only grow.
 */
#include "api/routes.h"
#include "api/spec_operations.h"
#include "http/req.h"
#include "test.h"
#include <stdio.h>
#include <string.h>

/* served when this test was last updated (issue 16: every operation, with the inserts); a route
 * removed by mistake lowers it */
#define SERVED_AT_LEAST 105

static void test_paths(void)
{
	CHECK(spec_path_same("/v1/addresses/{id}", "/v1/addresses/{adr_id}"), "a parameter matches a parameter");
	CHECK(spec_path_same("/v1/templates/{id}/versions/{sub}",
			     "/v1/templates/{tmpl_id}/versions/{vrsn_id}"), "two parameters");
	CHECK(!spec_path_same("/v1/addresses", "/v1/addresses/{adr_id}"), "not a prefix");
	CHECK(!spec_path_same("/v1/addresses/{id}", "/v1/addresses"), "nor longer");
	CHECK(!spec_path_same("/v1/letters/{id}", "/v1/letters/verify"), "a literal is not a parameter");
	CHECK(!spec_path_same("/v1/letter", "/v1/letters"), "literals match whole");
	CHECK(spec_frank_extension("/v1/_frank/ledger"), "/v1/_frank/ is Frank's");
	CHECK(spec_frank_extension("/v1/webhooks/{id}"), "webhooks are a documented extension");
	CHECK(!spec_frank_extension("/v1/webhookss"), "a prefix is a whole segment");
	CHECK(!spec_frank_extension("/v1/letters"), "letters are Lob's");
}

static void test_routes(void)
{
	size_t served = 0, v1 = 0;
	CHECK_INT(spec_operations_count, 105, "the vendored spec lists 105 operations");
	for (const struct route_family *f = api_routes.families; f->rows; f++)
		for (const struct route *r = f->rows; r->pattern; r++) {
			if (strncmp(r->pattern, "/v1/", 4) != 0)
				continue;
			v1++;
			CHECK(spec_operation_of(r) || spec_frank_extension(r->pattern),
			      "%s %s is an operation of Lob's spec or a documented Frank extension",
			      http_method_name(r->method), r->pattern);
		}
	for (size_t i = 0; i < spec_operations_count; i++)
		served += spec_operation_route(&api_routes, &spec_operations[i], NULL) != NULL;
	printf("# Frank serves %zu of the spec's %zu operations (%zu routes under /v1)\n", served,
	       spec_operations_count, v1);
	CHECK(served >= SERVED_AT_LEAST, "at least %d operations served (%zu)", SERVED_AT_LEAST,
	      served);
	CHECK(spec_operation_route(&api_routes, &spec_operations[0], NULL) != NULL,
	      "%s %s (%s) is served", spec_operations[0].method, spec_operations[0].path,
	      spec_operations[0].operation_id);
}

int main(void)
{
	test_paths();
	test_routes();
	return test_done();
}
