// SPDX-License-Identifier: AGPL-3.0-or-later
// Print runs (/v1/_frank/production/print_runs): two accounts make a mixed day, an operator
// cuts a run and gets its lots; a piece locked in a run cannot be canceled; a second cut
// takes nothing twice; runs are listed and read; bad input answers Lob's error JSON; spoiled
// pieces come back in the next run's reprint lot with the same IMb; kill -9 during a cut
// leaves no piece in two runs (checked in the store with storeSql).
// docs/internals/production.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, runFrank, lastJsonLine, storeSql } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';
import { pdfBoxes, pdfFonts, pdfWords, dataMatrix } from './lib/printtools.mjs';
import { pdfText } from './lib/pdftools.mjs';

const RUNS = '/v1/_frank/production/print_runs';
const MINUTE = 60e3;
const HOUR = 60 * MINUTE;
// the mail room's identity on the paperwork (the 3877's sender, the permit imprint)
const MAIL_ROOM = { FRANK_MAILER_NAME: 'Frank Mail Room', FRANK_MAILER_ADDRESS: '185 Berry St, San Francisco, CA 94107', FRANK_POST_OFFICE: 'San Francisco, CA 94107', FRANK_PERMIT: '1234, San Francisco, CA' };
let srv, op, other, printDir;
const to = (zip) => ({ name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: zip });
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const pages = (n) => Array.from({ length: n }, (_, i) => `<div style="page-break-after:always">Page ${i + 1}</div>`).join('');
const clockNow = async () => Date.parse((await req(srv, 'GET', '/v1/_frank/clock')).body.now);
const advance = (ms) => req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: ms / 1000 } });

before(async () => {
	printDir = await mkdtemp(join(tmpdir(), 'frank-print-'));
	srv = await startFrank({ env: { FRANK_CLOCK: '2026-12-07T15:00:00.000Z', FRANK_MAILER_ID: '123456', FRANK_PRINT_DIR: printDir, ...MAIL_ROOM } });
	op = await createOperator(srv);
	const r = await runFrank(['accounts', 'create', '--data', srv.dataDir]);
	other = lastJsonLine(r.stdout, (j) => !!j.live_secret);
	assert.ok(other, `a second account: ${r.stdout} ${r.stderr}`);
});
after(async () => {
	await srv?.stop();
	await rm(printDir, { recursive: true, force: true });
});

const KIND_PATH = { ltr: 'letters', psc: 'postcards', sfm: 'self_mailers', chk: 'checks' };
async function create(path, key, json) {
	const r = await req(srv, 'POST', path, { key, json });
	assert.equal(r.status, 200, `${path}: ${r.text}`);
	return r.body;
}
async function settled(id, key) {
	const end = Date.now() + 60000;
	for (;;) {
		const b = (await req(srv, 'GET', `/v1/${KIND_PATH[id.slice(0, 3)]}/${id}`, { key })).body;
		if (b.status === 'rendered' || b.status === 'failed') return b;
		assert.ok(Date.now() < end, `${id} rendered in time`);
		await sleep(100);
	}
}

async function waitBuilt(id) {
	const end = Date.now() + 120000;
	for (;;) {
		const got = await req(srv, 'GET', `${RUNS}/${id}`, { key: op.key });
		assert.equal(got.status, 200, got.text);
		if (got.body.status !== 'building') return got.body;
		assert.ok(Date.now() < end, `${id} built in time`);
		await sleep(100);
	}
}

const letter = (extra = {}) => ({ to: to('94107-1741'), from, file: '<p>Notice</p>', color: true, double_sided: true, use_type: 'operational', ...extra });
const day = {};	// name → piece

