// SPDX-License-Identifier: AGPL-3.0-or-later
// Addresses through the official Lob SDK (@lob/lob-typescript-sdk), every raw response body
// validated against the spec (lib/sdk.mjs interceptors), plus raw HTTP where the SDK's own
// model classes get in the way (non-US postcodes, bracket-notation filters).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req } from './lib/server.mjs';
import { addressesApi, sdkFails } from './lib/sdk.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ADR_ID = /^adr_[0-9a-f]{16}$/;

let srv;
let api;

/* raw request + spec check */
async function raw(method, path, opts) {
	const r = await req(srv, method, path, opts);
	assert.ok(r.body !== undefined, `${method} ${path} → ${r.status}: body is not JSON: ${r.text.slice(0, 300)}`);
	assertResponseMatchesSpec(method, path, r.status, r.body);
	return r;
}

/* the raw JSON of the SDK's last exchange */
const lastRaw = () => api.seen[api.seen.length - 1].data;

const harry = {
	description: 'Harry - Office',
	name: 'Harry Zhang',
	company: 'Lob',
	phone: '5555555555',
	email: 'harry@lob.com',
	address_line1: '210 King St',
	address_line2: 'Ste 6100',
	address_city: 'San Francisco',
	address_state: 'ca',
	address_zip: '94107',
	address_country: 'US',
	metadata: { customer: '42' },
};

before(async () => {
	srv = await startFrank();
	api = addressesApi(srv.baseUrl, srv.keys.test_secret);
});
after(async () => {
	await srv?.stop();
});

let created; // raw JSON of harry

test('create a US address (SDK): id, object, country, upper-casing, times', async () => {
	const addr = await api.create(harry);
	const body = lastRaw();
	created = body;
	assert.match(addr.id, ADR_ID);
	assert.equal(body.object, 'address');
	assert.equal(body.address_country, 'UNITED STATES');
	assert.equal(body.name, 'HARRY ZHANG');
	assert.equal(body.company, 'LOB');
	// Lob may fold line 2 into line 1 when it standardises; either way both are upper case
	const lines = [body.address_line1, body.address_line2].filter(Boolean).join(' ');
	assert.equal(lines, '210 KING ST STE 6100', `address lines: ${JSON.stringify([body.address_line1, body.address_line2])}`);
	assert.equal(body.address_city, 'SAN FRANCISCO');
	assert.equal(body.address_state, 'CA');
	assert.match(body.address_zip, /^94107(-\d{4})?$/);
	assert.equal(body.email, 'harry@lob.com');
	assert.equal(body.phone, '5555555555');
	assert.equal(body.description, 'Harry - Office');
	assert.deepEqual(body.metadata, { customer: '42' });
	assert.match(body.date_created, ISO_MS);
	assert.match(body.date_modified, ISO_MS);
	assert.ok(body.date_modified >= body.date_created);
	const age = Date.now() - Date.parse(body.date_created);
	assert.ok(age > -5000 && age < 60000, `date_created ${body.date_created} is not now`);
	assert.ok(!body.deleted, 'a new address is not deleted');
	// the SDK's model sees the same
	assert.equal(addr.address_city, 'SAN FRANCISCO');
	assert.deepEqual(addr.metadata, { customer: '42' });
});

test('create with company only, and with name only (SDK)', async () => {
	const a = await api.create({ company: 'Acme Inc', address_line1: '1 Main St', address_city: 'Springfield', address_state: 'IL', address_zip: '62701', address_country: 'US' });
	assert.match(a.id, ADR_ID);
	assert.equal(lastRaw().company, 'ACME INC');
	const b = await api.create({ name: 'Solo Person', address_line1: '1 Main St', address_city: 'Springfield', address_state: 'IL', address_zip: '62701' });
	assert.equal(lastRaw().name, 'SOLO PERSON');
	assert.equal(lastRaw().address_country, 'UNITED STATES', 'address_country defaults to US');
	await api.delete(a.id);
	await api.delete(b.id);
});

