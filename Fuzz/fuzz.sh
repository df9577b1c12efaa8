#!/usr/bin/env bash
# Fuzzes the admission library with libFuzzer: the request decoder, every endpoint of the pipeline
# (built-in policy and one with constraints), the JSON parser and the YAML reader of `check`
# (Fuzz/AdmissionFuzz/FuzzHarness.swift lists the invariants). Seeds: Fuzz/corpus (reviews made
# from the KubeRay samples by make-seeds.py) and the samples' YAML. New inputs that add coverage
# are merged into Fuzz/corpus; a crash is saved as Fuzz/crashers/crash-*, which the tests replay.
#
# Usage: Fuzz/fuzz.sh [SECONDS] [JOBS]     (default 300 s, 2 jobs; FUZZ_RUNS=N stops after N inputs;
#        EXTRA_SEEDS="DIR …" adds seed directories, e.g. Fuzz/make-seeds.py /tmp/seeds)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_TO_RUN=${1:-300}
JOBS=${2:-2}
BUILD=.build-fuzz
swift build -c release --build-path "$BUILD" --product ray-admission-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library >&2
BIN=$(swift build -c release --build-path "$BUILD" --show-bin-path)/ray-admission-fuzz
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p Fuzz/crashers "$WORK/new"
known=$(ls Fuzz/crashers)
runs=()
[[ -n ${FUZZ_RUNS:-} ]] && runs=(-runs="$FUZZ_RUNS")
status=0
# Swift's own crash handler reads memory in ways AddressSanitizer reports as a crash of its own.
export SWIFT_BACKTRACE=enable=no
# EXTRA_SEEDS: more seed directories (space-separated), read but not kept; what the fuzzer finds
# from them is merged like everything else.
read -r -a extra_seeds <<<"${EXTRA_SEEDS:-}"
"$BIN" "$WORK/new" Fuzz/corpus Tests/RayAdmissionTests/Fixtures/samples "${extra_seeds[@]}" \
  -max_total_time="$SECONDS_TO_RUN" -jobs="$JOBS" -workers="$JOBS" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=Fuzz/crashers/ -print_final_stats=1 "${runs[@]}" 2>&1 | tee "$WORK/log" | grep -E "DONE|NEW_FUNC|ERROR|SUMMARY|stat::|crash-|Done" || status=$?
cat fuzz-*.log >> "$WORK/log" 2>/dev/null || true
grep -hE "^#[0-9]+.*DONE|stat::number_of_executed_units|ERROR: libFuzzer|SUMMARY" "$WORK/log" fuzz-*.log 2>/dev/null | tail -8 || true
rm -f fuzz-*.log
# Keep only inputs that add coverage to what is kept already.
"$BIN" -merge=1 -use_counters=0 -max_len=65536 Fuzz/corpus "$WORK/new" 2>&1 | grep -E "MERGE-OUTER: [0-9]+ new files" || true
found=$(comm -13 <(echo "$known") <(ls Fuzz/crashers))
if [[ -n $found ]]; then
  echo "fuzz.sh: new crash, hang or leak reproducers in Fuzz/crashers/:" >&2
  echo "$found" >&2
  exit 1
fi
echo "fuzz.sh: no new crashes, hangs or leaks in ${SECONDS_TO_RUN}s × ${JOBS} jobs" >&2
