#!/usr/bin/env bash
# Instructions per operation for pipeline-benchmark stages, counted by valgrind (callgrind): unlike
# CPU time on a shared VM, the count repeats to the last digit, so small regressions show.
# Usage: Benchmarks/instructions.sh [REVIEW.json] [STAGE-PREFIX...]
# Each stage runs twice (1000 and 2000 iterations, plus warm-up); the difference divided by the
# extra operations is the per-operation count, free of start-up cost.
set -euo pipefail
cd "$(dirname "$0")/.."
review=${1:-Tests/RayAdmissionTests/Fixtures/reviews/raycluster-create.json}
shift || true
stages=("$@")
if [ ${#stages[@]} -eq 0 ]; then
    stages=("decode AdmissionReview" "review (mutate)" "review (validate)" "encode response" "total /mutate")
fi
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
swift build -c release --product ray-admission-bench >/dev/null 2>&1
binary=$(mktemp)
trap 'rm -f "$binary" "$binary".cg' EXIT
cp .build/release/ray-admission-bench "$binary"
chmod +x "$binary"
strip -g "$binary"  # valgrind cannot read Swift's DWARF; symbols are enough here
# Swift seeds its hashing per process, which moves Set and Dictionary costs by a few thousand
# instructions between runs; a fixed seed makes the count repeat.
export SWIFT_DETERMINISTIC_HASHING=1
count() {
    BENCH_ONLY="$1" valgrind --tool=callgrind --callgrind-out-file="$binary.cg" "$binary" "$review" "$2" 2>&1 \
        | sed -n 's/.*Collected : //p'
}
for stage in "${stages[@]}"; do
    small=$(count "$stage" 1000)
    large=$(count "$stage" 2000)
    # measure() runs count/10 warm-up iterations, then count more.
    printf '%-34s %12d instructions/op\n' "$stage" $(( (large - small) / 1100 ))
done
