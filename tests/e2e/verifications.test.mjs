// SPDX-License-Identifier: AGPL-3.0-or-later
// Address verification endpoints through the official Lob SDK (@lob/lob-typescript-sdk) and raw
// HTTP: POST /v1/us_verifications (+ /v1/bulk/us_verifications), /v1/us_autocompletions,
// /v1/us_zip_lookups, /v1/us_reverse_geocode_lookups, /v1/intl_verifications
// (+ /v1/bulk/intl_verifications) and /v1/identity_validation.
//
// TEST keys must behave like Lob's test environment (its docs, and its SDKs' test suites): magic
// inputs give the documented answers, anything else a placeholder; ZIP lookups and reverse
// geocoding give real data. LIVE keys get Frank's own engine (docs/internals/av.md), which
// without reference data never claims a delivery point: "undeliverable", dpv_confirmation "".
//
// Every response body (SDK and raw) is checked against Lob's spec. Where the spec cannot describe
// Lob's real answers the check is relaxed narrowly (specCheck below), and each relaxation that
// was needed is printed at the end of the run:
//   - "" in the no-match fields components.zip_code / zip_code_plus_4 / county_fips /
//     carrier_route_type: Lob sends "" when nothing matched, but the spec's pattern (or enum)
//     has no "". (The SDK's own UsComponents model accepts "" for zip_code and zip_code_plus_4.)
//   - bulk `addresses` items are oneOf [us_verification|intl_verification, error]; those
//     schemas require nothing and allow extra properties, so an error item matches both
//     branches and oneOf can never pass: each item is checked against its own schema instead.
//   - identity_validation is oneOf [recipient_validation, company_validation], ambiguous for
//     the same reason: checked against the branch its name field picks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import axios from 'axios';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
	UsVerificationsApi,
	UsAutocompletionsApi,
	ZipLookupsApi,
	ReverseGeocodeLookupsApi,
	IntlVerificationsApi,
	IdentityValidation,
} from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { sdkConfig, sdkFails } from './lib/sdk.mjs';
import { spec, convertSchema, assertMatchesSpec, specPathFor } from './lib/spec.mjs';

const US_VER_ID = /^us_ver_[a-zA-Z0-9_]+$/;
const INTL_VER_ID = /^intl_ver_[a-zA-Z0-9]+$/;
const US_AUTO_ID = /^us_auto_[a-zA-Z0-9]+$/;
const US_ZIP_ID = /^us_zip_[a-zA-Z0-9]+$/;
const GEO_ID = /^us_reverse_geocode_[a-zA-Z0-9_]+$/;
const IDV_ID = /^id_validation_[a-zA-Z0-9_]+$/;

const TEST_RECIPIENT = 'TEST KEYS DO NOT VERIFY ADDRESSES';
const TEST_PRIMARY = "SET `primary_line` TO 'deliverable' and `zip_code` to '11111' TO SIMULATE AN ADDRESS";
const TEST_SECONDARY = 'SEE https://www.lob.com/docs#us-verification-test-environment FOR MORE INFO';

/* ------------------------------------------------------------------------------------------ */
/* spec checking, with the relaxations described at the top                                  */
/* ------------------------------------------------------------------------------------------ */

// a private ajv holding components/schemas, to check single bulk items and oneOf branches
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, logger: false });
addFormats(ajv);
const converted = Object.fromEntries(Object.entries(spec.components.schemas).map(([n, s]) => [n, convertSchema(s)]));
for (const m of JSON.stringify(converted).matchAll(/"format":"([^"]+)"/g)) if (!ajv.formats[m[1]]) ajv.addFormat(m[1], true);
ajv.addSchema({ $id: 'lob', components: { schemas: converted } });
const compiled = new Map();
function schemaCheck(name, body, what) {
	let v = compiled.get(name);
	if (!v) compiled.set(name, (v = ajv.compile({ $ref: `lob#/components/schemas/${name}` })));
	if (!v(body)) {
		throw new Error(`${what} does not match components/schemas/${name}:\n` +
			ajv.errorsText(v.errors, { separator: '\n', dataVar: '  body' }) + `\n  body: ${JSON.stringify(body).slice(0, 1500)}`);
	}
}

const EMPTY_STANDINS = { zip_code: '00000', zip_code_plus_4: '0000', county_fips: '00000', carrier_route_type: 'city_delivery' };
/* a copy of body with "" in the no-match components fields replaced by valid stand-ins */
function standIns(body) {
	const copy = structuredClone(body);
	const used = new Set();
	(function walk(n) {
		if (Array.isArray(n)) return n.forEach(walk);
		if (!n || typeof n !== 'object') return;
		const c = n.components;
		if (c && typeof c === 'object' && !Array.isArray(c)) {
			for (const [k, v] of Object.entries(EMPTY_STANDINS)) {
				if (c[k] === '') {
					c[k] = v;
					used.add(`components.${k}`);
				}
			}
		}
		Object.values(n).forEach(walk);
	})(copy);
	return { copy, used: [...used] };
}

const BULK_ITEM = { '/bulk/us_verifications': 'us_verification', '/bulk/intl_verifications': 'intl_verification' };
const relaxations = new Map(); // "METHOD /path status: why" → count

function specCheck(method, url, status, body) {
	const tpl = specPathFor(method, url) ?? new URL(url, 'http://x').pathname.replace(/^\/v1/, '');
	let strict = null;
	try {
		assertMatchesSpec(method, tpl, status, body);
	} catch (e) {
		strict = e;
	}
	// bulk items are always checked one by one too: the spec's oneOf lets any object through as a
	// us_verification / intl_verification (they require nothing), even a malformed error item
	const item = status === 200 && BULK_ITEM[tpl];
	if (!strict && !item) return;
	const { copy, used } = standIns(body);
	const why = [];
	if (used.length) why.push(`"" in ${used.join(', ')}`);
	try {
		if (item) {
			assert.ok(Array.isArray(copy?.addresses) && typeof copy.errors === 'boolean', `${tpl}: bulk envelope {addresses: [], errors: bool}`);
			const isErr = (it) => it && typeof it === 'object' && 'error' in it;
			copy.addresses.forEach((it, i) => schemaCheck(isErr(it) ? 'error' : item, it, `${tpl} addresses[${i}]`));
			if (copy.addresses.some(isErr)) why.push(`oneOf [${item}, error] cannot pass for an error item; items checked one by one`);
		} else if (status === 200 && tpl === '/identity_validation') {
			const branch = copy && 'company' in copy ? 'company_validation' : 'recipient_validation';
			schemaCheck(branch, copy, tpl);
			why.push(`oneOf [recipient_validation, company_validation] is ambiguous; checked as ${branch}`);
		} else {
			assertMatchesSpec(method, tpl, status, copy);
		}
	} catch (relaxed) {
		if (!strict) throw relaxed;
		strict.message += `\n(still fails with the relaxations: ${relaxed.message})`;
		throw strict;
	}
	if (!strict) return;
	if (!why.length) throw strict;
	const key = `${method} /v1${tpl} ${status}: ${why.join('; ')}`;
	relaxations.set(key, (relaxations.get(key) ?? 0) + 1);
}

