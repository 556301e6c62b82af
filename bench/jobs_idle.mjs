// SPDX-License-Identifier: AGPL-3.0-or-later
// Idle cost and wake-up latency of the jobs runtime with many objects stored.
//   node bench/jobs_idle.mjs [OBJECTS] [BUILD]     (defaults: 100000, build)
// 1. starts frankd on a fresh data dir and stores OBJECTS addresses (each with its event);
// 2. lets it settle, then reads utime+stime of frankd from /proc/PID/stat over 30 s of idling;
// 3. probes the wake-up: a webhook receiver answers 503 once, so the delivery's retry is a job
//    due about a second later (FRANK_WEBHOOK_RETRY_BASE_MS=1000); the retry's arrival minus its
//    recorded due time (`next_attempt`) is how late the sleeping pool started it (plus the POST).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import http from 'node:http';

const N = Number(process.argv[2] || 100000);
const build = resolve(process.argv[3] || 'build');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'frank-idle-'));
const keys = JSON.parse(execFileSync(join(build, 'frank'), ['init', '--data', dir]).toString().split('\n').find((l) => l.startsWith('{') && l.includes('test_secret')));
const auth = 'Basic ' + Buffer.from(keys.test_secret + ':').toString('base64');
const frankd = spawn(join(build, 'frankd'), ['--data', dir, '--listen', '127.0.0.1:0', '--rate-limit', 'off'], { env: { ...process.env, FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_WEBHOOK_RETRY_BASE_MS: '1000' }, stdio: ['ignore', 'pipe', 'ignore'] });
const base = await new Promise((res) => {
	let out = '';
	frankd.stdout.on('data', (d) => {
		out += d;
		const m = out.match(/listening on (http:\/\/[0-9.:]+)/);
		if (m) res(m[1]);
	});
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function call(method, path, body) {
	return new Promise((res, rej) => {
		const data = body ? JSON.stringify(body) : null;
		const rq = http.request(base + path, { method, agent, headers: { Authorization: auth, ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) } }, (rs) => {
			let s = '';
			rs.on('data', (c) => (s += c));
			rs.on('end', () => res({ status: rs.statusCode, body: s ? JSON.parse(s) : null }));
		});
		rq.on('error', rej);
		rq.end(data);
	});
}
const address = (i) => ({ name: `Harry ${i}`, address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' });

const t0 = Date.now();
let next = 0;
await Promise.all(Array.from({ length: 16 }, async () => {
	while (next < N) {
		const i = next++;
		const r = await call('POST', '/v1/addresses', address(i));
		if (r.status !== 200) throw new Error(`create ${i}: ${r.status}`);
	}
}));
console.log(`stored ${N} addresses (and their events) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

await sleep(5000);
const ticks = () => {
	const f = readFileSync(`/proc/${frankd.pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return Number(f[11]) + Number(f[12]);	// utime + stime (fields 14 and 15), in clock ticks
};
const hz = Number(execFileSync('getconf', ['CLK_TCK']).toString());
const c0 = ticks();
await sleep(30000);
const used = ticks() - c0;
console.log(`idle for 30 s: ${used} ticks of 1/${hz} s = ${((used / hz / 30) * 100).toFixed(3)}% of a core`);

// the wake-up probe
const arrivals = [];
let failNext = 0;
const rcv = http.createServer((rq, rs) => {
	rq.resume();
	rq.on('end', () => {
		arrivals.push(Date.now());
		if (failNext > 0) {
			failNext--;
			rs.writeHead(503).end();
		} else rs.writeHead(200).end('ok');
	});
});
await new Promise((r) => rcv.listen(0, '127.0.0.1', r));
const hook = (await call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${rcv.address().port}/h`, event_types: ['address.created'] })).body;
const lates = [];
for (let k = 0; k < 5; k++) {
	failNext = 1;
	const before = arrivals.length;
	await call('POST', '/v1/addresses', address(`probe${k}`));
	while (arrivals.length < before + 2) await sleep(5);
	// next_attempt keeps the retry's due time, set when the first attempt failed
	const dl = (await call('GET', `/v1/webhooks/${hook.id}/deliveries?limit=1`)).body.data[0];
	lates.push(arrivals[before + 1] - Date.parse(dl.next_attempt));
	await sleep(200);
}
console.log('retry jobs (due ~1 s after a 503): arrival of the retry minus its due time, ms:');
console.log(`  ${lates.join(', ')}`);
frankd.kill('SIGTERM');
await new Promise((r) => frankd.on('exit', r));
rcv.close();
agent.destroy();
rmSync(dir, { recursive: true, force: true });