test('a mixed day of two accounts is cut into the lots the mail room needs', async () => {
	const A = srv.keys.live_secret, B = other.live_secret;
	day.colour = await create('/v1/letters', A, letter({ to: to('94107-1741') }));
	day.colourB = await create('/v1/letters', B, letter({ to: to('10001') }));
	day.bw = await create('/v1/letters', A, letter({ color: false }));
	day.simplex = await create('/v1/letters', B, letter({ double_sided: false }));
	day.flat = await create('/v1/letters', A, letter({ file: pages(14) }));
	day.certified = await create('/v1/letters', A, letter({ extra_service: 'certified' }));
	day.rr = await create('/v1/letters', B, letter({ extra_service: 'certified_return_receipt' }));
	day.registered = await create('/v1/letters', A, letter({ extra_service: 'registered' }));
	day.pc4x6 = await create('/v1/postcards', A, { to: to('30301'), from, front: '<p>Front</p>', back: '<p>Back</p>', size: '4x6', use_type: 'marketing' });
	day.pc6x11 = await create('/v1/postcards', B, { to: to('30301'), from, front: '<p>Front</p>', back: '<p>Back</p>', size: '6x11', use_type: 'marketing' });
	day.sfm = await create('/v1/self_mailers', A, { to: to('60601'), from, inside: '<p>In</p>', outside: '<p>Out</p>', use_type: 'marketing' });
	const bank = await create('/v1/bank_accounts', A, { description: 'Payroll', routing_number: '322271627', account_number: '123456789', account_type: 'company', signatory: 'Jane Doe' });
	// live micro-deposits: the amounts Frank drew, as the account holder would read them
	const md = JSON.parse(await sqlite(`SELECT json FROM objects WHERE id = 'bmd_${bank.id.slice(5)}'`));
	const verified = await req(srv, 'POST', `/v1/bank_accounts/${bank.id}/verify`, { key: A, json: { amounts: md.amounts } });
	assert.equal(verified.status, 200, verified.text);
	day.check2 = await create('/v1/checks', A, { to: to('94107'), from, bank_account: bank.id, amount: 10, check_number: 20002, message: 'Rent', use_type: 'operational' });
	day.check1 = await create('/v1/checks', A, { to: to('99501'), from, bank_account: bank.id, amount: 12.5, check_number: 20001, message: 'Rent', use_type: 'operational' });
	day.canceled = await create('/v1/letters', A, letter());
	assert.equal((await req(srv, 'DELETE', `/v1/letters/${day.canceled.id}`, { key: A })).status, 200);
	day.test = await create('/v1/letters', srv.keys.test_secret, letter());
	const key = (p) => (p === day.colourB || p === day.simplex || p === day.rr || p === day.pc6x11 ? B : p === day.test ? srv.keys.test_secret : A);
	for (const [name, p] of Object.entries(day)) if (name !== 'canceled') day[name] = await settled(p.id, key(p));
	for (const [name, p] of Object.entries(day)) if (name !== 'canceled') assert.equal(p.status, 'rendered', `${name} rendered`);
	// a piece due later than the cutoff stays out; the one due within it is locked (and
	// can still be canceled by its send date alone — only the lock refuses it)
	const now = await clockNow();
	day.later = await create('/v1/letters', A, letter({ send_date: new Date(now + 2 * HOUR).toISOString() }));
	day.tomorrow = await create('/v1/letters', A, letter({ send_date: new Date(now + 48 * HOUR).toISOString() }));
	day.later = await settled(day.later.id, A);
	day.tomorrow = await settled(day.tomorrow.id, A);
	await advance(10 * MINUTE);	// past the cancellation windows

	const cut = await req(srv, 'POST', RUNS, { key: op.key, json: { cutoff: new Date(now + 3 * HOUR).toISOString() } });
	assert.equal(cut.status, 200, cut.text);
	const run = cut.body;
	day.run = run;
	assert.match(run.id, /^run_[0-9a-f]{16}$/);
	assert.equal(run.object, 'print_run');
	assert.equal(run.status, 'building');
	assert.equal(run.mode, 'live');
	const live = ['colour', 'colourB', 'bw', 'simplex', 'flat', 'certified', 'rr', 'registered', 'pc4x6', 'pc6x11', 'sfm', 'check1', 'check2', 'later'];
	assert.equal(run.pieces, live.length, 'every live rendered piece due by the cutoff, of both accounts');
	assert.equal(run.lots.reduce((n, l) => n + l.pieces, 0), run.pieces, 'lots hold every piece');
	const lotOf = (attrs) => run.lots.filter((l) => Object.entries(attrs).every(([k, v]) => JSON.stringify(l[k]) === JSON.stringify(v)));
	const std = lotOf({ product: 'letter', color: true, double_sided: true, envelope: 'standard_10_double_window', extra_service: null });
	assert.equal(std.length, 1);
	assert.equal(std[0].pieces, 3, 'colour duplex #10 letters of both accounts, and the later one, in one lot');
	assert.equal(lotOf({ product: 'letter', color: false })[0].pieces, 1, 'black and white apart');
	assert.equal(lotOf({ product: 'letter', double_sided: false })[0].pieces, 1, 'single-sided apart');
	const flat = lotOf({ envelope: 'flat_9x12' });
	assert.equal(flat.length, 1, 'over 6 sheets: a flat');
	assert.equal(flat[0].sheets, 7, '14 pages duplex: 7 sheets');
	assert.equal(flat[0].stock.envelope, '9x12 flat window, 28 lb');
	for (const es of ['certified', 'certified_return_receipt', 'registered']) {
		const l = lotOf({ extra_service: es });
		assert.equal(l.length, 1, `${es}: its own lot`);
		assert.equal(l[0].envelope, 'certified_window_10');
	}
	assert.deepEqual(lotOf({ product: 'postcard' }).map((l) => l.size).sort(), ['4x6', '6x11'], 'postcard sizes apart');
	assert.equal(lotOf({ product: 'self_mailer' }).length, 1);
	const checks = lotOf({ product: 'check' });
	assert.equal(checks.length, 1);
	assert.equal(checks[0].pieces, 2);
	assert.match(checks[0].stock.paper, /check stock/);
	for (const l of run.lots) {
		assert.match(l.id, /^lot_[0-9a-f]{16}$/);
		assert.equal(l.stock.pieces, l.pieces);
		assert.ok(Array.isArray(l.files));
	}
	assert.ok(Array.isArray(run.files));
});

