// SPDX-License-Identifier: AGPL-3.0-or-later
// The dashboard's templates, addresses and verification pages (issue 18), in real Chromium:
// a template made in the browser, a second version saved and published, its preview rendered
// by Frank (a PNG and a PDF of Frank's own links, the merge variable applied); an address
// refused with Lob's message then made; one address verified; a CSV verified in bulk and
// downloaded; what a viewer may not do; axe-core on every page, a screenshot of each, one
// page at 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { req } from './lib/server.mjs';
import { pdfText } from './lib/pdftools.mjs';
import { startDashboard, openBrowser, signIn, shot, axeSerious, httpSession } from './lib/dashboard.mjs';

let d, b;
before(async () => {
	d = await startDashboard();
	b = await openBrowser();
	b.page.on('dialog', (dlg) => dlg.accept()); // data-confirm asks before deleting
	await signIn(b.page, d, d.member);
});
after(async () => {
	await b?.browser.close();
	await d?.stop();
});

async function checked(page, name) {
	assert.deepEqual(await axeSerious(page), [], `axe on ${name}`);
	await shot(page, name);
}
/* console errors and CSP refusals; a form refused with 422 (re-rendered with Lob's message, the
 * dashboard's rule for form errors) is logged by Chromium as a failed load, and is expected */
const problems = () => b.problems.filter((p) => !/Failed to load resource: the server responded with a status of 422/.test(p));
const mainText = async (page) => (await page.locator('main').textContent()).replace(/\s+/g, ' ');

/* a session's multipart form (the CSV upload) over raw HTTP */
async function upload(s, csv, name = 'addresses.csv') {
	const form = new FormData();
	form.set('_csrf', s.csrf);
	form.set('file', new Blob([csv], { type: 'text/csv' }), name);
	return fetch(`${d.baseUrl}/dashboard/verify/csv`, { method: 'POST', headers: { cookie: s.cookie }, body: form, redirect: 'manual' });
}

/* RFC 4180 enough for the results: quoted cells with doubled quotes */
function parseCsv(text) {
	const rows = [];
	let row = [], cell = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
		} else if (c === '"') q = true;
		else if (c === ',') { row.push(cell); cell = ''; }
		else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
		else cell += c;
	}
	if (cell || row.length) { row.push(cell); rows.push(row); }
	return rows;
}

