// SPDX-License-Identifier: AGPL-3.0-or-later
// Self-mailers through the official SDK (SelfMailersApi): sizes, domestic only, rendering of
// inside and outside with the outside stamped, cancel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { SelfMailersApi, SelfMailerEditable } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { sdkApi, sdkFails } from './lib/sdk.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

let srv, sfm;
const LOB_ASSETS = 'https://lob-assets.com';
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const mailer = (extra = {}) => ({ to, from, inside: '<p>Inside for {{name}}</p>', outside: '<p>Outside</p>', use_type: 'marketing', merge_variables: { name: 'Harry' }, ...extra });

before(async () => {
	srv = await startFrank({ env: { FRANK_ASSET_URL: LOB_ASSETS } });
	sfm = sdkApi(SelfMailersApi, srv.baseUrl, srv.keys.test_secret);
});
after(async () => {
	await srv?.stop();
});

test('create through the SDK, rendered inside and outside at the size', async () => {
	for (const size of ['6x18_bifold', '12x9_bifold']) {
		const s = await sfm.create(new SelfMailerEditable(mailer({ size })));
		assert.match(s.id, /^sfm_[0-9a-f]{16}$/);
		assert.equal(sfm.seen.at(-1).data.size, size);
		const end = Date.now() + 15000;
		let r;
		while ((r = await req(srv, 'GET', `/v1/self_mailers/${s.id}`)).body.status === 'processed') {
			assert.ok(Date.now() < end);
			await sleep(50);
		}
		assert.equal(r.body.status, 'rendered', JSON.stringify(r.body.failure_reason));
		assertResponseMatchesSpec('GET', `/v1/self_mailers/${s.id}`, 200, r.body);
		assert.match(r.body.url, new RegExp(`^${LOB_ASSETS}/self-mailers/${s.id}\\.pdf\\?`));
		assert.equal(r.body.thumbnails.length, 2);
		assert.equal((await sfm.get(s.id)).id, s.id, 'the SDK model accepts it');
	}
});

test('errors: domestic only, sizes, required sides; cancel', async () => {
	const intl = await req(srv, 'POST', '/v1/self_mailers', { json: mailer({ to: { ...to, address_country: 'GB', address_state: undefined, address_zip: 'SW1A 1AA' } }) });
	assert.equal(intl.status, 422);
	assert.equal(intl.body.error.code, 'invalid_international_feature');
	const size = await req(srv, 'POST', '/v1/self_mailers', { json: mailer({ size: '8x10' }) });
	assert.equal(size.body.error.message, 'size must be one of [6x18_bifold, 11x9_bifold, 12x9_bifold, 17.75x9_trifold]');
	const body = mailer();
	delete body.outside;
	const side = await req(srv, 'POST', '/v1/self_mailers', { json: body });
	assert.equal(side.body.error.message, 'outside is required');
	const s = await sfm.create(new SelfMailerEditable(mailer()));
	assert.equal((await sfm.delete(s.id)).deleted, true);
	assert.equal((await sdkFails(sfm.get(s.id))).status, 404);
});
