// SPDX-License-Identifier: AGPL-3.0-or-later
// Raw HTTP: authentication, key types, body encodings, limits, validation messages,
// Lob-Version, rate limiting. Every error body is checked against the spec's error schema.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFrank, req, runFrank, lastJsonLine, basic } from './lib/server.mjs';
import { assertResponseMatchesSpec, errorSchemaCheck } from './lib/spec.mjs';

let srv;

before(async () => {
	srv = await startFrank();
});
after(async () => {
	await srv?.stop();
});

const US = {
	name: 'Harry Zhang',
	address_line1: '210 King St',
	address_city: 'San Francisco',
	address_state: 'CA',
	address_zip: '94107',
};

/* request, then check the body against the spec (the error schema for any 4xx/5xx) */
async function call(method, path, opts = {}, s = srv) {
	const r = await req(s, method, path, opts);
	assert.ok(r.body !== undefined, `${method} ${path} → ${r.status}: body is not JSON: ${r.text.slice(0, 300)}`);
	assertResponseMatchesSpec(method, path, r.status, r.body);
	return r;
}

/* assert a Lob error: status, code, and status_code inside the body */
function isError(r, status, code, what = '') {
	assert.equal(r.status, status, `${what} expected ${status} ${code ?? ''}, got ${r.status}: ${r.text}`);
	errorSchemaCheck(r.body);
	assert.equal(r.body.error.status_code, status, `${what} status_code in body`);
	if (code) {
		const codes = Array.isArray(code) ? code : [code];
		assert.ok(codes.includes(r.body.error.code), `${what} expected code ${codes.join('|')}, got ${r.body.error.code}: ${r.text}`);
	}
	assert.equal(typeof r.body.error.message, 'string');
	assert.ok(r.body.error.message.length > 0);
}

async function create422(json, what) {
	const r = await call('POST', '/v1/addresses', { json });
	isError(r, 422, ['invalid', 'bad_request'], what);
	return r.body.error.message;
}

test('GET /healthz → 200', async () => {
	const r = await fetch(srv.baseUrl + '/healthz');
	assert.equal(r.status, 200);
	await r.arrayBuffer();
});

// --- authentication ----------------------------------------------------------------------

test('auth: Basic (key as user, empty password), Bearer and X-API-Key all work', async () => {
	for (const auth of ['basic', 'bearer', 'x-api-key']) {
		const r = await call('GET', '/v1/addresses', { auth });
		assert.equal(r.status, 200, `${auth}: ${r.text}`);
		assert.equal(r.body.object, 'list');
	}
	// curl -u KEY: sends "KEY:"; some clients send the key with no colon at all
	const r = await call('GET', '/v1/addresses', {
		key: null,
		headers: { Authorization: 'Basic ' + Buffer.from(srv.keys.test_secret).toString('base64') },
	});
	assert.ok(r.status === 200 || r.status === 401, `Basic without a colon: ${r.status}`);
});

test('auth: missing key → 401', async () => {
	const r = await call('GET', '/v1/addresses', { key: null });
	isError(r, 401, ['unauthorized', 'invalid_api_key']);
	const p = await call('POST', '/v1/addresses', { key: null, json: US });
	isError(p, 401, ['unauthorized', 'invalid_api_key']);
});

test('auth: wrong or malformed key → 401', async () => {
	const wrong = srv.keys.test_secret.slice(0, -4) + (srv.keys.test_secret.endsWith('aaaa') ? 'bbbb' : 'aaaa');
	for (const [what, opts] of [
		['wrong key', { key: wrong }],
		['unknown test_ key', { key: 'test_0000000000000000000000000000000' }],
		['garbage', { key: 'hello' }],
		['wrong bearer', { key: wrong, auth: 'bearer' }],
		['wrong x-api-key', { key: wrong, auth: 'x-api-key' }],
		['not base64', { key: null, headers: { Authorization: 'Basic %%%not-base64%%%' } }],
		['unknown scheme', { key: null, headers: { Authorization: `Digest ${srv.keys.test_secret}` } }],
	]) {
		const r = await call('GET', '/v1/addresses', opts);
		isError(r, 401, ['unauthorized', 'invalid_api_key'], what + ':');
	}
});

