// SPDX-License-Identifier: AGPL-3.0-or-later
// Letters through the official SDK (LettersApi) and raw HTTP: every create variant, Lob's
// errors for each rule, certified tracking numbers, cancellation inside and outside the
// window (on the test clock), scheduled pieces, list filters, idempotent replays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LettersApi, LetterEditable, AddressesApi, TemplatesApi, TemplateWritable } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { sdkApi, sdkFails } from './lib/sdk.mjs';
import { tinyPdf } from './lib/pdf.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

let srv, letters;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_line2: 'Ste 6100', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const html = '<html><body><p>Dear {{name}}, your order {{order.id}} shipped.</p></body></html>';
const letter = (extra = {}) => ({ to, from, file: html, color: false, use_type: 'operational', merge_variables: { name: 'Harry', order: { id: 'A-1' } }, ...extra });

before(async () => {
	srv = await startFrank({ env: { FRANK_CLOCK: '2026-03-02T15:00:00.000Z', FRANK_ASSET_URL: 'https://lob-assets.com' } });
	letters = sdkApi(LettersApi, srv.baseUrl, srv.keys.test_secret);
});
after(async () => {
	await srv?.stop();
});

async function raw(method, path, opts) {
	const r = await req(srv, method, path, opts);
	assertResponseMatchesSpec(method, path, r.status, r.body);
	return r;
}

test('create with inline addresses: processed, addresses created, Lob fields and defaults', async () => {
	const l = await letters.create(new LetterEditable(letter({ description: 'Order shipped', metadata: { order: 'A-1' } })));
	const raw = letters.seen.at(-1).data;
	assert.match(l.id, /^ltr_[0-9a-f]{16}$/);
	assert.equal(raw.status, 'processed');
	assert.equal(raw.object, 'letter');
	assert.match(raw.to.id, /^adr_/);
	assert.equal(raw.to.address_line1, '210 KING ST');
	assert.match(raw.from.id, /^adr_/);
	assert.equal(raw.double_sided, true);
	assert.equal(raw.address_placement, 'top_first_page');
	assert.equal(raw.mail_type, 'usps_first_class');
	assert.equal(raw.carrier, 'USPS');
	assert.equal(raw.extra_service, null);
	assert.deepEqual(raw.merge_variables, { name: 'Harry', order: { id: 'A-1' } });
	// the test clock runs from frankd's start, so the window is checked against date_created
	assert.equal(Date.parse(raw.send_date) - Date.parse(raw.date_created), 5 * 60 * 1000,
		'5-minute default cancellation window');
	assert.match(raw.send_date, /^2026-03-02T15:0[5-9]:/);
	assert.equal(raw.expected_delivery_date, '2026-03-09');
	const adr = await req(srv, 'GET', `/v1/addresses/${raw.to.id}`);
	assert.equal(adr.status, 200, 'the inline address is stored');
	const got = await letters.get(l.id);
	assert.equal(got.id, l.id);
});

test('to/from by address id, and template content', async () => {
	const addresses = sdkApi(AddressesApi, srv.baseUrl, srv.keys.test_secret);
	const a = await addresses.create(to);
	const t = await sdkApi(TemplatesApi, srv.baseUrl, srv.keys.test_secret).create(new TemplateWritable({ html: '<p>Hello {{name}}</p>', engine: 'handlebars' }));
	const l = await letters.create(new LetterEditable(letter({ to: a.id, file: t.id })));
	const raw = letters.seen.at(-1).data;
	assert.equal(raw.to.id, a.id);
	assert.equal(raw.template_id, t.id);
	assert.equal(raw.template_version_id, t.published_version.id);
	const missing = await raw_create({ to: 'adr_0000000000000000' });
	assert.equal(missing.status, 404);
	const noTemplate = await raw_create({ file: 'tmpl_0000000000000000' });
	assert.equal(noTemplate.status, 404);
	assert.ok(l.id);
});

async function raw_create(extra, opts = {}) {
	return raw('POST', '/v1/letters', { json: letter(extra), ...opts });
}

