#!/usr/bin/env bash
# Sets everything up, runs the fuzzers and the package check, then every test (what CI runs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh --build-tests
# Every fuzz target for a bounded time (about 5 minutes with the sanitizer build), then the
# self-contained package (a few minutes: its own release build), then the board pack in a real
# browser (seconds), then the tests, whose closing line is the run's verdict.
bash scripts/fuzz.sh "${BINNACLE_FUZZ_SECONDS:-40}"
bash Tests/e2e/package.sh .build/debug/binnacle
bash Tests/e2e/browser.sh .build/debug/binnacle
swift test "$@"
