// SPDX-License-Identifier: AGPL-3.0-or-later
// Tracking events: USPS certified tracking records and IV-MTR-style records ingested by an
// operator through /v1/_frank/production/scans and `frank ingest-scans` (idempotently), the
// print side's `mailed` confirmation, and the opt-in test-mode journey on the test clock — each
// with its event. Evidence comes only from operators: customer keys cannot write it, and times
// in the future (beyond 5 minutes on frankd's clock) or before the piece existed are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, runFrank, lastJsonLine, storeSql } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';
import { webhookReceiver } from './lib/receiver.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

let srv;
let op;	// the mail room's operator: {operator_id, key}
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const letter = (extra = {}) => ({ to, from, file: '<p>Notice</p>', color: false, use_type: 'operational', ...extra });
const SCANS = '/v1/_frank/production/scans';
const mailed = (id) => `/v1/_frank/production/pieces/${id}/mailed`;
const MINUTE = 60e3;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString();
// frankd's (test) clock, and moving it on: evidence is checked against it
const clockNow = async () => Date.parse((await req(srv, 'GET', '/v1/_frank/clock')).body.now);
const advance = (ms) => req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: ms / 1000 } });

// webhook deliveries received: {type, piece}
const hooks = [];
let receiver;
before(async () => {
	receiver = await webhookReceiver(hooks);
	srv = await startFrank({ env: { FRANK_CLOCK: '2026-03-02T15:00:00.000Z', FRANK_ASSET_URL: 'https://lob-assets.com', FRANK_ALLOW_PRIVATE_URLS: '1' } });
	op = await createOperator(srv);
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
	const t0 = Date.parse(l.date_created);
	const records = [
		{ tracking_number: tn, event_code: '07', event_time: iso(t0 + 3 * DAY), zip: '94107' },
		{ tracking_number: tn, event_code: 'OA', event_time: iso(t0 + 1 * DAY), zip: '94105' },
		{ tracking_number: tn, event_code: '01', event_time: iso(t0 + 4 * DAY), zip: '94107' },
		{ tracking_number: '9207199999999999999999', event_code: '01', event_time: iso(t0 + 4 * DAY) },
		{ tracking_number: tn, event_code: 'ZZ', event_time: 'yesterday' },
	];
	await advance(5 * DAY);	// the scans have happened
	const r = await req(srv, 'POST', SCANS, { key: op.key, json: { records } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual([r.body.applied, r.body.duplicate, r.body.unmatched, r.body.invalid, r.body.rejected], [3, 0, 1, 1, 0]);
	assert.deepEqual(r.body.rejected_records, []);
	const again = await req(srv, 'POST', SCANS, { key: op.key, json: { records } });
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
});

test('customer keys cannot write tracking evidence; operator keys reach nothing else', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter({ extra_service: 'certified' }) })).body;
	const t = (await req(srv, 'POST', '/v1/letters', { json: letter() })).body;
	const records = [{ tracking_number: l.tracking_number, event_code: '01', event_time: iso(Date.parse(l.date_created) + MINUTE), zip: '94107' }];
	await advance(2 * MINUTE);
	const { test_secret, live_secret, test_publishable, live_publishable } = srv.keys;
	for (const [name, key] of Object.entries({ test_secret, live_secret, test_publishable, live_publishable })) {
		for (const [path, json] of [[SCANS, { records }], [mailed(l.id), {}], [mailed(t.id), {}]]) {
			const r = await req(srv, 'POST', path, { key, json });
			assert.equal(r.status, 403, `${name} on ${path}: ${r.text}`);
			assert.equal(r.body.error.status_code, 403);
			assert.match(r.body.error.message, /needs an operator key/, name);
		}
		// the customer-key endpoints of old are gone
		assert.equal((await req(srv, 'POST', '/v1/_frank/scans', { key, json: { records } })).status, 404, name);
		assert.equal((await req(srv, 'POST', `/v1/_frank/pieces/${l.id}/mailed`, { key, json: {} })).status, 404, name);
	}
	assert.deepEqual((await req(srv, 'GET', `/v1/letters/${l.id}`, { key: live_secret })).body.tracking_events, [], 'nothing was applied');
	assert.deepEqual((await req(srv, 'GET', `/v1/letters/${t.id}`)).body.tracking_events, []);
	const customerApi = await req(srv, 'GET', `/v1/letters/${l.id}`, { key: op.key });
	assert.equal(customerApi.status, 403, customerApi.text);
	assert.match(customerApi.body.error.message, /Operator keys work only on \/v1\/_frank\/production/);
	assert.equal((await req(srv, 'GET', '/api/v1/mailings', { key: op.key, auth: 'bearer' })).status, 401, 'nor the certified-mail API');
	// an operator key confirms any account's piece, in either mode
	const other = await anotherAccount();
	const o = (await req(srv, 'POST', '/v1/letters', { key: other.test_secret, json: letter() })).body;
	// only a rendered proof can have been printed and mailed
	await Promise.all([rendered(l.id, live_secret), rendered(t.id), rendered(o.id, other.test_secret)]);
	for (const id of [l.id, t.id, o.id]) assert.equal((await req(srv, 'POST', mailed(id), { key: op.key, json: {} })).status, 200, id);
	const more = await req(srv, 'POST', '/v1/_frank/production/keys', { key: op.key });
	assert.equal(more.status, 200, more.text);
	assert.match(more.body.key, /^frankop_[0-9a-f]{48}$/);
	assert.equal(more.body.operator_id, op.operator_id);
	assert.equal((await req(srv, 'POST', SCANS, { key: more.body.key, json: { records } })).body.applied, 1, 'a second operator key');
});

