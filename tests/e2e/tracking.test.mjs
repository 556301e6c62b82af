// Tracking events: USPS certified tracking records and IV-MTR-style records ingested through
// /v1/_frank/scans and `frank ingest-scans` (idempotently), the print side's `mailed`
// confirmation, and the opt-in test-mode journey on the test clock — each with its event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, runFrank } from './lib/server.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

let srv;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const letter = (extra = {}) => ({ to, from, file: '<p>Notice</p>', color: false, use_type: 'operational', ...extra });

// webhook deliveries received: {type, piece}
const hooks = [];
let receiver;
before(async () => {
	receiver = http.createServer((rq, rs) => {
		let raw = '';
		rq.on('data', (c) => (raw += c));
		rq.on('end', () => {
			const e = JSON.parse(raw);
			hooks.push({ type: e.event_type.id, piece: e.body.id });
			rs.writeHead(200).end();
		});
	});
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	srv = await startFrank({ env: { FRANK_CLOCK: '2026-03-02T15:00:00.000Z', FRANK_ASSET_URL: 'https://lob-assets.com', FRANK_ALLOW_PRIVATE_URLS: '1' } });
});
after(async () => {
	await srv?.stop();
	receiver?.close();
});

async function rendered(id, key = srv.keys.test_secret) {
	const end = Date.now() + 20000;
	while ((await req(srv, 'GET', `/v1/letters/${id}`, { key })).body.status !== 'rendered') {
		assert.ok(Date.now() < end, 'rendered in time');
		await sleep(50);
	}
}

test('certified scans become certified tracking events, in time order, once', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter({ extra_service: 'certified' }) })).body;
	const tn = l.tracking_number;
	const records = [
		{ tracking_number: tn, event_code: '07', event_time: '2026-03-05T09:00:00Z', zip: '94107' },
		{ tracking_number: tn, event_code: 'OA', event_time: '2026-03-03T10:00:00Z', zip: '94105' },
		{ tracking_number: tn, event_code: '01', event_time: '2026-03-06T14:30:00Z', zip: '94107' },
		{ tracking_number: '9207199999999999999999', event_code: '01', event_time: '2026-03-06T14:30:00Z' },
		{ tracking_number: tn, event_code: 'ZZ', event_time: 'yesterday' },
	];
	const r = await req(srv, 'POST', '/v1/_frank/scans', { key: srv.keys.live_secret, json: { records } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual([r.body.applied, r.body.duplicate, r.body.unmatched, r.body.invalid], [3, 0, 1, 1]);
	const again = await req(srv, 'POST', '/v1/_frank/scans', { key: srv.keys.live_secret, json: { records } });
	assert.deepEqual([again.body.applied, again.body.duplicate], [0, 3], 're-ingesting is idempotent');
	const got = await req(srv, 'GET', `/v1/letters/${l.id}`, { key: srv.keys.live_secret });
	assertResponseMatchesSpec('GET', `/v1/letters/${l.id}`, 200, got.body);
	assert.deepEqual(got.body.tracking_events.map((e) => e.name), ['Mailed', 'In Local Area', 'Delivered']);
	const delivered = got.body.tracking_events[2];
	assert.equal(delivered.type, 'certified');
	assert.equal(delivered.details.event, 'delivered');
	assert.equal(delivered.location, '94107');
	assert.match(delivered.id, /^evnt_/);
	const events = await req(srv, 'GET', '/v1/events?event_type=letter.certified.delivered', { key: srv.keys.live_secret });
	assert.equal(events.body.data.filter((e) => e.body.id === l.id).length, 1);
	const other = await req(srv, 'POST', '/v1/_frank/scans', { key: srv.keys.test_secret, json: { records } });
	assert.equal(other.body.unmatched, 4, "another mode's key cannot touch these pieces");
});

