// SPDX-License-Identifier: AGPL-3.0-or-later
// Render budgets and fair share (issue 12): a 3 KB PDF that draws a form 40⁶ times fails its
// piece with Lob's invalid_file within the render budget, and while one account's bombs spend
// their budgets another account's one-line letter renders in under 5 s — through
// POST /v1/letters (three bombs, one per render worker) and through the certified API's
// POST /api/v1/mailings (two).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, runFrank, lastJsonLine } from './lib/server.mjs';
import { bombPdf } from './lib/pdf.mjs';

// A short time budget (frankd's default: 20 s) and operations out of the way (default 2·10⁶,
// which an idle machine reaches in about a second): each bomb then holds its worker for about
// BUDGET_MS — stopped by the clock or by the 512 MB memory budget — long enough that another
// account's letter could only render in under 5 s beside three of them because one account
// never holds every worker (frankd runs three; one account gets two).
const BUDGET_MS = 5000;
const BUDGET_OPS = 1000000000;
const WORKERS = 3, PER_ACCOUNT = 2;
const SLACK_MS = 4000; // the proof's store, the poll interval, a loaded machine

let srv, b;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };

/* the letter's final status and when it was seen (ms after `since`) */
async function settle(id, key, since, ms = 60000) {
	const end = Date.now() + ms;
	for (;;) {
		const r = await req(srv, 'GET', `/v1/letters/${id}`, { key });
		assert.equal(r.status, 200, r.text);
		if (r.body.status !== 'processed') return { letter: r.body, after: Date.now() - since };
		if (Date.now() > end) assert.fail(`${id} still processed after ${ms} ms`);
		await sleep(25);
	}
}

function bombForm(fields) {
	const fd = new FormData();
	for (const [k, v] of Object.entries(fields)) {
		if (typeof v === 'object') for (const [kk, vv] of Object.entries(v)) fd.append(`${k}[${kk}]`, vv);
		else fd.append(k, v);
	}
	fd.append('file', new Blob([bombPdf()], { type: 'application/pdf' }), 'bomb.pdf');
	return fd;
}

/* failed with invalid_file saying which limit, within `rounds` budgets of its creation */
function assertBudgetFailure(s, what, rounds) {
	assert.equal(s.letter.status, 'failed', `${what}: ${JSON.stringify(s.letter)}`);
	assert.equal(s.letter.failure_reason?.failure_reason, 'invalid_file', JSON.stringify(s.letter.failure_reason));
	assert.match(s.letter.failure_reason.remediation, /limit per piece/, s.letter.failure_reason.remediation);
	assert.ok(s.after < rounds * BUDGET_MS + SLACK_MS, `${what} failed ${s.after} ms after it was created; the budget is ${BUDGET_MS} ms`);
}

before(async () => {
	srv = await startFrank({
		env: { FRANK_RENDER_BUDGET_MS: String(BUDGET_MS), FRANK_RENDER_BUDGET_OPS: String(BUDGET_OPS) },
	});
	const r = await runFrank(['accounts', 'create', '--data', srv.dataDir]);
	b = lastJsonLine(r.stdout, (x) => !!x.test_secret);
	assert.ok(r.code === 0 && b?.test_secret, `frank accounts create: ${r.stderr}`);
	// the HTML renderer's first page starts cold (a browser): warm it before measuring
	const warm = await req(srv, 'POST', '/v1/letters', { key: b.test_secret, json: { to, from, file: '<p>Warm-up.</p>', color: false, use_type: 'operational' } });
	assert.equal((await settle(warm.body.id, b.test_secret, Date.now())).letter.status, 'rendered');
});
after(async () => {
	await srv?.stop();
});

test('the bomb PDF is small', () => {
	assert.ok(bombPdf().length < 5000, `${bombPdf().length} bytes`);
});

