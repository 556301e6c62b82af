// SPDX-License-Identifier: AGPL-3.0-or-later
// Account settings (a Frank extension at /v1/_frank/settings): defaults, partial updates,
// validation, one set of settings for both modes of an account, and the settings that govern
// live mail changed only with a live key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFrank, req, runFrank } from './lib/server.mjs';

let srv;
before(async () => {
	srv = await startFrank();
});
after(async () => {
	await srv?.stop();
});

test('defaults: 5-minute windows, relaxed strictness, relaxed merge variables, no default use_type', async () => {
	const r = await req(srv, 'GET', '/v1/_frank/settings');
	assert.equal(r.status, 200);
	assert.equal(r.body.object, 'account_settings');
	assert.deepEqual(r.body.cancellation_windows, { letter: 5, postcard: 5, self_mailer: 5, check: 5, snap_pack: 5, booklet: 5 });
	assert.equal(r.body.us_address_strictness, 'relaxed');
	assert.equal(r.body.merge_variable_strictness, 'relaxed');
	assert.equal(r.body.default_use_type, null);
});

test('partial updates persist and apply to both modes; bad values are refused', async () => {
	const live = srv.keys.live_secret;
	const a = await req(srv, 'POST', '/v1/_frank/settings', { key: live, json: { cancellation_windows: { letter: 60 }, default_use_type: 'operational' } });
	assert.equal(a.status, 200);
	assert.equal(a.body.cancellation_windows.letter, 60);
	assert.equal(a.body.cancellation_windows.postcard, 5);
	const b = await req(srv, 'POST', '/v1/_frank/settings', { json: { merge_variable_strictness: 'strict' }, key: srv.keys.live_secret });
	assert.equal(b.status, 200);
	assert.equal(b.body.cancellation_windows.letter, 60, 'earlier changes are kept');
	const seen = await req(srv, 'GET', '/v1/_frank/settings');
	assert.equal(seen.body.merge_variable_strictness, 'strict');
	assert.equal(seen.body.default_use_type, 'operational');
	for (const [body, msg] of [
		[{ cancellation_windows: { letter: 4321 } }, 'cancellation_windows.letter must be an integer from 0 to 4320 minutes'],
		[{ cancellation_windows: { flyer: 1 } }, /flyer is not allowed/],
		[{ us_address_strictness: 'lenient' }, 'us_address_strictness must be one of [strict, normal, relaxed]'],
		[{ colour: 'red' }, 'colour is not allowed'],
		[{ tracking_simulation: { return_share: 1.5 } }, 'tracking_simulation.return_share must be a number from 0 to 1'],
		[{ tracking_simulation: { return_share: 0.6, reroute_share: 0.6 } }, "tracking_simulation's shares add up to more than 1"],
	]) {
		const r = await req(srv, 'POST', '/v1/_frank/settings', { key: live, json: body });
		assert.equal(r.status, 422);
		if (typeof msg === 'string') assert.equal(r.body.error.message, msg);
		else assert.match(r.body.error.message, msg);
	}
	const sim = await req(srv, 'POST', '/v1/_frank/settings', { json: { tracking_simulation: { enabled: true, return_share: 0.1, issue_share: 0.05 } } });
	assert.equal(sim.status, 200);
	assert.equal(sim.body.tracking_simulation.return_share, 0.1);
	assert.equal((await req(srv, 'GET', '/v1/_frank/settings')).body.tracking_simulation.issue_share, 0.05, 'shares are kept');
	const pub = await req(srv, 'GET', '/v1/_frank/settings', { key: srv.keys.test_publishable });
	assert.equal(pub.status, 403);
});

test('settings that govern live mail change only with a live key; a test key changes the simulation', async () => {
	const before = (await req(srv, 'GET', '/v1/_frank/settings')).body;
	for (const body of [
		{ cancellation_windows: { letter: 0 } },
		{ us_address_strictness: 'strict' },
		{ merge_variable_strictness: 'relaxed' },
		{ default_use_type: 'marketing' },
		{ tracking_simulation: { enabled: true }, cancellation_windows: { check: 1 } },
	]) {
		const field = Object.keys(body).find((k) => k !== 'tracking_simulation');
		const r = await req(srv, 'POST', '/v1/_frank/settings', { json: body });
		assert.equal(r.status, 403, `${JSON.stringify(body)}: ${r.text}`);
		assert.equal(r.body.error.status_code, 403);
		assert.equal(r.body.error.message, `${field} governs live mail: change it with a live secret key (live_…). A test key may change tracking_simulation only.`);
	}
	const after = (await req(srv, 'GET', '/v1/_frank/settings')).body;
	assert.deepEqual(after, before, 'nothing changed, not even the simulation sent along');
	const sim = await req(srv, 'POST', '/v1/_frank/settings', { json: { tracking_simulation: { enabled: false, speed: 60 } } });
	assert.equal(sim.status, 200, sim.text);
	assert.equal(sim.body.tracking_simulation.speed, 60);
	const echo = await req(srv, 'POST', '/v1/_frank/settings', { json: { id: after.id, object: 'account_settings', tracking_simulation: { speed: 30 } } });
	assert.equal(echo.status, 200, 'fields of the stored object are not settings');
	const live = await req(srv, 'POST', '/v1/_frank/settings', { key: srv.keys.live_secret, json: { cancellation_windows: { letter: 15 } } });
	assert.equal(live.status, 200, live.text);
	assert.equal(live.body.cancellation_windows.letter, 15);
	assert.equal((await req(srv, 'POST', '/v1/_frank/settings', { key: srv.keys.live_publishable, json: { tracking_simulation: { speed: 2 } } })).status, 403);
});

test('frank settings set changes what the running server uses', async () => {
	const r = await runFrank(['settings', 'set', '--data', srv.dataDir, '{"cancellation_windows":{"check":120}}']);
	assert.equal(r.code, 0, r.stderr);
	assert.equal(JSON.parse(r.stdout).cancellation_windows.check, 120);
	const seen = await req(srv, 'GET', '/v1/_frank/settings');
	assert.equal(seen.body.cancellation_windows.check, 120);
	const bad = await runFrank(['settings', 'set', '--data', srv.dataDir, '{"default_use_type":"x"}']);
	assert.equal(bad.code, 1);
	assert.match(bad.stderr, /default_use_type must be one of/);
});
