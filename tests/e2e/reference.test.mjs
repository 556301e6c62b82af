// SPDX-License-Identifier: AGPL-3.0-or-later
// Live verification with a reference address file (OpenAddresses CSV) loaded into frankd:
// delivery-point answers and address autocomplete come from it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFrank, req } from './lib/server.mjs';
import { assertMatchesSpec } from './lib/spec.mjs';

let srv;
let dir;

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'frank-ref-'));
	const csv = join(dir, 'oa.csv');
	await writeFile(csv, [
		'LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH',
		'-122.3929,37.7759,210,King Street,,San Francisco,,CA,94107,,a1',
		'-122.3910,37.7767,185,Berry Street,Suite 6100,San Francisco,,CA,94107,,a2',
		'-122.3910,37.7767,185,Berry Street,Suite 6200,San Francisco,,CA,94107,,a3',
		'-122.3950,37.7770,220,King Street,,San Francisco,,CA,94107,,a4',
	].join('\n') + '\n');
	srv = await startFrank({ env: { FRANK_REFERENCE_ADDRESSES: csv } });
});

after(async () => {
	await srv?.stop();
	await rm(dir, { recursive: true, force: true });
});

async function verify(body) {
	const r = await req(srv, 'POST', '/v1/us_verifications', { key: srv.keys.live_secret, json: body });
	assert.equal(r.status, 200, r.text);
	return r.body;
}

test('a known address is deliverable, with its ZIP+4-less components and location', async () => {
	const v = await verify({ primary_line: '210 King St', city: 'San Francisco', state: 'CA', zip_code: '94107' });
	assert.equal(v.deliverability, 'deliverable');
	assert.equal(v.deliverability_analysis.dpv_confirmation, 'Y');
	assert.deepEqual(v.deliverability_analysis.dpv_footnotes, ['AA', 'BB']);
	assert.equal(v.valid_address, true);
	assert.equal(typeof v.components.latitude, 'number');
});

test('units: missing, unknown and unnecessary', async () => {
	const missing = await verify({ primary_line: '185 Berry St', zip_code: '94107' });
	assert.equal(missing.deliverability, 'deliverable_missing_unit');
	const unknown = await verify({ primary_line: '185 Berry St', secondary_line: 'Ste 1', zip_code: '94107' });
	assert.equal(unknown.deliverability, 'deliverable_incorrect_unit');
	const known = await verify({ primary_line: '185 Berry St Suite 6100', zip_code: '94107' });
	assert.equal(known.deliverability, 'deliverable');
	assert.equal(known.primary_line, '185 BERRY ST STE 6100');
	const extra = await verify({ primary_line: '210 King St Apt 4', zip_code: '94107' });
	assert.equal(extra.deliverability, 'deliverable_unnecessary_unit');
});

test('an address missing from a covered ZIP is undeliverable (N, M3)', async () => {
	const v = await verify({ primary_line: '999 King St', zip_code: '94107' });
	assert.equal(v.deliverability, 'undeliverable');
	assert.equal(v.deliverability_analysis.dpv_confirmation, 'N');
	assert.deepEqual(v.deliverability_analysis.dpv_footnotes, ['AA', 'M3']);
});

test('autocomplete completes from the reference addresses', async () => {
	const r = await req(srv, 'POST', '/v1/us_autocompletions', { key: srv.keys.live_secret, json: { address_prefix: '2', geo_ip_sort: true } });
	assert.equal(r.status, 200, r.text);
	assertMatchesSpec("POST", "/us_autocompletions", 200, r.body);
	const lines = r.body.suggestions.map((s) => s.primary_line);
	assert.deepEqual(lines, ['210 KING ST', '220 KING ST']);
	assert.equal(r.body.suggestions[0].zip_code, '94107');
	const one = await req(srv, 'POST', '/v1/us_autocompletions?case=proper', { key: srv.keys.live_secret, json: { address_prefix: '185 berry' } });
	assert.deepEqual(one.body.suggestions.map((s) => s.primary_line), ['185 Berry St Ste 6100', '185 Berry St Ste 6200']);
});

test('address strictness on mail pieces: normal refuses what verification cannot confirm, and deliverable addresses are standardized', async () => {
	const set = await req(srv, 'POST', '/v1/_frank/settings', { key: srv.keys.live_secret, json: { us_address_strictness: 'normal' } });
	assert.equal(set.status, 200);
	const base = { from: { name: 'A', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' }, file: '<p>x</p>', color: false, use_type: 'operational' };
	const known = await req(srv, 'POST', '/v1/letters', { json: { ...base, to: { name: 'Harry', address_line1: '210 king street', address_city: 'san francisco', address_state: 'ca', address_zip: '94107' } } });
	assert.equal(known.status, 200, known.text);
	assert.equal(known.body.to.address_line1, '210 KING ST', 'standardized to USPS form');
	const unknown = await req(srv, 'POST', '/v1/letters', { json: { ...base, to: { name: 'Harry', address_line1: '999 Nowhere Ave', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' } } });
	assert.equal(unknown.status, 422);
	assert.equal(unknown.body.error.code, 'failed_deliverability_strictness');
	await req(srv, 'POST', '/v1/_frank/settings', { key: srv.keys.live_secret, json: { us_address_strictness: 'relaxed' } });
	const relaxed = await req(srv, 'POST', '/v1/letters', { json: { ...base, to: { name: 'Harry', address_line1: '999 Nowhere Ave', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' } } });
	assert.equal(relaxed.status, 200);
});
