// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The Handlebars merge engine for Lob templates: compile HTML once into an immutable AST,
 * render it many times with a jansson object of merge variables. It knows Lob's subset of
 * Handlebars.js 4 (paths, escaping, if/unless/each/with/lookup, comments, `~`, standalone
 * lines) and Lob's `legacy` engine ({{name}} only). It does not do partials, decorators,
 * block params or custom helpers: those are compile errors.
 *
 * Bytes: templates are byte strings. Text between tags is copied through unchanged, invalid
 * UTF-8 included (Lob stores whatever HTML it is given; a renderer downstream decides).
 * Values come from jansson and are valid UTF-8 already.
 */
#ifndef FRANK_HANDLEBARS_H
#define FRANK_HANDLEBARS_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/err.h"

enum hbs_engine { HBS_HANDLEBARS, HBS_LEGACY };

/* every cap is an error (invalid_template_html), never a truncation; 0 means the default */
struct hbs_limits {
	size_t max_depth;	/* block + subexpression nesting (default 64) */
	size_t max_output;	/* rendered bytes (default 20 MiB) */
	size_t max_steps;	/* evaluation steps: nodes visited + iterations (default 10M) */
};

#define HBS_DEFAULT_MAX_DEPTH 64
#define HBS_DEFAULT_MAX_OUTPUT ((size_t)20 << 20)
#define HBS_DEFAULT_MAX_STEPS ((size_t)10000000)
/* Lob: "If you call JSON.stringify on your object, it can be no longer than 25,000 characters" */
#define HBS_MERGE_VARS_MAX_CHARS 25000

struct hbs_template;	/* immutable after compile: render it from any number of threads */

/*
 * Compiles src[0..len) (need not be NUL-terminated). lim may be NULL (defaults).
 * Caller frees with hbs_free(). On a syntax error returns NULL with ERR_INVALID_TEMPLATE_HTML
 * and a message naming line:column, e.g. "line 1:1: {{#users}} has no closing {{/users}}".
 * Time and memory are linear in len.
 */
struct hbs_template *hbs_compile(const char *src, size_t len, enum hbs_engine engine,
				 const struct hbs_limits *lim, struct api_error *err);
void hbs_free(struct hbs_template *t);

/*
 * Renders t with vars (an object, or NULL for none). Returns a NUL-terminated string the
 * caller frees with free(), its length in *out_len (may be NULL). strict: a top-level
 * variable the template uses (hbs_required_vars) but vars lack fails with
 * ERR_MERGE_VARIABLE_REQUIRED naming it; relaxed: it renders as "". Exceeding max_output or
 * max_steps fails with ERR_INVALID_TEMPLATE_HTML. NULL on error. Thread-safe; reads only.
 */
char *hbs_render(const struct hbs_template *t, const json_t *vars, bool strict,
		 const struct hbs_limits *lim, size_t *out_len, struct api_error *err);

/*
 * The top-level variables the template reads (first path segment at the root context,
 * including ../x and @root.x that reach it), sorted and unique. Borrowed: owned by t.
 */
const json_t *hbs_required_vars(const struct hbs_template *t);

/*
 * Lob's merge_variables rules (spec: merge_variables on letters, postcards, ...): an object
 * (ERR_INVALID), JSON text <= 25,000 characters (ERR_INVALID), and names without whitespace
 * (ERR_MERGE_VARIABLE_WHITESPACE) or any of !"#%&'()*+,/;<=>@[\]^`{|}~
 * (ERR_SPECIAL_CHARACTERS_RESTRICTED). Names are checked at every depth (nested objects and
 * objects inside arrays): a template reaches nested keys with the same syntax. NULL is fine.
 */
int hbs_check_merge_variables(const json_t *vars, struct api_error *err);
#endif
