// SPDX-License-Identifier: AGPL-3.0-or-later
/* The store's SQL as PostgreSQL reads it: placeholders, renames, hints, quoted text left alone. */
#include "store/pg_sql.h"
#include "test.h"
#include <stdlib.h>

static void same(const char *in, const char *want, int want_params, const char *what)
{
	int n = -1;
	char *got = pg_sql_translate(in, &n);
	CHECK_STR(got ? got : "(null)", want, "%s", what);
	CHECK_INT(n, want_params, "%s: parameters", what);
	free(got);
}

int main(void)
{
	same("SELECT 1", "SELECT 1", 0, "plain SQL is unchanged");
	same("SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2", 2,
	     "bare placeholders are numbered in order");
	same("UPDATE t SET j = ?1 WHERE id = ?3 AND k = ?1", "UPDATE t SET j = $1 WHERE id = $3 AND k = $1",
	     3, "numbered placeholders keep their numbers; the highest counts");
	same("SELECT ?2, ?", "SELECT $2, $3", 3, "a bare one after ?2 is 3, as in SQLite");
	same("SELECT '?', \"a?\", 'it''s ?' FROM t WHERE x = ?", "SELECT '?', \"a?\", 'it''s ?' FROM t WHERE x = $1",
	     1, "question marks in quoted text are text");
	same("SELECT json_object('k', v), JSON_GROUP_ARRAY(x) FROM t",
	     "SELECT json_build_object('k', v), json_agg(x) FROM t", 0, "the JSON builders are renamed");
	same("SELECT my_json_object(1)", "SELECT my_json_object(1)", 0, "only whole names are renamed");
	same("SELECT 'json_object(' FROM t", "SELECT 'json_object(' FROM t", 0, "not inside quotes");
	same("SELECT a FROM jobs INDEXED BY jobs_due GROUP BY a", "SELECT a FROM jobs GROUP BY a", 0,
	     "SQLite's index hint is dropped");
	same("BEGIN IMMEDIATE", "BEGIN", 0, "a write transaction is a plain one");
	same("BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0,
	     "a reader's BEGIN keeps one snapshot");
	same("SELECT x FROM t WHERE y = 'unterminated", "SELECT x FROM t WHERE y = 'unterminated", 0,
	     "an unterminated quote is copied to the end");
	return test_done();
}
