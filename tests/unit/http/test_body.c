// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Unit tests for http/body.c: JSON, urlencoded forms (bracket notation) and multipart into
 * one JSON tree, every limit, hostile inputs, and a seeded fuzz loop over each parser.
 */
#include "http/body.h"
#include "test.h"
#include <stdint.h>
#include <stdlib.h>

static struct api_error err;
static const struct body_limits *lim = &body_limits_default;

#define MP_CT "multipart/form-data; boundary=XyZ"

/* compact JSON with sorted keys, or "ERR: <message>"; returns a static buffer */
static const char *show(json_t *v)
{
	static char out[4096];
	char *s;

	if (!v) {
		snprintf(out, sizeof(out), "ERR: %s", err.message);
		return out;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	snprintf(out, sizeof(out), "%s", s ? s : "(dump failed)");
	free(s);
	json_decref(v);
	return out;
}

static const char *form(const char *s)
{
	memset(&err, 0, sizeof(err));
	return show(body_parse_form(s, strlen(s), lim, &err));
}

static const char *jsn(const char *s)
{
	memset(&err, 0, sizeof(err));
	return show(body_parse_json(s, strlen(s), lim, &err));
}

static const char *mpart(const char *ct, const char *s, size_t n)
{
	memset(&err, 0, sizeof(err));
	return show(body_parse_multipart(ct, s, n, lim, &err));
}

#define MP(s) mpart(MP_CT, (s), sizeof(s) - 1)

/* ---------- JSON ---------- */

static void test_json(void)
{
	CHECK_STR(jsn("{\"a\":1,\"b\":{\"c\":[true,null,\"x\"]}}"),
		  "{\"a\":1,\"b\":{\"c\":[true,null,\"x\"]}}", "json: nested object");
	CHECK_STR(jsn("{}"), "{}", "json: empty object");
	CHECK_STR(jsn("[1,2]"), "ERR: Body must be a JSON object", "json: array root");
	CHECK_STR(jsn("\"x\""), "ERR: Body must be a JSON object", "json: string root");
	CHECK_STR(jsn("{\"a\":}"),
		  "ERR: Invalid JSON body: unexpected token near '}' at line 1 column 6",
		  "json: syntax error message");
	CHECK_INT(err.kind, ERR_INVALID, "json: syntax error is invalid");
	CHECK_INT(api_error_status(&err), 422, "json: syntax error is 422");
	CHECK_STR(jsn("{\"a\":1"),
		  "ERR: Invalid JSON body: '}' expected near end of file at line 1 column 6",
		  "json: truncated");
	CHECK_STR(jsn("{} x"),
		  "ERR: Invalid JSON body: end of file expected near 'x' at line 1 column 4",
		  "json: trailing garbage");
	CHECK_STR(jsn("{\"a\":\"\xff\"}"),
		  "ERR: Invalid JSON body: unable to decode byte 0xff near '\"' at line 1 column 6",
		  "json: invalid UTF-8");
	CHECK_STR(jsn("{\"a\":\"\\u0000\"}"),
		  "ERR: Invalid JSON body: \\u0000 is not allowed in strings at line 1 column 13",
		  "json: \\u0000 rejected with a readable message");
	memset(&err, 0, sizeof(err));
	CHECK(body_parse_json("{\"a\":\"x\0\"}", 10, lim, &err) == NULL, "json: raw NUL byte");
	CHECK_STR(jsn("{\"f\":{\"$file\":true,\"content\":\"x\"}}"),
		  "ERR: The key \"$file\" is reserved", "json: cannot forge a file object");
}

static void test_json_limits(void)
{
	struct body_limits small = { .max_depth = 3, .max_fields = 3, .max_key_len = 12,
				     .max_parts = 2 };
	char deep[5000];
	size_t i;

	lim = &small;
	CHECK_STR(jsn("{\"a\":{\"b\":{\"c\":1}}}"), "{\"a\":{\"b\":{\"c\":1}}}", "json: depth 3 ok");
	CHECK_STR(jsn("{\"a\":{\"b\":{\"c\":{}}}}"),
		  "ERR: JSON body is nested too deeply (limit 3 levels)", "json: depth 4 rejected");
	CHECK_STR(jsn("{\"a\":[[[]]]}"), "ERR: JSON body is nested too deeply (limit 3 levels)",
		  "json: arrays count as depth");
	CHECK_STR(jsn("{\"a\":1,\"b\":[2,null]}"), "{\"a\":1,\"b\":[2,null]}", "json: 3 fields ok");
	CHECK_STR(jsn("{\"a\":1,\"b\":[2,null,false]}"),
		  "ERR: JSON body has too many fields (limit 3)", "json: 4 fields rejected");
	lim = &body_limits_default;
	memcpy(deep, "{\"a\":", 5);
	for (i = 5; i < sizeof(deep) - 1; i++)
		deep[i] = '[';
	deep[sizeof(deep) - 1] = '\0';
	CHECK_STR(jsn(deep), "ERR: JSON body is nested too deeply (limit 16 levels)",
		  "json: 5000 levels hit jansson's stack limit, same message");
	memcpy(deep, "{\"a\":", 5);
	for (i = 5; i < 5 + 20; i++)
		deep[i] = '[';
	for (; i < 5 + 40; i++)
		deep[i] = ']';
	deep[i++] = '}';
	deep[i] = '\0';
	CHECK_STR(jsn(deep), "ERR: JSON body is nested too deeply (limit 16 levels)",
		  "json: 21 levels rejected");
}

/* ---------- forms ---------- */

static void test_form(void)
{
	CHECK_STR(form("a=1&b=two"), "{\"a\":\"1\",\"b\":\"two\"}", "form: plain pairs");
	CHECK_STR(form(""), "{}", "form: empty");
	CHECK_STR(form("a=hello+world&b=%41%62%2b%26%3D"),
		  "{\"a\":\"hello world\",\"b\":\"Ab+&=\"}", "form: + and %%XX");
	CHECK_STR(form("a=1&&b=2&"), "{\"a\":\"1\",\"b\":\"2\"}", "form: empty pairs skipped");
	CHECK_STR(form("flag&x="), "{\"flag\":\"\",\"x\":\"\"}", "form: key without = is empty");
	CHECK_STR(form("a=1&a=2"), "{\"a\":\"2\"}", "form: repeated plain key keeps the last");
	CHECK_STR(form("a=x=y"), "{\"a\":\"x=y\"}", "form: = in value");
	CHECK_STR(form("limit=2&include[]=total_count&metadata[k]=v&date_created[gt]=2020-01-01"),
		  "{\"date_created\":{\"gt\":\"2020-01-01\"},\"include\":[\"total_count\"],"
		  "\"limit\":\"2\",\"metadata\":{\"k\":\"v\"}}", "form: a Lob query string");
	CHECK_STR(form("to[name]=Jo&to[address_line1]=1+Main"),
		  "{\"to\":{\"address_line1\":\"1 Main\",\"name\":\"Jo\"}}", "form: object");
	CHECK_STR(form("a[b][c]=1&a[b][d]=2&a[e]=3"),
		  "{\"a\":{\"b\":{\"c\":\"1\",\"d\":\"2\"},\"e\":\"3\"}}", "form: nested objects");
	CHECK_STR(form("a[]=1&a[]=2"), "{\"a\":[\"1\",\"2\"]}", "form: [] appends");
	CHECK_STR(form("a[0]=x&a[1]=y"), "{\"a\":[\"x\",\"y\"]}", "form: indexed array");
	CHECK_STR(form("a[0]=x&a[0]=z"), "{\"a\":[\"z\"]}", "form: same index replaces");
	CHECK_STR(form("a[0][name]=x&a[0][n]=1&a[1][name]=y"),
		  "{\"a\":[{\"n\":\"1\",\"name\":\"x\"},{\"name\":\"y\"}]}", "form: array of objects");
	CHECK_STR(form("a[][n]=x&a[][m]=1&a[][n]=y"),
		  "{\"a\":[{\"m\":\"1\",\"n\":\"x\"},{\"n\":\"y\"}]}", "form: [] objects (Rack rule)");
	CHECK_STR(form("a[01]=x"), "{\"a\":{\"01\":\"x\"}}", "form: leading zero is a key");
	CHECK_STR(form("to%5Bname%5D=x&to%5baddress%5d=y"),
		  "{\"to\":{\"address\":\"y\",\"name\":\"x\"}}", "form: percent-encoded brackets");
	CHECK_STR(form("inc%5B%5D=a&inc[]=b"), "{\"inc\":[\"a\",\"b\"]}",
		  "form: encoded and literal brackets mix");
	CHECK_STR(form("n=%C3%A9t%C3%A9+%E2%82%AC"), "{\"n\":\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac\"}",
		  "form: UTF-8 value");
	CHECK_STR(form("a%20b=c"), "{\"a b\":\"c\"}", "form: space in key");
}

static void test_form_errors(void)
{
	CHECK_STR(form("a=%G1"), "ERR: Invalid percent-encoding in parameter a", "form: %%G1");
	CHECK_STR(form("a=x%"), "ERR: Invalid percent-encoding in parameter a", "form: trailing %%");
	CHECK_STR(form("a=%4"), "ERR: Invalid percent-encoding in parameter a", "form: short %%4");
	CHECK_STR(form("a%=1"), "ERR: Invalid percent-encoding in a parameter name", "form: bad key");
	CHECK_STR(form("a=%FF"), "ERR: Parameter a is not valid UTF-8 or contains a NUL byte",
		  "form: invalid UTF-8 value");
	CHECK_STR(form("a=%C0%AF"), "ERR: Parameter a is not valid UTF-8 or contains a NUL byte",
		  "form: overlong UTF-8");
	CHECK_STR(form("a=%ED%A0%80"), "ERR: Parameter a is not valid UTF-8 or contains a NUL byte",
		  "form: surrogate");
	CHECK_STR(form("a=x%00y"), "ERR: Parameter a is not valid UTF-8 or contains a NUL byte",
		  "form: NUL in value");
	CHECK_STR(form("%FF=1"), "ERR: A parameter name is not valid UTF-8 or contains a NUL byte",
		  "form: invalid UTF-8 key");
	CHECK_INT(api_error_status(&err), 422, "form: errors are 422");
	CHECK_STR(form("a=1&a[b]=2"), "ERR: Conflicting types for parameter a",
		  "form: scalar then container");
	CHECK_STR(form("a[b]=2&a=1"), "ERR: Conflicting types for parameter a",
		  "form: container then scalar");
	CHECK_STR(form("x[a]=1&x[a][b]=2"), "ERR: Conflicting types for parameter x[a]",
		  "form: conflict names the path");
	CHECK_STR(form("a[b]=1&a[]=2"), "ERR: Conflicting types for parameter a",
		  "form: object then array");
	CHECK_STR(form("a[]=1&a[b]=2"), "ERR: Conflicting types for parameter a",
		  "form: array then key");
	CHECK_STR(form("a[0]=x&a[2]=y"),
		  "ERR: Parameter a[2] is out of order: array indexes must start at 0 and go up by one",
		  "form: index gap");
	CHECK(strstr(form("a[1]=x"), "out of order") != NULL, "form: array not starting at 0");
	CHECK(strstr(form("a[99999999999999999999]=x"), "out of order") != NULL,
	      "form: huge index saturates, no overflow");
	CHECK_STR(form("a[b=1"),
		  "ERR: Malformed parameter name a[b: use name, name[key], name[] or name[0]",
		  "form: unclosed bracket");
	CHECK(strstr(form("a]b=1"), "Malformed parameter name a]b") != NULL, "form: stray ]");
	CHECK(strstr(form("[x]=1"), "Malformed") != NULL, "form: no base name");
	CHECK(strstr(form("=1"), "Malformed") != NULL, "form: empty name");
	CHECK(strstr(form("a[b]c=1"), "Malformed") != NULL, "form: text after bracket");
	CHECK(strstr(form("a[b[c]]=1"), "Malformed") != NULL, "form: bracket in bracket");
	CHECK(strstr(form("a[][]=1"), "Malformed") != NULL, "form: [][] unsupported");
	CHECK(strstr(form("a%5Bb=1"), "Malformed") != NULL, "form: encoded unclosed bracket");
}

static void test_form_limits(void)
{
	struct body_limits small = { .max_depth = 3, .max_fields = 3, .max_key_len = 12,
				     .max_parts = 2 };
	char *big;
	size_t i, n;

	lim = &small;
	CHECK_STR(form("a[b][c]=1"), "{\"a\":{\"b\":{\"c\":\"1\"}}}", "form: depth 3 ok");
	CHECK_STR(form("a[b][c][d]=1"),
		  "ERR: Parameter a[b][c][d] is nested too deeply (limit 3 levels)",
		  "form: depth 4 rejected");
	CHECK_STR(form("a=1&b=2&c=3"), "{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}", "form: 3 fields");
	CHECK_STR(form("a=1&b=2&c=3&d=4"), "ERR: Too many parameters (limit 3)",
		  "form: 4 fields rejected");
	CHECK_STR(form("abcdefghijkl=1"), "{\"abcdefghijkl\":\"1\"}", "form: 12-byte key ok");
	CHECK_STR(form("abcdefghijklm=1"), "ERR: Parameter name too long (limit 12 bytes)",
		  "form: 13-byte key rejected");
	CHECK_STR(form("%61%62%63%64%65%66%67%68%69%6a%6b%6c=1"), "{\"abcdefghijkl\":\"1\"}",
		  "form: key length is counted decoded");
	lim = &body_limits_default;

	/* 10k fields */
	big = malloc(10000 * 8 + 1);
	for (i = 0, n = 0; i < 10000; i++)
		n += (size_t)snprintf(big + n, 9, "k%04zu=v&", i);
	memset(&err, 0, sizeof(err));
	CHECK(body_parse_form(big, n, lim, &err) == NULL, "form: 10k fields rejected");
	CHECK_STR(err.message, "Too many parameters (limit 1000)", "form: 10k fields message");
	/* 1000 appends is fine */
	for (i = 0, n = 0; i < 1000; i++)
		n += (size_t)snprintf(big + n, 8, "a[]=%zu&", i % 10);
	memset(&err, 0, sizeof(err));
	{
		json_t *v = body_parse_form(big, n, lim, &err);

		CHECK_INT(json_array_size(json_object_get(v, "a")), 1000, "form: 1000 appends");
		json_decref(v);
	}
	free(big);

	/* a[a][a]... 100k deep: the key-length limit answers first, then depth */
	big = malloc(300000 + 3);
	big[0] = 'a';
	for (i = 0, n = 1; i < 100000; i++, n += 3)
		memcpy(big + n, "[a]", 3);
	memcpy(big + n, "=1", 2);
	memset(&err, 0, sizeof(err));
	CHECK(body_parse_form(big, n + 2, lim, &err) == NULL, "form: 100k-deep key rejected");
	CHECK_STR(err.message, "Parameter name too long (limit 1024 bytes)",
		  "form: 100k-deep key message");
	n = 1 + 3 * 20;
	memcpy(big + n, "=1", 2);
	memset(&err, 0, sizeof(err));
	CHECK(body_parse_form(big, n + 2, lim, &err) == NULL, "form: 21 levels rejected");
	CHECK(strstr(err.message, "is nested too deeply (limit 16 levels)") != NULL,
	      "form: depth message names the limit");
	CHECK(strlen(err.message) < 160, "form: the echoed name is clipped");
	free(big);
}

/* ---------- multipart ---------- */

static void test_multipart(void)
{
	const json_t *f;
	json_t *v;
	size_t n;
	static const char file_body[] =
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"q\\\".pdf\"\r\n"
		"Content-Type: application/pdf\r\n"
		"\r\n"
		"%PDF\0\0\r\n--XyZa\r\n--Xy\r\nend\r\n"
		"--XyZ\r\n"
		"Content-Disposition: form-data; name=\"to[name]\"\r\n"
		"\r\n"
		"Jo\r\n"
		"--XyZ--\r\n";
	static const char empty_file[] =
		"--XyZ\r\nContent-Disposition: form-data; name=f; filename=\"\"\r\n\r\n\r\n--XyZ--";

	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
		     "--XyZ\r\ncontent-disposition: form-data; name=b\r\n\r\nx y\r\n--XyZ--\r\n"),
		  "{\"a\":\"1\",\"b\":\"x y\"}", "mp: two text parts");
	CHECK_STR(MP("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"
		     "\r\n--XyZ--"), "{\"a\":\"\"}", "mp: preamble, empty value, no epilogue");
	CHECK_STR(MP("--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nline1\nline2\n"
		     "--XyZ--\n"), "{\"a\":\"line1\\nline2\"}", "mp: bare LF");
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=\"m[k]\"\r\n\r\nv\r\n"
		     "--XyZ\r\nContent-Disposition: form-data; name=\"i[]\"\r\n\r\n1\r\n"
		     "--XyZ\r\nContent-Disposition: form-data; name=\"i[]\"\r\n\r\n2\r\n--XyZ--"),
		  "{\"i\":[\"1\",\"2\"],\"m\":{\"k\":\"v\"}}", "mp: bracket names");
	CHECK_STR(mpart("multipart/form-data; charset=utf-8; BOUNDARY=\"Xy Z\"",
			"--Xy Z\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--Xy Z--", 61),
		  "{\"a\":\"1\"}", "mp: quoted boundary with a space, case-insensitive param");

	memset(&err, 0, sizeof(err));
	v = body_parse_multipart(MP_CT, file_body, sizeof(file_body) - 1, lim, &err);
	f = json_object_get(v, "file");
	CHECK(body_is_file(f), "mp: file part is a file object");
	CHECK_STR(body_file_name(f), "a \"q\".pdf", "mp: escaped quotes in filename");
	CHECK_STR(body_file_type(f), "application/pdf", "mp: part content type");
	CHECK(body_file_data(f, &n) != NULL, "mp: file data");
	CHECK_INT(n, 25, "mp: NULs and near-boundaries kept, length right");
	CHECK(n == 25 && !memcmp(body_file_data(f, &n), "%PDF\0\0\r\n--XyZa\r\n--Xy\r\nend", 25),
	      "mp: file bytes exact");
	CHECK_STR(json_string_value(json_object_get(json_object_get(v, "to"), "name")), "Jo",
		  "mp: text part after a file");
	CHECK(!body_is_file(json_object_get(v, "to")), "mp: plain object is not a file");
	json_decref(v);

	memset(&err, 0, sizeof(err));
	v = body_parse_multipart(MP_CT, empty_file, sizeof(empty_file) - 1, lim, &err);
	f = json_object_get(v, "f");
	CHECK(body_is_file(f), "mp: empty file");
	CHECK_STR(body_file_type(f), "application/octet-stream", "mp: default file type");
	CHECK(body_file_data(f, &n) && n == 0, "mp: empty file has length 0");
	json_decref(v);
}