/* ------------------------------------------------------------------------------------------ */
/* server, raw HTTP and SDK helpers                                                           */
/* ------------------------------------------------------------------------------------------ */

let srv;
let keys;

before(async () => {
	srv = await startFrank();
	keys = srv.keys;
});
after(async () => {
	if (relaxations.size) {
		console.log('spec relaxations needed (the strict check rejected these bodies):');
		for (const [k, n] of relaxations) console.log(`  ${k}  (×${n})`);
	}
	await srv?.stop();
});

/* raw request + spec check; opts as lib/server.mjs req() */
async function raw(method, path, opts = {}) {
	const r = await req(srv, method, path, opts);
	assert.ok(r.body !== undefined, `${method} ${path} → ${r.status}: body is not JSON: ${r.text.slice(0, 300)}`);
	specCheck(method, path, r.status, r.body);
	return r;
}
const post = (path, json, opts = {}) => raw('POST', path, { json, ...opts });

/* POST expected to answer 200; returns the body */
async function ok(path, json, opts = {}) {
	const r = await post(path, json, opts);
	assert.equal(r.status, 200, `POST ${path} ${JSON.stringify(json)} → ${r.status} ${r.text}`);
	return r.body;
}

/* POST expected to fail with 422 invalid, message matching re (a RegExp or exact string) */
async function invalid(path, json, re, opts = {}) {
	const r = await post(path, json, opts);
	const what = `POST ${path} ${JSON.stringify(json)?.slice(0, 200)} → ${r.status} ${r.text}`;
	assert.equal(r.status, 422, what);
	assert.equal(r.body.error.code, 'invalid', what);
	assert.equal(r.body.error.status_code, 422, what);
	if (typeof re === 'string') assert.equal(r.body.error.message, re, what);
	else if (re) assert.match(r.body.error.message, re, what);
	return r.body.error;
}

/* an axios instance whose responses (success or error) go through specCheck */
function checkingAxios(seen) {
	const ax = axios.create();
	const check = (r) => {
		const method = (r.config.method || 'get').toUpperCase();
		const path = new URL(r.config.url, 'http://x').pathname;
		let body = r.data;
		if (typeof body === 'string' && body.length) {
			try {
				body = JSON.parse(body);
			} catch {
				throw new Error(`${method} ${path} → ${r.status}: body is not JSON: ${body.slice(0, 300)}`);
			}
		}
		specCheck(method, path, r.status, body);
	};
	ax.interceptors.response.use(
		(response) => {
			seen.push({ method: response.config.method, url: response.config.url, status: response.status, data: response.data });
			try {
				check(response);
			} catch (e) {
				e.specMismatch = true;
				throw e;
			}
			return response;
		},
		(error) => {
			const r = error.response;
			if (r) {
				seen.push({ method: r.config.method, url: r.config.url, status: r.status, data: r.data });
				try {
					check(r);
				} catch (e) {
					e.specMismatch = true;
					e.httpResponse = r;
					return Promise.reject(e);
				}
				const body = typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
				if (typeof error.stack === 'string')
					error.stack = error.stack.replace(/^([^\n]*)/, `$1 (${(r.config.method || '').toUpperCase()} ${r.config.url} → ${r.status} ${String(body).slice(0, 500)})`);
			}
			return Promise.reject(error);
		},
	);
	return ax;
}

/* an SDK API class for a key; api.seen lists the raw exchanges */
function sdk(Cls, key) {
	const seen = [];
	const api = new Cls(sdkConfig(srv.baseUrl, key), undefined, checkingAxios(seen));
	api.seen = seen;
	return api;
}
const lastRaw = (api) => api.seen[api.seen.length - 1].data;

/* the documented `po box` test body (RES us_verifications/responses; av_test_mode.md §1.3) */
const PO_BOX_BODY = {
	recipient: TEST_RECIPIENT,
	primary_line: 'PO BOX 720114',
	secondary_line: '',
	urbanization: '',
	last_line: 'SAN FRANCISCO CA 94172-0114',
	deliverability: 'deliverable',
	valid_address: true,
	components: {
		primary_number: '720114', street_predirection: '', street_name: 'PO BOX', street_suffix: '',
		street_postdirection: '', secondary_designator: '', secondary_number: '', pmb_designator: '',
		pmb_number: '', extra_secondary_designator: '', extra_secondary_number: '', city: 'SAN FRANCISCO',
		state: 'CA', zip_code: '94172', zip_code_plus_4: '0114', zip_code_type: 'po_box',
		delivery_point_barcode: '941720114146', address_type: 'residential', record_type: 'po_box',
		default_building_address: false, county: 'SAN FRANCISCO', county_fips: '06075', carrier_route: 'BOO2',
		carrier_route_type: 'po_box', po_box_only_flag: '', latitude: 37.75971500260575, longitude: -122.69397561170017,
	},
	deliverability_analysis: {
		dpv_confirmation: 'Y', dpv_cmra: 'N', dpv_vacant: 'N', dpv_active: 'Y', dpv_inactive_reason: '',
		dpv_throwback: '', dpv_non_delivery_day_flag: '', dpv_non_delivery_day_values: '',
		dpv_no_secure_location: '', dpv_door_not_accessible: '', dpv_footnotes: ['AA', 'BB'], ews_match: false,
		lacs_indicator: '', lacs_return_code: '', suite_return_code: '',
	},
	object: 'us_verification',
};

const withoutId = ({ id, ...rest }) => rest;

/* ------------------------------------------------------------------------------------------ */
/* US verifications: test keys                                                                */
/* ------------------------------------------------------------------------------------------ */

