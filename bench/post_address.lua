-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script for the POST runs: POST /v1/addresses with a JSON body.
-- The URL comes from the wrk command line.  FRANK_BENCH_AUTH (if set) is sent as
-- the Authorization header.  The name varies per request ("Harry Zhang <thread>-<n>")
-- so frankd stores distinct rows; building the request in Lua costs wrk a little
-- CPU per request, which is small next to the server's work.

local auth = os.getenv("FRANK_BENCH_AUTH")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("tid", thread_no)
end

local n = 0
function request()
  n = n + 1
  local body = string.format(
    '{"name":"Harry Zhang %d-%d","address_line1":"210 King St",' ..
    '"address_city":"San Francisco","address_state":"CA","address_zip":"94107"}',
    tid or 0, n)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d sock_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