test('templates: empty state, create, save a second version, publish it, preview it with a merge variable', async () => {
	const { page } = b;
	await page.goto(`${d.baseUrl}/dashboard/templates`);
	assert.match(await mainText(page), /No templates yet/);
	await checked(page, 'templates-empty');
	await page.getByRole('link', { name: 'Make your first template' }).click();
	await page.waitForURL(/\/dashboard\/templates\/new$/);
	await checked(page, 'template-new');
	// Lob's refusal first: HTML that does not compile, kept in the form
	await page.getByLabel('Description').fill('Welcome letter');
	await page.getByLabel('HTML', { exact: true }).fill('<html><body>{{#if name}}unclosed</body></html>');
	await page.getByRole('button', { name: 'Create template' }).click();
	await page.waitForSelector('p.error');
	const refused = await req(d, 'POST', '/v1/templates', { json: { html: '<html><body>{{#if name}}unclosed</body></html>', engine: 'handlebars' } });
	assert.equal(refused.status, 422);
	assert.equal(await page.locator('p.error').textContent(), refused.body.error.message, "Lob's message in the form");
	assert.equal(await page.getByLabel('Description').inputValue(), 'Welcome letter', 'input kept');
	await page.getByLabel('HTML', { exact: true }).fill('<html><body><h1>First draft for {{name}}</h1></body></html>');
	await page.getByRole('button', { name: 'Create template' }).click();
	await page.waitForURL(/\/dashboard\/templates\/tmpl_[A-Za-z0-9]+$/);
	const id = page.url().split('/').pop();
	assert.match(await page.locator('.notice').textContent(), /Template created/);
	assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Welcome letter');
	const editor = page.getByLabel('HTML of the new version');
	assert.equal(await editor.evaluate((el) => getComputedStyle(el).fontFamily.includes('monospace') || /Mono|Consolas|Menlo/.test(getComputedStyle(el).fontFamily)), true, 'a monospace editor');
	const first = (await req(d, 'GET', `/v1/templates/${id}`)).body.published_version.id;
	// a second version, then publish it
	await editor.fill('<html><body><div class="big"><h1>Hello {{name}}, welcome aboard</h1></div></body></html>');
	await page.getByLabel('Description of the new version').fill('Second');
	await page.getByRole('button', { name: 'Save as new version' }).click();
	await page.waitForSelector('.notice');
	const saved = /version (vrsn_[A-Za-z0-9]+)/.exec(await page.locator('.notice').textContent())?.[1];
	assert.ok(saved, 'the notice names the new version');
	assert.equal(await page.locator('table tbody tr').count(), 2, 'two versions listed');
	let t = (await req(d, 'GET', `/v1/templates/${id}`)).body;
	assert.equal(t.published_version.id, first, 'saving does not publish');
	await page.getByRole('button', { name: `Publish version ${saved}` }).click();
	await page.waitForSelector('.notice');
	assert.match(await page.locator('.notice').textContent(), new RegExp(`Version ${saved} is published`));
	t = (await req(d, 'GET', `/v1/templates/${id}`)).body;
	assert.equal(t.published_version.id, saved, 'published through the API');
	assert.deepEqual(t.published_version.merge_variables.keys, ['name']);
	// the preview: the sample variables are prefilled from the version's variables
	const vars = page.getByLabel('Sample merge variables (JSON)');
	assert.deepEqual(JSON.parse(await vars.inputValue()), { name: 'name' });
	await vars.fill('{"name": "not json');
	await page.getByRole('button', { name: 'Render preview' }).click();
	await page.waitForSelector('#preview-error');
	assert.match(await page.locator('#preview-error').textContent(), /not valid JSON/);
	assert.equal(await vars.inputValue(), '{"name": "not json', 'the variables are kept');
	await vars.fill('{"name": "Zelda Zebra"}');
	const started = Date.now();
	await page.getByRole('button', { name: 'Render preview' }).click();
	const img = page.locator('img[data-preview-image]');
	await img.waitFor({ timeout: 90000 }); // frank.js looks again until the render is done
	console.log(`# preview rendered and shown in ${Date.now() - started} ms`);
	assert.equal(new URL(page.url()).searchParams.get('proof')?.startsWith('res_prf_'), true);
	const src = await img.getAttribute('src');
	assert.match(src, /^\/[a-z_]+\/[A-Za-z0-9_]+\.png\?expires=\d+&signature=/, "the image is Frank's signed PNG link on this origin, not the customer HTML");
	const size = await img.evaluate((el) => el.complete ? [el.naturalWidth, el.naturalHeight] : null);
	assert.ok(size && size[0] > 200 && size[1] > size[0], `a letter-shaped PNG (${size})`);
	const png = Buffer.from(await (await fetch(d.baseUrl + src)).arrayBuffer());
	assert.equal(png.subarray(1, 4).toString(), 'PNG');
	const pdfHref = await page.getByRole('link', { name: 'Open the preview as PDF' }).getAttribute('href');
	const pdf = Buffer.from(await (await fetch(d.baseUrl + pdfHref)).arrayBuffer());
	const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
	assert.match(text, /Hello Zelda Zebra, welcome aboard/, 'the published version, merged');
	assert.doesNotMatch(text, /First draft/);
	assert.deepEqual(JSON.parse(await vars.inputValue()), { name: 'Zelda Zebra' }, 'variables kept after the render');
	assert.equal(await page.locator('main iframe').count(), 0);
	await checked(page, 'template-preview');
	// the list
	await page.goto(`${d.baseUrl}/dashboard/templates`);
	const row = page.locator('tbody tr', { hasText: id });
	assert.match(await row.textContent(), /Welcome letter/);
	assert.match(await row.textContent(), new RegExp(saved));
	await checked(page, 'templates-list');
	// delete, with a confirmation
	await page.goto(`${d.baseUrl}/dashboard/templates/${id}`);
	await page.getByRole('button', { name: 'Delete template' }).click();
	await page.waitForURL(/\/dashboard\/templates$/);
	assert.match(await page.locator('.notice').textContent(), /was deleted/);
	assert.equal((await req(d, 'GET', `/v1/templates/${id}`)).status, 404);
	assert.deepEqual(problems(), []);
});

