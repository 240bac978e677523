-- SPDX-License-Identifier: AGPL-3.0-or-later
-- The filtered list: drafts of one type, newest first, a page of 50.
local token = os.getenv("CM_TOKEN")
local paths = {
  "/api/v1/contracts?type=nda&status=draft&limit=50",
  "/api/v1/contracts?tag=legal&sort=-expirationDate&limit=50",
  "/api/v1/contracts?minValue=1000&maxValue=500000&currency=EUR&limit=50",
  "/api/v1/contracts?expiringBefore=2027-06-30&expiringAfter=2027-01-01&limit=50",
}
local n = 0

function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], { ["Authorization"] = "Bearer " .. token })
end

dofile(os.getenv("CM_BENCH_DIR") .. "/report.lua")
