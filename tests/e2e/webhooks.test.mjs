// SPDX-License-Identifier: AGPL-3.0-or-later
// Webhooks (a Frank extension with Lob's semantics): CRUD with URL and SSRF checks, signed
// deliveries verified by an independent implementation of Lob's scheme, retries of a receiver
// that is down (each event arrives once by id), frankd killed mid-retry loses nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, takeoverMs } from './lib/server.mjs';

let srv, receiver, port;
const got = [];		// {id, type, verified}
let failFirst = 0;	// answer 503 to this many requests first

function verify(secret, headers, raw) {
	const ts = headers['lob-signature-timestamp'];
	const want = createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex');
	return ts && headers['lob-signature'] === want;
}

let secret = null;
before(async () => {
	receiver = http.createServer((rq, rs) => {
		let raw = '';
		rq.on('data', (c) => (raw += c));
		rq.on('end', () => {
			if (failFirst > 0) {
				failFirst--;
				rs.writeHead(503).end();
				return;
			}
			const body = JSON.parse(raw);
			got.push({ id: body.id, type: body.event_type.id, verified: verify(secret, rq.headers, raw) });
			rs.writeHead(200).end('ok');
		});
	});
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	port = receiver.address().port;
	srv = await startFrank({ env: { FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_WEBHOOK_RETRY_BASE_MS: '200' } });
});
after(async () => {
	await srv?.stop();
	receiver?.close();
});

