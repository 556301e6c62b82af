// SPDX-License-Identifier: AGPL-3.0-or-later
// Small PDFs for tests, written by hand.

/* PDF bytes of these objects (numbered from 1, the first the catalog), xref offsets computed */
function writePdf(objs) {
	let out = '%PDF-1.4\n';
	const offsets = [];
	objs.forEach((o, i) => {
		offsets.push(out.length);
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = out.length;
	out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

const stream = (dict, body) => `<< ${dict ? dict + ' ' : ''}/Length ${body.length} >>\nstream\n${body}\nendstream`;

/* a one-page 8.5x11 PDF */
export function tinyPdf(text = 'Hello') {
	return writePdf([
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
		stream('', `BT /F1 24 Tf 72 700 Td (${text}) Tj ET`),
	]);
}

/* a PDF of one page per text, each w x h points (an insert's front and back) */
export function pagesPdf(w, h, texts) {
	const n = texts.length;
	const kids = texts.map((_, i) => `${3 + 2 * i} 0 R`).join(' ');
	const objs = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${n} >>`];
	texts.forEach((t, i) => {
		objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /Font << /F1 ${3 + 2 * n} 0 R >> >> /Contents ${4 + 2 * i} 0 R >>`);
		objs.push(stream('', `BT /F1 12 Tf 10 10 Td (${t}) Tj ET`));
	});
	objs.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
	return writePdf(objs);
}

/*
 * The PDF bomb of issue 12: one 8.5x11 page drawing form X1 `fan` times; each form draws the
 * next `fan` times; the last fills a 1 pt square: fan^levels squares (40⁶ ≈ 4.1·10⁹) from a
 * few KB.
 */
export function bombPdf(levels = 6, fan = 40) {
	const draws = '/X Do\n'.repeat(fan);
	const form = '/Type /XObject /Subtype /Form /BBox [0 0 612 792]';
	const objs = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>',
		stream('', draws),
	];
	for (let n = 5; n < 5 + levels; n++)
		objs.push(n === 4 + levels ? stream(form, '0 0 1 1 re f\n') : stream(`${form} /Resources << /XObject << /X ${n + 1} 0 R >> >>`, draws));
	return writePdf(objs);
}
