// SPDX-License-Identifier: AGPL-3.0-or-later
// Open-loop load for bench/webhooks: POST /v1/addresses at a fixed rate, whatever the
// answers' latency (a closed loop would slow down with the server and hide its queueing).
// Usage: node bench/paced_post.mjs URL AUTH RATE SECONDS
// Prints: BENCH requests=… rps=… p50_us=… p99_us=… non2xx=… sock_errors=… (as the wrk scripts)
import http from 'node:http';

const [url, auth, rate, secs] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
if (!url || !auth || !(rate > 0) || !(secs > 0)) {
	console.error('usage: node bench/paced_post.mjs URL AUTH RATE SECONDS');
	process.exit(2);
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const lat = [];
let sent = 0, done = 0, non2xx = 0, sockErrors = 0;

function post(n) {
	const body = JSON.stringify({ name: `Harry Zhang ${n}`, address_line1: '210 King St', address_city: 'San Francisco', address_state: 'CA', address_zip: '94107' });
	const t = process.hrtime.bigint();
	const rq = http.request(url, { method: 'POST', agent, headers: { Authorization: auth, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (rs) => {
		rs.resume();
		rs.on('end', () => {
			lat.push(Number(process.hrtime.bigint() - t) / 1000);
			if (rs.statusCode < 200 || rs.statusCode > 299) non2xx++;
			done++;
		});
	});
	rq.on('error', () => {
		sockErrors++;
		done++;
	});
	rq.end(body);
}

const start = Date.now();
const end = start + secs * 1000;
const timer = setInterval(() => {
	const now = Math.min(Date.now(), end);
	const due = Math.floor(((now - start) / 1000) * rate);
	while (sent < due) post(sent++);
	if (now >= end) {
		clearInterval(timer);
		const wait = setInterval(() => {
			if (done < sent) return;
			clearInterval(wait);
			lat.sort((a, b) => a - b);
			const pct = (p) => Math.round(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] || 0);
			console.log(`BENCH requests=${sent} rps=${(sent / secs).toFixed(1)} p50_us=${pct(0.5)} p99_us=${pct(0.99)} non2xx=${non2xx} sock_errors=${sockErrors}`);
			agent.destroy();
		}, 20);
	}
}, 2);
