// SPDX-License-Identifier: AGPL-3.0-or-later
// Bank accounts through the official SDK (BankAccountsApi): the routing-number checksum,
// verification in test mode (any two amounts 1–100, as Lob documents) and in live mode (the
// drawn micro-deposits must match), already-verified, delete; responses checked against the spec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BankAccountsApi, BankAccountWritable, BankAccountVerify } from '@lob/lob-typescript-sdk';
import { startFrank, req } from './lib/server.mjs';
import { sdkApi, sdkFails } from './lib/sdk.mjs';

let srv, banks, liveBanks;
const account = { description: 'Payroll', routing_number: '322271627', account_number: '123456789', account_type: 'company', signatory: 'Jane Doe' };

before(async () => {
	srv = await startFrank();
	banks = sdkApi(BankAccountsApi, srv.baseUrl, srv.keys.test_secret);
	liveBanks = sdkApi(BankAccountsApi, srv.baseUrl, srv.keys.live_secret);
});
after(async () => {
	await srv?.stop();
});

test('create: unverified, amounts micro-deposits, Lob fields', async () => {
	const b = await banks.create(new BankAccountWritable(account));
	assert.match(b.id, /^bank_[0-9a-f]{16}$/);
	const raw = banks.seen.at(-1).data;
	assert.equal(raw.verified, false);
	assert.equal(raw.microdeposit_type, 'amounts');
	assert.equal(raw.check_template, 'common');
	assert.equal(raw.signatory, 'Jane Doe');
	assert.equal(raw.object, 'bank_account');
});

test('a routing number failing the ABA checksum is invalid_bank_account', async () => {
	const r = await req(srv, 'POST', '/v1/bank_accounts', { json: { ...account, routing_number: '322271626' } });
	assert.equal(r.status, 422);
	assert.equal(r.body.error.code, 'invalid_bank_account');
	const shape = await req(srv, 'POST', '/v1/bank_accounts', { json: { ...account, routing_number: '12345' } });
	assert.equal(shape.status, 422);
	assert.equal(shape.body.error.code, 'invalid');
	const jpm = await req(srv, 'POST', '/v1/bank_accounts', { json: { ...account, check_template: 'jpm' } });
	assert.equal(jpm.status, 422);
	assert.match(jpm.body.error.message, /fractional_routing_number is required/);
});

test('test mode: any two amounts from 1 to 100 verify, once', async () => {
	const b = await banks.create(new BankAccountWritable(account));
	const bad = await req(srv, 'POST', `/v1/bank_accounts/${b.id}/verify`, { json: { amounts: [0, 101] } });
	assert.equal(bad.status, 422);
	const v = await banks.verify(b.id, new BankAccountVerify({ amounts: [25, 63] }));
	assert.equal(v.verified, true);
	assert.equal(banks.seen.at(-1).data.microdeposit_type, null);
	const again = await sdkFails(banks.verify(b.id, new BankAccountVerify({ amounts: [25, 63] })));
	assert.equal(again.status, 422);
	assert.equal(again.data.error.code, 'bank_account_already_verified');
	const form = await banks.create(new BankAccountWritable(account));
	const viaForm = await req(srv, 'POST', `/v1/bank_accounts/${form.id}/verify`, { form: 'amounts[]=11&amounts[]=35' });
	assert.equal(viaForm.status, 200);
	assert.equal(viaForm.body.verified, true);
});

test('live mode: amounts that are not the micro-deposits are refused', async () => {
	const b = await liveBanks.create(new BankAccountWritable(account));
	const wrong = await sdkFails(liveBanks.verify(b.id, new BankAccountVerify({ amounts: [100, 100] })));
	assert.equal(wrong.status, 422);
	assert.equal(wrong.data.error.code, 'invalid_bank_account_verification');
	assert.equal((await liveBanks.get(b.id)).verified, false);
	const hidden = await req(srv, 'GET', '/v1/bank_accounts', { key: srv.keys.live_secret });
	assert.ok(!/"amounts":\[/.test(JSON.stringify(hidden.body)), 'the drawn amounts are never served');
	assert.ok(hidden.body.data.every((x) => x.id.startsWith('bank_')), 'only bank accounts are listed');
});

test('delete', async () => {
	const b = await banks.create(new BankAccountWritable(account));
	const d = await banks.delete(b.id);
	assert.equal(d.deleted, true);
	assert.equal((await sdkFails(banks.get(b.id))).status, 404);
});
