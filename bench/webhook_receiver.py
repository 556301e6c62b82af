# SPDX-License-Identifier: AGPL-3.0-or-later
# Webhook receiver for bench/webhooks: counts deliveries and the delay from each event's
# date_created to its arrival; prints one JSON line when it gets SIGTERM.
import json, signal, sys, threading, time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

delays, first, last, lock = [], [None], [None], threading.Lock()

class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now = time.time()
        created = json.loads(body)["date_created"]
        t = datetime.strptime(created, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()
        with lock:
            delays.append(now - t)
            first[0] = first[0] or now
            last[0] = now
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass

def report(*_):
    d = sorted(delays)
    pct = lambda p: round(d[min(len(d) - 1, int(p * len(d)))] * 1000, 1) if d else None
    span = (last[0] - first[0]) if d and last[0] > first[0] else 0
    print(json.dumps({"deliveries": len(d), "per_s": round(len(d) / span, 1) if span else None,
                      "delay_ms_p50": pct(0.5), "delay_ms_p99": pct(0.99), "delay_ms_max": pct(1.0)}), flush=True)
    sys.exit(0)

signal.signal(signal.SIGTERM, report)
srv = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook)
print("ready", flush=True)
srv.serve_forever()
