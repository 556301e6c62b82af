// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Lob templates (template/handlebars.c, hbs_lex.c, hbs_parse.c, hbs_eval.c): compile the input
 * and render it with one fixed set of merge variables that has every JSON type, nesting,
 * arrays of objects, HTML to escape, odd key names and non-ASCII text. The first byte picks
 * the engine (Handlebars or legacy) and strict or relaxed variables; the rest is the
 * template. The step and output caps are lowered so a run stays fast; they are the same code.
 */
#include "fuzz.h"
#include "template/handlebars.h"

static json_t *vars;

static const char vars_json[] =
	"{\"name\":\"Harry <b>&amp;</b> \\\"Sally\\\" 'x' `y` =z\","
	"\"first name\":\"Ann\",\"first-name\":\"dash\",\"$x\":\"dollar\",\"é\":\"ünïcödé ✓\","
	"\"n\":42,\"neg\":-7,\"zero\":0,\"f\":1.5,\"big\":1e21,\"small\":1.5e-7,"
	"\"t\":true,\"no\":false,\"nil\":null,\"empty\":\"\",\"none\":[],\"blank\":{},"
	"\"list\":[1,\"two\",null,true,[3,4],{\"k\":\"v\"}],"
	"\"users\":[{\"name\":\"A\",\"tags\":[\"x\",\"y\"],\"address\":{\"city\":\"SF\"}},"
	"{\"name\":\"B\",\"tags\":[],\"admin\":true},{\"name\":\"C\",\"address\":null}],"
	"\"a\":{\"b\":{\"c\":\"deep\",\"d\":[{\"e\":\"deeper\"}]},\"b c\":1,\"length\":3},"
	"\"html\":\"<script>alert(1)</script>\",\"length\":\"len\",\"this\":\"self\"}";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	json_error_t je;
	vars = json_loads(vars_json, 0, &je);
	FUZZ_ASSERT(vars != NULL, je.text);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const struct hbs_limits lim = { .max_depth = 64, .max_output = 1 << 20,
					.max_steps = 200000 };
	enum hbs_engine engine = data[0] & 1 ? HBS_LEGACY : HBS_HANDLEBARS;
	bool strict = data[0] & 2;
	struct api_error err = { 0 };
	struct hbs_template *t = hbs_compile((const char *)data + 1, size - 1, engine, &lim, &err);
	if (!t) {
		fuzz_check_error(&err);
		return 0;
	}
	const json_t *required = hbs_required_vars(t);
	FUZZ_ASSERT(json_is_array(required), "required variables are not an array");
	size_t len = 0;
	char *out = hbs_render(t, vars, strict, &lim, &len, &err);
	if (out) {
		FUZZ_ASSERT(out[len] == '\0', "output is not NUL-terminated at its length");
		FUZZ_ASSERT(len <= lim.max_output, "output is over the cap");
		free(out);
	} else {
		fuzz_check_error(&err);
	}
	/* no variables at all: relaxed renders, strict names what is missing */
	out = hbs_render(t, NULL, strict, &lim, &len, &err);
	if (!out)
		fuzz_check_error(&err);
	free(out);
	hbs_free(t);
	return 0;
}
