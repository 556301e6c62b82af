// SPDX-License-Identifier: AGPL-3.0-or-later
// The mail room in the dashboard (issue 18): an operator signs in with e-mail and password,
// sees the live letters senders made waiting for print, cuts a run, downloads its files,
// marks pieces printed and mailed (by lot, by run, and with the scan field as a DataMatrix
// scanner types), and the sender's letter is then mailed in the API; the audit log names the
// operator; a USPS scan file is uploaded and counted; a failed render is listed with its
// reason and retried. Users get 403. In real Chromium with axe-core, a screenshot per page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { req, storeSql } from './lib/server.mjs';
import { startDashboard, openBrowser, signIn, shot, axeSerious, httpSession } from './lib/dashboard.mjs';
import { webhookReceiver } from './lib/receiver.mjs';
import { pageCount } from './lib/pdftools.mjs';
import { tinyPdf } from './lib/pdf.mjs';

// the mail room's identity on the paperwork (the PS 3877's sender)
const MAIL_ROOM = { FRANK_MAILER_NAME: 'Frank Mail Room', FRANK_MAILER_ADDRESS: '185 Berry St, San Francisco, CA 94107', FRANK_POST_OFFICE: 'San Francisco, CA 94107' };
let d, b, files;
let serveGood = false;	// the remote file of the failing letter: 404 until the sender fixes it
before(async () => {
	files = await webhookReceiver([], {
		'/later.pdf': (rq, rs) => (serveGood
			? rs.writeHead(200, { 'content-type': 'application/pdf' }).end(tinyPdf('Fixed'))
			: rs.writeHead(404).end('not yet')),
	});
	d = await startDashboard({ env: { FRANK_CLOCK: '2026-12-07T15:00:00.000Z', FRANK_MAILER_ID: '123456', FRANK_ALLOW_PRIVATE_URLS: '1', ...MAIL_ROOM } });
	b = await openBrowser();
});
after(async () => {
	await b?.browser.close();
	await d?.stop();
	files?.close();
});

