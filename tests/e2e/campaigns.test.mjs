// SPDX-License-Identifier: AGPL-3.0-or-later
// Creatives and campaigns (/v1/creatives, /v1/campaigns): create, get, update, list, delete
// and send, with the request shapes of the official SDK's models (CampaignWritable,
// CampaignUpdatable, CreativeWritable, CreativePatch: the SDK 1.4.2 bundle ships these models
// but not CampaignsApi/CreativesApi, so the calls are raw HTTP with the models' JSON) and every
// response checked against the spec. The first tests write the audience (an upload object and
// its rows) straight into the database, to test the send's own contract with exact rows:
// exactly one letter per valid row, with the rows' merge variables in their proofs, a second
// send refused, kill -9 mid-send → exactly N, delete → the letters cancelled. The last one
// goes through /v1/uploads: a 1,000-row CSV with 37 bad rows → 963 letters, kill -9 included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CampaignWritable, CampaignUpdatable, CreativeWritable, CreativePatch } from '@lob/lob-typescript-sdk';
import { startFrank, req, runFrank, storeSql } from './lib/server.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';
import { pdfText } from './lib/pdftools.mjs';
import { tinyPdf } from './lib/pdf.mjs';

const LOB_ASSETS = 'https://lob-assets.com';
let srv;
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_line2: 'Ste 6100', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const html = '<html><body><h1>Hello {{name}}</h1><p>Your code is {{code}}.</p></body></html>';

before(async () => {
	srv = await startFrank({ env: { FRANK_ASSET_URL: LOB_ASSETS } });
});
after(async () => {
	await srv?.stop();
});

const local = (url) => url.replace(LOB_ASSETS, srv.baseUrl);
const sql = async (q) => (await storeSql(srv.dataDir, q)).trim();

async function call(method, path, json, status = 200) {
	const r = await req(srv, method, path, json === undefined ? {} : { json });
	assert.equal(r.status, status, `${method} ${path}: ${JSON.stringify(r.body)}`);
	assertResponseMatchesSpec(method, path, r.status, r.body);
	return r.body;
}

async function campaign(name, extra = {}) {
	return call('POST', '/v1/campaigns', new CampaignWritable({ name, schedule_type: 'immediate', use_type: 'marketing', ...extra }).toJSON());
}

async function letterCreative(cmp, extra = {}) {
	const w = new CreativeWritable({ campaign_id: cmp.id, resource_type: 'letter', from, file: html, description: 'Spring letter', details: { color: false }, ...extra });
	return call('POST', '/v1/creatives', w.toJSON());
}

