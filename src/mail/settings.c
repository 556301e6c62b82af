// SPDX-License-Identifier: AGPL-3.0-or-later
/* Account settings: defaults, validation, JSON (see settings.h). */
#include "mail/settings.h"
#include "core/arena.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* one cancellation window per mail product, in the product table's order */
#define N_PRODUCTS PRODUCT_KIND_COUNT

static const char *const strictness_names[] = { "relaxed", "normal", "strict" };

int settings_product(const char *kind)
{
	const struct mail_product *p = mail_product_find(kind);
	return p ? (int)p->kind : -1;
}

void settings_defaults(struct account_settings *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < N_PRODUCTS; i++)
		s->cancel_minutes[i] = CANCEL_WINDOW_DEFAULT_MIN;
	/* relaxed: without reference addresses loaded, no delivery point can be confirmed */
	s->us_address_strictness = STRICT_RELAXED;
	s->merge_variables_strict = false;
	s->default_use_type = NULL;
	s->simulate_tracking = false;
	s->simulation_speed = 1;
}

static int windows(struct account_settings *s, const json_t *v, struct api_error *err)
{
	const char *k;
	json_t *e;
	if (!json_is_object(v))
		return api_fail(err, ERR_INVALID, "cancellation_windows must be an object of minutes per product");
	json_object_foreach((json_t *)v, k, e) {
		int p = settings_product(k);
		if (p < 0) {
			char names[160];
			mail_product_names(names, sizeof(names), false, ", ", " or ");
			return api_fail(err, ERR_INVALID,
					"cancellation_windows.%.40s is not allowed: use %s", k, names);
		}
		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    json_integer_value(e) > CANCEL_WINDOW_MAX_MIN)
			return api_fail(err, ERR_INVALID,
					"cancellation_windows.%s must be an integer from 0 to %d minutes",
					k, CANCEL_WINDOW_MAX_MIN);
		s->cancel_minutes[p] = (unsigned)json_integer_value(e);
	}
	return 0;
}

int settings_apply(struct account_settings *s, const json_t *changes, struct api_error *err)
{
	const char *k;
	json_t *v;
	if (!json_is_object(changes))
		return api_fail(err, ERR_INVALID, "settings must be an object");
	json_object_foreach((json_t *)changes, k, v) {
		const char *str = json_string_value(v);
		if (strcmp(k, "cancellation_windows") == 0) {
			if (windows(s, v, err) < 0)
				return -1;
		} else if (strcmp(k, "us_address_strictness") == 0) {
			size_t i;
			for (i = 0; i < 3 && !(str && strcmp(str, strictness_names[i]) == 0); i++)
				;
			if (i == 3)
				return api_fail(err, ERR_INVALID,
						"us_address_strictness must be one of [strict, normal, relaxed]");
			s->us_address_strictness = (int)i;
		} else if (strcmp(k, "merge_variable_strictness") == 0) {
			if (!str || (strcmp(str, "strict") != 0 && strcmp(str, "relaxed") != 0))
				return api_fail(err, ERR_INVALID,
						"merge_variable_strictness must be one of [strict, relaxed]");
			s->merge_variables_strict = strcmp(str, "strict") == 0;
		} else if (strcmp(k, "default_use_type") == 0) {
			if (json_is_null(v))
				s->default_use_type = NULL;
			else if (str && strcmp(str, "marketing") == 0)
				s->default_use_type = "marketing";
			else if (str && strcmp(str, "operational") == 0)
				s->default_use_type = "operational";
			else
				return api_fail(err, ERR_INVALID,
						"default_use_type must be one of [marketing, operational, null]");
		} else if (strcmp(k, "tracking_simulation") == 0) {
			json_t *en = json_object_get(v, "enabled"), *sp = json_object_get(v, "speed");
			if (!json_is_object(v) || (en && !json_is_boolean(en)) ||
			    (sp && (!json_is_number(sp) || json_number_value(sp) < 1 ||
				    json_number_value(sp) > 100000)))
				return api_fail(err, ERR_INVALID,
						"tracking_simulation must be {\"enabled\": boolean, \"speed\": 1 to 100000}");
			static const char *const shares[] = { "reroute_share", "return_share", "issue_share" };
			double *dest[] = { &s->reroute_share, &s->return_share, &s->issue_share };
			double sum = 0;
			for (size_t i = 0; i < 3; i++) {
				json_t *sh = json_object_get(v, shares[i]);
				if (sh && (!json_is_number(sh) || json_number_value(sh) < 0 ||
					   json_number_value(sh) > 1))
					return api_fail(err, ERR_INVALID,
							"tracking_simulation.%s must be a number from 0 to 1",
							shares[i]);
				if (sh)
					*dest[i] = json_number_value(sh);
				sum += *dest[i];
			}
			if (sum > 1)
				return api_fail(err, ERR_INVALID,
						"tracking_simulation's shares add up to more than 1");
			if (en)
				s->simulate_tracking = json_is_true(en);
			if (sp)
				s->simulation_speed = json_number_value(sp);
		} else if (strcmp(k, "object") != 0 && strcmp(k, "id") != 0 &&
			   strcmp(k, "account_id") != 0 && strcmp(k, "date_created") != 0 &&
			   strcmp(k, "date_modified") != 0) {	/* fields of the stored object */
			return api_fail(err, ERR_INVALID, "%.60s is not allowed", k);
		}
	}
	return 0;
}

