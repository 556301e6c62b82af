// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank migrate-store --from DIR --to postgres://…: a SQLite installation's database into
 * PostgreSQL (store/migrate_store.h), then checked table by table. Prints one JSON object on
 * stdout; exits 1 when a table differs or the copy fails, 2 on bad arguments.
 */
#include "cli/commands.h"
#include "store/migrate_store.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_migrate_store(struct cli_args *a)
{
	const char *from = a->from ? a->from : a->data;
	if (!a->to || (strncmp(a->to, "postgres://", 11) != 0 &&
		       strncmp(a->to, "postgresql://", 13) != 0)) {
		fprintf(stderr, "usage: frank migrate-store --from DIR --to postgres://… (--to: a"
				" libpq URI of the PostgreSQL database; got %s)\n",
			a->to ? a->to : "none");
		return 2;
	}
	struct api_error err = { 0 };
	json_t *sum = store_migrate(from, a->to, &err);
	if (!sum) {
		fprintf(stderr, "frank: %s\n", err.message);
		return 1;
	}
	bool ok = json_is_true(json_object_get(sum, "ok"));
	json_object_set_new(sum, "from", json_string(from));
	char *text = json_dumps(sum, JSON_COMPACT | JSON_PRESERVE_ORDER);
	printf("%s\n", text ? text : "{}");
	free(text);
	if (!ok)
		fprintf(stderr, "frank: migrate-store: the copy differs from %s/frank.db (tables"
				" above); nothing was removed: rerun, or start again on an empty"
				" database\n", from);
	else if (!json_is_true(json_object_get(sum, "copied")))
		fprintf(stderr, "frank: migrate-store: nothing to copy: the database already holds"
				" every row of %s/frank.db; verified\n", from);
	json_decref(sum);
	return ok ? 0 : 1;
}
