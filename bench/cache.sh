#!/usr/bin/env bash
# Benchmark (not a test): the dashboard cache on the large portfolio of bench/report.sh, on a copy
# (the cache's catch-up is timed after a write, which must not touch the shared file):
#   cold:     `prepare` (the date's lists and the 12-month trend) with an empty cache, and the
#             dashboard's first look (`snapshot --background`: first frame, then every number);
#             and the Models screen's first frame alone (the date's lists, without the trend);
#   catch-up: the same after one `task assign`, with the cache derived before the write.
# Usage: bench/cache.sh [BINARY] [DB]   (defaults: .build/release/binnacle, bench/out/bench.sqlite)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/release/binnacle}
src=${2:-bench/out/bench.sqlite}
asof=2026-11-21
work=$(mktemp -d /tmp/binnacle-cache-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$src" "$work/inv.sqlite"
db=$work/inv.sqlite
export BINNACLE_CACHE_DIR=$work/cache
timed() { /usr/bin/time -f "%e s wall, %U s user" "$@" 2>&1 >/dev/null | tail -1; }
look() { "$bin" snapshot --db "$db" --as-of $asof --screen overview --background --timing 2>&1 >/dev/null | tail -1; }
model=$(sqlite3 "$db" "SELECT id FROM models ORDER BY id LIMIT 1")
lead=$(sqlite3 "$db" "SELECT login FROM people WHERE role = 'ai_lead' AND active = 1 ORDER BY login LIMIT 1")
assign() { "$bin" task assign --db "$db" --as "$lead" "$model" --to "$lead" --due 2026-12-01 --title bench >/dev/null; }

echo "cold prepare:              $(timed "$bin" prepare --db "$db" --as-of $asof)"
echo "warm prepare:              $(timed "$bin" prepare --db "$db" --as-of $asof)"
assign
echo "prepare after task assign: $(timed "$bin" prepare --db "$db" --as-of $asof)"
rm -rf "$BINNACLE_CACHE_DIR"
echo "cold Models screen:        $("$bin" snapshot --db "$db" --as-of $asof --screen models --timing 2>&1 >/dev/null | tail -1)"
rm -rf "$BINNACLE_CACHE_DIR"
echo "cold first look:           $(look)"
assign
echo "first look after assign:   $(look)"
