// SPDX-License-Identifier: AGPL-3.0-or-later
// "Why did this letter fail?": one piece's story through `frank pieces why`, the account's
// GET /v1/_frank/pieces/{id}/why and the operator's GET /v1/_frank/production/pieces/{id}/why
// — a failed piece answers Lob's failure reason, a rendered one names the remote files its
// HTML named that could not be fetched (recorded on the piece, not only logged), another
// account's piece is not found.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFrank, req, runFrank, lastJsonLine } from './lib/server.mjs';
import { createOperator } from './lib/operator.mjs';

let srv, files, filesUrl;
const to = { name: 'Harry Zhang', address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const from = { name: 'Acme', address_line1: '185 Berry St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' };
const letter = (file) => ({ to, from, file, color: false, use_type: 'operational' });

before(async () => {
	// a file server: /gone answers 404, /notes.txt is not a PDF
	files = createServer((q, r) => {
		if (q.url === '/notes.txt') {
			r.writeHead(200, { 'content-type': 'text/plain' });
			return r.end('plain text, not a document');
		}
		r.writeHead(404).end();
	});
	await new Promise((ok) => files.listen(0, '127.0.0.1', ok));
	filesUrl = `http://127.0.0.1:${files.address().port}`;
	srv = await startFrank({ env: { FRANK_ALLOW_PRIVATE_URLS: '1' } });
});
after(async () => {
	await srv?.stop();
	files?.close();
});

async function settled(id) {
	const end = Date.now() + 30000;
	for (;;) {
		const r = await req(srv, 'GET', `/v1/letters/${id}`);
		if (r.body.status !== 'processed') return r.body;
		assert.ok(Date.now() < end, `${id} still processed`);
		await sleep(50);
	}
}

test('a rendered letter whose HTML names a missing image: the image is named on the piece', async () => {
	const gone = `${filesUrl}/gone/logo.png`;
	const l = (await req(srv, 'POST', '/v1/letters', { json: letter(`<p>Notice</p><img src="${gone}">`) })).body;
	assert.equal((await settled(l.id)).status, 'rendered');
	const r = await req(srv, 'GET', `/v1/_frank/pieces/${l.id}/why`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.body.answer, /^rendered; a test piece is never printed/);
	assert.match(r.body.answer, /1 remote file its HTML names could not be used/);
	assert.equal(r.body.render_notes.missing_files, 1);
	assert.ok(r.body.render_notes.first[0].startsWith(gone), r.body.render_notes.first[0]);
	assert.match(r.body.render_notes.first[0], /404/);
	assert.equal(r.body.piece.id, l.id);
	assert.deepEqual(r.body.events.map((e) => e.type), ['letter.created', 'letter.rendered_pdf', 'letter.rendered_thumbnails']);
});

test('a failed letter answers its failure reason, the same from the CLI and the operator', async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { json: letter(`${filesUrl}/notes.txt`) })).body;
	const piece = await settled(l.id);
	assert.equal(piece.status, 'failed');
	const mine = await req(srv, 'GET', `/v1/_frank/pieces/${l.id}/why`);
	assert.equal(mine.status, 200, mine.text);
	assert.equal(mine.body.answer.split(';')[0], `failed: ${piece.failure_reason.failure_reason}: ${piece.failure_reason.remediation}`);
	assert.ok(mine.body.events.some((e) => e.type === 'letter.failed'), JSON.stringify(mine.body.events));
	const cli = await runFrank(['pieces', 'why', '--data', srv.dataDir, l.id]);
	assert.equal(cli.code, 0, cli.stderr);
	const printed = JSON.parse(cli.stdout);
	assert.equal(printed.answer, mine.body.answer);
	assert.equal(Object.keys(printed)[0], 'answer', 'the answer comes first');
	const op = await createOperator(srv);
	const theirs = await req(srv, 'GET', `/v1/_frank/production/pieces/${l.id}/why`, { key: op.key });
	assert.equal(theirs.status, 200, theirs.text);
	assert.equal(theirs.body.answer, mine.body.answer);
	assert.equal(theirs.body.account_id, mine.body.account_id);
});

test("another account's piece, the other mode's and an unknown id are not found", async () => {
	const l = (await req(srv, 'POST', '/v1/letters', { json: letter('<p>Notice</p>') })).body;
	const r = await runFrank(['accounts', 'create', '--data', srv.dataDir]);
	const other = lastJsonLine(r.stdout, (j) => !!j.test_secret);
	assert.ok(other, r.stderr);
	for (const key of [other.test_secret, srv.keys.live_secret]) {
		const x = await req(srv, 'GET', `/v1/_frank/pieces/${l.id}/why`, { key });
		assert.equal(x.status, 404, x.text);
		assert.equal(x.body.error.code, 'not_found');
	}
	const none = await req(srv, 'GET', '/v1/_frank/pieces/ltr_0000000000000000/why');
	assert.equal(none.status, 404);
	assert.match(none.body.error.message, /ltr_0000000000000000/);
	const cli = await runFrank(['pieces', 'why', '--data', srv.dataDir, 'ltr_0000000000000000']);
	assert.equal(cli.code, 1);
	assert.match(cli.stderr, /no mail piece ltr_0000000000000000/);
	const op = await createOperator(srv);
	const customerOnOperator = await req(srv, 'GET', `/v1/_frank/production/pieces/${l.id}/why`);
	assert.equal(customerOnOperator.status, 403, customerOnOperator.text);
	const operatorOnCustomer = await req(srv, 'GET', `/v1/_frank/pieces/${l.id}/why`, { key: op.key });
	assert.equal(operatorOnCustomer.status, 403, operatorOnCustomer.text);
});
