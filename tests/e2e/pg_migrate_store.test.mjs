// SPDX-License-Identifier: AGPL-3.0-or-later
// frank migrate-store: a SQLite installation (frankd on --data, objects made through the API)
// copied into a fresh PostgreSQL database, run twice (the second copies nothing and verifies),
// then frankd on PostgreSQL with the same --data serves the same lists, retrievals (with their
// proof files), cursors, idempotent replays, check numbers and new creates (after which a
// rerun is refused: the nodes wrote); a copy killed with SIGKILL half-way finishes on a rerun,
// and a row changed afterwards is named (exit 1). Refusals: a --to that is not postgres://,
// a data directory frankd holds, and a database of another installation.
//
// Runs in the suite's PostgreSQL pass only: FRANK_TEST_PG must hold a cluster's libpq URI
// (databases are made and dropped here with psql). Without it the file fails, never skips.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFrank, runFrank, req, frankBin } from './lib/server.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';
import { webhookReceiver } from './lib/receiver.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

const cluster = process.env.FRANK_TEST_PG || '';
const SQLITE = { FRANK_DATABASE: '' };	// frankd and frank on the data dir's SQLite
const LOB_ASSETS = 'https://lob-assets.com';
const made = [];
let dir, receiver, keys;
const hooks = [];
const state = {};

function sh(cmd, args, input = '') {
	return new Promise((res, rej) => {
		const c = execFile(cmd, args, { maxBuffer: 64 << 20, timeout: 120000 }, (e, out, err) =>
			(e ? rej(new Error(`${cmd} ${args.join(' ')}: ${err || e.message}`)) : res(out)));
		c.stdin.end(input);
	});
}
const psql = (uri, sql) => sh('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', uri, '-f', '-'], sql);
const sqlite = (d, sql) => sh('sqlite3', ['-cmd', '.timeout 5000', join(d, 'frank.db')], sql);

function dbUri(name) {
	const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(cluster);
	assert.ok(m, `FRANK_TEST_PG is not a libpq URI: ${cluster}`);
	return `${m[1]}/${name}${m[3] ?? ''}`;
}
async function freshDatabase() {
	const name = `frank_mig_${process.pid}_${made.length + 1}`;
	await psql(cluster, `CREATE DATABASE ${name}`);
	made.push(name);
	return dbUri(name);
}
const migrate = (from, to, env = {}) =>
	runFrank(['migrate-store', '--from', from, '--to', to], { env: { ...SQLITE, ...env }, timeout: 120000 });

function assertVerified(r) {
	assert.equal(r.code, 0, `migrate-store failed:\n${r.stderr}\n${r.stdout}`);
	const s = JSON.parse(r.stdout.trim().split('\n').at(-1));
	assert.equal(s.ok, true);
	for (const t of s.tables) {
		assert.equal(t.checksum_ok, true, `${t.table} differs`);
		assert.equal(t.count, t.count_target, `${t.table} counts`);
		assert.match(t.sha256, /^[0-9a-f]{64}$/);
	}
	return s;
}
const table = (s, name) => s.tables.find((t) => t.table === name);

// webhooks and /v1/events are Frank's own (not in Lob's spec): checked by their own tests
async function raw(srv, method, path, opts) {
	const r = await req(srv, method, path, opts);
	if (!/^\/v1\/(webhooks|events)/.test(path)) assertResponseMatchesSpec(method, path.split('?')[0], r.status, r.body);
	return r;
}
async function until(srv, path, pred, ms = 20000) {
	const end = Date.now() + ms;
	for (;;) {
		const r = await req(srv, 'GET', path);
		if (pred(r.body)) return r;
		if (Date.now() > end) assert.fail(`${path}: not there after ${ms} ms: ${r.text.slice(0, 400)}`);
		await sleep(100);
	}
}

const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };

