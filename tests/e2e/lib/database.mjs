// SPDX-License-Identifier: AGPL-3.0-or-later
// The store under test, for the suite's PostgreSQL pass.
//
// With FRANK_TEST_PG unset, every server keeps its store in its data dir (SQLite) and this
// module does nothing. With FRANK_TEST_PG holding a cluster's libpq URI (what
// `scripts/pg-cluster start` prints), each data dir gets a database of its own,
// `frank_<pid>_<n>`, made the first time a server or a CLI command uses that dir; `frank init`,
// frankd and every `frank … --data DIR` get FRANK_DATABASE=<its URI>. A restart on the same dir
// (crash tests) or a second frankd on it finds the same database. Databases are dropped when
// the harness removes their data dir, and the rest when the test process exits.
//
//   storeEnv(dir)        → { FRANK_DATABASE: URI } (the dir's database, made if need be), or {}
//   psql(uri, sql)       → rows as "a|b" lines, like sqlite3's (server.mjs: storeSql)
//
// FRANK_TEST_PG_LOG, if set, is a file that gets a line per database made
// ("<name> <data dir>"): scripts/run-tests counts them to show the pass used the cluster.
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const pgCluster = process.env.FRANK_TEST_PG || '';
// a FRANK_DATABASE from the caller's shell would put every server on one database (or on a
// database that is not a test's): each server gets its own or none
delete process.env.FRANK_DATABASE;

const databases = new Map();	// resolved data dir → { name, made: Promise of its URI }
const live = new Set();	// names of the databases made or being made, not dropped yet
let count = 0;

/* the cluster URI with its database replaced: postgresql://user@host/NAME?params */
export function databaseUri(name, cluster = pgCluster) {
	const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(cluster);
	if (!m) throw new Error(`FRANK_TEST_PG is not a libpq URI (postgresql://…): ${cluster}`);
	return `${m[1]}/${name}${m[3] ?? ''}`;
}

/* runs a SQL shell (`cmd args`) with `sql` on stdin: resolves its stdout, rejects with its
 * error output on a non-zero exit */
export function sqlShell(cmd, args, sql, { timeout = 60000 } = {}) {
	return new Promise((res, rej) => {
		const child = execFile(cmd, args, { timeout, maxBuffer: 64 << 20 }, (e, out, err) =>
			(e ? rej(new Error(`${cmd}: ${err.trim() || e.message}\nSQL: ${sql.slice(0, 500)}`)) : res(out)));
		child.stdin.end(sql);
	});
}

/* psql on `uri`: rows as lines, "|" between columns, NULL as "" (like sqlite3's list mode) */
export const psql = (uri, sql) => sqlShell('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', uri, '-f', '-'], sql);

/* the database of `dataDir`, made on first use: its URI, or null in the SQLite pass */
export async function databaseFor(dataDir) {
	if (!pgCluster) return null;
	const key = resolve(dataDir);
	let db = databases.get(key);
	if (!db) {
		const name = `frank_${process.pid}_${++count}`;
		live.add(name);
		db = { name, made: psql(pgCluster, `CREATE DATABASE ${name}`).then(() => {
			if (process.env.FRANK_TEST_PG_LOG) appendFileSync(process.env.FRANK_TEST_PG_LOG, `${name} ${key}\n`);
			return databaseUri(name);
		}) };
		databases.set(key, db);
		db.made.catch(() => databases.delete(key));
	}
	return db.made;
}

/* the env that points a process at dataDir's store: { FRANK_DATABASE } or {} */
export async function storeEnv(dataDir) {
	const uri = await databaseFor(dataDir);
	return uri ? { FRANK_DATABASE: uri } : {};
}

/* drops dataDir's database (when the harness removes the dir); open sessions are cut */
export async function dropDatabase(dataDir) {
	const key = resolve(dataDir);
	const db = databases.get(key);
	if (!db) return;
	databases.delete(key);
	await db.made.catch(() => {});
	// FORCE cannot end an autovacuum worker (the cluster's superuser's) for a role that is
	// not one: wait for it and try again
	for (let attempt = 1; ; attempt++) {
		try {
			await psql(pgCluster, `DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
			break;
		} catch (e) {
			if (attempt >= 10 || !/member of the role whose process is being terminated/.test(e.message)) throw e;
			await new Promise((r) => setTimeout(r, 500));
		}
	}
	live.delete(db.name);
}

/* at exit, synchronously: the databases this process made and did not drop */
export function dropAllSync() {
	if (live.size === 0) return;
	try {
		execFileSync('psql', ['-X', '-q', '-d', pgCluster,
			...[...live].flatMap((name) => ['-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`])],
		{ stdio: 'ignore', timeout: 30000 });
	} catch {}	// the cluster is thrown away after the pass anyway
	live.clear();
}
