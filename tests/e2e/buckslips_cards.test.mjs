// SPDX-License-Identifier: AGPL-3.0-or-later
// Inserts (/v1/buckslips, /v1/cards and their orders) with the official SDK (CardsApi,
// CardOrdersApi; every response checked against the spec by its axios; SDK 1.4.2 declares
// BuckslipsApi and BuckslipOrdersApi but its bundle ships neither, so buckslips go over raw
// HTTP, checked against the spec too) and raw HTTP for multipart uploads: proofs rendered at the insert's size, orders
// adding stock, a letter naming a card taking one from stock (concurrent letters never lose
// a count; none left: 422 and no letter), a cancelled letter giving it back, the print run's
// lot listing the card to pull; bad input answers Lob's error JSON and stores nothing.
// docs/internals/inserts.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer } from 'node:http';
import { CardsApi, CardOrdersApi, CardEditable, CardUpdatable, CardOrderEditable } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';
import { sdkApi, sdkFails } from './lib/sdk.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';
import { pagesPdf } from './lib/pdf.mjs';

let srv, op, cards, cardOrders, files;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const letter = (extra = {}) => ({ to, from, file: '<p>Notice</p>', color: false, use_type: 'operational', ...extra });
const FRONT = '<html><body style="margin:0;background:#c00;color:#fff">Welcome, member</body></html>';

before(async () => {
	// the customer's file server: a card's front and back as remote PDFs
	files = createServer((q, r) => {
		const pdf = pagesPdf(243, 153, [q.url.slice(1)]);
		r.writeHead(q.url.endsWith('.pdf') ? 200 : 404, { 'Content-Type': 'application/pdf' });
		r.end(q.url.endsWith('.pdf') ? pdf : '');
	});
	await new Promise((ok) => files.listen(0, '127.0.0.1', ok));
	srv = await startFrank({ env: { FRANK_CLOCK: '2026-12-07T15:00:00.000Z', FRANK_ASSET_URL: 'https://lob-assets.com', FRANK_ALLOW_PRIVATE_URLS: '1' } });
	op = await createOperator(srv);
	const url = srv.baseUrl, key = srv.keys.test_secret;
	cards = sdkApi(CardsApi, url, key);
	cardOrders = sdkApi(CardOrdersApi, url, key);
});
after(async () => {
	await srv?.stop();
	files?.close();
});

/* a raw call, its answer checked against the spec */
async function call(method, path, opts = {}) {
	const r = await req(srv, method, path, opts);
	assertResponseMatchesSpec(method, path.split('?')[0], r.status, r.body);
	return r;
}

async function ok(method, path, opts) {
	const r = await call(method, path, opts);
	assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
	return r;
}

async function rendered(kind, id) {
	const end = Date.now() + 60000;
	for (;;) {
		const r = await call('GET', `/v1/${kind}/${id}`);
		assert.equal(r.status, 200, r.text);
		if (r.body.status !== 'processed') return r.body;
		assert.ok(Date.now() < end, `${id} rendered in time`);
		await sleep(100);
	}
}

