-- SPDX-License-Identifier: AGPL-3.0-or-later
-- GET /api/v1/reports/summary, the same organization every time.
local token = os.getenv("CM_TOKEN")

function request()
  return wrk.format("GET", "/api/v1/reports/summary", { ["Authorization"] = "Bearer " .. token })
end

dofile(os.getenv("CM_BENCH_DIR") .. "/report.lua")
