// SPDX-License-Identifier: AGPL-3.0-or-later
/* The templates group's helpers (dashboard/templates_pages.h): which ids may go into an API
 * path, the API path of a list page, the pager links from a list answer, and links of
 * Frank's answers made local to the dashboard's origin (its CSP allows only 'self'). */
#include "test.h"
#include "core/arena.h"
#include "dashboard/templates_pages.h"
#include <jansson.h>

int main(void)
{
	CHECK(dash_id_ok("tmpl_4f2a9c"), "a template id");
	CHECK(dash_id_ok("res_prf_0a1B"), "a proof id");
	CHECK(!dash_id_ok(""), "empty");
	CHECK(!dash_id_ok(NULL), "absent");
	CHECK(!dash_id_ok("tmpl_1/../../v1/addresses"), "a path");
	CHECK(!dash_id_ok("tmpl_1?limit=100"), "a query");
	CHECK(!dash_id_ok("tmpl_1%2F"), "escaped");
	CHECK(!dash_id_ok("tmpl_12345678901234567890123456789012345678901234567890123456789012"),
	      "longer than 64");

	struct req rq = { 0 };
	rq.arena = arena_new();
	CHECK_STR(dash_list_path(&rq, "/v1/templates", 20, NULL), "/v1/templates?limit=20",
		  "the first page");
	rq.query = json_pack("{ss}", "after", "abc&limit=1000");
	CHECK_STR(dash_list_path(&rq, "/v1/addresses", 20, "&x=y"),
		  "/v1/addresses?limit=20&after=abc%26limit%3D1000&x=y",
		  "a cursor from the page's query is escaped, never a parameter of its own");
	json_decref(rq.query);
	rq.query = json_pack("{ss}", "before", "Zz9");
	CHECK_STR(dash_list_path(&rq, "/v1/templates", 20, NULL),
		  "/v1/templates?limit=20&before=Zz9", "before");
	json_decref(rq.query);
	rq.query = NULL;

	json_t *list = json_pack("{ssss}", "next_url",
				 "https://api.lob.com/v1/templates?limit=20&after=eyJhIjoxfQ",
				 "previous_url", "http://127.0.0.1:8080/v1/templates?before=eyJiIjoyfQ&limit=20");
	json_t *p = dash_pager(&rq, "/dashboard/templates", list);
	CHECK_STR(json_string_value(json_object_get(p, "next")),
		  "/dashboard/templates?after=eyJhIjoxfQ", "next page");
	CHECK_STR(json_string_value(json_object_get(p, "prev")),
		  "/dashboard/templates?before=eyJiIjoyfQ", "previous page");
	json_decref(p);
	json_decref(list);
	list = json_pack("{snsn}", "next_url", "previous_url");
	p = dash_pager(&rq, "/dashboard/templates", list);
	CHECK(json_object_size(p) == 0, "one page: no links");
	json_decref(p);
	json_decref(list);

	CHECK_STR(dash_local_link(&rq, "https://frank.example/letters/ltr_1_thumb_large_1.png?expires=9&signature=ab"),
		  "/letters/ltr_1_thumb_large_1.png?expires=9&signature=ab", "a signed link, local");
	CHECK_STR(dash_local_link(&rq, "/v1/x"), "/v1/x", "already local");
	CHECK(dash_local_link(&rq, "javascript:alert(1)") == NULL, "not a link");
	CHECK(dash_local_link(&rq, NULL) == NULL, "no link");
	CHECK(dash_local_link(&rq, "//evil.example/x.png") == NULL, "protocol-relative: refused");
	CHECK(dash_local_link(&rq, "https://frank.example//evil.example/x") == NULL,
	      "a path that starts another origin: refused");
	arena_free(rq.arena);
	return test_done();
}
