// SPDX-License-Identifier: AGPL-3.0-or-later
// Looking into print files as a print shop would, with the tools it uses: page boxes
// (pdfinfo -box) and fonts (pdffonts) from poppler-utils, words with their positions
// (pdftotext -bbox), and DataMatrix symbols read off a 300 dpi rendering (pdftoppm, then
// dmtxread from dmtx-utils). Every function takes a file path; a missing tool throws (the
// test fails: scripts/install-deps --e2e installs them), it never skips.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(cmd, args) {
	return new Promise((resolve, reject) => {
		execFile(cmd, args, { maxBuffer: 64 << 20, timeout: 60000 }, (err, stdout, stderr) => {
			if (err && err.code === 'ENOENT')
				return reject(new Error(`${cmd} is not installed (scripts/install-deps --e2e)`));
			resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr });
		});
	});
}

async function must(cmd, args) {
	const r = await run(cmd, args);
	if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
	return r.stdout;
}

// [{page, MediaBox: [x0,y0,x1,y1], CropBox, BleedBox, TrimBox, ArtBox}, …] in points
export async function pdfBoxes(path) {
	const out = await must('pdfinfo', ['-box', '-f', '1', '-l', '100000', path]);
	const pages = new Map();
	for (const m of out.matchAll(/^Page\s+(\d+)\s+(\w+Box):\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)/gm)) {
		const page = Number(m[1]);
		if (!pages.has(page)) pages.set(page, { page });
		pages.get(page)[m[2]] = m.slice(3, 7).map(Number);
	}
	return [...pages.values()];
}

// [{name, type, encoding, emb, sub, uni}, …] as pdffonts lists them
export async function pdfFonts(path) {
	const lines = (await must('pdffonts', [path])).split('\n').slice(2).filter((l) => l.trim());
	return lines.map((l) => {
		// the name may hold spaces; the columns after it are fixed words
		const m = l.match(/^(.*?)\s{2,}(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);
		if (!m) throw new Error(`pdffonts line not understood: ${l}`);
		return { name: m[1], type: m[2], encoding: m[3], emb: m[4], sub: m[5], uni: m[6] };
	});
}

// the words of page `page` (1-based) with their boxes in points from the top-left
export async function pdfWords(path, page) {
	const html = await must('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), path, '-']);
	return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
		.map((m) => ({ xMin: +m[1], yMin: +m[2], xMax: +m[3], yMax: +m[4], text: m[5] }));
}

// the DataMatrix contents dmtxread finds in a region of page `page` (inches from the
// top-left: {x, y, w, h}), rendered at 300 dpi
export async function dataMatrix(path, page, region) {
	const dir = await mkdtemp(join(tmpdir(), 'frank-dm-'));
	try {
		const png = join(dir, 'p');
		const px = (v) => String(Math.round(v * 300));
		await must('pdftoppm', ['-r', '300', '-f', String(page), '-l', String(page), '-singlefile',
			'-x', px(region.x), '-y', px(region.y), '-W', px(region.w), '-H', px(region.h),
			'-gray', '-png', path, png]);
		const r = await run('dmtxread', ['-n', '-m', '20000', png + '.png']);
		return r.stdout.split('\n').filter(Boolean);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}
