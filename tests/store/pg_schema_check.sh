#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The PostgreSQL schema (src/store/migrations_pg.c) against SQLite's (src/store/migrations.c):
# the same tables, columns, keys and indexes; the compatibility functions (json_extract,
# julianday, json_each, instr) giving SQLite's results on a table of inputs; the piece_days
# triggers keeping the same counts through the same writes; ledger_rows serving the same JSON.
# SQLite's results come from the sqlite3 shell on a database made by the store's own
# migrations; PostgreSQL runs in a throwaway cluster of its own (initdb and pg_ctl in a
# temporary directory, Unix socket only; as `nobody` when run as root, since initdb refuses
# root), stopped and removed at the end, with a session TimeZone and DateStyle far from UTC's.
# TAP on stdout; exits 1 on any difference. Needs cc, sqlite3 and PostgreSQL's server
# binaries (PG_BIN, else pg_config --bindir, else /usr/lib/postgresql/*/bin).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)

die() { echo "Bail out! $*"; exit 1; }
trap 'echo "Bail out! line $LINENO failed"' ERR
csort() { LC_ALL=C sort; }	# byte order, as SQLite's BINARY and COLLATE "C"
command -v sqlite3 >/dev/null || die "sqlite3 (the shell) is needed"
command -v "${CC:-cc}" >/dev/null || die "a C compiler is needed"
PG_BIN=${PG_BIN:-$(pg_config --bindir 2>/dev/null || true)}
[ -x "$PG_BIN/initdb" ] || PG_BIN=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[ -x "$PG_BIN/initdb" ] || die "PostgreSQL's server (initdb, pg_ctl) is needed: set PG_BIN"
PSQL=$PG_BIN/psql
[ -x "$PSQL" ] || PSQL=$(command -v psql) || die "psql is needed"

tmp=$(mktemp -d)
as_pg=()
if [ "$(id -u)" = 0 ]; then
	chown nobody "$tmp"
	as_pg=(runuser -u nobody --)
fi
cleanup() {
	"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# the migrations exactly as the store holds them
"${CC:-cc}" -std=c11 -I"$root/src" -o "$tmp/dump" "$root/tests/store/pg_schema_dump.c" \
	"$root/src/store/migrations.c" "$root/src/store/migrations_pg.c"

"${as_pg[@]}" "$PG_BIN/initdb" -D "$tmp/data" -U frank -A trust -E UTF8 --locale=C.UTF-8 \
	>"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log"; die "initdb failed"; }
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
	-o "-c listen_addresses='' -k $tmp -c fsync=off" start >/dev/null ||
	{ cat "$tmp/server.log"; die "the server did not start"; }
export PGOPTIONS="-c TimeZone=Pacific/Chatham -c DateStyle=SQL,DMY"
# a query that fails is noted in $tmp/failed (it may run in a $(...) subshell) and fails the
# next check, so an error can never pass as an empty list of differences
pg_try() { "$PSQL" -X -q -At -F '|' -v ON_ERROR_STOP=1 -h "$tmp" -U frank -d frank "$@"; }
pg() { pg_try "$@" || { echo "PostgreSQL: $*" >>"$tmp/failed"; return 1; }; }
sq_try() { sqlite3 -bail -batch "$tmp/sqlite.db" "$@"; }
sq() { sq_try "$@" || { echo "SQLite: $*" >>"$tmp/failed"; return 1; }; }
"$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$tmp" -U frank -d postgres -c "CREATE DATABASE frank"

# SQLite as the store makes it; PostgreSQL as the store's runner does (schema_version first,
# then each script in one PQexec: psql -c sends the text as one query)
"$tmp/dump" sqlite | sq
pg -c "CREATE TABLE schema_version (version INTEGER NOT NULL)"
pg -c "$("$tmp/dump" pg)"

n=0 failed=0
# check NAME EXPECTED ACTUAL: equal texts (not empty: that would check nothing), no query
# failed since the last check; else the difference
check() {
	n=$((n + 1))
	if [ -s "$tmp/failed" ]; then
		failed=$((failed + 1))
		echo "not ok $n - $1"
		sed 's/^/# failed: /' "$tmp/failed" | head -c 2000
		rm "$tmp/failed"
	elif [ "$2" = "$3" ] && { [ -n "$2" ] || [ "${allow_empty:-}" = 1 ]; }; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/# /' || true
	fi
}
# empty NAME OUTPUT: the query listing differences gave no rows (and did not fail)
empty() { allow_empty=1 check "$1" "" "$2"; }

