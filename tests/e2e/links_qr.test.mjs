// SPDX-License-Identifier: AGPL-3.0-or-later
// Short links, custom domains and QR codes (issue 16) over raw HTTP (SDK 1.4.2 ships no
// DomainsApi, LinksApi or QRCodesApi) and PostcardsApi: /v1/links and /v1/domains with Lob's
// errors; the redirect itself (GET /{slug} with the link host, or a custom domain, as Host →
// 302 and a recorded click; no credentials; no collision with the API on other hosts); QR codes
// on postcards, self-mailers, booklets and letters, each a short link of its own, read off the
// proof by zbarimg, scanned (GET) and listed by /v1/qr_code_analytics. Every API answer is
// checked against the spec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostcardsApi, PostcardEditable } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { sdkApi } from './lib/sdk.mjs';
import { assertResponseMatchesSpec, errorSchemaCheck } from './lib/spec.mjs';
import { pageBarcodes } from './lib/pdftools.mjs';

const LINK_HOST = 'go.frank.test';
const LOB_ASSETS = 'https://lob-assets.com';
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Leore Avidar', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };

let srv;

before(async () => {
	srv = await startFrank({ env: { FRANK_LINK_HOST: LINK_HOST, FRANK_ASSET_URL: LOB_ASSETS } });
});
after(async () => {
	await srv?.stop();
});

/* an API call, its answer checked against the spec */
async function call(method, path, opts = {}) {
	const r = await req(srv, method, path, opts);
	assertResponseMatchesSpec(method, path, r.status, r.body);
	return r;
}

/* GET path on frankd with this Host header and no credentials (fetch cannot set Host) */
function hostGet(path, host, { userAgent = 'links-e2e/1', method = 'GET' } = {}) {
	const u = new URL(srv.baseUrl);
	return new Promise((resolve, reject) => {
		const rq = http.request({ host: u.hostname, port: u.port, path, method, headers: { Host: host, 'User-Agent': userAgent } }, (rs) => {
			let text = '';
			rs.setEncoding('utf8');
			rs.on('data', (d) => (text += d));
			rs.on('end', () => {
				let body;
				try {
					body = text ? JSON.parse(text) : undefined;
				} catch {}
				resolve({ status: rs.statusCode, headers: rs.headers, text, body });
			});
		});
		rq.on('error', reject);
		rq.end();
	});
}

const slugOf = (shortLink) => new URL(shortLink).pathname;

async function linkCount() {
	return (await call('GET', '/v1/links?limit=100')).body.data.length;
}

test('a link: created (JSON and form), retrieved, listed, updated; its redirect answers 302 on the link host only', async () => {
	const r = await call('POST', '/v1/links', { json: { redirect_link: 'https://www.example.com/spring?src=mail', title: 'Spring', metadata: { batch: '7' } } });
	assert.equal(r.status, 200, r.text);
	const l = r.body;
	assert.match(l.id, /^lnk_[0-9a-f]{16}$/);
	assert.match(l.short_link, new RegExp(`^https://${LINK_HOST.replace(/\./g, '\\.')}/[0-9A-Za-z]{10}$`));
	assert.equal(l.redirect_link, 'https://www.example.com/spring?src=mail');
	assert.equal(l.title, 'Spring');
	assert.deepEqual(l.metadata, { batch: '7' });
	assert.ok(l.created_at && l.updated_at && !('date_created' in l));
	assert.equal('domain_id' in l, false, 'a link on the link host names no custom domain');

	const form = await call('POST', '/v1/links', { form: new URLSearchParams({ redirect_link: 'https://www.example.com/form' }) });
	assert.equal(form.status, 200, form.text);
	assert.notEqual(slugOf(form.body.short_link), slugOf(l.short_link), 'random slugs differ');

	const got = await call('GET', `/v1/links/${l.id}`);
	assert.deepEqual(got.body, l);
	const list = await call('GET', '/v1/links?limit=1&include[]=total_count');
	assert.equal(list.body.data.length, 1);
	assert.equal(list.body.data[0].id, form.body.id, 'newest first');
	assert.ok(list.body.next_url, 'a next page');

	// the redirect: no credentials, the link host as Host (any case, any port)
	const go = await hostGet(slugOf(l.short_link), LINK_HOST);
	assert.equal(go.status, 302, go.text);
	assert.equal(go.headers.location, l.redirect_link);
	assert.equal(go.headers['cache-control'], 'no-store');
	const upper = await hostGet(slugOf(l.short_link), `${LINK_HOST.toUpperCase()}:443`);
	assert.equal(upper.status, 302);
	// slugs are case-sensitive
	const swapped = slugOf(l.short_link).replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
	if (swapped !== slugOf(l.short_link)) {
		const miss = await hostGet(swapped, LINK_HOST);
		assert.equal(miss.status, 404);
		errorSchemaCheck(miss.body);
		assert.equal(miss.body.error.code, 'not_found');
	}
	// on the API's own host the slug is no path of the API: no redirect, no collision
	const apiHost = await req(srv, 'GET', slugOf(l.short_link), { key: null });
	assert.equal(apiHost.status, 404);
	assert.equal(apiHost.body.error.code, 'unrecognized_endpoint');
	const healthz = await req(srv, 'GET', '/healthz', { key: null });
	assert.equal(healthz.status, 200, 'the API answers as before on its own host');
	// on the link host the API is not served (and no credentials are asked for)
	const apiOnLinkHost = await hostGet('/v1/links', LINK_HOST);
	assert.equal(apiOnLinkHost.status, 404);
	assert.equal(apiOnLinkHost.body.error.code, 'not_found');

	// update: the redirect follows; metadata stays unless given
	const up = await call('PATCH', `/v1/links/${l.id}`, { json: { redirect_link: 'http://example.org/new', title: 'Renamed' } });
	assert.equal(up.status, 200, up.text);
	assert.equal(up.body.redirect_link, 'http://example.org/new');
	assert.equal(up.body.title, 'Renamed');
	assert.deepEqual(up.body.metadata, { batch: '7' });
	assert.equal(up.body.short_link, l.short_link);
	assert.equal((await hostGet(slugOf(l.short_link), LINK_HOST)).headers.location, 'http://example.org/new');
});