const char *settings_live_field(const json_t *changes)
{
	static const char *const live[] = { "cancellation_windows", "us_address_strictness",
					     "merge_variable_strictness", "default_use_type" };
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)changes, k, v)
		for (size_t i = 0; i < sizeof(live) / sizeof(live[0]); i++)
			if (strcmp(k, live[i]) == 0)
				return live[i];
	return NULL;
}

int settings_from_json(const char *json, struct account_settings *s)
{
	struct api_error err;
	settings_defaults(s);
	if (!json)
		return 0;
	json_t *o = json_loads(json, 0, NULL);
	int rc = o ? settings_apply(s, o, &err) : -1;
	json_decref(o);
	return rc;
}

json_t *settings_to_json(const struct account_settings *s, const char *account_id)
{
	json_t *w = json_object();
	char id[48];
	for (size_t i = 0; i < N_PRODUCTS; i++)
		json_object_set_new(w, mail_product_at(i)->object, json_integer(s->cancel_minutes[i]));
	settings_id(account_id, id);
	return json_pack("{sssssosssssos{sbsfsfsfsf}ss}", "id", id, "account_id", account_id,
			 "cancellation_windows", w, "us_address_strictness",
			 strictness_names[s->us_address_strictness], "merge_variable_strictness",
			 s->merge_variables_strict ? "strict" : "relaxed", "default_use_type",
			 s->default_use_type ? json_string(s->default_use_type) : json_null(),
			 "tracking_simulation", "enabled", s->simulate_tracking, "speed",
			 s->simulation_speed, "reroute_share", s->reroute_share, "return_share",
			 s->return_share, "issue_share", s->issue_share, "object", "account_settings");
}

void settings_id(const char *account_id, char out[48])
{
	const char *hex = strchr(account_id, '_');
	snprintf(out, 48, "acs_%.40s", hex ? hex + 1 : account_id);
}

int settings_load(struct store *st, const char *account_id, struct account_settings *s,
		  struct api_error *err)
{
	/* account-wide: kept in live scope, read by both modes */
	struct store_scope sc = { .account_id = account_id, .mode = MODE_LIVE, .kind = SETTINGS_KIND };
	struct arena *a = arena_new();
	char id[48], *json = NULL;
	settings_id(account_id, id);
	int rc = a ? store_object_get(st, &sc, id, a, &json, err) : -1;
	if (rc >= 0 && settings_from_json(rc == 0 ? json : NULL, s) < 0)
		rc = api_fail(err, ERR_INTERNAL, "stored settings do not parse");
	arena_free(a);
	return rc < 0 ? -1 : 0;
}

int settings_save(struct store *st, const char *account_id, const struct account_settings *s,
		  long long now_ms, struct api_error *err)
{
	char id[48];
	settings_id(account_id, id);
	json_t *obj = settings_to_json(s, account_id);
	char *json = json_dumps(obj, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(obj);
	if (!json)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	struct store_change ch = {
		.op = STORE_UPDATE,
		.sc = { .account_id = account_id, .mode = MODE_LIVE, .kind = SETTINGS_KIND },
		.obj = { .id = id, .created_ms = now_ms, .updated_ms = now_ms, .json = json },
		.mutate = store_mutate_replace, .ctx = json,
	};
	struct store_change_set set = { .changes = &ch, .n = 1 };
	int rc = store_apply_sync(st, &set, err);
	if (rc == 1) {	/* never stored: insert */
		ch.op = STORE_INSERT;
		rc = store_apply_sync(st, &set, err);
	}
	free(json);
	return rc == 0 ? 0 : -1;
}
