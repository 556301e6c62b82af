// SPDX-License-Identifier: AGPL-3.0-or-later
// A campaign of N letters from POST /v1/campaigns/{id}/send to every piece durably created
// (each upload row holding its piece, committed) and to every piece rendered, with frankd's
// peak memory (and its renderer's, the processes under it).
//   node bench/campaigns.mjs [N] [BUILD]     (defaults: 10000, build)
// The audience is written with sqlite3 as the uploads API leaves it once validated (an upload
// object, state Scheduled, and N valid upload_rows): this measures the send, not the CSV.
// frankd runs with its defaults (--sync full, the `auto` renderer: Chromium when installed).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const N = Number(process.argv[2] || 10000);
const build = resolve(process.argv[3] || 'build');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'frank-campaigns-'));
const env = { ...process.env, FRANK_RATE_LIMIT: 'off', FRANK_SHARE_DIR: process.env.FRANK_SHARE_DIR || resolve('data') };
const keys = JSON.parse(execFileSync(join(build, 'frank'), ['init', '--data', dir], { env }).toString().split('\n').find((l) => l.startsWith('{') && l.includes('test_secret')));
const auth = 'Basic ' + Buffer.from(keys.test_secret + ':').toString('base64');
const frankd = spawn(join(build, 'frankd'), ['--data', dir, '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
frankd.stderr.on('data', (d) => (log += d));
const base = await new Promise((res) => {
	let out = '';
	frankd.stdout.on('data', (d) => {
		out += d;
		const m = out.match(/listening on (http:\/\/[0-9.:]+)/);
		if (m) res(m[1]);
	});
});
const api = async (method, path, body) => {
	const r = await fetch(base + path, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
	const j = await r.json();
	if (r.status !== 200) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
	return j;
};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 10000', join(dir, 'frank.db')], { input: q, maxBuffer: 64 << 20 }).toString().trim();

// RSS (kB) of frankd and of every process under it (the renderer's), now
function rss() {
	const kids = new Map();
	const mem = new Map();
	for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const st = readFileSync(`/proc/${p}/status`, 'utf8');
			kids.set(p, st.match(/PPid:\s+(\d+)/)[1]);
			mem.set(p, Number(st.match(/VmRSS:\s+(\d+)/)?.[1] || 0));
		} catch {}
	}
	const tree = new Set([String(frankd.pid)]);
	for (let grew = true; grew; ) {
		grew = false;
		for (const [p, pp] of kids) if (tree.has(pp) && !tree.has(p)) tree.add(p), (grew = true);
	}
	let all = 0, pss = 0;
	for (const p of tree) {
		all += mem.get(p) || 0;
		// proportional set size: a page shared by several processes (Chromium's binary and
		// its shared memory) counted once in all, not once per process as RSS sums count it
		try {
			pss += Number(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+)/m)?.[1] || 0);
		} catch {}
	}
	return { frankd: mem.get(String(frankd.pid)) || 0, all, pss };
}

const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_line2: 'Ste 6100', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const html = '<html><body><h1>Hello {{name}}</h1><p>Your code is {{code}}. Thank you for being a customer since {{year}}.</p></body></html>';
const cmp = await api('POST', '/v1/campaigns', { name: 'Bench', schedule_type: 'immediate', use_type: 'marketing', cancel_window_campaign_minutes: 60 });
await api('POST', '/v1/creatives', { campaign_id: cmp.id, resource_type: 'letter', from, file: html, details: { color: false } });
const upl = `upl_${cmp.id.slice(4)}`;
const now = Date.now();
const when = new Date(now).toISOString();
const upload = { id: upl, accountId: cmp.account_id, campaignId: cmp.id, mode: 'test', state: 'Scheduled', totalMailpieces: N, failedMailpieces: 0, validatedMailpieces: N, bytesProcessed: 0, dateCreated: when, dateModified: when };
let q = `BEGIN; INSERT INTO objects (id, account_id, mode, kind, created_ms, updated_ms, json) VALUES ('${upl}', '${cmp.account_id}', 0, 'upload', ${now}, ${now}, '${JSON.stringify(upload)}');\n`;
for (let i = 1; i <= N; i++) {
	const piece = { to: { name: `Person ${i}`, address_line1: `${100 + (i % 800)} King St`, address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' }, merge_variables: { name: `Person ${i}`, code: `C-${i}`, year: String(1990 + (i % 30)) }, metadata: { row: String(i) } };
	q += `INSERT INTO upload_rows (upload_id, row_no, valid, piece) VALUES ('${upl}', ${i}, 1, '${JSON.stringify(piece)}');\n`;
}
sql(q + 'COMMIT;');

let peak = { frankd: 0, all: 0, pss: 0 };
const sample = () => {
	const r = rss();
	peak = { frankd: Math.max(peak.frankd, r.frankd), all: Math.max(peak.all, r.all), pss: Math.max(peak.pss, r.pss) };
};
const t0 = performance.now();
await api('POST', `/v1/campaigns/${cmp.id}/send`);
const tSend = performance.now() - t0;
let created = 0, tCreated = 0;
for (;;) {
	sample();
	created = Number(sql(`SELECT COUNT(*) FROM upload_rows WHERE upload_id = '${upl}' AND piece_id IS NOT NULL`));
	if (created >= N) {
		tCreated = performance.now() - t0;
		break;
	}
	await sleep(50);
}
let rendered = 0, failed = 0, tRendered = 0;
for (;;) {
	sample();
	[rendered, failed] = sql(`SELECT COUNT(*) FILTER (WHERE status = 'rendered'), COUNT(*) FILTER (WHERE status = 'failed') FROM objects WHERE campaign_id = '${cmp.id}' AND kind = 'letter'`).split('|').map(Number);
	if (rendered + failed >= N) {
		tRendered = performance.now() - t0;
		break;
	}
	await sleep(250);
}
const hwm = Number(readFileSync(`/proc/${frankd.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)[1]);
frankd.kill('SIGTERM');
await new Promise((r) => frankd.on('exit', r));
const runs = log.split('\n').filter((l) => l.includes('pieces created in this run'));
const sum = (re) => runs.reduce((a, l) => a + Number(l.match(re)?.[1] || 0), 0);
console.log(`BENCH campaign_letters=${N}`);
console.log(`BENCH send_request_ms=${tSend.toFixed(1)}`);
console.log(`BENCH all_created_s=${(tCreated / 1000).toFixed(2)} (${(N / (tCreated / 1000)).toFixed(0)} pieces/s)`);
console.log(`BENCH send_job rows_read_ms=${sum(/rows read (\d+)/)} pieces_built_ms=${sum(/pieces built (\d+)/)} blocked_on_commits_ms=${sum(/waiting on commits (\d+)/)} runs=${runs.length}`);
console.log(`BENCH all_rendered_s=${(tRendered / 1000).toFixed(2)} (rendered ${rendered}, failed ${failed}; ${(N / ((tRendered - tCreated) / 1000)).toFixed(0)} letters/s after the last create)`);
console.log(`BENCH peak_rss_frankd_mb=${(hwm / 1024).toFixed(0)} peak_rss_with_renderer_mb=${(peak.all / 1024).toFixed(0)} peak_pss_with_renderer_mb=${(peak.pss / 1024).toFixed(0)} (sampled)`);
rmSync(dir, { recursive: true, force: true });
