// SPDX-License-Identifier: AGPL-3.0-or-later
// Lob's OpenAPI 3.0 spec (tests/fixtures/lob-spec/lob-api-bundled.yml, vendored with its MIT
// licence; see the README there) as the contract for response bodies.
//
// The YAML is loaded once per process. Every schema under components/schemas is converted from
// OpenAPI 3.0 to JSON Schema (draft-07, which ajv speaks) and registered under the id `lob`, so
// a response schema compiles with its `$ref`s pointing into it. Conversion:
//   - `nullable: true` → `type: [t, 'null']` (and `null` added to an `enum`); without a `type`
//     (allOf/oneOf/anyOf/$ref) the schema is wrapped as `anyOf: [schema, {type: 'null'}]`;
//   - `example`, `examples`, `discriminator`, `xml`, `externalDocs` and `x-*` are dropped;
//   - a `$ref` ignores its siblings (as OpenAPI 3.0 says) and is rewritten to `lob#/…`;
//   - formats ajv-formats lacks (`binary`, `float`) are accepted as is;
//   - signed links (`signed_link`): the spec's pattern matches no real link (it requires a
//     literal `'` or `_signature` after the id and no `?`), so links are checked with the
//     regex Lob's TypeScript SDK models enforce (`https://lob-assets.com/letters/ltr_….pdf?
//     expires=…&signature=…`), widened by the spec's own `order-creatives` directory and 26-digit
//     `ord_` ids for snap packs and booklets, and its `buckslips` directory (the buckslip example's
//     thumbnails; the SDK ships no code for either); frankd's default
//     --asset-url is https://lob-assets.com (some tests also name it);
//   - `oneOf` is checked as `anyOf`: the spec's unions have no discriminator and overlap (a
//     certified letter is also a valid `no_extra_service` letter: that schema does not forbid
//     extra_service), so "exactly one" would reject Lob's own responses. Each branch is still
//     checked in full.
//
// Exports:
//   assertMatchesSpec(method, pathTemplate, status, body)  throws an Error listing ajv's errors
//   assertResponseMatchesSpec(method, urlOrPath, status, body)  same, from a concrete URL
//   specPathFor(method, urlOrPath) → the spec's path template ('/addresses/{adr_id}') or null
//   errorSchemaCheck(body)  validate against components/schemas/error only
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

export const specFile = fileURLToPath(new URL('../../fixtures/lob-spec/lob-api-bundled.yml', import.meta.url));
export const spec = YAML.parse(readFileSync(specFile, 'utf8'), { maxAliasCount: -1 });

const DROP = new Set(['example', 'examples', 'discriminator', 'xml', 'externalDocs', 'nullable']);
const formatsSeen = new Set();

function rewriteRef(ref) {
	if (!ref.startsWith('#/components/schemas/'))
		throw new Error(`unsupported $ref in a schema: ${ref}`);
	return 'lob' + ref;
}

/* OpenAPI 3.0 schema object → JSON Schema (draft-07). Pure; returns a new object. */
const SDK_SIGNED_LINK = String.raw`^https://(lob-assets|lob-assets-staging)\.com/((letters|postcards|bank-accounts|checks|self-mailers|cards|buckslips)/[a-z]{3,4}_[a-z0-9]{15,16}|order-creatives/ord_[a-z0-9]{26})(\.pdf|_thumb_[a-z]+_[0-9]+\.png)\?(version=[a-z0-9-]*&)?expires=[0-9]{10}&signature=[a-zA-Z0-9-_]+$`;

export function convertSchema(s) {
	if (Array.isArray(s)) return s.map(convertSchema);
	if (s === null || typeof s !== 'object') return s;
	if (typeof s.$ref === 'string') return { $ref: rewriteRef(s.$ref) };
	const out = {};
	for (const [k, v] of Object.entries(s)) {
		if (DROP.has(k) || k.startsWith('x-')) continue;
		switch (k) {
		case 'properties':
		case 'patternProperties':
		case 'definitions':
			out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, convertSchema(pv)]));
			break;
		case 'items':
		case 'not':
		case 'additionalProperties':
		case 'additionalItems':
		case 'contains':
		case 'propertyNames':
			out[k] = typeof v === 'object' ? convertSchema(v) : v;
			break;
		case 'allOf':
		case 'anyOf':
			out[k] = v.map(convertSchema);
			break;
		case 'oneOf':
			out.anyOf = v.map(convertSchema);
			break;
		case 'pattern':
			out[k] = v.startsWith('^https://lob-assets.com/') ? SDK_SIGNED_LINK : v;
			break;
		case 'format':
			formatsSeen.add(v);
			out[k] = v;
			break;
		default:
			out[k] = v; // enum, required, type, pattern, min/max…, title, description, default
		}
	}
	if (s.nullable === true) {
		if (typeof out.type === 'string') {
			out.type = [out.type, 'null'];
			if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
		} else if (out.type === undefined) {
			return { anyOf: [out, { type: 'null' }] };
		}
	}
	return out;
}

const ajv = new Ajv({
	strict: false,
	allErrors: true,
	unicodeRegExp: false,
	validateFormats: true,
	// money is `multipleOf: 0.01`; without a precision 1234.57 / 0.01 is not an integer in
	// floating point and a correct amount would fail
	multipleOfPrecision: 2,
	logger: false,
});
addFormats(ajv);

const componentsSchemas = {};
for (const [name, schema] of Object.entries(spec.components?.schemas ?? {}))
	componentsSchemas[name] = convertSchema(schema);