test('custom slugs are exact and case-sensitive; a deleted link answers 404', async () => {
	const a = await call('POST', '/v1/links', { json: { redirect_link: 'https://a.example', slug: 'Spring-Sale' } });
	assert.equal(a.status, 200, a.text);
	assert.equal(a.body.short_link, `https://${LINK_HOST}/Spring-Sale`);
	const again = await call('POST', '/v1/links', { json: { redirect_link: 'https://b.example', slug: 'Spring-Sale' } });
	assert.equal(again.status, 422);
	assert.equal(again.body.error.message, `slug Spring-Sale is already in use on ${LINK_HOST}`);
	const lower = await call('POST', '/v1/links', { json: { redirect_link: 'https://c.example', slug: 'spring-sale' } });
	assert.equal(lower.status, 200, 'another case is another slug');
	assert.equal((await hostGet('/Spring-Sale', LINK_HOST)).headers.location, 'https://a.example');
	assert.equal((await hostGet('/spring-sale', LINK_HOST)).headers.location, 'https://c.example');

	const del = await call('DELETE', `/v1/links/${a.body.id}`);
	assert.equal(del.status, 200);
	assert.deepEqual(del.body, { id: a.body.id, deleted: true });
	const gone = await hostGet('/Spring-Sale', LINK_HOST);
	assert.equal(gone.status, 404);
	errorSchemaCheck(gone.body);
	assert.equal((await call('GET', `/v1/links/${a.body.id}`)).status, 404);
	assert.equal((await call('DELETE', `/v1/links/${a.body.id}`)).status, 404);
	// a deleted slug may be taken again
	const reuse = await call('POST', '/v1/links', { json: { redirect_link: 'https://d.example', slug: 'Spring-Sale' } });
	assert.equal(reuse.status, 200);
	assert.equal((await hostGet('/Spring-Sale', LINK_HOST)).headers.location, 'https://d.example');
});