test('frank ingest-scans reads pipe-delimited IV-MTR-style files (for every account)', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter({ extra_service: 'certified' }) })).body;
	const dir = await mkdtemp(join(tmpdir(), 'frank-scans-'));
	try {
		const file = join(dir, 'scans.txt');
		await writeFile(file, `tracking_number|event_code|event_time|zip\n${l.tracking_number}|OA|2026-03-03 08:00:00|94105\n${l.tracking_number}|10|2026-03-03 20:00:00|94128\n`);
		const r = await runFrank(['ingest-scans', '--data', srv.dataDir, file]);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)), { applied: 2, duplicate: 0, unmatched: 0, invalid: 0 });
		const again = await runFrank(['ingest-scans', '--data', srv.dataDir, file]);
		assert.equal(JSON.parse(again.stdout.trim().split('\n').at(-1)).duplicate, 2);
		const got = await req(srv, 'GET', `/v1/letters/${l.id}`, { key: srv.keys.live_secret });
		assert.deepEqual(got.body.tracking_events.map((e) => e.name), ['Mailed', 'In Transit']);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});

test('the print side confirms mailed', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter() })).body;
	const r = await req(srv, 'POST', `/v1/_frank/pieces/${l.id}/mailed`, { key: srv.keys.live_secret, json: {} });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.tracking_events[0].name, 'Mailed');
	assert.equal(r.body.tracking_events[0].type, 'normal');
	const events = await req(srv, 'GET', '/v1/events?event_type=letter.mailed', { key: srv.keys.live_secret });
	assert.ok(events.body.data.some((e) => e.body.id === l.id));
});

test('a certified letter\'s confirmation is a certified event; stages never move back', async () => {
	const key = srv.keys.live_secret;
	const l = (await req(srv, 'POST', '/v1/letters', { key, json: letter({ extra_service: 'certified' }) })).body;
	const r = await req(srv, 'POST', `/v1/_frank/pieces/${l.id}/mailed`, { key, json: { time: '2026-03-02T22:00:00Z' } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.tracking_events[0].type, 'certified');
	assert.equal(r.body.tracking_events[0].details.event, 'package_accepted');
	const events = await req(srv, 'GET', '/v1/events?event_type=letter.certified.mailed', { key });
	assert.ok(events.body.data.some((e) => e.body.id === l.id), 'letter.certified.mailed');
	const tn = l.tracking_number;
	const records = [
		{ tracking_number: tn, event_code: '07', event_time: '2026-03-05T09:00:00Z', zip: '94107' },
		{ tracking_number: tn, event_code: '10', event_time: '2026-03-05T12:00:00Z', zip: '94128' },
		{ tracking_number: tn, event_code: '11', event_time: '2026-03-06T12:00:00Z', zip: '94107' },
		{ tracking_number: tn, event_code: '44', event_time: '2026-03-06T13:00:00Z', zip: '94107' },
	];
	const s = await req(srv, 'POST', '/v1/_frank/scans', { key, json: { records } });
	assert.deepEqual([s.body.applied, s.body.duplicate, s.body.invalid], [3, 1, 0], 'an origin scan after the destination one adds nothing');
	const got = await req(srv, 'GET', `/v1/letters/${l.id}`, { key });
	assertResponseMatchesSpec('GET', `/v1/letters/${l.id}`, 200, got.body);
	assert.deepEqual(got.body.tracking_events.map((e) => [e.name, e.details.event, e.details.action_required]), [
		['Mailed', 'package_accepted', false],
		['In Local Area', 'package_in_local_area', false],
		['Issue', 'package_undeliverable', true],
		['Issue', 'other', false],
	]);
	assert.equal(got.body.tracking_events[2].details.notes, 'Dead Letter', "USPS's text as notes");
});

test('test mode: a piece whose send date passes with the simulation off gets no journey', async () => {
	await req(srv, 'POST', '/v1/_frank/settings', { json: { tracking_simulation: { enabled: false } } });
	const l = (await req(srv, 'POST', '/v1/letters', { json: letter() })).body;
	await rendered(l.id);
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 301 } });	// past its send date
	await sleep(800);	// the simulation thread looks every 250 ms
	await req(srv, 'POST', '/v1/_frank/settings', { json: { tracking_simulation: { enabled: true, speed: 100000 } } });
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 3600 } });
	await sleep(800);
	const got = (await req(srv, 'GET', `/v1/letters/${l.id}`)).body;
	assert.deepEqual(got.tracking_events, [], 'Lob gives test pieces no tracking unless the journey was on');
});