test('templates list pages through the API cursors', async () => {
	for (let i = 0; i < 22; i++) {
		const r = await req(d, 'POST', '/v1/templates', { json: { html: `<p>Page test ${i}</p>`, description: `Paged ${i}` } });
		assert.equal(r.status, 200, r.text);
	}
	const { page } = b;
	await page.goto(`${d.baseUrl}/dashboard/templates`);
	assert.equal(await page.locator('tbody tr').count(), 20);
	assert.match(await page.locator('tbody tr').first().textContent(), /Paged 21/);
	const total = (await req(d, 'GET', '/v1/templates?include[]=total_count')).body.total_count;
	await page.getByRole('link', { name: 'Older templates' }).click();
	await page.waitForURL(/after=/);
	assert.equal(await page.locator('tbody tr').count(), Math.min(20, total - 20));
	assert.match(await mainText(page), /Paged 0/);
	await page.getByRole('link', { name: 'Newer templates' }).click();
	await page.waitForURL(/before=/);
	assert.equal(await page.locator('tbody tr').count(), 20);
});

test("addresses: empty state, Lob's error in the form with the input kept, create, find, delete", async () => {
	const { page } = b;
	await page.goto(`${d.baseUrl}/dashboard/addresses`);
	assert.match(await mainText(page), /No addresses yet/);
	await checked(page, 'addresses-empty');
	await page.getByRole('link', { name: 'New address' }).click();
	await page.waitForURL(/\/dashboard\/addresses\/new$/);
	await page.getByLabel('Name').fill('Ada Lovelace');
	await page.getByLabel('Address line 1').fill('185 Berry St');
	await page.getByLabel('City').fill('San Francisco');
	await page.getByLabel('State').fill('CA');
	await page.getByLabel('ZIP or postal code').fill('9410');
	await page.getByRole('button', { name: 'Create address' }).click();
	await page.waitForSelector('p.error');
	const lob = await req(d, 'POST', '/v1/addresses', { json: { name: 'Ada Lovelace', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '9410', address_country: 'US' } });
	assert.equal(lob.status, 422, lob.text);
	assert.equal(await page.locator('p.error').textContent(), lob.body.error.message);
	assert.equal(await page.getByLabel('Name').inputValue(), 'Ada Lovelace', 'input kept');
	assert.equal(await page.getByLabel('ZIP or postal code').inputValue(), '9410');
	await checked(page, 'address-new-error');
	await page.getByLabel('ZIP or postal code').fill('94107');
	await page.getByRole('button', { name: 'Create address' }).click();
	await page.waitForURL(/\/dashboard\/addresses\/adr_[A-Za-z0-9]+$/);
	const id = page.url().split('/').pop();
	assert.match(await mainText(page), /ADA LOVELACE/);
	assert.match(await mainText(page), /185 BERRY ST/);
	await checked(page, 'address');
	await page.goto(`${d.baseUrl}/dashboard/addresses`);
	assert.equal(await page.locator('tbody tr').count(), 1);
	await checked(page, 'addresses-list');
	await page.getByLabel('Find an address by id').fill(id);
	await page.getByRole('button', { name: 'Find' }).click();
	await page.waitForURL(/\?id=/);
	assert.match(await page.locator('tbody').textContent(), new RegExp(id));
	await page.goto(`${d.baseUrl}/dashboard/addresses?id=adr_nosuchaddress`);
	assert.match(await mainText(page), /No address has the id adr_nosuchaddress/);
	await page.goto(`${d.baseUrl}/dashboard/addresses/${id}`);
	await page.getByRole('button', { name: 'Delete address' }).click();
	await page.waitForURL(/\/dashboard\/addresses$/);
	assert.match(await page.locator('.notice').textContent(), /was deleted/);
	assert.equal((await req(d, 'GET', `/v1/addresses/${id}`)).status, 404);
	assert.deepEqual(problems(), []);
});

