// SPDX-License-Identifier: AGPL-3.0-or-later
// Start a real frankd for a test file: a temp data dir, `frank init`, then
// `frankd --data DIR --listen 127.0.0.1:0`, waiting for "frankd listening on http://…".
//
// Binaries come from $FRANK_BUILD (absolute, or relative to the repo root), else $BUILD
// (what the Makefile passes: build or build-asan), else <repo>/build.
//
//   const srv = await startFrank({ env: { FRANK_RATE_LIMIT: '5/5' } });
//   srv.baseUrl, srv.keys.test_secret, srv.dataDir, srv.proc
//   await srv.kill9(); await srv.restart();   // same data dir; baseUrl changes (new port)
//   await srv.stop();                          // SIGTERM, waits, removes the data dir
//
// Set FRANK_E2E_VERBOSE=1 to echo the server's output.
//
// FRANK_TEST_PG=<cluster URI> (the suite's PostgreSQL pass, lib/database.mjs): each data dir
// gets a database of its own, given as FRANK_DATABASE to `frank init`, to frankd and to every
// runFrank() call with `--data DIR`; srv.database is its URI (null on SQLite). A command run
// another way (a shell line) takes `await storeEnv(srv.dataDir)` in its environment.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgCluster, databaseFor, storeEnv, dropDatabase, dropAllSync, psql, sqlShell } from './database.mjs';

export { storeEnv } from './database.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/*
 * How much longer work interrupted by kill -9 takes to resume after the restart: in the
 * PostgreSQL pass other nodes may share the jobs, so a restarted node does not release the
 * dead one's leases; they run out (JOBS_SHARED_LEASE_MS in src/jobs/jobs.h) first
 */
export const takeoverMs = process.env.FRANK_TEST_PG ? 15000 : 0;

export const repoRoot = resolve(here, '..', '..', '..');

export function buildDir() {
	const b = process.env.FRANK_BUILD || process.env.BUILD || 'build';
	return isAbsolute(b) ? b : resolve(repoRoot, b);
}
export const frankdBin = () => join(buildDir(), 'frankd');
export const frankBin = () => join(buildDir(), 'frank');

// the binaries under test read the source tree's data/ (us_zips.csv, prices_usps.csv), not
// the installed <datadir>/frank; every child process inherits it
process.env.FRANK_SHARE_DIR ||= join(repoRoot, 'data');

// generous: a loaded 2-core CI machine can take 15 s to start a browser and a store's connections
const READY_TIMEOUT_MS = Number(process.env.FRANK_READY_TIMEOUT_MS || 30000);
const STOP_TIMEOUT_MS = 8000;
const verbose = !!process.env.FRANK_E2E_VERBOSE;

// children still running when the test process exits are killed
const live = new Set();
process.on('exit', () => {
	for (const p of live) {
		try {
			p.kill('SIGKILL');
		} catch {}
	}
	dropAllSync();
});

/* the data dir a CLI command names (`--data DIR` or `--data=DIR`), or null */
function dataArg(args) {
	const i = args.indexOf('--data');
	if (i >= 0 && i + 1 < args.length) return args[i + 1];
	const eq = args.find((a) => a.startsWith('--data='));
	return eq ? eq.slice('--data='.length) : null;
}

/*
 * run the `frank` CLI; resolves {code, stdout, stderr}, never rejects on a non-zero exit.
 * input: what the command reads on stdin (a password: `frank user create`); stdin is closed
 * after it, so a command that reads stdin never waits for the timeout.
 * A command with `--data DIR` gets DIR's store (FRANK_DATABASE in the PostgreSQL pass); `env`
 * wins over it.
 */
export async function runFrank(args, { env = {}, timeout = 15000, input = '' } = {}) {
	const dir = dataArg(args);
	const store = dir ? await storeEnv(dir) : {};
	return new Promise((resolveP, reject) => {
		const bin = frankBin();
		if (!existsSync(bin)) return reject(new Error(`${bin} not found (build first, or set FRANK_BUILD)`));
		const child = execFile(bin, args, { env: { ...process.env, ...store, ...env }, timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
			if (err && typeof err.code !== 'number') return reject(Object.assign(err, { stdout, stderr }));
			resolveP({ code: err ? err.code : 0, stdout, stderr });
		});
		child.stdin.on('error', () => {});	// a command that exits without reading stdin
		child.stdin.end(input);
	});
}

/* the last line of stdout that parses as a JSON object (and passes pred, if given) */
export function lastJsonLine(text, pred = () => true) {
	const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
	for (let i = lines.length - 1; i >= 0; i--) {
		try {
			const j = JSON.parse(lines[i]);
			if (pred(j)) return j;
		} catch {}
	}
	return null;
}

