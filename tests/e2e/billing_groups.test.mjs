// SPDX-License-Identifier: AGPL-3.0-or-later
// Billing groups through the official SDK (BillingGroupsApi): create, retrieve, update, and
// Lob's offset-paginated list with date_modified and sort_by; responses checked against the spec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BillingGroupsApi, BillingGroupEditable } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { sdkApi, sdkFails } from './lib/sdk.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

let srv, groups;

before(async () => {
	srv = await startFrank();
	groups = sdkApi(BillingGroupsApi, srv.baseUrl, srv.keys.test_secret);
});
after(async () => {
	await srv?.stop();
});

test('create, retrieve and update a billing group', async () => {
	const g = await groups.create(new BillingGroupEditable({ name: 'Marketing', description: 'Q4 campaigns' }));
	assert.match(g.id, /^bg_[0-9a-f]{16}$/);
	assert.equal(g.name, 'Marketing');
	assert.equal((await groups.get(g.id)).description, 'Q4 campaigns');
	const u = await groups.update(g.id, new BillingGroupEditable({ name: 'Growth' }));
	assert.equal(u.name, 'Growth');
	assert.equal(u.description, 'Q4 campaigns');
	assert.notEqual(groups.seen.at(-1).data.date_modified, undefined);
	const missing = await req(srv, 'POST', '/v1/billing_groups', { json: { description: 'x' } });
	assert.equal(missing.status, 422);
	assert.equal(missing.body.error.message, 'name is required');
	const notFound = await sdkFails(groups.get('bg_0000000000000000'));
	assert.equal(notFound.status, 404);
	assert.equal(notFound.data.error.code, 'not_found');
});

test('list pages by offset, newest first', async () => {
	for (const n of ['A', 'B', 'C']) await groups.create(new BillingGroupEditable({ name: `page-${n}` }));
	const first = await req(srv, 'GET', '/v1/billing_groups?limit=2&include[]=total_count');
	assertResponseMatchesSpec('GET', '/v1/billing_groups', first.status, first.body);
	assert.deepEqual(first.body.data.map((g) => g.name), ['page-C', 'page-B']);
	const second = await req(srv, 'GET', '/v1/billing_groups?limit=2&offset=2');
	assert.equal(second.body.data[0].name, 'page-A');
	const listed = await groups.list(10, 1);
	assert.equal(listed.data[0].name, 'page-B');
	const modified = await req(srv, 'GET', '/v1/billing_groups?date_modified[gt]=2000-01-01&sort_by[date_created]=desc');
	assert.equal(modified.status, 200);
	assert.ok(modified.body.data.length >= 3);
	const asc = await req(srv, 'GET', '/v1/billing_groups?sort_by[date_created]=asc');
	assert.equal(asc.status, 422);
	const badOffset = await req(srv, 'GET', '/v1/billing_groups?offset=-1');
	assert.equal(badOffset.status, 422);
	assert.equal(badOffset.body.error.message, 'offset must be an integer of 0 or more');
});