// the audience, as the uploads API leaves it once validated: an upload object (campaignId,
// state Scheduled) and one upload_rows row per line, `bad` of them invalid
async function audience(cmp, n, bad = 0) {
	const id = `upl_${cmp.id.slice(4)}`;
	const now = Date.now();
	const when = new Date(now).toISOString();
	const upload = JSON.stringify({ id, accountId: cmp.account_id, campaignId: cmp.id, requiredAddressColumnMapping: { name: 'name', address_line1: 'line1', address_city: 'city', address_state: 'state', address_zip: 'zip' }, optionalAddressColumnMapping: { address_line2: null, company: null, address_country: null }, metadata: { columns: [] }, mergeVariableColumnMapping: {}, mode: 'test', state: 'Scheduled', totalMailpieces: n, failedMailpieces: bad, validatedMailpieces: n - bad, bytesProcessed: 0, dateCreated: when, dateModified: when });
	let q = `BEGIN; INSERT INTO objects (id, account_id, mode, kind, created_ms, updated_ms, json) VALUES ('${id}', '${cmp.account_id}', 0, 'upload', ${now}, ${now}, '${upload}');`;
	for (let i = 1; i <= n; i++) {
		const valid = i > n - bad ? 0 : 1;
		const piece = JSON.stringify({ to: { name: `Person ${i}`, address_line1: `${100 + i} King St`, address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' }, merge_variables: { name: `Person ${i}`, code: `C-${i}` }, metadata: { row: String(i) } });
		q += `INSERT INTO upload_rows (upload_id, row_no, valid, piece, errors) VALUES ('${id}', ${i}, ${valid}, ${valid ? `'${piece}'` : 'NULL'}, ${valid ? 'NULL' : `'[{"column":"address_zip","message":"bad zip"}]'`});`;
	}
	await sql(q + 'COMMIT;');
	return id;
}

async function campaignLetters(cmpId) {
	const out = [];
	let path = `/v1/letters?campaign_id=${cmpId}&limit=100`;
	for (;;) {
		const r = await req(srv, 'GET', path);
		assert.equal(r.status, 200);
		out.push(...r.body.data);
		if (!r.body.next_url) return out;
		path = r.body.next_url.slice(r.body.next_url.indexOf('/v1/'));
	}
}

async function untilCount(cmpId, n, ms = 60000) {
	const end = Date.now() + ms;
	for (;;) {
		const c = Number(await sql(`SELECT COUNT(*) FROM objects WHERE campaign_id = '${cmpId}' AND kind = 'letter'`));
		if (c >= n) return c;
		if (Date.now() > end) assert.fail(`${c} of ${n} letters after ${ms} ms`);
		await sleep(100);
	}
}

test('campaigns: create, get, list, update; bad input answers Lob errors', async () => {
	const cmp = await campaign('Spring', { description: 'Spring mailing', metadata: { team: 'growth' }, cancel_window_campaign_minutes: 60 });
	assert.match(cmp.id, /^cmp_[0-9a-f]{16}$/);
	assert.equal(cmp.is_draft, true);
	assert.deepEqual(cmp.creatives, []);
	assert.deepEqual(cmp.uploads, []);
	assert.equal(cmp.auto_cancel_if_ncoa, false);
	assert.equal(cmp.object, 'campaign');
	assert.equal((await call('GET', `/v1/campaigns/${cmp.id}`)).name, 'Spring');
	const u = await call('PATCH', `/v1/campaigns/${cmp.id}`, new CampaignUpdatable({ name: 'Spring 2', description: 'x' }).toJSON());
	assert.equal(u.name, 'Spring 2');
	assert.equal(u.metadata.team, 'growth');
	const list = await call('GET', '/v1/campaigns?limit=10&include[]=total_count');
	assert.ok(list.data.some((c) => c.id === cmp.id));
	for (const [body, code, message] of [
		[{ schedule_type: 'immediate', use_type: 'marketing' }, 'invalid', /name is required/],
		[{ name: 'x', schedule_type: 'later', use_type: 'marketing' }, 'invalid', /schedule_type/],
		[{ name: 'x', schedule_type: 'immediate', use_type: 'marketing', send_date: '2001-01-01' }, 'invalid', /future/],
		[{ name: 'x', schedule_type: 'immediate', use_type: 'marketing', billing_group_id: 'bg_123' }, 'not_found', /billing_group_id/],
	]) {
		const r = await req(srv, 'POST', '/v1/campaigns', { json: body });
		assert.equal(r.body.error?.code, code, JSON.stringify(r.body));
		assert.match(r.body.error.message, message);
	}
	const noDraft = await req(srv, 'PATCH', `/v1/campaigns/${cmp.id}`, { json: { is_draft: false } });
	assert.equal(noDraft.status, 422);
	assert.match(noDraft.body.error.message, /send/);
	// Lob's curl examples send form bodies
	const form = await req(srv, 'POST', '/v1/campaigns', { form: new URLSearchParams({ name: 'My First Campaign', schedule_type: 'immediate', use_type: 'marketing', print_speed: 'core', cancel_window_campaign_minutes: '30', 'metadata[k]': 'v' }) });
	assert.equal(form.status, 200, JSON.stringify(form.body));
	assert.equal(form.body.cancel_window_campaign_minutes, 30);
	assert.equal(form.body.metadata.k, 'v');
	const crvForm = await req(srv, 'POST', '/v1/creatives', { form: new URLSearchParams({ campaign_id: form.body.id, resource_type: 'letter', file: html, 'details[color]': 'true', 'from[name]': 'Leore Avidar', 'from[address_line1]': '185 Berry St', 'from[address_city]': 'San Francisco', 'from[address_state]': 'CA', 'from[address_zip]': '94107' }) });
	assert.equal(crvForm.status, 200, JSON.stringify(crvForm.body));
	assertResponseMatchesSpec('POST', '/v1/creatives', 200, crvForm.body);
	const gone = await call('DELETE', `/v1/campaigns/${cmp.id}`);
	assert.deepEqual(gone, { id: cmp.id, deleted: true });
	assert.equal((await req(srv, 'GET', `/v1/campaigns/${cmp.id}`)).status, 404);
});

test('creatives: a letter design checked as a letter, one per campaign, update', async () => {
	const cmp = await campaign('Creative test');
	const crv = await letterCreative(cmp);
	assert.match(crv.id, /^crv_[0-9a-f]{16}$/);
	assert.equal(crv.resource_type, 'letter');
	assert.match(crv.from, /^adr_/);
	assert.equal(crv.campaigns[0].id, cmp.id);
	assert.equal(crv.details.color, false);
	const got = await call('GET', `/v1/creatives/${crv.id}`);
	assert.equal(got.description, 'Spring letter');
	const patched = await call('PATCH', `/v1/creatives/${crv.id}`, new CreativePatch({ description: 'Renamed' }).toJSON());
	assert.equal(patched.description, 'Renamed');
	const moved = await call('PATCH', `/v1/creatives/${crv.id}`, { from: { ...from, address_line1: '1 Market St' } });
	assert.notEqual(moved.from, crv.from);
	assert.equal((await req(srv, 'GET', `/v1/addresses/${moved.from}`)).body.address_line1, '1 MARKET ST');
	assert.equal((await req(srv, 'PATCH', `/v1/creatives/${crv.id}`, { json: { from: null } })).status, 422);
	assert.equal((await req(srv, 'PATCH', `/v1/creatives/${crv.id}`, { json: { from: { name: 'x' } } })).status, 422);
	const withIt = await call('GET', `/v1/campaigns/${cmp.id}`);
	assert.equal(withIt.creatives[0].id, crv.id);
	assert.equal(withIt.creatives[0].description, 'Renamed');
	const cases = [
		[{ campaign_id: cmp.id, resource_type: 'letter', from, file: html, details: { color: false } }, 409, 'conflict'],
		[{ campaign_id: 'cmp_0000000000000000', resource_type: 'letter', from, file: html, details: { color: false } }, 404, 'not_found'],
		[{ campaign_id: cmp.id, resource_type: 'letter', from, details: { color: false } }, 422, 'invalid'],
		[{ campaign_id: cmp.id, resource_type: 'letter', from, file: html, details: {} }, 422, 'invalid'],
		[{ campaign_id: cmp.id, resource_type: 'letter', from, file: 'tmpl_0000000000000000', details: { color: true } }, 404, 'not_found'],
		[{ campaign_id: cmp.id, resource_type: 'postcard', front: html, file: html, details: {} }, 422, 'invalid'],
		[{ campaign_id: cmp.id, resource_type: 'letter', from, file: html, details: { color: false, extra_service: 'certified', mail_type: 'usps_standard' } }, 422, 'invalid'],
	];
	const other = await campaign('Creative errors');
	for (const [body, status, code] of cases) {
		const b = body.campaign_id === cmp.id && status !== 409 ? { ...body, campaign_id: other.id } : body;
		const r = await req(srv, 'POST', '/v1/creatives', { json: b });
		assert.equal(r.status, status, JSON.stringify([b, r.body]));
		assert.equal(r.body.error.code, code);
	}
	const pc = await call('POST', '/v1/creatives', { campaign_id: other.id, resource_type: 'postcard', from, front: html, back: '<html><body>back</body></html>', details: { size: '6x9' } });
	assert.equal(pc.details.size, '6x9');
});

/* a creative's preview: rendered by a job, read back as signed links */
async function previewed(id) {
	for (let i = 0; i < 600; i++) {
		const got = await call('GET', `/v1/creatives/${id}`);
		if (got.template_previews.length) return got;
		await sleep(100);
	}
	assert.fail(`creative ${id} has no preview after 60 s`);
}

test('creatives: the design is rendered as a preview (PDF and page thumbnails), links per artwork', async () => {
	const cmp = await campaign('Preview test');
	const crv = await letterCreative(cmp, { file: '<html><body><h1>Preview of {{name}}</h1><p>Spring offer inside.</p></body></html>' });
	assert.deepEqual(crv.template_previews, [], 'not rendered yet when the create answers');
	assert.deepEqual(crv.template_preview_urls, {});
	const got = await previewed(crv.id);
	const [pv] = got.template_previews;
	assert.equal(pv.status, 'rendered', JSON.stringify(pv));
	assert.equal(pv.resource_type, 'letter');
	assert.deepEqual(Object.keys(got.template_preview_urls), ['file']);
	const pdf = await fetch(local(pv.url));
	assert.equal(pdf.status, 200);
	assert.equal(pdf.headers.get('content-type'), 'application/pdf');
	const text = await pdfText(Buffer.from(await pdf.arrayBuffer()));
	assert.match(text, /Spring offer inside/);
	assert.match(text, /CREATIVE PROOF/i, 'the address block shows the placeholder recipient');
	assert.equal(pv.thumbnails.length >= 1, true);
	const png = await fetch(local(pv.thumbnails[0].large));
	assert.equal(png.status, 200);
	assert.equal(png.headers.get('content-type'), 'image/png');
	assert.ok(!('_preview' in got), 'the private asset keys never reach a client');

	/* a postcard: front and back, each its own page's thumbnail */
	const other = await campaign('Preview postcard');
	const pc = await call('POST', '/v1/creatives', { campaign_id: other.id, resource_type: 'postcard', from, front: '<html><body style="background:#fff">front side</body></html>', back: '<html><body>back side</body></html>', details: { size: '6x9' } });
	const pcGot = await previewed(pc.id);
	assert.deepEqual(Object.keys(pcGot.template_preview_urls).sort(), ['back', 'front']);
	assert.equal(pcGot.template_previews[0].thumbnails.length, 2);
	assert.notEqual(pcGot.template_preview_urls.front, pcGot.template_preview_urls.back);
	for (const side of ['front', 'back']) assert.equal((await fetch(local(pcGot.template_preview_urls[side]))).status, 200);
});

test('creatives: a file uploaded (multipart) is kept, shown as a link, previewed and printed on every piece of the send', async () => {
	const cmp = await campaign('Uploaded creative');
	const fd = new FormData();
	for (const [k, v] of Object.entries({ campaign_id: cmp.id, resource_type: 'letter', 'details[color]': 'false' })) fd.append(k, v);
	for (const [k, v] of Object.entries(from)) fd.append(`from[${k}]`, v);
	const pdf = tinyPdf('Uploaded artwork');
	fd.append('file', new Blob([pdf], { type: 'application/pdf' }), 'artwork.pdf');
	const r = await req(srv, 'POST', '/v1/creatives', { body: fd });
	assert.equal(r.status, 200, r.text);
	assertResponseMatchesSpec('POST', '/v1/creatives', 200, r.body);
	assert.ok(!('_files' in r.body));
	const file = await fetch(local(r.body.file));
	assert.equal(file.status, 200, `the file link ${r.body.file}`);
	assert.deepEqual(Buffer.from(await file.arrayBuffer()), pdf, 'the uploaded bytes, unchanged');
	const got = await previewed(r.body.id);
	assert.equal(got.template_previews[0].status, 'rendered', JSON.stringify(got.template_previews));
	assert.match(await pdfText(Buffer.from(await (await fetch(local(got.template_previews[0].url))).arrayBuffer())), /Uploaded artwork/);
	/* the send: each piece from the same bytes */
	await audience(cmp, 3);
	await call('POST', `/v1/campaigns/${cmp.id}/send`);
	await untilCount(cmp.id, 3);
	for (const l of await campaignLetters(cmp.id)) {
		let cur = l;
		for (let i = 0; i < 300 && cur.status !== 'rendered' && cur.status !== 'failed'; i++) {
			await sleep(100);
			cur = (await req(srv, 'GET', `/v1/letters/${l.id}`)).body;
		}
		assert.equal(cur.status, 'rendered', JSON.stringify(cur.failure_reason));
		assert.match(await pdfText(Buffer.from(await (await fetch(local(cur.url))).arrayBuffer())), /Uploaded artwork/);
	}
	/* a file of another type is Lob's invalid_file, nothing stored */
	const other = await campaign('Bad upload');
	fd.set('campaign_id', other.id);
	fd.set('file', new Blob([Buffer.from('GIF89a....')], { type: 'image/gif' }), 'x.gif');
	const bad = await req(srv, 'POST', '/v1/creatives', { body: fd });
	assert.equal(bad.status, 422, bad.text);
	assert.equal(bad.body.error.code, 'invalid_file');
	assert.deepEqual((await call('GET', `/v1/campaigns/${other.id}`)).creatives, []);
});

test('send: one letter per valid row with the rows\' merge variables; a second send is refused', async () => {
	const N = 60, BAD = 3;
	const cmp = await campaign('Send', { metadata: { wave: '1' } });
	const noCreative = await req(srv, 'POST', `/v1/campaigns/${cmp.id}/send`);
	assert.equal(noCreative.status, 422);
	assert.match(noCreative.body.error.message, /no creative/);
	await letterCreative(cmp);
	const noAudience = await req(srv, 'POST', `/v1/campaigns/${cmp.id}/send`);
	assert.equal(noAudience.status, 422);
	assert.match(noAudience.body.error.message, /no audience/);
	await audience(cmp, N + BAD, BAD);
	const sent = await call('POST', `/v1/campaigns/${cmp.id}/send`);
	assert.equal(sent.is_draft, false);
	assert.ok(sent.send_date);
	const again = await req(srv, 'POST', `/v1/campaigns/${cmp.id}/send`);
	assert.equal(again.status, 409);
	assert.equal(again.body.error.code, 'conflict');
	const upd = await req(srv, 'PATCH', `/v1/campaigns/${cmp.id}`, { json: { name: 'late' } });
	assert.equal(upd.status, 409);
	await untilCount(cmp.id, N);
	await sleep(300);
	const letters = await campaignLetters(cmp.id);
	assert.equal(letters.length, N);
	assert.equal(new Set(letters.map((l) => l.metadata.row)).size, N);
	for (const l of letters) {
		assert.equal(l.campaign_id, cmp.id);
		assert.equal(l.merge_variables.name, l.to.name.replace(/^PERSON/i, 'Person'));
		assert.equal(l.metadata.wave, '1');
		assert.equal(l.use_type, 'marketing');
		assert.equal(l.send_date, sent.send_date);
	}
	assert.equal(Number(await sql(`SELECT COUNT(*) FROM upload_rows WHERE upload_id = 'upl_${cmp.id.slice(4)}' AND piece_id IS NOT NULL`)), N);
	// proofs: the first few rendered with their own row's variables
	for (const l of letters.slice(0, 3)) {
		let r;
		for (let i = 0; i < 300; i++) {
			r = await req(srv, 'GET', `/v1/letters/${l.id}`);
			if (r.body.status !== 'processed') break;
			await sleep(100);
		}
		assert.equal(r.body.status, 'rendered', JSON.stringify(r.body));
		assertResponseMatchesSpec('GET', `/v1/letters/${l.id}`, 200, r.body);
		const pdf = Buffer.from(await (await fetch(local(r.body.url))).arrayBuffer());
		const text = await pdfText(pdf, 1);
		assert.match(text, new RegExp(`Hello ${l.merge_variables.name}`));
		assert.match(text, new RegExp(`Your code is ${l.merge_variables.code}\\.`));
	}
	// deleting the campaign inside its window cancels its letters
	const del = await call('DELETE', `/v1/campaigns/${cmp.id}`);
	assert.equal(del.deleted, true);
	for (let i = 0; i < 100; i++) {
		if (Number(await sql(`SELECT COUNT(*) FROM objects WHERE campaign_id = '${cmp.id}' AND kind = 'letter' AND deleted = 0`)) === 0) break;
		await sleep(100);
	}
	assert.equal((await req(srv, 'GET', `/v1/letters/${letters[0].id}`)).status, 404);
	assert.equal(Number(await sql(`SELECT COUNT(*) FROM objects WHERE campaign_id = '${cmp.id}' AND kind = 'letter' AND deleted = 0`)), 0);
});

test('kill -9 during a send, restart: exactly one letter per valid row', async () => {
	const N = 3000;
	const cmp = await campaign('Crash');
	await letterCreative(cmp);
	const upl = await audience(cmp, N);
	await call('POST', `/v1/campaigns/${cmp.id}/send`);
	// wait until the send is under way, then kill it
	for (let i = 0; i < 200; i++) {
		if (Number(await sql(`SELECT COUNT(*) FROM upload_rows WHERE upload_id = '${upl}' AND piece_id IS NOT NULL`)) > 0) break;
		await sleep(20);
	}
	await srv.kill9();
	const before = Number(await sql(`SELECT COUNT(*) FROM upload_rows WHERE upload_id = '${upl}' AND piece_id IS NOT NULL`));
	assert.ok(before < N, `the send finished (${before}) before the kill: nothing was interrupted`);
	await srv.restart();
	await untilCount(cmp.id, N, 120000);
	await sleep(500);
	assert.equal(Number(await sql(`SELECT COUNT(*) FROM objects WHERE campaign_id = '${cmp.id}' AND kind = 'letter'`)), N);
	assert.equal(Number(await sql(`SELECT COUNT(DISTINCT piece_id) FROM upload_rows WHERE upload_id = '${upl}'`)), N);
	assert.equal(Number(await sql(`SELECT COUNT(*) FROM upload_rows u JOIN objects o ON o.id = u.piece_id WHERE u.upload_id = '${upl}' AND o.campaign_id = '${cmp.id}'`)), N);
	// cancelled inside the window: their renders give way to the next test's
	await call('DELETE', `/v1/campaigns/${cmp.id}`);
});

// ---- with the uploads API (merged from h-uploads): the issue's own check ----

const UPLOAD_MAPPINGS = {
	requiredAddressColumnMapping: { name: 'recipient', address_line1: 'line1', address_city: 'city', address_state: 'state', address_zip: 'zip' },
	optionalAddressColumnMapping: { address_line2: null, company: null, address_country: null },
	mergeVariableColumnMapping: { gift_code: 'gift_code' },
	metadata: { columns: ['segment'] },
};

/* 1,000 rows, 37 of them bad in the ways a spreadsheet goes wrong */
function audienceCsv() {
	const kinds = ['missing line1', 'bad state', 'bad zip', 'undeliverable', 'missing gift code'];
	const rows = ['recipient,line1,city,state,zip,gift_code,segment'];
	let bad = 0;
	for (let i = 0; i < 1000; i++) {
		const f = [`Person ${i}`, `${100 + i} Main St`, 'San Francisco', 'CA', '94107', `GIFT${i}`, i % 2 ? 'a' : 'b'];
		if (i % 27 === 3 && bad < 37) {
			const kind = kinds[bad % kinds.length];
			if (kind === 'missing line1') f[1] = '';
			if (kind === 'bad state') f[3] = 'ZZ';
			if (kind === 'bad zip') f[4] = '1234';
			if (kind === 'undeliverable') f[1] = 'undeliverable no match';
			if (kind === 'missing gift code') f[5] = '';
			bad++;
		}
		rows.push(f.join(','));
	}
	assert.equal(bad, 37);
	return rows.join('\r\n') + '\r\n';
}

test('a 1,000-row audience with 37 bad rows, uploaded and validated, sends 963 letters with each row\'s gift code; kill -9 mid-send, restart: exactly 963', async () => {
	const cmp = await campaign('Gift codes', { metadata: { wave: 'gifts' } });
	await letterCreative(cmp, { file: '<html><body><p>Dear {{name}}, your gift code is {{gift_code}}.</p></body></html>' });
	const up = await req(srv, 'POST', '/v1/uploads', { json: { campaignId: cmp.id, ...UPLOAD_MAPPINGS } });
	assert.ok(up.status === 200 || up.status === 201, JSON.stringify(up.body));
	const form = new FormData();
	form.append('file', new Blob([audienceCsv()], { type: 'text/csv' }), 'audience.csv');
	const file = await req(srv, 'POST', `/v1/uploads/${up.body.id}/file`, { body: form });
	assert.ok(file.status === 200 || file.status === 201 || file.status === 202, JSON.stringify(file.body));
	let upload;
	for (let i = 0; i < 600; i++) {
		upload = (await req(srv, 'GET', `/v1/uploads/${up.body.id}`)).body;
		if (upload.state === 'Scheduled' || upload.state === 'Errored') break;
		await sleep(100);
	}
	assert.equal(upload.state, 'Scheduled', JSON.stringify(upload));
	assert.equal(upload.validatedMailpieces, 963);
	assert.equal(upload.failedMailpieces, 37);
	const sent = await call('POST', `/v1/campaigns/${cmp.id}/send`);
	assert.equal(sent.uploads[0].id, up.body.id);
	// kill frankd as soon as the first batch is in, before the last
	for (let i = 0; i < 400; i++) {
		if (Number(await sql(`SELECT COUNT(*) FROM upload_rows WHERE upload_id = '${up.body.id}' AND piece_id IS NOT NULL`)) > 0) break;
		await sleep(10);
	}
	await srv.kill9();
	const atKill = Number(await sql(`SELECT COUNT(*) FROM upload_rows WHERE upload_id = '${up.body.id}' AND piece_id IS NOT NULL`));
	assert.ok(atKill < 963, `the send finished (${atKill}) before the kill: nothing was interrupted`);
	await srv.restart();
	await untilCount(cmp.id, 963, 120000);
	await sleep(1000);
	const letters = await campaignLetters(cmp.id);
	assert.equal(letters.length, 963, `letters after the restart (${atKill} committed at the kill)`);
	assert.equal(new Set(letters.map((l) => l.merge_variables.gift_code)).size, 963, 'one letter per row');
	for (const l of letters) assert.equal(l.metadata.wave, 'gifts');
	assert.equal((await req(srv, 'POST', `/v1/campaigns/${cmp.id}/send`)).status, 409);
	for (const l of letters.slice(0, 3)) {
		let r;
		for (let i = 0; i < 1800; i++) {
			r = await req(srv, 'GET', `/v1/letters/${l.id}`);
			if (r.body.status !== 'processed') break;
			await sleep(100);
		}
		assert.equal(r.body.status, 'rendered', JSON.stringify(r.body));
		const text = await pdfText(Buffer.from(await (await fetch(local(r.body.url))).arrayBuffer()), 1);
		assert.match(text, new RegExp(`your gift code is ${l.merge_variables.gift_code}\\.`));
	}
});

test('send checks the design again and the use type before anything is sent', async () => {
	const noUse = await campaign('No use type', { use_type: null });
	await letterCreative(noUse);
	const r = await req(srv, 'POST', `/v1/campaigns/${noUse.id}/send`);
	assert.equal(r.status, 422);
	assert.equal(r.body.error.code, 'mail_use_type_can_not_be_null');
	assert.equal((await call('GET', `/v1/campaigns/${noUse.id}`)).is_draft, true);
	const tmpl = await req(srv, 'POST', '/v1/templates', { json: { html: html, description: 'campaign template' } });
	assert.equal(tmpl.status, 200);
	const cmp = await campaign('Template gone');
	await letterCreative(cmp, { file: tmpl.body.id });
	assert.equal((await req(srv, 'DELETE', `/v1/templates/${tmpl.body.id}`)).status, 200);
	const gone = await req(srv, 'POST', `/v1/campaigns/${cmp.id}/send`);
	assert.equal(gone.status, 404);
	assert.match(gone.body.error.message, /template .* not found/);
	assert.equal((await call('GET', `/v1/campaigns/${cmp.id}`)).is_draft, true);
});

test('frank campaign send: the same checks and transaction, progress lines while frankd sends', async () => {
	const cmp = await campaign('CLI');
	await letterCreative(cmp);
	const none = await runFrank(['campaign', 'send', '--data', srv.dataDir, cmp.id]);
	assert.equal(none.code, 1);
	assert.match(none.stderr, /no audience/);
	await audience(cmp, 250);
	const r = await runFrank(['campaign', 'send', '--data', srv.dataDir, cmp.id], { timeout: 60000 });
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`campaign ${cmp.id} sent: 250 pieces to create`));
	assert.match(r.stdout, /sent 250 of 250 \(0 rows refused at the send\)\n$/);
	assert.equal((await campaignLetters(cmp.id)).length, 250);
	assert.equal((await call('GET', `/v1/campaigns/${cmp.id}`)).is_draft, false);
	const again = await runFrank(['campaign', 'send', '--data', srv.dataDir, cmp.id]);
	assert.equal(again.code, 1);
	assert.match(again.stderr, /already been sent/);
});

test('postcard and self-mailer campaigns send through their own create paths', async () => {
	for (const [type, design, path, details] of [
		['postcard', { front: html, back: '<html><body>Back {{code}}</body></html>' }, 'postcards', { size: '6x9' }],
		['self_mailer', { inside: html, outside: '<html><body>Outside</body></html>' }, 'self_mailers', { size: '6x18_bifold' }],
	]) {
		const cmp = await campaign(`${type} campaign`);
		const crv = await call('POST', '/v1/creatives', { campaign_id: cmp.id, resource_type: type, from, details, ...design });
		assert.equal(crv.details.size, details.size);
		await audience(cmp, 5);
		await call('POST', `/v1/campaigns/${cmp.id}/send`);
		let got = [];
		for (let i = 0; i < 200 && got.length < 5; i++) {
			got = (await req(srv, 'GET', `/v1/${path}?campaign_id=${cmp.id}&limit=10`)).body.data;
			if (got.length < 5) await sleep(100);
		}
		assert.equal(got.length, 5, type);
		for (const p of got) {
			assert.equal(p.campaign_id, cmp.id);
			assert.equal(p.size, details.size);
			assertResponseMatchesSpec('GET', `/v1/${path}/${p.id}`, 200, p);
		}
	}
});