class Tail {
	constructor(max = 64 * 1024) {
		this.max = max;
		this.buf = '';
	}
	push(s) {
		this.buf += s;
		if (this.buf.length > this.max) this.buf = this.buf.slice(-this.max);
	}
	toString() {
		return this.buf;
	}
}

function spawnFrankd(dataDir, env, listen) {
	const bin = frankdBin();
	if (!existsSync(bin)) throw new Error(`${bin} not found (build first, or set FRANK_BUILD)`);
	const args = ['--data', dataDir, '--listen', listen];
	const proc = spawn(bin, args, {
		env: { ...process.env, FRANK_RATE_LIMIT: 'off', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	live.add(proc);
	const stdout = new Tail();
	const stderr = new Tail();
	const exited = new Promise((res) => {
		// 'close', not 'exit': it comes after the last of stdout/stderr has been read
		proc.on('close', (code, signal) => {
			live.delete(proc);
			res({ code, signal });
		});
	});
	const ready = new Promise((res, rej) => {
		let pending = '';
		let done = false;
		const timer = setTimeout(() => {
			if (done) return;
			done = true;
			rej(new Error(`frankd did not print "frankd listening on …" within ${READY_TIMEOUT_MS} ms\n` +
				`stdout:\n${stdout}\nstderr:\n${stderr}`));
		}, READY_TIMEOUT_MS);
		proc.stdout.setEncoding('utf8');
		proc.stderr.setEncoding('utf8');
		proc.stdout.on('data', (d) => {
			stdout.push(d);
			if (verbose) process.stderr.write(`[frankd] ${d}`);
			if (done) return;
			pending += d;
			const m = /frankd listening on (https?:\/\/[^\s]+)/.exec(pending);
			if (m) {
				done = true;
				clearTimeout(timer);
				res(m[1].replace(/\/+$/, ''));
			}
		});
		proc.stderr.on('data', (d) => {
			stderr.push(d);
			if (verbose) process.stderr.write(`[frankd!] ${d}`);
		});
		proc.on('error', (e) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			rej(new Error(`cannot start ${bin}: ${e.message}`));
		});
		exited.then(({ code, signal }) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			rej(new Error(`frankd exited before it was ready (code ${code}, signal ${signal})\n` +
				`stdout:\n${stdout}\nstderr:\n${stderr}`));
		});
	});
	return { proc, ready, exited, stdout, stderr };
}

// whether this frankd can run on PostgreSQL at all (its --help names --database): until it
// can, the PostgreSQL pass runs on SQLite and says so (scripts/run-tests)
let pgCapable;
function frankdTakesDatabase() {
	if (pgCapable === undefined) {
		let help = '';
		try {
			help = execFileSync(frankdBin(), ['--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		} catch (e) {
			help = String(e.stdout ?? '') + String(e.stderr ?? '');
		}
		pgCapable = help.includes('--database');
	}
	return pgCapable;
}

/*
 * runs `sql` on the store of the server on dataDir: psql on its database in the PostgreSQL pass
 * (once frankd takes --database), else sqlite3 on DIR/frank.db. Resolves the rows as lines,
 * columns between "|", NULL as "" (the same from both); rejects with the tool's error.
 */
export async function storeSql(dataDir, sql) {
	const uri = await databaseFor(dataDir);
	if (uri && frankdTakesDatabase()) return psql(uri, sql);
	return sqlShell('sqlite3', ['-cmd', '.timeout 5000', join(dataDir, 'frank.db')], sql);
}

/* in the PostgreSQL pass: frankd's database holds tables once it is ready (it did not quietly
 * keep its store in the data dir) */
async function assertStoreInDatabase(srv) {
	if (!pgCluster || !srv.database || !frankdTakesDatabase()) return;
	const n = Number(await psql(srv.database,
		"SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"));
	if (!(n > 0)) {
		throw new Error(`frankd is ready but its database has no tables: it did not use FRANK_DATABASE=${srv.database}\n` +
			`stderr:\n${srv.output().stderr.slice(-4000)}`);
	}
}

/*
 * Start frankd on a fresh data dir (or `dataDir` if given, skipping init when `keys` are
 * given too). Options: env (extra environment for frankd), listen (default 127.0.0.1:0).
 */
export async function startFrank({ env = {}, listen = '127.0.0.1:0', dataDir, keys } = {}) {
	let ownDir = false;
	if (!dataDir) {
		dataDir = await mkdtemp(join(tmpdir(), 'frank-e2e-'));
		ownDir = true;
	}
	// the dir's store: the database made for it in the PostgreSQL pass, unless env names one
	const store = env.FRANK_DATABASE === undefined ? await storeEnv(dataDir) : {};
	if (!keys) {
		const r = await runFrank(['init', '--data', dataDir], { env });
		keys = lastJsonLine(r.stdout, (j) => !!j.test_secret);
		if (r.code !== 0 || !keys || !keys.test_secret) {
			throw new Error(`frank init --data ${dataDir} failed (exit ${r.code}); expected one JSON line with ` +
				`account_id, test_secret, live_secret, test_publishable, live_publishable\n` +
				`stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
		}
	}

	const srv = {
		dataDir,
		keys,
		env,
		/* the store's libpq URI in the PostgreSQL pass, else null (SQLite in dataDir) */
		database: store.FRANK_DATABASE ?? env.FRANK_DATABASE ?? null,
		baseUrl: null,
		proc: null,
		child: null,
		/* the server's output so far (last 64 KiB each) */
		output() {
			return { stdout: String(this.child?.stdout ?? ''), stderr: String(this.child?.stderr ?? '') };
		},
		async _spawn() {
			this.child = spawnFrankd(dataDir, { ...store, ...env }, listen);
			this.proc = this.child.proc;
			try {
				this.baseUrl = await this.child.ready;
			} catch (e) {
				try {
					this.proc.kill('SIGKILL');
				} catch {}
				throw e;
			}
			return this;
		},
		/* SIGKILL, wait for the exit; the data dir stays */
		async kill9() {
			if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
			this.child.expected = true;
			this.proc.kill('SIGKILL');
			await this.child.exited;
		},
		/* start frankd again on the same data dir (after kill9 or stop({keepData:true})) */
		async restart() {
			if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) await this.kill9();
			return this._spawn();
		},
		/*
		 * SIGTERM and wait (SIGKILL after 8 s). Rejects if frankd exited non-zero or did not
		 * stop in time (a sanitizer report shows up here), after cleaning up in any case.
		 */
		async stop({ keepData = false } = {}) {
			let problem = null;
			if (this.proc && !this.child.expected && (this.proc.exitCode !== null || this.proc.signalCode !== null)) {
				problem = `frankd died during the tests (exit code ${this.proc.exitCode}, signal ${this.proc.signalCode})`;
			} else if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
				this.child.expected = true;
				this.proc.kill('SIGTERM');
				const timedOut = Symbol('timeout');
				let t;
				const r = await Promise.race([
					this.child.exited,
					new Promise((res) => (t = setTimeout(() => res(timedOut), STOP_TIMEOUT_MS))),
				]);
				clearTimeout(t);
				if (r === timedOut) {
					this.proc.kill('SIGKILL');
					await this.child.exited;
					problem = `frankd did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM`;
				} else if (r.code !== 0 && !(r.code === null && r.signal === 'SIGTERM')) {
					problem = `frankd exited with code ${r.code} signal ${r.signal} after SIGTERM`;
				}
			}
			if (ownDir && !keepData) {
				await rm(dataDir, { recursive: true, force: true });
				await dropDatabase(dataDir).catch((e) => (problem ??= `could not drop the test database: ${e.message}`));
			}
			if (problem) {
				const { stderr } = this.output();
				throw new Error(`${problem}\nstderr (tail):\n${stderr.slice(-8000)}`);
			}
		},
	};
	await srv._spawn();
	try {
		await assertStoreInDatabase(srv);
	} catch (e) {
		await srv.stop().catch(() => {});
		throw e;
	}
	return srv;
}

/* Basic auth header value for a key (key as user, empty password) */
export const basic = (key) => 'Basic ' + Buffer.from(`${key}:`).toString('base64');

/*
 * Raw HTTP against a server: req(srv, method, path, opts) →
 *   { status, headers (Headers), text, body (parsed JSON or undefined) }
 * opts: key (default srv.keys.test_secret; null for none), auth ('basic'|'bearer'|'x-api-key'),
 *       json (object → JSON body), form (URLSearchParams|string → urlencoded), body (raw),
 *       headers (extra).
 */
export async function req(srv, method, path, opts = {}) {
	const headers = { ...(opts.headers || {}) };
	const key = opts.key === undefined ? srv.keys.test_secret : opts.key;
	if (key !== null) {
		const auth = opts.auth || 'basic';
		if (auth === 'basic') headers.Authorization = basic(key);
		else if (auth === 'bearer') headers.Authorization = `Bearer ${key}`;
		else if (auth === 'x-api-key') headers['X-API-Key'] = key;
		else throw new Error(`unknown auth ${auth}`);
	}
	let body = opts.body;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		headers['Content-Type'] ??= 'application/json';
	} else if (opts.form !== undefined) {
		body = String(opts.form);
		headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
	}
	const url = /^https?:/.test(path) ? path : srv.baseUrl + path;
	const res = await fetch(url, { method, headers, body, redirect: 'manual' });
	const text = await res.text();
	let parsed;
	try {
		parsed = text.length ? JSON.parse(text) : undefined;
	} catch {}
	return { status: res.status, headers: res.headers, text, body: parsed };
}