test('POST /v1/letters: bombs from one account on every worker fail within the budget; another account\'s letter renders in < 5 s', async () => {
	const t0 = Date.now();
	const bombs = [];
	for (let i = 0; i < WORKERS; i++) {
		const c = await req(srv, 'POST', '/v1/letters', { body: bombForm({ to, from, color: 'false', use_type: 'operational' }) });
		assert.equal(c.status, 200, c.text);
		bombs.push({ id: c.body.id, at: Date.now() });
	}
	const bAt = Date.now();
	const one = await req(srv, 'POST', '/v1/letters', { key: b.test_secret, json: { to, from, file: '<p>One line for account B.</p>', color: false, use_type: 'operational' } });
	assert.equal(one.status, 200, one.text);
	const rendered = await settle(one.body.id, b.test_secret, bAt);
	assert.equal(rendered.letter.status, 'rendered', JSON.stringify(rendered.letter.failure_reason));
	assert.ok(rendered.after < 5000, `account B's letter rendered ${rendered.after} ms after it was created, with ${WORKERS} bombs of account A waiting or rendering`);
	// two at a time: the third waits for one of the first two to spend its budget
	const rounds = Math.ceil(WORKERS / PER_ACCOUNT);
	for (const x of bombs) assertBudgetFailure(await settle(x.id, srv.keys.test_secret, x.at), `bomb ${x.id}`, rounds);
	const ev = await req(srv, 'GET', '/v1/events?event_type=letter.failed&limit=10');
	for (const x of bombs) assert.ok(ev.body.data.some((e) => e.body.id === x.id), `letter.failed for ${x.id}`);
	// frankd is still whole: the same account's next, normal letter renders
	const next = await req(srv, 'POST', '/v1/letters', { json: { to, from, file: '<p>After the bombs.</p>', color: false, use_type: 'operational' } });
	assert.equal((await settle(next.body.id, srv.keys.test_secret, Date.now())).letter.status, 'rendered');
	console.log(`# letters: B rendered in ${rendered.after} ms; bombs failed after ${Date.now() - t0} ms in all`);
});

test('POST /api/v1/mailings: the same attack through the certified API', async () => {
	// a user and an API key per account (see c321.test.mjs)
	const keyFor = async (email, account) => {
		const u = await runFrank(['user', 'create', '--data', srv.dataDir, '--email', email, '--account', account], { input: 'correct horse battery\n' });
		assert.equal(u.code, 0, u.stderr);
		const s = await req(srv, 'POST', '/api/v1/sessions', { key: null, json: { email, password: 'correct horse battery' } });
		assert.equal(s.status, 201, s.text);
		const k = await req(srv, 'POST', '/api/v1/api-keys', { key: s.body.token, auth: 'bearer', json: { name: 'server', permissions: ['*'], mode: 'test' } });
		assert.equal(k.status, 201, k.text);
		return k.body.key;
	};
	const keyA = await keyFor('a@example.com', srv.keys.account_id);
	const keyB = await keyFor('b@example.com', b.account_id);
	const mFrom = { name: 'John Smith', street1: '123 Main St', city: 'San Francisco', state: 'CA', zip: '94105' };
	const mTo = { name: 'Jane Doe', street1: '456 Oak Ave', city: 'Los Angeles', state: 'CA', zip: '90001' };
	const bombs = [];
	for (let i = 0; i < 2; i++) {
		const t = Date.now();
		const c = await req(srv, 'POST', '/api/v1/mailings', { key: keyA, auth: 'bearer', body: bombForm({ from: mFrom, to: mTo, mail_class: 'certified' }) });
		assert.equal(c.status, 201, c.text);
		assert.ok(Date.now() - t < 3000, `creating a bomb mailing took ${Date.now() - t} ms: inspection does not draw the page`);
		bombs.push({ id: c.body.id, at: Date.now() });
	}
	const bAt = Date.now();
	const one = await req(srv, 'POST', '/api/v1/mailings', { key: keyB, auth: 'bearer', json: { from: mFrom, to: mTo, mail_class: 'certified', html: '<p>One line for account B.</p>' } });
	assert.equal(one.status, 201, one.text);
	const rendered = await settle(one.body.id, b.test_secret, bAt);
	assert.equal(rendered.letter.status, 'rendered', JSON.stringify(rendered.letter.failure_reason));
	assert.ok(rendered.after < 5000, `account B's mailing rendered ${rendered.after} ms after it was created`);
	for (const x of bombs) assertBudgetFailure(await settle(x.id, srv.keys.test_secret, x.at), `bomb mailing ${x.id}`, 1);
	const m = await req(srv, 'GET', `/api/v1/mailings/${bombs[0].id}`, { key: keyA, auth: 'bearer' });
	assert.equal(m.status, 200, m.text);
	console.log(`# mailings: B rendered in ${rendered.after} ms`);
});
