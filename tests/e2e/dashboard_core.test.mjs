// SPDX-License-Identifier: AGPL-3.0-or-later
// The dashboard's frame (issue 18): signing in and out, the overview and its chart, test and
// live data, the security of every page (CSP without inline script, cookies, CSRF, roles),
// in real Chromium with axe-core, and over raw HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { req } from './lib/server.mjs';
import { startDashboard, openBrowser, signIn, shot, axeSerious, httpSession } from './lib/dashboard.mjs';

let d, b;
before(async () => {
	d = await startDashboard();
	b = await openBrowser();
});
after(async () => {
	await b?.browser.close();
	await d?.stop();
});

const letter = {
	to: { name: 'Ada <i>Lovelace</i>', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' },
	from: { name: 'Frank Tests', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' },
	file: '<html><body>Hello {{name}}</body></html>',
	color: false,
	use_type: 'operational',
};

test('/ and /dashboard/ send a visitor to the sign-in page, and back after it', async () => {
	let r = await fetch(`${d.baseUrl}/`, { redirect: 'manual' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/dashboard/');
	r = await fetch(`${d.baseUrl}/dashboard/?from=mail`, { redirect: 'manual' });
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/dashboard/signin?next=%2Fdashboard%2F');
});

test('signing in sets an HttpOnly, SameSite=Strict session cookie; a wrong password does not', async () => {
	let r = await fetch(`${d.baseUrl}/dashboard/signin`, {
		method: 'POST', redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: d.owner.email, password: 'not the password' }),
	});
	assert.equal(r.status, 401);
	assert.equal(r.headers.get('set-cookie'), null);
	assert.match(await r.text(), /do not match/);
	r = await fetch(`${d.baseUrl}/dashboard/signin`, {
		method: 'POST', redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: d.owner.email.toUpperCase(), password: d.owner.password, next: '//evil.example/x' }),
	});
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/dashboard/', 'a next outside the dashboard is ignored');
	const cookie = r.headers.get('set-cookie');
	assert.match(cookie, /^frank_session=[0-9a-f]{64}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
});

test('sign-in attempts are limited per e-mail and address', async () => {
	const email = 'nobody-here@example.com';
	let last;
	for (let i = 0; i < 12; i++) {
		last = await fetch(`${d.baseUrl}/dashboard/signin`, {
			method: 'POST', redirect: 'manual',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ email, password: 'guess number ' + i }),
		});
	}
	assert.equal(last.status, 429);
	assert.match(await last.text(), /Too many attempts/);
});

test('a form without the session token, or from another site, is refused', async () => {
	const s = await httpSession(d, d.owner);
	assert.match(s.csrf, /^[0-9a-f]{64}$/);
	let r = await s.post('/dashboard/switch', { mode: 'live' }, { withToken: false });
	assert.equal(r.status, 403);
	assert.match(await r.text(), /form has expired/);
	r = await s.post('/dashboard/switch', { mode: 'live', _csrf: 'f'.repeat(64) }, { withToken: false });
	assert.equal(r.status, 403);
	r = await fetch(`${d.baseUrl}/dashboard/switch`, {
		method: 'POST', redirect: 'manual',
		headers: { cookie: s.cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ mode: 'live', _csrf: s.csrf }),
	});
	assert.equal(r.status, 403);
	assert.match(await r.text(), /another site/);
	r = await s.post('/dashboard/switch', { mode: 'live' });
	assert.equal(r.status, 303);
	assert.match(await (await s.get('/dashboard/')).text(), /<option value="live" selected>/);
});

test('every page carries a CSP without inline script, and is never cached or framed', async () => {
	const s = await httpSession(d, d.owner);
	const r = await s.get('/dashboard/');
	assert.equal(r.status, 200);
	const csp = r.headers.get('content-security-policy');
	assert.match(csp, /script-src 'self'(;|$)/);
	assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
	assert.match(csp, /frame-ancestors 'none'/);
	assert.equal(r.headers.get('cache-control'), 'no-store');
	assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
	const html = await r.text();
	assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'no inline <script>');
	assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
	assert.doesNotMatch(html, /\sstyle=/i, 'no inline styles');
	assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1|localhost)/, 'nothing from another host');
});

test('static files are served by frankd; nothing else under the share directory is', async () => {
	for (const [path, type] of [['frank.css', 'text/css'], ['frank.js', 'text/javascript'], ['favicon.svg', 'image/svg\\+xml']]) {
		const r = await fetch(`${d.baseUrl}/dashboard/static/${path}`);
		assert.equal(r.status, 200, path);
		assert.match(r.headers.get('content-type'), new RegExp(type));
	}
	for (const bad of ['..%2fus_zips.csv', '.hidden.css', 'nothing.css', 'layout.hbs']) {
		const r = await fetch(`${d.baseUrl}/dashboard/static/${bad}`);
		assert.equal(r.status, 404, bad);
		assert.match(r.headers.get('content-type'), /text\/html/);
	}
});

test('an operator signs in to the mail room and cannot open an account\'s mail', async () => {
	const s = await httpSession(d, d.operator);
	let r = await s.get('/dashboard/');
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/dashboard/mailroom');
	r = await s.post('/dashboard/switch', { mode: 'live' });
	assert.equal(r.status, 403);
});

