// SPDX-License-Identifier: AGPL-3.0-or-later
// Checks through the official SDK (ChecksApi, BankAccountsApi) and raw HTTP: create with an
// address id and inline addresses, Lob's rules (a verified bank account of the account, US
// addresses only, to lines ≤ 50 characters together, not both message and check_bottom, no qr_code),
// check numbers per bank account, list, retrieve, cancel inside the window (test clock),
// idempotent replays, check.created; every response checked against the spec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChecksApi, CheckEditable, BankAccountsApi, BankAccountWritable, BankAccountVerify } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { sdkApi, sdkFails } from './lib/sdk.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';
import { pageCount, pdfText } from './lib/pdftools.mjs';

let srv, checks, banks, bank;
const LOB_ASSETS = 'https://lob-assets.com';
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_line2: 'Ste 6100', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const account = { description: 'Payroll', routing_number: '322271627', account_number: '123456789', account_type: 'company', signatory: 'Jane Doe' };
const check = (extra = {}) => ({ to, from, bank_account: bank.id, amount: 22.5, memo: 'rent', message: 'Thanks for {{name}}', merge_variables: { name: 'Harry' }, use_type: 'operational', ...extra });

async function raw(method, path, opts) {
	const r = await req(srv, method, path, opts);
	assertResponseMatchesSpec(method, path.split('?')[0], r.status, r.body);
	return r;
}
const create = (extra = {}, opts = {}) => raw('POST', '/v1/checks', { json: check(extra), ...opts });

async function verifiedBank(extra = {}) {
	const b = await banks.create(new BankAccountWritable({ ...account, ...extra }));
	await banks.verify(b.id, new BankAccountVerify({ amounts: [25, 63] }));
	return b;
}

before(async () => {
	srv = await startFrank({ env: { FRANK_CLOCK: '2026-03-02T15:00:00.000Z', FRANK_ASSET_URL: LOB_ASSETS } });
	checks = sdkApi(ChecksApi, srv.baseUrl, srv.keys.test_secret);
	banks = sdkApi(BankAccountsApi, srv.baseUrl, srv.keys.test_secret);
	bank = await verifiedBank();
});
after(async () => {
	await srv?.stop();
});

test('create through the SDK with inline addresses: Lob fields, bank account, check.created', async () => {
	const c = await checks.create(new CheckEditable(check({ description: 'Rent', metadata: { unit: '4B' } })));
	const body = checks.seen.at(-1).data;
	assert.match(c.id, /^chk_[0-9a-f]{16}$/);
	assert.equal(body.object, 'check');
	assert.equal(body.status, 'processed');
	assert.equal(body.amount, 22.5);
	assert.equal(body.memo, 'rent');
	assert.equal(body.message, 'Thanks for {{name}}');
	assert.equal(body.mail_type, 'usps_first_class');
	assert.equal(body.carrier, 'USPS');
	assert.equal(body.use_type, 'operational');
	assert.deepEqual(body.metadata, { unit: '4B' });
	assert.equal(body.check_number, 10000, 'a new bank account starts at 10000');
	assert.match(body.to.id, /^adr_/);
	assert.match(body.from.id, /^adr_/);
	assert.match(body.url, new RegExp(`^${LOB_ASSETS}/checks/${c.id}\\.pdf\\?expires=`));
	// the bank account exactly as GET /v1/bank_accounts/{id} serves it
	const served = (await raw('GET', `/v1/bank_accounts/${bank.id}`)).body;
	assert.deepEqual(body.bank_account, served);
	assert.equal(body.bank_account.verified, true);
	assert.deepEqual(Object.keys(body).slice(0, 10), ['id', 'description', 'metadata', 'check_number', 'memo', 'amount', 'url', 'to', 'from', 'bank_account']);
	const got = await checks.get(c.id);
	assert.equal(got.id, c.id, 'the SDK model accepts it');
	const events = await req(srv, 'GET', '/v1/events?event_type=check.created');
	assert.ok(events.body.data.some((e) => e.body.id === c.id), 'check.created emitted');
});

test('create with an address id, check_bottom HTML and an attachment', async () => {
	const adr = await raw('POST', '/v1/addresses', { json: to });
	const r = await create({ to: adr.body.id, message: undefined, check_bottom: '<p>Invoice {{name}}</p>', attachment: '<p>Remittance</p>', amount: 12.347 });
	assert.equal(r.status, 200, JSON.stringify(r.body));
	assert.equal(r.body.to.id, adr.body.id);
	assert.equal(r.body.amount, 12.35, 'amounts are rounded to two decimal places');
	assert.equal(r.body.message, undefined);
});