test('auth: a live key cannot see test objects', async () => {
	const c = await call('POST', '/v1/addresses', { json: US });
	assert.equal(c.status, 200, c.text);
	const id = c.body.id;
	const g = await call('GET', `/v1/addresses/${id}`, { key: srv.keys.live_secret });
	isError(g, 404, 'not_found', 'live GET of a test address:');
	const d = await call('DELETE', `/v1/addresses/${id}`, { key: srv.keys.live_secret });
	isError(d, 404, 'not_found', 'live DELETE of a test address:');
	const l = await call('GET', '/v1/addresses?limit=100', { key: srv.keys.live_secret });
	assert.equal(l.status, 200);
	assert.ok(!l.body.data.some((a) => a.id === id), 'live list shows a test address');
	// and the other way round
	const lc = await call('POST', '/v1/addresses', { key: srv.keys.live_secret, json: US });
	assert.equal(lc.status, 200, lc.text);
	const tg = await call('GET', `/v1/addresses/${lc.body.id}`);
	isError(tg, 404, 'not_found', 'test GET of a live address:');
	// the owner still sees it
	assert.equal((await call('GET', `/v1/addresses/${id}`)).status, 200);
});

/*
 * Accounts and keys made with the CLI. These tests use servers of their own, so that a
 * problem with a data dir changed under a running frankd cannot spill into the others.
 */
async function cli(args) {
	const r = await runFrank(args);
	assert.equal(r.code, 0, `frank ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().slice(0, 500)}`);
	return r;
}
const accountsCreate = async (dir) =>
	lastJsonLine((await cli(['accounts', 'create', '--data', dir])).stdout, (x) => !!x.test_secret);
async function keysCreate(dir, account, mode = 'test') {
	const r = await cli(['keys', 'create', '--data', dir, '--account', account, '--mode', mode]);
	const j = lastJsonLine(r.stdout, (x) => !!x.key);
	assert.ok(j?.key, `no "key" in the output of frank keys create: ${r.stdout}`);
	return j.key;
}

test('auth: another account\'s keys cannot see this account\'s objects', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'frank-e2e-acct-'));
	let s2;
	try {
		const init = await cli(['init', '--data', dir]);
		const a = lastJsonLine(init.stdout, (x) => !!x.test_secret);
		const b = await accountsCreate(dir); // before frankd starts: isolation only
		assert.notEqual(b.account_id, a.account_id);
		s2 = await startFrank({ dataDir: dir, keys: a });
		const c = await call('POST', '/v1/addresses', { json: US }, s2);
		assert.equal(c.status, 200, c.text);
		for (const key of [b.test_secret, b.live_secret]) {
			const g = await call('GET', `/v1/addresses/${c.body.id}`, { key }, s2);
			isError(g, 404, 'not_found', 'other account GET:');
			const d = await call('DELETE', `/v1/addresses/${c.body.id}`, { key }, s2);
			isError(d, 404, 'not_found', 'other account DELETE:');
			const l = await call('GET', '/v1/addresses?limit=100', { key }, s2);
			assert.equal(l.status, 200, l.text);
			assert.ok(!l.body.data.some((x) => x.id === c.body.id), 'another account lists this address');
		}
		assert.equal((await call('GET', `/v1/addresses/${c.body.id}`, {}, s2)).status, 200, 'the owner still sees it');
	} finally {
		await s2?.stop();
		await rm(dir, { recursive: true, force: true });
	}
});

test('auth: keys and accounts made with the CLI while frankd runs work at once, and writes go on', async () => {
	const s3 = await startFrank();
	try {
		const before = await call('POST', '/v1/addresses', { json: US }, s3);
		assert.equal(before.status, 200, before.text);
		const key = await keysCreate(s3.dataDir, s3.keys.account_id);
		assert.match(key, /^test_(?!pub_)/);
		const g = await call('GET', `/v1/addresses/${before.body.id}`, { key }, s3);
		assert.equal(g.status, 200, `a key made by \`frank keys create\` while frankd runs: ${g.text}`);
		const b = await accountsCreate(s3.dataDir);
		const l = await call('GET', '/v1/addresses', { key: b.test_secret }, s3);
		assert.equal(l.status, 200, `an account made by \`frank accounts create\` while frankd runs: ${l.text}`);
		for (let i = 0; i < 3; i++) {
			const p = await call('POST', '/v1/addresses', { json: US }, s3);
			assert.equal(p.status, 200, `POST after the CLI wrote to the data dir (try ${i + 1}): ${p.text}`);
		}
	} finally {
		await s3.stop();
	}
});

