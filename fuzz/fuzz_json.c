/*
 * application/json request bodies (http/body.c): body_parse_json under frankd's limits, and
 * body_parse's sniffing of a body sent without a Content-Type. A tree that parses must
 * serialise and parse again to the same tree; a refusal must carry a UTF-8 message.
 */
#include "fuzz.h"
#include "http/body.h"

static void parse_and_check(const char *ct, const char *data, size_t len)
{
	struct api_error err = { 0 };
	json_t *root = ct ? body_parse(ct, data, len, &body_limits_default, &err)
			  : body_parse_json(data, len, &body_limits_default, &err);
	if (!root) {
		fuzz_check_error(&err);
		return;
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
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_and_check(NULL, (const char *)data, size);
	parse_and_check("", (const char *)data, size);	/* no Content-Type: sniffed */
	return 0;
}
