// SPDX-License-Identifier: AGPL-3.0-or-later
// Informed Delivery campaigns (/v1/informed_delivery_campaigns, by usps_campaign_id) over raw
// multipart (SDK 1.4.2 has no InformedDeliveryCampaignApi): create with a ride-along JPEG, list,
// retrieve, update while pending_approval and refused once approved; bad input answers Lob's error
// and stores nothing; every answer checked against the spec. The mail room's CSV for the USPS
// portal (Frank cannot submit campaigns): operator key only, and its `frank production` twin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFrank, req, runFrank } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

/* a 16x16 baseline JPEG, made here by poppler's pdftoppm (libjpeg) from a PDF of the repo */
function makeJpeg() {
	const dir = mkdtempSync(join(tmpdir(), 'frank-jpeg-'));
	try {
		const pdf = fileURLToPath(new URL('../../fuzz/corpus/pdf/letter.pdf', import.meta.url));
		execFileSync('pdftoppm', ['-jpeg', '-singlefile', '-f', '1', '-l', '1', '-scale-to-x', '16', '-scale-to-y', '16', pdf, join(dir, 'p')]);
		return readFileSync(join(dir, 'p.jpg'));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}
const JPEG = makeJpeg();
const PATH = '/v1/informed_delivery_campaigns';
const DAY = 86400000;
const day = (n) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

let srv, op;

before(async () => {
	srv = await startFrank();
	op = await createOperator(srv);
});
after(async () => {
	await srv?.stop();
});

/* the fixture JPEG claiming other dimensions in its SOF0 header (what a decoder reads first) */
function jpegSized(w, h) {
	const b = Buffer.from(JPEG);
	const sof = b.indexOf(Buffer.from([0xff, 0xc0]));
	b.writeUInt16BE(h, sof + 5);
	b.writeUInt16BE(w, sof + 7);
	return b;
}

function form(fields, files = { ride_along_image: JPEG }) {
	const fd = new FormData();
	for (const [k, v] of Object.entries(fields)) fd.append(k, String(v));
	for (const [k, bytes] of Object.entries(files))
		fd.append(k, new Blob([bytes], { type: 'image/jpeg' }), `${k}.jpg`);
	return fd;
}

const good = (extra = {}) => ({ ride_along_url: 'https://www.example.com/promo', quantity: 20, start_date: day(5), ...extra });

async function call(method, path, body, opts = {}) {
	const r = await req(srv, method, path, { body, ...opts });
	assertResponseMatchesSpec(method, path, r.status, r.body);
	return r;
}

async function count() {
	return (await call('GET', `${PATH}?limit=100`)).body.data.length;
}

test('create with a ride-along JPEG, retrieve by usps_campaign_id, list; the image is stored', async () => {
	const start = day(5);
	const r = await call('POST', PATH, form(good({ start_date: start, status: 'pending_approval', brand_name: 'Acme' })));
	assert.equal(r.status, 200, r.text);
	const c = r.body;
	assert.match(c.id, /^infd_[0-9a-f]{16}$/);
	assert.match(c.usps_campaign_id, /^[0-9]{10}$/);
	assert.equal(c.object, 'informed_delivery_campaign');
	assert.equal(c.status, 'pending_approval');
	assert.equal(c.quantity, 20);
	assert.equal(c.mode, 'test');
	assert.equal(c.brand_name, 'Acme');
	assert.equal(c.account_id, srv.keys.account_id);
	assert.equal(c.start_date, start); // the schema's format: date (its example shows a timestamp)
	assert.equal(c.end_date, new Date(Date.parse(start) + 45 * DAY).toISOString());
	assert.equal(c.start_serial, null);
	assert.equal(c.representative_image_s3_link, null);
	assert.match(c.usps_title, /^Campaign: /);
	assert.ok(c.campaign_code.endsWith('+Code'));
	const img = await fetch(c.ride_along_image_s3_link);
	assert.equal(img.status, 200);
	assert.deepEqual(Buffer.from(await img.arrayBuffer()), JPEG);

	const got = await call('GET', `${PATH}/${c.usps_campaign_id}`);
	assert.equal(got.status, 200);
	assert.equal(got.body.id, c.id);
	const list = await call('GET', PATH);
	assert.ok(list.body.data.some((x) => x.id === c.id));
	const missing = await call('GET', `${PATH}/1234567890`);
	assert.equal(missing.status, 404);
	const publishable = await req(srv, 'GET', PATH, { key: srv.keys.test_publishable });
	assert.equal(publishable.status, 403, publishable.text);
	assert.equal(publishable.body.error.code, 'publishable_key_not_allowed');
});

test('an Idempotency-Key replays the campaign; a live key makes a live one', async () => {
	const headers = { 'Idempotency-Key': 'infd-once' };
	const a = await call('POST', PATH, form(good()), { headers });
	const b = await call('POST', PATH, form(good({ quantity: 99 })), { headers });
	assert.equal(a.status, 200, a.text);
	assert.equal(b.body.id, a.body.id);
	assert.equal(b.body.usps_campaign_id, a.body.usps_campaign_id);
	assert.equal(b.body.quantity, 20);
	const live = await call('POST', PATH, form(good()), { key: srv.keys.live_secret });
	assert.equal(live.body.mode, 'live');
	const other = await call('GET', `${PATH}/${live.body.usps_campaign_id}`);
	assert.equal(other.status, 404, 'the test key does not see live campaigns');
});

test('update while pending_approval; approved is final', async () => {
	const c = (await call('POST', PATH, form(good({ status: 'pending_approval' })))).body;
	const u = await call('PATCH', `${PATH}/${c.usps_campaign_id}`, form({ quantity: 30, start_date: day(10) }, { representative_image: JPEG }));
	assert.equal(u.status, 200, u.text);
	assert.equal(u.body.quantity, 30);
	assert.equal(u.body.start_date, day(10));
	assert.equal(u.body.end_date, new Date(Date.parse(day(10)) + 45 * DAY).toISOString());
	assert.notEqual(u.body.representative_image_s3_link, null);
	assert.equal(u.body.status, 'pending_approval');
	const approved = await call('PATCH', `${PATH}/${c.usps_campaign_id}`, form({ status: 'approved' }, {}));
	assert.equal(approved.body.status, 'approved');
	const refused = await call('PATCH', `${PATH}/${c.usps_campaign_id}`, form({ quantity: 40 }, {}));
	assert.equal(refused.status, 422);
	assert.match(refused.body.error.message, /only be updated in the pending_approval status/);
	assert.equal((await call('GET', `${PATH}/${c.usps_campaign_id}`)).body.quantity, 30);
	const back = await call('PATCH', `${PATH}/${c.usps_campaign_id}`, form({ status: 'pending_approval' }, {}));
	assert.equal(back.status, 422);
	const gone = await call('PATCH', `${PATH}/9999999999`, form({ quantity: 3 }, {}));
	assert.equal(gone.status, 404);
	// the spec's default status is approved
	const dflt = (await call('POST', PATH, form(good()))).body;
	assert.equal(dflt.status, 'approved');
});

test('bad input: Lob\'s error, nothing stored', async () => {
	const before = await count();
	const cases = [
		[form({ quantity: 20, start_date: day(5) }), 'ride_along_url is required'],
		[form(good(), {}), 'ride_along_image is required'],
		[form({ ...good(), quantity: 1 }), /quantity/],
		[form(good({ ride_along_url: 'http://www.example.com' })), /ride_along_url/],
		[form(good({ start_date: day(1) })), /start_date must be at least two days in the future/],
		[form(good({ start_date: '2030-02-31' })), /start_date/],
		[form(good({ start_date: 'soon' })), /start_date/],
		[form(good({ status: 'approved' })), /status/],
		[form(good({ lob_campaign_id: 'nope' })), /lob_campaign_id/],
		[form(good(), { ride_along_image: Buffer.from('\x89PNG\r\n\x1a\n not really a png') }), 'ride_along_image must be a JPEG image', 'invalid_file'],
		[form(good(), { ride_along_image: Buffer.concat([JPEG, Buffer.alloc(210 * 1024)]) }), /maximum file size is 200 KB/, 'file_size_exceeds_limit'],
		[form(good(), { ride_along_image: jpegSized(301, 200) }), 'ride_along_image is 301x200 pixels; the maximum is 300 pixels wide x 200 pixels high', 'invalid_file_dimensions'],
		[form(good(), { ride_along_image: jpegSized(300, 201) }), /300x201 pixels/, 'invalid_file_dimensions'],
		[(() => { const f = form(good(), {}); f.append('ride_along_image', 'a string'); return f; })(), 'ride_along_image must be an uploaded JPEG file'],
	];
	for (const [body, message, code] of cases) {
		const r = await call('POST', PATH, body);
		assert.equal(r.status, 422, `${message}: ${r.text}`);
		if (message instanceof RegExp) assert.match(r.body.error.message, message);
		else assert.equal(r.body.error.message, message);
		if (code) assert.equal(r.body.error.code, code);
	}
	assert.equal(await count(), before);
	// the largest image USPS takes passes
	const ok = await call('POST', PATH, form(good(), { ride_along_image: jpegSized(300, 200) }));
	assert.equal(ok.status, 200, ok.text);
});

test('the mail room exports the campaigns as CSV for the USPS portal; customers cannot', async () => {
	const c = (await call('POST', PATH, form(good({ status: 'pending_approval', usps_title: 'Spring, "big" sale' })))).body;
	const formula = (await call('POST', PATH, form(good({ usps_title: '=HYPERLINK("x")' })))).body;
	const url = '/v1/_frank/production/informed_delivery_campaigns.csv';
	const live = await req(srv, 'GET', url, { key: op.key });
	assert.equal(live.status, 200, live.text);
	assert.match(live.headers.get('content-type'), /^text\/csv/);
	assert.ok(!live.text.includes(c.usps_campaign_id), 'test campaigns only with include_test');
	const r = await req(srv, 'GET', `${url}?include_test=true`, { key: op.key });
	const lines = r.text.trim().split('\r\n');
	assert.equal(lines[0], 'usps_campaign_id,id,account_id,mode,status,usps_title,campaign_code,brand_name,quantity,start_date,end_date,ride_along_url,ride_along_image_file,ride_along_image_link,representative_image_file,representative_image_link,lob_campaign_id,date_created');
	const row = lines.find((l) => l.startsWith(c.usps_campaign_id));
	assert.ok(row, r.text);
	assert.ok(row.includes(`${c.id},${srv.keys.account_id},test,pending_approval,"Spring, ""big"" sale",`));
	assert.ok(row.includes(',20,') && row.includes('https://www.example.com/promo'));
	const frow = lines.find((l) => l.startsWith(formula.usps_campaign_id));
	assert.ok(frow.includes(',"\'=HYPERLINK(""x"")",'), frow);
	const link = row.match(/,(http[^,]*\/assets\/[^,]*),/)[1];
	assert.deepEqual(Buffer.from(await (await fetch(link)).arrayBuffer()), JPEG);
	const bad = await req(srv, 'GET', `${url}?include_test=maybe`, { key: op.key });
	assert.equal(bad.status, 422);
	for (const key of [srv.keys.test_secret, srv.keys.live_secret]) {
		const refused = await req(srv, 'GET', `${url}?include_test=true`, { key });
		assert.ok(refused.status === 401 || refused.status === 403, `${refused.status} ${refused.text}`);
		assert.ok(!refused.text.includes(c.usps_campaign_id));
	}
	const cli = await runFrank(['production', 'informed-delivery', '--data', srv.dataDir, '--mode', 'all']);
	assert.equal(cli.code, 0, cli.stderr);
	assert.equal(cli.stdout.split('\r\n')[0], lines[0]);
	assert.ok(cli.stdout.includes(`${c.usps_campaign_id},${c.id},`));
	const cliLive = await runFrank(['production', 'informed-delivery', '--data', srv.dataDir]);
	assert.ok(!cliLive.stdout.includes(c.usps_campaign_id));
	const cliBad = await runFrank(['production', 'informed-delivery', '--data', srv.dataDir, '--mode', 'test']);
	assert.equal(cliBad.code, 2);
});

test('the mail room records the USPS portal\'s answer: serials when approved, the reason when rejected', async () => {
	const approved = (await call('POST', PATH, form(good()))).body;	/* the spec's default status: approved */
	assert.equal(approved.start_serial, null);
	const outcome = (id) => `/v1/_frank/production/informed_delivery_campaigns/${id}/outcome`;
	/* customers cannot: the evidence is the mail room's */
	for (const key of [srv.keys.test_secret, srv.keys.live_secret]) {
		const r = await req(srv, 'POST', outcome(approved.usps_campaign_id), { key, json: { result: 'approved', start_serial: 1, end_serial: 20 } });
		assert.ok(r.status === 401 || r.status === 403 || r.status === 404, `${r.status} ${r.text}`);
	}
	const ok = await req(srv, 'POST', outcome(approved.usps_campaign_id), { key: op.key, json: { result: 'approved', start_serial: 3183487, end_serial: 3183506, service_request_number: 'SR-2026-0042' } });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.body.usps_outcome.result, 'approved');
	assert.equal(ok.body.usps_outcome.operator_id, op.operator_id);
	const got = (await call('GET', `${PATH}/${approved.usps_campaign_id}`)).body;
	assert.deepEqual([got.start_serial, got.end_serial, got.service_request_number], [3183487, 3183506, 'SR-2026-0042']);
	assert.equal(got.usps_outcome.result, 'approved');

	/* the portal changed its mind: rejected, with the reason; the serials go */
	const no = await req(srv, 'POST', outcome(approved.usps_campaign_id), { key: op.key, json: { result: 'rejected', reason: 'ride-along image unreadable' } });
	assert.equal(no.status, 200, no.text);
	const after = (await call('GET', `${PATH}/${approved.usps_campaign_id}`)).body;
	assert.deepEqual([after.start_serial, after.end_serial], [null, null]);
	assert.deepEqual([after.usps_outcome.result, after.usps_outcome.reason], ['rejected', 'ride-along image unreadable']);

	/* bad input: Lob's errors, nothing written */
	const pending = (await call('POST', PATH, form(good({ status: 'pending_approval' })))).body;
	for (const [id, body, status, re] of [
		[pending.usps_campaign_id, { result: 'approved', start_serial: 1, end_serial: 2 }, 422, /only a campaign its customer approved/],
		[approved.usps_campaign_id, { result: 'approved', start_serial: 10, end_serial: 2 }, 422, /end_serial \(2\) is before start_serial \(10\)/],
		[approved.usps_campaign_id, { result: 'approved', start_serial: '1', end_serial: 2 }, 422, /start_serial is required/],
		[approved.usps_campaign_id, { result: 'rejected' }, 422, /reason is required/],
		[approved.usps_campaign_id, { result: 'maybe' }, 422, /result must be approved or rejected/],
		['0000000000', { result: 'rejected', reason: 'x' }, 404, /not found/],
	]) {
		const r = await req(srv, 'POST', outcome(id), { key: op.key, json: body });
		assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
		assert.match(r.body.error.message, re);
	}
	assert.equal((await call('GET', `${PATH}/${pending.usps_campaign_id}`)).body.usps_outcome, undefined);
	assert.equal((await call('GET', `${PATH}/${approved.usps_campaign_id}`)).body.usps_outcome.result, 'rejected');
});
