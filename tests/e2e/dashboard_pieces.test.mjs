// SPDX-License-Identifier: AGPL-3.0-or-later
// The dashboard's mail pieces (issue 18): lists of letters, postcards, self-mailers and checks
// with the API's filters and cursors, the search box (id, key:value, start of a name), a
// piece's page (fields, proof thumbnails and PDF, tracking timeline, events, Cancel), and
// "Send a letter" from a template — in real Chromium with axe-core, and over raw HTTP for
// the roles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { req } from './lib/server.mjs';
import { startDashboard, openBrowser, signIn, shot, axeSerious, httpSession } from './lib/dashboard.mjs';

let d, b;
before(async () => {
	// a test clock: the simulated USPS journey starts once the clock passes the send date
	d = await startDashboard({ env: { FRANK_CLOCK: '2026-12-07T12:00:00.000Z' } });
	b = await openBrowser();
});
after(async () => {
	await b?.browser.close();
	await d?.stop();
});

const home = { name: 'Frank Tests', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const person = (name) => ({ ...home, name, address_line1: '210 King St' });
const letter = (name, extra = {}) => ({ to: person(name), from: home, file: '<p>Notice</p>', color: false, use_type: 'operational', ...extra });
const api = (method, path, json) => req(d, method, path, json ? { json } : {});

async function rendered(id) {
	const end = Date.now() + 20000;
	let l;
	while ((l = (await api('GET', `/v1/letters/${id}`)).body).status !== 'rendered') {
		assert.ok(Date.now() < end, `letter ${id} rendered in time (${l.status})`);
		await sleep(100);
	}
	return l;
}

// a page answered 422 or 404 on purpose: Chromium logs that load as a console error
function forgetErrorPage(status) {
	const i = b.problems.findLastIndex((p) => p.includes(`status of ${status}`));
	assert.ok(i >= 0, `the ${status} page was loaded`);
	b.problems.splice(i, 1);
}

async function checkPage(page, name) {
	assert.deepEqual(b.problems, [], `${name}: no script error and no CSP refusal`);
	assert.deepEqual(await axeSerious(page), [], `${name}: no serious axe violation`);
	await shot(page, `pieces-${name}`);
}

let sent;	// the letter sent in the browser
let other;	// a letter canceled in the browser
test('a new account\'s lists say how to send the first piece', async () => {
	const { page } = b;
	await signIn(page, d, d.owner);
	await page.goto(`${d.baseUrl}/dashboard/postcards`);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Postcards');
	assert.match(await page.locator('.empty').textContent(), /No Postcards yet[\s\S]*POST \/v1\/postcards/);
	await checkPage(page, 'postcards-empty');
	await page.goto(`${d.baseUrl}/dashboard/letters`);
	assert.equal(await page.getByRole('link', { name: 'Send your first letter' }).getAttribute('href'), '/dashboard/letters/new');
	await checkPage(page, 'letters-empty');
	for (const kind of ['self_mailers', 'checks']) {
		const r = await page.goto(`${d.baseUrl}/dashboard/${kind}`);
		assert.equal(r.status(), 200, kind);
	}
});

test('owner sends a letter from a template; Lob\'s errors come back into the form', async () => {
	const { page } = b;
	const tmpl = await api('POST', '/v1/templates', { description: 'Welcome letter', html: '<html><body><h1>Hello {{name}}</h1><p>Welcome.</p></body></html>' });
	assert.equal(tmpl.status, 200, tmpl.text);
	const addr = await api('POST', '/v1/addresses', person('Grace Hopper'));
	assert.equal(addr.status, 200, addr.text);
	// the simulated journey is opt-in for test pieces: on before the letter exists
	await api('POST', '/v1/_frank/settings', { tracking_simulation: { enabled: true, speed: 100000 } });
	await page.goto(`${d.baseUrl}/dashboard/letters/new`);
	assert.deepEqual(await page.locator('#color option').allTextContents(), ['Black and white', 'Colour']);
	assert.deepEqual(await page.locator('#use_type option').allTextContents(), ['Operational', 'Marketing']);
	await page.getByLabel('Template').selectOption(tmpl.body.id);
	await page.getByLabel('Saved address').first().selectOption(addr.body.id);
	await page.getByLabel('Merge variables (JSON)').fill('{"name": ');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send the letter' }).click()]);
	assert.match(await page.locator('.error').textContent(), /Merge variables must be a JSON object/);
	assert.equal(await page.getByLabel('Merge variables (JSON)').inputValue(), '{"name": ', 'the input is kept');
	forgetErrorPage(422);
	// no sender: the API's own message, the typed input kept
	await page.getByLabel('Merge variables (JSON)').fill('{"name": "Grace"}');
	await page.getByLabel('Metadata (JSON, optional)').fill('{"batch": "dash-e2e"}');
	const resp = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send the letter' }).click()]);
	assert.equal(resp[0].status(), 422);
	forgetErrorPage(422);
	assert.match(await page.locator('.error').textContent(), /from/);
	assert.equal(await page.getByLabel('Template').inputValue(), tmpl.body.id);
	assert.equal(await page.getByLabel('Metadata (JSON, optional)').inputValue(), '{"batch": "dash-e2e"}');
	await checkPage(page, 'letter-new-error');
	const sender = page.getByRole('group', { name: 'Sender' });
	await sender.getByLabel('Name').fill(home.name);
	await sender.getByLabel('Address line 1').fill(home.address_line1);
	await sender.getByLabel('City').fill(home.address_city);
	await sender.getByLabel('State').fill(home.address_state);
	await sender.getByLabel('ZIP code').fill(home.address_zip);
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send the letter' }).click()]);
	const m = /\/dashboard\/letters\/(ltr_[0-9a-zA-Z]+)$/.exec(page.url());
	assert.ok(m, `the new letter's page opens (${page.url()})`);
	sent = m[1];
	assert.match(await page.locator('.notice').textContent(), new RegExp(`Letter ${sent} was created`));
	const got = (await api('GET', `/v1/letters/${sent}`)).body;
	assert.equal(got.to.id ?? addr.body.id, addr.body.id);
	assert.deepEqual(got.metadata, { batch: 'dash-e2e' });
	assert.equal(got.template_id, tmpl.body.id);
});

test('the list pages with the API\'s cursors; search finds by id, name and metadata', async () => {
	const { page } = b;
	other = (await api('POST', '/v1/letters', letter('Zed Cancelme'))).body.id;
	assert.match(other, /^ltr_/);
	// 26 more letters: two pages of 25
	const made = await Promise.all(Array.from({ length: 26 }, (_, i) => api('POST', '/v1/letters', letter(`Filler ${i}`))));
	assert.ok(made.every((r) => r.status === 200));
	await page.goto(`${d.baseUrl}/dashboard/letters`);
	assert.equal(await page.locator('table.pieces tbody tr').count(), 25);
	await checkPage(page, 'letters-list');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Next page' }).click()]);
	assert.match(page.url(), /after=/);
	assert.equal(await page.locator('table.pieces tbody tr').count(), 28 - 25);
	assert.match(await page.locator('table.pieces').textContent(), new RegExp(sent), 'the oldest letter is on page 2');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Previous page' }).click()]);
	assert.equal(await page.locator('table.pieces tbody tr').count(), 25);
	// an id opens the piece
	await page.getByLabel('Search Letters').fill(sent);
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Search' }).click()]);
	assert.equal(new URL(page.url()).pathname, `/dashboard/letters/${sent}`);
	// the start of the recipient's name, any case
	await page.goto(`${d.baseUrl}/dashboard/letters?q=grace%20h`);
	let ids = await page.locator('table.pieces tbody td:first-child').allTextContents();
	assert.deepEqual(ids, [sent]);
	await checkPage(page, 'letters-name-search');
	await page.goto(`${d.baseUrl}/dashboard/letters?q=filler`);
	assert.equal(await page.locator('table.pieces tbody tr').count(), 25, 'a name search pages too');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Next page' }).click()]);
	assert.equal(await page.locator('table.pieces tbody tr').count(), 1);
	// key:value searches metadata
	await page.goto(`${d.baseUrl}/dashboard/letters?q=batch%3Adash-e2e`);
	ids = await page.locator('table.pieces tbody td:first-child').allTextContents();
	assert.deepEqual(ids, [sent]);
	// the filters form reaches the API's filters; a bad value is the API's message
	await page.goto(`${d.baseUrl}/dashboard/letters?meta_key=batch&meta_value=nothing`);
	assert.match(await page.locator('main').textContent(), /No letter matches/);
	const bad = await page.goto(`${d.baseUrl}/dashboard/letters?created_from=yesterday`);
	assert.equal(bad.status(), 422);
	forgetErrorPage(422);
	assert.match(await page.locator('.error').textContent(), /date_created/);
	await page.goto(`${d.baseUrl}/dashboard/letters?status=rendered&mail_type=usps_first_class&color=false&created_from=2026-12-01&created_to=2026-12-07`);
	assert.ok(await page.locator('table.pieces tbody tr').count() >= 1, 'today\'s rendered letters');
	assert.equal(await page.getByLabel('Status').inputValue(), 'rendered', 'the form keeps its filters');
	await checkPage(page, 'letters-filtered');
});

test('a letter\'s page: fields, proof thumbnails that load, the PDF, events; cancel another', async () => {
	const { page } = b;
	await rendered(sent);
	await page.goto(`${d.baseUrl}/dashboard/letters/${sent}`);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Letter ${sent}`);
	const main = await page.locator('main').textContent();
	for (const text of ['GRACE HOPPER', 'Expected delivery', 'usps_first_class', 'operational', 'USPS', 'batch', 'dash-e2e', 'letter.created'])
		assert.match(main, new RegExp(text, 'i'), text);
	const imgs = page.locator('.thumbs img');
	assert.ok(await imgs.count() >= 1, 'a thumbnail per page');
	await page.waitForFunction(() => [...document.querySelectorAll('.thumbs img')].every((i) => i.complete));
	const widths = await imgs.evaluateAll((all) => all.map((i) => i.naturalWidth));
	assert.ok(widths.every((w) => w > 0), `thumbnails load (${widths})`);
	const pdf = await page.getByRole('link', { name: 'Open the PDF proof' }).getAttribute('href');
	const r = await page.request.get(`${d.baseUrl}${pdf}`);
	assert.equal(r.status(), 200);
	assert.equal(r.headers()['content-type'], 'application/pdf');
	await checkPage(page, 'letter');
	// cancel the other letter (its send date is still ahead)
	await page.goto(`${d.baseUrl}/dashboard/letters/${other}`);
	page.once('dialog', (dlg) => dlg.accept());
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Cancel this letter' }).click()]);
	assert.equal(new URL(page.url()).pathname, '/dashboard/letters');
	assert.match(await page.locator('.notice').textContent(), new RegExp(`letter ${other} was canceled`));
	assert.doesNotMatch(await page.locator('table.pieces').textContent(), new RegExp(other), 'gone from the list');
	await checkPage(page, 'letter-canceled');
	assert.equal((await api('GET', `/v1/letters/${other}`)).status, 404, 'canceled, as the API says');
	assert.equal((await page.goto(`${d.baseUrl}/dashboard/letters/${other}`)).status(), 404);
	forgetErrorPage(404);
});

test('the tracking timeline shows the simulated journey, newest first; too late to cancel', async () => {
	const { page } = b;
	await api('POST', '/v1/_frank/clock', { advance_seconds: 301 });	// past the send date
	const end = Date.now() + 15000;
	while (!(await api('GET', `/v1/letters/${sent}`)).body.tracking_events.some((e) => e.name === 'Delivered')) {
		assert.ok(Date.now() < end, 'the journey completes');
		await sleep(100);
	}
	await page.goto(`${d.baseUrl}/dashboard/letters/${sent}`);
	const steps = await page.locator('.timeline li strong').allTextContents();
	assert.equal(steps[0], 'Delivered');
	assert.equal(steps.at(-1), 'Mailed');
	assert.match(await page.locator('.timeline li').first().textContent(), /UTC · 94107/);
	assert.match(await page.locator('table.events').textContent(), /letter\.delivered/);
	await checkPage(page, 'letter-tracking');
	page.once('dialog', (dlg) => dlg.accept());
	const [resp] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Cancel this letter' }).click()]);
	assert.equal(resp.status(), 422);
	assert.match(await page.locator('.error').textContent(), /can no longer be canceled/);
	forgetErrorPage(422);
	await page.goto(`${d.baseUrl}/dashboard/letters`);
	assert.match(await page.locator('table.pieces').textContent(), /Delivered/, 'the list shows tracking');
	assert.deepEqual(b.problems, [], 'no script error and no CSP refusal');
});

test('a viewer sees no cancel button and no send form; a raw cancel is refused', async () => {
	const s = await httpSession(d, d.viewer);
	let r = await s.get(`/dashboard/letters/${sent}`);
	assert.equal(r.status, 200);
	assert.doesNotMatch(await r.text(), /Cancel this letter|\/cancel"/);
	r = await s.get('/dashboard/letters');
	assert.doesNotMatch(await r.text(), /Send a letter/);
	const fresh = (await api('POST', '/v1/letters', letter('Still Here'))).body.id;
	r = await s.post(`/dashboard/letters/${fresh}/cancel`);
	assert.equal(r.status, 403);
	r = await s.post('/dashboard/letters/new', { template_id: 'tmpl_x' });
	assert.equal(r.status, 403);
	assert.equal((await api('GET', `/v1/letters/${fresh}`)).body.deleted, undefined, 'not canceled');
	// the other kinds share the pages: a postcard in its list and on its page
	const card = await api('POST', '/v1/postcards', { to: person('Paula Card'), from: home, front: '<p>Front</p>', back: '<p>Back</p>', use_type: 'operational' });
	assert.equal(card.status, 200, card.text);
	const list = await (await s.get('/dashboard/postcards?q=paula')).text();
	assert.match(list, new RegExp(`href="/dashboard/postcards/${card.body.id}"`));
	r = await s.get(`/dashboard/postcards/${card.body.id}`);
	assert.equal(r.status, 200);
	assert.match(await r.text(), new RegExp(`<h1>Postcard ${card.body.id}</h1>[\\s\\S]*PAULA CARD`));
	r = await s.get(`/dashboard/letters?q=${card.body.id}`);
	assert.equal(r.headers.get('location'), `/dashboard/postcards/${card.body.id}`, 'an id opens its own kind\'s page');
	// a piece of another kind under the wrong list, and an unknown one, are 404 pages
	r = await s.get(`/dashboard/postcards/${fresh}`);
	assert.equal(r.status, 404);
	r = await s.get('/dashboard/letters/ltr_0000000000000000');
	assert.equal(r.status, 404);
	// an owner's raw cancel without the form token is refused too
	const o = await httpSession(d, d.owner);
	r = await o.post(`/dashboard/letters/${fresh}/cancel`, {}, { withToken: false });
	assert.equal(r.status, 403);
});

test('at phone width the list scrolls its table, not the page', async () => {
	const phone = await b.context.newPage();
	await phone.setViewportSize({ width: 390, height: 844 });
	await phone.goto(`${d.baseUrl}/dashboard/letters`);
	const width = await phone.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= 390, `no sideways scrolling (page is ${width} px wide)`);
	await shot(phone, 'pieces-letters-phone');
	await phone.goto(`${d.baseUrl}/dashboard/letters/${sent}`);
	assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the piece page too');
	await shot(phone, 'pieces-letter-phone');
	await phone.close();
});