/* the pages of a fetched PDF and their sizes in inches */
function pdfPages(bytes) {
	const dir = mkdtempSync(join(tmpdir(), 'frank-insert-'));
	try {
		writeFileSync(join(dir, 'p.pdf'), bytes);
		const out = execFileSync('pdfinfo', ['-box', '-f', '1', '-l', '100', join(dir, 'p.pdf')]).toString();
		return [...out.matchAll(/^Page\s+\d+\s+MediaBox:\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)/gm)]
			.map((m) => [(m[3] - m[1]) / 72, (m[4] - m[2]) / 72]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

async function fetchPdf(url) {
	const u = new URL(url);
	const r = await fetch(srv.baseUrl + u.pathname + u.search);
	assert.equal(r.status, 200, url);
	return Buffer.from(await r.arrayBuffer());
}

const near = (got, want) => Math.abs(got - want) < 0.01;
const letterCount = async () => (await call('GET', '/v1/letters?limit=1&include[]=total_count')).body.total_count;

test('a card from HTML (SDK): rendered proof at 3.375x2.125, thumbnails, orders add stock', async () => {
	const card = await cards.create(new CardEditable({ front: FRONT, description: 'Member card' }));
	assert.match(card.id, /^card_[0-9a-f]{16}$/);
	assert.equal(card.object, 'card');
	assert.equal(card.size, '2.125x3.375');
	assert.equal(card.orientation, 'horizontal');
	assert.equal(card.available_quantity, 0);
	assert.equal(card.status, 'processed');
	const done = await rendered('cards', card.id);
	assert.equal(done.status, 'rendered');
	assert.equal(done.thumbnails.length, 2, 'front and back thumbnails');
	const pages = pdfPages(await fetchPdf(done.url));
	assert.equal(pages.length, 2, 'front and (blank) back');
	for (const [w, h] of pages) assert.ok(near(w, 3.375) && near(h, 2.125), `a horizontal card page: ${w}x${h}`);
	const thumb = await fetch(srv.baseUrl + new URL(done.thumbnails[0].small).pathname + new URL(done.thumbnails[0].small).search);
	assert.equal(thumb.status, 200);
	assert.equal(thumb.headers.get('content-type'), 'image/png');

	const order = await cardOrders.create(card.id, new CardOrderEditable({ quantity: 10000 }));
	assert.match(order.id, /^co_[0-9a-f]+$/);
	assert.equal(order.card_id, card.id);
	assert.equal(order.quantity_ordered, 10000);
	assert.equal(order.status, 'available', 'test mode: nothing to print, available at once');
	assert.equal(order.inventory, 10000);
	await cardOrders.create(card.id, new CardOrderEditable({ quantity: 12000 }));
	const got = await cards.get(card.id);
	assert.equal(got.available_quantity, 22000);
	assert.equal(got.pending_quantity, 0);
	assert.equal(got.card_orders, undefined, "a card's orders are listed apart, not in the card");
	const list = await cardOrders.get(card.id, 1, 0);
	assert.equal(list.data.length, 1);
	assert.equal(list.data[0].quantity_ordered, 12000, 'newest first');
	const second = await cardOrders.get(card.id, 10, 1);
	assert.deepEqual(second.data.map((o) => o.quantity_ordered), [10000], 'offset skips');
	const all = await cards.list(10);
	assert.ok(all.data.some((c) => c.id === card.id));
	const updated = await cards.update(card.id, new CardUpdatable({ description: 'Gold card', auto_reorder: true, reorder_quantity: 10000 }));
	assert.equal(updated.description, 'Gold card');
	assert.equal(updated.auto_reorder, true);
	assert.equal(updated.reorder_quantity, 10000);
});

test('a buckslip (raw) with orders shows Lob quantities; a vertical card and PDFs by multipart (raw)', async () => {
	const slip = (await ok('POST', '/v1/buckslips', { json: { front: FRONT, back: '<p>Terms</p>', description: 'Offer' } })).body;
	assert.match(slip.id, /^bck_[0-9a-f]{16}$/);
	assert.equal(slip.size, '8.75x3.75');
	const done = await rendered('buckslips', slip.id);
	assert.equal(done.status, 'rendered');
	for (const [w, h] of pdfPages(await fetchPdf(done.url))) assert.ok(near(w, 8.75) && near(h, 3.75), `${w}x${h}`);
	const order = (await ok('POST', `/v1/buckslips/${slip.id}/orders`, { form: 'quantity=5000' })).body;
	assert.match(order.id, /^bo_[0-9a-f]+$/);
	assert.equal(order.buckslip_id, slip.id);
	const got = (await ok('GET', `/v1/buckslips/${slip.id}`)).body;
	assert.equal(got.available_quantity, 5000);
	assert.equal(got.onhand_quantity, 5000);
	assert.equal(got.projected_quantity, 5000);
	assert.equal(got.allocated_quantity, 0);
	assert.deepEqual(got.buckslip_orders.map((o) => o.id), [order.id], 'a buckslip shows its orders');
	assert.equal((await ok('GET', `/v1/buckslips/${slip.id}/orders?limit=10&offset=0`)).body.data.length, 1);
	assert.ok((await ok('GET', '/v1/buckslips?limit=10')).body.data.some((b) => b.id === slip.id));
	const upd = (await ok('PATCH', `/v1/buckslips/${slip.id}`, { json: { description: 'Spring offer', auto_reorder: true, reorder_quantity: 5000 } })).body;
	assert.equal(upd.description, 'Spring offer');
	assert.equal(upd.reorder_quantity, 5000);

	// multipart: the front and back as uploaded PDFs of the vertical card's size
	const fd = new FormData();
	fd.append('description', 'Vertical');
	fd.append('size', '3.375x2.125');
	fd.append('front', new Blob([pagesPdf(153, 243, ['Front'])], { type: 'application/pdf' }), 'front.pdf');
	fd.append('back', new Blob([pagesPdf(153, 243, ['Back'])], { type: 'application/pdf' }), 'back.pdf');
	const r = await call('POST', '/v1/cards', { body: fd });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.orientation, 'vertical');
	const v = await rendered('cards', r.body.id);
	assert.equal(v.status, 'rendered', JSON.stringify(v.failure_reason));
	const pages = pdfPages(await fetchPdf(v.url));
	assert.equal(pages.length, 2);
	for (const [w, h] of pages) assert.ok(near(w, 2.125) && near(h, 3.375), `a vertical card page: ${w}x${h}`);
	// a PDF of the wrong size fails the render with Lob's reason, as a piece's does
	const fd2 = new FormData();
	fd2.append('front', new Blob([pagesPdf(612, 792, ['Letter size'])], { type: 'application/pdf' }), 'front.pdf');
	const bad = await call('POST', '/v1/buckslips', { body: fd2 });
	assert.equal(bad.status, 200, bad.text);
	const failed = await rendered('buckslips', bad.body.id);
	assert.equal(failed.status, 'failed');
});

test('a card from a template id (JSON) and from remote files (form body, as Lob\'s curl); idempotent create', async () => {
	const tmpl = await call('POST', '/v1/templates', { json: { description: 'card art', html: '<html><body>Template card</body></html>' } });
	assert.equal(tmpl.status, 200, tmpl.text);
	const byTemplate = await call('POST', '/v1/cards', { json: { front: tmpl.body.id } });
	assert.equal(byTemplate.status, 200, byTemplate.text);
	assert.equal((await rendered('cards', byTemplate.body.id)).status, 'rendered');

	const base = `http://127.0.0.1:${files.address().port}`;
	const form = new URLSearchParams({ description: 'Remote card', front: `${base}/front.pdf`, back: `${base}/back.pdf`, size: '2.125x3.375' });
	const remote = await call('POST', '/v1/cards', { form });
	assert.equal(remote.status, 200, remote.text);
	assert.equal(remote.body.description, 'Remote card');
	const done = await rendered('cards', remote.body.id);
	assert.equal(done.status, 'rendered', JSON.stringify(done.failure_reason));
	const pages = pdfPages(await fetchPdf(done.url));
	assert.equal(pages.length, 2, 'the remote front and back');
	const missing = await call('POST', '/v1/cards', { json: { front: `${base}/gone` } });
	assert.equal(missing.status, 200, 'a remote file is fetched by the render, as a piece\'s');
	// the card schema's status has no `failed` (the buckslip's has): Frank says it anyway, with
	// Lob's failure_reason, rather than leave the card `processed` for ever; all else is Lob's
	let failed;
	for (const end = Date.now() + 60000; ; await sleep(100)) {
		failed = (await req(srv, 'GET', `/v1/cards/${missing.body.id}`)).body;
		if (failed.status !== 'processed' || Date.now() > end) break;
	}
	assert.equal(failed.status, 'failed');
	assert.equal(failed.failure_reason.failure_reason, 'invalid_file_url');
	assertResponseMatchesSpec('GET', `/v1/cards/${missing.body.id}`, 200, { ...failed, status: 'processed' });

	const key = `card-${Date.now()}`;
	const first = await call('POST', '/v1/cards', { json: { front: FRONT }, headers: { 'Idempotency-Key': key } });
	const again = await call('POST', '/v1/cards', { json: { front: FRONT }, headers: { 'Idempotency-Key': key } });
	assert.equal(again.status, 200);
	assert.equal(again.body.id, first.body.id, 'the same card, not a second');
});

test('a letter with a card takes one from stock; its cancel gives it back; none left: 422, no letter', async () => {
	const card = await cards.create(new CardEditable({ front: FRONT }));
	const r0 = await call('POST', '/v1/letters', { json: letter({ cards: [card.id] }) });
	assert.equal(r0.status, 422, 'no orders yet: out of stock');
	assert.equal(r0.body.error.code, 'invalid');
	assert.match(r0.body.error.message, /out of stock/);
	const before = await letterCount();
	await cardOrders.create(card.id, new CardOrderEditable({ quantity: 10000 }));
	const r = await call('POST', '/v1/letters', { json: letter({ cards: [card.id] }) });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.cards[0].id, card.id, 'the letter shows its card');
	const read = await call('GET', `/v1/letters/${r.body.id}`);
	assert.equal(read.body.cards[0].id, card.id, 'and keeps showing it');
	assert.match(read.body.cards[0].url, /\/cards\/card_[0-9a-f]{16}\.pdf\?expires=/);
	assert.equal((await cards.get(card.id)).available_quantity, 9999, 'one taken');
	assert.equal(await letterCount(), before + 1);
	const del = await call('DELETE', `/v1/letters/${r.body.id}`);
	assert.equal(del.status, 200, del.text);
	assert.equal((await cards.get(card.id)).available_quantity, 10000, 'the cancel gives it back');
	assert.equal((await call('DELETE', `/v1/letters/${r.body.id}`)).status, 404, 'cancelled once, returned once');
	assert.equal((await cards.get(card.id)).available_quantity, 10000);

	// a letter that fails to render is never printed: its card goes back, once
	const bad = await call('POST', '/v1/letters', { json: letter({ cards: [card.id], file: `http://127.0.0.1:${files.address().port}/gone` }) });
	assert.equal(bad.status, 200, bad.text);
	assert.equal((await cards.get(card.id)).available_quantity, 9999);
	assert.equal((await rendered('letters', bad.body.id)).status, 'failed');
	assert.equal((await cards.get(card.id)).available_quantity, 10000, 'the failed letter gave it back');
	assert.equal((await call('DELETE', `/v1/letters/${bad.body.id}`)).status, 200);
	assert.equal((await cards.get(card.id)).available_quantity, 10000, 'and its cancel does not give it twice');

	// concurrent letters: every 200 took exactly one, none lost
	const results = await Promise.all(Array.from({ length: 12 }, () => req(srv, 'POST', '/v1/letters', { json: letter({ cards: [card.id] }) })));
	const made = results.filter((x) => x.status === 200).length;
	assert.equal(made, 12, results.map((x) => x.status).join(','));
	assert.equal((await cards.get(card.id)).available_quantity, 10000 - made);
	const orders = await cardOrders.get(card.id, 10, 0);
	assert.equal(orders.data[0].inventory, 10000 - made, "the order's inventory went down as well");
});

