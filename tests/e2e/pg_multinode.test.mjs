// SPDX-License-Identifier: AGPL-3.0-or-later
// Two frankd nodes on one PostgreSQL database and one data directory (issue 19): requests
// alternate between them, every letter is rendered once and every webhook event delivered
// once; a node killed with SIGKILL mid-work leaves nothing undone; idempotent creates racing
// on both nodes make one object; the rate limit and the test clock are the cluster's; a node
// that loses the database answers 503 and recovers by itself.
// Runs in the suite's PostgreSQL pass only (make e2e-pg): it needs FRANK_TEST_PG.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { req, startFrank, storeSql } from './lib/server.mjs';
import { pgCluster, psql } from './lib/database.mjs';
import { webhookReceiver } from './lib/receiver.mjs';

if (!pgCluster) {
	throw new Error('pg_multinode.test.mjs needs a PostgreSQL cluster: it runs in the PostgreSQL pass ' +
		'(make e2e-pg), which sets FRANK_TEST_PG');
}

const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const letter = (n) => ({ to, from, file: `<html><body><p>Letter ${n} for {{name}}</p></body></html>`, color: false, use_type: 'operational', merge_variables: { name: `N${n}` } });
const env = { FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_WEBHOOK_RETRY_BASE_MS: '1000' };

let a, b, receiver;
const hooks = [];

before(async () => {
	receiver = await webhookReceiver(hooks);
	a = await startFrank({ env });
	b = await startFrank({ env, dataDir: a.dataDir, keys: a.keys });
	assert.equal(a.database, b.database, 'both nodes on one database');
	const w = await req(a, 'POST', '/v1/webhooks', { json: { url: `http://127.0.0.1:${receiver.address().port}/hook`, event_types: ['letter.created', 'letter.rendered_pdf'] } });
	assert.equal(w.status, 200, w.text);
});

after(async () => {
	// the receiver closes whatever stop() says: an open server would keep this file running
	try {
		await b?.stop().catch(() => {});
		await a?.stop();
	} finally {
		receiver?.close();
		receiver?.closeAllConnections?.();
	}
});

/* creates letters numbered first..last-1 alternating between the nodes, 8 at a time; the ids */
async function createAlternating(first, last, nodes = [a, b]) {
	const ids = [];
	for (let n = first; n < last; n += 8) {
		const batch = [];
		for (let k = n; k < Math.min(n + 8, last); k++) {
			const node = nodes[k % nodes.length];
			batch.push(req(node, 'POST', '/v1/letters', { json: letter(k) }).then((r) => {
				assert.equal(r.status, 200, r.text);
				ids.push(r.body.id);
			}));
		}
		await Promise.all(batch);
	}
	return ids;
}

const sqlList = (ids) => ids.map((id) => `'${id}'`).join(',');

/* waits until every letter in ids is rendered, in the store; the time it took */
async function allRendered(ids, timeoutMs) {
	const t0 = Date.now();
	for (;;) {
		const n = Number(await storeSql(a.dataDir, `SELECT count(*) FROM objects WHERE id IN (${sqlList(ids)}) AND status = 'rendered'`));
		if (n === ids.length) return Date.now() - t0;
		if (Date.now() - t0 > timeoutMs) assert.fail(`${n} of ${ids.length} letters rendered after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

/* waits until every event of these letters reached the receiver; deliveries per event */
async function allDelivered(ids, types, timeoutMs) {
	const want = ids.length * types.length;
	const t0 = Date.now();
	for (;;) {
		const seen = new Set(hooks.filter((h) => types.includes(h.type) && ids.includes(h.piece)).map((h) => `${h.type} ${h.piece}`));
		if (seen.size === want) break;
		if (Date.now() - t0 > timeoutMs) assert.fail(`${seen.size} of ${want} events delivered after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 500));
	}
	const per = new Map();
	for (const h of hooks) if (types.includes(h.type) && ids.includes(h.piece)) per.set(`${h.type} ${h.piece}`, (per.get(`${h.type} ${h.piece}`) ?? 0) + 1);
	return per;
}