test('bad links answer Lob errors and store nothing', async () => {
	await call('POST', '/v1/domains', { json: { domain: 'promo.example.net' } });
	const before = await linkCount();
	const bad = [
		[{}, 422, 'redirect_link is required'],
		[{ redirect_link: 'javascript:alert(document.cookie)' }, 422, 'redirect_link must be an http or https URL'],
		[{ redirect_link: 'data:text/html;base64,PHNjcmlwdD4=' }, 422, 'redirect_link must be an http or https URL'],
		[{ redirect_link: 'ftp://files.example.com/a' }, 422, 'redirect_link must be an http or https URL'],
		[{ redirect_link: '/relative' }, 422, 'redirect_link must be an http or https URL'],
		[{ redirect_link: 'https://example.com/a b' }, 422, 'redirect_link must not contain spaces or control characters'],
		[{ redirect_link: `https://${LINK_HOST}/abc` }, 422, `redirect_link points at the short link host ${LINK_HOST} (a redirect loop)`],
		[{ redirect_link: `https://${LINK_HOST.toUpperCase()}:8443/x` }, 422, `redirect_link points at the short link host ${LINK_HOST} (a redirect loop)`],
		[{ redirect_link: 'https://promo.example.net/x' }, 422, 'redirect_link points at the short link domain promo.example.net (a redirect loop)'],
		[{ redirect_link: 'https://example.com', slug: 'a/b' }, 422, /^slug must be 1 to 64 characters/],
		[{ redirect_link: 'https://example.com', slug: 'x'.repeat(65) }, 422, /slug length must be less than or equal to 64/],
		[{ redirect_link: 'https://example.com', domain: 'not-mine.example.org' }, 404, 'domain not-mine.example.org is not one of this account\'s domains'],
		[{ redirect_link: 'https://example.com', colour: 'red' }, 422, 'colour is not allowed'],
	];
	for (const [body, status, msg] of bad) {
		const r = await call('POST', '/v1/links', { json: body });
		assert.equal(r.status, status, `${JSON.stringify(body)} → ${r.text}`);
		if (msg instanceof RegExp) assert.match(r.body.error.message, msg);
		else assert.equal(r.body.error.message, msg);
	}
	assert.equal(await linkCount(), before, 'nothing stored');
	const l = await call('POST', '/v1/links', { json: { redirect_link: 'https://ok.example' } });
	const noLink = await call('PATCH', `/v1/links/${l.body.id}`, { json: { title: 'x' } });
	assert.equal(noLink.status, 422);
	assert.equal(noLink.body.error.message, 'redirect_link is required');
	const loop = await call('PATCH', `/v1/links/${l.body.id}`, { json: { redirect_link: `https://${LINK_HOST}/x` } });
	assert.equal(loop.status, 422);
	assert.equal((await call('GET', `/v1/links/${l.body.id}`)).body.redirect_link, 'https://ok.example', 'unchanged');
	assert.equal((await call('PATCH', '/v1/links/lnk_0000000000000000', { json: { redirect_link: 'https://x.example' } })).status, 404);
	// without credentials the API still refuses
	assert.equal((await req(srv, 'GET', '/v1/links', { key: null })).status, 401);
});

test('custom domains: state, list filter, links on them, redirects by their Host; delete once their links are gone', async () => {
	const d = await call('POST', '/v1/domains', { json: { domain: 'Links.Example.COM', error_redirect_link: 'https://www.example.com/oops' } });
	assert.equal(d.status, 200, d.text);
	assert.match(d.body.id, /^dom_[0-9a-f]{16}$/);
	assert.equal(d.body.domain, 'links.example.com', 'stored as a host name: lower case');
	assert.equal(d.body.status, 'not_configured', 'links.example.com does not point at the link host');
	assert.equal((await call('GET', `/v1/domains/${d.body.id}`)).body.domain, 'links.example.com');
	const notConf = await call('GET', '/v1/domains?status=not_configured&limit=100');
	assert.ok(notConf.body.data.some((x) => x.id === d.body.id));
	assert.equal((await call('GET', '/v1/domains?status=configured')).body.data.length, 0);
	assert.equal((await call('GET', '/v1/domains?status=broken')).status, 422);

	for (const [body, status, msg] of [
		[{}, 422, 'domain is required'],
		[{ domain: 'links.example.com' }, 422, 'domain links.example.com is already registered'],
		[{ domain: LINK_HOST }, 422, `domain ${LINK_HOST} is this Frank's own short link host`],
		[{ domain: 'no_underscores.example' }, 422, 'domain must be a host name such as links.example.com'],
		[{ domain: 'localhost' }, 422, 'domain must be a host name such as links.example.com'],
		[{ domain: 'ok.example.org', error_redirect_link: 'javascript:void(0)' }, 422, 'error_redirect_link must be an http or https URL'],
	]) {
		const r = await call('POST', '/v1/domains', { json: body });
		assert.equal(r.status, status, `${JSON.stringify(body)} → ${r.text}`);
		assert.equal(r.body.error.message, msg);
	}

	const l = await call('POST', '/v1/links', { json: { redirect_link: 'https://shop.example.org/deal', domain: 'links.example.com', slug: 'Deal' } });
	assert.equal(l.status, 200, l.text);
	assert.equal(l.body.short_link, 'https://links.example.com/Deal');
	assert.equal(l.body.domain_id, d.body.id);
	const byDomain = await call('GET', `/v1/links?domain_id=${d.body.id}`);
	assert.deepEqual(byDomain.body.data.map((x) => x.id), [l.body.id]);
	const go = await hostGet('/Deal', 'links.example.com');
	assert.equal(go.status, 302);
	assert.equal(go.headers.location, 'https://shop.example.org/deal');
	assert.equal((await hostGet('/Deal', LINK_HOST)).status, 404, 'a custom domain\'s slug is not the link host\'s');
	// on a custom domain the API's paths stay the API's
	assert.equal((await hostGet('/healthz', 'links.example.com')).status, 200);

	const busy = await call('DELETE', `/v1/domains/${d.body.id}`);
	assert.equal(busy.status, 422);
	assert.equal(busy.body.error.code, 'not_deletable');
	await call('DELETE', `/v1/links/${l.body.id}`);
	// a deleted or unknown link of the domain goes to its error_redirect_link
	for (const slug of ['/Deal', '/Nope']) {
		const e = await hostGet(slug, 'links.example.com');
		assert.equal(e.status, 302, slug);
		assert.equal(e.headers.location, 'https://www.example.com/oops');
	}
	const del = await call('DELETE', `/v1/domains/${d.body.id}`);
	assert.equal(del.status, 200, del.text);
	assert.deepEqual(del.body, { id: d.body.id, deleted: true });
	assert.equal((await call('GET', `/v1/domains/${d.body.id}`)).status, 404);
	const again = await call('POST', '/v1/domains', { json: { domain: 'links.example.com' } });
	assert.equal(again.status, 200, 'a deleted domain may be registered again');
	const noErrorLink = await hostGet('/Deal', 'links.example.com');
	assert.equal(noErrorLink.status, 404, 'a domain without error_redirect_link: the API\'s 404');
	errorSchemaCheck(noErrorLink.body);
});

