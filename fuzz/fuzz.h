// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What every harness in fuzz/ shares: a NUL-terminated copy of the input, and the checks
 * that turn a broken promise of the code under test into a crash libFuzzer records.
 */
#ifndef FRANK_FUZZ_H
#define FRANK_FUZZ_H
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/err.h"
#include "http/response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* a broken invariant is a finding: abort so libFuzzer saves the input */
#define FUZZ_ASSERT(cond, what)                                                             \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, (what));   \
			abort();                                                            \
		}                                                                           \
	} while (0)

/* data[0..n) as a C string (the parsers under test that take one stop at the first NUL) */
static inline char *fuzz_cstr(const uint8_t *data, size_t n)
{
	char *s = malloc(n + 1);
	FUZZ_ASSERT(s != NULL, "out of memory");
	if (n)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/*
 * A refusal goes to the client as Lob's error JSON: that body must serialise, or the 4xx
 * becomes a 500 (issue 12: invalid UTF-8 in a message). Checked on the body itself, as
 * respond_error() builds it.
 */
static inline void fuzz_check_error(const struct api_error *err)
{
	FUZZ_ASSERT(memchr(err->message, '\0', sizeof err->message) != NULL,
		    "error message is not NUL-terminated");
	FUZZ_ASSERT(err->message[0] != '\0', "a refusal without a message");
	json_t *body = api_error_json(err);
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	if (!text) {
		fprintf(stderr, "fuzz: the message was: ");
		for (const char *c = err->message; *c; c++)
			fprintf(stderr, (unsigned char)*c < 0x80 ? "%c" : "\\x%02x", (unsigned char)*c);
		fputc('\n', stderr);
	}
	FUZZ_ASSERT(text != NULL, "the error response does not serialise (a 4xx would be a 500)");
	free(text);
	json_decref(body);
}

/* a parsed tree must serialise: every string in it valid UTF-8, every key too */
static inline void fuzz_check_dumps(const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	FUZZ_ASSERT(s != NULL, "parsed tree does not serialise (invalid UTF-8 inside)");
	free(s);
}
#endif
