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

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.errors.status))
end
