#!/usr/bin/env bash
# Benchmark (not a test): how the cost of import, report, check and the dashboard's first look grows
# with the portfolio, at 5,000, 50,000 and 200,000 models (seed 1, as of 2026-11-21), in one run.
# Prints one table, then each size's cost per row (import) or per model (the rest) as a ratio to the
# smallest size's: 1.0 all along is linear growth, below 1.0 better than linear.
#   import:     `import bundle` into a new file: wall seconds, rows/s, peak memory;
#   report:     `report --format json` (13 dates), best of 3;
#   check:      `check` (one date), best of 3;
#   first look: `snapshot --background` on the Overview with an empty dashboard cache (as bench/tui.sh
#               and bench/cache.sh): from the start, when its numbers showed (numbers_s, its first look)
#               and when every list was derived (look_s).
# Usage: bench/growth.sh [MODELS...]   (default 5000 50000 200000). Writes under bench/out/growth/.
#   BENCH_REUSE=1 keeps the bundles an earlier run generated, and takes the 50,000-model bundle from
#   /work/bench50k/bundle (or BENCH_50K_BUNDLE) when it exists. The inventory is always imported anew.
# At 200,000 models the bundle takes ~1.5 GB and the inventory ~4 GB: check `df -h` first.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000 50000 200000)
asof=2026-11-21
out=bench/out/growth
bin=.build/release/binnacle
mkdir -p "$out"
swift build -c release >/dev/null

# "SECONDS KB" of a command (GNU time), its output to $out/stdout.txt; exit 1 allowed (check's verdict).
measure() {
  local rc=0
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/stdout.txt" 2>"$out/stderr.txt" || rc=$?
  if [ "$rc" -gt 1 ]; then echo "bench/growth.sh: failed ($rc): $*" >&2; cat "$out/stderr.txt" >&2; exit 1; fi
  tail -1 "$out/time.txt"
}
best() { # best wall time of 3 runs, with that run's peak memory
  local best_s="" best_kb="" s kb
  for _ in 1 2 3; do
    read -r s kb < <(measure "$@")
    if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN{exit !(a<b)}'; then best_s=$s; best_kb=$kb; fi
  done
  echo "$best_s $best_kb"
}
mb() { echo $(( $1 / 1024 )); }

rows_of=() imp_s=() rep_s=() chk_s=() num_s=() look_s=()
table="models rows import_s import_rows/s import_MB report_s report_MB check_s numbers_s look_s look_MB"
for n in "${sizes[@]}"; do
  dir=$out/$n
  mkdir -p "$dir"
  bundle=$dir/bundle
  if [ "${BENCH_REUSE:-}" = 1 ] && [ "$n" = 50000 ] && [ -d "${BENCH_50K_BUNDLE:-/work/bench50k/bundle}" ]; then
    bundle=${BENCH_50K_BUNDLE:-/work/bench50k/bundle}
  elif [ "${BENCH_REUSE:-}" != 1 ] || [ ! -f "$bundle/manifest.csv" ]; then
    rm -rf "$bundle"
    "$bin" generate --models "$n" --seed 1 --as-of "$asof" --out "$bundle" >/dev/null
  fi
  rows=$(($(cat "$bundle"/*.csv | wc -l) - $(ls "$bundle"/*.csv | wc -l)))
  echo "$n models: $rows rows in $bundle" >&2

  rm -f "$dir/inv.sqlite"*
  read -r i_s i_kb < <(measure "$bin" import bundle "$bundle" --db "$dir/inv.sqlite")
  read -r r_s r_kb < <(best "$bin" report --db "$dir/inv.sqlite" --as-of "$asof" --format json)
  read -r c_s _ < <(best "$bin" check --db "$dir/inv.sqlite" --as-of "$asof")
  rm -rf "$dir/cache"
  read -r _ l_kb < <(BINNACLE_CACHE_DIR=$dir/cache measure "$bin" snapshot --db "$dir/inv.sqlite" --as-of "$asof" \
    --screen overview --background --timing)
  # "first frame F ms; … numbers shown after N ms, sparklines after S ms, complete after C ms": the overview's
  # numbers (its first look) and every list, from the start.
  n_s=$(awk '{for (i = 1; i < NF; i++) { if ($i == "frame") f = $(i+1); if ($i == "shown" && $(i+1) == "after") n = $(i+2) }} END {printf "%.2f", (f + n) / 1000}' "$out/stderr.txt")
  l_s=$(awk '{for (i = 1; i < NF; i++) { if ($i == "frame") f = $(i+1); if ($i == "after") c = $(i+1) }} END {printf "%.2f", (f + c) / 1000}' "$out/stderr.txt")

  rows_of+=("$rows") imp_s+=("$i_s") rep_s+=("$r_s") chk_s+=("$c_s") num_s+=("$n_s") look_s+=("$l_s")
  table+=$'\n'"$n $rows $i_s $(awk -v r="$rows" -v s="$i_s" 'BEGIN{printf "%d", r/s}') $(mb "$i_kb") $r_s $(mb "$r_kb") $c_s $n_s $l_s $(mb "$l_kb")"
done
echo "$table" | column -t

# Cost per unit at each size over that at the first size.
ratio() { # label, per (rows|models), values...
  local label=$1 per=$2; shift 2
  local line="$label" base="" i=0 unit cost
  for v in "$@"; do
    if [ "$per" = rows ]; then unit=${rows_of[$i]}; else unit=${sizes[$i]}; fi
    cost=$(awk -v v="$v" -v u="$unit" 'BEGIN{printf "%.12f", v / u}')
    [ -n "$base" ] || base=$cost
    line+=" $(awk -v c="$cost" -v b="$base" 'BEGIN{printf "%.2f", c / b}')"
    i=$((i + 1))
  done
  echo "$line"
}
echo
echo "cost per unit, as a ratio to ${sizes[0]} models (1.00 = linear):"
{
  echo "work ${sizes[*]}"
  ratio "import/row" rows "${imp_s[@]}"
  ratio "report/model" models "${rep_s[@]}"
  ratio "check/model" models "${chk_s[@]}"
  ratio "numbers/model" models "${num_s[@]}"
  ratio "lists/model" models "${look_s[@]}"
} | column -t
