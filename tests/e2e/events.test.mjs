// SPDX-License-Identifier: AGPL-3.0-or-later
// Events (/v1/events): every address change is recorded as Lob's event object, listable
// with the common list parameters plus event_type, and retrievable by id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFrank, req } from './lib/server.mjs';
import { assertMatchesSpec } from './lib/spec.mjs';

let srv;
const address = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };

before(async () => {
	srv = await startFrank();
});
after(async () => {
	await srv?.stop();
});

function checkEvent(e) {
	assert.match(e.id, /^evt_[0-9a-f]{16}$/);
	assert.equal(e.object, 'event');
	assert.match(e.date_created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	assert.equal(e.event_type.object, 'event_type');
	assert.equal(e.event_type.resource, 'addresses');
	assert.equal(e.event_type.enabled_for_test, true);
	assert.equal(typeof e.body, 'object');
}

test('create and delete write address.created and address.deleted, newest first', async () => {
	const created = await req(srv, 'POST', '/v1/addresses', { json: address });
	assert.equal(created.status, 200);
	const id = created.body.id;
	assert.equal((await req(srv, 'DELETE', `/v1/addresses/${id}`)).status, 200);

	const list = await req(srv, 'GET', '/v1/events?include[]=total_count');
	assert.equal(list.status, 200);
	assert.equal(list.body.object, 'list');
	const mine = list.body.data.filter((e) => e.reference_id === id);
	assert.deepEqual(mine.map((e) => e.event_type.id), ['address.deleted', 'address.created']);
	mine.forEach(checkEvent);
	assert.deepEqual(mine[1].body, created.body, 'the created event carries the address as created');
	assert.equal(mine[0].body.deleted, true);

	const one = await req(srv, 'GET', `/v1/events/${mine[1].id}`);
	assert.equal(one.status, 200);
	assert.deepEqual(one.body, mine[1]);
});

test('event_type filter, cursors, and isolation', async () => {
	for (let i = 0; i < 3; i++) await req(srv, 'POST', '/v1/addresses', { json: address });
	const page = await req(srv, 'GET', '/v1/events?event_type=address.created&limit=2');
	assert.equal(page.status, 200);
	assert.equal(page.body.count, 2);
	assert.ok(page.body.data.every((e) => e.event_type.id === 'address.created'));
	assert.ok(page.body.next_url);
	const next = await req(srv, 'GET', page.body.next_url);
	assert.equal(next.status, 200);
	assert.ok(next.body.data.every((e) => !page.body.data.some((p) => p.id === e.id)), 'no repeats across pages');

	const live = await req(srv, 'GET', '/v1/events', { key: srv.keys.live_secret });
	assert.equal(live.body.count, 0, 'live mode sees no test events');
	const missing = await req(srv, 'GET', `/v1/events/${page.body.data[0].id}`, { key: srv.keys.live_secret });
	assert.equal(missing.status, 404);
	assertMatchesSpec('GET', '/addresses/{adr_id}', 404, missing.body);
});

test('bad filters are Lob errors', async () => {
	const bad = await req(srv, 'GET', '/v1/events?event_type=letter.nope');
	assert.equal(bad.status, 422);
	assert.equal(bad.body.error.code, 'invalid');
	const pub = await req(srv, 'GET', '/v1/events', { key: srv.keys.test_publishable });
	assert.equal(pub.status, 403);
});
