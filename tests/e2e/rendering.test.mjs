// SPDX-License-Identifier: AGPL-3.0-or-later
// Rendering letters: create answers `processed`; the render job takes the letter to `rendered`
// with a signed proof PDF and thumbnails (events letter.rendered_pdf, letter.rendered_thumbnails),
// or to `failed` with Lob's failure_reason (letter.failed). Proofs are checked for the address
// and the certified tracking number; links expire and refuse tampering; a restart loses nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, takeoverMs } from './lib/server.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';
import { tinyPdf } from './lib/pdf.mjs';
import { pageBarcodes, pageCount, pdfText } from './lib/pdftools.mjs';
import { LettersApi } from '@lob/lob-typescript-sdk';
import { sdkApi } from './lib/sdk.mjs';

let srv;
// links are shaped as Lob's (its SDK insists); here frankd itself stands behind that name
const LOB_ASSETS = 'https://lob-assets.com';
const local = (url) => url.replace(LOB_ASSETS, srv.baseUrl);
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_line2: 'Ste 6100', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const letter = (extra = {}) => ({ to, from, file: '<html><body><h1>Hello {{name}}</h1><p>Your order shipped.</p></body></html>', color: false, use_type: 'operational', merge_variables: { name: 'Harry' }, ...extra });

before(async () => {
	srv = await startFrank({ env: { FRANK_ALLOW_PRIVATE_URLS: '1', FRANK_ASSET_URL: LOB_ASSETS } });
});
after(async () => {
	await srv?.stop();
});

async function until(id, want, ms = 15000) {
	const end = Date.now() + ms;
	for (;;) {
		const r = await req(srv, 'GET', `/v1/letters/${id}`);
		if (r.body?.status && r.body.status !== 'processed') {
			assert.equal(r.body.status, want, JSON.stringify(r.body.failure_reason ?? r.body));
			return r;
		}
		if (Date.now() > end) assert.fail(`${id} still processed after ${ms} ms`);
		await sleep(50);
	}
}

test('an HTML letter renders: signed PDF and thumbnails, events, spec-valid', async () => {
	const c = await req(srv, 'POST', '/v1/letters', { json: letter() });
	assert.equal(c.status, 200);
	assert.equal(c.body.status, 'processed');
	const r = await until(c.body.id, 'rendered');
	assertResponseMatchesSpec('GET', `/v1/letters/${c.body.id}`, 200, r.body);
	assert.match(r.body.url, new RegExp(`^${LOB_ASSETS}/letters/${c.body.id}\\.pdf\\?expires=\\d{10}&signature=[0-9a-f]{64}$`));
	assert.ok(r.body.thumbnails.length >= 1);
	for (const size of ['small', 'medium', 'large']) assert.match(r.body.thumbnails[0][size], new RegExp(`/letters/${c.body.id}_thumb_${size}_1\\.png\\?expires=`));
	const pdf = await fetch(local(r.body.url));
	assert.equal(pdf.status, 200);
	assert.equal(pdf.headers.get('content-type'), 'application/pdf');
	const bytes = Buffer.from(await pdf.arrayBuffer());
	assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
	const png = await fetch(local(r.body.thumbnails[0].small));
	assert.equal(png.headers.get('content-type'), 'image/png');
	const tampered = await fetch(local(r.body.url).replace(/signature=(.)/, (_, c) => `signature=${c === '0' ? '1' : '0'}`));
	assert.equal(tampered.status, 403);
	const events = await req(srv, 'GET', '/v1/events?limit=50');
	const types = events.body.data.filter((e) => e.body.id === c.body.id).map((e) => e.event_type.id);
	assert.deepEqual(types.sort(), ['letter.created', 'letter.rendered_pdf', 'letter.rendered_thumbnails']);
	const sdk = sdkApi(LettersApi, srv.baseUrl, srv.keys.test_secret);
	const viaSdk = await sdk.get(c.body.id);
	assert.equal(viaSdk.url.split('?')[0], r.body.url.split('?')[0], 'the SDK model accepts the links');
});

