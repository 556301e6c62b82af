// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * application/x-www-form-urlencoded request bodies (http/body.c, body_tree.c): percent
 * decoding, UTF-8 checks and Lob's bracket notation (a[b][]=1) under frankd's limits. A tree
 * that parses must serialise (every key and value valid UTF-8); a refusal must carry a UTF-8
 * message.
 */
#include "fuzz.h"
#include "http/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_error err = { 0 };
	json_t *root = body_parse("application/x-www-form-urlencoded; charset=utf-8",
				  (const char *)data, size, &body_limits_default, &err);
	if (!root) {
		fuzz_check_error(&err);
		return 0;
	}
	FUZZ_ASSERT(json_is_object(root), "a parsed form is not an object");
	fuzz_check_dumps(root);
	json_decref(root);
	return 0;
}
