// SPDX-License-Identifier: AGPL-3.0-or-later
// A local HTTP server for tests: webhook deliveries are recorded as {type, piece} (the event's
// type and its body's id) and answered 200; other paths can be served by `routes`
// ({'/file.pdf': (rq, rs) => …}). Listening on 127.0.0.1 when the promise resolves.
//   const hooks = []; const receiver = await webhookReceiver(hooks);
//   … `http://127.0.0.1:${receiver.address().port}/h` … receiver.close();
import http from 'node:http';

export async function webhookReceiver(hooks, routes = {}) {
	const server = http.createServer((rq, rs) => {
		if (routes[rq.url]) return routes[rq.url](rq, rs);
		let raw = '';
		rq.on('data', (c) => (raw += c));
		rq.on('end', () => {
			const e = JSON.parse(raw);
			hooks.push({ type: e.event_type.id, piece: e.body.id });
			rs.writeHead(200).end();
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	return server;
}
