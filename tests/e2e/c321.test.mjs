// SPDX-License-Identifier: AGPL-3.0-or-later
// The 321certified-style API at /api/v1, with raw HTTP as in the seed's curl examples:
// users, sessions and API keys with permissions (every denial), the error shape, rate-limit
// headers and 429, mailings (the same objects as Lob letters at /v1/letters), labels decoded
// with zbarimg, tracking and the electronic return receipt, address validation, pricing
// against the reference figures and a price table replaced while frankd runs. Requests without
// credentials are rate-limited per client address and route, sign-in per e-mail as well;
// users get their password from stdin or the terminal, never the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFrank, req, runFrank, repoRoot } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';
import { tinyPdf } from './lib/pdf.mjs';
import { pdfFonts } from './lib/pdftools.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

let srv, dir, priceFile, token;
const keys = {};
const EMAIL = 'Ann@Example.com';
const PASSWORD = 'correct horse battery';

// the seed's example addresses
const from = { name: 'John Smith', street1: '123 Main St', city: 'San Francisco', state: 'CA', zip: '94105' };
const to = { name: 'Jane Doe', street1: '456 Oak Ave', city: 'Los Angeles', state: 'CA', zip: '90001' };
const mailing = (extra = {}) => ({ from, to, mail_class: 'certified_return_receipt', reference: 'CASE-2024-001', html: '<p>Notice of claim</p>', ...extra });

// `frank user create`: the password on stdin, as a script pipes it
const createUser = (server, email, password = PASSWORD) =>
	runFrank(['user', 'create', '--data', server.dataDir, '--email', email], { input: `${password}\n` });
const api = (method, path, key, opts = {}) => req(srv, method, path, { key, auth: 'bearer', ...opts });
const xkey = (method, path, key, opts = {}) => req(srv, method, path, { key, auth: 'x-api-key', ...opts });

/* Pub 199 MOD 10 over the PIC (weight 3 next to the check digit) */
function mod10ok(pic) {
	let sum = 0;
	for (let i = 0; i < pic.length - 1; i++) sum += Number(pic[pic.length - 2 - i]) * (i % 2 === 0 ? 3 : 1);
	return (10 - (sum % 10)) % 10 === Number(pic.at(-1));
}

/* the seed's error shape, with the status repeated inside */
function assertError(r, status, code) {
	assert.equal(r.status, status, r.text);
	assert.deepEqual(Object.keys(r.body.error).sort(), ['code', 'message', 'status']);
	assert.equal(r.body.error.status, status);
	assert.equal(r.body.error.code, code);
	assert.ok(r.body.error.message.length > 5);
}

function zbar(path) {
	return new Promise((resolve) => {
		execFile('zbarimg', ['--raw', '-q', '-Sdisable', '-Scode128.enable', path], (err, stdout) => resolve(err ? '' : stdout));
	});
}

async function newKey(name, permissions, mode = 'test') {
	const r = await api('POST', '/api/v1/api-keys', token, { json: { name, permissions, mode } });
	assert.equal(r.status, 201, r.text);
	return r.body;
}

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'frank-c321-'));
	priceFile = join(dir, 'prices.csv');
	await copyFile(join(repoRoot, 'data/prices_usps.csv'), priceFile);
	srv = await startFrank({
		env: { FRANK_RATE_LIMIT: '1000/60', FRANK_CLOCK: '2026-03-02T15:00:00.000Z', FRANK_PRICE_TABLE: priceFile, FRANK_SERVICE_FEE: '0.50+10%' },
	});
	const u = await createUser(srv, EMAIL);
	assert.equal(u.code, 0, u.stderr);
	const again = await createUser(srv, 'ann@example.com');
	assert.notEqual(again.code, 0, 'the same e-mail twice');
	const s = await req(srv, 'POST', '/api/v1/sessions', { key: null, json: { email: 'ann@example.com', password: PASSWORD } });
	assert.equal(s.status, 201, s.text);
	token = s.body.token;
	keys.all = (await newKey('server', ['*'])).key;
	keys.read = (await newKey('reader', ['mailings:read'])).key;
	keys.write = (await newKey('writer', ['mailings:write'])).key;
	keys.pricing = (await newKey('prices', ['pricing:read'])).key;
	keys.addresses = (await newKey('addresses', ['addresses:read'])).key;
	keys.live = (await newKey('live', ['*'], 'live')).key;
});
after(async () => {
	await srv?.stop();
	await rm(dir, { recursive: true, force: true });
});

