// SPDX-License-Identifier: AGPL-3.0-or-later
// Stopping: SIGTERM while letters are being created. frankd stops accepting, lets the writes
// in flight answer, stops its jobs (a render running finishes) and exits 0 within the
// harness's 8 s; every letter it answered with a 200 is still there after a restart and is
// rendered then — its render job was committed with it, nothing waits in memory.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req } from './lib/server.mjs';

const LOOPS = 6;
const LOAD_MS = 1500;

let srv;
after(async () => {
	await srv?.stop();
});

const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };

test('SIGTERM under load: a clean exit, and every acknowledged letter renders after the restart', async () => {
	srv = await startFrank();
	const acked = new Set();
	const refusedAfterStop = [];
	let stopping = false;

	async function loop(n) {
		for (let i = 0; !stopping; i++) {
			let r;
			try {
				r = await req(srv, 'POST', '/v1/letters', {
					json: { to, from, color: false, use_type: 'operational', file: `<html><body><p>Letter ${n}-${i}</p></body></html>` },
				});
			} catch {
				return; // connection refused once it stopped accepting
			}
			if (r.status === 200) acked.add(r.body.id);
			else if (!stopping) assert.fail(`create answered ${r.status}: ${r.text.slice(0, 200)}`);
			else refusedAfterStop.push(r.status);
		}
	}
	const loops = Array.from({ length: LOOPS }, (_, n) => loop(n));
	await sleep(LOAD_MS);
	assert.ok(acked.size > 0, 'letters were created under load');
	stopping = true;
	const started = Date.now();
	await srv.stop({ keepData: true }); // rejects on a non-zero exit or no exit within 8 s
	const stopMs = Date.now() - started;
	await Promise.all(loops);
	assert.ok(refusedAfterStop.every((s) => s === 200 || s < 500), `no 5xx while stopping: ${refusedAfterStop}`);

	await srv.restart();
	const pending = new Set(acked);
	const end = Date.now() + 90000;
	while (pending.size && Date.now() < end) {
		for (const id of [...pending]) {
			const r = await req(srv, 'GET', `/v1/letters/${id}`);
			assert.equal(r.status, 200, `${id} (acknowledged before the stop) is there after the restart`);
			if (r.body.status === 'rendered') pending.delete(id);
			else assert.equal(r.body.status, 'processed', `${id}: ${JSON.stringify(r.body.failure_reason)}`);
		}
		if (pending.size) await sleep(200);
	}
	assert.equal(pending.size, 0, `${pending.size} of ${acked.size} letters still not rendered 90 s after the restart`);
	console.log(`# ${acked.size} letters acknowledged; stop took ${stopMs} ms; all rendered after the restart`);
});