test('Lob errors for each rule', async () => {
	const cases = [
		[{ to: undefined }, 422, 'invalid', 'to is required'],
		[{ file: undefined }, 422, 'invalid', 'file is required'],
		[{ color: undefined }, 422, 'invalid', 'color is required'],
		[{ use_type: undefined }, 422, 'mail_use_type_can_not_be_null', null],
		[{ use_type: 'personal' }, 422, 'invalid', 'use_type must be one of [marketing, operational]'],
		[{ to: { name: 'x', address_city: 'SF', address_state: 'CA', address_zip: '94107' } }, 422, 'invalid', 'to.address_line1 is required'],
		[{ return_envelope: true }, 422, 'invalid_perforation_return_envelope', null],
		[{ perforated_page: 2 }, 422, 'invalid_perforation_return_envelope', null],
		[{ extra_service: 'certified', mail_type: 'usps_standard' }, 422, 'invalid', null],
		[{ extra_service: 'certified', to: { ...to, address_country: 'GB', address_state: undefined, address_zip: 'SW1A 1AA' } }, 422, 'invalid_international_feature', null],
		[{ from: { ...from, address_country: 'CA', address_state: 'ON', address_zip: 'M5V 2T6' } }, 422, 'foreign_return_address', null],
		[{ send_date: '2026-03-01' }, 422, 'invalid', 'send_date must be in the future'],
		[{ send_date: '2026-12-01' }, 422, 'invalid', 'send_date must be no more than 180 days in the future'],
		[{ file: 'not html' }, 422, 'invalid', null],
		[{ file: 'http://example.com/letter.pdf' }, 422, 'invalid_file_url', null],
		[{ file: '<p>{{#if x}}unclosed</p>' }, 422, 'invalid_template_html', null],
		[{ merge_variables: { 'first name': 'x' } }, 422, 'merge_variable_whitespace', null],
		[{ billing_group_id: 'bg_0000000000000000' }, 404, 'not_found', null],
		[{ size: 'us_legal', extra_service: 'certified' }, 422, 'invalid', 'extra_service is not available for us_legal letters'],
		[{ colour: true }, 422, 'invalid', 'colour is not allowed'],
	];
	for (const [extra, status, code, message] of cases) {
		const body = letter(extra);
		for (const k of Object.keys(extra)) if (extra[k] === undefined) delete body[k];
		const r = await raw('POST', '/v1/letters', { json: body });
		assert.equal(r.status, status, `${JSON.stringify(extra)} → ${r.text}`);
		assert.equal(r.body.error.code, code, JSON.stringify(extra));
		if (message) assert.equal(r.body.error.message, message);
	}
	const old = await raw_create({ size: 'us_letter' }, { headers: { 'Lob-Version': '2020-02-11' } });
	assert.equal(old.status, 422, 'size needs Lob-Version 2024-01-01');
});

test('certified letters get a valid IMpb tracking number; registered waits for USPS', async () => {
	const c = await raw_create({ extra_service: 'certified' });
	assert.equal(c.status, 200);
	assert.match(c.body.tracking_number, /^92071\d{17}$|^93071\d{17}$/);
	assert.ok(impbValid(c.body.tracking_number), `check digit of ${c.body.tracking_number}`);
	const rr = await raw_create({ extra_service: 'certified_return_receipt' });
	assert.notEqual(rr.body.tracking_number, c.body.tracking_number);
	const reg = await raw_create({ extra_service: 'registered' });
	assert.equal(reg.body.tracking_number, null);
});

/* USPS MOD 10 (Pub 199): weights 3,1 from the right, excluding the check digit */
function impbValid(pic) {
	const digits = pic.slice(0, -1).split('').reverse().map(Number);
	const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
	return (10 - (sum % 10)) % 10 === Number(pic.at(-1));
}

test('cancel inside the window; not_deletable once the send date passed', async () => {
	const a = await letters.create(new LetterEditable(letter()));
	const d = await letters.cancel(a.id);
	assert.equal(d.deleted, true);
	assert.equal((await sdkFails(letters.get(a.id))).status, 404);
	const b = await letters.create(new LetterEditable(letter()));
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 301 } });
	const late = await sdkFails(letters.cancel(b.id));
	assert.equal(late.status, 422);
	assert.equal(late.data.error.code, 'not_deletable');
	const scheduled = await raw_create({ send_date: '2026-04-01' });
	assert.equal(scheduled.body.send_date, '2026-04-01T00:00:00.000Z');
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 86400 } });
	const del = await raw('DELETE', `/v1/letters/${scheduled.body.id}`);
	assert.equal(del.status, 200, 'a scheduled letter can be canceled until its send_date');
	const events = await req(srv, 'GET', '/v1/events?event_type=letter.deleted');
	assert.ok(events.body.data.some((e) => e.body.id === scheduled.body.id));
});

