// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * http/edge: request-target bounds and the framing rules of RFC 9112 §6 (one
 * Content-Length, or Transfer-Encoding: chunked alone), as the transport hands them in.
 */
#include "http/edge.h"
#include "test.h"

static void test_target(void)
{
	struct edge_target t;
	struct api_error err;
	edge_measure_target("/v1/addresses", &t);
	CHECK(t.len == 13 && t.params == 0, "a path without a query has no parameters");
	edge_measure_target("/v1/addresses?limit=2&&after=x&", &t);
	CHECK_INT(t.params, 2, "empty pieces between '&' are not parameters");
	edge_measure_target("/v1/x?", &t);
	CHECK_INT(t.params, 0, "a bare '?' has none");

	char target[EDGE_TARGET_MAX + 2];
	memset(target, 'a', sizeof(target) - 1);
	target[0] = '/';
	target[EDGE_TARGET_MAX] = '\0';
	edge_measure_target(target, &t);
	CHECK_INT(edge_check_target(&t, &err), 0, "a target of exactly the limit passes");
	target[EDGE_TARGET_MAX] = 'a';
	target[EDGE_TARGET_MAX + 1] = '\0';
	edge_measure_target(target, &t);
	CHECK(edge_check_target(&t, &err) < 0 && api_error_status(&err) == 414 &&
		      strcmp(err_info(err.kind)->code, "bad_request") == 0,
	      "one byte over: 414 bad_request (%s)", err.message);

	/* "/q?" + "a&" x N */
	static char query[3 + 2 * (EDGE_QUERY_PARAMS_MAX + 1) + 1] = "/q?";
	for (size_t i = 0; i < EDGE_QUERY_PARAMS_MAX; i++)
		memcpy(query + 3 + 2 * i, "a&", 2);
	edge_measure_target(query, &t);
	CHECK(t.params == EDGE_QUERY_PARAMS_MAX && edge_check_target(&t, &err) == 0,
	      "%d parameters pass", EDGE_QUERY_PARAMS_MAX);
	memcpy(query + 3 + 2 * EDGE_QUERY_PARAMS_MAX, "a", 2);
	edge_measure_target(query, &t);
	CHECK(edge_check_target(&t, &err) < 0 && api_error_status(&err) == 422 &&
		      err.kind == ERR_INVALID,
	      "one more: 422 invalid (%s)", err.message);
}

#define FIELDS(...) ((const struct edge_field[]){ __VA_ARGS__ })
#define N(...) (sizeof((const struct edge_field[]){ __VA_ARGS__ }) / sizeof(struct edge_field))

/* the status edge_check_headers answers (0 when it passes) */
#define STATUS(http10, ...)                                                                \
	headers_status(FIELDS(__VA_ARGS__), N(__VA_ARGS__), (http10))

static int headers_status(const struct edge_field *f, size_t n, bool http10)
{
	struct api_error err;
	if (edge_check_headers(f, n, http10, &err) == 0)
		return 0;
	return api_error_status(&err);
}

static void test_framing(void)
{
	const struct edge_field host = { "Host", "x" };
	CHECK_INT(STATUS(false, host, { "Content-Length", "2" }), 0, "one Content-Length");
	CHECK_INT(STATUS(false, host, { "content-length", "2" }, { "Content-Length", "2" }), 0,
		  "identical Content-Length repeats count as one (RFC 9112 6.3 item 5)");
	CHECK_INT(STATUS(false, { "Content-Length", "2" }, { "Content-Length", "02" }), 0,
		  "the same number written differently is the same length");
	CHECK_INT(STATUS(false, { "Content-Length", "2" }, { "Content-Length", "40" }), 400,
		  "two different Content-Lengths: 400 (request smuggling)");
	CHECK_INT(STATUS(false, { "Content-Length", "2" }, { "Content-Length", "2 " }), 400,
		  "a Content-Length with trailing blanks");
	CHECK_INT(STATUS(false, { "Content-Length", "2" }, { "Content-Length", "+2" }), 400,
		  "a signed Content-Length");
	CHECK_INT(STATUS(false, { "Content-Length", "2" }, { "Content-Length", "2, 2" }), 400,
		  "a Content-Length list");
	CHECK_INT(STATUS(false, { "Content-Length", "99999999999999999999999" }), 400,
		  "a Content-Length past 64 bits");

	CHECK_INT(STATUS(false, { "Transfer-Encoding", "chunked" }), 0, "chunked");
	CHECK_INT(STATUS(false, { "Transfer-Encoding", "Chunked" }), 0, "chunked, any case");
	CHECK_INT(STATUS(false, { "Transfer-Encoding", "gzip, chunked" }), 400,
		  "gzip, chunked: 400");
	CHECK_INT(STATUS(false, { "Transfer-Encoding", "chunked, gzip" }), 400,
		  "chunked not last: 400");
	CHECK_INT(STATUS(false, { "Transfer-Encoding", "identity" }), 400, "identity: 400");
	CHECK_INT(STATUS(false, { "Transfer-Encoding", "chunked " }), 400,
		  "a value MHD would not read as chunked: 400");
	CHECK_INT(STATUS(false, { "Transfer-Encoding", "chunked" },
			 { "Transfer-Encoding", "chunked" }), 400,
		  "Transfer-Encoding twice (chunked applied twice): 400");
	CHECK_INT(STATUS(false, { "Transfer-Encoding", "chunked" }, { "Content-Length", "5" }),
		  400, "Transfer-Encoding with Content-Length: 400");
	CHECK_INT(STATUS(true, { "Transfer-Encoding", "chunked" }), 400,
		  "Transfer-Encoding in HTTP/1.0: 400");

	CHECK_INT(STATUS(false, { "Transfer-Encoding ", "chunked" }), 400,
		  "whitespace before the colon: 400 (RFC 9112 5.1)");
	CHECK_INT(STATUS(false, { "X Y", "1" }), 400, "a space inside a field name: 400");
	CHECK_INT(STATUS(false, { "", "1" }), 400, "an empty field name: 400");
	CHECK_INT(STATUS(false, { "X-Custom_Header.1!", "1" }), 0, "token characters pass");
}

static void test_header_sizes(void)
{
	static struct edge_field many[EDGE_HEADERS_MAX + 1];
	for (size_t i = 0; i < EDGE_HEADERS_MAX + 1; i++)
		many[i] = (struct edge_field){ "X-A", "1" };
	CHECK_INT(headers_status(many, EDGE_HEADERS_MAX, false), 0, "%d fields pass",
		  EDGE_HEADERS_MAX);
	CHECK_INT(headers_status(many, EDGE_HEADERS_MAX + 1, false), 431, "one more: 431");
	CHECK_INT(headers_status(NULL, 5000, false), 431,
		  "a count past the limit is enough: the fields are not read");

	static char big[EDGE_HEADER_BYTES_MAX];
	memset(big, 'v', sizeof(big) - 1);
	CHECK_INT(STATUS(false, { "X", big }), 0, "fields up to the byte limit pass");
	CHECK_INT(STATUS(false, { "X", big }, { "Y", "vv" }), 431, "past it: 431");
}

int main(void)
{
	test_target();
	test_framing();
	test_header_sizes();
	return test_done();
}
