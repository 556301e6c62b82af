// SPDX-License-Identifier: AGPL-3.0-or-later
// frank render and frank barcode: the documents engine without the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFrank, repoRoot } from './lib/server.mjs';
import { pageBarcodes, pdfText } from './lib/pdftools.mjs';

test('frank barcode imb prints the USPS-B-3200 bars; impb builds a valid tracking number', async () => {
	const r = await runFrank(['barcode', 'imb', '01234567094987654321', '01234567891']);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(r.stdout.trim(), 'AADTFFDFTDADTAADAATFDTDDAAADDTDTTDAFADADDDTFFFDDTTTADFAAADFTDAADA');
	const p = await runFrank(['barcode', 'impb', '071', '999999999', '7']);
	assert.equal(p.code, 0, p.stderr);
	const [pic] = p.stdout.trim().split('\n');
	assert.match(pic, /^92071999999999\d{8}$/);
	assert.equal((await runFrank(['barcode', 'impb-check', pic])).code, 0);
	const bad = await runFrank(['barcode', 'impb-check', pic.slice(0, -1) + ((Number(pic.at(-1)) + 1) % 10)]);
	assert.equal(bad.code, 1);
	assert.match(bad.stderr, /check digit/i);
});

const TO = '{"name":"HARRY ZHANG","address_line1":"210 KING ST","address_city":"SAN FRANCISCO","address_state":"CA","address_zip":"94107"}';
const FROM = '{"name":"LEORE AVIDAR","address_line1":"185 BERRY ST","address_city":"SAN FRANCISCO","address_state":"CA","address_zip":"94107"}';

async function inTmp(fn) {
	const dir = await mkdtemp(join(tmpdir(), 'frank-render-'));
	try {
		return await fn(dir);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

test('frank render --product letter writes a stamped proof and thumbnails', () => inTmp(async (dir) => {
	const out = join(dir, 'letter.pdf');
	const r = await runFrank(['render', '--product', 'letter', '--input', join(repoRoot, 'examples/letter.html'),
		'--merge', '{"name":"Harry"}', '--to', TO, '--from', FROM,
		'--options', '{"extra_service":"certified"}', '-o', out, '--thumbs', dir]);
	assert.equal(r.code, 0, r.stderr);
	const res = JSON.parse(r.stdout);
	assert.deepEqual({ ...res, renderer: undefined }, { output: out, pages: 3, renderer: undefined,
		envelope: '#10 certified, single large window' });
	assert.ok(['chromium', 'mupdf'].includes(res.renderer));
	const pdf = await readFile(out);
	assert.ok((await readdir(dir)).includes('page1_small.png'));
	const gs1 = (await pageBarcodes(pdf, 1)).find((b) => b.type === 'CODE-128');
	assert.match(gs1?.data ?? '', /^42094107\x1d92071999999999\d{8}$/);
	assert.match(await pdfText(pdf, 3), /Harry/, 'merge variables reach the letter');
}));

test('frank render: postcards, self-mailers, booklets and snap packs take their sizes and page rules', () => inTmp(async (dir) => {
	const two = join(dir, 'two.html');
	await writeFile(two, '<html><body style="margin:0"><div style="height:100vh">Front {{name}}</div><div style="height:100vh">Back</div></body></html>');
	const eight = join(dir, 'eight.html');
	await writeFile(eight, '<html><body style="margin:0">' + Array.from({ length: 8 }, (_, i) => `<div style="height:100vh">Page ${i + 1}</div>`).join('') + '</body></html>');
	for (const [product, input, options, pages] of [
		['postcard', two, '{"size":"6x9"}', 2],
		['self_mailer', two, '{"size":"11x9_bifold"}', 2],
		['booklet', eight, '{}', 8],
	]) {
		const out = join(dir, `${product}.pdf`);
		const r = await runFrank(['render', '--product', product, '--input', input, '--merge', '{"name":"Ann"}',
			'--to', TO, '--from', FROM, '--options', options, '-o', out]);
		assert.equal(r.code, 0, `${product}: ${r.stderr}`);
		assert.equal(JSON.parse(r.stdout).pages, pages, product);
		assert.equal(JSON.parse(r.stdout).envelope, null, `${product} mails itself`);
		const text = await pdfText(await readFile(out));
		assert.match(text, /HARRY ZHANG/, `${product}: the recipient is stamped`);
	}
	// one page where two sides are needed: Lob's error, no file written
	const one = join(dir, 'one.html');
	await writeFile(one, '<p>only a front</p>');
	const bad = await runFrank(['render', '--product', 'postcard', '--input', one, '--to', TO, '-o', join(dir, 'bad.pdf')]);
	assert.equal(bad.code, 1);
	assert.match(bad.stderr, /file_pages_below_min/);
	const unknown = await runFrank(['render', '--product', 'poster', '--input', one, '-o', join(dir, 'x.pdf')]);
	assert.equal(unknown.code, 2);
}));

test('frank render --product check prints the amount in words and the MICR line', () => inTmp(async (dir) => {
	const out = join(dir, 'check.pdf');
	const options = JSON.stringify({ amount: 1234.56, check_number: 10001, memo: 'Rent', message: 'Thank you',
		send_date: '2026-11-30', bank_account: { bank_name: 'CHASE', routing_number: '322271627', account_number: '123456789', signatory: 'JANE DOE' } });
	const r = await runFrank(['render', '--product', 'check', '--to', TO, '--from', FROM, '--options', options, '-o', out]);
	assert.equal(r.code, 0, r.stderr);
	assert.deepEqual(JSON.parse(r.stdout).pages, 1);
	const text = await pdfText(await readFile(out));
	assert.match(text, /One Thousand Two Hundred Thirty-Four and 56\/100/);
	assert.match(text, /1,234\.56/);
	assert.match(text, /November 30, 2026/);
	// E-13B: on-us (C) check number, transit (A) routing number, account number, on-us
	assert.match(text, /C10001C A322271627A\s+123456789C/);
	const badRouting = JSON.parse(options);
	badRouting.bank_account.routing_number = '322271628';
	const bad = await runFrank(['render', '--product', 'check', '--to', TO, '--from', FROM, '--options', JSON.stringify(badRouting), '-o', out]);
	assert.equal(bad.code, 1, 'a routing number failing the ABA checksum is refused');
}));

test('frank render: FRANK_RENDERER=mupdf uses the built-in renderer', () => inTmp(async (dir) => {
	const out = join(dir, 'letter.pdf');
	const r = await runFrank(['render', '--product', 'letter', '--input', join(repoRoot, 'examples/letter.html'),
		'--to', TO, '--from', FROM, '-o', out], { env: { FRANK_RENDERER: 'mupdf' } });
	assert.equal(r.code, 0, r.stderr);
	assert.equal(JSON.parse(r.stdout).renderer, 'mupdf');
	const bad = await runFrank(['render', '--product', 'letter', '--input', join(repoRoot, 'examples/letter.html'),
		'-o', out], { env: { FRANK_RENDERER: 'gecko' } });
	assert.equal(bad.code, 1);
	assert.match(bad.stderr, /unknown renderer/);
}));
