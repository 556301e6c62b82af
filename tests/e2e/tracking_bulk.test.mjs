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

const N = 1000;

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
	const srv = await startFrank({ env: { FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_RATE_LIMIT: 'off' } });
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
		const first = await runFrank(['ingest-scans', '--data', srv.dataDir, file], { timeout: 120000 });
		assert.equal(first.code, 0, first.stderr);
		assert.deepEqual(JSON.parse(first.stdout.trim().split('\n').at(-1)), { applied: 2 * N, duplicate: 0, unmatched: 0, invalid: 0 });
		const again = await runFrank(['ingest-scans', '--data', srv.dataDir, file], { timeout: 120000 });
		assert.deepEqual(JSON.parse(again.stdout.trim().split('\n').at(-1)), { applied: 0, duplicate: 2 * N, unmatched: 0, invalid: 0 });
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