test('test mode: simulated events reach test-mode webhooks, each once, for a normal letter', async () => {
	const types = ['letter.mailed', 'letter.in_transit', 'letter.in_local_area', 'letter.processed_for_delivery', 'letter.delivered'];
	const hook = await req(srv, 'POST', '/v1/webhooks', { json: { url: `http://127.0.0.1:${receiver.address().port}/h`, event_types: types } });
	assert.equal(hook.status, 200, hook.text);
	await req(srv, 'POST', '/v1/_frank/settings', { json: { tracking_simulation: { enabled: true, speed: 100000 } } });
	const l = (await req(srv, 'POST', '/v1/letters', { json: letter() })).body;
	await rendered(l.id);
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 301 } });
	const end = Date.now() + 15000;
	while (hooks.filter((h) => h.piece === l.id).length < types.length) {
		assert.ok(Date.now() < end, `webhooks: ${JSON.stringify(hooks.filter((h) => h.piece === l.id))}`);
		await sleep(100);
	}
	await sleep(500);
	assert.deepEqual(hooks.filter((h) => h.piece === l.id).map((h) => h.type).sort(), [...types].sort());
	const got = (await req(srv, 'GET', `/v1/letters/${l.id}`)).body;
	assertResponseMatchesSpec('GET', `/v1/letters/${l.id}`, 200, got);
	assert.ok(got.tracking_events.every((e) => e.type === 'normal' && e.details === null));
	assert.equal(got.tracking_events[0].location, null, 'Mailed has no location');
	assert.equal(got.tracking_events.at(-1).location, '94107', "Delivered in the recipient's ZIP");
	await req(srv, 'DELETE', `/v1/webhooks/${hook.body.id}`);
});

test('test mode: an opt-in simulated journey walks a rendered letter to Delivered on the test clock', async () => {
	await req(srv, 'POST', '/v1/_frank/settings', { json: { tracking_simulation: { enabled: true, speed: 100000 } } });
	const l = (await req(srv, 'POST', '/v1/letters', { json: letter({ extra_service: 'certified' }) })).body;
	const end = Date.now() + 15000;
	while ((await req(srv, 'GET', `/v1/letters/${l.id}`)).body.status !== 'rendered') {
		assert.ok(Date.now() < end, 'rendered in time');
		await sleep(50);
	}
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 301 } });	// past the send date
	let got;
	while (!(got = (await req(srv, 'GET', `/v1/letters/${l.id}`)).body).tracking_events.some((e) => e.name === 'Delivered')) {
		assert.ok(Date.now() < end, 'the journey completes');
		await sleep(100);
	}
	assert.deepEqual(got.tracking_events.map((e) => e.name), ['Mailed', 'In Transit', 'In Local Area', 'Processed for Delivery', 'Delivered']);
	assert.ok(got.tracking_events.every((e) => e.type === 'certified' && e.details.event));
	const times = got.tracking_events.map((e) => e.time);
	assert.deepEqual([...times].sort(), times, 'in time order');
	const events = await req(srv, 'GET', '/v1/events?limit=50');
	const mine = events.body.data.filter((e) => e.body.id === l.id).map((e) => e.event_type.id);
	for (const t of ['letter.certified.mailed', 'letter.certified.in_transit', 'letter.certified.delivered']) assert.ok(mine.includes(t), t);
});