test('a certified letter proof carries the cover sheet with its tracking number', async () => {
	const c = await req(srv, 'POST', '/v1/letters', { json: letter({ extra_service: 'certified', double_sided: false }) });
	const r = await until(c.body.id, 'rendered');
	const pdf = Buffer.from(await (await fetch(local(r.body.url))).arrayBuffer());
	const pic = c.body.tracking_number;
	assert.match(pic, /^92071\d{17}$/);
	assert.ok(r.body.thumbnails.length >= 2, 'the cover sheet is an extra page');
	// page 1 is the cover: GS1-128 (420) ZIP (GS) tracking number, and the number as printed
	const codes = await pageBarcodes(pdf, 1);
	const gs1 = codes.find((b) => b.type === 'CODE-128');
	assert.ok(gs1, `no GS1-128 barcode on the cover: ${JSON.stringify(codes)}`);
	assert.equal(gs1.data, `420${to.address_zip.slice(0, 5)}\x1d${pic}`);
	const text = await pdfText(pdf, 1);
	assert.match(text, /USPS CERTIFIED MAIL/);
	assert.ok(text.includes(pic.replace(/(\d{4})/g, '$1 ').trim()), text);
});

test('a PDF of the wrong size fails with invalid_file_dimensions', async () => {
	const a4 = tinyPdf().toString('latin1').replace('/MediaBox [0 0 612 792]', '/MediaBox [0 0 595 842]');
	const fd = new FormData();
	for (const [k, v] of Object.entries(to)) fd.append(`to[${k}]`, v);
	for (const [k, v] of Object.entries(from)) fd.append(`from[${k}]`, v);
	fd.append('color', 'false');
	fd.append('use_type', 'operational');
	fd.append('file', new Blob([Buffer.from(a4, 'latin1')], { type: 'application/pdf' }), 'a4.pdf');
	const c = await fetch(`${srv.baseUrl}/v1/letters`, { method: 'POST', body: fd, headers: { Authorization: 'Basic ' + Buffer.from(srv.keys.test_secret + ':').toString('base64') } });
	const created = await c.json();
	assert.equal(c.status, 200, JSON.stringify(created));
	const r = await until(created.id, 'failed');
	assert.equal(r.body.failure_reason.failure_reason, 'invalid_file_dimensions');
	assert.match(r.body.failure_reason.remediation, /8.5"x11"/);
	const events = await req(srv, 'GET', '/v1/events?event_type=letter.failed');
	assert.ok(events.body.data.some((e) => e.body.id === created.id));
});

test('an uploaded letter-size PDF renders, and a remote one is fetched', async () => {
	const fd = new FormData();
	for (const [k, v] of Object.entries(to)) fd.append(`to[${k}]`, v);
	for (const [k, v] of Object.entries(from)) fd.append(`from[${k}]`, v);
	fd.append('color', 'false');
	fd.append('use_type', 'operational');
	fd.append('file', new Blob([tinyPdf('Uploaded')], { type: 'application/pdf' }), 'l.pdf');
	const c = await fetch(`${srv.baseUrl}/v1/letters`, { method: 'POST', body: fd, headers: { Authorization: 'Basic ' + Buffer.from(srv.keys.test_secret + ':').toString('base64') } });
	await until((await c.json()).id, 'rendered');
	// a remote file: frankd itself serves the proof of the first letter at a signed URL
	const first = (await req(srv, 'GET', '/v1/letters?status=rendered&limit=1')).body.data[0];
	const remote = await req(srv, 'POST', '/v1/letters', { json: letter({ file: local(first.url) }) });
	assert.equal(remote.status, 200, remote.text);
	await until(remote.body.id, 'rendered');
});

test('pieces still processed when frankd dies are rendered after the restart', async () => {
	const ids = [];
	for (let i = 0; i < 5; i++) ids.push((await req(srv, 'POST', '/v1/letters', { json: letter() })).body.id);
	await srv.kill9();
	await srv.restart();
	for (const id of ids) await until(id, 'rendered', 15000 + takeoverMs);
});

