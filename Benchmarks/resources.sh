#!/usr/bin/env bash
# Start-up time, memory and the 1 MiB case, for the README's performance table:
#   ready     time from exec to the first 200 from /readyz (median of 5 starts)
#   RSS       resident memory idle (after start) and the peak under 10 s of wrk load (16 conns)
#   1 MiB     the pipeline benchmark on Benchmarks/reviews/raycluster-1mib.json (1 340 worker groups)
# Uses the release build, wrk and curl; loopback only.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KIT=${BENCH_KIT:-$ROOT/../shared/bench}
swift build -c release --product ray-admission --product ray-admission-bench >&2 2>/dev/null \
  || { swift build -c release --product ray-admission >&2; swift build -c release --product ray-admission-bench >&2; }
BIN=$(swift build -c release --show-bin-path)
DIR=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DIR"' EXIT
"$BIN/ray-admission" serve --dev-cert-dir "$DIR/certs" --port 0 --metrics-port 0 --log-level error >/dev/null 2>&1 &
sleep 1; kill $! 2>/dev/null || true; wait 2>/dev/null || true   # writes the dev certificate once

rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

starts=()
for attempt in 1 2 3 4 5; do
  begin=$(date +%s%N)
  "$BIN/ray-admission" serve --cert-dir "$DIR/certs" --bind 127.0.0.1 --port 18470 --metrics-port 18471 \
    --log-level error >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:18471/readyz; do sleep 0.005; done
  starts+=($(( ($(date +%s%N) - begin) / 1000000 )))
  if (( attempt < 5 )); then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
done
ready=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 3p)
sleep 1
idle=$(rss_mib "$pid")
peak=$idle
(cd "$KIT" && wrk -t1 -c16 -d10s -s post.lua https://127.0.0.1:18470/mutate >"$DIR/wrk.txt" 2>&1) &
wrk_pid=$!
while kill -0 "$wrk_pid" 2>/dev/null; do
  now=$(rss_mib "$pid"); peak=$(awk -v a="$peak" -v b="$now" 'BEGIN { print (b > a ? b : a) }'); sleep 0.5
done
after=$(rss_mib "$pid")
kill "$pid"; wait "$pid" 2>/dev/null || true
echo "ready after start (median of 5): ${ready} ms   (all: ${starts[*]})"
echo "RSS idle: ${idle} MiB; under load (16 connections, 10 s): peak ${peak} MiB, after ${after} MiB"
grep -E "Requests/sec" "$DIR/wrk.txt" || true
echo "1 MiB RayCluster review (pipeline benchmark):"
"$BIN/ray-admission-bench" Benchmarks/reviews/raycluster-1mib.json 20 2>&1 | grep -E "^(decode AdmissionReview|review \(|encode response|total /)"
