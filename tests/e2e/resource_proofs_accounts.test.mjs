// SPDX-License-Identifier: AGPL-3.0-or-later
// The credits ledger (GET /v1/accounts, GET /v1/_frank/ledger, the operator's credits) and
// resource proofs (/v1/resource_proofs). The installed Lob SDK ships neither AccountsApi nor
// ResourceProofsApi, so these are raw HTTP, each Lob response validated against the spec;
// letters are made with the SDK (LettersApi). A letter mailed through a print run is charged
// its price-list amount; a letter canceled before the cut never is; the ledger lists both the
// operator's credit and the charge. docs/internals/ledger.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LettersApi } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';
import { sdkApi } from './lib/sdk.mjs';
import { pdfText } from './lib/pdftools.mjs';
import { assertResponseMatchesSpec, errorSchemaCheck } from './lib/spec.mjs';

const RUNS = '/v1/_frank/production/print_runs';
const MINUTE = 60e3;
const PRICES = {
	currency: 'usd',
	products: {
		letter: [
			{ item: 'Letter', price: '0.85' },
			{ item: 'Color', price: '0.30', when: { color: true } },
			{ item: 'Certified Mail', price: '4.85', when: { extra_service: 'certified' } },
		],
		postcard: [{ item: 'Postcard 4x6', price: 0.55, when: { size: '4x6' } }],
	},
};
let srv, op, dir, priceFile;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'frank-ledger-'));
	priceFile = join(dir, 'prices.json');
	await writeFile(priceFile, JSON.stringify(PRICES));
	srv = await startFrank({ env: { FRANK_CLOCK: '2026-12-07T15:00:00.000Z', FRANK_MAILER_ID: '123456', FRANK_MAILER_NAME: 'Frank Mail Room', FRANK_MAILER_ADDRESS: '185 Berry St, San Francisco, CA 94107', FRANK_POST_OFFICE: 'San Francisco, CA 94107', FRANK_PRICE_LIST: priceFile } });
	op = await createOperator(srv);
});
after(async () => {
	await srv?.stop();
	await rm(dir, { recursive: true, force: true });
});

/* a Lob route's answer, checked against the spec */
async function lob(method, path, opts = {}) {
	const r = await req(srv, method, path, opts);
	assertResponseMatchesSpec(method, path, r.status, r.body);
	return r;
}
const balance = async (key) => (await lob('GET', '/v1/accounts', { key })).body.balance;
const ledger = async (key, query = '') => {
	const r = await req(srv, 'GET', `/v1/_frank/ledger${query}`, { key });
	assert.equal(r.status, 200, r.text);
	return r.body;
};
async function rendered(key, id) {
	const end = Date.now() + 60000;
	for (;;) {
		const r = await req(srv, 'GET', `/v1/letters/${id}`, { key });
		if (r.body.status === 'rendered' || r.body.status === 'failed') return r.body;
		assert.ok(Date.now() < end, `${id} rendered in time`);
		await sleep(100);
	}
}

test('a new account has a zero balance and an empty ledger, in Lob\'s shape', async () => {
	assert.deepEqual((await lob('GET', '/v1/accounts', { key: srv.keys.live_secret })).body, { balance: 0 });
	assert.equal(await balance(srv.keys.test_secret), 0);
	const l = await ledger(srv.keys.live_secret);
	assert.equal(l.object, 'list');
	assert.deepEqual(l.data, []);
	// publishable keys and no key are refused, in Lob's error shape
	const pub = await req(srv, 'GET', '/v1/accounts', { key: srv.keys.live_publishable });
	assert.ok(pub.status === 401 || pub.status === 403, pub.text);
	errorSchemaCheck(pub.body);
	const none = await req(srv, 'GET', '/v1/accounts', { key: null });
	assert.equal(none.status, 401);
	errorSchemaCheck(none.body);
});

