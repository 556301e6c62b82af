// SPDX-License-Identifier: AGPL-3.0-or-later
// --version on frankd and frank, and the AGPL §13 source offer: the source URL in --version
// and in a `Link: <URL>; rel="source"` header on every answer, errors included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFrank, req, runFrank, frankdBin, repoRoot } from './lib/server.mjs';

const projectVersion = readFileSync(join(repoRoot, 'meson.build'), 'utf8').match(/version : '([^']+)'/)[1];
const defaultUrl = readFileSync(join(repoRoot, 'meson_options.txt'), 'utf8').match(/option\('source_url'[^)]*value : '([^']+)'/)[1];

function runFrankd(args, env = {}) {
	return new Promise((resolve) => {
		execFile(frankdBin(), args, { env: { ...process.env, ...env }, timeout: 10000 }, (err, stdout, stderr) =>
			resolve({ code: err ? err.code : 0, stdout, stderr }));
	});
}

test('frankd --version prints the meson version and the source URL', async () => {
	const r = await runFrankd(['--version']);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`^frankd ${projectVersion.replace(/\./g, '\\.')}( \\(git [^)]+\\))?\\n`));
	assert.match(r.stdout, new RegExp(`^Source: ${defaultUrl}$`, 'm'));
	assert.match(r.stdout, /AGPL-3\.0-or-later/);
	const flagged = await runFrankd(['--version', '--source-url', 'https://git.example.org/frank.git']);
	assert.match(flagged.stdout, /^Source: https:\/\/git\.example\.org\/frank\.git$/m);
	const env = await runFrankd(['--version'], { FRANK_SOURCE_URL: 'https://env.example/src' });
	assert.match(env.stdout, /^Source: https:\/\/env\.example\/src$/m);
});

test('frankd refuses a source URL that cannot go into a Link header', async () => {
	for (const bad of ['ftp://x.example/', 'https://x.example/a b', 'https://x.example/<a>', 'not a url']) {
		const r = await runFrankd(['--version', '--source-url', bad]);
		assert.equal(r.code, 2, bad);
		assert.match(r.stderr, /--source-url must be an http:\/\/ or https:\/\/ URL/);
	}
});

test('frank --version prints the version and FRANK_SOURCE_URL', async () => {
	const r = await runFrank(['--version']);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, new RegExp(`^frank ${projectVersion.replace(/\./g, '\\.')}`));
	assert.match(r.stdout, new RegExp(`^Source: ${defaultUrl}$`, 'm'));
	const env = await runFrank(['--version'], { env: { FRANK_SOURCE_URL: 'https://env.example/src' } });
	assert.match(env.stdout, /^Source: https:\/\/env\.example\/src$/m);
	const help = await runFrank(['--help']);
	assert.match(help.stdout, /frank --version/);
});

test('every answer carries Link: <source URL>; rel="source"', async () => {
	const url = 'https://git.example.org/frank-fork.git';
	const srv = await startFrank({ env: { FRANK_SOURCE_URL: url } });
	try {
		const want = `<${url}>; rel="source"`;
		const ok = await req(srv, 'GET', '/v1/addresses');
		assert.equal(ok.status, 200);
		assert.equal(ok.headers.get('link'), want);
		const missing = await req(srv, 'GET', '/v1/addresses/adr_0000000000000000');
		assert.equal(missing.status, 404);
		assert.equal(missing.headers.get('link'), want);
		const unauth = await req(srv, 'GET', '/v1/addresses', { key: null });
		assert.equal(unauth.status, 401);
		assert.equal(unauth.headers.get('link'), want);
		const health = await fetch(`${srv.baseUrl}/healthz`);
		assert.equal(health.headers.get('link'), want);
	} finally {
		await srv.stop();
	}
});
