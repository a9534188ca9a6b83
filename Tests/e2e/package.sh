#!/usr/bin/env bash
# End-to-end: builds the tarball (scripts/package.sh), unpacks it into a temporary folder and checks
# that the binary needs no Swift library and works with the toolchain off PATH and LD_LIBRARY_PATH:
# it imports the tarball's sample-data and prints the same report as the debug build.
# Usage: package.sh [DEBUG_BINNACLE_BINARY]   (default: .build/debug/binnacle)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
debug=$(realpath "${1:-.build/debug/binnacle}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "package check: FAILED: $*" >&2; exit 1; }
trap 'echo "package check: FAILED at line $LINENO" >&2' ERR

tarball=$(bash scripts/package.sh | tail -n 1)
tar -xzf "$tarball" -C "$work"
dir="$work/$(basename "$tarball" .tar.gz)"
bin="$dir/binnacle"
[ -x "$bin" ] && [ -f "$dir/README.md" ] && [ -f "$dir/sample-data/models.csv" ] ||
    fail "the tarball lacks the binary, the README or sample-data/"

# A clean environment, as on a machine without Swift: no toolchain on PATH, no LD_LIBRARY_PATH.
clean() { env -i PATH=/usr/bin:/bin HOME="$work" "$@"; }

libs=$(clean ldd "$bin")
echo "$libs"
! grep -q "not found" <<<"$libs" || fail "a library is missing"
! grep -Eiq 'swift|Foundation|dispatch|BlocksRuntime|/opt/' <<<"$libs" || fail "the binary needs a Swift library"
! grep -Eiq 'R(UN)?PATH.*/opt' <<<"$(readelf -d "$bin")" || fail "the binary looks for libraries in the toolchain"

version=$(clean "$bin" --version)
[ "$version" = "$("$debug" --version)" ] || fail "--version says '$version', the debug build '$("$debug" --version)'"

clean "$bin" import bundle "$dir/sample-data" --db "$work/packaged.sqlite" >/dev/null
clean "$debug" import bundle sample-data --db "$work/debug.sqlite" >/dev/null
clean "$bin" report --as-of 2026-11-21 --db "$work/packaged.sqlite" >"$work/packaged.txt"
clean "$debug" report --as-of 2026-11-21 --db "$work/debug.sqlite" >"$work/debug.txt"
diff -u "$work/debug.txt" "$work/packaged.txt" || fail "the packaged binary's report differs from the debug build's"
grep -q "Impact share" "$work/packaged.txt" || fail "the report is empty"
# As the README tells a new user: the demo, run from the unpacked folder, finds the sample beside it.
(cd "$dir" && clean ./binnacle demo --db "$work/demo.sqlite" </dev/null >"$work/demo.txt")
grep -q "Impact share" "$work/demo.txt" || fail "the demo does not run from the unpacked folder"

echo "package check: $(basename "$tarball") ($(du -h "$tarball" | cut -f1)), version $version, no Swift library, same report: ok"