test('an operator credits an account; bad credits answer Lob-style errors and change nothing', async () => {
	const path = `/v1/_frank/production/accounts/${srv.keys.account_id}/credits`;
	assert.match(srv.keys.account_id, /^acc_/);
	const bad = [
		{},
		{ amount: 0 },
		{ amount: '-5' },
		{ amount: '1.234' },
		{ amount: 'ten' },
		{ amount: 10, mode: 'both' },
		{ amount: 10, extra: 1 },
		{ amount: 100000001 },
	];
	for (const json of bad) {
		const r = await req(srv, 'POST', path, { key: op.key, json });
		assert.equal(r.status, 422, `${JSON.stringify(json)}: ${r.text}`);
		assert.equal(r.body.error.code, 'invalid');
	}
	const missing = await req(srv, 'POST', '/v1/_frank/production/accounts/acc_0000000000000000/credits', { key: op.key, json: { amount: 5 } });
	assert.equal(missing.status, 404, missing.text);
	// a customer key cannot credit itself
	const self = await req(srv, 'POST', path, { key: srv.keys.live_secret, json: { amount: 5 } });
	assert.ok(self.status === 401 || self.status === 403, self.text);
	assert.equal(await balance(srv.keys.live_secret), 0);

	const ok = await req(srv, 'POST', path, { key: op.key, json: { amount: '100.00', description: 'prepaid by wire' } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.body.balance, 100);
	assert.equal(ok.body.mode, 'live');
	assert.match(ok.body.entry.id, /^led_[0-9a-f]{16}$/);
	assert.equal(ok.body.entry.type, 'credit');
	assert.equal(ok.body.entry.amount, 100);
	assert.equal(await balance(srv.keys.live_secret), 100);
	assert.equal(await balance(srv.keys.test_secret), 0, 'test mode has its own ledger');
	const l = await ledger(srv.keys.live_secret);
	assert.equal(l.data.length, 1);
	assert.deepEqual({ ...l.data[0], date_created: undefined }, { ...ok.body.entry, date_created: undefined });
	assert.match(l.data[0].date_created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('frank accounts credit credits the ledger while frankd runs', async () => {
	const { runFrank, lastJsonLine } = await import('./lib/server.mjs');
	const r = await runFrank(['accounts', 'credit', '--data', srv.dataDir, '--account', srv.keys.account_id, '--amount', '5.25', '--mode', 'test', '--description', 'trial credit']);
	assert.equal(r.code, 0, r.stderr);
	const out = lastJsonLine(r.stdout);
	assert.equal(out.balance_cents, 525);
	assert.equal(await balance(srv.keys.test_secret), 5.25);
	const [row] = (await ledger(srv.keys.test_secret)).data;
	assert.equal(row.id, out.entry);
	assert.equal(row.description, 'trial credit');
	for (const bad of [['--amount', '0'], ['--amount', '1.001'], ['--amount', '5', '--mode', 'both'], []]) {
		const b = await runFrank(['accounts', 'credit', '--data', srv.dataDir, ...bad]);
		assert.equal(b.code, 2, `${bad.join(' ')}: ${b.stdout} ${b.stderr}`);
	}
	const none = await runFrank(['accounts', 'credit', '--data', srv.dataDir, '--account', 'acc_0000000000000000', '--amount', '5']);
	assert.equal(none.code, 1);
	assert.match(none.stderr, /no account/);
	assert.equal(await balance(srv.keys.test_secret), 5.25, 'nothing else was credited');
});

test('a letter mailed through a print run is charged its price; a canceled one is not', async () => {
	const key = srv.keys.live_secret;
	const letters = sdkApi(LettersApi, srv.baseUrl, key);
	const base = { to, from, file: '<p>Notice</p>', use_type: 'operational', double_sided: true };
	const colour = await letters.create({ ...base, color: true });
	const certified = await letters.create({ ...base, color: false, extra_service: 'certified' });
	const canceled = await letters.create({ ...base, color: true });
	assert.equal((await req(srv, 'DELETE', `/v1/letters/${canceled.id}`, { key })).status, 200);
	await rendered(key, colour.id);
	await rendered(key, certified.id);
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 10 * 60 } });
	const now = Date.parse((await req(srv, 'GET', '/v1/_frank/clock')).body.now);
	const cut = await req(srv, 'POST', RUNS, { key: op.key, json: { cutoff: new Date(now + MINUTE).toISOString() } });
	assert.equal(cut.status, 200, cut.text);
	const end = Date.now() + 120000;
	let run;
	do {
		run = (await req(srv, 'GET', `${RUNS}/${cut.body.id}`, { key: op.key })).body;
		assert.ok(Date.now() < end, 'the run is built in time');
		if (run.status === 'building') await sleep(100);
	} while (run.status === 'building');
	assert.equal(run.status, 'ready', JSON.stringify(run));
	assert.equal(run.pieces, 2, 'the canceled letter is not in the run');
	assert.equal(await balance(key), 100, 'nothing is charged before the pieces are mailed');

	const mailed = await req(srv, 'POST', `${RUNS}/${run.id}/mailed`, { key: op.key, json: {} });
	assert.equal(mailed.status, 200, mailed.text);
	assert.equal(mailed.body.confirmed.pieces, 2);
	// 100 - (0.85 + 0.30) - (0.85 + 4.85)
	assert.equal(await balance(key), 93.15);
	const charges = (await ledger(key, '?type=charge')).data;
	assert.equal(charges.length, 2);
	const byPiece = Object.fromEntries(charges.map((c) => [c.resource_id, c]));
	assert.equal(byPiece[colour.id].amount_cents, -115);
	assert.equal(byPiece[colour.id].resource_type, 'letter');
	assert.equal(byPiece[colour.id].description, 'letter mailed: Letter + Color');
	assert.equal(byPiece[certified.id].amount_cents, -570);
	assert.equal(byPiece[certified.id].description, 'letter mailed: Letter + Certified Mail');
	assert.ok(!charges.some((c) => c.resource_id === canceled.id), 'the canceled letter is never charged');
	assert.equal((await ledger(key, '?type=refund')).data.length, 0, 'nothing to refund');

	// confirming the same pieces again charges nothing twice
	const again = await req(srv, 'POST', `/v1/_frank/production/pieces/${colour.id}/mailed`, { key: op.key, json: {} });
	assert.equal(again.status, 200, again.text);
	assert.equal(await balance(key), 93.15);
	// the whole ledger, newest first, pages with Lob's envelope
	const page1 = await ledger(key, '?limit=2&include[]=total_count');
	assert.equal(page1.data.length, 2);
	assert.equal(page1.total_count, 3);
	assert.ok(page1.next_url, 'a next page');
	const page2 = await req(srv, 'GET', page1.next_url.replace(/^https?:\/\/[^/]+/, ''), { key });
	assert.equal(page2.status, 200, page2.text);
	assert.deepEqual(page2.body.data.map((e) => e.type), ['credit']);
	const bad = await req(srv, 'GET', '/v1/_frank/ledger?type=gift', { key });
	assert.equal(bad.status, 422);
	errorSchemaCheck(bad.body);
});

test('the price list is re-read when the file changes', async () => {
	const key = srv.keys.live_secret;
	await writeFile(priceFile, JSON.stringify({ ...PRICES, products: { ...PRICES.products, letter: [{ item: 'Letter (new price)', price: '1.00' }] } }));
	const letters = sdkApi(LettersApi, srv.baseUrl, key);
	const l = await letters.create({ to, from, file: '<p>Notice</p>', use_type: 'operational', color: true });
	await rendered(key, l.id);
	const before = await balance(key);
	const r = await req(srv, 'POST', `/v1/_frank/production/pieces/${l.id}/mailed`, { key: op.key, json: {} });
	assert.equal(r.status, 200, r.text);
	assert.equal(Math.round((before - (await balance(key))) * 100), 100);
	const [charge] = (await ledger(key, '?type=charge&limit=1')).data;
	assert.equal(charge.resource_id, l.id);
	assert.equal(charge.description, 'letter mailed: Letter (new price)');
});

test('frank routes lists every operation of the spec, with what Frank serves', async () => {
	const { runFrank } = await import('./lib/server.mjs');
	const r = await runFrank(['routes', '--json']);
	assert.equal(r.code, 0, r.stderr);
	const out = JSON.parse(r.stdout);
	assert.equal(out.spec_total, 105);
	assert.equal(out.spec_operations.length, 105);
	assert.equal(out.served, out.spec_operations.filter((o) => o.served).length);
	const op = (id) => out.spec_operations.find((o) => o.operation_id === id);
	assert.deepEqual(op('get_lob_credits_balance'), { method: 'GET', path: '/v1/accounts', operation_id: 'get_lob_credits_balance', served: true, profile: 'lob' });
	assert.ok(out.frank_routes.some((x) => x.path === '/v1/_frank/ledger'), 'the ledger is one of Frank\'s own routes');
	const text = await runFrank(['routes']);
	assert.equal(text.code, 0);
	assert.match(text.stdout, new RegExp(`105 operations in the spec, ${out.served} served by Frank`));
	assert.match(text.stdout, /yes\s+GET\s+\/v1\/accounts\s+get_lob_credits_balance/);
});

/* ---- resource proofs ---- */

async function proofDone(id, key = srv.keys.test_secret) {
	const end = Date.now() + 90000;
	for (;;) {
		const r = await lob('GET', `/v1/resource_proofs/${id}`, { key });
		assert.equal(r.status, 200, r.text);
		if (r.body.status !== 'processing') return r.body;
		assert.ok(Date.now() < end, `${id} rendered in time`);
		await sleep(150);
	}
}
/* a link's bytes, fetched from frankd (the link names the SDK's host; frankd serves its path) */
async function fetchLink(url) {
	const u = new URL(url);
	const r = await fetch(srv.baseUrl + u.pathname + u.search);
	return { status: r.status, type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) };
}