test('a piece locked in a run cannot be canceled, and is never cut twice', async () => {
	// its send date is still ahead: only the lock refuses the cancel
	const r = await req(srv, 'DELETE', `/v1/letters/${day.later.id}`, { key: srv.keys.live_secret });
	assert.equal(r.status, 422, r.text);
	assert.equal(r.body.error.code, 'not_deletable');
	assert.match(r.body.error.message, new RegExp(`print run ${day.run.id}`));
	const again = await req(srv, 'POST', RUNS, { key: op.key, json: {} });
	assert.equal(again.status, 422, again.text);
	assert.match(again.body.error.message, /no live piece is ready to print/);
	// the piece due tomorrow can still be canceled
	assert.equal((await req(srv, 'DELETE', `/v1/letters/${day.tomorrow.id}`, { key: srv.keys.live_secret })).status, 200);
});

test('runs are listed and read by id; their files build or the run fails naming why', async () => {
	const list = await req(srv, 'GET', RUNS, { key: op.key });
	assert.equal(list.status, 200, list.text);
	assert.equal(list.body.object, 'list');
	assert.ok(list.body.data.some((r) => r.id === day.run.id));
	const got = { body: await waitBuilt(day.run.id) };
	assert.equal(got.body.status, 'ready', JSON.stringify(got.body.error));
	{
		for (const f of [...got.body.files, ...got.body.lots.flatMap((l) => l.files)]) {
			assert.ok(['print', 'manifest_csv', 'manifest_json', 'firm_book_3877', 'positive_pay'].includes(f.kind), f.kind);
			const dl = await fetch(f.url);
			assert.equal(dl.status, 200, f.url);
			assert.equal((await dl.arrayBuffer()).byteLength, f.bytes, `${f.name}: its bytes`);
		}
		// the hot folder has the whole run, under its id, and no temporary directory
		const names = [...got.body.files, ...got.body.lots.flatMap((l) => l.files)].map((f) => f.name).sort();
		assert.deepEqual(readdirSync(join(printDir, day.run.id)).sort(), names);
		assert.deepEqual(readdirSync(printDir), [day.run.id]);
		const forged = got.body.lots[0].files[0].url.replace(/signature=([0-9a-f]{4})/, (m, p) => `signature=${p === '0000' ? 'ffff' : '0000'}`);
		assert.equal((await fetch(forged)).status, 403, 'a changed signature is refused');
	}
	assert.equal((await req(srv, 'GET', `${RUNS}/run_0000000000000000`, { key: op.key })).status, 404);
});

