#!/usr/bin/env bash
# Benchmark (not a test): ingest a 1,000,000-row observations file into the sample portfolio, and
# compute drift between two 1,000,000-value samples. Usage: bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
bin=.build/release/binnacle
mkdir -p "$out"
swift build -c release >/dev/null
rm -f "$out/ingest.sqlite"*
"$bin" import bundle sample-data --db "$out/ingest.sqlite" >/dev/null
# One million distinct (model, metric, minute) observations over the sample's models.
awk -F, 'NR > 1 {print $1}' sample-data/models.csv > "$out/ids.txt"
awk 'BEGIN {srand(1); print "model_id,metric,observed_at,value"}
     {ids[n++] = $1}
     END {for (i = 0; i < 1000000; i++) { t = int(i / n); printf "%s,bench_metric,2020-%02d-%02dT%02d:%02d:00Z,%.6f\n",
          ids[i % n], 1 + int(t / 40320) % 12, 1 + int(t / 1440) % 28, int(t / 60) % 24, t % 60, rand() }}' "$out/ids.txt" > "$out/obs-1m.csv"
/usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" ingest observations "$out/obs-1m.csv" --db "$out/ingest.sqlite" > "$out/ingest.txt"
read -r s kb < "$out/time.txt"
echo "ingest: $(head -1 "$out/ingest.txt")"
echo "ingest: 1000000 rows in ${s}s = $(awk -v s="$s" 'BEGIN {printf "%d", 1000000 / s}') rows/s (target >= 200000), peak $((kb / 1024)) MB"
awk 'BEGIN {srand(2); print "x"; for (i = 0; i < 1000000; i++) printf "%.8f\n", rand() + rand() + rand()}' > "$out/ref-1m.csv"
awk 'BEGIN {srand(3); print "x"; for (i = 0; i < 1000000; i++) printf "%.8f\n", rand() + rand() + rand() + 0.01}' > "$out/cur-1m.csv"
BINNACLE_TIMING=1 "$bin" drift --reference "$out/ref-1m.csv" --current "$out/cur-1m.csv" 2>&1 >/dev/null | sed 's/^/drift: /'
echo "drift: target < 2 s for the statistics"
