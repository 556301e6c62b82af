// SPDX-License-Identifier: AGPL-3.0-or-later
// Operators of the mail room: `frank operator create` prints exactly one JSON object with an
// operator key; the password (of operators and of /api/v1 users alike) is read from the
// terminal without echo, or from stdin, never from the command line. The terminal is given
// back as it was, also when the command is interrupted at the prompt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startFrank, req, runFrank, frankBin, storeEnv } from './lib/server.mjs';
import { createOperator, OPERATOR_PASSWORD } from './lib/operator.mjs';

let srv;
before(async () => {
	srv = await startFrank();
});
after(async () => {
	await srv?.stop();
});

/*
 * Runs a shell command on a new pseudo-terminal (util-linux `script`), answering each prompt
 * that appears in its output with the next line of `answers` (a string: raw bytes to send).
 * Resolves {code, out}: everything the terminal showed.
 */
async function onTerminal(command, answers) {
	const store = await storeEnv(srv.dataDir);	// FRANK_DATABASE in the PostgreSQL pass
	return new Promise((resolve, reject) => {
		// dash: a shell that leaves the terminal as the command left it (bash would restore it)
		const p = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...store, SHELL: '/bin/sh' } });
		let out = '';
		let asked = 0;
		const prompts = /(Password for the new \w+|Again): /g;
		p.on('error', reject);
		p.stdout.on('data', (d) => {
			out += d;
			const seen = [...out.matchAll(prompts)].length;
			while (asked < seen && asked < answers.length) p.stdin.write(answers[asked++]);
		});
		const timer = setTimeout(() => p.kill('SIGKILL'), 15000);
		p.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, out });
		});
	});
}

test('frank operator create: one JSON object with an operator key; the key works on production endpoints only', async () => {
	const r = await runFrank(['operator', 'create', '--data', srv.dataDir, '--email', 'Lead@MailRoom.example'], { input: `${OPERATOR_PASSWORD}\n` });
	assert.equal(r.code, 0, r.stderr);
	const lines = r.stdout.split('\n').filter((l) => l.trim());
	assert.equal(lines.length, 1, `exactly one line on stdout: ${r.stdout}`);
	const op = JSON.parse(lines[0]);
	assert.deepEqual(Object.keys(op), ['operator_id', 'key']);
	assert.match(op.operator_id, /^op_[0-9a-f]{16}$/);
	assert.match(op.key, /^frankop_[0-9a-f]{48}$/);
	const more = await req(srv, 'POST', '/v1/_frank/production/keys', { key: op.key });
	assert.equal(more.status, 200, more.text);
	assert.equal(more.body.object, 'operator_key');
	assert.equal((await req(srv, 'GET', '/v1/addresses', { key: op.key })).status, 403, 'not the customer API');
	const dup = await runFrank(['operator', 'create', '--data', srv.dataDir, '--email', 'lead@mailroom.example'], { input: `${OPERATOR_PASSWORD}\n` });
	assert.equal(dup.code, 1);
	assert.match(dup.stderr, /an operator with the e-mail lead@mailroom\.example exists/);
	assert.equal(dup.stdout, '', 'no key printed');
	const argv = await runFrank(['operator', 'create', '--data', srv.dataDir, '--email', 'argv@mailroom.example', '--password', OPERATOR_PASSWORD]);
	assert.equal(argv.code, 2);
	assert.match(argv.stderr, /operator create does not take --password/);
	const none = await runFrank(['operator', 'create', '--data', srv.dataDir, '--email', 'none@mailroom.example']);
	assert.equal(none.code, 1);
	assert.match(none.stderr, /no password on stdin: pipe it in/);
	const short = await runFrank(['operator', 'create', '--data', srv.dataDir, '--email', 'short@mailroom.example'], { input: 'short\n' });
	assert.equal(short.code, 1);
	assert.match(short.stderr, /password must be 8 to 256 characters/);
	const revoked = await req(srv, 'POST', '/v1/_frank/production/keys', { key: `frankop_${'0'.repeat(48)}` });
	assert.equal(revoked.status, 401);
	assert.equal(revoked.body.error.code, 'invalid_api_key');
	assert.ok((await createOperator(srv)).key, 'the helper the other tests use');
});

test('on a terminal the password is typed without echo, twice, and the terminal is restored', async () => {
	const secret = 'typed on a tty 42';
	const cmd = `${frankBin()} operator create --data ${srv.dataDir} --email tty@mailroom.example; stty -a`;
	const r = await onTerminal(cmd, [`${secret}\n`, `${secret}\n`]);
	assert.equal(r.code, 0, r.out);
	assert.match(r.out, /Password for the new operator: /);
	assert.match(r.out, /Again: /);
	assert.ok(!r.out.includes(secret), `the password was echoed:\n${r.out}`);
	assert.match(r.out, /"operator_id":"op_[0-9a-f]{16}","key":"frankop_[0-9a-f]{48}"/);
	assert.match(r.out, /\secho\s/, 'echo is on again afterwards');
	assert.doesNotMatch(r.out, /\s-echo\s/);

	const differ = await onTerminal(`${frankBin()} user create --data ${srv.dataDir} --email tty@example.com`, ['one password\n', 'another password\n']);
	assert.notEqual(differ.code, 0);
	assert.match(differ.out, /Password for the new user: /);
	assert.match(differ.out, /the two passwords differ/);
	assert.ok(!differ.out.includes('one password') && !differ.out.includes('another password'), differ.out);
	const user = await onTerminal(`${frankBin()} user create --data ${srv.dataDir} --email tty@example.com`, [`${secret}\n`, `${secret}\n`]);
	assert.equal(user.code, 0, user.out);
	assert.ok(!user.out.includes(secret), user.out);
	const login = await req(srv, 'POST', '/api/v1/sessions', { key: null, json: { email: 'tty@example.com', password: secret } });
	assert.equal(login.status, 201, `the typed password signs in: ${login.text}`);
});

test('Ctrl-C at the password prompt ends the command with the terminal echoing again', async () => {
	// the shell survives the interrupt (its trap), the command does not; then stty reports
	const cmd = `trap 'echo interrupted' INT; ${frankBin()} operator create --data ${srv.dataDir} --email int@mailroom.example; echo "exit=$?"; stty -a`;
	const r = await onTerminal(cmd, ['\x03']);
	assert.match(r.out, /exit=130/, `killed by SIGINT:\n${r.out}`);
	assert.match(r.out, /\secho\s/, `echo restored:\n${r.out}`);
	assert.doesNotMatch(r.out, /\s-echo\s/);
	assert.doesNotMatch(r.out, /"operator_id"/);
});