test('errors: bank account unverified, unknown, of another mode; amount; required fields', async () => {
	const unverified = await banks.create(new BankAccountWritable(account));
	const u = await create({ bank_account: unverified.id });
	assert.equal(u.status, 422);
	assert.equal(u.body.error.code, 'bank_error');
	assert.match(u.body.error.message, /must be verified/);
	const missing = await create({ bank_account: 'bank_0123456789abcdef' });
	assert.equal(missing.status, 404);
	assert.equal(missing.body.error.code, 'not_found');
	const liveBanks = sdkApi(BankAccountsApi, srv.baseUrl, srv.keys.live_secret);
	const live = await liveBanks.create(new BankAccountWritable(account));
	const other = await create({ bank_account: live.id });
	assert.equal(other.status, 404, 'a live bank account is not a test one');
	assert.equal(other.body.error.code, 'not_found');
	const gone = await verifiedBank();
	await banks.delete(gone.id);
	const drawn = await create({ bank_account: gone.id });
	assert.equal(drawn.status, 404);
	assert.equal(drawn.body.error.code, 'deleted_bank_account');
	const shape = await create({ bank_account: 'acct_123' });
	assert.equal(shape.status, 422);
	for (const [amount, msg] of [[0, /greater than or equal to 0.01/], [-5, /greater than or equal/], [1000000, /less than or equal to 999999.99/], ['ten', /amount must be a number/]]) {
		const r = await create({ amount });
		assert.equal(r.status, 422, `amount ${amount}`);
		assert.match(r.body.error.message, msg);
	}
	for (const field of ['to', 'from', 'bank_account', 'amount']) {
		const r = await create({ [field]: undefined });
		assert.equal(r.status, 422);
		assert.equal(r.body.error.message, `${field} is required`);
	}
	const memo = await create({ memo: 'x'.repeat(41) });
	assert.equal(memo.status, 422);
	const message = await create({ message: 'x'.repeat(401) });
	assert.equal(message.status, 422);
	const mt = await create({ mail_type: 'usps_standard' });
	assert.equal(mt.status, 422);
	const qr = await create({ qr_code: { position: 'relative', top: '1', left: '1', width: '1', redirect_url: 'https://example.com' } });
	assert.equal(qr.status, 422);
	assert.match(qr.body.error.message, /qr_code is not supported on checks/);
	const logo = await create({ logo: 'http://example.com/logo.png' });
	assert.equal(logo.status, 422);
	assert.match(logo.body.error.message, /logo must be an https URL/);
	const okLogo = await create({ logo: 'https://example.com/logo.png' });
	assert.equal(okLogo.status, 200, JSON.stringify(okLogo.body));
	const num = await create({ check_number: 0 });
	assert.equal(num.status, 422);
});

test('errors: US only, to lines ≤ 50 characters, not both message and check_bottom', async () => {
	const gb = { name: 'Harry', address_line1: '10 Downing St', address_city: 'London', address_zip: 'SW1A 2AA', address_country: 'GB' };
	const intl = await create({ to: gb });
	assert.equal(intl.status, 422);
	assert.equal(intl.body.error.code, 'invalid_check_international');
	const foreignFrom = await create({ from: gb });
	assert.equal(foreignFrom.status, 422);
	assert.equal(foreignFrom.body.error.code, 'foreign_return_address');
	const long = await create({ to: { ...to, address_line1: '1'.repeat(51), address_line2: undefined } });
	assert.equal(long.status, 422);
	assert.equal(long.body.error.code, 'address_length_exceeds_limit');
	const sum = await create({ to: { ...to, address_line1: '210 King Street Building Number Nine', address_line2: 'Suite 610000000' } });
	assert.equal(sum.status, 422, 'line1 + line2 over 50');
	assert.equal(sum.body.error.code, 'address_length_exceeds_limit');
	const both = await create({ check_bottom: '<p>bottom</p>' });
	assert.equal(both.status, 422);
	assert.equal(both.body.error.code, 'invalid');
	assert.match(both.body.error.message, /message, check_bottom/);
	// neither is accepted, as live Lob accepts it (the spec asks for one): compat.test.mjs
});

test('a form-encoded body (numbers as text)', async () => {
	const form = new URLSearchParams({
		'to[name]': to.name, 'to[address_line1]': to.address_line1, 'to[address_city]': to.address_city, 'to[address_state]': 'CA', 'to[address_zip]': '94107',
		from: (await raw('POST', '/v1/addresses', { json: from })).body.id,
		bank_account: bank.id, amount: '99.99', check_number: '424242', message: 'Form check', use_type: 'operational',
	}).toString();
	const r = await raw('POST', '/v1/checks', { form });
	assert.equal(r.status, 200, JSON.stringify(r.body));
	assert.equal(r.body.amount, 99.99);
	assert.equal(r.body.check_number, 424242);
});