test('a letter proof is rendered by the pieces\' engine: completed, a PDF and thumbnails', async () => {
	const addressesBefore = (await req(srv, 'GET', '/v1/addresses?include[]=total_count')).body.total_count;
	const created = await lob('POST', '/v1/resource_proofs', { json: { resource_type: 'letter', resource_parameters: { to, from, file: '<html><body><h1>Proof of {{name}}</h1></body></html>', color: false, merge_variables: { name: 'Ann' } } } });
	assert.equal(created.status, 201, created.text);
	assert.match(created.body.id, /^res_prf_[a-zA-Z0-9]+$/);
	assert.equal(created.body.object, 'resource_proof');
	assert.equal(created.body.resource_type, 'letter');
	assert.equal(created.body.status, 'processing');
	assert.equal(created.body.template_id, null);
	assert.deepEqual(created.body.thumbnails, []);
	assert.deepEqual(created.body.errors, []);
	assert.equal(created.body.url, null);
	assert.equal(created.body.piece, undefined, 'the prepared piece stays private');
	const done = await proofDone(created.body.id);
	assert.equal(done.status, 'completed', JSON.stringify(done));
	assert.deepEqual(done.errors, []);
	const pdf = await fetchLink(done.url);
	assert.equal(pdf.status, 200);
	assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
	const text = await pdfText(pdf.bytes);
	assert.match(text, /Proof of Ann/, 'the HTML merged with its variables');
	assert.match(text, /HARRY ZHANG|Harry Zhang/, 'the address block stamped as on a letter');
	assert.ok(done.thumbnails.length >= 1, 'a thumbnail per page');
	for (const size of ['small', 'medium', 'large']) {
		const png = await fetchLink(done.thumbnails[0][size]);
		assert.equal(png.status, 200, `${size} thumbnail`);
		assert.equal(png.bytes.subarray(1, 4).toString(), 'PNG');
	}
	// nothing was mailed or added to the address book
	assert.equal((await req(srv, 'GET', '/v1/letters?include[]=total_count')).body.total_count, 0);
	assert.equal((await req(srv, 'GET', '/v1/addresses?include[]=total_count')).body.total_count, addressesBefore);
});