test('verify one US address: deliverable, standardized lines, components, footnotes', async () => {
	const { page } = b;
	await page.goto(`${d.baseUrl}/dashboard/verify`);
	await checked(page, 'verify');
	await page.getByLabel('Primary line').first().fill('residential house');
	await page.getByLabel('ZIP code').fill('11111');
	await page.getByRole('button', { name: 'Verify US address' }).click();
	await page.waitForSelector('#us-result');
	assert.equal(await page.locator('[data-deliverability]').textContent(), 'deliverable');
	const result = (await page.locator('#us-result').textContent()).replace(/\s+/g, ' ');
	assert.match(result, /1709 BRODERICK ST/);
	assert.match(result, /SAN FRANCISCO CA 94115-2525/);
	assert.match(result, /zip_code_plus_4\s*2525/);
	assert.match(result, /AA\s*The street, city, state and ZIP code match/);
	assert.match(result, /latitude\s*37\.786029686706/, 'numbers in full');
	assert.equal(await page.getByLabel('ZIP code').inputValue(), '11111', 'the form keeps the input');
	assert.equal(await page.locator('#intl-primary_line').inputValue(), '', 'only the form that was sent');
	await checked(page, 'verify-us-result');
	await page.getByLabel('Country (two letters)').fill('CA');
	await page.locator('#intl-primary_line').fill('deliverable');
	await page.getByRole('button', { name: 'Verify international address' }).click();
	await page.waitForSelector('#intl-result');
	const intl = await req(d, 'POST', '/v1/intl_verifications', { json: { primary_line: 'deliverable', country: 'CA' } });
	assert.equal(intl.status, 200, intl.text);
	assert.equal(await page.locator('#intl-result strong.badge').textContent(), intl.body.deliverability, "the API's answer");
	assert.match(await page.locator('#intl-result').textContent(), new RegExp(intl.body.primary_line));
	await checked(page, 'verify-intl-result');
	assert.deepEqual(problems(), []);
});

test('verify a CSV: 5 rows verified in bulk, downloaded with the results; bad files answered clearly', async () => {
	const { page } = b;
	const csv = 'primary_line,secondary_line,city,state,zip_code,note\n' +
		'deliverable,,,,11111,"first, with a comma"\n' +
		'residential house,,,,11111,second\n' +
		'missing unit,,,,11111,third\n' +
		'undeliverable no match,,,,11111,fourth\n' +
		'deliverable,,San Francisco,CA,94107,=SUM(1)\n';
	await page.goto(`${d.baseUrl}/dashboard/verify`);
	await page.getByLabel('CSV file').setInputFiles({ name: 'five.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Verify the CSV and download the results' }).click(),
	]);
	assert.equal(download.suggestedFilename(), 'verified-addresses.csv');
	const rows = parseCsv(await readFile(await download.path(), 'utf8'));
	assert.equal(rows.length, 6, 'a header and five rows');
	const h = rows[0];
	assert.deepEqual(h.slice(0, 6), ['primary_line', 'secondary_line', 'city', 'state', 'zip_code', 'note']);
	const col = (name) => h.indexOf(name);
	for (const name of ['deliverability', 'verified_primary_line', 'verified_last_line', 'verified_zip_code', 'dpv_confirmation', 'error']) assert.ok(col(name) > 5, name);
	assert.deepEqual(rows.slice(1).map((r) => r[col('deliverability')]), ['deliverable', 'deliverable', 'deliverable_missing_unit', 'undeliverable', 'deliverable']);
	assert.equal(rows[1][col('note')], 'first, with a comma', 'input columns kept');
	assert.equal(rows[1][col('verified_primary_line')], '1 TELEGRAPH HILL BLVD');
	assert.equal(rows[2][col('verified_primary_line')], '1709 BRODERICK ST');
	assert.equal(rows[2][col('verified_zip_code')], '94115');
	assert.equal(rows[5][col('note')], "'=SUM(1)", 'a formula cell is defused');
	// raw HTTP: the headers of the answer, and the bad files
	const s = await httpSession(d, d.member);
	let r = await upload(s, csv);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	assert.match(r.headers.get('content-disposition'), /^attachment; filename="verified-addresses.csv"$/);
	const bad = [
		['primary_line,zip_code\n"deliverable,11111\n', /not a valid CSV: line 2/],
		['street,postcode\n1 Main St,11111\n', /must name the columns/],
		['primary_line,zip_code\n', /no addresses/],
		['primary_line,zip_code\n' + 'deliverable,11111\n'.repeat(1001), /more than 1000 addresses/],
	];
	for (const [text, message] of bad) {
		r = await upload(s, text);
		assert.equal(r.status, 422, String(message));
		assert.match(r.headers.get('content-type'), /^text\/html/);
		assert.match(await r.text(), message);
	}
	// the page shows the error in the browser too
	await page.goto(`${d.baseUrl}/dashboard/verify`);
	await page.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad[1][0]) });
	await page.getByRole('button', { name: 'Verify the CSV and download the results' }).click();
	await page.waitForSelector('#csv-error');
	await checked(page, 'verify-csv-error');
	assert.deepEqual(problems(), []);
});

