// SPDX-License-Identifier: AGPL-3.0-or-later
// Lob's real behaviour, as real Lob client code meets it (issue 16): frankd at its default
// settings, driven by the official TypeScript SDK at its default settings (no custom axios:
// the models as a customer gets them) and by lob-node (`lob` on npm). One test per item.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
	Configuration, AddressesApi, TemplatesApi, TemplateVersionsApi, TemplateWritable, TemplateVersionWritable, LettersApi, LetterEditable, PostcardsApi, PostcardEditable, SelfMailersApi, SelfMailerEditable,
	ChecksApi, CheckEditable, IdentityValidation, IntlVerificationsApi, IntlVerificationWritable, BankAccountsApi, BankAccountWritable, BankAccountVerify,
} from '@lob/lob-typescript-sdk';
import Lob from 'lob';
import { startFrank, req } from './lib/server.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

let srv;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_line2: 'Ste 6100', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const html = (text) => `<html><body><p>${text}</p></body></html>`;

// the SDK exactly as a customer configures it: a key and Frank's base URL, nothing else
const sdk = (ApiClass, key = srv.keys.test_secret) => new ApiClass(new Configuration({ username: key, basePath: srv.baseUrl + '/v1' }));
// lob-node as a customer configures it: the key and Frank's base URL as `host`
const lobNode = (key = srv.keys.test_secret) => new Lob(key, { host: srv.baseUrl + '/v1/' });

async function raw(method, path, opts, on = srv) {
	const r = await req(on, method, path, opts);
	assertResponseMatchesSpec(method, path.split('?')[0], r.status, r.body);
	return r;
}

// a proof link as frankd serves it: the link's path and query on frankd itself
const fromFrank = (link) => {
	const u = new URL(link);
	return fetch(srv.baseUrl + u.pathname + u.search);
};

async function rendered(path, on = srv) {
	const end = Date.now() + 60000;
	for (;;) {
		const r = on === srv ? await raw('GET', path) : await req(on, 'GET', path); // --asset-url public is off the spec's link pattern
		if (r.body.status !== 'processed') {
			assert.equal(r.body.status, 'rendered', JSON.stringify(r.body.failure_reason));
			return r.body;
		}
		assert.ok(Date.now() < end, `${path} still processed`);
		await sleep(100);
	}
}

before(async () => {
	srv = await startFrank();
});
after(async () => {
	await srv?.stop();
});

