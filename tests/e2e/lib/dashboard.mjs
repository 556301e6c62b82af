// SPDX-License-Identifier: AGPL-3.0-or-later
// The dashboard in a real browser: Debian's Chromium (/usr/bin/chromium, never a downloaded
// one) driven by playwright-core, axe-core run inside the page, screenshots kept as artifacts
// (FRANK_ARTIFACTS, default build/e2e-artifacts/dashboard). Also raw-HTTP sessions for the
// CSRF and role checks:
//   const d = await startDashboard();            // frankd + an owner, a viewer, an operator
//   const { browser, page } = await openBrowser();
//   await signIn(page, d, d.owner);  await shot(page, 'overview');
//   assert.deepEqual(await axeSerious(page), []);
//   const s = await httpSession(d, d.viewer);     // {cookie, csrf, get(path), post(path, form)}
import { chromium } from 'playwright-core';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startFrank, runFrank, lastJsonLine, repoRoot } from './server.mjs';
import { OPERATOR_PASSWORD } from './operator.mjs';

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.FRANK_CHROMIUM || '/usr/bin/chromium';
export const artifactsDir = process.env.FRANK_ARTIFACTS || join(repoRoot, 'build', 'e2e-artifacts', 'dashboard');
export const PASSWORD = 'a dashboard password';

let users = 0;
/* `frank user create` (the password on stdin); role other than owner: `frank user grant` */
export async function createUser(srv, { email = `user${++users}-${process.pid}@example.com`, account, role } = {}) {
	const args = ['user', 'create', '--data', srv.dataDir, '--email', email];
	if (account) args.push('--account', account);
	const r = await runFrank(args, { input: `${PASSWORD}\n` });
	const u = lastJsonLine(r.stdout, (j) => !!j.id);
	if (r.code !== 0 || !u) throw new Error(`frank user create failed (exit ${r.code})\n${r.stdout}\n${r.stderr}`);
	if (role && role !== 'owner') await grant(srv, email, u.account_id, role);
	return { ...u, email, password: PASSWORD, role: role || 'owner' };
}

/* `frank user grant`: the user's role in an account (owner, member, viewer) */
export async function grant(srv, email, account, role) {
	const r = await runFrank(['user', 'grant', '--data', srv.dataDir, '--email', email, '--account', account, '--role', role]);
	if (r.code !== 0) throw new Error(`frank user grant failed (exit ${r.code})\n${r.stdout}\n${r.stderr}`);
	return lastJsonLine(r.stdout);
}

/* frankd with an owner, a member and a viewer of the default account, and an operator */
export async function startDashboard({ env = {} } = {}) {
	const srv = await startFrank({ env });
	const account = srv.keys.account_id;
	srv.owner = await createUser(srv, { account });
	srv.member = await createUser(srv, { account, role: 'member' });
	srv.viewer = await createUser(srv, { account, role: 'viewer' });
	const email = `operator-${process.pid}-${++users}@example.com`;
	const r = await runFrank(['operator', 'create', '--data', srv.dataDir, '--email', email], { input: `${OPERATOR_PASSWORD}\n` });
	const op = lastJsonLine(r.stdout, (j) => !!j.key);
	if (r.code !== 0 || !op) throw new Error(`frank operator create failed\n${r.stdout}\n${r.stderr}`);
	srv.operator = { ...op, email, password: OPERATOR_PASSWORD };
	return srv;
}

export async function openBrowser() {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: scripts/install-deps --e2e installs Debian's chromium`);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
	});
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	const problems = [];
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	page.on('console', (m) => {
		// a CSP refusal is logged here: the dashboard must never trigger one
		if (m.type() === 'error') problems.push(`console: ${m.text()}`);
	});
	return { browser, context, page, problems };
}

export async function signIn(page, srv, who) {
	await page.goto(`${srv.baseUrl}/dashboard/signin`);
	await page.getByLabel('E-mail').fill(who.email);
	await page.getByLabel('Password').fill(who.password);
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
}

export async function shot(page, name) {
	await mkdir(artifactsDir, { recursive: true });
	const path = join(artifactsDir, `${name}.png`);
	await page.screenshot({ path, fullPage: true });
	return path;
}

let axeSource = null;
/* axe-core's serious and critical violations on the page, as "id: help (n nodes)" strings */
export async function axeSerious(page) {
	axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
	// evaluated through the DevTools protocol: the page's CSP (no inline script) still holds
	await page.evaluate(axeSource);
	const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	return res.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}

/* a signed-in session over raw HTTP: the cookie and the form token of its pages */
export async function httpSession(srv, who) {
	const res = await fetch(`${srv.baseUrl}/dashboard/signin`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email: who.email, password: who.password }),
	});
	const set = res.headers.get('set-cookie') || '';
	const m = /frank_session=([0-9a-f]+)/.exec(set);
	if (res.status !== 303 || !m) throw new Error(`sign-in of ${who.email} answered ${res.status}`);
	const cookie = `frank_session=${m[1]}`;
	const s = {
		cookie,
		csrf: null,
		async get(path) {
			return fetch(`${srv.baseUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
		},
		async post(path, form = {}, { withToken = true } = {}) {
			const body = new URLSearchParams(form);
			if (withToken) body.set('_csrf', s.csrf);
			return fetch(`${srv.baseUrl}${path}`, {
				method: 'POST',
				redirect: 'manual',
				headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
				body,
			});
		},
	};
	const page = await (await s.get(who === srv.operator ? '/dashboard/mailroom' : '/dashboard/')).text();
	s.csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(page)?.[1] ?? null;
	return s;
}
