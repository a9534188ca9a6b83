#!/usr/bin/env bash
# Benchmark (not a test): the dashboard's first frame, keypress latency and peak memory on the large
# portfolio that bench/report.sh imports (run that first), through `binnacle snapshot --background`,
# which renders what the TUI draws into the in-memory grid and loads the slow parts in the background
# as the TUI does.
#   cold: the date has never been seen (the cache is emptied first): the first frame is the
#         "working out" placeholder; then, counted from the first frame, "numbers shown" (the
#         overview's KPIs and top alerts, from one sweep of the inventory), "sparklines" (its
#         12-month trend) and "complete" (the date's lists derived: every screen ready). Targets
#         (issue 16): numbers within 250 ms, sparklines within 1 s, peak <= 64 MB.
#   warm: the date was derived before (the usual case): the first frame has the data.
# Keys: 40 × PgDn through the list (the Models screen: 50,000 models).
# Usage: bench/tui.sh
set -euo pipefail
cd "$(dirname "$0")/.."
db=bench/out/bench.sqlite
bin=.build/release/binnacle
[ -f "$db" ] || { echo "bench/tui.sh: run bench/report.sh first (it builds $db)" >&2; exit 1; }
swift build -c release >/dev/null
export BINNACLE_CACHE_DIR=bench/out/cache
pages=$(printf 'PgDn %.0s' $(seq 40))
run() { # label screen [snapshot options...]
  local label=$1 screen=$2; shift 2
  /usr/bin/time -f "%e %M" -o bench/out/tui-time.txt "$bin" snapshot --db "$db" --as-of 2026-11-21 --screen "$screen" \
    --background --timing --keys "$pages" "$@" >/dev/null 2>bench/out/tui-timing.txt
  read -r wall kb < bench/out/tui-time.txt
  echo "$label $screen $*: $(cat bench/out/tui-timing.txt); process ${wall}s, peak $((kb / 1024)) MB"
}
rm -rf "$BINNACLE_CACHE_DIR"
run cold overview
for screen in overview models alerts risk people tasks audit; do run warm "$screen"; done
# The largest of the rest: the person involved in most models, the most depended-on asset, the regulator's tag query.
busiest=$(sqlite3 "$db" "SELECT business_owner FROM models GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
widest=$(sqlite3 "$db" "SELECT upstream FROM lineage GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
run warm person --model "$busiest"
run warm asset --model "$widest"
run warm risk --command "tag pii"
# Typing a filter and changing the sort on the Models screen (each key re-orders 50,000 rows in SQL).
pages="/ f r a u d Enter"; run warm models
pages="s s s s s S s s s s s S"; run warm models