test("the run's files as a printer checks them: pages, boxes, fonts, addresses, DataMatrix, 3877, positive pay", async () => {
	const run = await waitBuilt(day.run.id);
	assert.equal(run.status, 'ready', JSON.stringify(run.error));
	const plan = JSON.parse(await sqlite(`SELECT plan FROM print_runs WHERE id = '${run.id}'`));
	const dir = join(printDir, run.id);
	const inch = 72;
	for (const lot of plan.lots) {
		const served = run.lots.find((l) => l.id === lot.id);
		const prints = served.files.filter((f) => f.kind === 'print');
		assert.equal(prints.length, 1, `${lot.id}: one print file (a small lot is one part)`);
		const path = join(dir, prints[0].name);
		const boxes = await pdfBoxes(path);
		for (const b of boxes) assert.ok(b.TrimBox && b.BleedBox && b.MediaBox, `${lot.id} page ${b.page}: its boxes`);
		for (const f of await pdfFonts(path)) assert.equal(f.emb, 'yes', `${lot.id}: ${f.name} embedded`);
		if (lot.product === 'letter' || lot.product === 'check') {
			// every piece's pages, plus a blank back after an odd last page when duplex
			const want = lot.pieces.reduce((n, p) => n + p.pages + (lot.double_sided && p.pages % 2 ? 1 : 0), 0);
			assert.equal(boxes.length, want, `${lot.id}: pages equal the pieces' pages plus blanks`);
			for (const b of boxes) assert.deepEqual(b.TrimBox, b.MediaBox, `${lot.id}: printed to size`);
		} else {
			// cards imposed n-up on a press sheet, with the bleed inside the trim's block
			const [x0, y0, x1, y1] = boxes[0].MediaBox;
			assert.ok([[12, 18], [13, 19]].some(([w, h]) => Math.abs(x1 - x0 - w * inch) < 1 && Math.abs(y1 - y0 - h * inch) < 1), `${lot.id}: a press sheet (${x1 - x0} x ${y1 - y0} pt)`);
			const [bx0, by0, bx1, by1] = boxes[0].BleedBox, [tx0, ty0, tx1, ty1] = boxes[0].TrimBox;
			assert.ok(bx0 < tx0 && by0 < ty0 && bx1 > tx1 && by1 > ty1, `${lot.id}: the bleed box is outside the trim box`);
			assert.ok(Math.abs(tx0 - bx0 - 0.125 * inch) < 0.5, `${lot.id}: 0.125 in of bleed`);
			// a front and a back per press sheet; the slug line names run, lot and sheet
			assert.equal(boxes.length, 2 * served.sheets, `${lot.id}: two pages a sheet`);
			const slug = (await pdfWords(path, 1)).map((w) => w.text).join(' ');
			assert.ok(slug.includes(`${run.id} | ${lot.id} | sheet 1 of ${served.sheets} | front`), `${lot.id}: the slug line: ${slug}`);
		}
		if (lot.product !== 'letter') continue;
		// each piece's first sheet: its address (ZIP) in the address block, its DataMatrix
		let page = 1;
		for (const p of lot.pieces) {
			const words = (await pdfWords(path, page)).map((w) => w.text);
			assert.ok(words.some((w) => w.startsWith(p.zip5)), `${p.id}: its ZIP ${p.zip5} on its first page (page ${page} of ${lot.id})`);
			assert.ok(words.includes('HARRY') && words.includes('ZHANG'), `${p.id}: its addressee (in capitals, as Pub 28 asks) on its first page: ${words.join(' ')}`);
			const sheets = lot.double_sided ? Math.ceil(p.pages / 2) : p.pages;
			assert.deepEqual(await dataMatrix(path, page, { x: 0, y: 11 - 1.5, w: 1.5, h: 1.5 }), [`${run.id}|${p.id}|1|${sheets}`], `${p.id}: the inserter's DataMatrix`);
			if (p.imb) assert.match(p.imb.tracking_code, /^00270123456\d{9}$/, `${p.id}: IMb with the Mailer ID`);
			page += p.pages + (lot.double_sided && p.pages % 2 ? 1 : 0);
		}
	}
	// the 3877 lists every accountable piece (certified numbers; registered ones get the
	// clerk's label) and nothing else
	const book = run.files.find((f) => f.kind === 'firm_book_3877');
	const text = (await pdfText(await readFile(join(dir, book.name)))).replace(/ /g, '');
	for (const p of [day.certified, day.rr]) assert.ok(text.includes(p.tracking_number), `${p.id}: ${p.tracking_number} in the 3877`);
	assert.equal(day.registered.tracking_number, null, 'registered: USPS assigns the number');
	const accountable = plan.lots.filter((l) => l.extra_service).flatMap((l) => l.pieces);
	assert.equal(accountable.length, 3);
	// positive pay: the day's two checks, their numbers and amounts
	const pay = run.files.filter((f) => f.kind === 'positive_pay');
	assert.equal(pay.length, 1, 'one bank account: one file');
	const csv = await readFile(join(dir, pay[0].name), 'utf8');
	// the bank's issue file has no header: issue code, account, check number, date, amount, payee
	const rows = csv.trim().split(/\r?\n/).map((r) => r.split(','));
	assert.equal(rows.length, 2, csv);
	assert.deepEqual(rows.map((r) => [r[0], r[1], r[2], r[4], r[5]]), [
		['I', '123456789', '20001', '12.50', 'HARRY ZHANG'],
		['I', '123456789', '20002', '10.00', 'HARRY ZHANG'],
	], csv);
	assert.match(rows[0][3], /^\d{6}$/, 'the issue date as MMDDYY');
});

