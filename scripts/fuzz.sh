#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*.cpp: clang, ASan + UBSan) and runs each for a bounded
# time, one after the other (one process: the machine is shared).
#
#   bash scripts/fuzz.sh [seconds-per-target] [target...]     default: 600 s, every target
#   bash scripts/fuzz.sh 20                                    what `npm test` runs
#
# Each run starts from the seed corpus fuzz/corpus/<target>/ (reproducers of fixed crashes
# included) and keeps what it finds in $FUZZ_DIR/corpus/<target>/, so long runs continue where
# the last one stopped. A crash leaves its input in $FUZZ_DIR/artifacts/ and makes the script
# fail; every run appends "target seconds executions status" to $FUZZ_DIR/runs.log.
# Environment: GMMHMM_FUZZ_DIR (default: build/fuzz), GMMHMM_JOBS (build, default 2).
# GMMHMM_FUZZ_RUNS=N (what `npm test` uses): instead of a time budget, replay the seed corpus
# and then N mutations with a fixed seed from an empty scratch corpus, so the run is the same
# on every machine (a time budget explores differently on a slower or busier machine, and CI
# must not fail on a new random finding: that is what the long runs are for).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FUZZ_DIR="${GMMHMM_FUZZ_DIR:-$ROOT/build/fuzz}"
JOBS="${GMMHMM_JOBS:-2}"
SECONDS_PER_TARGET="${1:-600}"
shift || true
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then
  for src in fuzz/*.cpp; do TARGETS+=("$(basename "$src" .cpp)"); done
fi

if [[ ! -f "$FUZZ_DIR/CMakeCache.txt" ]]; then
  echo "fuzz: configuring $FUZZ_DIR (clang)" >&2
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$FUZZ_DIR" -DGMMHMM_FUZZ=ON >/dev/null
fi
echo "fuzz: building" >&2
cmake --build "$FUZZ_DIR" -j "$JOBS" >/dev/null

# Model and recognizer files are bigger than the other targets' inputs.
max_len() { [[ "$1" == model_loader ]] && echo 32768 || echo 4096; }

failed=()
total=0
for target in "${TARGETS[@]}"; do
  work="$FUZZ_DIR/corpus/$target"
  budget=(-max_total_time="$SECONDS_PER_TARGET")
  if [[ -n "${GMMHMM_FUZZ_RUNS:-}" ]]; then
    work="$FUZZ_DIR/scratch/$target"
    rm -rf "$work"
    budget=(-runs="$GMMHMM_FUZZ_RUNS" -seed=1)
  fi
  log="$FUZZ_DIR/$target.log"
  mkdir -p "$work" "$FUZZ_DIR/artifacts"
  status=ok
  started=$SECONDS
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a 2 GB footprint is a bug here.
  if ! "$FUZZ_DIR/fuzz_$target" "$work" "fuzz/corpus/$target" \
      "${budget[@]}" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$FUZZ_DIR/artifacts/$target-" >"$log" 2>&1; then
    status=CRASH
    failed+=("$target")
    grep -E "ERROR|FUZZ_CHECK|SUMMARY|Test unit written" "$log" | head -20 >&2 || true
  fi
  took=$((SECONDS - started))
  execs="$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)"
  total=$((total + execs))
  echo "fuzz: $target: $execs executions in $took s, $status (log: $log)" >&2
  echo "$target $took $execs $status" >>"$FUZZ_DIR/runs.log"
done
echo "fuzz: $total executions in total" >&2
if ((${#failed[@]})); then
  echo "fuzz: CRASHED: ${failed[*]} (inputs in $FUZZ_DIR/artifacts/)" >&2
  exit 1
fi
