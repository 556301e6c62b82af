// SPDX-License-Identifier: AGPL-3.0-or-later
// The account's pages of the dashboard (issue 18): webhooks with their secret, delivery log
// and Retry; API keys shown once and revoked (the API then answers 401); settings and the
// test clock; certified mail and campaigns read through their APIs. In real Chromium with
// axe-core and a screenshot of every page, and over raw HTTP for the roles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { req, startFrank, storeSql } from './lib/server.mjs';
import { startDashboard, openBrowser, signIn, shot, axeSerious, httpSession, createUser } from './lib/dashboard.mjs';

let d, b, receiver, port;
const got = [];		// deliveries the receiver answered 200: {id, type, raw, headers}
let failing = false;	// answer 503 while set
let hits = 0;

before(async () => {
	receiver = http.createServer((rq, rs) => {
		let raw = '';
		rq.on('data', (c) => (raw += c));
		rq.on('end', () => {
			hits++;
			if (failing) return rs.writeHead(503).end('down');
			const e = JSON.parse(raw);
			got.push({ id: e.id, type: e.event_type.id, raw, headers: rq.headers });
			rs.writeHead(200).end('ok');
		});
	});
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	port = receiver.address().port;
	// a movable clock (FRANK_CLOCK) starting now; retries a minute apart (the default), so a
	// failed delivery waits for the Retry button
	d = await startDashboard({ env: { FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_CLOCK: new Date().toISOString() } });
	b = await openBrowser();
	b.page.on('dialog', (dlg) => dlg.accept());	// data-confirm forms
	await signIn(b.page, d, d.owner);
});
after(async () => {
	await b?.browser.close();
	await d?.stop();
	receiver?.close();
});