test('check numbers: a sequence per bank account, a given number kept and continued from', async () => {
	const a = await verifiedBank(), b = await verifiedBank();
	const num = async (bankId, extra = {}) => {
		const r = await create({ bank_account: bankId, ...extra });
		assert.equal(r.status, 200, JSON.stringify(r.body));
		return r.body.check_number;
	};
	assert.equal(await num(a.id), 10000);
	assert.equal(await num(a.id), 10001);
	assert.equal(await num(b.id), 10000, 'another bank account has its own numbers');
	assert.equal(await num(a.id), 10002);
	assert.equal(await num(b.id, { check_number: 5000 }), 5000, 'a given check_number is kept');
	assert.equal(await num(b.id), 5001, 'later checks continue from the given number');
	assert.equal(await num(a.id), 10003);
	const sdkNum = await checks.create(new CheckEditable(check({ bank_account: a.id, check_number: 777 })));
	assert.equal(sdkNum.check_number, 777);
});

test('list, retrieve, cancel inside the window; not_deletable once the send date passed', async () => {
	const a = await create({ metadata: { batch: 'list' } });
	const b = await create({ metadata: { batch: 'list' } });
	const list = await checks.list(10, undefined, undefined, undefined, undefined, { batch: 'list' });
	assert.deepEqual(list.data.map((c) => c.id), [b.body.id, a.body.id]);
	const filtered = await raw('GET', '/v1/checks?metadata[batch]=list&mail_type=usps_first_class&limit=1');
	assert.equal(filtered.status, 200);
	assert.equal(filtered.body.data.length, 1);
	assert.equal(filtered.body.object, 'list');
	const got = await raw('GET', `/v1/checks/${a.body.id}`);
	assert.equal(got.body.id, a.body.id);
	assert.equal(got.body.check_number, a.body.check_number);
	const del = await checks.cancel(a.body.id);
	assert.equal(del.deleted, true);
	assert.equal((await sdkFails(checks.get(a.body.id))).status, 404);
	const deleted = await req(srv, 'GET', '/v1/events?event_type=check.deleted');
	assert.ok(deleted.body.data.some((e) => e.body.id === a.body.id));
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 301 } });
	const late = await sdkFails(checks.cancel(b.body.id));
	assert.equal(late.status, 422);
	assert.equal(late.data.error.code, 'not_deletable');
	const scheduled = await create({ send_date: '2026-04-01' });
	assert.equal(scheduled.body.send_date, '2026-04-01T00:00:00.000Z');
	assert.equal((await raw('DELETE', `/v1/checks/${scheduled.body.id}`)).status, 200, 'a scheduled check can be canceled');
});

test('idempotent replays and concurrent retries create one check (and use one number)', async () => {
	const key = `idem-${Date.now()}`;
	const first = await create({}, { headers: { 'Idempotency-Key': key } });
	const again = await create({}, { headers: { 'Idempotency-Key': key } });
	assert.equal(again.body.id, first.body.id);
	assert.equal(again.body.check_number, first.body.check_number);
	const key2 = `idem-par-${Date.now()}`;
	const all = await Promise.all(Array.from({ length: 6 }, () => create({}, { headers: { 'Idempotency-Key': key2 } })));
	assert.equal(new Set(all.map((r) => r.body.id)).size, 1);
	const sdk = await checks.create(new CheckEditable(check()), `idem-sdk-${Date.now()}`);
	assert.match(sdk.id, /^chk_/);
});

