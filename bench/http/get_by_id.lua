-- SPDX-License-Identifier: AGPL-3.0-or-later
-- GET /api/v1/contracts/{id} with ids drawn at random from ids.txt (one per line).
local ids = {}
local token = os.getenv("CM_TOKEN")

function init(args)
  for line in io.lines(os.getenv("CM_IDS_FILE")) do ids[#ids + 1] = line end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/v1/contracts/" .. id, { ["Authorization"] = "Bearer " .. token })
end

dofile(os.getenv("CM_BENCH_DIR") .. "/report.lua")