async function rendered(kind, id, ms = 30000) {
	const end = Date.now() + ms;
	for (;;) {
		const r = await call('GET', `/v1/${kind}/${id}`);
		if (r.body.status !== 'processed') {
			assert.equal(r.body.status, 'rendered', JSON.stringify(r.body.failure_reason ?? r.body));
			return r.body;
		}
		if (Date.now() > end) assert.fail(`${id} still processed`);
		await sleep(100);
	}
}

async function proof(url) {
	const u = new URL(url);
	const r = await fetch(srv.baseUrl + u.pathname + u.search);
	assert.equal(r.status, 200);
	return Buffer.from(await r.arrayBuffer());
}

async function analytics(query = '') {
	const r = await call('GET', `/v1/qr_code_analytics${query}`);
	assert.equal(r.status, 200, r.text);
	return r.body;
}

async function scansOf(id, want, ms = 10000) {
	const end = Date.now() + ms;
	for (;;) {
		const a = await analytics(`?resource_ids[]=${id}`);
		const row = a.data.find((x) => x.resource_id === id);
		if (row && row.number_of_scans >= want) return row;
		if (Date.now() > end) assert.fail(`${id}: ${JSON.stringify(row)} after ${ms} ms`);
		await sleep(50);
	}
}

test('a postcard with a QR code: the proof carries a short link; scanning it redirects and shows in qr_code_analytics', async () => {
	const postcards = sdkApi(PostcardsApi, srv.baseUrl, srv.keys.test_secret);
	const created = await postcards.create(new PostcardEditable({
		to, from, use_type: 'marketing', size: '4x6',
		front: '<html><body style="margin:0"><h1 style="margin-left:3in">Hi {{name}}</h1></body></html>',
		back: '<html><body><p>Sale this week.</p></body></html>',
		merge_variables: { name: 'Harry' },
		qr_code: { position: 'relative', redirect_url: 'https://www.example.com/offer?who={{name}}', width: '1.5', top: '0.5', left: '0.5' },
	}));
	assert.match(created.id, /^psc_/);
	const pc = await rendered('postcards', created.id);
	assert.equal(pc.qr_code.redirect_url, 'https://www.example.com/offer?who={{name}}', 'the object keeps the customer\'s qr_code');
	const codes = await pageBarcodes(await proof(pc.url), 1);
	const qr = codes.find((c) => c.type === 'QR-Code');
	assert.ok(qr, `no QR code on the front: ${JSON.stringify(codes)}`);
	assert.match(qr.data, new RegExp(`^https://${LINK_HOST.replace(/\./g, '\\.')}/[0-9A-Za-z]{10}$`), 'the code is a short link');
	const back = await pageBarcodes(await proof(pc.url), 2);
	assert.ok(!back.some((c) => c.type === 'QR-Code'), 'pages defaults to the front only');

	// before any scan
	const unscanned = await analytics(`?scanned=false&resource_ids[]=${pc.id}`);
	assert.deepEqual(unscanned.data.map((x) => [x.resource_id, x.number_of_scans, x.scans.length]), [[pc.id, 0, 0]]);
	assert.equal(unscanned.scanned_count, 0);

	const scan = await hostGet(new URL(qr.data).pathname, new URL(qr.data).host, { userAgent: 'Phone camera' });
	assert.equal(scan.status, 302);
	assert.equal(scan.headers.location, 'https://www.example.com/offer?who=Harry', 'merge variables in redirect_url');
	const row = await scansOf(pc.id, 1);
	assert.equal(row.number_of_scans, 1);
	assert.equal(row.scans[0].ip_location, '127.0.0.0/24', 'the address is kept cut to its /24');
	assert.ok(Math.abs(Date.parse(row.scans[0].scan_date) - Date.now()) < 60000, 'scan_date is the scan\'s time');
	await hostGet(new URL(qr.data).pathname, new URL(qr.data).host);
	const two = await scansOf(pc.id, 2);
	assert.ok(two.scans[0].scan_date >= two.scans[1].scan_date, 'newest scan first');

	// filters and envelope
	const scanned = await analytics('?scanned=true&include=total_count');
	assert.ok(scanned.data.some((x) => x.resource_id === pc.id));
	assert.equal(scanned.scanned_count, scanned.count);
	assert.equal(scanned.total_count, scanned.count);
	assert.equal((await analytics(`?scanned=false&resource_ids[]=${pc.id}`)).data.length, 0);
	assert.equal((await analytics('?resource_ids[]=psc_0000000000000000')).data.length, 0);
	assert.equal((await analytics(`?date_created[gt]=${new Date(Date.now() + 86400000).toISOString()}`)).data.length, 0);
	assert.equal((await analytics(`?date_created[lt]=${new Date(Date.now() + 86400000).toISOString()}&resource_ids=${pc.id}`)).data.length, 1);
	for (const [q, msg] of [['?scanned=maybe', 'scanned must be a boolean'], ['?limit=0', /limit/], [`?resource_ids=${Array.from({ length: 101 }, (_, i) => `psc_${i}`).join(',')}`, 'resource_ids must contain less than or equal to 100 items']]) {
		const r = await call('GET', `/v1/qr_code_analytics${q}`);
		assert.equal(r.status, 422, q);
		if (msg instanceof RegExp) assert.match(r.body.error.message, msg);
		else assert.equal(r.body.error.message, msg);
	}
	// QR codes' links are the pieces', not /v1/links objects
	assert.ok(!(await call('GET', '/v1/links?limit=100')).body.data.some((x) => x.short_link === qr.data));
});