const address = (n) => ({ name: `Harry ${n}`, address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' });

async function waitFor(pred, ms = 15000) {
	const end = Date.now() + ms;
	while (!pred()) {
		if (Date.now() > end) assert.fail('timed out');
		await sleep(50);
	}
}

test('CRUD: the secret is shown once, URLs and event types are checked', async () => {
	const c = await req(srv, 'POST', '/v1/webhooks', { json: { url: `http://127.0.0.1:${port}/hook`, event_types: ['address.created', 'letter.rendered_pdf'], description: 'ops' } });
	assert.equal(c.status, 200, c.text);
	assert.match(c.body.id, /^whk_[0-9a-f]{16}$/);
	assert.match(c.body.secret, /^whsec_[0-9a-f]{48}$/);
	assert.equal(c.body.enabled, true);
	assert.equal(c.body.mode, 'test');
	secret = c.body.secret;
	const g = await req(srv, 'GET', `/v1/webhooks/${c.body.id}`);
	assert.equal(g.body.secret, `whsec_…${secret.slice(-4)}`);
	for (const [body, msg] of [
		[{ url: 'ftp://x.example/h', event_types: ['address.created'] }, /URL must start with http/],
		[{ url: `http://127.0.0.1:${port}/h`, event_types: ['letter.exploded'] }, 'event_types[0] letter.exploded is not a Lob event type'],
		[{ url: `http://127.0.0.1:${port}/h`, event_types: [] }, 'event_types must contain at least 1 items'],
		[{ event_types: ['address.created'] }, 'url is required'],
	]) {
		const r = await req(srv, 'POST', '/v1/webhooks', { json: body });
		assert.equal(r.status, 422, JSON.stringify(body));
		if (typeof msg === 'string') assert.equal(r.body.error.message, msg);
		else assert.match(r.body.error.message, msg);
	}
	const live = await req(srv, 'GET', `/v1/webhooks/${c.body.id}`, { key: srv.keys.live_secret });
	assert.equal(live.status, 404, 'modes never see each other');
});

test('SSRF: without FRANK_ALLOW_PRIVATE_URLS, private and metadata targets are refused', async () => {
	const strict = await startFrank();
	try {
		for (const url of ['http://127.0.0.1:9/h', 'http://169.254.169.254/latest', 'http://10.0.0.1/h', 'http://localhost/h']) {
			const r = await req(strict, 'POST', '/v1/webhooks', { json: { url, event_types: ['address.created'] } });
			assert.equal(r.status, 422, url);
			assert.match(r.body.error.message, /private|loopback|resolve/, url);
		}
	} finally {
		await strict.stop();
	}
});

test('deliveries are signed as Lob signs, and a receiver that is down gets each event once', async () => {
	failFirst = 3;
	const before = got.length;
	const ids = [];
	for (let i = 0; i < 3; i++) ids.push((await req(srv, 'POST', '/v1/addresses', { json: address(i) })).body.id);
	await waitFor(() => got.length >= before + 3);
	await sleep(500);
	const mine = got.slice(before);
	assert.equal(mine.length, 3, 'no duplicates after retries');
	assert.ok(mine.every((d) => d.verified), 'every Lob-Signature verifies');
	assert.equal(new Set(mine.map((d) => d.id)).size, 3);
	const hooks = await req(srv, 'GET', '/v1/webhooks');
	const hook = hooks.body.data[0];
	const dl = await req(srv, 'GET', `/v1/webhooks/${hook.id}/deliveries?limit=10`);
	assert.equal(dl.status, 200);
	const retried = dl.body.data.filter((d) => d.attempts.length > 1);
	assert.ok(retried.length >= 1, 'some deliveries needed more than one attempt');
	assert.ok(retried[0].attempts[0].status_code === 503 && retried[0].attempts.at(-1).status_code === 200);
	assert.ok(dl.body.data.every((d) => d.status === 'succeeded'));
	const again = await req(srv, 'POST', `/v1/webhooks/${hook.id}/deliveries/${dl.body.data[0].id}/retry`);
	assert.equal(again.status, 200);
	await waitFor(() => got.filter((d) => d.id === dl.body.data[0].event_id).length === 2);
});

test('frankd killed while deliveries wait for retries loses none', async () => {
	failFirst = 1000;	// down
	const before = got.length;
	const ids = [];
	for (let i = 0; i < 4; i++) ids.push((await req(srv, 'POST', '/v1/addresses', { json: address(`k${i}`) })).body.id);
	await sleep(700);	// some attempts fail and are scheduled again
	await srv.kill9();
	failFirst = 0;		// the receiver recovers while frankd is down
	await srv.restart();
	await waitFor(() => new Set(got.slice(before).map((d) => d.id)).size >= 4, 15000 + takeoverMs);
	const events = got.slice(before).filter((d) => d.type === 'address.created');
	assert.equal(new Set(events.map((d) => d.id)).size, 4);
});

test('an endpoint failing for 3 days is disabled, and a webhook.disabled event says so', async () => {
	const clocked = await startFrank({ env: { FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_WEBHOOK_RETRY_BASE_MS: '100', FRANK_CLOCK: '2026-03-02T15:00:00.000Z' } });
	try {
		const dead = http.createServer((rq, rs) => rs.writeHead(500).end());
		await new Promise((r) => dead.listen(0, '127.0.0.1', r));
		const hook = await req(clocked, 'POST', '/v1/webhooks', { json: { url: `http://127.0.0.1:${dead.address().port}/h`, event_types: ['address.created'] } });
		await req(clocked, 'POST', '/v1/addresses', { json: address('dead') });
		await sleep(500);	// some attempts fail
		await req(clocked, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 3 * 86400 + 60 } });
		const end = Date.now() + 15000;
		let h;
		while ((h = (await req(clocked, 'GET', `/v1/webhooks/${hook.body.id}`)).body).enabled) {
			assert.ok(Date.now() < end, 'disabled in time');
			await sleep(100);
		}
		assert.equal(h.disabled_reason, 'deliveries failed for 3 days');
		const ev = await req(clocked, 'GET', '/v1/events?event_type=webhook.disabled');
		assert.equal(ev.body.data.length, 1);
		assert.equal(ev.body.data[0].body.id, hook.body.id);
		const dl = await req(clocked, 'GET', `/v1/webhooks/${hook.body.id}/deliveries`);
		assert.equal(dl.body.data[0].status, 'failed');
		dead.close();
	} finally {
		await clocked.stop();
	}
});
