-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk script: POST /v1/letters, a one-page HTML letter with merge variables and inline
-- addresses (each request makes a letter, two addresses and a render job).
local auth = os.getenv("FRANK_BENCH_AUTH")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end
local n = 0
function request()
  n = n + 1
  local body = string.format(
    '{"to":{"name":"Harry Zhang %d","address_line1":"210 King St","address_city":"San Francisco",' ..
    '"address_state":"CA","address_zip":"94107"},"from":{"name":"Acme","address_line1":"185 Berry St",' ..
    '"address_city":"San Francisco","address_state":"CA","address_zip":"94107"},' ..
    '"file":"<html><body><h1>Hello {{name}}</h1><p>Your balance is {{balance}}.</p></body></html>",' ..
    '"merge_variables":{"name":"Harry %d","balance":"$%d.00"},"color":false,"use_type":"operational"}',
    n, n, n)
  return wrk.format(nil, nil, nil, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d sock_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
