-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk: POST /v1/bulk/us_verifications with 20 addresses per request (Lob's maximum)
local items = {}
for i = 1, 20 do
	items[#items + 1] = string.format(
		'{"primary_line":"%d King St","city":"San Francisco","state":"CA","zip_code":"94107"}', 100 + i)
end
wrk.method = "POST"
wrk.body = '{"addresses":[' .. table.concat(items, ",") .. ']}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic " .. os.getenv("FRANK_BENCH_AUTH")