const address = (name) => ({ name, address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' });
const letter = (extra = {}) => ({ to: address('Ada Lovelace'), from: address('Frank Tests'), file: '<p>Notice</p>', color: false, use_type: 'operational', ...extra });
const clockNow = async () => Date.parse((await req(d, 'GET', '/v1/_frank/clock')).body.now);
const advance = (s) => req(d, 'POST', '/v1/_frank/clock', { json: { advance_seconds: s } });

async function settled(id, key) {
	const end = Date.now() + 60000;
	for (;;) {
		const l = (await req(d, 'GET', `/v1/letters/${id}`, { key })).body;
		if (l.status === 'rendered' || l.status === 'failed') return l;
		assert.ok(Date.now() < end, `${id} rendered in time`);
		await sleep(100);
	}
}

// a form refused is answered 422 with the form again, which Chromium logs once
function expectRefusal(problems) {
	assert.deepEqual(problems.splice(0), ['console: Failed to load resource: the server responded with a status of 422 (Unprocessable Content)']);
}
// the run page reloaded (as its Refresh link does) until the build is over
async function waitBuilt(page) {
	for (let end = Date.now() + 90000; (await page.locator('[data-run-status]').textContent()) === 'building';) {
		assert.ok(Date.now() < end, 'the run is built in time');
		await sleep(250);
		await page.reload();
	}
}
async function cutFromDuePage(page) {
	await page.goto(`${d.baseUrl}/dashboard/mailroom`);
	await page.getByRole('button', { name: 'Cut a print run' }).click();
	await page.waitForURL(/\/dashboard\/mailroom\/runs\/run_[0-9a-f]{16}(\?|$)/);
	await waitBuilt(page);
	return new URL(page.url()).pathname.split('/').pop();
}
const main = (page) => page.locator('main').textContent();
async function checkPage(page, name) {
	assert.deepEqual(await axeSerious(page), [], `${name}: axe`);
	assert.equal(await page.locator('h1').count(), 1, `${name}: one h1`);
	await shot(page, name);
}

test('users get 403 on every mail-room page and form', async () => {
	for (const who of [d.owner]) {
		const s = await httpSession(d, who);
		for (const path of ['/dashboard/mailroom', '/dashboard/mailroom/runs', '/dashboard/mailroom/failed', '/dashboard/mailroom/scans', '/dashboard/mailroom/audit']) {
			const r = await s.get(path);
			assert.equal(r.status, 403, `${who.email} ${path}`);
		}
		const r = await s.post('/dashboard/mailroom/runs', { 'products[]': 'letter' });
		assert.equal(r.status, 403);
	}
	const op = await httpSession(d, d.operator);
	const r = await op.post('/dashboard/mailroom/runs', { 'products[]': 'letter' }, { withToken: false });
	assert.equal(r.status, 403, 'no form token');
	for (const path of ['/dashboard/mailroom/runs/run_0000000000000000', '/dashboard/mailroom/failed/ltr_0000000000000000']) {
		const missing = await op.get(path);
		assert.equal(missing.status, 404, path);
		assert.match(missing.headers.get('content-type'), /text\/html/);
	}
	assert.equal((await op.get('/dashboard/mailroom/audit?before=x')).status, 422, 'a cursor that is no entry number');
});

test('the empty mail room tells an operator what comes next', async () => {
	const { page, problems } = b;
	await signIn(page, d, d.operator);
	assert.equal(new URL(page.url()).pathname, '/dashboard/mailroom');
	assert.match(await main(page), /Nothing to print/);
	await checkPage(page, 'mailroom-due-empty');
	for (const [path, text, name] of [['runs', /No print runs yet/, 'mailroom-runs-empty'], ['failed', /No failed renders/, 'mailroom-failed-empty']]) {
		await page.goto(`${d.baseUrl}/dashboard/mailroom/${path}`);
		assert.match(await main(page), text);
		await checkPage(page, name);
	}
	// a cut with nothing due answers the API's reason in the form
	await page.goto(`${d.baseUrl}/dashboard/mailroom`);
	await page.getByRole('button', { name: 'Cut a print run' }).click();
	await page.waitForLoadState();
	assert.match(await page.locator('.error').textContent(), /no live piece is ready to print/);
	expectRefusal(problems);
	assert.deepEqual(problems, []);
});

const day = {};
test('live letters are due, cut into a run, downloaded, printed and mailed; the sender sees them mailed', async () => {
	const { page, problems } = b;
	const live = d.keys.live_secret;
	// two plain letters and a certified one (its own lot, on the PS 3877 firm book)
	for (const name of ['one', 'two', 'three']) day[name] = (await req(d, 'POST', '/v1/letters', { key: live, json: letter({ to: address(`Reader ${name}`), ...(name === 'three' ? { extra_service: 'certified' } : {}) }) })).body;
	day.test = (await req(d, 'POST', '/v1/letters', { key: d.keys.test_secret, json: letter() })).body;
	for (const name of ['one', 'two', 'three']) assert.equal((await settled(day[name].id, live)).status, 'rendered');
	assert.equal((await settled(day.test.id, d.keys.test_secret)).status, 'rendered');
	await advance(600);	// past the cancellation window: due now

	await page.goto(`${d.baseUrl}/dashboard/mailroom`);
	assert.equal(await page.locator('[data-due-live]').textContent(), '3');
	assert.equal(await page.locator('[data-due-test]').textContent(), '1');
	assert.match(await page.locator('table').first().textContent(), /letter\s*3\s*1/);
	assert.match(await page.locator('table').nth(1).textContent(), new RegExp(d.keys.account_id));
	await checkPage(page, 'mailroom-due');

	await page.getByRole('button', { name: 'Cut a print run' }).click();
	await page.waitForURL(/\/dashboard\/mailroom\/runs\/run_[0-9a-f]{16}(\?|$)/);
	const runId = new URL(page.url()).pathname.split('/').pop();
	day.run = runId;
	assert.match(await page.locator('.notice').textContent(), /3 pieces in 2 lots/);
	await waitBuilt(page);
	assert.equal(await page.locator('[data-run-status]').textContent(), 'ready');
	assert.equal(await page.evaluate(() => document.activeElement?.hasAttribute('data-scan')), true, 'the scan field has the focus');
	assert.deepEqual((await page.locator('[data-lot-states]').allTextContents()).sort(), ['1 waiting, 0 printed, 0 mailed, 0 spoiled', '2 waiting, 0 printed, 0 mailed, 0 spoiled']);
	await checkPage(page, 'mailroom-run-ready');

	// the files as the browser downloads them: the lot's PDF, the manifest, the firm book
	const links = { print: 'a[data-kind="print"]', manifest_csv: 'a[download="manifest.csv"]', firm_book_3877: 'a[data-kind="firm_book_3877"]' };
	for (const [kind, type] of [['print', 'application/pdf'], ['manifest_csv', 'text/csv'], ['firm_book_3877', 'application/pdf']]) {
		const href = await page.locator(links[kind]).first().getAttribute('href');
		assert.match(href, /^\/print-runs\/run_/, `${kind}: a link on the dashboard's own host`);
		const r = await page.request.get(`${d.baseUrl}${href}`);
		assert.equal(r.status(), 200, kind);
		assert.match(r.headers()['content-type'], new RegExp(type), kind);
		const body = await r.body();
		if (kind === 'print') assert.ok(await pageCount(body) >= 1, 'the lot PDF has pages');
		if (kind === 'manifest_csv') for (const name of ['one', 'two', 'three']) assert.match(body.toString(), new RegExp(day[name].id));
	}
	const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-kind="print"]').first().click()]);
	assert.match(download.suggestedFilename(), /\.pdf$/);

	// a scanner types the DataMatrix contents and Enter
	const scan = page.locator('[data-scan]');
	await scan.fill(`${runId}|${day.one.id}|1|1`);
	await Promise.all([page.waitForNavigation(), scan.press('Enter')]);
	assert.match(await page.locator('.notice').textContent(), /Marked printed: 1 piece\./);
	const plain = page.locator('section.lot', { hasNotText: 'certified' });
	const certified = page.locator('section.lot', { hasText: 'certified' });
	assert.equal(await plain.locator('[data-lot-states]').textContent(), '1 waiting, 1 printed, 0 mailed, 0 spoiled');
	await certified.getByRole('button', { name: /^Mark lot \d printed$/ }).click();
	await page.waitForLoadState();
	assert.match(await page.locator('.notice').textContent(), /Marked printed: 1 piece\./);
	assert.equal(await certified.locator('[data-lot-states]').textContent(), '0 waiting, 1 printed, 0 mailed, 0 spoiled');
	assert.equal(await page.locator('[data-run-status]').textContent(), 'ready');
	await page.getByRole('button', { name: 'Mark the whole run printed' }).click();
	await page.waitForLoadState();
	assert.match(await page.locator('.notice').textContent(), /Marked printed: 1 piece\./, 'the one left');
	assert.equal(await page.locator('[data-run-status]').textContent(), 'printed');
	// one piece mailed by its id from the scan field, then the rest with the whole run
	await page.getByLabel('A scan marks the piece').selectOption('mailed');
	await page.locator('[data-scan]').fill(day.two.id);
	await Promise.all([page.waitForNavigation(), page.locator('[data-scan]').press('Enter')]);
	assert.match(await page.locator('.notice').textContent(), /Marked mailed: 1 piece\./);
	assert.equal(await page.getByLabel('A scan marks the piece').inputValue(), 'mailed', 'the scan action is kept');
	await page.getByRole('button', { name: 'Mark the whole run mailed' }).click();
	await page.waitForLoadState();
	assert.match(await page.locator('.notice').textContent(), /Marked mailed: 2 pieces\./);
	assert.equal(await page.locator('[data-run-status]').textContent(), 'mailed');
	assert.deepEqual((await page.locator('[data-lot-states]').allTextContents()).sort(), ['0 waiting, 0 printed, 1 mailed, 0 spoiled', '0 waiting, 0 printed, 2 mailed, 0 spoiled']);
	await checkPage(page, 'mailroom-run-mailed');

	// the senders' view: each letter has its Mailed tracking event and letter.mailed
	for (const name of ['one', 'two', 'three']) {
		const l = (await req(d, 'GET', `/v1/letters/${day[name].id}`, { key: live })).body;
		assert.deepEqual(l.tracking_events.map((e) => e.name), ['Mailed'], name);
	}
	const mailedEvent = async (type) => (await req(d, 'GET', `/v1/events?event_type=${type}&limit=10`, { key: live })).body.data.map((e) => e.body.id).sort();
	assert.deepEqual(await mailedEvent('letter.mailed'), [day.one.id, day.two.id].sort());
	assert.deepEqual(await mailedEvent('letter.certified.mailed'), [day.three.id], 'the certified letter');
	const testLetter = (await req(d, 'GET', `/v1/letters/${day.test.id}`, { key: d.keys.test_secret })).body;
	assert.equal(testLetter.tracking_events.length, 0, 'the test letter was not in the live run');

	await page.goto(`${d.baseUrl}/dashboard/mailroom/runs`);
	assert.match(await main(page), new RegExp(`${runId}\\s*mailed\\s*live\\s*3`));
	await checkPage(page, 'mailroom-runs');

	await page.goto(`${d.baseUrl}/dashboard/mailroom/audit`);
	// the frame records sign-ins too; the mail room's own actions, newest first
	const rows = (await page.locator('tbody tr').allTextContents()).filter((r) => !/operator\.signin/.test(r));
	const expected = ['print_run.mailed', 'piece.mailed', 'print_run.printed', 'lot.printed', 'piece.printed', 'print_run.cut'];
	assert.equal(rows.length, expected.length, rows.join('\n'));
	expected.forEach((action, i) => {
		assert.match(rows[i], new RegExp(action.replace('.', '\\.')), `entry ${i}`);
		assert.match(rows[i], new RegExp(d.operator.email.replace(/[.+]/g, '\\$&')), `entry ${i}: who`);
	});
	assert.match(rows[4], new RegExp(day.one.id), 'the scanned piece');
	assert.match(rows[0], /mail date \d{4}-\d\d-\d\d/);
	await checkPage(page, 'mailroom-audit');
	assert.deepEqual(problems, []);
});

test('a USPS scan file is uploaded and counted', async () => {
	const { page, problems } = b;
	const imb = (await storeSql(d.dataDir, `SELECT code FROM tracking_codes WHERE object_id = '${day.one.id}' AND length(code) = 20`)).trim();
	assert.match(imb, /^\d{20}$/);
	await advance(3600);
	const at = new Date(await clockNow()).toISOString().replace('T', ' ').slice(0, 19);
	const file = `imb|mailPhase|scanDatetime|scanFacilityZip\n${imb}|Phase 1|${at}|94107\n00270999999999999999|Phase 1|${at}|94107\n${imb}|Phase 1|2020-01-01 00:00:00|94107\n`;
	await page.goto(`${d.baseUrl}/dashboard/mailroom/scans`);
	await checkPage(page, 'mailroom-scans');
	await page.getByLabel('Scan file').setInputFiles({ name: 'ivmtr.txt', mimeType: 'text/plain', buffer: Buffer.from(file) });
	await page.getByRole('button', { name: 'Upload the scan file' }).click();
	await page.waitForLoadState();
	assert.match(await page.locator('.notice').textContent(), /ivmtr\.txt: 3 records read: 1 matched \(1 new, 0 already known\), 1 unmatched, 1 rejected/);
	const l = (await req(d, 'GET', `/v1/letters/${day.one.id}`, { key: d.keys.live_secret })).body;
	assert.deepEqual(l.tracking_events.map((e) => e.name), ['Mailed', 'In Transit']);
	// a JSON file that is not an array of records is refused in the form
	await page.getByLabel('Scan file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"nothing": 1}') });
	await page.getByRole('button', { name: 'Upload the scan file' }).click();
	await page.waitForLoadState();
	assert.match(await page.locator('.error').textContent(), /array of records/);
	expectRefusal(problems);
	assert.deepEqual(problems, []);
});

