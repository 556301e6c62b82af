// SPDX-License-Identifier: AGPL-3.0-or-later
// Dashboard latency with 100,000 mail pieces in the account (issue 18: every page < 100 ms p99),
// against nginx serving a static HTML file of the overview's size in the same run.
//   node bench/dashboard.mjs          (or bench/dashboard; variables below)
// 1. frankd (MuPDF renderer, rate limit off) on a fresh data dir; through the API: 300
//    addresses, 200 templates, and the pieces to clone (letters of several shapes, two of them
//    certified, postcards, self-mailers, checks) in test mode, 12 letters in live mode; waits
//    until they are rendered. frankd stops.
// 2. build/bench/dashboard_seed clones them through the store's change sets into
//    BENCH_PIECES test pieces and BENCH_LIVE live ones, spread over the last 30 days (rows as
//    the API writes them: typed columns, metadata rows, events; bench/README.md). The test-mode
//    tracking jobs of those past pieces are marked done, as frankd would have run them.
// 3. `frank user create` (an owner of the account) and `frank operator create`; frankd again;
//    webhooks and campaigns through the API; both sign in over HTTP.
// 4. each page of the table: BENCH_WARMUP requests, BENCH_N sequential ones, then
//    BENCH_CONCURRENCY clients doing BENCH_N requests between them; p50/p99/max of each.
//    A page answering 404 is "not built" (other work in progress) and does not fail the run.
// Exit status: 0 when it ran (whatever the figures), 1 when it could not run.
// Env: BUILD=build, BENCH_PIECES=100000, BENCH_LIVE=10000, BENCH_N=200, BENCH_WARMUP=20,
//      BENCH_CONCURRENCY=4, BENCH_KEEP=1 (keep the data dir, printed),
//      BENCH_DATA=DIR (reuse a data dir a BENCH_KEEP run left: no seeding).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import net from 'node:net';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const build = resolve(root, process.env.BUILD || 'build');
const PIECES = Number(process.env.BENCH_PIECES || 100000);
const LIVE = Number(process.env.BENCH_LIVE || 10000);
const N = Number(process.env.BENCH_N || 200);
const WARMUP = Number(process.env.BENCH_WARMUP || 20);
const CONC = Number(process.env.BENCH_CONCURRENCY || 4);
const TARGET_MS = 100;
const PASSWORD = 'a dashboard bench password';
const OWNER = 'owner@bench.example.com', OPERATOR = 'operator@bench.example.com';
const env = { ...process.env, FRANK_RATE_LIMIT: 'off', FRANK_RENDERER: 'mupdf', FRANK_SHARE_DIR: process.env.FRANK_SHARE_DIR || join(root, 'data') };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('dashboard:', ...a);
const children = new Set();
let dir = null;
const reuse = process.env.BENCH_DATA;