test('sessions: log in, wrong passwords, log out', async () => {
	assert.match(token, /^321s_[0-9a-f]{64}$/);
	const wrong = await req(srv, 'POST', '/api/v1/sessions', { key: null, json: { email: EMAIL, password: 'nope nope nope' } });
	assertError(wrong, 401, 'unauthorized');
	const unknown = await req(srv, 'POST', '/api/v1/sessions', { key: null, json: { email: 'who@example.com', password: PASSWORD } });
	assertError(unknown, 401, 'unauthorized');
	assert.equal(unknown.body.error.message, wrong.body.error.message, 'an unknown e-mail is not told apart');
	assertError(await req(srv, 'POST', '/api/v1/sessions', { key: null, json: { email: EMAIL } }), 400, 'bad_request');
	const s = await req(srv, 'POST', '/api/v1/sessions', { key: null, json: { email: EMAIL, password: PASSWORD } });
	assert.equal(s.status, 201);
	assert.ok(Date.parse(s.body.expires_at) > Date.parse('2026-03-02T15:00:00Z'));
	assert.equal((await api('GET', '/api/v1/api-keys', s.body.token)).status, 200);
	const out = await api('DELETE', '/api/v1/sessions', s.body.token);
	assert.equal(out.status, 200, out.text);
	assertError(await api('GET', '/api/v1/api-keys', s.body.token), 401, 'unauthorized');
});

test('API keys: created under a session, shown once, listed without secrets, revoked', async () => {
	const k = await newKey('ci', ['mailings:read', 'pricing:read']);
	assert.deepEqual(Object.keys(k).sort(), ['created_at', 'id', 'key', 'mode', 'name', 'permissions', 'prefix']);
	assert.match(k.key, /^321m_test_[0-9a-f]{40}$/);
	assert.deepEqual(k.permissions, ['mailings:read', 'pricing:read']);
	assert.match((await newKey('l', ['*'], 'live')).key, /^321m_live_/);
	const list = await api('GET', '/api/v1/api-keys', token);
	assert.equal(list.status, 200);
	const listed = list.body.data.find((x) => x.id === k.id);
	assert.equal(listed.name, 'ci');
	assert.equal(listed.prefix, k.key.slice(0, 14));
	assert.ok(!list.text.includes(k.key), 'no secret in the list');
	assert.equal((await api('GET', '/api/v1/pricing', k.key)).status, 200);
	const del = await api('DELETE', `/api/v1/api-keys/${k.id}`, token);
	assert.equal(del.status, 200, del.text);
	assertError(await api('GET', '/api/v1/pricing', k.key), 401, 'unauthorized');
	assertError(await api('DELETE', `/api/v1/api-keys/${k.id}`, token), 404, 'not_found');
	assertError(await api('POST', '/api/v1/api-keys', token, { json: { name: 'x', permissions: ['mailings:delete'] } }), 400, 'bad_request');
	assertError(await api('POST', '/api/v1/api-keys', token, { json: { name: 'x', mode: 'prod' } }), 400, 'bad_request');
	// keys are managed under a session only
	assertError(await api('GET', '/api/v1/api-keys', keys.all), 401, 'unauthorized');
	assertError(await api('GET', '/api/v1/api-keys', null), 401, 'unauthorized');
	assertError(await api('POST', '/api/v1/api-keys', keys.all, { json: { name: 'x' } }), 401, 'unauthorized');
});

test('auth: Bearer or X-API-Key; missing and invalid keys; unknown endpoints', async () => {
	assert.equal((await api('GET', '/api/v1/pricing', keys.all)).status, 200);
	assert.equal((await xkey('GET', '/api/v1/pricing', keys.all)).status, 200);
	const missing = await req(srv, 'GET', '/api/v1/mailings', { key: null });
	assertError(missing, 401, 'unauthorized');
	const bad = await api('GET', '/api/v1/mailings', '321m_test_' + '0'.repeat(40));
	assertError(bad, 401, 'unauthorized');
	assert.equal(bad.body.error.message, 'Invalid API key');
	assertError(await api('GET', '/api/v1/mailings', srv.keys.test_secret), 401, 'unauthorized');
	assertError(await api('GET', '/api/v1/mailings', token), 401, 'unauthorized');
	assertError(await api('GET', '/api/v1/nothing', keys.all), 404, 'not_found');
	assertError(await api('PUT', '/api/v1/mailings', keys.all), 404, 'not_found');
	// Lob's v1 still answers in Lob's shape
	const lob = await req(srv, 'GET', '/v1/letters', { key: null });
	assert.equal(lob.status, 401);
	assert.equal(lob.body.error.status_code, 401);
});

