-- wrk script for Benchmarks/soak-wrk.sh: POSTs the review at a paced rate (each connection waits
-- DELAY_MS between requests) and prints totals that the script checks.
local path = os.getenv("BODY") or "admissionreview-raycluster.json"
local file = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
local pause = tonumber(os.getenv("DELAY_MS") or "10")

function delay()
  return pause
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "SOAK_RESULT requests=%d seconds=%.0f rps=%.1f p99_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