test('postcard and self-mailer proofs; PATCH changes template_id', async () => {
	const pc = await lob('POST', '/v1/resource_proofs', { json: { resource_type: 'postcard', resource_parameters: { to, front: '<p>Front</p>', back: '<p>Back</p>', size: '4x6' } } });
	assert.equal(pc.status, 201, pc.text);
	const sfm = await lob('POST', '/v1/resource_proofs', { json: { resource_type: 'self_mailer', template_id: 'tmpl_a1234dddg', resource_parameters: { to, from, inside: '<p>In</p>', outside: '<p>Out</p>' } } });
	assert.equal(sfm.status, 201, sfm.text);
	assert.equal(sfm.body.template_id, 'tmpl_a1234dddg');
	for (const p of [pc.body, sfm.body]) {
		const done = await proofDone(p.id);
		assert.equal(done.status, 'completed', JSON.stringify(done));
		assert.equal((await fetchLink(done.url)).bytes.subarray(0, 5).toString(), '%PDF-');
	}
	const patched = await lob('PATCH', `/v1/resource_proofs/${pc.body.id}`, { json: { template_id: 'tmpl_b2345eeeh' } });
	assert.equal(patched.status, 200, patched.text);
	assert.equal(patched.body.template_id, 'tmpl_b2345eeeh');
	assert.equal(patched.body.status, 'completed');
	assert.equal(patched.body.piece, undefined);
	assert.equal((await lob('GET', `/v1/resource_proofs/${pc.body.id}`)).body.template_id, 'tmpl_b2345eeeh');
	const cleared = await lob('PATCH', `/v1/resource_proofs/${pc.body.id}`, { json: { template_id: null } });
	assert.equal(cleared.body.template_id, null);
	const bad = await lob('PATCH', `/v1/resource_proofs/${pc.body.id}`, { json: { resource_type: 'letter' } });
	assert.equal(bad.status, 422, bad.text);
});