static void test_multipart_errors(void)
{
	struct body_limits small = { .max_depth = 3, .max_fields = 3, .max_key_len = 12,
				     .max_parts = 2 };
	char *big;
	size_t n;

	CHECK_STR(mpart("multipart/form-data", "x", 1),
		  "ERR: multipart/form-data requires a boundary", "mp: no boundary");
	CHECK_STR(mpart(NULL, "x", 1), "ERR: multipart/form-data requires a boundary",
		  "mp: no content type");
	CHECK_STR(mpart("multipart/form-data; boundary=\"\"", "x", 1),
		  "ERR: Invalid multipart boundary: use 1 to 200 printable ASCII characters",
		  "mp: empty boundary");
	CHECK_STR(MP("hello"), "ERR: Multipart body does not contain the boundary from Content-Type",
		  "mp: boundary absent");
	CHECK_STR(MP("--XyZ--\r\n"), "ERR: Multipart body has no parts", "mp: no parts");
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"),
		  "ERR: Multipart body is truncated: missing closing boundary", "mp: no close");
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n"),
		  "ERR: Multipart body is truncated: missing closing boundary",
		  "mp: truncated in headers");
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ"),
		  "ERR: Multipart body is truncated: missing closing boundary",
		  "mp: truncated in the closing boundary");
	CHECK_STR(MP("--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--"),
		  "ERR: Multipart part 1 has no name: send Content-Disposition: form-data; name=\"...\"",
		  "mp: part without a name");
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\r\n--XyZ--"),
		  "ERR: Parameter a is not valid UTF-8 or contains a NUL byte (send files with a filename)",
		  "mp: binary text part");
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
		     "--XyZ\r\nContent-Disposition: form-data; name=\"a[b]\"\r\n\r\n2\r\n--XyZ--"),
		  "ERR: Conflicting types for parameter a", "mp: conflicting names");
	CHECK(strstr(MP("--XyZ\r\nContent-Disposition: form-data; name=\"a[\"\r\n\r\n1\r\n--XyZ--"),
		     "Malformed parameter name a[") != NULL, "mp: malformed name");

	big = malloc(20000);
	n = (size_t)snprintf(big, 20000, "--XyZ\r\nX-Pad: ");
	memset(big + n, 'p', 9000);
	n += 9000;
	memcpy(big + n, "\r\n\r\nx\r\n--XyZ--", 14);
	memset(&err, 0, sizeof(err));
	CHECK(body_parse_multipart(MP_CT, big, n + 14, lim, &err) == NULL, "mp: long headers");
	CHECK_STR(err.message, "Multipart part headers are too long (limit 8192 bytes)",
		  "mp: long headers message");
	free(big);

	lim = &small;
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
		     "--XyZ\r\nContent-Disposition: form-data; name=b\r\n\r\n1\r\n"
		     "--XyZ\r\nContent-Disposition: form-data; name=c\r\n\r\n1\r\n--XyZ--"),
		  "ERR: Too many multipart parts (limit 2)", "mp: max_parts");
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=abcdefghijklm\r\n\r\n1\r\n--XyZ--"),
		  "ERR: Parameter name too long (limit 12 bytes)", "mp: max_key_len");
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=a[b][c][d]\r\n\r\n1\r\n--XyZ--"),
		  "ERR: Parameter a[b][c][d] is nested too deeply (limit 3 levels)", "mp: depth");
	small.max_parts = 10;
	CHECK_STR(MP("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
		     "--XyZ\r\nContent-Disposition: form-data; name=b\r\n\r\n1\r\n"
		     "--XyZ\r\nContent-Disposition: form-data; name=c\r\n\r\n1\r\n"
		     "--XyZ\r\nContent-Disposition: form-data; name=d\r\n\r\n1\r\n--XyZ--"),
		  "ERR: Too many parameters (limit 3)", "mp: max_fields");
	lim = &body_limits_default;
}

