// SPDX-License-Identifier: AGPL-3.0-or-later
// The mailed state machine: the print side's confirmation (POST
// /v1/_frank/production/pieces/{id}/mailed, an operator key) takes only a rendered piece — a
// failed, canceled or still-rendering one is refused with Lob's error JSON naming the piece and
// its state — and is idempotent; it writes `<kind>.mailed` with the Mailed tracking event in test
// mode as in live mode, webhooks included; and a piece in the mail can no longer be canceled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';
import { webhookReceiver } from './lib/receiver.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';
import { tinyPdf } from './lib/pdf.mjs';

let srv;
let op;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const letter = (extra = {}) => ({ to, from, file: '<p>Notice</p>', color: false, use_type: 'operational', ...extra });
const mailed = (id) => `/v1/_frank/production/pieces/${id}/mailed`;
const DAY = 24 * 3600e3;

// a local server: webhook deliveries ({type, piece}), a letter file held back until released,
// and one of the wrong size
const hooks = [];
let release;
const held = new Promise((r) => (release = r));
let server;
before(async () => {
	const pdf = (bytes) => (rq, rs) => rs.writeHead(200, { 'content-type': 'application/pdf' }).end(bytes);
	server = await webhookReceiver(hooks, {
		'/slow.pdf': (rq, rs) => held.then(() => pdf(tinyPdf('Slow'))(rq, rs)),
		// A4: not a letter size, so its render fails
		'/a4.pdf': pdf(Buffer.from(tinyPdf().toString('latin1').replace('/MediaBox [0 0 612 792]', '/MediaBox [0 0 595 842]'), 'latin1')),
	});
	srv = await startFrank({ env: { FRANK_CLOCK: '2026-03-02T15:00:00.000Z', FRANK_ASSET_URL: 'https://lob-assets.com', FRANK_ALLOW_PRIVATE_URLS: '1' } });
	op = await createOperator(srv);
});
after(async () => {
	release();
	await srv?.stop();
	server?.close();
});

async function settled(id, key = srv.keys.test_secret, ms = 20000) {
	const end = Date.now() + ms;
	for (;;) {
		const r = await req(srv, 'GET', `/v1/letters/${id}`, { key });
		if (r.body.status !== 'processed') return r.body;
		assert.ok(Date.now() < end, `${id} still processed`);
		await sleep(50);
	}
}

const eventsOf = async (id, key = srv.keys.test_secret) =>
	(await req(srv, 'GET', '/v1/events?limit=100', { key })).body.data.filter((e) => e.body.id === id).map((e) => e.event_type.id);

test('a failed letter cannot be mailed', async () => {
	const file = `http://127.0.0.1:${server.address().port}/a4.pdf`;
	const created = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter({ file }) })).body;
	const failed = await settled(created.id, srv.keys.live_secret);
	assert.equal(failed.status, 'failed');
	assert.equal(failed.failure_reason.failure_reason, 'invalid_file_dimensions');
	const r = await req(srv, 'POST', mailed(created.id), { key: op.key, json: {} });
	assert.equal(r.status, 422, r.text);
	assert.equal(r.body.error.code, 'invalid');
	assert.equal(r.body.error.status_code, 422);
	assert.equal(r.body.error.message, `letter ${created.id} cannot be mailed: its status is failed (its proof could not be rendered)`);
	const got = (await req(srv, 'GET', `/v1/letters/${created.id}`, { key: srv.keys.live_secret })).body;
	assert.deepEqual(got.tracking_events, []);
	assert.ok(!(await eventsOf(created.id, srv.keys.live_secret)).includes('letter.mailed'));
});

test('a canceled letter, or one still rendering, cannot be mailed', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { json: letter({ send_date: new Date(Date.parse('2026-03-02T15:00:00Z') + 3 * DAY).toISOString() }) })).body;
	const del = await req(srv, 'DELETE', `/v1/letters/${l.id}`);
	assert.equal(del.status, 200, del.text);
	const r = await req(srv, 'POST', mailed(l.id), { key: op.key, json: {} });
	assert.equal(r.status, 422, r.text);
	assert.equal(r.body.error.message, `letter ${l.id} cannot be mailed: it was canceled`);

	// its file is still being fetched: no proof, nothing printed
	const slow = (await req(srv, 'POST', '/v1/letters', { json: letter({ file: `http://127.0.0.1:${server.address().port}/slow.pdf` }) })).body;
	const early = await req(srv, 'POST', mailed(slow.id), { key: op.key, json: {} });
	assert.equal(early.status, 422, early.text);
	assert.equal(early.body.error.message, `letter ${slow.id} cannot be mailed yet: its status is processed (its proof is not rendered)`);
	release();
	assert.equal((await settled(slow.id)).status, 'rendered');
	const now = await req(srv, 'POST', mailed(slow.id), { key: op.key, json: {} });
	assert.equal(now.status, 200, now.text);
	assert.equal(now.body.tracking_events[0].name, 'Mailed');
});