test('a failed render is listed with its reason, explained, and retried', async () => {
	const { page, problems } = b;
	const url = `http://127.0.0.1:${files.address().port}/later.pdf`;
	const bad = (await req(d, 'POST', '/v1/letters', { key: d.keys.live_secret, json: letter({ file: url }) })).body;
	assert.equal((await settled(bad.id, d.keys.live_secret)).status, 'failed');
	await page.goto(`${d.baseUrl}/dashboard/mailroom/failed`);
	const row = page.locator('tbody tr', { hasText: bad.id });
	assert.equal(await row.count(), 1);
	assert.match(await row.textContent(), /live/);
	await checkPage(page, 'mailroom-failed');
	await row.getByRole('link', { name: bad.id }).click();
	await page.waitForURL(new RegExp(`/failed/${bad.id}$`));
	assert.match(await page.locator('[data-why-answer]').textContent(), /failed/);
	await checkPage(page, 'mailroom-why');
	// a retry of a piece that did not fail is refused by the API
	const op = await httpSession(d, d.operator);
	const refused = await op.post(`/dashboard/mailroom/failed/${day.one.id}/retry`);
	assert.equal(refused.status, 422);
	assert.match(await refused.text(), /only a failed render can be tried again/);
	serveGood = true;	// the remote file is there now
	await page.getByRole('button', { name: `Retry the render of ${bad.id}` }).click();
	await page.waitForLoadState();
	assert.match(await page.locator('.notice').textContent(), /queued to render again/);
	assert.equal((await settled(bad.id, d.keys.live_secret)).status, 'rendered');
	await page.goto(`${d.baseUrl}/dashboard/mailroom/failed`);
	assert.equal(await page.locator('tbody tr', { hasText: bad.id }).count(), 0, 'no longer failed');
	await page.goto(`${d.baseUrl}/dashboard/mailroom/audit`);
	assert.match(await page.locator('tbody tr').first().textContent(), new RegExp(`piece\\.render_retry\\s*${bad.id}`));
	// customer keys cannot retry renders
	const r = await req(d, 'POST', `/v1/_frank/production/pieces/${bad.id}/render`, { key: d.keys.live_secret });
	assert.equal(r.status, 403);
	assert.deepEqual(problems, []);
});