# --- the schema's shape -------------------------------------------------------------------
# every column: type (SQLite's mapped: INTEGER -> bigint, TEXT -> text, REAL -> double),
# NOT NULL (a SQLite primary key column counts: PostgreSQL's always are), place in the primary
# key, default. PostgreSQL's own rowid columns are left out: checked below.
sq_columns=$(sq "SELECT m.name || '.' || p.name || ' ' || CASE upper(p.type)
	WHEN 'INTEGER' THEN 'bigint' WHEN 'REAL' THEN 'double precision' ELSE 'text' END
	|| CASE WHEN p.\"notnull\" OR p.pk > 0 THEN ' not null' ELSE '' END
	|| CASE WHEN p.pk > 0 THEN ' pk' || p.pk ELSE '' END || ' ' || coalesce(p.dflt_value, '-')
	FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table'
	AND m.name NOT IN ('sqlite_sequence', 'schema_version') ORDER BY m.name, p.cid")
pg_columns=$(pg -c "SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, NULL)
	|| CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
	|| coalesce(' pk' || (SELECT k.n FROM pg_index x, unnest(x.indkey) WITH ORDINALITY k(att, n)
		WHERE x.indrelid = c.oid AND x.indisprimary AND k.att = a.attnum), '')
	|| ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-')
	FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
	LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
	WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0
	AND NOT a.attisdropped AND c.relname <> 'schema_version' AND a.attname <> 'rowid'
	ORDER BY c.relname COLLATE \"C\", a.attnum")
check "tables and columns: names, types, NOT NULL, primary keys, defaults" "$sq_columns" "$pg_columns"

check "the view ledger_rows: same columns" \
	"$(sq "SELECT group_concat(name, ',') FROM pragma_table_info('ledger_rows')")" \
	"$(pg -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
		WHERE attrelid = 'ledger_rows'::regclass")"

empty "every text column (tables and view) compares bytes: COLLATE \"C\"" \
	"$(pg -c "SELECT c.relname || '.' || a.attname FROM pg_class c
	JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relnamespace = 'public'::regnamespace
	AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND a.atttypid = 'text'::regtype
	AND a.attcollation <> 'pg_catalog.\"C\"'::regcollation AND c.relname <> 'schema_version'")"

empty "no 32-bit integer or numeric column" \
	"$(pg -c "SELECT c.relname || '.' || a.attname FROM pg_class c
	JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relnamespace = 'public'::regnamespace
	AND c.relkind IN ('r', 'v') AND a.attnum > 0 AND c.relname <> 'schema_version'
	AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'numeric'::regtype)")"

