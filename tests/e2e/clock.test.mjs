// SPDX-License-Identifier: AGPL-3.0-or-later
// The test clock (a Frank extension): with FRANK_CLOCK set, tests move frankd's time forward
// through POST /v1/_frank/clock; without it, the clock cannot be moved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFrank, req } from './lib/server.mjs';

test('a test clock moves forward, and objects are stamped with the moved time', async () => {
	const srv = await startFrank({ env: { FRANK_CLOCK: '2026-03-02T09:00:00.000Z' } });
	try {
		const before = await req(srv, 'GET', '/v1/_frank/clock');
		assert.equal(before.status, 200);
		assert.equal(before.body.test_clock, true);
		assert.match(before.body.now, /^2026-03-02T09:00/);
		const moved = await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 3 * 86400 } });
		assert.equal(moved.status, 200);
		assert.match(moved.body.now, /^2026-03-05T09:00/);
		const adr = await req(srv, 'POST', '/v1/addresses', { json: { name: 'A', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' } });
		assert.match(adr.body.date_created, /^2026-03-05T09:00/);
		for (const bad of [-1, 'x', 1e12]) {
			const r = await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: bad } });
			assert.equal(r.status, 422, `advance_seconds ${bad}`);
			assert.equal(r.body.error.code, 'invalid');
		}
	} finally {
		await srv.stop();
	}
});

test('without FRANK_CLOCK the clock cannot be moved', async () => {
	const srv = await startFrank();
	try {
		const r = await req(srv, 'POST', '/v1/_frank/clock', { json: { advance_seconds: 60 } });
		assert.equal(r.status, 404);
		assert.equal(r.body.error.code, 'unrecognized_endpoint');
		const g = await req(srv, 'GET', '/v1/_frank/clock');
		assert.equal(g.body.test_clock, false);
	} finally {
		await srv.stop();
	}
});