test('a check is rendered to a proof with thumbnails', async () => {
	const c = await create({ attachment: '<p>Remittance advice</p>' });
	assert.equal(c.status, 200, JSON.stringify(c.body));
	const end = Date.now() + 20000;
	let r;
	while ((r = await raw('GET', `/v1/checks/${c.body.id}`)).body.status === 'processed') {
		assert.ok(Date.now() < end, 'render timed out');
		await sleep(50);
	}
	assert.equal(r.body.status, 'rendered', JSON.stringify(r.body.failure_reason));
	assert.match(r.body.url, new RegExp(`^${LOB_ASSETS}/checks/${c.body.id}\\.pdf\\?`));
	assert.ok(r.body.thumbnails.length >= 1);
	const proof = await fetch(r.body.url.replace(LOB_ASSETS, srv.baseUrl));
	assert.equal(proof.status, 200);
	const pdf = Buffer.from(await proof.arrayBuffer());
	assert.ok((await pageCount(pdf)) >= 2, 'the check page, then the attachment');
	const face = await pdfText(pdf, 1);
	assert.ok(face.includes(String(c.body.check_number)), `check number on the face: ${face}`);
	assert.match(face, /rent/, 'memo on the face');
	assert.match(face, /Thanks for/, 'the message at the bottom');
	assert.match(face, /Twenty-Two and 50\/100/, 'the amount in words');
	assert.match(face, /\*\*22\.50/, 'the amount in figures');
	// E-13B: on-us (C) check number, transit (A) routing number, then the account number
	assert.match(face, new RegExp(`C${c.body.check_number}C A322271627A\\s+\\d+C`), 'the MICR line');
	assert.match(await pdfText(pdf, 2), /Remittance advice/);
	const b = await create({ message: undefined, check_bottom: '<p>Invoice for {{name}}</p>' });
	assert.equal(b.status, 200, JSON.stringify(b.body));
	while ((r = await raw('GET', `/v1/checks/${b.body.id}`)).body.status === 'processed') {
		assert.ok(Date.now() < end + 20000, 'render timed out');
		await sleep(50);
	}
	assert.equal(r.body.status, 'rendered', JSON.stringify(r.body.failure_reason));
	const bottom = Buffer.from(await (await fetch(r.body.url.replace(LOB_ASSETS, srv.baseUrl))).arrayBuffer());
	assert.match(await pdfText(bottom, 1), /Invoice for Harry/, 'check_bottom merged under the face');
	assert.equal((await checks.get(c.body.id)).id, c.body.id, 'the SDK model accepts it');
});

test('a logo uploaded with the check prints in grayscale on the face; an unreadable one fails the render', async () => {
	const { readFile } = await import('node:fs/promises');
	const png = await readFile(new URL('../fixtures/lob-examples/letters__8.5x11-letter-custom-envelope.chromium-2.png', import.meta.url));
	const form = (logo) => {
		const fd = new FormData();
		for (const [k, v] of Object.entries(to)) fd.append(`to[${k}]`, v);
		for (const [k, v] of Object.entries(from)) fd.append(`from[${k}]`, v);
		for (const [k, v] of Object.entries({ bank_account: bank.id, amount: '99.99', memo: 'logo', message: 'With our logo', use_type: 'operational' })) fd.append(k, v);
		fd.append('logo', new Blob([logo], { type: 'image/png' }), 'logo.png');
		return fd;
	};
	const auth = { Authorization: 'Basic ' + Buffer.from(srv.keys.test_secret + ':').toString('base64') };
	const rendered = async (id, want) => {
		const end = Date.now() + 20000;
		let r;
		while ((r = await raw('GET', `/v1/checks/${id}`)).body.status === 'processed') {
			assert.ok(Date.now() < end, 'render timed out');
			await sleep(50);
		}
		assert.equal(r.body.status, want, JSON.stringify(r.body.failure_reason));
		return r;
	};
	const c = await (await fetch(`${srv.baseUrl}/v1/checks`, { method: 'POST', body: form(png), headers: auth })).json();
	assert.match(c.id ?? '', /^chk_/, JSON.stringify(c));
	const r = await rendered(c.id, 'rendered');
	const pdf = Buffer.from(await (await fetch(r.body.url.replace(LOB_ASSETS, srv.baseUrl))).arrayBuffer());
	const text = pdf.toString('latin1');
	assert.match(text, /\/FrankLogo/, 'the logo is drawn on the face');
	assert.match(text, /\/ColorSpace\s*\/DeviceGray/, 'in grayscale');
	assert.match(await pdfText(pdf, 1), /Ninety-Nine and 99\/100/);
	// a PNG header claiming 100,000 x 100,000 pixels: refused before anything is decoded
	const crc32 = (buf) => {
		let c = ~0;
		for (const b of buf) {
			c ^= b;
			for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
		}
		return ~c >>> 0;
	};
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(100000, 0);
	ihdr.writeUInt32BE(100000, 4);
	ihdr.set([8, 0, 0, 0, 0], 8);
	const chunk = Buffer.concat([Buffer.from('IHDR'), ihdr]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(chunk));
	const huge = Buffer.concat([png.subarray(0, 8), Buffer.from([0, 0, 0, 13]), chunk, crc]);
	const bad = await (await fetch(`${srv.baseUrl}/v1/checks`, { method: 'POST', body: form(huge), headers: auth })).json();
	assert.match(bad.id ?? '', /^chk_/, JSON.stringify(bad));
	const f = await rendered(bad.id, 'failed');
	assert.equal(f.body.failure_reason.failure_reason, 'invalid_file');
	assert.match(f.body.failure_reason.remediation, /logo/);
});
