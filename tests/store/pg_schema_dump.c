// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Prints the store's migrations for pg_schema_check.sh: `sqlite` or `pg`, each script
 * followed by a line holding only "-- end of migration N", so the check applies exactly the
 * text the store runs.
 */
#include <stdio.h>
#include <string.h>

#include "store/migrations.h"

int main(int argc, char **argv)
{
	const struct migration *m;
	size_t n;
	if (argc == 2 && strcmp(argv[1], "sqlite") == 0) {
		m = store_migrations;
		n = store_migrations_count;
	} else if (argc == 2 && strcmp(argv[1], "pg") == 0) {
		m = store_migrations_pg;
		n = store_migrations_pg_count;
	} else {
		fprintf(stderr, "usage: %s sqlite|pg\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < n; i++)
		printf("%s\n-- end of migration %d\n", m[i].sql, m[i].version);
	return 0;
}