test('bad input answers Lob error JSON with a clear message', async () => {
	const cases = [
		[{ key: srv.keys.live_secret, json: {} }, 403, /needs an operator key/],
		[{ key: op.key, json: { cutoff: new Date((await clockNow()) + 48 * HOUR).toISOString() } }, 422, /more than 24 hours ahead/],
		[{ key: op.key, json: { cutoff: 'soon' } }, 422, /cutoff must be an ISO 8601/],
		[{ key: op.key, json: { products: ['booklet'] } }, 422, /booklet is not a product/],
		[{ key: op.key, json: { accounts: ['acc_0000000000000000'] } }, 404, /no account acc_0000000000000000/],
		[{ key: op.key, json: { include_test: 'yes' } }, 422, /include_test must be a boolean/],
		[{ key: op.key, json: { color: true } }, 422, /color is not allowed/],
	];
	for (const [opts, status, msg] of cases) {
		const r = await req(srv, 'POST', RUNS, opts);
		assert.equal(r.status, status, r.text);
		assert.match(r.body.error.message, msg);
		assert.equal(r.body.error.status_code, status);
	}
	// an operator key on the customer API
	const r = await req(srv, 'GET', '/v1/letters', { key: op.key });
	assert.equal(r.status, 403);
	// a piece of another run, and of no run
	const other = await req(srv, 'POST', `${RUNS}/${day.run.id}/spoiled`, { key: op.key, json: { pieces: [day.tomorrow.id] } });
	assert.equal(other.status, 404, other.text);
	assert.match(other.body.error.message, /is not in print run/);
	const dm = await req(srv, 'POST', `${RUNS}/${day.run.id}/spoiled`, { key: op.key, json: { pieces: [`run_ffffffffffffffff|${day.colour.id}|1|1`] } });
	assert.equal(dm.status, 422, dm.text);
	assert.match(dm.body.error.message, /printed for run run_ffffffffffffffff/);
});

