// SPDX-License-Identifier: AGPL-3.0-or-later
// Operators of the mail room for a test server: `frank operator create`, the password on stdin
// (never argv). Their keys are the only ones the production endpoints take:
//   const op = await createOperator(srv);   // {operator_id, key}
//   await req(srv, 'POST', '/v1/_frank/production/scans', { key: op.key, json: { records } });
import { runFrank, lastJsonLine } from './server.mjs';

export const OPERATOR_PASSWORD = 'a mail room password';
let made = 0;

export async function createOperator(srv, email = `mailroom${++made}@example.com`) {
	const r = await runFrank(['operator', 'create', '--data', srv.dataDir, '--email', email], { input: `${OPERATOR_PASSWORD}\n` });
	const op = lastJsonLine(r.stdout, (j) => !!j.key);
	if (r.code !== 0 || !op) throw new Error(`frank operator create failed (exit ${r.code})\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
	return op;
}
