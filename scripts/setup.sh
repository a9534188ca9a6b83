#!/usr/bin/env bash
# Installs what Binnacle needs that is missing (Debian packages), then builds it.
# Safe to run again: it installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Swift toolchain lives in /opt/swift on our machines; elsewhere it must be on PATH.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "setup: Swift 6 is not installed (see https://swift.org/install)" >&2; exit 1; }

# libncursesw5-dev and libsqlite3-dev to build; sqlite3 for benchmarks; tmux for terminal tests.
packages=(libncursesw5-dev libsqlite3-dev sqlite3 tmux)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

swift build "$@"