const address = (n) => ({ name: `Grace ${n}`, address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' });

async function until(pred, what, ms = 15000) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await pred();
		if (v) return v;
		if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

async function checkPage(page, name) {
	assert.deepEqual(await axeSerious(page), [], `axe on ${name}`);
	await shot(page, name);
}

const verifies = (secret, h) =>
	h.headers['lob-signature'] === createHmac('sha256', secret).update(`${h.headers['lob-signature-timestamp']}.${h.raw}`).digest('hex');

let hookId;
test('webhooks: an owner adds one, reveals its secret, sees deliveries, a failure, and retries it', async () => {
	const page = b.page;
	await page.goto(`${d.baseUrl}/dashboard/webhooks`);
	assert.match(await page.textContent('main'), /No webhooks yet/);
	await checkPage(page, 'account-webhooks-empty');
	await page.getByLabel('URL of your receiver').fill(`http://127.0.0.1:${port}/hook`);
	await page.getByLabel('Description (optional)').fill('orders system');
	await page.getByLabel('address.created', { exact: true }).check();
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add webhook' }).click()]);
	const m = /\/dashboard\/webhooks\/(whk_[0-9a-f]+)$/.exec(page.url());
	assert.ok(m, page.url());
	hookId = m[1];
	assert.match(await page.textContent('main'), /Webhook created/);
	const masked = await page.textContent('main');
	assert.match(masked, /whsec_…[0-9a-f]{4}/, 'the secret is masked by default');
	assert.doesNotMatch(masked, /whsec_[0-9a-f]{48}/);
	// the API has it too, in this mode
	const api = await req(d, 'GET', `/v1/webhooks/${hookId}`);
	assert.equal(api.status, 200);
	assert.deepEqual(api.body.event_types, ['address.created']);

	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Reveal signing secret' }).click()]);
	const secret = (await page.textContent('[data-secret]')).trim();
	assert.match(secret, /^whsec_[0-9a-f]{48}$/);
	await checkPage(page, 'account-webhook-secret');

	// an event: the delivery arrives signed with that secret and shows in the log
	const a1 = await req(d, 'POST', '/v1/addresses', { json: address(1) });
	assert.equal(a1.status, 200, a1.text);
	const first = await until(() => got.find((g) => g.type === 'address.created'), 'the first delivery');
	assert.ok(verifies(secret, first), 'signed with the revealed secret');
	await page.goto(`${d.baseUrl}/dashboard/webhooks/${hookId}`);
	await until(async () => {
		await page.reload();
		return /succeeded/.test(await page.textContent('table.deliveries'));
	}, 'the delivery in the log');
	const row1 = await page.textContent('table.deliveries tbody tr');
	assert.match(row1, /address\.created/);
	assert.match(row1, /HTTP 200/);
	assert.match(row1, /\d+ ms/);

	// the receiver fails: the attempt shows with its status and the next retry, and Retry
	failing = true;
	const before = hits;
	const a2 = await req(d, 'POST', '/v1/addresses', { json: address(2) });
	assert.equal(a2.status, 200);
	await until(() => hits > before, 'the failing attempt');
	const failedRow = 'table.deliveries tbody tr:has(button:text("Retry now"))';
	await until(async () => {
		await page.reload();
		return (await page.locator(failedRow).count()) === 1;
	}, 'the failed delivery with a Retry button');
	const text = await page.textContent(failedRow);
	assert.match(text, /HTTP 503/);
	assert.match(text, /pending/);
	assert.match(await page.locator(failedRow).locator('[data-attempts]').textContent(), /^1$/);
	const deliveryId = await page.locator(failedRow).getAttribute('data-delivery');
	await checkPage(page, 'account-webhook-failed');

	failing = false;
	await Promise.all([page.waitForNavigation(), page.locator(failedRow).getByRole('button', { name: 'Retry now' }).click()]);
	assert.match(await page.textContent('main'), /Delivery queued again/);
	const row = `table.deliveries tbody tr[data-delivery="${deliveryId}"]`;
	await until(async () => {
		await page.reload();
		return /succeeded/.test(await page.textContent(row));
	}, 'the retried delivery succeeding');
	assert.equal((await page.textContent(`${row} [data-attempts]`)).trim(), '2', 'a new attempt');
	assert.ok(got.some((g) => g.headers && JSON.parse(g.raw).body.id === a2.body.id), 'the retried event arrived');

	// rotation: the new secret signs, the old one no longer verifies
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Rotate signing secret' }).click()]);
	const rotated = (await page.textContent('[data-secret]')).trim();
	assert.match(rotated, /^whsec_[0-9a-f]{48}$/);
	assert.notEqual(rotated, secret);
	assert.match(await page.textContent('main'), /old one no longer verifies/);
	const a3 = await req(d, 'POST', '/v1/addresses', { json: address(3) });
	const third = await until(() => got.find((g) => JSON.parse(g.raw).body.id === a3.body.id), 'a delivery after rotation');
	assert.ok(verifies(rotated, third));
	assert.ok(!verifies(secret, third), 'the old secret stops verifying');

	// the list shows it; 390 px wide without sideways scrolling
	await page.goto(`${d.baseUrl}/dashboard/webhooks`);
	assert.match(await page.textContent('main table'), new RegExp(hookId));
	await checkPage(page, 'account-webhooks');
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto(`${d.baseUrl}/dashboard/webhooks/${hookId}`);
	assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling at 390 px');
	await checkPage(page, 'account-webhook-390');
	await page.setViewportSize({ width: 1280, height: 900 });
});

test('the delivery log pages by the API\'s cursors, 20 a page', async () => {
	const s = await httpSession(d, d.viewer);
	const already = got.length;
	for (let i = 0; i < 22; i++) assert.equal((await req(d, 'POST', '/v1/addresses', { json: address(`page ${i}`) })).status, 200);
	await until(() => got.length >= already + 22, 'the 22 deliveries', 30000);
	const first = await (await s.get(`/dashboard/webhooks/${hookId}`)).text();
	assert.equal((first.match(/<tr data-delivery=/g) || []).length, 20);
	// an attribute as the template escapes it (Handlebars writes = as &#x3D;)
	const older = /href="([^"]+)">Older/.exec(first)?.[1].replaceAll('&#x3D;', '=');
	assert.match(older ?? '', /^\/dashboard\/webhooks\/whk_[0-9a-f]+\?after=[A-Za-z0-9_-]+$/, 'an Older link');
	const second = await (await s.get(older)).text();
	const ids = (html) => [...html.matchAll(/<tr data-delivery="(whd_[0-9a-f]+)"/g)].map((m) => m[1]);
	assert.ok(ids(second).length >= 5, `the rest: ${ids(second).length}`);
	assert.equal(ids(second).filter((id) => ids(first).includes(id)).length, 0, 'no row twice');
	assert.match(second, />Newer</);
	assert.equal((await s.get(`/dashboard/webhooks/${hookId}?after=%27%3B`)).status, 200, 'a cursor that is not one is ignored');
});

