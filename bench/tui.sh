#!/usr/bin/env bash
# Benchmark (not a test): the dashboard's first frame and keypress latency on the large portfolio that
# bench/report.sh imports (run that first), through `binnacle snapshot --background`, which renders what the
# TUI draws into the in-memory grid, loading the overview's trend in the background as the TUI does.
# Usage: bench/tui.sh
set -euo pipefail
cd "$(dirname "$0")/.."
db=bench/out/bench.sqlite
bin=.build/release/binnacle
[ -f "$db" ] || { echo "bench/tui.sh: run bench/report.sh first (it builds $db)" >&2; exit 1; }
swift build -c release >/dev/null
pages=$(printf 'PgDn %.0s' $(seq 40))
for screen in overview models alerts; do
  /usr/bin/time -f "%e %M" -o bench/out/tui-time.txt "$bin" snapshot --db "$db" --as-of 2026-11-21 --screen "$screen" \
    --background --timing --keys "$([ "$screen" = models ] && echo "$pages" || echo "Down Down Down")" >/dev/null 2>bench/out/tui-timing.txt
  read -r wall kb < bench/out/tui-time.txt
  echo "$screen: $(cat bench/out/tui-timing.txt); process ${wall}s, peak $((kb / 1024)) MB"
done