test('US verify (SDK, test key): magic "deliverable", with ZIP 11111 or a real city/state/ZIP', async () => {
	const api = sdk(UsVerificationsApi, keys.test_secret);
	for (const input of [
		{ primary_line: 'deliverable', zip_code: '11111' },
		{ primary_line: 'deliverable', city: 'San Francisco', state: 'CA', zip_code: '94107' }, // lob-node
		{ primary_line: 'deliverable', city: 'WESTFIELD', state: 'NJ', zip_code: '11111' }, // lob-typescript-sdk
	]) {
		const v = await api.verifySingle(input);
		const b = lastRaw(api);
		const what = `${JSON.stringify(input)} → ${JSON.stringify(b)}`;
		assert.match(v.id, US_VER_ID, what);
		assert.equal(b.object, 'us_verification', what);
		assert.equal(b.recipient, TEST_RECIPIENT, what);
		assert.equal(b.primary_line, '1 TELEGRAPH HILL BLVD', what);
		assert.match(b.last_line, /^SAN FRANCISCO CA 94133(-\d{4})?$/, what);
		assert.equal(b.deliverability, 'deliverable', what);
		assert.equal(b.valid_address, true, what);
		assert.equal(b.components.city, 'SAN FRANCISCO', what);
		assert.equal(b.components.state, 'CA', what);
		assert.equal(b.components.zip_code, '94133', what);
		assert.equal(b.components.address_type, 'commercial', what);
		assert.equal(b.deliverability_analysis.dpv_confirmation, 'Y', what);
		assert.ok(b.deliverability_analysis.dpv_footnotes.includes('BB'), what);
		// the SDK's model sees the same
		assert.equal(v.deliverability, 'deliverable');
		assert.equal(v.primary_line, '1 TELEGRAPH HILL BLVD');
	}
});

test('US verify (test key): every documented magic value gives its documented answer', async () => {
	const DELIVERABLE = ['deliverable', 'deliverable_unnecessary_unit', 'deliverable_incorrect_unit', 'deliverable_missing_unit'];
	// value → [deliverability, extra checks]
	const table = {
		'commercial highrise': ['deliverable', (b) => assert.equal(b.components.address_type, 'commercial')],
		'residential highrise': ['deliverable', (b) => {
			assert.equal(b.primary_line, '660 KING ST UNIT 305');
			assert.equal(b.last_line, 'SAN FRANCISCO CA 94107-1539');
		}],
		'residential house': ['deliverable', (b) => {
			assert.equal(b.primary_line, '1709 BRODERICK ST');
			assert.equal(b.last_line, 'SAN FRANCISCO CA 94115-2525');
			const c = b.components;
			assert.deepEqual(
				[c.primary_number, c.street_name, c.street_suffix, c.zip_code, c.zip_code_plus_4, c.zip_code_type,
					c.delivery_point_barcode, c.address_type, c.record_type, c.county, c.county_fips, c.carrier_route,
					c.carrier_route_type],
				['1709', 'BRODERICK', 'ST', '94115', '2525', 'standard', '941152525097', 'residential', 'street',
					'SAN FRANCISCO', '06075', 'C021', 'city_delivery']);
			assert.equal(c.latitude, 37.786029686706215);
			assert.equal(c.longitude, -122.4418536183508);
			assert.deepEqual(b.deliverability_analysis.dpv_footnotes, ['AA', 'BB']);
		}],
		'po box': ['deliverable', (b) => assert.deepEqual(withoutId(b), PO_BOX_BODY)],
		'rural route': ['deliverable', (b) => assert.equal(b.components.record_type, 'rural_route')],
		'puerto rico': ['deliverable', (b) => {
			assert.equal(b.components.state, 'PR');
			assert.notEqual(b.urbanization, '', 'a Puerto Rico answer carries an urbanization');
		}],
		military: ['deliverable', (b) => {
			assert.equal(b.primary_line, 'CMR 409 BOX 145');
			assert.equal(b.last_line, 'APO AE 09053-0002');
			assert.equal(b.components.latitude ?? null, null, 'no latitude for military addresses');
		}],
		'department of state': ['deliverable', (b) => {
			assert.equal(b.primary_line, 'UNIT 8900 BOX 4301');
			assert.equal(b.last_line, 'DPO AE 09831-4301');
			assert.equal(b.components.longitude ?? null, null, 'no longitude for military addresses');
		}],
		deliverable: ['deliverable', (b) => assert.equal(b.primary_line, '1 TELEGRAPH HILL BLVD')],
		'missing unit': ['deliverable_missing_unit', (b) => assert.equal(b.deliverability_analysis.dpv_confirmation, 'D')],
		'incorrect unit': ['deliverable_incorrect_unit', (b) => {
			// §1.5 infers D; S ("deliverable by removing the provided secondary") is defensible too
			assert.ok(['D', 'S'].includes(b.deliverability_analysis.dpv_confirmation));
		}],
		'unnecessary unit': ['deliverable_unnecessary_unit', (b) => {
			assert.equal(b.primary_line, '1709 BRODERICK ST APT 505');
			assert.equal(b.last_line, 'SAN FRANCISCO CA 94115-2525');
			assert.equal(b.deliverability_analysis.dpv_confirmation, 'S');
		}],
		'undeliverable block match': ['undeliverable', (b) => assert.equal(b.deliverability_analysis.dpv_confirmation, 'N')],
		'undeliverable no match': ['undeliverable', (b) => assert.equal(b.deliverability_analysis.dpv_confirmation, '')],
	};
	// every value is checked, and all problems reported together
	const problems = [];
	await Promise.all(Object.entries(table).map(async ([value, [deliverability, extra]]) => {
		let b;
		try {
			b = await ok('/v1/us_verifications', { primary_line: value, zip_code: '11111' });
			const what = `body: ${JSON.stringify(b)}`;
			assert.match(b.id, US_VER_ID, what);
			assert.equal(b.object, 'us_verification', what);
			assert.equal(b.recipient, TEST_RECIPIENT, what);
			assert.equal(b.deliverability, deliverability, what);
			assert.equal(typeof b.valid_address, 'boolean', what);
			const c = b.components;
			const dpv = b.deliverability_analysis.dpv_confirmation;
			if (DELIVERABLE.includes(deliverability)) {
				// a confirmed delivery point: full ZIP+4, barcode, record type, county
				assert.ok(['Y', 'S', 'D'].includes(dpv), `dpv_confirmation ${dpv}; ${what}`);
				if (deliverability === 'deliverable') assert.equal(dpv, 'Y', what);
				assert.match(c.zip_code, /^\d{5}$/, what);
				assert.match(c.zip_code_plus_4, /^\d{4}$/, what);
				assert.match(c.delivery_point_barcode, new RegExp(`^${c.zip_code}${c.zip_code_plus_4}\\d{3}$`), what);
				assert.ok(b.last_line.endsWith(`${c.zip_code}-${c.zip_code_plus_4}`), what);
				assert.notEqual(c.record_type, '', what);
				assert.match(c.county_fips, /^\d{5}$/, what);
				assert.ok(b.deliverability_analysis.dpv_footnotes.includes('AA'), what);
			} else {
				assert.ok(['N', ''].includes(dpv), `dpv_confirmation ${dpv}; ${what}`);
				assert.equal(c.latitude ?? null, null, `no latitude for undeliverable addresses; ${what}`);
			}
			extra(b);
		} catch (e) {
			problems.push(`primary_line "${value}": ${e.message}`);
		}
	}));
	if (problems.length) assert.fail(`${problems.length} magic value(s) wrong:\n\n${problems.join("\n\n")}`);
});