test('qr_code: validated at create, stamped at render', async () => {
	const bad = [
		[{ position: 'fixed', redirect_url: 'https://x.example', width: 1, top: 1, left: 1 }, 'qr_code.position must be one of [relative]'],
		[{ position: 'relative', redirect_url: 'https://x.example', width: 0.5, top: 1, left: 1 }, 'qr_code.width must be a number of at least 1 (inch)'],
		[{ position: 'relative', redirect_url: 'https://x.example', width: 1, top: 1, bottom: 1, left: 1 }, 'qr_code needs exactly one of top or bottom'],
		[{ position: 'relative', redirect_url: 'https://x.example', width: 2, top: 10, left: 1 }, 'qr_code does not fit on a 8.5"x11" page'],
		[{ position: 'relative', redirect_url: 'https://x.example', width: 1, top: 1, left: 1, pages: '2-1' }, /qr_code.pages must be/],
	];
	for (const [qr, msg] of bad) {
		const r = await req(srv, 'POST', '/v1/letters', { json: letter({ qr_code: qr }) });
		assert.equal(r.status, 422, JSON.stringify(qr));
		if (typeof msg === 'string') assert.equal(r.body.error.message, msg);
		else assert.match(r.body.error.message, msg);
	}
	const qr = { position: 'relative', redirect_url: 'https://example.com/r?n={{name}}', width: 1.5, bottom: 1, right: 1, pages: '1' };
	const c = await req(srv, 'POST', '/v1/letters', { json: letter({ qr_code: qr }) });
	assert.equal(c.status, 200, c.text);
	assert.deepEqual(c.body.qr_code, qr);
	await until(c.body.id, 'rendered');
});

test('remote images, style sheets and web fonts in the HTML are fetched and embedded (no network in the renderer)', async () => {
	const { createServer } = await import('node:http');
	const { readFile } = await import('node:fs/promises');
	const image = await readFile(new URL('../fixtures/lob-examples/letters__8.5x11-letter-custom-envelope.chromium-2.png', import.meta.url));
	const font = await readFile('/usr/share/fonts/truetype/dejavu/DejaVuSansMono-BoldOblique.ttf');
	const served = [];
	const assets = createServer((rq, rs) => {
		served.push(rq.url);
		if (rq.url === '/img/logo.png') return rs.writeHead(200, { 'Content-Type': 'image/png' }).end(image);
		if (rq.url === '/css/fonts.css') return rs.writeHead(200, { 'Content-Type': 'text/css' }).end("@font-face { font-family: 'Remote Face'; src: url(f/mono.ttf) format('truetype'); }");
		if (rq.url === '/css/f/mono.ttf') return rs.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(font);
		rs.writeHead(404).end();
	});
	await new Promise((r) => assets.listen(0, '127.0.0.1', r));
	const base = `http://127.0.0.1:${assets.address().port}`;
	try {
		const html = `<html><head><link rel="stylesheet" href="${base}/css/fonts.css"></head><body>` +
			`<p style="font-family:'Remote Face'">Hello {{name}}</p><img src="${base}/img/logo.png" width="200"></body></html>`;
		const c = await req(srv, 'POST', '/v1/letters', { json: letter({ file: html }) });
		assert.equal(c.status, 200, c.text);
		const r = await until(c.body.id, 'rendered');
		const pdf = Buffer.from(await (await fetch(local(r.body.url))).arrayBuffer()).toString('latin1');
		assert.deepEqual([...new Set(served)].sort(), ['/css/f/mono.ttf', '/css/fonts.css', '/img/logo.png']);
		assert.match(pdf, /\/Subtype\s*\/Image/, 'the image is in the proof');
		assert.match(pdf, /DejaVuSansMono-BoldOblique/, 'the web font is embedded');
		assert.match(await pdfText(Buffer.from(pdf, 'latin1'), 1), /Hello Harry/);
	} finally {
		assets.close();
	}
});

test('letters rendered together in one batch each get their own merged document', async () => {
	// created at once, they queue together: a worker takes them as a group and renders their
	// HTML in one browser call, split back per piece
	const names = Array.from({ length: 12 }, (_, i) => `Person${i}x`);
	const created = await Promise.all(names.map((name, i) => req(srv, 'POST', '/v1/letters', {
		json: letter({ merge_variables: { name }, file: `<html><body><h1>Hello {{name}}</h1>${'<p>line</p>'.repeat(i * 20)}</body></html>` }),
	})));
	for (const [i, c] of created.entries()) {
		assert.equal(c.status, 200, c.text);
		const r = await until(c.body.id, 'rendered');
		const pdf = Buffer.from(await (await fetch(local(r.body.url))).arrayBuffer());
		const text = await pdfText(pdf);
		assert.match(text, new RegExp(`Hello ${names[i]}\\b`), `letter ${i} has its own name`);
		for (const other of names) if (other !== names[i]) assert.doesNotMatch(text, new RegExp(`Hello ${other}\\b`));
		assert.equal(r.body.thumbnails.length, await pageCount(pdf), 'a thumbnail per page');
	}
	assert.match(srv.output().stderr, /letters laid out in one (chromium|mupdf) batch/, 'they were batched');
});