test('spoiled pieces come back in the next run, in a reprint lot with the same IMb', async () => {
	const r = await req(srv, 'POST', `${RUNS}/${day.run.id}/spoiled`, { key: op.key, json: { pieces: [`${day.run.id}|${day.colour.id}|1|1`, day.bw.id] } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.confirmed.pieces, 2);
	const next = await req(srv, 'POST', RUNS, { key: op.key, json: {} });
	assert.equal(next.status, 200, next.text);
	assert.equal(next.body.pieces, 2);
	assert.ok(next.body.lots.every((l) => l.reprint === true), 'reprint lots');
	// the IMb is the one registered at render: the plan's, stored with the run
	const plan = JSON.parse(await sqlite(`SELECT plan FROM print_runs WHERE id = '${next.body.id}'`));
	const imbs = plan.lots.flatMap((l) => l.pieces).map((p) => [p.id, p.imb?.tracking_code]);
	for (const [id, code] of imbs) {
		const registered = await sqlite(`SELECT code FROM tracking_codes WHERE object_id = '${id}' AND length(code) = 20`);
		assert.equal(code, registered.trim(), `${id}: the same IMb`);
	}
});

const sqliteIn = (server, sql) => storeSql(server.dataDir, sql);
const sqlite = (sql) => sqliteIn(srv, sql);

test('a ready run is confirmed printed, then mailed: events, tracking, webhooks', async () => {
	const run = await waitBuilt(day.run.id);
	assert.equal(run.status, 'ready', JSON.stringify(run.error));
	assert.ok(run.files.some((f) => f.kind === 'firm_book_3877'), 'the run has accountable mail: its 3877');
	assert.ok(run.files.some((f) => f.kind === 'manifest_csv') && run.files.some((f) => f.kind === 'manifest_json'));
	assert.ok(run.files.some((f) => f.kind === 'positive_pay'), 'the day has checks: positive pay');
	assert.ok(run.lots.every((l) => l.files.some((f) => f.kind === 'print')), 'every lot has its print file');
	const lot = run.lots.find((l) => l.product === 'postcard');
	const printed = await req(srv, 'POST', `${RUNS}/${run.id}/printed`, { key: op.key, json: { lots: [lot.id] } });
	assert.equal(printed.status, 200, printed.text);
	assert.equal(printed.body.confirmed.pieces, lot.pieces);
	assert.equal(printed.body.status, 'ready', 'other lots are not printed yet');
	const all = await req(srv, 'POST', `${RUNS}/${run.id}/printed`, { key: op.key, json: {} });
	assert.equal(all.body.status, 'printed');
	const mailed = await req(srv, 'POST', `${RUNS}/${run.id}/mailed`, { key: op.key, json: { mail_date: new Date(await clockNow()).toISOString().slice(0, 10) } });
	assert.equal(mailed.status, 200, mailed.text);
	assert.equal(mailed.body.status, 'mailed');
	assert.deepEqual(mailed.body.confirmed.refused, []);
	const l = await req(srv, 'GET', `/v1/letters/${day.colourB.id}`, { key: other.live_secret });
	assert.ok(l.body.tracking_events.some((e) => e.name === 'Mailed'), 'the Mailed tracking event');
	const ev = await req(srv, 'GET', '/v1/events?event_type=postcard.mailed', { key: other.live_secret });
	assert.ok(ev.body.data.some((e) => e.body.id === day.pc6x11.id), 'postcard.mailed');
	const again = await req(srv, 'POST', `${RUNS}/${run.id}/mailed`, { key: op.key, json: {} });
	assert.equal(again.status, 422);
	assert.match(again.body.error.message, /already mailed/);
});

test('frank production: the CLI twins print the same runs as JSON', async () => {
	const list = await runFrank(['production', 'list', '--data', srv.dataDir]);
	assert.equal(list.code, 0, list.stderr);
	const runs = JSON.parse(list.stdout).data;
	assert.ok(runs.some((r) => r.id === day.run.id));
	const show = await runFrank(['production', 'show', '--data', srv.dataDir, day.run.id]);
	assert.equal(show.code, 0, show.stderr);
	const run = JSON.parse(show.stdout);
	assert.equal(run.pieces, day.run.pieces);
	assert.deepEqual(run.lots.map((l) => l.id), day.run.lots.map((l) => l.id));
	// nothing left to cut: exit 1 and the API's message; the placeholder Mailer ID refused
	const cut = await runFrank(['production', 'cut', '--data', srv.dataDir, '--mailer-id', '123456']);
	assert.equal(cut.code, 1);
	assert.match(cut.stderr, /no live piece is ready to print/);
	const placeholder = await runFrank(['production', 'cut', '--data', srv.dataDir], { env: { FRANK_MAILER_ID: '' } });
	assert.equal(placeholder.code, 1);
	assert.match(placeholder.stderr, /--mailer-id/);
	const usage = await runFrank(['production', 'show', '--data', srv.dataDir]);
	assert.equal(usage.code, 2);
});

test('kill -9 during a cut leaves the whole run or none, and no piece in two runs', async () => {
	const T = srv.keys.test_secret;
	const N = 120;
	const made = [];
	for (let i = 0; i < N; i++) made.push((await create('/v1/postcards', T, { to: to(String(10000 + i)), from, front: '<p>F</p>', back: '<p>B</p>', use_type: 'marketing' })).id);
	for (const id of made) assert.equal((await settled(id, T)).status, 'rendered');
	// the test clock starts again at FRANK_CLOCK after a restart: a cutoff an hour ahead
	// covers the send dates either way
	const cutoff = new Date((await clockNow()) + HOUR).toISOString();
	const inflight = req(srv, 'POST', RUNS, { key: op.key, json: { include_test: true, cutoff } }).catch(() => null);
	await sleep(15);
	await srv.kill9();
	await inflight;
	await srv.restart();
	// whatever the kill left, a second cut takes the rest: each piece is in exactly one run
	const after = await req(srv, 'POST', RUNS, { key: op.key, json: { include_test: true, cutoff } });
	assert.ok(after.status === 200 || after.status === 422, after.text);
	const rows = await sqlite(`SELECT object_id, COUNT(*) FROM print_run_pieces WHERE object_id IN (${made.map((m) => `'${m}'`).join(',')}) GROUP BY object_id`);
	const counts = rows.trim().split('\n').filter(Boolean).map((l) => Number(l.split('|')[1]));
	assert.equal(counts.length, N, 'every piece is in a run');
	assert.ok(counts.every((c) => c === 1), 'no piece in two runs');
	const runs = (await req(srv, 'GET', `${RUNS}?limit=100`, { key: op.key })).body.data.filter((r) => r.mode === 'test');
	for (const r of runs) assert.equal(r.lots.reduce((n, l) => n + l.pieces, 0), r.pieces, `${r.id} whole`);
	const locked = await sqlite(`SELECT COUNT(*) FROM objects WHERE print_run_id IS NOT NULL AND id IN (${made.map((m) => `'${m}'`).join(',')})`);
	assert.equal(Number(locked.trim()), N, 'every lock belongs to a run row');
});

test('a run that cannot be built is failed, names why, and leaves no files anywhere', async () => {
	// no --mailer-name: a run with certified mail has no sender for its PS Form 3877
	const hot = await mkdtemp(join(tmpdir(), 'frank-hot-'));
	const bare = await startFrank({ env: { FRANK_CLOCK: '2026-12-07T15:00:00.000Z', FRANK_MAILER_ID: '123456', FRANK_PRINT_DIR: hot } });
	try {
		const bop = await createOperator(bare);
		const l = await req(bare, 'POST', '/v1/letters', { key: bare.keys.live_secret, json: letter({ extra_service: 'certified' }) });
		assert.equal(l.status, 200, l.text);
		const end = Date.now() + 60000;
		while ((await req(bare, 'GET', `/v1/letters/${l.body.id}`, { key: bare.keys.live_secret })).body.status !== 'rendered') {
			assert.ok(Date.now() < end, 'rendered in time');
			await sleep(100);
		}
		await req(bare, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 3600 } });
		const cut = await req(bare, 'POST', RUNS, { key: bop.key, json: {} });
		assert.equal(cut.status, 200, cut.text);
		let run;
		while ((run = (await req(bare, 'GET', `${RUNS}/${cut.body.id}`, { key: bop.key })).body).status === 'building') {
			assert.ok(Date.now() < end, 'built in time');
			await sleep(100);
		}
		assert.equal(run.status, 'failed');
		assert.match(run.error.message, /--mailer-name/);
		assert.ok(!existsSync(join(bare.dataDir, 'print_runs', run.id)), 'no run directory');
		assert.deepEqual(readdirSync(hot), [], 'nothing in the hot folder');
		const r = await req(bare, 'POST', `${RUNS}/${run.id}/mailed`, { key: bop.key, json: {} });
		assert.equal(r.status, 422);
		assert.match(r.body.error.message, /failed: its files are not ready/);
	} finally {
		await bare.stop();
		await rm(hot, { recursive: true, force: true });
	}
});