test('US verify (test key): magic values match trimmed, in any case, and through `address`', async () => {
	const a = await ok('/v1/us_verifications', { primary_line: '  PO Box ', zip_code: '11111' });
	assert.equal(a.primary_line, 'PO BOX 720114');
	const b = await ok('/v1/us_verifications', { primary_line: 'RESIDENTIAL HOUSE', city: 'Anywhere', state: 'NY' });
	assert.equal(b.primary_line, '1709 BRODERICK ST');
	const c = await ok('/v1/us_verifications', { address: 'residential house' });
	assert.equal(c.primary_line, '1709 BRODERICK ST');
	assert.equal(c.deliverability, 'deliverable');
	// the whole line must match: a longer line is not magic
	const d = await ok('/v1/us_verifications', { primary_line: 'deliverable please', zip_code: '11111' });
	assert.equal(d.primary_line, TEST_PRIMARY);
	assert.equal(d.deliverability, 'undeliverable');
});

test('US verify (SDK, test key): non-magic input gets the test placeholder', async () => {
	const api = sdk(UsVerificationsApi, keys.test_secret);
	const v = await api.verifySingle({ recipient: 'Harry Zhang', primary_line: '210 King St', city: 'San Francisco', state: 'CA', zip_code: '94107' });
	const b = lastRaw(api);
	assert.match(v.id, US_VER_ID);
	assert.equal(b.object, 'us_verification');
	assert.equal(b.recipient, TEST_RECIPIENT, 'the recipient sent is not echoed with a test key');
	assert.equal(b.primary_line, TEST_PRIMARY);
	assert.equal(b.secondary_line, TEST_SECONDARY);
	assert.equal(b.deliverability, 'undeliverable');
	assert.equal(b.valid_address, false);
	assert.equal(b.deliverability_analysis.dpv_confirmation, '');
	assert.equal(v.deliverability, 'undeliverable');
});

test('US verify (SDK, test key): case=proper and case=upper; an unknown case is 422', async () => {
	const api = sdk(UsVerificationsApi, keys.test_secret);
	await api.verifySingle({ primary_line: 'deliverable', zip_code: '11111' }, 'proper');
	const p = lastRaw(api);
	assert.equal(p.recipient, 'Test Keys Do Not Verify Addresses', `case=proper → ${JSON.stringify(p)}`);
	assert.equal(p.primary_line, '1 Telegraph Hill Blvd', `case=proper → ${JSON.stringify(p)}`);
	await api.verifySingle({ primary_line: 'deliverable', zip_code: '11111' }, 'upper');
	const u = lastRaw(api);
	assert.equal(u.recipient, TEST_RECIPIENT);
	assert.equal(u.primary_line, '1 TELEGRAPH HILL BLVD');
	await invalid('/v1/us_verifications?case=lower', { primary_line: 'deliverable', zip_code: '11111' }, /case/);
});

test('US verify (raw, test key): form-encoded and multipart bodies', async () => {
	const f = await raw('POST', '/v1/us_verifications', { form: new URLSearchParams({ primary_line: 'po box', zip_code: '11111' }) });
	assert.equal(f.status, 200, f.text);
	assert.equal(f.body.primary_line, 'PO BOX 720114'); // the whole body is compared in the magic-values test
	assert.equal(f.body.last_line, 'SAN FRANCISCO CA 94172-0114');
	const fd = new FormData();
	fd.append('primary_line', 'deliverable');
	fd.append('zip_code', '11111');
	const m = await raw('POST', '/v1/us_verifications', { body: fd });
	assert.equal(m.status, 200, m.text);
	assert.equal(m.body.primary_line, '1 TELEGRAPH HILL BLVD');
	// bulk, with bracket notation
	const bf = await raw('POST', '/v1/bulk/us_verifications', {
		form: 'addresses%5B0%5D%5Bprimary_line%5D=deliverable&addresses%5B0%5D%5Bzip_code%5D=11111' +
			'&addresses%5B1%5D%5Bprimary_line%5D=po+box&addresses%5B1%5D%5Bzip_code%5D=11111',
	});
	assert.equal(bf.status, 200, bf.text);
	assert.deepEqual(bf.body.addresses.map((a) => a.primary_line), ['1 TELEGRAPH HILL BLVD', 'PO BOX 720114']);
	assert.equal(bf.body.errors, false);
});

/* ------------------------------------------------------------------------------------------ */
/* keys and request errors                                                                    */
/* ------------------------------------------------------------------------------------------ */

test('publishable keys: allowed on us_verifications, intl_verifications, us_autocompletions; 403 elsewhere', async () => {
	const allowed = [
		['/v1/us_verifications', { primary_line: 'deliverable', zip_code: '11111' }],
		['/v1/intl_verifications', { primary_line: 'deliverable', country: 'CA' }],
		['/v1/us_autocompletions', { address_prefix: '1 suggestion' }],
	];
	const refused = [
		['/v1/bulk/us_verifications', { addresses: [{ primary_line: 'deliverable', zip_code: '11111' }] }],
		['/v1/us_zip_lookups', { zip_code: '94107' }],
		['/v1/us_reverse_geocode_lookups', { latitude: 37.777456, longitude: -122.393039 }],
		['/v1/bulk/intl_verifications', { addresses: [{ primary_line: 'deliverable', country: 'CA' }] }],
		['/v1/identity_validation', { recipient: 'Larry Lobster', primary_line: '210 King St', zip_code: '94107' }],
	];
	for (const key of [keys.test_publishable, keys.live_publishable]) {
		for (const [path, json] of allowed) {
			const r = await post(path, json, { key });
			assert.equal(r.status, 200, `${path} with ${key.slice(0, 9)}… → ${r.status} ${r.text}`);
		}
		for (const [path, json] of refused) {
			const r = await post(path, json, { key });
			assert.equal(r.status, 403, `${path} with ${key.slice(0, 9)}… → ${r.status} ${r.text}`);
			assert.equal(r.body.error.code, 'publishable_key_not_allowed', r.text);
			assert.equal(r.body.error.status_code, 403);
		}
	}
	// a test publishable key gets the test environment
	const t = await ok('/v1/us_verifications', { primary_line: 'deliverable', zip_code: '11111' }, { key: keys.test_publishable });
	assert.equal(t.recipient, TEST_RECIPIENT);
	// and no key at all is 401
	const r = await post('/v1/us_verifications', { primary_line: 'deliverable', zip_code: '11111' }, { key: null });
	assert.equal(r.status, 401, r.text);
});