test('a spoiled piece goes back to the next run as a reprint; older runs page by cursor', async () => {
	const { page, problems } = b;
	const live = d.keys.live_secret;
	const l = (await req(d, 'POST', '/v1/letters', { key: live, json: letter({ to: address('Reader four') }) })).body;
	assert.equal((await settled(l.id, live)).status, 'rendered');
	await advance(600);
	const second = await cutFromDuePage(page);
	assert.equal(await page.locator('[data-run-status]').textContent(), 'ready');
	await page.getByLabel(/Pieces to print again/).fill(`${second}|${l.id}|1|1\n`);
	await page.getByRole('button', { name: 'Mark these pieces spoiled' }).click();
	await page.waitForLoadState();
	assert.match(await page.locator('.notice').textContent(), /Marked spoiled: 1 piece\./);
	// the run also holds the letter whose render was retried above
	assert.equal(await page.locator('[data-lot-states]').textContent(), '1 waiting, 0 printed, 0 mailed, 1 spoiled');
	await page.goto(`${d.baseUrl}/dashboard/mailroom`);
	assert.equal(await page.locator('[data-due-live]').textContent(), '1', 'due again');
	const third = await cutFromDuePage(page);
	assert.match(await page.locator('section.lot h3').textContent(), /\(reprint\)/);
	await checkPage(page, 'mailroom-run-reprint');
	await page.goto(`${d.baseUrl}/dashboard/mailroom/runs?before=${third}`);
	const listed = await main(page);
	assert.ok(listed.includes(second) && listed.includes(day.run) && !listed.includes(third), 'the runs older than the cursor');
	assert.equal(await page.getByRole('link', { name: 'Newest runs' }).count(), 1);
	await page.goto(`${d.baseUrl}/dashboard/mailroom/audit`);
	const rows = (await page.locator('tbody tr').allTextContents()).filter((r) => !/operator\.signin/.test(r));
	assert.match(rows[0], new RegExp(`print_run\\.cut\\s*${third}`));
	assert.match(rows[1], new RegExp(`piece\\.spoiled\\s*${l.id}`));
	assert.deepEqual(problems, []);
});

test('at phone width the run page does not scroll sideways', async () => {
	const phone = await b.context.newPage();
	await phone.setViewportSize({ width: 390, height: 844 });
	await phone.goto(`${d.baseUrl}/dashboard/mailroom/runs/${day.run}`);
	assert.equal(new URL(phone.url()).pathname, `/dashboard/mailroom/runs/${day.run}`, 'signed in (the context\'s cookie)');
	const width = await phone.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= 390, `no sideways scrolling (page is ${width} px wide)`);
	await shot(phone, 'mailroom-run-phone');
	await phone.goto(`${d.baseUrl}/dashboard/mailroom`);
	assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth) <= 390, 'due page too');
	await shot(phone, 'mailroom-due-phone');
	await phone.close();
});