/* ---------- dispatch and file helpers ---------- */

static const char *parse(const char *ct, const char *s)
{
	memset(&err, 0, sizeof(err));
	return show(body_parse(ct, s, strlen(s), lim, &err));
}

static void test_dispatch(void)
{
	CHECK_STR(parse("application/json", "{\"a\":1}"), "{\"a\":1}", "dispatch: json");
	CHECK_STR(parse("Application/JSON; charset=utf-8", "{\"a\":1}"), "{\"a\":1}",
		  "dispatch: case and parameters ignored");
	CHECK_STR(parse("application/x-www-form-urlencoded", "a=1"), "{\"a\":\"1\"}",
		  "dispatch: form");
	CHECK_STR(parse("Multipart/Form-Data; boundary=b",
			"--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--"),
		  "{\"a\":\"1\"}", "dispatch: multipart");
	CHECK_STR(parse(NULL, ""), "{}", "dispatch: no type, empty body");
	CHECK_STR(parse("", ""), "{}", "dispatch: empty type, empty body");
	CHECK_STR(parse("application/json", ""), "{}", "dispatch: empty JSON body");
	CHECK_STR(parse(NULL, " {\"a\":[1]}"), "{\"a\":[1]}", "dispatch: no type, JSON-looking");
	CHECK_STR(parse(NULL, "a=1&b[c]=2"), "{\"a\":\"1\",\"b\":{\"c\":\"2\"}}",
		  "dispatch: no type, form");
	CHECK_STR(parse("text/plain; charset=utf-8", "a=1"),
		  "ERR: Unsupported Content-Type text/plain: send application/json, "
		  "application/x-www-form-urlencoded or multipart/form-data",
		  "dispatch: unsupported type");
	CHECK_STR(parse("application/jsonx", "{}"),
		  "ERR: Unsupported Content-Type application/jsonx: send application/json, "
		  "application/x-www-form-urlencoded or multipart/form-data",
		  "dispatch: no prefix match");
	CHECK_STR(parse("te\x01xt/\xff", "a=1"),
		  "ERR: Unsupported Content-Type te: send application/json, "
		  "application/x-www-form-urlencoded or multipart/form-data",
		  "dispatch: unsafe bytes are not echoed");
}

