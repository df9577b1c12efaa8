#!/usr/bin/env bash
# The soak of issue 6: the release server at about half of its capacity for SECONDS (default 600),
# with zero errors and flat memory required. It is FaultTests' soak test, pointed at the release
# build and lengthened; CI runs the same test for 20 s against the debug build.
# Usage: Benchmarks/soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product ray-admission >&2
swift build --build-tests >&2
RAY_ADMISSION_BINARY=$(swift build -c release --show-bin-path)/ray-admission \
RAY_ADMISSION_SOAK_SECONDS=${1:-600} \
  swift test --skip-build --filter soakAtHalfCapacityHasNoErrorsAndFlatMemory 2>&1 \
  | grep -E "soak:|✔|✘|issue"
