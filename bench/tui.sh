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
bin=${BENCH_BIN:-.build/release/binnacle}   # BENCH_BIN: another build (e.g. an older one) measured the same way
[ -f "$db" ] || { echo "bench/tui.sh: run bench/report.sh first (it builds $db)" >&2; exit 1; }
[ -n "${BENCH_BIN:-}" ] || swift build -c release >/dev/null
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

# Time travel while a date's lists are still deriving, in the real binary (tmux): a new date opened,
# `[` (a month back) 3 s later, then how long until the new date's numbers are on screen. Its first
# look must not wait behind the seconds of the date left behind.
if command -v tmux >/dev/null; then
  rm -rf "$BINNACLE_CACHE_DIR"
  session=binnacle-bench-$$
  tmux new-session -d -s "$session" -x 160 -y 48 "$bin --db $db --as-of 2026-11-21"
  sleep 3
  tmux send-keys -t "$session" '['
  t0=$(date +%s%N); shown=""
  for _ in $(seq 600); do
    screen=$(tmux capture-pane -p -t "$session")
    if grep -q "as of 2026-10-31" <<<"$screen" && grep -q "KEY INDICATOR .*2026-09-30" <<<"$screen"; then
      shown=$(( ($(date +%s%N) - t0) / 1000000 )); break
    fi
    sleep 0.02
  done
  tmux kill-session -t "$session"
  if [ -n "$shown" ]; then echo "time travel during a derivation: the month before's numbers shown after $shown ms (polled every 20 ms)"
  else echo "time travel during a derivation: the month before's numbers not shown within 600 polls"; fi
fi