test('live: an order is pending until the mail room receives it; operator keys only', async () => {
	const live = sdkApi(CardsApi, srv.baseUrl, srv.keys.live_secret);
	const liveOrders = sdkApi(CardOrdersApi, srv.baseUrl, srv.keys.live_secret);
	const card = await live.create(new CardEditable({ front: FRONT }));
	const order = await liveOrders.create(card.id, new CardOrderEditable({ quantity: 10000 }));
	assert.equal(order.status, 'pending');
	assert.equal(order.inventory, 0);
	assert.ok(Date.parse(order.expected_availability_date) > Date.parse(order.date_created), 'a promised date ahead');
	let got = await live.get(card.id);
	assert.equal(got.pending_quantity, 10000);
	assert.equal(got.available_quantity, 0);
	const early = await call('POST', '/v1/letters', { key: srv.keys.live_secret, json: letter({ cards: [card.id] }) });
	assert.equal(early.status, 422, 'pending stock cannot be taken');
	assert.match(early.body.error.message, /out of stock/);

	const PENDING = '/v1/_frank/production/insert_orders';
	assert.equal((await req(srv, 'GET', PENDING)).status, 403, 'an account key is refused');
	const list = await req(srv, 'GET', PENDING, { key: op.key });
	assert.equal(list.status, 200, list.text);
	const row = list.body.data.find((o) => o.id === order.id);
	assert.ok(row, 'the pending order is listed for the mail room');
	assert.equal(row.insert.id, card.id);
	assert.equal(row.account_id, srv.keys.account_id);
	const recv = await req(srv, 'POST', `${PENDING}/${order.id}/receive`, { key: op.key });
	assert.equal(recv.status, 200, recv.text);
	assert.equal(recv.body.status, 'available');
	assert.equal(recv.body.inventory, 10000);
	const twice = await req(srv, 'POST', `${PENDING}/${order.id}/receive`, { key: op.key });
	assert.equal(twice.status, 422, 'received once');
	assert.equal((await req(srv, 'POST', `${PENDING}/co_0000000000000000/receive`, { key: op.key })).status, 404);
	got = await live.get(card.id);
	assert.equal(got.available_quantity, 10000);
	assert.equal(got.pending_quantity, 0);
	const r = await call('POST', '/v1/letters', { key: srv.keys.live_secret, json: letter({ cards: [card.id] }) });
	assert.equal(r.status, 200, r.text);
	assert.equal((await live.get(card.id)).available_quantity, 9999);
	assert.equal((await call('DELETE', `/v1/letters/${r.body.id}`, { key: srv.keys.live_secret })).status, 200);
	assert.ok(!(await req(srv, 'GET', PENDING, { key: op.key })).body.data.some((o) => o.id === order.id), 'no longer pending');
});

