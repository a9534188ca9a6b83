#!/usr/bin/env bash
# Sets everything up and runs every test (the same command CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh --build-tests
swift test "$@"
