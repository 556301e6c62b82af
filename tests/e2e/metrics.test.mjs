// SPDX-License-Identifier: AGPL-3.0-or-later
// GET /metrics under load, parsed with a Prometheus text-format parser from npm: requests by
// route pattern and status (never the raw path), latency and commit histograms, render
// durations, webhook attempts and lag, rate-limit refusals, jobs by kind and state, store
// size. Counters move as requests are made. On the main listener only an operator key gets
// in; --metrics-listen serves the same text without credentials. /readyz answers 200, and
// 503 naming the renderer when the browser died and cannot start again.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startFrank, req } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';

const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const RATE = 60; // per key and endpoint in 10 s: the load stays under it, the burst goes past

let srv, op, receiver, port;
let hits = 0;
before(async () => {
	receiver = http.createServer((rq, rs) => {
		rq.resume();
		rq.on('end', () => {
			rs.statusCode = ++hits % 3 === 0 ? 500 : 200; // every third attempt fails
			rs.end('ok');
		});
	});
	await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
	port = receiver.address().port;
	srv = await startFrank({
		env: { FRANK_RENDERER: 'mupdf', FRANK_RATE_LIMIT: `${RATE}/10`, FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_WEBHOOK_RETRY_BASE_MS: '200', FRANK_METRICS_LISTEN: '127.0.0.1:0' },
	});
	op = await createOperator(srv);
});
after(async () => {
	await srv?.stop();
	receiver?.close();
});

/*
 * The text, checked line by line against exposition format 0.0.4, then parsed by the npm
 * parser. That parser merges the series of a histogram that has labels besides `le` into one
 * and drops their _sum and _count, so histograms are also read from the lines here: every
 * label set's buckets are cumulative and its +Inf bucket equals its _count.
 */
function parse(text) {
	const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|\+Inf|NaN)$/;
	const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:\\.|[^"\\])*)"(,|$)/gy;
	const described = new Map(); // family → type
	const samples = [];
	for (const line of text.split('\n')) {
		if (line === '') continue;
		const m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
		if (m) {
			if (m[1] === 'TYPE') {
				assert.ok(!described.has(m[2]), `one TYPE line for ${m[2]}`);
				assert.match(m[3], /^(counter|gauge|histogram)$/);
				described.set(m[2], m[3]);
			}
			continue;
		}
		const s = sample.exec(line);
		assert.ok(s, `a sample line: ${line}`);
		const labels = {};
		label.lastIndex = 0;
		for (let l; s[2] && label.lastIndex < s[2].length && (l = label.exec(s[2])); ) labels[l[1]] = l[2];
		assert.equal(label.lastIndex, s[2] ? s[2].length : 0, `labels of ${line}`);
		const family = s[1].replace(/_(bucket|sum|count)$/, '');
		assert.ok(described.get(s[1]) && described.get(s[1]) !== 'histogram' || described.get(family) === 'histogram', `${s[1]} comes after its TYPE line`);
		samples.push({ name: s[1], labels, value: Number(s[3]) });
	}
	for (const [name, type] of described) if (type === 'counter') assert.match(name, /_total$/, `counter ${name} ends in _total`);
	const histograms = new Map(); // "family|labels" → {family, labels, buckets: [[le, n]], sum, count}
	for (const x of samples) {
		const family = x.name.replace(/_(bucket|sum|count)$/, '');
		if (described.get(family) !== 'histogram') continue;
		const { le, ...rest } = x.labels;
		const key = `${family}|${JSON.stringify(rest)}`;
		if (!histograms.has(key)) histograms.set(key, { family, labels: rest, buckets: [] });
		const h = histograms.get(key);
		if (x.name.endsWith('_bucket')) h.buckets.push([le, x.value]);
		else if (x.name.endsWith('_sum')) h.sum = x.value;
		else h.count = x.value;
	}
	for (const h of histograms.values()) {
		const counts = h.buckets.map(([, n]) => n);
		assert.ok(counts.every((c, i) => i === 0 || c >= counts[i - 1]), `${h.family}: cumulative buckets`);
		assert.equal(h.buckets.at(-1)[0], '+Inf');
		assert.equal(counts.at(-1), h.count, `${h.family}: the +Inf bucket is the count`);
		assert.ok(h.sum >= 0);
	}
	const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
	return { families, histograms: [...histograms.values()] };
}

async function scrape(key = op.key) {
	const t0 = Date.now();
	const r = await req(srv, 'GET', '/metrics', { key });
	const ms = Date.now() - t0;
	assert.equal(r.status, 200, r.text);
	assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
	return { ...parse(r.text), ms, text: r.text };
}

/* a counter's or gauge's value in the series whose labels include `labels` (0 when none) */
function value(families, name, labels = {}) {
	const f = families.get(name);
	const m = f?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
	return m ? Number(m.value) : 0;
}

