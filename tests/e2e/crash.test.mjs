// SPDX-License-Identifier: AGPL-3.0-or-later
// Durability: a 200 means committed. Under concurrent POST /v1/addresses load, frankd is
// killed with SIGKILL, restarted on the same data dir, and every address that was answered
// with a 200 must come back unchanged.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, basic } from './lib/server.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

const LOOPS = 16;
const LOAD_MS = 2000;
const MAX_PER_LOOP = 2000; // bound on requests, whatever the server's speed

let srv;
after(async () => {
	await srv?.stop();
});

test('kill -9 under write load loses no acknowledged address', async (t) => {
	srv = await startFrank();
	const auth = basic(srv.keys.test_secret);
	const base = srv.baseUrl;
	const acked = new Map(); // id → body as answered
	let failures = 0;
	const non200 = [];
	let killed = false;

	async function loop(n) {
		for (let i = 0; i < MAX_PER_LOOP && !killed; i++) {
			const payload = {
				name: `Crash ${n}-${i}`,
				address_line1: `${i + 1} Durable Way`,
				address_city: 'Oakland',
				address_state: 'CA',
				address_zip: '94607',
				metadata: { loop: String(n), i: String(i) },
			};
			let res;
			let text;
			try {
				res = await fetch(base + '/v1/addresses', {
					method: 'POST',
					headers: { Authorization: auth, 'Content-Type': 'application/json' },
					body: JSON.stringify(payload),
				});
				text = await res.text();
			} catch {
				failures++; // connection refused/reset around the kill
				if (killed) return;
				await sleep(5);
				continue;
			}
			if (res.status === 200) {
				const body = JSON.parse(text);
				acked.set(body.id, body);
			} else if (!killed) {
				non200.push(`${res.status} ${text.slice(0, 200)}`);
			}
		}
	}

	const loops = Array.from({ length: LOOPS }, (_, n) => loop(n));
	await sleep(LOAD_MS);
	const ackedBeforeKill = acked.size;
	await srv.kill9();
	killed = true;
	await Promise.all(loops);

	assert.ok(ackedBeforeKill > 0, `no address was created under load; answers: ${non200.slice(0, 3).join(' | ')}`);

	await srv.restart();
	const ids = [...acked.keys()];
	const missing = [];
	const changed = [];
	let next = 0;
	async function checker() {
		while (next < ids.length) {
			const id = ids[next++];
			const r = await fetch(`${srv.baseUrl}/v1/addresses/${id}`, { headers: { Authorization: auth } });
			const text = await r.text();
			if (r.status !== 200) {
				missing.push(`${id}: ${r.status} ${text.slice(0, 120)}`);
				continue;
			}
			const body = JSON.parse(text);
			assertResponseMatchesSpec('GET', `/v1/addresses/${id}`, 200, body);
			try {
				assert.deepEqual(body, acked.get(id));
			} catch {
				changed.push(`${id}: acked ${JSON.stringify(acked.get(id))} now ${text}`);
			}
		}
	}
	await Promise.all(Array.from({ length: 8 }, checker));
	t.diagnostic(`acknowledged ${ids.length} addresses (${ackedBeforeKill} before the kill), ` +
		`${non200.length} non-200 answers, ${failures} failed connections`);
	await t.test('every acknowledged address is back, unchanged', () => {
		assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of ${ids.length} acknowledged addresses lost after kill -9`);
		assert.deepEqual(changed.slice(0, 5), [], `${changed.length} addresses changed after kill -9`);
	});
	await t.test('no error answers under concurrent writes', () => {
		const kinds = {};
		for (const x of non200) kinds[x] = (kinds[x] || 0) + 1;
		assert.deepEqual(kinds, {}, `${non200.length} of ${non200.length + ids.length} POSTs failed under ${LOOPS} concurrent writers`);
	});

	// the store still works and counts at least what was acknowledged
	const l = await fetch(`${srv.baseUrl}/v1/addresses?limit=1&include[]=total_count`, { headers: { Authorization: auth } });
	assert.equal(l.status, 200);
	const lb = await l.json();
	assertResponseMatchesSpec('GET', '/v1/addresses', 200, lb);
	assert.ok(lb.total_count >= ids.length, `total_count ${lb.total_count} < ${ids.length} acknowledged`);
	const c = await fetch(`${srv.baseUrl}/v1/addresses`, {
		method: 'POST',
		headers: { Authorization: auth, 'Content-Type': 'application/json' },
		body: JSON.stringify({ name: 'After Crash', address_line1: '1 Main St', address_city: 'Oakland', address_state: 'CA', address_zip: '94607' }),
	});
	assert.equal(c.status, 200, await c.text());
});