test('a new webhook with a bad URL is shown again with the API\'s message and the input kept', async () => {
	const s = await httpSession(d, d.owner);
	const r = await s.post('/dashboard/webhooks', { url: 'ftp://example.com/x', description: 'kept', 'event_types[]': 'letter.created' });
	assert.equal(r.status, 422);
	const html = await r.text();
	assert.match(html, /class="error"/);
	assert.match(html, /value="kept"/);
	assert.match(html, /value="letter.created" checked/);
});

test('API keys: made and shown once, used, revoked in the browser, then refused by the API', async () => {
	const page = b.page;
	await page.goto(`${d.baseUrl}/dashboard/keys`);
	assert.match(await page.textContent('main table'), /test_[0-9a-f]{4}…/, 'the account\'s keys by prefix');
	await checkPage(page, 'account-keys');
	await page.getByLabel('Mode').selectOption('test');
	await page.getByLabel('Type').selectOption('secret');
	const [resp] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Make key' }).click()]);
	assert.equal(resp.status(), 201);
	const key = (await page.textContent('[data-new-key]')).trim();
	assert.match(key, /^test_[0-9a-f]{32}$/);
	assert.ok(!page.url().includes(key), 'not in the URL');
	assert.ok(!(await b.context.cookies()).some((c) => c.value.includes(key)), 'not in a cookie');
	await checkPage(page, 'account-key-made');
	assert.equal((await req(d, 'GET', '/v1/addresses?limit=1', { key })).status, 200, 'the new key works');

	await page.goto(`${d.baseUrl}/dashboard/keys`);
	assert.ok(!(await page.content()).includes(key), 'never shown again');
	const prefix = key.slice(0, 9);
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: `Revoke ${prefix}…` }).click()]);
	assert.match(await page.textContent('main'), /Key revoked/);
	assert.match(await page.textContent(`tr:has(code:text("${prefix}…"))`), /revoked/);
	const refused = await req(d, 'GET', '/v1/addresses?limit=1', { key });
	assert.equal(refused.status, 401);
});