test('--print-run-at cuts a live run by itself at that time, and is due again the next day', async () => {
	// Monday 2026-12-07 15:00 UTC; the daily cut at 16:00 UTC
	const daily = await startFrank({ env: { FRANK_CLOCK: '2026-12-07T15:00:00.000Z', FRANK_MAILER_ID: '123456', FRANK_PRINT_RUN_AT: '16:00' } });
	try {
		const dop = await createOperator(daily);
		const l = await req(daily, 'POST', '/v1/letters', { key: daily.keys.live_secret, json: letter() });
		assert.equal(l.status, 200, l.text);
		const end = Date.now() + 60000;
		while ((await req(daily, 'GET', `/v1/letters/${l.body.id}`, { key: daily.keys.live_secret })).body.status !== 'rendered') {
			assert.ok(Date.now() < end, 'rendered in time');
			await sleep(100);
		}
		const list = async () => (await req(daily, 'GET', RUNS, { key: dop.key })).body.data;
		assert.deepEqual(await list(), [], 'no run before 16:00');
		await req(daily, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 3600 + 60 } });
		let runs = [];
		while (!(runs = await list()).length) {
			assert.ok(Date.now() < end, 'the daily run was cut');
			await sleep(100);
		}
		assert.equal(runs.length, 1);
		assert.equal(runs[0].pieces, 1);
		assert.equal(runs[0].mode, 'live');
		assert.ok(Date.parse(runs[0].cutoff) >= Date.parse('2026-12-07T16:00:00.000Z'), runs[0].cutoff);
		// and again on Tuesday at 16:00 (the job is due then)
		let due;
		while (!(due = Number(await sqliteIn(daily, "SELECT due_ms FROM jobs WHERE kind = 'print_run.daily' AND state = 0")))) {
			assert.ok(Date.now() < end, 'the daily job is due again');
			await sleep(100);
		}
		assert.equal(new Date(due).toISOString(), '2026-12-08T16:00:00.000Z');
	} finally {
		await daily.stop();
	}
});
