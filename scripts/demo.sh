#!/usr/bin/env bash
# Sets everything up, creates demo.sqlite from sample-data/ (once) and opens it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The demo runs the release build: the first build takes a few minutes longer, every screen is faster.
source scripts/setup.sh -c release
exec .build/release/binnacle demo "$@"
