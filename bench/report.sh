#!/usr/bin/env bash
# Benchmark (not a test): generate a large portfolio, import it, and time `report --format json`
# against the sqlite3 CLI running the same aggregate SQL on the same file, in one run.
# Usage: bench/report.sh [MODELS]   (default 50000). Prints figures; writes under bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
models=${1:-50000}
asof=2026-11-21
out=bench/out
bin=${BENCH_BIN:-.build/release/binnacle}   # BENCH_BIN: another build (e.g. an older one) measured the same way
mkdir -p "$out"
command -v sqlite3 >/dev/null || { echo "bench: needs the sqlite3 CLI (apt-get install sqlite3)" >&2; exit 1; }
[ -n "${BENCH_BIN:-}" ] || swift build -c release >/dev/null

# Peak resident memory (kB) and wall seconds of a command, from GNU time.
measure() { /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/stdout.txt"; cat "$out/time.txt"; }

# BENCH_REUSE=1 keeps the inventory of an earlier run (generating and importing 50,000 models takes minutes).
if [ "${BENCH_REUSE:-}" = 1 ] && [ -f "$out/bench.sqlite" ]; then
  echo "generate, import: reusing $out/bench.sqlite"
else
  rm -rf "$out/bundle" "$out/bench.sqlite"*
  read -r gen_s gen_kb < <(measure "$bin" generate --models "$models" --seed 1 --as-of "$asof" --out "$out/bundle")
  rows=$(($(cat "$out"/bundle/*.csv | wc -l) - $(ls "$out"/bundle/*.csv | wc -l)))
  obs=$(($(wc -l < "$out/bundle/observations.csv") - 1))
  echo "generate: $models models, $rows rows ($obs observations) in ${gen_s}s, peak ${gen_kb} kB"

  read -r imp_s imp_kb < <(measure "$bin" import bundle "$out/bundle" --db "$out/bench.sqlite")
  echo "import:   $(awk -v r="$rows" -v s="$imp_s" 'BEGIN{printf "%d rows/s", r/s}') (${imp_s}s), peak ${imp_kb} kB, file $(du -h "$out/bench.sqlite" | cut -f1)"
fi

"$bin" report --emit-sql --as-of "$asof" > "$out/report.sql"
# Warm the page cache once so both sides read from memory.
sqlite3 "$out/bench.sqlite" < "$out/report.sql" > /dev/null
best() { # best wall time of 3 runs of "$@", and the peak memory of that run
  local best_s="" best_kb=""
  for _ in 1 2 3; do
    read -r s kb < <(measure "$@")
    if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN{exit !(a<b)}'; then best_s=$s; best_kb=$kb; fi
  done
  echo "$best_s $best_kb"
}
read -r rep_s rep_kb < <(best "$bin" report --db "$out/bench.sqlite" --as-of "$asof" --format json)
read -r sql_s sql_kb < <(best sqlite3 "$out/bench.sqlite" ".read $out/report.sql")
echo "report:   binnacle ${rep_s}s (peak ${rep_kb} kB) vs sqlite3 CLI on the same SQL ${sql_s}s (peak ${sql_kb} kB)"
echo "ratio:    $(awk -v a="$rep_s" -v b="$sql_s" 'BEGIN{printf "%.2f", a/b}')x the per-date SQL run by the sqlite3 CLI; peak RSS $((rep_kb / 1024)) MB (target <= 64 MB)"

# The floor for any KPI engine: one sqlite3 scan of the facts the KPIs need (issue 16's yardstick).
scan_sql="SELECT COUNT(*), SUM(value) FROM observations; SELECT COUNT(*), SUM(value), SUM(cost) FROM value_records; SELECT COUNT(*) FROM stage_changes;"
read -r scan_s _ < <(best sqlite3 "$out/bench.sqlite" "$scan_sql")
read -r chk_s chk_kb < <(best sh -c "'$bin' check --db '$out/bench.sqlite' --as-of $asof || true")
ratio() { awk -v a="$1" -v b="$scan_s" 'BEGIN{printf "%.1f", a/b}'; }
echo "scan:     one sqlite3 scan of observations, value records and stage changes ${scan_s}s"
echo "          report --format json (13 dates) ${rep_s}s = $(ratio "$rep_s")x the scan (target <= 3x)"
echo "          check (one date, KPIs and alerts) ${chk_s}s = $(ratio "$chk_s")x the scan (target <= 1x), peak $((chk_kb / 1024)) MB"

# Issue 15: the board pack and the evidence pack against report --format json on the same date.
read -r html_s html_kb < <(best "$bin" report --db "$out/bench.sqlite" --as-of "$asof" --format html)
rm -rf "$out/pack"
read -r ev_s ev_kb < <(measure "$bin" evidence --db "$out/bench.sqlite" --as-of "$asof" --out "$out/pack")
read -r ver_s ver_kb < <(measure "$bin" evidence verify "$out/pack")
rm -rf "$out/pack"
# The floor for writing the pack's data at all: the sqlite3 CLI writing the same tables as CSV (no cut at D,
# no hashing, no HTML), and the audit log.
bundle_sql=""
for t in people models assets stage_changes value_records documents monitors observations lineage tasks audit_log; do
  bundle_sql+="SELECT * FROM $t;"
done
read -r dump_s _ < <(best sh -c "sqlite3 -csv -header '$out/bench.sqlite' '$bundle_sql' > /dev/null")
vs_json() { awk -v a="$1" -v b="$rep_s" 'BEGIN{printf "%.1f", a/b}'; }
echo "packs:    report --format html ${html_s}s = $(vs_json "$html_s")x report --format json, peak $((html_kb / 1024)) MB (target <= 3x, <= 64 MB)"
echo "          evidence --out PACK ${ev_s}s = $(vs_json "$ev_s")x report --format json, peak $((ev_kb / 1024)) MB (target <= 3x, <= 64 MB)"
echo "          floor: the sqlite3 CLI writing the same tables as CSV ${dump_s}s = $(vs_json "$dump_s")x report --format json"
echo "          evidence verify PACK (re-imports its bundle, recomputes the KPIs) ${ver_s}s, peak $((ver_kb / 1024)) MB (target <= 64 MB)"