static void test_file_helpers(void)
{
	json_t *s = json_string("x"), *o = json_pack("{s:s}", "filename", "a");
	size_t n = 99;

	CHECK(!body_is_file(s) && !body_is_file(o) && !body_is_file(NULL), "file: non-files");
	CHECK(body_file_name(o) == NULL, "file: name of a non-file is NULL");
	CHECK(body_file_data(s, &n) == NULL && n == 0, "file: data of a non-file is NULL");
	CHECK_STR(body_file_type(NULL), "application/octet-stream", "file: default type");
	json_decref(s);
	json_decref(o);
}

/* ---------- fuzz-ish: never crash, always an object or an error ---------- */

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

static const char alphabet[] = "ab[]%=&+5B5D0\r\n-XyZ\"; :name=filename=Content-Disposition";

static size_t random_bytes(char *buf, size_t cap)
{
	size_t n = rnd() % cap, i;
	int mode = (int)(rnd() % 3);

	for (i = 0; i < n; i++)
		buf[i] = mode == 0 ? (char)rnd() : alphabet[rnd() % (sizeof(alphabet) - 1)];
	if (mode == 2 && n > 6)
		memcpy(buf, "--XyZ\r\n", 7);
	return n;
}

static bool sane(json_t *v, struct api_error *e)
{
	json_t *msg;
	bool ok;

	if (v) {
		ok = json_is_object(v);
		json_decref(v);
		return ok;
	}
	msg = json_string(e->message);	/* messages must be valid UTF-8 */
	ok = e->kind == ERR_INVALID && e->message[0] && msg;
	json_decref(msg);
	return ok;
}

