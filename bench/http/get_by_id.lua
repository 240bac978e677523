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

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.errors.status))
end
