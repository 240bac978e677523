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

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.errors.status))
end
