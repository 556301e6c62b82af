// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank operator create --data DIR --email E: an operator of the mail room (api/operators.h)
 * with its first API key. The password comes from the terminal (no echo) or stdin, never
 * argv. Prints exactly one JSON object, {"operator_id": "op_…", "key": "frankop_…"}: the key
 * is shown this once (only its SHA-256 is stored).
 */
#include "api/operators.h"
#include "c321/access.h"
#include "cli/commands.h"
#include "cli/password.h"
#include "core/timeutil.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_operator_create(struct cli_args *a)
{
	char password[ACCESS_PASSWORD_MAX + 2], id[40], key[OPERATOR_KEY_MAX];
	struct api_error err;
	int bad = cli_new_password(a, "operator create", "--data DIR --email E", "operator",
				   password, sizeof(password));
	if (bad)
		return bad;
	struct store_options opt = { .dir = a->data, .pool_size = 1, .sync_full = true };
	struct store *s = store_open(&opt, &err);
	int rc = 1;
	if (!s || operators_create(s, a->email, password, clock_now_ms(), id, key, &err) < 0) {
		fprintf(stderr, "frank: %s\n", err.message);
	} else {
		json_t *out = json_pack("{ssss}", "operator_id", id, "key", key);
		char *text = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
		printf("%s\n", text ? text : "{}");
		rc = text ? 0 : 1;
		free(text);
		json_decref(out);
	}
	explicit_bzero(password, sizeof(password));
	explicit_bzero(key, sizeof(key));
	store_free(s);
	return rc;
}