test('permissions: a key without the permission gets 403 forbidden on every endpoint', async () => {
	const m = await api('POST', '/api/v1/mailings', keys.all, { json: mailing() });
	assert.equal(m.status, 201, m.text);
	const calls = [
		['POST', '/api/v1/mailings', { json: mailing() }, 'mailings:write'],
		['GET', '/api/v1/mailings', {}, 'mailings:read'],
		['GET', `/api/v1/mailings/${m.body.id}`, {}, 'mailings:read'],
		['GET', `/api/v1/mailings/${m.body.id}/label`, {}, 'mailings:read'],
		['GET', `/api/v1/tracking/${m.body.tracking_number}`, {}, 'mailings:read'],
		['GET', `/api/v1/tracking/${m.body.tracking_number}/return-receipt`, {}, 'mailings:read'],
		['POST', '/api/v1/addresses/validate', { json: to }, 'addresses:read'],
		['GET', '/api/v1/pricing', {}, 'pricing:read'],
		['POST', '/api/v1/pricing/calculate', { json: { mail_class: 'certified' } }, 'pricing:read'],
	];
	const holder = { 'mailings:read': keys.read, 'mailings:write': keys.write, 'addresses:read': keys.addresses, 'pricing:read': keys.pricing };
	for (const [method, path, opts, perm] of calls) {
		for (const [p, key] of Object.entries(holder)) {
			const r = await api(method, path, key, opts);
			if (p === perm) {
				assert.notEqual(r.status, 403, `${method} ${path} with ${p}: ${r.text}`);
			} else {
				assertError(r, 403, 'forbidden');
				assert.ok(r.body.error.message.includes(perm), r.body.error.message);
			}
		}
	}
});

test('rate limit: X-RateLimit-* on every response, 429 past the limit', async () => {
	for (const r of [await api('GET', '/api/v1/pricing', keys.all), await api('GET', '/api/v1/pricing', keys.addresses),
		await req(srv, 'GET', '/api/v1/mailings', { key: null }), await api('GET', '/api/v1/none', keys.all)]) {
		assert.equal(r.headers.get('x-ratelimit-limit'), '1000', `${r.status} ${r.text}`);
		assert.match(r.headers.get('x-ratelimit-remaining'), /^\d+$/);
		assert.ok(Number(r.headers.get('x-ratelimit-reset')) > Date.parse('2026-03-02T15:00:00Z') / 1000, 'the reset is an epoch second on the (test) clock');
	}
	const small = await startFrank({ env: { FRANK_RATE_LIMIT: '3/60' } });
	try {
		assert.equal((await createUser(small, 'b@example.com')).code, 0);
		const s = await req(small, 'POST', '/api/v1/sessions', { key: null, json: { email: 'b@example.com', password: PASSWORD } });
		const k = await req(small, 'POST', '/api/v1/api-keys', { key: s.body.token, auth: 'bearer', json: { name: 'k' } });
		const got = [];
		for (let i = 0; i < 4; i++) got.push(await req(small, 'GET', '/api/v1/pricing', { key: k.body.key, auth: 'bearer' }));
		assert.deepEqual(got.map((r) => r.status), [200, 200, 200, 429]);
		assert.deepEqual(got.map((r) => r.headers.get('x-ratelimit-remaining')), ['2', '1', '0', '0']);
		assertError(got[3], 429, 'rate_limited');
	} finally {
		await small.stop();
	}
});

test('rate limit: requests without credentials count per address and route; sign-in per e-mail too', async () => {
	const lim = await startFrank({ env: { FRANK_RATE_LIMIT: '60/60' } });
	try {
		for (const email of ['x@example.com', 'y@example.com']) assert.equal((await createUser(lim, email)).code, 0);
		const login = (email, password = PASSWORD) => req(lim, 'POST', '/api/v1/sessions', { key: null, json: { email, password } });
		// an anonymous flood of one endpoint (every test client is 127.0.0.1)
		const flood = [];
		for (let i = 0; i < 70; i++) flood.push((await req(lim, 'GET', '/api/v1/pricing', { key: null })).status);
		assert.equal(flood.filter((st) => st === 429).length, 10, 'the flood is limited');
		const ok = await login('x@example.com');
		assert.equal(ok.status, 201, `sign-in stays reachable during the flood: ${ok.text}`);
		assert.equal(ok.headers.get('x-ratelimit-limit'), '60');
		// Lob's v1: 401s count per address too, and past the limit they become 429s
		const guesses = [];
		for (let i = 0; i < 62; i++) guesses.push((await req(lim, 'GET', '/v1/addresses', { key: `test_guess${i}` })).status);
		assert.deepEqual([guesses.filter((st) => st === 401).length, guesses.filter((st) => st === 429).length], [60, 2]);
		const limited = await req(lim, 'GET', '/v1/addresses', { key: null });
		assert.equal(limited.status, 429, limited.text);
		assert.equal(limited.body.error.code, 'rate_limit_exceeded');
		assert.equal((await req(lim, 'GET', '/v1/addresses', { key: lim.keys.test_secret })).status, 200, 'a valid key keeps its own budget');
		// a password flood for one e-mail: limited for that e-mail, not for others
		const wrong = [];
		for (let i = 0; i < 22; i++) wrong.push(await login('x@example.com', `wrong password ${i}`));
		assert.deepEqual(wrong.slice(0, 9).map((r) => r.status), Array(9).fill(401), 'x signed in once already: 9 more attempts');
		assert.deepEqual(wrong.slice(9).map((r) => r.status), Array(13).fill(429));
		assertError(wrong.at(-1), 429, 'rate_limited');
		assert.match(wrong.at(-1).body.error.message, /Too many sign-in attempts for this e-mail: try again in \d+ seconds/);
		assert.ok(Number(wrong.at(-1).headers.get('retry-after')) > 0);
		assert.equal((await login('x@example.com')).status, 429, 'the right password does not get through the limit either');
		const y = await login('y@example.com');
		assert.equal(y.status, 201, `another e-mail still signs in: ${y.text}`);
	} finally {
		await lim.stop();
	}
});

