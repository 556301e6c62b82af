// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * multipart/form-data request bodies (http/body_multipart.c). The input's first line is the
 * Content-Type header value (the boundary comes from it), the rest is the body. Text parts
 * and the names, filenames and types of file parts must come out valid UTF-8; a file part's
 * content is bytes and must come back whole; a refusal must carry a UTF-8 message.
 */
#include "fuzz.h"
#include "http/body.h"

static void check_tree(json_t *v, const char *body, size_t body_len)
{
	const char *k;
	json_t *child;
	size_t i;

	if (body_is_file(v)) {
		size_t n;
		const char *d = body_file_data(v, &n);
		FUZZ_ASSERT(d != NULL, "a file object has no content");
		FUZZ_ASSERT(n <= body_len, "a file is longer than the body");
		FUZZ_ASSERT(n == 0 || memmem(body, body_len, d, n) != NULL,
			    "a file's bytes are not the body's");
		json_t *meta = json_pack("[ss]", body_file_name(v), body_file_type(v));
		FUZZ_ASSERT(meta != NULL, "a filename or file type is not valid UTF-8");
		fuzz_check_dumps(meta);
		json_decref(meta);
		return;
	}
	if (json_is_object(v)) {
		json_object_foreach(v, k, child) {
			json_t *key = json_string(k);
			FUZZ_ASSERT(key != NULL, "a part name is not valid UTF-8");
			json_decref(key);
			check_tree(child, body, body_len);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			check_tree(child, body, body_len);
	} else {
		fuzz_check_dumps(v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t ct_len = nl ? (size_t)(nl - data) : size;
	char *ct = fuzz_cstr(data, ct_len);
	size_t body_len = nl ? size - ct_len - 1 : 0;
	/* the body in its own allocation, so ASan sees any read past its end */
	char *body = malloc(body_len ? body_len : 1);
	FUZZ_ASSERT(body != NULL, "out of memory");
	if (body_len)
		memcpy(body, nl + 1, body_len);
	struct api_error err = { 0 };
	json_t *root = body_parse_multipart(ct, body, body_len, &body_limits_default, &err);
	if (root) {
		FUZZ_ASSERT(json_is_object(root), "a parsed body is not an object");
		check_tree(root, body, body_len);
		json_decref(root);
	} else {
		fuzz_check_error(&err);
	}
	free(body);
	free(ct);
	return 0;
}
