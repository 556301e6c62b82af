// SPDX-License-Identifier: AGPL-3.0-or-later
// Backups while frankd works: `frank backup` under a load of address and letter creates
// (HTML letters and uploaded PDFs), `frank restore` into a new directory, frankd started on
// it: every object acknowledged before the backup started is there and equal, every letter
// renders, its proof is served, and `frank check` passes. A flipped byte in an asset makes
// `frank check` fail naming the file; a restore onto a running frankd's directory is refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, runFrank, basic } from './lib/server.mjs';
import { tinyPdf } from './lib/pdf.mjs';

const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
// what a letter keeps from its create on: the rest (status, links, dates of rendering) moves on
const LETTER_FIXED = ['id', 'description', 'metadata', 'to', 'from', 'color', 'double_sided', 'address_placement', 'mail_type', 'use_type', 'send_date', 'date_created', 'object'];

let srv, restored;
const dirs = [];
after(async () => {
	await restored?.stop();
	await srv?.stop();
	for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tmp(name) {
	const d = await mkdtemp(join(tmpdir(), `frank-${name}-`));
	dirs.push(d);
	return d;
}

/* every asset file under DIR/assets, as "assets/ab/cdef…" */
async function assetFiles(dir) {
	const out = [];
	for (const sub of await readdir(join(dir, 'assets')))
		for (const f of await readdir(join(dir, 'assets', sub))) if (!f.startsWith('.')) out.push(`assets/${sub}/${f}`);
	return out;
}

async function uploadLetter(s, n) {
	const fd = new FormData();
	for (const [k, v] of Object.entries(to)) fd.append(`to[${k}]`, v);
	for (const [k, v] of Object.entries(from)) fd.append(`from[${k}]`, v);
	fd.append('color', 'false');
	fd.append('use_type', 'operational');
	fd.append('metadata[n]', String(n));
	fd.append('file', new Blob([tinyPdf(`Uploaded ${n}`)], { type: 'application/pdf' }), 'l.pdf');
	const r = await fetch(`${s.baseUrl}/v1/letters`, { method: 'POST', body: fd, headers: { Authorization: basic(s.keys.test_secret) } });
	return { status: r.status, body: await r.json() };
}

/* backup, restore and check copy the SQLite file; in the PostgreSQL pass they must say so */
const onPostgres = !!process.env.FRANK_TEST_PG;
if (onPostgres) {
	test('on PostgreSQL, backup, restore and check refuse and name pg_dump', async () => {
		srv = await startFrank();
		const out = join(await tmp('backup'), 'copy');
		for (const args of [['backup', '--data', srv.dataDir, out], ['restore', '--data', srv.dataDir, out], ['check', '--data', srv.dataDir]]) {
			const r = await runFrank(args);
			assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
			assert.match(r.stderr, new RegExp(`^frank: ${args[0]} works on the SQLite store; with FRANK_DATABASE \\(PostgreSQL\\) use pg_dump`));
		}
		assert.deepEqual(await readdir(join(out, '..')), [], 'nothing written');
	});
}

(onPostgres ? () => {} : test)('a backup under load restores whole: every acknowledged object, its files, a passing check', async () => {
	srv = await startFrank({ env: { FRANK_RENDERER: 'mupdf' } });
	const acked = new Map(); // id → { kind, body }
	let stop = false;
	const loop = async (kind, make) => {
		for (let i = 0; !stop; i++) {
			const r = await make(i);
			assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
			acked.set(r.body.id, { kind, body: r.body });
		}
	};
	const loops = [
		loop('addresses', (i) => req(srv, 'POST', '/v1/addresses', { json: { ...to, name: `Address ${i}`, metadata: { i: String(i) } } })),
		loop('addresses', (i) => req(srv, 'POST', '/v1/addresses', { json: { ...from, description: `second ${i}` } })),
		loop('letters', (i) => req(srv, 'POST', '/v1/letters', { json: { to, from, color: false, use_type: 'operational', file: `<html><body><p>Letter ${i}</p></body></html>` } })),
		loop('letters', (i) => uploadLetter(srv, i)),
	];
	await sleep(1500);
	const before = new Map(acked); // acknowledged before the backup started
	const out = join(await tmp('backup'), 'copy');
	const started = Date.now();
	const b = await runFrank(['backup', '--data', srv.dataDir, out], { timeout: 60000 });
	const backupMs = Date.now() - started;
	const during = acked.size - before.size;
	await sleep(300);
	stop = true;
	await Promise.all(loops);
	assert.equal(b.code, 0, b.stderr);
	const summary = JSON.parse(b.stdout);
	assert.equal(summary.result, 'backup');
	assert.ok(summary.assets > 0 && summary.db_bytes > 0, b.stdout);
	assert.ok(during > 0, 'objects were created while the backup ran');
	const kinds = [...before.values()].map((o) => o.kind);
	assert.ok(kinds.includes('addresses') && kinds.includes('letters'), 'both kinds were acknowledged before the backup');
	console.log(`# backup of ${before.size} objects acknowledged before it (${during} more during it): ${backupMs} ms, ${summary.db_bytes} database bytes, ${summary.assets} assets (${summary.asset_bytes} bytes)`);

	// not onto the running frankd's directory, not into a non-empty one without --force
	const busy = await runFrank(['restore', '--data', srv.dataDir, '--force', out]);
	assert.equal(busy.code, 1);
	assert.match(busy.stderr, /in use: a frankd .* runs on it/);
	const target = await tmp('restored');
	await writeFile(join(target, 'stray'), 'x');
	const nonEmpty = await runFrank(['restore', '--data', target, out]);
	assert.equal(nonEmpty.code, 1);
	assert.match(nonEmpty.stderr, /is not empty/);
	await rm(join(target, 'stray'));

	const r = await runFrank(['restore', '--data', target, out], { timeout: 60000 });
	assert.equal(r.code, 0, r.stderr);
	const c = await runFrank(['check', '--data', target], { timeout: 60000 });
	assert.equal(c.code, 0, c.stdout + c.stderr);
	const check = JSON.parse(c.stdout);
	assert.equal(check.ok, true);
	assert.deepEqual(check.integrity, ['ok']);
	assert.ok(check.assets_referenced > 0 && check.objects >= before.size, c.stdout);

	restored = await startFrank({ dataDir: target, keys: srv.keys, env: { FRANK_RENDERER: 'mupdf' } });
	for (const [id, { kind, body }] of before) {
		const g = await req(restored, 'GET', `/v1/${kind}/${id}`);
		assert.equal(g.status, 200, `${id}, acknowledged before the backup, is in the restore`);
		if (kind === 'addresses') assert.deepEqual(g.body, body);
		else for (const k of LETTER_FIXED) assert.deepEqual(g.body[k], body[k], `${id}.${k}`);
	}
	// the letters render from the restored files (uploads) and their proofs are served
	const pending = new Set([...before].filter(([, o]) => o.kind === 'letters').map(([id]) => id));
	const end = Date.now() + 90000;
	while (pending.size && Date.now() < end) {
		for (const id of [...pending]) {
			const g = await req(restored, 'GET', `/v1/letters/${id}`);
			if (g.body.status === 'processed') continue;
			assert.equal(g.body.status, 'rendered', `${id}: ${JSON.stringify(g.body.failure_reason)}`);
			const link = new URL(g.body.url); // on lob-assets.com (the default --asset-url), served by frankd
			const pdf = await fetch(restored.baseUrl + link.pathname + link.search);
			assert.equal(pdf.status, 200, `${id}: its proof is served after the restore`);
			assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
			pending.delete(id);
		}
		if (pending.size) await sleep(200);
	}
	assert.equal(pending.size, 0, `letters never rendered after the restore: ${[...pending].slice(0, 5)}`);
	await restored.stop();
	restored = null;

	// a flipped byte in one asset: check fails and names it
	const files = await assetFiles(target);
	const victim = files[0];
	const bytes = await readFile(join(target, victim));
	bytes[Math.floor(bytes.length / 2)] ^= 0x01;
	await writeFile(join(target, victim), bytes);
	const bad = await runFrank(['check', '--data', target], { timeout: 60000 });
	assert.equal(bad.code, 1, bad.stdout);
	const report = JSON.parse(bad.stdout);
	assert.equal(report.ok, false);
	assert.deepEqual(report.corrupt, [victim]);
	assert.deepEqual(report.missing, []);
	// and a backup of it refuses to carry the corrupt file forward
	const again = await runFrank(['backup', '--data', target, join(await tmp('backup2'), 'copy')]);
	assert.equal(again.code, 1);
	assert.ok(again.stderr.includes(victim), again.stderr);
});
