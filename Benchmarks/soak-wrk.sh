#!/usr/bin/env bash
# The soak at half of the server's own capacity: the release server pinned to one core, wrk on the
# other. First 5 s unpaced to find the capacity, then SECONDS (default 600) with wrk pacing 16
# connections to about half of it (Benchmarks/paced.lua), sampling the server's RSS every 10 s.
# Fails on any error or non-2xx answer, or RSS growing more than 16 MiB from the first sample.
# Usage: Benchmarks/soak-wrk.sh [SECONDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
KIT=${BENCH_KIT:-$ROOT/../shared/bench}
SECONDS_TO_RUN=${1:-600}
swift build -c release --product ray-admission >&2
BIN=$(swift build -c release --show-bin-path)/ray-admission
DIR=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DIR"' EXIT
taskset -c 0 "$BIN" serve --dev-cert-dir "$DIR/certs" --bind 127.0.0.1 --port 18490 --metrics-port 18491 \
  --log-level warning >"$DIR/server.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null http://127.0.0.1:18491/readyz; do sleep 0.05; done
export BODY=$KIT/admissionreview-raycluster.json
URL=https://127.0.0.1:18490/mutate
capacity=$(DELAY_MS=0 taskset -c 1 wrk -t1 -c16 -d5s -s Benchmarks/paced.lua "$URL" | sed -n 's/.*rps=\([0-9.]*\).*/\1/p')
delay=$(awk -v c="$capacity" 'BEGIN { printf "%d", 16 * 1000 / (c / 2) }')
rss() { awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$pid/status"; }
echo "capacity ${capacity} req/s; pacing 16 connections at ${delay} ms for ${SECONDS_TO_RUN} s" >&2
samples=()
(DELAY_MS=$delay taskset -c 1 wrk -t1 -c16 -d"${SECONDS_TO_RUN}s" --timeout 10s -s Benchmarks/paced.lua "$URL" \
  >"$DIR/wrk.txt" 2>&1) &
wrk_pid=$!
while kill -0 "$wrk_pid" 2>/dev/null; do samples+=("$(rss)"); sleep 10; done
result=$(grep SOAK_RESULT "$DIR/wrk.txt")
non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$DIR/wrk.txt"); non2xx=${non2xx:-0}
first=${samples[1]:-${samples[0]}}; last=${samples[-1]}
peak=$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)
echo "$result non2xx=$non2xx"
echo "RSS MiB: first ${first}, last ${last}, peak ${peak} (${#samples[@]} samples)"
errors=$(echo "$result" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(connect|read|write|status|timeout)=/) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }')
(( errors == 0 && non2xx == 0 )) || { echo "soak-wrk.sh: errors during the soak" >&2; exit 1; }
(( last - first <= 16 )) || { echo "soak-wrk.sh: RSS grew from ${first} to ${last} MiB" >&2; exit 1; }
echo "soak-wrk.sh: no errors, RSS flat" >&2
