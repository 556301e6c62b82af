-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script for the GET runs (nginx static file and frankd GET /v1/addresses/{id}).
-- The URL path comes from the wrk command line.  If FRANK_BENCH_AUTH is set it is
-- sent as the Authorization header (frankd needs it; nginx ignores it).
-- The request is built once by wrk (no request() function), so the client side
-- stays as cheap as plain `wrk URL`.

local auth = os.getenv("FRANK_BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

-- One machine-readable line for bench/run; printed after wrk's own report.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d sock_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
