// SPDX-License-Identifier: AGPL-3.0-or-later
// Webhook senders are shared fairly: one customer's endpoint that answers only after 10 s
// holds at most --webhook-per-endpoint (2) of the --webhook-senders (4) threads, so the
// deliveries to every other endpoint — the same customer's other webhook, another customer's —
// go out at once instead of queueing behind it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, runFrank, lastJsonLine } from './lib/server.mjs';

const SLOW_MS = 10000;
let srv, slow, fast;
const slowState = { inFlight: 0, maxInFlight: 0, arrived: 0, sockets: new Set() };
const fastGot = [];	// {path, id, at}

function listen(server) {
	return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server.address().port)));
}

before(async () => {
	slow = http.createServer((rq, rs) => {
		slowState.arrived++;
		slowState.inFlight++;
		slowState.maxInFlight = Math.max(slowState.maxInFlight, slowState.inFlight);
		rq.resume();
		const t = setTimeout(() => rs.writeHead(200).end('ok'), SLOW_MS);
		rs.on('close', () => {
			clearTimeout(t);
			slowState.inFlight--;
		});
	});
	slow.on('connection', (s) => {
		slowState.sockets.add(s);
		s.on('close', () => slowState.sockets.delete(s));
	});
	fast = http.createServer((rq, rs) => {
		let raw = '';
		rq.on('data', (c) => (raw += c));
		rq.on('end', () => {
			fastGot.push({ path: rq.url, id: JSON.parse(raw).id, at: Date.now() });
			rs.writeHead(200).end('ok');
		});
	});
	srv = await startFrank({ env: { FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_WEBHOOK_SENDERS: '4', FRANK_WEBHOOK_PER_ENDPOINT: '2' } });
});

after(async () => {
	// the slow endpoint's connections end, so frankd's senders finish and it stops at once
	for (const s of slowState.sockets) s.destroy();
	await srv?.stop();
	slow?.close();
	fast?.close();
});

const address = (n) => ({ name: `Harry ${n}`, address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' });

async function hook(key, url) {
	const r = await req(srv, 'POST', '/v1/webhooks', { key, json: { url, event_types: ['address.created'] } });
	assert.equal(r.status, 200, r.text);
	return r.body.id;
}

test('an endpoint answering after 10 s does not delay deliveries to other endpoints', async (t) => {
	const slowPort = await listen(slow);
	const fastPort = await listen(fast);
	const other = lastJsonLine((await runFrank(['accounts', 'create', '--data', srv.dataDir])).stdout, (x) => !!x.test_secret);
	assert.ok(other, 'a second customer');
	await hook(srv.keys.test_secret, `http://127.0.0.1:${slowPort}/slow`);
	await hook(srv.keys.test_secret, `http://127.0.0.1:${fastPort}/same-customer`);
	await hook(other.test_secret, `http://127.0.0.1:${fastPort}/other-customer`);

	// the slow endpoint's deliveries come first: 8 events of the first customer, then 8 of the other
	const t0 = Date.now();
	for (let i = 0; i < 8; i++) assert.equal((await req(srv, 'POST', '/v1/addresses', { json: address(`a${i}`) })).status, 200);
	for (let i = 0; i < 8; i++) assert.equal((await req(srv, 'POST', '/v1/addresses', { key: other.test_secret, json: address(`b${i}`) })).status, 200);
	const end = Date.now() + 5000;
	while (fastGot.length < 16 && Date.now() < end) await sleep(20);
	const last = Math.max(...fastGot.map((g) => g.at)) - t0;
	t.diagnostic(`16 creates took ${Date.now() - t0} ms; the last delivery elsewhere arrived at ${last} ms`);
	assert.equal(fastGot.filter((g) => g.path === '/same-customer').length, 8, 'the same customer\'s other webhook got its 8 deliveries');
	assert.equal(fastGot.filter((g) => g.path === '/other-customer').length, 8, 'the other customer got its 8 deliveries');
	assert.ok(last < 3000, `all 16 arrived ${last} ms after the first create, while the slow endpoint still holds its first ones (it answers after ${SLOW_MS} ms)`);
	assert.ok(slowState.maxInFlight >= 1 && slowState.maxInFlight <= 2, `the slow endpoint holds at most two senders (${slowState.maxInFlight})`);
	assert.equal(slowState.arrived, slowState.maxInFlight, 'its other deliveries wait behind those');

	// more events while it is still slow: still delivered elsewhere at once
	const t1 = Date.now();
	await req(srv, 'POST', '/v1/addresses', { key: other.test_secret, json: address('c') });
	while (fastGot.length < 17 && Date.now() < t1 + 3000) await sleep(10);
	assert.equal(fastGot.length, 17);
	assert.ok(fastGot[16].at - t1 < 1000, `a later event reaches the other customer in ${fastGot[16].at - t1} ms`);
	assert.ok(Date.now() - t0 < SLOW_MS, 'all of this before the slow endpoint answered once');
});