before(async () => {
	assert.ok(cluster, 'FRANK_TEST_PG is unset: this test needs a PostgreSQL cluster (the suite\'s PostgreSQL pass sets it, e.g. FRANK_TEST_PG=postgresql://nobody@/postgres?host=/tmp/pgm&port=5477)');
	dir = await mkdtemp(join(tmpdir(), 'frank-migrate-'));
	receiver = await webhookReceiver(hooks);
});
after(async () => {
	receiver?.close();
	if (dir) await rm(dir, { recursive: true, force: true });
	for (const name of made) await psql(cluster, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
});

const env = () => ({ ...SQLITE, FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_ASSET_URL: LOB_ASSETS });

test('a SQLite installation: objects through the API; migrate-store refuses while frankd holds the directory', async () => {
	const srv = await startFrank({ dataDir: dir, env: env() });
	keys = srv.keys;
	try {
		const hook = await raw(srv, 'POST', '/v1/webhooks', { json: { url: `http://127.0.0.1:${receiver.address().port}/h`, event_types: ['address.created', 'letter.created'] } });
		assert.equal(hook.status, 200, hook.text);
		state.hook = hook.body.id;
		state.addresses = [];
		for (let i = 0; i < 12; i++) {
			const a = await raw(srv, 'POST', '/v1/addresses', { json: { ...to, name: `Harry ${i}`, metadata: { n: String(i) } } });
			assert.equal(a.status, 200, a.text);
			state.addresses.push(a.body.id);
		}
		const t = await raw(srv, 'POST', '/v1/templates', { json: { description: 'Welcome', html: '<html><body>Hi {{name}}</body></html>' } });
		assert.equal(t.status, 200, t.text);
		state.template = t.body.id;
		const l = await raw(srv, 'POST', '/v1/letters', { json: { to, from, file: t.body.id, color: false, use_type: 'operational', merge_variables: { name: 'Harry' } }, headers: { 'Idempotency-Key': 'ltr-key-1' } });
		assert.equal(l.status, 200, l.text);
		state.letter = l.body.id;
		await until(srv, `/v1/letters/${l.body.id}`, (b) => b.status === 'rendered');
		const bank = await raw(srv, 'POST', '/v1/bank_accounts', { json: { description: 'Payroll', routing_number: '322271627', account_number: '123456789', account_type: 'company', signatory: 'Jane Doe' } });
		assert.equal(bank.status, 200, bank.text);
		assert.equal((await req(srv, 'POST', `/v1/bank_accounts/${bank.body.id}/verify`, { json: { amounts: [25, 63] } })).status, 200);
		state.bank = bank.body.id;
		const c = await raw(srv, 'POST', '/v1/checks', { json: { to, from, bank_account: bank.body.id, amount: 22.5, use_type: 'operational' }, headers: { 'Idempotency-Key': 'chk-key-1' } });
		assert.equal(c.status, 200, c.text);
		state.check = c.body.id;
		state.checkNumber = c.body.check_number;
		// a print run: print_runs and print_run_pieces (with their rowids)
		const cut = await runFrank(['production', 'cut', '--data', dir, '--body', JSON.stringify({ include_test: true, cutoff: new Date(Date.now() + 12 * 3600e3).toISOString() })], { env: SQLITE });
		assert.equal(cut.code, 0, cut.stderr);
		// the webhook's deliveries are rows too
		await until(srv, `/v1/webhooks/${state.hook}/deliveries?limit=50`, (b) => (b.data ?? []).length >= 13);
		state.lists = {};
		for (const path of ['/v1/addresses?limit=100', '/v1/letters', '/v1/templates', '/v1/checks', '/v1/bank_accounts', '/v1/webhooks', '/v1/events?limit=100'])
			state.lists[path] = (await req(srv, 'GET', path)).body.data.map((o) => o.id);
		state.letterBody = (await req(srv, 'GET', `/v1/letters/${state.letter}`)).body;

		const busy = await migrate(dir, dbUri('postgres'));
		assert.equal(busy.code, 1, busy.stderr);
		assert.match(busy.stderr, /frankd|lock|running|in use/i, 'says the directory is held');
		assert.equal(busy.stdout, '');
	} finally {
		await srv.stop({ keepData: true });
	}
});

test('refuses a --to that is not postgres:// or postgresql://', async () => {
	for (const bad of ['sqlite:///tmp/x.db', '/tmp/x', 'mysql://u@h/db']) {
		const r = await migrate(dir, bad);
		assert.equal(r.code, 2, r.stderr);
		assert.match(r.stderr, /postgres:\/\//);
	}
	const none = await runFrank(['migrate-store', '--from', dir], { env: SQLITE });
	assert.equal(none.code, 2);
});

test('refuses a database that holds another installation (an account the directory lacks)', async () => {
	const other = await freshDatabase();
	const otherDir = await mkdtemp(join(tmpdir(), 'frank-migrate-other-'));
	try {
		const init = await runFrank(['init', '--data', otherDir], { env: { FRANK_DATABASE: other } });
		assert.equal(init.code, 0, init.stderr);
		const r = await migrate(dir, other);
		assert.equal(r.code, 1, r.stderr);
		assert.match(r.stderr, /another installation/);
		assert.equal(r.stdout, '');
		assert.equal(await psql(other, 'SELECT count(*) FROM accounts'), '1\n', 'nothing copied');
	} finally {
		await rm(otherDir, { recursive: true, force: true });
	}
});

test('copies every table and verifies it; a second run copies nothing and says so', async () => {
	state.db = await freshDatabase();
	const t0 = Date.now();
	const first = assertVerified(await migrate(dir, state.db));
	state.migrateMs = Date.now() - t0;
	assert.equal(first.copied, true);
	assert.ok(first.rows_copied > 0);
	assert.equal(table(first, 'objects').rows_copied, table(first, 'objects').count);
	assert.ok(table(first, 'objects').count >= 12 + 1 + 1 + 1 + 1 + 1);
	assert.ok(table(first, 'events').count >= 13);
	assert.ok(table(first, 'idempotency_keys').count >= 2);
	assert.ok(table(first, 'piece_days').count >= 1, 'piece_days rebuilt by the triggers');
	assert.ok(table(first, 'print_runs').count >= 1 && table(first, 'print_run_pieces').count >= 1, 'a print run and its pieces');
	assert.ok(table(first, 'jobs').count >= 1);
	assert.match(first.files, /--data/);
	const pgObjects = Number(await psql(state.db, 'SELECT count(*) FROM objects'));
	assert.equal(pgObjects, Number(await sqlite(dir, 'SELECT count(*) FROM objects;')));

	const second = await migrate(dir, state.db);
	const s = assertVerified(second);
	assert.equal(s.copied, false);
	assert.equal(s.rows_copied, 0);
	assert.equal(table(s, 'objects').rows_present, table(s, 'objects').count);
	assert.match(second.stderr, /nothing to copy/);
});

test('frankd on PostgreSQL with the same --data: lists, retrievals, proofs, cursors, idempotency, check numbers, new creates', async () => {
	const srv = await startFrank({ dataDir: dir, keys, env: { ...env(), FRANK_DATABASE: state.db } });
	try {
		assert.ok(Number(await psql(state.db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'")) >= 2, 'frankd is connected to the database');
		for (const [path, ids] of Object.entries(state.lists)) {
			const r = await raw(srv, 'GET', path);
			assert.equal(r.status, 200, r.text);
			const got = r.body.data.map((o) => o.id);
			// events may have come after the listing, before frankd stopped (renders): newest first
			if (path.startsWith('/v1/events')) assert.deepEqual(got.slice(got.length - ids.length), ids, path);
			else assert.deepEqual(got, ids, path);
		}
		const l = await raw(srv, 'GET', `/v1/letters/${state.letter}`);
		assert.equal(l.status, 200);
		assert.equal(l.body.status, state.letterBody.status);
		assert.equal(l.body.url.split('?')[0], state.letterBody.url.split('?')[0]);
		const pdf = await fetch(l.body.url.replace(LOB_ASSETS, srv.baseUrl));
		assert.equal(pdf.status, 200, 'the proof file in --data is served');
		assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
		// cursors: page through the addresses two at a time
		const seen = [];
		let path = '/v1/addresses?limit=2';
		for (let i = 0; i < 20 && path; i++) {
			const r = await raw(srv, 'GET', path);
			seen.push(...r.body.data.map((o) => o.id));
			path = r.body.next_url ? r.body.next_url.replace(/^https?:\/\/[^/]+/, '') : null;
			if (path && !path.startsWith('/v1')) path = `/v1/${path.replace(/^\//, '')}`;
		}
		assert.deepEqual(seen, state.lists['/v1/addresses?limit=100']);
		// an idempotent replay gives the object made on SQLite
		const replay = await raw(srv, 'POST', '/v1/checks', { json: { to, from, bank_account: state.bank, amount: 22.5, use_type: 'operational' }, headers: { 'Idempotency-Key': 'chk-key-1' } });
		assert.equal(replay.status, 200, replay.text);
		assert.equal(replay.body.id, state.check);
		assert.equal(replay.body.check_number, state.checkNumber);
		const lreplay = await raw(srv, 'POST', '/v1/letters', { json: { to, from, file: state.template, color: false, use_type: 'operational', merge_variables: { name: 'Harry' } }, headers: { 'Idempotency-Key': 'ltr-key-1' } });
		assert.equal(lreplay.body.id, state.letter);
		// check numbers continue
		const c = await raw(srv, 'POST', '/v1/checks', { json: { to, from, bank_account: state.bank, amount: 10, use_type: 'operational' } });
		assert.equal(c.status, 200, c.text);
		assert.equal(c.body.check_number, state.checkNumber + 1);
		// new creates: objects and events get rowids past the copied ones
		const a = await raw(srv, 'POST', '/v1/addresses', { json: { ...to, name: 'After Migration' } });
		assert.equal(a.status, 200, a.text);
		const list = await raw(srv, 'GET', '/v1/addresses?limit=1');
		assert.equal(list.body.data[0].id, a.body.id, 'the newest address lists first');
		const nl = await raw(srv, 'POST', '/v1/letters', { json: { to, from, file: state.template, color: false, use_type: 'operational', merge_variables: { name: 'Sam' } } });
		assert.equal(nl.status, 200, nl.text);
		await until(srv, `/v1/letters/${nl.body.id}`, (b) => b.status === 'rendered');
		const ev = await raw(srv, 'GET', '/v1/events?limit=100');
		assert.ok(ev.body.data.some((e) => e.body?.id === a.body.id || e.reference_object_id === a.body.id || JSON.stringify(e).includes(a.body.id)), 'the new address has its event');
		const maxRow = Number(await psql(state.db, 'SELECT max(rowid) FROM objects'));
		assert.ok(maxRow > Number(await sqlite(dir, 'SELECT max(rowid) FROM objects;')), 'new rowids continue past the copied ones');
	} finally {
		await srv.stop({ keepData: true });
	}
	// the nodes wrote: copying again would bring back what they changed, so it is refused
	const objects = await psql(state.db, 'SELECT count(*), max(rowid) FROM objects');
	const again = await migrate(dir, state.db);
	assert.equal(again.code, 1, again.stderr);
	assert.match(again.stderr, /written after this copy/);
	assert.equal(await psql(state.db, 'SELECT count(*), max(rowid) FROM objects'), objects);
});

test('a copy killed half-way resumes to verified', async () => {
	const big = await mkdtemp(join(tmpdir(), 'frank-migrate-big-'));
	try {
		const srv = await startFrank({ dataDir: big, env: env() });
		const a = await raw(srv, 'POST', '/v1/addresses', { json: to });
		assert.equal(a.status, 200, a.text);
		await srv.stop({ keepData: true });
		const N = 5000;
		await sqlite(big, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
			INSERT INTO objects (id, account_id, mode, kind, created_ms, updated_ms, deleted, status, send_date, campaign_id, json, print_run_id)
			SELECT 'adr_' || printf('%016x', 1000000 + i), account_id, mode, kind, created_ms + i, updated_ms + i, 0, status, NULL, NULL,
			replace(json, id, 'adr_' || printf('%016x', 1000000 + i)), NULL FROM objects, n WHERE id = '${a.body.id}';`);
		const total = Number(await sqlite(big, 'SELECT count(*) FROM objects;'));
		assert.equal(total, N + 1);
		const db = await freshDatabase();
		// small batches, so there is a half-way to kill it at
		const child = spawn(frankBin(), ['migrate-store', '--from', big, '--to', db], { env: { ...process.env, ...SQLITE, FRANK_MIGRATE_BATCH: '50' }, stdio: ['ignore', 'pipe', 'pipe'] });
		let err = '';
		const exited = new Promise((res) => child.on('close', (code, signal) => res({ code, signal })));
		await new Promise((res, rej) => {
			child.stderr.on('data', (d) => {
				err += d;
				if (/migrate-store: objects [1-9]\d* rows/.test(err)) res();
			});
			exited.then(() => rej(new Error(`migrate-store ended before copying objects:\n${err}`)));
		});
		child.kill('SIGKILL');
		const { signal } = await exited;
		assert.equal(signal, 'SIGKILL');
		const partial = Number(await psql(db, 'SELECT count(*) FROM objects'));
		assert.ok(partial > 0 && partial < total, `killed half-way: ${partial} of ${total} objects copied`);

		const t0 = Date.now();
		const s = assertVerified(await migrate(big, db));
		const ms = Date.now() - t0;
		const objects = table(s, 'objects');
		assert.equal(objects.count, total);
		assert.equal(objects.rows_present, partial, 'the rows copied before the kill are kept');
		assert.equal(objects.rows_copied, total - partial);
		assert.equal(Number(await psql(db, 'SELECT count(*) FROM objects')), total);
		console.log(`# resumed: ${objects.rows_copied} objects copied in ${ms} ms (${s.rows_per_second.toFixed(0)} rows/s by the tool)`);
		assertVerified(await migrate(big, db));

		// a row that differs (same key, other bytes) is named, and the exit is 1
		await psql(db, `UPDATE objects SET updated_ms = updated_ms + 1 WHERE id = '${a.body.id}'`);
		const bad = await migrate(big, db);
		assert.equal(bad.code, 1, bad.stderr);
		assert.match(bad.stderr, /objects differs/);
		const sum = JSON.parse(bad.stdout.trim().split('\n').at(-1));
		assert.equal(sum.ok, false);
		assert.equal(table(sum, 'objects').checksum_ok, false);
		assert.equal(table(sum, 'objects').count, table(sum, 'objects').count_target);
		assert.equal(table(sum, 'events').checksum_ok, true);
	} finally {
		await rm(big, { recursive: true, force: true });
	}
});