function fail(msg) {
	console.error(`bench/dashboard: ${msg}`);
	for (const c of children) c.kill('SIGTERM');
	if (dir && !reuse && !process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
	process.exit(1);
}
process.on('unhandledRejection', (e) => fail(e?.stack || String(e)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => fail(`stopped by ${sig}`));

const frank = (args, input = '') => execFileSync(join(build, 'frank'), args, { env, input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
const lastJson = (text, pred = () => true) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter(pred).pop();

async function startFrankd() {
	const p = spawn(join(build, 'frankd'), ['--data', join(dir, 'data'), '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	children.add(p);
	p.stderr.resume();
	const base = await new Promise((res, rej) => {
		let out = '';
		p.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/listening on (http:\/\/[0-9.:]+)/);
			if (m) res(m[1]);
		});
		p.on('exit', (code) => rej(new Error(`frankd exited (${code}) before listening`)));
	});
	p.stdout.resume();
	return { p, base, async stop() { p.kill('SIGTERM'); await new Promise((r) => (p.exitCode !== null ? r() : p.on('exit', r))); children.delete(p); } };
}

// ---- 1. pieces made by the API, to clone -----------------------------------------------
const to = (i) => ({ name: `Harry Zhang ${i}`, address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' });
const html = (title, n = 20) => `<html><body><h1>${title}</h1>${'<p>Dear {{name}}, thank you for being a customer since {{year}}.</p>'.repeat(n)}</body></html>`;

async function apiSeed(base, keys) {
	const call = async (key, method, path, body) => {
		const r = await fetch(base + path, { method, headers: { authorization: 'Basic ' + Buffer.from(key + ':').toString('base64'), 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
		const j = await r.json();
		if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
		return j;
	};
	const test = (m, p, b) => call(keys.test_secret, m, p, b);
	const inParallel = async (n, fn, width = 8) => {
		let next = 0;
		await Promise.all(Array.from({ length: width }, async () => { while (next < n) await fn(next++); }));
	};
	const addresses = [];
	await inParallel(300, async (i) => addresses.push((await test('POST', '/v1/addresses', { ...to(i), description: `Customer ${i}`, metadata: { customer_id: `A${i}` } })).id));
	const templates = [];
	await inParallel(200, async (i) => templates.push((await test('POST', '/v1/templates', { description: `Template ${i}`, html: html(`Template ${i}`, 10), metadata: { team: `t${i % 5}` } })).id));
	const pieces = [];
	const mv = { name: 'Harry', year: '2019' };
	for (let i = 0; i < 24; i++) {
		const body = { to: i % 3 ? to(i) : addresses[i], from: addresses[(i + 1) % addresses.length], file: i % 2 ? templates[i] : html(`Letter ${i}`), merge_variables: mv, color: i % 2 === 0, double_sided: i % 4 < 2, use_type: i % 3 ? 'marketing' : 'operational', metadata: { seed: String(i) } };
		if (i < 2) body.extra_service = 'certified';
		pieces.push(['letters', (await test('POST', '/v1/letters', body)).id]);
	}
	for (let i = 0; i < 8; i++)
		pieces.push(['postcards', (await test('POST', '/v1/postcards', { to: to(i), from: addresses[i], front: html(`Front ${i}`, 3), back: i % 2 ? templates[i] : html(`Back ${i}`, 3), merge_variables: mv, size: '4x6', use_type: 'marketing' })).id]);
	for (let i = 0; i < 4; i++)
		pieces.push(['self_mailers', (await test('POST', '/v1/self_mailers', { to: to(i), from: addresses[i], inside: html(`Inside ${i}`, 5), outside: html(`Outside ${i}`, 3), merge_variables: mv, use_type: 'marketing' })).id]);
	try {
		const bank = await test('POST', '/v1/bank_accounts', { routing_number: '322271627', account_number: '123456789', account_type: 'company', signatory: 'Harry Zhang' });
		await test('POST', `/v1/bank_accounts/${bank.id}/verify`, { amounts: [11, 35] });
		for (let i = 0; i < 4; i++)
			pieces.push(['checks', (await test('POST', '/v1/checks', { to: to(i), from: addresses[i], bank_account: bank.id, amount: 100 + i, memo: `Refund ${i}`, use_type: 'operational' })).id]);
	} catch (e) {
		log(`no checks to clone (${e.message.slice(0, 200)})`);
	}
	for (let i = 0; i < 12; i++)
		pieces.push(['letters', (await call(keys.live_secret, 'POST', '/v1/letters', { to: to(i), from: to(i + 1), file: html(`Live letter ${i}`), merge_variables: mv, color: i % 2 === 0, use_type: 'operational' })).id, keys.live_secret]);
	const t0 = Date.now();
	for (const [path, id, key] of pieces) {
		for (;;) {
			const s = (await call(key || keys.test_secret, 'GET', `/v1/${path}/${id}`)).status;
			if (s === 'rendered') break;
			if (s === 'failed' || Date.now() - t0 > 180e3) throw new Error(`${id} is ${s}`);
			await sleep(100);
		}
	}
	return pieces.length;
}

async function setup() {
	if (reuse) {
		dir = reuse;
		return JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'));
	}
	dir = mkdtempSync(join(tmpdir(), 'frank-dashboard-'));
	chmodSync(dir, 0o711);	// nginx workers (another user when started by root) traverse it
	const keys = lastJson(frank(['init', '--data', join(dir, 'data')]), (j) => !!j.test_secret);
	writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys));
	const t0 = Date.now();
	let f = await startFrankd();
	const made = await apiSeed(f.base, keys);
	await f.stop();
	const tApi = (Date.now() - t0) / 1000;
	log(`${made} pieces, 300 addresses, 200 templates made through the API and rendered in ${tApi.toFixed(1)} s`);
	const seed = (mode, n) => lastJson(execFileSync(join(build, 'bench', 'dashboard_seed'), [join(dir, 'data'), keys.account_id, mode, String(n)], { env }).toString());
	const t1 = Date.now();
	const st = seed('test', PIECES);
	const sl = LIVE > 0 ? seed('live', LIVE) : null;
	// the test-mode tracking jobs of pieces mailed in the past: the simulation (off in this
	// account) would have settled each at its send date without a journey
	execFileSync('sqlite3', [join(dir, 'data', 'frank.db')], { input: "UPDATE jobs SET state = 2, attempts = 1, updated_ms = due_ms WHERE kind = 'tracking.simulate' AND state = 0;\n" });
	keys.seed = { api_s: tApi, clone_s: (Date.now() - t1) / 1000, test: st, live: sl };
	log(`cloned ${JSON.stringify(keys.seed)}`);
	frank(['user', 'create', '--data', join(dir, 'data'), '--email', OWNER, '--account', keys.account_id], `${PASSWORD}\n`);
	frank(['operator', 'create', '--data', join(dir, 'data'), '--email', OPERATOR], `${PASSWORD}\n`);
	// webhooks and campaigns after the clones: a webhook existing then would have fanned out
	// every clone's event
	f = await startFrankd();
	const auth = { authorization: 'Basic ' + Buffer.from(keys.test_secret + ':').toString('base64'), 'content-type': 'application/json' };
	for (let i = 0; i < 5; i++)
		await fetch(`${f.base}/v1/webhooks`, { method: 'POST', headers: auth, body: JSON.stringify({ url: `https://hooks.example.com/frank/${i}`, event_types: ['letter.delivered', 'postcard.delivered'], description: `Hook ${i}` }) });
	for (let i = 0; i < 5; i++)
		await fetch(`${f.base}/v1/campaigns`, { method: 'POST', headers: auth, body: JSON.stringify({ name: `Campaign ${i}`, schedule_type: 'immediate', use_type: 'marketing' }) });
	await f.stop();
	writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys));
	return keys;
}

// ---- measurement ----------------------------------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function get(url, cookie) {
	return new Promise((res, rej) => {
		const t = process.hrtime.bigint();
		const rq = http.get(url, { agent, headers: cookie ? { cookie } : {} }, (r) => {
			const chunks = [];
			r.on('data', (c) => chunks.push(c));
			r.on('end', () => res({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks), ms: Number(process.hrtime.bigint() - t) / 1e6 }));
		});
		rq.on('error', rej);
	});
}

async function signIn(base, email) {
	const body = new URLSearchParams({ email, password: PASSWORD }).toString();
	const r = await fetch(`${base}/dashboard/signin`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
	const m = /frank_session=([0-9a-f]+)/.exec(r.headers.get('set-cookie') || '');
	if (r.status !== 303 || !m) fail(`sign-in of ${email} answered ${r.status}`);
	return `frank_session=${m[1]}`;
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const stats = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return { p50: pct(s, 50), p99: pct(s, 99), max: s[s.length - 1] };
};

async function measure(url, cookie) {
	const first = await get(url, cookie);
	if (first.status === 404) return { status: 404 };
	// a page slower than a second gets 5 requests, not N: the table still comes out
	const slow = first.ms > 1000;
	const n = slow ? 5 : N;
	for (let i = 0; i < (slow ? 0 : WARMUP); i++) await get(url, cookie);
	const seq = [];
	const statuses = new Set([first.status]);
	for (let i = 0; i < n; i++) {
		const r = await get(url, cookie);
		statuses.add(r.status);
		seq.push(r.ms);
	}
	const conc = [];
	let left = n;
	const t0 = process.hrtime.bigint();
	await Promise.all(Array.from({ length: CONC }, async () => {
		while (left-- > 0) {
			const r = await get(url, cookie);
			statuses.add(r.status);
			conc.push(r.ms);
		}
	}));
	const wall = Number(process.hrtime.bigint() - t0) / 1e9;
	return { slow, status: [...statuses].join('/'), bytes: first.body.length, seq: stats(seq), conc: stats(conc), rps: conc.length / wall };
}

// nginx from Debian's package as an ordinary process, as bench/run starts it
async function freePort() {
	return new Promise((res) => {
		const s = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => res(port));
		});
	});
}
async function startNginx(bytes) {
	const ng = join(dir, 'nginx');
	mkdirSync(join(ng, 'www'), { recursive: true });
	mkdirSync(join(ng, 'temp'), { recursive: true });
	writeFileSync(join(ng, 'www', 'page.html'), bytes);
	execFileSync('chmod', ['-R', 'a+rX', ng]);
	const bin = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync);
	if (!bin) fail('nginx not found (scripts/install-deps --bench)');
	const user = process.getuid() === 0 ? `user ${execFileSync('id', ['-un']).toString().trim()} ${execFileSync('id', ['-gn']).toString().trim()};` : '';
	for (let attempt = 0; attempt < 5; attempt++) {
		const port = await freePort();
		writeFileSync(join(ng, 'nginx.conf'), `${user}
worker_processes auto;
daemon off;
pid ${ng}/nginx.pid;
error_log ${ng}/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${ng}/temp/client;
    proxy_temp_path ${ng}/temp/proxy;
    fastcgi_temp_path ${ng}/temp/fastcgi;
    uwsgi_temp_path ${ng}/temp/uwsgi;
    scgi_temp_path ${ng}/temp/scgi;
    types { text/html html; }
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:${port}; root ${ng}/www; }
}
`);
		const p = spawn(bin, ['-e', join(ng, 'error.log'), '-p', ng, '-c', join(ng, 'nginx.conf')], { stdio: 'ignore' });
		children.add(p);
		for (let i = 0; i < 50; i++) {
			try {
				const r = await get(`http://127.0.0.1:${port}/page.html`);
				if (r.status === 200) return { p, url: `http://127.0.0.1:${port}/page.html` };
			} catch {}
			if (p.exitCode !== null) break;
			await sleep(100);
		}
		p.kill('SIGTERM');
		children.delete(p);
	}
	fail('could not start nginx');
}