/* a histogram's series whose labels include `labels`: {count, sum} ({0, 0} when none) */
function hist(scraped, family, labels = {}) {
	const h = scraped.histograms.find((x) => x.family === family && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
	return h ? { count: h.count, sum: h.sum } : { count: 0, sum: 0 };
}

test('counters move under load; histograms, jobs, store size; labels are route patterns', async () => {
	const hook = await req(srv, 'POST', '/v1/webhooks', { json: { url: `http://127.0.0.1:${port}/hook`, event_types: ['address.created'] } });
	assert.equal(hook.status, 200, hook.text);
	const first = await scrape();

	let stop = false;
	let made = 0;
	const loop = async (make) => {
		// under the rate limit of the key and endpoint, however fast the machine
		for (let i = 0; !stop && i < RATE - 10; i++) {
			const r = await make();
			assert.equal(r.status, 200, r.text.slice(0, 300));
			made++;
		}
	};
	const loops = [
		loop(() => req(srv, 'POST', '/v1/addresses', { json: to })),
		loop(() => req(srv, 'POST', '/v1/letters', { json: { to, from, color: false, use_type: 'operational', file: '<html><body><p>Metrics</p></body></html>' } })),
	];
	const gets = [];
	const scrapeMs = [];
	for (let i = 0; i < 5; i++) {
		await sleep(300);
		// a few GETs of objects: their ids must not become labels
		gets.push(await req(srv, 'GET', `/v1/addresses/adr_${'0'.repeat(15)}${i}`));
		scrapeMs.push((await scrape()).ms);
	}
	stop = true;
	await Promise.all(loops);
	// the rate limit: a burst past it on one key and endpoint
	const burst = await Promise.all(Array.from({ length: RATE + 10 }, () => req(srv, 'GET', '/v1/templates', { key: srv.keys.live_secret })));
	const refused = burst.filter((r) => r.status === 429).length;
	assert.ok(refused >= 10, `${refused} of the burst refused`);
	// webhook deliveries and renders finish
	const end = Date.now() + 30000;
	let now;
	do {
		await sleep(300);
		now = await scrape();
	} while (Date.now() < end && (value(now.families, 'frank_webhook_attempts_total', { result: 'failed' }) === 0 || value(now.families, 'frank_webhook_attempts_total', { result: 'succeeded' }) < 3 || value(now.families, 'frank_render_documents_total', { renderer: 'mupdf', result: 'ok' }) === 0));
	const f = now.families;
	console.log(`# ${made} creates under load; scrapes took ${scrapeMs.join(', ')} ms (request to answer); the store part of the last ${(value(f, 'frank_metrics_scrape_seconds') * 1000).toFixed(2)} ms; ${now.text.length} bytes of text`);

	const posted = (fam) => value(fam, 'frank_http_requests_total', { method: 'POST', route: '/v1/addresses', status: '200' });
	assert.ok(posted(f) - posted(first.families) >= 5, 'POST /v1/addresses 200 counted');
	assert.equal(value(f, 'frank_http_requests_total', { method: 'GET', route: '/v1/addresses/{id}', status: '404' }), gets.length, 'the GETs counted under their pattern');
	const routes = f.get('frank_http_requests_total').metrics.map((m) => m.labels.route);
	assert.ok(!routes.some((r) => /adr_/.test(r)), `no raw path as a label: ${routes}`);
	assert.ok(value(f, 'frank_http_requests_total', { route: '/v1/templates', status: '429' }) >= refused);
	assert.ok(value(f, 'frank_ratelimit_refusals_total', { limit: 'lob' }) >= refused);
	const latency = hist(now, 'frank_http_request_duration_seconds', { method: 'POST', route: '/v1/letters' });
	assert.ok(latency.count >= 1 && latency.sum > 0, 'POST /v1/letters latency observed');
	assert.ok(hist(now, 'frank_store_commit_seconds').count > hist(first, 'frank_store_commit_seconds').count, 'commits observed');
	assert.ok(hist(now, 'frank_store_batch_writes').sum - hist(first, 'frank_store_batch_writes').sum >= made, 'every write counted in a batch');
	assert.ok(value(f, 'frank_render_documents_total', { renderer: 'mupdf', result: 'ok' }) > 0, 'renders counted');
	assert.ok(hist(now, 'frank_render_seconds', { renderer: 'mupdf' }).count > 0, 'render durations observed');
	assert.ok(value(f, 'frank_webhook_attempts_total', { result: 'succeeded' }) >= 3);
	assert.ok(value(f, 'frank_webhook_attempts_total', { result: 'failed' }) >= 1, 'a 500 from the endpoint is a failed attempt');
	// one lag per success (a retry finishing between the two counts may make them differ by one)
	const lags = hist(now, 'frank_webhook_delivery_lag_seconds').count;
	assert.ok(Math.abs(lags - value(f, 'frank_webhook_attempts_total', { result: 'succeeded' })) <= 1, `${lags} lags observed`);
	assert.ok(value(f, 'frank_jobs', { kind: 'jobs.purge', state: 'queued' }) === 1, 'the periodic purge is queued');
	assert.ok(value(f, 'frank_jobs', { kind: 'piece.render', state: 'done' }) >= 1, 'render jobs done');
	assert.ok(f.get('frank_jobs_oldest_due_seconds').metrics.every((m) => Number(m.value) >= 0));
	assert.ok(value(f, 'frank_job_runs_total', { kind: 'piece.render', outcome: 'ok' }) >= 1, 'render jobs run');
	assert.ok(value(f, 'frank_job_runs_total', { kind: 'webhook.deliver', outcome: 'settled' }) >= 3, 'deliveries settle their own jobs');
	assert.ok(hist(now, 'frank_job_start_delay_seconds', { kind: 'piece.render' }).count >= 1);
	assert.ok(hist(now, 'frank_job_handler_seconds', { kind: 'webhook.fanout' }).count >= 1);
	assert.ok(value(f, 'frank_store_database_bytes') > 100000);
	assert.equal(value(f, 'frank_ready'), 1);
});

test('a customer key gets 403 on /metrics; the metrics listener needs none; /readyz', async () => {
	for (const key of [srv.keys.test_secret, srv.keys.live_secret, srv.keys.test_publishable]) {
		const r = await req(srv, 'GET', '/metrics', { key });
		assert.equal(r.status, 403, r.text);
		assert.equal(r.body.error.status_code, 403);
		assert.match(r.body.error.message, /operator key/);
	}
	const none = await req(srv, 'GET', '/metrics', { key: null });
	assert.equal(none.status, 401);

	const m = /frankd metrics on (http:\/\/[^\s]+)/.exec(srv.output().stdout);
	assert.ok(m, 'frankd prints the metrics address');
	const open = await fetch(m[1]);
	assert.equal(open.status, 200);
	const { families } = parse(await open.text());
	assert.ok(families.has('frank_http_requests_total'));
	const elsewhere = await fetch(m[1].replace('/metrics', '/v1/addresses'));
	assert.equal(elsewhere.status, 404, 'the metrics listener serves nothing else');

	const ready = await req(srv, 'GET', '/readyz', { key: null });
	assert.equal(ready.status, 200, ready.text);
	assert.deepEqual(ready.body, { status: 'ready' });
	const readyThere = await fetch(m[1].replace('/metrics', '/readyz'));
	assert.equal(readyThere.status, 200);
});

test('/readyz: a dead browser is started again; one that cannot start makes it 503, naming the renderer', async (t) => {
	const browser = process.env.FRANK_CHROMIUM || '/usr/bin/chromium';
	if (!existsSync(browser)) return t.skip(`${browser} is not installed`);
	// a browser that starts only while the file `allow` exists
	const dir = await mkdtemp(join(tmpdir(), 'frank-flaky-'));
	await chmod(dir, 0o755); // the browser may run as the render user
	const allow = join(dir, 'allow');
	const wrapper = join(dir, 'chromium');
	await writeFile(wrapper, `#!/bin/sh\n[ -e '${allow}' ] || { echo 'browser starts are switched off' >&2; exit 1; }\nexec '${browser}' "$@"\n`, { mode: 0o755 });
	await writeFile(allow, '', { mode: 0o644 });
	const s = await startFrank({ env: { FRANK_RENDERER: 'chromium', FRANK_CHROMIUM: wrapper } });
	// the browser: frankd's child that is not a zombie (a killed one stays listed until reaped)
	const browserPid = () => execFileSync('ps', ['--ppid', String(s.proc.pid), '-o', 'pid=,stat=']).toString()
		.trim().split('\n').map((l) => l.trim().split(/\s+/)).filter(([, st]) => st && !st.startsWith('Z'))
		.map(([pid]) => Number(pid))[0];
	try {
		assert.equal((await req(s, 'GET', '/readyz', { key: null })).status, 200);
		const first = browserPid();
		process.kill(first, 'SIGKILL');
		await sleep(300);
		const revived = await req(s, 'GET', '/readyz', { key: null });
		assert.equal(revived.status, 200, `a browser that died is started again: ${revived.text}`);
		const second = browserPid();
		assert.ok(second && second !== first, `a new browser process: ${second} after ${first}`);

		await rm(allow);
		process.kill(browserPid(), 'SIGKILL');
		await sleep(300);
		const down = await req(s, 'GET', '/readyz', { key: null });
		assert.equal(down.status, 503, down.text);
		assert.equal(down.body.error.status_code, 503);
		assert.equal(down.body.error.code, 'service_unavailable');
		assert.match(down.body.error.message, /^not ready: renderer: the chromium browser is down/);
		assert.doesNotMatch(down.body.error.message, /store:|jobs:/, 'only what is not ready is named');

		await writeFile(allow, '', { mode: 0o644 });
		assert.equal((await req(s, 'GET', '/readyz', { key: null })).status, 200, 'ready again once the browser starts');
	} finally {
		await s.stop();
		await rm(dir, { recursive: true, force: true });
	}
});
