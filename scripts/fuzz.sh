#!/usr/bin/env bash
# Builds the libFuzzer targets (sanitizers on, into .build-fuzz) and runs each for SECONDS (default
# 60), starting from the seed corpus in Tests/Fuzz/corpus/<target>/. Fails on any crash, leak or
# timeout; the input that caused it is written to .build-fuzz/crashes/ — add it to the corpus once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
command -v swift >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"
targets=(csv bundle observations timestamp usecases width)

mkdir -p .build-fuzz
# Only the fuzzed modules are built (no GRDB); ld.gold's warnings about sanitizer symbols are noise.
if ! swift build --product binnacle-fuzz --scratch-path .build-fuzz \
    -Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >.build-fuzz/build.log 2>&1; then
    grep -v "Cannot export local symbol" .build-fuzz/build.log >&2
    echo "fuzz: the sanitizer build failed" >&2
    exit 1
fi
fuzzer=.build-fuzz/debug/binnacle-fuzz

crashes=.build-fuzz/crashes
mkdir -p "$crashes"
failed=()
for target in "${targets[@]}"; do
    # New inputs go to a scratch corpus, so the checked-in seeds stay small and reviewed.
    work=.build-fuzz/corpus/$target
    mkdir -p "$work"
    log=.build-fuzz/$target.log
    if BINNACLE_FUZZ_TARGET=$target "$fuzzer" "$work" "Tests/Fuzz/corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
        -artifact_prefix="$crashes/$target-" -print_final_stats=1 >"$log" 2>&1; then
        echo "fuzz $target: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') runs in ${seconds}s, ok"
    else
        echo "fuzz $target: FAILED" >&2
        grep -E 'ERROR|Fatal error|SUMMARY|Test unit written' "$log" | head -5 >&2
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]} (inputs in $crashes; replay: $fuzzer TARGET FILE with swift build)" >&2
    exit 1
fi
