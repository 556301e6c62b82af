// SPDX-License-Identifier: AGPL-3.0-or-later
// A print run of N rendered letters (1–3 pages) or postcards to lot files and manifests.
//   node bench/production.mjs [N] [BUILD] [letter|postcard]   (defaults: 10000, build, letter)
// 1. starts frankd (Mailer ID 123456) on a fresh data dir and creates 12 live letters of 1, 2
//    and 3 pages (colour and black-and-white, single and double-sided), waits for their proofs;
// 2. stops frankd and clones them with sqlite3 into N letters — each a row with its own id,
//    ZIP, private input (naming the same rendered PDF asset) and IMb — as a day's rendered mail;
// 3. times `frank production cut` and `frank production build` under /usr/bin/time -v
//    (wall seconds, peak RSS), the way a mail room's script runs them.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const N = Number(process.argv[2] || 10000);
const build = resolve(process.argv[3] || 'build');
const product = process.argv[4] || 'letter';
const P = product === 'postcard' ? { path: 'postcards', prefix: 'psc_' } : { path: 'letters', prefix: 'ltr_' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'frank-production-'));
const env = { ...process.env, FRANK_MAILER_ID: '123456', FRANK_RATE_LIMIT: 'off' };
const keys = JSON.parse(execFileSync(join(build, 'frank'), ['init', '--data', dir], { env }).toString().split('\n').find((l) => l.startsWith('{') && l.includes('live_secret')));
const auth = 'Basic ' + Buffer.from(keys.live_secret + ':').toString('base64');
const frankd = spawn(join(build, 'frankd'), ['--data', dir, '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
const base = await new Promise((res) => {
	let out = '';
	frankd.stdout.on('data', (d) => {
		out += d;
		const m = out.match(/listening on (http:\/\/[0-9.:]+)/);
		if (m) res(m[1]);
	});
});
const call = async (method, path, body) => {
	const r = await fetch(base + path, { method, headers: { authorization: auth, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
	return r.json();
};
const page = (i) => `<div style="page-break-after:always"><h1>Page ${i}</h1><p>${'Dear customer, '.repeat(60)}</p></div>`;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const seeds = [];
for (let i = 0; i < 12; i++) {
	const pages = 1 + (i % 3);
	const body = product === 'postcard'
		? { to, from: to, front: page(1), back: page(2), size: '4x6', use_type: 'marketing' }
		: { to, from: to, file: Array.from({ length: pages }, (_, k) => page(k + 1)).join(''), color: i % 2 === 0, double_sided: i % 4 < 2, use_type: 'operational' };
	const l = await call('POST', `/v1/${P.path}`, { ...body, send_date: new Date(Date.now() + 60e3).toISOString() });
	if (!l.id) throw new Error(JSON.stringify(l));
	seeds.push(l.id);
}
for (const id of seeds) while ((await call('GET', `/v1/${P.path}/${id}`)).status !== 'rendered') await sleep(100);
frankd.kill('SIGTERM');
await new Promise((r) => frankd.on('close', r));

// N letters from the 12: new ids (hex of the row number), ZIPs spread over the country
const seedList = seeds.map((s) => `'${s}'`).join(',');
execFileSync('sqlite3', [join(dir, 'frank.db')], { input: `
BEGIN;
CREATE TEMP TABLE seed AS SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id, json FROM objects WHERE id IN (${seedList});
CREATE TEMP TABLE n AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${N}) SELECT i, printf('%016x', 1000000000 + i) AS hex FROM c;
INSERT INTO objects (id, account_id, mode, kind, created_ms, updated_ms, deleted, status, send_date, json)
  SELECT '${P.prefix}' || n.hex, o.account_id, o.mode, '${product}', o.created_ms, o.updated_ms, 0, 'rendered', o.send_date,
    json_set(s.json, '$.id', '${P.prefix}' || n.hex, '$.to.address_zip', printf('%05d-%04d', 1000 + (n.i * 7919) % 98000, (n.i * 31) % 10000))
  FROM n JOIN seed s ON s.k = n.i % 12 JOIN objects o ON o.id = s.id;
INSERT INTO objects (id, account_id, mode, kind, created_ms, updated_ms, deleted, json)
  SELECT 'inp_' || n.hex, i.account_id, i.mode, 'piece_input', i.created_ms, i.updated_ms, 0,
    json_object('files', json_object('${P.prefix}' || n.hex || '.pdf', json_extract(i.json, '$.files."' || s.id || '.pdf"')))
  FROM n JOIN seed s ON s.k = n.i % 12 JOIN objects i ON i.id = 'inp_' || substr(s.id, 5);
INSERT INTO tracking_codes (code, object_id, account_id, mode, kind)
  SELECT '00270123456' || printf('%09d', 500000000 + n.i), '${P.prefix}' || n.hex, o.account_id, o.mode, '${product}'
  FROM n JOIN seed s ON s.k = n.i % 12 JOIN objects o ON o.id = s.id;
UPDATE objects SET deleted = 1 WHERE id IN (${seedList});
COMMIT;
` });

function measure(args) {
	const r = spawnSync('/usr/bin/time', ['-v', join(build, 'frank'), ...args], { env });
	const err = r.stderr.toString();
	const wall = err.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/)?.[1];
	const rss = Number(err.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] || 0);
	const [m, s] = wall.split(':').map(Number);
	return { code: r.status, out: r.stdout.toString(), seconds: m * 60 + s, rss_mb: Math.round(rss / 1024), stderr: err.split('\n').filter((l) => l.startsWith('frank:')).join('\n'), writer: err.match(/"store: ([^"]*)"/)?.[1] || '' };
}
const cut = measure(['production', 'cut', '--data', dir, '--body', JSON.stringify({ cutoff: new Date(Date.now() + 3600e3).toISOString() })]);
const run = cut.code === 0 ? JSON.parse(cut.out) : null;
console.log(`cut: ${run ? run.pieces : 0} ${product}s in ${run ? run.lots.length : 0} lots, ${cut.seconds.toFixed(2)} s, peak RSS ${cut.rss_mb} MB (${cut.writer}) ${cut.stderr}`);
if (run) {
	const b = measure(['production', 'build', '--data', dir, run.id]);
	const built = b.code === 0 ? JSON.parse(b.out) : null;
	const files = built ? built.files.length + built.lots.reduce((n, l) => n + l.files.length, 0) : 0;
	console.log(`build: status ${built?.status} (${built?.error?.message || 'ok'}), ${files} files, ${b.seconds.toFixed(2)} s, peak RSS ${b.rss_mb} MB ${b.stderr}`);
}
if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