/* render jobs of these letters: how many, and how many runs they took */
async function renderJobs(ids) {
	const rows = await storeSql(a.dataDir, `SELECT ref, count(*), sum(attempts), min(state) FROM jobs WHERE kind = 'piece.render' AND ref IN (${sqlList(ids)}) GROUP BY ref`);
	return rows.trim().split('\n').filter(Boolean).map((l) => l.split('|').map((v, i) => (i ? Number(v) : v)));
}

test('500 letters created on two nodes in turn: each rendered once, each event delivered once, both nodes worked', async () => {
	const ids = await createAlternating(0, 500);
	assert.equal(new Set(ids).size, 500);
	const ms = await allRendered(ids, 240000);
	console.log(`# 500 letters rendered by two nodes in ${ms} ms after the last create`);
	const jobs = await renderJobs(ids);
	assert.equal(jobs.length, 500, 'one render job per letter');
	for (const [ref, count, attempts, state] of jobs) {
		assert.equal(count, 1, `${ref}: one job`);
		assert.equal(attempts, 1, `${ref}: rendered in one run`);
		assert.equal(state, 2, `${ref}: done`);
	}
	const per = await allDelivered(ids, ['letter.created', 'letter.rendered_pdf'], 240000);
	const twice = [...per].filter(([, n]) => n !== 1);
	assert.deepEqual(twice, [], 'every event delivered exactly once');
	// both nodes read and wrote: each answered half of the creates, and each one's GET sees all
	for (const node of [a, b]) {
		const r = await req(node, 'GET', '/v1/letters?limit=1&include[]=total_count');
		assert.equal(r.status, 200);
		assert.ok(r.body.total_count >= 500);
	}
});

test('a node killed with SIGKILL mid-work: the other renders and delivers everything', async () => {
	const first = await createAlternating(1000, 1150);
	await b.kill9();
	try {
		await killedNodeWork(first);
	} finally {
		await b.restart();	/* the tests after this one use both nodes */
	}
});

async function killedNodeWork(first) {
	const rest = await createAlternating(1150, 1300, [a]);
	const ids = [...first, ...rest];
	// b's leases run out (15 s) and a takes its jobs
	const ms = await allRendered(ids, 180000);
	console.log(`# 300 letters rendered after a node was killed, ${ms} ms after the last create`);
	const jobs = await renderJobs(ids);
	assert.equal(jobs.length, 300, 'one render job per letter, none lost');
	for (const [ref, count, , state] of jobs) {
		assert.equal(count, 1, `${ref}: one job`);
		assert.equal(state, 2, `${ref}: done`);
	}
	const per = await allDelivered(ids, ['letter.created', 'letter.rendered_pdf'], 180000);
	// a delivery the killed node had sent but not yet recorded goes again: at least once, as
	// Lob's webhooks are. A node records one endpoint's deliveries a batch at a time
	// (SEND_BATCH 32 in src/events/webhooks.c) with at most 2 batches in flight to it
	// (--webhook-per-endpoint), so at most 64 repeats
	const repeats = [...per.values()].reduce((s, n) => s + n - 1, 0);
	console.log(`# ${repeats} deliveries repeated after the kill`);
	assert.ok(repeats <= 64, `${repeats} repeated deliveries`);
}

test('idempotent creates racing on both nodes make one object each', async () => {
	const keys = Array.from({ length: 20 }, (_, i) => `race-${Date.now()}-${i}`);
	const answers = await Promise.all(keys.flatMap((k) => [a, b].map((node) =>
		req(node, 'POST', '/v1/letters', { json: { ...letter(k), metadata: { race: k } }, headers: { 'Idempotency-Key': k } }))));
	for (let i = 0; i < keys.length; i++) {
		const [x, y] = [answers[2 * i], answers[2 * i + 1]];
		assert.equal(x.status, 200, x.text);
		assert.equal(y.status, 200, y.text);
		assert.equal(x.body.id, y.body.id, `${keys[i]}: one object`);
	}
	const n = Number(await storeSql(a.dataDir, `SELECT count(*) FROM objects WHERE kind = 'letter' AND json_extract(json, '$.metadata.race') IN (${sqlList(keys)})`));
	assert.equal(n, keys.length);
});

