// SPDX-License-Identifier: AGPL-3.0-or-later
// Templates and template versions through the official SDK (TemplatesApi, TemplateVersionsApi),
// every response validated against the spec, plus raw HTTP for errors the SDK cannot send.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TemplatesApi, TemplateVersionsApi, TemplateWritable, TemplateVersionWritable } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { sdkApi, sdkFails } from './lib/sdk.mjs';
import { assertResponseMatchesSpec } from './lib/spec.mjs';

let srv, templates, versions;

before(async () => {
	srv = await startFrank();
	templates = sdkApi(TemplatesApi, srv.baseUrl, srv.keys.test_secret);
	versions = sdkApi(TemplateVersionsApi, srv.baseUrl, srv.keys.test_secret);
});
after(async () => {
	await srv?.stop();
});

async function raw(method, path, opts) {
	const r = await req(srv, method, path, opts);
	assertResponseMatchesSpec(method, path, r.status, r.body);
	return r;
}

test('create a handlebars template: one version, published, with its merge variables', async () => {
	const t = await templates.create(new TemplateWritable({
		description: 'Welcome', html: '<html>Hi {{name}}, {{#each items}}{{this}}{{/each}}</html>',
		engine: 'handlebars', metadata: { team: 'ops' },
	}));
	assert.match(t.id, /^tmpl_[0-9a-f]{16}$/);
	assert.equal(t.versions.length, 1);
	assert.equal(t.published_version.id, t.versions[0].id);
	assert.match(t.published_version.id, /^vrsn_[0-9a-f]{16}$/);
	const rawT = templates.seen.at(-1).data;
	assert.deepEqual(rawT.published_version.merge_variables.keys.sort(), ['items', 'name']);
	assert.equal(rawT.published_version.suggest_json_editor, true);
	assert.equal(rawT.published_version.engine, 'handlebars');
	assert.deepEqual(Object.keys(rawT).slice(0, 5), ['id', 'description', 'versions', 'published_version', 'metadata']);
	const again = await templates.get(t.id);
	assert.equal(again.published_version.html, '<html>Hi {{name}}, {{#each items}}{{this}}{{/each}}</html>');
});

test('a template with a syntax error is refused with invalid_template_html', async () => {
	const r = await raw('POST', '/v1/templates', { json: { html: '<p>{{#if a}}open', engine: 'handlebars' } });
	assert.equal(r.status, 422);
	assert.equal(r.body.error.code, 'invalid_template_html');
	const missing = await raw('POST', '/v1/templates', { json: { description: 'x' } });
	assert.equal(missing.status, 422);
	assert.equal(missing.body.error.message, 'html is required');
	const legacyVars = await raw('POST', '/v1/templates', { json: { html: '{{a}}', required_vars: ['a'] } });
	assert.equal(legacyVars.status, 422);
	assert.match(legacyVars.body.error.message, /only available for handlebars/);
	const longHtml = await raw('POST', '/v1/templates', { json: { html: 'x'.repeat(100001) } });
	assert.equal(longHtml.status, 422);
	assert.equal(longHtml.body.error.message, 'html length must be less than or equal to 100000 characters long');
});

test('versions: create, list newest first, publish, update, and the published one cannot be deleted', async () => {
	const t = await templates.create(new TemplateWritable({ html: '<p>v1 {{a}}</p>' }));
	const v1 = t.published_version.id;
	const v2 = await versions.create(t.id, new TemplateVersionWritable({ html: '<p>v2 {{b}}</p>', description: 'second' }));
	assert.match(v2.id, /^vrsn_/);
	const listed = await raw('GET', `/v1/templates/${t.id}/versions?limit=1&include[]=total_count`);
	assert.equal(listed.status, 200);
	assert.equal(listed.body.data[0].id, v2.id);
	assert.equal(listed.body.total_count, 2);
	assert.ok(listed.body.next_url);
	const page2 = await raw('GET', listed.body.next_url.replace(srv.baseUrl, ''));
	assert.equal(page2.body.data[0].id, v1);

	const refused = await sdkFails(versions.delete(t.id, v1));
	assert.equal(refused.status, 422);
	assert.equal(refused.data.error.code, 'not_deletable');

	const published = await templates.update(t.id, { published_version: v2.id, description: 'now v2' });
	assert.equal(published.published_version.id, v2.id);
	assert.equal(published.description, 'now v2');
	const unknown = await sdkFails(templates.update(t.id, { published_version: 'vrsn_0000000000000000' }));
	assert.equal(unknown.status, 404);

	const renamed = await versions.update(t.id, v2.id, { description: 'renamed' });
	assert.equal(renamed.description, 'renamed');
	assert.equal((await templates.get(t.id)).published_version.description, 'renamed');

	const gone = await versions.delete(t.id, v1);
	assert.equal(gone.deleted, true);
	assert.equal((await sdkFails(versions.get(t.id, v1))).status, 404);
	assert.equal((await templates.get(t.id)).versions.length, 1);

	const notAllowed = await raw('POST', `/v1/templates/${t.id}`, { json: { html: '<p>x</p>' } });
	assert.equal(notAllowed.status, 422);
	assert.equal(notAllowed.body.error.message, 'html is not allowed');
});

test('list, delete, and modes never see each other', async () => {
	const t = await templates.create(new TemplateWritable({ html: 'x', metadata: { k: 'list-me' } }));
	const list = await raw('GET', '/v1/templates?metadata[k]=list-me');
	assert.deepEqual(list.body.data.map((x) => x.id), [t.id]);
	const live = await req(srv, 'GET', `/v1/templates/${t.id}`, { key: srv.keys.live_secret });
	assert.equal(live.status, 404);
	const del = await templates.delete(t.id);
	assert.equal(del.deleted, true);
	assert.equal((await sdkFails(templates.get(t.id))).status, 404);
});