test('request errors are 422 invalid with Lob\'s wording (test and live keys)', async () => {
	for (const key of [keys.test_secret, keys.live_secret]) {
		const o = { key };
		await invalid('/v1/us_verifications', {}, 'primary_line is required or address is required', o);
		await invalid('/v1/us_verifications', { recipient: 'Someone' }, 'primary_line is required or address is required', o);
		await invalid('/v1/us_verifications', { primary_line: 'deliverable' }, /zip_code/, o);
		await invalid('/v1/us_verifications', { primary_line: 'deliverable', city: 'San Francisco' }, /state/, o);
		await invalid('/v1/us_verifications', { primary_line: 'deliverable', state: 'CA' }, /city/, o);
		await invalid('/v1/us_verifications', { address: 'deliverable', zip_code: '11111' }, /zip_code/, o);
		await invalid('/v1/us_verifications', { primary_line: 'deliverable', zip_code: '1234' }, /zip_code/, o);
		await invalid('/v1/us_verifications', { primary_line: 'x'.repeat(201), zip_code: '11111' }, /primary_line/, o);
		await invalid('/v1/bulk/us_verifications', { addresses: [] }, /items/, o);
		await invalid('/v1/bulk/us_verifications', { addresses: Array.from({ length: 21 }, () => ({ primary_line: 'deliverable', zip_code: '11111' })) }, /items/, o);
		await invalid('/v1/bulk/us_verifications', {}, /addresses/, o);
		await invalid('/v1/us_zip_lookups', {}, 'zip_code is required', o);
		await invalid('/v1/us_zip_lookups', { zip_code: '9410' }, /zip_code/, o);
		await invalid('/v1/us_reverse_geocode_lookups', { longitude: -122.393039 }, 'latitude is required', o);
		await invalid('/v1/us_reverse_geocode_lookups', { latitude: 91, longitude: -122.393039 }, /latitude/, o);
		await invalid('/v1/us_autocompletions', {}, 'address_prefix is required', o);
		await invalid('/v1/intl_verifications', { primary_line: 'deliverable' }, 'country is required', o);
		await invalid('/v1/intl_verifications', { primary_line: 'deliverable', country: 'US' }, /country/, o);
		await invalid('/v1/intl_verifications', { primary_line: 'deliverable', country: 'PR' }, /country/, o);
		await invalid('/v1/bulk/intl_verifications', { addresses: [] }, /items/, o);
	}
	// the same through the SDK
	const api = sdk(UsVerificationsApi, keys.test_secret);
	const res = await sdkFails(api.verifySingle({}));
	assert.equal(res.status, 422);
	assert.equal(res.data.error.code, 'invalid');
	assert.equal(res.data.error.message, 'primary_line is required or address is required');
	const zips = sdk(ZipLookupsApi, keys.test_secret);
	const zr = await sdkFails(zips.lookup({}));
	assert.equal(zr.status, 422);
	assert.equal(zr.data.error.message, 'zip_code is required');
});

/* ------------------------------------------------------------------------------------------ */
/* bulk US                                                                                    */
/* ------------------------------------------------------------------------------------------ */

test('bulk US verify (SDK, test key): one answer per item, in order', async () => {
	const api = sdk(UsVerificationsApi, keys.test_secret);
	const res = await api.verifyBulk({
		addresses: [
			{ primary_line: 'deliverable', zip_code: '11111' },
			{ primary_line: 'po box', zip_code: '11111' },
			{ primary_line: '1 Main St', city: 'Springfield', state: 'IL' },
		],
	});
	const b = lastRaw(api);
	assert.equal(b.errors, false, JSON.stringify(b));
	assert.equal(b.addresses.length, 3);
	assert.equal(b.addresses[0].primary_line, '1 TELEGRAPH HILL BLVD');
	assert.equal(b.addresses[1].primary_line, 'PO BOX 720114');
	assert.equal(b.addresses[1].deliverability_analysis.dpv_confirmation, 'Y');
	assert.equal(b.addresses[2].primary_line, TEST_PRIMARY);
	for (const a of b.addresses) {
		assert.match(a.id, US_VER_ID);
		assert.equal(a.recipient, TEST_RECIPIENT);
	}
	assert.equal(res.addresses.length, 3);
	assert.equal(res.errorAddresses.length, 0);
	assert.equal(res.addresses[1].deliverability, 'deliverable');

	// 20 items is the limit, and allowed
	const twenty = await ok('/v1/bulk/us_verifications', { addresses: Array.from({ length: 20 }, () => ({ primary_line: 'missing unit', zip_code: '11111' })) });
	assert.equal(twenty.addresses.length, 20);
	assert.ok(twenty.addresses.every((a) => a.deliverability === 'deliverable_missing_unit'));
});

test('bulk US verify (SDK): a bad item comes back in place as an error object, errors: true', async () => {
	const api = sdk(UsVerificationsApi, keys.test_secret);
	const res = await api.verifyBulk({
		addresses: [
			{ primary_line: 'deliverable', zip_code: '11111' },
			{ primary_line: 'deliverable', city: 'Westfield' }, // neither state nor zip_code
			{ city: 'Westfield', state: 'NJ' }, // no primary_line
		],
	});
	const b = lastRaw(api);
	assert.equal(b.errors, true, JSON.stringify(b));
	assert.equal(b.addresses.length, 3);
	assert.equal(b.addresses[0].deliverability, 'deliverable');
	for (const [i, re] of [[1, /state/], [2, /primary_line/]]) {
		const e = b.addresses[i].error;
		assert.ok(e, `addresses[${i}] is an error object: ${JSON.stringify(b.addresses[i])}`);
		assert.equal(e.status_code, 422);
		assert.equal(e.code, 'invalid');
		assert.match(e.message, re);
		assert.equal(b.addresses[i].id, undefined);
	}
	// the SDK sorts them into addresses and errorAddresses
	assert.equal(res.addresses.length, 1);
	assert.equal(res.errorAddresses.length, 2);
	assert.equal(res.errorAddresses[0].error.status_code, 422);
});

/* ------------------------------------------------------------------------------------------ */
/* US verifications: live keys (Frank's engine, no reference data)                            */
/* ------------------------------------------------------------------------------------------ */

function assertHonestLive(b, footnotes, what) {
	what = `${what} → ${JSON.stringify(b)}`;
	assert.match(b.id, US_VER_ID, what);
	assert.equal(b.object, 'us_verification', what);
	assert.equal(b.deliverability, 'undeliverable', what);
	assert.equal(b.valid_address, false, what);
	assert.equal(b.deliverability_analysis.dpv_confirmation, '', what);
	assert.deepEqual(b.deliverability_analysis.dpv_footnotes, footnotes, what);
	assert.deepEqual(b.lob_confidence_score, { score: null, level: '' }, what);
	assert.notEqual(b.recipient, TEST_RECIPIENT, what);
}

