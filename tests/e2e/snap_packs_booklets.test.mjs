// SPDX-License-Identifier: AGPL-3.0-or-later
// Snap packs and booklets with raw HTTP (Lob's TypeScript SDK 1.4.2 has no API class for
// them): `ord_` ids, the spec's required fields and limits, rendering (the snap pack's inside
// at 8.5x11 carries the address block, the outside is 18x6; a booklet's back cover carries
// the ink-free zone), signed links, list, idempotent replay and cancel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req } from './lib/server.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';
import { pdfText } from './lib/pdftools.mjs';

let srv;
const LOB_ASSETS = 'https://lob-assets.com';
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const page = (text) => `<div style="height:100vh;page-break-after:always">${text}</div>`;
const snap = (extra = {}) => ({ to, from, inside: '<p>Inside for {{name}}</p>', outside: '<p>Outside</p>', use_type: 'operational', merge_variables: { name: 'Harry' }, ...extra });
const booklet = (extra = {}) => ({ to, from, file: `<html><body style="margin:0">${Array.from({ length: 8 }, (_, i) => page(`Page ${i + 1} for {{name}}`)).join('')}</body></html>`, size: '8.375x5.375', pages: 8, use_type: 'marketing', merge_variables: { name: 'Harry' }, ...extra });

// the asset link as frankd serves it (FRANK_ASSET_URL names lob-assets.com)
const local = (url) => url.replace(LOB_ASSETS, srv.baseUrl);

async function until(path, status) {
	const end = Date.now() + 20000;
	let r;
	while ((r = await req(srv, 'GET', path)).body.status === 'processed') {
		assert.ok(Date.now() < end, `${path} still processed`);
		await sleep(50);
	}
	assert.equal(r.body.status, status, JSON.stringify(r.body.failure_reason));
	return r;
}

before(async () => {
	srv = await startFrank({ env: { FRANK_ASSET_URL: LOB_ASSETS } });
});
after(async () => {
	await srv?.stop();
});

test('a snap pack renders: the inside carries the address block, the outside is 18x6', async () => {
	const c = await req(srv, 'POST', '/v1/snap_packs', { json: snap() });
	assert.equal(c.status, 200, c.text);
	assert.match(c.body.id, /^ord_[0-9a-f]{26}$/);
	assert.equal(c.body.object, 'snap_pack');
	assert.equal(c.body.size, '8.5x11');
	assert.equal(c.body.color, false);
	assert.equal(c.body.to.name, 'HARRY ZHANG');
	assertResponseMatchesSpec('POST', '/v1/snap_packs', 200, c.body);
	const r = await until(`/v1/snap_packs/${c.body.id}`, 'rendered');
	assertResponseMatchesSpec('GET', `/v1/snap_packs/${c.body.id}`, 200, r.body);
	assert.match(r.body.url, new RegExp(`^${LOB_ASSETS}/order-creatives/${c.body.id}\\.pdf\\?`));
	assert.equal(r.body.thumbnails.length, 2);
	const pdf = Buffer.from(await (await fetch(local(r.body.url))).arrayBuffer());
	const inside = await pdfText(pdf, 1);
	assert.match(inside, /HARRY ZHANG/);
	assert.match(inside, /Inside for Harry/);
	assert.match(await pdfText(pdf, 2), /Outside/);
	const tampered = local(r.body.url).replace(/signature=./, 'signature=X');
	assert.equal((await fetch(tampered)).status, 403);
	const events = await req(srv, 'GET', '/v1/events?event_type=snap_pack.created');
	assert.ok(events.body.data.some((e) => e.body.id === c.body.id));
});

test('snap pack errors: required sides, sizes, US return address, no QR codes', async () => {
	const body = snap();
	delete body.outside;
	const side = await req(srv, 'POST', '/v1/snap_packs', { json: body });
	assert.equal(side.status, 422);
	assert.equal(side.body.error.message, 'outside is required');
	const size = await req(srv, 'POST', '/v1/snap_packs', { json: snap({ size: '6x18' }) });
	assert.equal(size.body.error.message, 'size must be one of [8.5x11]');
	const intlFrom = await req(srv, 'POST', '/v1/snap_packs', { json: snap({ from: { ...from, address_country: 'CA', address_state: 'ON', address_zip: 'M5V 2T6' } }) });
	assert.equal(intlFrom.status, 422);
	assert.equal(intlFrom.body.error.code, 'foreign_return_address');
	const qr = await req(srv, 'POST', '/v1/snap_packs', { json: snap({ qr_code: { position: 'relative', redirect_url: 'https://example.com', width: 1, top: 1, left: 1 } }) });
	assert.equal(qr.status, 422);
	assert.match(qr.body.error.message, /qr_code is not available for snap packs/);
});