test('users: the password comes from stdin or the terminal, never the command line', async () => {
	const argv = await runFrank(['user', 'create', '--data', srv.dataDir, '--email', 'argv@example.com', '--password', PASSWORD]);
	assert.equal(argv.code, 2);
	assert.match(argv.stderr, /does not take --password.*pipe it: printf '%s\\n' "\$PASSWORD" \| frank user create/s);
	const none = await runFrank(['user', 'create', '--data', srv.dataDir, '--email', 'none@example.com']);
	assert.equal(none.code, 1);
	assert.match(none.stderr, /no password on stdin/);
	assert.equal((await createUser(srv, 'short@example.com', 'short')).code, 1, 'too short');
	for (const email of ['argv@example.com', 'none@example.com', 'short@example.com']) {
		const r = await req(srv, 'POST', '/api/v1/sessions', { key: null, json: { email, password: PASSWORD } });
		assert.equal(r.status, 401, `${email} was not created`);
	}
	const crlf = await runFrank(['user', 'create', '--data', srv.dataDir, '--email', 'piped@example.com'], { input: `${PASSWORD}\r\n` });
	assert.equal(crlf.code, 0, crlf.stderr);
	assert.match(crlf.stdout, /"id":"usr_/);
	assert.equal((await req(srv, 'POST', '/api/v1/sessions', { key: null, json: { email: 'piped@example.com', password: PASSWORD } })).status, 201,
		'the piped password, without its line end');
});

test('mailings: created as certified letters, the same object through /v1/letters', async () => {
	const r = await api('POST', '/api/v1/mailings', keys.all, { json: mailing() });
	assert.equal(r.status, 201, r.text);
	const m = r.body;
	assert.deepEqual(Object.keys(m).sort(), ['cost', 'created_at', 'from', 'id', 'label_url', 'mail_class', 'reference', 'status', 'to', 'tracking_number'].sort());
	assert.match(m.id, /^ltr_[0-9a-f]{16}$/);
	assert.equal(m.status, 'label_generated');
	assert.equal(m.mail_class, 'certified_return_receipt');
	assert.match(m.tracking_number, /^92148\d{17}$/, 'channel 92, STC 148: Certified Mail Return Receipt Electronic');
	assert.ok(mod10ok(m.tracking_number), 'valid check digit');
	// $0.78 + $5.30 + $2.82 (prices.md), service fee $0.50 + 10%
	assert.deepEqual(m.cost, { postage: 8.9, service_fee: 1.39, total: 10.29 });
	assert.ok(r.text.includes('"postage":8.9,'), 'money as short decimals: ' + r.text);
	assert.equal(m.label_url, `/api/v1/mailings/${m.id}/label`);
	assert.deepEqual(m.to, { name: 'JANE DOE', street1: '456 OAK AVE', street2: null, city: 'LOS ANGELES', state: 'CA', zip: '90001' });
	assert.equal(m.from.street1, '123 MAIN ST');

	const l = await req(srv, 'GET', `/v1/letters/${m.id}`, { key: srv.keys.test_secret });
	assert.equal(l.status, 200, l.text);
	assertResponseMatchesSpec('GET', `/v1/letters/${m.id}`, 200, l.body);
	assert.equal(l.body.extra_service, 'certified_return_receipt');
	assert.equal(l.body.tracking_number, m.tracking_number);
	assert.equal(l.body.metadata.reference, 'CASE-2024-001');
	assert.equal(l.body.to.address_line1, '456 OAK AVE');
	const got = await api('GET', `/api/v1/mailings/${m.id}`, keys.read);
	assert.deepEqual(got.body, m);
	// a certified letter made through Lob's API is a mailing too (no cost: Frank did not price it)
	const lobBody = {
		to: { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' },
		from: { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' },
		file: '<p>x</p>', color: false, use_type: 'operational', extra_service: 'certified',
	};
	const lob = await req(srv, 'POST', '/v1/letters', { key: srv.keys.test_secret, json: lobBody });
	assert.equal(lob.status, 200, lob.text);
	const seen = await api('GET', `/api/v1/mailings/${lob.body.id}`, keys.read);
	assert.equal(seen.status, 200, seen.text);
	assert.equal(seen.body.mail_class, 'certified');
	assert.equal(seen.body.cost, null);
	// a plain letter is not a mailing; another mode's key does not see this one
	const plain = await req(srv, 'POST', '/v1/letters', { key: srv.keys.test_secret, json: { ...lobBody, extra_service: undefined } });
	assert.equal(plain.status, 200, plain.text);
	assertError(await api('GET', `/api/v1/mailings/${plain.body.id}`, keys.read), 404, 'not_found');
	assertError(await api('GET', `/api/v1/mailings/${m.id}`, keys.live), 404, 'not_found');
	assertError(await api('GET', '/api/v1/mailings/ltr_0000000000000000', keys.read), 404, 'not_found');
	assertError(await api('GET', '/api/v1/mailings/nonsense', keys.read), 404, 'not_found');
});

test('mailings: classes, content forms and validation errors', async () => {
	const rd = await api('POST', '/api/v1/mailings', keys.all, { json: mailing({ mail_class: 'certified_restricted_delivery_return_receipt_hardcopy' }) });
	assert.equal(rd.status, 201, rd.text);
	assert.match(rd.body.tracking_number, /^92154/, 'STC 154');
	assert.ok(mod10ok(rd.body.tracking_number));
	const lob = await req(srv, 'GET', `/v1/letters/${rd.body.id}`, { key: srv.keys.test_secret });
	assert.equal(lob.body.extra_service, 'certified_return_receipt');
	assert.equal(lob.body.tracking_number, rd.body.tracking_number, 'the letter carries the class\'s number');
	// 0.78 + 5.30 + 8.65 + 4.40 = 19.13
	assert.equal(rd.body.cost.postage, 19.13);

	const fd = new FormData();
	for (const [k, v] of Object.entries(from)) fd.append(`from[${k}]`, v);
	for (const [k, v] of Object.entries(to)) fd.append(`to[${k}]`, v);
	fd.append('mail_class', 'certified');
	fd.append('file', new Blob([tinyPdf('Notice')], { type: 'application/pdf' }), 'notice.pdf');
	const up = await api('POST', '/api/v1/mailings', keys.all, { body: fd });
	assert.equal(up.status, 201, up.text);
	assert.equal(up.body.cost.postage, 6.08, 'one page: 0.78 + 5.30');

	const fd2 = new FormData();
	for (const [k, v] of Object.entries(from)) fd2.append(`from[${k}]`, v);
	for (const [k, v] of Object.entries(to)) fd2.append(`to[${k}]`, v);
	fd2.append('mail_class', 'certified');
	fd2.append('file', new Blob(['not a pdf']), 'notice.pdf');
	assertError(await api('POST', '/api/v1/mailings', keys.all, { body: fd2 }), 422, 'unprocessable_entity');

	const tmpl = await req(srv, 'POST', '/v1/templates', { key: srv.keys.test_secret, json: { html: '<p>Template notice</p>' } });
	assert.equal(tmpl.status, 200, tmpl.text);
	const viaTemplate = await api('POST', '/api/v1/mailings', keys.all, { json: mailing({ html: undefined, template_id: tmpl.body.id, mail_class: 'certified' }) });
	assert.equal(viaTemplate.status, 201, viaTemplate.text);

	const cases = [
		[{ to: undefined }, 400, 'bad_request'],
		[{ to: { ...to, zip: 'ABCDE' } }, 400, 'bad_request'],
		[{ mail_class: 'priority' }, 400, 'bad_request'],
		[{ html: undefined }, 400, 'bad_request'],
		[{ template_id: 'tmpl_x' }, 400, 'bad_request'],
		[{ reference: 'a"b' }, 400, 'bad_request'],
		[{ to: { ...to, zip: '10001' } }, 422, 'unprocessable_entity'],
		[{ from: { ...from, city: 'Boston', state: 'MA' } }, 422, 'unprocessable_entity'],
		[{ mail_class: 'registered' }, 422, 'unprocessable_entity'],
		[{ template_id: 'tmpl_0000000000000000', html: undefined }, 404, 'not_found'],
	];
	for (const [change, status, code] of cases) {
		const r = await api('POST', '/api/v1/mailings', keys.all, { json: mailing(change) });
		assertError(r, status, code);
	}
	const invalid = await api('POST', '/api/v1/mailings', keys.all, { json: mailing({ to: { ...to, zip: '10001' } }) });
	assert.match(invalid.body.error.message, /to address failed verification/);
	const reg = await api('POST', '/api/v1/mailings', keys.all, { json: mailing({ mail_class: 'registered' }) });
	assert.match(reg.body.error.message, /Registered Mail fee/);
	assertError(await api('POST', '/api/v1/mailings', keys.all, { body: '{"to":', headers: { 'Content-Type': 'application/json' } }), 400, 'bad_request');
});

test('mailings list: reference, status, limit and cursor', async () => {
	const ref = 'LIST-' + Date.now();
	const ids = [];
	for (let i = 0; i < 5; i++) ids.push((await api('POST', '/api/v1/mailings', keys.all, { json: mailing({ reference: ref }) })).body.id);
	const page1 = await api('GET', `/api/v1/mailings?reference=${ref}&limit=2`, keys.read);
	assert.equal(page1.status, 200, page1.text);
	assert.deepEqual(page1.body.data.map((m) => m.id), [ids[4], ids[3]], 'newest first');
	assert.equal(page1.body.has_more, true);
	const page2 = await api('GET', `/api/v1/mailings?reference=${ref}&limit=2&cursor=${encodeURIComponent(page1.body.next_cursor)}`, keys.read);
	assert.deepEqual(page2.body.data.map((m) => m.id), [ids[2], ids[1]]);
	const page3 = await api('GET', `/api/v1/mailings?reference=${ref}&limit=2&cursor=${encodeURIComponent(page2.body.next_cursor)}`, keys.read);
	assert.deepEqual(page3.body.data.map((m) => m.id), [ids[0]]);
	assert.equal(page3.body.has_more, false);
	assert.equal(page3.body.next_cursor, null);
	const fresh = await api('GET', `/api/v1/mailings?reference=${ref}&status=label_generated&limit=10`, keys.read);
	assert.equal(fresh.body.data.length, 5);
	const delivered = await api('GET', `/api/v1/mailings?reference=${ref}&status=delivered`, keys.read);
	assert.deepEqual(delivered.body.data, []);
	assertError(await api('GET', '/api/v1/mailings?status=lost', keys.read), 400, 'bad_request');
	assertError(await api('GET', '/api/v1/mailings?limit=0', keys.read), 400, 'bad_request');
	assertError(await api('GET', '/api/v1/mailings?cursor=xyz', keys.read), 400, 'bad_request');
	assertError(await api('GET', '/api/v1/mailings?color=true', keys.read), 400, 'bad_request');
});

test('label: PDF and PNG, the GS1-128 barcode decodes to (420) ZIP + the tracking number', async () => {
	for (const mail_class of ['certified_return_receipt', 'certified_return_receipt_hardcopy']) {
		const m = (await api('POST', '/api/v1/mailings', keys.all, { json: mailing({ mail_class }) })).body;
		const pdf = await api('GET', m.label_url, keys.read);
		assert.equal(pdf.status, 200);
		assert.equal(pdf.headers.get('content-type'), 'application/pdf');
		assert.ok(pdf.text.startsWith('%PDF-'));
		const pages = (pdf.text.match(/\/Type\s*\/Page\b/g) || []).length;
		assert.equal(pages, mail_class.endsWith('hardcopy') ? 2 : 1, 'the green card for a hardcopy return receipt');
		// a print shop's preflight: every font embedded (pdffonts, poppler-utils)
		const bytes = Buffer.from(await (await fetch(`${srv.baseUrl}${m.label_url}`, { headers: { 'X-API-Key': keys.read } })).arrayBuffer());
		const { fonts, warnings } = await pdfFonts(bytes);
		assert.equal(warnings, '', 'poppler has nothing to complain about');
		assert.ok(fonts.length > 0 && fonts.every((f) => f.emb), `every font embedded: ${JSON.stringify(fonts)}`);
		for (const format of ['label', 'cover_sheet']) {
			const res = await fetch(`${srv.baseUrl}${m.label_url}?format=${format}&type=png`, { headers: { 'X-API-Key': keys.read } });
			assert.equal(res.status, 200);
			assert.equal(res.headers.get('content-type'), 'image/png');
			const file = join(dir, `${mail_class}-${format}.png`);
			await writeFile(file, Buffer.from(await res.arrayBuffer()));
			const digits = (await zbar(file)).replace(/\D/g, '');
			assert.equal(digits, '42090001' + m.tracking_number, `${format}: decoded ${digits}`);
			assert.ok(mod10ok(digits.slice(8)));
		}
	}
	const m = (await api('POST', '/api/v1/mailings', keys.all, { json: mailing() })).body;
	assertError(await api('GET', `${m.label_url}?format=poster`, keys.read), 400, 'bad_request');
	assertError(await api('GET', `${m.label_url}?type=gif`, keys.read), 400, 'bad_request');
	assertError(await api('GET', '/api/v1/mailings/ltr_0000000000000000/label', keys.read), 404, 'not_found');
});

test('tracking: events from USPS scans, then the electronic return receipt', async () => {
	const m = (await api('POST', '/api/v1/mailings', keys.live, { json: mailing() })).body;
	const t0 = await api('GET', `/api/v1/tracking/${m.tracking_number}`, keys.live);
	assert.equal(t0.status, 200, t0.text);
	assert.equal(t0.body.status, 'label_generated');
	assert.deepEqual(t0.body.events, []);
	assert.deepEqual(t0.body.return_receipt, { available: false, url: null });
	assertError(await api('GET', `/api/v1/tracking/${m.tracking_number}/return-receipt`, keys.live), 404, 'not_found');
	const records = [
		{ tracking_number: m.tracking_number, event_code: 'OA', event_time: '2026-03-03T10:00:00Z', zip: '94105' },
		{ tracking_number: m.tracking_number, event_code: '07', event_time: '2026-03-05T09:00:00Z', zip: '90001' },
	];
	// the scans come from the mail room's operator, after they happened on frankd's clock
	const op = await createOperator(srv);
	const now = Date.parse((await req(srv, 'GET', '/v1/_frank/clock')).body.now);
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: (Date.parse('2026-03-06T15:00:00Z') - now) / 1000 } });
	assert.equal((await req(srv, 'POST', '/v1/_frank/production/scans', { key: srv.keys.live_secret, json: { records } })).status, 403, 'not with a customer key');
	const scans = await req(srv, 'POST', '/v1/_frank/production/scans', { key: op.key, json: { records } });
	assert.equal(scans.body.applied, 2, scans.text);
	const t1 = await api('GET', `/api/v1/tracking/${m.tracking_number}`, keys.live);
	assert.equal(t1.body.status, 'in_local_area');
	assert.deepEqual(t1.body.events.map((e) => e.status), ['mailed', 'in_local_area']);
	const listed = await api('GET', '/api/v1/mailings?status=in_local_area', keys.live);
	assert.ok(listed.body.data.some((x) => x.id === m.id), 'the status filter follows tracking');
	const deliver = [{ tracking_number: m.tracking_number, event_code: '01', event_time: '2026-03-06T14:30:00Z', zip: '90001' }];
	assert.equal((await req(srv, 'POST', '/v1/_frank/production/scans', { key: op.key, json: { records: deliver } })).body.applied, 1);
	const t2 = await api('GET', `/api/v1/tracking/${m.tracking_number}`, keys.live);
	assert.equal(t2.body.status, 'delivered');
	assert.equal(t2.body.delivered_at, '2026-03-06T14:30:00.000Z');
	const last = t2.body.events.at(-1);
	assert.equal(last.event, 'delivered');
	assert.equal(last.location, '90001');
	assert.deepEqual(t2.body.return_receipt, { available: true, url: `/api/v1/tracking/${m.tracking_number}/return-receipt` });
	const rr = await api('GET', t2.body.return_receipt.url, keys.live);
	assert.equal(rr.status, 200, rr.text);
	assert.equal(rr.headers.get('content-type'), 'application/pdf');
	assert.ok(rr.text.startsWith('%PDF-'));
	assert.equal((await api('GET', `/api/v1/mailings/${m.id}`, keys.live)).body.status, 'delivered');
	// the same journey on the Lob side
	const l = await req(srv, 'GET', `/v1/letters/${m.id}`, { key: srv.keys.live_secret });
	assert.equal(l.body.tracking_events.length, 3);
	// other mode, unknown and malformed numbers
	assertError(await api('GET', `/api/v1/tracking/${m.tracking_number}`, keys.all), 404, 'not_found');
	assertError(await api('GET', '/api/v1/tracking/9400111899223456789012', keys.live), 404, 'not_found');
	assertError(await api('GET', '/api/v1/tracking/123', keys.live), 404, 'not_found');
	// no return receipt for plain certified mail
	const plain = (await api('POST', '/api/v1/mailings', keys.live, { json: mailing({ mail_class: 'certified' }) })).body;
	const tp = await api('GET', `/api/v1/tracking/${plain.tracking_number}`, keys.live);
	assert.equal(tp.body.return_receipt, null);
	assertError(await api('GET', `/api/v1/tracking/${plain.tracking_number}/return-receipt`, keys.live), 404, 'not_found');
});