test('create an international address (SDK, and raw with a postcode)', async () => {
	// The SDK's Address model rejects non-US zips/states, so this one carries neither.
	const gb = await api.create({ name: 'Jane Bloggs', address_line1: '10 Downing Street', address_city: 'London', address_country: 'GB' });
	const body = lastRaw();
	assert.match(gb.id, ADR_ID);
	assert.equal(body.object, 'address');
	assert.equal(body.address_country, 'UNITED KINGDOM');
	assert.equal(body.name, 'JANE BLOGGS');
	assert.equal(body.address_line1, '10 DOWNING STREET');
	assert.equal(body.address_city, 'LONDON');

	const r = await raw('POST', '/v1/addresses', {
		json: { name: 'Jane Bloggs', address_line1: '10 Downing Street', address_city: 'London', address_state: 'Greater London', address_zip: 'SW1A 2AA', address_country: 'GB' },
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.address_country, 'UNITED KINGDOM');
	assert.equal(r.body.address_zip, 'SW1A 2AA');
	assert.equal(r.body.address_state, 'GREATER LONDON');

	const ca = await raw('POST', '/v1/addresses', {
		json: { company: 'Maple Co', address_line1: '370 Water St', address_city: 'Summerside', address_state: 'PE', address_zip: 'C1N 1C4', address_country: 'CA' },
	});
	assert.equal(ca.status, 200, ca.text);
	assert.equal(ca.body.address_country, 'CANADA');

	await api.delete(gb.id);
	await raw('DELETE', `/v1/addresses/${r.body.id}`);
	await raw('DELETE', `/v1/addresses/${ca.body.id}`);
});

test('get returns what create returned (SDK)', async () => {
	const got = await api.get(created.id);
	assert.equal(got.id, created.id);
	assert.deepEqual(lastRaw(), created);
	const r = await raw('GET', `/v1/addresses/${created.id}`);
	assert.equal(r.status, 200);
	assert.deepEqual(r.body, created);
	assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
});

test('get an unknown id → 404 not_found (SDK)', async () => {
	const res = await sdkFails(api.get('adr_0000000000000000'));
	assert.equal(res.status, 404);
	assert.equal(res.data.error.code, 'not_found');
	assert.equal(res.data.error.status_code, 404);
});

// --- lists -------------------------------------------------------------------------------

const batchTag = `b${Date.now().toString(36)}`;
const batch = []; // raw bodies, in creation order

async function createBatch(n) {
	for (let i = 0; i < n; i++) {
		await api.create({
			name: `List Person ${i}`,
			address_line1: `${100 + i} Market St`,
			address_city: 'San Francisco',
			address_state: 'CA',
			address_zip: '94105',
			metadata: { batch: batchTag, i: String(i) },
		});
		batch.push(lastRaw());
		await sleep(5); // distinct date_created milliseconds
	}
}

/* the SDK's own cursor extraction from next_url / previous_url */
function tokenOf(list, which) {
	const tok = which === 'next' ? list.nextPageToken : list.previousPageToken;
	if (tok !== undefined) {
		assert.match(tok, /^[A-Za-z0-9_.~-]+$/,
			`${which} cursor ${JSON.stringify(tok)} must survive the SDK's split('=') parsing and re-encoding (no '=', '%', '+', '/')`);
	}
	return tok;
}

test('list: limit 2, walk forward with after and back with before (SDK cursors)', async () => {
	await createBatch(7);
	const all = await api.list(100);
	const expectedIds = all.data.map((a) => a.id);
	assert.ok(expectedIds.length >= 8, `expected ≥ 8 addresses, got ${expectedIds.length}`);
	// newest first
	for (let i = 1; i < all.data.length; i++)
		assert.ok(all.data[i - 1].date_created >= all.data[i].date_created, 'list is not newest first');
	const batchIds = batch.map((b) => b.id);
	const inList = expectedIds.filter((id) => batchIds.includes(id));
	assert.deepEqual(inList, [...batchIds].reverse(), 'batch is not listed newest first');

	// forward
	const pages = [];
	let page = await api.list(2);
	pages.push(page);
	assert.ok(!page.previous_url, `first page has previous_url ${page.previous_url}`);
	while (page.next_url) {
		assert.equal(page.data.length, 2, 'a page before the last is full');
		const after = tokenOf(page, 'next');
		assert.ok(after, `next_url without an after= cursor: ${page.next_url}`);
		assert.ok(pages.length < 50, 'too many pages');
		page = await api.list(2, undefined, after);
		pages.push(page);
	}
	for (const p of pages) {
		assert.equal(p.object, 'list');
		assert.equal(p.count, p.data.length);
		assert.ok(p.data.length <= 2);
	}
	const walked = pages.flatMap((p) => p.data.map((a) => a.id));
	assert.equal(new Set(walked).size, walked.length, 'duplicates while paging forward');
	assert.deepEqual(walked, expectedIds, 'forward paging has gaps or a different order');

	// backward from the last page
	const back = [page.data.map((a) => a.id)];
	let bpage = page;
	let guard = 0;
	while (bpage.previous_url) {
		const before = tokenOf(bpage, 'previous');
		assert.ok(before, `previous_url without a before= cursor: ${bpage.previous_url}`);
		assert.ok(guard++ < 50, 'too many pages');
		bpage = await api.list(2, before);
		assert.ok(bpage.data.length > 0, 'an empty page while paging back');
		back.unshift(bpage.data.map((a) => a.id));
	}
	assert.deepEqual(back.flat(), expectedIds, 'backward paging has gaps, duplicates or a different order');
	// next_url of a page reached backwards still leads forward
	assert.ok(bpage.next_url || expectedIds.length <= 2);
});

test('list: next_url is a usable URL under /v1/addresses', async () => {
	const p = await api.list(2);
	assert.ok(p.next_url, 'expected a next_url');
	const u = new URL(p.next_url, srv.baseUrl);
	assert.equal(u.pathname.replace(/^\/v1/, ''), '/addresses');
	assert.equal(u.searchParams.get('limit'), '2');
	const r = await raw('GET', u.pathname.startsWith('/v1') ? u.pathname + u.search : '/v1' + u.pathname + u.search);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.data.length, 2);
	assert.notEqual(r.body.data[0].id, p.data[0].id);
});