test("the rate limit counts both nodes' requests together", async () => {
	const limited = { FRANK_RATE_LIMIT: '10/5' };
	const c = await startFrank({ env: limited });
	const d = await startFrank({ env: limited, dataDir: c.dataDir, keys: c.keys });
	try {
		const codes = [];
		for (let i = 0; i < 14; i++) codes.push((await req(i % 2 ? d : c, 'GET', '/v1/addresses')).status);
		assert.deepEqual(codes.slice(0, 10), Array(10).fill(200), 'ten requests across the nodes pass');
		assert.ok(codes.slice(10).every((s) => s === 429), `the rest are refused: ${codes}`);
	} finally {
		await d.stop().catch(() => {});
		await c.stop();
	}
});

test('the test clock moved on one node has moved on the other', async () => {
	const clock = { FRANK_CLOCK: '2026-03-02T15:00:00.000Z' };
	const c = await startFrank({ env: clock });
	const d = await startFrank({ env: clock, dataDir: c.dataDir, keys: c.keys });
	try {
		const before = Date.parse((await req(d, 'GET', '/v1/_frank/clock')).body.now);
		const moved = await req(c, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 86400 } });
		assert.equal(moved.status, 200, moved.text);
		let now;
		for (let i = 0; i < 20; i++) {
			now = Date.parse((await req(d, 'GET', '/v1/_frank/clock')).body.now);
			if (now - before >= 86400000) break;
			await new Promise((r) => setTimeout(r, 100));
		}
		assert.ok(now - before >= 86400000 && now - before < 86400000 + 60000, `the other node moved a day: ${now - before} ms`);
		const addr = await req(d, 'POST', '/v1/addresses', { json: to });
		assert.ok(Math.abs(Date.parse(addr.body.date_created) - now) < 60000, 'objects are stamped with the moved time');
	} finally {
		await d.stop().catch(() => {});
		await c.stop();
	}
});

test('a node that loses the database answers 503 in Lob\'s shape, then recovers by itself', async () => {
	const name = /\/([^/?]+)(\?|$)/.exec(a.database.replace(/^postgres(ql)?:\/\/[^/]*/, ''))[1];
	await psql(pgCluster, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false;` +
		` SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}';`);
	try {
		for (const [method, path, json] of [['GET', '/v1/addresses'], ['POST', '/v1/addresses', to], ['GET', '/v1/letters?limit=2']]) {
			const r = await req(a, method, path, json ? { json } : {});
			assert.equal(r.status, 503, `${method} ${path}: ${r.text}`);
			assert.deepEqual(r.body, { error: { message: 'The database is unavailable. Please try again shortly.', status_code: 503, code: 'service_unavailable' } });
		}
	} finally {
		await psql(pgCluster, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
	}
	let get, post;
	for (let i = 0; i < 100; i++) {
		get = await req(a, 'GET', '/v1/addresses?limit=1');
		post = await req(b, 'POST', '/v1/addresses', { json: to });
		if (get.status === 200 && post.status === 200) break;
		assert.ok([200, 503].includes(get.status) && [200, 503].includes(post.status), `${get.status} ${post.status}: never a 500`);
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.equal(get.status, 200, get.text);
	assert.equal(post.status, 200, post.text);
	// and its background work goes on: a letter created now is rendered
	const l = await req(a, 'POST', '/v1/letters', { json: letter(9999) });
	assert.equal(l.status, 200, l.text);
	await allRendered([l.body.id], 60000);
});