test('addresses/validate: the verification engine in this API\'s shape', async () => {
	const ok = await api('POST', '/api/v1/addresses/validate', keys.addresses, { json: { street1: '1600 Pennsylvania Ave', city: 'Washington', state: 'DC', zip: '20500' } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.body.valid, true);
	assert.equal(ok.body.delivery_point_confirmed, false, 'no delivery-point data loaded');
	assert.deepEqual(ok.body.address, { street1: '1600 PENNSYLVANIA AVE', street2: null, city: 'WASHINGTON', state: 'DC', zip: '20500' });
	const bad = await api('POST', '/api/v1/addresses/validate', keys.addresses, { json: { street1: '1600 Pennsylvania Ave', city: 'Boston', state: 'MA', zip: '20500' } });
	assert.equal(bad.status, 200);
	assert.equal(bad.body.valid, false);
	assert.ok(bad.body.messages.length >= 1);
	assertError(await api('POST', '/api/v1/addresses/validate', keys.addresses, { json: { city: 'Washington' } }), 400, 'bad_request');
	assertError(await api('POST', '/api/v1/addresses/validate', keys.addresses, { json: { street1: '1 Main St' } }), 400, 'bad_request');
});

test('pricing: the reference table, calculation, and a new table loaded while running', async () => {
	const p = await api('GET', '/api/v1/pricing', keys.pricing);
	assert.equal(p.status, 200, p.text);
	assert.equal(p.body.effective_date, '2025-07-13');
	assert.deepEqual(p.body.service_fee, { fixed: 0.5, percent: 10 });
	const price = (key) => p.body.prices.find((r) => r.key === key);
	assert.equal(price('letter_1oz').price, 0.78);
	assert.equal(price('certified').price, 5.3);
	assert.equal(price('return_receipt_hardcopy').price, 4.4);
	assert.equal(price('return_receipt_electronic').price, 2.82);
	assert.equal(price('restricted_delivery').price, 8.65);
	assert.equal(price('registered').price, null, 'not found in the reference');
	assert.match(price('certified').source, /legalclarity/);
	const cls = (name) => p.body.mail_classes.find((c) => c.mail_class === name);
	assert.equal(cls('certified_return_receipt').one_page.postage, 8.9);
	assert.equal(cls('certified_return_receipt_hardcopy').one_page.postage, 10.48);
	assert.equal(cls('registered').available, false);

	const calc = (body) => api('POST', '/api/v1/pricing/calculate', keys.pricing, { json: body });
	let c = await calc({ mail_class: 'certified', pages: 5, duplex: false, options: { return_receipt: 'hardcopy' } });
	assert.equal(c.status, 200, c.text);
	assert.equal(c.body.mail_class, 'certified_return_receipt_hardcopy');
	assert.equal(c.body.sheets, 6);
	assert.equal(c.body.weight_oz, 1.16);
	assert.deepEqual(c.body.cost, { postage: 10.77, service_fee: 1.58, total: 12.35 }, '0.78 + 0.29 + 5.30 + 4.40; 0.50 + 10%');
	assert.deepEqual(c.body.breakdown.map((l) => [l.key, l.quantity, l.amount]), [
		['letter_1oz', 1, 0.78], ['letter_additional_ounce', 1, 0.29], ['certified', 1, 5.3], ['return_receipt_hardcopy', 1, 4.4]]);
	c = await calc({ mail_class: 'certified', pages: 13, duplex: true });
	assertError(c, 422, 'unprocessable_entity');
	assertError(await calc({ mail_class: 'registered' }), 422, 'unprocessable_entity');
	assertError(await calc({ mail_class: 'certified', pages: 0 }), 400, 'bad_request');
	assertError(await calc({ mail_class: 'certified', options: { insurance: true } }), 400, 'bad_request');
	assertError(await calc({ mail_class: 'registered', options: { restricted_delivery: true } }), 400, 'bad_request');

	// the operator adds Registered Mail and a scheduled change, without a rebuild or restart
	const csv = await readFile(priceFile, 'utf8');
	await writeFile(priceFile, csv.replace('Registered Mail fee by declared value,piece,not found', 'Registered Mail fee by declared value,piece,17.10') +
		'Certified Mail fee (PS 3800),piece,5.55,2026-07-12,announced,operator test\n');
	const p2 = await api('GET', '/api/v1/pricing', keys.pricing);
	assert.equal(p2.body.prices.find((r) => r.key === 'registered').price, 17.1);
	assert.equal(p2.body.prices.find((r) => r.key === 'certified').price, 5.3, 'the change is not in force yet');
	assert.equal(p2.body.scheduled[0].price, 5.55);
	const reg = await calc({ mail_class: 'registered' });
	assert.equal(reg.status, 200, reg.text);
	assert.equal(reg.body.cost.postage, 17.88);
	const r = await api('POST', '/api/v1/mailings', keys.all, { json: mailing({ mail_class: 'registered' }) });
	assert.equal(r.status, 201, r.text);
	assert.match(r.body.tracking_number, /^92501/, 'Registered Mail STC 501, numbered at once');
	assert.ok(mod10ok(r.body.tracking_number));
	// a broken table is refused and the last good one stays in force
	await writeFile(priceFile, 'item,price_usd,effective_date\nX,abc,2025-07-13\n');
	assert.equal((await calc({ mail_class: 'registered' })).status, 200);
	await writeFile(priceFile, csv);
});