// a second account on the same server: its keys
async function anotherAccount() {
	const r = await runFrank(['accounts', 'create', '--data', srv.dataDir]);
	assert.equal(r.code, 0, r.stderr);
	return lastJsonLine(r.stdout, (j) => !!j.test_secret);
}

test('evidence timed in the future or before the piece existed is refused, naming the field', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter() })).body;
	await rendered(l.id, srv.keys.live_secret);
	const t0 = Date.parse(l.date_created);
	const now = await clockNow();
	for (const [time, why] of [
		[iso(now + 10 * MINUTE), /^time \S+ is in the future: more than 5 minutes after the server's clock/],
		[iso(Date.now() + DAY), /is in the future/],	// the real clock is months ahead of the test clock: the test clock counts
		[iso(t0 - MINUTE), /^time \S+ is before the piece existed \(date_created /],
		['2019-01-01T00:00:00Z', /before the piece existed/],
	]) {
		const r = await req(srv, 'POST', mailed(l.id), { key: op.key, json: { time } });
		assert.equal(r.status, 422, `${time}: ${r.text}`);
		assert.equal(r.body.error.code, 'invalid');
		assert.match(r.body.error.message, why);
	}
	assert.deepEqual((await req(srv, 'GET', `/v1/letters/${l.id}`, { key: srv.keys.live_secret })).body.tracking_events, [], 'nothing applied');
	const skewed = iso(now + 4 * MINUTE);	// a print site's clock a little fast is fine
	const ok = await req(srv, 'POST', mailed(l.id), { key: op.key, json: { time: skewed } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.body.tracking_events[0].time, skewed);

	const c = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter({ extra_service: 'certified' }) })).body;
	const c0 = Date.parse(c.date_created);
	await advance(HOUR);
	const tn = c.tracking_number;
	const r = await req(srv, 'POST', SCANS, { key: op.key, json: { records: [
		{ tracking_number: tn, event_code: 'OA', event_time: iso(c0 + 30 * MINUTE), zip: '94105' },
		{ tracking_number: tn, event_code: '01', event_time: iso(c0 + 2 * DAY), zip: '94107' },
		{ tracking_number: tn, event_code: '10', event_time: iso(c0 - DAY), zip: '94128' },
	] } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual([r.body.applied, r.body.rejected], [1, 2]);
	assert.deepEqual(r.body.rejected_records.map((x) => [x.index, x.field]), [[1, 'event_time'], [2, 'event_time']]);
	assert.match(r.body.rejected_records[0].message, /is in the future/);
	assert.match(r.body.rejected_records[1].message, /is before the piece existed/);
	const got = (await req(srv, 'GET', `/v1/letters/${c.id}`, { key: srv.keys.live_secret })).body;
	assert.deepEqual(got.tracking_events.map((e) => e.name), ['Mailed'], 'only the plausible scan');

	// the CLI applies the same rules, on its own clock
	const dir = await mkdtemp(join(tmpdir(), 'frank-scans-'));
	try {
		const file = join(dir, 'late.txt');
		const day = (ms) => iso(ms).replace('T', ' ').slice(0, 19);
		await writeFile(file, `tracking_number|event_code|event_time|zip\n${tn}|07|${day(c0 + 40 * MINUTE)}|94107\n${tn}|01|${day(c0 + 9 * DAY)}|94107\n`);
		const cli = await runFrank(['ingest-scans', '--data', srv.dataDir, file], { env: { FRANK_CLOCK: iso(await clockNow()) } });
		assert.equal(cli.code, 0, cli.stderr);
		assert.deepEqual(JSON.parse(cli.stdout.trim().split('\n').at(-1)), { applied: 1, duplicate: 0, unmatched: 0, invalid: 0, rejected: 1 });
		assert.match(cli.stderr, /record 2: event_time \S+ is in the future/);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});

test('frank ingest-scans reads pipe-delimited IV-MTR-style files (for every account)', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter({ extra_service: 'certified' }) })).body;
	const t0 = Date.parse(l.date_created);
	const day = (ms) => iso(ms).replace('T', ' ').slice(0, 19);
	await advance(DAY);
	const dir = await mkdtemp(join(tmpdir(), 'frank-scans-'));
	try {
		const file = join(dir, 'scans.txt');
		await writeFile(file, `tracking_number|event_code|event_time|zip\n${l.tracking_number}|OA|${day(t0 + HOUR)}|94105\n${l.tracking_number}|10|${day(t0 + 12 * HOUR)}|94128\n`);
		const env = { FRANK_CLOCK: iso(await clockNow()) };
		const r = await runFrank(['ingest-scans', '--data', srv.dataDir, file], { env });
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').at(-1)), { applied: 2, duplicate: 0, unmatched: 0, invalid: 0, rejected: 0 });
		const again = await runFrank(['ingest-scans', '--data', srv.dataDir, file], { env });
		assert.equal(JSON.parse(again.stdout.trim().split('\n').at(-1)).duplicate, 2);
		const got = await req(srv, 'GET', `/v1/letters/${l.id}`, { key: srv.keys.live_secret });
		assert.deepEqual(got.body.tracking_events.map((e) => e.name), ['Mailed', 'In Transit']);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});

