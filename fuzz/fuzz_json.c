// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * application/json request bodies (http/body.c): body_parse, dispatched on the Content-Type
 * as frankd does it, under frankd's limits. A tree that parses must serialise and parse
 * again to the same tree; a refusal must carry a message the error body can hold. (Bodies
 * sent without a Content-Type are sniffed by a one-line check, then parsed by this parser
 * or by the form one that fuzz_form covers.)
 */
#include "fuzz.h"
#include "http/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_error err = { 0 };
	json_t *root = body_parse("application/json; charset=utf-8", (const char *)data, size,
				  &body_limits_default, &err);
	if (!root) {
		fuzz_check_error(&err);
		return 0;
	}
	FUZZ_ASSERT(json_is_object(root), "a parsed body is not an object");
	char *text = json_dumps(root, JSON_COMPACT);
	FUZZ_ASSERT(text != NULL, "parsed JSON does not serialise");
	struct api_error err2 = { 0 };
	json_t *again = body_parse_json(text, strlen(text), &body_limits_default, &err2);
	FUZZ_ASSERT(again != NULL, "serialised JSON body does not parse again");
	FUZZ_ASSERT(json_equal(root, again), "JSON body changed in a round trip");
	json_decref(again);
	free(text);
	json_decref(root);
	return 0;
}
