// SPDX-License-Identifier: AGPL-3.0-or-later
// Postal identity: frankd warns at start while the Mailer ID is the placeholder 999999999
// (naming --mailer-id) and not once one is set; international pieces get no IMb — they draw no
// serial and register no tracking code, so IV-MTR scans of the serials around them find only
// the domestic pieces.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';

let srv;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const abroad = { name: 'Jane Roe', address_line1: '290 Bremner Blvd', address_city: 'Toronto', address_state: 'ON', address_zip: 'M5V 3L9', address_country: 'CA' };
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const letter = (dest) => ({ to: dest, from, file: '<p>Notice</p>', color: false, use_type: 'operational' });

before(async () => {
	srv = await startFrank({ env: { FRANK_ALLOW_PRIVATE_URLS: '1' } });
});
after(async () => {
	await srv?.stop();
});

async function rendered(id) {
	const end = Date.now() + 20000;
	for (;;) {
		const r = await req(srv, 'GET', `/v1/letters/${id}`);
		if (r.body.status !== 'processed') return r.body;
		assert.ok(Date.now() < end, `${id} still processed`);
		await sleep(50);
	}
}

test('frankd warns at start while the Mailer ID is the placeholder, naming --mailer-id', async () => {
	const warning = srv.output().stderr.split('\n').find((l) => l.includes('placeholder 999999999'));
	assert.ok(warning, srv.output().stderr.slice(-2000));
	const line = JSON.parse(warning);
	assert.equal(line.level, 'warn');
	assert.match(line.msg, /--mailer-id MID, or FRANK_MAILER_ID/);
	const real = await startFrank({ env: { FRANK_MAILER_ID: '123456' } });
	try {
		assert.ok(!real.output().stderr.includes('placeholder 999999999'), 'no warning with a real Mailer ID');
	} finally {
		await real.stop();
	}
});

test('an international letter gets no IMb: no serial drawn, no code registered', async () => {
	// renders one after another: serials are drawn in render order from 1 on a fresh server
	const home = (await req(srv, 'POST', '/v1/letters', { json: letter(to) })).body;
	assert.equal((await rendered(home.id)).status, 'rendered');
	const intl = (await req(srv, 'POST', '/v1/letters', { json: letter(abroad) })).body;
	assert.equal(intl.to.address_country, 'CANADA');
	assert.equal((await rendered(intl.id)).status, 'rendered', 'rendered without a barcode');
	const next = (await req(srv, 'POST', '/v1/letters', { json: letter(to) })).body;
	assert.equal((await rendered(next.id)).status, 'rendered');
	const op = await createOperator(srv);
	const records = [1, 2, 3].map((s) => ({ imbTrackingCode: `00270999999999${String(s).padStart(6, '0')}`, mailPhase: 'Phase 1b - Origin Secondary Processing', scanDatetime: new Date(Date.now() + 1000).toISOString(), scanFacilityZip: '94128' }));
	const r = await req(srv, 'POST', '/v1/_frank/production/scans', { key: op.key, json: { records } });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual([r.body.applied, r.body.unmatched, r.body.rejected], [2, 1, 0], `serials 1 and 2 are the domestic letters; 3 was never drawn: ${r.text}`);
	for (const [id, n] of [[home.id, 1], [intl.id, 0], [next.id, 1]]) {
		const got = (await req(srv, 'GET', `/v1/letters/${id}`)).body;
		assert.equal(got.tracking_events.length, n, id);
	}
});
