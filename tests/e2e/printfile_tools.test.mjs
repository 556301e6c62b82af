// SPDX-License-Identifier: AGPL-3.0-or-later
// Print files checked with a print shop's tools (lib/printtools.mjs: poppler-utils and
// dmtx-utils). The files come from the C unit test test_printfile, which writes its lots
// into $PRINTFILE_OUT (piece PDFs made with MuPDF): letters with blank backs, 4x6
// postcards imposed 4-up on 12x18 with permit imprint and TEST watermark, a DataMatrix lot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDir } from './lib/server.mjs';
import { pdfBoxes, pdfFonts, pdfWords, dataMatrix } from './lib/printtools.mjs';

let dir;
const file = (name) => join(dir, name);
const pt = (inches) => inches * 72;

before(async () => {
	dir = await mkdtemp(join(tmpdir(), 'frank-printfiles-'));
	const bin = join(buildDir(), 'tests', 'unit', 'test_printfile');
	const r = await new Promise((resolve) => execFile(bin, [], { env: { ...process.env, PRINTFILE_OUT: dir } },
		(err, stdout, stderr) => resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr })));
	assert.equal(r.code, 0, `${bin} failed:\n${r.stdout}\n${r.stderr}`);
});

after(() => rm(dir, { recursive: true, force: true }));

test('letters: pdfinfo -box shows 8 pages printed to size, every box 8.5x11', async () => {
	const pages = await pdfBoxes(file('lot_letters.pdf'));
	assert.equal(pages.length, 8);
	for (const p of pages)
		for (const b of ['MediaBox', 'CropBox', 'BleedBox', 'TrimBox'])
			assert.deepEqual(p[b], [0, 0, 612, 792], `page ${p.page} ${b}`);
});

test('postcards: the sheet is 12x18, BleedBox the block of tiles, TrimBox inside it', async () => {
	const pages = await pdfBoxes(file('lot_cards.pdf'));
	assert.equal(pages.length, 4, '2 sheets, front and back');
	for (const p of pages) {
		assert.deepEqual(p.MediaBox, [0, 0, pt(12), pt(18)]);
		// block: 1 column x 4 rows of 6.25x4.25 tiles, x 2.875 in, y 0.375 in from the top
		assert.deepEqual(p.BleedBox, [pt(2.875), pt(18 - 0.375 - 17), pt(2.875 + 6.25), pt(18 - 0.375)]);
		assert.deepEqual(p.TrimBox, p.BleedBox.map((v, i) => v + (i < 2 ? 9 : -9)));
	}
});

test('pdffonts: every font of every print file is embedded', async () => {
	const names = (await readdir(dir)).filter((n) => n.endsWith('.pdf'));
	assert.ok(names.length >= 8, names.join(' '));
	for (const n of names) {
		const fonts = await pdfFonts(file(n));
		assert.ok(fonts.length > 0, `${n} has fonts`);
		for (const f of fonts) assert.equal(f.emb, 'yes', `${n}: ${f.name} embedded`);
	}
});

test('pdftotext -bbox: the slug line sits below the crop marks, the permit in the postage area', async () => {
	const words = await pdfWords(file('lot_cards.pdf'), 1);
	const slug = words.filter((w) => w.text === 'lot_cards');
	assert.equal(slug.length, 1, 'one slug line per page');
	// below the block (17.375 in) and its crop marks (0.25 in more), on the sheet
	assert.ok(slug[0].yMin > pt(17.375 + 0.25) && slug[0].yMax < pt(18), JSON.stringify(slug[0]));
	const text = words.map((w) => w.text).join(' ');
	assert.match(text, /run_test \| lot_cards \| sheet 1 of 2 \| front \| work-and-turn/);
	const back = await pdfWords(file('lot_cards.pdf'), 2);
	const permit = back.filter((w) => w.text === 'PERMIT');
	assert.equal(permit.length, 3, 'an indicia on each of the 3 backs of sheet 1');
	// postage area of the first tile: 4.875-5.875 in across, 1.725-2.475 in down the card
	assert.ok(permit[0].xMin > pt(2.875 + 4.875) && permit[0].xMax < pt(2.875 + 5.875), JSON.stringify(permit[0]));
	assert.ok(permit[0].yMin > pt(0.375 + 1.725) && permit[0].yMax < pt(0.375 + 2.475), JSON.stringify(permit[0]));
	assert.match(back.map((w) => w.text).join(' '), /FIRST-CLASS MAIL U\.S\. POSTAGE PAID SAN FRANCISCO CA PERMIT NO\. 1234/);
	// the diagonal TEST watermark comes out of pdftotext in pieces; test_printfile finds it
	// on every page with MuPDF's text search
});

test('dmtxread decodes run|piece|sheet i|sheets n on the front of each sheet', async () => {
	const corner = { x: 0, y: 11 - 1.5, w: 1.5, h: 1.5 };
	assert.deepEqual(await dataMatrix(file('lot_dm.pdf'), 1, corner), ['run_test|ltr_dm1|1|2']);
	assert.deepEqual(await dataMatrix(file('lot_dm.pdf'), 3, corner), ['run_test|ltr_dm1|2|2']);
	assert.deepEqual(await dataMatrix(file('lot_dm.pdf'), 2, corner), [], 'nothing on a back');
});