test('QR codes on self-mailers, booklets and letters; page names per product; bad qr_code refused', async () => {
	const qr = (extra = {}) => ({ position: 'relative', redirect_url: 'https://www.example.com/sm', width: 1.5, bottom: 1, right: 1, ...extra });
	const sm = await call('POST', '/v1/self_mailers', { json: { to, from, use_type: 'marketing', inside: '<html><body>Inside</body></html>', outside: '<html><body>Outside</body></html>', qr_code: qr({ pages: 'outside' }) } });
	assert.equal(sm.status, 200, sm.text);
	const smDone = await rendered('self_mailers', sm.body.id);
	const outside = await pageBarcodes(await proof(smDone.url), 2);
	const code = outside.find((c) => c.type === 'QR-Code');
	assert.ok(code, `no QR code on the outside: ${JSON.stringify(outside)}`);
	assert.ok(!(await pageBarcodes(await proof(smDone.url), 1)).some((c) => c.type === 'QR-Code'), 'not on the inside');
	assert.equal((await hostGet(new URL(code.data).pathname, LINK_HOST)).headers.location, 'https://www.example.com/sm');
	await scansOf(sm.body.id, 1);

	const bk = await call('POST', '/v1/booklets', { json: { to, from, use_type: 'marketing', size: '8.375x5.375', pages: 8, file: `<html><body style="margin:0">${Array.from({ length: 8 }, (_, i) => `<div style="height:100vh;page-break-after:always">Page ${i + 1}</div>`).join('')}</body></html>`, qr_code: qr({ pages: '1,3', redirect_url: 'https://www.example.com/bk' }) } });
	assert.equal(bk.status, 200, bk.text);
	const lt = await call('POST', '/v1/letters', { json: { to, from, use_type: 'marketing', color: false, file: '<html><body><p>Letter</p></body></html>', qr_code: qr({ pages: '1', redirect_url: 'https://www.example.com/lt' }) } });
	assert.equal(lt.status, 200, lt.text);
	const both = await analytics(`?resource_ids[]=${bk.body.id}&resource_ids[]=${lt.body.id}`);
	assert.deepEqual(both.data.map((x) => x.resource_id).sort(), [bk.body.id, lt.body.id].sort(), 'each piece has its QR code\'s link');
	const bkDone = await rendered('booklets', bk.body.id);
	const page3 = await pageBarcodes(await proof(bkDone.url), 3);
	assert.ok(page3.some((c) => c.type === 'QR-Code' && c.data.startsWith(`https://${LINK_HOST}/`)), `booklet page 3: ${JSON.stringify(page3)}`);

	const bad = [
		['/v1/postcards', { to, from, use_type: 'marketing', front: '<p>f</p>', back: '<p>b</p>', qr_code: qr({ pages: 'inside' }) }, 'qr_code.pages must be "front", "back" or "front,back"'],
		['/v1/postcards', { to, from, use_type: 'marketing', front: '<p>f</p>', back: '<p>b</p>', qr_code: qr({ width: 5 }) }, 'qr_code does not fit on a 6.25"x4.25" page'],
		['/v1/self_mailers', { to, from, use_type: 'marketing', inside: '<p>i</p>', outside: '<p>o</p>', qr_code: qr({ pages: 'front' }) }, 'qr_code.pages must be "inside", "outside" or "inside,outside"'],
		['/v1/postcards', { to, from, use_type: 'marketing', front: '<p>f</p>', back: '<p>b</p>', qr_code: qr({ redirect_url: 'javascript:alert(1)' }) }, 'qr_code.redirect_url must be an http or https URL'],
		['/v1/postcards', { to, from, use_type: 'marketing', front: '<p>f</p>', back: '<p>b</p>', qr_code: qr({ redirect_url: `https://${LINK_HOST}/loop` }) }, `qr_code.redirect_url points at the short link host ${LINK_HOST} (a redirect loop)`],
	];
	const count = (await analytics('?limit=100')).data.length;
	for (const [path, body, msg] of bad) {
		const r = await call('POST', path, { json: body });
		assert.equal(r.status, 422, `${path} ${JSON.stringify(body.qr_code)} → ${r.text}`);
		assert.equal(r.body.error.message, msg);
	}
	assert.equal((await analytics('?limit=100')).data.length, count, 'no link for a refused piece');
});