test('list: include total_count (SDK JSON form and include[]=)', async () => {
	const all = await api.list(100);
	const n = all.data.length;
	const p = await api.list(2, undefined, undefined, ['total_count']);
	assert.equal(p.total_count, n, `SDK include=["total_count"]: ${JSON.stringify(lastRaw())}`);
	const r = await raw('GET', '/v1/addresses?limit=2&include[]=total_count');
	assert.equal(r.body.total_count, n);
	const r2 = await raw('GET', '/v1/addresses?limit=2');
	assert.equal(r2.body.total_count, undefined, 'total_count only when asked for');
});

test('list: metadata filter, metadata[k]=v (raw)', async () => {
	const all = await raw('GET', `/v1/addresses?limit=100&metadata[batch]=${batchTag}`);
	assert.deepEqual(all.body.data.map((a) => a.id), batch.map((b) => b.id).reverse());
	const r = await raw('GET', `/v1/addresses?limit=100&metadata[batch]=${batchTag}&metadata[i]=3`);
	assert.deepEqual(r.body.data.map((a) => a.id), [batch[3].id]);
	const none = await raw('GET', '/v1/addresses?metadata[batch]=no-such-batch');
	assert.equal(none.body.data.length, 0);
	assert.equal(none.body.count, 0);
});

test('list: metadata filter as the SDK sends it (metadata={"k":"v"})', async () => {
	const p = await api.list(100, undefined, undefined, undefined, undefined, { batch: batchTag });
	assert.deepEqual(p.data.map((a) => a.id), batch.map((b) => b.id).reverse());
	const one = await api.list(10, undefined, undefined, undefined, undefined, { batch: batchTag, i: '3' });
	assert.deepEqual(one.data.map((a) => a.id), [batch[3].id]);
});

const ids = (l) => l.data.map((a) => a.id);
const rev = (xs) => xs.map((b) => b.id).reverse();