test('viewers and members look but cannot change keys, webhooks or settings; a raw POST is 403', async () => {
	const v = await httpSession(d, d.viewer);
	for (const path of ['/dashboard/keys', '/dashboard/webhooks', `/dashboard/webhooks/${hookId}`, '/dashboard/settings']) {
		const r = await v.get(path);
		assert.equal(r.status, 200, path);
		const html = await r.text();
		assert.doesNotMatch(html, /Make key|Revoke |Add webhook|Reveal signing secret|Rotate signing|Retry now|Save simulation|Move the clock/, path);
	}
	const keys = await (await v.get('/dashboard/keys')).text();
	assert.match(keys, /test_[0-9a-f]{4}…/, 'prefixes only');
	for (const [path, form] of [
		['/dashboard/keys', { mode: 'test', type: 'secret' }],
		[`/dashboard/webhooks/${hookId}/secret`, {}],
		[`/dashboard/webhooks/${hookId}/rotate`, {}],
		['/dashboard/webhooks', { url: `http://127.0.0.1:${port}/x`, 'event_types[]': 'letter.created' }],
		['/dashboard/settings/simulation', { enabled: '1', speed: '5' }],
	]) {
		const r = await v.post(path, form);
		assert.equal(r.status, 403, path);
		assert.doesNotMatch(await r.text(), /whsec_[0-9a-f]{48}|test_[0-9a-f]{32}/);
	}
	const m = await httpSession(d, d.member);
	assert.equal((await m.post('/dashboard/keys', { mode: 'live', type: 'secret' })).status, 403);
	assert.equal((await m.post(`/dashboard/webhooks/${hookId}/delete`)).status, 403);
	assert.equal((await req(d, 'GET', `/v1/webhooks/${hookId}`)).status, 200, 'still there');
	// the browser as a viewer (a second context of the same Chromium): no controls
	const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 900 } });
	try {
		const vp = await ctx.newPage();
		const problems = [];
		vp.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
		await signIn(vp, d, d.viewer);
		await vp.goto(`${d.baseUrl}/dashboard/keys`);
		assert.equal(await vp.getByRole('button', { name: /Make key|Revoke/ }).count(), 0);
		await checkPage(vp, 'account-keys-viewer');
		await vp.goto(`${d.baseUrl}/dashboard/webhooks/${hookId}`);
		assert.equal(await vp.getByRole('button').filter({ hasText: /Reveal|Rotate|Delete|Retry/ }).count(), 0);
		assert.match(await vp.textContent('main'), /whsec_…[0-9a-f]{4}/);
		assert.deepEqual(problems, []);
	} finally {
		await ctx.close();
	}
});

test('settings: the owner changes the simulation (test) and a cancellation window (live); the API shows both; the test clock moves', async () => {
	const page = b.page;
	await page.goto(`${d.baseUrl}/dashboard/settings`);
	assert.ok(await page.getByLabel('letter', { exact: true }).isDisabled(), 'live settings wait for live data');
	await checkPage(page, 'account-settings-test');
	await page.getByLabel(/^Speed/).fill('60');
	await page.getByLabel('Simulate tracking for test pieces').check();
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save simulation' }).click()]);
	assert.match(await page.textContent('main'), /Settings saved/);
	let api = (await req(d, 'GET', '/v1/_frank/settings')).body;
	assert.equal(api.tracking_simulation.speed, 60);
	assert.equal(api.tracking_simulation.enabled, true);

	// a bad share is the API's message, on the page again (raw HTTP: the browser would log the 422)
	const o = await httpSession(d, d.owner);
	const bad = await o.post('/dashboard/settings/simulation', { enabled: '1', speed: '60', return: '0.9', issue: '0.9' });
	assert.equal(bad.status, 422);
	assert.match(await bad.text(), /class="error"[^>]*>[^<]*add up to more than 1/);

	// live data: the cancellation window
	await Promise.all([page.waitForNavigation(), page.getByLabel('Data').selectOption('live')]);
	await page.goto(`${d.baseUrl}/dashboard/settings`);
	await page.getByLabel('letter', { exact: true }).fill('45');
	await page.getByLabel('Default use type').selectOption('operational');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save live mail settings' }).click()]);
	assert.match(await page.textContent('main'), /Settings saved/);
	api = (await req(d, 'GET', '/v1/_frank/settings', { key: d.keys.live_secret })).body;
	assert.equal(api.cancellation_windows.letter, 45);
	assert.equal(api.default_use_type, 'operational');
	await checkPage(page, 'account-settings-live');
	await Promise.all([page.waitForNavigation(), page.getByLabel('Data').selectOption('test')]);

	// the test clock (FRANK_CLOCK is set): one hour forward
	await page.goto(`${d.baseUrl}/dashboard/settings`);
	const was = Date.parse((await req(d, 'GET', '/v1/_frank/clock')).body.now);
	await page.getByLabel('Move forward by (hours)').fill('1');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Move the clock' }).click()]);
	assert.match(await page.textContent('main'), /clock moved forward/);
	const now = Date.parse((await req(d, 'GET', '/v1/_frank/clock')).body.now);
	assert.ok(now - was >= 3600 * 1000, `moved ${now - was} ms`);
});