// ---- the run ---------------------------------------------------------------------------
if (!existsSync(join(build, 'bench', 'dashboard_seed'))) fail(`${build}/bench/dashboard_seed not found (make build)`);
const tSetup = Date.now();
const keys = await setup();
const f = await startFrankd();
const owner = await signIn(f.base, OWNER);
const operator = await signIn(f.base, OPERATOR);
const api = async (path) => (await fetch(f.base + path, { headers: { authorization: 'Basic ' + Buffer.from(keys.test_secret + ':').toString('base64') } })).json();
const newest = (await api('/v1/letters?limit=1')).data[0];
const name = newest.to.name;
const page1 = await get(`${f.base}/dashboard/letters`, owner);
// a deep page: the page's own "next" link if it has one, else a Lob cursor 15 days back
// (the template escapes the link: & as &amp;, = as &#x3D;)
const page1Text = page1.body.toString().replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
const nextHref = /href="([^"]*[?&]after=[^"]*)"/.exec(page1Text)?.[1];
const deep = Buffer.from(JSON.stringify({ dateOffset: new Date(Date.now() - 15 * 86400e3).toISOString(), idOffset: 'ltr_ffffffffffffffff' })).toString('base64url');
const pages = [
	['overview', '/dashboard/', owner],
	['letters', '/dashboard/letters', owner],
	['letters, next page (its link)', nextHref || null, owner],
	['letters, 15 days deep', `/dashboard/letters?after=${deep}`, owner],
	['letters, search by name', `/dashboard/letters?q=${encodeURIComponent(name)}`, owner],
	['letters, metadata segment=s3 (1 in 8)', '/dashboard/letters?meta_key=segment&meta_value=s3', owner],
	['letters, metadata customer_id (1 match)', `/dashboard/letters?meta_key=customer_id&meta_value=${newest.metadata?.customer_id}`, owner],
	['a letter', `/dashboard/letters/${newest.id}`, owner],
	['postcards', '/dashboard/postcards', owner],
	['templates', '/dashboard/templates', owner],
	['addresses', '/dashboard/addresses', owner],
	['webhooks', '/dashboard/webhooks', owner],
	['keys', '/dashboard/keys', owner],
	['settings', '/dashboard/settings', owner],
	['campaigns', '/dashboard/campaigns', owner],
	['certified', '/dashboard/certified', owner],
	['mail room (operator)', '/dashboard/mailroom', operator],
	['mail room runs', '/dashboard/mailroom/runs', operator],
	['mail room audit', '/dashboard/mailroom/audit', operator],
];
const overview = await get(`${f.base}/dashboard/`, owner);
if (overview.status !== 200) fail(`the overview answered ${overview.status}`);
const ng = await startNginx(overview.body);
const rows = [['nginx static (reference)', await measure(ng.url)]];
for (const [label, path, cookie] of pages) {
	if (!path) rows.push([label, { status: 'no link' }]);
	else rows.push([`${label}  ${path.length > 48 ? path.slice(0, 45) + '…' : path}`, await measure(f.base + path, cookie)]);
	log(`measured ${label}`);
}
ng.p.kill('SIGTERM');
children.delete(ng.p);
await f.stop();

const fmt = (x) => x.toFixed(2).padStart(7);
const cpu = keys.seed ? (keys.seed.test?.cpu_seconds ?? 0) + (keys.seed.live?.cpu_seconds ?? 0) : 0;
const counts = keys.seed ? `${keys.seed.test?.pieces} test + ${keys.seed.live?.pieces ?? 0} live pieces (API seeding ${keys.seed.api_s.toFixed(1)} s, cloning ${keys.seed.clone_s.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU)` : '';
console.log(`\nDashboard latency, ${counts}; ${N} sequential requests after ${WARMUP} warm-up, then ${CONC} concurrent clients for ${N}; ms`);
console.log(`${'page'.padEnd(72)} status  bytes   seq p50 seq p99 seq max | ${CONC}x p50  ${CONC}x p99  ${CONC}x max  req/s  target`);
let missed = 0;
for (const [label, r] of rows) {
	if (!r.seq) {
		console.log(`${label.padEnd(72)} ${r.status === 404 ? 'not built' : r.status}`);
		continue;
	}
	const ok = !label.startsWith('nginx') && (r.seq.p99 < TARGET_MS ? 'ok' : (missed++, r.slow ? 'MISSED (> 1 s: 5 requests only)' : 'MISSED'));
	console.log(`${label.padEnd(72)} ${String(r.status).padEnd(6)} ${String(r.bytes).padStart(6)} ${fmt(r.seq.p50)} ${fmt(r.seq.p99)} ${fmt(r.seq.max)} | ${fmt(r.conc.p50)} ${fmt(r.conc.p99)} ${fmt(r.conc.max)} ${r.rps.toFixed(0).padStart(6)}  ${ok || ''}`);
}
console.log(`\n${missed} page(s) over ${TARGET_MS} ms p99 (sequential); run took ${((Date.now() - tSetup) / 1000).toFixed(0)} s`);
if (process.env.BENCH_KEEP && !reuse) console.log(`data kept in ${dir} (BENCH_DATA=${dir} reuses it)`);
else if (!reuse) rmSync(dir, { recursive: true, force: true });
agent.destroy();
