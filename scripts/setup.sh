#!/usr/bin/env bash
# Installs what Binnacle needs that is missing (Debian packages), then builds it.
# Safe to run again: it installs nothing that is already there.
set -euo pipefail
# BASH_SOURCE, not $0: this file is also sourced by demo.sh and test.sh, from any folder.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The Swift toolchain lives in /opt/swift on our machines; elsewhere it must be on PATH.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "setup: Swift 6 is not installed (see https://swift.org/install)" >&2; exit 1; }

# libncurses-dev (wide-character ncursesw) and libsqlite3-dev to build; sqlite3 for benchmarks and
# tests; tmux for terminal tests; chromium (headless) and poppler-utils (pdfinfo, pdftotext) for the
# board pack's browser test.
packages=(libncurses-dev libsqlite3-dev sqlite3 tmux chromium poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # apt's output is kept and shown when it fails: the reason is in it.
  log=$(mktemp)
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "setup: installing ${missing[*]} failed (apt's output is above)" >&2
    exit 1
  fi
  rm -f "$log"
fi

swift build "$@"
