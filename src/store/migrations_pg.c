// SPDX-License-Identifier: AGPL-3.0-or-later
/* placeholder until the PostgreSQL schema lands */
#include "store/migrations.h"
const struct migration store_migrations_pg[] = { { 1, "SELECT 1" } };
const size_t store_migrations_pg_count = 1;
