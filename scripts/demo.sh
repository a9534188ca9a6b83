#!/usr/bin/env bash
# Sets everything up, creates demo.sqlite from sample-data/ (once) and opens it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
exec .build/debug/binnacle demo "$@"