static void test_fuzz(void)
{
	static char buf[512];
	static const char good[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"a[b]\"; filename=\"f\"\r\n"
		"Content-Type: x/y\r\n\r\nDATA\r\n--XyZ\r\n"
		"Content-Disposition: form-data; name=\"c[]\"\r\n\r\nv\r\n--XyZ--\r\n";
	int bad[4] = { 0 }, i;
	size_t n;

	for (i = 0; i < 2000; i++) {
		n = random_bytes(buf, sizeof(buf));
		memset(&err, 0, sizeof(err));
		bad[0] += !sane(body_parse_form(buf, n, lim, &err), &err);
		memset(&err, 0, sizeof(err));
		bad[1] += !sane(body_parse_json(buf, n, lim, &err), &err);
		memset(&err, 0, sizeof(err));
		bad[2] += !sane(body_parse_multipart(MP_CT, buf, n, lim, &err), &err);
		/* mutate a valid body: truncate and flip a few bytes */
		memcpy(buf, good, sizeof(good) - 1);
		n = rnd() % 2 ? sizeof(good) - 1 : rnd() % sizeof(good);
		for (int k = 0; k < (int)(rnd() % 4); k++)
			buf[rnd() % (sizeof(good) - 1)] = (char)rnd();
		memset(&err, 0, sizeof(err));
		bad[3] += !sane(body_parse_multipart(MP_CT, buf, n, lim, &err), &err);
	}
	CHECK_INT(bad[0], 0, "fuzz: 2000 random forms give an object or an error");
	CHECK_INT(bad[1], 0, "fuzz: 2000 random JSON bodies give an object or an error");
	CHECK_INT(bad[2], 0, "fuzz: 2000 random multipart bodies give an object or an error");
	CHECK_INT(bad[3], 0, "fuzz: 2000 mutated multipart bodies give an object or an error");
}

int main(void)
{
	test_json();
	test_json_limits();
	test_form();
	test_form_errors();
	test_form_limits();
	test_multipart();
	test_multipart_errors();
	test_dispatch();
	test_file_helpers();
	test_fuzz();
	return test_done();
}