test("the print run's lot lists the card to pull", async () => {
	const card = await cards.create(new CardEditable({ front: FRONT }));
	await cardOrders.create(card.id, new CardOrderEditable({ quantity: 10000 }));
	const ids = [];
	for (let i = 0; i < 2; i++) ids.push((await call('POST', '/v1/letters', { json: letter({ cards: [card.id] }) })).body.id);
	const plain = (await call('POST', '/v1/letters', { json: letter() })).body.id;
	for (const id of [...ids, plain]) assert.equal((await rendered('letters', id)).status, 'rendered');
	await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 600 } });	// past the cancel window
	const cut = await req(srv, 'POST', '/v1/_frank/production/print_runs', { key: op.key, json: { include_test: true } });
	assert.equal(cut.status, 200, cut.text);
	const lots = cut.body.lots.filter((l) => JSON.stringify(l.inserts) === JSON.stringify([card.id]));
	assert.equal(lots.length, 1, `one lot with the card: ${JSON.stringify(cut.body.lots.map((l) => l.inserts))}`);
	assert.equal(lots[0].pieces, 2, 'both letters with the card, the plain one apart');
	assert.deepEqual(lots[0].stock.insert_pulls, [{ id: card.id, count: 2 }]);
	assert.ok(lots[0].stock.inserts.some((w) => w.includes(card.id)), JSON.stringify(lots[0].stock.inserts));
});

