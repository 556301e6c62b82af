// SPDX-License-Identifier: AGPL-3.0-or-later
// The official Lob SDK pointed at a Frank server. Its requests go through an axios instance
// whose interceptors validate every raw response body (success or error) against the spec,
// before the SDK wraps it in its model classes. A body that breaks the contract makes the SDK
// call reject with the ajv report (error.specMismatch = true).
import assert from 'node:assert/strict';
import axios from 'axios';
import { Configuration, AddressesApi } from '@lob/lob-typescript-sdk';
import { assertResponseMatchesSpec } from './spec.mjs';

function check(response) {
	const cfg = response.config;
	const method = (cfg.method || 'get').toUpperCase();
	const url = new URL(cfg.url, 'http://x');
	let body = response.data;
	if (typeof body === 'string' && body.length) {
		try {
			body = JSON.parse(body);
		} catch {
			const e = new Error(`${method} ${url.pathname} → ${response.status}: body is not JSON: ${body.slice(0, 300)}`);
			e.specMismatch = true;
			throw e;
		}
	}
	try {
		assertResponseMatchesSpec(method, url.pathname, response.status, body);
	} catch (e) {
		e.specMismatch = true;
		throw e;
	}
}

/* an axios instance that validates responses against the spec; seen[] records each exchange */
export function validatingAxios(seen = []) {
	const ax = axios.create();
	ax.interceptors.response.use(
		(response) => {
			seen.push({ method: response.config.method, url: response.config.url, status: response.status, data: response.data });
			check(response);
			return response;
		},
		(error) => {
			if (error.response) {
				const r = error.response;
				seen.push({ method: r.config.method, url: r.config.url, status: r.status, data: r.data });
				try {
					check(r);
				} catch (e) {
					e.httpResponse = r; // not .response: the SDK would overwrite the message with the body's
					return Promise.reject(e);
				}
				// test reports print the stack, made before the SDK rewrites the message: say what came back
				const body = typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
				const where = `${(r.config.method || '').toUpperCase()} ${r.config.url} → ${r.status} ${String(body).slice(0, 500)}`;
				if (typeof error.stack === 'string') error.stack = error.stack.replace(/^([^\n]*)/, `$1 (${where})`);
			}
			return Promise.reject(error);
		},
	);
	return ax;
}

export function sdkConfig(baseUrl, key) {
	return new Configuration({ username: key, basePath: baseUrl + '/v1' });
}

/* AddressesApi for a server and key; api.seen lists the raw exchanges */
export function addressesApi(baseUrl, key) {
	const seen = [];
	const api = new AddressesApi(sdkConfig(baseUrl, key), undefined, validatingAxios(seen));
	api.seen = seen;
	return api;
}

/* any of the SDK's API classes (TemplatesApi, LettersApi, …) for a server and key */
export function sdkApi(ApiClass, baseUrl, key) {
	const seen = [];
	const api = new ApiClass(sdkConfig(baseUrl, key), undefined, validatingAxios(seen));
	api.seen = seen;
	return api;
}

/* SDK call expected to fail: returns axios' error.response */
export async function sdkFails(promise) {
	try {
		await promise;
	} catch (e) {
		if (e.specMismatch) throw e;
		assert.ok(e.response, `expected an HTTP error response, got ${e.stack}`);
		return e.response;
	}
	assert.fail('expected the SDK call to fail');
}