test('auth: publishable keys are refused on /v1/addresses → 403 publishable_key_not_allowed', async () => {
	assert.match(srv.keys.test_publishable, /^test_pub_/);
	assert.match(srv.keys.live_publishable, /^live_pub_/);
	assert.match(srv.keys.test_secret, /^test_(?!pub_)/);
	assert.match(srv.keys.live_secret, /^live_(?!pub_)/);
	for (const key of [srv.keys.test_publishable, srv.keys.live_publishable]) {
		const g = await call('GET', '/v1/addresses', { key });
		isError(g, 403, 'publishable_key_not_allowed');
		const p = await call('POST', '/v1/addresses', { key, json: US });
		isError(p, 403, 'publishable_key_not_allowed');
	}
});

// --- routing -----------------------------------------------------------------------------

test('unknown path → 404 unrecognized_endpoint; known path, other method → 404', async () => {
	isError(await call('GET', '/v1/nope'), 404, 'unrecognized_endpoint');
	isError(await call('GET', '/v2/addresses'), 404, 'unrecognized_endpoint');
	isError(await call('PUT', '/v1/addresses', { json: US }), 404, 'unrecognized_endpoint');
	const bad = await call('GET', '/v1/addresses/not_an_address');
	isError(bad, 404, ['not_found', 'unrecognized_endpoint']);
});

// --- bodies ------------------------------------------------------------------------------

test('malformed JSON → 422 invalid', async () => {
	for (const body of ['{"name": "x", ', '{name: x}', 'null', '[1,2]', '"str"']) {
		const r = await call('POST', '/v1/addresses', { body, headers: { 'Content-Type': 'application/json' } });
		isError(r, 422, ['invalid', 'bad_request'], `body ${body}:`);
	}
});

test('unsupported Content-Type → 4xx Lob error', async () => {
	const r = await call('POST', '/v1/addresses', { body: 'name=x', headers: { 'Content-Type': 'text/plain' } });
	assert.ok(r.status === 422 || r.status === 415, `got ${r.status}: ${r.text}`);
	errorSchemaCheck(r.body);
});

test('form body with bracket notation creates an address with metadata', async () => {
	const form = new URLSearchParams({
		name: 'Form Person',
		address_line1: '210 King St',
		address_city: 'San Francisco',
		address_state: 'CA',
		address_zip: '94107',
		'metadata[k]': 'v',
		'metadata[customer id]': 'a b+c',
	});
	const r = await call('POST', '/v1/addresses', { form });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.name, 'FORM PERSON');
	assert.deepEqual(r.body.metadata, { k: 'v', 'customer id': 'a b+c' });
	const g = await call('GET', `/v1/addresses/${r.body.id}`);
	assert.deepEqual(g.body, r.body);
	// curl -d style, hand-written with + for spaces
	const r2 = await call('POST', '/v1/addresses', {
		form: 'name=Plus+Person&address_line1=1+Main+St&address_city=Springfield&address_state=IL&address_zip=62701&metadata%5Bx%5D=y',
	});
	assert.equal(r2.status, 200, r2.text);
	assert.equal(r2.body.name, 'PLUS PERSON');
	assert.deepEqual(r2.body.metadata, { x: 'y' });
});

test('multipart body creates an address', async () => {
	const fd = new FormData();
	for (const [k, v] of Object.entries(US)) fd.append(k, v);
	fd.append('metadata[source]', 'multipart');
	const r = await call('POST', '/v1/addresses', { body: fd });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.body.address_line1, '210 KING ST');
	assert.deepEqual(r.body.metadata, { source: 'multipart' });
});