# indexes: table, origin (c: CREATE INDEX, u: UNIQUE column, pk), unique, partial, name (an
# index of a constraint has none to compare), columns (an expression: "expr")
sq_indexes=$(sq "SELECT m.name || ' ' || l.origin || ' ' || l.\"unique\" || ' ' || l.partial
	|| ' ' || CASE l.origin WHEN 'c' THEN l.name ELSE '-' END || ' '
	|| (SELECT group_concat(coalesce(i.name, 'expr'), ',') FROM pragma_index_info(l.name) i)
	FROM sqlite_schema m, pragma_index_list(m.name) l WHERE m.type = 'table'
	AND m.name NOT IN ('sqlite_sequence', 'schema_version')
	UNION ALL SELECT m.name || ' pk 1 0 - ' || p.name
	FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.pk = 1
	AND upper(p.type) = 'INTEGER' AND (SELECT count(*) FROM pragma_table_info(m.name) k
		WHERE k.pk > 0) = 1" | csort)	# an INTEGER PRIMARY KEY is SQLite's rowid: no index
pg_indexes=$(pg -c "SELECT t.relname || ' '
	|| CASE WHEN x.indisprimary THEN 'pk' WHEN EXISTS (SELECT 1 FROM pg_constraint k
		WHERE k.conindid = i.oid AND k.contype = 'u') THEN 'u' ELSE 'c' END
	|| ' ' || x.indisunique::int || ' ' || (x.indpred IS NOT NULL)::int || ' '
	|| CASE WHEN x.indisprimary OR EXISTS (SELECT 1 FROM pg_constraint k
		WHERE k.conindid = i.oid AND k.contype = 'u') THEN '-' ELSE i.relname END || ' '
	|| (SELECT string_agg(coalesce(a.attname, 'expr'), ',' ORDER BY k.n)
		FROM unnest(x.indkey) WITH ORDINALITY k(att, n)
		LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.att AND k.att > 0)
	FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
	WHERE t.relnamespace = 'public'::regnamespace AND t.relname <> 'schema_version'
	AND i.relname NOT LIKE '%\\_rowid'" | csort)
check "indexes: names, unique, partial, columns" "$sq_indexes" "$pg_indexes"

check "foreign keys" \
	"$(sq "SELECT m.name || '.' || f.\"from\" || ' -> ' || f.\"table\" || '.' || f.\"to\"
		FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'" |
		csort)" \
	"$(pg -c "SELECT conrelid::regclass || '.' || a.attname || ' -> ' || confrelid::regclass
		|| '.' || b.attname FROM pg_constraint k
		JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
		JOIN pg_attribute b ON b.attrelid = k.confrelid AND b.attnum = k.confkey[1]
		WHERE contype = 'f'" | csort)"

check "triggers" \
	"$(sq "SELECT name || ' on ' || tbl_name FROM sqlite_schema WHERE type = 'trigger'" | csort)" \
	"$(pg -c "SELECT tgname || ' on ' || tgrelid::regclass FROM pg_trigger
		WHERE NOT tgisinternal" | csort)"

check "rowid, jobs.id, audit_log.id: identities a copy can set, rowid unique" \
	"audit_log.id d
events.rowid d u
jobs.id d
objects.rowid d u
print_run_pieces.rowid d u" \
	"$(pg -c "SELECT c.relname || '.' || a.attname || ' ' || a.attidentity::text
		|| CASE WHEN a.attname = 'rowid' AND EXISTS (SELECT 1 FROM pg_index x
			WHERE x.indrelid = c.oid AND x.indisunique AND x.indnatts = 1
			AND x.indkey[0] = a.attnum)
		THEN ' u' ELSE '' END FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE a.attidentity <> ''" | csort)"

# --- the compatibility functions on the same inputs ---------------------------------------
# (fn, a, b) cases, inserted alike in both; SQLite's results go to PostgreSQL as `expected`
# and PostgreSQL lists
# the cases where its own result differs. julianday's double comes as SQLite's shell gives
# its exact bits (ieee754_mantissa and _exponent: the value is mantissa * 2^exponent).
cases="INSERT INTO cases (fn, a, b) VALUES
('json_extract', '{\"status\":\"processed\"}', '\$.status'),
('json_extract', '{\"status\":null}', '\$.status'),
('json_extract', '{}', '\$.status'),
('json_extract', NULL, '\$.status'),
('json_extract', '{\"a\":{\"b\":\"x\"}}', '\$.a.b'),
('json_extract', '{\"to\":{\"name\":\"Ada Lovelace\"}}', '\$.to.name'),
('json_extract', '{\"a\":[10,20,30]}', '\$.a[1]'),
('json_extract', '{\"a\":[{\"b\":\"x\"},{\"b\":\"y\"}]}', '\$.a[1].b'),
('json_extract', '[1,2,3]', '\$[2]'),
('json_extract', '{\"color\":true}', '\$.color'),
('json_extract', '{\"color\":false}', '\$.color'),
('json_extract', '{\"s\":\"true\"}', '\$.s'),
('json_extract', '{\"n\":42}', '\$.n'),
('json_extract', '{\"n\":-7}', '\$.n'),
('json_extract', '{\"n\":0}', '\$.n'),
('json_extract', '{\"n\":12.5}', '\$.n'),
('json_extract', '{\"n\":1733600000123}', '\$.n'),
('json_extract', '{\"o\":{\"x\":1,\"y\":[1,\"a\",null]}}', '\$.o'),
('json_extract', '{\"arr\":[\"a\",\"b\"]}', '\$.arr'),
('json_extract', '{\"a\":\"x\"}', '\$'),
('json_extract', '{\"s\":\"with \\\"quotes\\\" and \\\\ backslash\"}', '\$.s'),
('json_extract', '{\"s\":\"caf\\u00e9 \\ud83d\\ude00 \\/ \\t\"}', '\$.s'),
('json_extract', '{\"s\":\"café déjà 日本\"}', '\$.s'),
('json_extract', '{\"s\":\"\"}', '\$.s'),
('json_extract', '{\"a\":{\"b\":null}}', '\$.a.b.c'),
('json_extract', '{\"a\":\"x\"}', '\$.a.b'),
('json_extract', '{\"a\":[1]}', '\$.a[5]'),
('json_extract', '  {\"a\" : \"x\" }  ', '\$.a'),
('json_extract', '{\"send_date\":\"2026-12-10\"}', '\$.send_date'),
('json_extract', '{\"short_link\":\"https://lob.st/abc\"}', '\$.short_link'),
('json_extract', '{\"failure_reason\":{\"failure_reason\":\"x\",\"remediation\":\"y\"}}', '\$.failure_reason.remediation'),
('json_extract', '{\"campaignId\":\"cmp_1\"}', '\$.campaignId'),
('julianday', '2026-12-10', NULL),
('julianday', '2026-12-10T00:00:00Z', NULL),
('julianday', '2026-12-10T00:00:00.000Z', NULL),
('julianday', '2026-12-10T15:30:00.123Z', NULL),
('julianday', '2026-12-10T15:30:00+02:00', NULL),
('julianday', '2026-12-10T15:30:00-05:30', NULL),
('julianday', '2026-12-10T15:30:00.5-05:30', NULL),
('julianday', '2026-12-10 15:30', NULL),
('julianday', '2026-12-10T15:30', NULL),
('julianday', '2026-12-10T15:30Z', NULL),
('julianday', '2026-12-10T15:30:00.5', NULL),
('julianday', '2026-12-10T15:30:00 Z', NULL),
('julianday', '2026-12-10T15:30:00Z  ', NULL),
('julianday', '2026-12-10T15:30:00 +01:00 ', NULL),
('julianday', '2026-12-10 T T 10:00', NULL),
('julianday', '2026-12-10T', NULL),
('julianday', '2026-12-10 ', NULL),
('julianday', '2026-12-10t10:00', NULL),
('julianday', ' 2026-12-10', NULL),
('julianday', '2026-12-10z', NULL),
('julianday', '2026-12-10T10:00:00.Z', NULL),
('julianday', '2026-12-10T10:00:00,5', NULL),
('julianday', '2026-12-10T10:00:00+0100', NULL),
('julianday', '2026-12-10T10:00:00+01:00:00', NULL),
('julianday', '2026-12-10T10:00:00+14:59', NULL),
('julianday', '2026-12-10T10:00:00+15:00', NULL),
('julianday', '2026-12-10T10:00:00-00:60', NULL),
('julianday', '2026-12-10T10', NULL),
('julianday', '2026-12-10T1:00', NULL),
('julianday', '2026-12-10T24:00', NULL),
('julianday', '2026-12-10T24:30', NULL),
('julianday', '2026-12-10T25:00', NULL),
('julianday', '2026-12-10T10:60', NULL),
('julianday', '2026-12-10T10:00:60', NULL),
('julianday', '2026-12-10T10:00:00.9999Z', NULL),
('julianday', '2026-12-10T10:00:00.0005Z', NULL),
('julianday', '2026-12-10T10:00:00.0004999Z', NULL),
('julianday', '2026-12-10T10:00:00.999999999Z', NULL),
('julianday', '2026-12-10T10:00:00.12345678901234567890Z', NULL),
('julianday', '2024-02-29', NULL),
('julianday', '2023-02-29', NULL),
('julianday', '2024-02-31', NULL),
('julianday', '2024-13-01', NULL),
('julianday', '2024-00-10', NULL),
('julianday', '2024-01-00', NULL),
('julianday', '2024-01-32', NULL),
('julianday', '2024-1-01', NULL),
('julianday', '20240101', NULL),
('julianday', '1970-01-01', NULL),
('julianday', '1969-12-31T23:59:59.999Z', NULL),
('julianday', '1582-10-10', NULL),
('julianday', '0000-01-01', NULL),
('julianday', '0001-03-01T12:00', NULL),
('julianday', '-0001-01-01', NULL),
('julianday', '-0100-02-28', NULL),
('julianday', '-4713-11-24T12:00:00', NULL),
('julianday', '-4713-11-24T11:59:59', NULL),
('julianday', '-4713-01-01', NULL),
('julianday', '-4714-12-31', NULL),
('julianday', '9999-12-31T23:59:59.999Z', NULL),
('julianday', '9999-12-31T23:59:59.999-00:01', NULL),
('julianday', '10:30', NULL),
('julianday', '12:00:00Z', NULL),
('julianday', '24:00', NULL),
('julianday', '23:59:59.5+01:00', NULL),
('julianday', '', NULL),
('julianday', 'abc', NULL),
('julianday', NULL, NULL),
('julianday', '2460000.5', NULL),
('julianday', ' 2460000.5 ', NULL),
('julianday', '2460000.123456789', NULL),
('julianday', '1e3', NULL),
('julianday', '+5', NULL),
('julianday', '.5', NULL),
('julianday', '5.', NULL),
('julianday', '-0', NULL),
('julianday', '-1', NULL),
('julianday', '0x10', NULL),
('julianday', '1e400', NULL),
('julianday', '5373484.4', NULL),
('julianday', '5373484.5', NULL),
('julianday', '99999999', NULL),
('julianday', '1733600000000', NULL),
('send_date', '{\"send_date\":\"2026-12-10\"}', NULL),
('send_date', '{\"send_date\":\"2026-12-10T15:30:00.123Z\"}', NULL),
('send_date', '{\"send_date\":\"2026-12-10T15:30:00-08:00\"}', NULL),
('send_date', '{\"send_date\":\"2026-12-10T23:59:59.999Z\"}', NULL),
('send_date', '{\"send_date\":\"1969-12-31T23:59:59.999Z\"}', NULL),
('send_date', '{\"send_date\":\"9999-12-31\"}', NULL),
('send_date', '{\"send_date\":\"2026-12-10T10:00:00.0005Z\"}', NULL),
('send_date', '{\"send_date\":\"not a date\"}', NULL),
('send_date', '{\"send_date\":null}', NULL),
('send_date', '{}', NULL),
('instr', 'ltr_abc123', '_'),
('instr', 'abc', ''),
('instr', '', ''),
('instr', 'abc', 'z'),
('instr', 'héllo_wörld', '_'),
('instr', 'abcabc', 'ca'),
('instr', NULL, 'a'),
('json_each', '[\"letter\",\"postcard\"]', 'letter'),
('json_each', '[\"letter\",\"postcard\"]', 'check'),
('json_each', '[]', 'a'),
('json_each', NULL, 'a'),
('json_each', '[\"a\",null]', 'b'),
('json_each', '[\"a\",null]', 'a'),
('json_each', '[true,false,1.5,-2,\"x\"]', 'x'),
('json_each', '[[1,2],{\"a\":1},\"caf\\u00e9\"]', 'café'),
('json_each', '{\"x\":\"a\",\"y\":\"b\"}', 'b'),
('json_each', '\"a\"', 'a'),
('json_each', 'null', 'a')"
sq "CREATE TABLE cases (id INTEGER PRIMARY KEY, fn TEXT, a TEXT, b TEXT); $cases;"
pg -c "CREATE TABLE cases (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, fn TEXT COLLATE \"C\",
	a TEXT COLLATE \"C\", b TEXT COLLATE \"C\");
	CREATE TABLE expected (id BIGINT PRIMARY KEY, v TEXT COLLATE \"C\"); $cases;"
# SQLite's results; json_each: "rows:is b among them:the values"
sq "SELECT 'INSERT INTO expected VALUES (' || id || ', ' || quote(CASE fn
	WHEN 'json_extract' THEN CAST(json_extract(a, b) AS TEXT)
	WHEN 'julianday' THEN CASE WHEN julianday(a) IS NOT NULL
		THEN ieee754_mantissa(julianday(a)) || ' ' || ieee754_exponent(julianday(a)) END
	WHEN 'send_date' THEN CAST(CAST(ROUND((julianday(json_extract(a, '\$.send_date'))
		- 2440587.5) * 86400000.0) AS INTEGER) AS TEXT)
	WHEN 'instr' THEN CAST(instr(a, b) AS TEXT)
	WHEN 'json_each' THEN (SELECT count(*) FROM json_each(a)) || ':'
		|| CASE WHEN b IN (SELECT value FROM json_each(a)) THEN 1 ELSE 0 END || ':'
		|| coalesce((SELECT group_concat(coalesce(CAST(value AS TEXT), 'NULL'), ',')
		FROM json_each(a)), '') END) || ');' FROM cases" | pg
mismatches=$(pg -c "SELECT c.id || ' ' || c.fn || '(' || coalesce(c.a, 'NULL') || ', '
	|| coalesce(c.b, 'NULL') || '): sqlite ' || coalesce(e.v, 'NULL') || ', postgresql '
	|| coalesce(CASE c.fn WHEN 'json_extract' THEN json_extract(c.a, c.b)
		WHEN 'julianday' THEN julianday(c.a)::text ELSE '?' END, 'NULL')
	FROM cases c LEFT JOIN expected e USING (id) WHERE e.id IS NULL OR NOT CASE c.fn
	WHEN 'json_extract' THEN json_extract(c.a, c.b) IS NOT DISTINCT FROM e.v
	WHEN 'julianday' THEN julianday(c.a) IS NOT DISTINCT FROM CASE split_part(e.v, ' ', 1)
		WHEN '0' THEN 0 ELSE split_part(e.v, ' ', 1)::float8
		* power(2::float8, split_part(e.v, ' ', 2)::float8) END
	WHEN 'send_date' THEN CAST(ROUND((julianday(json_extract(c.a, '\$.send_date'))
		- 2440587.5) * 86400000.0) AS BIGINT) IS NOT DISTINCT FROM e.v::bigint
	WHEN 'instr' THEN instr(c.a, c.b) IS NOT DISTINCT FROM e.v::int
	WHEN 'json_each' THEN (SELECT count(*) FROM json_each(c.a)) || ':'
		|| CASE WHEN c.b IN (SELECT value FROM json_each(c.a)) THEN 1 ELSE 0 END || ':'
		|| coalesce((SELECT string_agg(coalesce(value, 'NULL'), ',') FROM json_each(c.a)), '')
		= e.v END ORDER BY c.id")
for fn in json_extract julianday send_date instr json_each; do
	total=$(pg -c "SELECT count(*) FROM cases WHERE fn = '$fn'")
	allow_empty=1 check "$fn: SQLite's result on each of $total inputs" "" \
		"$(printf '%s\n' "$mismatches" | grep -E "^[0-9]+ $fn\\(" || true)"
done
check "the cases all have a SQLite result" "$(pg -c "SELECT count(*) FROM cases")" \
	"$(pg -c "SELECT count(*) FROM expected")"

check "json_each(\$1) with an untyped parameter is this text version (json's would fail)" \
	"a|b|3" "$(pg -c "PREPARE p AS SELECT value FROM json_each(\$1);
		PREPARE q AS SELECT count(*) FROM json_each(\$1) WHERE \$1 IS NOT NULL;
		SELECT (SELECT string_agg(value, '|') FROM json_each('[\"a\",\"b\"]'));" \
		-c 'EXECUTE p($$["a","b"]$$)' -c 'EXECUTE q($$[1,2,3]$$)' | tail -n 3 | paste -sd '|')"
check "a document that is not JSON is an error in both (SQLite: malformed JSON)" "1 1" \
	"$(sq_try "SELECT json_extract('not json', '\$.a')" >/dev/null 2>&1 && echo 0 || echo 1) $(
	pg_try -c "SELECT json_extract('not json', '\$.a')" >/dev/null 2>&1 && echo 0 || echo 1)"

# --- writes: piece_days, expression indexes, byte order ------------------------------------
# the same statements on both engines, piece_days listed after each
piece_script="
INSERT INTO objects (id, account_id, mode, kind, created_ms, updated_ms, deleted, status, json) VALUES
 ('ltr_1', 'acc_a', 0, 'letter', 1733600000000, 1, 0, 'processed', '{\"to\":{\"name\":\"Zoë Adams\"}}'),
 ('ltr_2', 'acc_a', 0, 'letter', 1733600000001, 1, 0, 'processed', '{\"to\":{\"name\":\"ada lovelace\"}}'),
 ('ltr_3', 'acc_a', 1, 'letter', 1733600000002, 1, 0, 'processed', '{\"to\":{\"name\":\"ÉMILE\"}}'),
 ('psc_1', 'acc_a', 0, 'postcard', 1733686400000, 1, 0, 'rendered', '{\"to\":{\"name\":\"Ada B\"}}'),
 ('ltr_4', 'acc_b', 0, 'letter', 1733600000003, 1, 0, NULL, '{\"to\":{\"name\":\"_under\"}}'),
 ('wh_1', 'acc_a', 0, 'webhook', 1733600000004, 1, 0, 'enabled', '{}'),
 ('chk_1', 'acc_a', 0, 'check', 1733600000005, 1, 1, 'processed', '{}'),
 ('ord_1', 'acc_b', 1, 'booklet', 1733600000006, 1, 0, 'processed', '{}'),
 ('sfm_1', 'acc_b', 0, 'self_mailer', -1, 1, 0, 'processed', '{}'),
 ('snp_1', 'acc_b', 0, 'snap_pack', 86399999, 1, 0, 'processed', '{}');
SELECT '-- 1 inserted';
SELECT account_id, mode, day, kind, status, n FROM piece_days ORDER BY 1, 2, 3, 4, 5;
UPDATE objects SET status = 'rendered' WHERE id = 'ltr_1';
UPDATE objects SET status = 'rendered' WHERE id = 'ltr_1';
UPDATE objects SET json = '{\"x\":1}', updated_ms = 2 WHERE id = 'ltr_2';
SELECT '-- 2 a status, the same status, no status';
SELECT account_id, mode, day, kind, status, n FROM piece_days ORDER BY 1, 2, 3, 4, 5;
UPDATE objects SET deleted = 1 WHERE id = 'ltr_2';
UPDATE objects SET deleted = deleted WHERE id = 'ltr_3';
UPDATE objects SET status = 'in_transit', deleted = 0 WHERE id IN ('ltr_2', 'psc_1');
SELECT '-- 3 deleted, undeleted, two rows at once';
SELECT account_id, mode, day, kind, status, n FROM piece_days ORDER BY 1, 2, 3, 4, 5;
UPDATE objects SET status = 'processed' WHERE id = 'ltr_4';
UPDATE objects SET status = NULL WHERE id = 'ltr_3';
UPDATE objects SET status = 'rendered', kind = 'letter' WHERE id = 'wh_1';
UPDATE objects SET deleted = 2 WHERE id = 'psc_1';
SELECT '-- 4 from and to NULL, a kind that becomes a piece, deleted 2';
SELECT account_id, mode, day, kind, status, n FROM piece_days ORDER BY 1, 2, 3, 4, 5;
DELETE FROM objects WHERE id IN ('chk_1', 'ltr_1', 'ltr_3');
SELECT '-- 5 rows deleted';
SELECT account_id, mode, day, kind, status, n FROM piece_days ORDER BY 1, 2, 3, 4, 5;
SELECT '-- names in the index order of objects_to_name';
SELECT lower(json_extract(json, '\$.to.name')), id FROM objects ORDER BY 1 NULLS FIRST, 2;
DELETE FROM objects WHERE kind = 'letter';
SELECT '-- 6 every letter deleted';
SELECT account_id, mode, day, kind, status, n FROM piece_days ORDER BY 1, 2, 3, 4, 5;"
check "piece_days: the same counts after the same writes (triggers)" \
	"$(sq "PRAGMA foreign_keys = ON; $piece_script")" "$(pg -c "$piece_script")"

check "objects.rowid in insertion order, as SQLite's" \
	"$(sq "SELECT group_concat(id, ',') FROM (SELECT id FROM objects ORDER BY rowid)")" \
	"$(pg -c "SELECT string_agg(id, ',' ORDER BY rowid) FROM objects")"
check "jobs.id and audit_log.id: given, or kept when set (a copy from SQLite)" "1|7|1000|1001" \
	"$(pg -c "INSERT INTO jobs (kind, due_ms, created_ms, updated_ms) VALUES ('k', 0, 0, 0)
		RETURNING id" -c "INSERT INTO jobs (id, kind, due_ms, created_ms, updated_ms)
		VALUES (7, 'k', 0, 0, 0) RETURNING id" -c "INSERT INTO audit_log (id, at_ms, actor,
		action, target, detail) VALUES (1000, 0, 'a', 'b', 'c', 'd') RETURNING id" \
		-c "DO \$\$ BEGIN PERFORM setval(pg_get_serial_sequence('audit_log', 'id'), 1000); END \$\$" \
		-c "INSERT INTO audit_log (at_ms, actor, action, target, detail)
		VALUES (0, 'a', 'b', 'c', 'd') RETURNING id" | paste -sd '|')"

plans=$(pg -c "SET enable_seqscan = off; SET plan_cache_mode = force_generic_plan;
	PREPARE l AS SELECT id FROM objects WHERE json_extract(json, '\$.short_link') = \$1
		AND kind IN ('link', 'qr_link') AND deleted = 0;
	PREPARE d AS SELECT 1 FROM objects WHERE json_extract(json, '\$.domain') = \$1
		AND kind = 'domain' AND deleted = 0;
	PREPARE c AS SELECT COUNT(*) FROM objects c WHERE json_extract(c.json, '\$.link_id') = \$1
		AND c.kind = 'link_click';
	PREPARE n AS SELECT rowid FROM objects WHERE account_id = \$1 AND mode = \$2 AND kind = \$3
		AND deleted = 0 AND lower(json_extract(json, '\$.to.name')) >= \$4
		AND lower(json_extract(json, '\$.to.name')) < \$5;
	EXPLAIN (COSTS OFF) EXECUTE l('x'); EXPLAIN (COSTS OFF) EXECUTE d('x');
	EXPLAIN (COSTS OFF) EXECUTE c('x'); EXPLAIN (COSTS OFF) EXECUTE n('a', 0, 'letter', 'a', 'b');")
check "the store's json_extract queries read the expression indexes" \
	"objects_short_link objects_domain objects_link_clicks objects_to_name" \
	"$(printf '%s\n' "$plans" | grep -oE 'objects_(short_link|domain|link_clicks|to_name)' | paste -sd ' ')"

link="INSERT INTO objects (id, account_id, mode, kind, created_ms, updated_ms, json) VALUES"
check "objects_short_link: a second live link with the same short_link is refused" "1 0" \
	"$(pg -c "$link ('lnk_1', 'a', 0, 'link', 1, 1, '{\"short_link\":\"lob.st/x\"}')" && echo 1) $(
	pg_try -c "$link ('lnk_2', 'a', 0, 'qr_link', 1, 1, '{\"short_link\":\"lob.st/x\"}')" \
		2>/dev/null && echo 1 || echo 0)"

# --- ledger_rows: the JSON the API serves --------------------------------------------------
ledger="INSERT INTO ledger (id, account_id, mode, type, amount_cents, object_id, object_kind,
	description, created_ms) VALUES
 ('le_1', 'acc_a', 0, 'credit', 1250, NULL, NULL, 'Top-up', 1733600000123),
 ('le_2', 'acc_a', 0, 'charge', -500, 'ltr_1', 'letter', 'Letter \"quoted\"', 1733600000000),
 ('le_3', 'acc_a', 0, 'credit', 1000, NULL, NULL, 'ten', 0),
 ('le_4', 'acc_a', 1, 'charge', -7, 'psc_1', 'postcard', 'seven cents', 1),
 ('le_5', 'acc_a', 1, 'refund', 0, NULL, NULL, 'zero', 999),
 ('le_6', 'acc_b', 0, 'charge', -1, NULL, NULL, 'café', 1733600000999),
 ('le_7', 'acc_b', 0, 'credit', 123456789, NULL, NULL, 'big', 253402300799999),
 ('le_8', 'acc_b', 0, 'credit', 99999999999, NULL, NULL, 'bigger', 86400000),
 ('le_9', 'acc_b', 0, 'charge', -3333, NULL, NULL, 'thirds', 1733600000010)"
sq "$ledger"
pg -c "$ledger" -c "CREATE TABLE ledger_expected (id TEXT COLLATE \"C\" PRIMARY KEY,
	cols TEXT COLLATE \"C\", json TEXT)"
cols="account_id || '|' || mode || '|' || type || '|' || created_ms"
sq "SELECT 'INSERT INTO ledger_expected VALUES (' || quote(id) || ', ' || quote($cols) || ', '
	|| quote(json) || ');' FROM ledger_rows" | pg
empty "ledger_rows: the same rows and JSON (keys in the same order, numbers, date_created)" \
	"$(pg -c "SELECT id || ': sqlite ' || coalesce(e.json, 'none') || ', postgresql '
	|| coalesce(r.json, 'none') FROM (SELECT id, $cols AS cols, json FROM ledger_rows) r
	FULL JOIN ledger_expected e USING (id) WHERE e.json IS NULL OR r.json IS NULL
	OR e.cols <> r.cols OR e.json::jsonb <> r.json::jsonb
	OR ARRAY(SELECT json_object_keys(e.json::json)) <> ARRAY(SELECT json_object_keys(r.json::json))
	OR e.json::json ->> 'date_created' <> r.json::json ->> 'date_created'
	OR r.json::json ->> 'amount' ~ '[.][0-9]*0\$|[eE]'")"
check "ledger_rows: all $(sq "SELECT count(*) FROM ledger") rows compared" \
	"$(sq "SELECT count(*) FROM ledger")" "$(pg -c "SELECT count(*) FROM ledger_expected")"

echo "1..$n"
[ "$failed" = 0 ] || { echo "# $failed of $n checks failed"; exit 1; }