test('the TypeScript SDK at default settings takes every piece frankd answers, and the proof links are served by frankd', async () => {
	const banks = sdk(BankAccountsApi);
	const bank = await banks.create(new BankAccountWritable({ description: 'Payroll', routing_number: '322271627', account_number: '123456789', account_type: 'company', signatory: 'Jane Doe' }));
	await banks.verify(bank.id, new BankAccountVerify({ amounts: [25, 63] }));
	const kinds = [
		['letters', sdk(LettersApi), new LetterEditable({ to, from, file: html('Dear Harry'), color: false, use_type: 'operational' })],
		['postcards', sdk(PostcardsApi), new PostcardEditable({ to, from, front: html('Front'), back: html('Back'), use_type: 'operational' })],
		['self_mailers', sdk(SelfMailersApi), new SelfMailerEditable({ to, from, inside: html('Inside'), outside: html('Outside'), use_type: 'operational' })],
		['checks', sdk(ChecksApi), new CheckEditable({ to, from, bank_account: bank.id, amount: 12.5, message: 'Thanks', use_type: 'operational' })],
	];
	for (const [path, api, body] of kinds) {
		const made = await api.create(body); // a model that refused a link would throw here, after the piece exists
		await rendered(`/v1/${path}/${made.id}`);
		const got = await api.get(made.id);
		assert.equal(got.id, made.id);
		assert.match(got.url, /^https:\/\/lob-assets\.com\//, `${path}: the default link base is one the SDK accepts`);
		const pdf = await fromFrank(got.url);
		assert.equal(pdf.status, 200, `${path}: ${got.url} is served by frankd`);
		assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
		const thumbs = (await raw('GET', `/v1/${path}/${made.id}`)).body.thumbnails;
		if (!thumbs) continue; // Lob's self-mailers have none
		assert.ok(thumbs.length > 0, `${path}: thumbnails`);
		if (path !== 'self_mailers') // the SDK's SelfMailer model has no thumbnails
			assert.equal(got.thumbnails?.[0].small, thumbs[0].small, `${path}: the SDK's model keeps them`);
		const png = await fromFrank(thumbs[0].small);
		assert.equal(png.status, 200, `${path}: its thumbnail is served by frankd`);
		assert.equal(png.headers.get('content-type'), 'image/png');
		const list = await api.list(10);
		assert.ok(list.data.some((p) => p.id === made.id), `${path}: the list's models take the links too`);
	}
});

test('--asset-url public: links a browser opens on frankd itself', async () => {
	const own = await startFrank({ env: { FRANK_ASSET_URL: 'public' } });
	try {
		const r = await req(own, 'POST', '/v1/postcards', { json: { to, from, front: html('Front'), back: html('Back'), use_type: 'operational' } });
		assert.equal(r.status, 200, JSON.stringify(r.body));
		assert.ok(r.body.url.startsWith(`${own.baseUrl}/postcards/${r.body.id}.pdf?expires=`), r.body.url);
		const done = await rendered(`/v1/postcards/${r.body.id}`, own);
		assert.equal((await fetch(done.url)).status, 200, 'opened as written');
	} finally {
		await own.stop();
	}
});

test('a key nobody issued: 401 invalid_api_key with Lob\'s whole sentence; no key at all: unauthorized', async () => {
	const sentence = 'Your API key is not valid. Please sign up on lob.com to get a valid api key.';
	const bad = 'test_0dc8d51e0acffcb1880e0f19c79b2f5b0cc';
	await assert.rejects(sdk(AddressesApi, bad).create(to), (e) => e.message === sentence, 'the TypeScript SDK');
	await assert.rejects(lobNode(bad).addresses.list({}), (e) => e.message === sentence && e.status_code === 401, 'lob-node');
	const r = await raw('GET', '/v1/addresses', { key: bad });
	assert.deepEqual(r.body, { error: { message: sentence, status_code: 401, code: 'invalid_api_key' } });
	const none = await raw('GET', '/v1/addresses', { key: null });
	assert.equal(none.status, 401);
	assert.equal(none.body.error.code, 'unauthorized', 'Lob words a missing key differently');
	assert.match(none.body.error.message, /^Missing authentication/);
});

test('an empty optional string is stored as null (addresses, and inline addresses on pieces)', async () => {
	const blank = { ...to, address_line2: '', company: '', description: '' };
	const viaSdk = await sdk(AddressesApi).create(blank);
	const viaNode = await lobNode().addresses.create(blank);
	for (const a of [viaSdk, viaNode]) {
		const got = (await raw('GET', `/v1/addresses/${a.id}`)).body;
		assert.equal(got.address_line2, null, 'address_line2="" reads back null');
		assert.equal(got.company, null);
		assert.equal(got.description, null);
	}
	const letter = await lobNode().letters.create({ to: blank, from, file: html('Hi'), color: false, use_type: 'operational', description: '' });
	const got = (await raw('GET', `/v1/letters/${letter.id}`)).body;
	assert.equal(got.to.address_line2, null, 'the inline address too');
	assert.equal(got.description, null);
	assert.equal((await raw('GET', `/v1/addresses/${got.to.id}`)).body.address_line2, null);
	// a required field stays required when empty
	const r = await raw('POST', '/v1/addresses', { json: { ...to, address_line1: '' } });
	assert.equal(r.status, 422);
	assert.equal(r.body.error.message, 'address_line1 is not allowed to be empty');
});

test('an empty before= or after= is the same as none, on every list', async () => {
	await lobNode().addresses.create(to); // at least one row on the addresses list
	const lists = ['/v1/addresses', '/v1/letters', '/v1/postcards', '/v1/self_mailers', '/v1/checks', '/v1/templates', '/v1/events',
		'/v1/bank_accounts', '/v1/billing_groups', '/v1/snap_packs', '/v1/booklets', '/v1/webhooks'];
	for (const path of lists) {
		const plain = await req(srv, 'GET', `${path}?limit=3`);
		assert.equal(plain.status, 200, `${path}: ${plain.text}`);
		for (const q of ['before=', 'after=', 'before=&after=']) {
			const r = await req(srv, 'GET', `${path}?limit=3&${q}`);
			assert.equal(r.status, 200, `${path}?${q}: ${r.text}`);
			assert.deepEqual(r.body.data.map((o) => o.id), plain.body.data.map((o) => o.id), `${path}?${q} is the first page`);
		}
	}
	// lob-node sends the options it is given as they are
	const viaNode = await lobNode().addresses.list({ limit: 2, before: '', after: '' });
	assert.ok(viaNode.data.length > 0);
	const t = await sdk(TemplatesApi).create(new TemplateWritable({ html: '<p>v1</p>' }));
	const empty = await raw('GET', `/v1/templates/${t.id}/versions?before=`);
	assert.equal(empty.body.data.length, 1, 'template versions too');
});

test('template versions: previous_url after paging forward, as on every list', async () => {
	const t = await sdk(TemplatesApi).create(new TemplateWritable({ html: '<p>v1</p>' }));
	const versions = sdk(TemplateVersionsApi);
	for (let i = 2; i <= 5; i++) await versions.create(t.id, new TemplateVersionWritable({ html: `<p>v${i}</p>`, description: `v${i}` }));
	const ids = [];
	let page = (await raw('GET', `/v1/templates/${t.id}/versions?limit=2`)).body;
	assert.equal(page.previous_url, null, 'the first page has no previous page');
	const pages = [page];
	while (page.next_url) {
		page = (await raw('GET', page.next_url.slice(srv.baseUrl.length))).body;
		assert.ok(page.previous_url, 'a page reached forward has a previous_url');
		pages.push(page);
	}
	for (const p of pages) ids.push(...p.data.map((v) => v.id));
	assert.equal(ids.length, 5);
	assert.equal(new Set(ids).size, 5, 'no version twice');
	// back from the last page: the one before it, same rows
	const back = (await raw('GET', page.previous_url.slice(srv.baseUrl.length))).body;
	assert.deepEqual(back.data.map((v) => v.id), pages.at(-2).data.map((v) => v.id));
	// the SDK's list with the cursor taken from next_url
	const after = new URL(pages[0].next_url).searchParams.get('after');
	const listed = await versions.list(t.id, 2, undefined, after);
	assert.deepEqual(listed.data.map((v) => v.id), pages[1].data.map((v) => v.id));
	assert.ok(listed.previous_url);
});

test('a check without message and without check_bottom is accepted and rendered, as live Lob does (the spec asks for one)', async () => {
	const banks = sdk(BankAccountsApi);
	const bank = await banks.create(new BankAccountWritable({ description: 'Ops', routing_number: '322271627', account_number: '987654321', account_type: 'company', signatory: 'Jane Doe' }));
	await banks.verify(bank.id, new BankAccountVerify({ amounts: [25, 63] }));
	const viaSdk = await sdk(ChecksApi).create(new CheckEditable({ to, from, bank_account: bank.id, amount: 10, use_type: 'operational' }));
	// lob-node sends a check's nested objects as text ("[object Object]"): addresses by id, as its users do
	const [toId, fromId] = [(await lobNode().addresses.create(to)).id, (await lobNode().addresses.create(from)).id];
	const viaNode = await lobNode().checks.create({ to: toId, from: fromId, bank_account: bank.id, amount: 11, use_type: 'operational' });
	for (const c of [viaSdk, viaNode]) {
		const done = await rendered(`/v1/checks/${c.id}`);
		assert.equal(done.message ?? null, null);
		const pdf = await fromFrank(done.url);
		assert.equal(pdf.status, 200);
	}
	const both = await raw('POST', '/v1/checks', { json: { to, from, bank_account: bank.id, amount: 1, use_type: 'operational', message: 'hi', check_bottom: '<p>b</p>' } });
	assert.equal(both.status, 422, 'both at once is still refused');
	assert.match(both.body.error.message, /message, check_bottom/);
});

// @lob/lob-typescript-sdk 1.4.2 ships no IdentityValidationApi and lob-node has no such resource:
// raw HTTP, each body through the SDK's IdentityValidation model
test('identity_validation with a test key answers as Lob\'s test mode; a missing recipient says "recipient is required"', async () => {
	const body = { recipient: 'Lob.com', primary_line: '210 King St', zip_code: '94107' };
	const t = await raw('POST', '/v1/identity_validation', { json: body });
	assert.equal(t.status, 200, t.text);
	assert.equal(new IdentityValidation(t.body).recipient, 'TEST KEYS DO NOT VERIFY ADDRESSES');
	assert.match(t.body.id, /^id_validation_/);
	assert.equal(t.body.object, 'id_validation');
	const live = await raw('POST', '/v1/identity_validation', { json: body, key: srv.keys.live_secret });
	assert.equal(live.status, 200, live.text);
	assert.equal(live.body.recipient.toUpperCase(), 'LOB.COM', 'a live key validates');
	for (const key of [srv.keys.test_secret, srv.keys.live_secret]) {
		const r = await raw('POST', '/v1/identity_validation', { json: { primary_line: '210 King St', zip_code: '94107' }, key });
		assert.equal(r.status, 422);
		assert.ok(r.body.error.message.includes('recipient is required'), r.body.error.message);
	}
});

test('x-lang-output on international verification: English by default, native keeps the native script, match the request\'s', async () => {
	const intl = sdk(IntlVerificationsApi, srv.keys.live_secret);
	const moscow = new IntlVerificationWritable({ primary_line: 'ул. Тверская, 7', city: 'Москва', postal_code: '125009', country: 'RU' });
	const english = await intl.verifySingle(moscow);
	assert.equal(english.primary_line, 'UL. TVERSKAA 7', 'Lob\'s default answer is in English: romanised');
	assert.match(english.last_line, /^MOSKVA 125009$/);
	const native = await intl.verifySingle(moscow, 'native');
	assert.equal(native.primary_line, 'УЛ. ТВЕРСКАЯ 7', 'native: the script the default romanised');
	assert.equal(native.last_line, 'МОСКВА 125009');
	assert.equal(native.components.city, 'МОСКВА');
	const match = await intl.verifySingle(moscow, 'match');
	assert.equal(match.primary_line, 'УЛ. ТВЕРСКАЯ 7');
	// a romanised request: its native form cannot be determined (Tverskaya: я or ыа?), so the
	// answer is the default one, as Lob documents it
	const latin = await intl.verifySingle(new IntlVerificationWritable({ primary_line: 'ulitsa Tverskaya 7', city: 'Moskva', postal_code: '125009', country: 'RU' }), 'native');
	assert.equal(latin.primary_line, 'ULITSA TVERSKAYA 7');
	const bad = await raw('POST', '/v1/intl_verifications', { json: { primary_line: '1 High St', country: 'GB' }, key: srv.keys.live_secret, headers: { 'x-lang-output': 'klingon' } });
	assert.equal(bad.status, 422);
	assert.equal(bad.body.error.message, 'x-lang-output must be one of [native, match]');
});
