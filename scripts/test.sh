#!/usr/bin/env bash
# Sets everything up, runs the fuzzers, then every test (the same command CI runs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh --build-tests
# Every fuzz target for a bounded time (about 5 minutes with the sanitizer build), then the tests,
# whose closing line is the run's verdict.
bash scripts/fuzz.sh "${BINNACLE_FUZZ_SECONDS:-40}"
swift test "$@"
