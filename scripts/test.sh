#!/usr/bin/env bash
# Sets everything up and runs every test, then the fuzzers (the same command CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --build-tests
swift test "$@"
# Then every fuzz target for a bounded time (about 5 minutes with the sanitizer build).
bash scripts/fuzz.sh "${BINNACLE_FUZZ_SECONDS:-40}"
