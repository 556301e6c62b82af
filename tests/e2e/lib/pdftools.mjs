// SPDX-License-Identifier: AGPL-3.0-or-later
// Looking into proofs as a person would: the text MuPDF extracts (mutool, Debian mupdf-tools)
// and the barcodes zbarimg reads off a 300 dpi rendering of a page.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(cmd, args) {
	return new Promise((resolve) => {
		execFile(cmd, args, { maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
			resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr }));
	});
}

async function withFile(pdf, fn) {
	const dir = await mkdtemp(join(tmpdir(), 'frank-pdf-'));
	try {
		const path = join(dir, 'in.pdf');
		await writeFile(path, pdf);
		return await fn(path, dir);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

// how many pages
export function pageCount(pdf) {
	return withFile(pdf, async (path) => {
		const r = await run('mutool', ['pages', path]);
		if (r.code !== 0) throw new Error(`mutool: ${r.stderr}`);
		return (r.stdout.match(/<page /g) ?? []).length;
	});
}

// the text of page `page` (1-based; a page the PDF lacks throws), or of every page when omitted
export async function pdfText(pdf, page) {
	if (page) {
		const n = await pageCount(pdf);
		if (page > n) throw new Error(`page ${page} asked of a PDF of ${n} pages`);
	}
	return withFile(pdf, async (path) => {
		const r = await run('mutool', ['draw', '-q', '-F', 'txt', '-o', '-', path, ...(page ? [String(page)] : [])]);
		if (r.code !== 0) throw new Error(`mutool: ${r.stderr}`);
		return r.stdout;
	});
}

// the barcodes on page `page` read by zbarimg: [{ type, data }]
export function pageBarcodes(pdf, page = 1, dpi = 300) {
	return withFile(pdf, async (path, dir) => {
		const png = join(dir, 'page.png');
		const d = await run('mutool', ['draw', '-q', '-r', String(dpi), '-o', png, path, String(page)]);
		if (d.code !== 0) throw new Error(`mutool: ${d.stderr}`);
		const z = await run('zbarimg', ['-q', png]);
		return z.stdout.split('\n').filter(Boolean).map((l) => {
			const i = l.indexOf(':');
			return { type: l.slice(0, i), data: l.slice(i + 1) };
		});
	});
}

// the fonts pdffonts (poppler-utils) lists: { fonts: [{ name, type, encoding, emb, sub, uni }],
// warnings: what poppler complained about on stderr (a preflight would too) }
export function pdfFonts(pdf) {
	return withFile(pdf, async (path) => {
		const r = await run('pdffonts', [path]);
		if (r.code !== 0) throw new Error(`pdffonts: ${r.stderr}`);
		const fonts = r.stdout.split('\n').slice(2).filter(Boolean).map((l) => {
			// columns: name, type (may hold spaces), encoding, emb, sub, uni, object, generation
			const m = l.match(/^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/);
			if (!m) throw new Error(`pdffonts line not understood: ${l}`);
			return { name: m[1], type: m[2], encoding: m[3], emb: m[4] === 'yes', sub: m[5] === 'yes', uni: m[6] === 'yes' };
		});
		return { fonts, warnings: r.stderr.trim() };
	});
}
