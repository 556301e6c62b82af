// SPDX-License-Identifier: AGPL-3.0-or-later
// A node:test reporter that counts each test once, for scripts/run-tests.
//
// node reports a test that has subtests (a `describe`, or a `test` calling `t.test`) as a
// result of its own; counting those would count one check twice. This reporter writes one
// line per leaf test (a test with no subtests), tab-separated:
//   pass <TAB> file > parent > name
//   fail <TAB> file > parent > name <TAB> first line of the error
//   skip <TAB> file > parent > name <TAB> skipped|todo: reason   (never a pass)
// A test with subtests is a line only when it fails on its own (its body after the
// subtests, or a hook), not when it fails because a subtest did: that one is already a line.
// A test file that fails outside any test (an import throws, the process exits) is reported
// by node as a test named after the file, with no subtests: it is a "fail" line.
//
// Relies on node's guarantee that test:start, test:pass and test:fail come in the order the
// tests are defined, a test's subtests before its own result.
import { relative } from 'node:path';

const oneLine = (s) => String(s ?? '').split('\n')[0].replace(/\t/g, ' ');

export default async function* leafReporter(source) {
	const names = [];	// names[n]: the test at nesting n that started last
	const hadChild = [];	// hadChild[n]: a result at nesting n came since the last one at n-1
	for await (const { type, data } of source) {
		if (type === 'test:start') {
			names.length = data.nesting;
			names.push(data.name);
			continue;
		}
		if (type !== 'test:pass' && type !== 'test:fail')
			continue;
		const n = data.nesting;
		const leaf = !hadChild[n + 1];
		hadChild.length = n + 1;
		hadChild[n] = true;
		const parts = [...names.slice(0, n), data.name];
		if (parts[0] === data.file)	// a file that failed outside its tests
			parts.shift();
		const path = [data.file ? relative(process.cwd(), data.file) : '', ...parts]
			.filter(Boolean).join(' > ');
		const error = data.details?.error;
		if (data.skip !== undefined || data.todo !== undefined) {
			const why = data.skip ?? data.todo;
			const reason = typeof why === 'string' && why ? ': ' + oneLine(why) : '';
			if (leaf)
				yield `skip\t${path}\t${data.skip !== undefined ? 'skipped' : 'todo'}${reason}\n`;
		} else if (type === 'test:fail' && (leaf || error?.failureType !== 'subtestsFailed')) {
			yield `fail\t${path}\t${oneLine(error?.cause?.message ?? error?.message)}\n`;
		} else if (type === 'test:pass' && leaf) {
			yield `pass\t${path}\n`;
		}
	}
}
