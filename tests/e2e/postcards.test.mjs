// SPDX-License-Identifier: AGPL-3.0-or-later
// Postcards through the official SDK (PostcardsApi) and raw HTTP: Lob's size, mail type and
// destination rules; rendering of front and back with the back stamped; cancel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostcardsApi, PostcardEditable } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { sdkApi, sdkFails } from './lib/sdk.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

let srv, postcards;
const LOB_ASSETS = 'https://lob-assets.com';
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const card = (extra = {}) => ({ to, from, front: '<html><body><h1>Hi {{name}}</h1></body></html>', back: '<html><body><p>Sale this week.</p></body></html>', use_type: 'marketing', merge_variables: { name: 'Harry' }, ...extra });

before(async () => {
	srv = await startFrank({ env: { FRANK_ASSET_URL: LOB_ASSETS } });
	postcards = sdkApi(PostcardsApi, srv.baseUrl, srv.keys.test_secret);
});
after(async () => {
	await srv?.stop();
});

async function until(id, want, ms = 15000) {
	const end = Date.now() + ms;
	for (;;) {
		const r = await req(srv, 'GET', `/v1/postcards/${id}`);
		if (r.body?.status !== 'processed') {
			assert.equal(r.body.status, want, JSON.stringify(r.body.failure_reason ?? r.body));
			return r;
		}
		if (Date.now() > end) assert.fail(`${id} still processed`);
		await sleep(50);
	}
}

test('create through the SDK: processed with a url, then rendered front and back', async () => {
	const p = await postcards.create(new PostcardEditable(card({ size: '6x9' })));
	assert.match(p.id, /^psc_[0-9a-f]{16}$/);
	const raw = postcards.seen.at(-1).data;
	assert.equal(raw.status, 'processed');
	assert.equal(raw.size, '6x9');
	assert.match(raw.url, new RegExp(`^${LOB_ASSETS}/postcards/${p.id}\\.pdf\\?expires=`));
	const r = await until(p.id, 'rendered');
	assertResponseMatchesSpec('GET', `/v1/postcards/${p.id}`, 200, r.body);
	assert.equal(r.body.thumbnails.length, 2, 'front and back');
	const pdf = await fetch(r.body.url.replace(LOB_ASSETS, srv.baseUrl));
	assert.equal(pdf.status, 200);
	const text = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
	assert.equal((text.match(/\/Type\s*\/Page\b/g) || []).length, 2);
	assert.equal((await postcards.get(p.id)).id, p.id, 'the SDK model accepts the links');
	const events = await req(srv, 'GET', '/v1/events?event_type=postcard.rendered_pdf');
	assert.ok(events.body.data.some((e) => e.body.id === p.id));
});

test("Lob's rules for sizes, mail types and destinations", async () => {
	const intl = { ...to, address_country: 'GB', address_state: undefined, address_zip: 'SW1A 1AA' };
	const cases = [
		[{ size: '6x9', to: intl }, 'invalid_international_feature'],
		[{ mail_type: 'usps_standard' }, 'invalid'],
		[{ back: undefined }, 'invalid', 'back is required'],
		[{ size: '5x7' }, 'invalid', 'size must be one of [4x6, 6x9, 6x11]'],
		[{ from: { ...from, address_country: 'CA', address_state: 'ON', address_zip: 'M5V 2T6' } }, 'foreign_return_address'],
	];
	for (const [extra, code, message] of cases) {
		const body = card(extra);
		for (const k of Object.keys(extra)) if (extra[k] === undefined) delete body[k];
		const r = await req(srv, 'POST', '/v1/postcards', { json: body });
		assert.equal(r.status, 422, JSON.stringify(extra));
		assert.equal(r.body.error.code, code);
		if (message) assert.equal(r.body.error.message, message);
	}
	const std = await req(srv, 'POST', '/v1/postcards', { json: card({ size: '6x11', mail_type: 'usps_standard' }) });
	assert.equal(std.status, 200, 'usps_standard is fine for 6x11');
});

test('cancel inside the window', async () => {
	const p = await postcards.create(new PostcardEditable(card()));
	const d = await postcards.cancel(p.id);
	assert.equal(d.deleted, true);
	assert.equal((await sdkFails(postcards.get(p.id))).status, 404);
});