test('US verify (SDK, live key): standardised, consistent, but never claimed deliverable', async () => {
	const api = sdk(UsVerificationsApi, keys.live_secret);
	const v = await api.verifySingle({ address: '210 king street, san francisco ca 94107' });
	const b = lastRaw(api);
	assertHonestLive(b, ['AA'], 'single-line 210 king street');
	assert.equal(b.primary_line, '210 KING ST');
	assert.match(b.last_line, /^SAN FRANCISCO CA 94107(-\d{4})?$/);
	const c = b.components;
	assert.equal(c.primary_number, '210');
	assert.equal(c.street_name, 'KING');
	assert.equal(c.street_suffix, 'ST');
	assert.equal(c.city, 'SAN FRANCISCO');
	assert.equal(c.state, 'CA');
	assert.equal(c.zip_code, '94107');
	assert.equal(c.county, 'SAN FRANCISCO');
	assert.equal(c.county_fips, '06075');
	assert.equal(v.deliverability, 'undeliverable');

	// components form, recipient upper-cased like every Lob answer
	const r = await api.verifySingle({ recipient: 'Lob.com', primary_line: '210 king street', city: 'san francisco', state: 'ca', zip_code: '94107' });
	const rb = lastRaw(api);
	assertHonestLive(rb, ['AA'], 'components 210 king street');
	assert.equal(rb.primary_line, '210 KING ST');
	assert.equal(rb.recipient, 'LOB.COM');
	assert.equal(rb.components.county_fips, '06075');
	assert.equal(r.primary_line, '210 KING ST');

	// case=proper
	await api.verifySingle({ primary_line: '210 king street', zip_code: '94107' }, 'proper');
	const p = lastRaw(api);
	assertHonestLive(p, ['AA'], 'case=proper');
	assert.equal(p.primary_line, '210 King St');
	assert.match(p.last_line, /^San Francisco CA 94107(-\d{4})?$/);
	assert.equal(p.components.street_suffix, 'ST', 'components stay upper case');
});

test('US verify (live key): inconsistent ZIP → A1, no house number → M1; live publishable key works', async () => {
	const o = { key: keys.live_secret };
	const a = await ok('/v1/us_verifications', { primary_line: '210 King St', city: 'San Francisco', state: 'CA', zip_code: '10001' }, o);
	assertHonestLive(a, ['A1'], 'SF with ZIP 10001');
	const m = await ok('/v1/us_verifications', { primary_line: 'King St', city: 'San Francisco', state: 'CA', zip_code: '94107' }, o);
	assertHonestLive(m, ['M1'], 'no house number');
	const pub = await ok('/v1/us_verifications', { primary_line: '210 King St', zip_code: '94107' }, { key: keys.live_publishable });
	assertHonestLive(pub, ['AA'], 'live publishable key');
	assert.equal(pub.primary_line, '210 KING ST');
});

test('bulk US verify (SDK, live key): each item through the engine', async () => {
	const api = sdk(UsVerificationsApi, keys.live_secret);
	const res = await api.verifyBulk({
		addresses: [
			{ primary_line: '210 king street', city: 'san francisco', state: 'ca', zip_code: '94107' },
			{ primary_line: '210 King St', zip_code: '10001', city: 'San Francisco', state: 'CA' },
		],
	});
	const b = lastRaw(api);
	assert.equal(b.errors, false);
	assertHonestLive(b.addresses[0], ['AA'], 'bulk[0]');
	assert.equal(b.addresses[0].primary_line, '210 KING ST');
	assertHonestLive(b.addresses[1], ['A1'], 'bulk[1]');
	assert.equal(res.addresses.length, 2);
});

/* ------------------------------------------------------------------------------------------ */
/* US autocompletions                                                                         */
/* ------------------------------------------------------------------------------------------ */

// Lob's documented `1 sugg` list (the last 7 of the 10 test suggestions), in order
const SUGG7 = [
	['TELEPHONE RD', 'OXFORD', 'AR', '72565'],
	['TELEGA PL', 'PALMDALE', 'CA', '93550'],
	['TELEGRAM AVE', 'ELMONT', 'NY', '11003'],
	['TELEGRAM AVE', 'GARDEN CITY', 'KS', '67846'],
	['TELEGRAPH HILL RD', 'HOLMDEL', 'NJ', '07733'],
	['TELEGRAPH HILL RD S', 'HOLMDEL', 'NJ', '07733'],
	['TELEGRAPH HILL BLVD', 'SAN FRANCISCO', 'CA', '94133'],
];
const four = (s) => [s.primary_line, s.city, s.state, s.zip_code];

test('US autocomplete (SDK, test key): magic prefixes give the documented suggestions', async () => {
	const api = sdk(UsAutocompletionsApi, keys.test_secret);
	const zero = await api.autocomplete({ address_prefix: '0 suggestions' });
	assert.match(zero.id, US_AUTO_ID);
	assert.equal(lastRaw(api).object, 'us_autocompletion');
	assert.deepEqual(lastRaw(api).suggestions, []);

	await api.autocomplete({ address_prefix: '1 suggestion' });
	assert.deepEqual(lastRaw(api).suggestions.map(four), [['1 TELEGRAPH HILL BLVD', 'SAN FRANCISCO', 'CA', '94133']]);

	const seven = await api.autocomplete({ address_prefix: '1 sugg' });
	assert.deepEqual(lastRaw(api).suggestions.map(four), SUGG7.map(([st, ...rest]) => [`1 ${st}`, ...rest]));
	assert.equal(seven.suggestions.length, 7);

	await api.autocomplete({ address_prefix: '2 sugg' });
	assert.deepEqual(lastRaw(api).suggestions.map((s) => s.primary_line), SUGG7.map(([st]) => `2 ${st}`));

	// "City and state filters work as expected" (OBS-1: `5 su` in San Francisco, CA)
	await api.autocomplete({ address_prefix: '5 su', city: 'San Francisco', state: 'CA' });
	assert.deepEqual(lastRaw(api).suggestions.map(four), [['5 TELEGRAPH HILL BLVD', 'SAN FRANCISCO', 'CA', '94133']]);
});

test('US autocomplete (test key): count = 11 − letters of "suggestion" typed', async () => {
	const word = 'suggestion';
	const bodies = await Promise.all(Array.from({ length: word.length }, (_, i) => ok('/v1/us_autocompletions', { address_prefix: `1 ${word.slice(0, i + 1)}` })));
	bodies.forEach((b, i) => {
		const prefix = `1 ${word.slice(0, i + 1)}`;
		assert.equal(b.suggestions.length, 10 - i, `"${prefix}" → ${JSON.stringify(b)}`);
		// always the last N of the ten, so the documented seven end every list
		const tail = b.suggestions.slice(-Math.min(7, b.suggestions.length)).map(four);
		assert.deepEqual(tail, SUGG7.slice(-tail.length).map(([st, ...rest]) => [`1 ${st}`, ...rest]), prefix);
		assert.match(b.id, US_AUTO_ID);
	});
});