test('a viewer sees the pages but no form, and every write is refused', async () => {
	const s = await httpSession(d, d.viewer);
	for (const path of ['/dashboard/templates', '/dashboard/addresses', '/dashboard/verify']) {
		const r = await s.get(path);
		assert.equal(r.status, 200, path);
		const html = await r.text();
		assert.doesNotMatch(html, /method="post" action="\/dashboard\/(templates|addresses|verify)/, `${path}: no form`);
		assert.doesNotMatch(html, /New template|New address/);
	}
	assert.equal((await s.get('/dashboard/templates/new')).status, 403);
	assert.equal((await s.get('/dashboard/addresses/new')).status, 403);
	const tmpl = (await req(d, 'POST', '/v1/templates', { json: { html: '<p>x</p>' } })).body.id;
	const adr = (await req(d, 'POST', '/v1/addresses', { json: { name: 'X', address_line1: '1 Main St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' } })).body.id;
	const page = await (await s.get(`/dashboard/templates/${tmpl}`)).text();
	assert.doesNotMatch(page, /Save as new version|Render preview|Delete template/);
	const posts = [
		['/dashboard/templates', { html: '<p>x</p>' }],
		[`/dashboard/templates/${tmpl}/versions`, { html: '<p>y</p>' }],
		[`/dashboard/templates/${tmpl}/publish`, { version: 'vrsn_x' }],
		[`/dashboard/templates/${tmpl}/preview`, { merge_variables: '{}' }],
		[`/dashboard/templates/${tmpl}/delete`, {}],
		['/dashboard/addresses', { name: 'X', address_line1: '1 Main St', address_zip: '94107' }],
		[`/dashboard/addresses/${adr}/delete`, {}],
		['/dashboard/verify/us', { primary_line: 'deliverable', zip_code: '11111' }],
	];
	for (const [path, form] of posts) assert.equal((await s.post(path, form)).status, 403, path);
	assert.equal((await upload(s, 'primary_line,zip_code\ndeliverable,11111\n')).status, 403);
	assert.equal((await req(d, 'GET', `/v1/templates/${tmpl}`)).status, 200, 'still there');
	assert.equal((await req(d, 'GET', `/v1/addresses/${adr}`)).status, 200, 'still there');
});

test('the template page at 390 px: no sideways scrolling', async () => {
	const tmpl = (await req(d, 'POST', '/v1/templates', { json: { description: 'Phone', html: '<html><body><p>A rather long line of HTML that must scroll inside the editor rather than the page {{name}}</p></body></html>', engine: 'handlebars' } })).body.id;
	const phone = await b.context.newPage();
	await phone.setViewportSize({ width: 390, height: 844 });
	for (const path of [`/dashboard/templates/${tmpl}`, '/dashboard/verify', '/dashboard/addresses/new']) {
		await phone.goto(`${d.baseUrl}${path}`);
		const width = await phone.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(width <= 390, `${path}: no sideways scrolling (page is ${width} px wide)`);
	}
	await phone.goto(`${d.baseUrl}/dashboard/templates/${tmpl}`);
	await shot(phone, 'template-phone');
	await phone.close();
});