/*
 * Send a big body over a raw socket and read whatever the server answers. A server may
 * answer 413 before the body is in and close: writing then fails (EPIPE/ECONNRESET), but
 * the response must still arrive (servers drain or linger-close for that). The body is a
 * JSON string that never closes: the server must stop at its limit, not parse it.
 */
function bigPost(path, size, { chunked = false } = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(srv.baseUrl + path);
		const sock = net.connect(Number(u.port), u.hostname);
		const head = [
			`POST ${u.pathname} HTTP/1.1`,
			`Host: ${u.host}`,
			`Authorization: ${basic(srv.keys.test_secret)}`,
			'Content-Type: application/json',
			chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${size}`,
			'Connection: close',
			'',
			'',
		].join('\r\n');
		const received = [];
		let writeError = null;
		let stopWriting = false;
		sock.on('data', (d) => {
			received.push(d);
			stopWriting = true;
		});
		sock.on('error', (e) => {
			writeError ??= e;
			stopWriting = true;
		});
		sock.on('close', () => {
			const text = Buffer.concat(received).toString('utf8');
			const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
			if (!m) {
				return reject(new Error(`no HTTP response to a ${size}-byte body (${chunked ? 'chunked' : 'Content-Length'})` +
					(writeError ? `: ${writeError.code || writeError.message}` : '') + ` — received ${JSON.stringify(text.slice(0, 200))}`));
			}
			const sep = text.indexOf('\r\n\r\n');
			const headers = text.slice(0, sep);
			let bodyText = text.slice(sep + 4);
			if (/^transfer-encoding:\s*chunked/im.test(headers)) {
				let out = '';
				let rest = bodyText;
				for (;;) {
					const nl = rest.indexOf('\r\n');
					if (nl < 0) break;
					const n = parseInt(rest.slice(0, nl), 16);
					if (!n) break;
					out += rest.slice(nl + 2, nl + 2 + n);
					rest = rest.slice(nl + 2 + n + 2);
				}
				bodyText = out;
			}
			let body;
			try {
				body = JSON.parse(bodyText);
			} catch {}
			resolve({ status: Number(m[1]), text: bodyText, body, headers });
		});
		const chunk = Buffer.alloc(256 << 10, 'a');
		let sent = 0;
		const frame = (buf) => (chunked ? Buffer.concat([Buffer.from(buf.length.toString(16) + '\r\n'), buf, Buffer.from('\r\n')]) : buf);
		const pump = () => {
			while (!stopWriting && sent < size) {
				let part = chunk.subarray(0, Math.min(chunk.length, size - sent));
				if (sent === 0) part = Buffer.concat([Buffer.from('{"'), part.subarray(2)]);
				sent += part.length;
				if (!sock.write(frame(part))) return sock.once('drain', pump);
			}
			if (!stopWriting && chunked) sock.write('0\r\n\r\n');
		};
		sock.on('connect', () => {
			sock.write(head);
			pump();
		});
	});
}

test('oversized body (20 MB, Content-Length) → 413 Lob error', async () => {
	const r = await bigPost('/v1/addresses', 20 << 20);
	assert.equal(r.status, 413, r.text.slice(0, 300));
	assertResponseMatchesSpec('POST', '/v1/addresses', 413, r.body);
	isError(r, 413);
});

test('oversized body (20 MB, chunked) → 413 Lob error', async () => {
	const r = await bigPost('/v1/addresses', 20 << 20, { chunked: true });
	assert.equal(r.status, 413, r.text.slice(0, 300));
	isError(r, 413);
	// the server is fine afterwards
	assert.equal((await call('GET', '/v1/addresses')).status, 200);
});

// --- validation --------------------------------------------------------------------------

test('missing required field → 422 naming it', async () => {
	const { address_line1, ...noLine1 } = US;
	assert.match(await create422(noLine1, 'no address_line1:'), /address_line1 is required/);
	const { name, ...noName } = US;
	await create422(noName, 'neither name nor company:');
	const { address_zip, ...noZip } = US;
	assert.match(await create422(noZip, 'US without zip:'), /address_zip/);
});

test('too long name (41 chars) → 422 with Lob\'s wording; 40 is fine', async () => {
	const msg = await create422({ ...US, name: 'x'.repeat(41) }, 'name 41:');
	assert.match(msg, /name length must be less than or equal to 40 characters long/);
	const ok = await call('POST', '/v1/addresses', { json: { ...US, name: 'x'.repeat(40) } });
	assert.equal(ok.status, 200, ok.text);
	const msg2 = await create422({ ...US, description: 'd'.repeat(256) }, 'description 256:');
	assert.match(msg2, /description length must be less than or equal to 255 characters long/);
});

test('bad metadata → 422', async () => {
	const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
	await create422({ ...US, metadata: many }, '21 metadata keys:');
	await create422({ ...US, metadata: { ['k'.repeat(41)]: 'v' } }, '41-char metadata key:');
	await create422({ ...US, metadata: { k: 'say "hi"' } }, 'metadata value with ":');
	await create422({ ...US, metadata: { k: 'back\\slash' } }, 'metadata value with \\:');
	await create422({ ...US, metadata: { k: 'v'.repeat(501) } }, '501-char metadata value:');
	await create422({ ...US, metadata: { k: { nested: 'x' } } }, 'nested metadata:');
	const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v']));
	const ok = await call('POST', '/v1/addresses', { json: { ...US, metadata: twenty } });
	assert.equal(ok.status, 200, `20 metadata keys are allowed: ${ok.text}`);
});

test('unknown field and wrong types → 422 with Lob\'s wording', async () => {
	assert.match(await create422({ ...US, foo: 'bar' }, 'unknown field:'), /foo is not allowed/);
	assert.match(await create422({ ...US, name: 123 }, 'numeric name:'), /name must be a string/);
	await create422({ ...US, address_country: 'ZZ' }, 'unknown country:');
});

// --- Lob-Version -------------------------------------------------------------------------

test('Lob-Version: 2024-01-01 ok, 1999-01-01 → 422 unsupported_lob_version', async () => {
	const ok = await call('GET', '/v1/addresses', { headers: { 'Lob-Version': '2024-01-01' } });
	assert.equal(ok.status, 200, ok.text);
	const okPost = await call('POST', '/v1/addresses', { json: US, headers: { 'Lob-Version': '2024-01-01' } });
	assert.equal(okPost.status, 200, okPost.text);
	const old = await call('GET', '/v1/addresses', { headers: { 'Lob-Version': '1999-01-01' } });
	isError(old, 422, 'unsupported_lob_version');
	const junk = await call('GET', '/v1/addresses', { headers: { 'Lob-Version': 'banana' } });
	isError(junk, 422, 'unsupported_lob_version');
});

// --- rate limit --------------------------------------------------------------------------

test('rate limit 5/5: the 6th quick GET → 429 rate_limit_exceeded, with X-Rate-Limit-* headers', async () => {
	const rl = await startFrank({ env: { FRANK_RATE_LIMIT: '5/5' } });
	try {
		const results = [];
		for (let i = 0; i < 6; i++) results.push(await call('GET', '/v1/addresses', {}, rl));
		const now = Math.floor(Date.now() / 1000);
		for (let i = 0; i < 5; i++) {
			const r = results[i];
			assert.equal(r.status, 200, `request ${i + 1}: ${r.text}`);
			const lim = r.headers.get('x-rate-limit-limit');
			const rem = r.headers.get('x-rate-limit-remaining');
			const reset = r.headers.get('x-rate-limit-reset');
			assert.equal(lim, '5', `X-Rate-Limit-Limit on request ${i + 1}`);
			assert.equal(rem, String(4 - i), `X-Rate-Limit-Remaining on request ${i + 1}`);
			assert.match(reset ?? '', /^\d+$/, `X-Rate-Limit-Reset on request ${i + 1}`);
			assert.ok(Number(reset) >= now - 1 && Number(reset) <= now + 10, `X-Rate-Limit-Reset ${reset} is not within the window (now ${now})`);
		}
		isError(results[5], 429, 'rate_limit_exceeded');
		// another key has its own budget
		const other = await call('GET', '/v1/addresses', { key: rl.keys.live_secret }, rl);
		assert.equal(other.status, 200, `live key after the test key hit its limit: ${other.text}`);
	} finally {
		await rl.stop();
	}
});