test('without --link-host: /v1/links needs a domain, and a QR code encodes its redirect_url itself', async () => {
	const plain = await startFrank({ env: { FRANK_ASSET_URL: LOB_ASSETS } });
	try {
		const r = await req(plain, 'POST', '/v1/links', { json: { redirect_link: 'https://example.com' } });
		assertResponseMatchesSpec('POST', '/v1/links', r.status, r.body);
		assert.equal(r.status, 422);
		assert.equal(r.body.error.message, 'domain is required: this Frank has no short link host (frankd --link-host)');
		const pc = await req(plain, 'POST', '/v1/postcards', { json: { to, from, use_type: 'marketing', front: '<html><body></body></html>', back: '<html><body></body></html>', qr_code: { position: 'relative', redirect_url: 'https://www.example.com/direct', width: 1.5, top: 0.5, left: 0.5, pages: 'front' } } });
		assert.equal(pc.status, 200, pc.text);
		let body;
		for (let i = 0; i < 300; i++) {
			body = (await req(plain, 'GET', `/v1/postcards/${pc.body.id}`)).body;
			if (body.status !== 'processed') break;
			await sleep(100);
		}
		assert.equal(body.status, 'rendered');
		const u = new URL(body.url);
		const pdf = Buffer.from(await (await fetch(plain.baseUrl + u.pathname + u.search)).arrayBuffer());
		const codes = await pageBarcodes(pdf, 1);
		assert.deepEqual(codes.filter((c) => c.type === 'QR-Code').map((c) => c.data), ['https://www.example.com/direct']);
		const a = await req(plain, 'GET', '/v1/qr_code_analytics');
		assert.equal(a.body.count, 0, 'no short link, nothing to count');
	} finally {
		await plain.stop();
	}
});
