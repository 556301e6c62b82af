// SPDX-License-Identifier: AGPL-3.0-or-later
// Scan ingestion at scale: a generated scan file for 1,000 certified letters gives each its
// tracking events and webhook deliveries, and ingesting it again changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, runFrank } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';

const N = 1000;
// the pieces are made on frankd's test clock; their scans come days later (evidence from the
// future is refused), so the CLI, and frankd, run on a clock past the last scan
const CLOCK = '2026-03-02T15:00:00.000Z';
const AFTER_SCANS = '2026-03-06T00:00:00.000Z';

test(`a scan file for ${N} pieces: events and webhooks for each, idempotent on re-ingest`, async () => {
	const seen = new Set();
	const receiver = http.createServer((rq, rs) => {
		let raw = '';
		rq.on('data', (c) => (raw += c));
		rq.on('end', () => {
			seen.add(JSON.parse(raw).body.id);
			rs.writeHead(200).end();
		});
	});
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	const srv = await startFrank({ env: { FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_RATE_LIMIT: 'off', FRANK_CLOCK: CLOCK } });
	const dir = await mkdtemp(join(tmpdir(), 'frank-bulk-'));
	try {
		const key = srv.keys.live_secret;
		const hook = await req(srv, 'POST', '/v1/webhooks', { key, json: { url: `http://127.0.0.1:${receiver.address().port}/h`, event_types: ['letter.certified.in_local_area'] } });
		assert.equal(hook.status, 200, hook.text);
		const from = (await req(srv, 'POST', '/v1/addresses', { key, json: { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' } })).body.id;
		const to = (await req(srv, 'POST', '/v1/addresses', { key, json: { name: 'Harry', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' } })).body.id;
		const pieces = [];
		for (let i = 0; i < N; i += 50) {
			const batch = await Promise.all(Array.from({ length: 50 }, () => req(srv, 'POST', '/v1/letters', { key, json: { to, from, file: '<p>x</p>', color: false, use_type: 'operational', extra_service: 'certified' } })));
			for (const r of batch) pieces.push(r.body);
		}
		const lines = ['tracking_number|event_code|event_time|zip'];
		for (const p of pieces) {
			lines.push(`${p.tracking_number}|OA|2026-03-03 08:00:00|94105`);
			lines.push(`${p.tracking_number}|07|2026-03-05 07:30:00|94107`);
		}
		const file = join(dir, 'scans.txt');
		await writeFile(file, lines.join('\n') + '\n');
		// frankd's clock moves past the scans too: the jobs the CLI queues (webhook fan-out) are
		// due at the CLI's time, and frankd runs them once its own clock has reached it
		const now = Date.parse((await req(srv, 'GET', '/v1/_frank/clock', { key })).body.now);
		const advance = await req(srv, 'POST', '/v1/_frank/clock', { key, json: { advance_seconds: Math.ceil((Date.parse(AFTER_SCANS) - now) / 1000) + 1 } });
		assert.equal(advance.status, 200, advance.text);
		const first = await runFrank(['ingest-scans', '--data', srv.dataDir, file], { timeout: 120000, env: { FRANK_CLOCK: AFTER_SCANS } });
		assert.equal(first.code, 0, first.stderr);
		assert.deepEqual(JSON.parse(first.stdout.trim().split('\n').at(-1)), { applied: 2 * N, duplicate: 0, unmatched: 0, invalid: 0, rejected: 0 });
		const again = await runFrank(['ingest-scans', '--data', srv.dataDir, file], { timeout: 120000, env: { FRANK_CLOCK: AFTER_SCANS } });
		assert.deepEqual(JSON.parse(again.stdout.trim().split('\n').at(-1)), { applied: 0, duplicate: 2 * N, unmatched: 0, invalid: 0, rejected: 0 });
		const sample = await req(srv, 'GET', `/v1/letters/${pieces[N - 1].id}`, { key });
		assert.deepEqual(sample.body.tracking_events.map((e) => e.name), ['Mailed', 'In Local Area']);
		const end = Date.now() + 30000;
		while (seen.size < N && Date.now() < end) await sleep(100);
		assert.equal(seen.size, N, 'one in_local_area webhook per piece');
	} finally {
		await srv.stop();
		receiver.close();
		await rm(dir, { recursive: true, force: true });
	}
});

test('IV-MTR JSON scans find letters by their Intelligent Mail barcode', async () => {
	const M = 200;
	const srv = await startFrank({ env: { FRANK_RATE_LIMIT: 'off', FRANK_CLOCK: CLOCK } });
	try {
		const key = srv.keys.live_secret;
		const addr = (name) => ({ name, address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' });
		const ids = [];
		for (let i = 0; i < M; i += 50) {
			const batch = await Promise.all(Array.from({ length: 50 }, (_, k) => req(srv, 'POST', '/v1/letters', { key, json: { to: addr(`R${i + k}`), from: addr('Acme'), file: '<p>x</p>', color: false, use_type: 'operational' } })));
			for (const r of batch) ids.push(r.body.id);
		}
		const end = Date.now() + 60000;
		while ((await req(srv, 'GET', '/v1/letters?status=processed&limit=1&include[]=total_count', { key })).body.total_count > 0) {
			assert.ok(Date.now() < end, 'all rendered');
			await sleep(200);
		}
		// a fresh data dir hands out IMb serials 1..M (barcode id 00, STID 270, the default MID)
		const records = [];
		for (let s = 1; s <= M; s++) {
			const imbTrackingCode = `00270999999999${String(s).padStart(6, '0')}`;
			records.push({ imbTrackingCode, mailPhase: 'Phase 1b - Origin Secondary Processing', scanDatetime: '2026-03-03T09:00:00Z', scanFacilityZip: '94128' });
			records.push({ imbTrackingCode, mailPhase: 'Phase 3c - Destination Sequenced Carrier Sortation', scanDatetime: '2026-03-05T05:00:00Z', scanFacilityZip: '94107' });
			records.push({ imbTrackingCode, mailPhase: 'Phase 4c - Delivery', scanDatetime: '2026-03-05T16:00:00Z', scanFacilityZip: '94107' });
		}
		// the API takes batches (a request body has at most 1,000 fields); files go to the CLI
		const op = await createOperator(srv);
		await req(srv, 'POST', '/v1/_frank/clock', { key, json: { advance_seconds: 5 * 86400 } });	// the scans have happened
		const send = async () => {
			const sum = { applied: 0, duplicate: 0, unmatched: 0, invalid: 0, rejected: 0 };
			for (let i = 0; i < records.length; i += 200) {
				const r = await req(srv, 'POST', '/v1/_frank/production/scans', { key: op.key, json: { records: records.slice(i, i + 200) } });
				assert.equal(r.status, 200, r.text);
				for (const k of Object.keys(sum)) sum[k] += r.body[k];
			}
			return sum;
		};
		assert.deepEqual(await send(), { applied: 3 * M, duplicate: 0, unmatched: 0, invalid: 0, rejected: 0 });
		assert.deepEqual(await send(), { applied: 0, duplicate: 3 * M, unmatched: 0, invalid: 0, rejected: 0 });
		for (const id of [ids[0], ids[M - 1]]) {
			const l = await req(srv, 'GET', `/v1/letters/${id}`, { key });
			assert.deepEqual(l.body.tracking_events.map((e) => e.name), ['In Transit', 'Processed for Delivery', 'Delivered']);
		}
		const delivered = await req(srv, 'GET', '/v1/events?event_type=letter.delivered&limit=1&include[]=total_count', { key });
		assert.equal(delivered.body.total_count, M);
	} finally {
		await srv.stop();
	}
});