test('the print side confirms mailed', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter() })).body;
	await rendered(l.id, srv.keys.live_secret);
	const r = await req(srv, 'POST', mailed(l.id), { key: op.key, json: {} });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.tracking_events[0].name, 'Mailed');
	assert.equal(r.body.tracking_events[0].type, 'normal');
	const events = await req(srv, 'GET', '/v1/events?event_type=letter.mailed', { key: srv.keys.live_secret });
	assert.ok(events.body.data.some((e) => e.body.id === l.id));
	const missing = await req(srv, 'POST', mailed('ltr_0000000000000000'), { key: op.key, json: {} });
	assert.equal(missing.status, 404, missing.text);
	assert.equal((await req(srv, 'POST', mailed('adr_0000000000000000'), { key: op.key, json: {} })).status, 404, 'not a mail piece');
	const bad = await req(srv, 'POST', mailed(l.id), { key: op.key, json: { time: 'tomorrow' } });
	assert.equal(bad.status, 422);
	assert.equal(bad.body.error.message, 'time must be an ISO 8601 date-time');
});

test('a certified letter\'s confirmation is a certified event; stages never move back', async () => {
	const key = srv.keys.live_secret;
	const l = (await req(srv, 'POST', '/v1/letters', { key, json: letter({ extra_service: 'certified' }) })).body;
	await rendered(l.id, key);
	const t0 = Date.parse(l.date_created);
	await advance(5 * DAY);
	const r = await req(srv, 'POST', mailed(l.id), { key: op.key, json: { time: iso(t0 + 7 * HOUR) } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.tracking_events[0].type, 'certified');
	assert.equal(r.body.tracking_events[0].details.event, 'package_accepted');
	const events = await req(srv, 'GET', '/v1/events?event_type=letter.certified.mailed', { key });
	assert.ok(events.body.data.some((e) => e.body.id === l.id), 'letter.certified.mailed');
	const tn = l.tracking_number;
	const records = [
		{ tracking_number: tn, event_code: '07', event_time: iso(t0 + 3 * DAY), zip: '94107' },
		{ tracking_number: tn, event_code: '10', event_time: iso(t0 + 3 * DAY + 3 * HOUR), zip: '94128' },
		{ tracking_number: tn, event_code: '11', event_time: iso(t0 + 4 * DAY), zip: '94107' },
		{ tracking_number: tn, event_code: '44', event_time: iso(t0 + 4 * DAY + HOUR), zip: '94107' },
	];
	const s = await req(srv, 'POST', SCANS, { key: op.key, json: { records } });
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

test('Informed Delivery data: each email event once on its live piece, as <kind>.informed_delivery.*', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { key: srv.keys.live_secret, json: letter() })).body;
	await rendered(l.id, srv.keys.live_secret);
	const t = (await req(srv, 'POST', '/v1/letters', { json: letter() })).body;
	await rendered(t.id);
	const imbOf = async (id) => (await storeSql(srv.dataDir, `SELECT code FROM tracking_codes WHERE object_id = '${id}' AND length(code) = 20`)).trim();
	const imb = await imbOf(l.id);
	assert.match(imb, /^\d{20}$/);
	const now = await clockNow();
	const at = iso(now);
	const records = [
		{ imb, informed_delivery: 'email_sent', event_time: at },
		{ imb, informed_delivery: 'email_opened', event_time: at },
		{ imb: `${imb}94107`, informed_delivery: 'email_clicked_through', event_time: at },	// a full IMb matches on its tracking code
		{ imb, informed_delivery: 'email_sent', event_time: at },	// the same record again
		{ imb: await imbOf(t.id), informed_delivery: 'email_sent', event_time: at },	// a test piece is never mailed
		{ imb, informed_delivery: 'email_sent', event_time: iso(now + DAY) },
		{ imb, informed_delivery: 'email_bounced', event_time: at },
		{ imb: '00270999999999999999', informed_delivery: 'email_sent', event_time: at },
	];
	const r = await req(srv, 'POST', SCANS, { key: op.key, json: { records } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual([r.body.applied, r.body.duplicate, r.body.rejected, r.body.invalid, r.body.unmatched], [3, 1, 2, 1, 1], r.text);
	assert.deepEqual(r.body.rejected_records.map((x) => x.index), [4, 5]);
	assert.match(r.body.rejected_records[0].message, /test-mode piece is never mailed/);
	for (const what of ['email_sent', 'email_opened', 'email_clicked_through']) {
		const ev = await req(srv, 'GET', `/v1/events?event_type=letter.informed_delivery.${what}`, { key: srv.keys.live_secret });
		assert.equal(ev.status, 200, ev.text);
		const mine = ev.body.data.filter((e) => e.reference_id === l.id);
		assert.equal(mine.length, 1, `${what}: ${ev.text}`);
		assert.equal(mine[0].body.id, l.id);
	}
	/* given again (an operator re-sends the day's file): nothing new */
	const again = await req(srv, 'POST', SCANS, { key: op.key, json: { records: records.slice(0, 3) } });
	assert.deepEqual([again.body.applied, again.body.duplicate], [0, 3], again.text);
	/* customers cannot */
	const refused = await req(srv, 'POST', SCANS, { key: srv.keys.live_secret, json: { records } });
	assert.ok(refused.status === 401 || refused.status === 403 || refused.status === 404, refused.text);
});