test('a booklet renders 8 pages with the address on the back cover', async () => {
	const c = await req(srv, 'POST', '/v1/booklets', { json: booklet() });
	assert.equal(c.status, 200, c.text);
	assert.match(c.body.id, /^ord_[0-9a-f]{26}$/);
	assert.equal(c.body.object, 'booklet');
	assert.equal(c.body.pages, 8);
	assert.equal(c.body.source_material, '60# Gloss Text');
	assertResponseMatchesSpec('POST', '/v1/booklets', 200, c.body);
	const r = await until(`/v1/booklets/${c.body.id}`, 'rendered');
	assertResponseMatchesSpec('GET', `/v1/booklets/${c.body.id}`, 200, r.body);
	assert.equal(r.body.thumbnails.length, 8);
	const pdf = Buffer.from(await (await fetch(local(r.body.url))).arrayBuffer());
	assert.match(await pdfText(pdf, 1), /Page 1 for Harry/);
	const back = await pdfText(pdf, 8);
	assert.match(back, /HARRY ZHANG/);
	assert.doesNotMatch(await pdfText(pdf, 4), /HARRY ZHANG/, 'only the back cover is stamped');
	const list = await req(srv, 'GET', '/v1/booklets?limit=10');
	assert.equal(list.status, 200);
	assert.ok(list.body.data.some((b) => b.id === c.body.id));
	assertResponseMatchesSpec('GET', '/v1/booklets', 200, list.body);
	const snaps = await req(srv, 'GET', '/v1/snap_packs?limit=50');
	assert.ok(!snaps.body.data.some((b) => b.id === c.body.id), 'booklets and snap packs share ord_ ids, not lists');
	assert.equal((await req(srv, 'GET', `/v1/snap_packs/${c.body.id}`)).status, 404);
});

test('booklet errors: pages in fours from 8 to 32, required fields, a PDF of the wrong page count fails', async () => {
	for (const [pages, msg] of [[10, /pages must be 8, 12, 16, 20, 24, 28 or 32/], [4, /pages/], [36, /pages/]]) {
		const r = await req(srv, 'POST', '/v1/booklets', { json: booklet({ pages }) });
		assert.equal(r.status, 422, `pages ${pages}`);
		assert.match(r.body.error.message, msg);
	}
	const body = booklet();
	delete body.size;
	const size = await req(srv, 'POST', '/v1/booklets', { json: body });
	assert.equal(size.body.error.message, 'size is required');
	const noFrom = booklet();
	delete noFrom.from;
	assert.equal((await req(srv, 'POST', '/v1/booklets', { json: noFrom })).body.error.message, 'from is required');
	// HTML of 3 pages: fewer than a booklet has
	const short = await req(srv, 'POST', '/v1/booklets', { json: booklet({ file: `<html><body style="margin:0">${page('a')}${page('b')}${page('c')}</body></html>` }) });
	assert.equal(short.status, 200);
	const f = await until(`/v1/booklets/${short.body.id}`, 'failed');
	assert.equal(f.body.failure_reason.failure_reason, 'file_pages_below_min');
});

test('idempotent replay and cancel inside the window', async () => {
	const headers = { 'Idempotency-Key': 'snap-replay-1' };
	const a = await req(srv, 'POST', '/v1/snap_packs', { json: snap(), headers });
	const b = await req(srv, 'POST', '/v1/snap_packs', { json: snap(), headers });
	assert.equal(a.body.id, b.body.id);
	const d = await req(srv, 'DELETE', `/v1/snap_packs/${a.body.id}`);
	assert.equal(d.status, 200, d.text);
	assert.deepEqual(d.body, { id: a.body.id, deleted: true });
	assert.equal((await req(srv, 'GET', `/v1/snap_packs/${a.body.id}`)).status, 404);
	const bk = await req(srv, 'POST', '/v1/booklets', { json: booklet() });
	assert.equal((await req(srv, 'DELETE', `/v1/booklets/${bk.body.id}`)).body.deleted, true);
});
