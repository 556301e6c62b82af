// SPDX-License-Identifier: AGPL-3.0-or-later
// Every font in a proof is embedded, the stamped address block's and labels' too, so a printer's
// preflight passes: pdffonts (poppler-utils) lists each font of a rendered letter (plain and
// certified, whose cover adds the bold face), a postcard and a check with `emb yes`, and poppler
// has nothing to complain about. The stamp's fonts are MuPDF's URW Nimbus Sans, Helvetica's
// metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req } from './lib/server.mjs';
import { pdfFonts, pdfText } from './lib/pdftools.mjs';

let srv;
const LOB_ASSETS = 'https://lob-assets.com';
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_line2: 'Ste 6100', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };

before(async () => {
	srv = await startFrank({ env: { FRANK_ASSET_URL: LOB_ASSETS } });
});
after(async () => {
	await srv?.stop();
});

async function proof(path, json) {
	const c = await req(srv, 'POST', path, { json });
	assert.equal(c.status, 200, c.text);
	const end = Date.now() + 20000;
	let r;
	while ((r = await req(srv, 'GET', `${path}/${c.body.id}`)).body.status === 'processed') {
		assert.ok(Date.now() < end, 'rendered in time');
		await sleep(50);
	}
	assert.equal(r.body.status, 'rendered', JSON.stringify(r.body.failure_reason));
	const res = await fetch(r.body.url.replace(LOB_ASSETS, srv.baseUrl));
	assert.equal(res.status, 200);
	return Buffer.from(await res.arrayBuffer());
}

async function assertAllEmbedded(pdf, what, stampFonts) {
	const { fonts, warnings } = await pdfFonts(pdf);
	assert.equal(warnings, '', `${what}: poppler complains`);
	assert.ok(fonts.length > 0, `${what}: fonts listed`);
	for (const f of fonts) assert.ok(f.emb, `${what}: ${f.name} (${f.type}) is not embedded`);
	const names = fonts.map((f) => f.name);
	for (const n of stampFonts) assert.ok(names.includes(n), `${what}: the stamp's ${n} in ${names}`);
	assert.ok(!names.some((n) => /^Helvetica/.test(n)), `${what}: no unembedded base-14 font left`);
}

test('a letter proof: every font embedded, the address block in Nimbus Sans', async () => {
	const pdf = await proof('/v1/letters', { to, from, file: '<p>Your order shipped.</p>', color: false, use_type: 'operational' });
	await assertAllEmbedded(pdf, 'letter', ['NimbusSans-Regular']);
	assert.match(await pdfText(pdf, 1), /HARRY ZHANG/, 'the stamped text still extracts');
});

test('a certified letter, a postcard and a check: every font embedded', async () => {
	const certified = await proof('/v1/letters', { to, from, file: '<p>Notice</p>', color: false, use_type: 'operational', extra_service: 'certified' });
	await assertAllEmbedded(certified, 'certified letter', ['NimbusSans-Regular', 'NimbusSans-Bold']);
	assert.match(await pdfText(certified, 1), /USPS CERTIFIED MAIL/);
	const postcard = await proof('/v1/postcards', { to, from, front: '<p>Front</p>', back: '<p>Back</p>', use_type: 'marketing' });
	await assertAllEmbedded(postcard, 'postcard', ['NimbusSans-Regular']);
	const bank = await req(srv, 'POST', '/v1/bank_accounts', { json: { routing_number: '322271627', account_number: '123456789', account_type: 'company', signatory: 'Leore Avidar' } });
	assert.equal(bank.status, 200, bank.text);
	await req(srv, 'POST', `/v1/bank_accounts/${bank.body.id}/verify`, { json: { amounts: [11, 35] } });
	const check = await proof('/v1/checks', { to, from, bank_account: bank.body.id, amount: 1234.56, message: 'Invoice 42', use_type: 'operational' });
	await assertAllEmbedded(check, 'check', ['NimbusSans-Regular', 'NimbusSans-Bold']);
});