test('US autocomplete (test key): other prefixes get the placeholder; case=proper; publishable key', async () => {
	const b = await ok('/v1/us_autocompletions', { address_prefix: '185 Berry' });
	assert.equal(b.suggestions.length, 1, JSON.stringify(b));
	assert.equal(b.suggestions[0].primary_line, 'TEST KEYS DO NOT AUTOCOMPLETE US ADDRESSES');
	assert.equal(b.suggestions[0].city, "SET `address_prefix` to '1 suggestion' TO SIMULATE AN AUTOCOMPLETION");
	const p = await ok('/v1/us_autocompletions?case=proper', { address_prefix: '185 Berry' });
	assert.equal(p.suggestions[0].primary_line, 'Test Keys Do Not Autocomplete Us Addresses', JSON.stringify(p));
	const f = await raw('POST', '/v1/us_autocompletions', { form: new URLSearchParams({ address_prefix: '1 suggestion' }), key: keys.test_publishable });
	assert.equal(f.status, 200, f.text);
	assert.deepEqual(f.body.suggestions.map(four), [['1 TELEGRAPH HILL BLVD', 'SAN FRANCISCO', 'CA', '94133']]);
});

test('US autocomplete (SDK, live key): a well-formed list of at most 10', async () => {
	const api = sdk(UsAutocompletionsApi, keys.live_secret);
	const r = await api.autocomplete({ address_prefix: '210 King', city: 'San Francisco', state: 'CA' });
	const b = lastRaw(api);
	assert.match(r.id, US_AUTO_ID);
	assert.equal(b.object, 'us_autocompletion');
	assert.ok(Array.isArray(b.suggestions) && b.suggestions.length <= 10, JSON.stringify(b));
	assert.ok(!b.suggestions.some((s) => /TEST KEYS/.test(s.primary_line)), 'a live key never gets the test placeholder');
});

/* ------------------------------------------------------------------------------------------ */
/* ZIP lookups and reverse geocoding: real data with either key                               */
/* ------------------------------------------------------------------------------------------ */

test('ZIP lookup (SDK): 94107 → SAN FRANCISCO CA with test and live keys', async () => {
	for (const key of [keys.test_secret, keys.live_secret]) {
		const api = sdk(ZipLookupsApi, key);
		const z = await api.lookup({ zip_code: '94107' });
		const b = lastRaw(api);
		assert.match(z.id, US_ZIP_ID);
		assert.equal(b.object, 'us_zip_lookup');
		assert.equal(b.zip_code, '94107');
		assert.equal(b.zip_code_type, 'standard');
		assert.deepEqual(b.cities[0], { city: 'SAN FRANCISCO', state: 'CA', county: 'SAN FRANCISCO', county_fips: '06075', preferred: true });
		assert.equal(b.cities.filter((c) => c.preferred).length, 1);
	}
});

test('ZIP lookup: a ZIP with several city names lists the preferred one first, once', async () => {
	const b = await ok('/v1/us_zip_lookups', { zip_code: '02127' });
	assert.ok(b.cities.length >= 2, JSON.stringify(b));
	assert.equal(b.cities[0].city, 'BOSTON');
	assert.equal(b.cities[0].preferred, true);
	assert.ok(b.cities.slice(1).every((c) => c.preferred === false), JSON.stringify(b));
	assert.ok(b.cities.some((c) => c.city === 'SOUTH BOSTON'), JSON.stringify(b));
	assert.ok(b.cities.every((c) => c.state === 'MA' && c.county_fips === '25025'), JSON.stringify(b));
	// form-encoded
	const f = await raw('POST', '/v1/us_zip_lookups', { form: 'zip_code=94107' });
	assert.equal(f.status, 200, f.text);
	assert.equal(f.body.cities[0].city, 'SAN FRANCISCO');
});

test('reverse geocode (SDK): 37.777456,-122.393039 → 5 nearby SF ZIPs, nearest first', async () => {
	for (const key of [keys.test_secret, keys.live_secret]) {
		const api = sdk(ReverseGeocodeLookupsApi, key);
		const g = await api.lookup({ latitude: 37.777456, longitude: -122.393039 });
		const b = lastRaw(api);
		assert.match(g.id, GEO_ID);
		assert.equal(b.object, 'us_reverse_geocode_lookup');
		assert.equal(b.addresses.length, 5, JSON.stringify(b));
		const d = b.addresses.map((a) => a.location_analysis.distance);
		assert.deepEqual(d, [...d].sort((x, y) => x - y), `sorted by distance: ${d}`);
		assert.ok(d[0] >= 0 && d[0] < 2, `the nearest is close: ${d[0]} miles`);
		for (const a of b.addresses) {
			assert.match(a.components.zip_code, /^941\d\d$/, JSON.stringify(a));
			assert.equal(typeof a.location_analysis.latitude, 'number');
			assert.ok(Math.abs(a.location_analysis.latitude - 37.777456) < 0.5 && Math.abs(a.location_analysis.longitude + 122.393039) < 0.5, JSON.stringify(a));
		}
	}
});

test('reverse geocode: size (SDK and query), form-encoded strings', async () => {
	const api = sdk(ReverseGeocodeLookupsApi, keys.test_secret);
	await api.lookup({ latitude: 37.777456, longitude: -122.393039 }, 2);
	assert.equal(lastRaw(api).addresses.length, 2);
	const big = await ok('/v1/us_reverse_geocode_lookups?size=100', { latitude: 37.777456, longitude: -122.393039 });
	assert.equal(big.addresses.length, 50, '"any number higher will be rounded down to 50"');
	const d = big.addresses.map((a) => a.location_analysis.distance);
	assert.deepEqual(d, [...d].sort((x, y) => x - y));
	const f = await raw('POST', '/v1/us_reverse_geocode_lookups', { form: 'latitude=37.777456&longitude=-122.393039' });
	assert.equal(f.status, 200, f.text);
	assert.equal(f.body.addresses.length, 5);
	assert.match(f.body.addresses[0].components.zip_code, /^941\d\d$/);
});

/* ------------------------------------------------------------------------------------------ */
/* international                                                                              */
/* ------------------------------------------------------------------------------------------ */

const INTL_DELIVERABLE = {
	recipient: TEST_RECIPIENT,
	primary_line: '370 WATER ST',
	secondary_line: '',
	last_line: 'SUMMERSIDE PE C1N 1C4',
	country: 'CA',
	coverage: 'SUBBUILDING',
	deliverability: 'deliverable',
	status: 'LV4',
	components: { primary_number: '370', street_name: 'WATER ST', city: 'SUMMERSIDE', state: 'PE', postal_code: 'C1N 1C4' },
	object: 'intl_verification',
};

