#!/usr/bin/env bash
# Load benchmark: the release server's /mutate over TLS keep-alive with a realistic 4.4 KB
# RayCluster review, measured side by side with nginx (fixed TLS reply: the ceiling here) and a
# minimal Go webhook (decode + encode only), by the shared load kit (wrk + Lua, servers pinned to
# one core, wrk on the other). Report ratios: absolute figures drift between runs.
#
# Usage: Benchmarks/load.sh [quick|full]
#   quick (default): 1 × 5 s per target, 16 connections, pinned            (~1.5 min + build)
#   full:            3 × 10 s, 16 and 64 connections, keep-alive and close  (~8 min + build)
# BENCH_KIT overrides where the kit is (default: ../shared/bench beside the repository).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=${BENCH_KIT:-$ROOT/../shared/bench}
[[ -x $KIT/limit.sh ]] || { echo "load.sh: no load kit at $KIT (set BENCH_KIT)" >&2; exit 2; }
MODE=${1:-quick}

cd "$ROOT"
swift build -c release --product ray-admission >&2
BIN=$(swift build -c release --show-bin-path)/ray-admission

case $MODE in
  quick) export DURATION=${DURATION:-5} REPS=${REPS:-1} CONNS=${CONNS:-16} PIN_MODES=${PIN_MODES:-pinned} MODES=${MODES:-ka} ;;
  full) export DURATION=${DURATION:-10} REPS=${REPS:-3} CONNS=${CONNS:-"16 64"} PIN_MODES=${PIN_MODES:-pinned} MODES=${MODES:-"ka close"} ;;
  *) echo "load.sh: mode is quick or full" >&2; exit 2 ;;
esac
export OUT=${OUT:-$ROOT/Benchmarks/out/$(date +%Y%m%d-%H%M%S)}
export EXTRA_NAME=ray-admission
export EXTRA_CMD="$BIN serve --cert-dir \"\$CERT_DIR\" --bind 127.0.0.1 --port 18450 --metrics-port 18451 --log-level warning"
exec "$KIT/limit.sh" https://127.0.0.1:18450/mutate