test('resource proofs refuse bad input as POST /v1/<resource_type> would, with Lob\'s errors', async () => {
	const cases = [
		[{}, /resource_type/],
		[{ resource_type: 'check', resource_parameters: {} }, /resource_type/],
		[{ resource_type: 'letter' }, /resource_parameters/],
		[{ resource_type: 'letter', resource_parameters: 'x' }, /resource_parameters/],
		[{ resource_type: 'letter', resource_parameters: { from, file: '<p>x</p>', color: false } }, /resource_parameters\.to/],
		[{ resource_type: 'letter', resource_parameters: { to, from, color: false } }, /resource_parameters\.file/],
		[{ resource_type: 'letter', resource_parameters: { to, from, file: '<p>x</p>', color: 'purple' } }, /resource_parameters\.color/],
		[{ resource_type: 'postcard', resource_parameters: { to, front: '<p>F</p>', back: '<p>B</p>', size: '5x5' } }, /resource_parameters\.size/],
		[{ resource_type: 'letter', resource_parameters: { to, from, file: '<p>x</p>', color: false }, extra: 1 }, /extra/],
	];
	const before = (await req(srv, 'GET', '/v1/resource_proofs/res_prf_0000000000000000')).status;
	assert.equal(before, 404);
	for (const [json, msg] of cases) {
		const r = await lob('POST', '/v1/resource_proofs', { json });
		assert.equal(r.status, 422, `${JSON.stringify(json)}: ${r.text}`);
		assert.equal(r.body.error.code, 'invalid', r.text);
		assert.match(r.body.error.message, msg, r.text);
	}
	const missing = await lob('GET', '/v1/resource_proofs/res_prf_0000000000000000');
	assert.equal(missing.status, 404);
	assert.equal(missing.body.error.code, 'not_found');
	const wrong = await req(srv, 'GET', '/v1/resource_proofs/ltr_0000000000000000');
	assert.equal(wrong.status, 404);
	const nobody = await req(srv, 'GET', '/v1/resource_proofs/res_prf_0000000000000000', { key: null });
	assert.equal(nobody.status, 401);
});
