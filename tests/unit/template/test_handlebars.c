// SPDX-License-Identifier: AGPL-3.0-or-later
/* Unit tests of template/handlebars: outputs as Handlebars.js 4 produces them, Lob's rules. */
#include "template/handlebars.h"
#include "test.h"
#include <stdlib.h>
#include <time.h>

struct hcase {
	const char *tpl;
	const char *vars;	/* JSON */
	const char *want;
};

static const struct hcase cases[] = {
	/* text and paths */
	{ "", "{}", "" },
	{ "plain <b>html</b>", "{}", "plain <b>html</b>" },
	{ "Hi {{name}}!", "{\"name\":\"Harry\"}", "Hi Harry!" },
	{ "{{ name }}", "{\"name\":\"Harry\"}", "Harry" },
	{ "{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "deep" },
	{ "{{a/b}}", "{\"a\":{\"b\":\"slash\"}}", "slash" },
	{ "{{a.b.c}}", "{\"a\":{\"b\":null}}", "" },
	{ "{{a.b.c}}", "{\"a\":\"str\"}", "" },
	{ "[{{missing}}]", "{}", "[]" },
	{ "{{this.name}}", "{\"name\":\"T\"}", "T" },
	{ "{{./name}}", "{\"name\":\"T\"}", "T" },
	{ "{{arr.[1]}}", "{\"arr\":[\"x\",\"y\"]}", "y" },
	{ "{{arr.1}}", "{\"arr\":[\"x\",\"y\"]}", "y" },
	{ "{{arr.5}}", "{\"arr\":[\"x\",\"y\"]}", "" },
	{ "{{arr.length}}", "{\"arr\":[1,2,3]}", "3" },
	{ "{{s.length}}", "{\"s\":\"abcd\"}", "4" },
	{ "{{[first name]}}", "{\"first name\":\"Ann\"}", "Ann" },
	{ "{{a.[b c]}}", "{\"a\":{\"b c\":1}}", "1" },
	{ "{{\"a b\"}}", "{\"a b\":\"lit\"}", "lit" },
	{ "{{first-name}}", "{\"first-name\":\"dash\"}", "dash" },
	{ "{{$x}}", "{\"$x\":\"dollar\"}", "dollar" },
	{ "{{@root.name}}", "{\"name\":\"R\"}", "R" },
	/* value formatting */
	{ "{{n}}", "{\"n\":42}", "42" },
	{ "{{n}}", "{\"n\":-7}", "-7" },
	{ "{{n}}", "{\"n\":0}", "0" },
	{ "{{n}}", "{\"n\":1.5}", "1.5" },
	{ "{{n}}", "{\"n\":2.0}", "2" },
	{ "{{n}}", "{\"n\":0.1}", "0.1" },
	{ "{{n}}", "{\"n\":1e21}", "1e+21" },
	{ "{{n}}", "{\"n\":1e20}", "100000000000000000000" },
	{ "{{n}}", "{\"n\":1.5e-7}", "1.5e-7" },
	{ "{{n}}", "{\"n\":0.000001}", "0.000001" },
	{ "{{n}}", "{\"n\":123.456}", "123.456" },
	{ "{{b}}", "{\"b\":true}", "true" },
	{ "{{b}}", "{\"b\":false}", "false" },
	{ "{{z}}", "{\"z\":null}", "" },
	{ "{{a}}", "{\"a\":[1,\"two\",null,true]}", "1,two,,true" },
	{ "{{a}}", "{\"a\":[[1,2],[3]]}", "1,2,3" },
	{ "{{o}}", "{\"o\":{\"k\":1}}", "[object Object]" },
	{ "{{a}}", "{\"a\":[]}", "" },
	{ "{{s}}", "{\"s\":\"\"}", "" },
	/* escaping */
	{ "{{x}}", "{\"x\":\"& < > \\\" ' ` =\"}", "&amp; &lt; &gt; &quot; &#x27; &#x60; &#x3D;" },
	{ "{{{x}}}", "{\"x\":\"<b>&amp;</b>\"}", "<b>&amp;</b>" },
	{ "{{& x}}", "{\"x\":\"<i>\"}", "<i>" },
	{ "{{&x}}", "{\"x\":\"<i>\"}", "<i>" },
	{ "{{a}}", "{\"a\":[\"<\",\">\"]}", "&lt;,&gt;" },
	{ "{{x}}", "{\"x\":\"caf\\u00e9 \\u2603\"}", "caf\xc3\xa9 \xe2\x98\x83" },
	{ "\\{{x}}", "{\"x\":1}", "{{x}}" },
	{ "\\{{x}} {{x}}", "{\"x\":1}", "{{x}} 1" },
	{ "\\\\{{x}}", "{\"x\":1}", "\\1" },
	/* #if / else */
	{ "{{#if a}}yes{{/if}}", "{\"a\":true}", "yes" },
	{ "{{#if a}}yes{{/if}}", "{\"a\":false}", "" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{}", "no" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{\"a\":0}", "no" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{\"a\":0.0}", "no" },
	{ "{{#if a includeZero=true}}yes{{else}}no{{/if}}", "{\"a\":0}", "yes" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{\"a\":1}", "yes" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{\"a\":\"\"}", "no" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{\"a\":\"0\"}", "yes" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{\"a\":[]}", "no" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{\"a\":[0]}", "yes" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{\"a\":{}}", "yes" },
	{ "{{#if a}}yes{{else}}no{{/if}}", "{\"a\":null}", "no" },
	{ "{{#if a.b}}{{a.b}}{{/if}}", "{\"a\":{\"b\":\"x\"}}", "x" },
	{ "{{#if a}}A{{else if b}}B{{else}}C{{/if}}", "{\"b\":1}", "B" },
	{ "{{#if a}}A{{else if b}}B{{else}}C{{/if}}", "{}", "C" },
	{ "{{#if a}}A{{else if b}}B{{else}}C{{/if}}", "{\"a\":1,\"b\":1}", "A" },
	{ "{{#if a}}A{{^}}not{{/if}}", "{}", "not" },
	{ "{{#if a}}{{#if b}}ab{{else}}a{{/if}}{{/if}}", "{\"a\":1}", "a" },
	{ "{{#if a}}{{name}}{{/if}}", "{\"a\":1,\"name\":\"same ctx\"}", "same ctx" },
	/* #unless */
	{ "{{#unless a}}none{{/unless}}", "{}", "none" },
	{ "{{#unless a}}none{{else}}some{{/unless}}", "{\"a\":\"x\"}", "some" },
	{ "{{#unless a}}zero{{/unless}}", "{\"a\":0}", "zero" },
	{ "{{#unless a}}empty{{/unless}}", "{\"a\":[]}", "empty" },
	/* #each over arrays */
	{ "{{#each a}}{{this}},{{/each}}", "{\"a\":[1,2,3]}", "1,2,3," },
	{ "{{#each a}}{{.}}{{/each}}", "{\"a\":[\"x\",\"y\"]}", "xy" },
	{ "{{#each a}}{{@index}}:{{this}} {{/each}}", "{\"a\":[\"x\",\"y\"]}", "0:x 1:y " },
	{ "{{#each a}}{{@key}}{{/each}}", "{\"a\":[\"x\",\"y\"]}", "01" },
	{ "{{#each a}}{{#if @first}}[{{/if}}{{this}}{{#if @last}}]{{else}},{{/if}}{{/each}}",
	  "{\"a\":[1,2,3]}", "[1,2,3]" },
	{ "{{#each a}}{{@first}}/{{@last}} {{/each}}", "{\"a\":[1,2]}", "true/false false/true " },
	{ "{{#each a}}{{name}};{{/each}}", "{\"a\":[{\"name\":\"A\"},{\"name\":\"B\"}]}", "A;B;" },
	{ "{{#each a}}x{{else}}empty{{/each}}", "{\"a\":[]}", "empty" },
	{ "{{#each a}}x{{else}}none{{/each}}", "{}", "none" },
	{ "{{#each a}}x{{else}}str{{/each}}", "{\"a\":\"abc\"}", "str" },
	{ "{{#each a}}{{../title}}-{{this}} {{/each}}", "{\"title\":\"T\",\"a\":[1,2]}", "T-1 T-2 " },
	{ "{{#each a}}{{@root.title}}{{/each}}", "{\"title\":\"R\",\"a\":[1]}", "R" },
	{ "{{#each rows}}{{#each this}}{{this}}{{/each}};{{/each}}", "{\"rows\":[[1,2],[3]]}",
	  "12;3;" },
	{ "{{#each rows}}{{#each cells}}{{@../index}}.{{@index}} {{/each}}{{/each}}",
	  "{\"rows\":[{\"cells\":[1,2]},{\"cells\":[3]}]}", "0.0 0.1 1.0 " },
	{ "{{#each a}}{{#each b}}{{../../t}}{{/each}}{{/each}}", "{\"t\":\"X\",\"a\":[{\"b\":[1]}]}",
	  "X" },
	{ "{{#each a}}{{this.n}}{{/each}}", "{\"a\":[{\"n\":1},{\"n\":2}]}", "12" },
	{ "{{#each a}}<{{this}}>{{/each}}", "{\"a\":[\"&\"]}", "<&amp;>" },
	/* #each over objects */
	{ "{{#each o}}{{@key}}={{this}} {{/each}}", "{\"o\":{\"x\":1,\"y\":2}}", "x=1 y=2 " },
	{ "{{#each o}}{{@index}}{{#if @last}}!{{/if}}{{/each}}", "{\"o\":{\"x\":1,\"y\":2}}", "01!" },
	{ "{{#each o}}{{@first}}{{/each}}", "{\"o\":{\"x\":1,\"y\":2}}", "truefalse" },
	{ "{{#each o}}x{{else}}empty{{/each}}", "{\"o\":{}}", "empty" },
	/* #with */
	{ "{{#with p}}{{first}} {{last}}{{/with}}", "{\"p\":{\"first\":\"A\",\"last\":\"B\"}}",
	  "A B" },
	{ "{{#with p}}{{../x}}{{/with}}", "{\"x\":\"up\",\"p\":{\"y\":1}}", "up" },
	{ "{{#with p}}has{{else}}none{{/with}}", "{}", "none" },
	{ "{{#with p}}has{{else}}none{{/with}}", "{\"p\":[]}", "none" },
	{ "{{#with p}}{{this}}{{/with}}", "{\"p\":0}", "0" },
	{ "{{#with a}}{{#with b}}{{c}}{{/with}}{{/with}}", "{\"a\":{\"b\":{\"c\":\"C\"}}}", "C" },
	{ "{{#with a}}{{#if x}}{{../top}}{{/if}}{{/with}}", "{\"top\":\"T\",\"a\":{\"x\":1}}", "T" },
	/* sections: {{#name}} without a helper */
	{ "{{#users}}{{name}},{{/users}}", "{\"users\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", "a,b," },
	{ "{{#users}}x{{else}}nobody{{/users}}", "{\"users\":[]}", "nobody" },
	{ "{{#flag}}on{{/flag}}", "{\"flag\":true}", "on" },
	{ "{{#flag}}on{{else}}off{{/flag}}", "{\"flag\":false}", "off" },
	{ "{{#p}}{{name}}{{/p}}", "{\"p\":{\"name\":\"obj\"}}", "obj" },
	{ "{{^users}}no users{{/users}}", "{\"users\":[]}", "no users" },
	{ "{{^users}}no users{{/users}}", "{\"users\":[1]}", "" },
	{ "{{^flag}}off{{/flag}}", "{}", "off" },
	/* lookup */
	{ "{{lookup map key}}", "{\"map\":{\"a\":\"A\"},\"key\":\"a\"}", "A" },
	{ "{{lookup map \"a\"}}", "{\"map\":{\"a\":\"<A>\"}}", "&lt;A&gt;" },
	{ "{{lookup arr 1}}", "{\"arr\":[\"x\",\"y\"]}", "y" },
	{ "{{#each a}}{{lookup ../names @index}} {{/each}}", "{\"a\":[1,2],\"names\":[\"one\",\"two\"]}",
	  "one two " },
	{ "{{lookup map missing}}", "{\"map\":{}}", "" },
	{ "{{lookup nothing \"a\"}}", "{}", "" },
	{ "{{#with (lookup map \"p\")}}{{n}}{{/with}}", "{\"map\":{\"p\":{\"n\":5}}}", "5" },
	{ "{{#each (lookup d \"k\")}}{{this}}{{/each}}", "{\"d\":{\"k\":[1,2]}}", "12" },
	{ "{{#if (lookup d \"k\")}}y{{else}}n{{/if}}", "{\"d\":{\"k\":0}}", "n" },
	/* comments */
	{ "a{{! note }}b", "{}", "ab" },
	{ "a{{!-- has }} inside --}}b", "{}", "ab" },
	{ "a{{!-- x --}}b{{!-- y --}}c", "{}", "abc" },
	/* whitespace control */
	{ "a  {{~x~}}  b", "{\"x\":\"X\"}", "aXb" },
	{ "a \n {{~x}} b", "{\"x\":\"X\"}", "aX b" },
	{ "a {{x~}} \n b", "{\"x\":\"X\"}", "a Xb" },
	{ "{{#each a~}}\n  {{this}}\n{{~/each}}", "{\"a\":[1,2]}", "12" },
	{ "<p>\n  {{~#if a~}}\n    yes\n  {{~else~}}\n    no\n  {{~/if~}}\n</p>", "{\"a\":1}", "<p>yes</p>" },
	{ "a {{~! c ~}} b", "{}", "ab" },
	{ "a {{~{x}~}} b", "{\"x\":\"<\"}", "a<b" },
	/* standalone lines */
	{ "<ul>\n  {{#each a}}\n  <li>{{this}}</li>\n  {{/each}}\n</ul>\n", "{\"a\":[1,2]}",
	  "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n" },
	{ "{{#if a}}\nyes\n{{else}}\nno\n{{/if}}\n", "{}", "no\n" },
	{ "{{#if a}}\nyes\n{{else}}\nno\n{{/if}}\n", "{\"a\":1}", "yes\n" },
	{ "  {{! comment }}\nx", "{}", "x" },
	{ "x\n  {{!-- c --}}\ny", "{}", "x\ny" },
	{ "a {{#if t}}b{{/if}} c", "{\"t\":1}", "a b c" },
	{ "  {{x}}\n", "{\"x\":1}", "  1\n" },
	{ "x\n{{#if t}}\r\ny\r\n{{/if}}\r\nz", "{\"t\":1}", "x\ny\r\nz" },
	{ "{{#if a}}\n  {{#if b}}\n  in\n  {{/if}}\n{{/if}}\n", "{\"a\":1,\"b\":1}", "  in\n" },
	{ "Dear {{name}},\n{{#if vip}}\n  Thanks!\n{{/if}}\nBye", "{\"name\":\"A\",\"vip\":true}",
	  "Dear A,\n  Thanks!\nBye" },
	{ "{{#each a}} {{this}} {{/each}}", "{\"a\":[1,2]}", " 1  2 " },
	/* literals as arguments */
	{ "{{#if true}}t{{/if}}{{#if false}}f{{/if}}{{#if null}}n{{/if}}", "{}", "t" },
	{ "{{#with \"str\"}}{{this}}{{/with}}", "{}", "str" },
	{ "{{#with 5}}{{this}}{{/with}}", "{}", "5" },
	/* invalid UTF-8 in text passes through as bytes */
	{ "\xff\xfe{{x}}\xc3", "{\"x\":\"ok\"}", "\xff\xfeok\xc3" },
};

static const struct {
	const char *tpl;
	const char *msg;	/* substring of the message */
} bad[] = {
	{ "{{#users}}x", "line 1:1: {{#users}} has no closing {{/users}}" },
	{ "a\n  {{#if x}}y{{/each}}", "line 2:13: {{/each}} does not match {{#if}} opened at line 2:3" },
	{ "{{/if}}", "closes no open block" },
	{ "{{name", "unterminated tag" },
	{ "{{name}", "expected }}" },
	{ "{{{name}}", "expected }}}" },
	{ "{{!-- never closed", "unterminated comment" },
	{ "{{! never closed", "unterminated comment" },
	{ "{{else}}", "{{else}} outside a block" },
	{ "{{#if a}}{{else}}{{else}}{{/if}}", "more than one {{else}}" },
	{ "{{> partial}}", "partials are not supported" },
	{ "{{#each a as |x|}}{{/each}}", "block parameters" },
	{ "{{foo bar}}", "missing helper: \"foo\"" },
	{ "{{#if}}x{{/if}}", "#if requires exactly one argument" },
	{ "{{#if a b}}x{{/if}}", "#if requires exactly one argument" },
	{ "{{lookup a}}", "lookup requires two arguments" },
	{ "{{a.[b}}", "unterminated [" },
	{ "{{\"abc}}", "unterminated string" },
	{ "{{foo/../bar}}", "invalid path" },
	{ "{{}}", "expected an expression" },
	{ "line1\nline2 {{#if a}}\n", "line 2:7: {{#if}} has no closing {{/if}}" },
	{ "{{#if a}}{{#each b}}{{/if}}{{/each}}", "{{/if}} does not match {{#each}}" },
};

static char *render(const char *tpl, const char *vars_json, bool strict, struct api_error *err)
{
	json_error_t jerr;
	json_t *vars = vars_json ? json_loads(vars_json, 0, &jerr) : NULL;
	struct hbs_template *t = hbs_compile(tpl, strlen(tpl), HBS_HANDLEBARS, NULL, err);
	char *out = t ? hbs_render(t, vars, strict, NULL, NULL, err) : NULL;
	hbs_free(t);
	json_decref(vars);
	return out;
}

static void test_cases(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);
	for (size_t i = 0; i < n; i++) {
		struct api_error err = { 0 };
		char *out = render(cases[i].tpl, cases[i].vars, false, &err);
		if (!out)
			printf("# case %zu error: %s\n", i, err.message);
		CHECK_STR(out, cases[i].want, "case %zu", i);
		free(out);
	}
	CHECK(n >= 120, "%zu render cases", n);
}

static void test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct api_error err = { 0 };
		struct hbs_template *t = hbs_compile(bad[i].tpl, strlen(bad[i].tpl), HBS_HANDLEBARS,
						     NULL, &err);
		CHECK(!t && err.kind == ERR_INVALID_TEMPLATE_HTML && strstr(err.message, bad[i].msg),
		      "bad %zu: %s", i, err.message);
		CHECK_STR(err_info(err.kind)->code, "invalid_template_html", "bad %zu code", i);
		CHECK_INT(api_error_status(&err), 422, "bad %zu status", i);
		hbs_free(t);
	}
}

static void test_strict(void)
{
	struct api_error err = { 0 };
	const char *tpl = "{{name}} {{#each items}}{{sku}}{{../currency}}{{/each}} {{@root.z}}"
			  "{{#with addr}}{{city}}{{/with}}{{#if vip}}{{lookup codes key}}{{/if}}";
	struct hbs_template *t = hbs_compile(tpl, strlen(tpl), HBS_HANDLEBARS, NULL, &err);
	CHECK(t != NULL, "strict template compiles: %s", err.message);
	if (!t)
		return;
	char *req = json_dumps(hbs_required_vars(t), JSON_COMPACT);
	CHECK_STR(req, "[\"addr\",\"codes\",\"currency\",\"items\",\"key\",\"name\",\"vip\",\"z\"]",
		  "required vars: top level only, sorted, unique");
	free(req);
	json_t *some = json_pack("{s:s}", "name", "Harry");
	char *out = hbs_render(t, some, true, NULL, NULL, &err);
	CHECK(out == NULL && err.kind == ERR_MERGE_VARIABLE_REQUIRED, "strict: missing vars fail");
	CHECK_STR(err_info(err.kind)->code, "merge_variable_required", "strict code");
	CHECK_INT(api_error_status(&err), 422, "strict status");
	CHECK(strstr(err.message, "addr") && strstr(err.message, "currency") &&
	      !strstr(err.message, "name"), "strict names the missing: %s", err.message);
	out = hbs_render(t, some, false, NULL, NULL, &err);
	CHECK_STR(out, "Harry  ", "relaxed: missing render empty");
	free(out);
	json_decref(some);
	json_t *all = json_loads("{\"name\":\"H\",\"items\":[{\"sku\":\"s\"}],\"currency\":\"$\","
				 "\"z\":1,\"addr\":{\"city\":\"SF\"},\"vip\":null,\"codes\":{},"
				 "\"key\":\"\"}", 0, NULL);
	out = hbs_render(t, all, true, NULL, NULL, &err);
	CHECK_STR(out, "H s$ 1SF", "strict: all present (null counts as given)");
	free(out);
	json_decref(all);
	hbs_free(t);

	tpl = "{{#each a}}{{b}}{{/each}}{{#if c}}{{d}}{{/if}}{{this}}";
	t = hbs_compile(tpl, strlen(tpl), HBS_HANDLEBARS, NULL, &err);
	req = json_dumps(hbs_required_vars(t), JSON_COMPACT);
	CHECK_STR(req, "[\"a\",\"c\",\"d\"]", "required: #each body is not top level, #if is");
	free(req);
	hbs_free(t);
}

static void test_legacy(void)
{
	struct api_error err = { 0 };
	const char *tpl = "Hi {{name}}, {{ spaced }} {{#if x}}{{a.b}}{{/if}} {{missing}}.";
	struct hbs_template *t = hbs_compile(tpl, strlen(tpl), HBS_LEGACY, NULL, &err);
	json_t *v = json_loads("{\"name\":\"<Ann>\",\"a.b\":\"dot\",\"x\":1}", 0, NULL);
	CHECK(t != NULL, "legacy compiles anything");
	char *req = json_dumps(hbs_required_vars(t), JSON_COMPACT);
	CHECK_STR(req, "[\"a.b\",\"missing\",\"name\"]", "legacy required vars");
	free(req);
	char *out = hbs_render(t, v, false, NULL, NULL, &err);
	CHECK_STR(out, "Hi <Ann>, {{ spaced }} {{#if x}}dot{{/if}} .",
		  "legacy: plain substitution, no blocks, no escaping");
	free(out);
	out = hbs_render(t, v, true, NULL, NULL, &err);
	CHECK(!out && err.kind == ERR_MERGE_VARIABLE_REQUIRED && strstr(err.message, "missing"),
	      "legacy strict");
	json_decref(v);
	hbs_free(t);
}

static void test_merge_vars(void)
{
	static const struct {
		const char *json;
		enum err_kind kind;
	} mv[] = {
		{ "{\"name\":\"Harry\",\"n\":1,\"a\":[1],\"o\":{\"k\":null}}", ERR_NONE },
		{ "{\"first_name\":1,\"first-name\":2,\"$x\":3,\"a.b\":4,\"caf\\u00e9\":5}", ERR_NONE },
		{ "[1,2]", ERR_INVALID },
		{ "\"str\"", ERR_INVALID },
		{ "{\"first name\":1}", ERR_MERGE_VARIABLE_WHITESPACE },
		{ "{\"tab\\there\":1}", ERR_MERGE_VARIABLE_WHITESPACE },
		{ "{\"nb\\u00a0sp\":1}", ERR_MERGE_VARIABLE_WHITESPACE },
		{ "{\"o\":{\"in ner\":1}}", ERR_MERGE_VARIABLE_WHITESPACE },
		{ "{\"a\":[{\"x y\":1}]}", ERR_MERGE_VARIABLE_WHITESPACE },
		{ "{\"o\":{\"a@b\":1}}", ERR_SPECIAL_CHARACTERS_RESTRICTED },
	};
	const char *specials = "!\"#%&'()*+,/;<=>@[\\]^`{|}~";
	for (size_t i = 0; i < sizeof(mv) / sizeof(mv[0]); i++) {
		struct api_error err = { 0 };
		json_t *v = json_loads(mv[i].json, JSON_DECODE_ANY, NULL);
		int rc = hbs_check_merge_variables(v, &err);
		CHECK(rc == (mv[i].kind == ERR_NONE ? 0 : -1) && err.kind == mv[i].kind,
		      "merge vars %s -> %s", mv[i].json, err.message);
		json_decref(v);
	}
	for (const char *c = specials; *c; c++) {
		struct api_error err = { 0 };
		char key[8] = { 'a', *c, 'b', 0 };
		json_t *v = json_pack("{s:i}", key, 1);
		int rc = hbs_check_merge_variables(v, &err);
		CHECK(rc == -1 && err.kind == ERR_SPECIAL_CHARACTERS_RESTRICTED &&
		      !strcmp(err_info(err.kind)->code, "special_characters_restricted"),
		      "special character %c", *c);
		json_decref(v);
	}
	struct api_error err = { 0 };
	CHECK_INT(hbs_check_merge_variables(NULL, &err), 0, "NULL merge vars are fine");
	CHECK_STR(err_info(ERR_MERGE_VARIABLE_WHITESPACE)->code, "merge_variable_whitespace", "code");
	/* JSON.stringify length: {"k":"…"} is 8 characters around the value */
	char *big = malloc(25001);
	memset(big, 'x', 24992);
	big[24992] = '\0';
	json_t *v = json_pack("{s:s}", "k", big);
	CHECK_INT(hbs_check_merge_variables(v, &err), 0, "25,000 characters is fine");
	json_decref(v);
	big[24992] = 'x';
	big[24993] = '\0';
	v = json_pack("{s:s}", "k", big);
	CHECK(hbs_check_merge_variables(v, &err) < 0 && err.kind == ERR_INVALID &&
	      strstr(err.message, "25000"), "25,001 characters fails: %s", err.message);
	json_decref(v);
	free(big);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_hostile(void)
{
	struct api_error err = { 0 };
	size_t n = 1 << 20;
	char *src = malloc(n * 8 + 64);
	double t0;

	/* 1 MB of {{ */
	for (size_t i = 0; i < n; i++)
		src[i] = "{{"[i % 2];
	t0 = now();
	struct hbs_template *t = hbs_compile(src, n, HBS_HANDLEBARS, NULL, &err);
	CHECK(!t && err.kind == ERR_INVALID_TEMPLATE_HTML, "1 MB of {{ fails: %s", err.message);
	t = hbs_compile(src, n, HBS_LEGACY, NULL, &err);
	CHECK(t != NULL, "legacy: 1 MB of {{ is text");
	hbs_free(t);
	CHECK(now() - t0 < 2.0, "1 MB of {{ in bounded time");

	/* 100,000 nested blocks */
	size_t len = 0;
	for (size_t i = 0; i < 100000; i++) {
		memcpy(src + len, "{{#if a}}", 9);
		len += 9;
	}
	t0 = now();
	t = hbs_compile(src, len, HBS_HANDLEBARS, NULL, &err);
	CHECK(!t && strstr(err.message, "nested deeper than 64"), "deep nesting: %s", err.message);
	memcpy(src, "{{x ", 4);
	len = 4;
	for (size_t i = 0; i < 10000; i++)
		src[len++] = '(';
	t = hbs_compile(src, len, HBS_HANDLEBARS, NULL, &err);
	CHECK(!t && strstr(err.message, "subexpressions nested deeper than 64"),
	      "deep subexpressions fail: %s", err.message);
	hbs_free(t);
	/* else-if chains count as nesting */
	len = 0;
	memcpy(src, "{{#if a}}", 9);
	len = 9;
	for (size_t i = 0; i < 100000; i++) {
		memcpy(src + len, "{{else if a}}", 13);
		len += 13;
	}
	t = hbs_compile(src, len, HBS_HANDLEBARS, NULL, &err);
	CHECK(!t && strstr(err.message, "nested deeper"), "long else-if chain: %s", err.message);
	/* generous for sanitizer builds on a loaded machine: quadratic work would take minutes */
	CHECK(now() - t0 < 10.0, "deep nesting in bounded time");

	/* 1,000,000 unterminated tags / unclosed blocks */
	len = 0;
	for (size_t i = 0; i < 200000; i++) {
		memcpy(src + len, "{{a}} {{", 8);
		len += 8;
	}
	t0 = now();
	t = hbs_compile(src, len, HBS_HANDLEBARS, NULL, &err);
	CHECK(!t && strstr(err.message, "line 1:"), "many unterminated tags fail: %s", err.message);
	CHECK(now() - t0 < 2.0, "unterminated tags in bounded time");

	/* each over nested arrays: steps cap */
	const char *nest = "{{#each a}}{{#each ../a}}{{#each ../../a}}{{#each ../../../a}}x"
			   "{{/each}}{{/each}}{{/each}}{{/each}}";
	json_t *arr = json_array();
	for (int i = 0; i < 200; i++)
		json_array_append_new(arr, json_integer(i));
	json_t *vars = json_pack("{s:o}", "a", arr);
	t = hbs_compile(nest, strlen(nest), HBS_HANDLEBARS, NULL, &err);
	t0 = now();
	char *out = hbs_render(t, vars, false, NULL, NULL, &err);
	CHECK(!out && err.kind == ERR_INVALID_TEMPLATE_HTML && strstr(err.message, "steps"),
	      "each^4 over 200 items hits the step cap: %s", err.message);
	CHECK(now() - t0 < 5.0, "step cap in bounded time (%.2fs)", now() - t0);
	struct hbs_limits small = { .max_output = 1000 };
	out = hbs_render(t, vars, false, &small, NULL, &err);
	CHECK(!out && strstr(err.message, "exceeds 1000 bytes"), "output cap: %s", err.message);
	hbs_free(t);
	json_decref(vars);

	/* a huge value repeated: output cap */
	char *big = malloc(1 << 20);
	memset(big, '<', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	vars = json_pack("{s:s,s:[iiiiiiiiii]}", "v", big, "r", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	const char *rep = "{{#each r}}{{#each ../r}}{{../../v}}{{/each}}{{/each}}";
	t = hbs_compile(rep, strlen(rep), HBS_HANDLEBARS, NULL, &err);
	t0 = now();
	out = hbs_render(t, vars, false, NULL, NULL, &err);
	CHECK(!out && strstr(err.message, "exceeds"), "escaped 1 MB x 100 hits 20 MiB: %s",
	      err.message);
	CHECK(now() - t0 < 5.0, "output cap in bounded time");
	hbs_free(t);
	json_decref(vars);
	free(big);
	free(src);
}

/* Lob's own example templates (tests/fixtures/lob-examples, MIT): each compiles and renders */
static const char *const examples[] = {
	"checks__check-bottom.html",
	"letters__8.5x11-letter-custom-envelope.html",
	"letters__8.5x11-letter.html",
	"postcards__4x6-back.html",
	"postcards__4x6_front.html",
	"postcards__6x11-back.html",
	"postcards__6x11-front.html",
	"postcards__6x9-back.html",
	"postcards__6x9-front.html",
	"self_mailers__11x9_inside.html",
	"self_mailers__12x9_outside.html",
	"self_mailers__6x18_outside.html",
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static void test_examples(void)
{
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		char path[1024];
		size_t len = 0;
		struct api_error err = { 0 };
		snprintf(path, sizeof(path), TEST_SOURCE_ROOT "/tests/fixtures/lob-examples/%s",
			 examples[i]);
		char *src = slurp(path, &len);
		if (!CHECK(src != NULL, "tests/fixtures/lob-examples/%s is readable", examples[i]))
			continue;
		struct hbs_template *t = hbs_compile(src, len, HBS_HANDLEBARS, NULL, &err);
		CHECK(t != NULL, "%s compiles %s", examples[i], err.message);
		if (!t) {
			free(src);
			continue;
		}
		json_t *vars = json_object();
		size_t k;
		json_t *name;
		json_array_foreach(hbs_required_vars(t), k, name)
			json_object_set_new(vars, json_string_value(name),
					    json_sprintf("VALUE_%zu", k));
		size_t olen = 0;
		char *out = hbs_render(t, vars, true, NULL, &olen, &err);
		CHECK(out != NULL, "%s renders strictly: %s", examples[i], out ? "" : err.message);
		if (out) {
			CHECK(strstr(out, "{{") == NULL, "%s: every {{var}} substituted", examples[i]);
			json_array_foreach(hbs_required_vars(t), k, name) {
				char want[32];
				snprintf(want, sizeof(want), "VALUE_%zu", k);
				CHECK(strstr(out, want) != NULL, "%s: %s rendered", examples[i],
				      json_string_value(name));
			}
			CHECK(olen > len / 2, "%s: output keeps the HTML", examples[i]);
		}
		free(out);
		json_decref(vars);
		hbs_free(t);
		free(src);
	}
}

static void bench_letter(void)
{
	struct api_error err = { 0 };
	char tpl[8192];
	size_t len = 0;
	json_t *vars = json_object();
	len += (size_t)snprintf(tpl + len, sizeof(tpl) - len,
				"<html><head><style>body{font:10pt Helvetica}</style></head><body>\n");
	for (int i = 0; i < 20; i++) {
		len += (size_t)snprintf(tpl + len, sizeof(tpl) - len,
					"<p class=\"f%d\">Field %d: {{var_%d}}</p>\n", i, i, i);
		char k[16];
		snprintf(k, sizeof(k), "var_%d", i);
		json_object_set_new(vars, k, json_string("Harry & Sally <value>"));
	}
	len += (size_t)snprintf(tpl + len, sizeof(tpl) - len,
				"{{#if var_1}}<p>yes</p>{{/if}}</body></html>\n");
	struct hbs_template *t = hbs_compile(tpl, len, HBS_HANDLEBARS, NULL, &err);
	int iters = 20000;
	double t0 = now();
	for (int i = 0; i < iters; i++)
		free(hbs_render(t, vars, true, NULL, NULL, &err));
	double dt = now() - t0;
	printf("# renders/s of a letter with 20 variables: %.0f\n", iters / dt);
	t0 = now();
	for (int i = 0; i < 2000; i++)
		hbs_free(hbs_compile(tpl, len, HBS_HANDLEBARS, NULL, &err));
	printf("# compiles/s of the same: %.0f\n", 2000 / (now() - t0));
	CHECK(dt < 20.0, "20,000 renders in bounded time");
	hbs_free(t);
	json_decref(vars);
}

/* found by fuzz/fuzz_handlebars: a closing tag's bytes echoed raw made the 422 a 500 */
static void test_message_utf8(void)
{
	struct api_error err = { 0 };
	static const char *const not_utf8[] = {
		"{{#if t}}x{{/f\xff\xff}}",	/* not UTF-8 at all */
		"{{#if t}}{{/\xc3}}",	/* a character cut short */
	};
	for (size_t i = 0; i < sizeof not_utf8 / sizeof not_utf8[0]; i++) {
		struct hbs_template *t = hbs_compile(not_utf8[i], strlen(not_utf8[i]), HBS_HANDLEBARS, NULL, &err);
		CHECK(!t && err.kind == ERR_INVALID_TEMPLATE_HTML, "template %zu fails to compile", i);
		json_t *m = json_string(err.message);
		CHECK(m != NULL, "its message is valid UTF-8: %s", err.message);
		CHECK(strstr(err.message, "does not match {{#if}}") != NULL, "and says why: %s",
		      err.message);
		json_decref(m);
		hbs_free(t);
	}
}

int main(void)
{
	test_cases();
	test_message_utf8();
	test_bad();
	test_strict();
	test_legacy();
	test_merge_vars();
	test_hostile();
	test_examples();
	bench_letter();
	return test_done();
}
