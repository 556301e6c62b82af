// frank render and frank barcode: the documents engine without the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFrank, repoRoot } from './lib/server.mjs';

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

test('frank render --product letter writes a stamped proof and thumbnails', async () => {
	const dir = await mkdtemp(join(tmpdir(), 'frank-render-'));
	try {
		const out = join(dir, 'letter.pdf');
		const r = await runFrank(['render', '--product', 'letter', '--input', join(repoRoot, 'examples/letter.html'),
			'--merge', '{"name":"Harry"}', '--to', '{"name":"HARRY ZHANG","address_line1":"210 KING ST","address_city":"SAN FRANCISCO","address_state":"CA","address_zip":"94107"}',
			'--from', '{"name":"LEORE AVIDAR","address_line1":"185 BERRY ST","address_city":"SAN FRANCISCO","address_state":"CA","address_zip":"94107"}',
			'--options', '{"extra_service":"certified"}', '-o', out, '--thumbs', dir]);
		assert.equal(r.code, 0, r.stderr);
		assert.deepEqual(JSON.parse(r.stdout), { output: out, pages: 3 });
		assert.equal((await readFile(out)).subarray(0, 5).toString(), '%PDF-');
		assert.ok((await readdir(dir)).includes('page1_small.png'));
		const postcard = await runFrank(['render', '--product', 'postcard', '--input', out, '-o', join(dir, 'x.pdf')]);
		assert.equal(postcard.code, 2);
		assert.match(postcard.stderr, /not built yet/);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
});