test('list filters: scheduled, color, mail_type, status, send_date, metadata', async () => {
	const colored = await raw_create({ color: true, metadata: { batch: 'filters' } });
	const sched = await raw_create({ send_date: '2026-05-01', metadata: { batch: 'filters' } });
	const by = async (q) => (await raw('GET', `/v1/letters?metadata[batch]=filters&${q}`)).body.data.map((l) => l.id);
	assert.deepEqual(await by('color=true'), [colored.body.id]);
	assert.deepEqual(await by('color=false'), [sched.body.id]);
	assert.deepEqual(await by('scheduled=true&send_date[gt]=2026-04-30'), [sched.body.id]);
	// the render workers may have finished either letter by now: each is in exactly one status
	const processed = await by('status=processed'), rendered = await by('status=rendered');
	assert.deepEqual([...processed, ...rendered].sort(), [colored.body.id, sched.body.id].sort());
	assert.deepEqual(await by('mail_type=usps_standard'), []);
	const bad = await raw('GET', '/v1/letters?status=printed');
	assert.equal(bad.status, 422);
});

test('idempotent replays and concurrent retries create one letter', async () => {
	const key = `idem-${Date.now()}`;
	const first = await raw_create({}, { headers: { 'Idempotency-Key': key } });
	const again = await raw_create({}, { headers: { 'Idempotency-Key': key } });
	assert.equal(again.body.id, first.body.id);
	const key2 = `idem-par-${Date.now()}`;
	const all = await Promise.all(Array.from({ length: 6 }, () => raw_create({}, { headers: { 'Idempotency-Key': key2 } })));
	assert.equal(new Set(all.map((r) => r.body.id)).size, 1);
});

test('form-encoded nested fields', async () => {
	const form = new URLSearchParams({
		'to[name]': to.name, 'to[address_line1]': to.address_line1, 'to[address_city]': to.address_city, 'to[address_state]': 'CA', 'to[address_zip]': '94107',
		from: (await raw('POST', '/v1/addresses', { json: from })).body.id,
		file: '<p>Hi {{name}}</p>', color: 'true', use_type: 'marketing', 'merge_variables[name]': 'Ann', 'metadata[k]': 'form',
	});
	const r = await raw('POST', '/v1/letters', { form: form.toString() });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.color, true);
	assert.equal(r.body.merge_variables.name, 'Ann');
});

test('multipart: an uploaded PDF is accepted; a file of another type is invalid_file', async () => {
	const fd = new FormData();
	for (const [k, v] of Object.entries(to)) fd.append(`to[${k}]`, v);
	for (const [k, v] of Object.entries(from)) fd.append(`from[${k}]`, v);
	fd.append('color', 'false');
	fd.append('use_type', 'operational');
	fd.append('file', new Blob([tinyPdf()], { type: 'application/pdf' }), 'letter.pdf');
	const r = await fetch(`${srv.baseUrl}/v1/letters`, { method: 'POST', body: fd, headers: { Authorization: 'Basic ' + Buffer.from(srv.keys.test_secret + ':').toString('base64') } });
	const body = await r.json();
	assert.equal(r.status, 200, JSON.stringify(body));
	assertResponseMatchesSpec('POST', '/v1/letters', r.status, body);
	assert.equal(body.status, 'processed');
	fd.set('file', new Blob([Buffer.from('GIF89a....')], { type: 'image/gif' }), 'x.gif');
	const bad = await fetch(`${srv.baseUrl}/v1/letters`, { method: 'POST', body: fd, headers: { Authorization: 'Basic ' + Buffer.from(srv.keys.test_secret + ':').toString('base64') } });
	assert.equal(bad.status, 422);
	assert.equal((await bad.json()).error.code, 'invalid_file');
});
