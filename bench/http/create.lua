-- SPDX-License-Identifier: AGPL-3.0-or-later
-- POST /api/v1/contracts with a realistic body.
local token = os.getenv("CM_TOKEN")
local body = [[{"title":"Benchmark service agreement","type":"service","description":"Created by wrk",
"value":{"amount":"125000.00","currency":"EUR"},"effectiveDate":"2026-01-01",
"expirationDate":"2028-12-31","autoRenew":true,"renewalTermMonths":12,"noticePeriodDays":90,
"tags":["bench","it"],"customFields":{"costCenter":"CC-42","priority":2}}]]

function request()
  return wrk.format("POST", "/api/v1/contracts",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end

dofile(os.getenv("CM_BENCH_DIR") .. "/report.lua")