test('in Chromium: sign in, the overview draws the last 30 days, switch to live data, sign out', async () => {
	const { page, problems } = b;
	const created = await req(d, 'POST', '/v1/letters', { key: d.keys.test_secret, json: letter });
	assert.equal(created.status, 200);
	await signIn(page, d, d.owner);
	assert.equal(new URL(page.url()).pathname, '/dashboard/');
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Overview');
	assert.equal(await page.locator('svg.chart rect').count() >= 1, true, 'a bar for today');
	assert.match(await page.locator('svg.chart rect title').first().textContent(), /: 1 /);
	// the recipient's name is text, never markup
	assert.equal(await page.locator('main i').count(), 0);
	assert.match(await page.locator('main').textContent(), /ADA <I>LOVELACE<\/I>/i);
	assert.deepEqual(await axeSerious(page), []);
	await shot(page, 'overview');
	await page.getByLabel('Data').selectOption('live');
	await page.waitForURL(/\/dashboard\/$/);
	assert.match(await page.locator('.notice').textContent(), /live data/);
	assert.match(await page.locator('main').textContent(), /No mail yet/, 'live data has no letters');
	await shot(page, 'overview-live-empty');
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.waitForURL(/\/dashboard\/signin$/);
	assert.deepEqual(await axeSerious(page), []);
	await shot(page, 'signin');
	await page.goto(`${d.baseUrl}/dashboard/`);
	assert.match(page.url(), /\/dashboard\/signin\?next=/);
	assert.deepEqual(problems, [], 'no script error and no CSP refusal');
});

test('at phone width the overview is still usable', async () => {
	const { context } = b;
	const phone = await context.newPage();
	await phone.setViewportSize({ width: 390, height: 844 });
	await signIn(phone, d, d.viewer);
	const width = await phone.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(width <= 390, `no sideways scrolling (page is ${width} px wide)`);
	await shot(phone, 'overview-phone');
	await phone.close();
});

test('the keyboard alone reaches the content and the menu', async () => {
	const context = await b.browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	await signIn(page, d, d.member);
	await page.keyboard.press('Tab');
	assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content', 'the first stop skips the menus');
	await page.keyboard.press('Enter');
	assert.equal(await page.evaluate(() => document.activeElement.id), 'main', 'Enter moves to the page content');
	// from the top again: the skip link, the account and mode switches, sign out, the menu
	await page.goto(`${d.baseUrl}/dashboard/`);
	const stops = [];
	for (let i = 0; i < 10; i++) {
		await page.keyboard.press('Tab');
		stops.push(await page.evaluate(() => {
			const el = document.activeElement;
			return (el.labels?.[0]?.textContent || el.textContent).trim();
		}));
	}
	assert.ok(stops.includes('Account') && stops.includes('Data'), `switches reachable: ${stops}`);
	assert.ok(stops.includes('Sign out'), `sign out reachable: ${stops}`);
	assert.ok(stops.includes('Overview') && stops.includes('Letters'), `menu reachable: ${stops}`);
	await context.close();
});

test('the team page: an owner adds a new member, changes a role, and cannot remove the last owner', async () => {
	const owner = await httpSession(d, d.owner);
	let r = await owner.post('/dashboard/team', { email: 'newcomer@example.com', role: 'viewer' });
	assert.equal(r.status, 422, 'a new user needs a first password');
	assert.match(await r.text(), /give a first password/);
	r = await owner.post('/dashboard/team', { email: 'Newcomer@Example.com', role: 'viewer', password: 'first password 1' });
	assert.equal(r.status, 303);
	let page = await (await owner.get('/dashboard/team')).text();
	assert.match(page, /newcomer@example\.com/);
	const id = /action="\/dashboard\/team\/(usr_[0-9a-f]+)\/role"[\s\S]{0,400}?Role of newcomer@example\.com/.exec(page)?.[1];
	assert.ok(id, 'the newcomer has a row with a role form');
	// the newcomer signs in with the first password, as a viewer who cannot change the team
	const newcomer = await httpSession(d, { email: 'newcomer@example.com', password: 'first password 1' });
	page = await (await newcomer.get('/dashboard/team')).text();
	assert.match(page, /Only the account's owners can change the team/);
	r = await newcomer.post(`/dashboard/team/${id}/role`, { role: 'owner' });
	assert.equal(r.status, 403, 'a viewer cannot promote itself');
	r = await owner.post(`/dashboard/team/${id}/role`, { role: 'member' });
	assert.equal(r.status, 303);
	assert.match(await (await newcomer.get('/dashboard/team')).text(), /newcomer@example\.com[\s\S]*?<td>member<\/td>/, 'the new role shows on the next page');
	// the last owner cannot demote or remove itself
	const ownerId = /action="\/dashboard\/team\/(usr_[0-9a-f]+)\/role"[\s\S]{0,400}?Role of ([^<]+)</g;
	let mine = null;
	for (const m of (await (await owner.get('/dashboard/team')).text()).matchAll(ownerId)) if (m[2] === d.owner.email) mine = m[1];
	assert.ok(mine);
	r = await owner.post(`/dashboard/team/${mine}/remove`);
	assert.equal(r.status, 409);
	assert.match(await r.text(), /needs an owner/);
	r = await owner.post(`/dashboard/team/${id}/remove`);
	assert.equal(r.status, 303);
	r = await newcomer.get('/dashboard/');
	assert.equal(r.status, 403, 'removed: the session no longer shows the account');
});

test('in Chromium: the team page is accessible', async () => {
	const context = await b.browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	await signIn(page, d, d.owner);
	await page.goto(`${d.baseUrl}/dashboard/team`);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Team');
	assert.deepEqual(await axeSerious(page), []);
	await shot(page, 'team');
	await context.close();
});
