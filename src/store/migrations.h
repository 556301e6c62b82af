// SPDX-License-Identifier: AGPL-3.0-or-later
/* Schema migrations: an ordered list of SQL scripts; the store applies the missing ones. */
#ifndef FRANK_MIGRATIONS_H
#define FRANK_MIGRATIONS_H
#include <stddef.h>

#define MIGRATION_VERSION_MAX 999	/* versions are small numbers, in order in the list */

struct migration {
	int version;
	const char *sql;
};

extern const struct migration store_migrations[];
extern const size_t store_migrations_count;
/* PostgreSQL's (migrations_pg.c): version 1 is the whole schema of the list above */
extern const struct migration store_migrations_pg[];
extern const size_t store_migrations_pg_count;
#endif