test('test mode: mailed writes letter.mailed, listed and delivered to a webhook, once', async () => {
	const hook = await req(srv, 'POST', '/v1/webhooks', { json: { url: `http://127.0.0.1:${server.address().port}/h`, event_types: ['letter.mailed', 'postcard.mailed'] } });
	assert.equal(hook.status, 200, hook.text);
	const l = (await req(srv, 'POST', '/v1/letters', { json: letter() })).body;
	assert.equal((await settled(l.id)).status, 'rendered');
	const first = await req(srv, 'POST', mailed(l.id), { key: op.key, json: {} });
	assert.equal(first.status, 200, first.text);
	assertResponseMatchesSpec('GET', `/v1/letters/${l.id}`, 200, first.body);
	const again = await req(srv, 'POST', mailed(l.id), { key: op.key, json: { time: new Date(Date.parse('2026-03-02T15:00:00Z') + 60e3).toISOString() } });
	assert.equal(again.status, 200, 'confirming twice is harmless');
	assert.deepEqual(again.body.tracking_events.map((e) => e.name), ['Mailed'], 'one Mailed event');
	const listed = await req(srv, 'GET', '/v1/events?event_type=letter.mailed');
	const mine = listed.body.data.filter((e) => e.body.id === l.id);
	assert.equal(mine.length, 1, 'one letter.mailed event');
	assert.equal(mine[0].event_type.id, 'letter.mailed');
	assert.equal(mine[0].reference_id, l.id);
	assert.equal(mine[0].body.tracking_events[0].name, 'Mailed', 'the event carries the piece as mailed');
	const end = Date.now() + 15000;
	while (!hooks.some((h) => h.piece === l.id)) {
		assert.ok(Date.now() < end, 'the webhook was delivered');
		await sleep(100);
	}
	await sleep(500);
	assert.deepEqual(hooks.filter((h) => h.piece === l.id).map((h) => h.type), ['letter.mailed']);

	// a postcard: postcard.mailed
	const p = (await req(srv, 'POST', '/v1/postcards', { json: { to, from, front: '<p>Front</p>', back: '<p>Back</p>', use_type: 'marketing' } })).body;
	const pend = Date.now() + 20000;
	while ((await req(srv, 'GET', `/v1/postcards/${p.id}`)).body.status !== 'rendered') {
		assert.ok(Date.now() < pend, 'postcard rendered');
		await sleep(50);
	}
	assert.equal((await req(srv, 'POST', mailed(p.id), { key: op.key, json: {} })).status, 200);
	assert.deepEqual(await eventsOf(p.id).then((t) => t.filter((x) => x.endsWith('.mailed'))), ['postcard.mailed']);
	await req(srv, 'DELETE', `/v1/webhooks/${hook.body.id}`);
});

test('a mailed letter cannot be canceled, whatever its send date', async () => {
	const key = srv.keys.live_secret;
	const l = (await req(srv, 'POST', '/v1/letters', { key, json: letter({ send_date: new Date(Date.parse('2026-03-02T15:00:00Z') + 10 * DAY).toISOString() }) })).body;
	assert.equal((await settled(l.id, key)).status, 'rendered');
	assert.equal((await req(srv, 'POST', mailed(l.id), { key: op.key, json: {} })).status, 200);
	const del = await req(srv, 'DELETE', `/v1/letters/${l.id}`, { key });
	assert.equal(del.status, 422, del.text);
	assert.equal(del.body.error.code, 'not_deletable');
	assert.match(del.body.error.message, /^This letter can no longer be canceled: it is in the mail \(Mailed \d{4}-\d\d-\d\dT/);
	const got = await req(srv, 'GET', `/v1/letters/${l.id}`, { key });
	assert.equal(got.status, 200, 'still there');
	assert.equal(got.body.deleted, undefined);
	assert.ok(!(await eventsOf(l.id, key)).includes('letter.deleted'));
	assert.deepEqual((await eventsOf(l.id, key)).filter((t) => t === 'letter.mailed'), ['letter.mailed'], 'live mode too');
});

test('test mode: a confirmed letter\'s simulated journey does not mail it twice', async () => {
	await req(srv, 'POST', '/v1/_frank/settings', { json: { tracking_simulation: { enabled: true, speed: 100000 } } });
	const l = (await req(srv, 'POST', '/v1/letters', { json: letter() })).body;
	assert.equal((await settled(l.id)).status, 'rendered');
	assert.equal((await req(srv, 'POST', mailed(l.id), { key: op.key, json: {} })).status, 200);
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 301 } });	// past the send date
	const end = Date.now() + 15000;
	let got;
	while (!(got = (await req(srv, 'GET', `/v1/letters/${l.id}`)).body).tracking_events.some((e) => e.name === 'Delivered')) {
		assert.ok(Date.now() < end, 'the journey completes');
		await sleep(100);
	}
	assert.deepEqual(got.tracking_events.map((e) => e.name), ['Mailed', 'In Transit', 'In Local Area', 'Processed for Delivery', 'Delivered']);
	assert.deepEqual((await eventsOf(l.id)).filter((t) => t === 'letter.mailed'), ['letter.mailed']);
	await req(srv, 'POST', '/v1/_frank/settings', { json: { tracking_simulation: { enabled: false } } });
});