test('list: date_created filter, date_created[op]=… (raw)', async () => {
	const pivot = encodeURIComponent(batch[3].date_created);
	const q = `/v1/addresses?limit=100&metadata[batch]=${batchTag}`;
	assert.deepEqual(ids((await raw('GET', `${q}&date_created[gte]=${pivot}`)).body), rev(batch.slice(3)), 'gte');
	assert.deepEqual(ids((await raw('GET', `${q}&date_created[gt]=${pivot}`)).body), rev(batch.slice(4)), 'gt');
	assert.deepEqual(ids((await raw('GET', `${q}&date_created[lt]=${pivot}`)).body), rev(batch.slice(0, 3)), 'lt');
	assert.deepEqual(ids((await raw('GET', `${q}&date_created[lte]=${pivot}`)).body), rev(batch.slice(0, 4)), 'lte');
	const range = await raw('GET', `${q}&date_created[gt]=${encodeURIComponent(batch[1].date_created)}` +
		`&date_created[lt]=${encodeURIComponent(batch[5].date_created)}`);
	assert.deepEqual(ids(range.body), rev(batch.slice(2, 5)), 'gt+lt range');
	// a plain date is accepted too
	const day = await raw('GET', `${q}&date_created[gt]=2000-01-01`);
	assert.equal(day.body.data.length, batch.length);
	const future = await raw('GET', `${q}&date_created[gt]=2999-01-01`);
	assert.equal(future.body.data.length, 0);
	const bad = await raw('GET', `${q}&date_created[gt]=yesterday`);
	assert.equal(bad.status, 422, `a date that is not ISO-8601: ${bad.text}`);
});

test('list: date_created filter as the SDK sends it (date_created={"gt":…})', async () => {
	const pivot = batch[3].date_created;
	const mine = (l) => ids(l).filter((id) => batch.some((b) => b.id === id)); // no metadata filter here
	const gte = await api.list(100, undefined, undefined, undefined, { gte: pivot });
	assert.deepEqual(mine(gte), rev(batch.slice(3)), 'gte');
	const lt = await api.list(100, undefined, undefined, undefined, { lt: pivot });
	assert.deepEqual(mine(lt), rev(batch.slice(0, 3)), 'lt');
});

test('list: bad cursors, or before and after together → 422', async () => {
	const p = await api.list(2);
	const after = p.nextPageToken;
	assert.ok(after, 'expected a next page');
	const second = await api.list(2, undefined, after);
	const beforeTok = second.previousPageToken;
	assert.ok(beforeTok, 'expected a previous page');
	const both = await raw('GET', `/v1/addresses?limit=2&before=${beforeTok}&after=${after}`);
	assert.equal(both.status, 422, `before and after together: ${both.text}`);
	for (const q of ['after=garbage', 'before=garbage', `after=${after.slice(0, -3)}`]) {
		const r = await raw('GET', `/v1/addresses?${q}`);
		assert.equal(r.status, 422, `${q}: ${r.text}`);
	}
});

test('list: bad limit → 422', async () => {
	for (const q of ['limit=0', 'limit=101', 'limit=abc']) {
		const r = await raw('GET', `/v1/addresses?${q}`);
		assert.equal(r.status, 422, `${q}: ${r.text}`);
	}
});

test('delete → {id, deleted: true}; then get → 404 and gone from lists (SDK)', async () => {
	const victim = batch[0];
	const d = await api.delete(victim.id);
	assert.equal(d.id, victim.id);
	assert.equal(d.deleted, true);
	assert.deepEqual(Object.keys(lastRaw()).sort().filter((k) => k !== 'object'), ['deleted', 'id']);
	const res = await sdkFails(api.get(victim.id));
	assert.equal(res.status, 404);
	assert.equal(res.data.error.code, 'not_found');
	const p = await raw('GET', `/v1/addresses?limit=100&include[]=total_count&metadata[batch]=${batchTag}`);
	assert.ok(!p.body.data.some((a) => a.id === victim.id), 'a deleted address is still listed');
	assert.equal(p.body.total_count, batch.length - 1);
	const again = await raw('DELETE', `/v1/addresses/${victim.id}`);
	assert.equal(again.status, 404, `deleting twice: ${again.text}`);
});