test("bad input: Lob's error JSON with its codes, nothing stored", async () => {
	const card = await cards.create(new CardEditable({ front: FRONT }));
	const count = async (kind) => (await call('GET', `/v1/${kind}?limit=1&include[]=total_count`)).body.total_count;
	const nCards = await count('cards'), nSlips = await count('buckslips');
	const cases = [
		['POST', '/v1/cards', { json: { description: 'no front' } }, 422, 'invalid', /front is required/],
		['POST', '/v1/cards', { json: { front: FRONT, size: '4x6' } }, 422, 'invalid', /size must be one of/],
		['POST', '/v1/cards', { json: { front: FRONT, description: 'x'.repeat(256) } }, 422, 'invalid', /description length/],
		['POST', '/v1/cards', { json: { front: 'not html nor a url' } }, 422, 'invalid', /front must be/],
		['POST', '/v1/cards', { json: { front: 'ftp://example.com/card.pdf' } }, 422, 'invalid', /front must be/],
		['POST', '/v1/cards', { json: { front: 'tmpl_0000000000000000' } }, 404, 'not_found', /template tmpl_0000000000000000 not found/],
		['POST', '/v1/cards', { json: { front: FRONT, quantity: 5 } }, 422, 'invalid', /quantity is not allowed/],
		['POST', '/v1/buckslips', { json: { front: FRONT, size: '2.125x3.375' } }, 422, 'invalid', /size must be one of/],
		['POST', `/v1/cards/${card.id}/orders`, { json: { quantity: 9999 } }, 422, 'invalid', /quantity must be greater than or equal to 10000/],
		['POST', `/v1/cards/${card.id}/orders`, { json: { quantity: 10000001 } }, 422, 'invalid', /quantity must be less than or equal to 10000000/],
		['POST', `/v1/cards/${card.id}/orders`, { json: {} }, 422, 'invalid', /quantity is required/],
		['POST', `/v1/cards/${card.id}/orders`, { json: { quantity: 'many' } }, 422, 'invalid', /quantity/],
		['POST', '/v1/cards/card_0000000000000000/orders', { json: { quantity: 10000 } }, 404, 'not_found', /card not found/],
		['GET', '/v1/cards/card_0000000000000000/orders', {}, 404, 'not_found', /card not found/],
		['GET', '/v1/buckslips/bck_0000000000000000', {}, 404, 'not_found', /buckslip not found/],
		['POST', `/v1/cards/${card.id}`, { json: { reorder_quantity: 5000 } }, 422, 'invalid', /reorder_quantity must be greater than or equal to 10000/],
		['POST', `/v1/cards/${card.id}`, { json: { auto_reorder: true } }, 422, 'invalid', /reorder_quantity is required when auto_reorder is true/],
		['POST', `/v1/cards/${card.id}`, { json: { size: '3.375x2.125' } }, 422, 'invalid', /size is not allowed/],
		['POST', '/v1/letters', { json: letter({ cards: ['card_0000000000000000'] }) }, 404, 'not_found', /card card_0000000000000000 not found/],
		['POST', '/v1/letters', { json: letter({ cards: ['bck_123'] }) }, 422, 'invalid', /fails to match the required pattern/],
		['POST', '/v1/letters', { json: letter({ cards: [card.id, card.id] }) }, 422, 'invalid', /cards/],
		['POST', '/v1/letters', { json: letter({ cards: [card.id], size: 'us_legal' }) }, 422, 'invalid', /not available for us_legal/],
	];
	for (const [method, path, opts, status, code, msg] of cases) {
		const r = await call(method, path, opts);
		assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(opts.json)}: ${r.text}`);
		assert.equal(r.body.error.code, code, r.text);
		assert.equal(r.body.error.status_code, status);
		assert.match(r.body.error.message, msg);
	}
	assert.equal(await count('cards'), nCards, 'no card stored');
	assert.equal(await count('buckslips'), nSlips, 'no buckslip stored');
	assert.equal((await cardOrders.get(card.id, 10, 0)).data.length, 0, 'no order placed');

	// a campaign's creative naming a card: refused (a send's batch would fail whole), nothing stored
	const cmp = await call('POST', '/v1/campaigns', { json: { name: 'Members', schedule_type: 'immediate', use_type: 'marketing' } });
	assert.equal(cmp.status, 200, cmp.text);
	const crv = await call('POST', '/v1/creatives', { json: { campaign_id: cmp.body.id, resource_type: 'letter', file: '<p>Hi</p>', details: { color: true, cards: [card.id] }, from } });
	assert.equal(crv.status, 422, crv.text);
	assert.equal(crv.body.error.code, 'invalid');
	assert.match(crv.body.error.message, /cards in a campaign's letters are not supported/);

	// delete: allowed without orders, not_deletable with them (their stock is real)
	const gone = await cards.delete(card.id);
	assert.deepEqual({ id: gone.id, deleted: gone.deleted }, { id: card.id, deleted: true });
	assert.equal((await sdkFails(cards.get(card.id))).status, 404);
	const slip = (await ok('POST', '/v1/buckslips', { json: { front: FRONT } })).body;
	await ok('POST', `/v1/buckslips/${slip.id}/orders`, { json: { quantity: 5000 } });
	const refused = await call('DELETE', `/v1/buckslips/${slip.id}`);
	assert.equal(refused.status, 422);
	assert.equal(refused.body.error.code, 'not_deletable');
	assert.equal((await ok('GET', `/v1/buckslips/${slip.id}`)).body.id, slip.id, 'still there');
	const bare = (await ok('POST', '/v1/buckslips', { json: { front: FRONT } })).body;
	assert.deepEqual((await ok('DELETE', `/v1/buckslips/${bare.id}`)).body, { id: bare.id, deleted: true });
	assert.equal((await call('GET', `/v1/buckslips/${bare.id}`)).status, 404);
});