test('without FRANK_CLOCK the clock is shown read-only, saying why, and cannot be moved', async () => {
	const plain = await startFrank();
	try {
		const owner = await createUser(plain, { account: plain.keys.account_id });
		const s = await httpSession(plain, owner);
		const html = await (await s.get('/dashboard/settings')).text();
		assert.match(html, /Read-only: this server runs on real time/);
		assert.doesNotMatch(html, /Move the clock/);
		const r = await s.post('/dashboard/settings/clock', { advance_hours: '1' });
		assert.equal(r.status, 422);
		assert.match(await r.text(), /only be moved when frankd runs with FRANK_CLOCK/);
	} finally {
		await plain.stop();
	}
});

test('certified mail: a certified letter made through the API is listed with its label and the prices', async () => {
	const page = b.page;
	await page.goto(`${d.baseUrl}/dashboard/certified`);
	assert.match(await page.textContent('main'), /No certified mail yet/);
	const body = {
		to: address('Certified'), from: { ...address('Sender'), name: 'Acme' },
		file: '<p>Notice</p>', color: false, use_type: 'operational', extra_service: 'certified_return_receipt',
	};
	const l = await req(d, 'POST', '/v1/letters', { json: body });
	assert.equal(l.status, 200, l.text);
	await page.goto(`${d.baseUrl}/dashboard/certified`);
	const row = await page.textContent(`tr[data-mailing="${l.body.id}"]`);
	assert.match(row, /certified_return_receipt/);
	assert.match(row, /label_generated/);
	assert.match(await page.textContent('main'), /\$\d+\.\d\d/, 'prices in dollars');
	await checkPage(page, 'account-certified');
	const s = await httpSession(d, d.viewer);
	const label = await s.get(`/dashboard/certified/${l.body.id}/label`);
	assert.equal(label.status, 200);
	assert.equal(label.headers.get('content-type'), 'application/pdf');
	assert.equal(Buffer.from(await label.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
	const receipt = await s.get(`/dashboard/certified/${l.body.id}/receipt`);
	assert.equal(receipt.status, 404, 'no receipt before delivery');
	assert.match(await receipt.text(), /not reported/);
	// an unknown mailing: the API's 404, as a page
	assert.equal((await s.get('/dashboard/certified/ltr_0000000000000000/label')).status, 404);
});

test('campaigns: a campaign with its creative and a validated upload, its counts and failures file; a member sends it', async () => {
	const page = b.page;
	await page.goto(`${d.baseUrl}/dashboard/campaigns`);
	assert.match(await page.textContent('main'), /No campaigns yet/);
	await checkPage(page, 'account-campaigns-empty');
	const cmp = (await req(d, 'POST', '/v1/campaigns', { json: { name: 'Spring letters', schedule_type: 'immediate', use_type: 'marketing' } })).body;
	assert.match(cmp.id, /^cmp_/);
	const crv = await req(d, 'POST', '/v1/creatives', {
		json: { campaign_id: cmp.id, resource_type: 'letter', file: '<html><body><p>Dear {{name}}</p></body></html>', description: 'Spring letter', details: { color: false }, from: address('Sender') },
	});
	assert.equal(crv.status, 200, crv.text);
	const up = await req(d, 'POST', '/v1/uploads', {
		json: {
			campaignId: cmp.id,
			requiredAddressColumnMapping: { name: 'recipient', address_line1: 'line1', address_city: 'city', address_state: 'state', address_zip: 'zip' },
			optionalAddressColumnMapping: { address_line2: null, company: null, address_country: null },
			mergeVariableColumnMapping: {},
		},
	});
	assert.ok(up.status === 200 || up.status === 201, up.text);
	const csv = 'recipient,line1,city,state,zip\r\nAda,1 Main St,San Francisco,CA,94107\r\nBob,2 Main St,San Francisco,CA,94107\r\nCy,3 Main St,San Francisco,ZZ,94107\r\n';
	const form = new FormData();
	form.append('file', new Blob([csv], { type: 'text/csv' }), 'spring.csv');
	const file = await req(d, 'POST', `/v1/uploads/${up.body.id}/file`, { body: form });
	assert.equal(file.status, 202, file.text);
	await until(async () => (await req(d, 'GET', `/v1/uploads/${up.body.id}`)).body.state === 'Scheduled', 'the validation');

	await page.goto(`${d.baseUrl}/dashboard/campaigns`);
	assert.match(await page.textContent('main table'), /Spring letters/);
	await checkPage(page, 'account-campaigns');
	await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Spring letters' }).click()]);
	const main = await page.textContent('main');
	assert.match(main, new RegExp(crv.body.id));
	assert.match(main, /spring\.csv/);
	assert.match(main, /Scheduled/);
	const cells = await page.locator(`tr:has-text("${up.body.id}") td.num`).allTextContents();
	assert.deepEqual(cells, ['3', '2', '1'], 'rows, valid, failed');
	const failures = await page.getByRole('link', { name: 'Failed rows (CSV)' }).getAttribute('href');
	const csvOut = await fetch(new URL(failures, d.baseUrl));
	assert.equal(csvOut.status, 200);
	assert.match(await csvOut.text(), /state/);
	await checkPage(page, 'account-campaign');

	// a viewer sees no Send button and cannot send; a member can
	const v = await httpSession(d, d.viewer);
	assert.doesNotMatch(await (await v.get(`/dashboard/campaigns/${cmp.id}`)).text(), /Send campaign/);
	assert.equal((await v.post(`/dashboard/campaigns/${cmp.id}/send`)).status, 403);
	const m = await httpSession(d, d.member);
	const sent = await m.post(`/dashboard/campaigns/${cmp.id}/send`);
	assert.equal(sent.status, 303);
	const after = (await req(d, 'GET', `/v1/campaigns/${cmp.id}`)).body;
	assert.equal(after.is_draft, false);
	const again = await m.post(`/dashboard/campaigns/${cmp.id}/send`);
	assert.equal(again.status, 409, 'a second send is the API\'s conflict');
});

test('an owner deletes a webhook; an unknown one is a 404 page', async () => {
	const s = await httpSession(d, d.owner);
	const made = await req(d, 'POST', '/v1/webhooks', { json: { url: `http://127.0.0.1:${port}/gone`, event_types: ['letter.created'] } });
	assert.equal(made.status, 200);
	const r = await s.post(`/dashboard/webhooks/${made.body.id}/delete`);
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/dashboard/webhooks');
	assert.equal((await req(d, 'GET', `/v1/webhooks/${made.body.id}`)).status, 404);
	assert.equal((await s.get(`/dashboard/webhooks/${made.body.id}`)).status, 404);
	assert.equal((await s.get('/dashboard/webhooks/whk_..%2Fv1%2Fletters')).status, 404);
	assert.equal((await s.post(`/dashboard/webhooks/${made.body.id}/secret`)).status, 404);
});

test('the owners\' changes are in the audit log, with who made them', async () => {
	const rows = await storeSql(d.dataDir, 'SELECT actor, action FROM audit_log ORDER BY id');
	for (const action of ['webhook.created', 'webhook.secret_revealed', 'webhook.delivery_retried', 'webhook.secret_rotated', 'key.created', 'key.revoked', 'settings.changed', 'clock.advanced'])
		assert.ok(rows.includes(`${d.owner.email}|${action}`), `${action} by the owner in:\n${rows}`);
	assert.ok(rows.includes(`${d.member.email}|campaign.sent`));
});

test('no console errors or CSP refusals on any page', () => {
	assert.deepEqual(b.problems, []);
});
