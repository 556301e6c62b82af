// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Internal to the store: the store's SQL (SQLite's dialect) as PostgreSQL reads it. Only
 * what the store's statements use and PostgreSQL spells differently:
 *   ?NNN and ?           -> $NNN (a bare ? takes the highest number so far plus one)
 *   json_object(         -> json_build_object(
 *   json_group_array(    -> json_agg(
 *   INDEXED BY name      -> (dropped: SQLite's planner hint)
 *   BEGIN IMMEDIATE      -> BEGIN (a write: read committed, under the writer's lock)
 *   BEGIN                -> BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY (one snapshot)
 * Quoted text ('…', "…") is copied as it is. Everything else the store's SQL shares with
 * PostgreSQL, or the PostgreSQL migrations define (json_extract, julianday, json_each, instr).
 */
#ifndef FRANK_STORE_PG_SQL_H
#define FRANK_STORE_PG_SQL_H

/* malloc'd PostgreSQL text, *nparams the highest placeholder number; NULL out of memory */
char *pg_sql_translate(const char *sql, int *nparams);
#endif