for (const f of formatsSeen) if (!ajv.formats[f]) ajv.addFormat(f, true);
ajv.addSchema({ $id: 'lob', components: { schemas: componentsSchemas } });

function deref(obj) {
	// resolve a `$ref` to components/responses (or any '#/…' pointer) in the raw spec
	let seen = 0;
	while (obj && typeof obj.$ref === 'string') {
		if (++seen > 20) throw new Error('ref loop');
		const parts = obj.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
		obj = parts.reduce((o, p) => (o == null ? o : o[p]), spec);
	}
	return obj;
}

// path templates, for mapping a concrete URL back to the spec
const pathMatchers = Object.keys(spec.paths).map((tpl) => ({
	tpl,
	re: new RegExp('^' + tpl.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
	literal: !tpl.includes('{'),
}));

function stripToPath(urlOrPath) {
	let p = urlOrPath;
	if (/^https?:\/\//.test(p)) p = new URL(p).pathname;
	p = p.split('?')[0].split('#')[0];
	if (p.startsWith('/v1/')) p = p.slice(3);
	else if (p === '/v1') p = '/';
	if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
	return p;
}

/* the spec's path template for a concrete path (literal templates win), or null */
export function specPathFor(method, urlOrPath) {
	const p = stripToPath(urlOrPath);
	const m = method.toLowerCase();
	const hits = pathMatchers.filter((x) => x.re.test(p) && (!m || spec.paths[x.tpl][m]));
	if (hits.length === 0) return null;
	hits.sort((a, b) => Number(b.literal) - Number(a.literal));
	return hits[0].tpl;
}

const ERROR_SCHEMA = { $ref: 'lob#/components/schemas/error' };
const cache = new Map();

function responseSchema(method, tpl, status) {
	const key = `${method} ${tpl} ${status}`;
	if (cache.has(key)) return cache.get(key);
	let schema = null;
	let where = '';
	const op = tpl && spec.paths[tpl] ? spec.paths[tpl][method.toLowerCase()] : null;
	if (op && op.responses) {
		const s = String(status);
		const r = op.responses;
		const chosen = r[s] ?? r[`${s[0]}XX`] ?? r[`${s[0]}xx`] ?? (status >= 300 || !r['200'] ? r.default : undefined);
		const resp = deref(chosen);
		// some responses name their content by reference (components/mediaTypes/…)
		const content = resp?.content?.$ref ? deref(resp.content) : resp?.content;
		const media = content?.['application/json'];
		if (media?.schema) {
			schema = convertSchema(media.schema);
			where = `paths['${tpl}'].${method.toLowerCase()}.responses[${r[s] ? s : 'default'}]`;
		} else if (resp && status < 300 && !resp.content) {
			schema = true; // e.g. 204: no body described
			where = `paths['${tpl}'].${method.toLowerCase()}.responses[${s}] (no content)`;
		}
	}
	if (!schema && status >= 400) {
		schema = ERROR_SCHEMA;
		where = 'components/schemas/error';
	}
	if (!schema) {
		throw new Error(`spec has no response for ${method.toUpperCase()} ${tpl ?? '(unknown path)'} ${status}`);
	}
	const validate = ajv.compile(schema);
	const entry = { validate, where };
	cache.set(key, entry);
	return entry;
}

function describe(errors, body) {
	// oneOf/anyOf produce many branch errors; keep them all but make each line readable
	const lines = (errors ?? []).slice(0, 30).map((e) => {
		const at = e.instancePath || '(root)';
		let params = e.params;
		if (params?.allowedValues?.length > 8)
			params = { ...params, allowedValues: [...params.allowedValues.slice(0, 8), `… ${params.allowedValues.length - 8} more`] };
		const extra = params && Object.keys(params).length ? ' ' + JSON.stringify(params) : '';
		return `  ${at} ${e.message}${extra}  [schema ${e.schemaPath}]`;
	});
	if ((errors?.length ?? 0) > 30) lines.push(`  … ${errors.length - 30} more`);
	let shown = JSON.stringify(body);
	if (shown && shown.length > 2000) shown = shown.slice(0, 2000) + '…';
	return lines.join('\n') + `\n  body: ${shown}`;
}

/*
 * Validate a response body against the spec's schema for (method, path template, status).
 * pathTemplate may carry a /v1 prefix. Unknown paths and statuses the path does not describe
 * fall back to components/schemas/error for 4xx/5xx.
 */
export function assertMatchesSpec(method, pathTemplate, status, body) {
	const tpl = pathTemplate ? stripToPath(pathTemplate) : null;
	const { validate, where } = responseSchema(method, tpl && spec.paths[tpl] ? tpl : null, status);
	if (!validate(body)) {
		const err = new Error(
			`response to ${method.toUpperCase()} ${pathTemplate} (${status}) does not match the spec (${where}):\n` +
				describe(validate.errors, body),
		);
		err.ajvErrors = validate.errors;
		throw err;
	}
	// every error body must also be a Lob error, whatever the path says
	if (status >= 400) errorSchemaCheck(body);
	return true;
}

/* like assertMatchesSpec, from a concrete URL ('/v1/addresses/adr_…' or a full URL) */
export function assertResponseMatchesSpec(method, urlOrPath, status, body) {
	const tpl = specPathFor(method, urlOrPath);
	return assertMatchesSpec(method, tpl ?? stripToPath(urlOrPath), status, body);
}

let errorValidate;
export function errorSchemaCheck(body) {
	errorValidate ??= ajv.compile(ERROR_SCHEMA);
	if (!errorValidate(body)) {
		throw new Error('error body does not match components/schemas/error:\n' + describe(errorValidate.errors, body));
	}
	return true;
}