test('intl verify (SDK, test key): magic values; non-magic gets the test recipient', async () => {
	const api = sdk(IntlVerificationsApi, keys.test_secret);
	const v = await api.verifySingle({ primary_line: 'deliverable', country: 'CA' });
	assert.match(v.id, INTL_VER_ID);
	assert.deepEqual(withoutId(lastRaw(api)), INTL_DELIVERABLE);
	for (const [value, deliverability] of [
		['deliverable missing info', 'deliverable_missing_info'],
		['undeliverable', 'undeliverable'],
		['no match', 'no_match'],
	]) {
		await api.verifySingle({ primary_line: value, country: 'CA' });
		const b = lastRaw(api);
		assert.equal(b.deliverability, deliverability, `${value} → ${JSON.stringify(b)}`);
		assert.equal(b.recipient, TEST_RECIPIENT);
		assert.equal(b.object, 'intl_verification');
	}
	await api.verifySingle({ primary_line: '10 Downing Street', city: 'London', postal_code: 'SW1A 2AA', country: 'GB' });
	const n = lastRaw(api);
	assert.equal(n.recipient, TEST_RECIPIENT, JSON.stringify(n));
	assert.notEqual(n.deliverability, 'deliverable', JSON.stringify(n));
	// publishable, form-encoded
	const f = await raw('POST', '/v1/intl_verifications', { form: 'primary_line=deliverable&country=CA', key: keys.test_publishable });
	assert.equal(f.status, 200, f.text);
	assert.deepEqual(withoutId(f.body), INTL_DELIVERABLE);
});

test('bulk intl verify (SDK, test key): answers in order; bad items in place', async () => {
	const api = sdk(IntlVerificationsApi, keys.test_secret);
	const res = await api.verifyBulk({
		addresses: [
			{ primary_line: 'deliverable', country: 'CA' },
			{ primary_line: 'no match', country: 'CA' },
		],
	});
	const b = lastRaw(api);
	assert.equal(b.errors, false, JSON.stringify(b));
	assert.deepEqual(withoutId(b.addresses[0]), INTL_DELIVERABLE);
	assert.equal(b.addresses[1].deliverability, 'no_match');
	assert.equal(res.addresses.length, 2);

	const bad = await ok('/v1/bulk/intl_verifications', {
		addresses: [{ primary_line: 'deliverable', country: 'CA' }, { primary_line: 'deliverable' }],
	});
	assert.equal(bad.errors, true, JSON.stringify(bad));
	assert.equal(bad.addresses[0].primary_line, '370 WATER ST');
	assert.equal(bad.addresses[1].error?.status_code, 422, JSON.stringify(bad));
	assert.match(bad.addresses[1].error.message, /country/);
});

test('intl verify (SDK, live key): consistent → no_match LU1 with the postal code normalised; bad format → undeliverable', async () => {
	const api = sdk(IntlVerificationsApi, keys.live_secret);
	await api.verifySingle({ primary_line: '370 Water St', city: 'Summerside', state: 'PE', postal_code: 'c1n1c4', country: 'CA' });
	const b = lastRaw(api);
	const what = JSON.stringify(b);
	assert.match(b.id, INTL_VER_ID);
	assert.equal(b.object, 'intl_verification');
	assert.equal(b.deliverability, 'no_match', what);
	assert.equal(b.status, 'LU1', what);
	assert.equal(b.country, 'CA', what);
	assert.equal(b.primary_line, '370 WATER ST', what);
	assert.ok(b.last_line.includes('C1N 1C4'), what);
	assert.notEqual(b.recipient, TEST_RECIPIENT, what);

	await api.verifySingle({ primary_line: '370 Water St', city: 'Summerside', state: 'PE', postal_code: '12345', country: 'CA' });
	const u = lastRaw(api);
	assert.equal(u.deliverability, 'undeliverable', JSON.stringify(u));

	const bulk = await ok('/v1/bulk/intl_verifications', {
		addresses: [
			{ primary_line: '370 Water St', city: 'Summerside', state: 'PE', postal_code: 'c1n1c4', country: 'CA' },
			{ primary_line: '370 Water St', city: 'Summerside', state: 'PE', postal_code: '12345', country: 'CA' },
		],
	}, { key: keys.live_secret });
	assert.deepEqual(bulk.addresses.map((a) => a.deliverability), ['no_match', 'undeliverable'], JSON.stringify(bulk));

	// every documented intl_verification (and the test body) carries components
	assert.equal(b.components?.postal_code, 'C1N 1C4', `components.postal_code: ${what}`);
});

/* ------------------------------------------------------------------------------------------ */
/* identity validation                                                                        */
/* ------------------------------------------------------------------------------------------ */

// The SDK's typings declare an IdentityValidationApi, but @lob/lob-typescript-sdk 1.4.2 does not
// ship it (dist/index.mjs has no such export), so these go over raw HTTP; the SDK's own
// IdentityValidation model still has to accept each body.
test('identity validation (raw; SDK model): recipient or company with an address', async () => {
	for (const key of [keys.test_secret, keys.live_secret]) {
		const b = await ok('/v1/identity_validation', { recipient: 'Larry Lobster', primary_line: '210 King St', city: 'San Francisco', state: 'CA', zip_code: '94107' }, { key });
		const what = JSON.stringify(b);
		const v = new IdentityValidation(b);
		assert.match(v.id, IDV_ID, what);
		assert.equal(b.object, 'id_validation', what);
		// a test key verifies nothing, as in Lob's test mode (compat.test.mjs)
		assert.equal(String(b.recipient).toUpperCase(), key === keys.test_secret ? 'TEST KEYS DO NOT VERIFY ADDRESSES' : 'LARRY LOBSTER', what);
		assert.equal(typeof b.primary_line, 'string', what);
		assert.ok(b.score === null || (b.score >= 0 && b.score <= 100), what);
		assert.ok(['high', 'medium', 'low', ''].includes(b.confidence), what);
	}
	const c = await ok('/v1/identity_validation', { company: 'Lob', primary_line: '210 King St', zip_code: '94107' }, { key: keys.live_secret });
	assert.equal(String(c.company).toUpperCase(), 'LOB', JSON.stringify(c));
	assert.equal(c.object, 'id_validation');
	assert.equal(c.recipient, undefined);
	const f = await raw('POST', '/v1/identity_validation', { form: 'recipient=Larry+Lobster&primary_line=210+King+St&zip_code=94107' });
	assert.equal(f.status, 200, f.text);
	assert.equal(f.body.object, 'id_validation');
	await invalid('/v1/identity_validation', { primary_line: '210 King St', zip_code: '94107' }, /recipient is required/);
});
